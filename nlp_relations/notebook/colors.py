"""Stable colours: one per actor id, one per actor kind and one per stance."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

__all__ = ["KIND_COLORS", "STANCE_COLORS", "actor_color", "actor_colors"]

# Light enough to sit behind black text (displaCy draws its span labels on them too).
_PALETTE = (
    "#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#ffff99", "#fb9a99", "#8dd3c7",
    "#bebada", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#d9d9d9", "#ccebc5",
    "#ffed6f", "#bc80bd",
)
# Saturated enough for node fills with a white halo behind the label.
KIND_COLORS = {
    "state": "#4e79a7",
    "igo": "#f28e2b",
    "gov_body": "#76b7b2",
    "media": "#9c755f",
    "person": "#b07aa1",
    "group": "#e15759",
}
STANCE_COLORS = {"negative": "#c0392b", "neutral": "#5d6d7e", "positive": "#1e8449"}


def actor_color(actor_id: str) -> str:
    """The palette colour of an actor id; the same id gets the same colour in every run.

    A hash (not Python's salted ``hash``) keeps it stable across processes.
    """
    digest = hashlib.md5(actor_id.encode("utf-8"), usedforsecurity=False).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def actor_colors(actor_ids: Iterable[str]) -> dict[str, str]:
    """``{actor id: colour}`` for displaCy's ``options={"colors": ...}``."""
    return {a: actor_color(a) for a in actor_ids}
