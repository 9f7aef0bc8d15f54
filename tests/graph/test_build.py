from __future__ import annotations


import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp_relations.errors import ArgumentError
from nlp_relations.graph import RelationGraph, build_graph, edge_key, merge
from nlp_relations.schemas import Mention

from .factory import ACTORS, graph_state, make_doc, make_triple

NATO_PRK = ("NATO", "PRK", "NATO|condemns|PRK|asserted")


def test_build_counts_assertions_and_documents(story_graph):
    edge = story_graph.edges[NATO_PRK]
    assert edge["count"] == 2
    assert edge["n_documents"] == 2
    assert edge["documents"] == ["doc1", "doc2"]
    assert edge["first_seen"] == "2024-03-01"
    assert edge["last_seen"] == "2024-03-15"
    assert edge["confidence_mean"] == pytest.approx(0.8)
    assert edge["confidence_max"] == 0.9
    assert edge["confidence_sum"] == pytest.approx(1.6)
    assert edge["sources"] == ["YNA"]
    assert edge["n_sources"] == 1
    assert edge["methods"] == ["model", "rule"]
    assert (edge["predicate"], edge["category"], edge["cameo"], edge["stance"]) == (
        "condemns",
        "ACCUSE",
        "111",
        "negative",
    )


def test_build_evidence_records(story_graph):
    records = story_graph.edges[NATO_PRK]["evidence"]
    assert [r["doc_id"] for r in records] == ["doc1", "doc2"]
    first = records[0]
    assert first["sentence"] == "NATO condemned Pyongyang's missile launch."
    assert first["trigger"] == "condemned"
    assert first["source"] == "YNA"
    assert first["speaker"] is None
    assert first["method"] == "rule"
    assert first["confidence"] == 0.9
    assert first["doc_date"] == "2024-03-01"
    assert (first["start_char"], first["end_char"]) == (0, len(first["sentence"]))
    denounce = story_graph.edges["PRK", "NATO", "PRK|denounces|NATO|asserted"]["evidence"][0]
    assert denounce["speaker"] == "KCNA"


def test_build_edge_keys_unique_and_readable(story_graph):
    keys = [k for _, _, k in story_graph.edges(keys=True)]
    assert len(keys) == len(set(keys)) == 5
    assert set(keys) == {
        "NATO|condemns|PRK|asserted",
        "PRK|denounces|NATO|asserted",
        "PRK|exports_to|RUS|asserted",
        "RUS|condemns|PRK|asserted|neg",
        "USA|sanctions|PRK|future",
    }
    assert (
        edge_key("PRK", "denounces", "NATO", True, "asserted") == "PRK|denounces|NATO|asserted|neg"
    )


def test_build_negated_and_modality_kept_apart(story_triples):
    extra = [
        make_triple("RUS", "condemns", "PRK", doc_id="doc8", confidence=0.5),
        make_triple("USA", "sanctions", "PRK", doc_id="doc8", start_char=50),
        make_triple(
            "USA", "sanctions", "PRK", doc_id="doc8", start_char=90, modality="hypothetical"
        ),
    ]
    g = build_graph([*story_triples, *extra])
    rus = g.get_edge_data("RUS", "PRK")
    assert set(rus) == {"RUS|condemns|PRK|asserted", "RUS|condemns|PRK|asserted|neg"}
    assert rus["RUS|condemns|PRK|asserted|neg"]["negated"] is True
    assert rus["RUS|condemns|PRK|asserted"]["negated"] is False
    usa = g.get_edge_data("USA", "PRK")
    assert {d["modality"] for d in usa.values()} == {"asserted", "future", "hypothetical"}
    assert all(d["count"] == 1 for d in usa.values())


