"""The grammar the rules share: who a clause's actors are, and how a triple is built.

The actors a noun phrase names (``_np_actors``), a verb's subjects (``_subjects``), the actors
of its prepositional phrases (``_prep_objects``), negation (``_negated``) and modality
(``_modality``), all over one document's state (``_Ctx``); ``_make`` and ``_pairs`` turn
subjects and objects into triple dicts. Used by ``extract.idioms`` and ``extract.rules``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon
from .mentions import identity, mention_ref, mentions_by_token, statement_issuer

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
# Verbs whose complement is not carried out: "refused to criticise", "declined to sanction".
NEGATING_HEADS = frozenset({"refuse", "decline", "fail", "reject", "avoid", "stop", "cease", "deny"})
# Verbs whose complement lies in the future: "plans to visit", "vowed to deter".
FUTURE_HEADS = frozenset({"plan", "intend", "vow", "pledge", "promise", "prepare", "aim", "seek",
                          "expect", "schedule", "agree", "decide", "want", "hope", "willing",
                          "ready", "prepared", "eager"})
# Verbs whose complement is only possible: "threatened to impose", "considering sanctions".
HYPOTHETICAL_HEADS = frozenset({"threaten", "consider", "weigh", "warn", "mull", "propose",
                                "suggest", "urge", "call", "ask", "demand", "have", "need"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "should", "must", "'d"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
# Nouns whose author stands in for them: "the declaration" after "a NATO summit declaration".
ARTEFACTS = frozenset({"declaration", "statement", "resolution", "document", "report", "plan",
                       "proposal", "communique", "communiqué", "decision", "move", "remark",
                       "call", "demand", "sanction", "policy", "drill", "exercise", "launch",
                       "test", "program", "programme", "attempt", "action", "treaty"})
# Prepositions that carry the actor(s) of a noun phrase: "calls by Egypt", "ties between A and B".
NP_ACTOR_PREPS = frozenset({"by", "between", "from", "of", "among"})
# Nouns whose non-possessive modifiers name their topic, not their owner.
TOPIC_NOUNS = frozenset({"question", "issue", "problem", "situation", "crisis", "conflict",
                         "war", "dispute", "file", "matter", "affair", "policy", "talks", "deal",
                         "peninsula", "front", "border", "strait", "sea", "region", "summit"})
# Copulas whose subject an adjective or a predicate noun describes: "is concerned about",
# "remains a committed partner of".
COPULAS = frozenset({"be", "remain", "become", "stay", "seem", "appear", "feel", "grow"})
# Nouns of an act not yet done, and the modality of that act: "accepted an invitation to meet".
PROSPECTS = {"invitation": "future", "plan": "future", "offer": "hypothetical",
             "proposal": "hypothetical", "bid": "hypothetical", "attempt": "hypothetical"}
# Nouns whose possessor is the other side: "his Russian counterpart" is Russian.
COUNTERPART_NOUNS = frozenset({"counterpart", "opposite", "host"})
# Verbs whose subject authors their object: "issued a declaration", "adopted a resolution".
ISSUING_VERBS = frozenset({"issue", "release", "adopt", "publish", "pass", "sign", "announce",
                           "unveil", "deliver", "make"})


# The confidence of each rule's triples before calibration, by rule name (the ``rule`` field of a
# triple); the rule component's config can override any of them (``confidences``), and
# ``pronoun_penalty`` is taken off when an end is a pronoun, an anaphor or a role.
RULE_CONFIDENCE = {
    "active": 0.85, "passive": 0.85, "prep_object": 0.85, "clausal_object": 0.85,
    "symmetric_pair": 0.85, "light_verb": 0.85, "participle_light": 0.8, "converse": 0.8,
    "reciprocal": 0.8, "adjective": 0.8, "nominal": 0.75, "nominal_pair": 0.7,
    "demand_clause": 0.75, "conditional_threat": 0.7, "quoted_fragment": 0.7,
    "open_object": 0.6, "pronoun_penalty": 0.05,
}


# --------------------------------------------------------------------------- actors of phrases


class _Ctx:
    """Per-document state shared by the rules: the mention index and remembered artefacts."""

    def __init__(self, doc: Doc, mentions: list[dict], confidences: dict[str, float] | None = None,
                 *, registry=None, noise: list[tuple[int, int]] = ()):
        self.doc = doc
        self.mentions = mentions
        self.registry = registry
        self.noise = noise
        self._issuer: list[dict] | None = None
        self.index = mentions_by_token(mentions)
        self.artefacts: dict[str, dict] = {}
        self.events: dict[str, list[dict]] = {}  # light noun lemma -> who carried it out
        self.conf = confidences or RULE_CONFIDENCE
        self.last_artefact: tuple[int, dict] | None = None  # (token index, author)

    def remember(self, tok: Token, author: dict) -> None:
        """Who wrote a declaration, statement, ...: "the declaration" and "it" can name them."""
        self.artefacts[tok.lemma_.lower()] = author
        if self.last_artefact is None or self.last_artefact[0] <= tok.i:
            self.last_artefact = (tok.i, author)

    def at(self, i: int) -> list[dict]:
        return self.index.get(i, [])

    def issuer(self) -> list[dict]:
        """The statement's issuer (``mentions.statement_issuer``), found once per document."""
        if self._issuer is None:
            self._issuer = [] if self.registry is None else statement_issuer(
                self.doc, self.mentions, self.registry, self.noise)
        return self._issuer


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ in {"conj", "appos"}:
            out.extend(_conjuncts(c))
    return out


