"""A compact look-up table of the converted Phoenix people, for the actor linker.

`data/actors/petrarch/phoenix_people.jsonl` holds ~19,000 people with their dated roles; parsing
it takes most of a second, too slow for `load()`. This module writes one line per (name, person)
that the linker reads in a few tens of milliseconds (`extract.people.load_people_index`):

    key <TAB> person id <TAB> display name <TAB> roles [<TAB> kind]

`key` is the normalised name (`registry.index.normalise`: case, accents, dots folded); only names
of two words or more are kept (a surname alone is too ambiguous across 19,000 people). `roles` is
`sector:country:start:end` joined by `|`, in the source's order, with empty dates left empty;
only roles of a three-letter country code and a sector code are kept. Named bodies with such a
role (armed groups, parties, ministries and forces of one country) are indexed the same way,
with their kind (`group`, `gov_body`) as a fifth column; bodies of no one country (most NGOs,
companies and international organisations) are not. Lines are sorted, so a rerun writes the
same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..registry.index import normalise

__all__ = ["people_index_lines", "write_people_index"]

_COUNTRY = re.compile(r"^[A-Z]{3}$")
_SECTOR = re.compile(r"^[A-Z]{3}")


def _roles(record: dict) -> str:
    out = []
    for role in record.get("roles") or []:
        country, sector = role.get("country") or "", role.get("sector") or ""
        if not _COUNTRY.match(country) or not _SECTOR.match(sector):
            continue
        out.append(f"{sector}:{country}:{role.get('start') or ''}:{role.get('end') or ''}")
    return "|".join(out)


def people_index_lines(records: Iterable[dict]) -> list[str]:
    """The sorted index lines of person records (``phoenix_people.jsonl`` rows) and of named
    bodies tied to one country (``phoenix_organisations.jsonl`` and ``phoenix_groups.jsonl``
    rows: armed groups, parties, national institutions), whose kind is a fifth column."""
    lines = set()
    for rec in records:
        roles = _roles(rec)
        if not roles:
            continue
        kind = "" if rec.get("kind", "person") == "person" else f"\t{rec['kind']}"
        for alias in [rec["name"], *rec.get("aliases", [])]:
            key = normalise(alias)
            if len(key.split()) < 2 or "\t" in key:
                continue
            lines.add(f"{key}\t{rec['id']}\t{rec['name']}\t{roles}{kind}")
    return sorted(lines)


def write_people_index(records: Iterable[dict], out: Path) -> int:
    """Write the index of the person records (as converted) to ``out``; returns the number of
    lines."""
    lines = people_index_lines(records)
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)
