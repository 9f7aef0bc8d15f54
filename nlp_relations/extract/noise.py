"""Find the parts of a news text that carry no statement: datelines, bylines, related links.

Each pattern names the line shape it drops. Everything returns character ranges so the
actor linker and the relation rules can skip what falls inside them.
"""

from __future__ import annotations

import re
from bisect import bisect_left

__all__ = ["find_noise", "find_noise_and_dateline", "find_dateline_source", "in_ranges"]

# "READ ALSO:", "Also read:", "Related:", "READ MORE:" -> the marker line and the headline after it.
RELATED_MARKER = re.compile(
    r"^[ \t]*(read also|also read|read more|related( articles?| stories| coverage)?|see also|more on this)"
    r"\s*:?[ \t]*$",
    re.IGNORECASE,
)
# The same marker with the headline on the same line: "READ ALSO: Nigeria: School ...".
RELATED_INLINE = re.compile(r"^[ \t]*(read also|also read|read more|related|see also)\s*:\s*\S.*$", re.I)
# "By Jane Doe", "By Jane Doe and John Roe, Reuters" on a line of its own.
BYLINE = re.compile(r"^[ \t]*[Bb]y\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3}(\s*(,|and)\s*[A-Z][\w.' -]+){0,3}[ \t]*$")
# "(Reporting by ...; Editing by ...)", "Photo: ...", "Copyright ...", "All rights reserved".
CREDITS = re.compile(
    r"^[ \t]*(\((reporting|writing|editing|additional reporting)\b.*\)|(photo|image|file photo|caption)\s*:.*"
    r"|(copyright|©).*|all rights reserved.*)[ \t]*$",
    re.IGNORECASE,
)
# "SEOUL, July 13 (Yonhap) -- ", "Pyongyang, July 3 (KCNA) --", "Seoul, July 15 --",
# "MOSCOW, Nov. 5 (Yonhap) --", "SEOUL (Reuters) -", "WASHINGTON, DC --" at the start of a
# line: the dateline, not the sentence after it. A city in upper case may stand alone before
# the dash; a city in mixed case needs a date or an outlet, so "Seoul - the capital" is prose.
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(
    r"^[ \t]*(?:[A-Z][A-Z .'-]{1,40}(?:,\s*[A-Z]{1,2}\.?[A-Z]?\.?)?|[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})"
    r"((,\s*" + _MONTH + r"\s+\d{1,2}(,?\s+\d{4})?)\s*(\((?P<outlet>[A-Za-z][\w .-]{1,40})\))?"
    r"|\s*\((?P<outlet2>[A-Za-z][\w .-]{1,40})\))\s*(--|—|–|-)\s*"
    r"|^[ \t]*[A-Z][A-Z .'-]{2,40}(,\s*[A-Z]\.?[A-Z]\.?)?\s*(--|—|–)\s*",
    re.MULTILINE,
)


# A closing tag after the last sentence: "... said. (Yonhap)", "(END)".
TRAILER = re.compile(r"(?:(?<=[.!?\"”’])[ \t]*\([A-Z][A-Za-z]{1,20}\)|\(\s*END\s*\))[ \t]*$",
                     re.MULTILINE)


def _lines(text: str):
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, line.rstrip("\r\n")
        start += len(line)


def find_noise(text: str) -> list[tuple[int, int]]:
    """Character ranges of noise: related-article blocks, bylines, credits and datelines.

    The ranges are sorted and do not overlap (overlapping ones are merged; ranges that only
    touch stay apart), which is what lets :func:`in_ranges` answer by bisection.
    """
    return find_noise_and_dateline(text)[0]


def find_noise_and_dateline(text: str) -> tuple[list[tuple[int, int]], tuple[str, int, int] | None]:
    """``find_noise(text)`` and ``find_dateline_source(text)`` from one pass of the dateline
    pattern (its first match is the one ``find_dateline_source`` reads)."""
    ranges: list[tuple[int, int]] = []
    dateline = None
    skip_next_headline = False
    for start, line in _lines(text):
        if not line.strip():
            continue
        end = start + len(line)
        if skip_next_headline:
            # The headline that follows a "READ ALSO:" marker.
            ranges.append((start, end))
            skip_next_headline = False
        elif RELATED_MARKER.match(line):
            ranges.append((start, end))
            skip_next_headline = True
        elif RELATED_INLINE.match(line) or BYLINE.match(line) or CREDITS.match(line):
            ranges.append((start, end))
    datelines = list(DATELINE.finditer(text))
    if datelines:
        dateline = _outlet(datelines[0])
    ranges += [(m.start(), m.end()) for m in datelines]
    for m in TRAILER.finditer(text):
        ranges.append((m.start(), m.end()))
    return _merge(ranges), dateline


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges with overlapping ones joined; an empty range overlaps nothing."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def find_dateline_source(text: str) -> tuple[str, int, int] | None:
    """The outlet named in a dateline ("SEOUL, July 13 (Yonhap) --"), with its offsets."""
    m = DATELINE.search(text)
    return _outlet(m) if m else None


def _outlet(m: re.Match) -> tuple[str, int, int] | None:
    """The outlet a dateline match names, with its offsets."""
    for group in ("outlet", "outlet2"):
        if m.group(group):
            return m.group(group), m.start(group), m.end(group)
    return None


def in_ranges(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    """True if [start, end) overlaps any range.

    ``ranges`` must be sorted and free of overlaps, as :func:`find_noise` returns them: the
    only candidate is then the last range that starts before ``end`` (a bisection, so a
    check per token costs log(ranges), not one step per range).
    """
    i = bisect_left(ranges, (end,))  # ranges[:i] start before ``end``
    return i > 0 and start < ranges[i - 1][1]
