"""Combiner selection in training: the ConfliBERT hold-out, its gold dyads, the objective."""

from __future__ import annotations

import spacy

from nlp_relations.pipeline.combiner import combine_triples
from nlp_relations.pipeline.relation_model import GOLD_ATTR, NONE, SCORES_ATTR
from nlp_relations.training.train import (
    _calibrate,
    _dyad_counts,
    _flat,
    cameo_holdout_gold,
    objective,
    split_cameo,
)

SYMMETRIC = {"meets"}


def _ref(actor: str) -> dict:
    return {"actor": actor, "agent": None, "text": actor, "start_char": 0, "end_char": 1,
            "form": "alias"}


def _t(s, p, o, conf, sent=0, method="rule"):
    return {"subject": _ref(s), "predicate": p, "object": _ref(o), "negated": False,
            "modality": "asserted", "trigger": "x", "trigger_start": 0, "sent_start": sent,
            "sent_end": 40, "confidence": conf, "rule": method, "speaker": None,
            "source": None, "topic": None}


def _doc(nlp, doc_id, rules, model, gold_pairs=None):
    doc = nlp("A b c.")
    doc._.doc_id = doc_id
    doc._.rule_triples = rules
    doc._.model_triples = model
    doc._.set(SCORES_ATTR, [{"subject": m["subject"]["actor"], "object": m["object"]["actor"],
                             "subject_start": 0, "object_start": 0, "sent_start": m["sent_start"],
                             "scores": {m["predicate"]: m["confidence"],
                                        NONE: round(1 - m["confidence"] - 0.1, 3)}}
                            for m in model])
    doc._.set(GOLD_ATTR, {"pairs": gold_pairs or [], "default": None})
    return doc


def test_train_split_cameo_is_seeded_and_disjoint():
    items = list(range(100))
    fit, held = split_cameo(items, 0.2, 0)
    assert len(held) == 20 and sorted(fit + held) == items
    assert split_cameo(items, 0.2, 0) == (fit, held)
    assert split_cameo(items, 0.2, 1)[1] != held
    assert split_cameo(items, 0.0, 0) == (items, [])


def test_train_cameo_holdout_gold_and_dyads():
    nlp = spacy.blank("en")
    doc = _doc(nlp, "c", [], [], [["USA", "IRN", ["accuses"]], ["IRN", "USA", [NONE]],
                                 ["RUS", "CHN", ["meets"]], ["CHN", "RUS", ["meets"]]])
    directed, either = cameo_holdout_gold(doc)
    assert directed == {("USA", "IRN")} and either == {frozenset(("RUS", "CHN"))}
    pred = [_t("USA", "accuses", "IRN", 0.9), _t("IRN", "accuses", "USA", 0.9),
            _t("CHN", "attacks", "RUS", 0.9)]
    assert _dyad_counts(pred, (directed, either), SYMMETRIC) == (3, 2, 2, 2)


def test_train_objective_prefers_the_worse_margin():
    # Beating both methods on both sets by a little beats a big gain on one and a loss on the other.
    assert objective(0.82, 0.81, 0.55, 0.52) > objective(0.90, 0.81, 0.50, 0.52)
    assert objective(0.8, 0.7, None, None) == (0.8,)


