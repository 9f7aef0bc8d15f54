"""Rules + model: the final ``doc._.triples`` from ``rule_triples`` and ``model_triples``.

* Rules and model find the same (subject, predicate, object) -> one triple, method ``both``.
* Rules and model find the same predicate in opposite directions -> the direction the model
  scores higher by more than ``flip_margin`` wins (method ``both`` when the model overturns
  the rule); otherwise the rule's direction stands.
* Only the rules fire -> the rule triple, method ``rule``.
* Only the model fires -> the model triple, method ``model``, kept when the rules found no
  triple between the same two actors in that sentence (rules decide the type of a pair they
  cover) and

  - in a sentence where the rules fired: its calibrated confidence reaches ``model_threshold``;
  - in a sentence where the rules produced no triple at all: its *raw* score reaches
    ``empty_threshold`` (``None``: the ``model_threshold`` test above). The raw score is the
    model's probability of the predicate (``empty_score = "predicate"``) or of any relation,
    1 - p(none) of the pair (``empty_score = "related"``). Rules are silent on most real news
    sentences, where the model is the only source; on the sentences they were written for,
    a model triple they missed is usually wrong, hence two thresholds.
  - with ``blind_threshold`` set, a rule-empty sentence holding no trigger of the rules'
    lexicon at all (``has_trigger``: the rules are blind there, as on "lifted its blockade")
    gates on ``blind_threshold`` instead of ``empty_threshold`` (same raw score); a
    rule-empty sentence with a trigger the rules could not turn into a triple keeps
    ``empty_threshold``. ``None``: no split.
  - with ``retype`` on, a model-only triple kept in a rule-empty sentence that holds triggers
    takes the predicate of one of those triggers: the one the model scores highest for the
    pair (the model finds the pair, the rules' lexicon names the relation; its ``rule`` reads
    ``model+trigger``). The model alone is good at who-to-whom and weak at which predicate,
    and a trigger word in the sentence is better evidence of the predicate. The gate and the
    confidence stay those of the model's own prediction.
  - with ``max_actors`` set, a rule-empty sentence naming more distinct actors than that (as
    seen by the model's candidate pairs, ``relation_scores``) gets no model-only triple: in a
    list of countries every pair is a candidate, and the model's pairwise guesses there are
    mostly wrong.

Model-only triples are emitted only with ``model_only`` on (off by default since the measure on
real text: on the 20 US government statements of usgov-statements dev, 7 of 30 model-only
triples were right, against 19 of 24 rule-only and 4 of 4 agreed triples). With it off the model
still confirms rule triples (``both``, a higher calibrated confidence), and it scores only the
pairs the rules linked (``usable_pairs``), so ``doc._.model_triples`` holds its verdicts on those;
``nlp_relations.load(model_only=True)`` turns model-only triples back on and has every pair scored.

The combiner is the final stage and the one writer of ``doc._.triples``: every triple it keeps,
from the rules or the model, passes the same guards (an outlet is never subject or object; an
actor named inside a dateline or other noise line is never an actor of a triple, ``guard``),
and a model-only triple, which no rule has attributed, gets the attribution the rule stage gives
its own triples: speaker and source (``extract.attribution.attribute``), negation and modality
of its trigger word (``attribute_model_triples``).

Each triple's confidence is calibrated per method (model-only triples in sentences where the
rules fired have a table of their own, ``model_fired``): a raw score (the rule confidence and the
model's probability of the triple's predicate, see ``raw_score``) goes through a monotone
table fitted on out-of-fold predictions over the dev split (isotonic regression, see
``fit_calibration``). The table enters through ``initialize`` and is saved with ``to_disk``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from .extensions import register_extensions
from .relation_model import SCORES_ATTR
from .rule_relations import score_triples
from .scoring import ComponentMixin

__all__ = [
    "Combiner",
    "add_model_components",
    "attribute_model_triples",
    "guard",
    "apply_calibration",
    "combine_triples",
    "fit_calibration",
    "fit_isotonic",
    "make_combiner",
    "raw_score",
    "trigger_sentences",
    "sentence_triggers",
]

METHODS = ("rule", "model", "both")
# Calibration tables: one per method, and one for model-only triples in sentences where the rules
# fired (``model_fired``; mostly wrong there, unlike in rule-empty sentences). A table missing
# from an older calibration falls back to its method's.
TABLES = (*METHODS, "model_fired")


@Language.factory(
    "nlp_relations_combiner_v1",
    assigns=["doc._.triples"],
    requires=["doc._.rule_triples", "doc._.model_triples", "doc._.relation_scores"],
    default_config={"model_threshold": 0.5, "rule_threshold": 0.0, "flip_margin": 0.0,
                    "empty_threshold": None, "empty_score": "predicate",
                    "blind_threshold": None, "retype": False, "max_actors": None,
                    "model_only": False,
                    "scorer": {"@scorers": "nlp_relations.triple_scorer.v1"}},
    default_score_weights={"triples_f": 1.0, "triples_p": 0.0, "triples_r": 0.0},
)
def make_combiner(nlp: Language, name: str, model_threshold: float, rule_threshold: float,
                  flip_margin: float, scorer: Callable, empty_threshold: float | None = None,
                  empty_score: str = "predicate",
                  blind_threshold: float | None = None, retype: bool = False,
                  max_actors: int | None = None, model_only: bool = False) -> "Combiner":
    """Forward to ``Combiner``; the calibration table comes through ``initialize``."""
    return Combiner(name, model_threshold=model_threshold, rule_threshold=rule_threshold,
                    flip_margin=flip_margin, empty_threshold=empty_threshold,
                    empty_score=empty_score, blind_threshold=blind_threshold, retype=retype,
                    max_actors=max_actors, model_only=model_only, scorer=scorer, nlp=nlp)


# --------------------------------------------------------------------------- calibration


def fit_isotonic(scores: list[float], correct: list[bool], *,
                 prior_weight: float = 0.0) -> dict[str, list[float]]:
    """Pool-adjacent-violators fit of P(correct | score); a table of (x, y) knots.

    ``prior_weight`` > 0 shrinks each pooled block towards the overall rate of ``correct`` as
    if ``prior_weight`` more observations at that rate were in it (then pools again where the
    shrinking broke the order): a block of one or two right answers then reads as "likely",
    not as certain.

    Example:
        >>> fit_isotonic([0.2, 0.4, 0.6, 0.8], [False, True, False, True])
        {'x': [0.2, 0.5, 0.8], 'y': [0.0, 0.5, 1.0]}
        >>> fit_isotonic([0.2, 0.4, 0.6, 0.8], [False, True, False, True], prior_weight=2)
        {'x': [0.2, 0.5, 0.8], 'y': [0.3333, 0.5, 0.6667]}
    """
    pairs = sorted(zip(scores, correct))
    blocks = _pool([[float(c), 1.0, float(s)] for s, c in pairs])  # [sum correct, n, sum score]
    if prior_weight > 0 and pairs:
        rate = sum(c for _, c in pairs) / len(pairs)
        # The shrunk rate as a block of n observations: the sum correct is rescaled to it.
        blocks = _pool([[n * (c + prior_weight * rate) / (n + prior_weight), n, x]
                        for c, n, x in blocks])
    return {"x": [round(b[2] / b[1], 4) for b in blocks],
            "y": [round(b[0] / b[1], 4) for b in blocks]}


def _pool(items: list[list[float]]) -> list[list[float]]:
    """Merge adjacent [sum correct, count, sum score] blocks until their rates increase."""
    blocks: list[list[float]] = []
    for item in items:
        blocks.append(list(item))
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            c2, n2, s2 = blocks.pop()
            blocks[-1][0] += c2
            blocks[-1][1] += n2
            blocks[-1][2] += s2
    return blocks


def apply_calibration(table: dict[str, list[float]] | None, score: float) -> float:
    """Interpolate a fitted table; without a table the raw score is returned."""
    if not table or not table["x"]:
        return float(score)
    xs, ys = table["x"], table["y"]
    if score <= xs[0]:
        return ys[0]
    if score >= xs[-1]:
        return ys[-1]
    for i in range(1, len(xs)):
        if score <= xs[i]:
            w = (score - xs[i - 1]) / (xs[i] - xs[i - 1]) if xs[i] > xs[i - 1] else 1.0
            return ys[i - 1] + w * (ys[i] - ys[i - 1])
    return ys[-1]  # pragma: no cover


def raw_score(method: str, rule_conf: float | None, model_prob: float) -> float:
    """The uncalibrated score of a combined triple.

    ``rule``: the mean of the rule confidence and the model's probability of the rule's
    predicate for that pair (0 when the model saw no such pair); ``both``: the same mean;
    ``model``: the model's probability.
    """
    if method == "model":
        return float(model_prob)
    return (float(rule_conf) + float(model_prob)) / 2


# Pseudo-observations at a table's overall rate added to each of its blocks (``fit_isotonic``).
PRIOR_WEIGHT = 2.0


def fit_calibration(records: Iterable[dict], *, prior_weight: float = PRIOR_WEIGHT) -> dict:
    """Fit one isotonic table per ``TABLES`` entry from ``{"method", "raw", "correct"}``
    records (``method`` names the table: ``model_fired`` for a model-only triple in a sentence
    where the rules fired), each block shrunk by ``prior_weight`` towards the table's rate."""
    records = list(records)
    out = {}
    for method in TABLES:
        rows = [r for r in records if r["method"] == method]
        out[method] = fit_isotonic([r["raw"] for r in rows], [r["correct"] for r in rows],
                                   prior_weight=prior_weight) if rows else None
    out["counts"] = {m: sum(r["method"] == m for r in records) for m in TABLES}
    return out


