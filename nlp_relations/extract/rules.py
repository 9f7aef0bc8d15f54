"""Dependency rules that turn a parsed sentence into directed, typed triples.

Pure functions over a ``Doc`` and its actor mentions (``extract.mentions``). Each rule
carries a comment with the sentence shape it handles. The result is a list of plain dicts
(msgpack-safe); ``api`` turns them into ``schemas.Triple`` at the boundary.

This module holds the core verb, noun and adjective rules, their confidences and
``extract_triples``, which runs every rule over each sentence. The trigger lexicon lives in
``extract.lexicon``, the grammar the rules share (actors of phrases, subjects, negation,
modality, building a triple) in ``extract.clauses``, and the idiom rules (threats, demands,
claims, blame, verdicts, backers, contact, quoted fragments) in ``extract.idioms``.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy
from spacy.tokens import Doc, Span, Token

from .attribution import _is_media, attribute
from .columns import ADJ, AUX, NOUN, PROPN, VERB, Columns, get_string_id, ids
from .clauses import (ARTEFACTS, COPULAS, FUTURE_AUX, RELATIVE_PRONOUNS, RULE_CONFIDENCE,
                      SUBJECT_DEPS, _Ctx, _conjuncts, _make, _modality, _negated, _np_actors,
                      _object_heads, _pairs, _prep_objects, _subjects)
from .idioms import (BLAME_WORDS, EVALUATIONS, _backer_noun, _backing_participle, _claim_noun,
                     _conditional_threat, _demand_clause, _evaluation, _in_contact,
                     _quoted_fragment, _responsibility, _threat_idiom)
from .lexicon import (PREDICATE_TABLE, TRIGGER_LEXICON, Lexicon, has_trigger, load_lexicon,
                      load_predicates, symmetric_predicates, trigger_predicates, trigger_tokens)
from .mentions import identity, token_at
from .noise import in_ranges

# Names this module held before the lexicon, the shared grammar and the idioms moved out of it;
# still importable from here (``rules.CAMEO_PREDICATES``, ``rules.DEMAND_MODALS``, ...).
from .clauses import (CONDITIONAL_MARKS, COUNTERPART_NOUNS, FUTURE_HEADS,  # noqa: F401
                      HYPOTHETICAL_AUX, HYPOTHETICAL_HEADS, ISSUING_VERBS, NEGATING_HEADS,
                      NP_ACTOR_PREPS, PROSPECTS, TOPIC_NOUNS)
from .idioms import (ACCUSING_NOUNS, BACKER_NOUNS, BACKING_PARTICIPLES,  # noqa: F401
                     CONTACT_NOUNS, DEMAND_HEADS, DEMAND_MODALS, FRAMING_VERBS)
from .lexicon import CAMEO_LEXICON, CAMEO_PREDICATES, CAMEO_STOP_VERBS  # noqa: F401

__all__ = [
    "PREDICATE_TABLE",
    "TRIGGER_LEXICON",
    "Lexicon",
    "RULE_CONFIDENCE",
    "extract_triples",
    "has_trigger",
    "load_lexicon",
    "load_predicates",
    "rule_confidences",
    "symmetric_predicates",
    "trigger_predicates",
    "trigger_tokens",
]

OPEN_OBJECT = frozenset({"warns", "threatens"})
# People whose state a light verb acts on: "summoned the Chinese ambassador".
PERSON_NOUNS = frozenset({"ambassador", "envoy", "diplomat", "chargé", "charge", "hostage",
                          "prisoner", "national", "citizen"})
# Predicates whose object's location names the target: "attacked a base in Syria".
PLACE_TARGETS = frozenset({"attacks", "coerces"})
TARGET_PREPS = frozenset({"in", "inside", "near"})
# Predicates whose direct object is the thing moved, not the receiving actor.
THEME_OBJECT = frozenset({"exports_to", "provides_aid_to"})
# Predicates whose addressee can be the subject of a that-clause: "demanded that Iran halt".
CLAUSAL_OBJECT = frozenset({"demands", "urges", "warns"})
# Nouns that quantify the event noun after "of": "a second round of negotiations".
QUANTIFIER_NOUNS = frozenset({"round", "series", "set", "wave", "package", "raft", "string"})
# Verbs whose object only a preposition introduces: "flew to Moscow"; "discussed the strategy
# with Britain" (the direct object is the topic).
# Verbs of giving back, whose "to" names the receiver only when something is given back.
RETURNING_VERBS = frozenset({"return", "repatriate", "hand_over"})
PREP_ONLY_VERBS = frozenset({"travel", "fly", "arrive", "discuss", "speak", "confer"})
# Goods that make a transfer an arms export rather than aid: "provide weapons to the Houthis".
ARMS_NOUNS = frozenset({"weapon", "arm", "missile", "munition", "ammunition", "drone", "rocket",
                        "shell", "explosive", "tank", "jet", "artillery", "bomb", "warhead",
                        "launcher", "rifle", "gun", "weaponry", "armament", "uav", "interceptor"})
# Verbs that carry on an event noun without changing who does it: "expand cooperation with".
CONTINUING_VERBS = frozenset({"expand", "deepen", "strengthen", "boost", "increase", "continue", "join",
                              "resume", "step", "intensify", "broaden", "enhance", "seek",
                              "pursue", "escalate", "ramp"})
# Verbs whose subject holds the event noun they take: "voiced opposition to", "reiterated its
# demand that".
OWNING_VERBS = frozenset({"voice", "express", "reiterate", "restate", "reaffirm", "repeat",
                          "renew", "register", "convey", "underline", "stress", "lodge", "make",
                          "announce", "order", "declare"})
# Verbs that take goods in: "is receiving weapons from North Korea" -> PRK exports_to the taker.
RECEIVING_VERBS = frozenset({"receive", "acquire", "import", "buy", "purchase", "obtain",
                             "procure"})
# Hostile events a speaker can hold out against a target: "Israel would be targeted".
HOSTILE = frozenset({"attacks", "coerces", "sanctions"})
# Verbs an inanimate subject can take in the sense "require": "the situation demands action".
REQUIRING_VERBS = frozenset({"demand"})
# What aid is called: "a suspension of aid to Pakistan".
AID_NOUNS = frozenset({"aid", "assistance", "funding", "fund", "relief", "loan", "grant",
                       "money", "support"})
# Undertakings still under way: to welcome one is to back it.
ENDEAVOURS = frozenset({"effort", "plan", "process", "initiative", "mediation", "work",
                        "leadership", "commitment", "proposal", "bid", "endeavour", "endeavor"})
# Verbs of the purpose aid is given for: "to help people in Somalia".
AID_PURPOSES = frozenset({"help", "support", "assist", "aid", "benefit", "feed", "rebuild"})
# Words of a sum of money: "$500 million", "60 million euros".
MONEY_WORDS = frozenset({"million", "billion", "trillion", "euro", "dollar", "pound", "yen",
                         "franc", "krone", "rupee", "yuan", "rouble", "ruble"})
# Light verbs that call their event off: "cancelled a planned visit", "postponed the talks".
CANCELLING_VERBS = frozenset({"cancel", "postpone", "call_off", "scrap"})


# --------------------------------------------------------------------------- the core rules


def _reciprocal(verb: Token) -> bool:
    """'accused each other', 'blamed one another'."""
    return any(c.dep_ in {"dobj", "pobj"} and c.lower_ in {"other", "another"} and
               any(g.lower_ in {"each", "one"} for g in c.children) for c in verb.subtree)


def _trigger_text(tok: Token, noun: Token | None = None) -> str:
    if noun is None:
        return tok.text
    return f"{tok.text} {noun.text}" if tok.i < noun.i else f"{noun.text} {tok.text}"


def _verb_rules(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    lemma = tok.lemma_.lower()
    objs = _object_heads(tok)
    particles = [f"{lemma}_{c.lower_}" for c in tok.children if c.dep_ == "prt"]
    # Light verbs: "voiced concern over X", "imposed sanctions on Y", "held talks with Z"; a
    # coordinated object too ("launched air and artillery strikes on ...": the parser makes
    # "air" the object).
    for obj in objs + [c for o in objs for c in o.children if c.dep_ == "conj"]:
        if _is_amount(obj):
            # "pledged $500 million in aid to Ukraine": the amount is of the aid.
            obj = next((p for c in obj.children if c.dep_ == "prep" and
                        c.lower_ in {"in", "of", "for"} for p in c.children if p.dep_ == "pobj"),
                       obj)
        if obj.lemma_.lower() in QUANTIFIER_NOUNS:
            # "held a second round of negotiations", "imposed a new package of sanctions".
            obj = next((p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children if p.dep_ == "pobj"), obj)
        # "kicked off joint drills": a particle makes the verb ("kick_off").
        key = next((k for v in particles + [lemma]
                    for k in ((v, _hyphen_lemma(obj)), (v, obj.lemma_.lower())) if k in lex.light),
                   None)
        if key is not None:
            predicate, preps = lex.light[key]
            subjects, passive = _subjects(tok, ctx)
            if subjects and not passive:
                # "... staged drills. China condemned the drills": the event named again
                # stands for those who held it.
                ctx.events[key[1]] = subjects
            # "claimed responsibility for a missile attack on Saudi Arabia": the attack's target.
            where = TARGET_PREPS | {"on", "against"} if predicate in PLACE_TARGETS else frozenset()
            objects = _prep_objects([obj, tok] + ([obj.head] if obj.dep_ in {"conj", "pobj"}
                                                  else []), preps, ctx, extra_preps=where)
            if not objects and predicate == "provides_aid_to":
                # "announced assistance of 60 million euros to help people in Somalia": whom
                # the aid is to help.
                purposes = [c for c in tok.children if c.dep_ in {"advcl", "xcomp"}
                            and c.lemma_.lower() in AID_PURPOSES]
                objects = [m for c in purposes for o in _object_heads(c) + [
                    s for g in c.children if g.dep_ in {"ccomp", "xcomp"}
                    for s in g.children if s.dep_ == "nsubj"]
                    for m in _np_actors(o, ctx, extra_preps=frozenset({"in"}))]
                # "provided $340 million for assistance in northern Iraq": where it goes.
                objects = objects or _prep_objects(obj, ("in",), ctx)
            if not objects:
                # "lifted sanctions imposed on Eritrea": the target hangs on a participle.
                objects = _prep_objects([c for c in obj.children if c.dep_ == "acl"], preps, ctx)
            if objects:
                # "imposed sanctions on the CAR and the DRC": a second name the parser
                # coordinated with the event noun is a second target.
                objects += [m for c in obj.children if c.dep_ == "conj" and c.pos_ == "PROPN"
                            for m in ctx.at(c.i)]
            if not objects and lex.symmetric(predicate):
                # "refused to join the NATO exercises": the other party names the event.
                objects = [m for c in obj.children if c.dep_ in {"compound", "amod", "nmod"}
                           for m in ctx.at(c.i)]
            if not objects and key[1] in PERSON_NOUNS:
                # "summoned the Chinese ambassador", "freed a US diplomat": the person's state.
                objects = _np_actors(obj, ctx, modifiers_only=True)
            # "cancelled a planned visit to Malaysia": the event that will not happen.
            negated = True if lemma in CANCELLING_VERBS else None
            if not objects and len(subjects) > 1 and \
                    lex.symmetric(predicate):
                # "Washington and Tehran will hold talks": every pair of them.
                return _pairs(subjects, predicate, tok=tok, trigger=_trigger_text(tok, obj),
                              sent=sent, rule="light_verb", conf=ctx.conf, lex=lex,
                              negated=negated)
            return _make(subjects, objects, predicate, tok=tok, trigger=_trigger_text(tok, obj),
                         sent=sent, rule="light_verb", conf=ctx.conf, lex=lex, negated=negated)
    if tok.dep_ == "acl":
        # "the sanctions imposed by Washington on Tehran": participle on a light noun.
        key = (lemma, tok.head.lemma_.lower())
        if key in lex.light:
            predicate, preps = lex.light[key]
            subjects, _ = _subjects(tok, ctx)
            objects = _prep_objects([tok, tok.head], preps, ctx)
            return _make(subjects, objects, predicate, tok=tok, trigger=_trigger_text(tok, tok.head),
                         sent=sent, rule="participle_light", conf=ctx.conf, lex=lex)
    if lemma in RECEIVING_VERBS and (lemma == "import" or _moves_arms(tok, objs)):
        # "Russia is receiving weapons from North Korea": the giver exports to the taker.
        givers = _prep_objects(tok, ("from",), ctx)
        takers, passive = _subjects(tok, ctx)
        if givers and takers and not passive:
            return _make(givers, takers, "exports_to", tok=tok, trigger=tok.text, sent=sent,
                         rule="converse", conf=ctx.conf, lex=lex)
    # Phrasal and prepositional verbs: "sat down with", "pulled out of", "called on".
    # A particle always counts ("gave in"); a preposition only where it introduces the object
    # ("called on X"), so "gave Ukraine tanks in October" is no concession.
    preps = [f"{lemma}_{c.lower_}" for c in tok.children if c.dep_ == "prep"]
    phrasal = next((k for k in particles if k in lex.verbs), None) or next(
        (k for k in preps if k in lex.verbs and k.rsplit("_", 1)[1] in lex.verbs[k][1]), None)
    if phrasal:
        lemma = phrasal
    elif lemma not in lex.verbs:
        return []
    predicate, preps = lex.verbs[lemma]
    if lemma in PREP_ONLY_VERBS and tok.dep_ in {"advcl", "xcomp"} and \
            _meeting_verb(tok.head, lex):
        # "met in Washington to discuss North Korea", "held talks to discuss trade": the
        # purpose of a meeting already read, not a second event.
        return []
    if lemma == "welcome" and any(o.lemma_.lower() in ENDEAVOURS for o in objs):
        # "welcomes Qatar's efforts to secure the release": backing an undertaking still
        # under way; welcoming a step taken ("welcomes Egypt's decision") stays praise.
        predicate = "supports"
    conditional = predicate == "warns" and _conditional_clause(tok)
    if conditional:
        # "warned it would end the UN mission if the envoy spoke": a warning of what the
        # speaker will do unless its condition is met is a threat (CAMEO 13, not 01).
        predicate = "threatens"
    if predicate in OPEN_OBJECT and _in_condition(tok):
        # "... would be targeted if it retaliates": the condition is no threat of its own.
        return []
    subjects, passive = _subjects(tok, ctx)
    if not subjects:
        if passive and predicate in HOSTILE:
            return _conditional_threat(tok, sent, ctx, lex)
        return []
    if len(subjects) > 1 and _reciprocal(tok):
        # "Armenia and Azerbaijan accused each other": one triple per direction.
        out = []
        for s in subjects:
            out += _make([s], [o for o in subjects if o is not s], predicate, tok=tok,
                         trigger=tok.text, sent=sent, rule="reciprocal", conf=ctx.conf, lex=lex)
        return out
    if lemma in REQUIRING_VERBS and not passive and _inanimate_subject(tok, ctx):
        # "This pattern of violations by the DPRK demands a response from this Council": a
        # thing that calls for something is no actor making a demand.
        return []
    rule = "passive" if passive else "active"
    if passive:
        # "Pakistan was condemned by India": the passive subject is the object.
        objects = []
        for c in tok.children:
            if c.dep_ == "nsubjpass":
                # "Sweden, which had been criticised by Turkey": the antecedent.
                target = tok.head if c.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl" else c
                objects.extend(_np_actors(target, ctx))
        if tok.dep_ == "advcl" and not objects:
            # "Rebuked by the United Nations, the Taliban ...": the main clause's subject.
            objects = [m for c in tok.head.children if c.dep_ in SUBJECT_DEPS
                       for m in _np_actors(c, ctx)]
    elif lemma in PREP_ONLY_VERBS:
        # "flew to Moscow" is a visit; "flew Syria planeloads of aid" is not.
        objects = []
    elif lemma in RETURNING_VERBS:
        # "returned six artifacts to Iraq" gives them back; "returned to Moscow" is a trip.
        objects = [m for o in objs for m in ctx.at(o.i)] or (
            _prep_objects([tok, *objs], ("to",), ctx) if objs else [])
    elif predicate in THEME_OBJECT:
        # "delivered its first tanks to Ukraine": the direct object is the goods; only an actor
        # named as the object itself receives them ("supplied Russia with drones").
        objects = [m for o in objs for t in _conjuncts(o) for m in ctx.at(t.i)]
        if not objects:
            # "sold Ukraine drones", parsed as one noun phrase: a name right after the verb is
            # the receiver.
            objects = [m for o in objs for c in o.children
                       if c.dep_ == "compound" and c.left_edge.i == tok.i + 1 for m in ctx.at(c.i)]
    else:
        # "struck a base in Syria": an attack's target lies where it hit.
        where = TARGET_PREPS if predicate in PLACE_TARGETS else frozenset()
        objects = [m for o in objs for m in _np_actors(o, ctx, extra_preps=where)]
        if not objects:
            # "rejected any cooperation with the ICC", "welcomed talks with Iran": the other
            # party of a joint event the verb is about.
            objects = [m for o in objs if o.lemma_.lower() in lex.nouns
                       and lex.symmetric(lex.nouns[o.lemma_.lower()][0])
                       for m in _prep_objects(o, lex.nouns[o.lemma_.lower()][1], ctx)]
        if not objs:
            # "denounces and rejects the declaration": conjoined verbs share the object.
            for c in tok.children:
                if c.dep_ == "conj" and c.pos_ == "VERB":
                    objects = [m for o in _object_heads(c) for m in _np_actors(o, ctx)]
                    if objects:
                        break
    if predicate == "provides_aid_to" and _moves_arms(tok, objs):
        # "provide destabilizing weapons to the Houthis", "drones provided to Syria by the
        # IRGC": arms are an export, not aid.
        predicate = "exports_to"
    subject_ids = {identity(s) for s in subjects}
    objects = [o for o in objects if identity(o) not in subject_ids]
    if not objects:
        # "exported shells to Russia", "protested to Beijing", "met with Lavrov".
        objects = _prep_objects(tok, preps + ("with", "to") if predicate in {"meets"} else preps, ctx)
        if objects:
            rule = "prep_object"
    if not objects and tok.dep_ == "acl" and tok.tag_ == "VBN" and \
            any(c.dep_ == "agent" for c in tok.children) and \
            tok.head.lemma_.lower() not in ARTEFACTS:
        # "the Houthis, backed by Iran,": the participle's agent acts on the noun it modifies.
        objects = [o for o in ctx.at(tok.head.i) if identity(o) not in subject_ids]
        if objects:
            rule = "passive"
    if not objects and objs and not passive and not any(ctx.at(o.i) for o in objs):
        # "condemned the strikes by Israel": an active verb takes no agent, so a "by" the
        # parser hung on it names who carried out the event noun, the real target.
        objects = [o for o in _prep_objects(tok, ("by",), ctx) if identity(o) not in subject_ids]
        if objects:
            rule = "prep_object"
    if not objects and predicate in PLACE_TARGETS and objs and not passive:
        # "stormed a police headquarters in eastern Afghanistan": where the target stood.
        objects = [o for o in _prep_objects(tok, tuple(sorted(TARGET_PREPS)), ctx)
                   if identity(o) not in subject_ids]
        if objects:
            rule = "prep_object"
    if not objects and predicate in THEME_OBJECT:
        # "provided 3.5 million euros in humanitarian funding to Lebanon": the receiver's "to"
        # hangs on a noun inside the goods.
        goods = [t for t in tok.subtree if t.pos_ in {"NOUN", "PROPN"} and 0 < t.i - tok.i < 10
                 and t.dep_ not in SUBJECT_DEPS]
        objects = [o for o in _prep_objects(goods, ("to",), ctx) if identity(o) not in subject_ids]
        if objects:
            rule = "prep_object"
    if not objects and (predicate in CLAUSAL_OBJECT or conditional):
        # "Ukraine demanded that Iran halt ...": who must act is the object.
        objects = [m for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i
                   for s in c.children if s.dep_ in SUBJECT_DEPS for m in _np_actors(s, ctx)
                   if identity(m) not in subject_ids]
        if objects:
            rule = "clausal_object"
    if not objects and len(subjects) > 1 and lex.symmetric(predicate):
        # "Kim Jong Un and Vladimir Putin met", "the envoys of the US, Japan and South Korea
        # met": every pair of them.
        return _pairs(subjects, predicate, tok=tok, trigger=tok.text, sent=sent,
                      rule="symmetric_pair", conf=ctx.conf, lex=lex)
    if not objects and predicate in OPEN_OBJECT and not objs:
        # "warned of strong counteraction, claiming ... to foil the U.S. attempt": an actor in
        # the warning's own clause is its target; weaker evidence.
        for t in tok.subtree:
            if t.i == tok.i or t.dep_ in SUBJECT_DEPS:
                continue
            objects.extend(m for m in ctx.at(t.i) if identity(m) not in subject_ids)
            if objects:
                break
        if objects:
            rule = "open_object"
    out = _make(subjects, objects, predicate, tok=tok, trigger=tok.text, sent=sent, rule=rule,
                conf=ctx.conf, lex=lex)
    if out and not passive and not _negated(tok):
        # "Sudan threatened to end the mission. These threats are unacceptable": the event's
        # nouns, named again, stand for who did it.
        for noun in lex.nouns_of.get(predicate, ()):
            ctx.events[noun] = subjects
    return out


def _hyphen_lemma(tok: Token) -> str:
    """A noun written with a hyphen as one lemma: "cease-fire" -> "ceasefire"."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].tag_ == "HYPH" and doc[tok.i - 2].head.i == tok.i:
        return doc[tok.i - 2].lower_ + tok.lemma_.lower()
    return tok.lemma_.lower()


