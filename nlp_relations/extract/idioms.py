"""Idiom rules: fixed turns of phrase the core verb, noun and adjective rules do not read.

Threats held out ("Israel would be targeted if ...", "will pay dearly"), demands ("China must
release ..."), claims ("claims by Russia that ..."), blame ("Iran is responsible for ..."),
verdicts ("Russia's actions are unacceptable"), backers ("its backers in Moscow",
"Iran-backed Houthis"), being in contact ("in close contact with") and quoted fragments.
Each takes ``(tok, sent, ctx, lex)`` like the core rules; ``extract.rules.extract_triples``
calls them.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .clauses import (COPULAS, SUBJECT_DEPS, _Ctx, _conjuncts, _make, _modality, _negated,
                      _np_actors, _object_heads, _prep_objects, _subjects)
from .lexicon import Lexicon

# Modal words that make a clause a demand on its subject: "China must release ...".
DEMAND_MODALS = {"must": "demands", "should": "urges"}
# "X has to / needs to / is obliged to ...": the same demand.
DEMAND_HEADS = frozenset({"have", "need"})
# Verbs of speech that frame a clause as the speaker's words ("said", "warned", "stressed").
FRAMING_VERBS = frozenset({"say", "state", "warn", "stress", "insist", "add", "declare", "tell",
                           "reiterate", "emphasize", "emphasise", "note", "assert", "announce",
                           "threaten", "vow", "caution", "remind", "maintain", "argue"})
# Nouns that make an accusation of their clause: "claims by Russia that the U.S. ...".
ACCUSING_NOUNS = frozenset({"claim", "allegation", "accusation", "charge", "assertion"})
# Adjectives of blame: "Iran is responsible for these attacks".
BLAME_WORDS = frozenset({"responsible", "culpable", "guilty"})
# Being in touch: "has been in close contact with Moscow", "are in talks with the EU".
CONTACT_NOUNS = frozenset({"contact", "conversation", "touch", "communication", "talk",
                           "negotiation", "dialogue", "consultation"})
# Verdicts on an actor's conduct (usgov GUIDELINES: "unacceptable" -> criticizes, "is an
# outrage" -> denounces).
EVALUATIONS = {"unacceptable": "criticizes", "deplorable": "criticizes",
               "reprehensible": "criticizes", "irresponsible": "criticizes",
               "unjustifiable": "criticizes", "outrageous": "denounces",
               "despicable": "denounces", "abhorrent": "denounces", "outrage": "denounces",
               "disgrace": "denounces"}
# Who stands behind a party, named by a noun ("its backers in Moscow", "Iran, the main sponsor
# of Hezbollah") or a hyphenated participle ("Iran-backed Houthis").
BACKER_NOUNS = frozenset({"backer", "sponsor", "supporter", "patron"})
BACKING_PARTICIPLES = frozenset({"back", "sponsor", "support", "fund", "finance", "arm"})


# --------------------------------------------------------------------------- the idioms


def _framing_speakers(tok: Token, ctx: _Ctx) -> tuple[list[dict], Token | None]:
    """The actors who say the clause ``tok`` heads, and their speech verb: "Iran's Revolutionary
    Guards said Israel would be targeted" -> IRN, "said"."""
    cur = tok
    for _ in range(3):
        if cur.dep_ not in {"ccomp", "conj", "xcomp"} or cur.head is cur:
            return [], None
        cur = cur.head
        if cur.lemma_.lower() in FRAMING_VERBS and cur.pos_ in {"VERB", "AUX"}:
            found, passive = _subjects(cur, ctx)
            return ([], None) if passive else (found, cur)
    return [], None


