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
