"""Graph build and I/O at 10k, 100k and 1M triples: CPU seconds per step and peak memory.

Synthetic triples (60 actors drawn with Zipf weights, 7 predicates, 10 triples a document,
seeded) are streamed into ``build_graph``; the graph is then written and read back in every
format. Each size runs in a fresh process so its peak memory (VmHWM) is its own. Steps past ``--max-seconds`` of
accumulated time are skipped for that size, so a run stays bounded on a slow machine.

    .venv/bin/python benchmarks/graph_io.py [--sizes 10000 100000 1000000] [--formats ...]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("graphml", "gexf", "json", "csv")
PREDICATES = {  # predicate -> (PLOVER category, CAMEO, stance)
    "condemns": ("ACCUSE", "111", "negative"),
    "denounces": ("ACCUSE", "111", "negative"),
    "sanctions": ("SANCTION", "163", "negative"),
    "praises": ("SUPPORT", "051", "positive"),
    "exports_to": ("COOPERATE", "061", "positive"),
    "meets": ("CONSULT", "040", "neutral"),
    "threatens": ("THREATEN", "130", "negative"),
}


def triples(n: int, *, seed: int = 13):
    """``n`` valid Triples, built without re-validation (model_construct) to time the graph."""
    from nlp_relations.schemas import Actor, Evidence, Mention, Predicate, Triple

    rng = random.Random(seed)
    actors = [Actor.model_construct(id=f"A{i:02d}", name=f"Actor {i}", kind="state",
                                    country=f"A{i:02d}") for i in range(60)]
    names = list(PREDICATES)
    # A few actors take most statements (Zipf weights), as in news: their edges' evidence
    # columns grow large.
    weights = [1 / (i + 1) for i in range(len(actors))]
    for i in range(n):
        subject, obj = rng.choices(actors, weights, k=2)
        while obj is subject:
            obj = rng.choices(actors, weights)[0]
        predicate = rng.choice(names)
        category, cameo, stance = PREDICATES[predicate]
        doc = i // 10
        sentence = f"{subject.name} {predicate} {obj.name} over the events of day {i}."
        start = (i % 10) * 120
        yield Triple.model_construct(
            subject=Mention.model_construct(actor=subject, text=subject.name, start_char=start,
                                            end_char=start + 8, agent=None, sector=None),
            predicate=Predicate(predicate),
            object=Mention.model_construct(actor=obj, text=obj.name, start_char=start + 20,
                                           end_char=start + 28, agent=None, sector=None),
            category=category, cameo=cameo, stance=stance,
            confidence=round(rng.uniform(0.5, 1.0), 3), negated=rng.random() < 0.05,
            modality="asserted", speaker=None, source=None,
            evidence=Evidence.model_construct(
                doc_id=f"doc{doc:07d}", sentence=sentence, start_char=start,
                end_char=start + len(sentence), trigger=predicate,
                doc_date=f"2024-{doc % 12 + 1:02d}-{doc % 28 + 1:02d}"),
            method="rule", topic=None,
        )


def _vm_hwm_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_size(n: int, formats: list[str], max_seconds: float) -> dict:
    """Build and round-trip one graph of ``n`` triples (called in a child process)."""
    import nlp_relations.graph as graph

    out: dict = {"triples": n, "steps": {}}
    start = time.process_time()
    g = graph.build_graph(triples(n))
    out["steps"]["build"] = time.process_time() - start
    out["edges"] = g.number_of_edges()
    spent = out["steps"]["build"]
    writers = {"graphml": (graph.write_graphml, graph.read_graphml, "graph.graphml"),
               "gexf": (graph.write_gexf, graph.read_gexf, "graph.gexf"),
               "json": (graph.write_json, graph.read_json, "graph.json"),
               "csv": (graph.write_csv, graph.read_csv, "csv")}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            write, read, name = writers[fmt]
            for step, call in ((f"write {fmt}", lambda: write(g, Path(tmp) / name)),
                               (f"read {fmt}", lambda: read(Path(tmp) / name))):
                if spent > max_seconds:
                    out["steps"][step] = None
                    continue
                t = time.process_time()
                try:
                    result = call()
                except Exception as err:  # a failing reader is a result: report it
                    out["steps"][step] = None
                    out.setdefault("errors", {})[step] = f"{type(err).__name__}: {err}"[:100]
                    continue
                out["steps"][step] = time.process_time() - t
                spent += out["steps"][step]
                if step.startswith("read"):
                    out.setdefault("round_trip", {})[fmt] = \
                        result.number_of_edges() == g.number_of_edges()
                    del result
    out["peak_mib"] = _vm_hwm_mib()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--max-seconds", type=float, default=600,
                        help="skip the remaining steps of a size after this much time")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per size")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size:
        print(json.dumps(run_size(args.size, args.formats, args.max_seconds)))
        return
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--size", str(n), "--formats", *args.formats,
               "--max-seconds", str(args.max_seconds)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{n:>9,} triples: stopped after {args.timeout:.0f} s", flush=True)
            continue
        if done.returncode != 0:
            print(f"{n:>9,} triples: failed: {done.stderr.strip().splitlines()[-1]}", flush=True)
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        steps = "  ".join(f"{k} {'-' if v is None else f'{v:.2f}'}" for k, v in row["steps"].items())
        print(f"{n:>9,} triples, {row['edges']:,} edges, peak {row['peak_mib']:.0f} MiB: {steps}"
              f"  (round trips: {row.get('round_trip')})", flush=True)
        for step, error in row.get("errors", {}).items():
            print(f"{'':>9}   {step} failed: {error}", flush=True)


if __name__ == "__main__":
    main()
