"""The Dask engine: partitions run on distributed workers that each hold one pipeline.

A :class:`PipelinePlugin` (a ``distributed.WorkerPlugin``) loads the pipeline once on every
worker when it is registered, or when a worker joins later; each task looks it up and runs
:func:`nlp_relations.scale.run.run_partition`, which writes the partition's part files where
the worker can reach ``out_dir`` (a shared or network file system on a real cluster). Tasks
return only their manifest entry, never results, so nothing large travels back. A partition
whose task fails even after a retry (a worker killed twice) is written by the driver as E304
error records: a document may fail, a partition is never lost.

Importing this module needs ``distributed`` (the ``[scale]`` extra).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from nlp_relations.scale import parquet
from nlp_relations.scale._deps import require
from nlp_relations.scale.run import Pair, failed_partition, run_partition

distributed = require("distributed", feature="The Dask engine")
require("dask", feature="The Dask engine")

__all__ = ["PipelinePlugin", "run_on_dask"]

# spaCy's registries and the Doc extensions are process-wide: workers that share a process
# (processes=False) load their pipelines one at a time.
_LOAD_LOCK = threading.Lock()


class PipelinePlugin(distributed.WorkerPlugin):
    """Load the nlp_relations pipeline once per worker.

    Args:
        pipeline: a folder written by ``nlp.to_disk`` that workers ``spacy.load``; None builds
            the pipeline with ``nlp_relations.load(model=..., extra_actors=...)``.
        model, extra_actors: passed to ``load`` when ``pipeline`` is None.

    Each worker gets its own pipeline (``load(cache=False)``), also when several workers share
    one process, since one spaCy pipeline is not safe to run from two threads at once.
    The plugin is idempotent: registering the same configuration again (a second run on a
    long-lived cluster) keeps the pipelines already loaded.
    """

    idempotent = True

    def __init__(self, *, pipeline: str | os.PathLike | None = None, model: bool = True,
                 extra_actors: Any = None) -> None:
        if extra_actors is not None and not isinstance(extra_actors, (list, tuple)):
            extra_actors = [extra_actors]
        self.config = {
            "pipeline": str(pipeline) if pipeline else None,
            "model": bool(model),
            "extra_actors": [str(p) for p in extra_actors] if extra_actors else None,
        }
        digest = hashlib.sha1(json.dumps(self.config, sort_keys=True).encode()).hexdigest()
        self.name = f"nlp_relations-pipeline-{digest[:12]}"
        self._pipelines: dict[str, Any] = {}
        self.loads: Counter = Counter()

    def setup(self, worker) -> None:
        with _LOAD_LOCK:
            self._pipelines[worker.address] = self._load()
            self.loads[worker.address] += 1

    def teardown(self, worker) -> None:
        self._pipelines.pop(worker.address, None)

    def pipeline_for(self, worker) -> Any:
        """The pipeline this worker loaded."""
        return self._pipelines[worker.address]

    def _load(self) -> Any:
        if self.config["pipeline"]:
            import spacy

            from nlp_relations.pipeline import register_extensions

            register_extensions()
            return spacy.load(self.config["pipeline"])
        from nlp_relations.api import load

        return load(model=self.config["model"], extra_actors=self.config["extra_actors"],
                    cache=False)


def _partition_task(plugin_name: str, index: int, pairs: list[Pair], out_dir: str,
                    run_id: str, batch_size: int, max_chars: int) -> dict:
    worker = distributed.get_worker()
    nlp = worker.plugins[plugin_name].pipeline_for(worker)
    return run_partition(nlp, index, pairs, out_dir=out_dir, run_id=run_id,
                         batch_size=batch_size, max_chars=max_chars)


def _client(scheduler: Any):
    """A client for ``scheduler`` and a function that closes what was opened here."""
    if isinstance(scheduler, distributed.Client):
        return scheduler, lambda: None
    if scheduler is None:
        try:
            return distributed.get_client(), lambda: None
        except ValueError:
            cluster = distributed.LocalCluster(n_workers=os.cpu_count() or 1,
                                               threads_per_worker=1, dashboard_address=None)
            client = distributed.Client(cluster)

            def close() -> None:
                client.close()
                cluster.close()

            return client, close
    client = distributed.Client(scheduler)  # an address ("tcp://host:8786") or a cluster
    return client, client.close


def run_on_dask(parts: Iterable[tuple[int, list[Pair]]], *, out_dir, run_id: str,
                scheduler: Any = None, pipeline=None, model: bool = True, extra_actors=None,
                max_in_flight: int | None = None, batch_size: int = 32,
                max_chars: int) -> list[dict]:
    """Run every partition on the cluster; return their manifest entries.

    At most ``max_in_flight`` partitions (default: twice the worker threads) are submitted
    ahead of the results, so the input is read lazily and the driver's memory stays flat.
    """
    client, close = _client(scheduler)
    try:
        plugin = PipelinePlugin(pipeline=pipeline, model=model, extra_actors=extra_actors)
        client.register_plugin(plugin, name=plugin.name)
        width = max_in_flight or 2 * max(1, sum(client.nthreads().values()))
        pending: dict[Any, tuple[int, list[Pair]]] = {}
        done = distributed.as_completed()
        entries: list[dict] = []

        def collect(future) -> None:
            index, pairs = pending.pop(future)
            try:
                entries.append(future.result())
            except Exception as err:  # the task failed twice: its documents become errors
                entries.append(parquet.write_part(out_dir, failed_partition(pairs, err),
                                                  run_id=run_id, partition=index))
            future.release()

        for index, pairs in parts:
            future = client.submit(_partition_task, plugin.name, index, pairs, str(out_dir),
                                   run_id, batch_size, max_chars, retries=1, pure=False,
                                   key=f"nlp_relations-partition-{run_id}-{index}")
            pending[future] = (index, pairs)
            done.add(future)
            while len(pending) >= width:
                collect(next(done))
        for future in done:
            collect(future)
        return entries
    finally:
        close()
