"""Hostile actor names, mention texts, sentences and ids through every export format: the file
parses, and reading it back gives the graph that was written (for GraphML and GEXF, less the
characters XML 1.0 cannot hold, which the writers remove; for CSV cells, with U+FFFD for each
lone surrogate, which UTF-8 cannot hold and CSV cannot escape)."""

from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp_relations import graph as g
from nlp_relations.graph._encoding import xml_clean
from nlp_relations.schemas import Actor, DocResult, Evidence, Mention, Triple

from ..graph.factory import graph_state
from .conftest import TALLY, fuzz_settings
from .strategies import ODD_CHARS

FORMATS = {
    "graphml": (g.write_graphml, g.read_graphml, "g.graphml"),
    "gexf": (g.write_gexf, g.read_gexf, "g.gexf"),
    "json": (g.write_json, g.read_json, "g.json"),
    "csv": (g.write_csv, g.read_csv, "graph_csv"),
}
IDS = ["PRK", "RUS", "NATO", "USA", "RUS-LAVROV"]

# Names as a user's extra-actors file may write them: quotes, markup, newlines, odd characters.
NAME_PARTS = st.one_of(
    st.sampled_from(ODD_CHARS),
    st.sampled_from(['"', "'", "<", ">", "&", "]]>", "\n", "\r\n", ";", ",", "\\", "{", "}",
                     "&amp;", "<!--", "Acme", "  ", "\u0645\u0635\u0631", "\U0001f600"]),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=8),
)
NAMES = st.lists(NAME_PARTS, min_size=1, max_size=6).map("".join)
# Lone surrogates are valid in a Python str (and in JSON escapes such as "\\ud800", as an
# extra-actors file may hold) but cannot be encoded to UTF-8: JSON files escape them, CSV
# cells hold U+FFFD instead.
SURROGATES = re.compile("[\ud800-\udfff]")


def _mention(actor_id: str, name: str, text: str) -> Mention:
    return Mention(actor=Actor(id=actor_id, name=name, kind="group"), text=text, start_char=0,
                   end_char=max(1, len(text)))


@st.composite
def hostile_results(draw) -> list[DocResult]:
    # Any name: of XML-illegal characters only, with carriage returns, with lone surrogates.
    names = {i: draw(NAMES) for i in IDS}
    results = []
    seen_ids: set[str] = set()
    for n in range(draw(st.integers(1, 3))):
        # Ids that are one id once XML-illegal characters are removed would merge in the
        # expected state the check computes (its keys are cleaned too), not in the files.
        doc_id = draw(NAMES.filter(lambda t: xml_clean(t) not in seen_ids))
        seen_ids.add(xml_clean(doc_id))
        triples = []
        for _ in range(draw(st.integers(1, 3))):
            s, o = draw(st.lists(st.sampled_from(IDS), min_size=2, max_size=2, unique=True))
            sentence = draw(NAMES)
            triples.append(Triple(
                subject=_mention(s, names[s], draw(NAMES)), predicate="condemns",
                object=_mention(o, names[o], draw(NAMES)), category="ACCUSE", cameo="111",
                stance="negative", confidence=0.8,
                evidence=Evidence(doc_id=doc_id, sentence=sentence, start_char=0,
                                  end_char=len(sentence), trigger=draw(NAMES),
                                  doc_date="2024-07-13")))
        results.append(DocResult(doc_id=doc_id, ok=True, triples=triples, doc_date="2024-07-13",
                                 text_sha1=f"{n:040x}"))
    return results


