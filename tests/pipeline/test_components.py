"""Every component: serialisation round trip, scorer numbers, error paths."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc
from spacy.training import Example

from nlp_relations.api import LINKER, RULES
from nlp_relations.pipeline.actor_linker import score_actors
from nlp_relations.pipeline.rule_relations import score_triples

TEXT = "NATO condemned North Korea's arms exports to Russia, Yonhap reported."


def _plain(value):
    return json.loads(json.dumps(value))


def test_components_save_and_load_in_fresh_process(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    expected = _plain(nlp(TEXT)._.triples)
    code = (
        "import json, spacy, sys\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"print(json.dumps(nlp({TEXT!r})._.triples))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


def test_components_bytes_round_trip(nlp):
    linker = nlp.get_pipe(LINKER)
    rules = nlp.get_pipe(RULES)
    data_l, data_r = linker.to_bytes(), rules.to_bytes()
    fresh = spacy.blank("en")
    new_l = fresh.add_pipe("nlp_relations_actor_linker_v1").from_bytes(data_l)
    new_r = fresh.add_pipe("nlp_relations_rule_relations_v1").from_bytes(data_r)
    assert len(new_l.registry) == len(linker.registry)
    assert new_l.registry.resolve("Pyongyang").id == "PRK"
    assert new_r.lexicon.to_dict() == rules.lexicon.to_dict()


def _example(nlp, text, gold_actors, gold_triples):
    pred = nlp(text)
    ref = Doc(nlp.vocab, words=[t.text for t in pred], spaces=[bool(t.whitespace_) for t in pred])
    ref._.actors = gold_actors
    ref._.triples = gold_triples
    return Example(pred, ref)


def test_components_scorers(nlp):
    text = "France condemned Russia."
    gold_actors = [{"start_char": 0, "end_char": 6, "actor": "FRA"},
                   {"start_char": 17, "end_char": 23, "actor": "RUS"},
                   {"start_char": 100, "end_char": 105, "actor": "DEU"}]
    gold_triples = [{"subject": {"actor": "FRA"}, "predicate": "condemns",
                     "object": {"actor": "RUS"}, "negated": False, "modality": "asserted"},
                    {"subject": {"actor": "FRA"}, "predicate": "sanctions",
                     "object": {"actor": "RUS"}, "negated": False, "modality": "asserted"}]
    eg = _example(nlp, text, gold_actors, gold_triples)
    actors = score_actors([eg])
    assert actors["actors_p"] == 1.0 and actors["actors_r"] == pytest.approx(2 / 3)
    triples = score_triples([eg])
    assert triples["triples_p"] == 1.0 and triples["triples_r"] == 0.5
    assert nlp.get_pipe(RULES).score([eg]) == triples


def test_components_failure_is_recorded_not_raised(nlp, monkeypatch):
    import nlp_relations.pipeline.rule_relations as rr

    def boom(*args, **kwargs):
        raise RuntimeError("synthetic failure")

    monkeypatch.setattr(rr, "extract_triples", boom)
    doc = nlp(TEXT)
    assert doc._.rule_triples == [] and doc._.errors and doc._.errors[0].startswith("E101")
    import nlp_relations

    result = nlp_relations.doc_to_result(doc, "broken")
    assert not result.ok and "E101" in result.error


def test_components_unknown_predicate_in_lexicon_is_named(tmp_path):
    from nlp_relations.extract.rules import load_lexicon

    bad = tmp_path / "triggers.tsv"
    bad.write_text("verb\tcondem\t\tcondem\t\n")
    with pytest.raises(ValueError, match="Unknown predicate 'condem'.*condemns"):
        load_lexicon(bad)


def test_components_line_breaks_split_sentences(nlp):
    doc = nlp("READ ALSO:\nNigeria: School building collapses\nNATO condemned Russia.")
    starts = [s.text.strip() for s in doc.sents]
    assert "READ ALSO:" in starts and "NATO condemned Russia." in starts


def test_components_line_breaks_cut_run_on_text():
    from nlp_relations.pipeline.line_breaks import LineBreaks

    doc = spacy.blank("en")("NATO condemned North Korea and " * 120)  # 600 tokens, no end
    LineBreaks(max_sentence_tokens=100)(doc)
    starts = [t.i for t in doc if t.is_sent_start]
    # A cut every 100 tokens at most, placed after an "and" (each unit is five tokens).
    assert starts[:3] == [0, 100, 200] and all(doc[i - 1].text == "and" for i in starts[1:])
    assert all(b - a <= 100 for a, b in zip(starts, starts[1:]))


def test_components_line_breaks_leave_ended_sentences_alone():
    from nlp_relations.pipeline.line_breaks import LineBreaks

    text = "NATO condemned North Korea. " * 100 + "China objected\nRussia agreed"
    doc = spacy.blank("en")(text)
    LineBreaks(max_sentence_tokens=10)(doc)
    # Only the line break marks a start: every run of tokens ends with a full stop in time.
    assert [t.text for t in doc[1:] if t.is_sent_start] == ["Russia"]
    off = spacy.blank("en")("NATO condemned North Korea and " * 120)
    LineBreaks(max_sentence_tokens=0)(off)
    assert not any(t.is_sent_start for t in off[1:])


def test_components_line_breaks_setting_in_config(nlp):
    from nlp_relations.api import LINE_BREAKS

    assert nlp.get_pipe(LINE_BREAKS).max_sentence_tokens == 250
