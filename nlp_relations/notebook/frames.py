"""Triples as a pandas DataFrame, and a readable style for showing one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from nlp_relations.schemas import DocResult, Mention, Triple

__all__ = ["TRIPLE_COLUMNS", "dyad_timeline", "style_triples", "triples_frame"]

TRIPLE_COLUMNS = (
    "doc_id",
    "date",
    "subject",
    "predicate",
    "object",
    "stance",
    "confidence",
    "negated",
    "modality",
    "speaker",
    "source",
    "trigger",
    "sentence",
    "subject_text",
    "object_text",
    "method",
)


def _id(mention: Mention | None) -> str | None:
    return mention.actor.id if mention is not None else None


def _triples(items: Any) -> Iterable[Triple]:
    if isinstance(items, (Triple, DocResult)):
        items = [items]
    for item in items:
        if isinstance(item, DocResult):
            yield from item.triples
        elif isinstance(item, Triple):
            yield item
        else:
            raise TypeError(
                f"Expected Triple or DocResult items, got {type(item).__name__}: pass the "
                "results of nlp_relations.extract_many or nlp_relations.extract."
            )


def triples_frame(items: Any) -> pd.DataFrame:
    """One row per triple, actors given by their canonical ids.

    Args:
        items: a ``DocResult`` or ``Triple``, or an iterable mixing them.

    Example:
        >>> frame = triples_frame(results)                    # doctest: +SKIP
        >>> frame[frame.predicate == "condemns"]              # doctest: +SKIP
    """
    rows = []
    for t in _triples(items):
        rows.append(
            {
                "doc_id": t.evidence.doc_id,
                "date": t.evidence.doc_date,
                "subject": t.subject.actor.id,
                "predicate": t.predicate.value,
                "object": _id(t.object),
                "stance": t.stance,
                "confidence": t.confidence,
                "negated": t.negated,
                "modality": t.modality,
                "speaker": _id(t.speaker),
                "source": _id(t.source),
                "trigger": t.evidence.trigger,
                "sentence": t.evidence.sentence,
                "subject_text": t.subject.text,
                "object_text": t.object.text if t.object else None,
                "method": t.method,
            }
        )
    return pd.DataFrame(rows, columns=list(TRIPLE_COLUMNS))


def style_triples(frame: pd.DataFrame, *, sentence_width: str = "28em", max_rows: int = 40):
    """A pandas ``Styler`` that keeps a triples table readable in a notebook.

    Long sentences wrap inside a fixed-width column instead of stretching the table,
    confidences show two decimals, empty cells stay blank, and at most ``max_rows`` rows
    are shown (the DataFrame itself is unchanged).
    """
    shown = frame.head(max_rows)
    styler = shown.style.hide(axis="index").format(na_rep="")
    if "confidence" in shown:
        styler = styler.format("{:.2f}", subset=["confidence"])
    wrapped = [c for c in ("sentence",) if c in shown]
    if wrapped:
        styler = styler.set_properties(
            subset=wrapped,
            **{"white-space": "normal", "min-width": sentence_width, "max-width": sentence_width,
               "text-align": "left", "font-size": "0.9em"},
        )
    styler = styler.set_table_styles(
        [
            {"selector": "td", "props": "vertical-align: top; text-align: left; padding: 2px 6px;"},
            {"selector": "th", "props": "text-align: left; padding: 2px 6px;"},
        ]
    )
    if len(frame) > max_rows:
        styler = styler.set_caption(f"first {max_rows} of {len(frame)} rows")
    return styler


def dyad_timeline(graph: Any, a: str, b: str, *, freq: str = "M",
                  predicate: str | None = None) -> pd.DataFrame:
    """Assertions per period in each direction between two actors.

    Built on ``graph.timeline``: one column per direction (``"PRK → RUS"``), one row per
    period from the first to the last assertion of either direction, zeros filled in.
    """
    columns = {}
    for subject, obj in ((a, b), (b, a)):
        t = graph.timeline(subject=subject, object=obj, predicate=predicate, freq=freq)
        columns[f"{subject} → {obj}"] = t.set_index("date")["count"]
    frame = pd.DataFrame(columns).fillna(0).astype("int64").sort_index()
    if not frame.empty:
        periods = pd.period_range(frame.index.min(), frame.index.max(), freq=freq)
        frame = frame.reindex(periods.to_timestamp(), fill_value=0)
    frame.index.name = "date"
    return frame
