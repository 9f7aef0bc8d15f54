"""Precision, recall and F1 of predicted triples against gold, at several granularities."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..extract.rules import symmetric_predicates

__all__ = ["PRF", "Scores", "average_precision", "highest_confidence", "score_sentences",
           "typed_key", "dyad_key"]


def average_precision(ranked: Iterable[tuple[float, bool]]) -> float:
    """Average precision of predictions ranked by confidence, from (confidence, right) pairs
    (1.0: every right one above every wrong one; 0.0 when none is right), as scikit-learn's
    ``average_precision_score`` counts it: the precision at each distinct confidence, weighted
    by the share of the right predictions first reached there (equal confidences are reached
    together).

    Example:
        >>> average_precision([(0.9, True), (0.8, False), (0.5, True)])
        0.8333333333333333
    """
    by_conf: dict[float, list[int]] = defaultdict(lambda: [0, 0])  # confidence -> hit, n
    for conf, ok in ranked:
        by_conf[conf][0] += bool(ok)
        by_conf[conf][1] += 1
    right = sum(h for h, _ in by_conf.values())
    if not right:
        return 0.0
    ap, hit, seen = 0.0, 0, 0
    for conf in sorted(by_conf, reverse=True):
        h, n = by_conf[conf]
        hit, seen = hit + h, seen + n
        ap += (h / right) * (hit / seen)
    return ap


def highest_confidence(triples: Iterable[dict], key: Callable[[dict], tuple]) -> dict[tuple, float]:
    """Each distinct ``key(triple)`` of ``triples``, in first-seen order, with the highest
    confidence a triple of it has (1.0 for a triple without one): how a prediction stated
    more than once is ranked (``average_precision``)."""
    best: dict[tuple, float] = {}
    for t in triples:
        k = key(t)
        best[k] = max(best.get(k, 0.0), float(t.get("confidence", 1.0)))
    return best


@dataclass
class PRF:
    """Counts and the derived precision/recall/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def add(self, pred: Counter, gold: Counter) -> None:
        both = pred & gold
        self.tp += sum(both.values())
        self.fp += sum((pred - both).values())
        self.fn += sum((gold - both).values())

    def as_dict(self) -> dict:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Scores:
    """Every granularity the evaluate command reports."""

    typed: PRF = field(default_factory=PRF)
    strict: PRF = field(default_factory=PRF)
    dyad: PRF = field(default_factory=PRF)
    category: PRF = field(default_factory=PRF)
    per_predicate: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    per_category: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    actor_recall: PRF = field(default_factory=PRF)
    sentences: int = 0
    # (confidence, right) of each distinct predicted (s, p, o) of each sentence, at its highest
    # confidence there: how well the confidences rank right above wrong (``confidence_ap``).
    ranked: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def confidence_ap(self) -> float:
        """``average_precision`` of the predicted typed triples ranked by confidence."""
        return average_precision(self.ranked)

    def as_dict(self) -> dict:
        return {
            "sentences": self.sentences,
            "confidence_ap": round(self.confidence_ap, 4),
            "typed": self.typed.as_dict(),
            "strict": self.strict.as_dict(),
            "dyad": self.dyad.as_dict(),
            "category": self.category.as_dict(),
            "actor_recall": round(self.actor_recall.r, 4),
            "per_predicate": {k: v.as_dict() for k, v in sorted(self.per_predicate.items())},
            "per_category": {k: v.as_dict() for k, v in sorted(self.per_category.items())},
        }


def typed_key(t: dict, symmetric: set[str]) -> tuple:
    """(subject, predicate, object); a symmetric predicate's ends are sorted."""
    s, p, o = t["subject"], t["predicate"], t["object"]
    if p in symmetric and o is not None:
        s, o = sorted((s, o))
    return (s, p, o)


def dyad_key(t: dict, symmetric: set[str]) -> tuple:
    """(subject, object) with the direction kept, except for symmetric predicates."""
    return typed_key(t, symmetric)[0::2]


def score_sentences(
    pairs: Iterable[tuple[list[dict], list[dict], set[str]]],
    *,
    predicates: dict[str, dict[str, str]],
) -> Scores:
    """Score (predicted, gold, gold actor ids found) per sentence.

    Triples are flat dicts: subject, predicate, object (ids), negated, modality.
    """
    symmetric = symmetric_predicates(predicates)
    cat = {p: info["plover"] for p, info in predicates.items()}
    scores = Scores()
    for pred, gold, found_actors in pairs:
        scores.sentences += 1
        tp = Counter(typed_key(t, symmetric) for t in pred)
        tg = Counter(typed_key(t, symmetric) for t in gold)
        # A triple counts once per sentence however many times it is stated there.
        tp, tg = Counter(set(tp)), Counter(set(tg))
        scores.typed.add(tp, tg)
        confidence = highest_confidence(pred, lambda t: typed_key(t, symmetric))
        scores.ranked += [(c, key in tg) for key, c in confidence.items()]
        sp = Counter({typed_key(t, symmetric) + (t["negated"], t["modality"]) for t in pred})
        sg = Counter({typed_key(t, symmetric) + (t["negated"], t["modality"]) for t in gold})
        scores.strict.add(sp, sg)
        scores.dyad.add(Counter({dyad_key(t, symmetric) for t in pred}),
                        Counter({dyad_key(t, symmetric) for t in gold}))
        scores.category.add(Counter({(k[0], cat[k[1]], k[2]) for k in tp}),
                            Counter({(k[0], cat[k[1]], k[2]) for k in tg}))
        for name in set(predicates):
            pk = Counter({k for k in tp if k[1] == name})
            gk = Counter({k for k in tg if k[1] == name})
            if pk or gk:
                scores.per_predicate[name].add(pk, gk)
        for c in set(cat.values()):
            pk = Counter({k for k in tp if cat[k[1]] == c})
            gk = Counter({k for k in tg if cat[k[1]] == c})
            if pk or gk:
                scores.per_category[c].add(pk, gk)
        gold_actors = {t["subject"] for t in gold} | {t["object"] for t in gold if t["object"]}
        scores.actor_recall.add(Counter(gold_actors & found_actors), Counter(gold_actors))
    return scores
