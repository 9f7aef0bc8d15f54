"""What the components share: set-based precision/recall/F scoring and the batch loop."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from spacy.tokens import Doc
from spacy.training import Example

__all__ = ["ComponentMixin", "set_prf"]


def set_prf(
    examples: Iterable[Example], items: Callable[[Doc], set[Hashable]], prefix: str
) -> dict[str, float]:
    """Micro precision/recall/F1 of the sets ``items(predicted)`` vs ``items(reference)``.

    Returns keys ``{prefix}_p``, ``{prefix}_r`` and ``{prefix}_f``.
    """
    tp = fp = fn = 0
    for eg in examples:
        pred, gold = items(eg.predicted), items(eg.reference)
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {f"{prefix}_p": p, f"{prefix}_r": r, f"{prefix}_f": 2 * p * r / (p + r) if p + r else 0.0}


class ComponentMixin:
    """``pipe`` and ``score`` for a component with ``__call__`` and a ``scorer`` attribute."""

    scorer: Callable

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def score(self, examples: Iterable[Example], **kwargs) -> dict[str, float]:
        return self.scorer(examples, **kwargs)
