from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nlp_relations.graph import build_graph

from .factory import graph_state, make_triple


def test_views_dyad_both_directions(story_graph):
    frame = story_graph.dyad("PRK", "NATO")
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 2
    rows = {(r.subject, r.predicate, r.object): r.count for r in frame.itertuples()}
    assert rows == {("NATO", "condemns", "PRK"): 2, ("PRK", "denounces", "NATO"): 1}
    assert {"key", "n_documents", "first_seen", "last_seen", "stance"} <= set(frame.columns)
    assert "evidence" not in frame.columns
    assert story_graph.dyad("NATO", "PRK").equals(frame)


def test_views_dyad_unknown_actor_names_close_match(story_graph):
    with pytest.raises(KeyError, match="'PKR'.*PRK"):
        story_graph.dyad("PKR", "NATO")


def test_views_timeline_daily_fills_gaps(story_graph):
    frame = story_graph.timeline(subject="NATO", object="PRK")
    assert list(frame.columns) == ["date", "count"]
    assert frame["date"].iloc[0] == pd.Timestamp("2024-03-01")
    assert frame["date"].iloc[-1] == pd.Timestamp("2024-03-15")
    assert len(frame) == 15
    assert frame["count"].sum() == 2


def _by_month(frame: pd.DataFrame) -> dict[str, int]:
    return dict(zip(frame["date"].dt.strftime("%Y-%m"), frame["count"], strict=True))


def test_views_timeline_monthly_counts_events_and_edges(story_graph):
    frame = story_graph.timeline(freq="M")
    counts = _by_month(frame)
    # March: two condemns; April: denounces, exports_to, negated condemns, sanctions; May: the event
    assert counts == {"2024-03": 2, "2024-04": 4, "2024-05": 1}
    prk = story_graph.timeline(subject="PRK", freq="M")
    assert _by_month(prk) == {"2024-04": 2, "2024-05": 1}
    threats = story_graph.timeline(predicate="threatens")
    assert threats["count"].tolist() == [1]


def test_views_timeline_empty_and_bad_input(story_graph):
    empty = story_graph.timeline(subject="RUS", object="NATO")
    assert empty.empty and list(empty.columns) == ["date", "count"]
    with pytest.raises(ValueError, match="'W'"):
        story_graph.timeline(freq="W")
    with pytest.raises(ValueError, match="'condem'"):
        story_graph.timeline(predicate="condem")
    with pytest.raises(KeyError, match="'PKR'"):
        story_graph.timeline(subject="PKR")


def test_views_stance_matrix_net_scores(story_graph):
    matrix = story_graph.stance_matrix()
    assert list(matrix.index) == list(matrix.columns) == ["NATO", "PRK", "RUS", "USA"]
    assert matrix.loc["NATO", "PRK"] == -2
    assert matrix.loc["PRK", "NATO"] == -1
    assert matrix.loc["PRK", "RUS"] == 1  # exports_to is positive in the lexicon
    assert matrix.loc["USA", "PRK"] == -1  # future modality still counts
    assert matrix.loc["RUS", "PRK"] == 0  # "did not condemn" carries no stance
    assert story_graph.stance_matrix(include_negated=True).loc["RUS", "PRK"] == -1


def test_views_stance_matrix_selected_actors(story_graph):
    matrix = story_graph.stance_matrix(["PRK", "NATO", "CHN"])
    assert list(matrix.index) == ["PRK", "NATO", "CHN"]
    assert matrix.loc["PRK", "NATO"] == -1
    assert matrix.loc["CHN"].tolist() == [0, 0, 0]


def test_views_filter_predicates_recounts(story_graph):
    only = story_graph.filter(predicates=["condemns"])
    assert {d["predicate"] for _, _, d in only.edges(data=True)} == {"condemns"}
    assert set(only) == {"NATO", "PRK", "RUS"}
    assert only.nodes["PRK"]["mentions"] == 3
    assert only.nodes["PRK"]["events"] == []
    assert only.nodes["PRK"]["aliases"] == ["North Korea", "PRK", "Pyongyang"]


def test_views_filter_dates(story_graph):
    march = story_graph.filter(start="2024-03-10", end=dt.date(2024, 3, 31))
    edge = march.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]
    assert (edge["count"], edge["first_seen"], edge["documents"]) == (1, "2024-03-15", ["doc2"])
    assert march.number_of_edges() == 1
    whole_april = story_graph.filter(start="2024-04", end="2024-04")
    assert whole_april.number_of_edges() == 4


def test_views_filter_confidence_sources_negation_modality(story_graph):
    confident = story_graph.filter(min_confidence=0.85)
    assert [k for *_, k in confident.edges(keys=True)] == ["NATO|condemns|PRK|asserted"]
    assert confident.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]["confidence_mean"] == 0.9
    kcna = story_graph.filter(sources="KCNA")
    assert [k for *_, k in kcna.edges(keys=True)] == ["PRK|denounces|NATO|asserted"]
    assert kcna.nodes["PRK"]["events"][0]["predicate"] == "threatens"
    affirmed = story_graph.filter(include_negated=False)
    assert not any(d["negated"] for *_, d in affirmed.edges(data=True))
    assert affirmed.number_of_edges() == 4
    future = story_graph.filter(modalities=["future"])
    assert [k for *_, k in future.edges(keys=True)] == ["USA|sanctions|PRK|future"]


def test_views_filter_nothing_is_identity_and_leaves_input(story_graph):
    before = graph_state(story_graph)
    assert graph_state(story_graph.filter()) == before
    story_graph.filter(predicates="praises")
    assert graph_state(story_graph) == before


def test_views_filter_rejects_unknown_values(story_graph):
    with pytest.raises(ValueError, match="'condem'"):
        story_graph.filter(predicates=["condem"])
    with pytest.raises(ValueError, match="'maybe'"):
        story_graph.filter(modalities=["maybe"])


def test_views_edges_frame_one_row_per_edge(story_graph):
    frame = story_graph.edges_frame()
    assert len(frame) == story_graph.number_of_edges()
    assert frame["key"].is_unique
    assert frame.set_index("key").loc["NATO|condemns|PRK|asserted", "count"] == 2
    assert build_graph([]).edges_frame().empty


def test_views_nodes_frame(story_graph):
    frame = story_graph.nodes_frame()
    assert list(frame.index) == ["NATO", "PRK", "RUS", "USA"]
    prk = frame.loc["PRK"]
    assert (prk["name"], prk["mentions"], prk["out_count"], prk["in_count"], prk["n_events"]) == (
        "North Korea",
        7,
        2,
        4,
        1,
    )


def test_views_repr_html_lists_actors_and_top_edges(story_graph):
    html = story_graph._repr_html_()
    assert html.startswith("<div>") and "<table>" in html
    for node in story_graph:
        assert f"<td>{node}</td>" in html
    assert "NOT condemns" in html and "sanctions (future)" in html
    assert "4 actors, 5 edges, 6 assertions" in html


def test_views_repr_html_escapes_text():
    g = build_graph(make_triple("NATO", "condemns", "PRK"))
    g.nodes["PRK"]["name"] = "<script>"
    assert "<script>" not in g._repr_html_()
