"""Convert the PETRARCH2 agents dictionary (Phoenix.agents.txt) into `agents.tsv`.

Source format:

* `# ======== SUBSTITUTION SETS ========` is followed by lines `!NAME! = A, B, C`; a `!NAME!`
  inside an entry stands for each of A, B, C in turn (`CATTLE!PERSON!` -> CATTLEMAN,
  CATTLEMEN, ...).
* Every other non-comment line is one agent: a noun phrase (`_` joins words; a few entries use
  spaces), optionally its irregular plural in braces, then its code in brackets:
  `CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]`. `~` stands for the country the agent
  is combined with (`~REB` + Sudan = SDNREB); a code may chain several three-letter sectors
  (`~GOVMIL`: a government body of the military). Three entries put `~` last (`IGO~`): the
  agent is itself the organisation and takes the sector after it.
* The header says regular plurals were removed because PETRARCH generates them.

Choices made here:

* One row per phrase: the phrase lower-case with `_` and runs of spaces turned into one
  space, after expanding substitution sets. `form` is `singular` for the phrase as written
  (some are already plural or collective: "men", "armed forces", "police"), `plural` for the
  explicit braces plural or for the plural generated here.
* The generated plural follows the regular English rule on the head word: the word before
  the first preposition or conjunction (`ministry of defence` -> `ministries of defence`; the
  file's header admits such non-terminal plurals were missing), else the last word. Consonant
  + `y` -> `ies`; `-man` -> `-men`; `x`, `z`, `ch`, `sh` -> `es`; otherwise `s`. No plural is generated when
  the entry gives one in braces or when the head already looks plural or uncountable: it ends
  in `s` or `men`, or is one of `NO_PLURAL` (people, police, staff, personnel, ...).
* `code` is the code without brackets and `~` (`GOVMIL`, `IGO`), `sector` its first three
  letters, `subsectors` the following three-letter groups joined by `|`. Every three-letter
  group must be a sector of data/lexicons/sectors.tsv.
* A `}` closing a bracket (`[~ENV}`) is read as `]`. Lines with characters that are not
  plain ASCII letters, digits or `_ - ' . , & /` are mis-encoded upstream and are dropped
  (counted), as are lines without a code.
* Repeated (phrase, code) pairs keep the first line; rows are in file order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from ._common import read_lines, write_tsv

__all__ = [
    "AgentRow",
    "HEADER",
    "NO_PLURAL",
    "parse_substitutions",
    "parse_agent_line",
    "plural",
    "convert_agents",
    "write_agents",
]

HEADER = ("phrase", "form", "code", "sector", "subsectors", "source_line")
NO_PLURAL = frozenset(
    "people police staff personnel clergy military infantry cavalry media press intelligence "
    "youth livestock militia".split()
)
# Words that end a noun phrase's head: "ministry | of defence", "chamber | of commerce".
_HEAD_ENDS = frozenset("of for on in and to at with from against de del".split())
_SUBST_RE = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")
_ENTRY_RE = re.compile(r"^(?P<phrase>[^\[{]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]}]*)[\]}]")
_CLEAN_RE = re.compile(r"^[A-Z0-9_ \-'.,&/!]+$", re.IGNORECASE)


class AgentRow(NamedTuple):
    """One row of agents.tsv."""

    phrase: str
    form: str
    code: str
    sector: str
    subsectors: str
    source_line: int


def parse_substitutions(lines: Sequence[str]) -> dict[str, list[str]]:
    """`!NAME!` -> its replacements, upper case as written."""
    subs = {}
    for line in lines:
        match = _SUBST_RE.match(line.strip())
        if match:
            subs[match.group(1)] = [w.strip() for w in match.group(2).split(",") if w.strip()]
    return subs


def _words(text: str) -> str:
    return " ".join(text.replace("_", " ").lower().split())


def _plural_word(word: str) -> str | None:
    if not word or word in NO_PLURAL or word.endswith(("s", "men")) or not word.isalpha():
        return None
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def plural(phrase: str) -> str | None:
    """The regular plural of the phrase's head, or None where none should be made.

    The head is the word before the first preposition or conjunction (`ministry of defence`
    -> `ministries of defence`), else the last word.

    >>> plural("farm worker"), plural("party"), plural("boss"), plural("armed men")
    ('farm workers', 'parties', None, None)
    """
    words = phrase.split(" ")
    cut = next((i for i, w in enumerate(words) if i > 0 and w in _HEAD_ENDS), len(words))
    head = _plural_word(words[cut - 1])
    if head is None:
        return None
    return " ".join(words[: cut - 1] + [head] + words[cut:])


def _expand(text: str, subs: dict[str, list[str]]) -> list[str]:
    for name, values in subs.items():
        if name in text:
            return [v for value in values for v in _expand(text.replace(name, value, 1), subs)]
    return [text]


def parse_agent_line(line: str, subs: dict[str, list[str]]) -> list[tuple[str, str, str]] | str:
    """(phrase, form, code) triples of one entry line, or why it yields none.

    >>> parse_agent_line("DAIRY!PERSON! [~AGR]", {"!PERSON!": ["MAN", "MEN"]})[:2]
    [('dairyman', 'singular', 'AGR'), ('dairymen', 'singular', 'AGR')]
    """
    text = line.split("#", 1)[0].strip()
    if not text or _SUBST_RE.match(text):
        return "not an entry"
    match = _ENTRY_RE.match(text)
    if not match:
        return "no code"
    phrase_raw = match.group("phrase").strip()
    if not _CLEAN_RE.match(phrase_raw):
        return "mis-encoded characters"
    code = match.group("code").replace("~", "").strip()
    if not code:
        return "no code"
    triples: list[tuple[str, str, str]] = []
    explicit = match.group("plural")
    for variant in _expand(phrase_raw, subs):
        phrase = _words(variant)
        triples.append((phrase, "singular", code))
        if explicit is not None:
            continue
        generated = plural(phrase)
        if generated:
            triples.append((generated, "plural", code))
    if explicit:
        for variant in _expand(explicit.strip(), subs):
            triples.append((_words(variant), "plural", code))
    return triples


def convert_agents(lines: Sequence[str]) -> tuple[list[AgentRow], Counter]:
    """All rows of agents.tsv and counts of what was dropped, and why."""
    subs = parse_substitutions(lines)
    rows: list[AgentRow] = []
    stats: Counter = Counter()
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parsed = parse_agent_line(line, subs)
        if isinstance(parsed, str):
            if parsed != "not an entry":
                stats[f"lines dropped: {parsed}"] += 1
            continue
        stats["entry lines"] += 1
        for phrase, form, code in parsed:
            if (phrase, code) in seen:
                stats["duplicate rows"] += 1
                continue
            seen.add((phrase, code))
            groups = [code[i : i + 3] for i in range(0, len(code), 3)]
            rows.append(AgentRow(phrase, form, code, groups[0], "|".join(groups[1:]), number))
    stats["rows"] = len(rows)
    stats["rows of form plural"] = sum(r.form == "plural" for r in rows)
    return rows, stats


def write_agents(rows: Iterable[AgentRow], path: Path) -> int:
    """Write agents.tsv; returns the number of rows."""
    comments = [
        "Generic agents converted from PETRARCH2 Phoenix.agents.txt by nlp_relations.convert "
        "(MIT, see NOTICE.md).",
        "form: singular (as written) | plural (braces or generated); sector codes: "
        "data/lexicons/sectors.tsv; source_line: line in Phoenix.agents.txt.",
    ]
    body = ((r.phrase, r.form, r.code, r.sector, r.subsectors, str(r.source_line)) for r in rows)
    return write_tsv(path, HEADER, body, comments)
