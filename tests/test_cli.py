"""The command line: extract, graph, evaluate, actors."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from typer.testing import CliRunner

from nlp_relations import api
from nlp_relations.cli import app
from nlp_relations.graph import read_graphml
from nlp_relations.registry import DATA_DIR
from nlp_relations.resources import MODEL_DIR
from nlp_relations.schemas import DocResult

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


def test_cli_evaluate_model_scores_the_full_model_alone(tmp_path, nlp, monkeypatch):
    """``--method model`` measures the full model (what ``load(model_only=True)`` runs); the
    other methods the default pipeline, whose lighter model only confirms the rules."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x1", "text": "Japan condemned North Korea.", "triples": [
        {"subject": "JPN", "predicate": "condemns", "object": "PRK"}]}) + "\n")
    calls, real_load = [], api.load

    def recording_load(**kwargs):
        calls.append(kwargs)
        return real_load(**kwargs)

    monkeypatch.setattr(api, "load", recording_load)
    for method in ("model", "combined"):
        result = runner.invoke(app, ["evaluate", str(gold), "--method", method])
        assert result.exit_code == 0, result.output
        assert "confidence AP: 1.000" in result.output
    # --model: another trained folder, here the full model confirming the rules.
    result = runner.invoke(app, ["evaluate", str(gold), "--model", str(MODEL_DIR)])
    assert result.exit_code == 0, result.output
    assert calls == [{"model_only": True}, {"model_only": False},
                     {"model_only": False, "model": MODEL_DIR}]
    missing = runner.invoke(app, ["evaluate", str(gold), "--model", str(tmp_path / "none")])
    assert missing.exit_code != 0 and "E053" in missing.output


def test_cli_actors_resolves_names():
    result = runner.invoke(app, ["actors", "the Kremlin"])
    assert result.exit_code == 0 and json.loads(result.output)["id"] == "RUS"


# -- without the pipeline: a stand-in extract_many shows what the CLI sends and keeps -----


class FakePipeline:
    """Stands in for load() and extract_many(): a text starting "FAIL" fails with E001,
    "STOP" raises KeyboardInterrupt (Ctrl-C), anything else gives one NATO-condemns-PRK triple."""

    def __init__(self) -> None:
        self.load_kwargs: list[dict] = []
        self.options: list[dict] = []
        self.seen: list[tuple] = []
        self.yielded: list = []

    def load(self, **kwargs):
        self.load_kwargs.append(kwargs)
        return "fake-nlp"

    def extract_many(self, texts, *, nlp, n_process=1, batch_size=32, max_chars=1_000_000,
                     time_budget=None):
        import weakref

        self.options.append({"n_process": n_process, "batch_size": batch_size,
                             "time_budget": time_budget})
        from tests.graph.factory import make_doc

        assert nlp == "fake-nlp"
        for raw, doc_id, date in texts:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            self.seen.append((doc_id, date, text))
            if text.startswith("STOP"):
                raise KeyboardInterrupt
            if text.startswith("FAIL"):
                result = DocResult(doc_id=doc_id, ok=False, error="E001: empty", doc_date=date)
            else:
                result = make_doc(doc_id, [("NATO", "condemns", "PRK")], doc_date=date,
                                  sha=f"sha-{doc_id}")
            self.yielded.append(weakref.ref(result))
            yield result


@pytest.fixture
def fake(monkeypatch):
    pipeline = FakePipeline()
    monkeypatch.setattr(api, "load", pipeline.load)
    monkeypatch.setattr(api, "extract_many", pipeline.extract_many)
    return pipeline


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _leftovers(folder):
    return sorted(str(p) for p in folder.rglob(".*.tmp"))