def _conditional_threat(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """A hostile act a speaker holds out without naming who would do it: "Iran's Revolutionary
    Guards said Israel would be targeted again if it retaliates" -> IRN threatens ISR (the
    target is not the threatener)."""
    modality = _modality(tok)
    if modality not in {"future", "hypothetical"}:
        return []
    speakers, verb = _framing_speakers(tok, ctx)
    if not speakers:
        return []
    targets = [m for c in tok.children if c.dep_ == "nsubjpass" for m in _np_actors(c, ctx)]
    return _make(speakers, targets, "threatens", tok=tok, trigger=tok.text, sent=sent,
                 rule="conditional_threat", conf=ctx.conf, lex=lex, modality=modality,
                 negated=_negated(verb) or _negated(tok))


def _demand_clause(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """A clause that lays an obligation on an actor is the speaker's demand: "Japan said that
    China must release the detained businessman" -> JPN demands CHN; "Russia has to withdraw"
    when someone says it; "should" urges."""
    modal = next((c for c in tok.children if c.dep_ == "aux" and c.lower_ in DEMAND_MODALS), None)
    carrier = tok
    if modal is None and tok.dep_ == "xcomp" and tok.head.lemma_.lower() in DEMAND_HEADS and \
            any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        # "Tehran has to stop enrichment", "Moscow needs to withdraw".
        carrier = tok.head
        modal = carrier
    if modal is None or any(c.dep_ in {"nsubjpass", "auxpass"} for c in carrier.children):
        return []
    targets = [m for c in carrier.children if c.dep_ == "nsubj" for m in _np_actors(c, ctx)]
    if not targets:
        return []
    predicate = DEMAND_MODALS.get(modal.lower_, "demands")
    speakers, verb = _framing_speakers(carrier, ctx)
    if verb is None:
        # "The Council must act." with no one saying it: whose demand it is needs the issuer,
        # which the text alone names too unreliably (measured on US statements at the UN).
        return []
    return _make(speakers, targets, predicate, tok=modal, trigger=modal.text, sent=sent,
                 rule="demand_clause", conf=ctx.conf, lex=lex, modality="asserted",
                 negated=_negated(verb))


def _claim_noun(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """An accusation stated as a noun with its clause: "claims by Russia and China that the
    U.S. is acting in a hostile manner" -> RUS, CHN accuse USA; "Pyongyang's allegation that
    Seoul ..." (the clause's own event is the claim's: ``epistemic``)."""
    if tok.lemma_.lower() not in ACCUSING_NOUNS:
        return []
    clause = next((c for c in tok.children if c.dep_ in {"acl", "ccomp"} and c.i > tok.i
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return []
    owners = [m for c in tok.children if c.dep_ in {"poss", "compound", "amod"}
              for m in ctx.at(c.i)] or _prep_objects(tok, ("by", "from"), ctx)
    targets = [m for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}
               for m in _np_actors(c, ctx)]
    return _make(owners, targets, "accuses", tok=tok, trigger=tok.text, sent=sent,
                 rule="nominal", conf=ctx.conf, lex=lex, modality="asserted",
                 negated=_negated(tok.head) if tok.dep_ == "dobj" and
                 tok.head.lemma_.lower() in {"make", "level", "repeat"} else False)


def _backer_noun(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """Who backs whom, said with a noun for the backer: "the regime and its backers in Moscow
    and Tehran" -> RUS, IRN support the regime; "Iran, the main sponsor of Hezbollah", "Iran
    is the main sponsor of Hezbollah", "Hezbollah's patron, Iran" -> IRN supports HEZBOLLAH."""
    if tok.lemma_.lower() not in BACKER_NOUNS:
        return []
    backed = [m for c in tok.children if c.dep_ == "poss" for m in ctx.at(c.i)] or \
        _prep_objects(tok, ("of",), ctx)
    if not backed:
        return []
    negated = False
    backers = _prep_objects(tok, ("in", "from"), ctx) or [
        m for c in tok.children if c.dep_ in {"amod", "compound", "appos"}
        for cc in _conjuncts(c) for m in ctx.at(cc.i)]
    if not backers and tok.dep_ == "appos":
        backers = _np_actors(tok.head, ctx)
    if not backers and tok.dep_ == "attr" and tok.head.lemma_.lower() in COPULAS:
        backers, passive = _subjects(tok.head, ctx)
        negated = _negated(tok.head)
        if passive:
            backers = []
    return _make(backers, backed, "supports", tok=tok, trigger=tok.text, sent=sent,
                 rule="nominal", conf=ctx.conf, lex=lex, modality="asserted", negated=negated)


def _in_contact(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """Being in touch as a state: "The minister has been in close contact with his Russian
    counterpart" -> consults; "Kyiv is in talks with the IMF" -> the talks' predicate."""
    lemma = tok.lemma_.lower()
    if lemma not in CONTACT_NOUNS or tok.dep_ != "pobj" or tok.head.lower_ != "in" or \
            tok.head.head.pos_ not in {"VERB", "AUX"}:
        return []
    verb = tok.head.head
    subjects, passive = _subjects(verb, ctx)
    if passive:
        return []
    objects = _prep_objects(tok, ("with",), ctx)
    predicate = lex.nouns[lemma][0] if lemma in lex.nouns and \
        lex.symmetric(lex.nouns[lemma][0]) else "consults"
    return _make(subjects, objects, predicate, tok=tok, trigger=tok.text, sent=sent,
                 rule="light_verb", conf=ctx.conf, lex=lex, modality=_modality(verb),
                 negated=_negated(verb))


def _backing_participle(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """A backer joined to the backed by a hyphen: "Iran-backed Houthis" -> IRN supports
    HOUTHIS (a backer with no actor of its own, "U.S.-backed forces", names no relation)."""
    if tok.lemma_.lower() not in BACKING_PARTICIPLES or tok.tag_ != "VBN" or \
            tok.dep_ != "amod" or tok.i == 0 or tok.doc[tok.i - 1].tag_ != "HYPH":
        return []
    backers = [m for c in tok.children if c.dep_ in {"npadvmod", "compound", "nmod"}
               and c.i == tok.i - 2 for m in ctx.at(c.i)]
    # The backed must be named, not a role read from context ("released by U.N.-backed
    # government" names no government).
    backed = [m for m in ctx.at(tok.head.i) if m["form"] not in {"role", "context", "anaphor",
                                                                 "pronoun"}]
    return _make(backers, backed, "supports", tok=tok, trigger=tok.text, sent=sent,
                 rule="nominal", conf=ctx.conf, lex=lex, modality="asserted", negated=False)


def _threat_idiom(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """A threat said as what the other side will suffer: "The U.S. will pay dearly for its
    hostile acts", "Iran will face serious consequences" -> the speaker (framing, else the
    statement's issuer) threatens them."""
    lemma = tok.lemma_.lower()
    if lemma not in {"pay", "face"}:  # called for every verb: the cheap test first
        return []
    objects = {o.lemma_.lower() for o in _object_heads(tok)}
    if not (lemma == "pay" and ("price" in objects or any(
            c.lower_ == "dearly" for c in tok.children)) or
            lemma == "face" and objects & {"consequence", "retaliation", "response"}):
        return []
    modality = _modality(tok)
    if modality == "asserted":
        return []
    threatened, passive = _subjects(tok, ctx)
    if passive or not threatened:
        return []
    speakers, verb = _framing_speakers(tok, ctx)
    if not speakers and verb is None:
        speakers = ctx.issuer()
    return _make(speakers, threatened, "threatens", tok=tok, trigger=tok.text, sent=sent,
                 rule="conditional_threat", conf=ctx.conf, lex=lex, modality="asserted",
                 negated=verb is not None and _negated(verb))


def _evaluation(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """A verdict on an actor's conduct, said by whoever says it: "Russia's actions are
    unacceptable" in a US statement -> USA criticizes RUS; "The Kremlin's decision is an
    outrage" -> denounces. The speaker is the framing one ("Tokyo said Beijing's move was
    unacceptable"), else the statement's issuer; a verdict on a thing no actor owns ("These
    threats are unacceptable") names no one."""
    if tok.dep_ not in {"acomp", "attr"} or tok.head.lemma_.lower() not in COPULAS:
        return []
    if tok.dep_ == "attr" and not any(c.lower_ in {"a", "an"} for c in tok.children):
        return []
    copula = tok.head
    judged, passive = _subjects(copula, ctx)
    if passive or not judged:
        return []
    speakers, verb = _framing_speakers(copula, ctx)
    if not speakers and verb is None and copula.dep_ == "ROOT":
        speakers = ctx.issuer()
    predicate = EVALUATIONS[tok.lower_]
    return _make(speakers, judged, predicate, tok=tok, trigger=tok.text, sent=sent,
                 rule="adjective", conf=ctx.conf, lex=lex, modality="asserted",
                 negated=_negated(copula) or (verb is not None and _negated(verb)))


def _responsibility(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """Blame laid by a speaker: "The United States said Iran was responsible for the attack",
    "As we have said, Iran is responsible for these attacks" -> the speaker accuses IRN."""
    if tok.lower_ not in BLAME_WORDS or tok.dep_ != "acomp" or \
            tok.head.lemma_.lower() not in COPULAS:
        return []
    if not any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
        return []
    blamed, passive = _subjects(tok.head, ctx)
    if passive or not blamed:
        return []
    speakers, _ = _framing_speakers(tok.head, ctx)
    if not speakers:
        # "As we have said ...": the first person who says it in the same sentence.
        speakers = [m for t in sent if t.i != tok.i and t.dep_ == "nsubj"
                    and t.head.lemma_.lower() in FRAMING_VERBS and t.head.dep_ == "advcl"
                    for m in ctx.at(t.i)]
    return _make(speakers, blamed, "accuses", tok=tok, trigger=tok.text, sent=sent,
                 rule="adjective", conf=ctx.conf, lex=lex, modality="asserted",
                 negated=_negated(tok.head))


def _quoted_fragment(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """A verb opening a partial quotation, which the parser often takes for a noun: 'North
    Korea said it "denounces in the strongest possible terms" NATO's statement'. The object
    is the first actor after the closing quotation mark."""
    doc = tok.doc
    if tok.i == sent.start or doc[tok.i - 1].tag_ != "``" or tok.lemma_.lower() not in lex.verbs:
        return []
    if not any(c.dep_ in SUBJECT_DEPS for c in tok.children):
        return []
    predicate = lex.verbs[tok.lemma_.lower()][0]
    subjects, _ = _subjects(tok, ctx)
    closing = next((t for t in doc[tok.i + 1 : sent.end] if t.tag_ == "''"), None)
    if not subjects or closing is None:
        return []
    objects = next((ctx.at(t.i) for t in doc[closing.i + 1 : sent.end] if ctx.at(t.i)), [])
    return _make(subjects, objects, predicate, tok=tok, trigger=tok.text, sent=sent,
                 rule="quoted_fragment", conf=ctx.conf, lex=lex)
