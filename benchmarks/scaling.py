"""Time and peak memory of one document against its length: does the cost grow linearly?

Three kinds of text, each cut to 10k, 100k and 1M characters and run through the default
pipeline (``extract_many``, results built) as ONE document:

- ``prose``: the sample articles and the usgov statements, paragraph after paragraph;
- ``wire``: wire stories with datelines, bylines, "READ ALSO" blocks, credits and "(END)" tags;
- ``runon``: "NATO condemned North Korea and " repeated, no sentence end at all.

Each case runs in a fresh process (so its peak memory is its own) after the pipeline is loaded
and warmed up; the timed part is the document alone. The exponent is the slope of log(CPU
seconds) over log(characters) from the smallest to the largest size measured (1.0 = linear).

    .venv/bin/python benchmarks/scaling.py [--sizes 10000 100000 1000000] [--kinds prose wire runon]
                                            [--timeout 900] [--bare]

``--bare`` runs the same cases through bare en_core_web_sm (``nlp(text)``) instead, for the
share of time and memory that is spaCy's own.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
USGOV = REPO.parent / "shared" / "datasets" / "usgov-statements" / "dev.jsonl"
KINDS = ("prose", "wire", "runon")


def _paragraphs() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "data" / "samples").glob("*.txt"))]
    if USGOV.exists():
        texts += [json.loads(line)["text"] for line in USGOV.read_text(encoding="utf-8").splitlines()]
    return [p.strip() for t in texts for p in t.split("\n\n") if p.strip()]


WIRE_TEMPLATE = (
    "North Korea slams NATO summit declaration\n"
    "By Kim Min-ji and John Roe, Reuters\n"
    "SEOUL, July {day} (Yonhap) -- North Korea on Saturday denounced the NATO summit "
    "declaration as a provocation, the Korean Central News Agency said. Pyongyang accused "
    "Washington of raising tensions on the peninsula.\n"
    "READ ALSO:\n"
    "Japan protests Chinese drills near Taiwan\n"
    "A Foreign Ministry spokesperson said the alliance had no right to interfere. South Korea "
    "urged the North to return to talks, and Japan expressed concern about the missile "
    "launches. (Yonhap)\n"
    "(Reporting by Jane Doe; Editing by John Roe)\n"
    "Photo: A file photo of the summit venue\n"
    "(END)\n\n"
)


def make_text(kind: str, size: int) -> str:
    """A text of ``kind`` cut to ``size`` characters (at a space)."""
    if kind == "runon":
        unit = "NATO condemned North Korea and "
        text = unit * (size // len(unit) + 1)
    elif kind == "wire":
        parts, total, day = [], 0, 1
        while total < size:
            story = WIRE_TEMPLATE.format(day=day % 28 + 1)
            parts.append(story)
            total += len(story)
            day += 1
        text = "".join(parts)
    elif kind == "prose":
        paras = _paragraphs()
        parts, total, i = [], 0, 0
        while total < size:
            parts.append(paras[i % len(paras)])
            total += len(parts[-1]) + 2
            i += 1
        text = "\n\n".join(parts)
    else:
        raise ValueError(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > size // 2 else size]


def _vm_hwm_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_case(kind: str, size: int, bare: bool = False) -> dict:
    """Load the pipeline, warm it up, then time one document (called in a child process).

    ``bare``: en_core_web_sm alone, the Doc only (``actors`` then counts its entities)."""
    text = make_text(kind, size)
    if bare:
        import spacy

        from nlp_relations.api import BASE_MODEL

        nlp = spacy.load(BASE_MODEL)
        nlp.max_length = len(text) + 1

        def run(t: str) -> dict:
            doc = nlp(t)
            return {"ok": True, "error": None, "triples": 0, "actors": len(doc.ents)}
    else:
        import nlp_relations

        nlp = nlp_relations.load()

        def run(t: str) -> dict:
            # No time budget: the measure is the whole run.
            (result,) = nlp_relations.extract_many([t], nlp=nlp, max_chars=len(t) + 1,
                                                   time_budget=None)
            return {"ok": result.ok, "error": result.error, "triples": len(result.triples),
                    "actors": len(result.actors)}
    run(make_text("prose", 2000))
    loaded = _vm_hwm_mib()
    cpu, wall = time.process_time(), time.perf_counter()
    row = run(text)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"kind": kind, "chars": len(text), **row, "cpu_s": cpu, "wall_s": wall,
            "peak_mib": _vm_hwm_mib(), "loaded_mib": loaded}


def exponent(rows: list[dict]) -> float | None:
    """Slope of log(cpu) over log(chars) between the smallest and largest finished case."""
    done = [r for r in rows if r.get("cpu_s")]
    if len(done) < 2:
        return None
    lo, hi = min(done, key=lambda r: r["chars"]), max(done, key=lambda r: r["chars"])
    if hi["chars"] == lo["chars"]:
        return None
    return math.log(hi["cpu_s"] / lo["cpu_s"]) / math.log(hi["chars"] / lo["chars"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per case")
    parser.add_argument("--bare", action="store_true",
                        help="bare en_core_web_sm instead (the actors column counts its entities)")
    parser.add_argument("--case", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case[0], int(args.case[1]), bare=args.bare)))
        return
    print(f"{'kind':<6} {'chars':>9} {'CPU s':>8} {'wall s':>8} {'peak MiB':>9} {'+MiB':>6} "
          f"{'actors' if not args.bare else 'ents':>7} {'triples':>7}")
    for kind in args.kinds:
        rows = []
        for size in args.sizes:
            try:
                out = subprocess.run([sys.executable, __file__, "--case", kind, str(size)]
                                     + ["--bare"] * args.bare,
                                     capture_output=True, text=True, timeout=args.timeout,
                                     check=True)
                row = json.loads(out.stdout.strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                print(f"{kind:<6} {size:>9} {'> ' + str(int(args.timeout)):>8} (stopped)", flush=True)
                continue
            rows.append(row)
            status = "" if row["ok"] else f"  {row['error']}"
            print(f"{kind:<6} {row['chars']:>9,} {row['cpu_s']:>8.2f} {row['wall_s']:>8.2f} "
                  f"{row['peak_mib']:>9.0f} {row['peak_mib'] - row['loaded_mib']:>6.0f} "
                  f"{row['actors']:>7,} {row['triples']:>7,}{status}", flush=True)
        slope = exponent(rows)
        if slope is not None:
            print(f"{kind:<6} exponent (CPU time vs characters): {slope:.2f}", flush=True)


if __name__ == "__main__":
    main()
