"""The executed notebooks and the network view, opened in headless Chromium.

Both notebooks are executed (once per session, shared with test_notebooks.py), converted to
HTML pages with nbconvert, and loaded from disk in Chromium, driven over the DevTools
protocol (browser.py). The checks: no script error, no request leaves the machine, the
network view becomes interactive, zoom and pan move it, its actor names never overlap
(also with 150 actors, measured in the browser), the count slider filters, low-confidence
edges are drawn dotted. Screenshots for review go to $NOTEBOOK_SCREENS, by default
out/notebook_screens/ (not committed).

Skipped when no Chromium is found, except where NOTEBOOK_REQUIRE_CHROMIUM is set (CI:
.ci/run installs Debian's chromium and sets it).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

pytest.importorskip("nbclient")
nbconvert = pytest.importorskip("nbconvert")
pytest.importorskip("matplotlib")

from nlp_relations import notebook as nb  # noqa: E402

from .browser import Browser, find_chromium  # noqa: E402
from .execute import REPO, run_notebook  # noqa: E402
from .synthetic import synthetic_graph  # noqa: E402

CHROMIUM = find_chromium()
# .ci/run sets NOTEBOOK_REQUIRE_CHROMIUM: there a missing browser fails instead of skipping.
REQUIRED = bool(os.environ.get("NOTEBOOK_REQUIRE_CHROMIUM"))
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED,
    reason="no Chromium found: apt-get install chromium (CI does, in .ci/run) or set CHROMIUM",
)
SCREENS = Path(os.environ.get("NOTEBOOK_SCREENS", REPO / "out" / "notebook_screens"))
NAMES = ["01_quickstart.ipynb", "02_explore_corpus.ipynb"]
VIEW = "div.nr-view"

# nbconvert's lab page loads require.js and MathJax from a CDN; these notebooks use neither,
# so the page template drops both and the page loads nothing from the network.
OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""

# Screen boxes of the actor names shown, of the circles and of the predicates shown.
MEASURE = """(() => {
  const root = document.querySelector("div.nr-view");
  const box = (el) => { const r = el.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom]; };
  const seen = (el) => getComputedStyle(el).display !== "none" &&
                       getComputedStyle(el.closest("g")).display !== "none";
  const svg = box(root.querySelector("svg"));
  const inView = (b) => b[2] > svg[0] && b[0] < svg[2] && b[3] > svg[1] && b[1] < svg[3];
  const names = [...root.querySelectorAll("g.n text")].filter(seen).map(box).filter(inView);
  const circles = [...root.querySelectorAll("g.n")].filter(seen)
    .map(n => box(n.querySelector("circle"))).filter(inView);
  const predicates = [...root.querySelectorAll("g.e text")].filter(seen).map(box)
    .filter(inView);
  const edges = [...root.querySelectorAll("g.e")].filter(seen).length;
  return {names, circles, predicates, edges, zoom: +root.dataset.zoom,
          status: root.querySelector(".nr-status").textContent};
})()"""


def _overlaps(boxes: list[list[float]], others: list[list[float]] | None = None,
              slack: float = 0.5) -> list[tuple]:
    """Pairs of boxes that share more than ``slack`` pixels each way."""
    found = []
    pairs = ((a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]) if others is None \
        else ((a, b) for a in boxes for b in others)
    for a, b in pairs:
        if min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack:
            found.append((a, b))
    return found


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("NOTEBOOK_REQUIRE_CHROMIUM is set but no Chromium was found")
    with Browser.start(CHROMIUM) as b:
        yield b


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Each executed notebook as a standalone HTML page on disk."""
    from jinja2 import DictLoader

    exporter = nbconvert.HTMLExporter(
        extra_loaders=[DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})],
        template_file="offline.html.j2",
    )
    folder = tmp_path_factory.mktemp("notebook_html")
    out = {}
    for name in NAMES:
        notebook, _ = run_notebook(name)
        html, _ = exporter.from_notebook_node(notebook)
        out[name] = folder / name.replace(".ipynb", ".html")
        out[name].write_text(html, encoding="utf-8")
    return out


