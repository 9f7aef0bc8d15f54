"""The rules + model combiner: agreement, one-only, direction conflicts, calibration, I/O."""

from __future__ import annotations

import pytest

from nlp_relations.pipeline.combiner import (
    Combiner,
    apply_calibration,
    attribute_model_triples,
    combine_triples,
    fit_calibration,
    fit_isotonic,
    guard,
)
from nlp_relations.pipeline.relation_model import pair_candidates

SYMMETRIC = {"meets", "negotiates_with", "consults", "cooperates_with", "agrees_with", "fights"}


def _ref(actor: str) -> dict:
    return {"actor": actor, "agent": None, "text": actor, "start_char": 0, "end_char": 1,
            "form": "alias"}


def _triple(s: str, p: str, o: str, *, method: str = "rule", conf: float = 0.85,
            sent: int = 0) -> dict:
    return {"subject": _ref(s), "predicate": p, "object": _ref(o), "negated": False,
            "modality": "asserted", "trigger": "x", "trigger_start": 0, "sent_start": sent,
            "sent_end": 40, "confidence": conf, "rule": "active" if method == "rule" else "model",
            "method": method, "speaker": None, "source": None, "topic": None}


def _scores(s: str, o: str, probs: dict, sent: int = 0) -> dict:
    return {"subject": s, "object": o, "subject_start": 0, "object_start": 5, "sent_start": sent,
            "scores": {"none": 1 - sum(probs.values()), **probs}}


def _keys(triples):
    return {(t["subject"]["actor"], t["predicate"], t["object"]["actor"], t["method"])
            for t in triples}


def test_combiner_agreement_is_both():
    out = combine_triples([_triple("NATO", "condemns", "PRK")],
                          [_triple("NATO", "condemns", "PRK", method="model", conf=0.9)],
                          [_scores("NATO", "PRK", {"condemns": 0.9})], symmetric=SYMMETRIC)
    assert _keys(out) == {("NATO", "condemns", "PRK", "both")}
    assert out[0]["confidence"] == pytest.approx((0.85 + 0.9) / 2, abs=1e-3)


def test_combiner_symmetric_agreement_in_other_order():
    out = combine_triples([_triple("PRK", "meets", "RUS")],
                          [_triple("RUS", "meets", "PRK", method="model", conf=0.8)],
                          [], symmetric=SYMMETRIC)
    assert _keys(out) == {("PRK", "meets", "RUS", "both")}


def test_combiner_rule_only_keeps_rule():
    out = combine_triples([_triple("JPN", "protests", "CHN")], [], [], symmetric=SYMMETRIC)
    assert _keys(out) == {("JPN", "protests", "CHN", "rule")}


@pytest.mark.parametrize("conf,threshold,kept", [(0.9, 0.5, True), (0.4, 0.5, False)])
def test_combiner_model_only_threshold(conf, threshold, kept):
    out = combine_triples([], [_triple("RUS", "exports_to", "PRK", method="model", conf=conf)],
                          [], symmetric=SYMMETRIC, model_threshold=threshold)
    assert bool(out) is kept
    if kept:
        assert out[0]["method"] == "model"


def test_combiner_direction_conflict_model_wins():
    rule = _triple("PAK", "attacks", "IND")
    model = _triple("IND", "attacks", "PAK", method="model", conf=0.8)
    scores = [_scores("IND", "PAK", {"attacks": 0.8}), _scores("PAK", "IND", {"attacks": 0.1})]
    out = combine_triples([rule], [model], scores, symmetric=SYMMETRIC)
    assert _keys(out) == {("IND", "attacks", "PAK", "both")}


def test_combiner_direction_conflict_rule_kept_when_model_prefers_it():
    rule = _triple("PAK", "attacks", "IND")
    model = _triple("IND", "attacks", "PAK", method="model", conf=0.5)
    scores = [_scores("IND", "PAK", {"attacks": 0.5}), _scores("PAK", "IND", {"attacks": 0.6})]
    out = combine_triples([rule], [model], scores, symmetric=SYMMETRIC)
    assert _keys(out) == {("PAK", "attacks", "IND", "rule")}


