"""Document-level gold (the usgov-statements format) and its scores.

One JSON object per line::

    {"id": "usgov-001", "date": "2018-04-04", "title": "...", "text": "...",
     "triples": [{"subject": "USA", "predicate": "urges", "object": "HOUTHIS",
                  "negated": false, "modality": "asserted", "required": true,
                  "evidence": "We call on the Houthis to cease further escalation"}]}

Scoring, as the data set's card defines it: recall over the *required* triples; precision
against *all* gold triples (required or optional; a lower bound, since a true triple the
annotator did not list counts as wrong); symmetric predicates unordered; a triple counts once
per document however often it is stated. Precision is also split by the method that produced
each predicted triple (rule, model, both), which is how a user decides what to trust.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..schemas import Modality, Predicate
from .gold import read_records
from .metrics import average_precision, highest_confidence, typed_key

__all__ = [
    "DocScores",
    "GoldDocTriple",
    "GoldDocument",
    "is_document_gold",
    "read_documents",
    "score_documents",
]


class GoldDocTriple(BaseModel):
    """One annotated triple of a document."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(description="Canonical actor id of the subject.")
    predicate: Predicate = Field(description="Predicate from the closed vocabulary.")
    object: str | None = Field(default=None, description="Canonical actor id of the object.")
    negated: bool = Field(default=False, description="Explicitly negated.")
    modality: Modality = Field(default="asserted",
                               description="asserted, future, hypothetical or alleged.")
    required: bool = Field(default=True, description="False: acceptable but not essential.")
    evidence: str | None = Field(default=None, description="A verbatim span of the text.")


class GoldDocument(BaseModel):
    """One annotated document."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="Document id.")
    text: str = Field(description="The document text.")
    title: str | None = Field(default=None, description="Headline or title, if any.")
    date: str | None = Field(default=None, description="ISO date, if known.")
    triples: list[GoldDocTriple] = Field(default_factory=list, description="Gold triples.")


def is_document_gold(path: str | Path) -> bool:
    """Whether a gold JSONL file is in the document format (its triples carry ``required``)."""
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                return any("required" in t for t in record.get("triples", [])) or \
                    "title" in record
    return False


def read_documents(path: str | Path) -> list[GoldDocument]:
    """Read a document-level gold file, naming the line of the first bad record."""
    return read_records(path, GoldDocument)


@dataclass
class Counts:
    """Matched and total counts behind a precision or a recall."""

    hit: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.hit / self.total if self.total else 0.0

    def as_dict(self) -> dict:
        return {"rate": round(self.rate, 4), "hit": self.hit, "total": self.total}


@dataclass
class DocScores:
    """Recall over required gold, precision against all gold; overall, by predicate, by method."""

    documents: int = 0
    recall: Counts = field(default_factory=Counts)
    precision: Counts = field(default_factory=Counts)
    strict_recall: Counts = field(default_factory=Counts)
    dyad_recall: Counts = field(default_factory=Counts)
    dyad_precision: Counts = field(default_factory=Counts)
    recall_by_predicate: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    precision_by_predicate: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    precision_by_method: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    # (confidence, correct) of each distinct predicted triple of each document: how well the
    # confidences rank right above wrong (``confidence_ap``).
    ranked: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def confidence_ap(self) -> float:
        """Average precision of the predicted triples ranked by confidence
        (``metrics.average_precision``). A triple stated more than once in a document counts
        once, with its highest confidence."""
        return average_precision(self.ranked)

    @property
    def f1(self) -> float:
        p, r = self.precision.rate, self.recall.rate
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "recall": self.recall.as_dict(),
            "precision": self.precision.as_dict(),
            "f1": round(self.f1, 4),
            "strict_recall": self.strict_recall.as_dict(),
            "dyad_recall": self.dyad_recall.as_dict(),
            "dyad_precision": self.dyad_precision.as_dict(),
            "recall_by_predicate": {k: v.as_dict() for k, v in sorted(self.recall_by_predicate.items())},
            "precision_by_predicate": {k: v.as_dict()
                                       for k, v in sorted(self.precision_by_predicate.items())},
            "precision_by_method": {k: v.as_dict() for k, v in sorted(self.precision_by_method.items())},
            "confidence_ap": round(self.confidence_ap, 4),
        }


def score_documents(pairs, *, symmetric: set[str]) -> DocScores:
    """Score (predicted flat triples, gold triples as dicts) per document.

    Predicted triples are flat dicts (subject, predicate, object, negated, modality, method).
    """
    scores = DocScores()
    for pred, gold in pairs:
        scores.documents += 1
        required = {typed_key(t, symmetric) for t in gold if t["required"]}
        every = {typed_key(t, symmetric) for t in gold}
        strict_required = {typed_key(t, symmetric) + (t["negated"], t["modality"])
                           for t in gold if t["required"]}
        methods: dict[tuple, set[str]] = defaultdict(set)
        for t in pred:
            methods[typed_key(t, symmetric)].add(t.get("method") or "rule")
        confidence = highest_confidence(pred, lambda t: typed_key(t, symmetric))
        found = set(methods)
        strict_found = {typed_key(t, symmetric) + (t["negated"], t["modality"]) for t in pred}
        scores.recall.hit += len(required & found)
        scores.recall.total += len(required)
        scores.strict_recall.hit += len(strict_required & strict_found)
        scores.strict_recall.total += len(strict_required)
        scores.precision.hit += len(found & every)
        scores.precision.total += len(found)
        for key in required:
            c = scores.recall_by_predicate[key[1]]
            c.hit += key in found
            c.total += 1
        scores.ranked += [(confidence[key], key in every) for key in methods]
        for key in found:
            c = scores.precision_by_predicate[key[1]]
            c.hit += key in every
            c.total += 1
            # A triple stated by rules in one sentence and by the model in another is "both".
            method = "both" if len(methods[key]) > 1 else next(iter(methods[key]))
            m = scores.precision_by_method[method]
            m.hit += key in every
            m.total += 1
        dyads_required = {k[0::2] for k in required}
        dyads_every = {k[0::2] for k in every}
        dyads_found = {k[0::2] for k in found}
        scores.dyad_recall.hit += len(dyads_required & dyads_found)
        scores.dyad_recall.total += len(dyads_required)
        scores.dyad_precision.hit += len(dyads_found & dyads_every)
        scores.dyad_precision.total += len(dyads_found)
    return scores


def format_document_report(scores: DocScores, *, title: str = "") -> str:
    """A plain-text table of document-level scores."""
    lines = [title] if title else []
    lines.append(f"documents: {scores.documents}   F1 (P all gold, R required): {scores.f1:.3f}   "
                 f"confidence AP: {scores.confidence_ap:.3f}")
    rows = [("recall (required)", scores.recall), ("precision (all gold)", scores.precision),
            ("strict recall (+neg, modality)", scores.strict_recall),
            ("dyad recall", scores.dyad_recall), ("dyad precision", scores.dyad_precision)]
    rows += [(f"  precision method={k}", v) for k, v in sorted(scores.precision_by_method.items())]
    rows += [(f"  recall {k}", v) for k, v in sorted(scores.recall_by_predicate.items())]
    rows += [(f"  precision {k}", v) for k, v in sorted(scores.precision_by_predicate.items())]
    lines.append(f"{'measure':<34} {'value':>6} {'hit':>5} {'of':>5}")
    for name, c in rows:
        lines.append(f"{name:<34} {c.rate:6.3f} {c.hit:5d} {c.total:5d}")
    return "\n".join(lines)