def _np_actors(tok: Token, ctx: _Ctx, *, depth: int = 0, modifiers_only: bool = False,
               extra_preps: frozenset[str] = frozenset()) -> list[dict]:
    """Actors a noun phrase names or is owned by.

    "North Korea" -> PRK; "Pyongyang's arms transfers" -> PRK (possessor of an event);
    "a NATO summit declaration" -> NATO (compound); "calls by Egypt and Qatar" -> EGY, QAT;
    "the partnership between North Korea and Russia" -> PRK, RUS; "the declaration" -> the
    author remembered for an earlier declaration.
    """
    found: list[dict] = []
    if tok.lower_ in {"it", "this"} and tok.dep_ in {"dobj", "pobj"} and not ctx.at(tok.i) \
            and ctx.last_artefact is not None and 0 < tok.i - ctx.last_artefact[0] <= 40:
        # "... and rejects it": the document just named (a sentence or two back) stands for
        # its author.
        return [ctx.last_artefact[1]]
    for t in _conjuncts(tok):
        own = ctx.at(t.i)
        if own:
            found.extend(own)
            # "the Russian and US navies": the coordinated nationalities are parties too.
            found.extend(m for c in t.children if c.dep_ in {"amod", "compound"} and c.i < t.i
                         for cc in _conjuncts(c)[1:] for m in ctx.at(cc.i))
            # "the defense ministers of Japan and Australia": the linker gave the officials
            # the first state; the states coordinated with it are parties too.
            found.extend(m for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj" and ctx.at(p.i)
                         for cc in _conjuncts(p)[1:] for m in ctx.at(cc.i))
            continue
        # The owner outranks other modifiers: "Sweden's NATO membership" is Sweden's; but "their
        # Chinese counterparts" are Chinese, whoever "their" is.
        mods = [] if t.lemma_.lower() in COUNTERPART_NOUNS and any(
            ctx.at(c.i) for c in t.children if c.dep_ in {"amod", "compound"}) else \
            [m for c in t.children if c.dep_ == "poss" for m in ctx.at(c.i)]
        if not mods and depth < 2:
            # "the Iranian court's decision": the owner is named inside the possessor.
            mods = [m for c in t.children if c.dep_ == "poss" and c.pos_ in {"NOUN", "PROPN"}
                    for m in _np_actors(c, ctx, depth=depth + 1, modifiers_only=True)]
        if not mods and t.lemma_.lower() in TOPIC_NOUNS:
            # "the Taiwan question", "the Ukraine war": a topic, not an owner.
            continue
        # "British and EU negotiators": every coordinated modifier.
        mods = mods or [m for c in t.children if c.dep_ in {"compound", "amod", "nmod"}
                        for cc in _conjuncts(c) for m in ctx.at(cc.i)]
        if not mods:
            for c in t.children:
                if c.dep_ in {"compound", "amod", "nmod"} and depth < 2:
                    mods.extend(_np_actors(c, ctx, depth=depth + 1, modifiers_only=True))
        if mods:
            found.extend(mods)
            if t.lemma_.lower() in ARTEFACTS:
                ctx.remember(t, mods[0])
            continue
        if modifiers_only or depth >= 2:
            continue
        for c in t.children:
            if c.dep_ == "acl" and c.tag_ == "VBN":
                # "workers employed by the UNHCR", "the drone launched by the Houthis".
                for agent in c.children:
                    if agent.dep_ == "agent":
                        for pobj in agent.children:
                            if pobj.dep_ == "pobj":
                                found.extend(_np_actors(pobj, ctx, depth=depth + 1))
        for c in t.children:
            if c.dep_ == "prep" and (c.lower_ in NP_ACTOR_PREPS or
                                     c.lower_ in extra_preps):
                for pobj in c.children:
                    if pobj.dep_ == "pobj":
                        found.extend(_np_actors(pobj, ctx, depth=depth + 1,
                                                extra_preps=extra_preps))
        if not found and t.lemma_.lower() in ARTEFACTS:
            # "the declaration adopted at NATO's summit", "a resolution drafted by France".
            for acl in t.children:
                if acl.dep_ == "acl" and acl.tag_ == "VBN":
                    for c in acl.children:
                        if c.dep_ in {"agent", "prep"} and c.lower_ in {"by", "at"}:
                            for pobj in c.children:
                                if pobj.dep_ == "pobj":
                                    found.extend(ctx.at(pobj.i) or _np_actors(
                                        pobj, ctx, depth=depth + 1, modifiers_only=True))
            if found:
                ctx.remember(t, found[0])
        if not found and t.lemma_.lower() in ARTEFACTS and t.dep_ == "dobj" and \
                t.head.lemma_.lower() in ISSUING_VERBS:
            # "The G7 issued a declaration that ...": the issuer is the author.
            for c in t.head.children:
                if c.dep_ == "nsubj":
                    found.extend(ctx.at(c.i) or _np_actors(c, ctx, depth=2))
            if found:
                ctx.remember(t, found[0])
        if not found and t.lemma_.lower() in ctx.artefacts and any(
            c.lower_ in {"the", "this", "that"} for c in t.children
        ):
            found.append(ctx.artefacts[t.lemma_.lower()])
        if not found and t.lemma_.lower() in ctx.events and any(
            c.lower_ in {"the", "this", "that", "these", "such"} for c in t.children
        ):
            # "We denounce the reckless war drills": those who staged the drills just named.
            found.extend(ctx.events[t.lemma_.lower()])
    unique: dict[str, dict] = {}
    for m in found:
        unique.setdefault(identity(m), m)
    return list(unique.values())