def test_combiner_different_sentences_do_not_agree():
    out = combine_triples([_triple("NATO", "condemns", "PRK", sent=0)],
                          [_triple("NATO", "condemns", "PRK", method="model", conf=0.9, sent=50)],
                          [], symmetric=SYMMETRIC, model_threshold=0.5)
    assert sorted(t["method"] for t in out) == ["model", "rule"]


def test_combiner_fit_isotonic_is_monotone():
    table = fit_isotonic([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [False, True, False, True, True, True])
    assert table["y"] == sorted(table["y"])
    assert apply_calibration(table, 0.0) == table["y"][0]
    assert apply_calibration(table, 1.0) == table["y"][-1]
    assert apply_calibration(None, 0.42) == 0.42


def test_combiner_calibration_applies_per_method():
    calibration = fit_calibration([{"method": "rule", "raw": 0.4, "correct": True},
                                   {"method": "rule", "raw": 0.5, "correct": True}])
    assert calibration["model"] is None and calibration["counts"]["rule"] == 2
    out = combine_triples([_triple("JPN", "protests", "CHN")], [], [], symmetric=SYMMETRIC,
                          calibration=calibration)
    assert out[0]["confidence"] == 1.0


def test_combiner_serialization_round_trip(tmp_path):
    comb = Combiner(model_threshold=0.7)
    comb.initialize(calibration={"rule": {"x": [0.1, 0.9], "y": [0.2, 0.95]}})
    comb.to_disk(tmp_path / "combiner")
    back = Combiner().from_disk(tmp_path / "combiner")
    assert back.cfg == comb.cfg
    assert Combiner().from_bytes(comb.to_bytes()).cfg == comb.cfg
    assert "meets" in back.cfg["symmetric"]


def test_combiner_empty_sentence_threshold_separate_from_fired():
    """Rule-empty sentences use empty_threshold on the raw score; fired ones model_threshold."""
    rules = [_triple("JPN", "protests", "CHN", sent=0)]
    model = [_triple("RUS", "exports_to", "PRK", method="model", conf=0.6, sent=0),
             _triple("USA", "criticizes", "IRN", method="model", conf=0.6, sent=50)]
    kw = dict(symmetric=SYMMETRIC, model_threshold=0.9)
    assert {k[0] for k in _keys(combine_triples(rules, model, [], **kw))} == {"JPN"}
    out = combine_triples(rules, model, [], empty_threshold=0.5, **kw)
    assert _keys(out) == {("JPN", "protests", "CHN", "rule"), ("USA", "criticizes", "IRN", "model")}
    assert {k[0] for k in _keys(combine_triples(rules, model, [], empty_threshold=0.7, **kw))} \
        == {"JPN"}


def test_combiner_empty_sentence_related_score():
    model = [_triple("USA", "criticizes", "IRN", method="model", conf=0.4)]
    scores = [_scores("USA", "IRN", {"criticizes": 0.4, "accuses": 0.35})]
    kw = dict(symmetric=SYMMETRIC, empty_threshold=0.7)
    assert not combine_triples([], model, scores, **kw)
    out = combine_triples([], model, scores, empty_score="related", **kw)
    assert _keys(out) == {("USA", "criticizes", "IRN", "model")}
    with pytest.raises(ValueError):
        combine_triples([], model, scores, empty_score="other", **kw)


def test_combiner_empty_threshold_round_trip(tmp_path):
    comb = Combiner(model_threshold=0.95, empty_threshold=0.4, empty_score="related")
    comb.initialize()
    comb.to_disk(tmp_path / "combiner")
    back = Combiner().from_disk(tmp_path / "combiner")
    assert back.cfg["empty_threshold"] == 0.4 and back.cfg["empty_score"] == "related"


def test_combiner_blind_threshold_none_keeps_empty_threshold_everywhere():
    """Default blind_threshold None: trigger-less sentences follow empty_threshold as before."""
    model = [_triple("USA", "criticizes", "IRN", method="model", conf=0.6, sent=0),
             _triple("RUS", "attacks", "UKR", method="model", conf=0.6, sent=50)]
    kw = dict(symmetric=SYMMETRIC, model_threshold=0.9, empty_threshold=0.5)
    old = combine_triples([], model, [], **kw)
    assert _keys(combine_triples([], model, [], trigger_sents={0}, **kw)) == _keys(old)
    assert _keys(combine_triples([], model, [], trigger_sents={0}, blind_threshold=None, **kw)) \
        == _keys(old) == {("USA", "criticizes", "IRN", "model"), ("RUS", "attacks", "UKR", "model")}
    # Without trigger information every sentence counts as holding a trigger: no split.
    assert _keys(combine_triples([], model, [], blind_threshold=0.95, **kw)) == _keys(old)


def test_combiner_blind_threshold_gates_trigger_less_rule_empty_sentences():
    rules = [_triple("JPN", "protests", "CHN", sent=100)]
    model = [_triple("USA", "criticizes", "IRN", method="model", conf=0.6, sent=0),   # trigger
             _triple("RUS", "attacks", "UKR", method="model", conf=0.6, sent=50),     # blind
             _triple("FRA", "praises", "DEU", method="model", conf=0.6, sent=100)]    # fired
    kw = dict(symmetric=SYMMETRIC, model_threshold=0.9, trigger_sents={0, 100})
    out = combine_triples(rules, model, [], empty_threshold=0.5, blind_threshold=0.7, **kw)
    assert {k[0] for k in _keys(out)} == {"JPN", "USA"}
    out = combine_triples(rules, model, [], empty_threshold=0.7, blind_threshold=0.5, **kw)
    assert {k[0] for k in _keys(out)} == {"JPN", "RUS"}
    # Blind sentences get their own threshold even where trigger sentences follow model_threshold.
    out = combine_triples(rules, model, [], empty_threshold=None, blind_threshold=0.5, **kw)
    assert {k[0] for k in _keys(out)} == {"JPN", "RUS"}


def test_combiner_trigger_sentences_from_the_lexicon():
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from nlp_relations.extract.rules import Lexicon, has_trigger
    from nlp_relations.pipeline.combiner import trigger_sentences

    lex = Lexicon(verbs={"condemn": ("criticizes", ())}, nouns={"talk": ("negotiates_with", ())})
    words = ["Seoul", "condemned", "Tokyo", ".", "Kyiv", "lifted", "its", "blockade", ".",
             "Paris", "imposed", "sanctions", "."]
    lemmas = ["Seoul", "condemn", "Tokyo", ".", "Kyiv", "lift", "its", "blockade", ".",
              "Paris", "impose", "sanction", "."]
    heads = [1, 1, 1, 1, 5, 5, 7, 5, 5, 10, 10, 10, 10]
    deps = ["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "poss", "dobj", "punct",
            "nsubj", "ROOT", "dobj", "punct"]
    starts = [True, False, False, False, True, False, False, False, False, True, False, False,
              False]
    doc = Doc(Vocab(), words=words, lemmas=lemmas, heads=heads, deps=deps, sent_starts=starts)
    sents = list(doc.sents)
    # A verb trigger; no trigger ("lifted its blockade"); "impose"/"sanction" are neither.
    assert [has_trigger(s, lex) for s in sents] == [True, False, False]
    assert trigger_sentences(doc, lex) == {sents[0].start_char}
    # A light-verb pair alone makes "imposed sanctions" readable.
    light = Lexicon(light={("impose", "sanction"): ("sanctions", ("on",))})
    assert trigger_sentences(doc, light) == {sents[2].start_char}
    assert trigger_sentences(doc, None) is None
    assert trigger_sentences(Doc(Vocab(), words=["a", "b"]), lex) is None


def test_combiner_in_the_pipeline_finds_the_rule_lexicon(nlp):
    comb = next((c for _, c in nlp.pipeline if isinstance(c, Combiner)), None)
    if comb is None:
        pytest.skip("no trained model in models/relation_model")
    assert comb._lexicon() is nlp.get_pipe("nlp_relations_rules").lexicon
    assert Combiner()._lexicon() is None


def test_combiner_retype_takes_the_trigger_the_model_scores_highest():
    """A model-only pair in a rule-empty sentence takes a trigger's predicate when retype is on."""
    model = [_triple("TUR", "warns", "BEL", method="model", conf=0.7, sent=0)]
    scores = [_scores("TUR", "BEL", {"warns": 0.7, "urges": 0.2, "criticizes": 0.05})]
    found = {0: [["criticizes", "slamming", 30], ["urges", "appeal", 10]]}
    kw = dict(symmetric=SYMMETRIC, model_threshold=1.01, empty_threshold=0.5)
    out = combine_triples([], model, scores, retype=True, trigger_preds=found, **kw)
    assert _keys(out) == {("TUR", "urges", "BEL", "model")}
    assert out[0]["trigger"] == "appeal" and out[0]["trigger_start"] == 10
    assert out[0]["rule"] == "model+trigger"
    # The gate and the confidence are the model's own prediction's.
    assert out[0]["confidence"] == pytest.approx(0.7)
    # Off by default, and with retype on the model's predicate stays when a trigger names it.
    assert _keys(combine_triples([], model, scores, trigger_preds=found, **kw)) \
        == {("TUR", "warns", "BEL", "model")}
    named = {0: [["warns", "warned", 5], ["urges", "appeal", 10]]}
    out = combine_triples([], model, scores, retype=True, trigger_preds=named, **kw)
    assert _keys(out) == {("TUR", "warns", "BEL", "model")} and out[0]["rule"] == "model"
    # A sentence without triggers keeps the model's predicate; so does a gated-out triple.
    assert _keys(combine_triples([], model, scores, retype=True, trigger_preds={}, **kw)) \
        == {("TUR", "warns", "BEL", "model")}
    assert combine_triples([], model, scores, retype=True, trigger_preds=found,
                           **{**kw, "empty_threshold": 0.8}) == []


def test_combiner_retype_leaves_fired_sentences_alone():
    rules = [_triple("JPN", "protests", "CHN", sent=0)]
    model = [_triple("FRA", "warns", "DEU", method="model", conf=0.9, sent=0)]
    found = {0: [["protests", "protested", 4]]}
    out = combine_triples(rules, model, [], symmetric=SYMMETRIC, model_threshold=0.5,
                          empty_threshold=0.5, retype=True, trigger_preds=found)
    assert ("FRA", "warns", "DEU", "model") in _keys(out)


def test_combiner_sentence_triggers_and_trigger_predicates():
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from nlp_relations.extract.rules import Lexicon, trigger_predicates
    from nlp_relations.pipeline.combiner import sentence_triggers

    lex = Lexicon(verbs={"condemn": ("condemns", ()), "urge": ("urges", ())},
                  light={("impose", "sanction"): ("sanctions", ("on",))})
    words = ["Seoul", "condemned", "Tokyo", "and", "urged", "talks", ".", "Paris", "imposed",
             "sanctions", ".", "Rome", "slept", "."]
    lemmas = ["Seoul", "condemn", "Tokyo", "and", "urge", "talk", ".", "Paris", "impose",
              "sanction", ".", "Rome", "sleep", "."]
    heads = [1, 1, 1, 1, 1, 4, 1, 8, 8, 8, 8, 12, 12, 12]
    deps = ["nsubj", "ROOT", "dobj", "cc", "conj", "dobj", "punct", "nsubj", "ROOT", "dobj",
            "punct", "nsubj", "ROOT", "punct"]
    starts = [True] + [False] * 6 + [True] + [False] * 3 + [True, False, False]
    doc = Doc(Vocab(), words=words, lemmas=lemmas, heads=heads, deps=deps, sent_starts=starts)
    sents = list(doc.sents)
    assert trigger_predicates(sents[0], lex) == ["condemns", "urges"]
    assert trigger_predicates(sents[2], lex) == []
    found = sentence_triggers(doc, lex)
    # The first trigger of each predicate, with its text and offset (the noun of a light pair).
    assert found == {0: [["condemns", "condemned", doc[1].idx], ["urges", "urged", doc[4].idx]],
                     sents[1].start_char: [["sanctions", "sanctions", doc[9].idx]]}
    assert sentence_triggers(doc, None) is None


def test_combiner_retype_round_trip(tmp_path):
    comb = Combiner(empty_threshold=0.5, retype=True)
    comb.initialize()
    comb.to_disk(tmp_path / "combiner")
    assert Combiner().from_disk(tmp_path / "combiner").cfg["retype"] is True
    assert Combiner().cfg["retype"] is False


def test_combiner_model_fired_table_for_model_triples_beside_rule_triples():
    rules = [_triple("JPN", "protests", "CHN", sent=0)]
    model = [_triple("FRA", "warns", "DEU", method="model", conf=0.9, sent=0),
             _triple("USA", "warns", "IRN", method="model", conf=0.9, sent=100)]
    cal = {"model": {"x": [0.9], "y": [0.8]}, "model_fired": {"x": [0.9], "y": [0.1]}}
    out = combine_triples(rules, model, [], symmetric=SYMMETRIC, calibration=cal,
                          model_threshold=0.0, empty_threshold=0.0)
    conf = {t["subject"]["actor"]: t["confidence"] for t in out}
    assert conf["FRA"] == pytest.approx(0.1) and conf["USA"] == pytest.approx(0.8)
    # An older calibration without the table uses the model's.
    del cal["model_fired"]
    out = combine_triples(rules, model, [], symmetric=SYMMETRIC, calibration=cal,
                          model_threshold=0.0, empty_threshold=0.0)
    assert {t["subject"]["actor"]: t["confidence"] for t in out}["FRA"] == pytest.approx(0.8)


def test_combiner_fit_isotonic_prior_weight_shrinks_small_blocks():
    import random

    # One right answer at the top of mostly wrong ones: certain without the prior, likely with it.
    scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.99]
    right = [False, True, False, False, True, False, True]
    assert fit_isotonic(scores, right)["y"][-1] == 1.0
    shrunk = fit_isotonic(scores, right, prior_weight=2)
    assert 3 / 7 < shrunk["y"][-1] < 0.9
    assert shrunk["y"][0] > 0.0
    # Always a monotone table, whatever the data.
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(1, 30)
        xs = [rng.random() for _ in range(n)]
        ys = [rng.random() < x for x in xs]
        table = fit_isotonic(xs, ys, prior_weight=rng.choice([0.5, 2, 5]))
        assert table["y"] == sorted(table["y"]) and table["x"] == sorted(table["x"])
    # fit_calibration shrinks by default.
    records = [{"method": "model", "raw": x, "correct": c} for x, c in zip(scores, right)]
    assert fit_calibration(records)["model"] == shrunk


