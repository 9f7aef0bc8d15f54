"""Named people from the converted Phoenix lists, read on the document's date."""

from __future__ import annotations

import json

import pytest

import nlp_relations
from nlp_relations.convert.people_index import people_index_lines
from nlp_relations.extract.people import (PEOPLE_INDEX, PersonEntry, Role, entries,
                                          load_people_index, reading_on)

REPO_PEOPLE = PEOPLE_INDEX.parent / "phoenix_people.jsonl"
# Named bodies of one country are indexed beside the people.
REPO_BODIES = [PEOPLE_INDEX.parent / "phoenix_organisations.jsonl",
               PEOPLE_INDEX.parent / "phoenix_groups.jsonl"]

KENYATTA = PersonEntry("PHX-KEN_X", "X", (Role("ELI", "KEN", "1990-01-01", "2002-12-31"),
                                         Role("GOVBUS", "KEN", "2003-01-01", "2006-03-31"),
                                         Role("GOV", "KEN", "2013-04-09", "2022-09-13"),
                                         Role("ELI", "KEN", "", "")))


@pytest.mark.parametrize("date, expected", [
    ("2015-06-01", ("KEN", "GOV")),          # in office: the state itself
    ("2004-02-01", ("KEN", "GOV")),          # a ministry (GOVBUS) is the government too
    ("2008-01-01", ("KEN", "ELI")),          # between terms: a former official
    ("2023-01-01", ("KEN", "ELI")),          # after the term
    ("1980-01-01", ("KEN", "ELI")),          # before any role
    ("1995-05-05", ("KEN", "ELI")),          # a dated elite role
    (None, ("KEN", "GOV")),                  # no date: the latest-starting role
])
def test_people_reading_on_date(date, expected):
    assert reading_on(KENYATTA, date) == expected


