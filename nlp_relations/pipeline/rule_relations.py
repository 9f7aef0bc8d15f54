"""The rule relation component: dependency rules over linked actors -> ``doc._.triples``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import ensure_path

from ..extract.rules import (PREDICATE_TABLE, TRIGGER_LEXICON, Lexicon, extract_triples,
                             load_lexicon, rule_confidences)
from .extensions import register_extensions
from .scoring import ComponentMixin, set_prf

__all__ = ["RuleRelations", "make_rule_relations", "score_triples", "triple_key"]


@Language.factory(
    "nlp_relations_rule_relations_v1",
    assigns=["doc._.triples", "doc._.rule_triples"],
    requires=["doc._.actors", "token.dep", "token.lemma"],
    default_config={"actor_linker": "nlp_relations_actors", "confidences": {},
                    "scorer": {"@scorers": "nlp_relations.triple_scorer.v1"}},
    default_score_weights={"triples_f": 1.0, "triples_p": 0.0, "triples_r": 0.0},
)
def make_rule_relations(nlp: Language, name: str, actor_linker: str, confidences: dict,
                        scorer: Callable) -> "RuleRelations":
    """Forward to ``RuleRelations``; the lexicon comes through ``initialize``.

    ``confidences`` overrides the confidence of any rule by name (``extract.rules.
    RULE_CONFIDENCE``), e.g. ``{"open_object": 0.5}``: the one place rule confidences are set.
    """
    return RuleRelations(nlp, name, actor_linker=actor_linker, confidences=confidences,
                         scorer=scorer)


def triple_key(t: dict) -> tuple:
    """(subject, predicate, object, negated, modality) of a triple dict."""
    obj = t["object"]["actor"] if t.get("object") else None
    return (t["subject"]["actor"], t["predicate"], obj, bool(t.get("negated")),
            t.get("modality", "asserted"))


def score_triples(examples: Iterable[Example], **kwargs) -> dict[str, float]:
    """Precision/recall/F of triple keys against ``reference._.triples``."""
    return set_prf(examples, lambda doc: {triple_key(t) for t in doc._.triples or []}, "triples")


@__import__("spacy").registry.scorers("nlp_relations.triple_scorer.v1")
def make_triple_scorer() -> Callable:
    """The registered scorer of the relation components."""
    return score_triples


class RuleRelations(ComponentMixin):
    """Apply the dependency rules of ``extract.rules`` to each document."""

    def __init__(self, nlp: Language, name: str, *, actor_linker: str,
                 confidences: dict | None = None, scorer: Callable = score_triples) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.actor_linker = actor_linker
        self.confidences = rule_confidences(dict(confidences or {}))
        self.scorer = scorer
        self.lexicon = Lexicon()

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   triggers: str | Path | None = None,
                   predicates: str | Path | None = None) -> None:
        """Load the trigger lexicon and predicate table (default: data/lexicons)."""
        self.lexicon = load_lexicon(Path(triggers or TRIGGER_LEXICON),
                                    Path(predicates or PREDICATE_TABLE))

    def _registry(self):
        if self.actor_linker in self.nlp.pipe_names:
            return self.nlp.get_pipe(self.actor_linker).registry
        return None

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.rule_triples = extract_triples(
                doc, doc._.actors or [], lexicon=self.lexicon,
                noise=[tuple(r) for r in doc._.noise or []], registry=self._registry(),
                confidences=self.confidences, dateline=doc._.dateline,
            )
        except Exception as err:  # one bad document must not stop a batch
            doc._.errors = (doc._.errors or []) + [f"E101: relation rules failed: {err!r}"]
            doc._.rule_triples = []
        # Without a combiner downstream the rule triples are the final ones; with one, the
        # combiner is the only writer of doc._.triples.
        if not self._combined():
            doc._.triples = [dict(t) for t in doc._.rule_triples]
        return doc

    def _combined(self) -> bool:
        """Whether a combiner runs after this component in the pipeline."""
        names = self.nlp.pipe_names
        after = names[names.index(self.name) + 1:] if self.name in names else []
        return any(self.nlp.get_pipe(n).__class__.__name__ == "Combiner" for n in after)

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self.lexicon.to_dict())

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "RuleRelations":
        self.lexicon = Lexicon.from_dict(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: str | Path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "lexicon.json", self.lexicon.to_dict())

    def from_disk(self, path: str | Path, *, exclude=tuple()) -> "RuleRelations":
        self.lexicon = Lexicon.from_dict(srsly.read_json(ensure_path(path) / "lexicon.json"))
        return self
