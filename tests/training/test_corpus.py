"""Corpus conversion: detokenisation, BIO spans, CAMEO classes and pair labels."""

from __future__ import annotations

import pytest

from nlp_relations.extract.rules import load_predicates
from nlp_relations.pipeline.relation_model import NONE
from nlp_relations.training.corpus import (
    cameo_class,
    class_predicates,
    conflibert_gold,
    detokenize,
    dev_gold,
    spans_of,
)


def test_corpus_detokenize_offsets():
    tokens = ["Russia", "'s", "army", "(", "troops", ")", "shelled", "Kyiv", ",", "officials",
              "said", "."]
    text, offsets = detokenize(tokens)
    assert text == "Russia's army (troops) shelled Kyiv, officials said."
    assert all(text[a:b] == tok for tok, (a, b) in zip(tokens, offsets))


def test_corpus_spans_of_bio():
    tags = ["B-S", "I-S", "O", "B-T", "O", "B-R", "I-R", "B-R"]
    assert spans_of(tags) == [(0, 2, "S"), (3, 4, "T"), (5, 7, "R"), (7, 8, "R")]


@pytest.mark.parametrize("code,cls", [("012", 0), ("020", 0), ("040", 1), ("057", 1), ("061", 2),
                                      ("087", 2), ("111", 3), ("163", 3), ("150", 4),
                                      ("190", 4)])
def test_corpus_cameo_class(code, cls):
    assert cameo_class(code) == cls


def test_corpus_class_predicates_cover_the_table():
    by_class = class_predicates()
    assert sorted(p for ps in by_class.values() for p in ps) == sorted(load_predicates())
    assert "attacks" in by_class[4] and "meets" in by_class[1]


def test_corpus_dev_gold_symmetric_both_ways():
    gold = dev_gold([{"subject": "PRK", "predicate": "meets", "object": "RUS"},
                     {"subject": "PRK", "predicate": "visits", "object": "RUS"},
                     {"subject": "PRK", "predicate": "threatens", "object": None}], {"meets"})
    pairs = {(s, o): labels for s, o, labels in gold["pairs"]}
    assert pairs == {("PRK", "RUS"): ["meets", "visits"], ("RUS", "PRK"): ["meets"]}
    assert gold["default"] == NONE


def test_corpus_conflibert_gold_roles():
    import nlp_relations

    tokens = ["Russia", "attacked", "Ukraine", "as", "China", "watched", "."]
    tags = ["B-S", "O", "B-T", "O", "O", "O", "O"]
    text, offsets = detokenize(tokens)
    doc = nlp_relations.load(model=False)(text)
    gold = conflibert_gold(doc, offsets, spans_of(tags), ["attacks", "fights"])
    pairs = {(s, o): labels for s, o, labels in gold["pairs"]}
    assert pairs[("RUS", "UKR")] == ["attacks", "fights"]
    assert pairs[("UKR", "RUS")] == [NONE]
    assert not any("CHN" in key for key in pairs)  # outside every span: unlabelled
    assert gold["default"] is None


def test_corpus_conflibert_gold_actor_also_named_outside_its_span():
    import nlp_relations

    # Sweden is the source span and named again outside every span; it stays the source.
    tokens = ["Sweden", "said", "it", "had", "sanctioned", "Iran", "over", "a", "case", "in",
              "Sweden", "."]
    tags = ["B-S", "O", "O", "O", "O", "B-T", "O", "O", "O", "O", "O", "O"]
    text, offsets = detokenize(tokens)
    doc = nlp_relations.load(model=False)(text)
    gold = conflibert_gold(doc, offsets, spans_of(tags), ["sanctions"])
    pairs = {(s, o): labels for s, o, labels in gold["pairs"]}
    assert pairs[("SWE", "IRN")] == ["sanctions"]
    assert pairs[("IRN", "SWE")] == [NONE]


def test_corpus_conflibert_gold_actor_in_two_roles_is_left_out():
    import nlp_relations

    tokens = ["Chile", "and", "Peru", "accused", "Peru", "'s", "neighbour", "Chile", "."]
    tags = ["B-S", "I-S", "I-S", "O", "B-T", "I-T", "I-T", "I-T", "O"]
    text, offsets = detokenize(tokens)
    doc = nlp_relations.load(model=False)(text)
    gold = conflibert_gold(doc, offsets, spans_of(tags), ["accuses"])
    # Both countries lie in a source and a target span: no label either way.
    assert gold["pairs"] == []
