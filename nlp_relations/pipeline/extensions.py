"""The ``Doc._`` attributes the components write. All values stay msgpack-safe."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["register_extensions"]

EXTENSIONS = {
    "actors": None,  # list of mention dicts (extract.mentions)
    "noise": None,  # list of [start_char, end_char] ranges skipped as noise
    # [outlet, start_char, end_char] of the outlet a dateline names ("SEOUL, July 13 (Yonhap)
    # --"), [] when there is none; None when not looked for (no actor linker ran)
    "dateline": None,
    "triples": None,  # the final list of triple dicts (rules, model, or both combined)
    "rule_triples": None,  # what the rule component found
    "model_triples": None,  # what the relation model found
    "relation_scores": None,  # the relation model's per-pair probabilities (for the combiner)
    "relation_gold": None,  # training labels of candidate pairs (nlp_relations.training)
    "doc_id": None,
    "doc_date": None,
    "errors": None,  # list of "E###: message" strings recorded by a component that failed
}


def register_extensions() -> None:
    """Register every extension once per process (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
