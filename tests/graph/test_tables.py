from __future__ import annotations

import csv

import pandas as pd
import pytest

from nlp_relations.graph import RelationGraph, read_csv, write_csv

from .factory import graph_state


def test_tables_round_trip_is_exact(rich_graph, tmp_path):
    folder = write_csv(rich_graph, tmp_path / "out")
    back = read_csv(folder)
    assert isinstance(back, RelationGraph)
    assert graph_state(back) == graph_state(rich_graph)


def test_tables_neo4j_headers(rich_graph, tmp_path):
    folder = write_csv(rich_graph, tmp_path)
    with open(folder / "nodes.csv", encoding="utf-8", newline="") as f:
        node_header = next(csv.reader(f))
    with open(folder / "edges.csv", encoding="utf-8", newline="") as f:
        edge_header = next(csv.reader(f))
    assert node_header[0] == ":ID" and node_header[-1] == ":LABEL"
    assert {"name", "kind", "country", "aliases", "mentions:int", "events"} <= set(node_header)
    assert edge_header[:4] == [":START_ID", ":END_ID", ":TYPE", "key"]
    assert {"negated:boolean", "count:int", "confidence_mean:double", "evidence"} <= set(
        edge_header
    )


def test_tables_read_by_pandas(rich_graph, tmp_path):
    folder = write_csv(rich_graph, tmp_path)
    nodes = pd.read_csv(folder / "nodes.csv")
    edges = pd.read_csv(folder / "edges.csv")
    assert len(nodes) == rich_graph.number_of_nodes()
    assert len(edges) == rich_graph.number_of_edges()
    assert edges["key"].is_unique
    nato = edges.set_index("key").loc["NATO|condemns|PRK|asserted"]
    assert (nato[":TYPE"], nato["count:int"], bool(nato["negated:boolean"])) == (
        "CONDEMNS",
        2,
        False,
    )
    assert nodes.set_index(":ID").loc["PRK", ":LABEL"] == "Actor;State"


def test_tables_missing_folder_names_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="^E026: No nodes.csv"):
        read_csv(tmp_path / "nowhere")


def test_tables_round_trip_with_fields_over_the_csv_limit(tmp_path):
    # One edge asserted in 2,000 sentences: its evidence cell is far over the csv module's
    # default 128 KiB field limit, which read_csv must lift (and put back) to read it.
    from nlp_relations.graph import build_graph

    from .factory import make_triple

    triples = [make_triple("NATO", "condemns", "PRK", doc_id=f"doc{i}", start_char=i,
                           sentence=f"NATO condemned North Korea, statement {i}. " * 3)
               for i in range(2000)]
    g = build_graph(triples)
    folder = write_csv(g, tmp_path / "big")
    limit = csv.field_size_limit()
    assert (folder / "edges.csv").stat().st_size > 4 * limit
    back = read_csv(folder)
    assert graph_state(back) == graph_state(g)
    assert back.edges["NATO", "PRK", "NATO|condemns|PRK|asserted"]["count"] == 2000
    assert csv.field_size_limit() == limit