def _view_page(tmp_path: Path, view, name: str) -> Path:
    path = tmp_path / name
    path.write_text(f'<!doctype html><html><head><meta charset="utf-8"></head>'
                    f'<body style="margin:8px">{view}</body></html>', encoding="utf-8")
    return path


def _leaving(page) -> list[str]:
    """Requests for anything but the local file and inline data."""
    return [u for u in page.requests if not u.startswith(("file:", "data:", "about:"))]


def _settle(page) -> None:
    """Wait two animation frames, so the label placement scheduled by a redraw has run."""
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_browser_catches_script_errors_and_remote_requests(browser, tmp_path):
    # The harness itself: a broken page must be reported, or the checks below prove nothing.
    page_path = tmp_path / "broken.html"
    page_path.write_text(
        '<!doctype html><script>console.error("boom");</script>'
        '<script src="https://cdn.example.invalid/lib.js"></script>'
        "<script>undefinedFunction();</script>", encoding="utf-8")
    page = browser.open(page_path.as_uri())
    errors = " | ".join(page.errors)
    assert "undefinedFunction" in errors and "boom" in errors
    assert _leaving(page) == ["https://cdn.example.invalid/lib.js"]


@pytest.mark.parametrize("name", NAMES)
def test_browser_notebook_renders_without_errors(browser, pages, name):
    page = browser.open(pages[name].as_uri())
    assert page.errors == []
    assert _leaving(page) == [], "the page fetched something from the network"
    images = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    assert images and all(images), "a figure did not load"
    stem = name.removesuffix(".ipynb")
    page.screenshot(SCREENS / f"{stem}.png")
    if name.startswith("02"):
        assert page.evaluate(f"document.querySelector('{VIEW}').dataset.ready") == "1"
        page.screenshot(SCREENS / f"{stem}_network.png", selector=VIEW)
    else:
        page.screenshot(SCREENS / f"{stem}_graph.png",
                        selector=".jp-Cell:has(img) .jp-OutputArea-output img")


def test_browser_network_zooms_pans_and_opens_evidence(browser, pages):
    page = browser.open(pages["02_explore_corpus.ipynb"].as_uri())
    page.evaluate(f"document.querySelector('{VIEW}').scrollIntoView()")
    _settle(page)
    where = """(() => { const root = document.querySelector("div.nr-view");
      const c = [...root.querySelectorAll("g.n circle")].slice(0, 2)
        .map(e => { const r = e.getBoundingClientRect();
                    return [r.left + r.width / 2, r.top + r.height / 2, r.width]; });
      const s = root.querySelector("svg").getBoundingClientRect();
      return {c, svg: [s.left, s.top, s.width, s.height], zoom: +root.dataset.zoom}; })()"""
    before = page.evaluate(where)
    left, top, w, h = before["svg"]
    page.mouse("mouseWheel", left + w / 2, top + h / 2, deltaX=0, deltaY=-400)
    _settle(page)
    zoomed = page.evaluate(where)
    factor = zoomed["zoom"] / before["zoom"]
    assert factor > 1.5

    def gap(state):
        (x0, y0, _), (x1, y1, _) = state["c"]
        return ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5

    # Positions spread by the zoom factor; circles keep their size on screen.
    assert gap(zoomed) == pytest.approx(gap(before) * factor, rel=0.02)
    assert zoomed["c"][0][2] == pytest.approx(before["c"][0][2], abs=0.5)
    # Pan: drag from a point where the background (the svg itself) is hit.
    spot = page.evaluate(f"""(() => {{ const s = document.querySelector("{VIEW} svg")
        .getBoundingClientRect();
      for (let y = s.top + 5; y < s.bottom; y += 7) for (let x = s.left + 5; x < s.right; x += 7)
        if (document.elementFromPoint(x, y).tagName === "svg") return [x, y];
      return null; }})()""")
    assert spot, "no free background to drag"
    page.drag(tuple(spot), (spot[0] - 60, spot[1] + 40))
    panned = page.evaluate(where)
    assert panned["c"][0][0] == pytest.approx(zoomed["c"][0][0] - 60, abs=1.5)
    assert panned["c"][0][1] == pytest.approx(zoomed["c"][0][1] + 40, abs=1.5)
    # The fit button goes back to the first view.
    page.evaluate(f"document.querySelector('{VIEW} button.nr-fit').click()")
    back = page.evaluate(where)["c"]
    assert [v for c in back for v in c] == pytest.approx([v for c in before["c"] for v in c],
                                                         abs=0.5)
    # Clicking an edge lists its evidence sentences.
    page.evaluate(f"""document.querySelector("{VIEW} g.e path").dispatchEvent(
        new MouseEvent("click", {{bubbles: true}}))""")
    panel = page.evaluate(f"document.querySelector('{VIEW} .nr-panel').textContent")
    assert "assertion(s) in" in panel
    assert page.errors == []