# --------------------------------------------------------------------------- combination


def _obj(t: dict) -> str | None:
    return t["object"]["actor"] if t.get("object") else None


def trigger_sentences(doc: Doc, lexicon) -> set[int] | None:
    """The ``sent_start`` (character offset) of every sentence of ``doc`` holding a trigger of
    the rules' ``lexicon`` (``extract.rules.has_trigger``); None without sentence boundaries."""
    found = sentence_triggers(doc, lexicon)
    return None if found is None else set(found)


def sentence_triggers(doc: Doc, lexicon, *,
                      only: set[int] | None = None) -> dict[int, list[list]] | None:
    """``sent_start`` -> ``[predicate, trigger text, trigger offset]`` of the first trigger of
    each predicate in that sentence (``extract.rules.trigger_tokens``), for the sentences
    holding one; None without sentence boundaries or lexicon. Plain lists (JSON-ready).
    ``only``: read just the sentences starting at these characters (the others are left out)."""
    from ..extract.rules import trigger_tokens

    if lexicon is None or not doc.has_annotation("SENT_START"):
        return None
    out: dict[int, list[list]] = {}
    for sent in doc.sents:
        if only is not None and sent.start_char not in only:
            continue
        found: dict[str, list] = {}
        for tok, predicate in trigger_tokens(sent, lexicon):
            found.setdefault(predicate, [predicate, tok.text, tok.idx])
        if found:
            out[sent.start_char] = list(found.values())
    return out