def test_combiner_max_actors_skips_crowded_rule_empty_sentences():
    """A rule-empty sentence naming many actors (a list of countries) gets no model triple."""
    model = [_triple("USA", "rejects", "AUT", method="model", conf=0.9, sent=0),
             _triple("RUS", "attacks", "UKR", method="model", conf=0.9, sent=100)]
    scores = [_scores(a, b, {"rejects": 0.9}, sent=0)
              for a, b in (("USA", "AUT"), ("USA", "ISR"), ("ISR", "CZE"))] + \
        [_scores("RUS", "UKR", {"attacks": 0.9}, sent=100)]
    kw = dict(symmetric=SYMMETRIC, model_threshold=1.01, empty_threshold=0.5)
    assert {k[0] for k in _keys(combine_triples([], model, scores, **kw))} == {"USA", "RUS"}
    # Four actors in sentence 0, two in sentence 100.
    out = combine_triples([], model, scores, max_actors=3, **kw)
    assert {k[0] for k in _keys(out)} == {"RUS"}
    assert {k[0] for k in _keys(combine_triples([], model, scores, max_actors=4, **kw))} \
        == {"USA", "RUS"}
    # Sentences where the rules fired are the rules' business, crowded or not.
    rules = [_triple("ISR", "criticizes", "CZE", sent=0)]
    out = combine_triples(rules, model, scores, max_actors=2, **kw)
    assert ("ISR", "criticizes", "CZE", "rule") in _keys(out)
    comb = Combiner(max_actors=3)
    assert comb.cfg["max_actors"] == 3 and Combiner().cfg["max_actors"] is None


