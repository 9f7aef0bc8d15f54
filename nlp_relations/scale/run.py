"""extract_to_parquet: one code path from a laptop (``engine="local"``) to a Dask cluster.

The input is cut into partitions of ``partition_size`` documents. Each partition goes through
:func:`run_partition`, in this process or on a Dask worker that holds the pipeline, and is
written as its own part files (:mod:`nlp_relations.scale.parquet`); the manifest is written
last. The results are those of :func:`nlp_relations.extract_many` over the same input, in the
same order, whatever the engine, partition size or number of workers.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from nlp_relations.errors import Errors, InputError, NlpRelationsError
from nlp_relations.inputs import DEFAULT_MAX_CHARS
from nlp_relations.scale import parquet
from nlp_relations.schemas import DocResult

__all__ = ["ENGINES", "extract_pairs", "extract_to_parquet", "failed_partition", "partitions",
           "run_partition"]

ENGINES = ("local", "dask")
DEFAULT_PARTITION_SIZE = 256

Pair = tuple[int, Any]  # (position in the input, item)


def extract_to_parquet(
    inputs: Iterable[Any],
    out_dir: str | os.PathLike,
    *,
    engine: str = "local",
    scheduler: Any = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    batch_size: int = 32,
    n_process: int = 1,
    nlp: Any = None,
    pipeline: str | os.PathLike | None = None,
    model: bool = True,
    extra_actors: Any = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    append: bool = False,
    max_in_flight: int | None = None,
) -> dict:
    """Extract every document of ``inputs`` into Parquet part files under ``out_dir``.

    Args:
        inputs: what :func:`nlp_relations.extract_many` takes (a text, ``(text, doc_id)`` or
            ``(text, doc_id, doc_date)`` per item), read lazily; a ``DocResult`` item (a read
            error made earlier) is written as it is.
        out_dir: the folder to write (created).
        engine: ``"local"`` (this process; no extra needed beyond pyarrow) or ``"dask"``.
        scheduler: for Dask, a scheduler address (``"tcp://host:8786"``), a
            ``distributed.Client``, or None for the current client or else a local cluster.
        partition_size: documents per partition (one part file of each table per partition).
        batch_size: documents per ``nlp.pipe`` batch (each batch in ``nlp.memory_zone()``).
        n_process: local engine only: worker processes for ``extract_many``.
        nlp: local engine only: a loaded pipeline (default ``load(model=..., extra_actors=...)``).
        pipeline: a saved pipeline folder (``nlp.to_disk``) the Dask workers ``spacy.load``
            instead of building it with ``load()``.
        model, extra_actors: how the workers (or this process) build the pipeline.
        max_chars: longer documents get E003.
        append: add a run to a folder that holds one already (E302 otherwise).
        max_in_flight: Dask: partitions submitted ahead (default twice the worker threads).

    Returns:
        The manifest (also written to ``out_dir/manifest.json``).

    Raises:
        InputError: E301 for an unknown engine, E305 for a bad partition size.
        NlpRelationsError: E302 when ``out_dir`` holds a run and ``append`` is False; E300
            when pyarrow (or, for Dask, dask and distributed) is not installed.

    Example:
        >>> extract_to_parquet([("NATO condemned North Korea.", "d1")], "parts")  # doctest: +SKIP
    """
    if engine not in ENGINES:
        raise InputError("E301", Errors.E301.format(value=engine, options=", ".join(ENGINES)))
    if isinstance(partition_size, bool) or not isinstance(partition_size, int) \
            or partition_size < 1:
        raise InputError("E305", Errors.E305.format(value=partition_size))
    if isinstance(inputs, (str, bytes, bytearray)):
        raise InputError("E044", Errors.E044.format(type_name=type(inputs).__name__))
    parquet.schemas()  # E300 now, before any pipeline is loaded, when pyarrow is missing
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = None
    if (out_dir / parquet.MANIFEST).exists():
        if not append:
            raise NlpRelationsError(f"E302: {Errors.E302.format(path=out_dir)}")
        previous = parquet.read_manifest(out_dir)
    run_id = f"{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}"
    parts = partitions(inputs, partition_size)
    options = {"batch_size": batch_size, "max_chars": max_chars}
    started = time.time()
    if engine == "local":
        from nlp_relations.api import load

        nlp = nlp or load(model=model, extra_actors=extra_actors)
        entries = [run_partition(nlp, index, pairs, out_dir=out_dir, run_id=run_id,
                                 n_process=n_process, **options) for index, pairs in parts]
    else:
        from nlp_relations.scale.dask_engine import run_on_dask

        entries = run_on_dask(parts, out_dir=out_dir, run_id=run_id, scheduler=scheduler,
                              pipeline=pipeline, model=model, extra_actors=extra_actors,
                              max_in_flight=max_in_flight, **options)
    entries.sort(key=lambda e: e["partition"])
    run = {
        "run_id": run_id,
        "engine": engine,
        "started": started,
        "seconds": round(time.time() - started, 3),
        "partition_size": partition_size,
        "parts": entries,
        "rows": {t: sum(e["rows"][t] for e in entries) for t in parquet.TABLES},
    }
    manifest = previous or {"format": parquet.FORMAT, "runs": [],
                            "schemas": {name: str(schema).splitlines()
                                        for name, schema in parquet.schemas().items()}}
    manifest["runs"].append(run)
    parquet.write_manifest(out_dir, manifest)
    return manifest


def partitions(inputs: Iterable[Any], size: int) -> Iterator[tuple[int, list[Pair]]]:
    """``(partition index, [(position, item), ...])``, reading ``inputs`` lazily.

    A bare text gets the id ``extract_many`` would give it (``doc-<position>``), so ids do
    not depend on the partitioning.
    """
    if isinstance(inputs, (str, bytes, bytearray)):
        raise InputError("E044", Errors.E044.format(type_name=type(inputs).__name__))
    numbered = ((i, _named(i, item)) for i, item in enumerate(inputs))
    index = 0
    while True:
        chunk = list(islice(numbered, size))
        if not chunk:
            return
        yield index, chunk
        index += 1


def _named(position: int, item: Any) -> Any:
    if isinstance(item, (str, bytes, bytearray)):
        return (item, f"doc-{position}")
    return item


def _renumber(result: DocResult, item: Any, local: int, position: int) -> DocResult:
    """An error record made for a malformed item, numbered by its place in the whole input."""
    given_id = isinstance(item, tuple) and len(item) in (2, 3) and isinstance(item[1], str)
    if given_id or local == position or result.doc_id != f"doc-{local}":
        return result
    error = (result.error or "").replace(f"Item {local} ", f"Item {position} ")
    error = error.replace(f"'doc-{local}'", f"'doc-{position}'")
    return result.model_copy(update={"doc_id": f"doc-{position}", "error": error or None})


def _chunks(pairs: list, size: int) -> Iterator[list]:
    for start in range(0, len(pairs), size):
        yield pairs[start:start + size]


def extract_pairs(nlp: Any, pairs: list[Pair], *, batch_size: int, n_process: int,
                  max_chars: int) -> list[tuple[int, DocResult]]:
    """One result per pair, in order; DocResult items pass through."""
    from nlp_relations.api import extract_many

    todo = [(local, pair) for local, pair in enumerate(pairs)
            if not isinstance(pair[1], DocResult)]
    done: dict[int, DocResult] = {}

    def keep(calls: list[tuple[int, Pair]], results: Iterable[DocResult]) -> None:
        # extract_many numbers the items of each call from 0: renumber by input position.
        for k, ((local, (position, item)), result) in enumerate(zip(calls, results)):
            done[local] = _renumber(result, item, k, position)

    if n_process > 1:
        keep(todo, extract_many((item for _, (_, item) in todo), nlp=nlp, n_process=n_process,
                                batch_size=batch_size, max_chars=max_chars))
    else:
        for chunk in _chunks(todo, batch_size):
            # Strings interned while parsing a batch are freed when its zone ends, so a long
            # run's vocabulary does not grow; the results are plain pydantic objects.
            with nlp.memory_zone():
                keep(chunk, list(extract_many((item for _, (_, item) in chunk), nlp=nlp,
                                              batch_size=batch_size, max_chars=max_chars)))
    out = []
    for local, (position, item) in enumerate(pairs):
        out.append((position, item if isinstance(item, DocResult) else done[local]))
    return out


def failed_partition(pairs: list[Pair], err: BaseException | str) -> list[tuple[int, DocResult]]:
    """E304 error records for every document of a partition that could not be run."""
    out = []
    for position, item in pairs:
        if isinstance(item, DocResult):
            out.append((position, item))
            continue
        doc_id = item[1] if isinstance(item, tuple) and len(item) > 1 \
            and isinstance(item[1], str) else f"doc-{position}"
        date = item[2] if isinstance(item, tuple) and len(item) > 2 \
            and isinstance(item[2], str) else None
        message = Errors.E304.format(doc_id=doc_id, err=err if isinstance(err, str)
                                     else repr(err))
        out.append((position, DocResult(doc_id=doc_id, ok=False, doc_date=date,
                                        error=f"E304: {message}")))
    return out


def run_partition(nlp: Any, index: int, pairs: list[Pair], *, out_dir: str | os.PathLike,
                  run_id: str, batch_size: int = 32, n_process: int = 1,
                  max_chars: int = DEFAULT_MAX_CHARS) -> dict:
    """Extract one partition and write its part files; return its manifest entry.

    A partition whose extraction raises is written as E304 error records, never lost.
    """
    try:
        results = extract_pairs(nlp, pairs, batch_size=batch_size, n_process=n_process,
                           max_chars=max_chars)
    except Exception as err:  # extract_many guards each document; this is the last net
        results = failed_partition(pairs, err)
    return parquet.write_part(out_dir, results, run_id=run_id, partition=index)