def _check_round_trip(built, fmt: str, folder: Path) -> None:
    write, read, name = FORMATS[fmt]
    path = folder / name
    write(built, path)
    if fmt in ("graphml", "gexf"):
        ET.parse(path)  # well-formed XML
        (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)  # and networkx reads it
    elif fmt == "json":
        json.loads(path.read_text(encoding="utf-8"))
    else:  # CSV: the files are UTF-8, and graph.json is JSON
        for table in path.iterdir():
            table.read_bytes().decode("utf-8")
        json.loads((path / "graph.json").read_text(encoding="utf-8"))
    back = read(path)
    state = graph_state(built)
    if fmt == "csv":
        state = {"graph": state["graph"], "nodes": _replace_surrogates(state["nodes"]),
                 "edges": {k: _replace_surrogates(v) for k, v in state["edges"].items()}}
    if fmt in ("graphml", "gexf"):
        # Cleaned before the surrogate halves are joined, as the writers clean: a pair of
        # halves is removed, not read as one character.
        state = {**xml_clean({k: v for k, v in state.items() if k != "edges"}),
                 "edges": {tuple(xml_clean(list(k))): xml_clean(v)
                           for k, v in state["edges"].items()}}
    want = _plain(state)
    got = _plain(graph_state(back))
    if fmt == "gexf":  # GEXF keeps no graph attributes (write_gexf's documented choice)
        del want["graph"], got["graph"]
    assert got == want


def _replace_surrogates(value):
    """``value`` as a CSV cell holds it: every lone surrogate is U+FFFD."""
    if isinstance(value, str):
        return SURROGATES.sub("\ufffd", value)
    if isinstance(value, (list, tuple)):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def _plain(state: dict) -> dict:
    """Graph state as JSON data (edge keys joined into strings), comparable after xml_clean."""
    edges = {"|".join(map(str, k)): v for k, v in state["edges"].items()}
    return json.loads(json.dumps({"graph": state["graph"], "nodes": state["nodes"],
                                  "edges": edges}, sort_keys=True, default=str))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_fuzz_exporters_hostile_names_round_trip(fmt):
    # The XML writers drop lone surrogates with the other XML-illegal characters; JSON escapes
    # them and CSV cells replace them (see _check_round_trip).
    @fuzz_settings(scale=1.5)
    @given(results=hostile_results())
    def run(results):
        TALLY["export_graphs"] += 1
        built = g.build_graph(results)
        with tempfile.TemporaryDirectory() as tmp:
            _check_round_trip(built, fmt, Path(tmp))

    run()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_fuzz_exporters_lone_surrogate_in_an_actor_name(fmt, tmp_path):
    # An actor name read from an extra-actors file holding a JSON escape such as \ud800
    # (texts are cleaned before parsing, so only registry strings can carry one).
    _check_round_trip(_graph_naming_prk("North \ud800Korea"), fmt, tmp_path)


@pytest.mark.parametrize("fmt,expected", [
    ("json", "North \ud800Korea"),  # a JSON escape, read back as itself
    ("csv", "North \ufffdKorea"),  # a CSV cell has no escape: U+FFFD
    ("graphml", "North Korea"),  # XML cannot hold it at all: removed
    ("gexf", "North Korea"),
])
def test_fuzz_exporters_lone_surrogate_is_escaped_replaced_or_removed(fmt, expected, tmp_path):
    write, read, name = FORMATS[fmt]
    write(_graph_naming_prk("North \ud800Korea"), tmp_path / name)
    assert read(tmp_path / name).nodes["PRK"]["name"] == expected


def test_fuzz_exporters_graphml_name_of_illegal_characters_only(tmp_path):
    _check_round_trip(_graph_naming_prk("\x00"), "graphml", tmp_path)


def test_fuzz_exporters_graphml_carriage_return_in_a_name(tmp_path):
    _check_round_trip(_graph_naming_prk("North\rKorea"), "graphml", tmp_path)


def _graph_naming_prk(name: str):
    """One document, PRK condemns RUS, with PRK's actor named ``name``."""
    triple = Triple(
        subject=_mention("PRK", name, "North Korea"), predicate="condemns",
        object=_mention("RUS", "Russia", "Russia"), category="ACCUSE", cameo="111",
        stance="negative", confidence=0.8,
        evidence=Evidence(doc_id="d", sentence="North Korea condemned Russia.", start_char=0,
                          end_char=29, trigger="condemned", doc_date="2024-07-13"))
    return g.build_graph([DocResult(doc_id="d", ok=True, triples=[triple])])