def _one_line_error(result, code: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: {code}")
    assert isinstance(result.exception, SystemExit)


def test_cli_extract_ids_are_paths_below_the_folder(tmp_path, fake):
    docs = tmp_path / "docs"
    for name in ("kcna/2024-07-13.txt", "yonhap/2024-07-13.txt", "2024-07-14_reuters.html",
                 ".git/objects/2024-07-13.txt", ".ipynb_checkpoints/x-checkpoint.txt",
                 "kcna/.hidden.txt", "README.md", "scan.pdf", "notes"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(f"text of {name}")
    single = tmp_path / "2024-08-01_single.txt"
    single.write_text("one file given directly")
    out = tmp_path / "t.jsonl"
    result = runner.invoke(app, ["extract", str(docs), str(single), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [(r["doc_id"], r["doc_date"]) for r in _rows(out)] == [
        ("2024-07-14_reuters", "2024-07-14"),
        ("kcna/2024-07-13", "2024-07-13"),
        ("yonhap/2024-07-13", "2024-07-13"),
        ("2024-08-01_single", "2024-08-01"),
    ]
    assert "skipped 2 file(s)" in result.stderr  # scan.pdf and notes: not silently
    assert "4 documents (4 ok, 0 skipped)" in result.stderr


def test_cli_extract_same_id_twice_is_an_error_record(tmp_path, fake):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "2024-07-13.txt").write_text("first")
    (tmp_path / "b" / "2024-07-13.txt").write_text("second")
    out = tmp_path / "t.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path / "a" / "2024-07-13.txt"),
                                 str(tmp_path / "b" / "2024-07-13.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    first, second = _rows(out)
    assert first["doc_id"] == second["doc_id"] == "2024-07-13"
    assert first["ok"] and not second["ok"]
    assert second["error"].startswith("E200") and "b/2024-07-13.txt" in second["error"]
    assert [doc_id for doc_id, *_ in fake.seen] == ["2024-07-13"]


def test_cli_extract_reads_a_jsonl_corpus(tmp_path, fake):
    corpus = tmp_path / "stories.jsonl"
    lines = [
        {"id": "kcna-1", "date": "2024-07-13T08:00:00Z", "title": "KCNA slams NATO",
         "text": "Pyongyang denounced NATO.", "source": "KCNA"},
        "{not json",
        {"id": "yna-2", "date": "20240714", "text": "Seoul protested."},
        ["a", "list"],
        {"id": "no-text"},
        {"id": 7, "text": "A numeric id.", "date": "July 13"},
        {"id": "kcna-1", "text": "The same id again."},
        {"id": "x", "text": "FAIL to process"},
    ]
    corpus.write_text("\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines)
                      + "\n\n", encoding="utf-8")
    out = tmp_path / "t.jsonl"
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert len(rows) == len(lines)  # one result per line, in order
    assert [(r["doc_id"], r["ok"], (r["error"] or "")[:4]) for r in rows] == [
        ("kcna-1", True, ""),
        (f"{corpus}:2", False, "E201"),
        ("yna-2", True, ""),
        (f"{corpus}:4", False, "E201"),
        (f"{corpus}:5", False, "E201"),
        (f"{corpus}:6", False, "E201"),
        ("kcna-1", False, "E200"),
        ("x", False, "E001"),
    ]
    assert f"Line 5 of {corpus}" in rows[4]["error"] and "'text'" in rows[4]["error"]
    assert "'date' 'July 13'" in rows[5]["error"]
    assert fake.seen[0] == ("kcna-1", "2024-07-13", "KCNA slams NATO\n\nPyongyang denounced NATO.")
    assert fake.seen[1][:2] == ("yna-2", "2024-07-14")


def test_cli_graph_reads_results_written_by_extract(tmp_path, fake):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"2024-07-1{i}.txt").write_text(f"story {i}")
    out = tmp_path / "t.jsonl"
    assert runner.invoke(app, ["extract", str(docs), "-o", str(out)]).exit_code == 0
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"doc_id": "broken", "ok": true, "triples": [{"subject": 1}]}\n')
    fake.load_kwargs.clear()
    graph = tmp_path / "g.graphml"
    result = runner.invoke(app, ["graph", str(out), "-o", str(graph)])
    assert result.exit_code == 0, result.output
    assert fake.load_kwargs == []  # nothing to extract: the pipeline is not even loaded
    g = read_graphml(graph)
    assert g.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]["count"] == 3
    assert sorted(g.graph["documents"]) == ["2024-07-10", "2024-07-11", "2024-07-12"]
    assert "4 documents (3 ok, 1 skipped)" in result.stderr


def test_cli_rules_only_and_min_confidence(tmp_path, fake):
    (tmp_path / "a.txt").write_text("story")
    out = tmp_path / "t.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(out),
                                 "--rules-only", "--min-confidence", "0.9"])
    assert result.exit_code == 0, result.output
    assert fake.load_kwargs == [{"extra_actors": None, "model": False}]
    assert _rows(out)[0]["triples"] == []  # the fake's triple has confidence 0.8
    runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(out),
                        "--min-confidence", "0.8"])
    assert fake.load_kwargs[-1]["model"] is True and len(_rows(out)[0]["triples"]) == 1
    bad = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--min-confidence", "2"])
    _one_line_error(bad, "E211")


