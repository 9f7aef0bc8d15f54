"""spaCy components, one per module (factory + class + scorer together)."""

from .actor_linker import ActorLinker
from .extensions import register_extensions
from .line_breaks import LineBreaks
from .rule_relations import RuleRelations

__all__ = ["ActorLinker", "LineBreaks", "RuleRelations", "register_extensions"]
