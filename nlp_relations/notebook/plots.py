"""matplotlib figures of a relation graph: the network, the stance matrix, a timeline."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pandas as pd

from nlp_relations.notebook.colors import KIND_COLORS, STANCE_COLORS
from nlp_relations.notebook.layout import component_layout, separate
from nlp_relations.notebook.network import LOW_CONFIDENCE

__all__ = ["draw_graph", "plot_stance_matrix", "plot_timeline"]

_RAD = 0.12  # bend of an edge
_RAD_BOTH = 0.3  # bend when both directions are drawn, so that A->B and B->A part
_NAME_WIDTH = 44.0  # widest actor id inside a circle, in pixels; longer ids get a smaller font


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


def _mean_confidence(edges: list[dict]) -> float | None:
    """The count-weighted mean of the edges' mean confidences (None when none has one)."""
    scored = [(d["confidence_mean"], d.get("count", 1)) for d in edges
              if d.get("confidence_mean") is not None]
    if not scored:
        return None
    return sum(c * n for c, n in scored) / sum(n for _, n in scored)


def _overlap(a, b) -> float:
    """Area shared by two display-space boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def draw_graph(g: nx.MultiDiGraph, ax: Any = None, *, seed: int = 3,
               figsize: tuple[float, float] = (9, 6.5),
               low_confidence: float = LOW_CONFIDENCE) -> Any:
    """Actors as labelled circles, relations as curved arrows labelled with predicates.

    Each connected component is laid out on its own (a stress layout, see
    ``nlp_relations.notebook.layout``) and the components are packed side by side, so
    nothing is flung into a corner. Parallel edges in one direction are merged into one
    arrow whose label lists the predicates with their counts; two actors that assert the
    same predicates of each other share one double-headed arrow and one label. The arrow
    takes the colour of its most frequent stance; it is dashed when that relation is
    negated and dotted and faint when the mean confidence is below ``low_confidence``.
    Each label goes to the first point along or beside its arrow where it covers no actor
    and no other label; in a dense graph where there is none, to the least covered one
    (``network_view`` suits graphs of more than a dozen or so actors better).

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
    fig_w, fig_h = ax.figure.get_size_inches()
    width, height = 100 * fig_w, 100 * fig_h
    # Marker area in points^2: a circle just wide enough for the actor id inside it.
    renderer = ax.figure.canvas.get_renderer()
    points_per_pixel = 72 / ax.figure.dpi
    sizes, fonts = {}, {}
    for node in simple.nodes:
        probe = ax.text(0, 0, node, fontsize=9, fontweight="bold")
        wide = probe.get_window_extent(renderer).width
        probe.remove()
        # A long id gets a smaller font rather than a huge circle.
        fonts[node] = max(9 * min(1.0, _NAME_WIDTH / wide), 7) if wide else 9
        diameter = wide * fonts[node] / 9 + 12
        sizes[node] = (diameter * points_per_pixel) ** 2
    pos = component_layout(simple, width, height, seed=seed, margin=60, gap=70)
    pos = {n: (x, height - y) for n, (x, y) in pos.items()}  # y up, as matplotlib draws
    # Room between actors, in display pixels: the two circles and a label's width.
    room = {n: math.sqrt(sizes[n]) / points_per_pixel + 70 for n in pos}
    box = ax.get_window_extent()
    for _ in range(4):
        # Pixels per layout unit once the axes fit the drawing; the room is kept in
        # display space, so spreading the drawing (which shrinks the scale) repeats.
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        scale = min(box.width / (1.24 * span_x), box.height / (1.24 * span_y))
        moved = dict(pos)
        separate(moved, {n: room[n] / scale for n in pos})
        if all(math.dist(moved[n], pos[n]) < 0.5 / scale for n in pos):
            break
        pos = {n: tuple(p) for n, p in moved.items()}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad_x = 0.12 * ((max(xs) - min(xs)) or width)
    pad_y = 0.12 * ((max(ys) - min(ys)) or height)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    kinds = {str(node): d.get("kind") for node, d in g.nodes(data=True)}
    nodelist = list(simple.nodes)
    nx.draw_networkx_nodes(simple, pos, ax=ax, nodelist=nodelist,
                           node_size=[sizes[n] for n in nodelist], edgecolors="white",
                           node_color=[KIND_COLORS.get(kinds[n], "#888") for n in nodelist])
    for node in nodelist:
        ax.text(*pos[node], node, fontsize=fonts[node], fontweight="bold", color="white",
                ha="center", va="center", zorder=3)
    to_display = ax.transData.transform
    taken = []  # display boxes of the circles and of the labels placed so far
    for n in nodelist:
        x, y = to_display(pos[n])
        r = math.sqrt(sizes[n]) / 2 / points_per_pixel
        taken.append((x - r, y - r, x + r, y + r))
    drawn = set()
    # Busiest pairs first: their labels get the best spots.
    order = sorted(pairs, key=lambda uv: (-sum(d.get("count", 1) for d in pairs[uv]), uv))
    for u, v in order:
        if (u, v) in drawn:
            continue
        edges = pairs[(u, v)]
        label = _edge_label(edges)
        both = (v, u) in pairs and _edge_label(pairs[(v, u)]) == label
        if both:  # one arrow with two heads and one label for a shared relation
            edges = edges + pairs[(v, u)]
            drawn.add((v, u))
        drawn.add((u, v))
        top = max(edges, key=lambda d: d.get("count", 0))
        color = STANCE_COLORS.get(top.get("stance"), "#333")
        width_ = 1.0 + 0.8 * math.log2(sum(d.get("count", 1) for d in edges))
        confidence = _mean_confidence(edges)
        low = confidence is not None and confidence < low_confidence
        style = "dashed" if top.get("negated") else (":" if low else "solid")
        rad = _RAD_BOTH if (v, u) in pairs and not both else _RAD
        if both:
            rad = 0.0
        nx.draw_networkx_edges(
            simple, pos, edgelist=[(u, v)], ax=ax, edge_color=color, width=width_,
            arrows=True, arrowstyle="<|-|>" if both else "-|>", arrowsize=14,
            connectionstyle=f"arc3,rad={rad}", style=style, alpha=0.55 if low else 1.0,
            node_size=[sizes[u], sizes[v]], nodelist=[u, v],
        )
        # Points along matplotlib's arc3 curve (a quadratic Bezier defined in display
        # space), from the middle outwards; the label takes the first free one.
        (x1, y1), (x2, y2) = to_display(pos[u]), to_display(pos[v])
        cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
        text = ax.text(0, 0, label, fontsize=8, color=color, linespacing=1.1,
                       multialignment="left", ha="center", va="center", zorder=5,
                       alpha=0.8 if low else 1.0,
                       bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": color,
                             "lw": 0.6, "alpha": 0.9})
        text.set_position(ax.transData.inverted().transform((x1, y1)))
        extent = text.get_window_extent(renderer)
        half_w, half_h = extent.width / 2 + 3, extent.height / 2 + 3  # with the box's pad
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        normal = (-(y2 - y1) / length, (x2 - x1) / length)
        best = None
        spots = [(t, side) for side in (0.0, 1.0, -1.0)
                 for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)]
        for t, side in spots:
            # On the curve, or beside it (a label's height off to either side).
            px = (1 - t) ** 2 * x1 + 2 * t * (1 - t) * cx + t**2 * x2
            py = (1 - t) ** 2 * y1 + 2 * t * (1 - t) * cy + t**2 * y2
            px += side * normal[0] * (half_h + 2)
            py += side * normal[1] * (half_h + 2)
            box = (px - half_w, py - half_h, px + half_w, py + half_h)
            cost = sum(_overlap(box, other) for other in taken)
            if best is None or cost < best[0]:
                best = (cost, (px, py), box)
            if cost == 0:
                break
        text.set_position(ax.transData.inverted().transform(best[1]))
        taken.append(best[2])
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