def test_train_calibrate_search_matches_direct_combination():
    nlp = spacy.blank("en")
    dev = [
        _doc(nlp, "d1", [_t("JPN", "protests", "CHN", 0.85)],
             [_t("JPN", "protests", "CHN", 0.7, method="model"),
              _t("USA", "criticizes", "IRN", 0.6, sent=50, method="model")]),
        _doc(nlp, "d2", [], [_t("RUS", "attacks", "UKR", 0.5, method="model")]),
        _doc(nlp, "d3", [], [_t("FRA", "praises", "DEU", 0.9, method="model")]),
    ]
    gold = {"d1": {("JPN", "protests", "CHN"), ("USA", "criticizes", "IRN")},
            "d2": {("RUS", "attacks", "UKR")}, "d3": set()}
    cameo = [_doc(nlp, "c1", [], [_t("ISR", "attacks", "SYR", 0.45, method="model")],
                  [["ISR", "SYR", ["attacks"]]]),
             _doc(nlp, "c2", [_t("USA", "meets", "CHN", 0.8)], [], [["USA", "CHN", ["meets"]]])]
    calibration, chosen = _calibrate(dev, gold, SYMMETRIC, cameo)
    settings = {k: chosen[k] for k in ("model_threshold", "rule_threshold", "flip_margin",
                                       "empty_threshold", "empty_score")}
    tp = fp = fn = 0
    for doc in dev:
        pred = {_flat(t, SYMMETRIC) for t in combine_triples(
            doc._.rule_triples, doc._.model_triples, doc._.get(SCORES_ATTR),
            symmetric=SYMMETRIC, calibration=calibration, **settings)}
        tp += len(pred & gold[doc._.doc_id])
        fp += len(pred - gold[doc._.doc_id])
        fn += len(gold[doc._.doc_id] - pred)
    assert (chosen["dev_oof_combined"]["tp"], chosen["dev_oof_combined"]["fp"],
            chosen["dev_oof_combined"]["fn"]) == (tp, fp, fn)
    # The rule-empty sentences' model triples (the ConfliBERT one at 0.45 among them) are let in.
    assert chosen["empty_threshold"] is not None
    assert chosen["cameo_holdout"]["combined_dyad_f"] == 1.0


def test_train_calibrate_blind_threshold_search_matches_direct_combination():
    """With the rules' lexicon the search also chooses blind_threshold, exactly as combined."""
    from spacy.tokens import Doc

    from nlp_relations.extract.rules import Lexicon
    from nlp_relations.pipeline.combiner import trigger_sentences

    nlp = spacy.blank("en")
    lex = Lexicon(verbs={"condemn": ("criticizes", ())})

    def doc(doc_id, lemma, rules, model, gold_pairs=None):
        d = _doc(nlp, doc_id, rules, model, gold_pairs)
        out = Doc(nlp.vocab, words=["A", lemma, "b", "."], lemmas=["a", lemma, "b", "."],
                  sent_starts=[True, False, False, False])
        for attr in ("doc_id", "rule_triples", "model_triples", SCORES_ATTR, GOLD_ATTR):
            out._.set(attr, d._.get(attr))
        for sc in out._.get(SCORES_ATTR):  # p(related) = p(predicate): no other way to split
            sc["scores"][NONE] = round(1 - sum(v for k, v in sc["scores"].items() if k != NONE), 3)
        return out

    m = lambda s, o, c: [_t(s, "attacks", o, c, method="model")]  # noqa: E731
    # Dev: model-only triples right where a trigger is present, wrong where none is.
    dev = [doc("d1", "condemn", [], m("USA", "IRN", 0.6)), doc("d2", "lift", [], m("RUS", "UKR", 0.9)),
           doc("d3", "condemn", [_t("JPN", "protests", "CHN", 0.85)], [])]
    gold = {"d1": {("USA", "attacks", "IRN")}, "d2": set(), "d3": {("JPN", "protests", "CHN")}}
    cameo = [doc("c1", "lift", [], m("ISR", "SYR", 0.95), [["ISR", "SYR", ["attacks"]]]),
             doc("c2", "condemn", [_t("USA", "meets", "CHN", 0.8)], [], [["USA", "CHN", ["meets"]]])]
    calibration, chosen = _calibrate(dev, gold, SYMMETRIC, cameo, lex)
    settings = {k: chosen[k] for k in ("model_threshold", "rule_threshold", "flip_margin",
                                       "empty_threshold", "empty_score", "blind_threshold")}
    tp = fp = fn = 0
    for d in dev:
        pred = {_flat(t, SYMMETRIC) for t in combine_triples(
            d._.rule_triples, d._.model_triples, d._.get(SCORES_ATTR), symmetric=SYMMETRIC,
            calibration=calibration, trigger_sents=trigger_sentences(d, lex), **settings)}
        tp += len(pred & gold[d._.doc_id])
        fp += len(pred - gold[d._.doc_id])
        fn += len(gold[d._.doc_id] - pred)
    assert (chosen["dev_oof_combined"]["tp"], chosen["dev_oof_combined"]["fp"],
            chosen["dev_oof_combined"]["fn"]) == (tp, fp, fn) == (2, 0, 0)
    # Only the split tells the wrong dev triple (0.9, blind) from the right hold-out one (0.95).
    assert chosen["blind_threshold"] is not None and 0.9 < chosen["blind_threshold"] <= 0.95
    assert chosen["empty_threshold"] <= 0.6
    assert chosen["cameo_holdout"]["combined_dyad_f"] == 1.0
    # Without the lexicon there is no split to choose.
    assert _calibrate(dev, gold, SYMMETRIC, cameo)[1]["blind_threshold"] is None


