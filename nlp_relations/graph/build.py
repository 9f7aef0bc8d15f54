"""Turn triples into a relation graph; merge relation graphs; filter their evidence.

The graph is a :class:`networkx.MultiDiGraph` with one node per canonical actor id and
one edge per merge key ``(subject, predicate, object, negated, modality)``. Every edge
keeps the list of its evidence records; all the numbers on an edge (``count``,
``n_documents``, ``first_seen``, ``confidence_mean``, ...) are derived from that list,
so merging two graphs is a union of evidence followed by a recount. That is what makes
:func:`merge` associative and commutative and lets :func:`filter_graph` re-aggregate a
subset. The rules themselves (edge key, duplicate documents, evidence order, aggregates)
are :mod:`nlp_relations.graph.aggregate`'s, which the DuckDB store shares.

This module takes ``Triple`` and ``DocResult`` objects only; it never imports spaCy (a
``Doc`` is converted first with ``nlp_relations.doc_to_result``).

Example:
    >>> g = build_graph(doc_results)          # doctest: +SKIP
    >>> g.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]["count"]  # doctest: +SKIP
    2
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable
from numbers import Real
from typing import Any

import networkx as nx

from nlp_relations.errors import ArgumentError, Errors
from nlp_relations.graph._checks import (
    check_graph,
    check_modalities,
    check_predicates,
    iso_date,
    names_or_none,
    require,
)
from nlp_relations.graph.aggregate import (
    EVENT_KEY,
    LEXICON_FIELDS,
    STATIC_EDGE_FIELDS,
    counted_copy,
    dedup_key,
    edge_key,
    evidence_record,
    evidence_sort_key,
    pick,
    static_fields,
    summarise_evidence,
    triple_edge_key,
)
from nlp_relations.schemas import Actor, DocResult, Triple

__all__ = ["RelationGraph", "build_graph", "merge", "filter_graph", "edge_key"]

_NODE_FIELDS = ("name", "kind", "country")
_ITEMS = "a Triple, a DocResult, or an iterable of them"

_ADDED, _REPLACED, _SKIPPED = "added", "replaced", "skipped"


class RelationGraph(nx.MultiDiGraph):
    """A directed multigraph of actors and the relations asserted between them.

    ``graph.graph["documents"]`` maps each document counted to
    ``{"text_sha1", "doc_date"}``; ``graph.graph["duplicates"]`` holds the documents
    skipped because their text had already been counted under a smaller doc id.
    """

    def __init__(self, incoming_graph_data: Any = None, **attr: Any) -> None:
        super().__init__(incoming_graph_data, **attr)
        self.graph.setdefault("documents", {})
        self.graph.setdefault("duplicates", {})

    def dyad(self, a: str, b: str):
        """Edges in both directions between actors ``a`` and ``b``; see :func:`views.dyad`."""
        from nlp_relations.graph import views

        return views.dyad(self, a, b)

    def timeline(self, subject=None, object=None, predicate=None, freq="D"):  # noqa: A002
        """Assertions per date; see :func:`views.timeline`."""
        from nlp_relations.graph import views

        return views.timeline(self, subject=subject, object=object, predicate=predicate, freq=freq)

    def stance_matrix(self, actors=None, *, include_negated=False):
        """Net stance of each subject towards each object; see :func:`views.stance_matrix`."""
        from nlp_relations.graph import views

        return views.stance_matrix(self, actors, include_negated=include_negated)

    def filter(  # noqa: A003
        self,
        predicates=None,
        start=None,
        end=None,
        min_confidence=None,
        sources=None,
        include_negated=True,
        modalities=None,
    ) -> RelationGraph:
        """A new graph with only the matching evidence; see :func:`filter_graph`."""
        return filter_graph(
            self,
            predicates=predicates,
            start=start,
            end=end,
            min_confidence=min_confidence,
            sources=sources,
            include_negated=include_negated,
            modalities=modalities,
        )

    def edges_frame(self):
        """One row per edge; see :func:`views.edges_frame`."""
        from nlp_relations.graph import views

        return views.edges_frame(self)

    def nodes_frame(self):
        """One row per actor; see :func:`views.nodes_frame`."""
        from nlp_relations.graph import views

        return views.nodes_frame(self)

    def _repr_html_(self) -> str:
        from nlp_relations.graph import views

        return views.summary_html(self)


class _Pending:
    """What a batch of additions touched, recounted once at the end of the batch.

    The evidence of every edge or event the batch touches is held here by dedup key
    (doc id, sentence start, trigger) while the batch runs, and written back to the graph
    sorted once, by :func:`_flush_evidence`: one sort per list, not one sorted insert per
    record.
    """

    def __init__(self) -> None:
        self.edges: set[tuple[str, str, str]] = set()
        self.events: set[str] = set()
        self.nodes: set[str] = set()  # nodes whose aliases/mentions need a full recount
        # id(edge data or event dict) -> (that dict, {dedup key: record})
        self.evidence: dict[int, tuple[dict, dict[tuple, dict]]] = {}


def build_graph(items: Any, *, graph: RelationGraph | None = None) -> RelationGraph:
    """Add triples to a relation graph, streaming over ``items`` once.

    Args:
        items: a ``Triple``, a ``DocResult``, or an iterable mixing them. A spaCy ``Doc`` is
            converted first: ``build_graph(nlp_relations.doc_to_result(doc))``.
        graph: a graph to extend in place; a new one when None.

    Returns:
        The graph (``graph`` itself when given).

    Raises:
        ArgumentError: E053 for an argument or item of the wrong type, E022 for a spaCy Doc.

    A ``DocResult`` whose doc id was counted already is skipped; so is one whose
    ``text_sha1`` was counted under a smaller doc id (a larger doc id that came first
    is replaced, so the result does not depend on input order). Bare triples are
    deduplicated on ``(doc_id, sentence start, trigger)`` within their edge.

    Example:
        >>> g = build_graph([triple_a, triple_b])  # doctest: +SKIP
    """
    if graph is not None:
        check_graph("build_graph", "graph", graph)
    stream = _iter_items(items)
    g = RelationGraph() if graph is None else graph
    g.graph.setdefault("documents", {})
    g.graph.setdefault("duplicates", {})
    pending = _Pending()
    sha_index = {
        rec.get("text_sha1"): doc_id
        for doc_id, rec in g.graph["documents"].items()
        if rec.get("text_sha1")
    }
    for item in stream:
        if isinstance(item, Triple):
            _add_triple(g, item, pending)
        elif isinstance(item, DocResult):
            _add_doc_result(g, item, pending, sha_index)
        else:
            _check_item(item)
    _finalise(g, pending)
    return g


def merge(a: RelationGraph, b: RelationGraph) -> RelationGraph:
    """Merge two relation graphs into a new one; neither input is changed.

    The evidence of both is pooled (an assertion present in both counts once) and
    every aggregate is recounted, so ``merge`` is associative and commutative and
    ``merge(build_graph(x), build_graph(y)) == build_graph(x + y)``. Documents with
    the same ``text_sha1`` under different doc ids keep the smallest doc id.

    Raises:
        ArgumentError: E053 when ``a`` or ``b`` is not a graph.
    """
    check_graph("merge", "a", a)
    check_graph("merge", "b", b)
    g = RelationGraph()
    pending = _Pending()
    for source in (a, b):
        _absorb(g, source, pending)
    documents: dict[str, dict] = {}
    duplicates: dict[str, dict] = {}
    for source in (a, b):
        _union_records(documents, source.graph.get("documents", {}))
        _union_records(duplicates, source.graph.get("duplicates", {}))
    by_sha: dict[str, list[str]] = {}
    for doc_id, rec in documents.items():
        if rec.get("text_sha1"):
            by_sha.setdefault(rec["text_sha1"], []).append(doc_id)
    for doc_ids in by_sha.values():
        counted = counted_copy(doc_ids)
        for doc_id in sorted(doc_ids):
            if doc_id != counted:
                _union_records(duplicates, {doc_id: documents.pop(doc_id)})
                _drop_document(g, doc_id, pending)
    for key in set(a.graph) | set(b.graph):
        if key in ("documents", "duplicates"):
            continue
        values = [s.graph[key] for s in (a, b) if key in s.graph]
        g.graph[key] = min(values, key=repr)
    g.graph["documents"] = documents
    g.graph["duplicates"] = duplicates
    _finalise(g, pending)
    return g


def filter_graph(
    g: RelationGraph,
    predicates: Iterable[str] | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    min_confidence: float | None = None,
    sources: Iterable[str] | None = None,
    include_negated: bool = True,
    modalities: Iterable[str] | None = None,
) -> RelationGraph:
    """A new graph holding only the evidence that matches every given condition.

    Aggregates are recounted from the kept evidence; edges, events and actors left
    without evidence are dropped. ``start``/``end`` are inclusive and compared on the
    ISO date prefix, so ``end="2024-03"`` keeps all of March; evidence without a date
    is dropped when either is given. ``sources`` keeps evidence whose source actor id is
    listed (evidence without a source is dropped).

    Raises:
        ArgumentError: E020 for an unknown predicate, E024 for an unknown modality, E053
            for an argument of the wrong type.
    """
    check_graph("filter_graph", "g", g)
    predicates = names_or_none("filter_graph", "predicates", predicates, "a predicate",
                               "predicates")
    preds = None if predicates is None else set(check_predicates(predicates))
    modalities = names_or_none("filter_graph", "modalities", modalities, "a modality",
                               "modalities")
    mods = None if modalities is None else check_modalities(modalities)
    sources = names_or_none("filter_graph", "sources", sources, "an actor id", "actor ids")
    srcs = None if sources is None else set(sources)
    require(min_confidence is None or isinstance(min_confidence, Real)
            and not isinstance(min_confidence, bool), "filter_graph", "min_confidence",
            min_confidence, "a number or None")
    require(isinstance(include_negated, bool), "filter_graph", "include_negated",
            include_negated, "True or False")
    start_s = iso_date("filter_graph", "start", start)
    end_s = iso_date("filter_graph", "end", end)

    def keep(static: dict, record: dict) -> bool:
        if preds is not None and static["predicate"] not in preds:
            return False
        if not include_negated and static["negated"]:
            return False
        if mods is not None and static["modality"] not in mods:
            return False
        if min_confidence is not None and record["confidence"] < min_confidence:
            return False
        if srcs is not None and record.get("source") not in srcs:
            return False
        if start_s is not None or end_s is not None:
            date = record.get("doc_date")
            if not date:
                return False
            if start_s is not None and date[: len(start_s)] < start_s:
                return False
            if end_s is not None and date[: len(end_s)] > end_s:
                return False
        return True

    out = RelationGraph()
    pending = _Pending()
    _absorb(out, g, pending, keep=keep)
    _finalise(out, pending)
    for key, value in g.graph.items():
        out.graph[key] = _copy(value)
    return out


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


# -- input -----------------------------------------------------------------------------


def _is_spacy_doc(item: Any) -> bool:
    # Told by its shape, without importing spaCy: a text and the ``._`` extension space.
    return hasattr(item, "_") and hasattr(item, "text") and not isinstance(item, str)


def _check_item(item: Any) -> None:
    """Raise the error for an item that is neither a Triple nor a DocResult."""
    if _is_spacy_doc(item):
        raise ArgumentError("E022", Errors.E022)
    require(False, "build_graph", "items", item, _ITEMS)


def _iter_items(items: Any):
    """The items to add; checked before any is added (a Doc is iterable, over tokens)."""
    if isinstance(items, (Triple, DocResult)):
        return iter((items,))
    if _is_spacy_doc(items):
        _check_item(items)
    require(isinstance(items, Iterable) and not isinstance(items, (str, bytes, bytearray)),
            "build_graph", "items", items, _ITEMS)
    return iter(items)


def _add_doc_result(
    g: RelationGraph, doc: DocResult, pending: _Pending, sha_index: dict[str, str]
) -> None:
    documents = g.graph["documents"]
    if doc.doc_id in documents:
        return
    record = {"text_sha1": doc.text_sha1, "doc_date": doc.doc_date}
    sha = doc.text_sha1
    if sha:
        holder = sha_index.get(sha)
        if holder is not None:
            if counted_copy((holder, doc.doc_id)) == holder:
                _union_records(g.graph["duplicates"], {doc.doc_id: record})
                return
            # The newcomer has the smaller id: it takes the text's place, as merge() would.
            _union_records(g.graph["duplicates"], {holder: documents.pop(holder)})
            _drop_document(g, holder, pending)
        sha_index[sha] = doc.doc_id
    documents[doc.doc_id] = record
    for triple in doc.triples:
        if triple.evidence.doc_id != doc.doc_id:
            raise ArgumentError("E027", Errors.E027.format(
                evidence=triple.evidence.doc_id, doc_id=doc.doc_id))
        _add_triple(g, triple, pending, default_date=doc.doc_date)


def _add_triple(
    g: RelationGraph, t: Triple, pending: _Pending, *, default_date: str | None = None
) -> None:
    subject = t.subject.actor
    static = static_fields(t)
    record = evidence_record(t, default_date=default_date)
    _ensure_node(g, subject.id, _actor_attrs(subject))
    if t.object is None:
        _add_event_evidence(g, subject.id, static, record, pending)
        return
    obj = t.object.actor
    _ensure_node(g, obj.id, _actor_attrs(obj))
    _add_edge_evidence(g, subject.id, obj.id, triple_edge_key(t), static, record, pending)


def _actor_attrs(actor: Actor) -> dict:
    return {"name": actor.name, "kind": actor.kind, "country": actor.country}


# -- the core: nodes, edges, events, evidence -------------------------------------------


def _ensure_node(g: RelationGraph, node: str, attrs: dict) -> None:
    if node not in g:
        g.add_node(
            node, **{f: attrs.get(f) for f in _NODE_FIELDS}, aliases=[], mentions=0, events=[]
        )
        return
    data = g.nodes[node]
    for field in _NODE_FIELDS:
        data[field] = pick(data.get(field), attrs.get(field))
    data.setdefault("aliases", [])
    data.setdefault("mentions", 0)
    data.setdefault("events", [])


def _insert_evidence(holder: dict, record: dict, pending: _Pending) -> str:
    """Add ``record`` to ``holder["evidence"]`` (an edge's or event's), one record per dedup
    key: of two records with one key the smaller (by :func:`evidence_sort_key`) wins.

    The record is kept in ``pending`` until :func:`_flush_evidence` sorts the list.
    """
    entry = pending.evidence.get(id(holder))
    if entry is None:
        entry = pending.evidence[id(holder)] = (
            holder, {dedup_key(r): r for r in holder["evidence"]})
    records = entry[1]
    key = dedup_key(record)
    found = records.get(key)
    if found is None:
        records[key] = record
        return _ADDED
    if evidence_sort_key(record) < evidence_sort_key(found):
        records[key] = record
        return _REPLACED
    return _SKIPPED


def _flush_evidence(pending: _Pending) -> None:
    """Write the evidence held in ``pending`` back to the graph, each list sorted once."""
    for holder, records in pending.evidence.values():
        holder["evidence"] = sorted(records.values(), key=evidence_sort_key)
    pending.evidence.clear()


def _note_mention(g: RelationGraph, node: str, text: str | None) -> None:
    data = g.nodes[node]
    data["mentions"] = data.get("mentions", 0) + 1
    if text:
        aliases = data["aliases"]
        i = bisect_left(aliases, text)
        if i == len(aliases) or aliases[i] != text:
            aliases.insert(i, text)


def _add_edge_evidence(
    g: RelationGraph, u: str, v: str, key: str, static: dict, record: dict, pending: _Pending
) -> None:
    if g.has_edge(u, v, key):
        data = g.edges[u, v, key]
        for field in LEXICON_FIELDS:
            data[field] = pick(data.get(field), static[field])
    else:
        g.add_edge(u, v, key=key, **static, evidence=[])
        data = g.edges[u, v, key]
    status = _insert_evidence(data, record, pending)
    if status == _SKIPPED:
        return
    pending.edges.add((u, v, key))
    if status == _ADDED:
        _note_mention(g, u, record.get("subject_text"))
        _note_mention(g, v, record.get("object_text"))
    else:
        pending.nodes.update((u, v))


def _add_event_evidence(
    g: RelationGraph, node: str, static: dict, record: dict, pending: _Pending
) -> None:
    events = g.nodes[node]["events"]
    wanted = tuple(static[f] for f in EVENT_KEY)
    keys = [tuple(e[f] for f in EVENT_KEY) for e in events]
    i = bisect_left(keys, wanted)
    if i < len(events) and keys[i] == wanted:
        event = events[i]
        for field in LEXICON_FIELDS:
            event[field] = pick(event.get(field), static[field])
    else:
        event = {**static, "evidence": []}
        events.insert(i, event)
    status = _insert_evidence(event, record, pending)
    if status == _SKIPPED:
        return
    pending.events.add(node)
    if status == _ADDED:
        _note_mention(g, node, record.get("subject_text"))
    else:
        pending.nodes.add(node)


def _absorb(g: RelationGraph, other: RelationGraph, pending: _Pending, keep=None) -> None:
    """Add the evidence of ``other`` to ``g``; ``keep(static, record)`` selects records.

    With ``keep`` None every node is copied (isolated ones too); otherwise only the
    nodes that keep some evidence.
    """
    for node, data in other.nodes(data=True):
        if keep is None:
            _ensure_node(g, node, data)
        for event in data.get("events", []):
            static = {f: event[f] for f in STATIC_EDGE_FIELDS}
            for record in event["evidence"]:
                if keep is None or keep(static, record):
                    _ensure_node(g, node, data)
                    _add_event_evidence(g, node, static, dict(record), pending)
    for u, v, key, data in other.edges(keys=True, data=True):
        static = {f: data[f] for f in STATIC_EDGE_FIELDS}
        for record in data["evidence"]:
            if keep is None or keep(static, record):
                _ensure_node(g, u, other.nodes[u])
                _ensure_node(g, v, other.nodes[v])
                _add_edge_evidence(g, u, v, key, static, dict(record), pending)


def _drop_document(g: RelationGraph, doc_id: str, pending: _Pending) -> None:
    """Remove every evidence record of ``doc_id`` (a duplicate text); recounted later."""
    _flush_evidence(pending)
    for u, v, key, data in g.edges(keys=True, data=True):
        kept = [r for r in data["evidence"] if r["doc_id"] != doc_id]
        if len(kept) != len(data["evidence"]):
            data["evidence"] = kept
            pending.edges.add((u, v, key))
            pending.nodes.update((u, v))
    for node, data in g.nodes(data=True):
        for event in data.get("events", []):
            kept = [r for r in event["evidence"] if r["doc_id"] != doc_id]
            if len(kept) != len(event["evidence"]):
                event["evidence"] = kept
                pending.events.add(node)
                pending.nodes.add(node)


def _union_records(target: dict[str, dict], records: dict[str, dict]) -> None:
    """Add document records; a doc id recorded twice keeps the smallest record."""
    for doc_id, rec in records.items():
        rec = dict(rec)
        if doc_id in target and target[doc_id] != rec:
            rec = min(target[doc_id], rec, key=lambda r: sorted((k, str(v)) for k, v in r.items()))
        target[doc_id] = rec


# -- recounting ------------------------------------------------------------------------


def _recount_node(g: RelationGraph, node: str) -> None:
    aliases: set[str] = set()
    mentions = 0
    for _, _, data in g.out_edges(node, data=True):
        mentions += len(data["evidence"])
        aliases.update(r["subject_text"] for r in data["evidence"] if r.get("subject_text"))
    for _, _, data in g.in_edges(node, data=True):
        mentions += len(data["evidence"])
        aliases.update(r["object_text"] for r in data["evidence"] if r.get("object_text"))
    for event in g.nodes[node].get("events", []):
        mentions += len(event["evidence"])
        aliases.update(r["subject_text"] for r in event["evidence"] if r.get("subject_text"))
    g.nodes[node]["aliases"] = sorted(aliases)
    g.nodes[node]["mentions"] = mentions


def _finalise(g: RelationGraph, pending: _Pending) -> None:
    _flush_evidence(pending)
    for u, v, key in pending.edges:
        if not g.has_edge(u, v, key):
            continue
        data = g.edges[u, v, key]
        if not data["evidence"]:
            g.remove_edge(u, v, key)
            continue
        data.update(summarise_evidence(data["evidence"]))
    for node in pending.events:
        if node not in g:
            continue
        events = [e for e in g.nodes[node]["events"] if e["evidence"]]
        for event in events:
            event.update(summarise_evidence(event["evidence"]))
        g.nodes[node]["events"] = events
    for node in pending.nodes:
        if node not in g:
            continue
        _recount_node(g, node)
        if g.degree(node) == 0 and not g.nodes[node]["events"]:
            g.remove_node(node)
