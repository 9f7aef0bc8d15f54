"""Pydantic v2 models that cross the library boundary.

Inside a spaCy ``Doc`` everything is stored as plain dicts (msgpack-safe); these
models are built from those dicts at the boundary (``extract``, the CLI, the graph).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "ActorKind",
    "Actor",
    "Mention",
    "Evidence",
    "Triple",
    "DocResult",
    "Predicate",
    "PREDICATES",
    "Modality",
    "Stance",
    "Method",
    "PloverCategory",
]

ActorKind = Literal["state", "igo", "gov_body", "media", "person", "group"]
Stance = Literal["negative", "neutral", "positive"]
Modality = Literal["asserted", "future", "hypothetical", "alleged"]
Method = Literal["rule", "model", "both"]
PloverCategory = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "INVESTIGATE",
]


class Predicate(str, Enum):
    """The closed predicate vocabulary; data/lexicons/predicates.tsv maps each to PLOVER/CAMEO."""

    condemns = "condemns"
    denounces = "denounces"
    criticizes = "criticizes"
    accuses = "accuses"
    rejects = "rejects"
    threatens = "threatens"
    warns = "warns"
    expresses_concern = "expresses_concern"
    demands = "demands"
    urges = "urges"
    protests = "protests"
    sanctions = "sanctions"
    supports = "supports"
    praises = "praises"
    agrees_with = "agrees_with"
    meets = "meets"
    cooperates_with = "cooperates_with"
    exports_to = "exports_to"
    consults = "consults"
    visits = "visits"
    negotiates_with = "negotiates_with"
    provides_aid_to = "provides_aid_to"
    concedes_to = "concedes_to"
    retreats_from = "retreats_from"
    investigates = "investigates"
    mobilizes_against = "mobilizes_against"
    coerces = "coerces"
    attacks = "attacks"
    fights = "fights"


PREDICATES: tuple[str, ...] = tuple(p.value for p in Predicate)

_ID_RE = re.compile(r"^[A-Z][A-Z0-9_]*(-[A-Z0-9_]+)?$")


class Actor(BaseModel):
    """A canonical actor from the registry (a node of the graph)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        description="ISO 3166-1 alpha-3 for states (PRK), upper-case acronym for organisations "
        "(NATO, KCNA), '<ISO3>-<NAME>' for government bodies and office holders (RUS-LAVROV)."
    )
    name: str = Field(description="Preferred English name.")
    kind: ActorKind = Field(description="state, igo, gov_body, media, person or group.")
    country: str | None = Field(default=None, description="ISO3 of the state it belongs to.")

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError(
                f"Invalid actor id {value!r}: expected upper-case letters/digits/underscore, "
                "e.g. 'PRK', 'NATO' or 'RUS-LAVROV'."
            )
        return value


class Mention(BaseModel):
    """A stretch of text that refers to an actor."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    actor: Actor = Field(description="The canonical actor the mention stands for (graph node).")
    text: str = Field(description="Surface text as written.")
    start_char: int = Field(ge=0, description="Character offset of the first character.")
    end_char: int = Field(ge=0, description="Character offset after the last character.")
    agent: Actor | None = Field(
        default=None,
        description="The body or person named, when it speaks for `actor` "
        "(e.g. RUS-LAVROV for 'Sergei Lavrov', whose actor is RUS).",
    )
    sector: str | None = Field(
        default=None,
        description="CAMEO sector code of the party within `actor` (data/lexicons/sectors.tsv): "
        "'Malian rebels' is MLI with sector REB, 'Turkish troops' TUR with MIL; None for the "
        "actor itself.",
    )


class Evidence(BaseModel):
    """Where a triple comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str = Field(description="Identifier of the source document.")
    sentence: str = Field(description="The sentence text.")
    start_char: int = Field(ge=0, description="Sentence start offset in the document.")
    end_char: int = Field(ge=0, description="Sentence end offset in the document.")
    trigger: str = Field(description="The word(s) that signal the relation.")
    doc_date: str | None = Field(default=None, description="Document date (ISO), when known.")


