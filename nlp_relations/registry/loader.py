"""Read and validate actor registry files (JSON Lines)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..errors import Errors, RegistryError
from ..resources import DATA_DIR
from .records import ActorRecord

__all__ = ["DATA_DIR", "default_actor_paths", "read_actor_file", "read_actors"]


def default_actor_paths() -> list[Path]:
    """The registry files shipped in data/actors/, in a stable order."""
    return sorted((DATA_DIR / "actors").glob("*.jsonl"))


def read_actor_file(path: str | Path) -> list[ActorRecord]:
    """Parse one JSONL registry file.

    Raises:
        RegistryError: naming the file and line of the first bad record.
    """
    path = Path(path)
    if not path.exists():
        raise RegistryError(Errors.E012.format(path=path))
    records = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                records.append(ActorRecord.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValidationError) as err:
                msg = str(err).replace("\n", " ")
                raise RegistryError(Errors.E010.format(path=path, line=lineno, err=msg)) from err
    return records


def read_actors(paths: Iterable[str | Path] | None = None) -> list[ActorRecord]:
    """Read several registry files (or folders of them); ids must be unique across all.

    Args:
        paths: files or folders; default: the shipped data/actors/*.jsonl.
    """
    files: list[Path] = []
    for p in default_actor_paths() if paths is None else paths:
        p = Path(p)
        files.extend(sorted(p.glob("*.jsonl")) if p.is_dir() else [p])
    seen: dict[str, str] = {}
    out: list[ActorRecord] = []
    for f in files:
        for lineno, rec in enumerate(read_actor_file(f), start=1):
            if rec.id in seen:
                raise RegistryError(
                    Errors.E011.format(actor_id=rec.id, path=f, line=lineno, first=seen[rec.id])
                )
            seen[rec.id] = str(f)
            out.append(rec)
    return out
