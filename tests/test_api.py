"""The public API: extract, extract_many, bad input, serialisation of what the Doc carries."""

from __future__ import annotations

import json

import pytest
from spacy.tokens import Doc, DocBin

import nlp_relations
from nlp_relations import InputError

from .conftest import keys

SENTENCES = [
    "NATO condemned North Korea's arms exports to Russia.",
    "Russian Foreign Minister Sergei Lavrov met Wang Yi in Beijing on Tuesday.",
]


def test_api_extract_returns_triples(nlp):
    triples = nlp_relations.extract(SENTENCES[0], doc_id="t1", nlp=nlp)
    assert {("NATO", "condemns", "PRK"), ("PRK", "exports_to", "RUS")} <= keys(triples)
    t = next(t for t in triples if t.key()[1] == "condemns")
    assert t.category == "ACCUSE" and t.cameo == "111" and t.stance == "negative"
    # "both" when the trained model agrees with the rules.
    assert t.evidence.doc_id == "t1" and t.method in {"rule", "both"}
    assert 0 < t.confidence <= 1


def test_api_public_names_are_exported():
    for name in ("load", "extract", "extract_many", "build_graph", "write_graphml",
                 "resolve_actor", "Triple", "Actor", "Mention"):
        assert name in nlp_relations.__all__
        assert hasattr(nlp_relations, name)


def test_api_office_holders_stand_for_their_state(nlp):
    triples = nlp_relations.extract(SENTENCES[1], nlp=nlp)
    assert ("RUS", "meets", "CHN") in keys(triples)
    meet = next(t for t in triples if t.key()[:3] == ("RUS", "meets", "CHN"))
    assert meet.subject.agent is not None and meet.subject.agent.kind == "person"


BAD = [
    ("", "E001"),
    ("   \n\t  ", "E001"),
    (b"\x00\x01\x02\x03binary\x00\x00\xff\xfe" * 20, "E002"),
    ("x" * 1_000_001, "E003"),
    ("Le ministère des affaires étrangères a condamné les essais de missiles de la Corée du "
     "Nord et appelé à la reprise du dialogue sur la péninsule coréenne.", "E005"),
    (12345, "E006"),
]


@pytest.mark.parametrize("raw,code", BAD)
def test_api_bad_input_gets_coded_error(nlp, raw, code):
    with pytest.raises(InputError) as info:
        nlp_relations.extract_doc(raw, "bad", nlp=nlp)
    assert info.value.code == code
    assert "bad" in str(info.value)


def test_api_extract_many_keeps_every_document_in_order(nlp):
    items = [(SENTENCES[0], "good-1")] + [(raw, f"bad-{i}") for i, (raw, _) in enumerate(BAD)]
    items += [(SENTENCES[1], "good-2")]
    results = list(nlp_relations.extract_many(items, nlp=nlp, batch_size=2))
    assert [r.doc_id for r in results] == [doc_id for _, doc_id in items]
    assert [r.ok for r in results] == [True] + [False] * len(BAD) + [True]
    assert all(r.error and r.error[:4] == code for r, (_, code) in zip(results[1:-1], BAD))
    assert ("NATO", "condemns", "PRK") in keys(results[0].triples)


def test_api_html_is_stripped_and_noted(nlp):
    html = ("<html><head><style>p {color: red}</style><script>var NATO = 1;</script></head>"
            "<body><p>NATO condemned North Korea&#x27;s missile launches.</p></body></html>")
    result = nlp_relations.extract_doc(html, "page", nlp=nlp)
    assert result.ok and result.notes
    assert ("NATO", "condemns", "PRK") in keys(result.triples)


def test_api_latin1_bytes_are_decoded(nlp):
    raw = "Côte d'Ivoire criticised Burkina Faso's junta.".encode("latin-1")
    result = nlp_relations.extract_doc(raw, "latin1", nlp=nlp)
    assert ("CIV", "criticizes", "BFA") in keys(result.triples)


