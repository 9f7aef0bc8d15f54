"""Sentence shapes of diplomatic English and the triples the rules must read from them.

Each row: (sentence, expected (subject, predicate, object, negated, modality) set). The
expected set must equal what the rules produce (no missing and no extra triple).
"""

from __future__ import annotations

import pytest

A = "asserted"

CASES = {
    # active and passive
    "active": ("Japan condemned North Korea on Friday.", {("JPN", "condemns", "PRK", False, A)}),
    "passive": ("Pakistan was condemned by India.", {("IND", "condemns", "PAK", False, A)}),
    "passive_relative": ("Sweden, which had been criticised by Turkey, joined NATO.",
                         {("TUR", "criticizes", "SWE", False, A)}),
    "slang_verb": ("Beijing slammed Tokyo over the visit.", {("CHN", "condemns", "JPN", False, A)}),
    # ditransitive and prepositional objects
    "ditransitive": ("Turkey sold Ukraine drones.", {("TUR", "exports_to", "UKR", False, A)}),
    "prep_object": ("Iran shipped drones to Russia.", {("IRN", "exports_to", "RUS", False, A)}),
    "light_protest": ("Seoul lodged a protest with Beijing.", {("KOR", "protests", "CHN", False, A)}),
    "light_concern_addressee": (
        "Seoul voiced concern to Beijing about the repatriation of North Korean defectors.",
        {("KOR", "expresses_concern", "CHN", False, A)}),
    "light_sanctions": ("The EU imposed sanctions on Belarus.", {("EU", "sanctions", "BLR", False, A)}),
    "phrasal": ("Erdogan sat down with Vladimir Putin in Sochi.",
                {("TUR", "meets", "RUS", False, A)}),
    # nominalisations
    "nominal_condemnation": ("NATO's condemnation of Russia was swift.",
                             {("NATO", "condemns", "RUS", False, A)}),
    "nominal_criticism": ("Turkey's criticism of Sweden grew.", {("TUR", "criticizes", "SWE", False, A)}),
    "nominal_transfers": ("Pyongyang's arms transfers to Russia worry Seoul.",
                          {("PRK", "exports_to", "RUS", False, A)}),
    # relative and participial clauses, "its"
    "relative_its": (
        "North Korea denounced a NATO declaration that condemned its weapons exports to Russia.",
        {("PRK", "denounces", "NATO", False, A), ("NATO", "condemns", "PRK", False, A),
         ("PRK", "exports_to", "RUS", False, A)}),
    # Rejecting an actor's measure is rejecting the actor (as "PRK rejects NATO's declaration").
    "participle_sanctions": ("Iran rejected the sanctions imposed by Washington on Tehran.",
                             {("USA", "sanctions", "IRN", False, A),
                              ("IRN", "rejects", "USA", False, A)}),
    "participial_agent": ("Rebuked by the United Nations, the Taliban closed the schools.",
                          {("UN", "criticizes", "TALIBAN", False, A)}),
    # coordination on either side
    "coordinated_subjects": ("France and Germany praised Ukraine.",
                             {("FRA", "praises", "UKR", False, A), ("DEU", "praises", "UKR", False, A)}),
    "coordinated_by": ("Israel rejected calls by Egypt and Qatar.",
                       {("ISR", "rejects", "EGY", False, A), ("ISR", "rejects", "QAT", False, A)}),
    "symmetric_pair": ("Kim Jong Un and Vladimir Putin met in Vladivostok.",
                       {("PRK", "meets", "RUS", False, A)}),
    "reciprocal": ("Armenia and Azerbaijan accused each other.",
                   {("ARM", "accuses", "AZE", False, A), ("AZE", "accuses", "ARM", False, A)}),
    # spokespeople and office holders
    "office_holders": ("Lavrov met Wang Yi.", {("RUS", "meets", "CHN", False, A)}),
    "title_adjective": ("Russian Foreign Minister Sergei Lavrov criticised Washington.",
                        {("RUS", "criticizes", "USA", False, A)}),
    # nested events
    "nested": ("NATO condemned Pyongyang's arms exports to Russia.",
               {("NATO", "condemns", "PRK", False, A), ("PRK", "exports_to", "RUS", False, A)}),
    "decision_to": ("Kyiv hailed Washington's decision to send missiles to Ukraine.",
                    {("UKR", "praises", "USA", False, A), ("USA", "exports_to", "UKR", False, A)}),
    # the accused act is the accuser's claim, not a fact the text asserts
    "accused_of": ("Iran accused Israel of attacking its consulate.",
                   {("IRN", "accuses", "ISR", False, A), ("ISR", "attacks", "IRN", False,
                                                          "alleged")}),
    # negation and modality
    "negation": ("China did not condemn Russia.", {("CHN", "condemns", "RUS", True, A)}),
    "refused": ("India refused to criticise Moscow.", {("IND", "criticizes", "RUS", True, A)}),
    "future": ("The EU will sanction Iran.", {("EU", "sanctions", "IRN", False, "future")}),
    "threatened_to": ("Washington threatened to impose sanctions on Beijing.",
                      {("USA", "threatens", None, False, A),
                       ("USA", "sanctions", "CHN", False, "hypothetical")}),
    "could": ("Russia could attack Poland.", {("RUS", "attacks", "POL", False, "hypothetical")}),
    "conditional": ("Turkey would approve Sweden's bid if Washington sold it jets.",
                    {("TUR", "supports", "SWE", False, "hypothetical"),
                     ("USA", "exports_to", "TUR", False, "hypothetical")}),
    # objects that are not actors; noise
    "non_actor_object": ("Japan condemned the launch.", set()),
    "warning_of_situation": ("The UN warned of famine in Gaza.", set()),
    "dateline_only": ("SEOUL, July 13 (Yonhap) --", set()),
}

