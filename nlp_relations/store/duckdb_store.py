"""RelationStore: documents and evidence in one DuckDB file, for incremental runs.

Tables (created on first use)::

    documents  doc_id, text_sha1, date, outlet, duplicate_of, n_triples, ingested_at
    evidence   one row per triple: doc_id, edge_key, subject/object ids and names, predicate,
               negated, modality, category, cameo, stance, sentence, sent_start, sent_end,
               trigger, evidence_date, speaker, source, confidence, method, topic, ...
    errors     documents that could not be processed (retried by the next update)
    runs       the Parquet runs already ingested

and views ``evidence_counted`` (the evidence the graph counts: canonical documents only, one
record per edge, document, sentence start and trigger, with its effective ``date``),
``edges``, ``events`` (triples without an object) and ``dyad_timeline`` (assertions per day).

The edge key, the duplicate rule and the evidence order are the graph's, from the one module
that defines them, :mod:`nlp_relations.graph.aggregate`: a document id already held is
skipped; of the documents with the same ``text_sha1`` the smallest doc id is counted
(``COUNTED_COPY_SQL``) and the others point to it in ``duplicate_of`` (their evidence is not
kept); within a document one record per edge and ``DEDUP_FIELDS`` is counted, the first in
``EVIDENCE_ORDER`` (the window below is generated from it). So the order and the batches in
which documents are ingested do not change what the store holds, and
:meth:`RelationStore.graph` equals ``build_graph`` over the same documents.

The evidence table has no primary key on purpose: DuckDB keeps such an index in memory, and
the evidence table is the big one. DuckDB allows one writing process at a time: extraction
workers write Parquet, and one ``ingest`` loads it.

Example:
    >>> with RelationStore("events.duckdb") as store:        # doctest: +SKIP
    ...     store.ingest_parquet("parts")
    ...     store.dyad("PRK", "NATO", freq="month")
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from nlp_relations.errors import Errors, InputError
from nlp_relations.graph.aggregate import (
    COUNTED_COPY_SQL,
    DEDUP_FIELDS,
    EVIDENCE_ORDER,
    NULLABLE_EVIDENCE,
)
from nlp_relations.graph.build import RelationGraph, build_graph
from nlp_relations.scale import parquet
from nlp_relations.scale._deps import require
from nlp_relations.schemas import Actor, DocResult, Evidence, Mention, Predicate, Triple

__all__ = ["FREQS", "RelationStore"]

FREQS = ("day", "week", "month", "quarter", "year")
_FEATURE = "The relation store"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR NOT NULL, text_sha1 VARCHAR, date VARCHAR, outlet VARCHAR,
    duplicate_of VARCHAR, n_triples INTEGER, ingested_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS evidence (
    doc_id VARCHAR NOT NULL, triple_index INTEGER NOT NULL, edge_key VARCHAR NOT NULL,
    subject VARCHAR NOT NULL, predicate VARCHAR NOT NULL, object VARCHAR,
    negated BOOLEAN NOT NULL, modality VARCHAR NOT NULL,
    category VARCHAR, cameo VARCHAR, stance VARCHAR,
    subject_name VARCHAR, subject_kind VARCHAR, subject_country VARCHAR, subject_text VARCHAR,
    subject_start BIGINT, subject_end BIGINT, subject_agent VARCHAR, subject_sector VARCHAR,
    object_name VARCHAR, object_kind VARCHAR, object_country VARCHAR, object_text VARCHAR,
    object_start BIGINT, object_end BIGINT, object_agent VARCHAR, object_sector VARCHAR,
    sentence VARCHAR, sent_start BIGINT, sent_end BIGINT, trigger VARCHAR,
    evidence_date VARCHAR, speaker VARCHAR, source VARCHAR, confidence DOUBLE,
    method VARCHAR, topic VARCHAR,
    date VARCHAR,  -- the evidence's date, else its document's
    counted BOOLEAN NOT NULL);
CREATE TABLE IF NOT EXISTS errors (
    doc_id VARCHAR NOT NULL, date VARCHAR, code VARCHAR, error VARCHAR,
    ingested_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR NOT NULL, folder VARCHAR, ingested_at TIMESTAMP DEFAULT current_timestamp);

-- The evidence the graph counts. Evidence rows exist for counted documents only (a repeat's
-- are removed); ``counted`` marks, within a document, one record per (edge, sentence start,
-- trigger), the smallest in the graph's evidence order, as build_graph keeps it.
CREATE OR REPLACE VIEW evidence_counted AS SELECT * FROM evidence WHERE counted;

CREATE OR REPLACE VIEW edges AS
SELECT edge_key, subject, object, predicate, negated, modality,
       min(nullif(category, '')) AS category, min(nullif(cameo, '')) AS cameo,
       min(nullif(stance, '')) AS stance,
       count(*) AS count, count(DISTINCT doc_id) AS n_documents,
       count(DISTINCT source) AS n_sources,
       min(date) AS first_seen, max(date) AS last_seen,
       sum(confidence) AS confidence_sum, avg(confidence) AS confidence_mean,
       max(confidence) AS confidence_max
FROM evidence_counted WHERE object IS NOT NULL
GROUP BY edge_key, subject, object, predicate, negated, modality;

CREATE OR REPLACE VIEW events AS
SELECT subject, predicate, negated, modality,
       min(nullif(category, '')) AS category, min(nullif(stance, '')) AS stance,
       count(*) AS count, count(DISTINCT doc_id) AS n_documents,
       min(date) AS first_seen, max(date) AS last_seen, avg(confidence) AS confidence_mean
FROM evidence_counted WHERE object IS NULL
GROUP BY subject, predicate, negated, modality;

CREATE OR REPLACE VIEW dyad_timeline AS
SELECT subject, object, predicate, negated, modality, stance,
       TRY_CAST(date AS DATE) AS day, count(*) AS count, count(DISTINCT doc_id) AS n_documents
FROM evidence_counted WHERE object IS NOT NULL
GROUP BY subject, object, predicate, negated, modality, stance, day;
"""