def _subjects(verb: Token, ctx: _Ctx, *, depth: int = 0) -> tuple[list[dict], bool]:
    """Subject actors of a verb and whether the verb is passive with its subject as object."""
    if verb.pos_ in {"NOUN", "PROPN"} and verb.dep_ == "ROOT":
        # "The DPRK Foreign Ministry denounces and rejects ...", the verb tagged as a plural
        # noun: the name before it, parsed as its compound, is the subject.
        return [m for c in verb.children if c.dep_ == "compound" for m in _np_actors(c, ctx)], \
            False
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or (
        verb.dep_ == "advcl" and verb.tag_ == "VBN" and any(c.dep_ == "agent" for c in verb.children)
    )
    if passive:
        # "Pakistan was condemned by India": the agent is the subject.
        for c in verb.children:
            if c.dep_ == "agent":
                for pobj in c.children:
                    if pobj.dep_ == "pobj":
                        return _np_actors(pobj, ctx), True
        return [], True
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    for c in subjects:
        if c.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            # "a declaration that condemned ...": the noun the clause modifies acts.
            return _np_actors(verb.head, ctx), False
        found = _np_actors(c, ctx)
        if found or c is subjects[-1]:
            # A dateline the parser took for a second subject ("Seoul, July 15 -- Pyongyang
            # rejected ...") names no actor; the next subject does.
            return found, False
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        # "the sanctions imposed by Washington": the agent of the participle acts (the parser
        # also hangs it as a plain "by" preposition: "drones provided to Syria by the IRGC").
        for c in verb.children:
            if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ == "by":
                for pobj in c.children:
                    if pobj.dep_ == "pobj":
                        return _np_actors(pobj, ctx), False
        if verb.head.lemma_.lower() in ARTEFACTS and any(c.dep_ == "dobj" for c in verb.children):
            # "The declaration, issued on Wednesday, condemned North Korea": a finite verb the
            # parser hung on its subject; the declaration's author acts.
            return _np_actors(verb.head, ctx), False
        return [], False
    if verb.dep_ == "relcl":
        return _np_actors(verb.head, ctx), False
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        # "Washington's decision to send missiles to Ukraine": the decision's owner acts.
        found = _np_actors(verb.head, ctx,
                           modifiers_only=verb.head.lemma_.lower() not in ARTEFACTS)
        if not found and verb.head.lemma_.lower() in PROSPECTS and \
                verb.head.dep_ == "dobj" and depth < 3:
            # "Trump accepted an invitation to meet with Kim": who takes up the prospect acts.
            found, passive = _subjects(verb.head.head, ctx, depth=depth + 1)
            found = [] if passive else found
        return found, False
    if verb.dep_ == "pcomp" and verb.head.lower_ in {"of", "for"} and depth < 3:
        # "accused Pyongyang of sending troops", "praised China for standing by Islamabad".
        gov = verb.head.head
        if gov.pos_ in {"VERB", "AUX"}:
            if any(c.dep_ in {"nsubjpass", "auxpass"} for c in gov.children):
                return [m for c in gov.children if c.dep_ == "nsubjpass"
                        for m in _np_actors(c, ctx)], False
            return [m for o in _object_heads(gov) for m in _np_actors(o, ctx)], False
        return _np_actors(gov, ctx, modifiers_only=True), False
    if verb.dep_ == "xcomp" and depth < 3:
        # Object control: "I call on the Council to urge the DPRK ...", "urged Russia to
        # condemn ...": who is called on does the asking.
        controller = [m for o in _object_heads(verb.head) if o.dep_ in {"dobj", "dative"}
                      for m in _np_actors(o, ctx)]
        if not controller and any(c.dep_ == "prep" and c.lower_ == "on"
                                  for c in verb.head.children):
            controller = _prep_objects(verb.head, ("on",), ctx)
        if controller:
            return controller, False
    if verb.dep_ == "acomp" and depth < 3 and verb.head is not verb:
        # "The US is willing to provide ammunition": the copula's subject is the adjective's.
        return _subjects(verb.head, ctx, depth=depth + 1)
    if verb.dep_ in {"xcomp", "advcl", "conj", "acl", "pcomp"} and depth < 3 and verb.head is not verb:
        # "denounced ... and warned", "condemned ..., expressing concern", "refused to criticise".
        head = verb.head
        if head.dep_ == "prep":
            head = head.head
        subs, was_passive = _subjects(head, ctx, depth=depth + 1)
        if was_passive and verb.dep_ != "conj":
            return [], False
        return subs, False
    return [], False


