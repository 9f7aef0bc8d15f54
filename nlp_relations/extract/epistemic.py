"""How sure the text is of a triple: alleged, denied, refused, or a threat on a condition.

A relation stated inside someone's claim is not a fact the text asserts. This module walks from a
triple's trigger up the dependency tree and reads the words that frame it:

* **alleged** -- the text attributes the relation to a claim: "containers allegedly supplied by
  X to Y", "a NATO statement alleging that Pyongyang is helping Russia", "reports that Russia
  and North Korea are expanding cooperation", "Moscow claimed that Kyiv shelled the plant".
  The modality becomes ``alleged``; the speaker is who made the claim, when the text names them.
* **denied** -- a claim someone denies, dismisses or calls baseless: "Russia denied that it is
  receiving weapons from North Korea", "Seoul dismissed as rumours reports that ...",
  "North Korea rejected a NATO statement alleging that ...", "baseless claims that ...". The
  triple becomes ``negated`` and the denier is its speaker.

Refusals ("would not send weapons", "refused to provide support") are negated where the rules
read negation (``clauses._negated``); conditional threats are a rule of their own
(``idioms._conditional_threat``).

The functions here are pure: ``frame(tok, index)`` tells what frames one trigger and
``apply_frames(doc, triples, mentions)`` writes it onto triple dicts in place, for the rules'
and the model's triples alike.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc, Token

from .columns import Columns, ids
from .mentions import mention_ref, mentions_by_token, token_at

__all__ = ["ALLEGING_VERBS", "ALLEGATION_NOUNS", "DENYING_VERBS", "Frame", "apply_frames", "frame"]

# Adverbs that put the event in someone else's mouth: "allegedly supplied".
ALLEGED_ADVERBS = frozenset({"allegedly", "reportedly", "purportedly", "supposedly", "ostensibly"})
# Verbs whose clause is a claim, not a fact: "X alleged/claimed that ...".
ALLEGING_VERBS = frozenset({"allege", "claim", "rumor", "rumour", "speculate", "purport"})
# Nouns whose clause is a claim: "reports that ...", "allegations that ...".
ALLEGATION_NOUNS = frozenset({"allegation", "claim", "report", "rumor", "rumour", "accusation",
                              "speculation", "assertion", "charge", "suggestion", "story"})
# Verbs whose "of"/"for" clause is the accusation: "accused X of violating the truce".
ACCUSING_VERBS = frozenset({"accuse", "charge", "blame", "suspect"})
# Verbs that deny a clause or a claim: "denied that ...", "dismissed the reports".
DENYING_VERBS = frozenset({"deny", "dismiss", "refute", "reject", "rebut", "dispute", "disavow",
                           "debunk", "brush"})
# Words that call a claim untrue: "baseless claims that ...".
UNTRUE_WORDS = frozenset({"baseless", "groundless", "unfounded", "false", "fabricated", "fake",
                          "absurd", "unsubstantiated", "rumour", "rumor", "lie", "fabrication",
                          "nonsense"})
# Claim-bearing nouns a denial verb takes as object ("rejected a NATO statement alleging ...").
CLAIM_CARRIERS = ALLEGATION_NOUNS | frozenset({"statement", "declaration", "communique",
                                               "communiqué", "document", "article", "remark"})
# The words some branch of ``frame`` needs in the trigger's sentence.
_FRAME_LEMMAS = ALLEGATION_NOUNS | ALLEGING_VERBS | DENYING_VERBS | ACCUSING_VERBS
_ALLEGED_ADVERB_IDS = ids(ALLEGED_ADVERBS)
# Clause links a claim can hold the event by.
_CLAUSE_DEPS = frozenset({"ccomp", "acl", "relcl", "xcomp", "advcl", "conj"})
_MAX_STEPS = 8
# Where a noun stands; a verb found there is a misparsed noun ("reports").
_NOUN_SLOTS = frozenset({"pobj", "dobj", "nsubj", "nsubjpass", "attr", "appos"})


class Frame(NamedTuple):
    """What frames a trigger: ``alleged`` (a claim), ``denied`` (its negation), and who
    claimed or denied it (a mention dict, or None)."""

    alleged: bool
    denied: bool
    speaker: dict | None


def _actor_at(tok: Token, index: dict[int, list[dict]]) -> dict | None:
    """The actor a subject or owner token names: "Russia", "the Russian ministry", "NATO's"."""
    if tok.i in index:
        return index[tok.i][0]
    for c in tok.children:
        if c.dep_ in {"compound", "amod", "poss", "nmod"} and c.i in index:
            return index[c.i][0]
    return None


def _subject_of(verb: Token, index) -> dict | None:
    for c in verb.children:
        if c.dep_ in {"nsubj", "csubj"}:
            return _actor_at(c, index)
    if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head is not verb:
        # "said it rejected ...", "dismissing the reports": the governing verb's subject.
        return _subject_of(verb.head, index)
    if verb.dep_ == "acl":
        # "a NATO statement alleging that ...": the owner of the noun.
        return _actor_at(verb.head, index)
    return None


def _untrue(tok: Token) -> bool:
    """'baseless claims', 'dismissed as rumours', 'called the reports a fabrication'."""
    if any(c.lower_ in UNTRUE_WORDS or c.lemma_.lower() in UNTRUE_WORDS
           for c in tok.children if c.dep_ in {"amod", "compound", "nmod"}):
        return True
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            if any(t.lemma_.lower() in UNTRUE_WORDS for t in c.subtree):
                return True
    return False


def frame(tok: Token, index: dict[int, list[dict]]) -> Frame:
    """What frames the event ``tok`` triggers, read from its ancestors.

    Example:
        "Russia denied that it is receiving weapons" -> the trigger "receiving" is the clause
        of "denied": ``Frame(alleged=False, denied=True, speaker=<Russia>)``.
    """
    alleged = any(c.lower_ in ALLEGED_ADVERBS for c in tok.children)
    if not alleged and tok.head is not tok:
        # "were allegedly supplied" on the auxiliary's side of the parse.
        alleged = any(c.lower_ in ALLEGED_ADVERBS and c.dep_ == "advmod"
                      for c in tok.head.children) and tok.dep_ in {"xcomp", "conj"}
    denied = False
    speaker = None
    claim_seen = alleged
    cur = tok
    for _ in range(_MAX_STEPS):
        head = cur.head
        if head is cur:
            break
        lemma = head.lemma_.lower()
        if lemma in ALLEGATION_NOUNS and head.pos_ == "VERB" and cur.dep_ in {"acl", "ccomp"} \
                and head.dep_ in _NOUN_SLOTS:
            # "dismissed as rumours reports that ...": "reports" parsed as a verb in a noun's
            # place ("Yonhap reported that ..." is a report of news, not a claim).
            alleged = claim_seen = True
            if _untrue(head) or any(t.lemma_.lower() in UNTRUE_WORDS for t in head.lefts):
                denied = True
                gov = head
                while gov.head is not gov and gov.lemma_.lower() not in DENYING_VERBS:
                    gov = gov.head
                speaker = _subject_of(gov, index) if gov.lemma_.lower() in DENYING_VERBS \
                    else speaker
                break
        elif head.pos_ in {"VERB", "AUX"} and cur.dep_ in _CLAUSE_DEPS | {"ccomp", "dobj", "pobj"}:
            if lemma in ALLEGING_VERBS and cur.dep_ in {"ccomp", "xcomp", "dobj"}:
                alleged = claim_seen = True
                speaker = _subject_of(head, index) or speaker
            elif lemma in DENYING_VERBS and (cur.dep_ == "ccomp" or claim_seen and cur.dep_ ==
                                             "dobj"):
                # "denied that X ...", "rejected a statement alleging X", "dismissed reports".
                denied = True
                speaker = _subject_of(head, index)
                break
        elif head.pos_ in {"NOUN", "PROPN"} and lemma in ALLEGATION_NOUNS and \
                cur.dep_ in {"acl", "ccomp", "relcl"}:
            # "reports that Russia and North Korea are expanding cooperation".
            alleged = claim_seen = True
            owner = _actor_at(head, index)
            speaker = owner or speaker
            if _untrue(head):
                denied = True
                break
        elif cur.dep_ == "pcomp" and head.lower_ in {"of", "for"} and \
                head.head.lemma_.lower() in ACCUSING_VERBS:
            # "accused Tigrayan forces of violating the truce": the accuser's claim.
            alleged = claim_seen = True
            speaker = _subject_of(head.head, index) or speaker
        elif head.pos_ in {"NOUN", "PROPN"} and lemma in CLAIM_CARRIERS and cur.dep_ == "acl":
            claim_seen = True
        if head.pos_ in {"VERB", "AUX"} and cur.dep_ == "ccomp" and lemma not in \
                ALLEGING_VERBS | DENYING_VERBS and not claim_seen:
            # "said that X ...": a report of speech, not a claim; stop at the first one.
            break
        cur = head
    return Frame(alleged, denied, speaker)


def apply_frames(doc: Doc, triples: list[dict], mentions: list[dict], *,
                 index: dict[int, list[dict]] | None = None, cols: Columns | None = None) -> None:
    """Mark alleged and denied triples in place (modality ``alleged``; ``negated`` with the
    denier as ``speaker``). A denied claim keeps ``alleged`` when the claim was attributed to
    someone ("rejected a NATO statement alleging that ..."), and a denial of a negated claim is
    left as it is (no double negation from a parse)."""
    if not triples:
        return
    index = mentions_by_token(mentions) if index is None else index
    # With ``cols``, a trigger is read only when its sentence holds a word without which no
    # frame is found: every branch of ``frame`` tests one on the trigger's parse tree, and
    # spaCy makes a parsed document's sentences its trees (sentence start -> the answer).
    framed: dict[int, bool] = {}
    for t in triples:
        tok = token_at(doc, t.get("trigger_start", -1)) if t.get("trigger_start", -1) >= 0 \
            else None
        if tok is None:
            continue
        if cols is not None:
            sent = tok.sent
            if sent.start not in framed:
                framed[sent.start] = any(
                    cols.lower[i] in _ALLEGED_ADVERB_IDS or cols.lemma_lower(i) in _FRAME_LEMMAS
                    for i in range(sent.start, sent.end))
            if not framed[sent.start]:
                continue
        f = frame(tok, index)
        if not (f.alleged or f.denied):
            continue
        if f.alleged:
            t["modality"] = "alleged"
        if f.denied and not t["negated"]:
            t["negated"] = True
        if f.speaker is not None:
            t["speaker"] = mention_ref(f.speaker)
