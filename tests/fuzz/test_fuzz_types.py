"""Wrong types to every argument of every public function: the call works (the value happens
to be acceptable) or raises one of the library's coded errors, never a bare built-in one."""

from __future__ import annotations

import re
import signal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nlp_relations
from nlp_relations import DocResult, NlpRelationsError
from nlp_relations import graph as g
from nlp_relations.graph.neo4j import write_neo4j

from .conftest import TALLY, fuzz_settings
from .strategies import GOOD, WRONG

CODED = re.compile(r"^E\d{3}: ")
NOT_BOOL = WRONG.filter(lambda v: not isinstance(v, bool))  # True/False would build pipelines


def _doc(nlp):
    return nlp("NATO condemned North Korea.")


# (function, argument): a call with the wrong value in that place and good values elsewhere.
CALLS = {
    ("load", "extra_actors"): lambda nlp, v: nlp_relations.load(extra_actors=v),
    ("load", "base"): lambda nlp, v: nlp_relations.load(base=v),
    ("load", "cache"): lambda nlp, v: nlp_relations.load(cache=v),
    ("load", "model"): lambda nlp, v: nlp_relations.load(model=v),
    ("load", "model_only"): lambda nlp, v: nlp_relations.load(model_only=v),
    ("extract", "text"): lambda nlp, v: nlp_relations.extract(v, nlp=nlp),
    ("extract", "doc_id"): lambda nlp, v: nlp_relations.extract(GOOD, v, nlp=nlp),
    ("extract", "doc_date"): lambda nlp, v: nlp_relations.extract(GOOD, doc_date=v, nlp=nlp),
    ("extract", "nlp"): lambda nlp, v: nlp_relations.extract(GOOD, nlp=v),
    ("extract_doc", "text"): lambda nlp, v: nlp_relations.extract_doc(v, nlp=nlp),
    ("extract_doc", "doc_id"): lambda nlp, v: nlp_relations.extract_doc(GOOD, v, nlp=nlp),
    ("extract_doc", "doc_date"): lambda nlp, v: nlp_relations.extract_doc(GOOD, doc_date=v,
                                                                          nlp=nlp),
    ("extract_doc", "nlp"): lambda nlp, v: nlp_relations.extract_doc(GOOD, nlp=v),
    ("extract_doc", "max_chars"): lambda nlp, v: nlp_relations.extract_doc(GOOD, nlp=nlp,
                                                                           max_chars=v),
    ("extract_many", "texts"): lambda nlp, v: list(nlp_relations.extract_many(v, nlp=nlp)),
    ("extract_many", "nlp"): lambda nlp, v: list(nlp_relations.extract_many([GOOD], nlp=v)),
    ("extract_many", "n_process"): lambda nlp, v: list(nlp_relations.extract_many(
        [GOOD], nlp=nlp, n_process=v)),
    ("extract_many", "batch_size"): lambda nlp, v: list(nlp_relations.extract_many(
        [GOOD], nlp=nlp, batch_size=v)),
    ("extract_many", "max_chars"): lambda nlp, v: list(nlp_relations.extract_many(
        [GOOD], nlp=nlp, max_chars=v)),
    ("extract_many", "time_budget"): lambda nlp, v: list(nlp_relations.extract_many(
        [GOOD], nlp=nlp, time_budget=v)),
    ("resolve_actor", "text"): lambda nlp, v: nlp_relations.resolve_actor(v),
    ("resolve_actor", "nlp"): lambda nlp, v: nlp_relations.resolve_actor("Russia", nlp=v),
    ("resolve_actor", "registry"): lambda nlp, v: nlp_relations.resolve_actor("Russia",
                                                                              registry=v),
    ("doc_to_result", "doc"): lambda nlp, v: nlp_relations.doc_to_result(v),
    ("doc_to_result", "doc_id"): lambda nlp, v: nlp_relations.doc_to_result(_doc(nlp), v),
    ("doc_to_result", "registry"): lambda nlp, v: nlp_relations.doc_to_result(_doc(nlp),
                                                                              registry=v),
    ("doc_to_result", "notes"): lambda nlp, v: nlp_relations.doc_to_result(_doc(nlp), notes=v),
}


def _check_outcome(value) -> None:
    if isinstance(value, list):  # extract_many's records, or extract's triples
        for item in value:
            if isinstance(item, DocResult) and item.error:
                assert CODED.match(item.error), item.error


