"""Execute the notebooks headlessly, as CI does, and check the outputs a reader relies on.

Each notebook runs with nbclient in the ``python3`` kernel of this interpreter, from the
notebooks/ folder. A probe cell appended to the in-memory copy reports the key results
as JSON, so the assertions do not depend on how a table happens to be rendered.

Also here: the display helpers of ``nlp_relations.notebook`` and ``DocResult._repr_html_``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")

import nlp_relations  # noqa: E402
from nlp_relations import notebook as nb  # noqa: E402
from nlp_relations.schemas import Actor, DocResult, Evidence, Mention, Triple  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SEED = (REPO / ".." / "shared" / "seeds" / "000_3e23302cc0466d01.txt").resolve()
CELL_TIMEOUT = 300
PROBE_MARK = "NOTEBOOK-PROBE:"


def _ensure_kernel() -> str:
    """The kernel name to run: ``python3``, installed into this interpreter's prefix if absent.

    nbclient finds kernels through jupyter's data paths, which include ``sys.prefix`` of
    the running interpreter, so a spec written there runs the notebook with this venv.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
        if Path(spec.argv[0]).exists() or spec.argv[0] in ("python", "python3"):
            return "python3"
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(user=False, prefix=sys.prefix)
    return "python3"


def _run(name: str, probe: str) -> tuple[nbformat.NotebookNode, dict]:
    path = NOTEBOOKS / name
    notebook = nbformat.read(path, as_version=4)
    source = f"import json as _json\nprint({PROBE_MARK!r} + _json.dumps({probe}))"
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name=_ensure_kernel(),
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    match = re.search(re.escape(PROBE_MARK) + r"(.*)", text)
    assert match, f"the probe cell printed nothing: {text!r}"
    notebook.cells.pop()
    return notebook, json.loads(match.group(1))


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
    notebook, probe = _run(
        "01_quickstart.ipynb",
        "{'path': str(path), 'keys': sorted({(s, p, o) for s, p, o in "
        "zip(triples.subject, triples.predicate, triples.object)}), "
        "'columns': list(triples.columns), 'nodes': sorted(graph.nodes)}",
    )
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
    notebook, probe = _run(
        "02_explore_corpus.ipynb",
        "{'docs': len(results), 'triples': len(triples), 'edges': graph.number_of_edges(), "
        "'pair': [a, b], 'timeline': int(timeline.to_numpy().sum())}",
    )
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
