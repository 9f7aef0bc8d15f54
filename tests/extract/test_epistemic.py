"""Relations the way a careful analyst reads them: breadth of wording, claims, denials,
refusals and conditional threats (issue: relations on real text).

Sentences written for the project after shapes seen in real statements and news. Each row:
(text, triples that must be among ``doc._.triples``, triples that must not be). A triple is
(subject, predicate, object, negated, modality, speaker); ``ANY`` as speaker accepts any.
"""

from __future__ import annotations

import pytest

from nlp_relations.extract.epistemic import frame
from nlp_relations.extract.mentions import mentions_by_token

ANY = object()
A = "asserted"

ROWS = {
    # breadth: wording the project's own sentences do not use
    "denounced_as": (
        "Poland denounced as a provocation Belarus's use of migrants at the border.",
        {("POL", "denounces", "BLR", False, A, ANY)}, set()),
    "ministers_demanded_withdrawal": (
        "Arab League foreign ministers demanded the withdrawal of Israeli forces.",
        {("LAS", "demands", "ISR", False, A, ANY)}, set()),
    "accused_forces_of": (
        "The Ethiopian government accused Tigrayan forces of violating the truce.",
        {("ETH", "accuses", "TPLF", False, A, ANY)}, set()),
    "must_release": (
        "Japan said that China must release the detained businessman.",
        {("JPN", "demands", "CHN", False, A, "JPN")}, set()),
    "stern_reminder": (
        "Washington issued a stern reminder to Tehran that it must stop enrichment.",
        {("USA", "demands", "IRN", False, A, ANY)}, set()),
    "demand_that": (
        "The WHO reiterated its demand that Russia allow inspectors in.",
        {("WHO", "demands", "RUS", False, A, ANY)}, set()),
    "voiced_opposition": (
        "China voiced opposition to U.S. sanctions.",
        {("CHN", "rejects", "USA", False, A, ANY)}, set()),
    "reiterated_opposition": (
        "Japan reiterated its opposition to Beijing's militarization of the islands.",
        {("JPN", "rejects", "CHN", False, A, ANY)}, set()),
    "calling_on": (
        "The Philippines protested the incident, calling on Beijing to respect its rights.",
        {("PHL", "urges", "CHN", False, A, ANY)}, set()),
    "quoted_fragment": (
        'North Korea said it "denounces in the strongest possible terms" NATO\'s statement.',
        {("PRK", "denounces", "NATO", False, A, "PRK")}, set()),
    "unquoted_fragment": (
        "North Korea said it denounces in the strongest possible terms NATO's statement.",
        {("PRK", "denounces", "NATO", False, A, "PRK")}, set()),
    "should_urges": (
        "France said that Iran should return to the talks.",
        {("FRA", "urges", "IRN", False, A, "FRA")}, set()),
    # accusations as nouns, blame laid by a speaker
    "claims_by_that": (
        "We reject the claims by Russia and China that the U.S. is acting in a hostile manner.",
        {("RUS", "accuses", "USA", False, A, ANY), ("CHN", "accuses", "USA", False, A, ANY)},
        set()),
    "said_responsible": (
        "The United States said Iran was responsible for the attack on the tanker.",
        {("USA", "accuses", "IRN", False, A, "USA")}, set()),
    "participle_by_preposition": (
        "The weapons came from Iran, including drones provided to Syria by the IRGC.",
        {("IRN", "exports_to", "SYR", False, A, ANY)}, set()),
    # denials: negated, the denier speaks
    "denied_receiving": (
        "Russia denied that it is receiving weapons from North Korea.",
        {("PRK", "exports_to", "RUS", True, A, "RUS")},
        {("PRK", "exports_to", "RUS", False, A, ANY), ("RUS", "meets", "PRK", False, A, ANY)}),
    "rejected_statement_alleging": (
        "North Korea said it rejected a NATO statement alleging that Pyongyang is helping "
        "Russia.",
        {("PRK", "rejects", "NATO", False, A, "PRK"),
         ("PRK", "supports", "RUS", True, "alleged", "PRK")},
        {("PRK", "supports", "RUS", False, A, ANY)}),
    "dismissed_as_rumours": (
        "Seoul dismissed as rumours reports that Russia and North Korea are expanding military "
        "cooperation.",
        {("RUS", "cooperates_with", "PRK", True, "alleged", "KOR")},
        {("RUS", "cooperates_with", "PRK", False, A, ANY)}),
    "baseless_claims": (
        "China has made baseless claims that Taiwan is preparing to attack the mainland.",
        {("TWN", "attacks", "CHN", True, "alleged", ANY)},
        {("TWN", "attacks", "CHN", False, A, ANY)}),
    # allegations: modality alleged, the claimant speaks
    "allegedly": (
        "The containers were allegedly supplied by North Korea to Russia.",
        {("PRK", "exports_to", "RUS", False, "alleged", ANY)},
        {("PRK", "exports_to", "RUS", False, A, ANY)}),
    "claimed_that": (
        "Moscow claimed that Ukraine attacked Belarus.",
        {("UKR", "attacks", "BLR", False, "alleged", "RUS")},
        {("UKR", "attacks", "BLR", False, A, ANY)}),
    "accused_of_act": (
        "Iran accused Israel of attacking its consulate.",
        {("IRN", "accuses", "ISR", False, A, ANY), ("ISR", "attacks", "IRN", False, "alleged",
                                                    "IRN")},
        {("ISR", "attacks", "IRN", False, A, ANY)}),
    # a news report is no claim
    "reported_that": (
        "Yonhap reported that North Korea condemned Japan.",
        {("PRK", "condemns", "JPN", False, A, ANY)}, set()),
    # conditional threats keep the threatener; refusals are no aid
    "conditional_threat": (
        "Iran's Revolutionary Guards said Israel would be targeted again if it retaliates.",
        {("IRN", "threatens", "ISR", False, "hypothetical", "IRN")},
        {("ISR", "threatens", None, False, "hypothetical", ANY)}),
    "would_not_send": (
        "The U.S. president said he would not send weapons to Kyiv.",
        {("USA", "exports_to", "UKR", True, "hypothetical", "USA")},
        {("USA", "exports_to", "UKR", False, "hypothetical", ANY),
         ("USA", "exports_to", "UKR", False, A, ANY)}),
    "refused_support": (
        "Britain refused to provide support to the junta in Myanmar.",
        {("GBR", "provides_aid_to", "MMR", True, A, ANY)},
        {("GBR", "provides_aid_to", "MMR", False, A, ANY)}),
    # an obligation is called for, not done
    "has_to_withdraw": (
        "Russia has to withdraw its troops from Ukraine.",
        {("RUS", "retreats_from", "UKR", False, "hypothetical", ANY)},
        {("RUS", "retreats_from", "UKR", False, A, ANY)}),
}


