"""Read and write relation graphs as GEXF (Gephi).

Attributes are flattened as in :mod:`nlp_relations.graph.graphml` (lists and dicts as
JSON strings, ``None`` as ``""`` for strings). For Gephi, each edge also gets
``id`` = the edge key (unique across the file), ``label`` = the predicate and
``weight`` = the assertion count; the reader drops those three again.

GEXF has no place for graph-level data, so ``graph.graph`` (``documents``,
``duplicates``) is not carried: use GraphML or node-link JSON to keep it.

Example:
    >>> write_gexf(g, "relations.gexf")   # doctest: +SKIP
"""

from __future__ import annotations

import os

import networkx as nx

from nlp_relations.graph._encoding import decode_graph, encode_graph
from nlp_relations.graph.build import RelationGraph

__all__ = ["write_gexf", "read_gexf"]

_GEPHI_EDGE_FIELDS = ("id", "label", "weight")


def write_gexf(g: RelationGraph, path: str | os.PathLike, *, prettyprint: bool = True) -> None:
    """Write ``g`` to ``path`` as GEXF 1.2 for Gephi; edge ids are the edge keys."""
    h = encode_graph(g)
    h.graph.clear()
    for _, _, key, data in h.edges(keys=True, data=True):
        data["id"] = key
        data["label"] = data.get("predicate", "")
        data["weight"] = float(data.get("count", 1))
    nx.write_gexf(h, path, prettyprint=prettyprint)


def read_gexf(path: str | os.PathLike) -> RelationGraph:
    """Read a GEXF file written by :func:`write_gexf` back into a RelationGraph."""
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
