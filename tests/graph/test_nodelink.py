from __future__ import annotations

import json

from nlp_relations.graph import RelationGraph, read_json, write_json

from .factory import graph_state


def test_nodelink_round_trip_is_exact(rich_graph, tmp_path):
    path = tmp_path / "g.json"
    write_json(rich_graph, path)
    back = read_json(path)
    assert isinstance(back, RelationGraph)
    assert graph_state(back) == graph_state(rich_graph)


def test_nodelink_layout(rich_graph, tmp_path):
    path = tmp_path / "g.json"
    write_json(rich_graph, path, indent=1)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["directed"] is True and data["multigraph"] is True
    assert "edges" in data and "links" not in data
    keys = [e["key"] for e in data["edges"]]
    assert len(keys) == len(set(keys)) == rich_graph.number_of_edges()
    nato = next(n for n in data["nodes"] if n["id"] == "NATO")
    assert nato["aliases"] == ["NATO", "the alliance"] and nato["country"] is None
    assert "Лавров" in path.read_text(encoding="utf-8")  # ensure_ascii=False