# The staged evidence (``e``, a part with the evidence schema; ``n``, its document) as the
# graph's evidence record: one SQL expression per field of aggregate.EVIDENCE_ORDER.
_RECORD_SQL = {
    "doc_id": "e.doc_id",
    "start_char": "e.start_char",
    "trigger": "e.trigger",
    "end_char": "e.end_char",
    "sentence": "e.sentence",
    "doc_date": "coalesce(e.doc_date, n.date)",
    "confidence": "e.confidence",
    "method": "e.method",
    "speaker": "e.speaker.actor.id",
    "source": "e.source.actor.id",
    "subject_text": "e.subject.text",
    "subject_agent": "e.subject.agent.id",
    "object_text": "e.object.text",
    "object_agent": "e.object.agent.id",
}


def _order_sql(field: str) -> str:
    column = _RECORD_SQL[field]
    return f"coalesce({column}, '')" if field in NULLABLE_EVIDENCE else column


# Within a document, the record build_graph keeps of each (edge, dedup key): the first in
# the evidence order.
_COUNTED_WINDOW = (
    "row_number() OVER (PARTITION BY e.edge_key, "
    + ", ".join(_RECORD_SQL[f] for f in DEDUP_FIELDS)
    + " ORDER BY "
    + ", ".join(_order_sql(f) for f in EVIDENCE_ORDER if f not in DEDUP_FIELDS)
    + ") = 1"
)

# Evidence columns from a staged part (Parquet or Arrow with the evidence schema).
_EVIDENCE_SELECT = f"""
    e.doc_id, e.triple_index, e.edge_key, e.subject.actor.id, e.predicate, e.object.actor.id,
    e.negated, e.modality, e.category, e.cameo, e.stance,
    e.subject.actor.name, e.subject.actor.kind, e.subject.actor.country, e.subject.text,
    e.subject.start_char, e.subject.end_char, e.subject.agent.id, e.subject.sector,
    e.object.actor.name, e.object.actor.kind, e.object.actor.country, e.object.text,
    e.object.start_char, e.object.end_char, e.object.agent.id, e.object.sector,
    e.sentence, e.start_char, e.end_char, e.trigger, e.doc_date, e.speaker.actor.id,
    e.source.actor.id, e.confidence, e.method, e.topic, {_RECORD_SQL["doc_date"]},
    {_COUNTED_WINDOW}
"""


