"""The actor linker: tags every registry mention and links NER spans, roles and pronouns.

Data (the registry records, the role lexicon and the sector agents) enters through ``initialize`` and is saved
with ``to_disk``, so ``spacy.load`` of a saved pipeline needs no data files.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example
from spacy.util import ensure_path

from ..extract.mentions import AGENT_TABLES, ROLE_LEXICON, link_actors, load_agents, load_roles
from ..extract.people import (PEOPLE_INDEX, load_people_index, people_lines, person_names,
                              read_people_lines)
from ..extract.noise import find_noise_and_dateline
from ..registry import ActorRecord, Registry, read_actors
from .extensions import register_extensions
from .scoring import ComponentMixin, set_prf

__all__ = ["ActorLinker", "make_actor_linker", "score_actors"]

SPANS_KEY = "actors"


@Language.factory(
    "nlp_relations_actor_linker_v1",
    assigns=["doc._.actors", "doc._.noise", "doc._.dateline", "doc.spans"],
    requires=["token.dep", "token.lemma", "doc.ents"],
    default_config={"spans_key": SPANS_KEY, "scorer": {"@scorers": "nlp_relations.actor_scorer.v1"}},
    default_score_weights={"actors_f": 1.0, "actors_p": 0.0, "actors_r": 0.0},
)
def make_actor_linker(nlp: Language, name: str, spans_key: str, scorer: Callable) -> "ActorLinker":
    """Forward to ``ActorLinker``; data comes later through ``initialize``."""
    return ActorLinker(nlp, name, spans_key=spans_key, scorer=scorer)


def score_actors(examples: Iterable[Example], **kwargs) -> dict[str, float]:
    """Precision/recall/F of (start_char, end_char, actor) against ``reference._.actors``."""
    return set_prf(examples, lambda doc: {(m["start_char"], m["end_char"], m["actor"])
                                          for m in doc._.actors or []}, "actors")


@__import__("spacy").registry.scorers("nlp_relations.actor_scorer.v1")
def make_actor_scorer() -> Callable:
    """The registered scorer of the actor linker."""
    return score_actors


class ActorLinker(ComponentMixin):
    """Find actor mentions; write them to ``doc._.actors`` and ``doc.spans['actors']``."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY,
                 scorer: Callable = score_actors) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.scorer = scorer
        self.records: list[ActorRecord] = []
        self.roles: dict[str, dict[str, str]] = {}
        self.agents: dict[str, str] = {}
        self.people: dict = {}
        self.registry = Registry([])
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")

    # ------------------------------------------------------------------ data
    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        actors: Iterable[str | Path] | None = None,
        extra_actors: Iterable[str | Path] | None = None,
        roles: str | Path | None = None,
        agents: Iterable[str | Path] | None = None,
        people: str | Path | None = None,
    ) -> None:
        """Load the registry (default: data/actors) plus user files, the role lexicon, the
        sector agents (default: data/lexicons/agents_own.tsv, then the converted PETRARCH2
        table) and the dated Phoenix people (default: data/actors/petrarch/people_index.tsv;
        ``""`` for none)."""
        records = read_actors(actors)
        if extra_actors:
            extra = read_actors(extra_actors)
            ids = {r.id for r in extra}
            records = [r for r in records if r.id not in ids] + extra
        self._set_data(records, load_roles(Path(roles) if roles else ROLE_LEXICON),
                       load_agents(agents or AGENT_TABLES),
                       load_people_index(PEOPLE_INDEX if people is None else people)
                       if people != "" else {})

    def _set_data(self, records: list[ActorRecord], roles: dict[str, dict[str, str]],
                  agents: dict[str, str] | None = None, people: dict | None = None) -> None:
        self.records = list(records)
        self.roles = roles
        self.agents = dict(agents or {})
        self.people = people or {}
        self.registry = Registry(self.records)
        # A partial, not a lambda: the registry must pickle (process pools, Dask workers).
        self.registry.add_people(functools.partial(person_names, self.people))
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        forms = sorted({f.text for f in self.registry.forms()})
        self.matcher.add("ACTOR", list(self.nlp.tokenizer.pipe(forms)))

    # ------------------------------------------------------------------ run
    def __call__(self, doc: Doc) -> Doc:
        try:
            text = doc.text  # built once: Doc.text joins every token each time it is read
            # The dateline's outlet is read here, where the text is at hand, for the rules'
            # attribution.
            noise, dateline = find_noise_and_dateline(text)
            dateline = list(dateline or ())
            # Named people the registry does not list are read on the document's date.
            mentions = link_actors(doc, self.matcher(doc), registry=self.registry,
                                   roles=self.roles, noise=noise, agents=self.agents,
                                   people=self.people, date=doc._.doc_date, text=text)
        except Exception as err:  # one bad document must not stop a batch
            doc._.errors = (doc._.errors or []) + [f"E100: actor linking failed: {err!r}"]
            noise, mentions, dateline = [], [], None
        doc._.noise = [list(r) for r in noise]
        doc._.dateline = dateline
        doc._.actors = mentions
        doc.spans[self.spans_key] = SpanGroup(
            doc, name=self.spans_key,
            spans=[Span(doc, m["start"], m["end"], label=m["actor"]) for m in mentions],
        )
        return doc

    # ------------------------------------------------------------------ serialisation
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({
            "records": [r.model_dump(mode="json") for r in self.records],
            "roles": self.roles,
            "agents": self.agents,
            "people": people_lines(self.people),
        })

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "ActorLinker":
        msg = srsly.msgpack_loads(data)
        self._set_data([ActorRecord.model_validate(r) for r in msg["records"]], msg["roles"],
                       msg.get("agents"), read_people_lines(msg.get("people") or []))
        return self

    def to_disk(self, path: str | Path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        with (path / "actors.jsonl").open("w", encoding="utf-8") as handle:
            for r in self.records:
                handle.write(json.dumps(r.model_dump(mode="json", exclude_none=True),
                                        ensure_ascii=False) + "\n")
        srsly.write_json(path / "roles.json", self.roles)
        srsly.write_json(path / "agents.json", self.agents)
        (path / "people_index.tsv").write_text(
            "".join(line + "\n" for line in people_lines(self.people)), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude=tuple()) -> "ActorLinker":
        path = ensure_path(path)
        agents = srsly.read_json(path / "agents.json") if (path / "agents.json").exists() else {}
        self._set_data(read_actors([path / "actors.jsonl"]), srsly.read_json(path / "roles.json"),
                       agents, load_people_index(path / "people_index.tsv"))
        return self
