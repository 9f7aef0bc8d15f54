"""An embedded store for incremental runs: documents and triple evidence in DuckDB.

Needs duckdb and pyarrow (``pip install 'nlp_relations[scale]'``), imported on first use.

Example:
    >>> from nlp_relations.store import RelationStore
    >>> with RelationStore("events.duckdb") as store:      # doctest: +SKIP
    ...     store.ingest(nlp_relations.extract_many(texts))
    ...     graph = store.graph()
"""

from nlp_relations.store.duckdb_store import FREQS, RelationStore

__all__ = ["FREQS", "RelationStore"]
