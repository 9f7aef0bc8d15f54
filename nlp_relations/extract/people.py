"""Named people at event-data scale: the Phoenix office holders, dated, for names the registry
does not list.

The registry's own people (data/actors/people*.jsonl) come first; a PERSON entity the registry
left unlinked is looked up in the converted Phoenix people (``people_index.tsv``, ~20,000 names,
roles up to about 2015). The document date decides what a person stands for, as an event coder
would code them:

* a role held on that date -> the role's country and sector ("Uhuru Kenyatta" in 2015 -> KEN,
  sector GOV: the state itself);
* no role held then -> the country of their latest role before the date, as an elite (ELI: a
  former official speaks for no government) -- or of their first role, if none started yet;
* no document date -> their latest-starting role.

People whose name two Phoenix records share with different countries on that date are left
unlinked. Later mentions of a linked person by surname alone ("Kenyatta said") take the same
reading. The person is kept as the mention's ``agent`` (an id ``PHX-...``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from spacy.tokens import Doc

from ..registry import DATA_DIR
from ..registry.index import normalise
from .noise import in_ranges

__all__ = ["PEOPLE_INDEX", "PersonEntry", "entries", "former_title", "load_people_index",
           "people_lines", "person_mentions", "person_names", "read_people_lines", "reading_on"]

#: The converted Phoenix people by name (``python -m nlp_relations.convert`` writes it).
PEOPLE_INDEX = DATA_DIR / "actors" / "petrarch" / "people_index.tsv"

# What the NER labels people (the small model often calls a name it does not know an ORG);
# a title the entity swallowed is no part of the name.
PERSON_LABELS = frozenset({"PERSON", "ORG"})
_TITLES = frozenset({"president", "prime", "minister", "foreign", "secretary", "general", "king",
                     "prince", "sheikh", "sir", "dr", "mr", "mrs", "ms", "chancellor", "premier",
                     "vice", "deputy", "defense", "defence", "senator", "ambassador", "former"})


class Role(NamedTuple):
    sector: str
    country: str
    start: str
    end: str


class PersonEntry(NamedTuple):
    """One Phoenix person (or named body of one country) a name may stand for."""

    person_id: str
    name: str
    roles: tuple[Role, ...]
    kind: str = "person"


def load_people_index(path: str | Path) -> dict[str, list[str]]:
    """Read ``people_index.tsv`` (``convert.people_index``) into name key -> people; a missing
    file gives an empty index (no Phoenix people)."""
    path = Path(path)
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return read_people_lines(handle)


def read_people_lines(lines) -> dict[str, list[str]]:
    """Index lines (``key  id  name  roles``) by key, the rest of each line kept as written:
    20,000 lines load in milliseconds, and only the names a document holds are parsed
    (``entries``)."""
    index: dict[str, list[str]] = {}
    for line in lines:
        key, rest = line.rstrip("\n").split("\t", 1)
        index.setdefault(key, []).append(rest)
    return index


def entries(index: dict[str, list[str]], key: str) -> list[PersonEntry]:
    """The people a name key stands for."""
    out = []
    for rest in index.get(key, ()):
        person_id, name, roles, *kind = rest.split("\t")
        out.append(PersonEntry(person_id, name, tuple(Role(*r.split(":"))
                                                      for r in roles.split("|")),
                               *kind))
    return out


def person_names(index: dict[str, list[str]]) -> dict[str, str | tuple[str, str]]:
    """Id -> display name for every person of the index; (name, kind) for a named body."""
    names: dict[str, str | tuple[str, str]] = {}
    for rests in index.values():
        for rest in rests:
            person_id, name, _, *kind = rest.split("\t")
            names[person_id] = (name, kind[0]) if kind else name
    return names


def people_lines(index: dict[str, list[str]]) -> list[str]:
    """The index as lines again, for ``to_disk``/``to_bytes``."""
    return [f"{key}\t{rest}" for key, rests in sorted(index.items()) for rest in rests]


def reading_on(entry: PersonEntry, date: str | None) -> tuple[str, str] | None:
    """(country, sector) of a person on an ISO ``date`` (see the module docstring)."""
    roles = entry.roles
    if not roles:
        return None
    if entry.kind != "person" and not any(r.start or r.end for r in roles):
        # A body's undated role is what it always is ("Taliban": AFG rebels).
        return roles[0].country, roles[0].sector[:3]
    if not date:
        latest = max(roles, key=lambda r: r.start or "")
        return latest.country, latest.sector[:3]
    day = date[:10]
    held = [r for r in roles if r.start and r.start <= day and (not r.end or day <= r.end)]
    if held:
        # The state-side role wins over an undated elite role: prefer dated state sectors.
        best = max(held, key=lambda r: (r.sector[:3] != "ELI", r.start))
        return best.country, best.sector[:3]
    before = [r for r in roles if r.start and r.start <= day]
    if before:
        return max(before, key=lambda r: r.start).country, "ELI"
    first = min((r for r in roles if r.start), key=lambda r: r.start, default=roles[0])
    return first.country, "ELI"


# Mentions that name no office a person could hold.
_NO_OWNER_FORMS = frozenset({"pronoun", "anaphor", "context", "person"})
# Portfolio words the NER may fold into a name it calls an ORG ("Minister of <National Defense
# Song Young-moo>"): dropped from the front to find the person.
_PORTFOLIO = frozenset({"national", "defense", "defence", "foreign", "affairs", "interior",
                        "home", "finance", "trade", "justice", "security", "state", "homeland",
                        "economy", "unification", "health", "energy", "commerce", "development",
                        "international", "cooperation", "information"})
# Words between an office and a name: "Secretary of Defense", "Foreign Ministry spokesman".
_TITLE_POS = frozenset({"PROPN", "NOUN", "ADP", "DET", "ADJ", "PUNCT", "PART", "CCONJ"})
_MAX_TITLE = 12
# Prepositions that put a state in an office's portfolio, not its owner ("Envoy for Syria").
_PORTFOLIO_PREPS = frozenset({"for", "on", "to"})


def _titled_by(doc: Doc, ent, ending_at: dict[int, dict], registry) -> dict | None:
    """The actor mention that titles a name: the nearest mention ending at most a few title
    words before it, in the same sentence ("Secretary of Defense <Jim Mattis>")."""
    i = ent.start - 1
    for _ in range(_MAX_TITLE):
        if i < 0:
            return None
        m = ending_at.get(i)
        if m is not None and m["start"] > 0 and doc[m["start"] - 1].lower_ in _PORTFOLIO_PREPS:
            # "Special Representative for North Korea Policy Joseph Yun": the portfolio is no
            # owner; look further back for whose representative he is.
            i = m["start"] - 1
            continue
        if m is not None:
            return m if registry.kind(m["actor"]) in {"state", "igo"} else None
        tok = doc[i]
        if tok.text in {"(", ")"}:
            # "Republic of Korea (R.O.K.) Special Representative ...".
            i -= 1
            continue
        if tok.pos_ not in _TITLE_POS or tok.text in {".", ",", ";", ":"} or \
                doc[i + 1].is_sent_start:
            return None
        i -= 1
    return None


def former_title(doc: Doc, ent) -> bool:
    """Whether the title before a name says the office is past: "former President X",
    "ex-Prime Minister X"."""
    i = ent.start - 1
    for _ in range(_MAX_TITLE):
        if i < 0:
            return False
        tok = doc[i]
        if tok.lower_ in {"former", "ex", "ex-"}:
            return True
        if tok.pos_ not in _TITLE_POS or tok.text in {".", ",", ";", ":", "(", ")"}:
            return False
        i -= 1
    return False


def _body_mention(span, reading: tuple[str, str | None, str | None]) -> dict:
    country, sector, body_id = reading
    return {"start": span.start, "end": span.end, "start_char": span.start_char,
            "end_char": span.end_char, "text": span.text, "actor": country, "agent": body_id,
            "form": "alias", "sector": sector}


def _person_inside(doc: Doc, ent):
    """An ORG entity that is a name behind portfolio words ("National Defense Song Young-moo")
    as (the name's span, "PERSON"); any other entity unchanged."""
    k = ent.start
    while k < ent.end and doc[k].lower_ in _PORTFOLIO:
        k += 1
    if k == ent.start or ent.end - k < 2 or not all(
            t.pos_ == "PROPN" or t.tag_ == "HYPH" for t in doc[k:ent.end]):
        return ent, ent.label_
    return doc[k:ent.end], "PERSON"


def _key(text: str) -> str:
    text = text[:-2] if text.endswith(("'s", "’s")) else text
    words = normalise(text).split()
    while len(words) > 2 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def person_mentions(doc: Doc, mentions: list[dict], index: dict[str, list[str]],
                    registry, *, date: str | None = None,
                    noise: list[tuple[int, int]] = (), names: bool = True,
                    titles: bool = True, text: str | None = None) -> list[dict]:
    """Mentions (plain dicts, as ``mentions.link_actors`` makes) of the PERSON entities of
    ``doc`` that no mention covers: people the index knows, read on ``date`` (``names``), and
    people titled by an office mention just before them (``titles``); each with their
    surnames later in the document. ``link_actors`` runs the names before resolving pronouns
    ("Kiraitu Murungi visited Kampala. He criticized Uganda") and the titles after the
    offices are linked."""
    if not index and names and not titles:
        return []
    taken = {i for m in mentions for i in range(m["start"], m["end"])}
    ending_at = {m["end"] - 1: m for m in mentions if m["form"] not in _NO_OWNER_FORMS}
    known: dict[str, tuple[str, str | None, str | None]] = {}  # surname -> reading
    # First names of people titled by an office: "Minister Song" after "ROK Minister of National
    # Defense Song Young-moo" (family name first); read only after a title word.
    titled_first: dict[str, tuple[str, str | None, str | None]] = {}
    out: list[dict] = []
    for ent in doc.ents:
        if ent.label_ not in PERSON_LABELS or not taken.isdisjoint(range(ent.start, ent.end)):
            continue
        if in_ranges(ent.start_char, ent.start_char + 1, noise):
            continue
        label = ent.label_
        if label == "ORG" and titles:
            ent, label = _person_inside(doc, ent)
        key = _key(ent.text)
        reading = None
        titled = _titled_by(doc, ent, ending_at, registry) \
            if titles and label == "PERSON" else None
        if titled is not None:
            # "Secretary of Defense Jim Mattis", "Iranian Foreign Ministry spokesman Esmaeil
            # Baghaei": the office named right before the name is whom the person speaks for.
            reading = (titled["actor"], titled.get("sector"), titled.get("agent"))
            if " " in key:
                known.setdefault(key.split()[-1], reading)
                titled_first.setdefault(key.split()[0], reading)
        elif " " in key and names:
            readings = {}
            for entry in entries(index, key):  # (the key has no leading "the": normalise)
                r = reading_on(entry, date)
                if r is not None and registry.kind(r[0]) == "state":
                    readings.setdefault(r, entry)
            if len({country for country, _ in readings}) == 1:
                (country, sector), entry = sorted(readings.items())[0]
                reading = (country, sector, entry.person_id)
                if entry.kind != "person":
                    # "the Free Syrian Army": a named body of one country, its id the agent;
                    # no surname to remember. A body the registry lists keeps its registry id
                    # ("Hassan Nasrallah", coded by Phoenix as Hezbollah, is HEZBOLLAH).
                    body = ent[1:] if ent[0].lower_ == "the" else ent
                    own = registry.lookup(entry.name)
                    if own is not None:
                        reading = (own.actor_id, None, None)
                    out.append(_body_mention(body, reading))
                    taken.update(range(ent.start, ent.end))
                    continue
                known.setdefault(key.split()[-1], reading)
        elif label == "PERSON":
            # "Kenyatta said": a surname after the full name; "Minister Song": a titled
            # person's first name after a title.
            reading = known.get(key)
            if reading is None and ent.start > 0 and doc[ent.start - 1].lower_ in _TITLES:
                reading = titled_first.get(key)
        if reading is None:
            continue
        if former_title(doc, ent):
            # "former President Viktor Yanukovich": an elite, not the government he once led.
            reading = (reading[0], "ELI", reading[2])
        country, sector, person_id = reading
        out.append({
            "start": ent.start, "end": ent.end, "start_char": ent.start_char,
            "end_char": ent.end_char, "text": ent.text, "actor": country, "agent": person_id,
            "form": "person", "sector": sector,
        })
        taken.update(range(ent.start, ent.end))
    if known:
        # "Baghaei also criticized France": a known surname the NER did not tag, after the
        # full name (found in the text, not by walking every token).
        first = {m["text"].split()[-1].lower(): m["start"] for m in reversed(out)}
        text = doc.text if text is None else text
        for surname, reading in known.items():
            for hit in re.finditer(rf"\b{re.escape(surname)}\b", text, flags=re.IGNORECASE):
                span = doc.char_span(hit.start(), hit.end())
                if span is None or len(span) != 1:
                    continue
                tok = span[0]
                if tok.pos_ != "PROPN" or tok.i in taken or \
                        tok.i < first.get(surname, len(doc)):
                    continue
                country, sector, person_id = reading
                out.append({"start": tok.i, "end": tok.i + 1, "start_char": tok.idx,
                            "end_char": tok.idx + len(tok), "text": tok.text,
                            "actor": country, "agent": person_id, "form": "person",
                            "sector": sector})
                taken.add(tok.i)
    return out