def test_train_calibrate_rule_empty_stage_retypes_by_trigger():
    """Stage 1 chooses the empty-sentence settings on rule-empty documents: here a model pair
    right in who-to-whom but wrong in predicate is kept only when the trigger retypes it."""
    from spacy.tokens import Doc

    from nlp_relations.extract.rules import Lexicon
    from nlp_relations.pipeline.combiner import sentence_triggers

    nlp = spacy.blank("en")
    lex = Lexicon(verbs={"condemn": ("criticizes", ())})

    def doc(doc_id, rules, model, gold_pairs=None):
        d = _doc(nlp, doc_id, rules, model, gold_pairs)
        out = Doc(nlp.vocab, words=["A", "condemned", "b", "."],
                  lemmas=["a", "condemn", "b", "."], sent_starts=[True, False, False, False])
        for attr in ("doc_id", "rule_triples", "model_triples", SCORES_ATTR, GOLD_ATTR):
            out._.set(attr, d._.get(attr))
        for sc in out._.get(SCORES_ATTR):
            sc["scores"]["criticizes"] = 0.2
            sc["scores"][NONE] = round(1 - sum(v for k, v in sc["scores"].items() if k != NONE), 3)
        return out

    dev = [doc("d1", [_t("JPN", "protests", "CHN", 0.85)],
               [_t("KOR", "attacks", "PRK", 0.6, method="model")]),
           doc("d2", [], [_t("USA", "attacks", "IRN", 0.6, method="model")]),
           doc("d3", [], [_t("FRA", "attacks", "DEU", 0.5, method="model")])]
    gold = {"d1": {("JPN", "protests", "CHN")}, "d2": {("USA", "criticizes", "IRN")},
            "d3": set()}
    calibration, chosen = _calibrate(dev, gold, SYMMETRIC, None, lex)
    assert chosen["retype"] is True and chosen["max_actors"] is None  # no crowded sentence
    # The gate separates d2 from d3 on either raw score (ties go to the higher threshold).
    lo, hi = (0.5, 0.6) if chosen["empty_score"] == "predicate" else (0.7, 0.8)
    assert lo < chosen["empty_threshold"] <= hi
    assert chosen["rule_empty"]["dev_docs"] == 2
    assert chosen["rule_empty"]["dev_typed"] == {"tp": 1, "fp": 0, "fn": 0}
    assert chosen["rule_empty"]["dev_model_alone_f"] == 0.0
    # The model-only triple of the fired sentence has its own (here: always wrong) table.
    assert calibration["model_fired"]["y"] == [0.0]
    assert calibration["counts"]["model_fired"] == 1
    settings = {k: chosen[k] for k in ("model_threshold", "rule_threshold", "flip_margin",
                                       "empty_threshold", "empty_score", "blind_threshold",
                                       "retype")}
    out = {d._.doc_id: {_flat(t, SYMMETRIC) for t in combine_triples(
        d._.rule_triples, d._.model_triples, d._.get(SCORES_ATTR), symmetric=SYMMETRIC,
        calibration=calibration, trigger_preds=sentence_triggers(d, lex),
        trigger_sents=set(sentence_triggers(d, lex)), **settings)} for d in dev}
    assert out == {"d1": {("JPN", "protests", "CHN")}, "d2": {("USA", "criticizes", "IRN")},
                   "d3": set()}
