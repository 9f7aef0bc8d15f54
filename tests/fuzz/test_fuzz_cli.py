"""The CLI over hostile corpora: every document gets one JSONL line, the graph file parses in
every format, no temporary, partial or lock file is left, and no traceback is printed; hostile
actor names from an extra-actors file reach every export format intact."""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from nlp_relations import DocResult
from nlp_relations import graph as g
from nlp_relations.cli import app
from nlp_relations.graph._encoding import xml_clean

from .conftest import TALLY, fuzz_settings
from .strategies import GOOD, hostile_texts

runner = CliRunner()
GRAPHS = {"graphml": ("g.graphml", g.read_graphml), "gexf": ("g.gexf", g.read_gexf),
          "json": ("g.json", g.read_json), "csv": ("graph_csv", g.read_csv)}
IDS = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), min_size=1, max_size=12)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


def _run(folder: Path, args: list[str]):
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert not _leftovers(folder)
    return result


def _parses(path: Path, fmt: str):
    if fmt in ("graphml", "gexf"):
        ET.parse(path)
    return GRAPHS[fmt][1](path)


@fuzz_settings(scale=0.5)
@given(stories=st.lists(st.tuples(IDS, hostile_texts()), min_size=1, max_size=5),
       files=st.lists(hostile_texts(), max_size=2),
       fmt=st.sampled_from(["graphml", "gexf", "json"]))
def test_fuzz_cli_extract_hostile_corpus(nlp, stories, files, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docs = folder / "docs"
        docs.mkdir()
        with (docs / "corpus.jsonl").open("w", encoding="utf-8") as f:
            for doc_id, text in stories:
                f.write(json.dumps({"id": doc_id, "text": text}) + "\n")
        for i, text in enumerate(files):
            (docs / f"f{i}.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
        out, graph = folder / "t.jsonl", folder / GRAPHS[fmt][0]
        TALLY["cli_runs"] += 1
        TALLY["inputs"] += len(stories) + len(files)
        result = _run(folder, ["extract", str(docs), "-o", str(out), "--graph", str(graph)])
        if result.exit_code == 1:  # no document succeeded: E205, nothing written
            assert "E205" in result.stderr and not out.exists() and not graph.exists()
            return
        assert result.exit_code == 0, result.output
        rows = [DocResult.model_validate_json(line)
                for line in out.read_text(encoding="utf-8").splitlines()]
        TALLY["documents"] += len(stories) + len(files)
        TALLY["documents_lost"] += max(0, len(stories) + len(files) - len(rows))
        assert len(rows) == len(stories) + len(files)
        _parses(graph, fmt)
        # The graph command reads the results back, here into CSV tables.
        tables = folder / "graph_csv"
        result = _run(folder, ["graph", str(out), "-o", str(tables), "--format", "csv"])
        assert result.exit_code == 0, result.output
        _parses(tables, "csv")


def test_fuzz_cli_file_name_that_is_not_utf8(nlp, tmp_path):
    name = os.fsdecode(b"caf\xe9-2024-07-13.txt")  # Latin-1 bytes in a name on a UTF-8 system
    (tmp_path / name).write_text(GOOD, encoding="utf-8")
    out, graph = tmp_path / "t.jsonl", tmp_path / "g.graphml"
    result = _run(tmp_path, ["extract", str(tmp_path), "-o", str(out), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1 and rows[0]["ok"] and rows[0]["triples"]
    ET.parse(graph)


# Actor names no well-behaved registry would hold: quotes, markup, line breaks, tabs,
# XML-illegal characters, non-characters, bidi marks, emoji, right-to-left script.
HOSTILE_NAMES = {
    "ZQA": 'The "Zorblax" <Federation> & Co\'s',
    "ZQB": "Quux\nRepublic\tof\x0bNowhere\x00",
    "ZQC": "\u202eKrakozhia\u202c \U0001f3f4\u200d\ufffe\uffff",
    "ZQD": "\u0645\u0635\u0631 ]]> <!-- x --> ;,\"",
}
ALIASES = {"ZQA": "Zorblax", "ZQB": "Quuxia", "ZQC": "Krakozhia", "ZQD": "Frobnia"}


@pytest.fixture(scope="module")
def hostile_actors(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("actors") / "hostile.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for actor_id, name in HOSTILE_NAMES.items():
            f.write(json.dumps({"id": actor_id, "name": name, "kind": "state",
                                "aliases": [ALIASES[actor_id]]}) + "\n")
    return path


def test_fuzz_cli_results_are_one_line_each_for_every_reader(nlp, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    ids = ["nel\x85id", "ls\u2028id", "ps\u2029id", "vt\x0bff\x0cfs\x1cid"]
    corpus.write_text("".join(json.dumps({"id": i, "text": GOOD}) + "\n" for i in ids))
    out = tmp_path / "t.jsonl"
    assert _run(tmp_path, ["extract", str(corpus), "-o", str(out)]).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()  # splits at U+0085, U+2028, ...
    assert [json.loads(line)["doc_id"] for line in lines] == ids


@pytest.mark.parametrize("fmt", sorted(GRAPHS))
def test_fuzz_cli_hostile_actor_names_in_every_format(hostile_actors, tmp_path, fmt):
    text = ("Zorblax condemned Quuxia over the border clash. Krakozhia criticized Frobnia. "
            "Frobnia accused Zorblax of violating the ceasefire.")
    (tmp_path / "story.txt").write_text(text, encoding="utf-8")
    out, graph = tmp_path / "t.jsonl", tmp_path / GRAPHS[fmt][0]
    result = _run(tmp_path, ["graph", str(tmp_path / "story.txt"), "-o", str(graph),
                             "--format", fmt, "--extra-actors", str(hostile_actors)])
    assert result.exit_code == 0, result.output
    result = _run(tmp_path, ["extract", str(tmp_path / "story.txt"), "-o", str(out),
                             "--extra-actors", str(hostile_actors)])
    assert result.exit_code == 0, result.output
    back = _parses(graph, fmt)
    names = {n: d.get("name") for n, d in back.nodes(data=True)}
    assert set(names) >= {"ZQA", "ZQB", "ZQD"}, names
    for actor_id, got in names.items():
        want = HOSTILE_NAMES.get(actor_id)
        if want is not None:
            assert got == (xml_clean(want) if fmt in ("graphml", "gexf") else want)
    # The results file holds them too, and reads back.
    rows = [DocResult.model_validate_json(line) for line in out.read_text().splitlines()]
    assert rows[0].ok and rows[0].triples
