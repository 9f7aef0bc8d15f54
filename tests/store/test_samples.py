"""The store over real extractions: Parquet ingest and daily updates equal build_graph."""

from __future__ import annotations

import pytest

from nlp_relations.graph import build_graph
from tests.graph.factory import graph_state

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

from nlp_relations.scale import extract_to_parquet  # noqa: E402
from nlp_relations.store import RelationStore  # noqa: E402
from nlp_relations.store.update import update_store  # noqa: E402


def test_store_from_parquet_equals_build_graph(nlp, sample_items, reference, tmp_path):
    expected = build_graph(r for r in reference if r.ok)
    assert expected.graph["duplicates"] and expected.number_of_edges() > 5
    extract_to_parquet(sample_items, tmp_path / "parts", nlp=nlp, partition_size=3)
    with RelationStore(tmp_path / "events.duckdb") as store:
        assert store.ingest_parquet(tmp_path / "parts") == {
            "documents": 6, "duplicates": 1, "skipped": 0, "errors": 3}
        # The run is ingested already: nothing changes.
        assert store.ingest_parquet(tmp_path / "parts") == {
            "documents": 0, "duplicates": 0, "skipped": 0, "errors": 0}
        assert graph_state(store.graph()) == graph_state(expected)


def test_update_extracts_only_documents_the_store_lacks(nlp, sample_items, reference):
    expected = build_graph(r for r in reference if r.ok)
    with RelationStore(":memory:") as store:
        first = update_store(store, sample_items[:2], nlp=nlp)
        assert first["extracted"] == 2
        second = update_store(store, sample_items, nlp=nlp, chunk=4)
        # Two held; the copy of the first text under a larger id is recorded, not extracted.
        assert (second["seen"], second["held"], second["duplicates"], second["extracted"]) \
            == (9, 2, 1, 6)
        assert graph_state(store.graph()) == graph_state(expected)
        assert update_store(store, sample_items, nlp=nlp)["extracted"] == 3  # the failures