def test_cli_no_document_succeeded_exits_1_and_writes_nothing(tmp_path, fake):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("FAIL a")
    (tmp_path / "docs" / "b.txt").write_text("FAIL b")
    out, graph = tmp_path / "t.jsonl", tmp_path / "g.graphml"
    out.write_text("old, complete\n")
    result = runner.invoke(app, ["extract", str(tmp_path / "docs"), "-o", str(out),
                                 "--graph", str(graph)])
    _one_line_error(result, "E205")
    assert "all 2 were skipped" in result.stderr and "E001" in result.stderr
    assert out.read_text() == "old, complete\n" and not graph.exists()
    assert not _leftovers(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["graph", str(empty), "-o", str(graph)])
    _one_line_error(result, "E205")
    assert not graph.exists()


def test_cli_ctrl_c_exits_130_and_keeps_old_outputs(tmp_path, fake):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("fine")
    (docs / "b.txt").write_text("STOP here")
    out = tmp_path / "t.jsonl"
    out.write_text("old, complete\n")
    graph = tmp_path / "g.gexf"
    result = runner.invoke(app, ["extract", str(docs), "-o", str(out), "--graph", str(graph)])
    assert result.exit_code == 130
    assert "Traceback" not in result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("E215: Interrupted after 1 document(s)") and "--resume" in last
    assert out.read_text() == "old, complete\n"
    assert not graph.exists() and not _leftovers(tmp_path)
    partial = tmp_path / ".t.jsonl.partial"
    assert [r["doc_id"] for r in _rows(partial)] == ["a"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".t.jsonl.partial", "docs", "t.jsonl"]

    # --resume continues: "a" is not extracted again, and the graph holds both documents.
    (docs / "b.txt").write_text("fine now")
    fake.seen.clear()
    result = runner.invoke(app, ["extract", str(docs), "-o", str(out), "--graph", str(graph),
                                 "--resume"])
    assert result.exit_code == 0, result.output
    assert [doc_id for doc_id, _, _ in fake.seen] == ["b"]
    assert [r["doc_id"] for r in _rows(out)] == ["a", "b"]
    assert not partial.exists()
    assert "2 documents (2 ok" in result.stderr
    assert set(nx.read_gexf(graph).nodes) == {"NATO", "PRK"}


def test_cli_without_resume_a_left_partial_is_started_afresh(tmp_path, fake):
    corpus = _story_file(tmp_path / "corpus.jsonl", ["a", "b"])
    out = tmp_path / "t.jsonl"
    partial = tmp_path / ".t.jsonl.partial"
    partial.write_text(json.dumps({"doc_id": "old", "ok": True}) + "\n")
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [r["doc_id"] for r in _rows(out)] == ["a", "b"] and not partial.exists()


