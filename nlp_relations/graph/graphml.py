"""Read and write relation graphs as GraphML (Gephi, Cytoscape, igraph, yEd).

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
  the GraphML edge ``id``, unique across the file;
* characters XML cannot hold (C0 controls, U+FFFE, U+FFFF, lone surrogates) are removed
  from every string, so the file always parses;
* a carriage return is written as the character reference ``&#13;``: a parser turns a
  literal one in element text into a line feed, so ``"a\r\nb"`` would read back as
  ``"a\nb"``.

For the viewers, each node also carries ``label`` (the actor's name, which Gephi draws)
and ``weight`` (its mentions), and its ``name`` is the actor id (igraph's vertex name,
Cytoscape's shared name); each edge carries ``label`` ("condemns", "not exports_to",
"warns (future)") and ``weight`` (the assertion count, a double as Gephi expects).
:func:`read_graphml` maps ``label`` back to the node ``name`` and drops the rest. A node
without an actor name (None) has no ``label``; one whose name is empty once cleaned (a
name of XML-illegal characters only) has an empty one, and reads back with ``name == ""``.

Key ids are the attribute names (``<key id="label" for="node" attr.name="label">``), so
the file is readable by eye. GraphML wants key ids unique across the file, so a name that
nodes also use gets an ``edge_`` prefix on edges (``edge_label``, ``edge_weight``) and a
graph attribute whose name nodes or edges use gets ``graph_`` (``graph_documents``);
``attr.name`` is always the plain name.

:func:`read_graphml` undoes all of this, so ``read_graphml(write_graphml(g, p))``
reproduces ``g``: the same nodes, edge keys and attributes (less any XML-illegal
characters). The file is written to a temporary name and renamed when complete.

Example:
    >>> write_graphml(g, "relations.graphml")            # doctest: +SKIP
    >>> g2 = read_graphml("relations.graphml")           # doctest: +SKIP
"""

from __future__ import annotations

import os

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

from nlp_relations.graph._atomic import atomic_path
from nlp_relations.graph._checks import check_graph, check_path, existing_path
from nlp_relations.graph._encoding import decode_graph, edge_label, encode_graph, xml_clean
from nlp_relations.graph.build import RelationGraph

__all__ = ["write_graphml", "read_graphml"]

# Written for the viewers, dropped again on reading.
_VIEWER_NODE_FIELDS = ("label", "weight")
_VIEWER_EDGE_FIELDS = ("label", "weight")
# Scopes in the order they claim plain key ids.
_SCOPES = ("node", "edge", "graph")


class _NamedKeyWriter(GraphMLWriter):
    """networkx's GraphML writer with key id = attribute name, unique across scopes."""

    def __init__(self, key_ids: dict[tuple[str, str], str], **kwargs) -> None:
        super().__init__(**kwargs)
        self._key_ids = key_ids

    def get_key(self, name, attr_type, scope, default):
        keys_key = (name, attr_type, scope)
        if keys_key not in self.keys:
            wanted = self._key_ids.get((scope, name), f"{scope}_{name}")
            taken = set(self.keys.values())
            new_id, n = wanted, 1
            while new_id in taken:  # the same name with two types in one scope
                n += 1
                new_id = f"{wanted}_{n}"
            self.keys[keys_key] = new_id
            key_element = self.myElement(
                "key", **{"id": new_id, "for": scope, "attr.name": name, "attr.type": attr_type}
            )
            if default is not None:
                default_element = self.myElement("default")
                default_element.text = str(default)
                key_element.append(default_element)
            self.xml.insert(0, key_element)
        return self.keys[keys_key]


class _CarriageReturns:
    """A binary file that writes each carriage return as ``&#13;``.

    ElementTree escapes ``\r`` in attribute values but not in element text, where a parser
    would read it as ``\n``. A literal CR byte in the output can only come from text (the
    markup between elements uses ``\n``), and 0x0D is never part of a multi-byte UTF-8
    character, so replacing the byte is safe.
    """

    def __init__(self, f) -> None:
        self._f = f

    def write(self, data: bytes) -> int:
        self._f.write(data.replace(b"\r", b"&#13;"))
        return len(data)


def _key_ids(h: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    names = {
        "node": {str(k) for _, d in h.nodes(data=True) for k in d},
        "edge": {str(k) for *_, d in h.edges(keys=True, data=True) for k in d},
        "graph": {str(k) for k in h.graph},
    }
    ids: dict[tuple[str, str], str] = {}
    claimed: set[str] = set()
    for scope in _SCOPES:
        for name in sorted(names[scope]):
            ids[(scope, name)] = f"{scope}_{name}" if name in claimed else name
        claimed |= names[scope]
    return ids


def _for_viewers(h: nx.MultiDiGraph, named: set) -> None:
    """Add the viewers' fields; ``named`` holds the (cleaned) ids of nodes with a name."""
    for node, data in h.nodes(data=True):
        if node in named:
            data["label"] = data.get("name", "")
        data["name"] = node
        data["weight"] = float(data.get("mentions", 0))
    for *_, data in h.edges(keys=True, data=True):
        data["label"] = edge_label(data)
        data["weight"] = float(data.get("count", 1))


def write_graphml(g: RelationGraph, path: str | os.PathLike, *, prettyprint: bool = True) -> None:
    """Write ``g`` to ``path`` as GraphML, flattening lists and dicts to JSON strings.

    Raises:
        ArgumentError: E053 when ``g`` is not a graph or ``path`` not a path.
    """
    check_graph("write_graphml", "g", g)
    check_path("write_graphml", "path", path)
    h = encode_graph(g, xml=True)
    _for_viewers(h, {xml_clean(n) for n, d in g.nodes(data=True) if d.get("name") is not None})
    writer = _NamedKeyWriter(_key_ids(h), prettyprint=prettyprint)
    writer.add_graph_element(h)
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        writer.dump(_CarriageReturns(f))


def read_graphml(path: str | os.PathLike) -> RelationGraph:
    """Read a GraphML file written by :func:`write_graphml` back into a RelationGraph.

    Raises:
        ArgumentError: E053 when ``path`` is not a path; MissingFileError: E209 when there is
            no file at ``path``.
    """
    path = existing_path("read_graphml", "path", path)
    h = nx.read_graphml(path, force_multigraph=True)
    for _, data in h.nodes(data=True):
        if "label" in data:
            data["name"] = data.pop("label")
        elif "weight" in data:  # written without an actor name: "name" held the id
            data.pop("name", None)
        for name in _VIEWER_NODE_FIELDS:
            data.pop(name, None)
    for *_, data in h.edges(keys=True, data=True):
        for name in _VIEWER_EDGE_FIELDS:
            data.pop(name, None)
    return decode_graph(h, drop_graph=("node_default", "edge_default"))