def _cand(s: str, o: str, sent: int, end: int) -> dict:
    return {"subject": {"actor": s, "start": sent}, "object": {"actor": o, "start": sent + 2},
            "sent_start": sent, "sent_end": end}


EVERY_PAIR = {("NATO", "RUS"), ("RUS", "NATO"), ("NATO", "IRN"), ("CHN", "JPN"), ("JPN", "CHN")}


@pytest.mark.parametrize("model_only,max_actors,threshold,expected", [
    # Default: the model only confirms rule triples; the pairs the rules linked, both ways.
    (False, None, 0.5, {("NATO", "RUS"), ("RUS", "NATO")}),
    (False, 3, 1.01, {("NATO", "RUS"), ("RUS", "NATO")}),
    # Model-only triples on: every pair; in a crowded sentence (3 actors > 2) where they
    # cannot be kept (threshold above 1), the linked ones.
    (True, None, 1.01, EVERY_PAIR),
    (True, 2, 0.5, EVERY_PAIR),
    (True, 2, 1.01, {("NATO", "RUS"), ("RUS", "NATO"), ("CHN", "JPN"), ("JPN", "CHN")}),
])
def test_combiner_usable_pairs(model_only, max_actors, threshold, expected):
    from spacy.lang.en import English
    from spacy.tokens import Doc

    from nlp_relations.pipeline import register_extensions

    register_extensions()
    words = "NATO condemned Russia and Iran . China met Japan .".split()
    doc = Doc(English().vocab, words=words,
              sent_starts=[True, False, False, False, False, False, True, False, False, False])
    rule = _triple("NATO", "condemns", "RUS", sent=0)
    doc._.rule_triples = [rule, dict(rule, object=None)]  # an object-less triple links nothing
    cands = [_cand("NATO", "RUS", 0, 6), _cand("RUS", "NATO", 0, 6), _cand("NATO", "IRN", 0, 6),
             _cand("CHN", "JPN", 6, 10), _cand("JPN", "CHN", 6, 10)]
    comb = Combiner(model_only=model_only, max_actors=max_actors, model_threshold=threshold)
    usable = comb.usable_pairs(doc, cands)
    assert {(c["subject"]["actor"], c["object"]["actor"]) for c in usable} == expected
    assert usable == [c for c in cands if c in usable]  # in the candidates' order