class Triple(BaseModel):
    """A directed, typed relation between two actors, traceable to its sentence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: Mention = Field(description="Who acts.")
    predicate: Predicate = Field(description="What they do (closed vocabulary).")
    object: Mention | None = Field(default=None, description="To whom; None if intransitive.")
    category: PloverCategory = Field(description="PLOVER category of the predicate.")
    cameo: str = Field(description="CAMEO code of the predicate.")
    stance: Stance = Field(description="Stance of subject towards object.")
    confidence: float = Field(ge=0.0, le=1.0, description="Calibrated confidence.")
    negated: bool = Field(default=False, description="True for 'did not condemn'.")
    modality: Modality = Field(
        default="asserted",
        description="asserted, future, hypothetical, or alleged (a claim the text attributes to someone).",
    )
    speaker: Mention | None = Field(default=None, description="Who said it, if reported speech.")
    source: Mention | None = Field(default=None, description="Outlet that carried/reported it.")
    evidence: Evidence = Field(description="Sentence, offsets and trigger.")
    method: Method = Field(default="rule", description="rule, model or both.")
    topic: str | None = Field(
        default=None,
        description="The nested event this one is about, as 'predicate@char' of its trigger "
        "(NATO condemns PRK about 'exports_to@57').",
    )

    def key(self) -> tuple[str, str, str | None, bool, str]:
        """The merge key of the graph: (subject id, predicate, object id, negated, modality)."""
        obj = self.object.actor.id if self.object else None
        return (self.subject.actor.id, self.predicate.value, obj, self.negated, self.modality)

    def predicate_label(self, negation: str = "NOT") -> str:
        """The predicate as a reader should take it: "NOT exports_to", "warns (future)"."""
        label = (f"{negation} " if self.negated else "") + self.predicate.value
        return label if self.modality == "asserted" else f"{label} ({self.modality})"

    def _repr_html_(self) -> str:
        from html import escape

        obj = escape(self.object.actor.id) if self.object else "&empty;"
        neg = "NOT " if self.negated else ""
        return (
            f"<b>{escape(self.subject.actor.id)}</b> &rarr; <i>{neg}{self.predicate.value}</i> "
            f"&rarr; <b>{obj}</b> <small>({self.category}, {self.stance}, "
            f"{self.confidence:.2f}, {self.method})</small><br>"
            f"<small>&ldquo;{escape(self.evidence.sentence)}&rdquo;</small>"
        )


class DocResult(BaseModel):
    """The result of one document: its triples, or the reason it was skipped."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(description="Identifier of the document.")
    ok: bool = Field(description="False when the document was skipped.")
    error: str | None = Field(default=None, description="Coded reason for a skip (E###: ...).")
    triples: list[Triple] = Field(default_factory=list, description="Extracted triples.")
    actors: list[Mention] = Field(default_factory=list, description="All actor mentions.")
    doc_date: str | None = Field(default=None, description="Document date (ISO), if known.")
    notes: list[str] = Field(
        default_factory=list, description="What was done to the input (e.g. HTML stripped)."
    )
    text_sha1: str | None = Field(
        default=None, description="SHA-1 of the normalised text; the graph counts a text once."
    )

    def _repr_html_(self, max_rows: int = 30) -> str:
        from html import escape

        head = f"<b>DocResult</b> <code>{escape(self.doc_id)}</code>"
        if self.doc_date:
            head += f" ({escape(self.doc_date)})"
        if not self.ok:
            return f"<p>{head}: <span style='color:#c0392b'>skipped</span>: " \
                   f"{escape(self.error or '')}</p>"
        actors = sorted({m.actor.id for m in self.actors})
        head += (f": {len(self.triples)} triples, {len(self.actors)} actor mentions "
                 f"({escape(', '.join(actors))})")
        if self.notes:
            head += f"<br><small>notes: {escape('; '.join(self.notes))}</small>"
        cell = "style='text-align:left;padding:1px 6px;vertical-align:top'"
        columns = ("subject", "predicate", "object", "stance", "confidence", "trigger",
                   "source")
        rows = []
        for t in self.triples[:max_rows]:
            cells = (t.subject.actor.id, t.predicate_label(), t.object.actor.id if t.object else "",
                     t.stance, f"{t.confidence:.2f}", t.evidence.trigger,
                     t.source.actor.id if t.source else "")
            rows.append("<tr>" + "".join(f"<td {cell}>{escape(c)}</td>" for c in cells)
                        + "</tr>")
        more = len(self.triples) - max_rows
        if more > 0:
            rows.append(f"<tr><td {cell} colspan='{len(columns)}'>... {more} more</td></tr>")
        header = "".join(f"<th {cell}>{c}</th>" for c in columns)
        table = f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        return f"<div><p>{head}</p>{table if self.triples else ''}</div>"
