"""Node positions for drawing a relation graph: one layout per connected component.

A single force layout of a disconnected graph flings the small components to the corners
and squeezes the big one into the middle, and a force layout of one component bunches
its hubs together. Here each component gets its own stress layout (graph distance
becomes drawing distance, so nodes spread evenly; numpy only, no scipy), the components
are packed on the canvas, and a last pass pushes apart nodes closer than a minimum
distance so that circles do not pile up.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["component_layout", "separate", "stress_layout"]


def stress_layout(g: nx.Graph, *, seed: int = 7, iterations: int = 120) -> dict[str, tuple]:
    """Positions in the unit square for one connected graph, by stress majorization.

    Starts from classical multidimensional scaling of the shortest-path distances, then
    improves with SMACOF steps weighted by distance^-2 (near pairs matter most).
    """
    nodes = sorted(g.nodes, key=str)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.5, 0.5)}
    if n == 2:
        return {nodes[0]: (0.0, 0.5), nodes[1]: (1.0, 0.5)}
    index = {node: i for i, node in enumerate(nodes)}
    dist = np.zeros((n, n))
    for source, lengths in nx.all_pairs_shortest_path_length(g):
        for target, length in lengths.items():
            dist[index[source], index[target]] = length
    # Classical MDS: the two leading eigenvectors of the double-centred squared distances.
    centre = np.eye(n) - 1.0 / n
    inner = -0.5 * centre @ (dist**2) @ centre
    values, vectors = np.linalg.eigh(inner)
    x = vectors[:, -2:] * np.sqrt(np.maximum(values[-2:], 1e-9))
    # Nodes with the same distances to all others (leaves of one hub) start on one point;
    # a small seeded jitter lets the majorization part them.
    x += np.random.default_rng(seed).normal(scale=0.05, size=x.shape)
    with np.errstate(divide="ignore"):
        weights = np.where(dist > 0, dist**-2.0, 0.0)
    laplacian = -weights
    laplacian[np.diag_indices(n)] = weights.sum(axis=1)
    pseudo = np.linalg.pinv(laplacian)
    for _ in range(iterations):
        gaps = np.linalg.norm(x[:, None, :] - x[None, :, :], axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(gaps > 1e-9, weights * dist / gaps, 0.0)
        b = -ratio
        b[np.diag_indices(n)] = ratio.sum(axis=1)
        x = pseudo @ (b @ x)
    x -= x.min(axis=0)
    span = x.max(axis=0)
    span[span == 0] = 1.0
    x /= span
    return {node: (float(x[i, 0]), float(x[i, 1])) for node, i in index.items()}


def separate(pos: dict[str, list[float]], min_distance: dict[str, float] | float, *,
             rounds: int = 60) -> None:
    """Push apart, in place, every two nodes closer than the sum of their half-distances.

    ``min_distance`` is one number or one per node (e.g. radius plus room for a label).
    """
    nodes = list(pos)
    if len(nodes) < 2:
        return
    xy = np.array([pos[n] for n in nodes], dtype=float)
    if isinstance(min_distance, dict):
        half = np.array([min_distance[n] for n in nodes], dtype=float) / 2
    else:
        half = np.full(len(nodes), min_distance / 2)
    need = half[:, None] + half[None, :]
    np.fill_diagonal(need, 0.0)
    jitter = np.random.default_rng(0).normal(scale=0.01, size=xy.shape)
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        gaps = np.linalg.norm(delta, axis=2)
        short = np.clip(need - gaps, 0.0, None)
        np.fill_diagonal(short, 0.0)
        if not short.any():
            break
        # Coincident nodes have no direction between them: use a fixed jitter instead.
        direction = np.where(gaps[..., None] > 1e-6, delta / np.maximum(gaps, 1e-6)[..., None],
                             jitter[:, None, :])
        xy += 0.5 * (short[..., None] * direction).sum(axis=1)
    for n, (x, y) in zip(nodes, xy):
        pos[n] = [round(float(x), 1), round(float(y), 1)]


def component_layout(g: nx.Graph, width: float, height: float, *, seed: int = 7,
                     margin: float = 34.0, gap: float = 40.0) -> dict[str, list[float]]:
    """Pixel positions (y down) for a whole graph, one stress layout per component.

    The largest component fills the left of the canvas; the smaller ones are stacked in
    columns at the right, in boxes whose side grows with the square root of their size.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(str(n) for n in g.nodes))
    simple.add_edges_from((str(u), str(v)) for u, v in g.edges() if u != v)
    components = sorted((sorted(c) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), c[0]))
    if not components:
        return {}
    inner_h = height - 2 * margin
    boxes: list[tuple[float, float, float, float]] = []  # x, y, w, h in pixels
    right = width - margin
    col_w, col_y = 0.0, 0.0
    for c in components[1:]:
        side = max(50.0, inner_h * 0.8 * math.sqrt(len(c) / len(components[0])))
        if len(c) == 2:  # a pair lies flat: a low box, wide enough for a label
            w, h = min(max(side, 90.0), 130.0), 24.0
        else:
            w, h = side, side
        if col_y and col_y + h > inner_h:
            right -= col_w + gap
            col_w, col_y = 0.0, 0.0
        boxes.append((right - w, margin + col_y, w, h))
        col_w, col_y = max(col_w, w), col_y + h + gap
    main_w = max(right - col_w - (gap if len(components) > 1 else 0) - margin, 120.0)
    boxes.insert(0, (margin, margin, main_w, inner_h))
    pos: dict[str, list[float]] = {}
    for component, (bx, by, bw, bh) in zip(components, boxes):
        unit = stress_layout(simple.subgraph(component), seed=seed)
        for node, (x, y) in unit.items():
            pos[node] = [round(bx + x * bw, 1), round(by + y * bh, 1)]
    return pos
