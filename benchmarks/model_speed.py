"""Words per second of the nlp_relations pipeline with and without the relation model.

Run by hand (never a timed assert):

    python benchmarks/model_speed.py                       # the default's model vs rules only
    python benchmarks/model_speed.py --model-dir training/out_trf --repeat 3

Texts: the sample documents in data/samples/ plus the sentences of data/corpus/relations_dev.jsonl.
Each pipeline processes them once to warm up, then ``--repeat`` times under the clock. Words are
non-space tokens. Threads: whatever torch and NumPy pick (set OMP_NUM_THREADS to pin them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def texts() -> list[str]:
    out = [p.read_text(encoding="utf-8") for p in sorted((REPO / "data" / "samples").glob("*.txt"))]
    with (REPO / "data" / "corpus" / "relations_dev.jsonl").open(encoding="utf-8") as handle:
        out += [json.loads(line)["text"] for line in handle if line.strip()]
    return out


def words_per_second(nlp, docs: list[str], repeat: int) -> tuple[float, int]:
    list(nlp.pipe(docs, batch_size=32))
    words = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for doc in nlp.pipe(docs, batch_size=32):
            words += sum(not t.is_space for t in doc)
    return words / (time.perf_counter() - start), words // repeat


def main() -> None:
    from nlp_relations.api import COMBINER, MODEL, RULES, load
    from nlp_relations.pipeline.combiner import add_model_components

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None,
                        help="a packaged model other than the default's "
                             "(models/relation_model_light/), e.g. models/relation_model")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = texts()
    rules = load(model=False, cache=False)
    if args.model_dir:
        full = load(model=False, cache=False)
        add_model_components(full, args.model_dir, after=RULES, model_name=MODEL,
                             combiner_name=COMBINER)
    else:
        full = load(cache=False)
    wps_rules, n = words_per_second(rules, docs, args.repeat)
    wps_full, _ = words_per_second(full, docs, args.repeat)
    print(f"{len(docs)} texts, {n} words, repeat {args.repeat}")
    print(f"rules only ({' '.join(rules.pipe_names)}): {wps_rules:,.0f} words/s")
    print(f"rules + model ({' '.join(full.pipe_names)}): {wps_full:,.0f} words/s")


if __name__ == "__main__":
    main()
