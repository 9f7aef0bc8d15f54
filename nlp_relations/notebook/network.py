"""An interactive network view of a relation graph that works offline.

The view is one piece of HTML: an SVG drawn in Python (so it shows even where scripts do
not run, e.g. a static notebook viewer) and a short inline script that adds the
interaction: click an edge to read its evidence sentences, click an actor to list its
relations, drag actors to untangle the layout, toggle the edge labels. No library is
loaded from a CDN or anywhere else.
"""

from __future__ import annotations

import json
import math
import uuid
from html import escape
import networkx as nx

from nlp_relations.notebook.colors import KIND_COLORS, STANCE_COLORS
from nlp_relations.notebook.html import HTMLView

__all__ = ["network_view"]

_CURVE = 22.0  # distance between parallel edges at their middle, in pixels


def _component_layout(nodes: list[str], edges: list[tuple[str, str]], seed: int):
    """Positions in the unit square for one connected component.

    Kamada-Kawai spaces the nodes of a small graph more evenly than a spring layout,
    which bunches hubs together; it needs scipy, so the spring layout is the fallback.
    """
    if len(nodes) == 1:
        return {nodes[0]: (0.5, 0.5)}
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(edges)
    try:
        raw = nx.kamada_kawai_layout(simple)
    except ImportError:
        raw = nx.spring_layout(simple, seed=seed, k=1.5 / math.sqrt(len(nodes)),
                               iterations=300)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {n: ((p[0] - min(xs)) / span_x, (p[1] - min(ys)) / span_y) for n, p in raw.items()}


