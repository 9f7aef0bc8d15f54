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
