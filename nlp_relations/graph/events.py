"""A flat event table: one row per triple, as event-data users load it into pandas or R.

Columns (``EVENT_COLUMNS``): the document (``date``, ``doc_id``), who carried and who said it
(``outlet``, ``speaker``), the subject and object (actor id, name, sector and agent each), the
event (``predicate``, PLOVER ``category``, ``cameo`` code, ``stance``), how the text holds it
(``negated``, ``modality``: asserted, future, hypothetical or alleged), ``confidence``,
``method`` and the evidence (``trigger``, ``sentence`` and its offsets). An event with no object
("threatened to retaliate") has empty object columns. Skipped documents give no rows.

CSV and TSV are written row by row as results arrive (so a stream of any length fits in
memory), to a temporary name renamed when complete (a lone surrogate, which UTF-8 cannot
hold, becomes U+FFFD); Parquet needs ``pyarrow`` (the ``[scale]``
extra) and is written with one explicit schema.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import Errors, NlpRelationsError
from ..schemas import DocResult, Triple
from ._atomic import atomic_path
from ._encoding import REPLACE_SURROGATES

__all__ = ["EVENT_COLUMNS", "EVENT_FORMATS", "EventWriter", "event_rows", "write_events"]

EVENT_COLUMNS = (
    "date", "doc_id", "outlet", "speaker",
    "subject", "subject_name", "subject_sector", "subject_agent",
    "predicate", "category", "cameo", "stance",
    "object", "object_name", "object_sector", "object_agent",
    "negated", "modality", "confidence", "method", "trigger", "sentence", "start_char",
    "end_char",
)
EVENT_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet"}


def _row(t: Triple, result: DocResult) -> dict:
    obj = t.object
    ev = t.evidence
    return {
        "date": ev.doc_date or result.doc_date,
        "doc_id": result.doc_id,
        "outlet": t.source.actor.id if t.source else None,
        "speaker": t.speaker.actor.id if t.speaker else None,
        "subject": t.subject.actor.id,
        "subject_name": t.subject.actor.name,
        "subject_sector": t.subject.sector,
        "subject_agent": t.subject.agent.id if t.subject.agent else None,
        "predicate": t.predicate.value,
        "category": t.category,
        "cameo": t.cameo,
        "stance": t.stance,
        "object": obj.actor.id if obj else None,
        "object_name": obj.actor.name if obj else None,
        "object_sector": obj.sector if obj else None,
        "object_agent": obj.agent.id if obj and obj.agent else None,
        "negated": t.negated,
        "modality": t.modality,
        "confidence": t.confidence,
        "method": t.method,
        "trigger": ev.trigger,
        "sentence": ev.sentence,
        "start_char": ev.start_char,
        "end_char": ev.end_char,
    }


def event_rows(results: Iterable[DocResult]) -> Iterator[dict]:
    """One dict per triple of the documents that succeeded, in input order."""
    for result in results:
        if result.ok:
            for t in result.triples:
                yield _row(t, result)


def _format_of(path: Path, fmt: str | None) -> str:
    fmt = fmt or EVENT_FORMATS.get(path.suffix.lower())
    if fmt not in {"csv", "tsv", "parquet"}:
        raise NlpRelationsError("E216: " + Errors.E216.format(path=path, fmt=fmt))
    return fmt


class EventWriter:
    """Write event rows as results arrive: ``with EventWriter(path) as w: w.add(result)``.

    CSV/TSV rows go straight to a temporary file renamed onto ``path`` when the block ends
    without an error (an error leaves no file); Parquet rows are gathered and written at the end
    with one explicit schema.
    """

    def __init__(self, path: str | os.PathLike, fmt: str | None = None):
        self.path = Path(path)
        self.fmt = _format_of(self.path, fmt)
        self.rows = 0
        self._buffer: list[dict] = []
        self._atomic = None
        self._handle = None
        self._writer = None

    def __enter__(self) -> "EventWriter":
        if self.fmt == "parquet":
            _pyarrow(self.path)
            return self
        self._atomic = atomic_path(self.path)
        tmp = self._atomic.__enter__()
        self._handle = open(tmp, "w", encoding="utf-8", newline="", errors=REPLACE_SURROGATES)
        self._writer = csv.DictWriter(self._handle, fieldnames=EVENT_COLUMNS,
                                      delimiter="\t" if self.fmt == "tsv" else ",")
        self._writer.writeheader()
        return self

    def add(self, result: DocResult) -> None:
        """The rows of one document result (none for a skipped document)."""
        for row in event_rows([result]):
            self.rows += 1
            if self.fmt == "parquet":
                self._buffer.append(row)
            elif self.fmt == "tsv":
                # A tab or line break inside a sentence would break a TSV row.
                self._writer.writerow({k: " ".join(v.split()) if isinstance(v, str) else v
                                       for k, v in row.items()})
            else:
                self._writer.writerow(row)

    def __exit__(self, kind, value, tb) -> bool:
        if self.fmt == "parquet":
            if kind is None:
                _write_parquet(self._buffer, self.path)
            return False
        self._handle.close()
        self._atomic.__exit__(kind, value, tb)
        return False


def write_events(results: Iterable[DocResult], path: str | os.PathLike, *,
                 fmt: str | None = None) -> int:
    """Write the event table of ``results`` to ``path`` (format from the suffix: .csv, .tsv,
    .parquet, or ``fmt``); returns the number of rows.

    Example:
        >>> write_events(nlp_relations.extract_many(texts), "events.csv")  # doctest: +SKIP
        412
    """
    with EventWriter(path, fmt) as writer:
        for result in results:
            writer.add(result)
    return writer.rows


def _pyarrow(path: Path):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise NlpRelationsError("E217: " + Errors.E217.format(path=path)) from err
    return pa, pq


def _write_parquet(rows: list[dict], path: Path) -> None:
    pa, pq = _pyarrow(path)
    text = pa.string()
    types = {"negated": pa.bool_(), "confidence": pa.float64(), "start_char": pa.int64(),
             "end_char": pa.int64()}
    schema = pa.schema([(c, types.get(c, text)) for c in EVENT_COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
