"""Write a relation graph as ``neo4j-admin database import`` files.

``write_neo4j(g, folder)`` writes a folder of CSV files with Neo4j import headers:

* ``actors.csv`` -- ``id:ID(Actor)``, ``name``, ``kind``, ``country``, ``aliases:string[]``,
  ``mentions:int``, ``:LABEL`` (``Actor;State``, ``Actor;IGO``, ...). Speakers and outlets
  that are never a subject or object get a row too (their name is their id);
* ``documents.csv`` -- ``id:ID(Document)``, ``text_sha1``, ``date``, ``counted:boolean``
  (false for a document skipped as a repeat of a counted text), ``:LABEL``;
* ``relations.csv`` -- the aggregated typed edges between actors: ``:START_ID(Actor)``,
  ``:END_ID(Actor)``, ``:TYPE`` (the predicate in upper case, ``CONDEMNS``), ``key``,
  ``negated:boolean``, ``modality``, ``count:int``, ``first_seen``, ``confidence_mean:double``,
  ...;
* ``assertions.csv`` -- one node per assertion (an edge's evidence record: one document,
  sentence and trigger), GDELT's split between events and their mentions:
  ``id:ID(Assertion)``, ``edge_key``, ``predicate``, ``negated:boolean``, ``modality``,
  ``confidence:double``, ``sentence``, ``trigger``, ``date``, ...;
* ``assertion_actors.csv`` -- ``(Assertion)-[:SUBJECT|OBJECT|SPEAKER|SOURCE]->(Actor)``;
* ``assertion_documents.csv`` -- ``(Assertion)-[:IN_DOCUMENT]->(Document)``;
* ``import.txt`` -- the import command for these files.

Triples without an object (``PRK threatens``) are assertions with a subject and no object.
Arrays are joined with ``;`` (neo4j-admin's default array delimiter; a ``;`` inside an item
becomes ``,``); empty cells are absent properties; a lone surrogate (UTF-8 cannot hold one)
becomes U+FFFD. All files are written to temporary names
and renamed together at the end. Import with::

    neo4j-admin database import full neo4j --overwrite-destination \\
        --nodes=actors.csv --nodes=documents.csv --nodes=assertions.csv \\
        --relationships=relations.csv --relationships=assertion_actors.csv \\
        --relationships=assertion_documents.csv --multiline-fields=true

Example:
    >>> write_neo4j(build_graph(results), "graph_neo4j")   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from nlp_relations.graph._atomic import atomic_path
from nlp_relations.graph._checks import check_graph, check_path
from nlp_relations.graph._encoding import REPLACE_SURROGATES
from nlp_relations.graph.aggregate import edge_key
from nlp_relations.graph.build import RelationGraph

__all__ = ["FILES", "IMPORT_COMMAND", "assertion_id", "write_neo4j"]

FILES = ("actors.csv", "documents.csv", "relations.csv", "assertions.csv",
         "assertion_actors.csv", "assertion_documents.csv", "import.txt")
IMPORT_COMMAND = (
    "neo4j-admin database import full neo4j --overwrite-destination "
    "--nodes=actors.csv --nodes=documents.csv --nodes=assertions.csv "
    "--relationships=relations.csv --relationships=assertion_actors.csv "
    "--relationships=assertion_documents.csv --multiline-fields=true"
)
_KIND_LABELS = {"state": "State", "igo": "IGO", "gov_body": "GovBody", "media": "Media",
                "person": "Person", "group": "Group"}
_ACTOR_HEADER = ["id:ID(Actor)", "name", "kind", "country", "aliases:string[]", "mentions:int",
                 ":LABEL"]
_DOCUMENT_HEADER = ["id:ID(Document)", "text_sha1", "date", "counted:boolean", ":LABEL"]
_RELATION_HEADER = [
    ":START_ID(Actor)", ":END_ID(Actor)", ":TYPE", "key", "predicate", "category", "cameo",
    "stance", "negated:boolean", "modality", "count:int", "n_documents:int", "n_sources:int",
    "sources:string[]", "first_seen", "last_seen", "confidence_mean:double",
    "confidence_max:double", "methods:string[]",
]
_ASSERTION_HEADER = [
    "id:ID(Assertion)", "edge_key", "predicate", "category", "cameo", "stance",
    "negated:boolean", "modality", "confidence:double", "method", "doc_id", "sentence",
    "start_char:int", "end_char:int", "trigger", "date", "subject", "object", "subject_text",
    "object_text", "subject_agent", "object_agent", "speaker", "source", ":LABEL",
]
_LINK_HEADER = [":START_ID(Assertion)", ":END_ID(Actor)", ":TYPE"]
_DOC_LINK_HEADER = [":START_ID(Assertion)", ":END_ID(Document)", ":TYPE"]


def assertion_id(key: str, record: dict) -> str:
    """The id of one evidence record of edge ``key``: unique, as the graph keeps one record
    per (document, sentence start, trigger) on each edge.

    Example:
        >>> assertion_id("NATO|condemns|PRK|asserted",
        ...              {"doc_id": "d1", "start_char": 0, "trigger": "condemned"})
        'NATO|condemns|PRK|asserted@d1:0:condemned'
    """
    return f"{key}@{record['doc_id']}:{record['start_char']}:{record['trigger']}"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return ";".join(str(v).replace(";", ",") for v in value)
    return str(value)


def _assertions(g: RelationGraph) -> Iterator[tuple[str, str | None, dict, dict]]:
    """(key, subject, object or None, static fields, record) of every evidence record."""
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[2]):
        for record in data["evidence"]:
            yield key, u, v, data, record
    for node, data in sorted(g.nodes(data=True)):
        for event in data.get("events", []):
            key = edge_key(node, event["predicate"], "", event["negated"], event["modality"])
            for record in event["evidence"]:
                yield key, node, None, event, record


def write_neo4j(g: RelationGraph, folder: str | os.PathLike) -> Path:
    """Write the Neo4j import files of ``g`` into ``folder`` (created); see the module doc.

    Returns:
        The folder path.

    Raises:
        ArgumentError: E053 when ``g`` is not a graph or ``folder`` not a path.
    """
    check_graph("write_neo4j", "g", g)
    folder = check_path("write_neo4j", "folder", folder)
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        # Every file is renamed into place only after all of them are complete.
        paths = {name: stack.enter_context(atomic_path(folder / name)) for name in FILES}
        writers = {}
        for name in FILES[:-1]:
            handle = stack.enter_context(open(paths[name], "w", encoding="utf-8", newline="",
                                              errors=REPLACE_SURROGATES))
            writers[name] = csv.writer(handle)
        _write(g, writers)
        paths["import.txt"].write_text(
            f"# Run in this folder (Neo4j 5; the database must be stopped):\n{IMPORT_COMMAND}\n",
            encoding="utf-8")
    return folder


def _write(g: RelationGraph, w: dict) -> None:
    for name, header in (("actors.csv", _ACTOR_HEADER), ("documents.csv", _DOCUMENT_HEADER),
                         ("relations.csv", _RELATION_HEADER),
                         ("assertions.csv", _ASSERTION_HEADER),
                         ("assertion_actors.csv", _LINK_HEADER),
                         ("assertion_documents.csv", _DOC_LINK_HEADER)):
        w[name].writerow(header)
    documents = {doc_id: (rec, True) for doc_id, rec in g.graph.get("documents", {}).items()}
    for doc_id, rec in g.graph.get("duplicates", {}).items():
        documents.setdefault(doc_id, (rec, False))
    others: set[str] = set()  # speakers and outlets that are not nodes
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[2]):
        w["relations.csv"].writerow([_cell(x) for x in (
            u, v, str(data["predicate"]).upper(), key, data["predicate"], data.get("category"),
            data.get("cameo"), data.get("stance"), bool(data["negated"]), data["modality"],
            data.get("count"), data.get("n_documents"), data.get("n_sources"),
            data.get("sources"), data.get("first_seen"), data.get("last_seen"),
            data.get("confidence_mean"), data.get("confidence_max"), data.get("methods"))])
    for key, subject, obj, static, r in _assertions(g):
        aid = assertion_id(key, r)
        w["assertions.csv"].writerow([_cell(x) for x in (
            aid, key, static["predicate"], static.get("category"), static.get("cameo"),
            static.get("stance"), bool(static["negated"]), static["modality"], r["confidence"],
            r.get("method"), r["doc_id"], r["sentence"], r["start_char"], r["end_char"],
            r["trigger"], r.get("doc_date"), subject, obj, r.get("subject_text"),
            r.get("object_text"), r.get("subject_agent"), r.get("object_agent"),
            r.get("speaker"), r.get("source"), "Assertion")])
        links = [("SUBJECT", subject), ("OBJECT", obj), ("SPEAKER", r.get("speaker")),
                 ("SOURCE", r.get("source"))]
        for rel_type, actor in links:
            if actor:
                w["assertion_actors.csv"].writerow([aid, actor, rel_type])
                if actor not in g:
                    others.add(actor)
        w["assertion_documents.csv"].writerow([aid, r["doc_id"], "IN_DOCUMENT"])
        # Triples added without their DocResult still need their document node.
        documents.setdefault(r["doc_id"], ({"doc_date": r.get("doc_date")}, True))
    for node, data in sorted(g.nodes(data=True)):
        kind = data.get("kind")
        label = f"Actor;{_KIND_LABELS[kind]}" if kind in _KIND_LABELS else "Actor"
        w["actors.csv"].writerow([_cell(x) for x in (
            node, data.get("name"), kind, data.get("country"), data.get("aliases") or [],
            data.get("mentions", 0), label)])
    for actor in sorted(others):
        w["actors.csv"].writerow([actor, actor, "", "", "", 0, "Actor"])
    for doc_id, (rec, counted) in sorted(documents.items()):
        w["documents.csv"].writerow([_cell(x) for x in (
            doc_id, rec.get("text_sha1"), rec.get("doc_date"), counted, "Document")])
