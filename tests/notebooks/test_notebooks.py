"""Execute the notebooks headlessly, as CI does, and check the outputs a reader relies on.

Each notebook runs once per session (``execute.run_notebook``); a probe cell appended to
the in-memory copy reports the key results as JSON, so the assertions do not depend on how
a table happens to be rendered. test_browser.py opens the same executed notebooks in
headless Chromium.

Also here: the display helpers of ``nlp_relations.notebook`` and ``DocResult._repr_html_``.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")

import nlp_relations  # noqa: E402
from nlp_relations import notebook as nb  # noqa: E402
from nlp_relations.schemas import Actor, DocResult, Evidence, Mention, Triple  # noqa: E402

from .execute import REPO, SEED, run_notebook  # noqa: E402

NOTEBOOKS = REPO / "notebooks"


def _tagged(notebook, tag: str) -> list[dict]:
    cells = [c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}"
    return cells[0].outputs


def _html(outputs) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in outputs)


def _has_png(outputs) -> bool:
    return any("image/png" in o.get("data", {}) for o in outputs)


@pytest.mark.parametrize("name", ["01_quickstart.ipynb", "02_explore_corpus.ipynb"])
def test_notebooks_committed_without_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name} is committed with outputs; clear them "
                "(jupyter nbconvert --clear-output --inplace notebooks/*.ipynb)"
            )
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_notebooks_quickstart_runs():
    notebook, probe = run_notebook("01_quickstart.ipynb")
    keys = {tuple(k) for k in probe["keys"]}
    if SEED.exists():
        assert probe["path"] == str(SEED)
        assert {("NATO", "condemns", "PRK"), ("PRK", "denounces", "NATO"),
                ("PRK", "exports_to", "RUS")} <= keys
    else:  # the fallback sample; CI has ../shared
        assert ("PRK", "denounces", "NATO") in keys
    for column in ("subject", "predicate", "object", "stance", "confidence", "negated",
                   "modality", "speaker", "source", "trigger", "sentence"):
        assert column in probe["columns"]
    assert {"NATO", "PRK"} <= set(probe["nodes"])
    actors_html = _html(_tagged(notebook, "actors"))
    assert "spans" in actors_html and "PRK" in actors_html  # displaCy span markup
    table_html = _html(_tagged(notebook, "triples"))
    assert "<table" in table_html and "condemns" in table_html
    assert _has_png(_tagged(notebook, "graph"))


def test_notebooks_explore_corpus_runs():
    notebook, probe = run_notebook("02_explore_corpus.ipynb")
    assert probe["docs"] == len(list((REPO / "data" / "samples").glob("*.txt")))
    assert probe["triples"] > 20 and probe["edges"] > 10
    assert probe["timeline"] > 0
    arcs = _html(_tagged(notebook, "arcs"))
    assert arcs.count("<svg") >= 3 and "marker-end" in arcs
    network = _html(_tagged(notebook, "network"))
    assert "<svg" in network and "nr-data" in network
    # Offline: no script, stylesheet or image is fetched from anywhere.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", network)
    assert _has_png(_tagged(notebook, "stance"))
    assert _has_png(_tagged(notebook, "timeline"))


# -- the display helpers ----------------------------------------------------------------


def _actor(actor_id: str, kind: str = "state") -> Actor:
    return Actor(id=actor_id, name=actor_id, kind=kind)


def _triple(sentence: str, subj: tuple[str, str], obj: tuple[str, str], predicate: str,
            *, offset: int = 0, negated: bool = False, doc_id: str = "d1") -> Triple:
    def mention(actor_id, text):
        start = offset + sentence.index(text)
        return Mention(actor=_actor(actor_id), text=text, start_char=start,
                       end_char=start + len(text))

    return Triple(
        subject=mention(*subj), predicate=predicate, object=mention(*obj),
        category="ACCUSE", cameo="111", stance="negative", confidence=0.8, negated=negated,
        evidence=Evidence(doc_id=doc_id, sentence=sentence, start_char=offset,
                          end_char=offset + len(sentence), trigger=predicate[:7],
                          doc_date="2024-07-13"),
    )


SENTENCE = ("North Korea on Saturday denounced a NATO summit declaration that condemned its "
            "weapons exports to Russia and warned of a strong strategic counteraction.")


def test_notebook_relation_arcs_draw_each_relation():
    t1 = _triple(SENTENCE, ("PRK", "North Korea"), ("NATO", "NATO"), "denounces", offset=40)
    t2 = _triple(SENTENCE, ("NATO", "NATO"), ("PRK", "its"), "condemns", offset=40)
    t3 = _triple(SENTENCE, ("PRK", "its"), ("RUS", "Russia"), "exports_to", offset=40,
                 negated=True)
    html = str(nb.relation_arcs([t1, t2, t3], width=420))  # narrow: the sentence wraps
    assert html.count("<svg") == 1
    for label in ("denounces", "condemns", "NOT exports_to", "PRK", "NATO", "RUS"):
        assert label in html
    assert "stroke-dasharray" in html  # the negated relation


def test_notebook_relation_arcs_locate_mentions_in_stripped_sentences():
    # The evidence sentence was stripped: offsets relative to its start are off by two.
    t = _triple(SENTENCE, ("PRK", "North Korea"), ("NATO", "NATO"), "denounces", offset=10)
    shifted = t.model_copy(update={"evidence": t.evidence.model_copy(
        update={"start_char": 8})})
    html = str(nb.relation_arcs(shifted))
    assert ">North Korea</text>" in html and ">NATO</text>" in html


def test_notebook_network_view_is_offline_and_carries_evidence():
    triples = [
        _triple(SENTENCE, ("PRK", "North Korea"), ("NATO", "NATO"), "denounces"),
        _triple(SENTENCE, ("NATO", "NATO"), ("PRK", "its"), "condemns"),
        _triple("Seoul urged Beijing </script> to act.", ("KOR", "Seoul"),
                ("CHN", "Beijing"), "urges", doc_id="d2"),
    ]
    html = str(nb.network_view(nlp_relations.build_graph(triples)))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    data = re.search(r'<script type="application/json" class="nr-data">(.*?)</script>', html,
                     re.S)
    payload = json.loads(data.group(1))
    assert len(payload["edges"]) == 3 and set(payload["pos"]) == {"PRK", "NATO", "KOR", "CHN"}
    assert any("denounces" in h and "summit declaration" in h for h in payload["edgeHtml"])
    assert any("&lt;/script&gt;" in h for h in payload["edgeHtml"])  # escaped, not raw


def test_notebook_triples_frame_columns():
    t = _triple(SENTENCE, ("PRK", "North Korea"), ("NATO", "NATO"), "denounces")
    result = DocResult(doc_id="d1", ok=True, triples=[t])
    frame = nb.triples_frame([result, t])
    assert list(frame.columns) == list(nb.TRIPLE_COLUMNS)
    assert frame[["subject", "predicate", "object"]].values.tolist() == [
        ["PRK", "denounces", "NATO"]] * 2
    with pytest.raises(TypeError, match="Triple or DocResult"):
        nb.triples_frame(["not a triple"])


def test_notebook_docresult_repr_html():
    t = _triple(SENTENCE, ("PRK", "North Korea"), ("NATO", "NATO"), "denounces")
    html = DocResult(doc_id="d<1>", ok=True, triples=[t], doc_date="2024-07-13")._repr_html_()
    assert "d&lt;1&gt;" in html and "denounces" in html and "<table" in html
    skipped = DocResult(doc_id="d2", ok=False, error="E001: empty text")._repr_html_()
    assert "skipped" in skipped and "E001" in skipped


def _drawn(g):
    import matplotlib

    matplotlib.use("Agg")
    ax = nb.draw_graph(g, figsize=(9, 6.5))
    renderer = ax.figure.canvas.get_renderer()
    nodes = ax.collections[0]
    centres = ax.transData.transform(nodes.get_offsets())
    radii = [(s**0.5) / 2 * ax.figure.dpi / 72 for s in nodes.get_sizes()]
    labels = [t.get_window_extent(renderer) for t in ax.texts if t.get_bbox_patch() is not None]
    return ax, centres, radii, labels


def test_notebook_draw_graph_lays_out_components_apart():
    from .synthetic import synthetic_graph

    g = synthetic_graph(24)  # one component of 14 actors and five separate pairs
    ax, centres, radii, labels = _drawn(g)
    for i in range(len(centres)):
        for j in range(i + 1, len(centres)):
            gap = ((centres[i] - centres[j]) ** 2).sum() ** 0.5
            assert gap > radii[i] + radii[j], "two actors overlap"
    # The pairs stand in a column right of the big component, not in its corners.
    names = [str(n) for n in sorted(g.nodes, key=str)]
    x = dict(zip(names, centres[:, 0]))
    pairs = {n for c in nx.connected_components(g.to_undirected()) if len(c) == 2 for n in c}
    assert len(pairs) == 10
    assert min(x[n] for n in pairs) > max(x[n] for n in names if n not in pairs)
    assert len(labels) == len({(str(u), str(v)) for u, v in g.edges()})


def test_notebook_draw_graph_labels_of_the_seed_article_do_not_overlap(seed_result):
    from matplotlib.patches import FancyArrowPatch

    g = nlp_relations.build_graph([seed_result])
    ax, centres, radii, labels = _drawn(g)
    assert len(labels) >= 8
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not a.overlaps(b), "two edge labels overlap"
    for a in labels:  # and no label covers an actor
        for (x, y), r in zip(centres, radii):
            assert not (a.x0 < x + r and x - r < a.x1 and a.y0 < y + r and y - r < a.y1)
    # An unsure relation is dotted.
    unsure = seed_result.model_copy(update={"triples": [
        t.model_copy(update={"confidence": 0.2}) if t.predicate.value == "warns" else t
        for t in seed_result.triples]})
    ax, *_ = _drawn(nlp_relations.build_graph([unsure]))
    styles = [p.get_linestyle() for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert sum(1 for s in styles if s in (":", "dotted")) == 1, styles


def test_notebook_network_view_marks_low_confidence_and_has_controls():
    sure = _triple(SENTENCE, ("PRK", "North Korea"), ("NATO", "NATO"), "denounces")
    unsure = _triple(SENTENCE, ("NATO", "NATO"), ("PRK", "its"), "condemns")
    unsure = unsure.model_copy(update={"confidence": 0.3})
    html = str(nb.network_view(nlp_relations.build_graph([sure, unsure])))
    assert html.count('class="e low"') == 1 and 'stroke-dasharray="1.5 3"' in html
    for control in ("nr-in", "nr-out", "nr-fit", "nr-min", "nr-labels"):
        assert f'class="{control}"' in html
    payload = json.loads(re.search(r'class="nr-data">(.*?)</script>', html, re.S).group(1))
    assert payload["fit"] > 0 and len(payload["origin"]) == 2
    assert sorted(payload["order"]) == ["NATO", "PRK"]
