"""The actor registry: loading, validating and indexing data/actors/*.jsonl."""

from __future__ import annotations

from functools import lru_cache

from .index import Form, Registry, normalise
from .loader import DATA_DIR, default_actor_paths, read_actor_file, read_actors
from .records import ActorRecord
from .takeovers import report_takeovers

__all__ = [
    "ActorRecord",
    "DATA_DIR",
    "Form",
    "Registry",
    "default_actor_paths",
    "default_registry",
    "normalise",
    "read_actor_file",
    "read_actors",
    "report_takeovers",
]


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry of the shipped data files, built once per process."""
    return Registry(read_actors())
