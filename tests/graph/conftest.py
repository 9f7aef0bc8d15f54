"""Shared fixtures of the graph tests: a small NATO / North Korea / Russia story."""

from __future__ import annotations

import pytest

from nlp_relations.graph import build_graph
from nlp_relations.schemas import DocResult, Triple

from .factory import ACTORS, make_doc, make_triple


@pytest.fixture
def story_triples() -> list[Triple]:
    return [
        # NATO condemns PRK, twice, in two documents.
        make_triple(
            "NATO",
            "condemns",
            "PRK",
            doc_id="doc1",
            doc_date="2024-03-01",
            confidence=0.9,
            source="YNA",
            object_text="Pyongyang",
            sentence="NATO condemned Pyongyang's missile launch.",
            trigger="condemned",
        ),
        make_triple(
            "NATO",
            "condemns",
            "PRK",
            doc_id="doc2",
            doc_date="2024-03-15",
            confidence=0.7,
            subject_text="the alliance",
            object_text="North Korea",
            method="model",
        ),
        # PRK denounces NATO, reported by KCNA.
        make_triple(
            "PRK",
            "denounces",
            "NATO",
            doc_id="doc3",
            doc_date="2024-04-02",
            confidence=0.8,
            source="KCNA",
            speaker="KCNA",
            subject_text="the DPRK",
        ),
        # PRK exports to RUS, same document.
        make_triple(
            "PRK",
            "exports_to",
            "RUS",
            doc_id="doc3",
            doc_date="2024-04-02",
            start_char=200,
            confidence=0.6,
        ),
        # Russia did not condemn PRK.
        make_triple(
            "RUS",
            "condemns",
            "PRK",
            doc_id="doc4",
            doc_date="2024-04-10",
            negated=True,
            subject_text="Sergei Lavrov",
            confidence=0.75,
        ),
        # The US will sanction PRK.
        make_triple(
            "USA",
            "sanctions",
            "PRK",
            doc_id="doc4",
            doc_date="2024-04-10",
            start_char=300,
            modality="future",
        ),
        # PRK threatens (no object).
        make_triple("PRK", "threatens", None, doc_id="doc5", doc_date="2024-05-01", source="KCNA"),
    ]


@pytest.fixture
def story_graph(story_triples):
    return build_graph(story_triples)


@pytest.fixture
def doc_results() -> list[DocResult]:
    """doc6 twice (same doc id) and doc7 (a copy of doc6's text under another id)."""
    doc6 = make_doc("doc6", [("USA", "praises", "RUS"), ("RUS", "meets", "PRK")], sha="sha-aaa")
    doc7 = make_doc("doc7", [("USA", "praises", "RUS"), ("RUS", "meets", "PRK")], sha="sha-aaa")
    return [doc6, doc6.model_copy(deep=True), doc7]


@pytest.fixture
def rich_graph(story_triples, doc_results):
    """The story plus documents, a missing date, an agent, quotes and non-ASCII text."""
    odd = make_triple(
        "RUS",
        "praises",
        "PRK",
        doc_id="doc-ü",
        doc_date=None,
        sentence='Лавров "praised" Pyongyang;\nthen left, 100% sure <ok> & done.',
        subject_text="Сергей Лавров",
        trigger="praised",
        confidence=0.3333333333333333,
    )
    odd = odd.model_copy(
        update={"subject": odd.subject.model_copy(update={"agent": ACTORS["RUS-LAVROV"]})}
    )
    return build_graph([*story_triples, *doc_results, odd])
