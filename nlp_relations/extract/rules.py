"""Dependency rules that turn a parsed sentence into directed, typed triples.

Pure functions over a ``Doc`` and its actor mentions (``extract.mentions``). Each rule
carries a comment with the sentence shape it handles. The result is a list of plain dicts
(msgpack-safe); ``api`` turns them into ``schemas.Triple`` at the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from ..registry import DATA_DIR
from .attribution import _is_media, attribute
from .mentions import identity, mention_ref, mentions_by_token, statement_issuer, token_at
from .noise import in_ranges

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

PREDICATE_TABLE = DATA_DIR / "lexicons" / "predicates.tsv"
TRIGGER_LEXICON = DATA_DIR / "lexicons" / "triggers.tsv"
# The CAMEO verb dictionary, converted by nlp_relations.convert (MIT, PETRARCH2).
CAMEO_LEXICON = DATA_DIR / "lexicons" / "petrarch" / "cameo_verbs.tsv"
# Predicates whose CAMEO verbs name the event itself; the others (cooperation, consultation,
# statements) hang on verbs too generic to trust without the project's own review.
CAMEO_PREDICATES = frozenset({"attacks", "coerces", "sanctions", "praises", "demands", "urges",
                              "protests", "investigates", "accuses", "rejects", "threatens",
                              "expresses_concern", "provides_aid_to", "mobilizes_against"})
# Verbs the CAMEO dictionary codes under an event but that mostly name none in news prose.
CAMEO_STOP_VERBS = frozenset({
    "be", "have", "do", "get", "go", "come", "make", "take", "give", "put", "set", "say", "tell",
    "see", "call", "hold", "keep", "bring", "run", "turn", "move", "send", "fire", "launch",
    "open", "close", "break", "die", "decide", "fail", "express", "face", "meet", "leave",
    "find", "show", "claim", "argue", "allege", "contend", "differ", "doubt", "count", "apply",
    "desire", "engage", "consider", "affect", "benefit", "admit", "expose", "confess", "fly",
    "advance", "circle", "catch", "clear", "fill", "free", "bill", "best", "better", "beat",
    "compete", "contrast", "correlate", "encourage", "defend", "cooperate", "blast", "crack",
    "damage", "dominate", "delay", "defer", "decline", "question", "note", "raise", "receive",
    "release", "return", "stop", "use", "want", "work", "win", "lose", "lead", "pass", "stand",
    "accept", "agree", "join", "reach", "help", "support", "visit", "ask", "seek", "offer",
})

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
OPEN_OBJECT = frozenset({"warns", "threatens"})
# Nouns whose non-possessive modifiers name their topic, not their owner.
TOPIC_NOUNS = frozenset({"question", "issue", "problem", "situation", "crisis", "conflict",
                         "war", "dispute", "file", "matter", "affair", "policy", "talks", "deal",
                         "peninsula", "front", "border", "strait", "sea", "region", "summit"})
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
# Copulas whose subject an adjective or a predicate noun describes: "is concerned about",
# "remains a committed partner of".
COPULAS = frozenset({"be", "remain", "become", "stay", "seem", "appear", "feel", "grow"})
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
# Modal words that make a clause a demand on its subject: "China must release ...".
DEMAND_MODALS = {"must": "demands", "should": "urges"}
# "X has to / needs to / is obliged to ...": the same demand.
DEMAND_HEADS = frozenset({"have", "need"})
# Hostile events a speaker can hold out against a target: "Israel would be targeted".
HOSTILE = frozenset({"attacks", "coerces", "sanctions"})
# Verbs of speech that frame a clause as the speaker's words ("said", "warned", "stressed").
FRAMING_VERBS = frozenset({"say", "state", "warn", "stress", "insist", "add", "declare", "tell",
                           "reiterate", "emphasize", "emphasise", "note", "assert", "announce",
                           "threaten", "vow", "caution", "remind", "maintain", "argue"})
# Nouns that make an accusation of their clause: "claims by Russia that the U.S. ...".
ACCUSING_NOUNS = frozenset({"claim", "allegation", "accusation", "charge", "assertion"})
# Adjectives of blame: "Iran is responsible for these attacks".
BLAME_WORDS = frozenset({"responsible", "culpable", "guilty"})
# Verbs an inanimate subject can take in the sense "require": "the situation demands action".
REQUIRING_VERBS = frozenset({"demand"})
# Being in touch: "has been in close contact with Moscow", "are in talks with the EU".
CONTACT_NOUNS = frozenset({"contact", "conversation", "touch", "communication", "talk",
                           "negotiation", "dialogue", "consultation"})
# What aid is called: "a suspension of aid to Pakistan".
AID_NOUNS = frozenset({"aid", "assistance", "funding", "fund", "relief", "loan", "grant",
                       "money", "support"})
# Undertakings still under way: to welcome one is to back it.
ENDEAVOURS = frozenset({"effort", "plan", "process", "initiative", "mediation", "work",
                        "leadership", "commitment", "proposal", "bid", "endeavour", "endeavor"})
# Verdicts on an actor's conduct (usgov GUIDELINES: "unacceptable" -> criticizes, "is an
# outrage" -> denounces).
EVALUATIONS = {"unacceptable": "criticizes", "deplorable": "criticizes",
               "reprehensible": "criticizes", "irresponsible": "criticizes",
               "unjustifiable": "criticizes", "outrageous": "denounces",
               "despicable": "denounces", "abhorrent": "denounces", "outrage": "denounces",
               "disgrace": "denounces"}
# Nouns of an act not yet done, and the modality of that act: "accepted an invitation to meet".
PROSPECTS = {"invitation": "future", "plan": "future", "offer": "hypothetical",
             "proposal": "hypothetical", "bid": "hypothetical", "attempt": "hypothetical"}
# Verbs of the purpose aid is given for: "to help people in Somalia".
AID_PURPOSES = frozenset({"help", "support", "assist", "aid", "benefit", "feed", "rebuild"})
# Words of a sum of money: "$500 million", "60 million euros".
MONEY_WORDS = frozenset({"million", "billion", "trillion", "euro", "dollar", "pound", "yen",
                         "franc", "krone", "rupee", "yuan", "rouble", "ruble"})
# Nouns whose possessor is the other side: "his Russian counterpart" is Russian.
COUNTERPART_NOUNS = frozenset({"counterpart", "opposite", "host"})
# Who stands behind a party, named by a noun ("its backers in Moscow", "Iran, the main sponsor
# of Hezbollah") or a hyphenated participle ("Iran-backed Houthis").
BACKER_NOUNS = frozenset({"backer", "sponsor", "supporter", "patron"})
BACKING_PARTICIPLES = frozenset({"back", "sponsor", "support", "fund", "finance", "arm"})
# Light verbs that call their event off: "cancelled a planned visit", "postponed the talks".
CANCELLING_VERBS = frozenset({"cancel", "postpone", "call_off", "scrap"})
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


@dataclass
class Lexicon:
    """Trigger words and the predicate table."""

    verbs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    nouns: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    light: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    predicates: dict[str, dict[str, str]] = field(default_factory=dict)
    adjectives: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain data for ``to_disk``."""
        return {
            "verbs": {k: [p, list(v)] for k, (p, v) in self.verbs.items()},
            "nouns": {k: [p, list(v)] for k, (p, v) in self.nouns.items()},
            "light": [[a, b, p, list(v)] for (a, b), (p, v) in self.light.items()],
            "adjectives": {k: [p, list(v)] for k, (p, v) in self.adjectives.items()},
            "predicates": self.predicates,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Lexicon":
        """Inverse of ``to_dict``."""
        return cls(
            verbs={k: (p, tuple(v)) for k, (p, v) in data["verbs"].items()},
            nouns={k: (p, tuple(v)) for k, (p, v) in data["nouns"].items()},
            light={(a, b): (p, tuple(v)) for a, b, p, v in data["light"]},
            adjectives={k: (p, tuple(v)) for k, (p, v) in data.get("adjectives", {}).items()},
            predicates=data["predicates"],
        )


def _rows(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def load_predicates(path: Path = PREDICATE_TABLE) -> dict[str, dict[str, str]]:
    """predicate -> {plover, cameo, stance, symmetric, needs_object, description}."""
    keys = ("plover", "cameo", "stance", "symmetric", "needs_object", "description")
    return {row[0]: dict(zip(keys, row[1:])) for row in _rows(path)}


def symmetric_predicates(table: dict[str, dict[str, str]] | None = None) -> set[str]:
    """Predicates whose two ends are interchangeable (meets, negotiates_with, ...)."""
    table = load_predicates() if table is None else table
    return {p for p, info in table.items() if info["symmetric"] == "yes"}


def _add_cameo(lex: Lexicon, path: Path) -> None:
    """Add the converted CAMEO verb dictionary's verb and light-verb rows under ours.

    Only rows that name one predicate for their verb (or verb + noun) in the whole table, for
    a predicate in ``CAMEO_PREDICATES``, and whose verb is not in ``CAMEO_STOP_VERBS``; the
    project's own entry wins wherever both name a trigger.
    """
    if not path.exists():
        return
    verbs: dict[str, set[str]] = {}
    light: dict[tuple[str, str], set[str]] = {}
    preps: dict[str, set[str]] = {}
    for row in _rows(path):
        kind, lemma, noun, prep, _code, predicate = (row + [""] * 6)[:6]
        if predicate not in CAMEO_PREDICATES or lemma.split("_")[0] in CAMEO_STOP_VERBS:
            continue
        if kind == "verb":
            verbs.setdefault(lemma, set()).add(predicate)
            if prep:
                preps.setdefault(lemma, set()).add(prep)
        elif kind == "light" and noun and " " not in noun:
            light.setdefault((lemma, noun), set()).add(predicate)
    for lemma, found in verbs.items():
        if len(found) == 1 and lemma not in lex.verbs:
            lex.verbs[lemma] = (found.pop(), tuple(sorted(preps.get(lemma, ()))))
    for key, found in light.items():
        if len(found) == 1 and key not in lex.light and key[1] not in lex.nouns:
            lex.light[key] = (found.pop(), ("on", "against", "with", "to"))


def load_lexicon(path: Path = TRIGGER_LEXICON, predicates: Path = PREDICATE_TABLE,
                 cameo: Path | None = None) -> Lexicon:
    """Read the trigger lexicon and check every predicate it names exists; with ``cameo``
    (e.g. ``CAMEO_LEXICON``) also add the converted CAMEO verbs (``_add_cameo``).

    The CAMEO rows are off by default: measured on usgov-statements dev they added no
    recall and cost precision (0.857 -> 0.824), and on the project's test split typed F1
    fell 0.710 -> 0.703 (see data/lexicons/README.md).
    """
    lex = Lexicon(predicates=load_predicates(predicates))
    for row in _rows(path):
        row += [""] * (5 - len(row))
        kind, lemma, noun, predicate, preps = row[:5]
        if predicate not in lex.predicates:
            options = ", ".join(lex.predicates)
            raise ValueError(
                f"Unknown predicate {predicate!r} in {path} for trigger {lemma!r}; "
                f"expected one of: {options}."
            )
        entry = (predicate, tuple(p for p in preps.split("|") if p))
        if kind == "verb":
            lex.verbs[lemma] = entry
        elif kind == "noun":
            lex.nouns[lemma] = entry
        elif kind == "light":
            lex.light[(lemma, noun)] = entry
        elif kind == "adj":
            lex.adjectives[lemma] = entry
        else:
            raise ValueError(f"Unknown trigger kind {kind!r} in {path}; expected verb, noun, "
                             "light, adj")
    if cameo is not None:
        _add_cameo(lex, cameo)
    return lex


def has_trigger(sent: Span | Doc, lexicon: Lexicon) -> bool:
    """Whether a sentence holds any trigger of ``lexicon`` (whatever the rules then make of it).

    A token whose lemma is a verb or noun trigger (a phrasal verb with its particle: "pull
    out"), or a light-verb pair, the verb and its noun in either head order ("voiced concern",
    "the sanctions imposed"). Sentences without one are those the rules cannot read at all.
    """
    return any(True for _ in trigger_tokens(sent, lexicon))


def trigger_predicates(sent: Span | Doc, lexicon: Lexicon) -> list[str]:
    """The predicates of the triggers in a sentence (as ``has_trigger`` finds them), in order,
    without repeats: what the rules' lexicon says the sentence is about.

    Example: "Seoul condemned the launch and urged talks." -> ["condemns", "urges"].
    """
    out: list[str] = []
    for _, predicate in trigger_tokens(sent, lexicon):
        if predicate not in out:
            out.append(predicate)
    return out


def trigger_tokens(sent: Span | Doc, lexicon: Lexicon):
    """Yield (token, predicate) for every trigger in ``sent`` (see ``has_trigger``)."""
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.lower_ in lexicon.adjectives:
            yield tok, lexicon.adjectives[tok.lower_][0]
            continue
        if lemma in lexicon.verbs:
            yield tok, lexicon.verbs[lemma][0]
        elif lemma in lexicon.nouns:
            yield tok, lexicon.nouns[lemma][0]
        particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
        if particle and f"{lemma}_{particle}" in lexicon.verbs:
            yield tok, lexicon.verbs[f"{lemma}_{particle}"][0]
        head = tok.head.lemma_.lower()
        if tok.head is not tok:
            for pair in ((head, lemma), (lemma, head)):
                if pair in lexicon.light:
                    yield tok, lexicon.light[pair][0]
                    break


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


def _reciprocal(verb: Token) -> bool:
    """'accused each other', 'blamed one another'."""
    return any(c.dep_ in {"dobj", "pobj"} and c.lower_ in {"other", "another"} and
               any(g.lower_ in {"each", "one"} for g in c.children) for c in verb.subtree)


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


# --------------------------------------------------------------------------- the rules


def _trigger_text(tok: Token, noun: Token | None = None) -> str:
    if noun is None:
        return tok.text
    return f"{tok.text} {noun.text}" if tok.i < noun.i else f"{noun.text} {tok.text}"


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


def _verb_rules(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    lemma = tok.lemma_.lower()
    objs = _object_heads(tok)
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
        verbs = [f"{lemma}_{c.lower_}" for c in tok.children if c.dep_ == "prt"] + [lemma]
        key = next((k for v in verbs for k in ((v, _hyphen_lemma(obj)), (v, obj.lemma_.lower()))
                    if k in lex.light), None)
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
            if not objects and lex.predicates[predicate]["symmetric"] == "yes":
                # "refused to join the NATO exercises": the other party names the event.
                objects = [m for c in obj.children if c.dep_ in {"compound", "amod", "nmod"}
                           for m in ctx.at(c.i)]
            if not objects and key[1] in PERSON_NOUNS:
                # "summoned the Chinese ambassador", "freed a US diplomat": the person's state.
                objects = _np_actors(obj, ctx, modifiers_only=True)
            # "cancelled a planned visit to Malaysia": the event that will not happen.
            negated = True if lemma in CANCELLING_VERBS else None
            if not objects and len(subjects) > 1 and \
                    lex.predicates[predicate]["symmetric"] == "yes":
                # "Washington and Tehran will hold talks": every pair of them.
                return _pairs(subjects, predicate, tok=tok, trigger=_trigger_text(tok, obj),
                              sent=sent, rule="light_verb", conf=ctx.conf, lex=lex,
                              negated=negated)
            return _make(subjects, objects, predicate, tok=tok, trigger=_trigger_text(tok, obj),
                         sent=sent, rule="light_verb", conf=ctx.conf, lex=lex, negated=negated)
    if tok.dep_ == "acl" and tok.head.lemma_.lower() in {n for (_, n) in lex.light}:
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
    particles = [f"{lemma}_{c.lower_}" for c in tok.children if c.dep_ == "prt"]
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
    if _reciprocal(tok) and len(subjects) > 1:
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
            objects = [m for o in objs if o.lemma_.lower() in lex.nouns and lex.predicates[
                lex.nouns[o.lemma_.lower()][0]]["symmetric"] == "yes"
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
    if not objects and len(subjects) > 1 and lex.predicates[predicate]["symmetric"] == "yes":
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
        for noun, (noun_predicate, _) in lex.nouns.items():
            if noun_predicate == predicate:
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
    def symmetric(entry) -> bool:
        return entry is not None and lex.predicates[entry[0]]["symmetric"] == "yes"

    lemma = verb.lemma_.lower()
    return symmetric(lex.verbs.get(lemma)) or any(
        symmetric(lex.light.get((lemma, o.lemma_.lower()))) for o in _object_heads(verb))


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
        lex.predicates[lex.nouns[lemma][0]]["symmetric"] == "yes" else "consults"
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
    backed = ctx.at(tok.head.i)
    return _make(backers, backed, "supports", tok=tok, trigger=tok.text, sent=sent,
                 rule="nominal", conf=ctx.conf, lex=lex, modality="asserted", negated=False)


def _threat_idiom(tok: Token, sent: Span, ctx: _Ctx, lex: Lexicon) -> list[dict]:
    """A threat said as what the other side will suffer: "The U.S. will pay dearly for its
    hostile acts", "Iran will face serious consequences" -> the speaker (framing, else the
    statement's issuer) threatens them."""
    lemma = tok.lemma_.lower()
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
    subjects = [m for c in tok.children if c.dep_ in {"poss", "amod", "compound", "nmod"}
                for m in ctx.at(c.i)]
    if subjects and tok.dep_ == "dobj" and lex.predicates[predicate]["symmetric"] == "yes" and \
            any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
        # "the two leaders pledged to continue their dialogue", "the three countries will
        # strengthen our cooperation": the possessive stands for the clause's own parties.
        parties, passive = _subjects(tok.head, ctx)
        if len(parties) > 1 and not passive:
            subjects = parties
    if subjects and lex.predicates[predicate]["symmetric"] == "yes":
        # "the US-China talks", "the Russia-Belarus partnership": the name joined by a hyphen
        # to the modifier is the other party.
        subjects += [m for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}
                     for g in c.children if g.dep_ in {"compound", "amod", "npadvmod"}
                     and g.i + 2 == c.i and tok.doc[g.i + 1].tag_ == "HYPH"
                     for m in ctx.at(g.i)]
        subjects.sort(key=lambda m: m["start"])
    if not subjects and lex.predicates[predicate]["symmetric"] == "yes":
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
    if not objects and len(subjects) > 1 and lex.predicates[predicate]["symmetric"] == "yes":
        # "the three countries will strengthen their trilateral cooperation", "the US-China
        # talks": every pair.
        return _pairs(subjects, predicate, tok=tok, trigger=tok.text, sent=sent,
                      rule="nominal_pair", conf=ctx.conf, lex=lex,
                      modality=_modality(carrier), negated=_negated(carrier))
    return _make(subjects, objects, predicate, tok=tok, trigger=tok.text, sent=sent,
                 rule="nominal", conf=ctx.conf, lex=lex, modality=_modality(carrier),
                 negated=_negated(carrier))


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


def extract_triples(
    doc: Doc,
    mentions: list[dict],
    *,
    lexicon: Lexicon,
    noise: list[tuple[int, int]] = (),
    registry=None,
    confidences: dict[str, float] | None = None,
) -> list[dict]:
    """All rule triples of a parsed document, with speaker and source attributed.

    Args:
        doc: a parsed Doc.
        mentions: its actor mentions (``link_actors``).
        lexicon: triggers and predicate table (``load_lexicon``).
        noise: character ranges to skip (``find_noise``).
        registry: the actor registry (tells media outlets from speakers).
        confidences: per-rule confidences over ``RULE_CONFIDENCE`` (``rule_confidences``).
    """
    ctx = _Ctx(doc, mentions, rule_confidences(confidences), registry=registry, noise=noise)
    triples: list[dict] = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        found: list[dict] = []
        for tok in sent:
            if in_ranges(tok.idx, tok.idx + len(tok), noise):
                continue
            if tok.lower_ in lexicon.adjectives and tok.pos_ in {"ADJ", "VERB"}:
                found.extend(_adj_rules(tok, sent, ctx, lex=lexicon))
            elif tok.lower_ in BLAME_WORDS:
                found.extend(_responsibility(tok, sent, ctx, lex=lexicon))
            elif tok.lower_ in EVALUATIONS:
                found.extend(_evaluation(tok, sent, ctx, lex=lexicon))
            elif tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB"):
                found.extend(_verb_rules(tok, sent, ctx, lex=lexicon))
                found.extend(_backing_participle(tok, sent, ctx, lex=lexicon))
                found.extend(_threat_idiom(tok, sent, ctx, lex=lexicon))
                if tok.pos_ == "VERB":
                    found.extend(_demand_clause(tok, sent, ctx, lex=lexicon))
            elif tok.i > sent.start and doc[tok.i - 1].tag_ == "``" and \
                    tok.lemma_.lower() in lexicon.verbs:
                found.extend(_quoted_fragment(tok, sent, ctx, lex=lexicon))
            elif tok.dep_ == "ROOT" and tok.tag_ == "NNS" and tok.lemma_.lower() in lexicon.verbs \
                    and any(c.dep_ == "compound" for c in tok.children) and \
                    any(c.dep_ in {"conj", "dobj"} for c in tok.children):
                # A present-tense verb the tagger took for a plural noun ("Ministry denounces").
                found.extend(_verb_rules(tok, sent, ctx, lex=lexicon))
            elif tok.pos_ in {"NOUN", "PROPN"}:
                # Remember who wrote the declaration, so "the declaration" can name them later.
                if tok.lemma_.lower() in ARTEFACTS:
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
    attribute(doc, triples, mentions, registry=registry, noise=noise)
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
