"""The aggregation rules, defined once for the in-memory graph and the DuckDB store.

Which assertions make one edge, which copy of a document is counted, which evidence record
is kept and in which order, and how an edge's numbers follow from its evidence are decided
here. :mod:`nlp_relations.graph.build` applies the rules to a networkx graph and
:mod:`nlp_relations.store.duckdb_store` to SQL tables (its window clause is generated from
:data:`EVIDENCE_ORDER` and its duplicate rule is :data:`COUNTED_COPY_SQL`), so the two cannot
drift apart. This module depends on :mod:`nlp_relations.schemas` only.

* **Edge key**: ``subject|predicate|object|modality``, ``|neg`` appended when negated
  (:func:`edge_key`); a triple without an object has an empty object (``PRK|threatens||
  asserted``) and is an event of its subject.
* **Duplicate rule**: a document id is counted once (the first result with it wins); of the
  documents with the same ``text_sha1`` the smallest doc id is counted and the others are
  duplicates (:func:`counted_copy`), so the input order does not matter.
* **Evidence**: one record per :data:`DEDUP_FIELDS` (document, sentence start, trigger) on
  an edge or event; of two records with one dedup key the smaller by :data:`EVIDENCE_ORDER`
  is kept, and evidence lists are sorted by it (:func:`evidence_sort_key`).
* **Lexicon fields** (``category``, ``cameo``, ``stance``) that differ between triples of
  one key keep the smallest non-empty value (:func:`pick`).
* **Aggregates** (``count``, ``n_documents``, ``first_seen``, ``confidence_mean``, ...) are
  computed from the evidence alone (:func:`summarise_evidence`).

Example:
    >>> edge_key("PRK", "denounces", "NATO", True, "asserted")
    'PRK|denounces|NATO|asserted|neg'
    >>> counted_copy(["kcna-2", "kcna-1"])
    'kcna-1'
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from nlp_relations.schemas import Mention, Triple

__all__ = [
    "COUNTED_COPY_SQL",
    "DEDUP_FIELDS",
    "EVENT_KEY",
    "EVIDENCE_ORDER",
    "LEXICON_FIELDS",
    "NULLABLE_EVIDENCE",
    "STATIC_EDGE_FIELDS",
    "counted_copy",
    "dedup_key",
    "edge_key",
    "evidence_record",
    "evidence_sort_key",
    "pick",
    "static_fields",
    "summarise_evidence",
    "triple_edge_key",
]

# Edge attributes fixed by the triple; the rest are recounted from the evidence.
STATIC_EDGE_FIELDS = ("predicate", "category", "cameo", "stance", "negated", "modality")
# Fields that may differ between two triples of the same key (a lexicon change).
LEXICON_FIELDS = ("category", "cameo", "stance")
# What tells a subject's object-less events apart.
EVENT_KEY = ("predicate", "negated", "modality")

# The evidence order: the first three fields are the dedup key.
EVIDENCE_ORDER = (
    "doc_id", "start_char", "trigger", "end_char", "sentence", "doc_date", "confidence",
    "method", "speaker", "source", "subject_text", "subject_agent", "object_text",
    "object_agent",
)
DEDUP_FIELDS = EVIDENCE_ORDER[:3]
# Fields that may be None: they sort as "" (SQL: coalesce(field, '')).
NULLABLE_EVIDENCE = frozenset(EVIDENCE_ORDER[5:]) - {"confidence"}

# The duplicate rule in SQL, over the doc ids of one text: counted_copy's.
COUNTED_COPY_SQL = "min(doc_id)"


def edge_key(subject: str, predicate: str, obj: str, negated: bool, modality: str) -> str:
    """The edge key, unique across the whole graph (Gephi rejects repeated edge ids).

    Example:
        >>> edge_key("NATO", "condemns", "PRK", False, "asserted")
        'NATO|condemns|PRK|asserted'
    """
    key = f"{subject}|{predicate}|{obj}|{modality}"
    return f"{key}|neg" if negated else key


def triple_edge_key(t: Triple) -> str:
    """The edge key of a triple; an object-less triple has an empty object."""
    obj = t.object.actor.id if t.object is not None else ""
    return edge_key(t.subject.actor.id, t.predicate.value, obj, t.negated, t.modality)


def counted_copy(doc_ids: Iterable[str]) -> str:
    """Of documents with the same text, the doc id that is counted: the smallest.

    The others are duplicates, whatever the order they came in.
    """
    return min(doc_ids)


def static_fields(t: Triple) -> dict:
    """The attributes an edge (or event) takes from a triple: :data:`STATIC_EDGE_FIELDS`."""
    return {
        "predicate": t.predicate.value,
        "category": t.category,
        "cameo": t.cameo,
        "stance": t.stance,
        "negated": t.negated,
        "modality": t.modality,
    }


def _actor_id(mention: Mention | None) -> str | None:
    return mention.actor.id if mention is not None else None


def evidence_record(t: Triple, *, default_date: str | None = None) -> dict:
    """The evidence record of a triple; ``default_date`` (its document's) when it has none."""
    ev = t.evidence
    return {
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


def evidence_sort_key(rec: dict) -> tuple:
    """The record's place in :data:`EVIDENCE_ORDER` (None sorts as "")."""
    return tuple(
        (rec.get(f) or "") if f in NULLABLE_EVIDENCE else rec[f] for f in EVIDENCE_ORDER
    )


def dedup_key(rec: dict) -> tuple:
    """One record per (document, sentence start, trigger) on an edge or event."""
    return tuple(rec[f] for f in DEDUP_FIELDS)


def pick(old, new):
    """The smallest non-empty value, so that conflicts resolve the same in any order."""
    values = [v for v in (old, new) if v not in (None, "")]
    if not values:
        return old if old is not None else new
    return min(values)


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
