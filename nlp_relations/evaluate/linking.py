"""Actor-linking precision and recall on the ConfliBERT CAMEO NER test split.

The gold ids (data/gold/conflibert_ner_test_actor_ids.jsonl) are joined at run time with the
CoNLL sentences in ../shared/datasets (GPL-3.0, never copied into this repo). Tokens are joined
with single spaces; a predicted mention is judged only where it overlaps a gold source/target
span, since other actors in those sentences were not annotated:

- recall: gold (span, id) pairs for which a predicted mention inside the span has that id;
- precision: predicted (span, id) pairs inside gold spans whose id is among the span's ids
  (a span annotated with no registry actor, e.g. "police", makes every prediction there wrong).
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language

from ..resources import CHECKOUT_DIR, SHARED_DATASETS
from .metrics import PRF

__all__ = ["DEFAULT_CONLL", "DEFAULT_GOLD", "evaluate_linking", "read_conll", "read_span_gold"]

# Both read from the source checkout only (they are not shipped in the wheel).
DEFAULT_GOLD = CHECKOUT_DIR / "data" / "gold" / "conflibert_ner_test_actor_ids.jsonl"
DEFAULT_CONLL = SHARED_DATASETS / "conflibert-cameo" / "cameo_ner_test.txt"


def read_conll(path: str | Path) -> list[list[tuple[str, str]]]:
    """Sentences of (token, tag) pairs."""
    sentences, current = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        token, _, tag = line.rpartition(" ")
        current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def read_span_gold(path: str | Path = DEFAULT_GOLD) -> dict[int, list[dict]]:
    """The hand-mapped gold spans per sentence. A span of people of a known nationality
    ("Palestinian gunmen": ``ids`` [] and ``country`` PSE) is that country's sector actor, as
    the linker codes it, so its ids become ``[country]``."""
    spans: dict[int, list[dict]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            if not rec["ids"] and rec.get("country"):
                rec["ids"] = [rec["country"]]
            spans.setdefault(rec["sentence"], []).append(rec)
    return spans


def evaluate_linking(nlp: Language, *, conll: str | Path = DEFAULT_CONLL,
                     gold: str | Path = DEFAULT_GOLD) -> tuple[PRF, list[dict]]:
    """Score actor linking; returns the counts and one row per gold span."""
    sentences = read_conll(conll)
    spans = read_span_gold(gold)
    texts, offsets = [], []
    for sent in sentences:
        pos, starts = 0, []
        for token, _ in sent:
            starts.append((pos, pos + len(token)))
            pos += len(token) + 1
        texts.append(" ".join(t for t, _ in sent))
        offsets.append(starts)
    prf = PRF()
    rows = []
    for i, doc in enumerate(nlp.pipe(texts)):
        for rec in spans.get(i, []):
            start = offsets[i][rec["start"]][0]
            end = offsets[i][rec["end"] - 1][1]
            predicted = {m["actor"] for m in doc._.actors or []
                         if m["start_char"] < end and start < m["end_char"]}
            gold_ids = set(rec["ids"])
            prf.tp += len(predicted & gold_ids)
            prf.fp += len(predicted - gold_ids)
            prf.fn += len(gold_ids - predicted)
            rows.append({"sentence": i, "start": rec["start"], "end": rec["end"],
                         "gold": sorted(gold_ids), "predicted": sorted(predicted)})
    return prf, rows