class RelationStore:
    """A DuckDB file of documents and triple evidence; see the module docstring.

    Args:
        path: the database file (created when missing); ``":memory:"`` for a throwaway one.
        read_only: open without writing (several readers may share a file).
        memory_limit: cap DuckDB's memory (``"2GB"``; it spills to disk beyond); default:
            DuckDB's own (80% of RAM), which a big ingest will use.

    Raises:
        MissingExtraError: E300 when duckdb is not installed.
    """

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False,
                 memory_limit: str | None = None) -> None:
        duckdb = require("duckdb", feature=_FEATURE)
        self.path = str(path)
        config = {"memory_limit": memory_limit} if memory_limit else {}
        self.con = duckdb.connect(self.path, read_only=read_only, config=config)
        if not read_only:
            self.con.execute(_SCHEMA)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> RelationStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- ingest ------------------------------------------------------------------------

    def ingest(self, results: Iterable[DocResult], *, batch_size: int = 5000) -> dict:
        """Add document results (``extract_many``'s); failed ones go to ``errors``.

        Returns:
            Counts: ``documents`` (new, counted or duplicate), ``duplicates`` (of those, how
            many repeat a held text), ``skipped`` (id already held), ``errors``.
        """
        totals = _Counts()
        results = iter(results)
        position = 0
        while True:
            batch = list(islice(results, batch_size))
            if not batch:
                return totals.as_dict()
            pairs = list(enumerate(batch, start=position))
            position += len(batch)
            tables = parquet.results_to_tables(pairs, run_id="direct", partition=0)
            self.con.register("_stage_docs_arrow", tables["documents"])
            self.con.register("_stage_ev_arrow", tables["evidence"])
            try:
                totals.add(self._ingest_staged("_stage_docs_arrow", "_stage_ev_arrow"))
            finally:
                self.con.unregister("_stage_docs_arrow")
                self.con.unregister("_stage_ev_arrow")

    def ingest_parquet(self, folder: str | os.PathLike) -> dict:
        """Add the documents of a folder written by ``extract_to_parquet``, run by run.

        Runs already ingested (by run id) are skipped; the rest go in in manifest order.
        """
        folder = Path(folder)
        manifest = parquet.read_manifest(folder)
        docs_runs = parquet.part_files(folder, "documents")
        ev_runs = parquet.part_files(folder, "evidence")
        held = {r for (r,) in self.con.execute("SELECT run_id FROM runs").fetchall()}
        totals = _Counts()
        for run, docs, evs in zip(manifest["runs"], docs_runs, ev_runs):
            if run["run_id"] in held or not docs:
                continue
            totals.add(self._ingest_staged(_parquet_source(docs), _parquet_source(evs),
                                           run_id=run["run_id"], folder=str(folder)))
        return totals.as_dict()

    def _ingest_staged(self, docs_source: str, ev_source: str, *, run_id: str | None = None,
                       folder: str | None = None) -> dict:
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE stage_docs AS
                SELECT doc_id, text_sha1, doc_date AS date, outlet, n_triples, ok, error,
                       partition, position
                FROM {docs_source}""")
            # The first occurrence of a doc id wins, as in build_graph; ids held are skipped.
            con.execute("""
                CREATE OR REPLACE TEMP TABLE new_docs AS
                SELECT * FROM stage_docs WHERE ok AND doc_id NOT IN (SELECT doc_id FROM documents)
                QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY partition, position) = 1
            """)
            # The counted holder of each text (aggregate.counted_copy), held or new.
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE canon AS
                SELECT text_sha1, {COUNTED_COPY_SQL} AS doc_id FROM (
                    SELECT text_sha1, doc_id FROM documents
                    WHERE duplicate_of IS NULL
                      AND text_sha1 IN (SELECT text_sha1 FROM new_docs)
                    UNION ALL
                    SELECT text_sha1, doc_id FROM new_docs WHERE text_sha1 IS NOT NULL)
                GROUP BY text_sha1""")
            con.execute("""
                CREATE OR REPLACE TEMP TABLE demoted AS
                SELECT d.doc_id FROM documents d JOIN canon c ON d.text_sha1 = c.text_sha1
                WHERE d.duplicate_of IS NULL AND d.doc_id <> c.doc_id""")
            con.execute("""
                UPDATE documents SET duplicate_of = c.doc_id FROM canon c
                WHERE documents.text_sha1 = c.text_sha1 AND documents.doc_id <> c.doc_id""")
            con.execute("DELETE FROM evidence WHERE doc_id IN (SELECT doc_id FROM demoted)")
            con.execute("""
                INSERT INTO documents (doc_id, text_sha1, date, outlet, duplicate_of, n_triples)
                SELECT n.doc_id, n.text_sha1, n.date, n.outlet,
                       CASE WHEN c.doc_id = n.doc_id THEN NULL ELSE c.doc_id END, n.n_triples
                FROM new_docs n LEFT JOIN canon c ON n.text_sha1 = c.text_sha1""")
            con.execute(f"""
                INSERT INTO evidence
                SELECT {_EVIDENCE_SELECT}
                FROM {ev_source} e
                JOIN new_docs n ON e.doc_id = n.doc_id AND e.partition = n.partition
                                AND e.position = n.position
                LEFT JOIN canon c ON n.text_sha1 = c.text_sha1
                WHERE c.doc_id IS NULL OR c.doc_id = n.doc_id""")
            # Failed documents: kept (once) until a later run processes them.
            con.execute("""
                INSERT INTO errors (doc_id, date, code, error)
                SELECT doc_id, date, regexp_extract(error, '^(E[0-9]{3})', 1), error
                FROM stage_docs WHERE NOT ok
                  AND doc_id NOT IN (SELECT doc_id FROM documents)
                  AND doc_id NOT IN (SELECT doc_id FROM errors)
                QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY partition, position) = 1
            """)
            con.execute("DELETE FROM errors WHERE doc_id IN (SELECT doc_id FROM new_docs)")
            if run_id is not None:
                con.execute("INSERT INTO runs (run_id, folder) VALUES (?, ?)", [run_id, folder])
            counts = con.execute("""
                SELECT (SELECT count(*) FROM new_docs),
                       (SELECT count(*) FROM new_docs n JOIN canon c ON n.text_sha1 = c.text_sha1
                        WHERE c.doc_id <> n.doc_id) + (SELECT count(*) FROM demoted),
                       (SELECT count(*) FROM stage_docs WHERE ok) - (SELECT count(*) FROM new_docs),
                       (SELECT count(*) FROM stage_docs WHERE NOT ok)""").fetchone()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return dict(zip(("documents", "duplicates", "skipped", "errors"), counts))

    # -- what the store holds ----------------------------------------------------------

    def held_ids(self, doc_ids: Iterable[str]) -> set[str]:
        """Which of ``doc_ids`` the store holds (counted, duplicate or not)."""
        doc_ids = list(doc_ids)
        if not doc_ids:
            return set()
        return {r for (r,) in self.con.execute(
            "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [doc_ids]).fetchall()}

    def text_holders(self, text_sha1s: Iterable[str | None]) -> dict[str, str]:
        """The counted doc id holding each of ``text_sha1s`` that the store holds."""
        shas = sorted({s for s in text_sha1s if s})
        if not shas:
            return {}
        return dict(self.con.execute(
            "SELECT text_sha1, doc_id FROM documents WHERE duplicate_of IS NULL "
            "AND text_sha1 IN (SELECT unnest(?::VARCHAR[]))", [shas]).fetchall())

    def counts(self) -> dict:
        """Rows of each table, and the documents counted (not duplicates)."""
        row = self.con.execute("""
            SELECT (SELECT count(*) FROM documents),
                   (SELECT count(*) FROM documents WHERE duplicate_of IS NULL),
                   (SELECT count(*) FROM evidence), (SELECT count(*) FROM errors),
                   (SELECT count(*) FROM edges)""").fetchone()
        return dict(zip(("documents", "counted", "evidence", "errors", "edges"), row))

    def sql(self, query: str, params: list | None = None):
        """Run a query on the store; returns a pandas DataFrame."""
        return self.con.execute(query, params or []).df()

    def dyad(self, a: str, b: str, *, freq: str = "month"):
        """Assertions between ``a`` and ``b`` (both directions) per period, as a DataFrame.

        Columns: period (the period's first day; empty when the date is unknown), subject,
        object, relation (``condemns``, ``NOT exports_to``, ``warns (future)``), stance,
        count, n_documents.
        """
        if freq not in FREQS:
            raise InputError("E306", Errors.E306.format(value=freq, options=", ".join(FREQS)))
        return self.con.execute(f"""
            SELECT date_trunc('{freq}', day)::DATE AS period, subject, object,
                   (CASE WHEN negated THEN 'NOT ' ELSE '' END) || predicate ||
                   (CASE WHEN modality = 'asserted' THEN '' ELSE ' (' || modality || ')' END)
                       AS relation,
                   stance, sum(count)::BIGINT AS count, sum(n_documents)::BIGINT AS n_documents
            FROM dyad_timeline
            WHERE (subject = ? AND object = ?) OR (subject = ? AND object = ?)
            GROUP BY ALL ORDER BY period NULLS LAST, subject, relation""",
            [a, b, b, a]).df()

    # -- back to a graph ---------------------------------------------------------------

    def results(self, *, chunk: int = 10_000) -> Iterator[DocResult]:
        """The documents held, as ``DocResult``s in doc id order.

        Counted documents carry their triples; duplicates carry none (the graph records them
        under ``duplicates``). Mentions hold what the graph uses: the subject's and object's
        actors and texts; a speaker's, source's or agent's actor has its id only.
        """
        docs = self.con.execute(
            "SELECT doc_id, text_sha1, date, duplicate_of FROM documents ORDER BY doc_id")
        rows = _rows(docs, chunk)
        evidence = _rows(self.con.cursor().execute(
            f"SELECT {_EVIDENCE_COLUMNS} FROM evidence ORDER BY doc_id, triple_index"), chunk)
        pending = next(evidence, None)
        for doc_id, sha, date, _duplicate_of in rows:
            triples = []
            while pending is not None and pending[0] <= doc_id:
                if pending[0] == doc_id:
                    triples.append(_triple(pending))
                pending = next(evidence, None)
            yield DocResult.model_construct(doc_id=doc_id, ok=True, error=None,
                                            triples=triples, actors=[], doc_date=date,
                                            notes=[], text_sha1=sha)

    def graph(self) -> RelationGraph:
        """The relation graph of the documents held: equal to ``build_graph`` over them."""
        return build_graph(self.results())


_EVIDENCE_COLUMNS = """
    doc_id, subject, subject_name, subject_kind, subject_country, subject_text, subject_start,
    subject_end, subject_agent, subject_sector, predicate, object, object_name, object_kind,
    object_country, object_text, object_start, object_end, object_agent, object_sector,
    category, cameo, stance, confidence, negated, modality, speaker, source, sentence,
    sent_start, sent_end, trigger, evidence_date, method, topic
"""


def _rows(cursor, chunk: int) -> Iterator[tuple]:
    while True:
        rows = cursor.fetchmany(chunk)
        if not rows:
            return
        yield from rows


# Rows read back were validated when they were ingested: the models are constructed without
# validating again (several times faster on a big store).


@lru_cache(maxsize=65536)
def _actor(actor_id: str | None, name: str | None = None, kind: str = "group",
           country: str | None = None) -> Actor | None:
    # Actors (frozen) repeat across rows: one object each. A speaker's, source's or agent's
    # actor is a stub with its id: the graph keeps only that.
    if actor_id is None:
        return None
    return Actor.model_construct(id=actor_id, name=actor_id if name is None else name,
                                 kind=kind, country=country)


@lru_cache(maxsize=65536)
def _stub_mention(actor_id: str | None) -> Mention | None:
    return None if actor_id is None else Mention.model_construct(
        actor=_actor(actor_id), text=actor_id, start_char=0, end_char=0, agent=None, sector=None)


def _mention(actor_id, name, kind, country, text, start, end, agent, sector) -> Mention | None:
    if actor_id is None:
        return None
    return Mention.model_construct(actor=_actor(actor_id, name, kind, country), text=text,
                                   start_char=start, end_char=end, agent=_actor(agent),
                                   sector=sector)


def _triple(row: tuple) -> Triple:
    (doc_id, *subject), rest = row[:10], row[10:]
    predicate, *obj = rest[:10]
    (category, cameo, stance, confidence, negated, modality, speaker, source, sentence,
     sent_start, sent_end, trigger, evidence_date, method, topic) = rest[10:]
    return Triple.model_construct(
        subject=_mention(*subject), predicate=Predicate(predicate), object=_mention(*obj),
        category=category, cameo=cameo, stance=stance, confidence=confidence, negated=negated,
        modality=modality, speaker=_stub_mention(speaker), source=_stub_mention(source),
        evidence=Evidence.model_construct(doc_id=doc_id, sentence=sentence,
                                          start_char=sent_start, end_char=sent_end,
                                          trigger=trigger, doc_date=evidence_date),
        method=method, topic=topic,
    )


def _parquet_source(paths: list[Path]) -> str:
    quoted = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    return f"read_parquet([{quoted}])"


class _Counts:
    def __init__(self) -> None:
        self.values = {"documents": 0, "duplicates": 0, "skipped": 0, "errors": 0}

    def add(self, counts: dict) -> None:
        for key, value in counts.items():
            self.values[key] += int(value)

    def as_dict(self) -> dict:
        return dict(self.values)
