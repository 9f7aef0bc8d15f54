"""An interactive network view of a relation graph that works offline.

The view is one piece of HTML: an SVG drawn in Python (so it shows even where scripts do
not run, e.g. a static notebook viewer) and a short inline script that adds the
interaction: zoom with the wheel or the buttons, pan by dragging the background, click
an edge to read its evidence sentences, click an actor to list its relations, drag actors
to untangle the layout, hide edges asserted fewer times than a slider says. Actor names
(and, when asked, predicates) are placed where they collide with no other label or
actor; those that do not fit are left out until zooming in makes room, and show on
hover. No library is loaded from a CDN or anywhere else.
"""

from __future__ import annotations

import json
import math
import uuid
from html import escape

import networkx as nx

from nlp_relations.notebook.colors import KIND_COLORS, STANCE_COLORS
from nlp_relations.notebook.html import HTMLView
from nlp_relations.notebook.layout import component_layout, separate

__all__ = ["LOW_CONFIDENCE", "network_view"]

_CURVE = 22.0  # distance between parallel edges at their middle, in pixels
# Relations whose mean confidence is below this are drawn dotted and faint.
LOW_CONFIDENCE = 0.5
# Actors per drawing at which the layout canvas starts growing beyond the view (zoom in).
_ACTORS_PER_VIEW = 40

def _radius(mentions: int, big: bool = False) -> float:
    """Circle radius in pixels: grows with mentions; smaller in a big graph."""
    if big:
        return round(min(5 + 1.2 * math.sqrt(mentions), 13), 1)
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
#{id} .nr-bar {{margin: 2px 0 6px 0; color: #555; display: flex; flex-wrap: wrap;
  align-items: center; gap: 4px 12px;}}
#{id} .nr-bar span {{white-space: nowrap;}}
#{id} .nr-bar button {{font-size: 12px; min-width: 24px; padding: 0 5px; cursor: pointer;}}
#{id} .nr-bar input {{vertical-align: middle; margin: 0 3px;}}
#{id} .nr-bar input[type=range] {{width: 90px;}}
#{id} .nr-row {{display: flex; gap: 12px; align-items: flex-start; flex-wrap: wrap;}}
#{id} svg {{border: 1px solid #ddd; border-radius: 4px; background: #fcfcfc; flex: none;
  touch-action: none; cursor: move; user-select: none;}}
#{id} .nr-panel {{flex: 1 1 260px; min-width: 260px; max-height: {height}px; overflow: auto;
  border: 1px solid #ddd; border-radius: 4px; padding: 6px 10px; box-sizing: border-box;}}
