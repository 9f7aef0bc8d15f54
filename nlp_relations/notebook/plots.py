"""matplotlib figures of a relation graph: the network, the stance matrix, a timeline."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pandas as pd

from nlp_relations.notebook.colors import KIND_COLORS, STANCE_COLORS

__all__ = ["draw_graph", "plot_stance_matrix", "plot_timeline"]

_RAD = 0.12  # bend of an edge
_RAD_BOTH = 0.3  # bend when both directions are drawn, so that A->B and B->A part


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:  # pragma: no cover - the notebook extra installs it
        raise ImportError(
            "The plots need matplotlib: pip install 'nlp_relations[notebook]'."
        ) from err
    return plt


def _pairs(g: nx.MultiDiGraph) -> dict[tuple[str, str], list[dict]]:
    pairs: dict[tuple[str, str], list[dict]] = {}
    for u, v, d in g.edges(data=True):
        if u != v:
            pairs.setdefault((str(u), str(v)), []).append(d)
    return pairs


def _edge_label(edges: list[dict]) -> str:
    lines = []
    for d in sorted(edges, key=lambda d: (-d.get("count", 0), str(d.get("predicate")))):
        pred = ("NOT " if d.get("negated") else "") + str(d.get("predicate"))
        count = d.get("count", 1)
        lines.append(pred + (f" ×{count}" if count > 1 else ""))
    return "\n".join(lines)


def draw_graph(g: nx.MultiDiGraph, ax: Any = None, *, seed: int = 3,
               figsize: tuple[float, float] = (9, 6.5)) -> Any:
    """Actors as labelled circles, relations as curved arrows labelled with predicates.

    Parallel edges in one direction are merged into one arrow whose label lists the
    predicates with their counts; the arrow takes the colour of its most frequent stance.

    Returns:
        The matplotlib Axes.
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    ax.set_axis_off()
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "empty graph", ha="center", va="center", transform=ax.transAxes)
        return ax
    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(str(n) for n in g.nodes))
    pairs = _pairs(g)
    simple.add_edges_from(pairs)
    n = simple.number_of_nodes()
    pos = nx.spring_layout(simple.to_undirected(), seed=seed, k=2.0 / math.sqrt(n),
                           iterations=300)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad_x = 0.18 * ((max(xs) - min(xs)) or 1)
    pad_y = 0.15 * ((max(ys) - min(ys)) or 1)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    kinds = {str(node): d.get("kind") for node, d in g.nodes(data=True)}
    sizes = [900 + 60 * len(node) ** 2 for node in simple.nodes]
    nx.draw_networkx_nodes(simple, pos, ax=ax, node_size=sizes, edgecolors="white",
                           node_color=[KIND_COLORS.get(kinds[n], "#888") for n in simple.nodes])
    nx.draw_networkx_labels(simple, pos, ax=ax, font_size=9, font_weight="bold",
                            font_color="white")
    node_size = dict(zip(simple.nodes, sizes))
    to_display = ax.transData.transform
    for (u, v), edges in pairs.items():
        top = max(edges, key=lambda d: d.get("count", 0))
        color = STANCE_COLORS.get(top.get("stance"), "#333")
        width = 1.0 + 0.8 * math.log2(sum(d.get("count", 1) for d in edges))
        rad = _RAD_BOTH if (v, u) in pairs else _RAD
        nx.draw_networkx_edges(
            simple, pos, edgelist=[(u, v)], ax=ax, edge_color=color, width=width,
            arrows=True, arrowstyle="-|>", arrowsize=14, connectionstyle=f"arc3,rad={rad}",
            node_size=[node_size[u], node_size[v]], nodelist=[u, v],
        )
        # The middle of matplotlib's arc3 curve, computed in display space (where the
        # curve is defined) and mapped back to data space for the label. The label box
        # hangs off the outer side of the curve, so the labels of A->B and B->A part.
        (x1, y1), (x2, y2) = to_display(pos[u]), to_display(pos[v])
        bend_x, bend_y = rad * (y2 - y1), -rad * (x2 - x1)
        mx, my = (x1 + x2) / 2 + 0.5 * bend_x, (y1 + y2) / 2 + 0.5 * bend_y
        lx, ly = ax.transData.inverted().transform((mx, my))
        if abs(bend_x) >= abs(bend_y):
            align = {"ha": "left" if bend_x > 0 else "right", "va": "center"}
        else:
            align = {"ha": "center", "va": "bottom" if bend_y > 0 else "top"}
        ax.text(lx, ly, _edge_label(edges), fontsize=8, color=color, linespacing=1.1,
                multialignment="left",
                zorder=5, **align,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": color, "lw": 0.6,
                      "alpha": 0.9})
    return ax


def plot_stance_matrix(matrix: pd.DataFrame, ax: Any = None, *, drop_empty: bool = True,
                       title: str | None = "Net stance of subject (row) towards object (column)"
                       ) -> Any:
    """A heat map of ``graph.stance_matrix()``: red hostile, blue friendly, white neutral.

    Args:
        matrix: the DataFrame from ``RelationGraph.stance_matrix``.
        drop_empty: leave out actors whose row and column are all zero.

    Returns:
        The matplotlib Axes.
    """
    plt = _pyplot()
    if drop_empty and not matrix.empty:
        keep = [a for a in matrix.index
                if (matrix.loc[a] != 0).any() or (matrix[a] != 0).any()]
        matrix = matrix.loc[keep, keep]
    size = max(3.0, 0.27 * len(matrix) + 2.0)
    if ax is None:
        _, ax = plt.subplots(figsize=(size + 1.2, size))
    if matrix.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no stance-bearing relations", ha="center", va="center",
                transform=ax.transAxes)
        return ax
    limit = max(1, int(matrix.abs().to_numpy().max()))
    image = ax.imshow(matrix.to_numpy(), cmap="RdBu", vmin=-limit, vmax=limit)
    ax.set_xticks(range(len(matrix.columns)), matrix.columns, rotation=90, fontsize=8)
    ax.set_yticks(range(len(matrix.index)), matrix.index, fontsize=8)
    ax.set_xlabel("object")
    ax.set_ylabel("subject")
    ax.set_xticks([x - 0.5 for x in range(1, len(matrix.columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(matrix.index))], minor=True)
    ax.grid(which="minor", color="#eee", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    for (i, j), value in pd.DataFrame(matrix.to_numpy()).stack().items():
        if value:
            ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                    color="white" if abs(value) > limit * 0.6 else "black")
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.7)
    colorbar.set_label("positive minus negative assertions", fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_timeline(frame: pd.DataFrame, ax: Any = None, *, title: str | None = None) -> Any:
    """Grouped bars, one colour per column, one group per period (a ``dyad_timeline``)."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(max(5.0, 0.5 * len(frame) + 3), 3.2))
    if frame.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no dated assertions", ha="center", va="center",
                transform=ax.transAxes)
        return ax
    n = len(frame.columns)
    width = 0.8 / n
    for k, column in enumerate(frame.columns):
        offsets = [i - 0.4 + width * (k + 0.5) for i in range(len(frame))]
        ax.bar(offsets, frame[column], width=width, label=column)
    monthly = all(d.day == 1 for d in frame.index)
    labels = [d.strftime("%Y-%m" if monthly else "%Y-%m-%d") for d in frame.index]
    step = max(1, len(labels) // 12)
    slanted = {"rotation": 45, "ha": "right"} if len(labels[::step]) > 6 else {}
    ax.set_xticks(range(0, len(labels), step), labels[::step], fontsize=8, **slanted)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("assertions")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return ax
