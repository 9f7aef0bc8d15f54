"""Read and write relation graphs as node-link JSON (D3, vis.js, ``networkx.node_link_graph``).

The file is ``networkx.node_link_data(g, edges="edges")`` written with sorted keys:
``{"directed": true, "multigraph": true, "graph": {...}, "nodes": [{"id": ...}],
"edges": [{"source", "target", "key", ...}]}``. JSON holds lists, dicts and ``null``
natively, so nothing is flattened and the round trip is exact. The file is UTF-8 with
non-ASCII characters as they are, except lone surrogates (which UTF-8 cannot hold, though a
Python str can): they are written as JSON escapes (``\ud800``) and read back as themselves.

Example:
    >>> write_json(g, "relations.json")   # doctest: +SKIP
"""

from __future__ import annotations

import json
import os

import networkx as nx

from nlp_relations.graph._atomic import atomic_path
from nlp_relations.graph._checks import check_graph, check_path, existing_path
from nlp_relations.graph._encoding import ESCAPE_SURROGATES
from nlp_relations.graph.build import RelationGraph

__all__ = ["write_json", "read_json", "to_node_link", "from_node_link"]


def to_node_link(g: RelationGraph) -> dict:
    """The node-link dict of ``g`` (edges under ``"edges"``, keys under ``"key"``)."""
    return nx.node_link_data(g, edges="edges")


def from_node_link(data: dict) -> RelationGraph:
    """A RelationGraph from a node-link dict made by :func:`to_node_link`."""
    h = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    return RelationGraph(h)


def write_json(g: RelationGraph, path: str | os.PathLike, *, indent: int | None = None) -> None:
    """Write ``g`` to ``path`` as node-link JSON (UTF-8), replacing it only when complete.

    Raises:
        ArgumentError: E053 when ``g`` is not a graph or ``path`` not a path.
    """
    check_graph("write_json", "g", g)
    check_path("write_json", "path", path)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8",
                                        errors=ESCAPE_SURROGATES) as f:
        json.dump(to_node_link(g), f, sort_keys=True, ensure_ascii=False, indent=indent,
                  cls=_OnePassEncoder)


class _OnePassEncoder(json.JSONEncoder):
    """``json.dump`` through the C encoder that ``json.dumps`` uses (same text).

    ``json.dump`` otherwise runs the pure-Python encoder, one small write per token, several
    times slower on a large graph. Without ``indent`` the C encoder serialises the whole
    graph in one pass; with it Python's encoder is used, as before.
    """

    def iterencode(self, o, _one_shot=False):
        return super().iterencode(o, _one_shot=True)


def read_json(path: str | os.PathLike) -> RelationGraph:
    """Read a node-link JSON file written by :func:`write_json`.

    Raises:
        ArgumentError: E053 when ``path`` is not a path; MissingFileError: E209 when there is
            no file at ``path``.
    """
    path = existing_path("read_json", "path", path)
    with open(path, encoding="utf-8") as f:
        return from_node_link(json.load(f))