def test_build_objectless_triple_is_node_event(story_graph):
    assert not any(d["predicate"] == "threatens" for _, _, d in story_graph.edges(data=True))
    events = story_graph.nodes["PRK"]["events"]
    assert len(events) == 1
    event = events[0]
    assert (event["predicate"], event["negated"], event["modality"]) == (
        "threatens",
        False,
        "asserted",
    )
    assert event["count"] == 1
    assert event["documents"] == ["doc5"]
    assert event["sources"] == ["KCNA"]
    assert event["first_seen"] == event["last_seen"] == "2024-05-01"
    assert story_graph.nodes["NATO"]["events"] == []


def test_build_node_attributes(story_graph):
    prk = story_graph.nodes["PRK"]
    assert (prk["name"], prk["kind"], prk["country"]) == ("North Korea", "state", "PRK")
    assert prk["aliases"] == ["North Korea", "PRK", "Pyongyang", "the DPRK"]
    # subject/object of 6 assertions (2 condemns, denounces, exports_to, negated condemns,
    # sanctions) plus 1 event
    assert prk["mentions"] == 7
    nato = story_graph.nodes["NATO"]
    assert nato["country"] is None
    assert nato["aliases"] == ["NATO", "the alliance"]
    assert nato["mentions"] == 3
    assert story_graph.nodes["RUS"]["aliases"] == ["RUS", "Sergei Lavrov"]
    # sources and speakers are edge attributes, not nodes
    assert "KCNA" not in story_graph and "YNA" not in story_graph


def test_build_same_triple_twice_counts_once(story_triples):
    g = build_graph([*story_triples, *story_triples])
    assert graph_state(g) == graph_state(build_graph(story_triples))
    assert g.edges[NATO_PRK]["count"] == 2


def test_build_duplicate_evidence_keeps_smallest_record_in_any_order():
    low = make_triple("NATO", "condemns", "PRK", confidence=0.4)
    high = make_triple("NATO", "condemns", "PRK", confidence=0.9)
    a, b = build_graph([low, high]), build_graph([high, low])
    assert graph_state(a) == graph_state(b)
    assert a.edges[NATO_PRK]["count"] == 1
    assert a.edges[NATO_PRK]["confidence_max"] == 0.4


def test_build_repeated_doc_result_counts_once(doc_results):
    doc6, doc6_again, _ = doc_results
    g = build_graph([doc6, doc6_again])
    assert g.edges["USA", "RUS", "USA|praises|RUS|asserted"]["count"] == 1
    assert g.graph["documents"] == {"doc6": {"text_sha1": "sha-aaa", "doc_date": "2024-06-01"}}
    assert g.graph["duplicates"] == {}


def test_build_same_text_sha1_counts_once_in_any_order(doc_results):
    doc6, doc6_again, doc7 = doc_results
    forward = build_graph([doc6, doc6_again, doc7])
    backward = build_graph([doc7, doc6])
    assert graph_state(forward) == graph_state(backward)
    edge = forward.edges["USA", "RUS", "USA|praises|RUS|asserted"]
    assert edge["count"] == 1
    assert edge["documents"] == ["doc6"]  # the smallest doc id keeps the text
    assert set(forward.graph["documents"]) == {"doc6"}
    assert set(forward.graph["duplicates"]) == {"doc7"}


def test_build_doc_date_fills_missing_evidence_date(doc_results):
    g = build_graph(doc_results[0])
    edge = g.edges["USA", "RUS", "USA|praises|RUS|asserted"]
    assert edge["evidence"][0]["doc_date"] == "2024-06-01"
    assert edge["first_seen"] == "2024-06-01"


def test_build_accepts_single_items_mixed_iterables_and_generators(story_triples, doc_results):
    single = build_graph(story_triples[0])
    assert single.number_of_edges() == 1
    consumed = []

    def stream():
        for item in [*story_triples, doc_results[0]]:
            consumed.append(item)
            yield item

    g = build_graph(stream())
    assert len(consumed) == len(story_triples) + 1
    assert g.has_edge("USA", "RUS") and g.has_edge("NATO", "PRK")