def _is_amount(tok: Token) -> bool:
    """A sum of money: "$500 million", "1.5 million euros" (its head word)."""
    return tok.lemma_.lower() in MONEY_WORDS or tok.tag_ == "$" or any(
        c.tag_ == "$" for c in tok.children)


def _meeting_verb(verb: Token, lex: Lexicon) -> bool:
    """A verb that reports a meeting by itself ("met", "convened") or with its object ("held
    talks"): a symmetric predicate among its parties."""
    lemma = verb.lemma_.lower()
    entries = [lex.verbs.get(lemma)] + [lex.light.get((lemma, o.lemma_.lower()))
                                        for o in _object_heads(verb)]
    return any(e is not None and lex.symmetric(e[0]) for e in entries)


def _inanimate_subject(verb: Token, ctx: _Ctx) -> bool:
    """Whether the verb's subject is a common noun that names no actor itself (no mention on
    it or its modifiers) and is no document: "this pattern of violations by the DPRK"."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ != "NOUN" or ctx.at(subj.i) or \
            subj.lemma_.lower() in ARTEFACTS:
        return False
    return not any(ctx.at(c.i) for c in subj.children
                   if c.dep_ in {"compound", "amod", "poss", "nmod"})


def _in_condition(tok: Token) -> bool:
    """Whether ``tok`` heads an "if"/"unless" clause."""
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"if", "unless"}
                                       for c in tok.children)


def _conditional_clause(verb: Token) -> bool:
    """Whether ``verb`` says what will or would happen on a condition: a "that"-clause with
    "will"/"would" holding an "if"/"unless" clause ("warned it would strike if ...")."""
    return any(c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in FUTURE_AUX | {"would"}
                                         for a in c.children)
               and any(_in_condition(g) for g in c.children) for c in verb.children)


def _moves_arms(tok: Token, objs: list[Token]) -> bool:
    """Whether the goods a transfer verb moves are arms (its objects, "with" objects, or the
    noun a participle describes)."""
    goods = [t for o in objs for t in _conjuncts(o)]
    goods += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
              for p in c.children if p.dep_ == "pobj"]
    if tok.dep_ == "acl":
        goods += _conjuncts(tok.head)
        goods += [h for h in (tok.head.head,) if tok.head.dep_ == "conj"]
    return any(g.lemma_.lower() in ARMS_NOUNS for g in goods)


def _adj_rules(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """Predicative adjectives: "The United States is very concerned about the Houthis'
    attack", "we are alarmed at Iran's lack of cooperation", "remains supportive of Kyiv"."""
    predicate, preps = lex.adjectives[tok.lower_]
    if tok.dep_ == "acomp" and tok.head.lemma_.lower() in COPULAS:
        # "X is concerned": the copula carries subject, negation and modality.
        carrier = tok.head
        subjects, _ = _subjects(carrier, ctx)
    elif any(c.dep_ in {"nsubjpass", "nsubj"} for c in tok.children):
        # "X is concerned" parsed as a passive participle.
        carrier = tok
        subjects = [m for c in tok.children if c.dep_ in {"nsubjpass", "nsubj"}
                    for m in _np_actors(c, ctx)]
    else:
        return []
    objects = _prep_objects(tok, preps, ctx)
    if not objects and "by" in preps:
        # "is deeply troubled by China's detention of activists", parsed as a passive: its
        # "by" is the agent.
        objects = [m for c in tok.children if c.dep_ == "agent" for p in c.children
                   if p.dep_ == "pobj" for m in _np_actors(p, ctx)]
    subject_ids = {identity(m) for m in subjects}
    objects = [o for o in objects if identity(o) not in subject_ids]
    return _make(subjects, objects, predicate, tok=tok, trigger=tok.text, sent=sent,
                 rule="adjective", conf=ctx.conf, lex=lex, modality=_modality(carrier),
                 negated=_negated(carrier))