MULTIPROCESS = """
import json, nlp_relations
nlp = nlp_relations.load()
items = [(s, f"d{i}") for i, s in enumerate(%r * 3)]
key = lambda r: sorted(list(t.key()[:3]) for t in r.triples)
single = [key(r) for r in nlp_relations.extract_many(items, nlp=nlp)]
multi = [key(r) for r in nlp_relations.extract_many(items, nlp=nlp, n_process=2, batch_size=2)]
print(json.dumps([single, multi]))
"""


def test_api_extract_many_multiprocess():
    # In a child process with a time limit: a fork that hangs fails the test, not the suite.
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", MULTIPROCESS % (SENTENCES,)], capture_output=True,
                         text=True, timeout=300, check=True)
    single, multi = json.loads(out.stdout.strip().splitlines()[-1])
    assert single == multi and all(single)


def _plain(value):
    # msgpack gives tuples back where lists went in; the content must be identical.
    return json.loads(json.dumps(value))


def test_api_doc_extensions_survive_docbin(nlp):
    doc = nlp(SENTENCES[0])
    assert doc._.triples
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    back = list(DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab))[0]
    assert _plain(back._.triples) == _plain(doc._.triples)
    assert _plain(back._.actors) == _plain(doc._.actors)
    assert _plain(Doc(nlp.vocab).from_bytes(doc.to_bytes())._.triples) == _plain(doc._.triples)
    result = nlp_relations.doc_to_result(back, "roundtrip")
    assert ("NATO", "condemns", "PRK") in keys(result.triples)


def test_api_resolve_actor():
    assert nlp_relations.resolve_actor("Pyongyang").id == "PRK"
    assert nlp_relations.resolve_actor("artillery") is None


def test_api_extra_actors(tmp_path, nlp):
    extra = tmp_path / "mine.jsonl"
    extra.write_text('{"id": "ZZLAND", "name": "Zedland Liberation Front", "kind": "group", '
                     '"aliases": ["Zedland Liberation Front", "ZLF"]}\n', encoding="utf-8")
    custom = nlp_relations.load(extra_actors=extra)
    triples = nlp_relations.extract("The ZLF attacked Mali.", nlp=custom)
    assert ("ZZLAND", "attacks", "MLI") in keys(triples)


def test_api_extra_actors_bad_line_is_named(tmp_path):
    extra = tmp_path / "bad.jsonl"
    extra.write_text('{"id": "OK", "name": "Ok", "kind": "group", "aliases": ["Ok Group"]}\n'
                     '{"id": "bad id", "name": "X", "kind": "group", "aliases": ["X"]}\n')
    with pytest.raises(nlp_relations.RegistryError, match=r"bad.jsonl:2"):
        nlp_relations.load(extra_actors=extra)


def test_api_triple_repr_html_shows_the_relation_and_escapes(nlp):
    t = nlp_relations.extract("NATO condemned North Korea's <b>tests</b>.", nlp=nlp)[0]
    html = t._repr_html_()
    assert "NATO" in html and "condemns" in html and "PRK" in html
    assert "<b>tests</b>" not in html and "&lt;b&gt;tests&lt;/b&gt;" in html


def test_api_resolve_actor_uses_the_pipeline_registry(tmp_path):
    extra = tmp_path / "mine.jsonl"
    extra.write_text('{"id": "ZZLAND", "name": "Zedland Liberation Front", "kind": "group", '
                     '"aliases": ["Zedland Liberation Front", "ZLF"]}\n', encoding="utf-8")
    custom = nlp_relations.load(extra_actors=extra)
    assert nlp_relations.resolve_actor("ZLF", nlp=custom).id == "ZZLAND"
    assert nlp_relations.resolve_actor("ZLF") is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_api_byte_order_marks_are_decoded(nlp, encoding):
    raw = "Japan condemned North Korea.".encode(encoding)
    result = nlp_relations.extract_doc(raw, "bom", nlp=nlp)
    assert result.ok and ("JPN", "condemns", "PRK") in keys(result.triples)