def _prep_objects(tok: Token | list[Token], preps: tuple[str, ...], ctx: _Ctx,
                  extra_preps: frozenset[str] = frozenset()) -> list[dict]:
    """Actors in prepositional phrases, the earlier-listed preposition first.

    "voiced concern to Beijing about the repatriation of North Korean defectors": the
    addressee ("to") is the object when there is one, else what the concern is about.
    """
    heads = tok if isinstance(tok, list) else [tok]
    for prep in preps:
        out = []
        for head in heads:
            for c in head.children:
                if c.dep_ in {"prep", "dative"} and c.lower_ == prep:
                    for pobj in c.children:
                        if pobj.dep_ == "pobj":
                            out.extend(_np_actors(pobj, ctx, extra_preps=extra_preps))
        if out:
            return out
    return []


def _object_heads(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in {"dobj", "dative", "attr", "oprd"}]


# --------------------------------------------------------------------------- negation, modality


def _negated(tok: Token) -> bool:
    """'did not condemn', 'never supported', 'refused to criticise', 'no condemnation'."""
    if any(c.dep_ == "neg" or c.lower_ in {"never", "no"} and c.dep_ in {"neg", "advmod", "det"}
           for c in tok.children):
        return True
    head = tok
    while head.dep_ in {"xcomp", "conj"} and head.head is not head:
        head = head.head
        if head.lemma_.lower() in NEGATING_HEADS and tok.dep_ == "xcomp":
            return True
    return False


