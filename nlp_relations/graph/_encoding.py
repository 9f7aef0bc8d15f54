"""Flatten relation-graph attributes to scalars for GraphML, GEXF and CSV, and back.

The encoding (shared by :mod:`graphml`, :mod:`gexf` and :mod:`tables`):

* list and dict values (``aliases``, ``events``, ``sources``, ``documents``, ``methods``,
  ``evidence``; graph-level ``documents`` and ``duplicates``) become JSON strings,
  ``json.dumps(value, sort_keys=True, ensure_ascii=False)``;
* ``None`` becomes ``""`` for string attributes and is left out for numbers;
* booleans stay booleans (GraphML/GEXF ``boolean``; ``true``/``false`` in CSV);
* ints and floats stay numbers (floats are written with ``repr`` so they read back exactly);
* for the XML formats (GraphML, GEXF) every string, including node ids, edge keys and the
  strings inside JSON values, loses the characters XML 1.0 cannot hold: C0 controls other
  than tab, line feed and carriage return, U+FFFE, U+FFFF and lone surrogates. A form feed
  in a sentence would otherwise make the whole file unreadable;
* a lone surrogate (a str may hold one, UTF-8 cannot) is written by the text formats as
  UTF-8 allows: JSON files escape it (``\ud800``, which ``json.loads`` reads back as the
  same character; two adjacent halves read back as the one character they pair to), CSV
  cells, which have no escape, hold U+FFFD instead (:data:`REPLACE_SURROGATES`).

Decoding uses the field tables below, so known attributes read back with their Python
types. Unknown attributes pass through as they are; unknown lists/dicts stay JSON strings.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

import networkx as nx

__all__ = [
    "NODE_FIELDS",
    "EDGE_FIELDS",
    "GRAPH_FIELDS",
    "dumps",
    "encode_attrs",
    "decode_attrs",
    "encode_graph",
    "decode_graph",
    "xml_clean",
    "edge_label",
    "ESCAPE_SURROGATES",
    "REPLACE_SURROGATES",
]

# Error handlers for open(..., errors=...) when text files are written: the only characters
# UTF-8 cannot encode are lone surrogates. JSON: the \udXXXX escape (inside a JSON string, the
# only place such a character can be, it reads back as itself). CSV: U+FFFD.
ESCAPE_SURROGATES = "backslashreplace"
REPLACE_SURROGATES = "nlp_relations.replace_surrogates"


def _replace_surrogates(err: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    # Bytes: CPython's UTF-8 encoder takes an ASCII str or bytes from a handler.
    return "\ufffd".encode(err.encoding) * (err.end - err.start), err.end


codecs.register_error(REPLACE_SURROGATES, _replace_surrogates)

# kind of each attribute: str, opt_str (None <-> ""), int, float, bool, json
NODE_FIELDS: dict[str, str] = {
    "name": "str",
    "kind": "str",
    "country": "opt_str",
    "aliases": "json",
    "mentions": "int",
    "events": "json",
}
EDGE_FIELDS: dict[str, str] = {
    "predicate": "str",
    "category": "str",
    "cameo": "str",
    "stance": "str",
    "negated": "bool",
    "modality": "str",
    "count": "int",
    "n_documents": "int",
    "n_sources": "int",
    "sources": "json",
    "documents": "json",
    "first_seen": "opt_str",
    "last_seen": "opt_str",
    "confidence_sum": "float",
    "confidence_mean": "float",
    "confidence_max": "float",
    "methods": "json",
    "evidence": "json",
}
GRAPH_FIELDS: dict[str, str] = {"documents": "json", "duplicates": "json"}

# Characters outside XML 1.0's Char production (tab, LF and CR are allowed).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_clean(value: Any) -> Any:
    r"""``value`` without XML-illegal characters, in every string of nested lists and dicts.

    Example:
        >>> xml_clean({"sentence": "page\x0cbreak"})
        {'sentence': 'pagebreak'}
    """
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    if isinstance(value, (list, tuple)):
        return [xml_clean(v) for v in value]
    if isinstance(value, dict):
        return {xml_clean(k): xml_clean(v) for k, v in value.items()}
    return value


def edge_label(data: dict) -> str:
    """How a reader should take an edge: "condemns", "not exports_to", "warns (future)".

    Parallel edges between two actors differ in exactly these three fields, so the label
    tells them apart (GEXF ``kind``, the label Gephi and Cytoscape draw).
    """
    label = ("not " if data.get("negated") else "") + str(data.get("predicate", ""))
    modality = data.get("modality") or "asserted"
    return label if modality == "asserted" else f"{label} ({modality})"


def dumps(value: Any) -> str:
    """The JSON text of a list or dict attribute."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def encode_attrs(data: dict, fields: dict[str, str], *, xml: bool = False) -> dict:
    """Scalars only: lists/dicts to JSON, None to "" (strings) or left out (numbers).

    With ``xml`` every string (also inside lists and dicts) goes through :func:`xml_clean`.
    """
    out = {}
    for name, value in data.items():
        if xml:
            value = xml_clean(value)
        kind = fields.get(name)
        if kind == "json" or isinstance(value, (list, tuple, dict)):
            out[name] = dumps(value)
        elif value is None:
            if kind not in ("int", "float", "bool"):
                out[name] = ""
        else:
            out[name] = value
    return out


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(f"Cannot read {value!r} as a boolean; expected true or false.")