def _pair_scores(scores: list[dict] | None) -> dict[tuple, dict[str, float]]:
    return {(s["subject"], s["object"], s["sent_start"]): s["scores"] for s in scores or []}


def combine_triples(rule_triples: list[dict], model_triples: list[dict],
                    relation_scores: list[dict] | None, *, symmetric: set[str],
                    calibration: dict | None = None, model_threshold: float = 0.5,
                    rule_threshold: float = 0.0, flip_margin: float = 0.0,
                    empty_threshold: float | None = None, empty_score: str = "predicate",
                    blind_threshold: float | None = None,
                    trigger_sents: set[int] | None = None,
                    retype: bool = False,
                    trigger_preds: dict[int, list[list]] | None = None,
                    max_actors: int | None = None,
                    model_only: bool = True,
                    keep_raw: bool = False) -> list[dict]:
    """Merge rule and model triples (see the module docstring); every triple gets ``method``.

    Args:
        rule_triples: ``doc._.rule_triples``.
        model_triples: ``doc._.model_triples``.
        relation_scores: ``doc._.relation_scores``, the model's probabilities per pair.
        symmetric: predicates whose direction does not matter.
        calibration: per-method tables from ``fit_calibration`` (None: raw scores).
        model_threshold: the calibrated confidence a model-only triple needs.
        rule_threshold: the calibrated confidence a rule-only triple needs.
        flip_margin: how much more probable the reversed direction must be for the model to
            overturn a rule triple's direction (above 1: never).
        empty_threshold: the raw score a model-only triple needs in a sentence where the rules
            produced no triple (None: ``model_threshold`` on the calibrated confidence).
        empty_score: that raw score: ``predicate`` (the model's probability of the triple's
            predicate) or ``related`` (1 - the pair's probability of ``none``).
        blind_threshold: the raw score a model-only triple needs in a rule-empty sentence with
            no trigger of the rules' lexicon (None: as any other rule-empty sentence).
        trigger_sents: ``sent_start`` of the sentences holding a trigger
            (``trigger_sentences``); None: the sentences of ``trigger_preds``, or, without
            those either, every sentence counts as holding one.
        retype: give a model-only triple kept in a rule-empty sentence the predicate of one of
            the sentence's triggers (``trigger_preds``), the one the model scores highest.
        trigger_preds: ``sent_start`` -> the sentence's triggers (``sentence_triggers``).
        max_actors: the most distinct actors (in ``relation_scores``) a rule-empty sentence may
            name for its model-only triples to be kept (None: no limit).
        model_only: emit triples that only the model found (False: rule and agreed triples
            only; the component's default, see the module docstring).
        keep_raw: also store the raw score under ``raw`` and the name of its calibration
            table under ``table`` (for fitting the calibration).
    """
    calibration = calibration or {}
    probs = _pair_scores(relation_scores)
    if trigger_sents is None and trigger_preds is not None:
        trigger_sents = set(trigger_preds)
    crowd: dict[int, set] = {}  # sent_start -> the actors of the model's candidate pairs
    if max_actors is not None:
        for s_, o_, sent_ in probs:
            crowd.setdefault(sent_, set()).update((s_, o_))

    def prob(s: str, p: str, o: str | None, sent: int) -> float:
        if o is None:
            return 0.0
        return probs.get((s, o, sent), {}).get(p, 0.0)

    def key(t: dict) -> tuple:
        s, o = t["subject"]["actor"], _obj(t)
        if t["predicate"] in symmetric and o is not None:
            s, o = sorted((s, o))
        return (s, t["predicate"], o, t["sent_start"])

    model_by_key = {key(t): t for t in model_triples or []}
    used: set[tuple] = set()
    out: list[dict] = []

    def emit(t: dict, method: str, rule_conf: float | None, p: float, threshold: float,
             gate: float | None = None, table: str | None = None) -> None:
        raw = raw_score(method, rule_conf, p)
        table = table or method
        conf = apply_calibration(calibration.get(table, calibration.get(method)), raw)
        if (conf if gate is None else gate) < threshold:
            return
        t = dict(t, method=method, confidence=round(conf, 3))
        if keep_raw:
            t["raw"], t["table"] = raw, table
        out.append(t)

    for r in rule_triples or []:
        s, p, o, sent = r["subject"]["actor"], r["predicate"], _obj(r), r["sent_start"]
        k = key(r)
        if k in model_by_key:
            # Rules and model agree.
            used.add(k)
            emit(r, "both", r["confidence"], prob(s, p, o, sent), 0.0)
            continue
        if o is not None and p not in symmetric:
            rev = (o, p, s, sent)
            p_here, p_rev = prob(s, p, o, sent), prob(o, p, s, sent)
            if rev in model_by_key and p_rev > p_here + flip_margin:
                # Opposite directions: the model's scores decide; the flipped triple keeps the
                # rule's negation and modality.
                used.add(rev)
                flipped = dict(r, subject=r["object"], object=r["subject"], rule=f"{r['rule']}+model")
                emit(flipped, "both", r["confidence"], p_rev, 0.0)
                continue
            if rev in model_by_key:
                used.add(rev)
        emit(r, "rule", r["confidence"], prob(s, p, o, sent), rule_threshold)
    # Rules decide the type of a pair they cover: a model triple with another predicate on the
    # same two actors in the same sentence is dropped, not added.
    covered = {(frozenset((r["subject"]["actor"], _obj(r))), r["sent_start"])
               for r in rule_triples or [] if _obj(r) is not None}
    fired = {r["sent_start"] for r in rule_triples or []}
    if empty_score not in ("predicate", "related"):
        raise ValueError(f"empty_score must be 'predicate' or 'related', not {empty_score!r}")
    for m in (model_triples or []) if model_only else []:
        k = key(m)
        if k in used or (frozenset((m["subject"]["actor"], _obj(m))), m["sent_start"]) in covered:
            continue
        if m["sent_start"] in fired:
            emit(m, "model", None, m["confidence"], model_threshold, table="model_fired")
            continue
        if max_actors is not None and len(crowd.get(m["sent_start"], ())) > max_actors:
            continue
        blind = blind_threshold is not None and trigger_sents is not None \
            and m["sent_start"] not in trigger_sents
        threshold = blind_threshold if blind else empty_threshold
        if threshold is None:
            emit(m, "model", None, m["confidence"], model_threshold)
            continue
        gate = m["confidence"]
        pair = probs.get((m["subject"]["actor"], _obj(m), m["sent_start"]))
        if empty_score == "related":
            gate = 1.0 - pair.get("none", 0.0) if pair else gate
        found = (trigger_preds or {}).get(m["sent_start"]) if retype else None
        if found and m["predicate"] not in {f[0] for f in found}:
            scores = pair or {}
            best = max(found, key=lambda f: scores.get(f[0], 0.0))  # ties: the first
            m = dict(m, predicate=best[0], trigger=best[1], trigger_start=best[2],
                     rule="model+trigger")
        emit(m, "model", None, m["confidence"], threshold, gate=gate)
    return out


