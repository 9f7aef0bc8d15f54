"""The graph stage: triples -> a networkx relation graph; merging; readers and writers.

It depends on :mod:`nlp_relations.schemas` (and the errors) only, never on spaCy:
``aggregate`` holds the rules it shares with the DuckDB store, ``build`` the graph, merge
and filter, ``views`` the DataFrames, and one module per file format.

Example:
    >>> from nlp_relations.graph import build_graph, write_graphml
    >>> g = build_graph(doc_results)          # doctest: +SKIP
    >>> g.dyad("PRK", "NATO")                  # doctest: +SKIP
    >>> write_graphml(g, "relations.graphml")  # doctest: +SKIP
"""

from nlp_relations.graph.aggregate import edge_key
from nlp_relations.graph.build import RelationGraph, build_graph, filter_graph, merge
from nlp_relations.graph.events import EVENT_COLUMNS, event_rows, write_events
from nlp_relations.graph.gexf import read_gexf, write_gexf
from nlp_relations.graph.graphml import read_graphml, write_graphml
from nlp_relations.graph.nodelink import read_json, write_json
from nlp_relations.graph.tables import read_csv, write_csv
from nlp_relations.graph.views import (
    dyad,
    edges_frame,
    nodes_frame,
    stance_matrix,
    timeline,
)

__all__ = [
    "RelationGraph",
    "build_graph",
    "merge",
    "edge_key",
    "dyad",
    "timeline",
    "stance_matrix",
    "filter_graph",
    "edges_frame",
    "nodes_frame",
    "write_graphml",
    "read_graphml",
    "write_gexf",
    "read_gexf",
    "write_json",
    "read_json",
    "write_csv",
    "read_csv",
    "EVENT_COLUMNS",
    "event_rows",
    "write_events",
]