@pytest.mark.parametrize("function,argument", sorted(CALLS))
def test_fuzz_types_public_functions_raise_coded_errors(nlp, function, argument):
    call = CALLS[(function, argument)]
    values = NOT_BOOL if function == "load" and argument in ("cache", "model", "model_only") \
        else WRONG

    @fuzz_settings(scale=0.5)
    @given(value=values)
    def run(value):
        TALLY["wrong_type_calls"] += 1
        try:
            outcome = call(nlp, value)
        except NlpRelationsError as err:
            assert CODED.match(str(err)), f"{function}({argument}={value!r}): {err}"
            return
        finally:
            # The time budget's timer is gone whatever the value (a huge float once left its
            # handler installed, which silently disabled every later budget).
            assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
        _check_outcome(outcome)

    run()


GRAPH_CALLS = {
    "build_graph": lambda v, tmp: g.build_graph(v),
    "build_graph(graph=)": lambda v, tmp: g.build_graph([], graph=v),
    "merge": lambda v, tmp: g.merge(v, g.RelationGraph()),
    "merge(b=)": lambda v, tmp: g.merge(g.RelationGraph(), v),
    "filter_graph": lambda v, tmp: g.filter_graph(v),
    "filter_graph(predicates=)": lambda v, tmp: g.filter_graph(g.RelationGraph(), predicates=v),
    "filter_graph(start=)": lambda v, tmp: g.filter_graph(g.RelationGraph(), start=v),
    "filter_graph(min_confidence=)": lambda v, tmp: g.filter_graph(g.RelationGraph(),
                                                                   min_confidence=v),
    "filter_graph(modalities=)": lambda v, tmp: g.filter_graph(g.RelationGraph(), modalities=v),
    "dyad": lambda v, tmp: g.dyad(v, "PRK", "NATO"),
    "dyad(a=)": lambda v, tmp: g.dyad(g.RelationGraph(), v, "NATO"),
    "timeline": lambda v, tmp: g.timeline(v),
    "timeline(freq=)": lambda v, tmp: g.timeline(g.RelationGraph(), freq=v),
    "stance_matrix": lambda v, tmp: g.stance_matrix(v),
    "edges_frame": lambda v, tmp: g.edges_frame(v),
    "nodes_frame": lambda v, tmp: g.nodes_frame(v),
    "write_graphml": lambda v, tmp: g.write_graphml(v, tmp / "g.graphml"),
    "write_graphml(path=)": lambda v, tmp: g.write_graphml(g.RelationGraph(), v),
    "write_gexf": lambda v, tmp: g.write_gexf(v, tmp / "g.gexf"),
    "write_gexf(path=)": lambda v, tmp: g.write_gexf(g.RelationGraph(), v),
    "write_json": lambda v, tmp: g.write_json(v, tmp / "g.json"),
    "write_json(path=)": lambda v, tmp: g.write_json(g.RelationGraph(), v),
    "write_csv": lambda v, tmp: g.write_csv(v, tmp / "csv"),
    "write_csv(folder=)": lambda v, tmp: g.write_csv(g.RelationGraph(), v),
    "write_neo4j": lambda v, tmp: write_neo4j(v, tmp / "neo4j"),
    "write_neo4j(folder=)": lambda v, tmp: write_neo4j(g.RelationGraph(), v),
    "read_graphml": lambda v, tmp: g.read_graphml(v),
    "read_gexf": lambda v, tmp: g.read_gexf(v),
    "read_json": lambda v, tmp: g.read_json(v),
    "read_csv": lambda v, tmp: g.read_csv(v),
}
# Values that are acceptable in a place (the call works): everything else must raise.
GRAPH_ACCEPTS = {"build_graph(graph=)": (None,), "filter_graph(predicates=)": (None,),
                 "filter_graph(start=)": (None,), "filter_graph(min_confidence=)": (None, 42, 5),
                 "filter_graph(modalities=)": (None,)}


@pytest.mark.parametrize("name", sorted(GRAPH_CALLS))
def test_fuzz_types_graph_functions_raise_coded_errors(name, tmp_path, monkeypatch):
    call = GRAPH_CALLS[name]
    # A path that names nothing is as wrong as a value of the wrong type; the int would be a
    # file descriptor to open() (read_json(5) once read this process's descriptor 5).
    monkeypatch.chdir(tmp_path)
    for value in (None, 42, 5, "not a graph", [object()], b"\xff", object()):
        if value in GRAPH_ACCEPTS.get(name, ()) and not isinstance(value, bytes):
            call(value, tmp_path)
            continue
        if name.endswith("(path=)") or name.endswith("(folder=)"):
            if value == "not a graph":  # a fine file name for a writer
                continue
        with pytest.raises(NlpRelationsError) as caught:
            call(value, tmp_path)
        assert CODED.match(str(caught.value)), f"{name}({value!r}): {caught.value}"
