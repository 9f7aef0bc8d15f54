"""Pure functions over Doc/Span: noise, actor mentions, the rule lexicon, dependency rules,
attribution."""

from .attribution import attribute
from .lexicon import Lexicon, load_lexicon, load_predicates
from .mentions import link_actors, load_roles
from .noise import find_noise
from .rules import extract_triples

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
