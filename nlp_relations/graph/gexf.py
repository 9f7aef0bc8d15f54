"""Read and write relation graphs as GEXF (Gephi).

Attributes are flattened as in :mod:`nlp_relations.graph.graphml` (lists and dicts as
JSON strings, ``None`` as ``""`` for strings, XML-illegal characters removed). For Gephi,
each node's ``label`` is the actor's name, and each edge also gets ``id`` = the edge key
(unique across the file), ``label`` and ``kind`` = how to read the edge ("condemns",
"not exports_to", "warns (future)") and ``weight`` = the assertion count. Gephi keeps
parallel edges between two actors apart by their ``kind`` (it would merge edges of one
kind and sum their weights). The reader drops these viewer fields again.

GEXF has no place for graph-level data, so ``graph.graph`` (``documents``,
``duplicates``) is not carried: use GraphML or node-link JSON to keep it.

Example:
    >>> write_gexf(g, "relations.gexf")   # doctest: +SKIP
"""

from __future__ import annotations

import os

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from nlp_relations.graph._atomic import atomic_path
from nlp_relations.graph._checks import check_graph, check_path, existing_path
from nlp_relations.graph._encoding import decode_graph, edge_label, encode_graph
from nlp_relations.graph.build import RelationGraph

__all__ = ["write_gexf", "read_gexf"]

_GEPHI_EDGE_FIELDS = ("id", "label", "weight", "kind")


def write_gexf(g: RelationGraph, path: str | os.PathLike, *, prettyprint: bool = True) -> None:
    """Write ``g`` to ``path`` as GEXF 1.2 for Gephi; edge ids are the edge keys.

    Raises:
        ArgumentError: E053 when ``g`` is not a graph or ``path`` not a path.
    """
    check_graph("write_gexf", "g", g)
    check_path("write_gexf", "path", path)
    h = encode_graph(g, xml=True)
    h.graph.clear()
    for node, data in h.nodes(data=True):
        data["label"] = data.get("name") or node
    kinds = {}
    for _, _, key, data in h.edges(keys=True, data=True):
        data["id"] = key
        data["label"] = kinds[key] = edge_label(data)
        data["weight"] = float(data.get("count", 1))
    writer = GEXFWriter(encoding="utf-8", prettyprint=prettyprint, version="1.2draft")
    writer.add_graph(h)
    # networkx writes no edge kind; Gephi reads it to keep parallel edges apart.
    for element in writer.xml.iter("edge"):
        element.set("kind", kinds[element.get("id")])
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        writer.write(f)


def read_gexf(path: str | os.PathLike) -> RelationGraph:
    """Read a GEXF file written by :func:`write_gexf` back into a RelationGraph.

    Raises:
        ArgumentError: E053 when ``path`` is not a path; MissingFileError: E209 when there is
            no file at ``path``.
    """
    path = existing_path("read_gexf", "path", path)
    h = nx.read_gexf(path)
    multi = nx.MultiDiGraph()
    for node, data in h.nodes(data=True):
        data = dict(data)
        data.pop("label", None)
        multi.add_node(node, **data)
    pairs = (
        h.edges(keys=True, data=True)
        if h.is_multigraph()
        else ((u, v, None, d) for u, v, d in h.edges(data=True))
    )
    for u, v, key, data in pairs:
        data = dict(data)
        edge_id = data.get("id", key)
        for name in _GEPHI_EDGE_FIELDS:
            data.pop(name, None)
        multi.add_edge(u, v, key=str(edge_id), **data)
    return decode_graph(multi)
