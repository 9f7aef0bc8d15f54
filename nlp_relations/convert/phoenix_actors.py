"""Convert the Phoenix actor dictionaries into JSON Lines records of people and organisations.

Sources: Phoenix.Countries.actors.txt (country names and places, then office holders from
CountryInfo, then a few national institutions), Phoenix.International.actors.txt
(international organisations, NGOs and their officials) and Phoenix.MilNonState.actors.txt
(armed non-state groups).

Source format:

* An entry starts with a root line at the left margin: a name (`_` joins words, a trailing `_`
  stops PETRARCH adding endings), optionally followed by codes in brackets and a `#` comment:
  `KOFI_ANNAN_`, `UN_ [IGOUNO]`, `ABU_NIDAL_ORGANIZATION [IMGMUSALQ] # kkl 21 Mar 13`.
* `+NAME` lines below it are other names of the same actor.
* Indented lines hold further codes: `\t[USAGOV 010120-090120]`.
* A code is a country (or organisation) code followed by three-letter sectors: `USAGOV`,
  `CHNGOVMIL`, `IGOUNOKID`, `ELI`. Dates restrict it to a period: `A-B`, `>A` (from A on),
  `<B` (until B), or none (always; an undated code after dated ones is the default).
* A root line without codes followed directly by another root line names the same actor:
  the codes that follow belong to all of them (`IVO_JOSIPOVIC_`, `PRESIDENT_JOSIPOVIC_`,
  `JOSIPOVIC_`, then `[HRVGOV ...]`). Blank and comment lines do not end an entry.

Choices made here:

* Dates: `YYMMDD` or `YYYYMMDD`, written `YYYY-MM-DD`. Two-digit years 00-29 are 2000-2029,
  30-99 are 1930-1999: the files were compiled in 2014-2015 and their two-digit years are
  00-14 and 31-99, so the rule reads every one of them the same way as any pivot from 15 to 30.
  An open end is `null`. A code whose date is malformed (seven digits, a day that does not
  exist) is dropped (counted); `[---]` and empty codes are skipped.
* Each code becomes a role `{code, country, sector, start, end}`: `country` is the first
  three letters when they are a country code (a state of data/actors/states.jsonl or a code
  the Countries file gives to a country name), `sector` the remaining letters (`GOV`,
  `GOVMIL`; `ASMGOV` for a territory's government); for other codes `country` is null and
  `sector` the whole code (`IGOUNOKID`, `ELI`). CAMEO's Kosovo `KSV` is the registry's `XKX`.
* Kinds: an entry whose codes are all bare country or territory codes (`[AFG]`, `[USAASM]`)
  names a place and is not converted (the registry's states.jsonl covers states). An entry is
  a person when it has a dated code or an `ELI` sector, when its comment cites CountryInfo,
  or, failing those and unless its first code is a company's (MNC) or an NGO's, when its root
  name has two to four words, no digits, no bracket and none of `ORG_WORDS`. Everything else is an organisation: `igo` when a code starts with IGO,
  `gov_body` when all its codes are state sectors of one state (GOV, MIL, COP, JUD, LEG,
  SPY; see data/lexicons/sectors.tsv), else `group`. Every entry of the MilNonState file that
  is not a person is a `group`.
* Records follow data/actors/people.jsonl as far as the source allows: `id`, `name`, `kind`,
  `country`, `represents`, `qid` (always null), `aliases`, then `roles` (all of them) and
  `source` (file:line). Ids are `PHX-<COUNTRY or first code letters>_<NAME>` in upper-case
  ASCII, so they never equal a registry id; a repeated id gets `_2`, `_3`. Two entries of one
  file with the same id and the same roles are merged (the International file repeats whole
  sections).
* `country` is that of the person's latest-starting dated role that has one, else of the
  first role that has one. `represents` is that country when it is a state and the actor
  held a state sector for it (a former head of government still "represents" it: use the role
  dates to decide whether a mention at a given date speaks for the state).
* Names: `_` -> space, then title case: particles (of, the, de, al, bin, ...) in lower case
  inside a name, initials and dotted acronyms (U.N.) kept, `Mc`/`O'` prefixes and hyphenated
  parts capitalised (`Ban Ki-Moon`). For organisations, words of at most three letters that
  are not ordinary short words, bracketed acronyms (up to six letters) and one-word names of at most six letters
  stay upper case (`UN Secretary General`, `IAEA`). This is a guess from upper-case text: the
  registry matches aliases case-sensitively, so check a name before relying on its case.
* Aliases: the root and `+` names after casing, in file order, without repeats and without a
  leading title for people (`President Xi Jinping` -> `Xi Jinping`; the linker handles
  titles). Names with characters outside ASCII letters, digits, spaces and `. - ' ( ) & /`
  are mis-encoded upstream and left out (counted).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from ._common import write_jsonl

__all__ = [
    "ActorEntry",
    "STATE_SECTORS",
    "ORG_WORDS",
    "parse_actor_entries",
    "parse_date",
    "parse_code",
    "title_case",
    "country_codes",
    "convert_actors",
    "read_state_ids",
    "write_actor_records",
]

#: Sectors whose actors speak for their state (the `yes` rows of data/lexicons/sectors.tsv).
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
#: Words that mark a root name as an organisation rather than a person.
ORG_WORDS = frozenset(
    "organization organisation committee council agency fund bank union association federation "
    "institute institution commission court tribunal program programme office mission forces force "
    "army front party movement group network league society foundation center centre alliance "
    "brigade brigades battalion ministry department service services corps government parliament "
    "assembly congress conference secretariat panel board authority trust church relief team "
    "contingent peacekeeper peacekeepers unit cell cells faction organization's initiative "
    "partnership forum university school hospital company corporation council's project "
    "campaign coalition brotherhood militia jihad guard guards police secretary general holdings "
    "holding corp inc ltd limited plc llc industries airlines airways motors energy petroleum "
    "international group's navy marines airforce".split()
)
_REGISTRY_ALIASES = {"KSV": "XKX"}
# Sector codes (data/lexicons/sectors.tsv) plus UNR (unrecognised), OCC (occupying) and AUT
# (autonomous) authorities: a code whose remainder holds none of these names a place.
_KNOWN_SECTORS = STATE_SECTORS | frozenset(
    "ELI OPP REB INS SEP UAF PTY CVL BUS MED LAB AGR EDU HLH DEV ENV HRI CRM RAD MOD NGO IGO IMG "
    "REL REF CHR MUS JEW HIN BUD UNR OCC AUT".split()
)
_PARTICLES = frozenset(
    "of the and for in on at to by de del della der den di da do dos das du la le les van von "
    "bin ibn al el y".split()
)
_SHORT_WORDS = frozenset(
    "of the and for in on at to by de del la le al el new red war day arm law aid air sea gas "
    "oil one two men man own our old pro des du les et god big all".split()
)
_TITLES = (
    "president", "prime minister", "premier", "foreign minister", "minister", "king", "queen",
    "general", "gen.", "chancellor", "secretary-general", "secretary general", "reformer",
    "former", "sheikh", "dr.", "mr.", "mrs.", "ms.",
)
_CODE_RE = re.compile(r"\[([^\]]*)\]")
_DATE_SPAN_RE = re.compile(r"^(?:(\d+)\s*-\s*(\d+)|>\s*(\d+)|<\s*(\d+))$")
_CLEAN_NAME_RE = re.compile(r"^[A-Za-z0-9 .\-'()&/]+$")
_INITIALS_RE = re.compile(r"^([A-Za-z]\.)+$")


class ActorEntry(NamedTuple):
    """One entry of an actor file: its names (with line numbers), code texts and comment."""

    names: list[tuple[str, int]]
    codes: list[tuple[str, int]]
    comment: str
    line: int


def parse_actor_entries(lines: Sequence[str]) -> list[ActorEntry]:
    """The file's entries in order (see the module docstring for the grammar)."""
    entries: list[ActorEntry] = []
    current: ActorEntry | None = None
    for number, raw in enumerate(lines, start=1):
        text, _, comment = raw.partition("#")
        if not text.strip():
            continue
        codes = [(c, number) for c in _CODE_RE.findall(text)]
        name = _CODE_RE.sub(" ", text).strip()
        if raw[:1] in (" ", "\t", "["):
            if current is not None:
                current.codes.extend(codes)
            continue
        if raw.startswith("+"):
            if current is not None:
                current.names.append((name[1:].strip(), number))
                current.codes.extend(codes)
            continue
        if current is None or current.codes:
            current = ActorEntry([], [], comment.strip(), number)
            entries.append(current)
        current.names.append((name, number))
        current.codes.extend(codes)
    return entries


