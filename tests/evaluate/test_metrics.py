"""The evaluation: gold format, metrics, and the evaluate command."""

from __future__ import annotations

import json

import pytest

from nlp_relations.evaluate import read_gold, score_sentences
from nlp_relations.extract.rules import load_predicates

PREDICATES = load_predicates()


def _t(s, p, o, negated=False, modality="asserted"):
    return {"subject": s, "predicate": p, "object": o, "negated": negated, "modality": modality}


def test_metrics_counts_and_symmetry():
    pairs = [
        ([_t("NATO", "condemns", "PRK"), _t("PRK", "meets", "RUS")],
         [_t("NATO", "condemns", "PRK"), _t("RUS", "meets", "PRK"), _t("PRK", "exports_to", "RUS")],
         {"NATO", "PRK"}),
        ([_t("USA", "sanctions", "IRN", negated=True)], [_t("USA", "sanctions", "IRN")], {"USA", "IRN"}),
    ]
    scores = score_sentences(pairs, predicates=PREDICATES)
    # meets is symmetric: PRK meets RUS matches RUS meets PRK.
    assert (scores.typed.tp, scores.typed.fp, scores.typed.fn) == (3, 0, 1)
    assert (scores.strict.tp, scores.strict.fp, scores.strict.fn) == (2, 1, 2)
    assert scores.per_predicate["exports_to"].r == 0.0
    assert scores.per_category["ACCUSE"].f == 1.0
    assert scores.actor_recall.r == pytest.approx(4 / 5)


def test_metrics_direction_matters_for_dyads():
    pairs = [([_t("PRK", "condemns", "NATO")], [_t("NATO", "condemns", "PRK")], set())]
    scores = score_sentences(pairs, predicates=PREDICATES)
    assert scores.typed.tp == 0 and scores.dyad.tp == 0 and scores.dyad.fp == 1


def test_metrics_confidence_ap_ranks_each_sentences_triples():
    """Each distinct (s, p, o) of a sentence is ranked once, at its highest confidence there."""
    from nlp_relations.evaluate.metrics import average_precision

    def conf(c, *args):
        return {**_t(*args), "confidence": c}

    gold = [_t("NATO", "condemns", "PRK")]
    right_first = [conf(0.9, "NATO", "condemns", "PRK"), conf(0.4, "PRK", "condemns", "NATO")]
    scores = score_sentences([(right_first, gold, set())], predicates=PREDICATES)
    assert scores.confidence_ap == 1.0 and scores.as_dict()["confidence_ap"] == 1.0
    wrong_first = [conf(0.4, "NATO", "condemns", "PRK"), conf(0.9, "PRK", "condemns", "NATO"),
                   conf(0.95, "NATO", "condemns", "PRK")]  # stated twice: ranked at 0.95
    assert score_sentences([(wrong_first, gold, set())], predicates=PREDICATES).ranked == [
        (0.95, True), (0.9, False)]
    # Two sentences: right at 0.9, wrong at 0.8, right at 0.5 -> (1/2)(1/1) + (1/2)(2/3).
    two = [([conf(0.9, "NATO", "condemns", "PRK"), conf(0.8, "PRK", "condemns", "NATO")], gold,
            set()), ([conf(0.5, "NATO", "condemns", "PRK")], gold, set())]
    assert score_sentences(two, predicates=PREDICATES).confidence_ap == pytest.approx(5 / 6)
    assert average_precision([(0.9, True), (0.8, False), (0.5, True)]) == pytest.approx(5 / 6)
    assert average_precision([(0.7, True), (0.7, False)]) == 0.5  # tied: reached together
    assert average_precision([(0.7, False)]) == average_precision([]) == 0.0


def test_gold_bad_record_names_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x", "triples": []}) + "\n" +
                    json.dumps({"id": "b", "text": "y", "triples": [
                        {"subject": "A", "predicate": "condem", "object": "B"}]}) + "\n")
    with pytest.raises(ValueError, match=r"gold.jsonl:2"):
        read_gold(path)


def test_gold_project_splits_are_valid():
    from nlp_relations.registry import DATA_DIR

    dev = read_gold(DATA_DIR / "corpus" / "relations_dev.jsonl")
    test = read_gold(DATA_DIR / "corpus" / "relations_test.jsonl")
    assert len(dev) + len(test) >= 300
    assert not {g.text for g in dev} & {g.text for g in test}