@pytest.mark.parametrize("model_only,expected", [(False, {0}), (True, None)])
def test_combiner_usable_sentences(model_only, expected):
    from spacy.lang.en import English
    from spacy.tokens import Doc

    from nlp_relations.pipeline import register_extensions

    register_extensions()
    doc = Doc(English().vocab, words="NATO condemned Russia . China met Japan .".split())
    rule = _triple("NATO", "condemns", "RUS", sent=0)
    # An object-less triple in the second sentence links no pair there.
    doc._.rule_triples = [rule, dict(rule, object=None, sent_start=24)]
    assert Combiner(model_only=model_only).usable_sentences(doc) == expected


def test_combiner_usable_pairs_only_in_usable_sentences(nlp):
    """The relation model builds candidates only in the combiner's usable sentences: what it
    scores is what usable_pairs keeps of every candidate."""
    model, combiner = nlp.get_pipe("nlp_relations_model"), nlp.get_pipe("nlp_relations_combiner")
    texts = ["NATO condemned Russia over the attack. China met Japan and South Korea in Seoul. "
             "Iran praised Syria, and France criticised Iran.",
             "The weather in Paris and Berlin was cold. Germany denounced Russia."]
    docs = list(nlp.pipe(texts))
    pruned = model._inputs(docs, prune=True)
    scored = built = 0
    for doc, (_, cands) in zip(docs, pruned):
        every = pair_candidates(doc, skip_subjects=model.cfg["skip_subjects"])
        assert cands == combiner.usable_pairs(doc, every)
        scored, built = scored + len(cands), built + len(every)
    assert 0 < scored < built


