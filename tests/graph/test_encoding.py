"""XML safety of the GraphML and GEXF exports, and the shared attribute encoding."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from nlp_relations.graph import read_gexf, read_graphml, write_gexf, write_graphml
from nlp_relations.graph._encoding import edge_label, xml_clean

from .factory import graph_state

# Every class of character XML 1.0 cannot hold, next to ones it can (tab, LF, CR, é).
BAD = "\x00\x01\x08\x0b\x0c\x0e\x1f\ufffe\uffff\ud800\udfff"
XML_WRITERS = {"graphml": (write_graphml, read_graphml), "gexf": (write_gexf, read_gexf)}


def _poison(g):
    g.nodes["PRK"]["name"] = f"North{BAD} Korea"
    g.nodes["PRK"]["aliases"].append(f"Pyong{BAD}yang")
    edge = g.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]
    edge["evidence"][0]["sentence"] = f"NATO\x0c condemned\tPyongyang\r\n{BAD}é."
    edge["sources"] = [f"Y{BAD}NA"]
    return g


@pytest.mark.parametrize("fmt", sorted(XML_WRITERS))
def test_encoding_xml_illegal_characters_removed(rich_graph, tmp_path, fmt):
    write, read = XML_WRITERS[fmt]
    path = tmp_path / f"g.{fmt}"
    write(_poison(rich_graph), path)
    ET.parse(path)  # expat rejects any XML-illegal character
    raw = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert raw.number_of_edges() == rich_graph.number_of_edges()
    back = read(path)
    assert back.nodes["PRK"]["name"] == "North Korea"
    assert "Pyongyang" in back.nodes["PRK"]["aliases"]
    edge = back.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]
    # Tab, CR and LF stay (inside the JSON text they are escapes anyway).
    assert edge["evidence"][0]["sentence"] == "NATO condemned\tPyongyang\r\né."
    assert edge["sources"] == ["YNA"]


@pytest.mark.parametrize("fmt", sorted(XML_WRITERS))
def test_encoding_xml_exports_parse_with_lxml(rich_graph, tmp_path, fmt):
    etree = pytest.importorskip("lxml.etree", reason="lxml is not installed")
    write, _ = XML_WRITERS[fmt]
    path = tmp_path / f"g.{fmt}"
    write(_poison(rich_graph), path)
    assert etree.parse(str(path)).getroot() is not None


def test_encoding_clean_graph_round_trip_unchanged(rich_graph, tmp_path):
    """Cleaning touches only illegal characters: a clean graph reads back exactly."""
    write_graphml(rich_graph, tmp_path / "g.graphml")
    assert graph_state(read_graphml(tmp_path / "g.graphml")) == graph_state(rich_graph)


def test_encoding_xml_clean_nested_values():
    value = {"k\x01": ["a\x0bb", ("c\ufffe",), {"d": "e\ud800"}], "n": 3, "t": "\t\n\r"}
    assert xml_clean(value) == {"k": ["ab", ["c"], {"d": "e"}], "n": 3, "t": "\t\n\r"}


@pytest.mark.parametrize(
    "data,label",
    [
        ({"predicate": "condemns", "negated": False, "modality": "asserted"}, "condemns"),
        ({"predicate": "exports_to", "negated": True, "modality": "asserted"}, "not exports_to"),
        ({"predicate": "warns", "negated": False, "modality": "future"}, "warns (future)"),
    ],
)
def test_encoding_edge_label(data, label):
    assert edge_label(data) == label