def _layout(g: nx.MultiDiGraph, width: int, height: int, seed: int) -> dict[str, list[float]]:
    """One layout per connected component, packed on the canvas.

    A single layout of a disconnected graph flings the small components to the corners
    and squeezes the big one into the middle. Here the small components are stacked in
    columns at the right, in boxes whose side grows with the square root of their size,
    and the largest component fills the rest of the canvas.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(str(n) for n in g.nodes))
    simple.add_edges_from((str(u), str(v)) for u, v in g.edges() if u != v)
    components = sorted((sorted(c) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), c[0]))
    margin, gap = 34.0, 40.0
    inner_h = height - 2 * margin
    boxes: list[tuple[float, float, float, float]] = []  # x, y, w, h in pixels
    right = width - margin
    col_w, col_y = 0.0, 0.0
    for c in components[1:]:
        side = max(50.0, inner_h * 0.8 * math.sqrt(len(c) / len(components[0])))
        if col_y and col_y + side > inner_h:
            right -= col_w + gap
            col_w, col_y = 0.0, 0.0
        boxes.append((right - side, margin + col_y, side, side))
        col_w, col_y = max(col_w, side), col_y + side + gap
    main_w = max(right - col_w - (gap if len(components) > 1 else 0) - margin, 120.0)
    boxes.insert(0, (margin, margin, main_w, inner_h))
    pos = {}
    for component, (bx, by, bw, bh) in zip(components, boxes):
        edges = list(simple.subgraph(component).edges())
        for node, (x, y) in _component_layout(component, edges, seed).items():
            pos[node] = [round(bx + x * bw, 1), round(by + y * bh, 1)]
    return pos


def _radius(mentions: int) -> float:
    return round(min(7 + 2.2 * math.sqrt(mentions), 20), 1)


def _geometry(p0, p1, r0, r1, offset):
    """A quadratic curve from node to node, bent by ``offset`` px, trimmed at the circles.

    Mirrored in the script below (``geom``) so dragging redraws the same shape.
    """
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    dist = math.hypot(dx, dy) or 1.0
    nx_, ny_ = -dy / dist, dx / dist
    cx, cy = (x0 + x1) / 2 + 2 * offset * nx_, (y0 + y1) / 2 + 2 * offset * ny_

    def trim(ax, ay, r):
        vx, vy = cx - ax, cy - ay
        d = math.hypot(vx, vy) or 1.0
        return ax + vx / d * r, ay + vy / d * r

    sx, sy = trim(x0, y0, r0 + 1)
    ex, ey = trim(x1, y1, r1 + 4)
    mx, my = 0.25 * sx + 0.5 * cx + 0.25 * ex, 0.25 * sy + 0.5 * cy + 0.25 * ey
    return f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}", (mx, my)


def _offsets(g: nx.MultiDiGraph) -> dict[tuple, float]:
    """Bend for each edge: edges between the same two actors fan out side by side."""
    pairs: dict[tuple, list[tuple]] = {}
    for u, v, k in g.edges(keys=True):
        pairs.setdefault(tuple(sorted((str(u), str(v)))), []).append((u, v, k))
    out = {}
    for (a, _), edges in pairs.items():
        edges.sort(key=lambda e: (str(e[0]) != a, str(e[2])))
        n = len(edges)
        for i, (u, v, k) in enumerate(edges):
            off = (i - (n - 1) / 2) * _CURVE
            if n == 1:
                off = 0.0
            # The normal flips with the direction, so express the bend relative to (a, b).
            out[(u, v, k)] = off if str(u) == a else -off
    return out


def _mark(sentence: str, spans: list[tuple[str | None, str]]) -> str:
    """The sentence as HTML with the given phrases wrapped in tags (first free match each)."""
    taken: list[tuple[int, int, str]] = []
    for text, tag in spans:
        if not text:
            continue
        start = sentence.find(text)
        while start != -1 and any(s < start + len(text) and start < e for s, e, _ in taken):
            start = sentence.find(text, start + 1)
        if start != -1:
            taken.append((start, start + len(text), tag))
    out, pos = [], 0
    for s, e, tag in sorted(taken):
        out.append(escape(sentence[pos:s]))
        out.append(f"<{tag}>{escape(sentence[s:e])}</{tag.split()[0]}>")
        pos = e
    out.append(escape(sentence[pos:]))
    return "".join(out)


def _relation(u: str, v: str, d: dict) -> str:
    pred = ("NOT " if d.get("negated") else "") + str(d.get("predicate"))
    if d.get("modality") not in (None, "asserted"):
        pred += f" ({d['modality']})"
    return f"{u} {pred} {v}"


def _edge_panel(u: str, v: str, d: dict, max_evidence: int) -> str:
    color = STANCE_COLORS.get(d.get("stance"), "#333")
    seen = d.get("first_seen")
    dates = ""
    if seen:
        last = d.get("last_seen")
        dates = f", {escape(seen)}" + (f" to {escape(last)}" if last and last != seen else "")
    conf = d.get("confidence_mean")
    head = (
        f'<div class="nr-title" style="color:{color}">{escape(_relation(u, v, d))}</div>'
        f'<div class="nr-meta">{d.get("count", 0)} assertion(s) in {d.get("n_documents", 0)} '
        f"document(s){dates}; {escape(str(d.get('category', '')))}, "
        f"{escape(str(d.get('stance', '')))}"
        + (f", mean confidence {conf:.2f}" if conf is not None else "")
        + (f"; sources: {escape(', '.join(d.get('sources') or []))}" if d.get("sources") else "")
        + "</div>"
    )
    evidence = sorted(d.get("evidence", []), key=lambda r: (r.get("doc_date") or "",
                                                             r.get("doc_id", ""),
                                                             r.get("start_char", 0)))
    items = []
    for r in evidence[:max_evidence]:
        sentence = _mark(r.get("sentence", ""), [
            (r.get("trigger"), "b"),
            (r.get("subject_text"), 'mark class="s"'),
            (r.get("object_text"), 'mark class="o"'),
        ])
        meta = [escape(r.get("doc_id", ""))]
        for label in ("doc_date", "source", "speaker"):
            if r.get(label):
                meta.append((f"{label}: " if label != "doc_date" else "") + escape(r[label]))
        meta.append(f"conf {r.get('confidence', 0):.2f}")
        items.append(f"<li>{sentence}<div class='nr-src'>{' &middot; '.join(meta)}</div></li>")
    more = len(evidence) - max_evidence
    if more > 0:
        items.append(f"<li class='nr-src'>... and {more} more</li>")
    return head + f"<ol>{''.join(items)}</ol>"


def _node_panel(node: str, data: dict, edges: list[tuple[int, str]]) -> str:
    kind = escape(str(data.get("kind") or ""))
    aliases = ", ".join(data.get("aliases") or [])
    rows = "".join(
        f'<li><a href="#" data-edge="{i}">{escape(label)}</a></li>' for i, label in edges
    )
    return (
        f'<div class="nr-title">{escape(node)}: {escape(str(data.get("name") or node))}</div>'
        f'<div class="nr-meta">{kind}; {data.get("mentions", 0)} mention(s)'
        + (f"; written as: {escape(aliases)}" if aliases else "")
        + f"</div><ul>{rows or '<li>no relations</li>'}</ul>"
    )


_STYLE = """
#{id} {{font-family: sans-serif; font-size: 12.5px; color: #222;}}
#{id} .nr-bar {{margin: 2px 0 6px 0; color: #555;}}
#{id} .nr-bar span {{margin-right: 12px; white-space: nowrap;}}
#{id} .nr-row {{display: flex; gap: 12px; align-items: flex-start; flex-wrap: wrap;}}
#{id} svg {{border: 1px solid #ddd; border-radius: 4px; background: #fcfcfc; flex: none;}}
#{id} .nr-panel {{flex: 1 1 260px; min-width: 260px; max-height: {height}px; overflow: auto;
  border: 1px solid #ddd; border-radius: 4px; padding: 6px 10px; box-sizing: border-box;}}
