"""Evaluation: the gold format, the metrics and the runner behind `nlp-relations evaluate`."""

from .gold import GoldSentence, GoldTriple, read_gold
from .metrics import PRF, Scores, score_sentences
from .run import METHODS, evaluate_gold, format_report, predicted_triples

__all__ = [
    "METHODS",
    "PRF",
    "GoldSentence",
    "GoldTriple",
    "Scores",
    "evaluate_gold",
    "format_report",
    "predicted_triples",
    "read_gold",
    "score_sentences",
]
