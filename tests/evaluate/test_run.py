"""The evaluation runner: the model alone is measured over every candidate pair."""

from __future__ import annotations

import pytest

import nlp_relations
from nlp_relations.api import MODEL
from nlp_relations.evaluate.run import every_pair


def test_run_every_pair_scores_all_pairs_and_restores_the_scope():
    nlp = nlp_relations.load()
    model = nlp.get_pipe(MODEL)
    assert model.cfg["scope"] == "usable"
    text = "Chile and Peru were mentioned in a report on fishing."  # no rule triple
    assert not nlp(text)._.relation_scores
    with every_pair(nlp):
        assert model.cfg["scope"] == "all"
        assert nlp(text)._.relation_scores
    assert model.cfg["scope"] == "usable"
    with pytest.raises(RuntimeError), every_pair(nlp):
        raise RuntimeError("boom")
    assert model.cfg["scope"] == "usable"


def test_run_every_pair_without_a_model_is_a_no_op():
    nlp = nlp_relations.load(model=False)
    with every_pair(nlp) as same:
        assert same is nlp
