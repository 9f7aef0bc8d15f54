"""Train the relation model and calibrate the combiner; package both into models/.

``train(config)`` does, in order:

1. convert the training data into DocBins (``corpus.convert``) unless they exist;
2. k-fold over the dev split: train on ConfliBERT + the other dev folds, predict the held-out
   fold; the out-of-fold predictions (with the rule triples) fit the combiner's calibration
   table and its model-only threshold (the test split is never read);
3. train the final model on ConfliBERT + all of dev;
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

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch
from thinc.api import Adam, Config

from ..evaluate.gold import read_gold
from ..evaluate.metrics import PRF
from ..extract.rules import load_predicates
from ..pipeline.combiner import combine_triples, fit_calibration
from ..pipeline.relation_model import SCORES_ATTR, RelationModel, cache_frozen_vectors
from ..registry import DATA_DIR
from .corpus import DEV_CORPUS, convert, read_docbin

__all__ = ["MODEL_DIR", "TRAIN_DIR", "fit_relation_model", "recalibrate", "train"]

MODEL_DIR = DATA_DIR.parent / "models" / "relation_model"
TRAIN_DIR = DATA_DIR.parent / "training"
# Model-only thresholds tried on the out-of-fold dev predictions (1.01: no model-only triple).
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(16)) + (1.01,)
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


def _calibrate(docs: list[Doc], gold: dict[str, set], symmetric: set[str]) -> tuple[dict, dict]:
    """Fit the combiner's tables on out-of-fold predictions; choose its three settings.

    The settings (model-only threshold, rule-only threshold, direction-flip margin) are
    chosen by typed F1 on the same out-of-fold dev predictions; ties go to the setting that
    changes the rules' output least.
    """
    records = []
    for doc in docs:
        triples = combine_triples(doc._.rule_triples or [], doc._.model_triples or [],
                                  doc._.get(SCORES_ATTR), symmetric=symmetric, keep_raw=True,
                                  model_threshold=0.0)
        for t in triples:
            records.append({"method": t["method"], "raw": t["raw"],
                            "correct": _flat(t, symmetric) in gold[doc._.doc_id]})
    calibration = fit_calibration(records)
    best = None
    for flip in FLIP_MARGINS:
        for rule_t in RULE_THRESHOLDS:
            for model_t in THRESHOLDS:
                prf = PRF()
                for doc in docs:
                    pred = {_flat(t, symmetric) for t in combine_triples(
                        doc._.rule_triples or [], doc._.model_triples or [],
                        doc._.get(SCORES_ATTR), symmetric=symmetric, calibration=calibration,
                        model_threshold=model_t, rule_threshold=rule_t, flip_margin=flip)}
                    g = gold[doc._.doc_id]
                    prf.tp += len(pred & g)
                    prf.fp += len(pred - g)
                    prf.fn += len(g - pred)
                # Ties: prefer no flips, no rule filtering, fewer model-only triples.
                rank = (round(prf.f, 6), flip, -rule_t, model_t)
                if best is None or rank > best[0]:
                    best = (rank, {"model_threshold": model_t, "rule_threshold": rule_t,
                                   "flip_margin": flip}, prf)
    return calibration, {**best[1], "dev_oof_combined": best[2].as_dict()}


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
    symmetric = {p for p, info in load_predicates().items() if info["symmetric"] == "yes"}
    gold = {g.id: _gold_keys(g.triples, symmetric) for g in read_gold(DEV_CORPUS)}
    meta = json.loads((output / "meta.json").read_text())
    meta["dev_oof_model"] = _typed_prf(dev, "model_triples", gold, symmetric).as_dict()
    meta["dev_rules"] = _typed_prf(dev, "rule_triples", gold, symmetric).as_dict()
    calibration, chosen = _calibrate(dev, gold, symmetric)
    meta.update(chosen)
    log(f"dev out-of-fold: model {meta['dev_oof_model']}, rules {meta['dev_rules']}, "
        f"combined {chosen['dev_oof_combined']} with {_settings(chosen)}")
    _write_combiner(output, Config().from_disk(output / "config.cfg"), calibration, meta)
    (output / "meta.json").write_text(json.dumps(meta, indent=2))
    return meta


def _settings(chosen: dict) -> str:
    return ", ".join(f"{k} {chosen[k]}" for k in ("model_threshold", "rule_threshold", "flip_margin"))


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
    if not (data_dir / "dev.spacy").exists() or not (data_dir / "cameo_train.spacy").exists():
        log(f"converting the training data into {data_dir}")
        kwargs = {"cameo_dir": Path(cameo_dir)} if cameo_dir else {}
        convert(data_dir, nlp=base, **kwargs)
    stats = json.loads((data_dir / "stats.json").read_text())
    dev = read_docbin(data_dir / "dev.spacy", base)
    cameo = read_docbin(data_dir / "cameo_train.spacy", base)
    # Rule triples are recomputed: the rules change independently of the stored DocBins.
    rules = base.get_pipe(RULES)
    for doc in dev:
        rules(doc)
    table = load_predicates()
    symmetric = {p for p, info in table.items() if info["symmetric"] == "yes"}
    gold = {g.id: _gold_keys(g.triples, symmetric) for g in read_gold(DEV_CORPUS)}
    repeat = int(config["training"]["dev_repeat"])
    meta: dict = {"config": str(config_path), "seed": seed, "data": stats, "folds": folds}
    if folds > 1:
        for f in range(folds):
            log(f"fold {f + 1}/{folds}")
            train_docs = cameo + [d for i, d in enumerate(dev) if i % folds != f] * repeat
            comp = fit_relation_model(config, train_docs, log=log)
            _predict(comp, [d for i, d in enumerate(dev) if i % folds == f])
        oof = DocBin(store_user_data=True, docs=dev)
        oof.to_disk(data_dir / f"oof_{Path(config_path).stem}.spacy")
        meta["dev_oof_model"] = _typed_prf(dev, "model_triples", gold, symmetric).as_dict()
        meta["dev_rules"] = _typed_prf(dev, "rule_triples", gold, symmetric).as_dict()
        calibration, chosen = _calibrate(dev, gold, symmetric)
        meta.update(chosen)
        log(f"dev out-of-fold: model {meta['dev_oof_model']}, rules {meta['dev_rules']}, "
            f"combined {chosen['dev_oof_combined']} with {_settings(chosen)}")
    else:
        calibration = {}
        meta.update({k: float(config["components"]["combiner"][k])
                     for k in ("model_threshold", "rule_threshold", "flip_margin")})
    meta["seconds_folds"] = round(time.time() - t0)
    log("final model on ConfliBERT + all of dev")
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

    settings = {k: meta[k] for k in ("model_threshold", "rule_threshold", "flip_margin")}
    for k, v in settings.items():
        config["components"]["combiner"][k] = v
    config.to_disk(output / "config.cfg")
    combiner = Combiner(**settings)
    combiner.initialize(calibration=calibration)
    combiner.to_disk(output / "combiner")