def test_cli_ctrl_c_before_any_result_leaves_nothing(tmp_path, fake):
    (tmp_path / "a.txt").write_text("STOP at once")
    out = tmp_path / "t.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(out)])
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines()[-1].startswith("E210: Interrupted")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def _story_file(path, ids):
    path.write_text("".join(json.dumps({"id": i, "text": f"story {i}"}) + "\n" for i in ids))
    return path


def test_cli_resume_drops_a_cut_off_last_line(tmp_path, fake):
    corpus = _story_file(tmp_path / "corpus.jsonl", ["a", "b", "c", "d"])
    full = tmp_path / "full.jsonl"
    assert runner.invoke(app, ["extract", str(corpus), "-o", str(full)]).exit_code == 0
    lines = full.read_text().splitlines(keepends=True)
    out = tmp_path / "t.jsonl"
    # A run killed while writing its third line: two whole results and half of one.
    (tmp_path / ".t.jsonl.partial").write_text(lines[0] + lines[1] + lines[2][:25])
    fake.seen.clear()
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert "dropped the cut-off last line 3" in result.stderr
    assert [doc_id for doc_id, _, _ in fake.seen] == ["c", "d"]
    assert out.read_text() == full.read_text()
    assert not _leftovers(tmp_path) and not (tmp_path / ".t.jsonl.partial").exists()


def test_cli_resume_adds_new_documents_to_a_complete_output(tmp_path, fake):
    out = tmp_path / "t.jsonl"
    corpus = _story_file(tmp_path / "corpus.jsonl", ["a", "b"])
    assert runner.invoke(app, ["extract", str(corpus), "-o", str(out)]).exit_code == 0
    _story_file(corpus, ["a", "b", "c", "b"])  # one more story, and a repeated id
    fake.seen.clear()
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert [doc_id for doc_id, _, _ in fake.seen] == ["c"]
    rows = _rows(out)
    assert [r["doc_id"] for r in rows] == ["a", "b", "c", "b"]
    assert rows[3]["error"].startswith("E200")
    # Everything done: a resumed run extracts nothing and leaves the output as it was.
    before = out.read_text()
    fake.seen.clear()
    assert runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--resume"]).exit_code == 0
    assert fake.seen == [] and out.read_text() == before


def test_cli_resume_refuses_a_damaged_output(tmp_path, fake):
    corpus = _story_file(tmp_path / "corpus.jsonl", ["a", "b"])
    out = tmp_path / "t.jsonl"
    out.write_text("not a result\n" + json.dumps({"doc_id": "a", "ok": True}) + "\n")
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--resume"])
    _one_line_error(result, "E214")
    assert "line 1" in result.stderr and fake.seen == []


def test_cli_resume_without_an_output_starts_afresh(tmp_path, fake):
    corpus = _story_file(tmp_path / "corpus.jsonl", ["a", "b"])
    out = tmp_path / "t.jsonl"
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert [r["doc_id"] for r in _rows(out)] == ["a", "b"]


@pytest.mark.parametrize("command", ["extract", "graph"])
def test_cli_two_runs_cannot_write_one_file(tmp_path, fake, command):
    from nlp_relations.cli import _lock

    (tmp_path / "a.txt").write_text("story")
    out = tmp_path / ("t.jsonl" if command == "extract" else "g.graphml")
    out.write_text("old, complete\n")
    with _lock(out):  # another run holds it
        result = runner.invoke(app, [command, str(tmp_path / "a.txt"), "-o", str(out)])
    _one_line_error(result, "E213")
    assert str(out) in result.stderr and str(os.getpid()) in result.stderr
    assert out.read_text() == "old, complete\n" and fake.seen == []
    # Once it is done, the next run writes.
    result = runner.invoke(app, [command, str(tmp_path / "a.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", out.name]


def test_cli_graph_lock_is_taken_for_the_extract_graph_too(tmp_path, fake):
    from nlp_relations.cli import _lock

    (tmp_path / "a.txt").write_text("story")
    graph = tmp_path / "g.graphml"
    with _lock(graph):
        result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o",
                                     str(tmp_path / "t.jsonl"), "--graph", str(graph)])
    _one_line_error(result, "E213")
    assert not (tmp_path / "t.jsonl").exists()