def _noun_rules(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """Nominalisations: "NATO's condemnation of X", "Pyongyang's arms transfers to Russia"."""
    lemma = tok.lemma_.lower()
    if lemma not in lex.nouns:
        return []
    # A light-verb object ("voiced concern") is handled by the verb rule.
    if tok.dep_ == "dobj" and (tok.head.lemma_.lower(), lemma) in lex.light:
        return []
    predicate, preps = lex.nouns[lemma]
    symmetric = lex.symmetric(predicate)
    subjects = [m for c in tok.children if c.dep_ in {"poss", "amod", "compound", "nmod"}
                for m in ctx.at(c.i)]
    if subjects and tok.dep_ == "dobj" and symmetric and \
            any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
        # "the two leaders pledged to continue their dialogue", "the three countries will
        # strengthen our cooperation": the possessive stands for the clause's own parties.
        parties, passive = _subjects(tok.head, ctx)
        if len(parties) > 1 and not passive:
            subjects = parties
    if subjects and symmetric:
        # "the US-China talks", "the Russia-Belarus partnership": the name joined by a hyphen
        # to the modifier is the other party.
        subjects += [m for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}
                     for g in c.children if g.dep_ in {"compound", "amod", "npadvmod"}
                     and g.i + 2 == c.i and tok.doc[g.i + 1].tag_ == "HYPH"
                     for m in ctx.at(g.i)]
        subjects.sort(key=lambda m: m["start"])
    if not subjects and symmetric:
        # "talks between Russia and Ukraine", "cooperation among the three allies".
        subjects = _prep_objects(tok, ("between", "among"), ctx)
    if not subjects:
        for c in tok.children:
            if c.dep_ == "compound":
                subjects.extend(_np_actors(c, ctx, modifiers_only=True))
    if not subjects:
        subjects = _prep_objects(tok, ("by", "from"), ctx)
    if not subjects and predicate in THEME_OBJECT:
        # "the transfer of North Korean arms to Russia": whose goods they are.
        subjects = [m for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"
                    for m in _np_actors(g, ctx, modifiers_only=True)]
    if not subjects and tok.dep_ == "dobj" and tok.head.lemma_.lower() in \
            CONTINUING_VERBS | OWNING_VERBS:
        # "agreed to expand cooperation with the alliance": whoever expands it cooperates;
        # "China voiced opposition to U.S. sanctions": whoever voices it opposes.
        subjects, passive = _subjects(tok.head, ctx)
        if passive:
            subjects = []
    if not subjects and tok.dep_ == "attr" and tok.head.lemma_.lower() in COPULAS:
        # "The United States remains a committed partner with Somalia": the copula's subject.
        subjects, passive = _subjects(tok.head, ctx)
        if passive:
            subjects = []
    if not subjects:
        return []
    carrier = tok.head if tok.dep_ == "dobj" and tok.head.lemma_.lower() in CONTINUING_VERBS \
        else tok
    objects = _prep_objects(tok, preps, ctx)
    if not objects and tok.dep_ == "dobj" and tok.head.lemma_.lower() not in lex.verbs or \
            not objects and tok.dep_ == "dobj" and not lex.verbs[tok.head.lemma_.lower()][1]:
        # "condemned its weapons exports to Russia": the parser hangs "to Russia" on the verb.
        objects = _prep_objects(tok.head, preps, ctx)
    if not objects:
        # "a suspension of aid to Pakistan": the event is about aid, which goes to the object.
        objects = [m for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                   for a in c.children if a.dep_ == "pobj" and a.lemma_.lower() in AID_NOUNS
                   for m in _prep_objects(a, ("to", "for"), ctx)]
    if not objects and tok.dep_ == "pobj" and tok.head.head.pos_ in {"VERB", "AUX"}:
        # "remains steadfast in its defense commitments to the R.O.K. and Japan": the parser
        # hangs "to ..." on the verb; a preposition after the noun is still the noun's.
        later = [c for c in tok.head.head.children
                 if c.dep_ == "prep" and c.lower_ in preps and c.i > tok.i]
        objects = [m for c in later for p in c.children if p.dep_ == "pobj"
                   for m in _np_actors(p, ctx)]
    if not objects:
        # "attacks by Hamas terrorists against Israel": the parser hangs the target's
        # preposition on the agent inside the noun phrase.
        inner = [p for c in tok.children if c.dep_ == "prep" and c.lower_ in {"by", "from"}
                 for p in c.children if p.dep_ == "pobj"]
        objects = _prep_objects(inner, preps, ctx) if inner else []
    subject_ids = {identity(m) for m in subjects}
    objects = [o for o in objects if identity(o) not in subject_ids]
    if not objects and predicate in CLAUSAL_OBJECT:
        # "reiterated its demand that Russia allow inspectors in": who must act.
        objects = [m for c in tok.children if c.dep_ in {"acl", "ccomp"} and c.i > tok.i
                   and not any(r.lower_ in RELATIVE_PRONOUNS and r.dep_ != "mark"
                               for r in c.children)
                   for s in c.children if s.dep_ == "nsubj" for m in _np_actors(s, ctx)
                   if identity(m) not in subject_ids]
    if not objects and len(subjects) > 1 and symmetric:
        # "the three countries will strengthen their trilateral cooperation", "the US-China
        # talks": every pair.
        return _pairs(subjects, predicate, tok=tok, trigger=tok.text, sent=sent,
                      rule="nominal_pair", conf=ctx.conf, lex=lex,
                      modality=_modality(carrier), negated=_negated(carrier))
    # "The minister's travel to Tokyo was cancelled": the event will not happen.
    called_off = tok.dep_ == "nsubjpass" and tok.head.lemma_.lower() in CANCELLING_VERBS
    return _make(subjects, objects, predicate, tok=tok, trigger=tok.text, sent=sent,
                 rule="nominal", conf=ctx.conf, lex=lex, modality=_modality(carrier),
                 negated=called_off or _negated(carrier))


