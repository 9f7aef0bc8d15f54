"""The Dask engine on a LocalCluster of two workers gives what extract_many gives."""

from __future__ import annotations

import pytest

from nlp_relations.scale import extract_to_parquet, read_results

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    # Two in-process workers of one thread each: fast to start on a 2-core machine, and each
    # still loads its own pipeline through the plugin.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def _loads(client) -> dict:
    def count(dask_worker):
        return {name: dict(plugin.loads) for name, plugin in dask_worker.plugins.items()
                if name.startswith("nlp_relations-pipeline-")}

    return client.run(count)


def test_dask_local_cluster_equals_extract_many(client, sample_items, reference, tmp_path):
    manifest = extract_to_parquet(sample_items, tmp_path / "a", engine="dask", scheduler=client,
                                  partition_size=2, batch_size=2)
    assert list(read_results(tmp_path / "a")) == reference
    assert manifest["runs"][0]["engine"] == "dask" and len(manifest["runs"][0]["parts"]) == 5
    # A second run on the same cluster reuses the pipelines: still one load per worker.
    extract_to_parquet(sample_items[:3], tmp_path / "b", engine="dask", scheduler=client,
                       partition_size=1)
    assert [r.doc_id for r in read_results(tmp_path / "b")] == [r.doc_id for r in reference[:3]]
    loads = _loads(client)
    assert len(loads) == 2
    for address, plugins in loads.items():
        assert len(plugins) == 1
        assert list(plugins.values())[0] == {address: 1}
