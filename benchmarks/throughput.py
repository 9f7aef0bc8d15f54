"""Words per second of bare en_core_web_sm and of the full nlp_relations pipeline.

Both run on the same texts in one process; the script prints both rates and their ratio.

    .venv/bin/python benchmarks/throughput.py [--repeat 20] [--batch-size 32] [--n-process 1]
                                              [--rounds 1]

With ``--rounds N`` the two pipelines run N times each, alternately, and each round's numbers are
printed before the best (shortest) time of each pipeline: on a shared machine other jobs only
ever slow a round down, so the best round is the steadiest estimate and the spread shows how
noisy the machine was.

``--interleave`` alternates the two pipelines batch by batch instead of run by run and adds up
each one's CPU time: where other jobs on the machine change its speed from minute to minute
(a shared virtual machine), both pipelines see the same conditions, so the ratio is far steadier
than that of whole runs (printed per round; the median round is reported, and the ratio of
all rounds' CPU time added up).

``--speedup`` measures what worker processes buy instead: the library call users make,
``nlp_relations.extract_many`` (results built), with one process and with ``--n-process``
workers, alternately, in wall-clock words per second:

    .venv/bin/python benchmarks/throughput.py --speedup --n-process 2 --repeat 60 --rounds 2

``--components`` times each nlp_relations component alone, in CPU seconds, on Docs
en_core_web_sm parsed once (run it on two trees of the project, each first on
``PYTHONPATH``, to compare them):

    .venv/bin/python benchmarks/throughput.py --components --repeat 4 --rounds 9
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import spacy

import nlp_relations
from nlp_relations.api import BASE_MODEL

REPO = Path(__file__).resolve().parents[1]


def corpus(repeat: int, source: Path | None = None) -> list[str]:
    """``repeat`` copies of the texts of ``source``: a folder of .txt files or a JSONL file
    with a "text" field per line (default: data/samples)."""
    source = source or REPO / "data" / "samples"
    if source.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(source.glob("*.txt"))]
    else:
        texts = [json.loads(line)["text"] for line in source.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    return texts * repeat


def machine() -> str:
    return f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"


def rate(nlp, texts: list[str], *, batch_size: int, n_process: int) -> tuple[float, float, float]:
    """(words per second, seconds, words per CPU-second of this process).

    CPU time is the steadier measure on a shared machine (other jobs stretch wall time, not this
    process's CPU time); with n_process > 1 the workers' CPU time is not counted, use wall time.
    """
    words = sum(len(t.split()) for t in texts)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return words / elapsed, elapsed, words / cpu


def interleaved(texts: list[str], *, batch_size: int, rounds: int) -> None:
    """Words per CPU-second of bare and full, alternating the two on each batch of texts."""
    import statistics

    bare = spacy.load(BASE_MODEL)
    full = nlp_relations.load()
    list(bare.pipe(texts[:4]))
    list(full.pipe(texts[:4]))
    batches = [texts[i:i + batch_size] for i in range(0, len(texts), batch_size)]
    words = sum(len(t.split()) for t in texts)
    ratios, totals = [], {"bare": 0.0, "full": 0.0}
    for n in range(rounds):
        cpu = {"bare": 0.0, "full": 0.0}
        for k, batch in enumerate(batches):
            # Which runs first alternates, so neither always finds the caches warm.
            order = (("bare", bare), ("full", full)) if k % 2 == 0 else \
                (("full", full), ("bare", bare))
            for name, nlp in order:
                start = time.process_time()
                for _ in nlp.pipe(batch, batch_size=batch_size):
                    pass
                cpu[name] += time.process_time() - start
        ratios.append(cpu["bare"] / cpu["full"])
        totals = {name: totals[name] + cpu[name] for name in totals}
        print(f"round {n + 1}: words per CPU-second bare {words / cpu['bare']:,.0f}, full "
              f"{words / cpu['full']:,.0f} (ratio {ratios[-1]:.3f})")
    print(machine())
    print(f"texts: {len(texts)} documents, {words} words, batch_size={batch_size}, interleaved")
    print(f"ratio full/bare (words per CPU-second), median of {rounds} rounds: "
          f"{statistics.median(ratios):.3f} (rounds {min(ratios):.3f}-{max(ratios):.3f}); "
          f"all rounds' CPU time together: {totals['bare'] / totals['full']:.3f}")


def components(texts: list[str], *, batch_size: int, rounds: int) -> None:
    """CPU time of each nlp_relations component, run again and again on the same Docs (parsed
    once by en_core_web_sm), and of the bare pipeline's components on the same texts."""
    import statistics

    full = nlp_relations.load()
    ours = [name for name in full.pipe_names if name.startswith("nlp_relations_")
            and name != "nlp_relations_lines"]
    with full.select_pipes(disable=ours):
        docs = list(full.pipe(texts, batch_size=batch_size))
    spacy_names = [n for n in full.pipe_names if not n.startswith("nlp_relations_")]
    times: dict[str, list[float]] = {name: [] for name in ours + ["(en_core_web_sm)"]}
    for _ in range(rounds):
        for name in ours:
            start = time.process_time()
            for _ in full.get_pipe(name).pipe(docs, batch_size=batch_size):
                pass
            times[name].append(time.process_time() - start)
        with full.select_pipes(enable=spacy_names):
            start = time.process_time()
            for _ in full.pipe(texts, batch_size=batch_size):
                pass
            times["(en_core_web_sm)"].append(time.process_time() - start)
    print(machine())
    print(f"texts: {len(texts)} documents; CPU seconds per pass, median of {rounds} rounds")
    med = {name: statistics.median(v) for name, v in times.items()}
    for name, value in med.items():
        print(f"{name:28s} {value:7.3f}")
    own = sum(med[name] for name in ours)
    print(f"nlp_relations components together {own:.3f} s, "
          f"{100 * own / med['(en_core_web_sm)']:.1f}% of en_core_web_sm's time")


def speedup(texts: list[str], *, batch_size: int, n_process: int, rounds: int) -> None:
    """Wall-clock words per second of ``extract_many`` with 1 and ``n_process`` processes."""
    words = sum(len(t.split()) for t in texts)
    nlp = nlp_relations.load()
    list(nlp.pipe(texts[:4]))
    best: dict[int, float] = {}
    for n in range(rounds):
        rate: dict[int, float] = {}
        for procs in (1, n_process):
            start = time.perf_counter()
            results = sum(1 for _ in nlp_relations.extract_many(
                texts, nlp=nlp, batch_size=batch_size, n_process=procs))
            assert results == len(texts), "a document got no result"
            rate[procs] = words / (time.perf_counter() - start)
            best[procs] = max(best.get(procs, 0.0), rate[procs])
        print(f"round {n + 1}: n_process=1 {rate[1]:,.0f} words/s, n_process={n_process} "
              f"{rate[n_process]:,.0f} words/s (speedup {rate[n_process] / rate[1]:.2f}x)")
    print(machine())
    print(f"texts: {len(texts)} documents, {words} words, batch_size={batch_size}")
    print(f"best rounds: n_process=1 {best[1]:,.0f} words/s, n_process={n_process} "
          f"{best[n_process]:,.0f} words/s; speedup {best[n_process] / best[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="copies of the texts")
    parser.add_argument("--texts", type=Path, default=None,
                        help="a folder of .txt files or a JSONL file with a text field "
                             "(default: data/samples), e.g. ../shared/datasets/usgov-statements/dev.jsonl")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1,
                        help="runs of each pipeline, alternately; the best is reported")
    parser.add_argument("--interleave", action="store_true",
                        help="alternate bare and full batch by batch (CPU time; one process)")
    parser.add_argument("--speedup", action="store_true",
                        help="extract_many with --n-process workers against one process")
    parser.add_argument("--components", action="store_true",
                        help="CPU time of each nlp_relations component on Docs parsed once")
    args = parser.parse_args()
    texts = corpus(args.repeat, args.texts)
    if args.components:
        components(texts, batch_size=args.batch_size, rounds=max(1, args.rounds))
        return
    if args.speedup:
        speedup(texts, batch_size=args.batch_size, n_process=args.n_process,
                rounds=max(1, args.rounds))
        return
    words = sum(len(t.split()) for t in texts)
    if args.interleave:
        interleaved(texts, batch_size=args.batch_size, rounds=max(1, args.rounds))
        return
    bare = spacy.load(BASE_MODEL)
    full = nlp_relations.load()
    # Warm both up so model loading and first-call costs are not timed.
    list(bare.pipe(texts[:4]))
    list(full.pipe(texts[:4]))
    runs = []
    for n in range(max(1, args.rounds)):
        bare_run = rate(bare, texts, batch_size=args.batch_size, n_process=args.n_process)
        full_run = rate(full, texts, batch_size=args.batch_size, n_process=args.n_process)
        runs.append((bare_run, full_run))
        if args.rounds > 1:
            print(f"round {n + 1}: words/s bare {bare_run[0]:,.0f}, full {full_run[0]:,.0f} "
                  f"(ratio {full_run[0] / bare_run[0]:.2f}); words per CPU-second bare "
                  f"{bare_run[2]:,.0f}, full {full_run[2]:,.0f} (ratio "
                  f"{full_run[2] / bare_run[2]:.2f})")
    # The best round of each pipeline: the least disturbed by other jobs.
    bare_wps, bare_s = max((b[0], b[1]) for b, _ in runs)
    full_wps, full_s = max((f[0], f[1]) for _, f in runs)
    bare_cpu = max(b[2] for b, _ in runs)
    full_cpu = max(f[2] for _, f in runs)
    print(machine())
    print(f"texts: {len(texts)} documents, {words} words, batch_size={args.batch_size}, "
          f"n_process={args.n_process}")
    print(f"pipeline: {' > '.join(full.pipe_names)}")
    if args.rounds > 1:
        print(f"best of {args.rounds} rounds:")
    print(f"{'pipeline':<28} {'words/s':>10} {'seconds':>8}")
    print(f"{'en_core_web_sm (bare)':<28} {bare_wps:>10,.0f} {bare_s:>8.2f}")
    print(f"{'nlp_relations (full)':<28} {full_wps:>10,.0f} {full_s:>8.2f}")
    print(f"ratio full/bare: {full_wps / bare_wps:.2f}")
    if args.n_process == 1:
        print(f"words per CPU-second: bare {bare_cpu:,.0f}, full {full_cpu:,.0f}; "
              f"ratio {full_cpu / bare_cpu:.2f}")


if __name__ == "__main__":
    main()
