"""Pure functions over Doc/Span: noise, actor mentions, dependency rules, attribution."""

from .attribution import attribute
from .mentions import link_actors, load_roles
from .noise import find_noise
from .rules import Lexicon, extract_triples, load_lexicon, load_predicates

__all__ = [
    "Lexicon",
    "attribute",
    "extract_triples",
    "find_noise",
    "link_actors",
    "load_lexicon",
    "load_predicates",
    "load_roles",
]
