"""Peak memory of `nlp-relations extract` at growing corpus sizes: flat when results stream.

Writes a JSONL corpus of N short synthetic news stories (three sentences, actors drawn from a
fixed pool, so the graph's nodes and edges saturate while its evidence grows), then runs the
real command on it in a fresh process per measurement and reports that process's peak resident
memory (ru_maxrss) and wall time. Two outputs per size: the JSONL alone, and JSONL with --graph
(the graph keeps one evidence record per triple, so it grows with the corpus by design;
everything else should not). --table keeps counts only, as the tests check.

The pipeline is --rules-only by default to keep the run short on two cores (the relation model
adds a fixed amount of memory, not a per-document one); pass --model to include it.

    .venv/bin/python benchmarks/cli_memory.py [--sizes 1000 10000] [--model]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STATES = ["North Korea", "South Korea", "Russia", "China", "Japan", "Ukraine", "Iran",
          "Israel", "the United States", "the United Kingdom", "NATO", "the European Union"]
TEMPLATES = [
    "{a} condemned {b} over the missile launch on Tuesday.",
    "Officials from {a} met their counterparts from {b} in Geneva.",
    "{a} imposed new sanctions on {b}, the foreign ministry said.",
    "{a} praised {b} for its support during the talks.",
    "{a} accused {b} of violating the ceasefire near the border.",
]

# Run in a fresh interpreter: the command through its typer app, then the peak RSS in KiB.
CHILD = """
import resource, sys
from nlp_relations.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print("MAXRSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def write_corpus(path: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            sentences = []
            for template in rng.sample(TEMPLATES, 3):
                a, b = rng.sample(STATES, 2)
                sentences.append(template.format(a=a, b=b))
            text = " ".join(s[0].upper() + s[1:] for s in sentences)
            f.write(json.dumps({"id": f"story-{i:06}", "date": "2024-07-13", "text": text}) + "\n")


def measure(args: list[str]) -> tuple[float, float]:
    """(peak RSS in MiB, wall seconds) of one CLI run in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}): {' '.join(args)}\n{proc.stderr[-2000:]}")
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("MAXRSS"))
    return int(line.split()[1]) / 1024, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--model", action="store_true", help="Include the relation model.")
    parser.add_argument("--n-process", type=int, default=1)
    opts = parser.parse_args()
    extra = [] if opts.model else ["--rules-only"]
    extra += ["--n-process", str(opts.n_process)]
    print(f"pipeline: {'default' if opts.model else 'rules only'}, n_process={opts.n_process}; "
          f"peak RSS of the whole process (MiB) and wall time (s)")
    print(f"{'documents':>9}  {'jsonl':>14}  {'jsonl+graph':>14}")
    with tempfile.TemporaryDirectory(prefix="nlp_relations-bench-") as tmp:
        tmp = Path(tmp)
        for n in opts.sizes:
            corpus = tmp / f"corpus-{n}.jsonl"
            write_corpus(corpus, n)
            out = tmp / "out.jsonl"
            cells = []
            for more in ([], ["--graph", str(tmp / "g.graphml")]):
                rss, wall = measure(["extract", str(corpus), "-o", str(out), *extra, *more])
                cells.append(f"{rss:7.0f} {wall:5.0f}s")
            print(f"{n:>9}  " + "  ".join(f"{c:>14}" for c in cells), flush=True)
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB)")


if __name__ == "__main__":
    main()
