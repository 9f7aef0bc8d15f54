"""nlp_relations: who did what to whom in diplomatic statements and news reports.

Example:
    >>> import nlp_relations
    >>> triples = nlp_relations.extract("NATO condemned North Korea's arms exports to Russia.")
    >>> sorted(t.key()[:3] for t in triples)
    [('NATO', 'condemns', 'PRK'), ('PRK', 'exports_to', 'RUS')]
"""

import sys
import types
from typing import TYPE_CHECKING

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

# Each stage is imported on first use. Extraction (spaCy, and torch through thinc) is not
# imported by the graph and store commands, which read results; importing the api also
# imports nlp_relations.pipeline, which registers the spaCy factories and Doc extensions
# (a fresh process loading a saved pipeline finds them through the spacy_factories entry
# points). The graph stage needs networkx and pandas, which extraction does not, so a cold
# extract() does not import them.
_API = frozenset({"doc_to_result", "extract", "extract_doc", "extract_many", "load",
                  "resolve_actor"})
_GRAPH = frozenset({"RelationGraph", "build_graph", "merge", "read_graphml", "write_graphml",
                    "write_events"})
# The scale path (Parquet, Dask) likewise; its engines also need the [scale] extra.
_SCALE = frozenset({"extract_to_parquet"})

if TYPE_CHECKING:
    from .api import doc_to_result, extract, extract_doc, extract_many, load, resolve_actor
    from .graph import (RelationGraph, build_graph, merge, read_graphml, write_events,
                        write_graphml)
    from .scale import extract_to_parquet


class _Package(types.ModuleType):
    """This package's module: ``nlp_relations.extract`` is the function, not the subpackage.

    Importing the subpackage ``nlp_relations.extract`` (which the api does) sets the
    attribute of that name on this module; the property keeps the public function there (as
    the eager ``from .api import extract`` used to) and the setter files the subpackage away.
    """

    @property
    def extract(self):
        from .api import extract

        return extract

    @extract.setter
    def extract(self, module: types.ModuleType) -> None:
        self.__dict__["_extract_package"] = module


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    if name in _GRAPH:
        from . import graph

        return getattr(graph, name)
    if name in _SCALE:
        from . import scale

        return getattr(scale, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API | _GRAPH | _SCALE)
