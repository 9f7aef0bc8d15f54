"""Cold start: wall time and peak memory of one extraction in a fresh Python process.

Each run is a new process doing what a first-time user does:
``import nlp_relations; nlp_relations.extract("NATO condemned Russia.")`` (import, pipeline
load, first document). Prints, per interpreter, the median and range of the wall time over
``--runs`` runs, the median CPU time (user + system: steadier than wall time on a shared
machine), the peak resident memory and whether torch or transformers were imported.

    .venv/bin/python benchmarks/cold_start.py            # this interpreter, 5 runs
    .venv/bin/python benchmarks/cold_start.py --python .venv-light/bin/python --runs 9
    make bench-cold        # the dev venv and .venv-light (`pip install .`: no extras, no torch)

The child runs in a temporary folder, so it imports the nlp_relations installed in that
interpreter (the checkout, for an editable install). It inherits the environment: set
PYTHONPATH to measure another copy of the code, e.g. an older commit from `git archive`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = """
import sys
import nlp_relations
triples = nlp_relations.extract({text!r})
import json
print(json.dumps({{"triples": len(triples),
                  "heavy": sorted(m for m in ("torch", "transformers", "spacy_transformers")
                                  if m in sys.modules)}}))
"""


def run_once(python: str, text: str) -> dict:
    """One cold process: wall seconds, peak RSS (MiB) and what it imported."""
    # wait4 reaps the child so that its own rusage (peak RSS) is read, not the sum of all.
    with tempfile.TemporaryDirectory() as cwd:
        start = time.perf_counter()
        proc = subprocess.Popen([python, "-c", CHILD.format(text=text)], cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out = proc.stdout.read()
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{python} failed (exit {proc.returncode}):\n{err[-2000:]}")
    info = json.loads(out.strip().splitlines()[-1])
    info.update(wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime,
                rss_mib=usage.ru_maxrss / 1024)
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", help="interpreter(s) to measure "
                        "(default: this one)")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per interpreter")
    parser.add_argument("--text", default="NATO condemned Russia.")
    args = parser.parse_args(argv)
    print(f"{'interpreter':<34} {'wall s':>7} {'min-max':>11} {'CPU s':>6} {'peak MiB':>9}  "
          "heavy imports")
    for python in [os.path.abspath(p) for p in args.python or [sys.executable]]:
        run_once(python, args.text)  # warm the file cache: we measure imports, not the disk
        runs = [run_once(python, args.text) for _ in range(args.runs)]
        walls = [r["wall_s"] for r in runs]
        cpu = statistics.median(r["cpu_s"] for r in runs)
        rss = statistics.median(r["rss_mib"] for r in runs)
        heavy = ", ".join(runs[0]["heavy"]) or "none"
        print(f"{python:<34} {statistics.median(walls):>7.2f} "
              f"{min(walls):>5.2f}-{max(walls):<5.2f} {cpu:>6.2f} {rss:>9.0f}  {heavy}")


if __name__ == "__main__":
    main()
