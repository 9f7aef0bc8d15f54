"""The scale path measured: the DuckDB store at size, and extraction words/s per engine.

Two parts, each run on its own (a fresh process, so peak memory is the part's own):

    .venv/bin/python benchmarks/store.py extract [--repeat 4]
        words/s of extract_to_parquet on copies of data/samples: local n_process=1, local
        n_process=2, and Dask with a LocalCluster of 2 worker processes, same documents, one run
        (pipeline loading timed apart from extraction).

    .venv/bin/python benchmarks/store.py store --docs 100000 [--daily 5000]
        a synthetic store made from real triples (the samples' extractions repeated under new
        doc ids and dates over two years, 1% repeated texts): Parquet parts written, then
        ingest, a daily update of --daily documents, a dyad timeline, the whole-graph
        aggregation (the edges view) and the graph rebuilt as a RelationGraph (only up to
        20,000 documents: it goes through build_graph in Python); time, file size and peak
        memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _samples(repeat: int) -> list[tuple[str, str, str]]:
    files = sorted((REPO / "data" / "samples").glob("*.txt"))
    return [(p.read_text(encoding="utf-8"), f"{p.stem}-copy{k}", p.stem[:10])
            for k in range(repeat) for p in files]


def bench_extract(repeat: int) -> None:
    import distributed

    import nlp_relations
    from nlp_relations.scale import extract_to_parquet

    items = _samples(repeat)
    words = sum(len(t.split()) for t, _, _ in items)
    print(f"{len(items)} documents, {words:,} words; {platform.processor() or platform.machine()},"
          f" {os.cpu_count()} cores")
    start = time.perf_counter()
    nlp = nlp_relations.load()
    print(f"load() in this process: {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for n_process in (1, 2):
            start = time.perf_counter()
            extract_to_parquet(items, Path(tmp) / f"local{n_process}", nlp=nlp,
                               n_process=n_process, partition_size=64)
            elapsed = time.perf_counter() - start
            print(f"local n_process={n_process}: {words / elapsed:,.0f} words/s ({elapsed:.1f} s)")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            # A first, one-document run loads the pipeline on both workers; timed apart.
            start = time.perf_counter()
            extract_to_parquet(items[:2], Path(tmp) / "warm", engine="dask", scheduler=client,
                               partition_size=1)
            print(f"dask: cluster start + pipeline load on 2 workers + 2 documents: "
                  f"{time.perf_counter() - start:.1f} s")
            start = time.perf_counter()
            extract_to_parquet(items, Path(tmp) / "dask", engine="dask", scheduler=client,
                               partition_size=8)
            elapsed = time.perf_counter() - start
            print(f"dask, 2 worker processes: {words / elapsed:,.0f} words/s ({elapsed:.1f} s)")
    print(f"peak memory of this process: {_peak_mib():,.0f} MiB (workers not included)")


def _template():
    """Arrow tables of the samples' real extractions (the rows the synthetic store repeats)."""
    import nlp_relations
    from nlp_relations.scale.parquet import results_to_tables

    results = list(nlp_relations.extract_many([(t, i, d) for t, i, d in _samples(1)]))
    return results_to_tables(list(enumerate(results)), run_id="template", partition=0)


