"""The schema of one actor registry record (one line of data/actors/*.jsonl)."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..schemas import ActorKind

__all__ = ["ActorRecord"]

_ID_RE = re.compile(r"^[A-Z][A-Z0-9_]*(-[A-Z0-9_]+)?$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")


class ActorRecord(BaseModel):
    """One actor of the registry with every surface form that names it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Canonical id: ISO3 for states, acronym for organisations.")
    name: str = Field(min_length=1, description="Preferred English name.")
    kind: ActorKind = Field(description="state, igo, gov_body, media, person or group.")
    country: str | None = Field(default=None, description="ISO3 of the state it belongs to.")
    represents: str | None = Field(
        default=None, description="Actor this body or person speaks for (graph node)."
    )
    qid: str | None = Field(default=None, description="Wikidata QID, where known.")
    state_media: bool | None = Field(default=None, description="Media only: state-run outlet.")
    role: str | None = Field(default=None, description="People only: office held.")
    start: dt.date | None = Field(default=None, description="People only: in office from.")
    end: dt.date | None = Field(default=None, description="People only: in office until.")
    aliases: list[str] = Field(default_factory=list, description="Names as written in text.")
    adjectives: list[str] = Field(default_factory=list, description="Demonyms and adjectives.")
    metonyms: list[str] = Field(
        default_factory=list, description="Capitals and seats used for the government."
    )
    context_aliases: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Expression -> ids of which one must be named in the same document.",
    )

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError(f"id {value!r} must be upper-case letters, digits or '_' (e.g. PRK)")
        return value

    @field_validator("country", "represents")
    @classmethod
    def _check_ref(cls, value: str | None) -> str | None:
        if value is not None and not _ID_RE.match(value):
            raise ValueError(f"reference {value!r} is not an actor id")
        return value

    @field_validator("qid")
    @classmethod
    def _check_qid(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^Q[1-9][0-9]*$", value):
            raise ValueError(f"qid {value!r} must look like Q423")
        return value

    @model_validator(mode="after")
    def _check_kind(self) -> "ActorRecord":
        if self.kind == "state" and not _ISO3_RE.match(self.id):
            raise ValueError(f"state id {self.id!r} must be an ISO 3166-1 alpha-3 code")
        if not (self.aliases or self.adjectives or self.metonyms or self.context_aliases):
            raise ValueError(f"actor {self.id!r} has no surface form (aliases is empty)")
        return self

    @property
    def canonical(self) -> str:
        """The id of the graph node this actor's mentions stand for."""
        return self.represents or self.id