def _modality(tok: Token) -> str:
    """asserted, future ('will sanction', 'plans to visit') or hypothetical ('could', 'if')."""
    cur = tok
    for _ in range(4):
        for c in cur.children:
            if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                return "hypothetical"
            if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS:
                return "hypothetical"
        for c in cur.children:
            if c.dep_ == "aux" and c.lower_ in FUTURE_AUX:
                return "future"
            if c.dep_ == "aux" and c.lower_ == "going":
                return "future"
        if cur.dep_ == "xcomp":
            lemma = cur.head.lemma_.lower()
            if lemma in HYPOTHETICAL_HEADS:
                return "hypothetical"
            if lemma in FUTURE_HEADS:
                return "future"
            cur = cur.head
            continue
        if cur.dep_ == "acl" and cur.head.lemma_.lower() in PROSPECTS:
            # "an invitation to meet", "an offer to mediate": not done yet.
            return PROSPECTS[cur.head.lemma_.lower()]
        if cur.dep_ in {"conj"} and cur.head is not cur:
            cur = cur.head
            continue
        break
    return "asserted"


# --------------------------------------------------------------------------- building triples


def _make(
    subjects: list[dict],
    objects: list[dict],
    predicate: str,
    *,
    tok: Token,
    trigger: str,
    sent: Span,
    rule: str,
    conf: dict[str, float],
    lex: Lexicon,
    modality: str | None = None,
    negated: bool | None = None,
) -> list[dict]:
    """One triple dict per (subject, object) pair, at the confidence ``conf`` gives ``rule``
    (less ``pronoun_penalty`` per end that is a pronoun, an anaphor or a role)."""
    out = []
    confidence, penalty = conf[rule], conf["pronoun_penalty"]
    needs_object = lex.predicates[predicate]["needs_object"] == "yes"
    negated = _negated(tok) if negated is None else negated
    modality = modality or _modality(tok)
    for s in subjects:
        # Self-directed relations stay when the two are different parties of one state
        # ("the Kenyan opposition accused the government").
        targets = [o for o in objects if identity(o) != identity(s)]
        if not targets:
            if needs_object or objects:
                continue
            targets = [None]
        for o in targets:
            score = confidence
            if s["form"] in {"pronoun", "anaphor", "role"}:
                score -= penalty
            if o is not None and o["form"] in {"pronoun", "anaphor"}:
                score -= penalty
            out.append({
                "subject": mention_ref(s),
                "predicate": predicate,
                "object": mention_ref(o) if o else None,
                "negated": negated,
                "modality": modality,
                "trigger": trigger,
                "trigger_start": tok.idx,
                "sent_start": sent.start_char,
                "sent_end": sent.end_char,
                "confidence": round(max(0.05, min(score, 0.99)), 3),
                "rule": rule,
                "method": "rule",
                "speaker": None,
                "source": None,
                "topic": None,
            })
    return out


def _pairs(parties: list[dict], predicate: str, **kwargs) -> list[dict]:
    """A symmetric relation among several parties named together: one triple per pair, the
    earlier-named party first (``_make`` drops a party paired with itself)."""
    out: list[dict] = []
    for i, first in enumerate(parties[:-1]):
        out += _make([first], parties[i + 1:], predicate, **kwargs)
    return out
