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


def test_graphml_key_ids_are_attribute_names(rich_graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(rich_graph, path)
    keys = ET.parse(path).getroot().findall("g:key", NS)
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids))  # GraphML wants key ids unique across the file
    by_scope = {(k.get("for"), k.get("attr.name")): k.get("id") for k in keys}
    assert by_scope[("node", "label")] == "label"
    assert by_scope[("node", "name")] == "name"
    assert by_scope[("edge", "count")] == "count"
    # Names nodes also use are qualified on edges; the graph's "documents" also is.
    assert by_scope[("edge", "label")] == "edge_label"
    assert by_scope[("edge", "weight")] == "edge_weight"
    assert by_scope[("edge", "documents")] == "documents"
    assert by_scope[("graph", "documents")] == "graph_documents"
    assert not any(i.startswith("d") and i[1:].isdigit() for i in ids)


def test_graphml_labels_and_weights_for_viewers(rich_graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(rich_graph, path)
    raw = nx.read_graphml(path, force_multigraph=True)
    prk = raw.nodes["PRK"]
    assert prk["label"] == "North Korea" and prk["name"] == "PRK"
    assert prk["weight"] == float(rich_graph.nodes["PRK"]["mentions"])
    nato = raw.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]
    assert (nato["label"], nato["weight"]) == ("condemns", 2.0)
    denied = raw.edges["RUS", "PRK", "RUS|condemns|PRK|asserted|neg"]
    assert denied["label"] == "not condemns"
    future = raw.edges["USA", "PRK", "USA|sanctions|PRK|future"]
    assert future["label"] == "sanctions (future)"
    # The reader gives the name back and drops the viewer fields.
    back = read_graphml(path)
    assert back.nodes["PRK"]["name"] == "North Korea"
    assert "label" not in back.nodes["PRK"] and "weight" not in back.edges[
        "NATO", "PRK", "NATO|condemns|PRK|asserted"]


def test_graphml_igraph_vertex_names_are_actor_ids(rich_graph, tmp_path):
    igraph = pytest.importorskip(
        "igraph", reason="python-igraph is not installed (pip install igraph)"
    )
    path = tmp_path / "g.graphml"
    write_graphml(rich_graph, path)
    ig = igraph.Graph.Read_GraphML(str(path))
    assert sorted(ig.vs["name"]) == sorted(rich_graph.nodes)
    prk = ig.vs.find(name="PRK")
    assert prk["label"] == "North Korea"
    edge = ig.es.find(_source=ig.vs.find(name="NATO").index, _target=prk.index,
                      predicate="condemns")
    assert edge["weight"] == 2.0 and edge["label"] == "condemns"


def test_graphml_reads_files_from_before_viewer_fields(rich_graph, tmp_path):
    """A file written by networkx alone (no label: name is the actor name) still reads."""
    from nlp_relations.graph._encoding import encode_graph

    path = tmp_path / "old.graphml"
    nx.write_graphml(encode_graph(rich_graph), path)
    assert graph_state(read_graphml(path)) == graph_state(rich_graph)
