"""RelationStore: order- and batch-independent ingest; its graph equals build_graph."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp_relations.graph import build_graph
from nlp_relations.schemas import DocResult
from tests.graph.factory import graph_state, make_doc, make_triple

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

from nlp_relations.errors import InputError  # noqa: E402
from nlp_relations.store import RelationStore  # noqa: E402


def _pool() -> dict[str, DocResult]:
    """Documents that exercise the duplicate rule: each id always names the same document."""
    docs = [
        make_doc("d1", [("NATO", "condemns", "PRK"), ("PRK", "threatens", None)], sha="s-a",
                 doc_date="2024-03-01"),
        make_doc("d4", [("NATO", "condemns", "PRK")], sha="s-a", doc_date="2024-03-02"),
        make_doc("d0", [("NATO", "condemns", "PRK"), ("RUS", "exports_to", "PRK")], sha="s-a",
                 doc_date="2024-02-28"),
        make_doc("d2", [("PRK", "denounces", "NATO"), ("USA", "sanctions", "PRK")], sha="s-b",
                 doc_date="2024-04-10"),
        make_doc("d5", [("PRK", "denounces", "NATO")], sha="s-b", doc_date=None),
        make_doc("d3", [], sha="s-c", doc_date="2024-05-01"),
        make_doc("d6", [("RUS", "meets", "PRK"), ("PRK", "threatens", None)], sha=None, doc_date="2024-06-01"),
    ]
    # A document with a negated and a future triple, its own evidence dates, and two records
    # of one edge at the same sentence and trigger (the graph keeps the smallest).
    triples = [
        make_triple("RUS", "condemns", "PRK", doc_id="d7", doc_date=None, negated=True,
                    source="KCNA", speaker="KCNA", confidence=0.7),
        make_triple("USA", "sanctions", "PRK", doc_id="d7", doc_date="2024-07-02",
                    modality="future", start_char=50, confidence=0.9),
        make_triple("USA", "sanctions", "PRK", doc_id="d7", doc_date="2024-07-02",
                    modality="future", start_char=50, confidence=0.6, subject_text="Washington"),
    ]
    docs.append(DocResult(doc_id="d7", ok=True, triples=triples, doc_date="2024-07-01",
                          text_sha1="s-d"))
    return {d.doc_id: d for d in docs}


POOL = _pool()


def _ingest(store: RelationStore, docs: list[DocResult], sizes: list[int]) -> None:
    start = 0
    for size in sizes:
        store.ingest(docs[start:start + size])
        start += size
    store.ingest(docs[start:])


def _edges_view(store: RelationStore) -> dict:
    rows = store.con.execute("SELECT edge_key, count, n_documents, first_seen, last_seen, "
                             "confidence_max FROM edges").fetchall()
    return {r[0]: r[1:] for r in rows}


def _edges_graph(g) -> dict:
    return {k: (d["count"], d["n_documents"], d["first_seen"], d["last_seen"],
                d["confidence_max"]) for _, _, k, d in g.edges(keys=True, data=True)}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ids=st.lists(st.sampled_from(sorted(POOL)), max_size=12),
       order=st.randoms(use_true_random=False),
       sizes=st.lists(st.integers(min_value=1, max_value=4), max_size=4))
def test_store_graph_equals_build_graph_in_any_order_and_batches(ids, order, sizes):
    docs = [POOL[i] for i in ids]
    expected = build_graph(docs)
    shuffled = list(docs)
    order.shuffle(shuffled)
    with RelationStore(":memory:") as store:
        _ingest(store, shuffled, sizes)
        assert graph_state(store.graph()) == graph_state(expected)
        assert _edges_view(store) == _edges_graph(expected)


def test_store_pool_exercises_the_duplicate_rule():
    # Guards the property test against passing vacuously.
    docs = list(POOL.values())
    g = build_graph(docs)
    assert sorted(g.graph["duplicates"]) == ["d1", "d4", "d5"]
    assert g.number_of_edges() >= 5 and g.nodes["PRK"]["events"]
    with RelationStore(":memory:") as store:
        store.ingest(reversed(docs))
        rows = store.sql("SELECT doc_id, duplicate_of FROM documents ORDER BY doc_id")
        assert dict(zip(rows.doc_id, rows.duplicate_of.where(rows.duplicate_of.notna(), None))) \
            == {"d0": None, "d1": "d0", "d2": None, "d3": None, "d4": "d0", "d5": "d2",
                "d6": None, "d7": None}
        # Evidence of duplicates is not kept; the view keeps one of two same-trigger records.
        assert store.counts()["evidence"] == 2 + 2 + 2 + 3
        assert store.sql("SELECT count(*) AS n FROM evidence_counted").n[0] == 8
        assert store.ingest(docs) == {"documents": 0, "duplicates": 0, "skipped": 8,
                                      "errors": 0}


def test_store_dyad_timeline_by_month_keeps_negation_and_modality():
    with RelationStore(":memory:") as store:
        store.ingest(POOL.values())
        frame = store.dyad("PRK", "RUS", freq="month")
        assert frame[["subject", "object", "relation", "count"]].values.tolist() == [
            ["RUS", "PRK", "exports_to", 1], ["RUS", "PRK", "meets", 1],
            ["RUS", "PRK", "NOT condemns", 1]]
        assert [str(p)[:10] for p in frame.period] == ["2024-02-01", "2024-06-01", "2024-07-01"]
        future = store.dyad("USA", "PRK", freq="year")
        assert future.relation.tolist() == ["sanctions", "sanctions (future)"]
        assert future["count"].tolist() == [1, 1]
        with pytest.raises(InputError, match="E306"):
            store.dyad("PRK", "RUS", freq="fortnight")


def test_store_keeps_failed_documents_until_they_succeed(tmp_path):
    failed = DocResult(doc_id="d9", ok=False, error="E045: boom")
    path = tmp_path / "events.duckdb"
    with RelationStore(path) as store:
        assert store.ingest([failed, POOL["d6"]])["errors"] == 1
        assert store.sql("SELECT doc_id, code FROM errors").values.tolist() == [["d9", "E045"]]
    with RelationStore(path) as store:  # reopened from the file
        store.ingest([make_doc("d9", [("NATO", "meets", "USA")], sha="s-z")])
        assert store.counts()["errors"] == 0
        assert store.held_ids(["d9", "d6", "nope"]) == {"d9", "d6"}
        assert store.text_holders(["s-z", "s-none", None]) == {"s-z": "d9"}


def test_store_memory_limit_is_applied(tmp_path):
    with RelationStore(tmp_path / "capped.duckdb", memory_limit="512MB") as store:
        limit = store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert limit == "488.2 MiB"  # 512 MB, as DuckDB reports it


def test_store_counted_window_follows_the_graph_evidence_order():
    """The store's SQL is generated from the one aggregation module: every field of the
    evidence order has its column, in that order."""
    from nlp_relations.graph.aggregate import COUNTED_COPY_SQL, EVIDENCE_ORDER
    from nlp_relations.store import duckdb_store

    assert tuple(duckdb_store._RECORD_SQL) == EVIDENCE_ORDER
    window = duckdb_store._COUNTED_WINDOW
    positions = [window.index(duckdb_store._RECORD_SQL[f]) for f in EVIDENCE_ORDER]
    assert positions[:3] == sorted(positions[:3]) and positions[3:] == sorted(positions[3:])
    assert COUNTED_COPY_SQL == "min(doc_id)"
