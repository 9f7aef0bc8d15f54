"""The gold format of annotated sentences (data/corpus/relations_*.jsonl).

One JSON object per line::

    {"id": "dev-0001", "text": "...", "shape": "nested",
     "triples": [{"subject": "NATO", "predicate": "condemns", "object": "PRK",
                  "negated": false, "modality": "asserted", "speaker": null, "source": null}]}

``subject``/``object``/``speaker``/``source`` are canonical actor ids; ``object`` may be null
for predicates that need none (threatens, warns). See data/corpus/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..schemas import Modality, Predicate

__all__ = ["GoldSentence", "GoldTriple", "read_gold"]


class GoldTriple(BaseModel):
    """One annotated triple."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(description="Canonical actor id of the subject.")
    predicate: Predicate = Field(description="Predicate from the closed vocabulary.")
    object: str | None = Field(default=None, description="Canonical actor id of the object.")
    negated: bool = Field(default=False, description="Negated event.")
    modality: Modality = Field(default="asserted",
                               description="asserted, future, hypothetical or alleged.")
    speaker: str | None = Field(default=None, description="Who said it.")
    source: str | None = Field(default=None, description="Outlet that carried it.")


class GoldSentence(BaseModel):
    """One annotated sentence (or two, when the second needs the first)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Unique id, e.g. dev-0001.")
    text: str = Field(description="The sentence text.")
    shape: str | None = Field(default=None, description="The construction it exercises.")
    triples: list[GoldTriple] = Field(default_factory=list, description="All gold triples.")


def read_records(path: str | Path, model: type[BaseModel]) -> list:
    """Read a JSONL file of ``model`` records, naming the line of the first bad one."""
    out = []
    with Path(path).open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                out.append(model.model_validate(json.loads(line)))
            except Exception as err:
                raise ValueError(f"Invalid gold record at {path}:{lineno}: {err}") from err
    return out


def read_gold(path: str | Path) -> list[GoldSentence]:
    """Read a gold JSONL file of annotated sentences."""
    return read_records(path, GoldSentence)