# --------------------------------------------------------------------------- the driver


def _link_topics(triples: list[dict], doc: Doc) -> None:
    """Nested events: "NATO condemned Pyongyang's exports to Russia" -> condemns is about exports."""
    by_start = {t["trigger_start"]: t for t in triples if t["rule"] == "nominal"}
    if not by_start:
        return
    for t in triples:
        if t["rule"] == "nominal":
            continue
        tok = token_at(doc, t["trigger_start"])
        if tok is None:
            continue
        for o in _object_heads(tok) + [p for c in tok.children if c.dep_ == "prep"
                                        for p in c.children if p.dep_ == "pobj"]:
            for sub in o.subtree:
                inner = by_start.get(sub.idx)
                if inner is not None and inner is not t:
                    t["topic"] = f"{inner['predicate']}@{inner['trigger_start']}"
                    break


def _may_relate(sent: Span, ctx: _Ctx) -> bool:
    """Whether a sentence can hold a triple: it names an actor, or names again something that
    stands for one (an event or a document named before, "it"); a sentence of neither is
    skipped (a cost saving; every rule needs an actor at each end)."""
    if any(ctx.at(i) for i in range(sent.start, sent.end)):
        return True
    if not ctx.events and not ctx.artefacts and ctx.last_artefact is None:
        return False
    return any(t.lemma_.lower() in ctx.events or t.lemma_.lower() in ctx.artefacts or
               t.lower_ in {"it", "this"} for t in sent)