def decode_attrs(data: dict, fields: dict[str, str]) -> dict:
    """Undo :func:`encode_attrs` for the known ``fields``; other attributes pass through."""
    out = dict(data)
    for name, kind in fields.items():
        if name not in out:
            continue
        value = out[name]
        if kind == "json":
            out[name] = json.loads(value) if isinstance(value, str) else value
        elif kind == "opt_str":
            out[name] = None if value == "" else str(value)
        elif kind == "str":
            out[name] = str(value)
        elif kind == "int":
            out[name] = int(value)
        elif kind == "float":
            out[name] = float(value)
        elif kind == "bool":
            out[name] = _to_bool(value)
    return out


def encode_graph(g: nx.MultiDiGraph, *, xml: bool = False) -> nx.MultiDiGraph:
    """A plain MultiDiGraph copy whose attributes are all scalars; keys are kept.

    With ``xml`` node ids, edge keys and attributes are cleaned with :func:`xml_clean`.
    """
    clean = xml_clean if xml else (lambda value: value)
    h = nx.MultiDiGraph()
    h.graph.update(encode_attrs(g.graph, GRAPH_FIELDS, xml=xml))
    for node, data in g.nodes(data=True):
        h.add_node(clean(node), **encode_attrs(data, NODE_FIELDS, xml=xml))
    for u, v, key, data in g.edges(keys=True, data=True):
        h.add_edge(clean(u), clean(v), key=clean(key), **encode_attrs(data, EDGE_FIELDS, xml=xml))
    return h


def decode_graph(h: nx.Graph, *, drop_graph: tuple[str, ...] = ()):
    """A RelationGraph from a graph read back from an encoded file.

    Edge keys are taken from ``h`` when it is a multigraph, else from the edge ``id``.
    """
    from nlp_relations.graph.build import RelationGraph

    g = RelationGraph()
    g.graph.update(
        decode_attrs({k: v for k, v in h.graph.items() if k not in drop_graph}, GRAPH_FIELDS)
    )
    for node, data in h.nodes(data=True):
        g.add_node(str(node), **decode_attrs(data, NODE_FIELDS))
    if h.is_multigraph():
        edges = h.edges(keys=True, data=True)
    else:
        edges = ((u, v, data.get("id"), data) for u, v, data in h.edges(data=True))
    for u, v, key, data in edges:
        g.add_edge(str(u), str(v), key=key, **decode_attrs(data, EDGE_FIELDS))
    return g