XFAIL = {
    "threatened_to": "the threat with no actor object is kept; the nested sanctions are coded "
                     "hypothetical, but the parser attaches 'on Beijing' inconsistently",
    "conditional": "'sold it jets': 'it' inside the if-clause is not resolved to Turkey",
}


def _params():
    for name, (text, expected) in CASES.items():
        marks = [pytest.mark.xfail(reason=XFAIL[name], strict=False)] if name in XFAIL else []
        yield pytest.param(text, expected, id=name, marks=marks)


@pytest.mark.parametrize("text,expected", list(_params()))
def test_rules_sentence_shapes(nlp, text, expected):
    doc = nlp(text)
    found = {(t["subject"]["actor"], t["predicate"],
              t["object"]["actor"] if t["object"] else None, t["negated"], t["modality"])
             for t in doc._.rule_triples}
    assert found == expected


def test_rules_outlet_is_never_subject_of_what_it_reports(nlp):
    doc = nlp("Pyongyang denounced Seoul, KCNA reported.")
    assert {(t["subject"]["actor"], t["object"]["actor"]) for t in doc._.triples} == {("PRK", "KOR")}
    assert doc._.triples[0]["source"]["actor"] == "KCNA"


@pytest.mark.parametrize(
    "text,speaker,source",
    [
        ("The spokesperson of the DPRK Foreign Ministry denounced NATO in a statement carried "
         "by KCNA.", None, "KCNA"),
        ("Russia sanctioned Japan, according to TASS.", None, "TASS"),
        ("Lavrov said Moscow condemned Britain.", "RUS", None),
        ("According to Japan's defence ministry, China threatened Taiwan.", "JPN", None),
    ],
)
def test_rules_speaker_and_source(nlp, text, speaker, source):
    doc = nlp(text)
    assert doc._.triples
    t = doc._.triples[0]
    assert (t["speaker"]["actor"] if t["speaker"] else None) == speaker
    assert (t["source"]["actor"] if t["source"] else None) == source
