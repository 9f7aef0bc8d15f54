"""Shared fixtures of the scale tests: a few sample documents and bad items."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture(scope="session")
def sample_items() -> list:
    """Four sample articles, a duplicate text under another id, and three bad items."""
    files = sorted(SAMPLES.glob("*.txt"))[:4]
    items: list = [(p.read_text(encoding="utf-8"), p.stem, None) for p in files]
    items.append((files[0].read_text(encoding="utf-8"), "zz-copy-of-first", "2024-01-01"))
    items += ["", "NATO condemned North Korea's missile launch.", ("text", 5), None]
    return items


@pytest.fixture(scope="session")
def reference(nlp, sample_items) -> list:
    """What extract_many gives in this process: the results every engine must reproduce."""
    import nlp_relations

    return list(nlp_relations.extract_many(sample_items, nlp=nlp))
