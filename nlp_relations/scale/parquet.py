"""Document results as Parquet part files: one explicit Arrow schema per table, and a manifest.

A run writes, for each partition of its input, three part files into ``out_dir``::

    documents/part-000003-<run id>.parquet   one row per document (ok or not), in input order
    evidence/part-000003-<run id>.parquet    one row per triple (the graph's evidence record)
    errors/part-000003-<run id>.parquet      one row per document that failed, with its code

and, once every partition is written, ``manifest.json`` listing the runs, their parts and
counts. Part names carry the partition number and the run id, so two runs (or two workers)
never write the same name; each part is written to a hidden temporary name and renamed when
complete, and readers go through the manifest, so a part left by a crashed run is never read.

The schemas are fixed here (``DOCUMENTS``, ``EVIDENCE``, ``ERRORS``): no column's type depends
on the data, an empty part has the same schema as a full one, and a mention is one nested
struct (actor id, name, kind, country; text; offsets; agent; sector). ``read_results`` turns
the parts back into the very ``DocResult`` objects that were written.

Example:
    >>> manifest = extract_to_parquet(items, "out/parts")     # doctest: +SKIP
    >>> results = list(read_results("out/parts"))             # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nlp_relations.errors import Errors, NlpRelationsError
from nlp_relations.graph._atomic import atomic_path
from nlp_relations.graph.aggregate import triple_edge_key
from nlp_relations.scale._deps import require
from nlp_relations.schemas import DocResult, Evidence, Mention, Triple

__all__ = [
    "FORMAT",
    "MANIFEST",
    "TABLES",
    "document_outlet",
    "error_code",
    "part_name",
    "read_manifest",
    "read_results",
    "results_to_tables",
    "schemas",
    "write_manifest",
    "write_part",
]

FORMAT = "nlp_relations.parquet.v1"
MANIFEST = "manifest.json"
TABLES = ("documents", "evidence", "errors")
_FEATURE = "Parquet output"


def _pa():
    return require("pyarrow", feature=_FEATURE)


def schemas() -> dict[str, Any]:
    """The three Arrow schemas, by table name (built on first use: pyarrow is optional)."""
    pa = _pa()
    actor = pa.struct([
        ("id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
        ("country", pa.string()),
    ])
    mention = pa.struct([
        ("actor", actor), ("text", pa.string()), ("start_char", pa.int64()),
        ("end_char", pa.int64()), ("agent", actor), ("sector", pa.string()),
    ])
    where = [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("partition", pa.int64(), nullable=False),
        pa.field("position", pa.int64(), nullable=False),  # index of the document in the input
        pa.field("doc_id", pa.string(), nullable=False),
    ]
    documents = pa.schema([
        *where,
        pa.field("ok", pa.bool_(), nullable=False),
        pa.field("error", pa.string()),
        pa.field("doc_date", pa.string()),  # as given: ISO in practice, any string allowed
        pa.field("text_sha1", pa.string()),
        pa.field("outlet", pa.string()),
        pa.field("n_triples", pa.int32(), nullable=False),
        pa.field("notes", pa.list_(pa.string())),
        pa.field("actors", pa.list_(mention)),
    ], metadata={"format": FORMAT, "table": "documents"})
    evidence = pa.schema([
        *where,
        pa.field("triple_index", pa.int32(), nullable=False),
        pa.field("edge_key", pa.string(), nullable=False),
        pa.field("subject", mention, nullable=False),
        pa.field("predicate", pa.string(), nullable=False),
        pa.field("object", mention),
        pa.field("category", pa.string(), nullable=False),
        pa.field("cameo", pa.string(), nullable=False),
        pa.field("stance", pa.string(), nullable=False),
        pa.field("confidence", pa.float64(), nullable=False),
        pa.field("negated", pa.bool_(), nullable=False),
        pa.field("modality", pa.string(), nullable=False),
        pa.field("speaker", mention),
        pa.field("source", mention),
        pa.field("sentence", pa.string(), nullable=False),
        pa.field("start_char", pa.int64(), nullable=False),
        pa.field("end_char", pa.int64(), nullable=False),
        pa.field("trigger", pa.string(), nullable=False),
        pa.field("doc_date", pa.string()),  # the evidence's own date (None: the document's)
        pa.field("method", pa.string(), nullable=False),
        pa.field("topic", pa.string()),
    ], metadata={"format": FORMAT, "table": "evidence"})
    errors = pa.schema([
        *where,
        pa.field("doc_date", pa.string()),
        pa.field("code", pa.string()),
        pa.field("error", pa.string(), nullable=False),
        pa.field("notes", pa.list_(pa.string())),
    ], metadata={"format": FORMAT, "table": "errors"})
    return {"documents": documents, "evidence": evidence, "errors": errors}


# -- results -> rows --------------------------------------------------------------------


def error_code(error: str | None) -> str | None:
    """The leading code of an error message ("E045: ..." -> "E045"), or None."""
    head = (error or "").split(":", 1)[0].strip()
    return head if len(head) == 4 and head[0] == "E" and head[1:].isdigit() else None


def document_outlet(result: DocResult) -> str | None:
    """The outlet that carried a document: its triples' most frequent source (ties: smallest id).

    None when no triple names a source.
    """
    counts = Counter(t.source.actor.id for t in result.triples if t.source is not None)
    if not counts:
        return None
    return min(counts, key=lambda a: (-counts[a], a))


def _mention(m: Mention | None) -> dict | None:
    return None if m is None else m.model_dump(mode="json")


def _triple_row(t: Triple, index: int) -> dict:
    ev = t.evidence
    return {
        "triple_index": index,
        "edge_key": triple_edge_key(t),
        "subject": _mention(t.subject),
        "predicate": t.predicate.value,
        "object": _mention(t.object),
        "category": t.category,
        "cameo": t.cameo,
        "stance": t.stance,
        "confidence": float(t.confidence),
        "negated": t.negated,
        "modality": t.modality,
        "speaker": _mention(t.speaker),
        "source": _mention(t.source),
        "sentence": ev.sentence,
        "start_char": ev.start_char,
        "end_char": ev.end_char,
        "trigger": ev.trigger,
        "doc_date": ev.doc_date,
        "method": t.method,
        "topic": t.topic,
    }


def results_to_tables(results: Iterable[tuple[int, DocResult]], *, run_id: str,
                      partition: int) -> dict[str, Any]:
    """Arrow tables (documents, evidence, errors) of ``(position, result)`` pairs."""
    pa = _pa()
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for position, r in results:
        where = {"run_id": run_id, "partition": partition, "position": position,
                 "doc_id": r.doc_id}
        rows["documents"].append({
            **where, "ok": r.ok, "error": r.error, "doc_date": r.doc_date,
            "text_sha1": r.text_sha1, "outlet": document_outlet(r),
            "n_triples": len(r.triples), "notes": list(r.notes),
            "actors": [_mention(m) for m in r.actors],
        })
        rows["evidence"] += [{**where, **_triple_row(t, i)} for i, t in enumerate(r.triples)]
        if not r.ok:
            rows["errors"].append({**where, "doc_date": r.doc_date,
                                   "code": error_code(r.error), "error": r.error or "",
                                   "notes": list(r.notes)})
    return {name: pa.Table.from_pylist(rows[name], schema=schema)
            for name, schema in schemas().items()}


# -- part files and the manifest --------------------------------------------------------


def part_name(table: str, partition: int, run_id: str) -> str:
    """The relative path of a part: ``evidence/part-000003-<run id>.parquet``."""
    return f"{table}/part-{partition:06d}-{run_id}.parquet"


def write_part(out_dir: str | os.PathLike, results: list[tuple[int, DocResult]], *,
               run_id: str, partition: int) -> dict:
    """Write the three part files of one partition; return its manifest entry."""
    pq = require("pyarrow.parquet", feature=_FEATURE)
    out_dir = Path(out_dir)
    tables = results_to_tables(results, run_id=run_id, partition=partition)
    entry: dict[str, Any] = {"partition": partition, "files": {}, "rows": {}}
    for name, table in tables.items():
        rel = part_name(name, partition, run_id)
        (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(out_dir / rel) as tmp:
            pq.write_table(table, tmp, compression="zstd")
        entry["files"][name] = rel
        entry["rows"][name] = table.num_rows
    entry["first_position"] = min((p for p, _ in results), default=None)
    return entry


def read_manifest(out_dir: str | os.PathLike) -> dict:
    """The manifest of a Parquet folder (E303 when there is none)."""
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        raise NlpRelationsError(f"E303: {Errors.E303.format(path=out_dir)}")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_manifest(out_dir: str | os.PathLike, manifest: dict) -> Path:
    """Write ``manifest.json`` atomically."""
    path = Path(out_dir) / MANIFEST
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return path


def part_files(out_dir: str | os.PathLike, table: str) -> list[list[Path]]:
    """The part files of ``table``, one list per run, in run and partition order."""
    out_dir = Path(out_dir)
    runs = []
    for run in read_manifest(out_dir)["runs"]:
        files = []
        for entry in sorted(run["parts"], key=lambda e: e["partition"]):
            path = out_dir / entry["files"][table]
            if not path.is_file():
                raise NlpRelationsError(f"E307: {Errors.E307.format(path=out_dir / MANIFEST, part=path)}")
            files.append(path)
        runs.append(files)
    return runs


# -- rows -> results --------------------------------------------------------------------


def _read_rows(paths: list[Path]) -> list[dict]:
    pq = require("pyarrow.parquet", feature=_FEATURE)
    rows: list[dict] = []
    for path in paths:
        rows += pq.read_table(path).to_pylist()
    return rows


def _to_mention(value: dict | None) -> Mention | None:
    return None if value is None else Mention.model_validate(value)


def _to_triple(row: dict) -> Triple:
    return Triple(
        subject=_to_mention(row["subject"]), predicate=row["predicate"],
        object=_to_mention(row["object"]), category=row["category"], cameo=row["cameo"],
        stance=row["stance"], confidence=row["confidence"], negated=row["negated"],
        modality=row["modality"], speaker=_to_mention(row["speaker"]),
        source=_to_mention(row["source"]),
        evidence=Evidence(doc_id=row["doc_id"], sentence=row["sentence"],
                          start_char=row["start_char"], end_char=row["end_char"],
                          trigger=row["trigger"], doc_date=row["doc_date"]),
        method=row["method"], topic=row["topic"],
    )


def read_results(out_dir: str | os.PathLike) -> Iterator[DocResult]:
    """The document results of a Parquet folder, run by run, in input order.

    Reads one partition at a time, so memory holds one partition's rows.
    """
    docs_runs = part_files(out_dir, "documents")
    ev_runs = part_files(out_dir, "evidence")
    for doc_parts, ev_parts in zip(docs_runs, ev_runs):
        for doc_part, ev_part in zip(doc_parts, ev_parts):
            triples: dict[int, list[tuple[int, Triple]]] = {}
            for row in _read_rows([ev_part]):
                triples.setdefault(row["position"], []).append(
                    (row["triple_index"], _to_triple(row)))
            for row in sorted(_read_rows([doc_part]), key=lambda r: r["position"]):
                found = sorted(triples.get(row["position"], []), key=lambda p: p[0])
                yield DocResult(
                    doc_id=row["doc_id"], ok=row["ok"], error=row["error"],
                    triples=[t for _, t in found],
                    actors=[_to_mention(m) for m in row["actors"] or []],
                    doc_date=row["doc_date"], notes=list(row["notes"] or []),
                    text_sha1=row["text_sha1"],
                )
