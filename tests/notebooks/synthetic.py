"""A synthetic relation graph of any size, with real actor ids, for drawing tests.

Actors come from the registry (states and organisations); relations attach preferentially
to busy actors, as in news (a few hubs, many actors seen once or twice), and a few pairs
stay apart from the rest. Seeded, so a test sees the same graph every run.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import nlp_relations
from nlp_relations.schemas import Actor, Evidence, Mention, Triple

REPO = Path(__file__).resolve().parents[2]
PREDICATES = (("condemns", "ACCUSE", "negative"), ("meets", "CONSULT", "neutral"),
              ("praises", "SUPPORT", "positive"), ("sanctions", "SANCTION", "negative"),
              ("cooperates_with", "COOPERATE", "positive"), ("urges", "REQUEST", "neutral"))


def registry_actors(n: int) -> list[Actor]:
    """The first ``n`` states and organisations of the registry, organisations first."""
    rows = []
    for name in ("organisations.jsonl", "states.jsonl"):
        with open(REPO / "data" / "actors" / name, encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    kinds = {"state", "igo"}
    return [Actor(id=r["id"], name=r["name"], kind=r["kind"]) for r in rows
            if r.get("kind") in kinds][:n]


def _triple(subject: Actor, obj: Actor, predicate: tuple, *, confidence: float,
            negated: bool, doc: int) -> Triple:
    verb, category, stance = predicate
    sentence = f"{subject.name} {verb.replace('_', ' ')} {obj.name} on the matter."
    start = len(subject.name) + len(verb) + 2

    def mention(actor: Actor, at: int) -> Mention:
        return Mention(actor=actor, text=actor.name, start_char=at, end_char=at + len(actor.name))

    return Triple(subject=mention(subject, 0), predicate=verb, object=mention(obj, start),
                  category=category, cameo="010", stance=stance, confidence=confidence,
                  negated=negated,
                  evidence=Evidence(doc_id=f"doc{doc:04d}", sentence=sentence, start_char=0,
                                    end_char=len(sentence), trigger=verb.split("_")[0],
                                    doc_date=f"2024-{doc % 12 + 1:02d}-15"))


def synthetic_graph(n_actors: int = 150, *, seed: int = 11):
    """A ``RelationGraph`` over ``n_actors`` actors, about three assertions per actor."""
    rng = random.Random(seed)
    actors = registry_actors(n_actors)
    assert len(actors) == n_actors, f"the registry has only {len(actors)} states and IGOs"
    loners = actors[-10:]  # five pairs that only talk to each other
    linked = actors[:-10]
    triples, doc = [], 0
    weight = [1.0] * len(linked)
    for i in range(1, len(linked)):
        for _ in range(rng.choice((1, 1, 2, 3))):
            j = rng.choices(range(i), weights=weight[:i])[0]
            a, b = (linked[i], linked[j]) if rng.random() < 0.5 else (linked[j], linked[i])
            for _ in range(rng.choice((1, 1, 1, 2, 4))):
                doc += 1
                triples.append(_triple(a, b, rng.choice(PREDICATES),
                                       confidence=round(rng.uniform(0.25, 0.95), 2),
                                       negated=rng.random() < 0.05, doc=doc))
            weight[i] += 1
            weight[j] += 1
    for a, b in zip(loners[::2], loners[1::2]):
        doc += 1
        triples.append(_triple(a, b, PREDICATES[1], confidence=0.8, negated=False, doc=doc))
    return nlp_relations.build_graph(triples)