def parse_date(token: str) -> str:
    """`YYMMDD` or `YYYYMMDD` -> `YYYY-MM-DD`; raises ValueError for anything else.

    >>> parse_date("010120"), parse_date("380101"), parse_date("20121115")
    ('2001-01-20', '1938-01-01', '2012-11-15')
    """
    if len(token) == 6 and token.isdigit():
        year = int(token[:2])
        year += 2000 if year < 30 else 1900
        month, day = int(token[2:4]), int(token[4:])
    elif len(token) == 8 and token.isdigit():
        year, month, day = int(token[:4]), int(token[4:6]), int(token[6:])
    else:
        raise ValueError(f"date {token!r} is neither YYMMDD nor YYYYMMDD")
    return dt.date(year, month, day).isoformat()


def parse_code(text: str, countries: frozenset[str]) -> dict | None:
    """One bracketed code -> role dict; None for `---`/empty; ValueError for bad dates.

    >>> parse_code("USAGOV 010120-090120", frozenset({"USA"}))["start"]
    '2001-01-20'
    """
    parts = text.strip().split(None, 1)
    if not parts or parts[0].strip("-~") == "":
        return None
    code = parts[0].strip("~")
    span = parts[1].strip() if len(parts) > 1 else ""
    start = end = None
    if span:
        match = _DATE_SPAN_RE.match(span)
        if not match:
            raise ValueError(f"date range {span!r} is not A-B, >A or <B")
        a, b, after, before = match.groups()
        if a is not None:
            start, end = parse_date(a), parse_date(b)
        elif after is not None:
            start = parse_date(after)
        else:
            end = parse_date(before)
    if len(code) >= 3 and code[:3] in countries:
        country = _REGISTRY_ALIASES.get(code[:3], code[:3])
        sector = code[3:]
    else:
        country, sector = None, code
    return {"code": code, "country": country, "sector": sector, "start": start, "end": end}


