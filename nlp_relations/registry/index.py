"""The in-memory registry: actors by id and surface forms by text.

One ``Registry`` serves both the spaCy actor linker and ``resolve_actor``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..schemas import Actor
from .records import ActorRecord

__all__ = ["Form", "Registry", "normalise"]

# Which kind of surface form matched; the linker treats them differently.
FORM_TYPES = ("alias", "adjective", "metonym", "context")
# When two records claim the same text, the more specific kind wins.
_KIND_PRIORITY = {"person": 0, "gov_body": 1, "media": 2, "igo": 3, "group": 4, "state": 5}

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_THE = re.compile(r"^the\s+", re.IGNORECASE)


def normalise(text: str) -> str:
    """Fold case, quotes, accents, dots and a leading 'the' for lenient look-ups."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _THE.sub("", text.strip()).replace(".", "")
    return re.sub(r"\s+", " ", text).lower()


@dataclass(frozen=True)
class Form:
    """One surface form of one actor."""

    text: str
    actor_id: str
    form_type: str
    requires: tuple[str, ...] = ()


class Registry:
    """Actors by id, and every surface form by its exact text and its normalised text."""

    def __init__(self, records: Iterable[ActorRecord]) -> None:
        self.records: dict[str, ActorRecord] = {}
        # People known by id only (the dated Phoenix people, ``add_people``): no surface forms;
        # their names are read on first need.
        self._people_source = None
        self._people: dict[str, str] | None = None
        self._exact: dict[str, Form] = {}
        self._loose: dict[str, Form] = {}
        for rec in records:
            self.add(rec)

    def add(self, rec: ActorRecord) -> None:
        """Add (or replace) one record; a later record overrides an earlier one's forms."""
        self.records[rec.id] = rec
        forms = [Form(a, rec.id, "alias") for a in rec.aliases]
        forms += [Form(a, rec.id, "adjective") for a in rec.adjectives]
        forms += [Form(a, rec.id, "metonym") for a in rec.metonyms]
        forms += [Form(a, rec.id, "context", tuple(req)) for a, req in rec.context_aliases.items()]
        # "the North" also opens a sentence as "The North".
        forms += [Form("T" + f.text[1:], f.actor_id, f.form_type, f.requires)
                  for f in forms if f.text.startswith("the ")]
        for form in forms:
            self._put(self._exact, form.text, form)
            if form.form_type != "context":
                self._put(self._loose, normalise(form.text), form)

    def _put(self, table: dict[str, Form], key: str, form: Form) -> None:
        old = table.get(key)
        if old is None or old.actor_id == form.actor_id:
            table[key] = form
            return
        rank = lambda f: (_KIND_PRIORITY[self.records[f.actor_id].kind], f.actor_id)  # noqa: E731
        table[key] = min(old, form, key=rank)

    def __len__(self) -> int:
        return len(self.records)

    def add_people(self, names) -> None:
        """Know people by id so that ``actor`` can describe them: ``names`` is a function
        returning id -> display name, called on first need. They get no surface forms here
        (the linker finds them by name and date: ``extract.people``)."""
        self._people_source, self._people = names, None

    def _person_names(self) -> dict[str, str]:
        if self._people is None:
            self._people = self._people_source() if self._people_source else {}
        return self._people

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.records or (
            isinstance(actor_id, str) and actor_id.startswith("PHX-")
            and actor_id in self._person_names())

    def forms(self) -> Iterator[Form]:
        """Every exact surface form, one per distinct text."""
        return iter(self._exact.values())

    def form(self, text: str) -> Form | None:
        """The form written exactly as ``text``, if any."""
        return self._exact.get(text)

    def lookup(self, text: str) -> Form | None:
        """The form matching ``text`` exactly, else after normalisation.

        A lower-case word never matches an acronym: "who" is not the WHO, "us" not the USA.
        """
        exact = self._exact.get(text)
        if exact is not None:
            return exact
        form = self._loose.get(normalise(text))
        if form is not None and text.isalpha() and text.islower() and form.text.isupper():
            return None
        return form

    def canonical(self, actor_id: str) -> str:
        """The graph-node id an actor's mentions stand for (a minister -> their state)."""
        rec = self.records.get(actor_id)
        return rec.canonical if rec else actor_id

    def kind(self, actor_id: str | None) -> str | None:
        """The kind of a registry id (state, igo, media, ...), or None when it is unknown."""
        rec = self.records.get(actor_id) if actor_id is not None else None
        return rec.kind if rec else None

    def actor(self, actor_id: str) -> Actor:
        """The public ``Actor`` model of a registry id."""
        if actor_id not in self.records and actor_id in self:
            # A Phoenix person (a name), or a named body of one country ((name, kind)).
            name = self._person_names()[actor_id]
            name, kind = (name, "person") if isinstance(name, str) else name
            return Actor(id=actor_id, name=name, kind=kind)
        rec = self.records[actor_id]
        return Actor(id=rec.id, name=rec.name, kind=rec.kind, country=rec.country)

    def resolve(self, text: str) -> Actor | None:
        """The canonical actor a name stands for ('Pyongyang' -> PRK), or None."""
        form = self.lookup(text)
        if form is None or form.form_type == "context":
            return None
        return self.actor(self.canonical(form.actor_id))