def test_browser_network_of_150_actors_is_legible(browser, tmp_path):
    g = synthetic_graph(150)
    low = sum(1 for _, _, d in g.edges(data=True)
              if d.get("confidence_mean") is not None and d["confidence_mean"] < 0.5)
    started = time.monotonic()
    view = nb.network_view(g)
    assert time.monotonic() - started < 10
    page = browser.open(_view_page(tmp_path, view, "network_150.html").as_uri(),
                        width=1300, height=820)
    _settle(page)
    assert page.errors == [] and _leaving(page) == []
    first = page.evaluate(MEASURE)
    assert first["edges"] == g.number_of_edges()
    # Most actors are named at the first view, and no name covers another or a circle.
    assert len(first["names"]) >= 100, first["status"]
    # Real text was measured (a browser without fonts would draw empty boxes).
    assert min(b[2] - b[0] for b in first["names"]) > 8
    assert _overlaps(first["names"]) == []
    assert _overlaps(first["names"], first["circles"]) == []
    page.screenshot(SCREENS / "network_150.png", selector=VIEW)
    # Zoomed in on the middle: still no overlap, and more room per actor.
    svg = page.evaluate(f"(() => {{ const r = document.querySelector('{VIEW} svg')"
                        ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()")
    page.mouse("mouseWheel", svg[0] + svg[2] * 0.4, svg[1] + svg[3] * 0.5, deltaX=0, deltaY=-500)
    page.evaluate(f"document.querySelector('{VIEW} input.nr-labels').click()")
    _settle(page)
    zoomed = page.evaluate(MEASURE)
    assert zoomed["zoom"] > 1.8 * first["zoom"]
    assert zoomed["predicates"], "with predicates ticked, some predicate labels fit"
    labels = zoomed["names"] + zoomed["predicates"]
    assert _overlaps(labels) == []
    assert _overlaps(zoomed["predicates"], zoomed["circles"]) == []
    page.screenshot(SCREENS / "network_150_zoomed.png", selector=VIEW)
    # The count slider: only edges asserted at least twice, and the actors they join.
    page.evaluate(f"""(() => {{ const s = document.querySelector("{VIEW} input.nr-min");
      s.value = 2; s.dispatchEvent(new Event("input")); }})()""")
    page.evaluate(f"document.querySelector('{VIEW} button.nr-fit').click()")
    _settle(page)
    filtered = page.evaluate(MEASURE)
    strong = [(u, v) for u, v, d in g.edges(data=True) if d["count"] >= 2]
    assert filtered["edges"] == len(strong)
    assert len(filtered["circles"]) == len({a for pair in strong for a in pair})
    assert _overlaps(filtered["names"]) == []
    page.screenshot(SCREENS / "network_150_min2.png", selector=VIEW)
    # Low-confidence edges are dotted (negated ones dashed), the others solid.
    dashes = page.evaluate(f"""[...document.querySelectorAll("{VIEW} g.e.low .line")]
        .map(p => p.getAttribute("stroke-dasharray"))""")
    assert low and len(dashes) == low
    assert all(d in ("1.5 3", "5 3") for d in dashes) and dashes.count("1.5 3") > low / 2
    assert page.errors == []
