"""Report user actor records that take over shipped ids or names.

An extra-actors file may replace a shipped actor on purpose (same id) or name a new actor
with a shipped name ("Russia"); when the new record's kind is more specific, it then wins
that name in every document. Both are allowed, but never silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import Errors
from .index import Registry
from .loader import read_actor_file

__all__ = ["report_takeovers"]

# Names quoted in one message; the rest are counted.
NAMES_SHOWN = 5


def _files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.jsonl")) if p.is_dir() else [p])
    return out


def report_takeovers(extra_paths: Iterable[str | Path], *,
                     shipped: Registry | None = None) -> list[str]:
    """One E052 message per extra record that replaces a shipped actor or wins a shipped name.

    Args:
        extra_paths: the extra-actors files (or folders of them), as given to ``load``.
        shipped: the registry they extend; default: the shipped data files.

    Example:
        >>> report_takeovers(["my_actors.jsonl"])  # doctest: +SKIP
        ["E052: Extra actor 'RUS' (my_actors.jsonl) replaces the shipped actor 'RUS' ..."]
    """
    from . import default_registry

    shipped = shipped or default_registry()
    extra = [(rec, path) for path in _files(extra_paths) for rec in read_actor_file(path)]
    ids = {rec.id for rec, _ in extra}
    merged = Registry([r for r in shipped.records.values() if r.id not in ids]
                      + [rec for rec, _ in extra])
    taken: dict[str, list[str]] = {}
    for form in shipped.forms():
        now = merged.form(form.text)
        if now is not None and now.actor_id in ids and now.actor_id != form.actor_id:
            taken.setdefault(now.actor_id, []).append(f"{form.text!r} ({form.actor_id})")
    messages = []
    for rec, path in extra:
        what = []
        if rec.id in shipped:
            what.append(f"replaces the shipped actor {rec.id!r} "
                        f"({shipped.records[rec.id].name})")
        names = sorted(set(taken.get(rec.id, [])))
        if names:
            more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
            what.append(f"takes over {len(names)} shipped name(s): "
                        f"{', '.join(names[:NAMES_SHOWN])}{more}")
        if what:
            messages.append("E052: " + Errors.E052.format(actor_id=rec.id, path=path,
                                                           what=" and ".join(what)))
    return messages
