"""The scale commands end to end: extract --parquet, ingest, update, dyad, graph --store."""

from __future__ import annotations

import csv
import shutil

import pytest
from typer.testing import CliRunner

from nlp_relations.cli import app
from nlp_relations.graph import read_graphml
from tests.graph.factory import graph_state

from .conftest import SAMPLES

pytest.importorskip("duckdb")

NAMES = ["2024-07-13_prk-rejects-nato-declaration", "2024-06-19_putin-kim-pyongyang-treaty",
         "2024-01-10_joint-statement-condemns-dprk-missile-transfers"]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for name in NAMES[:2]:
        shutil.copy(SAMPLES / f"{name}.txt", folder / f"{name}.txt")
    return folder


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_cli_parquet_ingest_update_dyad_and_graph_from_store(nlp, corpus, tmp_path):
    runner = CliRunner()
    parts, store = tmp_path / "parts", tmp_path / "events.duckdb"
    out = _ok(runner.invoke(app, ["extract", str(corpus), "--parquet", str(parts),
                                  "--partition-size", "1"]))
    assert "2 documents (0 skipped)" in out.output and "2 partition(s)" in out.output
    assert not (tmp_path / "triples.jsonl").exists()
    out = _ok(runner.invoke(app, ["ingest", str(parts), "--store", str(store)]))
    assert "2 new documents" in out.output
    # A new day's file arrives beside the old ones: only it is extracted.
    shutil.copy(SAMPLES / f"{NAMES[2]}.txt", corpus / f"{NAMES[2]}.txt")
    out = _ok(runner.invoke(app, ["update", str(corpus), "--store", str(store)]))
    assert "3 documents read, 2 already held, 0 repeat a held text, 1 extracted" in out.output

    out = _ok(runner.invoke(app, ["dyad", "PRK", "NATO", "--store", str(store),
                                  "--freq", "month"]))
    assert "2024-07-01" in out.output and "denounces" in out.output

    _ok(runner.invoke(app, ["graph", "--store", str(store), "-o", str(tmp_path / "s.graphml")]))
    _ok(runner.invoke(app, ["graph", str(corpus), "-o", str(tmp_path / "x.graphml")]))
    from_store = read_graphml(tmp_path / "s.graphml")
    assert from_store.number_of_edges() > 5
    assert graph_state(from_store) == graph_state(read_graphml(tmp_path / "x.graphml"))

    neo = tmp_path / "neo"
    _ok(runner.invoke(app, ["graph", "--store", str(store), "--format", "neo4j", "-o", str(neo)]))
    with open(neo / "relations.csv", encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == from_store.number_of_edges()


def test_cli_scale_mistakes_are_one_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["dyad", "PRK", "NATO", "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "E209" in result.output
    result = runner.invoke(app, ["graph", "-o", str(tmp_path / "g.graphml")])
    assert result.exit_code == 2 and "--store" in result.output
    result = runner.invoke(app, ["extract", str(SAMPLES / f"{NAMES[0]}.txt"), "--parquet",
                                 str(tmp_path / "p"), "--engine", "spark"])
    assert result.exit_code == 1 and "E301" in result.output
