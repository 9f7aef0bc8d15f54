"""Factories for hand-made actors, triples and documents used by the graph tests."""

from __future__ import annotations

from nlp_relations.schemas import Actor, DocResult, Evidence, Mention, Triple

ACTORS = {
    "NATO": Actor(id="NATO", name="North Atlantic Treaty Organization", kind="igo"),
    "PRK": Actor(id="PRK", name="North Korea", kind="state", country="PRK"),
    "RUS": Actor(id="RUS", name="Russia", kind="state", country="RUS"),
    "USA": Actor(id="USA", name="United States", kind="state", country="USA"),
    "KCNA": Actor(id="KCNA", name="Korean Central News Agency", kind="media", country="PRK"),
    "YNA": Actor(id="YNA", name="Yonhap", kind="media", country="KOR"),
    "RUS-LAVROV": Actor(id="RUS-LAVROV", name="Sergei Lavrov", kind="person", country="RUS"),
}

# predicate -> (PLOVER category, CAMEO, stance), as in data/lexicons/predicates.tsv
LEXICON = {
    "condemns": ("ACCUSE", "111", "negative"),
    "denounces": ("ACCUSE", "111", "negative"),
    "threatens": ("THREATEN", "130", "negative"),
    "sanctions": ("SANCTION", "163", "negative"),
    "praises": ("SUPPORT", "051", "positive"),
    "exports_to": ("COOPERATE", "061", "positive"),
    "meets": ("CONSULT", "040", "neutral"),
}


def mention(
    actor_id: str, text: str | None = None, *, start: int = 0, agent: str | None = None
) -> Mention:
    text = text or actor_id
    return Mention(
        actor=ACTORS[actor_id],
        text=text,
        start_char=start,
        end_char=start + len(text),
        agent=ACTORS[agent] if agent else None,
    )


def make_triple(
    subject: str,
    predicate: str,
    obj: str | None = None,
    *,
    doc_id: str = "doc1",
    doc_date: str | None = "2024-03-01",
    sentence: str | None = None,
    start_char: int = 0,
    trigger: str | None = None,
    confidence: float = 0.8,
    negated: bool = False,
    modality: str = "asserted",
    source: str | None = None,
    speaker: str | None = None,
    method: str = "rule",
    subject_text: str | None = None,
    object_text: str | None = None,
) -> Triple:
    """A valid Triple with sensible defaults; only what a test cares about needs naming."""
    category, cameo, stance = LEXICON[predicate]
    sentence = sentence or f"{subject_text or subject} {predicate} {object_text or obj or ''}."
    return Triple(
        subject=mention(subject, subject_text, start=start_char),
        predicate=predicate,
        object=mention(obj, object_text, start=start_char + 20) if obj else None,
        category=category,
        cameo=cameo,
        stance=stance,
        confidence=confidence,
        negated=negated,
        modality=modality,
        speaker=mention(speaker) if speaker else None,
        source=mention(source) if source else None,
        evidence=Evidence(
            doc_id=doc_id,
            sentence=sentence,
            start_char=start_char,
            end_char=start_char + len(sentence),
            trigger=trigger or predicate,
            doc_date=doc_date,
        ),
        method=method,
    )


def make_doc(
    doc_id: str,
    triples_spec: list[tuple],
    *,
    doc_date: str | None = "2024-06-01",
    sha: str | None = None,
) -> DocResult:
    """A DocResult whose triples all carry ``doc_id`` (spec: (subject, predicate, object))."""
    triples = [
        make_triple(s, p, o, doc_id=doc_id, doc_date=None, start_char=100 * i)
        for i, (s, p, o) in enumerate(triples_spec)
    ]
    return DocResult(doc_id=doc_id, ok=True, triples=triples, doc_date=doc_date, text_sha1=sha)


def graph_state(g) -> dict:
    """Everything that defines a relation graph, as plain comparable data."""
    return {
        "graph": dict(g.graph),
        "nodes": {n: dict(d) for n, d in g.nodes(data=True)},
        "edges": {(u, v, k): dict(d) for u, v, k, d in g.edges(keys=True, data=True)},
    }