_RULE_POS_IDS = numpy.asarray([VERB, AUX, NOUN, PROPN], dtype="uint64")
_OPEN_QUOTE, _ROOT, _NNS = (get_string_id(w) for w in ("``", "ROOT", "NNS"))
_BLAME_IDS, _EVALUATION_IDS = ids(BLAME_WORDS), ids(EVALUATIONS)
# By a lexicon's adjectives: the ids of its adjective triggers, blame words and evaluations
# (sorted), and of its adjective triggers.
_TRIGGER_WORDS: dict[frozenset[str], tuple[numpy.ndarray, frozenset[int]]] = {}


def _trigger_words(lexicon: Lexicon) -> tuple[numpy.ndarray, frozenset[int]]:
    """The lower-case forms that start a rule whatever their part of speech (sorted ids), and
    those of the lexicon's adjective triggers."""
    key = frozenset(lexicon.adjectives)
    hit = _TRIGGER_WORDS.get(key)
    if hit is None:
        hit = _TRIGGER_WORDS[key] = (numpy.asarray(
            sorted(ids([*key, *BLAME_WORDS, *EVALUATIONS])), dtype="uint64"), ids(key))
    return hit


def _readable(cols: Columns, words: numpy.ndarray, verb_tags: numpy.ndarray) -> list[int]:
    """The tokens some branch of ``extract_triples`` may read, in order: verbs and nouns (by
    part of speech or verb tag), trigger words (``words``) whatever their part of speech,
    tokens after an opening quote, plural-noun roots. A superset: each branch still tests its
    token. ``verb_tags``: ``cols.verb_tags()``."""
    lower, pos, tag, dep = (cols.array[:, k] for k in range(4))
    # numpy.isin sorts its arguments on every call; a few comparisons and one binary search
    # in the sorted ``words`` give the same mask faster.
    keep = verb_tags.copy()
    for pos_id in _RULE_POS_IDS:
        keep |= pos == pos_id
    if len(words):
        found = numpy.searchsorted(words, lower)
        found[found == len(words)] = 0
        keep |= words[found] == lower
    keep[1:] |= tag[:-1] == _OPEN_QUOTE
    keep |= (dep == _ROOT) & (tag == _NNS)
    return numpy.flatnonzero(keep).tolist()


