"""The scale commands: ingest, update and dyad, and the Parquet and store paths of extract
and graph.

``register(app)`` adds ``ingest``, ``update`` and ``dyad`` to the main typer app;
``nlp-relations extract INPUTS --parquet DIR`` calls :func:`extract_parquet` and
``nlp-relations graph --store FILE`` calls :func:`graph_from_store`.

Example:
    nlp-relations extract data/samples --parquet parts/ [--engine dask --scheduler tcp://host:8786]
    nlp-relations ingest parts/ --store events.duckdb
    nlp-relations update new_stories.jsonl --store events.duckdb
    nlp-relations dyad PRK NATO --store events.duckdb --freq month
    nlp-relations graph --store events.duckdb --format neo4j -o graph_neo4j
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import typer

from nlp_relations.errors import Errors, NlpRelationsError
from nlp_relations.schemas import DocResult

__all__ = ["documents", "extract_parquet", "graph_from_store", "register"]

EXIT_INTERRUPTED = 130


def _say(message: str) -> None:
    typer.echo(" ".join(str(message).split()), err=True)


def _friendly(command):
    """One line on stderr and an exit code for a user mistake, never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KeyboardInterrupt:
            _say(f"E210: {Errors.E210}")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except NlpRelationsError as err:
            _say(f"Error: {err}")
            raise typer.Exit(1) from None

    return run


def documents(inputs: list[Path]) -> Iterator[Any]:
    """The documents of the command-line inputs as ``extract_many`` items, in order.

    Files, folders and JSONL corpora are read as ``extract`` reads them; a read error or an
    id used twice is a ``DocResult`` error record in its place, as is a results file's line.
    """
    from nlp_relations import cli

    for item in cli._items(cli.collect_inputs(inputs)):
        if isinstance(item, DocResult):
            yield item
        elif item.path is None:
            yield item.text, item.doc_id, item.date
        else:
            try:
                yield item.path.read_bytes(), item.doc_id, item.date
            except OSError as err:
                yield DocResult(doc_id=item.doc_id, ok=False, doc_date=item.date,
                                error="E212: " + Errors.E212.format(
                                    path=item.path, err=err.strerror or err))


def extract_parquet(inputs: list[Path], parquet_dir: Path, *, engine: str = "local",
                    scheduler: Optional[str] = None, partition_size: int = 256,
                    extra_actors: Optional[Path] = None, rules_only: bool = False,
                    n_process: int = 1, batch_size: int = 32, max_chars: int = 1_000_000,
                    append: bool = False) -> dict:
    """``extract --parquet DIR``: write part files and a manifest; print a summary."""
    from nlp_relations.scale import extract_to_parquet

    manifest = extract_to_parquet(
        documents(inputs), parquet_dir, engine=engine, scheduler=scheduler,
        partition_size=partition_size, batch_size=batch_size, n_process=n_process,
        model=not rules_only, extra_actors=extra_actors, max_chars=max_chars, append=append)
    run = manifest["runs"][-1]
    rows = run["rows"]
    typer.echo(f"wrote {parquet_dir}: {rows['documents']} documents ({rows['errors']} "
               f"skipped), {rows['evidence']} triples in {len(run['parts'])} partition(s), "
               f"{run['seconds']:.1f} s ({engine})", err=True)
    return manifest


def graph_from_store(store: Path, output: Path, fmt: str) -> None:
    """``graph --store FILE``: the store's graph, written in ``fmt``."""
    from nlp_relations import graph as g
    from nlp_relations.graph.neo4j import write_neo4j
    from nlp_relations.store import RelationStore

    if not store.is_file():
        raise NlpRelationsError(f"E209: {Errors.E209.format(path=store)}")
    with RelationStore(store, read_only=True) as held:
        built = held.graph()
    writers = {"graphml": g.write_graphml, "gexf": g.write_gexf, "json": g.write_json,
               "csv": g.write_csv, "neo4j": write_neo4j}
    output.parent.mkdir(parents=True, exist_ok=True)
    writers[fmt](built, output)
    typer.echo(f"wrote {output}: {built.number_of_nodes()} actors, "
               f"{built.number_of_edges()} relations", err=True)


_STORE_HELP = "The DuckDB store file (created when missing)."


@_friendly
def ingest(
    folder: Path = typer.Argument(..., help="A folder written by extract --parquet."),
    store: Path = typer.Option(..., "--store", help=_STORE_HELP),
) -> None:
    """Load Parquet parts into the store (runs already loaded are skipped)."""
    from nlp_relations.store import RelationStore

    with RelationStore(store) as held:
        counts = held.ingest_parquet(folder)
        totals = held.counts()
    typer.echo(f"ingested {folder}: {counts['documents']} new documents "
               f"({counts['duplicates']} repeat a held text), {counts['skipped']} already held, "
               f"{counts['errors']} failed; store: {totals['counted']} documents counted, "
               f"{totals['evidence']} triples, {totals['edges']} edges", err=True)


@_friendly
def update(
    inputs: list[Path] = typer.Argument(..., help="Text/HTML files, folders, .jsonl corpora."),
    store: Path = typer.Option(..., "--store", help=_STORE_HELP),
    extra_actors: Optional[Path] = typer.Option(None, "--extra-actors",
                                                help="A JSONL actor file."),
    n_process: int = typer.Option(1, "--n-process", help="Worker processes for extraction."),
    batch_size: int = typer.Option(32, "--batch-size", help="Documents per nlp.pipe batch."),
    rules_only: bool = typer.Option(False, "--rules-only", help="No relation model."),
) -> None:
    """Extract only the documents the store does not hold yet, and ingest them."""
    from nlp_relations.store import RelationStore
    from nlp_relations.store.update import update_store

    with RelationStore(store) as held:
        counts = update_store(held, documents(inputs), n_process=n_process,
                              batch_size=batch_size, model=not rules_only,
                              extra_actors=extra_actors)
        totals = held.counts()
    typer.echo(f"updated {store}: {counts.get('seen', 0)} documents read, "
               f"{counts.get('held', 0)} already held, {counts.get('duplicates', 0)} repeat a "
               f"held text, {counts.get('extracted', 0)} extracted "
               f"({counts.get('ingested_errors', 0)} failed); store: {totals['counted']} "
               f"documents counted, {totals['evidence']} triples", err=True)


@_friendly
def dyad(
    a: str = typer.Argument(..., help="An actor id, e.g. PRK."),
    b: str = typer.Argument(..., help="Another actor id, e.g. NATO."),
    store: Path = typer.Option(..., "--store", help="The DuckDB store file."),
    freq: str = typer.Option("month", "--freq", help="day, week, month, quarter or year."),
    csv_out: Optional[Path] = typer.Option(None, "--csv", help="Also write the table as CSV."),
) -> None:
    """Relations between two actors, both directions, per period."""
    from nlp_relations.store import RelationStore

    if not store.is_file():
        raise NlpRelationsError(f"E209: {Errors.E209.format(path=store)}")
    with RelationStore(store, read_only=True) as held:
        frame = held.dyad(a.upper(), b.upper(), freq=freq)
    if frame.empty:
        typer.echo(f"no relations between {a} and {b} in {store}")
        return
    typer.echo(frame.to_string(index=False))
    if csv_out is not None:
        frame.to_csv(csv_out, index=False)


def register(app: typer.Typer) -> None:
    """Add ``ingest``, ``update`` and ``dyad`` to ``app``."""
    app.command("ingest")(ingest)
    app.command("update")(update)
    app.command("dyad")(dyad)
