"""Read and write relation graphs as GraphML (yEd, Gephi, igraph, Cytoscape).

GraphML holds scalar attributes only, so a relation graph is flattened on the way out
and rebuilt on the way in:

* list and dict attributes -- node ``aliases`` and ``events``; edge ``sources``,
  ``documents``, ``methods`` and ``evidence``; graph ``documents`` and ``duplicates`` --
  are JSON strings, ``json.dumps(value, sort_keys=True, ensure_ascii=False)``;
* ``None`` is written as ``""`` for string attributes (``country``, ``first_seen``,
  ``last_seen``) and left out for numeric ones;
* booleans (``negated``) are GraphML ``boolean``; counts are ``int``; confidences
  ``double``, written with ``repr`` so they read back bit for bit;
* the edge key (``"NATO|condemns|PRK|asserted"``, ``"|neg"`` appended when negated) is
  the GraphML edge ``id``, unique across the file.

:func:`read_graphml` undoes all of this, so ``read_graphml(write_graphml(g, p))``
reproduces ``g``: the same nodes, edge keys and attributes.

Example:
    >>> write_graphml(g, "relations.graphml")            # doctest: +SKIP
    >>> g2 = read_graphml("relations.graphml")           # doctest: +SKIP
"""

from __future__ import annotations

import os

import networkx as nx

from nlp_relations.graph._encoding import decode_graph, encode_graph
from nlp_relations.graph.build import RelationGraph

__all__ = ["write_graphml", "read_graphml"]


def write_graphml(g: RelationGraph, path: str | os.PathLike, *, prettyprint: bool = True) -> None:
    """Write ``g`` to ``path`` as GraphML, flattening lists and dicts to JSON strings."""
    nx.write_graphml(encode_graph(g), path, prettyprint=prettyprint)


def read_graphml(path: str | os.PathLike) -> RelationGraph:
    """Read a GraphML file written by :func:`write_graphml` back into a RelationGraph."""
    h = nx.read_graphml(path, force_multigraph=True)
    return decode_graph(h, drop_graph=("node_default", "edge_default"))
