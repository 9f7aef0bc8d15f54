"""The rule lexicon: trigger words, the predicate table and the CAMEO verb rows.

``load_lexicon`` reads ``data/lexicons/triggers.tsv`` (and, when asked, the converted CAMEO
verbs) into a ``Lexicon``; ``trigger_tokens``, ``has_trigger`` and ``trigger_predicates`` find
its triggers in a sentence. The rules (``extract.rules``) read nothing else from disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from spacy.tokens import Doc, Span

from ..registry import DATA_DIR

__all__ = [
    "CAMEO_LEXICON",
    "PREDICATE_TABLE",
    "TRIGGER_LEXICON",
    "Lexicon",
    "has_trigger",
    "load_lexicon",
    "load_predicates",
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


@dataclass
class Lexicon:
    """Trigger words and the predicate table."""

    verbs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    nouns: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    light: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    predicates: dict[str, dict[str, str]] = field(default_factory=dict)
    adjectives: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def symmetric(self, predicate: str) -> bool:
        """Whether ``predicate`` holds both ways ("meets", "cooperates_with")."""
        return self.predicates[predicate]["symmetric"] == "yes"

    @cached_property
    def verb_heads(self) -> frozenset[str]:
        """The lemmas a verb or light-verb trigger can be built on: every verb and light verb,
        and the verb of each phrasal one ("call" of "call_on", "kick" of "kick_off")."""
        words = list(self.verbs) + [verb for verb, _ in self.light]
        return frozenset(w[:i] for w in words for i in range(len(w) + 1)
                         if i == len(w) or w[i] == "_")

    @cached_property
    def nouns_of(self) -> dict[str, tuple[str, ...]]:
        """Predicate -> the event nouns that name it ("threatens" -> "threat", ...); read once,
        after loading has filled ``nouns``."""
        out: dict[str, list[str]] = {}
        for noun, (predicate, _) in self.nouns.items():
            out.setdefault(predicate, []).append(noun)
        return {p: tuple(ns) for p, ns in out.items()}

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
