"""The command line: extract, graph, evaluate, actors."""

from __future__ import annotations

import json
import shutil

import networkx as nx
from typer.testing import CliRunner

from nlp_relations.cli import app
from nlp_relations.registry import DATA_DIR

runner = CliRunner()
SAMPLE = sorted((DATA_DIR / "samples").glob("2024-07-13_*.txt"))[0]


def test_cli_extract_writes_jsonl_graph_and_table(tmp_path, nlp):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    (folder / "empty.txt").write_text("   ")
    out, graph = tmp_path / "t.jsonl", tmp_path / "g.graphml"
    result = runner.invoke(app, ["extract", str(folder), "-o", str(out), "--graph", str(graph),
                                 "--table"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["doc_id"] for r in rows} == {SAMPLE.stem, "empty"}
    bad = next(r for r in rows if r["doc_id"] == "empty")
    assert not bad["ok"] and bad["error"].startswith("E001")
    good = next(r for r in rows if r["doc_id"] == SAMPLE.stem)
    assert good["doc_date"] == "2024-07-13" and good["triples"]
    g = nx.read_graphml(graph, force_multigraph=True)
    assert "PRK" in g and g.number_of_edges() > 0
    assert "subject" in result.output and "skipped empty" in result.output
    # "China denied supplying lethal weapons to Russia": the table marks the denial.
    row = next(line.split() for line in result.output.splitlines() if line.startswith("CHN "))
    assert row[:4] == ["CHN", "not", "exports_to", "RUS"]


def test_cli_graph_formats(tmp_path, nlp):
    for fmt, name in (("gexf", "g.gexf"), ("json", "g.json"), ("csv", "tables")):
        result = runner.invoke(app, ["graph", str(SAMPLE), "-o", str(tmp_path / name),
                                     "--format", fmt])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "tables" / "edges.csv").exists()
    bad = runner.invoke(app, ["graph", str(SAMPLE), "--format", "dot"])
    assert bad.exit_code != 0 and "Unknown graph format 'dot'" in bad.output


def test_cli_evaluate_reports_levels(tmp_path, nlp):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x1", "text": "Japan condemned North Korea.", "triples": [
        {"subject": "JPN", "predicate": "condemns", "object": "PRK"}]}) + "\n")
    result = runner.invoke(app, ["evaluate", str(gold), "--method", "rules",
                                 "--json", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert "typed (s,p,o)" in result.output and "pred condemns" in result.output
    scores = json.loads((tmp_path / "s.json").read_text())
    assert scores["typed"]["f"] == 1.0


def test_cli_actors_resolves_names():
    result = runner.invoke(app, ["actors", "the Kremlin"])
    assert result.exit_code == 0 and json.loads(result.output)["id"] == "RUS"
