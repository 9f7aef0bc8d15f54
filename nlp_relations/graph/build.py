"""Turn triples into a relation graph, and merge relation graphs.

The graph is a :class:`networkx.MultiDiGraph` with one node per canonical actor id and
one edge per merge key ``(subject, predicate, object, negated, modality)``. Every edge
keeps the list of its evidence records; all the numbers on an edge (``count``,
``n_documents``, ``first_seen``, ``confidence_mean``, ...) are derived from that list,
so merging two graphs is a union of evidence followed by a recount. That is what makes
:func:`merge` associative and commutative and lets :meth:`RelationGraph.filter`
re-aggregate a subset.

Example:
    >>> g = build_graph(doc_results)          # doctest: +SKIP
    >>> g.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]["count"]  # doctest: +SKIP
    2
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

import networkx as nx

from nlp_relations.schemas import Actor, DocResult, Mention, Triple

__all__ = ["RelationGraph", "build_graph", "merge", "edge_key"]

# Edge attributes fixed by the predicate; the rest are recounted from the evidence.
STATIC_EDGE_FIELDS = ("predicate", "category", "cameo", "stance", "negated", "modality")
# Fields that may differ between two triples of the same key (a lexicon change): the
# smallest value wins so that the result does not depend on input order.
_LEXICON_FIELDS = ("category", "cameo", "stance")
_NODE_FIELDS = ("name", "kind", "country")
_EVENT_KEY = ("predicate", "negated", "modality")

_ADDED, _REPLACED, _SKIPPED = "added", "replaced", "skipped"


def edge_key(subject: str, predicate: str, obj: str, negated: bool, modality: str) -> str:
    """The edge key, unique across the whole graph (Gephi rejects repeated edge ids).

    Example:
        >>> edge_key("PRK", "denounces", "NATO", True, "asserted")
        'PRK|denounces|NATO|asserted|neg'
    """
    key = f"{subject}|{predicate}|{obj}|{modality}"
    return f"{key}|neg" if negated else key


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
        """A new graph with only the matching evidence; see :func:`views.filter_graph`."""
        from nlp_relations.graph import views

        return views.filter_graph(
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
        items: a ``Triple``, a ``DocResult``, a spaCy ``Doc``, or an iterable mixing them.
        graph: a graph to extend in place; a new one when None.

    Returns:
        The graph (``graph`` itself when given).

    A ``DocResult`` whose doc id was counted already is skipped; so is one whose
    ``text_sha1`` was counted under a smaller doc id (a larger doc id that came first
    is replaced, so the result does not depend on input order). Bare triples are
    deduplicated on ``(doc_id, sentence start, trigger)`` within their edge.

    Example:
        >>> g = build_graph([triple_a, triple_b])  # doctest: +SKIP
    """
    g = RelationGraph() if graph is None else graph
    g.graph.setdefault("documents", {})
    g.graph.setdefault("duplicates", {})
    pending = _Pending()
    sha_index = {
        rec.get("text_sha1"): doc_id
        for doc_id, rec in g.graph["documents"].items()
        if rec.get("text_sha1")
    }
    for item in _iter_items(items):
        if isinstance(item, Triple):
            _add_triple(g, item, pending)
        elif isinstance(item, DocResult):
            _add_doc_result(g, item, pending, sha_index)
        elif _is_spacy_doc(item):
            from nlp_relations.api import doc_to_result

            _add_doc_result(g, doc_to_result(item), pending, sha_index)
        else:
            raise TypeError(
                f"Cannot add an item of type {type(item).__name__} to a relation graph; "
                "expected a Triple, a DocResult, a spaCy Doc, or an iterable of them."
            )
    _finalise(g, pending)
    return g


def merge(a: RelationGraph, b: RelationGraph) -> RelationGraph:
    """Merge two relation graphs into a new one; neither input is changed.

    The evidence of both is pooled (an assertion present in both counts once) and
    every aggregate is recounted, so ``merge`` is associative and commutative and
    ``merge(build_graph(x), build_graph(y)) == build_graph(x + y)``. Documents with
    the same ``text_sha1`` under different doc ids keep the smallest doc id.
    """
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
        for doc_id in sorted(doc_ids)[1:]:
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


# -- input -----------------------------------------------------------------------------


def _is_spacy_doc(item: Any) -> bool:
    return hasattr(item, "_") and hasattr(item, "text") and not isinstance(item, str)


def _iter_items(items: Any):
    # A Doc is iterable (over tokens), so single objects are recognised before iterating.
    if isinstance(items, (Triple, DocResult)) or _is_spacy_doc(items):
        yield items
        return
    if not isinstance(items, Iterable) or isinstance(items, (str, bytes)):
        raise TypeError(
            f"build_graph() got {type(items).__name__}; expected a Triple, a DocResult, "
            "a spaCy Doc, or an iterable of them."
        )
    yield from items


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
            if holder < doc.doc_id:
                _union_records(g.graph["duplicates"], {doc.doc_id: record})
                return
            # The newcomer has the smaller id: it takes the text's place, as merge() would.
            _union_records(g.graph["duplicates"], {holder: documents.pop(holder)})
            _drop_document(g, holder, pending)
        sha_index[sha] = doc.doc_id
    documents[doc.doc_id] = record
    for triple in doc.triples:
        if triple.evidence.doc_id != doc.doc_id:
            raise ValueError(
                f"Triple evidence names document {triple.evidence.doc_id!r} but it is part of "
                f"DocResult {doc.doc_id!r}; the graph counts documents by id, so both must "
                "agree. Build the triples with the DocResult's doc_id."
            )
        _add_triple(g, triple, pending, default_date=doc.doc_date)