def _cap(word: str) -> str:
    if word.startswith("MC") and len(word) > 3:
        return "Mc" + word[2:].capitalize()
    if len(word) > 2 and word[1] == "'":
        return word[:2].upper() + word[2:].capitalize()
    return word.capitalize()


def title_case(raw: str, *, organisation: bool = False) -> str:
    """A readable name from an upper-case dictionary phrase.

    >>> title_case("SECRETARY-GENERAL_BAN_KI-MOON"), title_case("UN_SECRETARY_GENERAL", organisation=True)
    ('Secretary-General Ban Ki-Moon', 'UN Secretary General')
    """
    words = raw.replace("_", " ").split()
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if _INITIALS_RE.match(word):
            out.append(word.upper())
        elif word.startswith("(") and word.endswith(")") and len(word) <= 8:
            out.append(word.upper())
        elif organisation and (
            (len(words) == 1 and len(word) <= 6)
            or (len(word) <= 3 and word.isalpha() and lower not in _SHORT_WORDS)
        ):
            out.append(word.upper())
        elif i > 0 and lower in _PARTICLES:
            out.append(lower)
        elif i > 0 and "-" in word and lower.split("-", 1)[0] in ("al", "el"):
            head, tail = lower.split("-", 1)
            out.append(head + "-" + "-".join(_cap(p.upper()) for p in tail.split("-")))
        else:
            out.append("-".join(_cap(part) for part in word.split("-")))
    return " ".join(out)


def _strip_title(name: str) -> str:
    lower = name.lower()
    for title in _TITLES:
        if lower.startswith(title + " ") and len(name) > len(title) + 1:
            return name[len(title) + 1 :]
    return name


def country_codes(countries_lines: Sequence[str], state_ids: Iterable[str]) -> frozenset[str]:
    """Registry state ids plus every three-letter code the Countries file gives a country name."""
    codes = set(state_ids)
    for entry in parse_actor_entries(countries_lines):
        for text, _ in entry.codes:
            parts = text.split()
            if parts and len(parts[0]) == 3 and parts[0].isalpha() and parts[0].isupper():
                codes.add(parts[0])
    codes.discard("IGO")
    codes.discard("ELI")
    codes.discard("NGO")
    codes.discard("IMG")
    return frozenset(codes)


