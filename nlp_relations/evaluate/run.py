"""Run a pipeline over a gold file and score it; format the report."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spacy.language import Language

from ..api import MODEL, dated_doc
from ..extract.rules import load_predicates, symmetric_predicates
from .documents import (DocScores, format_document_report, is_document_gold, read_documents,
                        score_documents)
from .gold import read_gold
from .metrics import Scores, score_sentences

__all__ = ["METHODS", "evaluate_documents", "evaluate_gold", "every_pair", "format_report",
           "predicted_triples"]

# Which Doc attribute holds each method's triples.
METHODS = {"rules": "rule_triples", "model": "model_triples", "combined": "triples"}


@contextmanager
def every_pair(nlp: Language) -> Iterator[Language]:
    """``nlp`` with its relation model scoring every candidate pair, as a measure of the model
    alone needs (by default it scores only the pairs the rules linked: the final triples are
    the same either way)."""
    if MODEL not in nlp.pipe_names:
        yield nlp
        return
    model = nlp.get_pipe(MODEL)
    scope = model.cfg["scope"]
    model.cfg["scope"] = "all"
    try:
        yield nlp
    finally:
        model.cfg["scope"] = scope


def _flat(t: dict) -> dict:
    return {"subject": t["subject"]["actor"], "predicate": t["predicate"],
            "object": t["object"]["actor"] if t.get("object") else None,
            "negated": bool(t.get("negated")), "modality": t.get("modality", "asserted"),
            "confidence": t.get("confidence", 1.0), "method": t.get("method", "rule")}


def predicted_triples(doc, method: str = "combined") -> list[dict]:
    """The flat triples (ids only) a method produced on a processed Doc."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; expected one of: {', '.join(METHODS)}.")
    return [_flat(t) for t in getattr(doc._, METHODS[method]) or []]


def evaluate_gold(path: str | Path, nlp: Language, *, method: str = "combined",
                  batch_size: int = 32) -> tuple[Scores | DocScores, list[dict]]:
    """Score a method on a gold file: annotated sentences, or documents (detected by format).

    Returns:
        The scores and one record per sentence or document (id, text, gold, predicted) for
        error analysis. The model is measured alone over every candidate pair (``every_pair``).
    """
    if method == "model":
        with every_pair(nlp):
            return _evaluate(path, nlp, method=method, batch_size=batch_size)
    return _evaluate(path, nlp, method=method, batch_size=batch_size)


def _evaluate(path: str | Path, nlp: Language, *, method: str,
              batch_size: int) -> tuple[Scores | DocScores, list[dict]]:
    if is_document_gold(path):
        return evaluate_documents(path, nlp, method=method, batch_size=batch_size)
    gold = read_gold(path)
    rows = []
    pairs = []
    docs = nlp.pipe((g.text for g in gold), batch_size=batch_size)
    for g, doc in zip(gold, docs):
        pred = predicted_triples(doc, method)
        gt = [t.model_dump(mode="json") for t in g.triples]
        found = {m["actor"] for m in doc._.actors or []}
        pairs.append((pred, gt, found))
        rows.append({"id": g.id, "text": g.text, "shape": g.shape, "gold": gt, "pred": pred})
    return score_sentences(pairs, predicates=load_predicates()), rows


def evaluate_documents(path: str | Path, nlp: Language, *, method: str = "combined",
                       batch_size: int = 8) -> tuple[DocScores, list[dict]]:
    """Score a method on document-level gold (the usgov-statements format).

    Each document's text is run whole, without its title, with its date; see
    ``evaluate.documents`` for how recall and precision are counted.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; expected one of: {', '.join(METHODS)}.")
    gold = read_documents(path)
    rows, pairs = [], []
    docs = nlp.pipe(((dated_doc(nlp, g.text, g.id, g.date), g) for g in gold), as_tuples=True,
                    batch_size=batch_size)
    for doc, g in docs:
        pred = predicted_triples(doc, method)
        gt = [t.model_dump(mode="json") for t in g.triples]
        pairs.append((pred, gt))
        rows.append({"id": g.id, "text": g.text, "gold": gt, "pred": pred})
    return score_documents(pairs, symmetric=symmetric_predicates(load_predicates())), rows


def format_report(scores: Scores | DocScores, *, title: str = "") -> str:
    """A plain-text table of the scores."""
    if isinstance(scores, DocScores):
        return format_document_report(scores, title=title)
    lines = [title] if title else []
    lines.append(f"sentences: {scores.sentences}   actor-linking recall: "
                 f"{scores.actor_recall.r:.3f}   confidence AP: {scores.confidence_ap:.3f}")
    lines.append(f"{'level':<28} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    rows = [("typed (s,p,o)", scores.typed), ("strict (+negated,modality)", scores.strict),
            ("PLOVER category (s,c,o)", scores.category), ("dyad direction-only (s,o)", scores.dyad)]
    rows += [(f"  pred {k}", v) for k, v in sorted(scores.per_predicate.items())]
    rows += [(f"  cat {k}", v) for k, v in sorted(scores.per_category.items())]
    for name, prf in rows:
        lines.append(f"{name:<28} {prf.p:6.3f} {prf.r:6.3f} {prf.f:6.3f} {prf.tp:5d} {prf.fp:5d} {prf.fn:5d}")
    return "\n".join(lines)
