"""nlp_relations: who did what to whom in diplomatic statements and news reports.

Example:
    >>> import nlp_relations
    >>> triples = nlp_relations.extract("NATO condemned North Korea's arms exports to Russia.")
    >>> sorted(t.key()[:3] for t in triples)
    [('NATO', 'condemns', 'PRK'), ('PRK', 'exports_to', 'RUS')]
"""

from typing import TYPE_CHECKING

from . import pipeline  # noqa: F401  (registers the spaCy factories and Doc extensions)
from .api import doc_to_result, extract, extract_doc, extract_many, load, resolve_actor
from .errors import InputError, NlpRelationsError, RegistryError
from .schemas import PREDICATES, Actor, DocResult, Evidence, Mention, Triple

__all__ = [
    "PREDICATES",
    "Actor",
    "DocResult",
    "Evidence",
    "InputError",
    "Mention",
    "NlpRelationsError",
    "RegistryError",
    "RelationGraph",
    "Triple",
    "build_graph",
    "doc_to_result",
    "extract",
    "extract_doc",
    "extract_many",
    "extract_to_parquet",
    "load",
    "merge",
    "read_graphml",
    "resolve_actor",
    "write_events",
    "write_graphml",
]

__version__ = "0.1.0"

# The graph stage needs networkx and pandas, which extraction does not: it is imported on first
# use (nlp_relations.build_graph, ...), which keeps a cold extract() quick.
_GRAPH = frozenset({"RelationGraph", "build_graph", "merge", "read_graphml", "write_graphml",
                    "write_events"})
# The scale path (Parquet, Dask) likewise; its engines also need the [scale] extra.
_SCALE = frozenset({"extract_to_parquet"})

if TYPE_CHECKING:
    from .graph import (RelationGraph, build_graph, merge, read_graphml, write_events,
                        write_graphml)
    from .scale import extract_to_parquet


def __getattr__(name: str):
    if name in _GRAPH:
        from . import graph

        return getattr(graph, name)
    if name in _SCALE:
        from . import scale

        return getattr(scale, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _GRAPH | _SCALE)
