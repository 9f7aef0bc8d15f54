"""Helpers shared by the PETRARCH2 converters: reading, comments, tables, the MIT notice."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "SOURCE_COMMIT",
    "read_lines",
    "strip_comment",
    "phrase_text",
    "write_tsv",
    "write_jsonl",
    "notice_text",
]

#: The openeventdata/petrarch2 commit the dictionaries were taken from (see their README).
SOURCE_COMMIT = "676801cd (2019-03-18)"

_SPACES = re.compile(r"\s+")


def read_lines(path: Path) -> list[str]:
    """The file's lines without line ends.

    The dictionaries are mostly ASCII; a handful of lines hold UTF-8 (some of it mis-encoded
    upstream). Undecodable bytes are replaced so that line numbers stay those of the file.
    """
    return path.read_bytes().decode("utf-8", errors="replace").splitlines()


def strip_comment(line: str) -> str:
    """The line before its `#` comment (the dictionaries have no `#` inside an entry)."""
    return line.split("#", 1)[0]


def phrase_text(token: str) -> str:
    """A dictionary phrase as plain lower-case words: `_` joins words, a trailing `_` only
    stops PETRARCH from adding endings, so both become spaces."""
    return _SPACES.sub(" ", token.replace("_", " ")).strip().lower()


def write_tsv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[str]], comments: Sequence[str]
) -> int:
    """Write `# comment` lines, a `#`-prefixed header and the rows; returns the row count.

    Fields never contain tabs or newlines (the parsers split on whitespace), so no quoting.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for comment in comments:
            out.write(f"# {comment}\n")
        out.write("# " + "\t".join(header) + "\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
            n += 1
    return n


def write_jsonl(path: Path, records: Iterable[dict]) -> int:
    """One JSON object a line, keys in the order given, non-ASCII kept; returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def notice_text(source_dir: Path) -> str:
    """NOTICE.md for a folder of converted tables: the upstream MIT notice, verbatim."""
    license_text = (source_dir / "LICENSE").read_text(encoding="utf-8").strip()
    return (
        "# Notice\n\n"
        "The tables in this folder are converted by `python -m nlp_relations.convert` from the\n"
        "PETRARCH2 / Phoenix coding dictionaries (openeventdata/petrarch2, commit "
        f"{SOURCE_COMMIT},\nfolder `petrarch2/data/dictionaries`). They are distributed under "
        "the upstream licence,\nwhose copyright and permission notice follows.\n\n"
        "```\n" + license_text + "\n```\n"
    )
