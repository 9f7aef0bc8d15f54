"""Run each notebook once per test session, for the output checks and the browser checks.

Each notebook runs with nbclient in the ``python3`` kernel of this interpreter, from the
notebooks/ folder. A probe cell appended to the in-memory copy prints the key results as
JSON; it is removed again, so the notebook handed out is what a reader would see.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import nbclient
import nbformat

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SEED = (REPO / ".." / "shared" / "seeds" / "000_3e23302cc0466d01.txt").resolve()
CELL_TIMEOUT = 300
PROBE_MARK = "NOTEBOOK-PROBE:"
# What each notebook's probe cell reports (a Python expression over the notebook's names).
PROBES = {
    "01_quickstart.ipynb": (
        "{'path': str(path), 'keys': sorted({(s, p, o) for s, p, o in "
        "zip(triples.subject, triples.predicate, triples.object)}), "
        "'columns': list(triples.columns), 'nodes': sorted(graph.nodes)}"
    ),
    "02_explore_corpus.ipynb": (
        "{'docs': len(results), 'triples': len(triples), 'edges': graph.number_of_edges(), "
        "'pair': [a, b], 'timeline': int(timeline.to_numpy().sum())}"
    ),
}


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


@functools.cache
def run_notebook(name: str) -> tuple[nbformat.NotebookNode, dict]:
    """The executed notebook (outputs in place, probe cell removed) and the probe's report.

    Cached: the tests share one run per notebook. Treat the notebook as read-only.
    """
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    source = f"import json as _json\nprint({PROBE_MARK!r} + _json.dumps({PROBES[name]}))"
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