# --------------------------------------------------------------------------- the final stage


class _Registry:
    def __init__(self, media):
        self.media = set(media)

    def kind(self, actor_id):
        return "media" if actor_id in self.media else "state"


def _at(t: dict, start: int, end: int, which: str = "subject") -> dict:
    return dict(t, **{which: dict(t[which], start_char=start, end_char=end)})


def test_combiner_guard_drops_outlets_and_actors_in_noise():
    keep = _at(_at(_triple("PRK", "condemns", "USA"), 30, 41), 52, 65, "object")
    outlet_subject = _triple("KCNA", "condemns", "USA")
    outlet_object = _triple("USA", "criticizes", "YONHAP", method="model")
    dateline = _at(_triple("KOR", "meets", "USA", method="model"), 0, 5)  # "SEOUL, July 13 --"
    out = guard([keep, outlet_subject, outlet_object, dateline],
                registry=_Registry({"KCNA", "YONHAP"}), noise=[[0, 20]])
    assert out == [keep]
    # Without a registry or noise, nothing is dropped.
    assert len(guard([keep, outlet_subject], registry=None, noise=[])) == 2


def test_combiner_attributes_model_only_triples_like_rule_triples(nlp):
    doc = nlp("Japan said that China did not condemn Russia.")
    ids = {m["actor"]: m for m in doc._.actors}
    assert {"JPN", "CHN", "RUS"} <= set(ids)
    verb = next(t for t in doc if t.lower_ == "condemn")
    m = _triple("CHN", "condemns", "RUS", method="model")
    m.update(subject=dict(_ref("CHN"), start_char=ids["CHN"]["start_char"],
                          end_char=ids["CHN"]["end_char"]),
             trigger=verb.text, trigger_start=verb.idx, sent_start=0, sent_end=len(doc.text))
    attribute_model_triples(doc, [m])
    assert m["negated"] is True
    assert m["speaker"]["actor"] == "JPN"


def test_combiner_final_stage_in_the_pipeline(nlp):
    comb = next((c for _, c in nlp.pipeline if isinstance(c, Combiner)), None)
    if comb is None:
        pytest.skip("no trained model in models/relation_model")
    assert comb._registry() is not None and comb._registry().kind("KCNA") == "media"
    doc = nlp("SEOUL, July 13 (Yonhap) -- North Korea condemned the United States, KCNA said.")
    for t in doc._.triples:
        assert "KCNA" not in (t["subject"]["actor"], t["object"]["actor"] if t["object"] else None)
        assert t["subject"]["start_char"] > 25
