"""The numbers of models/README.md: per-method scores, ConfliBERT dyads and classes, reliability.

Run ``python -m nlp_relations.training.report [GOLD ...]`` after ``nlp-relations train``; it
prints Markdown tables. The ConfliBERT test sentences are read from ../shared/datasets at run
time (GPL-3.0; nothing is copied) and joined with data/gold/conflibert_ner_test_actor_ids.jsonl.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from spacy.language import Language

from ..evaluate import evaluate_gold
from ..evaluate.linking import read_span_gold
from ..evaluate.metrics import average_precision, highest_confidence
from ..evaluate.run import METHODS, every_pair
from ..extract.rules import load_predicates, symmetric_predicates
from ..resources import CHECKOUT_DIR
from .corpus import CAMEO_DIR, CLASS_NAMES, cameo_class, detokenize, read_cameo_class, read_cameo_ner
from .train import _dyad_counts, _dyad_f, cameo_holdout_gold, sum_counts

__all__ = ["cameo_scores", "dyad_f", "holdout_scores", "paired_bootstrap", "reliability", "report"]

TEST_CORPUS = CHECKOUT_DIR / "data" / "corpus" / "relations_test.jsonl"
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def reliability(rows: list[dict], *, symmetric: set[str]) -> list[dict]:
    """Confidence bins of the predicted triples against their observed (typed) precision."""

    def key(t: dict) -> tuple:
        s, o = t["subject"], t["object"]
        if t["predicate"] in symmetric and o is not None:
            s, o = sorted((s, o))
        return (s, t["predicate"], o)

    table = [{"bin": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", "n": 0,
              "correct": 0, "conf_sum": 0.0} for lo, hi in zip(BINS, BINS[1:])]
    for row in rows:
        gold = {key(t) for t in row["gold"]}
        seen = set()
        for t in sorted(row["pred"], key=lambda t: -t["confidence"]):
            k = key(t)
            if k in seen:
                continue
            seen.add(k)
            i = next(i for i, (lo, hi) in enumerate(zip(BINS, BINS[1:])) if lo <= t["confidence"] < hi)
            table[i]["n"] += 1
            table[i]["correct"] += k in gold
            table[i]["conf_sum"] += t["confidence"]
    for b in table:
        b["mean_confidence"] = round(b.pop("conf_sum") / b["n"], 3) if b["n"] else None
        b["precision"] = round(b["correct"] / b["n"], 3) if b["n"] else None
    return table


def dyad_f(counts: list[tuple]) -> float:
    """Dyad F1 of per-sentence (predicted, matched, gold, found) counts."""
    return _dyad_f(sum_counts(counts)) if counts else 0.0


def paired_bootstrap(a: list[tuple], b: list[tuple], *, n: int = 2000, seed: int = 0) -> dict:
    """How sure is "method a scores a higher dyad F1 than method b" on these sentences?

    ``a`` and ``b`` hold one (predicted, matched, gold, found) tuple per sentence, same order.
    Sentences are resampled with replacement ``n`` times (seeded); returns the observed
    difference, the 2.5% and 97.5% percentiles of the resampled differences, and the share of
    resamples where a is ahead.

    Example:
        >>> r = paired_bootstrap([(1, 1, 1, 1)] * 5, [(1, 0, 1, 0)] * 5, n=50)
        >>> r["diff"], r["low"], r["high"], r["a_ahead"]
        (1.0, 1.0, 1.0, 1.0)
    """
    import random

    rng = random.Random(seed)
    k = len(a)
    diffs = []
    for _ in range(n):
        idx = [rng.randrange(k) for _ in range(k)]
        diffs.append(dyad_f([a[i] for i in idx]) - dyad_f([b[i] for i in idx]))
    diffs.sort()
    return {"diff": round(dyad_f(a) - dyad_f(b), 4), "low": round(diffs[int(0.025 * n)], 4),
            "high": round(diffs[min(n - 1, int(0.975 * n))], 4),
            "a_ahead": round(sum(d > 0 for d in diffs) / n, 3), "resamples": n}


def cameo_scores(nlp: Language, *, cameo_dir: Path = CAMEO_DIR,
                 model_nlp: Language | None = None) -> dict:
    """Direction-only dyads against data/gold ids, five-way class accuracy, and how well the
    confidences rank right dyads above wrong ones (``confidence_ap``: each predicted dyad of a
    sentence at its highest confidence), per method (the "model" row from ``model_nlp`` when
    given: the full model, where ``nlp`` is the default pipeline with its lighter model).

    A sentence's gold dyads are every (source id, target id) pair, plus every pair of
    reciprocal ids in either order. A predicted (subject, object) matches a gold dyad in its
    direction, or in either direction when its predicate is symmetric. The predicted class is
    the CAMEO class of the most confident triple's predicate, or 0 (statement, the majority
    class) when the method finds no triple.
    """
    table = load_predicates()
    symmetric = symmetric_predicates(table)
    sentences = read_cameo_ner(Path(cameo_dir) / "cameo_ner_test.txt")
    classes = [c for _, c in read_cameo_class(Path(cameo_dir) / "cameo_class_test.tsv")]
    gold_spans = read_span_gold()
    texts = [detokenize(tokens)[0] for tokens, _ in sentences]
    with every_pair(nlp):  # the "model" row measures the model alone
        docs = list(nlp.pipe(texts))
    model_docs = docs
    if model_nlp is not None and model_nlp is not nlp:
        with every_pair(model_nlp):
            model_docs = list(model_nlp.pipe(texts))
    out = {"sentences": len(docs),
           "majority_class_accuracy": round(Counter(classes).most_common(1)[0][1] / len(classes), 4)}
    per_sentence: dict[str, list[tuple]] = {}
    for method, attr in METHODS.items():
        rows = per_sentence[method] = []
        ranked: list[tuple[float, bool]] = []  # (confidence, right) per predicted dyad
        correct_class = fired = fired_correct = 0
        for i, doc in enumerate(model_docs if method == "model" else docs):
            spans = gold_spans.get(i, [])
            src = {a for s in spans if s["role"] == "S" for a in s["ids"]}
            tgt = {a for s in spans if s["role"] == "T" for a in s["ids"]}
            rec = {a for s in spans if s["role"] == "R" for a in s["ids"]}
            directed = {(a, b) for a in src for b in tgt if a != b}
            either = {frozenset((a, b)) for a in rec for b in rec if a != b}
            gold = directed | {tuple(sorted(p)) for p in either}
            triples = [t for t in getattr(doc._, attr) or [] if t.get("object")]
            # Each predicted (subject, object, symmetric) at its highest confidence.
            confidence = highest_confidence(triples, lambda t: (
                t["subject"]["actor"], t["object"]["actor"], t["predicate"] in symmetric))
            pred = set(confidence)

            def hits(g: tuple, p: tuple) -> bool:
                s, o, sym = p
                if frozenset(g) in either:
                    return {s, o} == set(g)
                return (s, o) == g or (sym and (o, s) == g)

            ranked += [(c, any(hits(g, key) for g in gold)) for key, c in confidence.items()]
            rows.append((
                len({(s, o) for s, o, _ in pred}),
                len({(s, o) for s, o, sym in pred if any(hits(g, (s, o, sym)) for g in gold)}),
                len(gold), sum(any(hits(g, p) for p in pred) for g in gold)))
            if i < len(classes):
                best = max(triples, key=lambda t: t["confidence"], default=None)
                label = cameo_class(table[best["predicate"]]["cameo"]) if best else 0
                correct_class += label == classes[i]
                if best:
                    fired += 1
                    fired_correct += label == classes[i]
        n_pred, matched, n_gold, found = sum_counts(rows)
        p = matched / n_pred if n_pred else 0.0
        r = found / n_gold if n_gold else 0.0
        out[method] = {
            "dyad_p": round(p, 4), "dyad_r": round(r, 4), "dyad_f": round(dyad_f(rows), 4),
            "confidence_ap": round(average_precision(ranked), 4),
            "predicted": n_pred, "gold": n_gold,
            "class_accuracy": round(correct_class / len(classes), 4),
            "class_accuracy_when_fired": round(fired_correct / fired, 4) if fired else None,
            "sentences_fired": fired,
        }
    out["class_names"] = list(CLASS_NAMES)
    # 70 sentences: how far apart are the methods, given sampling alone?
    out["bootstrap"] = _versus(per_sentence)
    return out


def _versus(rows: dict[str, list[tuple]]) -> dict:
    """The combination against each single method: ``paired_bootstrap`` per method."""
    return {f"combined - {m}": paired_bootstrap(rows["combined"], rows[m])
            for m in ("rules", "model")}


def holdout_scores(nlp: Language, path: Path) -> dict:
    """Dyad scores per method on the ConfliBERT hold-out predictions saved by ``train``.

    ``path`` is training/oof_cameo_<config>.spacy: each held-out sentence with the relation
    model's out-of-fold prediction; the rules and ``nlp``'s combiner run on it again, so the
    numbers follow the current rules and combiner settings. The hold-out chose the combiner's
    settings: these numbers are selection scores, not test scores.
    """
    from ..api import RULES
    from .corpus import read_docbin

    symmetric = symmetric_predicates()
    docs = read_docbin(path, nlp)
    combiner = next(comp for name, comp in nlp.pipeline if name.endswith("combiner"))
    for doc in docs:
        nlp.get_pipe(RULES)(doc)
        combiner(doc)
    rows = {m: [_dyad_counts(doc._.get(attr) or [], cameo_holdout_gold(doc), symmetric)
                for doc in docs] for m, attr in METHODS.items()}
    out: dict = {"sentences": len(docs)}
    for m, r in rows.items():
        out[m] = {"dyad_f": round(dyad_f(r), 4), "predicted": sum(c[0] for c in r),
                  "gold": sum(c[2] for c in r)}
    out["bootstrap"] = _versus(rows)
    return out


def report(gold_paths: list[Path], nlp: Language | None = None,
           holdout: Path | None = None, model_nlp: Language | None = None) -> dict:
    """Scores per method on each gold file, the ConfliBERT test numbers and the reliability table.

    Rules and combined come from ``nlp`` (default: ``load()``, the default pipeline); the model
    alone and the hold-out from ``model_nlp`` (default: ``nlp`` when it is given, else the
    default pipeline with the full model, models/relation_model/, the one ``model_only`` runs
    and ``train`` writes)."""
    from ..api import load
    from ..resources import MODEL_DIR

    if model_nlp is None:
        model_nlp = nlp if nlp is not None else load(model=MODEL_DIR)
    nlp = nlp or load()
    symmetric = symmetric_predicates()
    out: dict = {"pipeline": nlp.pipe_names}
    for path in gold_paths:
        per = {}
        for method in METHODS:
            scores, rows = evaluate_gold(path, model_nlp if method == "model" else nlp,
                                         method=method)
            d = scores.as_dict()
            per[method] = {k: d[k] for k in ("typed", "strict", "dyad", "category")}
            if method == "combined":
                per["reliability"] = reliability(rows, symmetric=symmetric)
                per["methods_used"] = dict(Counter(
                    t.get("method", "rule") for doc in nlp.pipe(r["text"] for r in rows)
                    for t in doc._.triples or []))
        out[str(path)] = per
    out["conflibert_test"] = cameo_scores(nlp, model_nlp=model_nlp)
    if holdout is not None and Path(holdout).exists():
        out["conflibert_holdout"] = holdout_scores(model_nlp, Path(holdout))
    return out


def _markdown(result: dict) -> str:
    lines = []
    for path, per in result.items():
        if path in {"pipeline", "conflibert_test", "conflibert_holdout"}:
            continue
        lines += [f"### {path}", "", "| method | typed P | typed R | typed F1 | dyad P | dyad R | "
                  "dyad F1 | strict F1 |", "|---|---|---|---|---|---|---|---|"]
        for m in METHODS:
            t, d, s = per[m]["typed"], per[m]["dyad"], per[m]["strict"]
            lines.append(f"| {m} | {t['p']:.3f} | {t['r']:.3f} | {t['f']:.3f} | {d['p']:.3f} | "
                         f"{d['r']:.3f} | {d['f']:.3f} | {s['f']:.3f} |")
        lines += ["", f"combined triples by method: {per['methods_used']}", "",
                  "| confidence | triples | mean confidence | observed precision |",
                  "|---|---|---|---|"]
        for b in per["reliability"]:
            lines.append(f"| {b['bin']} | {b['n']} | {b['mean_confidence']} | {b['precision']} |")
        lines.append("")
    c = result["conflibert_test"]
    lines += ["### ConfliBERT cameo test (70 sentences)", "",
              "| method | dyad P | dyad R | dyad F1 | confidence AP | class accuracy | class acc. "
              "when a triple fired (n) |", "|---|---|---|---|---|---|---|"]
    for m in METHODS:
        r = c[m]
        lines.append(f"| {m} | {r['dyad_p']:.3f} | {r['dyad_r']:.3f} | {r['dyad_f']:.3f} | "
                     f"{r['confidence_ap']:.3f} | {r['class_accuracy']:.3f} | "
                     f"{r['class_accuracy_when_fired']} ({r['sentences_fired']}) |")
    lines.append(f"\nmajority-class baseline accuracy: {c['majority_class_accuracy']:.3f}")
    lines += _bootstrap_lines(c)
    h = result.get("conflibert_holdout")
    if h:
        lines += ["", f"### ConfliBERT hold-out ({h['sentences']} training sentences, out-of-fold "
                  "predictions; chose the combiner's settings)", "",
                  "| method | dyad F1 | predicted | gold |", "|---|---|---|---|"]
        lines += [f"| {m} | {h[m]['dyad_f']:.3f} | {h[m]['predicted']} | {h[m]['gold']} |"
                  for m in METHODS]
        lines += _bootstrap_lines(h)
    return "\n".join(lines)


def _bootstrap_lines(scores: dict) -> list[str]:
    lines = ["", "paired bootstrap over the sentences (dyad F1 difference, 95% interval, "
             "share of resamples where the combination is ahead):", ""]
    for name, b in scores.get("bootstrap", {}).items():
        lines.append(f"- {name}: {b['diff']:+.3f} [{b['low']:+.3f}, {b['high']:+.3f}], "
                     f"ahead in {b['a_ahead']:.0%} of {b['resamples']}")
    return lines


if __name__ == "__main__":  # pragma: no cover
    paths = [Path(p) for p in sys.argv[1:]] or [TEST_CORPUS]
    result = report(paths, holdout=Path("training/oof_cameo_tok2vec.spacy"))
    print(_markdown(result))
    Path("training").mkdir(exist_ok=True)
    Path("training/report.json").write_text(json.dumps(result, indent=2))