def test_build_extends_given_graph(story_triples):
    g = build_graph(story_triples[:2])
    same = build_graph(story_triples[2:], graph=g)
    assert same is g
    assert graph_state(g) == graph_state(build_graph(story_triples))


def test_build_node_conflict_keeps_smallest_name():
    renamed = ACTORS["PRK"].model_copy(update={"name": "DPRK"})
    t1 = make_triple("NATO", "condemns", "PRK")
    t2 = make_triple("NATO", "condemns", "PRK", doc_id="doc2").model_copy(
        update={"object": Mention(actor=renamed, text="DPRK", start_char=0, end_char=4)}
    )
    assert build_graph([t1, t2]).nodes["PRK"]["name"] == "DPRK"
    assert build_graph([t2, t1]).nodes["PRK"]["name"] == "DPRK"


def test_build_rejects_unknown_items():
    with pytest.raises(TypeError, match="int"):
        build_graph([1])
    with pytest.raises(TypeError, match="str"):
        build_graph("NATO condemns PRK")


def test_build_rejects_doc_result_with_foreign_evidence():
    doc = make_doc("doc9", [("USA", "praises", "RUS")])
    doc.triples[0] = make_triple("USA", "praises", "RUS", doc_id="other")
    with pytest.raises(ValueError, match="'other'.*'doc9'"):
        build_graph(doc)


def test_build_relation_graph_is_multidigraph(story_graph):
    assert isinstance(story_graph, nx.MultiDiGraph)
    assert isinstance(story_graph.copy(), RelationGraph)


def test_build_merge_equals_building_everything(story_triples, doc_results):
    items = [*story_triples, *doc_results]
    a = build_graph(items[:4])
    b = build_graph(items[4:])
    before = graph_state(a)
    merged = merge(a, b)
    assert graph_state(merged) == graph_state(build_graph(items))
    assert graph_state(merge(b, a)) == graph_state(merged)
    assert graph_state(a) == before  # inputs untouched


def test_build_merge_same_text_sha1_across_graphs(doc_results):
    doc6, _, doc7 = doc_results
    merged = merge(build_graph(doc7), build_graph(doc6))
    assert graph_state(merged) == graph_state(build_graph([doc6, doc7]))
    assert merged.edges["USA", "RUS", "USA|praises|RUS|asserted"]["documents"] == ["doc6"]


# -- merge properties --------------------------------------------------------------

_IDS = ["NATO", "PRK", "RUS", "USA"]
_PREDICATES = ["condemns", "praises", "threatens", "meets"]

triple_strategy = st.builds(
    make_triple,
    st.sampled_from(_IDS),
    st.sampled_from(_PREDICATES),
    st.one_of(st.none(), st.sampled_from(_IDS)),
    doc_id=st.sampled_from(["d1", "d2", "d3"]),
    doc_date=st.one_of(st.none(), st.sampled_from(["2024-01-05", "2024-02-10", "2024-02-11"])),
    start_char=st.sampled_from([0, 40]),
    confidence=st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
    negated=st.booleans(),
    modality=st.sampled_from(["asserted", "future"]),
    source=st.one_of(st.none(), st.sampled_from(["KCNA", "YNA"])),
    method=st.sampled_from(["rule", "model"]),
    subject_text=st.one_of(st.none(), st.sampled_from(["Pyongyang", "Moscow", "the alliance"])),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(triple_strategy, st.integers(0, 2)), max_size=14))
def test_build_merge_is_associative_and_commutative(parts):
    chunks = [[t for t, i in parts if i == k] for k in range(3)]
    a, b, c = (build_graph(chunk) for chunk in chunks)
    expected = graph_state(build_graph(t for t, _ in parts))
    assert graph_state(merge(merge(a, b), c)) == expected
    assert graph_state(merge(a, merge(b, c))) == expected
    assert graph_state(merge(c, merge(b, a))) == expected
    assert graph_state(merge(merge(c, a), b)) == expected
    assert graph_state(merge(a, a)) == graph_state(a)


