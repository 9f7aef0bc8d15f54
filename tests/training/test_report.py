"""The report's statistics: dyad F1 from per-sentence counts and the paired bootstrap."""

from __future__ import annotations

import pytest

from nlp_relations.training.report import dyad_f, paired_bootstrap


def test_report_dyad_f_sums_counts():
    # 4 predicted, 2 matched; 5 gold, 2 found: P 0.5, R 0.4.
    assert dyad_f([(3, 1, 2, 1), (1, 1, 3, 1)]) == pytest.approx(2 * 0.5 * 0.4 / 0.9)
    assert dyad_f([(0, 0, 2, 0)]) == 0.0


def test_report_paired_bootstrap_is_seeded_and_ordered():
    better = [(1, 1, 1, 1)] * 8 + [(1, 0, 1, 0)] * 2
    worse = [(1, 1, 1, 1)] * 5 + [(1, 0, 1, 0)] * 5
    r = paired_bootstrap(better, worse, n=300, seed=1)
    assert r == paired_bootstrap(better, worse, n=300, seed=1)
    assert r["diff"] == pytest.approx(0.3)
    assert r["low"] <= r["diff"] <= r["high"]
    assert r["a_ahead"] > 0.9
    # Swapping the methods mirrors the interval.
    s = paired_bootstrap(worse, better, n=300, seed=1)
    assert s["diff"] == pytest.approx(-0.3) and s["a_ahead"] < 0.1
    # Identical methods: no difference in any resample.
    same = paired_bootstrap(worse, worse, n=100)
    assert (same["low"], same["high"], same["a_ahead"]) == (0.0, 0.0, 0.0)


def test_report_holdout_scores_rerun_rules_and_combiner(tmp_path, nlp):
    from spacy.tokens import DocBin

    from nlp_relations.pipeline.relation_model import GOLD_ATTR
    from nlp_relations.training.report import holdout_scores

    docs = []
    for text, pairs in (("Russia attacked Ukraine on Tuesday.", [["RUS", "UKR", ["attacks"]]]),
                        ("Japan and Peru signed a trade deal.", [["JPN", "PER", ["meets"]],
                                                                 ["PER", "JPN", ["meets"]]])):
        doc = nlp(text)
        doc._.set(GOLD_ATTR, {"pairs": pairs, "default": None})
        doc._.triples = []  # stale output: holdout_scores runs the combiner again
        docs.append(doc)
    path = tmp_path / "held.spacy"
    DocBin(store_user_data=True, docs=docs).to_disk(path)
    out = holdout_scores(nlp, path)
    assert out["sentences"] == 2
    # Two gold dyads (the reciprocal pair counts once); the rules find Russia -> Ukraine.
    assert out["rules"]["gold"] == 2 and out["rules"]["dyad_f"] > 0
    # The emptied doc._.triples were recomputed: the combination holds the rule triple.
    assert out["combined"]["predicted"] >= out["rules"]["predicted"] >= 1
    assert set(out["bootstrap"]) == {"combined - rules", "combined - model"}


def test_report_gate_table_counts_kept_and_right():
    from nlp_relations.training.gate import gate_table

    rows = [{"related": 0.95, "predicate": 0.9, "calibrated": 0.5, "right": True, "rule": "model"},
            {"related": 0.7, "predicate": 0.4, "calibrated": 0.3, "right": False, "rule": "model"}]
    table = gate_table(rows)
    assert table["related"][0] == (0.0, 2, 1)
    assert (0.9, 1, 1) in table["related"]
    assert all(kept >= right for cells in table.values() for _, kept, right in cells)
    assert (0.5, 1, 1) in table["predicate"]


def test_report_scores_the_full_model_alone(tmp_path, monkeypatch):
    """Rules and combined are the default pipeline's (its lighter model only confirms the
    rules); the model alone, ConfliBERT's model row and the hold-out are the full model's."""
    import json

    import nlp_relations
    from nlp_relations.resources import MODEL_DIR
    from nlp_relations.training import report as report_module

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x1", "text": "Japan condemned North Korea.", "triples": [
        {"subject": "JPN", "predicate": "condemns", "object": "PRK"}]}) + "\n")
    seen = {}
    real_evaluate = report_module.evaluate_gold

    def evaluate(path, nlp, *, method):
        seen[method] = nlp
        return real_evaluate(path, nlp, method=method)

    monkeypatch.setattr(report_module, "evaluate_gold", evaluate)
    monkeypatch.setattr(report_module, "cameo_scores",
                        lambda nlp, model_nlp: seen.update(cameo=(nlp, model_nlp)) or {})
    monkeypatch.setattr(report_module, "holdout_scores",
                        lambda nlp, path: seen.update(holdout=nlp) or {})
    report_module.report([gold], holdout=gold)
    default, full = nlp_relations.load(), nlp_relations.load(model=MODEL_DIR)
    assert seen["rules"] is seen["combined"] is default
    assert seen["model"] is full and seen["holdout"] is full
    assert seen["cameo"] == (default, full)
