"""Without the [scale] extra the package imports, and the scale paths say what to install."""

from __future__ import annotations

import importlib
import sys

import pytest

OPTIONAL = ("pyarrow", "pyarrow.parquet", "dask", "distributed", "duckdb")


@pytest.fixture
def without_extra(monkeypatch):
    """Hide the optional packages (None in sys.modules makes their import fail) and re-import
    our scale modules from scratch; everything is restored after the test."""
    for name in OPTIONAL:
        monkeypatch.setitem(sys.modules, name, None)
    for name in [m for m in sys.modules if m.startswith(("nlp_relations.scale",
                                                         "nlp_relations.store"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delitem(sys.modules, "nlp_relations.graph.neo4j", raising=False)
    # Re-importing sets the submodules as attributes of their packages: put the originals back.
    import nlp_relations
    import nlp_relations.graph

    for package, attr in ((nlp_relations, "scale"), (nlp_relations, "store"),
                          (nlp_relations.graph, "neo4j")):
        if hasattr(package, attr):
            monkeypatch.setattr(package, attr, getattr(package, attr))


def test_scale_modules_import_without_the_extra(without_extra, tmp_path):
    scale = importlib.import_module("nlp_relations.scale")
    store = importlib.import_module("nlp_relations.store")
    importlib.import_module("nlp_relations.scale.cli")
    neo4j = importlib.import_module("nlp_relations.graph.neo4j")
    from nlp_relations.graph import RelationGraph

    neo4j.write_neo4j(RelationGraph(), tmp_path / "neo")  # plain CSV: no extra needed
    with pytest.raises(ImportError, match=r"E300: Parquet output needs the package 'pyarrow'.*"
                                          r"pip install 'nlp_relations\[scale\]'"):
        scale.extract_to_parquet([("NATO condemned North Korea.", "a")], tmp_path / "p")
    assert not (tmp_path / "p").exists()
    with pytest.raises(ImportError, match="E300: The relation store needs the package 'duckdb'"):
        store.RelationStore(":memory:")
    with pytest.raises(ImportError, match="E300: The Dask engine needs the package "
                                          "'distributed'"):
        importlib.import_module("nlp_relations.scale.dask_engine")