def test_cli_time_budget_option(tmp_path, fake):
    (tmp_path / "a.txt").write_text("story")
    args = ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "t.jsonl")]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, [*args, "--time-budget", "2.5"]).exit_code == 0
    assert runner.invoke(app, [*args, "--time-budget", "0"]).exit_code == 0
    assert [o["time_budget"] for o in fake.options] == [300.0, 2.5, None]
    _one_line_error(runner.invoke(app, [*args, "--time-budget", "-1"]), "E051")


def test_cli_extra_actor_takeovers_are_warned(tmp_path, fake, monkeypatch):
    import warnings

    from nlp_relations.errors import ActorTakeoverWarning

    def load(**kwargs):
        warnings.warn(ActorTakeoverWarning("E052: Extra actor 'RUS' (x.jsonl) replaces ..."))
        return "fake-nlp"

    monkeypatch.setattr(api, "load", load)
    (tmp_path / "a.txt").write_text("story")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o",
                                 str(tmp_path / "t.jsonl")])
    assert result.exit_code == 0, result.output
    assert "warning: E052: Extra actor 'RUS'" in result.stderr


@pytest.mark.parametrize("extra", [[], ["--graph", "g.graphml"], ["--table"]])
def test_cli_extract_streams_without_keeping_results(tmp_path, fake, extra, monkeypatch):
    """Results are written as they arrive and let go: the graph and table keep counts only."""
    import gc

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(30):
        (docs / f"d{i:02}.txt").write_text(f"story {i}")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", str(docs), "-o", "t.jsonl", *extra])
    assert result.exit_code == 0, result.output
    gc.collect()
    alive = sum(ref() is not None for ref in fake.yielded)
    assert len(fake.yielded) == 30 and alive <= 1
    assert len(_rows(tmp_path / "t.jsonl")) == 30


def test_cli_graph_format_follows_the_output(tmp_path, fake, monkeypatch):
    (tmp_path / "a.txt").write_text("story")
    monkeypatch.chdir(tmp_path)
    src = str(tmp_path / "a.txt")
    assert runner.invoke(app, ["graph", src, "-o", "x.gexf"]).exit_code == 0
    assert ET.parse(tmp_path / "x.gexf").getroot().tag.endswith("}gexf")
    assert runner.invoke(app, ["graph", src, "-o", "x.json"]).exit_code == 0
    assert json.loads((tmp_path / "x.json").read_text())["multigraph"] is True
    assert runner.invoke(app, ["graph", src, "--format", "csv"]).exit_code == 0
    assert (tmp_path / "graph_csv" / "edges.csv").is_file()
    assert runner.invoke(app, ["graph", src, "--format", "gexf"]).exit_code == 0
    assert (tmp_path / "graph.gexf").is_file()
    assert runner.invoke(app, ["graph", src]).exit_code == 0
    assert (tmp_path / "graph.graphml").is_file()
    assert runner.invoke(app, ["extract", src, "--graph", "e.gexf"]).exit_code == 0
    assert ET.parse(tmp_path / "e.gexf").getroot().tag.endswith("}gexf")
    assert not (tmp_path / "graph.graphml.graphml").exists()


