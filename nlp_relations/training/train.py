"""Train the relation model and calibrate the combiner; package both into models/.

``train(config)`` does, in order:

1. convert the training data into DocBins (``corpus.convert``) unless they exist;
2. hold out a seeded share of ConfliBERT's cameo_ner_train sentences (``[training]
   cameo_holdout``, 20%) and k-fold over the dev split: train on the rest of ConfliBERT + the
   other dev folds, predict the held-out dev fold and every k-th held-out ConfliBERT sentence
   (so every prediction comes from a model that never saw the sentence); the out-of-fold dev
   predictions fit the combiner's calibration tables, and its settings are chosen on both
   sets by ``objective`` (neither test split is ever read);
3. train the final model on all of ConfliBERT + all of dev;
4. write models/relation_model/: config.cfg, relation_model/ (weights, labels), combiner/
   (calibration), meta.json (data counts, timings, dev out-of-fold scores).

Training is seeded (``[system] seed``): Python, NumPy and torch RNGs are fixed, torch runs
deterministic algorithms, and batches are shuffled by a seeded generator. Results are identical
run to run on the same machine with the same thread count (set ``OMP_NUM_THREADS`` /
``torch.set_num_threads`` to compare across machines; BLAS reductions can differ in the last
bits across thread counts).
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch
from thinc.api import Adam, Config

from ..evaluate.gold import read_gold
from ..evaluate.metrics import PRF
from ..extract.rules import load_predicates, symmetric_predicates
from ..pipeline.combiner import combine_triples, fit_calibration, sentence_triggers
from ..pipeline.relation_model import (
    GOLD_ATTR,
    NONE,
    SCORES_ATTR,
    RelationModel,
    cache_frozen_vectors,
)
from ..resources import CHECKOUT_DIR
from .corpus import DEV_CORPUS, LABELS_VERSION, convert, read_docbin

__all__ = ["MODEL_DIR", "TRAIN_DIR", "cameo_holdout_gold", "fit_relation_model", "objective",
           "recalibrate", "restore_tensors", "split_cameo", "train"]

MODEL_DIR = CHECKOUT_DIR / "models" / "relation_model"
TRAIN_DIR = CHECKOUT_DIR / "training"
# Model-only thresholds tried on the out-of-fold dev predictions (1.01: no model-only triple).
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(16)) + (1.01,)
# Raw-score thresholds for model-only triples in sentences where the rules found nothing
# (None: the same test as elsewhere), and the two raw scores tried.
EMPTY_THRESHOLDS = (None,) + tuple(round(0.2 + 0.05 * i, 2) for i in range(16)) + (1.01,)
EMPTY_SCORES = ("predicate", "related")
# Raw-score thresholds for rule-empty sentences holding no trigger of the rules' lexicon (None:
# those sentences follow empty_threshold like the others); tried with an empty_threshold only.
BLIND_THRESHOLDS = EMPTY_THRESHOLDS
SETTINGS = ("model_threshold", "rule_threshold", "flip_margin", "empty_threshold", "empty_score",
            "blind_threshold", "retype", "max_actors")
# Whether model-only triples in rule-empty sentences take a trigger's predicate (combiner).
RETYPES = (False, True)
# The most distinct actors a rule-empty sentence may name for its model-only triples (None: any).
MAX_ACTORS = (None, 2, 3, 4, 6)
RULE_THRESHOLDS = (0.0, 0.3, 0.5, 0.7)
# Direction flips tried (1.01: the model never overturns a rule's direction).
FLIP_MARGINS = (0.0, 0.2, 0.4, 0.6, 1.01)


def _seed(seed: int) -> None:
    fix_random_seed(seed)
    try:
        import torch

        torch.use_deterministic_algorithms(True)
    except ImportError:  # pragma: no cover - torch ships with spacy-transformers
        pass


def _component_config(config: Config, name: str) -> dict:
    return {k: v for k, v in config["components"][name].items() if k != "factory"}


def fit_relation_model(config: Config, docs: list[Doc], *, vocab_nlp: Language | None = None,
                       log: Callable[[str], None] = print) -> RelationModel:
    """Train one relation model on ``docs`` (with ``doc._.relation_gold``) per ``config``."""
    train_cfg = config["training"]
    seed = int(config["system"]["seed"])
    _seed(seed)
    nlp = vocab_nlp or spacy.blank("en")
    name = "relation_model"
    if name in nlp.pipe_names:
        nlp.remove_pipe(name)
    comp: RelationModel = nlp.add_pipe("nlp_relations_relation_model_v1", name=name,
                                       config=_component_config(config, name))
    examples = [Example(d, d) for d in docs]
    init = dict(config.get("initialize", {}))
    comp.initialize(lambda: examples, nlp=nlp, source_tok2vec=init.get("source_tok2vec"))
    optimizer = Adam(float(train_cfg["learn_rate"]))
    rng = random.Random(seed)
    frozen = comp.cfg["frozen"]
    if frozen:
        cache_frozen_vectors(comp.model)
    try:
        for epoch in range(int(train_cfg["epochs"])):
            order = list(examples)
            rng.shuffle(order)
            losses: dict[str, float] = {}
            start = time.time()
            for batch in minibatch(order, size=int(train_cfg["batch_size"])):
                comp.update(batch, drop=float(train_cfg["dropout"]), sgd=optimizer, losses=losses)
            log(f"  epoch {epoch + 1}: loss {losses.get(name, 0.0):.2f} ({time.time() - start:.0f}s)")
    finally:
        if frozen:
            cache_frozen_vectors(comp.model, enabled=False)
    nlp.remove_pipe(name)
    return comp


def _predict(comp: RelationModel, docs: list[Doc]) -> None:
    for batch in minibatch(docs, size=32):
        comp.set_annotations(batch, comp.predict(batch))


def _flat(t: dict, symmetric: set[str]) -> tuple:
    s, o = t["subject"]["actor"], t["object"]["actor"] if t.get("object") else None
    if t["predicate"] in symmetric and o is not None:
        s, o = sorted((s, o))
    return (s, t["predicate"], o)


def _gold_keys(triples, symmetric: set[str]) -> set[tuple]:
    out = set()
    for t in triples:
        s, o = t.subject, t.object
        if t.predicate in symmetric and o is not None:
            s, o = sorted((s, o))
        out.add((s, str(getattr(t.predicate, "value", t.predicate)), o))
    return out


def _typed_prf(docs: list[Doc], attr: str, gold: dict[str, set], symmetric: set[str]) -> PRF:
    prf = PRF()
    for doc in docs:
        pred = {_flat(t, symmetric) for t in getattr(doc._, attr) or []}
        g = gold[doc._.doc_id]
        prf.tp += len(pred & g)
        prf.fp += len(pred - g)
        prf.fn += len(g - pred)
    return prf


def _combine(doc: Doc, symmetric: set[str], calibration: dict, **settings) -> list[dict]:
    return combine_triples(doc._.rule_triples or [], doc._.model_triples or [],
                           doc._.get(SCORES_ATTR), symmetric=symmetric, calibration=calibration,
                           **settings)


def cameo_holdout_gold(doc: Doc) -> tuple[set[tuple], set[frozenset]]:
    """Direction-only gold dyads of a converted ConfliBERT sentence (from its weak labels).

    A related (a, b) pair is a directed source -> target dyad, unless (b, a) is related too
    (reciprocal spans), in which case either direction matches; as in ``report.cameo_scores``.
    """
    related = {(s, o) for s, o, labels in (doc._.get(GOLD_ATTR) or {}).get("pairs", [])
               if NONE not in labels}
    either = {frozenset(p) for p in related if (p[1], p[0]) in related}
    directed = {p for p in related if frozenset(p) not in either}
    return directed, either


def _dyad_counts(triples: list[dict], gold: tuple[set, set], symmetric: set[str]) -> tuple:
    """(predicted dyads, matched predictions, gold dyads, gold dyads found): report.cameo_scores."""
    directed, either = gold
    pred = {(t["subject"]["actor"], t["object"]["actor"], t["predicate"] in symmetric)
            for t in triples if t.get("object")}

    def hits(g, s, o, sym) -> bool:
        if isinstance(g, frozenset):
            return {s, o} == set(g)
        return (s, o) == g or (sym and (o, s) == g)

    golds = list(directed) + list(either)
    pairs = {(s, o) for s, o, _ in pred}
    matched = {(s, o) for s, o, sym in pred if any(hits(g, s, o, sym) for g in golds)}
    found = sum(any(hits(g, s, o, sym) for s, o, sym in pred) for g in golds)
    return (len(pairs), len(matched), len(golds), found)


def _dyad_f(counts: tuple) -> float:
    n_pred, matched, n_gold, found = counts
    p = matched / n_pred if n_pred else 0.0
    r = found / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b))


def _typed_counts(pred: set, gold: set) -> tuple:
    return (len(pred & gold), len(pred - gold), len(gold - pred))


def _typed_f(c: tuple) -> float:
    tp, fp, fn = c
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def objective(dev_f: float, dev_best_single: float, cameo_f: float | None,
              cameo_best_single: float | None) -> tuple:
    """The combiner's selection objective (larger is better), compared as a tuple.

    1. the smaller of the two margins over the better single method: combined typed F1 minus
       max(rules, model) typed F1 on the out-of-fold dev predictions, and combined dyad F1
       minus max(rules, model) dyad F1 on the held-out ConfliBERT training sentences (the
       pipeline should beat each method alone on both kinds of text);
    2. then the sum of the two combined F1s.

    Without the ConfliBERT hold-out (``cameo_f`` None) it is dev typed F1 alone, as before.
    """
    if cameo_f is None:
        return (round(dev_f, 6),)
    margin = min(dev_f - dev_best_single, cameo_f - cameo_best_single)
    return (round(margin, 6), round(dev_f + cameo_f, 6))


def _calibrate(docs: list[Doc], gold: dict[str, set], symmetric: set[str],
               cameo: list[Doc] | None = None, lexicon=None) -> tuple[dict, dict]:
    """Fit the combiner's tables on out-of-fold dev predictions; choose its settings.

    Two stages, because a sentence's output depends either on the rule-side settings (the
    rules fired in it) or on the empty-sentence settings (they did not):

    1. Rule-empty sentences (grid B: ``empty_threshold``, ``empty_score``, ``blind_threshold``
       for rule-empty sentences holding no trigger of the rules' ``lexicon``, ``retype``,
       ``max_actors``): the model is the only source there, and the setting maximises the F1
       of the documents where the rules found nothing: out-of-fold dev typed F1 + held-out
       ConfliBERT (``cameo``) dyad F1. Judged on the full sets instead, an added model triple
       must beat the rules' F1 on the very sentences the rules were written from (the dev
       split; the ConfliBERT training samples the CAMEO lexicon was written from), a bar set
       too high for unseen text.
    2. Rule side (grid A: model-only threshold in sentences where the rules fired, rule-only
       threshold, direction-flip margin), with grid B fixed: ``objective`` over all the
       out-of-fold dev predictions (typed F1) and the hold-out (dyad F1).

    Ties go to the setting that changes the rules' output least. With ``retype`` chosen, the
    calibration tables are refitted on retyped model-only triples before stage 2.
    """
    found = {id(d): sentence_triggers(d, lexicon) for d in list(docs) + list(cameo or [])}

    def fit(retype: bool) -> dict:
        """Calibration tables from every triple of the out-of-fold dev predictions (model-only
        ones retyped by the sentence's triggers when ``retype``)."""
        records = []
        for doc in docs:
            extra = {"empty_threshold": 0.0, "retype": True, "trigger_preds": found[id(doc)]} \
                if retype else {}
            for t in _combine(doc, symmetric, {}, keep_raw=True, model_threshold=0.0, **extra):
                records.append({"method": t["table"], "raw": t["raw"],
                                "correct": _flat(t, symmetric) in gold[doc._.doc_id]})
        return fit_calibration(records)

    calibration = fit(False)
    grid_a = [{"flip_margin": f, "rule_threshold": r, "model_threshold": m}
              for f in FLIP_MARGINS for r in RULE_THRESHOLDS for m in THRESHOLDS]
    blinds = BLIND_THRESHOLDS if lexicon is not None else (None,)
    retypes = RETYPES if lexicon is not None else (False,)
    grid_b = [{"empty_threshold": None, "empty_score": "predicate", "blind_threshold": None,
               "retype": False, "max_actors": None}] + [
        {"empty_threshold": t, "empty_score": sc, "blind_threshold": bt, "retype": rt,
         "max_actors": ma}
        for sc in EMPTY_SCORES for t in EMPTY_THRESHOLDS if t is not None for bt in blinds
        for rt in retypes for ma in MAX_ACTORS]
    off = {"empty_threshold": 1.01, "empty_score": "predicate"}

    def split(doc: Doc, grid_b: list[dict]) -> tuple[bool, list[list[dict]], list[list[dict]],
                                                     list[list[dict]]]:
        """Per setting: the fired-sentence part (grid A, and grid B's None entry, which makes
        empty sentences follow model_threshold) and the empty-sentence part (grid B)."""
        fired = {r["sent_start"] for r in doc._.rule_triples or []}
        part_a = [_combine(doc, symmetric, calibration, **a, **off) for a in grid_a]
        # empty_threshold None: empty sentences follow model_threshold (grid A's value).
        none_a = [[t for t in _combine(doc, symmetric, calibration, **a)
                   if t["sent_start"] not in fired] for a in grid_a]
        if any(m["sent_start"] not in fired for m in doc._.model_triples or []):
            part_b = [[t for t in _combine(doc, symmetric, calibration, model_threshold=1.01,
                                           trigger_preds=found[id(doc)], **b)
                       if t["sent_start"] not in fired] for b in grid_b[1:]]
        else:
            part_b = [[] for _ in grid_b[1:]]
        return bool(fired), part_a, none_a, part_b

    def score(docs_, count, width, grid_b=grid_b):
        """Totals [a, b, :] of ``count(doc, triples)`` over the docs (a NumPy array)."""
        tot = numpy.zeros((len(grid_a), len(grid_b), width), dtype=numpy.int64)
        for doc in docs_:
            fired, part_a, none_a, part_b = split(doc, grid_b)
            if not fired:  # the rules fired nowhere in the doc: grid A is only model_threshold
                tot[:, 0] += numpy.asarray([count(doc, p) for p in none_a])
                tot[:, 1:] += numpy.asarray([count(doc, p) for p in part_b])[None]
                continue
            if not any(part_b):  # no model-only candidate in a rule-empty sentence
                c_a = numpy.asarray([count(doc, p) for p in part_a])
                tot[:, 1:] += c_a[:, None]
                tot[:, 0] += numpy.asarray([count(doc, p + q) for p, q in zip(part_a, none_a)])
                continue
            for i in range(len(grid_a)):
                tot[i, 0] += numpy.asarray(count(doc, part_a[i] + none_a[i]))
                for j in range(1, len(grid_b)):
                    tot[i, j] += numpy.asarray(count(doc, part_a[i] + part_b[j - 1]))
        return tot

    def dev_count(doc, triples):
        return _typed_counts({_flat(t, symmetric) for t in triples}, gold[doc._.doc_id])

    dev_rules = _typed_f(sum_counts(dev_count(d, d._.rule_triples or []) for d in docs))
    dev_model = _typed_f(sum_counts(dev_count(d, d._.model_triples or []) for d in docs))
    cam_rules = cam_model = None
    if cameo:
        cam_gold = {id(d): cameo_holdout_gold(d) for d in cameo}

        def cam_count(doc, triples):
            return _dyad_counts(triples, cam_gold[id(doc)], symmetric)

        cam_rules = _dyad_f(sum_counts(cam_count(d, d._.rule_triples or []) for d in cameo))
        cam_model = _dyad_f(sum_counts(cam_count(d, d._.model_triples or []) for d in cameo))
    # Stage 1, sentences where the rules found nothing: the model is the only source there, so
    # the empty-sentence settings (grid B) maximise the F1 of those documents alone (dev typed
    # F1 + hold-out dyad F1). Scored on the full sets, a model triple would be judged against
    # the rules' F1 on the sentences they were written from (dev; the lexicon's ConfliBERT
    # samples), which sets the bar for adding one too high for unseen text.
    dev_empty = [d for d in docs if not d._.rule_triples]
    cam_empty = [d for d in cameo or [] if not d._.rule_triples]
    dev_e = score(dev_empty, dev_count, 3)[0]
    cam_e = score(cam_empty, cam_count, 4)[0] if cameo else None

    def tie_b(b: dict) -> tuple:  # ties: fewer model-only triples, the plainer setting
        return (b["empty_threshold"], b["empty_score"] == "predicate",
                2.0 if b["blind_threshold"] is None else b["blind_threshold"], not b["retype"],
                99 if b["max_actors"] is None else b["max_actors"])

    j_best = max(range(1, len(grid_b)), key=lambda j: (
        round(_typed_f(tuple(dev_e[j])) + (_dyad_f(tuple(cam_e[j])) if cameo else 0.0), 6),
        *tie_b(grid_b[j])))
    empty_stage = {"dev_docs": len(dev_empty),
                   "dev_typed": dict(zip(("tp", "fp", "fn"), (int(x) for x in dev_e[j_best]))),
                   "dev_typed_f": round(_typed_f(tuple(dev_e[j_best])), 4),
                   "dev_model_alone_f": round(_typed_f(sum_counts(
                       dev_count(d, d._.model_triples or []) for d in dev_empty)), 4)}
    if cameo:
        empty_stage.update({
            "cameo_docs": len(cam_empty), "cameo_dyad_f": round(_dyad_f(tuple(cam_e[j_best])), 4),
            "cameo_model_alone_f": round(_dyad_f(sum_counts(
                cam_count(d, d._.model_triples or []) for d in cam_empty)), 4)})
    if grid_b[j_best]["retype"]:  # the model-only confidences of retyped triples
        calibration = fit(True)
    # Stage 2, the rule-side settings (grid A) with grid B fixed: ``objective`` on everything.
    fixed = [grid_b[0], grid_b[j_best]]
    dev_tot = score(docs, dev_count, 3, fixed)
    cam_tot = score(cameo, cam_count, 4, fixed) if cameo else None
    best = None
    for i, a in enumerate(grid_a):
        j, b = 1, grid_b[j_best]
        dev_f = _typed_f(tuple(dev_tot[i, j]))
        cam_f = _dyad_f(tuple(cam_tot[i, j])) if cam_tot is not None else None
        # Ties: no flips, no rule filtering, fewer model-only triples.
        rank = (*objective(dev_f, max(dev_rules, dev_model), cam_f,
                           None if cam_f is None else max(cam_rules, cam_model)),
                a["flip_margin"], -a["rule_threshold"], a["model_threshold"])
        if best is None or rank > best[0]:
            best = (rank, {**a, **b}, tuple(int(x) for x in dev_tot[i, j]),
                    tuple(int(x) for x in cam_tot[i, j]) if cam_tot is not None else None)
    _, chosen, dev_c, cam_c = best
    tp, fp, fn = dev_c
    dev_prf = PRF(tp=tp, fp=fp, fn=fn)
    out = {**chosen, "dev_oof_combined": dev_prf.as_dict(), "rule_empty": empty_stage,
           "objective": "rule-empty sentences: max dev OOF typed F1 + ConfliBERT hold-out dyad "
                        "F1 of those sentences; then rule side: max min(dev OOF typed F1 - "
                        "max(rules, model), ConfliBERT hold-out dyad F1 - max(rules, model)), "
                        "then the sum of both F1s"
                        if cameo else "rule-empty sentences: max their dev OOF typed F1; then "
                                      "rule side: max dev OOF typed F1"}
    if cameo:
        out["cameo_holdout"] = {"sentences": len(cameo), "rules_dyad_f": round(cam_rules, 4),
                                "model_dyad_f": round(cam_model, 4),
                                "combined_dyad_f": round(_dyad_f(cam_c), 4),
                                "combined_counts": dict(zip(
                                    ("predicted", "matched", "gold", "found"), cam_c))}
    return calibration, out


def sum_counts(items) -> tuple:
    total = None
    for c in items:
        total = c if total is None else _add(total, c)
    return total or (0, 0, 0)


def recalibrate(config_path: str | Path, *, output: str | Path = MODEL_DIR,
                data_dir: str | Path = TRAIN_DIR, log: Callable[[str], None] = print) -> dict:
    """Refit the combiner of a packaged model from the saved out-of-fold predictions.

    Useful when the rules change: the relation model stays, the rule triples of the dev split
    are recomputed and the calibration and thresholds are chosen again.
    """
    from ..api import RULES, load

    base = load(model=False, cache=False)
    data_dir, output = Path(data_dir), Path(output)
    dev = read_docbin(data_dir / f"oof_{Path(config_path).stem}.spacy", base)
    rules = base.get_pipe(RULES)
    for doc in dev:
        rules(doc)
    symmetric = symmetric_predicates()
    gold = {g.id: _gold_keys(g.triples, symmetric) for g in read_gold(DEV_CORPUS)}
    meta = json.loads((output / "meta.json").read_text())
    meta["dev_oof_model"] = _typed_prf(dev, "model_triples", gold, symmetric).as_dict()
    meta["dev_rules"] = _typed_prf(dev, "rule_triples", gold, symmetric).as_dict()
    held_path = data_dir / f"oof_cameo_{Path(config_path).stem}.spacy"
    held = read_docbin(held_path, base) if held_path.exists() else []
    for doc in held:
        rules(doc)
    calibration, chosen = _calibrate(dev, gold, symmetric, held or None, rules.lexicon)
    meta.update(chosen)
    log(f"dev out-of-fold: model {meta['dev_oof_model']}, rules {meta['dev_rules']}, "
        f"combined {chosen['dev_oof_combined']} with {_settings(chosen)}")
    _write_combiner(output, Config().from_disk(output / "config.cfg"), calibration, meta)
    (output / "meta.json").write_text(json.dumps(meta, indent=2))
    return meta


def _settings(chosen: dict) -> str:
    out = ", ".join(f"{k} {chosen.get(k)}" for k in SETTINGS)
    if "cameo_holdout" in chosen:
        out += f"; ConfliBERT hold-out dyad F1 {chosen['cameo_holdout']}"
    return out


def restore_tensors(nlp: Language, docs: list[Doc]) -> None:
    """Set ``doc.tensor`` of docs read from a DocBin (which does not store it) by running the
    pipeline's ``tok2vec`` over them: the relation model of the tok2vec configuration reads it.
    The tok2vec sees only the tokens, so the vectors are those of the full pipeline's run."""
    if "tok2vec" not in nlp.pipe_names:
        return
    tok2vec = nlp.get_pipe("tok2vec")
    for batch in minibatch(docs, size=64):
        tok2vec.set_annotations(batch, tok2vec.predict(batch))


def split_cameo(docs: list[Doc], fraction: float, seed: int) -> tuple[list[Doc], list[Doc]]:
    """(training part, held-out part) of the ConfliBERT docs: a seeded ``fraction`` held out.

    Example:
        >>> [len(p) for p in split_cameo(list(range(10)), 0.2, 0)]
        [8, 2]
    """
    n = int(round(len(docs) * fraction))
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    held = set(order[:n])
    return ([d for i, d in enumerate(docs) if i not in held],
            [d for i, d in enumerate(docs) if i in held])


def train(config_path: str | Path, *, output: str | Path = MODEL_DIR,
          data_dir: str | Path = TRAIN_DIR, cameo_dir: str | Path | None = None,
          folds: int | None = None, log: Callable[[str], None] = print) -> dict:
    """Reproduce models/relation_model/ from a config in models/configs/.

    Args:
        config_path: models/configs/tok2vec.cfg or models/configs/transformer.cfg.
        output: where to write the packaged model.
        data_dir: where the DocBins are written (an ignored folder).
        cameo_dir: the ConfliBERT CAMEO folder (default ../shared/datasets/conflibert-cameo).
        folds: override ``[training] folds`` (0 skips calibration: raw confidences).

    Returns:
        The metadata written to ``meta.json``.
    """
    from ..api import RULES, load

    t0 = time.time()
    config = Config().from_disk(config_path)
    seed = int(config["system"]["seed"])
    folds = int(config["training"]["folds"] if folds is None else folds)
    data_dir = Path(data_dir)
    base = load(model=False, cache=False)
    stats_path = data_dir / "stats.json"
    stale = not stats_path.exists() or \
        json.loads(stats_path.read_text()).get("labels_version") != LABELS_VERSION
    if stale or not (data_dir / "dev.spacy").exists() or \
            not (data_dir / "cameo_train.spacy").exists():
        log(f"converting the training data into {data_dir}")
        kwargs = {"cameo_dir": Path(cameo_dir)} if cameo_dir else {}
        convert(data_dir, nlp=base, **kwargs)
    stats = json.loads((data_dir / "stats.json").read_text())
    dev = read_docbin(data_dir / "dev.spacy", base)
    cameo = read_docbin(data_dir / "cameo_train.spacy", base)
    restore_tensors(base, dev + cameo)
    # Rule triples are recomputed: the rules change independently of the stored DocBins.
    rules = base.get_pipe(RULES)
    for doc in dev:
        rules(doc)
    table = load_predicates()
    symmetric = symmetric_predicates(table)
    gold = {g.id: _gold_keys(g.triples, symmetric) for g in read_gold(DEV_CORPUS)}
    repeat = int(config["training"]["dev_repeat"])
    meta: dict = {"config": str(config_path), "seed": seed, "data": stats, "folds": folds}
    if folds > 1:
        cameo_fit, held = split_cameo(cameo, float(config["training"].get("cameo_holdout", 0.0)),
                                      seed)
        for doc in held:
            rules(doc)
        meta["cameo_holdout_sentences"] = len(held)
        for f in range(folds):
            log(f"fold {f + 1}/{folds}")
            train_docs = cameo_fit + [d for i, d in enumerate(dev) if i % folds != f] * repeat
            comp = fit_relation_model(config, train_docs, log=log)
            _predict(comp, [d for i, d in enumerate(dev) if i % folds == f]
                     + [d for i, d in enumerate(held) if i % folds == f])
        oof = DocBin(store_user_data=True, docs=dev)
        oof.to_disk(data_dir / f"oof_{Path(config_path).stem}.spacy")
        DocBin(store_user_data=True, docs=held).to_disk(
            data_dir / f"oof_cameo_{Path(config_path).stem}.spacy")
        meta["dev_oof_model"] = _typed_prf(dev, "model_triples", gold, symmetric).as_dict()
        meta["dev_rules"] = _typed_prf(dev, "rule_triples", gold, symmetric).as_dict()
        calibration, chosen = _calibrate(dev, gold, symmetric, held or None, rules.lexicon)
        meta.update(chosen)
        log(f"dev out-of-fold: model {meta['dev_oof_model']}, rules {meta['dev_rules']}, "
            f"combined {chosen['dev_oof_combined']} with {_settings(chosen)}")
    else:
        calibration = {}
        comb = config["components"]["combiner"]
        meta.update({k: float(comb[k]) for k in ("model_threshold", "rule_threshold", "flip_margin")})
        meta["empty_threshold"] = comb.get("empty_threshold")
        meta["empty_score"] = comb.get("empty_score", "predicate")
        meta["blind_threshold"] = comb.get("blind_threshold")
        meta["retype"] = bool(comb.get("retype", False))
        meta["max_actors"] = comb.get("max_actors")
    meta["seconds_folds"] = round(time.time() - t0)
    log("final model on all of ConfliBERT + all of dev")
    comp = fit_relation_model(config, cameo + dev * repeat, log=log)
    meta["seconds_total"] = round(time.time() - t0)
    _package(Path(output), config, comp, calibration, meta)
    log(f"wrote {output} in {meta['seconds_total']}s")
    return meta


def _package(output: Path, config: Config, comp: RelationModel, calibration: dict,
             meta: dict) -> None:
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    keep = Config({"components": {name: config["components"][name]
                                  for name in ("relation_model", "combiner")}})
    keep.to_disk(output / "config.cfg")
    comp.to_disk(output / "relation_model")
    _write_combiner(output, keep, calibration, meta)
    meta["size_bytes"] = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    (output / "meta.json").write_text(json.dumps(meta, indent=2))


def _write_combiner(output: Path, config: Config, calibration: dict, meta: dict) -> None:
    from ..pipeline.combiner import Combiner

    settings = {k: meta.get(k) for k in SETTINGS}
    settings["empty_score"] = settings["empty_score"] or "predicate"
    settings["retype"] = bool(settings["retype"])
    # Whether model-only triples are emitted is a decision on real text, not an F1 search:
    # it stays as the config says (models/README.md).
    settings["model_only"] = bool(config["components"]["combiner"].get("model_only", False))
    for k, v in settings.items():
        config["components"]["combiner"][k] = v
    config.to_disk(output / "config.cfg")
    combiner = Combiner(**settings)
    combiner.initialize(calibration=calibration)
    combiner.to_disk(output / "combiner")
