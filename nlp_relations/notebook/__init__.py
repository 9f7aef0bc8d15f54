"""Display helpers for notebooks: tables, highlighted actors, relation arcs, graph views.

Everything here returns plain data (DataFrames), HTML strings wrapped in an object with
``_repr_html_``, or matplotlib axes, so a cell shows it and a headless run (nbclient,
nbconvert) keeps a static copy. Nothing is fetched from the network at display time.

Example:
    >>> from nlp_relations import notebook as nb
    >>> nb.triples_frame(results)            # doctest: +SKIP
    >>> nb.render_actors(doc)                # doctest: +SKIP
    >>> nb.relation_arcs(results)            # doctest: +SKIP
    >>> nb.network_view(graph)               # doctest: +SKIP
"""

from nlp_relations.notebook.arcs import relation_arcs, sentence_svg
from nlp_relations.notebook.colors import actor_color, actor_colors
from nlp_relations.notebook.frames import (
    TRIPLE_COLUMNS,
    dyad_timeline,
    style_triples,
    triples_frame,
)
from nlp_relations.notebook.html import HTMLView
from nlp_relations.notebook.network import network_view
from nlp_relations.notebook.plots import draw_graph, plot_stance_matrix, plot_timeline
from nlp_relations.notebook.spans import render_actors

__all__ = [
    "HTMLView",
    "TRIPLE_COLUMNS",
    "actor_color",
    "actor_colors",
    "draw_graph",
    "dyad_timeline",
    "network_view",
    "plot_stance_matrix",
    "plot_timeline",
    "relation_arcs",
    "render_actors",
    "sentence_svg",
    "style_triples",
    "triples_frame",
]
