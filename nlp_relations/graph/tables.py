"""Read and write relation graphs as CSV tables for Neo4j and pandas.

``write_csv(g, folder)`` writes three files:

* ``nodes.csv`` -- ``:ID`` (actor id), ``name``, ``kind``, ``country``, ``aliases``,
  ``mentions:int``, ``events``, ``:LABEL`` (``Actor;State``, ``Actor;IGO``, ...);
* ``edges.csv`` -- ``:START_ID``, ``:END_ID``, ``:TYPE`` (the predicate in upper case,
  ``CONDEMNS``), ``key``, then the edge attributes, typed in the header where they are
  not strings (``count:int``, ``negated:boolean``, ``confidence_mean:double``, ...);
* ``graph.json`` -- the graph-level attributes (``documents``, ``duplicates``).

Cells follow the GraphML encoding (see :mod:`nlp_relations.graph.graphml`): lists and
dicts are JSON strings, ``None`` is an empty cell, booleans ``true``/``false``, floats
``repr``. A lone surrogate (which UTF-8 cannot hold) becomes U+FFFD in a CSV cell, and a
JSON escape (``\ud800``, read back as itself) in ``graph.json``. The files load with::

    neo4j-admin database import full --nodes=nodes.csv --relationships=edges.csv \\
        --multiline-fields=true

(``--multiline-fields`` because evidence sentences may hold line breaks) and with
``pandas.read_csv``. :func:`read_csv` reads the folder back into the same graph.

The three files are written to temporary names first and renamed together at the end,
so a failed or interrupted write leaves the previous files in place.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

from nlp_relations.errors import Errors, MissingFileError
from nlp_relations.graph._atomic import atomic_path
from nlp_relations.graph._checks import check_graph, check_path
from nlp_relations.graph._encoding import (
    EDGE_FIELDS,
    ESCAPE_SURROGATES,
    REPLACE_SURROGATES,
    GRAPH_FIELDS,
    NODE_FIELDS,
    decode_attrs,
    dumps,
    encode_attrs,
)
from nlp_relations.graph.build import RelationGraph

__all__ = ["write_csv", "read_csv", "NODES_FILE", "EDGES_FILE", "GRAPH_FILE"]

NODES_FILE = "nodes.csv"
EDGES_FILE = "edges.csv"
GRAPH_FILE = "graph.json"

_NEO4J_TYPES = {"int": "int", "float": "double", "bool": "boolean"}
_KIND_LABELS = {
    "state": "State",
    "igo": "IGO",
    "gov_body": "GovBody",
    "media": "Media",
    "person": "Person",
    "group": "Group",
}


def _header(name: str, kind: str | None) -> str:
    suffix = _NEO4J_TYPES.get(kind or "")
    return f"{name}:{suffix}" if suffix else name


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _columns(items, fields: dict[str, str]) -> list[str]:
    extra = sorted({k for data in items for k in data} - set(fields))
    return [*fields, *extra]


def write_csv(g: RelationGraph, folder: str | os.PathLike) -> Path:
    """Write ``nodes.csv``, ``edges.csv`` and ``graph.json`` into ``folder`` (created).

    Returns:
        The folder path.

    Raises:
        ArgumentError: E053 when ``g`` is not a graph or ``folder`` not a path.
    """
    check_graph("write_csv", "g", g)
    folder = check_path("write_csv", "folder", folder)
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        # All three are renamed into place only after all three are complete.
        paths = {name: stack.enter_context(atomic_path(folder / name))
                 for name in (NODES_FILE, EDGES_FILE, GRAPH_FILE)}
        _write_tables(g, paths)
    return folder


def _write_tables(g: RelationGraph, paths: dict[str, Path]) -> None:
    node_items = [(n, encode_attrs(d, NODE_FIELDS)) for n, d in sorted(g.nodes(data=True))]
    node_cols = _columns((d for _, d in node_items), NODE_FIELDS)
    with open(paths[NODES_FILE], "w", encoding="utf-8", newline="",
              errors=REPLACE_SURROGATES) as f:
        writer = csv.writer(f)
        writer.writerow([":ID", *(_header(c, NODE_FIELDS.get(c)) for c in node_cols), ":LABEL"])
        for node, data in node_items:
            label = (
                "Actor;" + _KIND_LABELS[data["kind"]]
                if data.get("kind") in _KIND_LABELS
                else "Actor"
            )
            writer.writerow([node, *(_cell(data.get(c)) for c in node_cols), label])
    edge_items = sorted(
        ((u, v, k, encode_attrs(d, EDGE_FIELDS)) for u, v, k, d in g.edges(keys=True, data=True)),
        key=lambda e: e[2],
    )
    edge_cols = _columns((d for *_, d in edge_items), EDGE_FIELDS)
    with open(paths[EDGES_FILE], "w", encoding="utf-8", newline="",
              errors=REPLACE_SURROGATES) as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                ":START_ID",
                ":END_ID",
                ":TYPE",
                "key",
                *(_header(c, EDGE_FIELDS.get(c)) for c in edge_cols),
            ]
        )
        for u, v, key, data in edge_items:
            rel_type = str(data.get("predicate", "RELATED")).upper()
            writer.writerow([u, v, rel_type, key, *(_cell(data.get(c)) for c in edge_cols)])
    with open(paths[GRAPH_FILE], "w", encoding="utf-8", errors=ESCAPE_SURROGATES) as f:
        f.write(dumps(g.graph))


@contextmanager
def _no_field_limit():
    """Lift the csv module's field size limit (128 KiB) while reading our own tables: an
    edge's evidence column grows with its assertions and passes it from ~100k triples up.
    The limit is process-wide, so the old one is put back afterwards."""
    old = csv.field_size_limit()
    limit = sys.maxsize
    while True:
        try:  # the C long behind the limit is 32 bits on some platforms
            csv.field_size_limit(limit)
            break
        except OverflowError:
            limit //= 2
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _read_rows(path: Path, fields: dict[str, str]):
    with open(path, encoding="utf-8", newline="") as f, _no_field_limit():
        for row in csv.DictReader(f):
            data = {}
            for header, cell in row.items():
                name, _, typ = (
                    header.partition(":") if not header.startswith(":") else (header, "", "")
                )
                if cell == "" and (typ or fields.get(name) in ("int", "float", "bool")):
                    continue  # None numbers are left out
                if typ and name not in fields:
                    # An extra typed column: read it by its Neo4j type.
                    kind = {v: k for k, v in _NEO4J_TYPES.items()}.get(typ)
                    data[name] = decode_attrs({name: cell}, {name: kind})[name] if kind else cell
                else:
                    data[name] = cell
            yield data


def read_csv(folder: str | os.PathLike) -> RelationGraph:
    """Read a folder written by :func:`write_csv` back into a RelationGraph.

    Raises:
        ArgumentError: E053 when ``folder`` is not a path; MissingFileError: E026 when there
            is no nodes.csv or edges.csv in it (or no folder).
    """
    folder = check_path("read_csv", "folder", folder)
    for name in (NODES_FILE, EDGES_FILE):
        if not (folder / name).is_file():
            raise MissingFileError("E026", Errors.E026.format(name=name, folder=str(folder)))
    g = RelationGraph()
    graph_path = folder / GRAPH_FILE
    if graph_path.is_file():
        with open(graph_path, encoding="utf-8") as f:
            g.graph.update(decode_attrs(json.load(f), GRAPH_FIELDS))
    for data in _read_rows(folder / NODES_FILE, NODE_FIELDS):
        node = data.pop(":ID")
        data.pop(":LABEL", None)
        g.add_node(node, **decode_attrs(data, NODE_FIELDS))
    for data in _read_rows(folder / EDGES_FILE, EDGE_FIELDS):
        u, v, key = data.pop(":START_ID"), data.pop(":END_ID"), data.pop("key")
        data.pop(":TYPE", None)
        g.add_edge(u, v, key=key, **decode_attrs(data, EDGE_FIELDS))
    return g
