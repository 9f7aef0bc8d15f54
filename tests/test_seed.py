"""The user's sample article: what an analyst must get out of it (issue 2)."""

from __future__ import annotations

import pytest

from .conftest import keys


@pytest.mark.parametrize(
    "expected",
    [
        ("NATO", "condemns", "PRK"),
        ("PRK", "denounces", "NATO"),
        ("PRK", "rejects", "NATO"),
        ("PRK", "exports_to", "RUS"),
        ("NATO", "expresses_concern", "PRK"),
    ],
)
def test_seed_has_triple(seed_result, expected):
    assert expected in keys(seed_result.triples)


def test_seed_prk_threatens_or_warns_usa(seed_result):
    found = keys(seed_result.triples)
    assert ("PRK", "warns", "USA") in found or ("PRK", "threatens", "USA") in found


def test_seed_statement_source_is_kcna(seed_result):
    statement = [t for t in seed_result.triples
                 if t.key()[:3] in {("PRK", "denounces", "NATO"), ("PRK", "rejects", "NATO")}]
    assert statement and all(t.source is not None for t in statement)
    assert {t.source.actor.id for t in statement} == {"KCNA"}


def test_seed_report_source_is_yonhap(seed_result):
    nato = [t for t in seed_result.triples if t.key()[:3] == ("NATO", "condemns", "PRK")]
    assert nato and {t.source.actor.id for t in nato if t.source} == {"YONHAP"}


def test_seed_spokesperson_resolves_to_prk(seed_result):
    spokes = [m for m in seed_result.actors if "spokesperson" in m.text.lower()]
    assert spokes and {m.actor.id for m in spokes} == {"PRK"}
    # "... the spokesperson said in the statement": the statement's triples are PRK's words.
    speakers = {t.speaker.actor.id for t in seed_result.triples
                if t.speaker and t.key()[:2] in {("PRK", "denounces"), ("PRK", "rejects")}}
    assert speakers == {"PRK"}


def test_seed_washington_summit_is_a_place(seed_result, seed_text):
    start = seed_text.index("summit in Washington") + len("summit in ")
    assert not [m for m in seed_result.actors if m.start_char == start]
    assert "USA" not in {t.subject.actor.id for t in seed_result.triples}


def test_seed_read_also_line_yields_nothing(seed_result, seed_text):
    start = seed_text.index("READ ALSO")
    end = seed_text.index("\n", seed_text.index("Nigeria"))
    assert not [m for m in seed_result.actors if start <= m.start_char < end]
    assert not [t for t in seed_result.triples if start <= t.evidence.start_char < end]
    assert "NGA" not in {m.actor.id for m in seed_result.actors}


def test_seed_outlets_are_never_subjects(seed_result):
    assert not {"KCNA", "YONHAP"} & {t.subject.actor.id for t in seed_result.triples}


def test_seed_evidence_traces_to_text(seed_result, seed_text):
    for t in seed_result.triples:
        ev = t.evidence
        assert seed_text[ev.start_char:ev.end_char].strip() == ev.sentence
        assert t.evidence.trigger.split()[0] in ev.sentence
        assert seed_text[t.subject.start_char:t.subject.end_char] == t.subject.text


def test_seed_nested_condemnation_links_the_export(seed_result):
    nested = [t for t in seed_result.triples
              if t.key()[:3] == ("NATO", "condemns", "PRK") and t.topic]
    assert nested and all(t.topic.startswith("exports_to@") for t in nested)
