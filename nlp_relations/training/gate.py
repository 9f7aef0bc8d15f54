"""How precise are model-only triples on real text, under a gate on the model's raw scores?

``python -m nlp_relations.training.gate [MODEL_DIR]`` runs the pipeline with model-only triples
on over the usgov-statements dev documents (a model-only triple is right when its typed
(subject, predicate, object) is in the document's gold) and the ConfliBERT cameo test sentences
(right when its dyad matches a gold source -> target pair or two reciprocal actors), and prints,
for several thresholds on three scores (1 - p(none) of the pair, the probability of the
triple's predicate, its calibrated confidence), how many triples a gate would keep and how many
of them are right. Both sets are evaluation sets: read them to measure, never to fit.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ..evaluate.documents import read_documents
from ..evaluate.linking import read_span_gold
from ..evaluate.metrics import typed_key
from ..extract.rules import load_predicates, symmetric_predicates
from .corpus import CAMEO_DIR, detokenize, read_cameo_ner

__all__ = ["USGOV_DEV", "THRESHOLDS", "gate_rows", "gate_table"]

USGOV_DEV = CAMEO_DIR.parent / "usgov-statements" / "dev.jsonl"
THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99)
SCORES = ("related", "predicate", "calibrated")


def gate_rows(doc, correct: Callable[[dict], bool]) -> list[dict]:
    """One record per model-only triple of ``doc._.triples``: its three scores and whether
    ``correct`` judges it right."""
    scores = {(s["subject"], s["object"], s["sent_start"]): s["scores"]
              for s in doc._.relation_scores or []}
    out = []
    for t in doc._.triples or []:
        if t["method"] != "model" or not t.get("object"):
            continue
        sc = scores.get((t["subject"]["actor"], t["object"]["actor"], t["sent_start"]), {})
        out.append({"related": 1.0 - sc.get("none", 1.0), "predicate": sc.get(t["predicate"], 0.0),
                    "calibrated": t["confidence"], "right": bool(correct(t)), "rule": t["rule"]})
    return out


def gate_table(rows: list[dict]) -> dict[str, list[tuple[float, int, int]]]:
    """score -> [(threshold, kept, right)] for each threshold that keeps something."""
    out = {}
    for score in SCORES:
        out[score] = [(th, len(kept), sum(r["right"] for r in kept))
                      for th in THRESHOLDS
                      for kept in [[r for r in rows if r[score] >= th]] if kept]
    return out


def _usgov_rows(nlp, symmetric: set[str]) -> list[dict]:
    gold = read_documents(USGOV_DEV)
    rows = []
    for g, doc in zip(gold, nlp.pipe([g.text for g in gold], batch_size=4)):
        every = {typed_key(t.model_dump(mode="json"), symmetric) for t in g.triples}
        rows += gate_rows(doc, lambda t: typed_key(
            {"subject": t["subject"]["actor"], "predicate": t["predicate"],
             "object": t["object"]["actor"]}, symmetric) in every)
    return rows


def _conflibert_rows(nlp, symmetric: set[str]) -> list[dict]:
    sentences = read_cameo_ner(Path(CAMEO_DIR) / "cameo_ner_test.txt")
    spans_gold = read_span_gold()
    rows = []
    for i, doc in enumerate(nlp.pipe(detokenize(tokens)[0] for tokens, _ in sentences)):
        spans = spans_gold.get(i, [])
        src = {a for s in spans if s["role"] == "S" for a in s["ids"]}
        tgt = {a for s in spans if s["role"] == "T" for a in s["ids"]}
        rec = {a for s in spans if s["role"] == "R" for a in s["ids"]}

        def right(t: dict) -> bool:
            s, o = t["subject"]["actor"], t["object"]["actor"]
            if s in rec and o in rec and s != o:
                return True
            return (s in src and o in tgt) or (t["predicate"] in symmetric and o in src and s in tgt)

        rows += gate_rows(doc, right)
    return rows


def main(model_dir: str | None = None) -> None:
    from ..api import COMBINER, MODEL, MODEL_DIR, RULES, load
    from ..pipeline.combiner import add_model_components

    nlp = load(model=False, cache=False)
    add_model_components(nlp, Path(model_dir or MODEL_DIR), after=RULES, model_name=MODEL,
                         combiner_name=COMBINER)
    nlp.get_pipe(COMBINER).cfg["model_only"] = True
    symmetric = symmetric_predicates(load_predicates())
    for name, rows in (("usgov-statements dev (typed)", _usgov_rows(nlp, symmetric)),
                       ("ConfliBERT cameo test (dyad)", _conflibert_rows(nlp, symmetric))):
        print(f"{name}: {len(rows)} model-only triples, {sum(r['right'] for r in rows)} right")
        for score, cells in gate_table(rows).items():
            print(f"  {score:<10} " + "  ".join(f">={th}: {right}/{kept}" for th, kept, right in cells))
        for rule in ("model", "model+trigger"):
            kept = [r for r in rows if r["rule"] == rule]
            print(f"  rule {rule}: {sum(r['right'] for r in kept)}/{len(kept)}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