def test_people_committed_index_equals_conversion_of_committed_people():
    records = []
    for path in [REPO_PEOPLE, *REPO_BODIES]:
        with path.open(encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    fresh = "".join(line + "\n" for line in people_index_lines(records))
    assert fresh == PEOPLE_INDEX.read_text(encoding="utf-8"), \
        "rerun python -m nlp_relations.convert"


def test_people_index_keys_are_two_words_or_more():
    index = load_people_index(PEOPLE_INDEX)
    assert len(index) > 15000
    assert all(" " in key for key in index)
    (murungi,) = entries(index, "kiraitu murungi")
    assert murungi.person_id == "PHX-KEN_KIRAITU_MURUNGI"


@pytest.mark.parametrize("date, sector", [("2008-05-01", "GOV"), ("1990-05-01", "ELI")])
def test_people_link_unlisted_minister_on_date(nlp, date, sector):
    text = "Energy Minister Kiraitu Murungi criticized Uganda over the border dispute."
    result = nlp_relations.extract_doc(text, "d", doc_date=date, nlp=nlp)
    (t,) = [t for t in result.triples if t.predicate.value == "criticizes"]
    assert (t.subject.actor.id, t.subject.sector, t.object.actor.id) == ("KEN", sector, "UGA")
    assert t.subject.agent.id == "PHX-KEN_KIRAITU_MURUNGI"
    assert (t.subject.agent.name, t.subject.agent.kind) == ("Kiraitu Murungi", "person")


def test_people_same_reading_in_extract_many(nlp):
    text = "Energy Minister Kiraitu Murungi criticized Uganda over the border dispute."
    (many,) = list(nlp_relations.extract_many([(text, "d", "1990-05-01")], nlp=nlp))
    one = nlp_relations.extract_doc(text, "d", doc_date="1990-05-01", nlp=nlp)
    assert [t.subject.sector for t in many.triples] == [t.subject.sector for t in one.triples]
    assert [t.subject.sector for t in one.triples] == ["ELI"]


def test_people_surname_after_full_name(nlp):
    doc = nlp("Kiraitu Murungi visited Kampala. On Monday, Murungi criticized Uganda.")
    people = {(m["text"], m["actor"]) for m in doc._.actors if m["form"] == "person"}
    assert people == {("Kiraitu Murungi", "KEN"), ("Murungi", "KEN")}


def test_people_name_the_ner_calls_an_org(nlp):
    doc = nlp("Uhuru Kenyatta met Yoweri Museveni in Nairobi.")
    people = {(m["text"], m["actor"]) for m in doc._.actors if m["form"] == "person"}
    assert ("Uhuru Kenyatta", "KEN") in people


def test_people_registry_people_come_first(nlp):
    # Listed in the registry's own files: its record wins, not a Phoenix entry.
    doc = nlp("Sergei Lavrov met Antony Blinken.")
    assert all(m["form"] != "person" for m in doc._.actors)


def test_people_linker_serialisation_keeps_index(nlp, tmp_path):
    linker = nlp.get_pipe("nlp_relations_actors")
    linker.to_disk(tmp_path / "linker")
    other = type(linker)(nlp, "copy")
    other.from_disk(tmp_path / "linker")
    assert entries(other.people, "kiraitu murungi") == entries(linker.people, "kiraitu murungi")
    again = type(linker)(nlp, "copy2").from_bytes(linker.to_bytes())
    assert len(again.people) == len(linker.people)


def test_people_titled_by_an_office_then_surname(nlp):
    doc = nlp("Iranian Foreign Ministry spokesman Esmaeil Baghaei said on Monday that Tehran "
              "rejects the demands. Baghaei also criticized France.")
    people = {(m["text"], m["actor"]) for m in doc._.actors if m["form"] == "person"}
    assert people == {("Esmaeil Baghaei", "IRN"), ("Baghaei", "IRN")}
    found = {(t["subject"]["actor"], t["predicate"], t["object"]["actor"])
             for t in doc._.triples if t["object"]}
    assert ("IRN", "criticizes", "FRA") in found


def test_people_surname_before_full_name_is_not_linked(nlp):
    doc = nlp("Baghaei arrived late. Iranian Foreign Ministry spokesman Esmaeil Baghaei spoke.")
    first = [m for m in doc._.actors if m["start"] == 0]
    assert first == []


def test_people_pronoun_after_a_phoenix_person(nlp):
    doc = nlp("Energy Minister Kiraitu Murungi visited Kampala. He criticized Uganda over the "
              "dispute.")
    found = {(t["subject"]["actor"], t["subject"]["form"], t["predicate"], t["object"]["actor"])
             for t in doc._.triples if t["object"]}
    assert ("KEN", "pronoun", "criticizes", "UGA") in found


def test_people_titled_name_behind_portfolio_words_then_title_and_first_name(nlp):
    # The NER folds "National Defense" into an ORG name; the family name comes first, so the
    # later "Minister Park" is read by the first name, and only after a title word.
    doc = nlp("The Japanese Defense Minister spoke with the Republic of Korea Minister of "
              "National Defense Park Jin-soo on Monday. Both Minister Park and his Japanese "
              "counterpart condemned North Korea's missile launch. Park arrived later.")
    people = {(m["text"], m["actor"]) for m in doc._.actors if m["form"] == "person"}
    assert ("Park Jin-soo", "KOR") in people
    assert ("Park", "KOR") in people
    found = {(t["subject"]["actor"], t["predicate"], t["object"]["actor"])
             for t in doc._.triples if t["object"]}
    assert ("KOR", "condemns", "PRK") in found
    # A bare first name with no title before it is no reading of the titled person.
    last = [m for m in doc._.actors if m["text"] == "Park" and doc[m["start"] - 1].text == "."]
    assert last == []


@pytest.mark.parametrize("text, surface, actor, sector", [
    # armed groups and national bodies the registry does not list, from the Phoenix tables
    ("Twenty New People's Army fighters surrendered to the army.", "New People's Army", "PHL",
     "REB"),
    ("The Free Syrian Army rejected the truce.", "Free Syrian Army", "SYR", "REB"),
])
def test_people_named_bodies_of_one_country(nlp, text, surface, actor, sector):
    doc = nlp(text)
    found = {(m["text"], m["actor"], m["sector"], m["form"]) for m in doc._.actors}
    assert (surface, actor, sector, "alias") in found, found
    body = next(m for m in doc._.actors if m["text"] == surface)
    assert body["agent"].startswith("PHX-")
    registry = nlp.get_pipe("nlp_relations_actors").registry
    assert registry.actor(body["agent"]).kind == "group"


def test_people_named_body_gives_no_surname(nlp):
    # "Army" alone is no reading of the Free Syrian Army.
    doc = nlp("The Free Syrian Army rejected the truce. The Army later attacked a convoy.")
    assert not any(m["text"] == "Army" for m in doc._.actors)


@pytest.mark.parametrize("text, surface, actor", [
    # the state in an office's portfolio is not its owner
    ("Today, U.S. Special Representative for Syria Policy Jonas Ek met the delegation.",
     "Jonas Ek", "USA"),
    # a long title with "and" and a parenthesised acronym before the name
    ("Republic of Korea (R.O.K.) Special Representative for Peninsula Peace and Security "
     "Affairs Park Min-ho arrived.", "Park Min-ho", "KOR"),
])
def test_people_titled_by_the_owner_of_a_long_title(nlp, text, surface, actor):
    doc = nlp(text)
    found = {(m["text"], m["actor"]) for m in doc._.actors if m["form"] == "person"}
    assert (surface, actor) in found, found