def _found(doc) -> set[tuple]:
    return {(t["subject"]["actor"], t["predicate"], t["object"]["actor"] if t["object"] else None,
             t["negated"], t["modality"], t["speaker"]["actor"] if t["speaker"] else None)
            for t in doc._.triples}


def _matches(row: tuple, found: set[tuple]) -> bool:
    return any(row[:5] == f[:5] and (row[5] is ANY or row[5] == f[5]) for f in found)


@pytest.mark.parametrize("name", list(ROWS))
def test_epistemic_sentence_rows(nlp, name):
    text, must, must_not = ROWS[name]
    found = _found(nlp(text))
    missing = [r for r in must if not _matches(r, found)]
    wrong = [r for r in must_not if _matches(r, found)]
    assert not missing and not wrong, f"{text!r}: missing {missing}, wrong {wrong}; found {found}"


def test_epistemic_responsibility_needs_a_speaker(nlp):
    doc = nlp("Japan is responsible for its own defence of Okinawa against China.")
    assert not [t for t in doc._.rule_triples if t["predicate"] == "accuses"]


def test_epistemic_frame_plain_statement_is_not_framed(nlp):
    doc = nlp("NATO said that North Korea exports shells to Russia.")
    trigger = next(t for t in doc if t.lemma_ == "export")
    f = frame(trigger, mentions_by_token(doc._.actors))
    assert (f.alleged, f.denied) == (False, False)


def test_epistemic_frame_denial_names_denier(nlp):
    doc = nlp("Russia denied that it is receiving weapons from North Korea.")
    trigger = next(t for t in doc if t.lemma_ == "receive")
    f = frame(trigger, mentions_by_token(doc._.actors))
    assert f.denied and not f.alleged and f.speaker["actor"] == "RUS"


def test_epistemic_filter_drops_alleged_and_negated(nlp):
    import nlp_relations

    texts = ["The containers were allegedly supplied by North Korea to Russia.",
             "Russia denied that it is receiving weapons from North Korea.",
             "North Korea condemned Japan."]
    results = [nlp_relations.extract_doc(t, f"d{i}", nlp=nlp) for i, t in enumerate(texts)]
    g = nlp_relations.build_graph(results)
    kept = g.filter(modalities=["asserted"], include_negated=False)
    edges = {(u, v, d["predicate"]) for u, v, d in kept.edges(data=True)}
    assert ("PRK", "JPN", "condemns") in edges
    assert not any(p == "exports_to" for _, _, p in edges)


def test_epistemic_frames_read_only_framed_sentences(nlp):
    """With the document's columns, triggers in sentences without a word some frame needs are
    not read: the frames come out the same as reading every trigger, and in the framed
    sentence they are found."""
    from nlp_relations.extract.columns import Columns
    from nlp_relations.extract.epistemic import apply_frames

    text = " ".join(ROWS[name][0] for name in ROWS)
    doc = nlp(text)
    plain = [dict(t, modality="asserted", negated=False, speaker=None)
             for t in doc._.rule_triples]
    read_all, read_framed = [dict(t) for t in plain], [dict(t) for t in plain]
    apply_frames(doc, read_all, doc._.actors)
    apply_frames(doc, read_framed, doc._.actors, cols=Columns(doc))
    assert read_framed == read_all
    assert any(t["modality"] == "alleged" or t["negated"] for t in read_all)