def _synthetic_parts(template, out_dir: Path, n_docs: int, *, first: int, run_id: str,
                     part_docs: int = 50_000, seed: int = 7) -> None:
    """Write ``n_docs`` synthetic documents as one Parquet run (parts and manifest)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from nlp_relations.scale import parquet

    rng = np.random.default_rng(seed + first)
    docs_t, ev_t = template["documents"], template["evidence"]
    n_template = docs_t.num_rows
    ev_positions = np.asarray(ev_t.column("position").to_pylist())
    rows_of = [np.flatnonzero(ev_positions == j) for j in range(n_template)]
    start_day = np.datetime64("2023-01-01")
    entries = []
    for part, lo in enumerate(range(0, n_docs, part_docs)):
        count = min(part_docs, n_docs - lo)
        glob = np.arange(first + lo, first + lo + count)
        which = glob % n_template
        ids = [f"syn-{g:08d}" for g in glob]
        dates = (start_day + rng.integers(0, 730, count)).astype(str).tolist()
        shas = [f"{g:040x}" for g in glob]
        for k in np.flatnonzero(rng.random(count) < 0.01):  # 1% repeat an earlier text
            shas[k] = f"{max(glob[k] - 1, 0):040x}"
        docs = docs_t.take(pa.array(which))
        docs = docs.set_column(docs.schema.get_field_index("doc_id"), "doc_id", pa.array(ids))
        docs = docs.set_column(docs.schema.get_field_index("doc_date"), "doc_date",
                               pa.array(dates))
        docs = docs.set_column(docs.schema.get_field_index("text_sha1"), "text_sha1",
                               pa.array(shas))
        docs = docs.set_column(docs.schema.get_field_index("position"), "position",
                               pa.array(glob, pa.int64()))
        take = np.concatenate([rows_of[j] for j in which])
        owner = np.repeat(np.arange(count), [len(rows_of[j]) for j in which])
        ev = ev_t.take(pa.array(take))
        for name, values, typ in (("doc_id", [ids[i] for i in owner], pa.string()),
                                  ("position", glob[owner], pa.int64()),
                                  ("doc_date", [None] * len(owner), pa.string())):
            ev = ev.set_column(ev.schema.get_field_index(name), name, pa.array(values, typ))
        entry = {"partition": part, "files": {}, "rows": {}}
        errors = pa.Table.from_pylist([], schema=parquet.schemas()["errors"])
        for name, table in (("documents", docs), ("evidence", ev), ("errors", errors)):
            table = table.cast(parquet.schemas()[name])
            rel = parquet.part_name(name, part, run_id)
            (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, out_dir / rel, compression="zstd")
            entry["files"][name] = rel
            entry["rows"][name] = table.num_rows
        entries.append(entry)
    manifest = parquet.read_manifest(out_dir) if (out_dir / parquet.MANIFEST).exists() \
        else {"format": parquet.FORMAT, "runs": []}
    manifest["runs"].append({"run_id": run_id, "engine": "synthetic", "parts": entries})
    parquet.write_manifest(out_dir, manifest)


def bench_store(n_docs: int, daily: int) -> None:
    from nlp_relations.store import RelationStore

    template = _template()
    print(f"template: {template['documents'].num_rows} real documents, "
          f"{template['evidence'].num_rows} triples; synthetic store of {n_docs:,} documents")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        _synthetic_parts(template, tmp / "parts", n_docs, first=0, run_id="base")
        print(f"write Parquet parts: {time.perf_counter() - start:.1f} s, "
              f"{sum(f.stat().st_size for f in (tmp / 'parts').rglob('*.parquet')) / 2**20:.1f} MiB")
        path = tmp / "events.duckdb"
        with RelationStore(path) as store:
            start = time.perf_counter()
            counts = store.ingest_parquet(tmp / "parts")
            print(f"ingest: {time.perf_counter() - start:.1f} s {counts}")
            _synthetic_parts(template, tmp / "parts", daily, first=n_docs, run_id="daily")
            start = time.perf_counter()
            counts = store.ingest_parquet(tmp / "parts")
            print(f"daily update of {daily:,} documents (ingest): "
                  f"{time.perf_counter() - start:.2f} s {counts}")
            start = time.perf_counter()
            frame = store.dyad("PRK", "NATO", freq="month")
            print(f"dyad PRK NATO by month: {time.perf_counter() - start:.3f} s, "
                  f"{len(frame)} rows")
            start = time.perf_counter()
            edges = store.sql("SELECT * FROM edges")
            print(f"whole-graph aggregation (edges view): {time.perf_counter() - start:.2f} s, "
                  f"{len(edges)} edges over {store.counts()['evidence']:,} evidence rows")
            if n_docs <= 20_000:
                start = time.perf_counter()
                g = store.graph()
                print(f"graph() as a RelationGraph: {time.perf_counter() - start:.1f} s, "
                      f"{g.number_of_edges()} edges")
        print(f"store file: {path.stat().st_size / 2**20:.1f} MiB; "
              f"peak memory: {_peak_mib():,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="part", required=True)
    ext = sub.add_parser("extract")
    ext.add_argument("--repeat", type=int, default=4, help="copies of data/samples")
    st = sub.add_parser("store")
    st.add_argument("--docs", type=int, default=100_000)
    st.add_argument("--daily", type=int, default=5_000)
    args = parser.parse_args()
    if args.part == "extract":
        bench_extract(args.repeat)
    else:
        bench_store(args.docs, args.daily)


if __name__ == "__main__":
    main()