def extract_triples(
    doc: Doc,
    mentions: list[dict],
    *,
    lexicon: Lexicon,
    noise: list[tuple[int, int]] = (),
    registry=None,
    confidences: dict[str, float] | None = None,
    dateline: list | tuple | None = None,
) -> list[dict]:
    """All rule triples of a parsed document, with speaker and source attributed.

    Args:
        doc: a parsed Doc.
        mentions: its actor mentions (``link_actors``).
        lexicon: triggers and predicate table (``load_lexicon``).
        noise: character ranges to skip (``find_noise``).
        registry: the actor registry (tells media outlets from speakers).
        confidences: per-rule confidences over ``RULE_CONFIDENCE`` (``rule_confidences``).
        dateline: the outlet the document's dateline names, as ``doc._.dateline`` (the actor
            linker's); default: read from the text (``attribution.attribute``).
    """
    ctx = _Ctx(doc, mentions, rule_confidences(confidences), registry=registry, noise=noise)
    cols = Columns(doc)
    words, adjectives = _trigger_words(lexicon)
    verb_tags = cols.verb_tags()
    readable = _readable(cols, words, verb_tags)
    triples: list[dict] = []
    for sent in doc.sents:
        if cols.all_space(sent.start, sent.end) or not _may_relate(sent, ctx):
            continue
        found: list[dict] = []
        # Only the tokens a branch below can read (the branches test each one again).
        # (The tests read the token's columns: its lower-case form, part of speech, tag,
        # dependency label and lemma, as ids or cached strings.)
        for i in readable[bisect_left(readable, sent.start):bisect_left(readable, sent.end)]:
            tok = doc[i]
            if noise and in_ranges(tok.idx, tok.idx + len(tok), noise):
                continue
            lower, pos = cols.lower[i], cols.pos[i]
            if lower in adjectives and (pos == ADJ or pos == VERB):
                found.extend(_adj_rules(tok, sent, ctx, lex=lexicon))
            elif lower in _BLAME_IDS:
                found.extend(_responsibility(tok, sent, ctx, lex=lexicon))
            elif lower in _EVALUATION_IDS:
                found.extend(_evaluation(tok, sent, ctx, lex=lexicon))
            elif pos == VERB or pos == AUX or verb_tags[i]:
                if cols.lemma_lower(i) in lexicon.verb_heads or \
                        cols.lemma_lower(i) in RECEIVING_VERBS:
                    # (Every branch of _verb_rules needs one of these lemmas.)
                    found.extend(_verb_rules(tok, sent, ctx, lex=lexicon))
                found.extend(_backing_participle(tok, sent, ctx, lex=lexicon))
                found.extend(_threat_idiom(tok, sent, ctx, lex=lexicon))
                if pos == VERB:
                    found.extend(_demand_clause(tok, sent, ctx, lex=lexicon))
            elif i > sent.start and cols.tag[i - 1] == _OPEN_QUOTE and \
                    cols.lemma_lower(i) in lexicon.verbs:
                found.extend(_quoted_fragment(tok, sent, ctx, lex=lexicon))
            elif cols.dep[i] == _ROOT and cols.tag[i] == _NNS and \
                    cols.lemma_lower(i) in lexicon.verbs \
                    and any(c.dep_ == "compound" for c in tok.children) and \
                    any(c.dep_ in {"conj", "dobj"} for c in tok.children):
                # A present-tense verb the tagger took for a plural noun ("Ministry denounces").
                found.extend(_verb_rules(tok, sent, ctx, lex=lexicon))
            elif pos == NOUN or pos == PROPN:
                # Remember who wrote the declaration, so "the declaration" can name them later.
                if cols.lemma_lower(i) in ARTEFACTS:
                    _np_actors(tok, ctx)
                found.extend(_noun_rules(tok, sent, ctx, lex=lexicon))
                found.extend(_claim_noun(tok, sent, ctx, lex=lexicon))
                found.extend(_backer_noun(tok, sent, ctx, lex=lexicon))
                found.extend(_in_contact(tok, sent, ctx, lex=lexicon))
        _link_topics(found, doc)
        triples.extend(_dedupe(found))
    if registry is not None:
        # An outlet carries statements; it is never who acts or who is acted on ("Yonhap
        # reported, and warned the United States"; "in a statement carried by KCNA, Pyongyang
        # warned").
        triples = [t for t in triples if not _is_outlet(t["subject"], registry)
                   and not _is_outlet(t["object"], registry)]
    attribute(doc, triples, mentions, registry=registry, noise=noise, cols=cols,
              index=ctx.index, dateline=dateline)
    return triples