def test_api_extract_many_reports_documents_the_pipeline_dropped(nlp, monkeypatch):
    items = [(SENTENCES[0], "a"), ("", "b"), (SENTENCES[1], "c"), (SENTENCES[0], "d")]
    real_pipe = nlp.pipe

    def dropping_pipe(stream, **kwargs):
        # A stand-in for a component that loses a document: "c" never comes back. (spaCy's
        # own pipe calls itself without as_tuples; those calls pass straight through.)
        if not kwargs.get("as_tuples"):
            yield from real_pipe(stream, **kwargs)
            return
        for doc, ctx in real_pipe(stream, **kwargs):
            if ctx != 2:
                yield doc, ctx

    monkeypatch.setattr(nlp, "pipe", dropping_pipe)
    results = list(nlp_relations.extract_many(items, nlp=nlp))
    assert [r.doc_id for r in results] == ["a", "b", "c", "d"]
    assert [r.ok for r in results] == [True, False, False, True]
    assert results[2].error.startswith("E007")


def test_api_max_chars_above_spacy_limit_is_honoured(nlp, monkeypatch):
    # spaCy refuses texts over nlp.max_length; a larger max_chars must raise that limit.
    monkeypatch.setattr(nlp, "max_length", 40)
    text = "Japan condemned North Korea on Friday after the launch of a missile."
    result = nlp_relations.extract_doc(text, "long", nlp=nlp, max_chars=1000)
    assert result.ok and ("JPN", "condemns", "PRK") in keys(result.triples)
    results = list(nlp_relations.extract_many([(text, "long2")], nlp=nlp, max_chars=1000))
    assert results[0].ok


def test_api_random_bytes_are_binary(nlp):
    import random

    rng = random.Random(0)
    raw = bytes(rng.randrange(256) for _ in range(5000))
    result = list(nlp_relations.extract_many([(raw, "noise")], nlp=nlp))[0]
    assert not result.ok and result.error.startswith("E002")


def test_api_default_model_is_the_light_one_and_changes_only_confidences(monkeypatch):
    """load() runs models/relation_model_light/ (2 window layers), load(model_only=True) the
    full models/relation_model/ (4): in the default the model only confirms the rules' triples,
    so which one runs changes their confidences and rule/both labels, never the triples."""
    from nlp_relations import api
    from nlp_relations.pipeline.relation_model import receptive_field
    from nlp_relations.resources import DATA_DIR, LIGHT_MODEL_DIR, MODEL_DIR

    assert api.default_model_dir() == LIGHT_MODEL_DIR
    assert api.default_model_dir(model_only=True) == MODEL_DIR

    def depth(nlp) -> int:  # window layers of one token each side
        return receptive_field(nlp.get_pipe(api.MODEL).model.layers[0].layers[0])

    light, full = nlp_relations.load(), nlp_relations.load(model=MODEL_DIR)
    assert (depth(light), depth(full), depth(nlp_relations.load(model_only=True))) == (2, 4, 4)
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA_DIR / "samples").glob("*.txt"))]

    def strip(triples: list[dict]) -> list[dict]:
        return [{k: v for k, v in t.items() if k not in ("confidence", "method")} for t in triples]

    confidences = []
    for a, b in zip(light.pipe(texts), full.pipe(texts)):
        assert strip(a._.triples) == strip(b._.triples)
        confidences += [(x["confidence"], y["confidence"])
                        for x, y in zip(a._.triples, b._.triples)]
    assert len(confidences) > 20 and any(x != y for x, y in confidences)
    # Without the light folder the default falls back to the full model.
    monkeypatch.setattr(api, "LIGHT_MODEL_DIR", DATA_DIR / "no such model")
    assert api.default_model_dir() == MODEL_DIR


def test_api_load_model_from_a_folder(tmp_path):
    import shutil

    from nlp_relations.errors import InputError
    from nlp_relations.resources import MODEL_DIR

    copy = tmp_path / "my_model"
    shutil.copytree(MODEL_DIR, copy)
    nlp = nlp_relations.load(model=copy, cache=False)
    assert "nlp_relations_combiner" in nlp.pipe_names
    doc = nlp("NATO condemned North Korea.")
    assert [(t["subject"]["actor"], t["predicate"], t["method"]) for t in doc._.triples] == [
        ("NATO", "condemns", "both")]
    with pytest.raises(InputError, match="E053"):
        nlp_relations.load(model=tmp_path / "nothing here", cache=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="E054"):
        nlp_relations.load(model=tmp_path / "empty", cache=False)