# --------------------------------------------------------------------------- the final stage


def _inside(ref: dict | None, ranges: list[tuple[int, int]]) -> bool:
    from ..extract.noise import in_ranges

    return ref is not None and in_ranges(ref["start_char"], ref["end_char"], ranges)


def guard(triples: list[dict], *, registry=None, noise: Iterable = ()) -> list[dict]:
    """The triples that pass the guards every final triple passes, whatever found it.

    An outlet (registry kind ``media``) reports; it is never the subject or the object ("KCNA
    said North Korea condemned ..."). A mention inside a noise range (a dateline "SEOUL, July 13
    (Yonhap) --", a byline, a related-article line) names no actor of the sentence.
    """
    from ..extract.attribution import _is_media

    ranges = [tuple(r) for r in noise]
    out = []
    for t in triples:
        ends = [t["subject"], t.get("object")]
        if any(ref is not None and _is_media(ref["actor"], registry) for ref in ends):
            continue
        if ranges and any(_inside(ref, ranges) for ref in ends):
            continue
        out.append(t)
    return out


def _epistemics():
    """The rule stage's negation and modality tests of a trigger word, where it has them
    (``extract.rules``; None, None otherwise): model-only triples are read the same way."""
    from ..extract import rules

    return getattr(rules, "_negated", None), getattr(rules, "_modality", None)


