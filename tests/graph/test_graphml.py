from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from nlp_relations.graph import RelationGraph, read_graphml, write_graphml

from .factory import graph_state

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def test_graphml_round_trip_is_exact(rich_graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(rich_graph, path)
    back = read_graphml(path)
    assert isinstance(back, RelationGraph)
    assert graph_state(back) == graph_state(rich_graph)
    assert back.graph["documents"]["doc6"] == {"text_sha1": "sha-aaa", "doc_date": "2024-06-01"}


def test_graphml_edge_ids_are_unique_keys(rich_graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(rich_graph, path)
    root = ET.parse(path).getroot()
    ids = [e.get("id") for e in root.iter(f"{{{NS['g']}}}edge")]
    assert len(ids) == rich_graph.number_of_edges()
    assert None not in ids and len(set(ids)) == len(ids)
    assert set(ids) == {k for _, _, k in rich_graph.edges(keys=True)}


def test_graphml_encoding_is_json_and_scalars(rich_graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(rich_graph, path)
    raw = nx.read_graphml(path, force_multigraph=True)
    assert raw.number_of_edges() == rich_graph.number_of_edges()
    nato = raw.nodes["NATO"]
    assert nato["aliases"] == json.dumps(
        ["NATO", "the alliance"], sort_keys=True, ensure_ascii=False
    )
    assert nato["country"] == ""  # None -> ""
    assert nato["mentions"] == 3
    edge = raw.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]
    assert edge["negated"] is False
    assert json.loads(edge["evidence"])[0]["doc_id"] == "doc1"
    assert isinstance(edge["confidence_mean"], float)
    undated = raw.edges["RUS", "PRK", "RUS|praises|PRK|asserted"]
    assert undated["first_seen"] == "" and undated["last_seen"] == ""
    assert json.loads(raw.graph["documents"])["doc6"]["text_sha1"] == "sha-aaa"


def test_graphml_declares_boolean_and_numeric_types(rich_graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(rich_graph, path)
    root = ET.parse(path).getroot()
    types = {
        (k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall("g:key", NS)
    }
    assert types[("edge", "negated")] == "boolean"
    assert types[("edge", "count")] in ("int", "long")
    assert types[("edge", "confidence_mean")] == "double"
    assert types[("node", "aliases")] == "string"


def test_graphml_loads_in_igraph(rich_graph, tmp_path):
    igraph = pytest.importorskip(
        "igraph", reason="python-igraph is not installed (pip install igraph)"
    )
    path = tmp_path / "g.graphml"
    write_graphml(rich_graph, path)
    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.vcount() == rich_graph.number_of_nodes()
    assert ig.ecount() == rich_graph.number_of_edges()
    assert ig.is_directed()
