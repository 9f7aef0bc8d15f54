"""Every writer replaces its file only when the new content is complete."""

from __future__ import annotations

import pytest

from nlp_relations.graph import (
    read_csv,
    read_graphml,
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
)
from nlp_relations.graph import tables
from nlp_relations.graph._atomic import atomic_path

from .factory import graph_state

FILE_WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "json": write_json}


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_atomic_path_replaces_on_success_only(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old, complete")
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_text("new, half")
            raise RuntimeError("the writer failed")
    assert path.read_text() == "old, complete" and not _leftovers(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(path) as tmp:
            tmp.write_text("new, half")
            raise KeyboardInterrupt
    assert path.read_text() == "old, complete" and not _leftovers(tmp_path)
    with atomic_path(path) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".")
        tmp.write_text("new, complete")
    assert path.read_text() == "new, complete" and not _leftovers(tmp_path)


def test_atomic_path_refuses_a_folder(tmp_path):
    with pytest.raises(IsADirectoryError):
        with atomic_path(tmp_path):
            pass


@pytest.mark.parametrize("fmt", sorted(FILE_WRITERS))
def test_atomic_failed_write_keeps_old_file(rich_graph, tmp_path, monkeypatch, fmt):
    path = tmp_path / f"g.{fmt}"
    path.write_text("old, complete")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # The serialisers of all three formats end in one of these calls.
    monkeypatch.setattr("xml.etree.ElementTree.ElementTree.write", broken)
    monkeypatch.setattr("json.dump", broken)
    with pytest.raises(OSError):
        FILE_WRITERS[fmt](rich_graph, path)
    assert path.read_text() == "old, complete"
    assert not _leftovers(tmp_path)


def test_atomic_csv_tables_replaced_together(rich_graph, story_graph, tmp_path, monkeypatch):
    folder = write_csv(story_graph, tmp_path / "tables")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def half_then_fail(g, paths):
        paths[tables.NODES_FILE].write_text(":ID\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(tables, "_write_tables", half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        write_csv(rich_graph, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    monkeypatch.undo()
    write_csv(rich_graph, folder)
    assert graph_state(read_csv(folder)) == graph_state(rich_graph)
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "graph.json", "nodes.csv"]


def test_atomic_graphml_overwrites_complete_file(rich_graph, story_graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(story_graph, path)
    write_graphml(rich_graph, path)
    assert graph_state(read_graphml(path)) == graph_state(rich_graph)
    assert not _leftovers(tmp_path)