def _ascii_id(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")


def _is_person(entry: ActorEntry, roles: list[dict], root: str) -> bool:
    if any(r["start"] or r["end"] for r in roles):
        return True
    if any(r["sector"].startswith("ELI") or r["sector"].endswith("ELI") for r in roles):
        return True
    if "countryinfo" in entry.comment.lower():
        return True
    if roles[0]["code"].startswith(("MNC", "NGO")):
        return False
    words = root.replace("_", " ").replace("-", " ").lower().split()
    return (
        2 <= len(words) <= 4
        and not any(ch.isdigit() for ch in root)
        and not any(w.strip("()") in ORG_WORDS for w in words)
        and not any(w.startswith("(") for w in words)
    )


def _org_kind(roles: list[dict], states: frozenset[str]) -> tuple[str, str | None]:
    if any(r["code"].startswith("IGO") for r in roles):
        return "igo", None
    state_roles = {r["country"] for r in roles if r["sector"][:3] in STATE_SECTORS}
    if (
        len(state_roles) == 1
        and all(r["sector"][:3] in STATE_SECTORS for r in roles)
        and next(iter(state_roles)) in states
    ):
        return "gov_body", next(iter(state_roles))
    return "group", None


def convert_actors(
    files: Mapping[str, Sequence[str]],
    states: frozenset[str],
    countries: frozenset[str],
    *,
    group_files: Iterable[str] = ("Phoenix.MilNonState.actors.txt",),
) -> tuple[dict[str, list[dict]], Counter]:
    """Records by output table (`people`, `organisations`, `groups`) and counts, with reasons."""
    group_files = set(group_files)
    tables: dict[str, list[dict]] = {"people": [], "organisations": [], "groups": []}
    by_id: dict[str, dict] = {}
    stats: Counter = Counter()
    for file_name, lines in files.items():
        for entry in parse_actor_entries(lines):
            stats["entries"] += 1
            roles: list[dict] = []
            for text, _ in entry.codes:
                try:
                    role = parse_code(text, countries)
                except ValueError:
                    stats["codes dropped: malformed date"] += 1
                    continue
                if role is None:
                    stats["codes skipped: [---] or empty"] += 1
                elif role not in roles:
                    roles.append(role)
            if not roles:
                stats["entries dropped: no usable code"] += 1
                continue
            if all(r["country"] and not _has_sector(r["sector"]) for r in roles) \
                    and not any(r["start"] or r["end"] for r in roles):
                stats["entries dropped: country or place names"] += 1
                continue
            clean = [(n, ln) for n, ln in entry.names if _CLEAN_NAME_RE.match(n.replace("_", " "))]
            stats["names dropped: mis-encoded characters"] += len(entry.names) - len(clean)
            if not clean:
                stats["entries dropped: no readable name"] += 1
                continue
            root = clean[0][0]
            person = _is_person(entry, roles, root)
            if person:
                table, kind, represents = "people", "person", None
            elif file_name in group_files:
                table, (kind, represents) = "groups", ("group", None)
            else:
                table = "organisations"
                kind, represents = _org_kind(roles, states)
            names = [title_case(n, organisation=not person) for n, _ in clean]
            if person:
                names = [_strip_title(n) for n in names]
            aliases = list(dict.fromkeys(n for n in names if n))
            dated = [r for r in roles if r["country"] and r["start"]]
            with_country = [r for r in roles if r["country"]]
            country = (max(dated, key=lambda r: r["start"])["country"] if dated
                       else with_country[0]["country"] if with_country else None)
            if person and country in states and any(
                r["country"] == country and r["sector"][:3] in STATE_SECTORS for r in roles
            ):
                represents = country
            prefix = country or _ascii_id(roles[0]["code"])[:6] or "X"
            base = f"PHX-{prefix}_{_ascii_id(root)}"
            previous = by_id.get(base)
            if previous is not None and previous["roles"] == roles \
                    and previous["source"].split(":")[0] == file_name:
                previous["aliases"].extend(a for a in aliases if a not in previous["aliases"])
                stats["entries merged: repeated entry"] += 1
                continue
            record_id, n = base, 1
            while record_id in by_id:
                n += 1
                record_id = f"{base}_{n}"
            record = {
                "id": record_id,
                "name": aliases[0],
                "kind": kind,
                "country": country,
                "represents": represents,
                "qid": None,
                "aliases": aliases,
                "roles": roles,
                "source": f"{file_name}:{entry.line}",
            }
            by_id[record_id] = record
            tables[table].append(record)
            stats[f"records: {table}"] += 1
    for records in tables.values():
        records.sort(key=lambda r: r["id"])
    return tables, stats


def _has_sector(sector: str) -> bool:
    """Whether any three-letter group of a code's remainder is an actor sector (not a region)."""
    groups = {sector[i : i + 3] for i in range(0, len(sector), 3)}
    return bool(groups & _KNOWN_SECTORS)


def read_state_ids(path: Path) -> frozenset[str]:
    """Ids of the registry's states (data/actors/states.jsonl)."""
    with path.open(encoding="utf-8") as lines:
        return frozenset(json.loads(line)["id"] for line in lines if line.strip())


def write_actor_records(records: Iterable[dict], path: Path) -> int:
    """Write one table of records as JSON Lines (sorted by id); returns the count."""
    return write_jsonl(path, records)
