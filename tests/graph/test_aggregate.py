"""The aggregation rules the graph and the store share: edge key, duplicates, evidence order."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp_relations.graph import aggregate
from nlp_relations.graph.aggregate import (
    DEDUP_FIELDS,
    EVIDENCE_ORDER,
    counted_copy,
    dedup_key,
    edge_key,
    evidence_record,
    evidence_sort_key,
    pick,
    triple_edge_key,
)

from .factory import make_triple


@pytest.mark.parametrize("negated,modality,expected", [
    (False, "asserted", "NATO|condemns|PRK|asserted"),
    (True, "asserted", "NATO|condemns|PRK|asserted|neg"),
    (False, "future", "NATO|condemns|PRK|future"),
])
def test_aggregate_edge_key(negated, modality, expected):
    assert edge_key("NATO", "condemns", "PRK", negated, modality) == expected
    t = make_triple("NATO", "condemns", "PRK", negated=negated, modality=modality)
    assert triple_edge_key(t) == expected


def test_aggregate_event_key_has_an_empty_object():
    assert triple_edge_key(make_triple("PRK", "threatens")) == "PRK|threatens||asserted"


def test_aggregate_counted_copy_is_the_smallest_id_in_any_order():
    assert counted_copy(["kcna-2", "kcna-1", "yna-1"]) == "kcna-1"
    assert counted_copy(("yna-1", "kcna-2")) == counted_copy(("kcna-2", "yna-1"))


def test_aggregate_evidence_order_starts_with_the_dedup_key():
    assert EVIDENCE_ORDER[:3] == DEDUP_FIELDS == ("doc_id", "start_char", "trigger")
    record = evidence_record(make_triple("NATO", "condemns", "PRK", doc_id="d1"))
    assert set(record) == set(EVIDENCE_ORDER)
    assert dedup_key(record) == ("d1", 0, "condemns")


def test_aggregate_evidence_sort_key_puts_none_first_as_empty():
    a = evidence_record(make_triple("NATO", "condemns", "PRK", source="KCNA"))
    b = evidence_record(make_triple("NATO", "condemns", "PRK"))
    assert b["source"] is None
    assert sorted([a, b], key=evidence_sort_key) == [b, a]


def test_aggregate_evidence_record_takes_the_document_date_when_it_has_none():
    t = make_triple("NATO", "condemns", "PRK", doc_date=None)
    assert evidence_record(t, default_date="2024-06-01")["doc_date"] == "2024-06-01"
    assert evidence_record(make_triple("NATO", "condemns", "PRK"),
                           default_date="2024-06-01")["doc_date"] == "2024-03-01"


def test_aggregate_pick_smallest_non_empty():
    assert pick("SUPPORT", "ACCUSE") == pick("ACCUSE", "SUPPORT") == "ACCUSE"
    assert pick(None, "ACCUSE") == pick("", "ACCUSE") == "ACCUSE"
    assert pick(None, None) is None


def test_aggregate_depends_on_schemas_only():
    source = Path(aggregate.__file__).read_text(encoding="utf-8")
    ours = [line for line in source.splitlines()
            if line.startswith(("import ", "from ")) and "nlp_relations" in line]
    assert ours == ["from nlp_relations.schemas import Mention, Triple"]
