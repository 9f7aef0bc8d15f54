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
from nlp_relations.pipeline.relation_model import (
    GOLD_ATTR,
    NONE,
    RelationModel,
    pair_candidates,
    score_relation_model,
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
    cfg["model"] = dict(cfg["model"], freeze_tok2vec=True)
    comp = spacy.blank("en").add_pipe("nlp_relations_relation_model_v1", config=cfg)
    with pytest.raises(ValueError, match="freeze_tok2vec"):
        comp.from_disk(tmp_path / "rel")


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