def _add_triple(
    g: RelationGraph, t: Triple, pending: _Pending, *, default_date: str | None = None
) -> None:
    subject = t.subject.actor
    static = {
        "predicate": t.predicate.value,
        "category": t.category,
        "cameo": t.cameo,
        "stance": t.stance,
        "negated": t.negated,
        "modality": t.modality,
    }
    ev = t.evidence
    record = {
        "doc_id": ev.doc_id,
        "sentence": ev.sentence,
        "start_char": ev.start_char,
        "end_char": ev.end_char,
        "trigger": ev.trigger,
        "doc_date": ev.doc_date if ev.doc_date is not None else default_date,
        "confidence": float(t.confidence),
        "method": t.method,
        "speaker": _actor_id(t.speaker),
        "source": _actor_id(t.source),
        "subject_text": t.subject.text,
        "subject_agent": t.subject.agent.id if t.subject.agent else None,
        "object_text": t.object.text if t.object else None,
        "object_agent": t.object.agent.id if t.object and t.object.agent else None,
    }
    _ensure_node(g, subject.id, _actor_attrs(subject))
    if t.object is None:
        _add_event_evidence(g, subject.id, static, record, pending)
        return
    obj = t.object.actor
    _ensure_node(g, obj.id, _actor_attrs(obj))
    key = edge_key(subject.id, static["predicate"], obj.id, t.negated, t.modality)
    _add_edge_evidence(g, subject.id, obj.id, key, static, record, pending)


def _actor_id(mention: Mention | None) -> str | None:
    return mention.actor.id if mention is not None else None


def _actor_attrs(actor: Actor) -> dict:
    return {"name": actor.name, "kind": actor.kind, "country": actor.country}


# -- the core: nodes, edges, events, evidence -------------------------------------------


def _pick(old: Any, new: Any) -> Any:
    """The smallest non-empty value, so that conflicts resolve the same in any order."""
    values = [v for v in (old, new) if v not in (None, "")]
    if not values:
        return old if old is not None else new
    return min(values)


def _ensure_node(g: RelationGraph, node: str, attrs: dict) -> None:
    if node not in g:
        g.add_node(
            node, **{f: attrs.get(f) for f in _NODE_FIELDS}, aliases=[], mentions=0, events=[]
        )
        return
    data = g.nodes[node]
    for field in _NODE_FIELDS:
        data[field] = _pick(data.get(field), attrs.get(field))
    data.setdefault("aliases", [])
    data.setdefault("mentions", 0)
    data.setdefault("events", [])


def _evidence_sort_key(rec: dict) -> tuple:
    # The first three fields are the dedup key: one record per (doc, sentence, trigger).
    return (
        rec["doc_id"],
        rec["start_char"],
        rec["trigger"],
        rec["end_char"],
        rec["sentence"],
        rec.get("doc_date") or "",
        rec["confidence"],
        rec.get("method") or "",
        rec.get("speaker") or "",
        rec.get("source") or "",
        rec.get("subject_text") or "",
        rec.get("subject_agent") or "",
        rec.get("object_text") or "",
        rec.get("object_agent") or "",
    )


def _dedup_key(rec: dict) -> tuple:
    return rec["doc_id"], rec["start_char"], rec["trigger"]


def _insert_evidence(holder: dict, record: dict, pending: _Pending) -> str:
    """Add ``record`` to ``holder["evidence"]`` (an edge's or event's), one record per dedup
    key: of two records with one key the smaller (by :func:`_evidence_sort_key`) wins.

    The record is kept in ``pending`` until :func:`_flush_evidence` sorts the list.
    """
    entry = pending.evidence.get(id(holder))
    if entry is None:
        entry = pending.evidence[id(holder)] = (
            holder, {_dedup_key(r): r for r in holder["evidence"]})
    records = entry[1]
    key = _dedup_key(record)
    found = records.get(key)
    if found is None:
        records[key] = record
        return _ADDED
    if _evidence_sort_key(record) < _evidence_sort_key(found):
        records[key] = record
        return _REPLACED
    return _SKIPPED


def _flush_evidence(pending: _Pending) -> None:
    """Write the evidence held in ``pending`` back to the graph, each list sorted once."""
    for holder, records in pending.evidence.values():
        holder["evidence"] = sorted(records.values(), key=_evidence_sort_key)
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
        for field in _LEXICON_FIELDS:
            data[field] = _pick(data.get(field), static[field])
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
    wanted = tuple(static[f] for f in _EVENT_KEY)
    keys = [tuple(e[f] for f in _EVENT_KEY) for e in events]
    i = bisect_left(keys, wanted)
    if i < len(events) and keys[i] == wanted:
        event = events[i]
        for field in _LEXICON_FIELDS:
            event[field] = _pick(event.get(field), static[field])
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


# -- aggregation -----------------------------------------------------------------------


def summarise_evidence(evidence: list[dict]) -> dict:
    """The aggregate attributes of an edge (or event) computed from its evidence."""
    dates = [r["doc_date"] for r in evidence if r.get("doc_date")]
    scores = [r["confidence"] for r in evidence]
    # fsum is exactly rounded, so the sum does not depend on the order of addition.
    total = math.fsum(scores)
    documents = sorted({r["doc_id"] for r in evidence})
    sources = sorted({r["source"] for r in evidence if r.get("source")})
    return {
        "count": len(evidence),
        "n_documents": len(documents),
        "documents": documents,
        "n_sources": len(sources),
        "sources": sources,
        "first_seen": min(dates) if dates else None,
        "last_seen": max(dates) if dates else None,
        "confidence_sum": total,
        "confidence_mean": total / len(scores) if scores else None,
        "confidence_max": max(scores) if scores else None,
        "methods": sorted({r["method"] for r in evidence if r.get("method")}),
    }


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
