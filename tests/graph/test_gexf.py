from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx

from nlp_relations.graph import read_gexf, write_gexf

from .factory import graph_state


def test_gexf_round_trip_nodes_and_edges(rich_graph, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(rich_graph, path)
    back = read_gexf(path)
    expected = graph_state(rich_graph)
    got = graph_state(back)
    assert got["nodes"] == expected["nodes"]
    assert got["edges"] == expected["edges"]
    # GEXF has no graph-level data: documents/duplicates are not carried.
    assert got["graph"] == {"documents": {}, "duplicates": {}}


def test_gexf_edge_ids_unique_with_gephi_fields(rich_graph, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(rich_graph, path)
    edges = [e for e in ET.parse(path).getroot().iter() if e.tag.endswith("}edge")]
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids)) == rich_graph.number_of_edges()
    by_id = {e.get("id"): e for e in edges}
    nato = by_id["NATO|condemns|PRK|asserted"]
    assert (nato.get("label"), float(nato.get("weight"))) == ("condemns", 2.0)
    raw = nx.read_gexf(path)
    assert raw.number_of_edges() == rich_graph.number_of_edges()


def test_gexf_parallel_edges_have_distinct_kinds(rich_graph, tmp_path):
    """Gephi merges parallel edges of one kind; ours differ by predicate, negation, modality."""
    rich_graph.add_edge("RUS", "PRK", key="RUS|praises|PRK|future",
                        **{**rich_graph.edges["RUS", "PRK", "RUS|praises|PRK|asserted"],
                           "modality": "future"})
    path = tmp_path / "g.gexf"
    write_gexf(rich_graph, path)
    edges = [e for e in ET.parse(path).getroot().iter() if e.tag.endswith("}edge")]
    pairs: dict[tuple, list[str]] = {}
    for e in edges:
        assert e.get("kind") == e.get("label")
        pairs.setdefault((e.get("source"), e.get("target")), []).append(e.get("kind"))
    rus_prk = sorted(pairs[("RUS", "PRK")])
    assert rus_prk == ["meets", "not condemns", "praises", "praises (future)"]
    assert all(len(kinds) == len(set(kinds)) for kinds in pairs.values())
    assert read_gexf(path).number_of_edges() == rich_graph.number_of_edges()


def test_gexf_node_labels_are_actor_names(rich_graph, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(rich_graph, path)
    nodes = {n.get("id"): n.get("label") for n in ET.parse(path).getroot().iter()
             if n.tag.endswith("}node")}
    assert nodes["PRK"] == "North Korea" and nodes["NATO"] == "North Atlantic Treaty Organization"
    assert read_gexf(path).nodes["PRK"]["name"] == "North Korea"
