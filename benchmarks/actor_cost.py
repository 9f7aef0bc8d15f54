"""Load time, peak memory and words/s of the default pipeline, in a fresh process.

    .venv/bin/python benchmarks/actor_cost.py [SAMPLES_DIR] [--repeat 5]

Run it on another tree of the project with that tree first on the path, e.g. the tree at the
start of 2026-11-30: ``git worktree add /tmp/before 8412055^ && cd /tmp/before &&
PYTHONPATH=/tmp/before /path/to/.venv/bin/python /path/to/benchmarks/actor_cost.py
/path/to/data/samples``.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", nargs="?", default=str(REPO / "data" / "samples"))
    parser.add_argument("--repeat", type=int, default=5, help="copies of the samples")
    args = parser.parse_args()
    start = time.perf_counter()
    import nlp_relations

    nlp = nlp_relations.load()
    load_s = time.perf_counter() - start
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(args.samples).glob("*.txt"))]
    texts *= args.repeat
    words = sum(len(t.split()) for t in texts)
    list(nlp.pipe(texts[:4]))  # first-call costs are not timed
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{nlp_relations.__file__}\nload {load_s:.2f} s  peak {peak:.0f} MiB  "
          f"{words / wall:.0f} words/s  {words / cpu:.0f} words/CPU-s  ({len(texts)} documents)")


if __name__ == "__main__":
    main()
