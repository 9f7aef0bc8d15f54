"""nlp_relations: who did what to whom in diplomatic statements and news reports.

Example:
    >>> import nlp_relations
    >>> triples = nlp_relations.extract("NATO condemned North Korea's arms exports to Russia.")
    >>> sorted(t.key()[:3] for t in triples)
    [('NATO', 'condemns', 'PRK'), ('PRK', 'exports_to', 'RUS')]
"""

from . import pipeline  # noqa: F401  (registers the spaCy factories and Doc extensions)
from .api import doc_to_result, extract, extract_doc, extract_many, load, resolve_actor
from .errors import InputError, NlpRelationsError, RegistryError
from .graph import RelationGraph, build_graph, merge, read_graphml, write_graphml
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
    "load",
    "merge",
    "read_graphml",
    "resolve_actor",
    "write_graphml",
]

__version__ = "0.1.0"