def attribute_model_triples(doc: Doc, triples: list[dict], *, registry=None,
                            noise: Iterable = ()) -> None:
    """Attribute model-only triples in place as the rule stage attributes its own.

    Negation and modality come from the triple's trigger word (the verb nearest the pair, or
    the rule lexicon's trigger a retyped triple took): "did not condemn" is negated, "will
    sanction" future. Speaker and source come from ``extract.attribution.attribute`` over the
    document's actor mentions.
    """
    from ..extract.attribution import attribute

    if not triples:
        return
    negated, modality = _epistemics()
    for t in triples:
        tok = _token_at(doc, t.get("trigger_start"), t.get("trigger"))
        if tok is None:
            continue
        if negated is not None:
            t["negated"] = bool(negated(tok))
        if modality is not None:
            t["modality"] = modality(tok)
    attribute(doc, triples, doc._.actors or [], registry=registry,
              noise=[tuple(r) for r in noise])


def _token_at(doc: Doc, char: int | None, text: str | None):
    """The token of a triple's trigger (None when the trigger is not a word of the doc)."""
    from ..extract.mentions import token_at

    if not text or char is None:
        return None
    return token_at(doc, char)


# --------------------------------------------------------------------------- the component


class Combiner(ComponentMixin):
    """Decide ``doc._.triples`` from the rule and model triples."""

    def __init__(self, name: str = "combiner", *, model_threshold: float = 0.5,
                 rule_threshold: float = 0.0, flip_margin: float = 0.0,
                 empty_threshold: float | None = None, empty_score: str = "predicate",
                 blind_threshold: float | None = None, retype: bool = False,
                 max_actors: int | None = None, model_only: bool = False,
                 scorer: Callable = score_triples, nlp: Language | None = None) -> None:
        register_extensions()
        self.name = name
        self.scorer = scorer
        self.nlp = nlp  # to find the rule component's lexicon (blind_threshold, retype)
        self.cfg = {"model_threshold": model_threshold, "rule_threshold": rule_threshold,
                    "flip_margin": flip_margin, "empty_threshold": empty_threshold,
                    "empty_score": empty_score, "blind_threshold": blind_threshold,
                    "retype": bool(retype), "max_actors": max_actors,
                    "model_only": bool(model_only), "calibration": {}, "symmetric": []}

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   calibration: str | Path | dict | None = None,
                   model_threshold: float | None = None,
                   rule_threshold: float | None = None,
                   flip_margin: float | None = None) -> None:
        """Load the calibration table (a dict or a JSON file from ``fit_calibration``)."""
        from ..extract.rules import symmetric_predicates

        if isinstance(calibration, (str, Path)):
            calibration = srsly.read_json(calibration)
        self.cfg["calibration"] = dict(calibration or {})
        self.cfg["symmetric"] = sorted(symmetric_predicates())
        if model_threshold is not None:
            self.cfg["model_threshold"] = float(model_threshold)
        if rule_threshold is not None:
            self.cfg["rule_threshold"] = float(rule_threshold)
        if flip_margin is not None:
            self.cfg["flip_margin"] = float(flip_margin)

    def usable_sentences(self, doc: Doc) -> set[int] | None:
        """Character offsets of the sentences where ``usable_pairs`` can keep a pair, or None
        when it can keep pairs in any sentence (model-only triples on).

        With model-only triples off, those are the sentences where the rules linked two
        actors; the relation model builds candidate pairs there only.
        """
        if self.cfg.get("model_only"):
            return None
        return {t["sent_start"] for t in doc._.rule_triples or [] if t.get("object")}

    def usable_pairs(self, doc: Doc, cands: list[dict]) -> list[dict]:
        """The relation model's candidate pairs (``pair_candidates``) whose scores can change
        what this combiner outputs; the relation model scores only these.

        Without model-only triples (``model_only`` off, the default) the model only confirms
        rule triples: what it says matters for the pairs of actors the rules linked in a
        sentence, both directions (agreement, direction, the rule triple's calibrated
        confidence), and for no other pair.

        With them on, in a sentence naming more than ``max_actors`` distinct actors (among its
        candidate pairs), a model-only triple is never kept where the rules found nothing, nor
        where they fired unless ``model_threshold`` is at most 1; what the model says there
        matters only for the pairs the rules linked. A list of 60 countries in one sentence
        would otherwise be 3,540 pairs to score.
        """
        model_only = bool(self.cfg.get("model_only"))
        max_actors = self.cfg.get("max_actors")
        if model_only and max_actors is None:
            return cands
        linked: dict[int, set[frozenset | None]] = {}
        for t in doc._.rule_triples or []:
            pair = frozenset((t["subject"]["actor"], t["object"]["actor"])) \
                if t.get("object") else None
            linked.setdefault(t["sent_start"], set()).add(pair)
        by_sent: dict[int, list[dict]] = {}
        for c in cands:
            by_sent.setdefault(c["sent_start"], []).append(c)
        fired_open = model_only and self.cfg["model_threshold"] <= 1.0
        out = []
        for start, group in by_sent.items():
            pairs = linked.get(doc[start].idx)
            if model_only:
                actors = {c["subject"]["actor"] for c in group} \
                    | {c["object"]["actor"] for c in group}
                if len(actors) <= max_actors or (fired_open and pairs is not None):
                    out.extend(group)
                    continue
            if pairs:
                out.extend(c for c in group
                           if frozenset((c["subject"]["actor"], c["object"]["actor"])) in pairs)
        return out

    def _registry(self):
        """The actor registry of the actor linker of the same pipeline (None: none)."""
        for _, comp in (self.nlp.pipeline if self.nlp is not None else []):
            registry = getattr(comp, "registry", None)
            if registry is not None and hasattr(registry, "kind"):
                return registry
        return None

    def _lexicon(self):
        """The trigger lexicon of the rule component of the same pipeline (None: none)."""
        from ..extract.rules import Lexicon

        for _, comp in (self.nlp.pipeline if self.nlp is not None else []):
            if isinstance(getattr(comp, "lexicon", None), Lexicon):
                return comp.lexicon
        return None

    def __call__(self, doc: Doc) -> Doc:
        try:
            blind = self.cfg.get("blind_threshold")
            retype = bool(self.cfg.get("retype"))
            model_only = bool(self.cfg.get("model_only"))
            found = None
            if model_only and (blind is not None or retype):
                # Triggers matter only in the sentences where a model-only triple may be kept:
                # those where the rules found nothing.
                fired = {t["sent_start"] for t in doc._.rule_triples or []}
                open_ = {t["sent_start"] for t in doc._.model_triples or []} - fired
                found = sentence_triggers(doc, self._lexicon(), only=open_) if open_ else {}
            doc._.triples = combine_triples(
                doc._.rule_triples or [], doc._.model_triples or [], doc._.get(SCORES_ATTR),
                symmetric=set(self.cfg["symmetric"]), calibration=self.cfg["calibration"],
                model_threshold=self.cfg["model_threshold"],
                rule_threshold=self.cfg["rule_threshold"], flip_margin=self.cfg["flip_margin"],
                empty_threshold=self.cfg.get("empty_threshold"),
                empty_score=self.cfg.get("empty_score", "predicate"),
                blind_threshold=blind,
                retype=retype, trigger_preds=found,
                max_actors=self.cfg.get("max_actors"),
                model_only=model_only,
            )
            registry, noise = self._registry(), doc._.noise or []
            doc._.triples = guard(doc._.triples, registry=registry, noise=noise)
            attribute_model_triples(doc, [t for t in doc._.triples if t["method"] == "model"],
                                    registry=registry, noise=noise)
        except Exception as err:  # one bad document must not stop a batch
            doc._.errors = (doc._.errors or []) + [f"E102: combining triples failed: {err!r}"]
            doc._.triples = [dict(t) for t in doc._.rule_triples or []]
        return doc

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self.cfg)

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "Combiner":
        self.cfg.update(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: str | Path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        # The standard json module writes floats exactly (srsly's ujson rounds them).
        (path / "combiner.json").write_text(json.dumps(self.cfg, indent=1), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude=tuple()) -> "Combiner":
        text = (ensure_path(path) / "combiner.json").read_text(encoding="utf-8")
        self.cfg.update(json.loads(text))
        return self


# --------------------------------------------------------------------------- wiring


def add_model_components(nlp: Language, path: str | Path, *, after: str,
                         model_name: str = "nlp_relations_model",
                         combiner_name: str = "nlp_relations_combiner") -> None:
    """Add the trained relation model and the combiner saved in ``path`` after ``after``.

    ``path`` holds ``config.cfg`` (the two components' config blocks), and one folder per
    component as written by ``to_disk`` (models/relation_model_light/, the default's, and
    models/relation_model/, the full model, are the shipped ones).
    """
    from thinc.api import Config

    path = Path(path)
    config = Config().from_disk(path / "config.cfg", interpolate=False)
    model_cfg = {k: v for k, v in config["components"]["relation_model"].items() if k != "factory"}
    comb_cfg = {k: v for k, v in config["components"]["combiner"].items() if k != "factory"}
    model = nlp.add_pipe("nlp_relations_relation_model_v1", name=model_name, after=after,
                         config=model_cfg)
    combiner = nlp.add_pipe("nlp_relations_combiner_v1", name=combiner_name, after=model_name,
                            config=comb_cfg)
    model.from_disk(path / "relation_model")
    combiner.from_disk(path / "combiner")