def rule_confidences(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """``RULE_CONFIDENCE`` with ``overrides`` applied; an unknown rule name or a value outside
    [0, 1] is an error, so a typo in a config cannot pass silently."""
    if not overrides:
        return RULE_CONFIDENCE
    unknown = sorted(set(overrides) - set(RULE_CONFIDENCE))
    if unknown:
        raise ValueError(f"Unknown rule {unknown[0]!r} in rule confidences; expected one of: "
                         f"{', '.join(RULE_CONFIDENCE)}.")
    bad = [k for k, v in overrides.items() if not 0.0 <= float(v) <= 1.0]
    if bad:
        raise ValueError(f"Rule confidence {bad[0]!r} = {overrides[bad[0]]!r} is outside [0, 1].")
    return {**RULE_CONFIDENCE, **{k: float(v) for k, v in overrides.items()}}


def _is_outlet(ref: dict | None, registry) -> bool:
    return ref is not None and _is_media(ref["actor"], registry)


def _dedupe(triples: list[dict]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for t in triples:
        key = (t["subject"]["actor"], t["predicate"], t["object"]["actor"] if t["object"] else None,
               t["negated"], t["modality"], t["trigger_start"])
        if key not in seen or seen[key]["confidence"] < t["confidence"]:
            seen[key] = t
    return list(seen.values())