@pytest.mark.parametrize(
    "args,code",
    [
        (["graph", "{doc}", "-o", "{tmp}/g.txt"], "E204"),
        (["graph", "{doc}", "-o", "{tmp}"], "E203"),
        (["graph", "{doc}", "--format", "dot"], "E021"),
        (["graph", "{doc}", "--format", "csv", "-o", "{doc}"], "E203"),
        (["extract", "{doc}", "-o", "{tmp}"], "E203"),
        (["extract", "{doc}", "--graph", "{tmp}"], "E203"),
        (["extract", "{tmp}/nowhere"], "E209"),
        (["evaluate", "{doc}", "--method", "bogus"], "E207"),
        (["evaluate", "{tmp}/nowhere.jsonl"], "E209"),
        (["evaluate-linking", "--conll", "{tmp}/nowhere.txt"], "E208"),
        (["actors", "Atlantis"], "E206"),
    ],
)
def test_cli_user_mistakes_are_one_line(tmp_path, fake, args, code):
    doc = tmp_path / "a.txt"
    doc.write_text("story")
    result = runner.invoke(app, [a.format(doc=doc, tmp=tmp_path) for a in args])
    _one_line_error(result, code)
    assert fake.seen == []  # rejected before any document was read


def test_cli_bad_extra_actors_fails_before_writing(tmp_path, nlp):
    bad = tmp_path / "actors.jsonl"
    bad.write_text('{"id": "X", "name": \n')
    out = tmp_path / "t.jsonl"
    out.write_text("old, complete\n")
    for actors in (bad, tmp_path / "missing.jsonl"):
        result = runner.invoke(app, ["extract", str(SAMPLE), "-o", str(out), "--graph",
                                     str(tmp_path / "g.graphml"), "--extra-actors", str(actors)])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.strip().splitlines()[-1].startswith("Error: ")
        assert str(actors) in result.stderr
    assert out.read_text() == "old, complete\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actors.jsonl", "t.jsonl"]


def test_cli_version():
    from nlp_relations import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"nlp-relations {__version__}"


def test_cli_every_option_has_help():
    import click
    import typer.main

    group = typer.main.get_command(app)
    missing = [
        f"{name} {param.name}"
        for name, command in group.commands.items()
        for param in command.params
        if isinstance(param, (click.Option, click.Argument)) and not getattr(param, "help", None)
    ]
    assert missing == []


def test_cli_output_inside_the_input_folder_is_not_read_back(tmp_path, fake):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("story")
    out = docs / "triples.jsonl"
    for _ in range(2):
        result = runner.invoke(app, ["extract", str(docs), "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert [r["doc_id"] for r in _rows(out)] == ["a"]


def test_cli_graph_from_results_equals_graph_from_text(tmp_path, nlp):
    from tests.graph.factory import graph_state

    out, direct, later = tmp_path / "t.jsonl", tmp_path / "a.graphml", tmp_path / "b.graphml"
    result = runner.invoke(app, ["extract", str(SAMPLE), "-o", str(out), "--graph", str(direct)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["graph", str(out), "-o", str(later)])
    assert result.exit_code == 0, result.output
    g = read_graphml(later)
    assert g.number_of_edges() > 0
    assert graph_state(g) == graph_state(read_graphml(direct))


def test_cli_sigterm_leaves_a_partial_that_resume_completes(tmp_path, nlp):
    """A real run stopped with SIGTERM (as a scheduler would) and resumed gives the output of an
    uninterrupted run."""
    stories = [{"id": f"d{i:03}", "text": "NATO condemned North Korea. Japan criticized China."}
               for i in range(400)]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(s) + "\n" for s in stories))
    out, partial = tmp_path / "t.jsonl", tmp_path / ".t.jsonl.partial"
    cli = [sys.executable, "-m", "nlp_relations.cli", "extract", str(corpus), "-o", str(out),
           "--rules-only", "--batch-size", "4"]
    proc = subprocess.Popen(cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if partial.exists() and partial.stat().st_size > 0:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be stopped")
    assert proc.returncode == 143, err
    assert "E215" in err.strip().splitlines()[-1] and not out.exists()
    kept = len(partial.read_text().splitlines())
    assert 0 < kept < 400
    proc = subprocess.run([*cli, "--resume"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert f"{kept} document(s) done" in proc.stderr
    rows = _rows(out)
    assert [r["doc_id"] for r in rows] == [s["id"] for s in stories]
    assert all(r["ok"] and r["triples"] for r in rows)
    assert not partial.exists() and not _leftovers(tmp_path)