# Each doc id stands for one text (so one list of triples); two doc ids share a text.
_TEXTS = {
    "sha-1": [("USA", "praises", "RUS"), ("RUS", "meets", "PRK")],
    "sha-2": [("NATO", "condemns", "PRK")],
}
_DOCS = {"a1": "sha-1", "b1": "sha-1", "c2": "sha-2", "d2": "sha-2", "e0": None}


def _doc(doc_id: str):
    sha = _DOCS[doc_id]
    spec = _TEXTS[sha] if sha else [("PRK", "threatens", None)]
    return make_doc(doc_id, spec, sha=sha)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(_DOCS)), st.integers(0, 2)), max_size=8))
def test_build_merge_doc_results_order_independent(parts):
    docs = [(_doc(d), i) for d, i in parts]
    chunks = [[d for d, i in docs if i == k] for k in range(3)]
    a, b, c = (build_graph(chunk) for chunk in chunks)
    expected = graph_state(build_graph(d for d, _ in docs))
    assert graph_state(build_graph(d for d, _ in reversed(docs))) == expected
    assert graph_state(merge(merge(a, b), c)) == expected
    assert graph_state(merge(c, merge(a, b))) == expected
    assert graph_state(merge(b, merge(c, a))) == expected


class _FakeDoc:
    """Shaped like a spaCy Doc (a text and the ``._`` extension space), without spaCy."""

    _ = object()
    text = "The US praised Russia."


def test_build_rejects_spacy_docs_and_names_doc_to_result():
    # The graph stage never imports spaCy: a Doc is converted by the caller first.
    for items in (_FakeDoc(), [_FakeDoc()]):
        with pytest.raises(ArgumentError, match=r"^E022: .*doc_to_result\(doc\)"):
            build_graph(items)


@pytest.mark.parametrize("items", [None, 42, "NATO condemns PRK", b"x", [object()]])
def test_build_rejects_wrong_items_with_a_coded_error(items):
    with pytest.raises(ArgumentError, match=r"^E053: build_graph\(\) argument 'items'"):
        build_graph(items)


def test_build_checks_items_before_changing_the_graph(story_graph):
    before = graph_state(story_graph)
    with pytest.raises(ArgumentError, match="E053"):
        build_graph(42, graph=story_graph)
    assert graph_state(story_graph) == before


@pytest.mark.parametrize("call", [
    lambda: build_graph([], graph={}),
    lambda: merge(None, RelationGraph()),
    lambda: merge(RelationGraph(), "graph"),
])
def test_build_graph_arguments_are_checked(call):
    with pytest.raises(ArgumentError, match="^E053: "):
        call()


def test_build_graph_modules_import_no_api_and_no_cycle():
    """graph/ depends on schemas (and errors) only; views does not import build."""
    import ast
    from pathlib import Path

    import nlp_relations.graph as graph_pkg

    folder = Path(graph_pkg.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
        names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                  for alias in node.names}
        names = {n.lstrip(".") for n in names}
        inside = {n for n in names if n.startswith("nlp_relations.")
                  and not n.startswith("nlp_relations.graph")}
        assert inside <= {"nlp_relations.schemas", "nlp_relations.errors"}, (path.name, inside)
        assert not any(n.split(".")[0] in ("spacy", "thinc", "torch") for n in names), path.name
        above = {node.module for node in ast.walk(tree)  # from ..x import y: outside graph/
                 if isinstance(node, ast.ImportFrom) and node.level > 1}
        assert above <= {"schemas", "errors"}, (path.name, above)
    # views reads graphs; it imports build's class for type hints only, never its internals.
    views = ast.parse((folder / "views.py").read_text(encoding="utf-8"))
    assert not [node for node in views.body if isinstance(node, ast.ImportFrom)
                and node.module == "nlp_relations.graph.build"]