#{id} .nr-title {{font-weight: bold; font-size: 14px; margin-bottom: 2px;}}
#{id} .nr-meta, #{id} .nr-src {{color: #666; font-size: 11px;}}
#{id} ol, #{id} ul {{padding-left: 18px; margin: 6px 0;}}
#{id} li {{margin-bottom: 6px;}}
#{id} mark.s {{background: #d6eaf8;}} #{id} mark.o {{background: #fdebd0;}}
#{id} g.e {{cursor: pointer;}} #{id} g.n {{cursor: grab;}}
#{id} g.e .lbl {{display: none; pointer-events: none;}}
#{id}.labels g.e .lbl, #{id} g.e:hover .lbl, #{id} g.e.sel .lbl {{display: inline;}}
#{id} g.e:hover .line {{stroke-width: 3;}}
#{id} g.e.sel .line {{stroke-width: 3.5;}}
#{id}.dim g.e:not(.sel):not(.near) {{opacity: 0.25;}}
#{id} g.n.sel circle {{stroke: #000; stroke-width: 2.5;}}
"""

_SCRIPT = """
(function () {
  var root = document.getElementById("%(id)s");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var data = JSON.parse(root.querySelector("script.nr-data").textContent);
  var svg = root.querySelector("svg"), panel = root.querySelector(".nr-panel");
  var hint = panel.innerHTML;
  function geom(e) {
    var p0 = data.pos[e.u], p1 = data.pos[e.v];
    var dx = p1[0] - p0[0], dy = p1[1] - p0[1], d = Math.hypot(dx, dy) || 1;
    var cx = (p0[0] + p1[0]) / 2 - 2 * e.off * dy / d;
    var cy = (p0[1] + p1[1]) / 2 + 2 * e.off * dx / d;
    function trim(p, r) {
      var vx = cx - p[0], vy = cy - p[1], n = Math.hypot(vx, vy) || 1;
      return [p[0] + vx / n * r, p[1] + vy / n * r];
    }
    var s = trim(p0, data.r[e.u] + 1), t = trim(p1, data.r[e.v] + 4);
    return {d: "M" + s[0] + "," + s[1] + " Q" + cx + "," + cy + " " + t[0] + "," + t[1],
            m: [0.25 * s[0] + 0.5 * cx + 0.25 * t[0], 0.25 * s[1] + 0.5 * cy + 0.25 * t[1]]};
  }
  var edges = root.querySelectorAll("g.e"), nodes = root.querySelectorAll("g.n");
  function clear() {
    root.classList.remove("dim");
    root.querySelectorAll(".sel, .near").forEach(function (x) {
      x.classList.remove("sel"); x.classList.remove("near"); });
  }
  function showEdge(i) {
    clear(); root.classList.add("dim");
    edges[i].classList.add("sel");
    svg.appendChild(edges[i]);  // on top, so its label is not hidden under an actor
    panel.innerHTML = data.edgeHtml[i];
  }
  function showNode(id) {
    clear(); root.classList.add("dim");
    root.querySelector('g.n[data-id="' + CSS.escape(id) + '"]').classList.add("sel");
    data.edges.forEach(function (e, i) {
      if (e.u === id || e.v === id) edges[i].classList.add("near"); });
    panel.innerHTML = data.nodeHtml[id];
  }
  edges.forEach(function (g, i) {
    g.addEventListener("click", function (ev) { ev.stopPropagation(); showEdge(i); });
  });
  panel.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-edge]");
    if (a) { ev.preventDefault(); showEdge(+a.dataset.edge); }
  });
  svg.addEventListener("click", function () { clear(); panel.innerHTML = hint; });
  root.querySelector("input.nr-labels").addEventListener("change", function (ev) {
    root.classList.toggle("labels", ev.target.checked); });
  function redraw(id) {
    var n = root.querySelector('g.n[data-id="' + CSS.escape(id) + '"]');
    n.setAttribute("transform", "translate(" + data.pos[id][0] + "," + data.pos[id][1] + ")");
    data.edges.forEach(function (e, i) {
      if (e.u !== id && e.v !== id) return;
      var g = geom(e);
      edges[i].querySelectorAll("path").forEach(function (p) { p.setAttribute("d", g.d); });
      var t = edges[i].querySelector("text");
      t.setAttribute("x", g.m[0]); t.setAttribute("y", g.m[1]);
    });
  }
  var drag = null, moved = false;
  function point(ev) {
    var pt = svg.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }
  nodes.forEach(function (n) {
    n.addEventListener("pointerdown", function (ev) {
      drag = n.dataset.id; moved = false; n.setPointerCapture(ev.pointerId);
      ev.stopPropagation();
    });
    n.addEventListener("pointermove", function (ev) {
      if (drag !== n.dataset.id) return;
      var p = point(ev); data.pos[drag] = [p.x, p.y]; moved = true; redraw(drag);
    });
    n.addEventListener("pointerup", function () {
      if (drag && !moved) showNode(drag);
      drag = null;
    });
    n.addEventListener("click", function (ev) { ev.stopPropagation(); });
  });
})();
"""


def network_view(
    g: nx.MultiDiGraph,
    *,
    width: int = 640,
    height: int = 520,
    seed: int = 7,
    max_evidence: int = 12,
    labels: bool = False,
) -> HTMLView:
    """The relation graph as a clickable network, rendered offline.

    Edges are coloured by stance, dashed when negated and thicker with more assertions;
    actors are sized by mentions and coloured by kind. Click an edge to read its evidence
    sentences (trigger in bold, subject and object highlighted), click an actor to list
    its relations, drag an actor to move it. Without scripts (a static viewer) the
    drawing still shows, with the relation as a tooltip on each edge.

    Args:
        g: a ``RelationGraph`` (or any MultiDiGraph with the same attributes).
        width, height: size of the drawing in pixels.
        seed: seed of the spring layout, so the same graph is drawn the same way.
        max_evidence: evidence sentences listed per edge.
        labels: show every predicate label from the start (otherwise on hover).
    """
    view_id = "nr-" + uuid.uuid4().hex[:10]
    if g.number_of_nodes() == 0:
        return HTMLView(f'<div id="{view_id}"><i>The graph is empty.</i></div>')
    pos = _layout(g, width, height, seed)
    radius = {str(n): _radius(d.get("mentions", 0)) for n, d in g.nodes(data=True)}
    offsets = _offsets(g)
    edge_list = sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]),
                                                                      str(e[2])))
    edge_svg, edge_data, edge_html = [], [], []
    by_node: dict[str, list[tuple[int, str]]] = {str(n): [] for n in g.nodes}
    for i, (u, v, k, d) in enumerate(edge_list):
        u, v = str(u), str(v)
        off = offsets[(u, v, k)]
        path, (mx, my) = _geometry(pos[u], pos[v], radius[u], radius[v], off)
        color = STANCE_COLORS.get(d.get("stance"), "#333")
        count = d.get("count", 1)
        stroke = round(1.2 + 1.1 * math.log2(max(count, 1)), 2)
        dash = ' stroke-dasharray="5 3"' if d.get("negated") else ""
        label = ("NOT " if d.get("negated") else "") + str(d.get("predicate"))
        title = f"{_relation(u, v, d)} ({count}x)"
        stance = d.get("stance") if d.get("stance") in STANCE_COLORS else "neutral"
        edge_svg.append(
            f'<g class="e"><title>{escape(title)}</title>'
            f'<path d="{path}" stroke="transparent" stroke-width="12" fill="none"/>'
            f'<path class="line" d="{path}" stroke="{color}" stroke-width="{stroke}" '
            f'fill="none"{dash} marker-end="url(#{view_id}-{stance})"/>'
            f'<text class="lbl" x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" '
            f'dominant-baseline="central" font-size="10.5" fill="{color}" stroke="white" '
            f'stroke-width="3" paint-order="stroke">{escape(label)}</text></g>'
        )
        edge_data.append({"u": u, "v": v, "off": off})
        edge_html.append(_edge_panel(u, v, d, max_evidence))
        by_node[u].append((i, f"{_relation(u, v, d)} ({count}x)"))
        if v != u:
            by_node[v].append((i, f"{_relation(u, v, d)} ({count}x)"))
    node_svg, node_html = [], {}
    for node, d in sorted(g.nodes(data=True), key=lambda nd: str(nd[0])):
        node = str(node)
        x, y = pos[node]
        r = radius[node]
        fill = KIND_COLORS.get(d.get("kind"), "#888")
        name = escape(str(d.get("name") or node))
        node_svg.append(
            f'<g class="n" data-id="{escape(node)}" transform="translate({x},{y})">'
            f"<title>{escape(node)}: {name}</title>"
            f'<circle r="{r}" fill="{fill}" stroke="white" stroke-width="1.5"/>'
            f'<text y="{r + 11:.1f}" text-anchor="middle" font-size="11" font-weight="bold" '
            f'stroke="white" stroke-width="3" paint-order="stroke">{escape(node)}</text></g>'
        )
        node_html[node] = _node_panel(node, d, by_node[node])
    markers = "".join(
        f'<marker id="{view_id}-{s}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" '
        f'markerHeight="6" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for s, c in STANCE_COLORS.items()
    )
    payload = {"pos": pos, "r": radius, "edges": edge_data, "edgeHtml": edge_html,
               "nodeHtml": node_html}
    # "</" inside a script element would end it early; JSON allows the escaped form.
    blob = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
    legend = "".join(
        f'<span><b style="color:{c}">&#9472;&#9472;</b> {s}</span>'
        for s, c in STANCE_COLORS.items()
    ) + "".join(
        f'<span><b style="color:{c}">&#9679;</b> {k}</span>'
        for k, c in KIND_COLORS.items()
        if any(d.get("kind") == k for _, d in g.nodes(data=True))
    )
    hint = (
        '<div class="nr-title">Evidence</div><div class="nr-meta">Click an edge to read the '
        "sentences behind it; click an actor to list its relations; drag actors to move "
        f"them. {g.number_of_nodes()} actors, {g.number_of_edges()} edges.</div>"
    )
    html = (
        f'<div id="{view_id}" class="{"labels" if labels else ""}">'
        f"<style>{_STYLE.format(id=view_id, height=height)}</style>"
        f'<div class="nr-bar"><label><input type="checkbox" class="nr-labels"'
        f'{" checked" if labels else ""}> all labels</label> &nbsp; {legend}</div>'
        f'<div class="nr-row"><svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif">'
        f"<defs>{markers}</defs>{''.join(edge_svg)}{''.join(node_svg)}</svg>"
        f'<div class="nr-panel">{hint}</div></div>'
        f'<script type="application/json" class="nr-data">{blob}</script>'
        f"<script>{_SCRIPT % {'id': view_id}}</script></div>"
    )
    return HTMLView(html)

