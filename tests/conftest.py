"""Shared fixtures: the real pipeline, loaded once per test session, and data paths."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_3e23302cc0466d01.txt"
CONFLIBERT = SHARED / "datasets" / "conflibert-cameo"


@pytest.fixture(scope="session")
def nlp():
    """The full nlp_relations pipeline on en_core_web_sm (cached by load())."""
    import nlp_relations

    return nlp_relations.load()


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (../shared is beside the repo in CI)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_result(nlp, seed_text):
    import nlp_relations

    return nlp_relations.extract_doc(seed_text, "yonhap-2024-07-13", nlp=nlp)


def keys(triples) -> set[tuple]:
    """(subject, predicate, object) ids of Triple models or triple dicts."""
    out = set()
    for t in triples:
        if isinstance(t, dict):
            out.add((t["subject"]["actor"], t["predicate"],
                     t["object"]["actor"] if t.get("object") else None))
        else:
            out.add(t.key()[:3])
    return out
