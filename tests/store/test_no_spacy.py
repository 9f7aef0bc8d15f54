"""The graph and store commands read results: they never import spaCy, thinc or torch.

Each command runs in a fresh interpreter (this test process has spaCy loaded already), which
reports the heavy modules it imported when it exits.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nlp_relations.scale import parquet
from tests.graph.factory import make_doc, make_triple

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

HEAVY = ("spacy", "thinc", "torch")
# Runs the CLI (argv after -c; the last one is the report file) and writes the heavy modules imported, whatever the exit.
CLI = """
import atexit, json, sys
report = sys.argv.pop()
atexit.register(lambda: open(report, "w").write(json.dumps(
    sorted(m for m in {heavy!r} if m in sys.modules))))
from nlp_relations.cli import app
app(prog_name="nlp-relations")
"""
STORE_READS = """
import json, sys
from nlp_relations.store import RelationStore
with RelationStore(sys.argv[1], read_only=True) as store:
    graph = store.graph()
    frame = store.dyad("PRK", "NATO")
    counts = store.counts()
    results = list(store.results())
assert graph.number_of_edges() and len(frame) and counts["counted"] == 2 and len(results) == 3
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _results():
    first = make_doc("kcna-1", [("PRK", "condemns", "NATO"), ("PRK", "threatens", None)],
                     sha="sha-1")
    second = make_doc("yonhap-2", [("NATO", "condemns", "PRK")], doc_date="2024-07-14",
                      sha="sha-2")
    second.triples.append(make_triple("USA", "praises", "NATO", doc_id="yonhap-2",
                                      start_char=300))
    repeat = make_doc("zz-copy", [("PRK", "condemns", "NATO")], sha="sha-1")
    return [first, second, repeat]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A results file written by extract and a Parquet folder written by extract --parquet."""
    folder = tmp_path_factory.mktemp("no_spacy")
    results = _results()
    (folder / "triples.jsonl").write_text(
        "".join(r.model_dump_json() + "\n" for r in results), encoding="utf-8")
    parts = folder / "parts"
    parts.mkdir()
    entry = parquet.write_part(parts, list(enumerate(results)), run_id="r1", partition=0)
    parquet.write_manifest(parts, {"format": parquet.FORMAT, "runs": [
        {"run_id": "r1", "engine": "local", "parts": [entry], "rows": entry["rows"]}]})
    return folder


def _cli(folder, *args: str) -> list[str]:
    report = folder / "heavy.json"
    done = subprocess.run([sys.executable, "-c", CLI.format(heavy=HEAVY), *args, str(report)],
                          cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(report.read_text())


def test_no_spacy_graph_ingest_dyad_and_store_reads(files):
    store = str(files / "events.duckdb")
    # In order: the store must exist before it is read.
    assert _cli(files, "graph", "triples.jsonl", "-o", "graph.graphml") == []
    assert (files / "graph.graphml").is_file()
    assert _cli(files, "events", "triples.jsonl", "-o", "events.csv") == []
    assert _cli(files, "ingest", "parts", "--store", store) == []
    assert _cli(files, "dyad", "PRK", "NATO", "--store", store) == []
    assert _cli(files, "graph", "--store", store, "-o", "store.json") == []
    assert _cli(files, "graph", "--store", store, "--format", "neo4j", "-o", "neo4j") == []
    assert (files / "store.json").is_file() and (files / "neo4j" / "actors.csv").is_file()
    done = subprocess.run([sys.executable, "-c", STORE_READS.format(heavy=HEAVY), store],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_no_spacy_graph_package_imports(files):
    code = ("import sys, json, nlp_relations, nlp_relations.graph, nlp_relations.store, "
            "nlp_relations.scale.parquet; "
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
