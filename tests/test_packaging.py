"""The wheel works outside the checkout: built, installed into a new venv, run from elsewhere.

Offline and quick: the wheel is built without build isolation from a copy of the sources, and
the new venv gets this environment's packages (spaCy, the English pipeline, ...) through a
.pth line instead of downloading them, so the only nlp_relations it can import is the one the
wheel installed. A full install with dependencies from PyPI is `pip install .` (README).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "nlp_relations", "data", "models")
TEXT = "NATO condemned North Korea's arms exports to Russia."
SAMPLE = REPO / "data" / "samples" / "2024-07-13_prk-rejects-nato-declaration.txt"
BUILD_WARNINGS = ("BuildBackendWarning", "SetuptoolsDeprecationWarning", "SetuptoolsWarning",
                  "deprecated")


def _run(*cmd: str | Path, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> tuple[Path, str]:
    pytest.importorskip("setuptools", minversion="77", reason="setuptools>=77 (the dev extra) "
                        "builds the wheel without build isolation")
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    src.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=ignore)
        else:
            shutil.copy2(REPO / name, src / name)
    built = _run(sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation",
                 "--no-index", "-w", root / "dist", src, cwd=root)
    (path,) = (root / "dist").glob("nlp_relations-*.whl")
    return path, built.stdout + built.stderr


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A new venv outside the checkout with the wheel installed; its python."""
    root = tmp_path_factory.mktemp("venv")
    env_dir = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", env_dir, cwd=root)
    python = env_dir / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                   cwd=root).stdout.strip()
    # Dependencies (and pip itself) from this environment, after the venv's own site-packages.
    Path(purelib, "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel[0], cwd=root)
    return python


def test_packaging_wheel_ships_tables_model_license_and_types(wheel):
    path, log = wheel
    names = set(zipfile.ZipFile(path).namelist())
    for name in ("nlp_relations/py.typed",
                 "nlp_relations/_data/lexicons/roles.tsv",
                 "nlp_relations/_data/lexicons/petrarch/cameo_verbs.tsv",
                 "nlp_relations/_data/actors/states.jsonl",
                 "nlp_relations/_models/relation_model/config.cfg",
                 "nlp_relations/_models/relation_model_light/config.cfg",
                 "nlp_relations/_models/relation_model_light/relation_model/model.bin",
                 "nlp_relations/_models/configs/transformer.cfg"):
        assert name in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    # Corpora, gold files and samples stay in the repository.
    assert not [n for n in names if "/_data/corpus/" in n or "/_data/gold/" in n]
    meta = zipfile.ZipFile(path).read(next(n for n in names if n.endswith("/METADATA"))).decode()
    assert "License-Expression: MIT" in meta
    assert "Requires-Dist: torch" in meta and 'extra == "transformer"' in meta
    assert not [line for line in meta.splitlines()
                if line.startswith("Requires-Dist: torch") and "extra ==" not in line]
    assert not [w for w in BUILD_WARNINGS if w in log], log[-3000:]


def test_packaging_installed_wheel_runs_outside_the_checkout(venv, tmp_path):
    bindir = venv.parent
    version = _run(bindir / "nlp-relations", "--version", cwd=tmp_path).stdout
    assert version.strip().startswith("nlp-relations ")

    script = f"""
import json, sys
import nlp_relations, nlp_relations.resources as r
assert r.PACKAGE_DIR.is_relative_to(sys.prefix), r.PACKAGE_DIR
assert r.DATA_DIR == r.PACKAGE_DIR / "_data" and r.MODEL_DIR.is_dir(), (r.DATA_DIR, r.MODEL_DIR)
from nlp_relations.api import default_model_dir
assert default_model_dir() == r.LIGHT_MODEL_DIR, r.LIGHT_MODEL_DIR
nlp = nlp_relations.load()
assert "nlp_relations_model" in nlp.pipe_names, nlp.pipe_names
print(json.dumps(sorted(t.key()[:3] for t in nlp_relations.extract({TEXT!r}))))
nlp.to_disk("saved")
"""
    got = json.loads(_run(venv, "-c", script, cwd=tmp_path).stdout.splitlines()[-1])
    assert ["NATO", "condemns", "PRK"] in got

    # A saved pipeline loads with plain spacy.load in a fresh process.
    reload = f"""
import json, spacy
doc = spacy.load("saved")({TEXT!r})
print(json.dumps([(t["subject"]["actor"], t["predicate"]) for t in doc._.triples]))
"""
    got = json.loads(_run(venv, "-c", reload, cwd=tmp_path).stdout.splitlines()[-1])
    assert ["NATO", "condemns"] in got

    shutil.copy2(SAMPLE, tmp_path / SAMPLE.name)
    _run(bindir / "nlp-relations", "extract", SAMPLE.name, "-o", "triples.jsonl", cwd=tmp_path)
    (record,) = [json.loads(line) for line in (tmp_path / "triples.jsonl").open()]
    assert record["ok"] and record["triples"]


def test_packaging_checkout_only_files_give_a_coded_error(tmp_path):
    from nlp_relations.errors import NlpRelationsError
    from nlp_relations.resources import require

    with pytest.raises(NlpRelationsError, match="E401: The dev corpus not found"):
        require(tmp_path / "missing.jsonl", "The dev corpus")


def test_packaging_cold_extract_imports_no_transformer_or_graph_stack(tmp_path):
    """The default pipeline neither imports spacy-transformers/transformers (plug-in factories
    stay unimported while the base pipeline loads) nor the graph stage (networkx, pandas).
    torch is not checked: thinc imports it whenever it is installed."""
    script = f"""
import json, sys
import nlp_relations
assert nlp_relations.extract({TEXT!r})
print(json.dumps([m for m in ("spacy_transformers", "transformers", "networkx", "pandas")
                  if m in sys.modules]))
"""
    done = _run(sys.executable, "-c", script, cwd=tmp_path)
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_packaging_base_pipeline_loads_plugin_factories_only_when_needed(monkeypatch):
    """load_base tries without other packages' factories, and again with them on E002."""
    import spacy
    from spacy.util import registry

    from nlp_relations.base_pipeline import load_base

    seen = []

    def fake_load(name):
        seen.append(registry._entry_point_factories.entry_points)
        if not seen[-1]:
            raise ValueError("[E002] Can't find factory for 'transformer' for language English")
        return name

    monkeypatch.setattr(spacy, "load", fake_load)
    assert load_base("en_core_web_trf") == "en_core_web_trf"
    assert seen == [False, True]
    assert registry._entry_point_factories.entry_points is True