#{id} .nr-title {{font-weight: bold; font-size: 14px; margin-bottom: 2px;}}
#{id} .nr-meta, #{id} .nr-src {{color: #666; font-size: 11px;}}
#{id} ol, #{id} ul {{padding-left: 18px; margin: 6px 0;}}
#{id} li {{margin-bottom: 6px;}}
#{id} mark.s {{background: #d6eaf8;}} #{id} mark.o {{background: #fdebd0;}}
#{id} g.e {{cursor: pointer;}} #{id} g.n {{cursor: grab;}}
#{id} g.e .lbl {{display: none; pointer-events: none;}}
#{id}.labels g.e .lbl.fits, #{id} g.e:hover .lbl, #{id} g.e.sel .lbl {{display: inline;}}
#{id} g.n text.clash {{display: none;}}
#{id} g.n:hover text.clash, #{id} g.n.sel text.clash {{display: inline;}}
#{id} .off {{display: none;}}
#{id} g.e.low .line {{stroke-opacity: 0.55;}}
#{id}.busy g.e .line {{stroke-opacity: 0.45;}} #{id}.busy g.e.low .line {{stroke-opacity: 0.3;}}
#{id} g.e:hover .line {{stroke-width: 3;}}
#{id} g.e.sel .line {{stroke-width: 3.5; stroke-opacity: 1;}}
#{id}.dim g.e:not(.sel):not(.near) {{opacity: 0.2;}}
#{id}.dim g.n:not(.sel):not(.near) {{opacity: 0.35;}}
#{id} g.n.sel circle {{stroke: #000; stroke-width: 2.5;}}
"""

# The script keeps the layout positions (data.pos) and a view transform (k, x, y); every
# change of either redraws actors, edges and the label placement in screen pixels, so
# circles, strokes and labels keep their size while the drawing zooms.
_SCRIPT = """
(function () {
  var root = document.getElementById("__ID__");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var data = JSON.parse(root.querySelector("script.nr-data").textContent);
  var svg = root.querySelector("svg"), panel = root.querySelector(".nr-panel");
  var status = root.querySelector(".nr-status"), hint = panel.innerHTML;
  var W = data.size[0], H = data.size[1];
  var view = {k: data.fit, x: data.origin[0], y: data.origin[1]};
  var edges = root.querySelectorAll("g.e"), nodes = {}, shown = {};
  root.querySelectorAll("g.n").forEach(function (n) { nodes[n.dataset.id] = n; });
  function screen(id) {
    var p = data.pos[id];
    return [p[0] * view.k + view.x, p[1] * view.k + view.y];
  }
  function geom(e) {
    var p0 = screen(e.u), p1 = screen(e.v);
    var dx = p1[0] - p0[0], dy = p1[1] - p0[1], d = Math.hypot(dx, dy) || 1;
    var cx = (p0[0] + p1[0]) / 2 - 2 * e.off * dy / d;
    var cy = (p0[1] + p1[1]) / 2 + 2 * e.off * dx / d;
    function trim(p, r) {
      var vx = cx - p[0], vy = cy - p[1], n = Math.hypot(vx, vy) || 1;
      return [p[0] + vx / n * r, p[1] + vy / n * r];
    }
    var s = trim(p0, data.r[e.u] + 1), t = trim(p1, data.r[e.v] + 4);
    return {d: "M" + s[0].toFixed(1) + "," + s[1].toFixed(1) + " Q" + cx.toFixed(1) + "," +
               cy.toFixed(1) + " " + t[0].toFixed(1) + "," + t[1].toFixed(1),
            m: [0.25 * s[0] + 0.5 * cx + 0.25 * t[0], 0.25 * s[1] + 0.5 * cy + 0.25 * t[1]]};
  }
  function drawEdge(i) {
    var g = geom(data.edges[i]);
    edges[i].querySelectorAll("path").forEach(function (p) { p.setAttribute("d", g.d); });
    var t = edges[i].querySelector("text");
    t.setAttribute("x", g.m[0].toFixed(1)); t.setAttribute("y", g.m[1].toFixed(1));
  }
  function drawNode(id) {
    var p = screen(id);
    nodes[id].setAttribute("transform", "translate(" + p[0].toFixed(1) + "," +
                           p[1].toFixed(1) + ")");
  }
  // Label placement: actors by importance, each name below, above, right or left of its
  // circle, wherever it overlaps no circle and no label already placed; else hidden.
  var sizes = {};
  function size(t) {
    var key = t.textContent + "|" + t.getAttribute("font-size");
    if (!sizes[key]) {
      var hidden = getComputedStyle(t).display === "none";
      if (hidden) t.style.display = "inline";
      var b = t.getBBox();
      if (hidden) t.style.display = "";
      sizes[key] = [b.width + 2, b.height];
    }
    return sizes[key];
  }
  function hits(box, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var o = boxes[i];
      if (box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) return true;
    }
    return false;
  }
  function inside(box) { return box[0] >= 0 && box[1] >= 0 && box[2] <= W && box[3] <= H; }
  var placing = 0;
  function placeLabels() {
    placing = 0;
    var boxes = [], visible = data.order.filter(function (id) { return shown[id]; });
    visible.forEach(function (id) {
      var p = screen(id), r = data.r[id];
      boxes.push([p[0] - r, p[1] - r, p[0] + r, p[1] + r]);
    });
    var named = 0, inView = 0;
    visible.forEach(function (id) {
      var t = nodes[id].querySelector("text"), s = size(t), p = screen(id);
      var r = data.r[id], w = s[0], h = s[1], gap = 2;
      if (p[0] < -r || p[1] < -r || p[0] > W + r || p[1] > H + r) {  // out of the view
        t.classList.add("clash"); return;
      }
      inView++;
      var spots = [[0, r + gap + h / 2, "middle"], [0, -r - gap - h / 2, "middle"],
                   [r + gap + 1, 0, "start"], [-r - gap - 1, 0, "end"]];
      for (var j = 0; j < spots.length; j++) {
        var dx = spots[j][0], dy = spots[j][1], a = spots[j][2];
        var left = a === "middle" ? p[0] + dx - w / 2 : a === "start" ? p[0] + dx : p[0] + dx - w;
        var box = [left, p[1] + dy - h / 2, left + w, p[1] + dy + h / 2];
        if (inside(box) && !hits(box, boxes)) {
          t.setAttribute("x", dx); t.setAttribute("y", dy.toFixed(1));
          t.setAttribute("text-anchor", a);
          t.classList.remove("clash");
          boxes.push(box); named++;
          return;
        }
      }
      t.classList.add("clash");
    });
    var lines = 0, fitting = 0;
    data.byCount.forEach(function (i) {
      var e = edges[i];
      if (e.classList.contains("off")) return;
      lines++;
      var t = e.querySelector("text"), s = size(t);
      var x = +t.getAttribute("x"), y = +t.getAttribute("y");
      var box = [x - s[0] / 2, y - s[1] / 2, x + s[0] / 2, y + s[1] / 2];
      var fits = root.classList.contains("labels") && inside(box) && !hits(box, boxes);
      t.classList.toggle("fits", fits);
      if (fits) { boxes.push(box); fitting++; }
    });
    root.dataset.named = named;
    status.textContent = visible.length + " actors, " + lines + " edges shown; " + inView +
      " actors in view, " + named + " of them named" +
      (named < inView ? " (zoom in for more names, or point at an actor)" : "");
  }
  function draw() {
    Object.keys(nodes).forEach(drawNode);
    data.edges.forEach(function (e, i) { drawEdge(i); });
    root.dataset.zoom = view.k.toFixed(4);
    if (!placing) placing = requestAnimationFrame(placeLabels);
  }
  function filter() {
    var least = +root.querySelector("input.nr-min").value;
    root.querySelector(".nr-min-value").textContent = least;
    Object.keys(nodes).forEach(function (id) { shown[id] = !data.degree[id] && least <= 1; });
    data.edges.forEach(function (e, i) {
      var keep = e.c >= least;
      edges[i].classList.toggle("off", !keep);
      if (keep) { shown[e.u] = true; shown[e.v] = true; }
    });
    Object.keys(nodes).forEach(function (id) { nodes[id].classList.toggle("off", !shown[id]); });
    draw();
  }
  function clear() {
    root.classList.remove("dim");
    root.querySelectorAll(".sel, .near").forEach(function (x) {
      x.classList.remove("sel"); x.classList.remove("near"); });
  }
  function showEdge(i) {
    clear(); root.classList.add("dim");
    edges[i].classList.add("sel");
    edges[i].parentNode.appendChild(edges[i]);  // on top, so its label is not hidden
    panel.innerHTML = data.edgeHtml[i];
  }
  function showNode(id) {
    clear(); root.classList.add("dim");
    nodes[id].classList.add("sel");
    data.edges.forEach(function (e, i) {
      if (e.u === id || e.v === id) {
        edges[i].classList.add("near"); nodes[e.u].classList.add("near");
        nodes[e.v].classList.add("near");
      }
    });
    panel.innerHTML = data.nodeHtml[id];
  }
  edges = Array.prototype.slice.call(edges);
  edges.forEach(function (g, i) {
    g.addEventListener("click", function (ev) { ev.stopPropagation(); showEdge(i); });
  });
  panel.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-edge]");
    if (a) { ev.preventDefault(); showEdge(+a.dataset.edge); }
  });
  root.querySelector("input.nr-labels").addEventListener("change", function (ev) {
    root.classList.toggle("labels", ev.target.checked); placeLabels(); });
  root.querySelector("input.nr-min").addEventListener("input", filter);
  function point(ev) {
    var pt = svg.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }
  function zoom(factor, at) {
    var k = Math.min(Math.max(view.k * factor, data.fit * 0.5), data.fit * 16);
    factor = k / view.k;
    view.x = at[0] - (at[0] - view.x) * factor;
    view.y = at[1] - (at[1] - view.y) * factor;
    view.k = k;
    draw();
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = point(ev);
    zoom(Math.exp(-ev.deltaY * (ev.deltaMode ? 0.05 : 0.0015)), [p.x, p.y]);
  }, {passive: false});
  root.querySelector("button.nr-in").addEventListener("click", function () {
    zoom(1.5, [W / 2, H / 2]); });
  root.querySelector("button.nr-out").addEventListener("click", function () {
    zoom(1 / 1.5, [W / 2, H / 2]); });
  root.querySelector("button.nr-fit").addEventListener("click", function () {
    view = {k: data.fit, x: data.origin[0], y: data.origin[1]}; draw(); });
  // One pointer gesture: on an actor it drags the actor (a click selects it), on the
  // background it pans (a click clears the selection).
  var grab = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0 || ev.target.closest("g.e")) return;
    var n = ev.target.closest("g.n"), p = point(ev);
    grab = {id: n ? n.dataset.id : null, x: p.x, y: p.y, vx: view.x, vy: view.y,
            moved: false};
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!grab) return;
    var p = point(ev);
    if (Math.abs(p.x - grab.x) + Math.abs(p.y - grab.y) > 2) grab.moved = true;
    if (!grab.moved) return;
    if (grab.id) {
      data.pos[grab.id] = [(p.x - view.x) / view.k, (p.y - view.y) / view.k];
      draw();
    } else {
      view.x = grab.vx + p.x - grab.x; view.y = grab.vy + p.y - grab.y;
      draw();
    }
  });
  svg.addEventListener("pointerup", function () {
    if (grab && !grab.moved) {
      if (grab.id) showNode(grab.id); else { clear(); panel.innerHTML = hint; }
    }
    grab = null;
  });
  filter();
})();
"""


def _initial_view(g: nx.MultiDiGraph, width: int, height: int, seed: int,
                  radius: dict[str, float]) -> tuple[dict[str, list[float]], float, list]:
    """Layout positions, and the zoom and offset at which the whole layout fits the view.

    Up to ``_ACTORS_PER_VIEW`` actors the layout is the size of the view; a bigger graph
    is laid out on a canvas that grows with the square root of its size and shown
    zoomed out, so its actors keep their room and zooming in spreads them.
    """
    scale = max(1.0, math.sqrt(g.number_of_nodes() / _ACTORS_PER_VIEW))
    margin = 34.0
    pos = component_layout(g, width * scale, height * scale, seed=seed,
                           margin=margin * scale, gap=40.0 * scale)
    # Circles must not touch at the first view and keep room for a name; a busy actor
    # gets more room, so the edges around it can be told apart.
    neighbours = {str(n): len(set(g.predecessors(n)) | set(g.successors(n))) for n in g}
    separate(pos, {n: (2 * radius[n] + 18 + 9 * math.sqrt(neighbours[n])) * scale
                   for n in pos})
    # Pushing apart can widen the drawing: fit what came out, centred in the view.
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    fit = min((width - 2 * margin) / span_x if span_x else 1.0 / scale,
              (height - 2 * margin) / span_y if span_y else 1.0 / scale, 1.0)
    start = [round(margin - min(xs) * fit + (width - 2 * margin - span_x * fit) / 2, 1),
             round(margin - min(ys) * fit + (height - 2 * margin - span_y * fit) / 2, 1)]
    return pos, fit, start


def network_view(
    g: nx.MultiDiGraph,
    *,
    width: int = 640,
    height: int | None = None,
    seed: int = 7,
    max_evidence: int = 12,
    labels: bool = False,
    min_count: int = 1,
    low_confidence: float = LOW_CONFIDENCE,
) -> HTMLView:
    """The relation graph as a zoomable, clickable network, rendered offline.

    Edges are coloured by stance, dashed when negated, dotted and faint when their mean
    confidence is below ``low_confidence``, and thicker with more assertions; actors are
    sized by mentions and coloured by kind. Wheel or buttons zoom, dragging the background
    pans, dragging an actor moves it. Click an edge to read its evidence sentences
    (trigger in bold, subject and object highlighted), click an actor to list its
    relations. Actor names never overlap each other or another actor: the most mentioned
    actors are named first, a name with no free spot is hidden until zooming in makes
    room (pointing at the actor shows it). A slider hides edges asserted fewer than N
    times, and the actors left without edges, which keeps a graph of 150 actors legible.
    Without scripts (a static viewer) the drawing still shows, with the relation as a
    tooltip on each edge.

    Args:
        g: a ``RelationGraph`` (or any MultiDiGraph with the same attributes).
        width, height: size of the drawing in pixels; the height defaults to 520, or 640
            for graphs of more than 40 actors.
        seed: seed of the layout, so the same graph is drawn the same way.
        max_evidence: evidence sentences listed per edge.
        labels: show the predicate labels that fit from the start (otherwise on hover).
        min_count: the slider's first value: edges asserted fewer times start hidden.
        low_confidence: edges whose mean confidence is below this are drawn dotted.
    """
    view_id = "nr-" + uuid.uuid4().hex[:10]
    if g.number_of_nodes() == 0:
        return HTMLView(f'<div id="{view_id}"><i>The graph is empty.</i></div>')
    big = g.number_of_nodes() > _ACTORS_PER_VIEW
    if height is None:
        height = 640 if big else 520
    radius = {str(n): _radius(d.get("mentions", 0), big) for n, d in g.nodes(data=True)}
    pos, fit, origin = _initial_view(g, width, height, seed, radius)
    screen = {n: (x * fit + origin[0], y * fit + origin[1]) for n, (x, y) in pos.items()}
    offsets = _offsets(g)
    edge_list = sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]),
                                                                      str(e[2])))
    edge_svg, edge_data, edge_html = [], [], []
    by_node: dict[str, list[tuple[int, str]]] = {str(n): [] for n in g.nodes}
    degree = {str(n): 0 for n in g.nodes}
    max_count = 1
    for i, (u, v, k, d) in enumerate(edge_list):
        u, v = str(u), str(v)
        degree[u] += 1
        degree[v] += 1
        off = offsets[(u, v, k)]
        path, (mx, my) = _geometry(screen[u], screen[v], radius[u], radius[v], off)
        color = STANCE_COLORS.get(d.get("stance"), "#333")
        count = d.get("count", 1)
        max_count = max(max_count, count)
        stroke = round(1.2 + 1.1 * math.log2(max(count, 1)), 2)
        conf = d.get("confidence_mean")
        low = conf is not None and conf < low_confidence
        dash = (' stroke-dasharray="5 3"' if d.get("negated")
                else ' stroke-dasharray="1.5 3" stroke-linecap="round"' if low else "")
        label = ("NOT " if d.get("negated") else "") + str(d.get("predicate"))
        title = f"{_relation(u, v, d)} ({count}x" + (f", confidence {conf:.2f})"
                                                      if conf is not None else ")")
        stance = d.get("stance") if d.get("stance") in STANCE_COLORS else "neutral"
        edge_svg.append(
            f'<g class="e{" low" if low else ""}"><title>{escape(title)}</title>'
            f'<path d="{path}" stroke="transparent" stroke-width="12" fill="none"/>'
            f'<path class="line" d="{path}" stroke="{color}" stroke-width="{stroke}" '
            f'fill="none"{dash} marker-end="url(#{view_id}-{stance})"/>'
            f'<text class="lbl" x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" '
            f'dominant-baseline="central" font-size="10.5" fill="{color}" stroke="white" '
            f'stroke-width="3" paint-order="stroke">{escape(label)}</text></g>'
        )
        edge_data.append({"u": u, "v": v, "off": off, "c": count})
        edge_html.append(_edge_panel(u, v, d, max_evidence))
        by_node[u].append((i, f"{_relation(u, v, d)} ({count}x)"))
        if v != u:
            by_node[v].append((i, f"{_relation(u, v, d)} ({count}x)"))
    node_svg, node_html = [], {}
    for node, d in sorted(g.nodes(data=True), key=lambda nd: str(nd[0])):
        node = str(node)
        x, y = screen[node]
        r = radius[node]
        fill = KIND_COLORS.get(d.get("kind"), "#888")
        name = escape(str(d.get("name") or node))
        node_svg.append(
            f'<g class="n" data-id="{escape(node)}" transform="translate({x:.1f},{y:.1f})">'
            f"<title>{escape(node)}: {name}</title>"
            f'<circle r="{r}" fill="{fill}" stroke="white" stroke-width="1.5"/>'
            f'<text y="{r + 8:.1f}" text-anchor="middle" dominant-baseline="central" '
            f'font-size="11" font-weight="bold" stroke="white" stroke-width="3" '
            f'paint-order="stroke">{escape(node)}</text></g>'
        )
        node_html[node] = _node_panel(node, d, by_node[node])
    markers = "".join(
        f'<marker id="{view_id}-{s}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" '
        f'markerHeight="6" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for s, c in STANCE_COLORS.items()
    )
    # Names are placed in this order: most mentioned actors first, then the busiest.
    order = sorted(pos, key=lambda n: (-g.nodes[n].get("mentions", 0), -degree[n], n))
    by_count = sorted(range(len(edge_data)), key=lambda i: (-edge_data[i]["c"], i))
    payload = {"pos": pos, "fit": fit, "origin": origin, "size": [width, height], "r": radius,
               "edges": edge_data, "edgeHtml": edge_html, "nodeHtml": node_html,
               "order": order, "byCount": by_count, "degree": degree}
    # "</" inside a script element would end it early; JSON allows the escaped form.
    blob = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
    legend = "".join(
        f'<span><b style="color:{c}">&#9472;&#9472;</b> {s}</span>'
        for s, c in STANCE_COLORS.items()
    ) + (
        '<span><b>&#9476;&#9476;</b> negated</span>'
        f'<span><b style="opacity:0.6">&middot;&middot;&middot;&middot;</b> '
        f"confidence &lt; {low_confidence:g}</span>"
    ) + "".join(
        f'<span><b style="color:{c}">&#9679;</b> {k}</span>'
        for k, c in KIND_COLORS.items()
        if any(d.get("kind") == k for _, d in g.nodes(data=True))
    )
    start = min(max(int(min_count), 1), max_count)
    controls = (
        '<span><button type="button" class="nr-in" title="zoom in">+</button>'
        '<button type="button" class="nr-out" title="zoom out">&minus;</button>'
        '<button type="button" class="nr-fit" title="show everything">fit</button></span>'
        f'<span><label>edges asserted &ge; <b class="nr-min-value">{start}</b>x '
        f'<input type="range" class="nr-min" min="1" max="{max_count}" step="1" '
        f'value="{start}"></label></span>'
        f'<span><label><input type="checkbox" class="nr-labels"'
        f'{" checked" if labels else ""}> predicates</label></span>'
    )
    hint = (
        '<div class="nr-title">Evidence</div><div class="nr-meta">Click an edge to read the '
        "sentences behind it; click an actor to list its relations. Wheel or +/&minus; "
        "zoom, drag the background to pan, drag an actor to move it. "
        f"{g.number_of_nodes()} actors, {g.number_of_edges()} edges in the graph.</div>"
    )
    html = (
        f'<div id="{view_id}" class="nr-view{" labels" if labels else ""}'
        f'{" busy" if g.number_of_edges() > 150 else ""}">'
        f"<style>{_STYLE.format(id=view_id, height=height)}</style>"
        f'<div class="nr-bar">{controls}{legend}</div>'
        f'<div class="nr-row"><svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif">'
        f'<defs>{markers}</defs><g class="edges">{"".join(edge_svg)}</g>'
        f'<g class="nodes">{"".join(node_svg)}</g></svg>'
        f'<div class="nr-panel">{hint}</div></div>'
        f'<div class="nr-meta nr-status"></div>'
        f'<script type="application/json" class="nr-data">{blob}</script>'
        f"<script>{_SCRIPT.replace('__ID__', view_id)}</script></div>"
    )
    return HTMLView(html)
