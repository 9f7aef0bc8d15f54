"""The flat event table: one row per triple, CSV/TSV/Parquet, from the library and the CLI."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from nlp_relations.cli import app
from nlp_relations.errors import NlpRelationsError
from nlp_relations.graph.events import EVENT_COLUMNS, EventWriter, event_rows, write_events
from nlp_relations.schemas import DocResult

from .factory import make_doc, make_triple


def _results():
    first = make_doc("kcna-1", [("PRK", "condemns", "NATO"), ("PRK", "threatens", None)])
    second = DocResult(doc_id="yonhap-2", ok=True, doc_date="2024-07-14", triples=[
        make_triple("NATO", "condemns", "PRK", doc_id="yonhap-2", doc_date="2024-07-14",
                    source="YNA", speaker="NATO", negated=True, modality="alleged",
                    sentence="NATO, it said,\tcondemned\nPyongyang.")])
    skipped = DocResult(doc_id="bad", ok=False, error="E001: empty")
    return [first, skipped, second]


def test_events_rows_one_per_triple_in_order():
    rows = list(event_rows(_results()))
    assert [r["doc_id"] for r in rows] == ["kcna-1", "kcna-1", "yonhap-2"]
    assert all(tuple(r) == EVENT_COLUMNS for r in rows)
    first, objectless, reported = rows
    assert (first["subject"], first["predicate"], first["object"], first["category"],
            first["cameo"]) == ("PRK", "condemns", "NATO", "ACCUSE", "111")
    assert first["date"] == "2024-06-01"  # the document's date when the evidence has none
    assert objectless["object"] is None and objectless["object_name"] is None
    assert (reported["outlet"], reported["speaker"], reported["negated"],
            reported["modality"]) == ("YNA", "NATO", True, "alleged")


@pytest.mark.parametrize("name, delimiter", [("events.csv", ","), ("events.tsv", "\t")])
def test_events_csv_and_tsv_round_trip(tmp_path, name, delimiter):
    path = tmp_path / name
    assert write_events(_results(), path) == 3
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter))
    assert len(rows) == 3 and tuple(rows[0]) == EVENT_COLUMNS
    sentence = rows[2]["sentence"]
    if delimiter == "\t":
        assert sentence == "NATO, it said, condemned Pyongyang."
    else:
        assert sentence == "NATO, it said,\tcondemned\nPyongyang."


def test_events_parquet_has_one_schema(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    assert write_events(_results(), path) == 3
    table = pq.read_table(path)
    assert table.column_names == list(EVENT_COLUMNS)
    assert str(table.schema.field("negated").type) == "bool"
    assert table.column("object").to_pylist() == ["NATO", None, "PRK"]


def test_events_unknown_suffix_is_a_coded_error(tmp_path):
    with pytest.raises(NlpRelationsError, match="E216"):
        write_events(_results(), tmp_path / "events.xlsx")


def test_events_failed_stream_leaves_no_file(tmp_path):
    path = tmp_path / "events.csv"

    def broken():
        yield _results()[0]
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        with EventWriter(path) as writer:
            for r in broken():
                writer.add(r)
    assert not path.exists() and not list(tmp_path.iterdir())


def test_events_cli_extract_and_events_command(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "2024-07-13_kcna.txt").write_text("North Korea condemned NATO on Saturday.",
                                               encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "triples.jsonl"
    done = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--events",
                               str(tmp_path / "events.csv")])
    assert done.exit_code == 0, done.output
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["date"], r["subject"], r["predicate"], r["object"]) for r in rows] == [
        ("2024-07-13", "PRK", "condemns", "NATO")]
    again = runner.invoke(app, ["events", str(out), "-o", str(tmp_path / "again.tsv")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.tsv").read_text(encoding="utf-8").count("\n") == 2


def test_events_csv_lone_surrogate_becomes_a_replacement_character(tmp_path):
    t = make_triple("NATO", "condemns", "PRK", doc_id="d", sentence="NATO condemned \udfffit.")
    write_events([DocResult(doc_id="d", ok=True, triples=[t])], tmp_path / "events.csv")
    with open(tmp_path / "events.csv", encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["sentence"] == "NATO condemned \ufffdit."
