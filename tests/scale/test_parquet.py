"""extract_to_parquet with the local engine: schemas, part names, manifest, round trip."""

from __future__ import annotations

import json

import pytest

from nlp_relations.errors import InputError, NlpRelationsError
from nlp_relations.scale import extract_to_parquet, read_results
from nlp_relations.scale import parquet
from nlp_relations.scale._deps import MissingExtraError, require
from nlp_relations.scale.run import run_partition

pq = pytest.importorskip("pyarrow.parquet")


def test_parquet_local_round_trip_equals_extract_many(nlp, sample_items, reference, tmp_path):
    manifest = extract_to_parquet(sample_items, tmp_path, nlp=nlp, partition_size=3,
                                  batch_size=2)
    got = list(read_results(tmp_path))
    assert got == reference
    assert sum(len(r.triples) for r in got) > 10 and sum(not r.ok for r in got) == 3
    run = manifest["runs"][0]
    assert len(run["parts"]) == 3  # 9 items in partitions of 3
    assert run["rows"] == {"documents": 9, "evidence": sum(len(r.triples) for r in reference),
                           "errors": 3}
    on_disk = json.loads((tmp_path / parquet.MANIFEST).read_text())
    assert on_disk["runs"][0]["run_id"] == run["run_id"]


def test_parquet_parts_have_one_fixed_schema(nlp, sample_items, tmp_path):
    extract_to_parquet(sample_items, tmp_path, nlp=nlp, partition_size=4, batch_size=4)
    schemas = parquet.schemas()
    names = set()
    for table, expected in schemas.items():
        files = sorted((tmp_path / table).glob("*.parquet"))
        assert len(files) == 3
        for path in files:
            # Empty parts (a partition without errors) have the very same schema.
            assert pq.read_schema(path).equals(expected, check_metadata=False)
            names.add(path.name)
    assert len(names) == 3  # one name per partition, shared by its three tables
    assert not list(tmp_path.rglob(".*.tmp"))  # no temporary part left behind


def test_parquet_second_run_needs_append_and_gets_new_part_names(nlp, tmp_path):
    items = [("NATO condemned North Korea.", "a")]
    extract_to_parquet(items, tmp_path, nlp=nlp)
    with pytest.raises(NlpRelationsError, match="E302"):
        extract_to_parquet(items, tmp_path, nlp=nlp)
    manifest = extract_to_parquet([("Russia praised China.", "b")], tmp_path, nlp=nlp,
                                  append=True)
    assert len(manifest["runs"]) == 2
    assert len(list((tmp_path / "documents").glob("*.parquet"))) == 2
    assert [r.doc_id for r in read_results(tmp_path)] == ["a", "b"]


def test_parquet_bad_options_are_coded_errors(tmp_path):
    with pytest.raises(InputError, match="E301"):
        extract_to_parquet([], tmp_path, engine="spark")
    with pytest.raises(InputError, match="E305"):
        extract_to_parquet([], tmp_path, partition_size=0)
    with pytest.raises(NlpRelationsError, match="E303"):
        list(read_results(tmp_path))


class _BrokenPipeline:
    def memory_zone(self):
        raise RuntimeError("out of memory")


def test_parquet_failed_partition_is_error_records(tmp_path):
    pairs = [(7, ("NATO condemned North Korea.", "a", "2024-01-02")), (8, "just text")]
    entry = run_partition(_BrokenPipeline(), 2, pairs, out_dir=tmp_path, run_id="r1")
    assert entry["rows"] == {"documents": 2, "evidence": 0, "errors": 2}
    rows = pq.read_table(tmp_path / entry["files"]["errors"]).to_pylist()
    assert [(r["position"], r["doc_id"], r["code"]) for r in rows] == [
        (7, "a", "E304"), (8, "doc-8", "E304")]
    assert "out of memory" in rows[0]["error"] and rows[0]["doc_date"] == "2024-01-02"


def test_missing_extra_names_the_install_command():
    with pytest.raises(MissingExtraError, match=r"E300.*pip install 'nlp_relations\[scale\]'"):
        require("nlp_relations_no_such_module", feature="Parquet output")


def test_extract_to_parquet_is_exported_lazily():
    import nlp_relations

    assert "extract_to_parquet" in nlp_relations.__all__
    assert nlp_relations.extract_to_parquet.__module__ == "nlp_relations.scale.run"


def test_parquet_ids_and_messages_do_not_depend_on_partitions(nlp, tmp_path):
    import nlp_relations

    # Given ids that look automatic, bare texts and malformed items across partitions.
    items = [("NATO condemned North Korea.", "doc-2"), "Russia praised China.", ("x", 5),
             None, ("Iran met Iraq.", "doc-0"), (b"\x00\x01", 7, None)]
    extract_to_parquet(items, tmp_path, nlp=nlp, partition_size=2, batch_size=1)
    got = list(read_results(tmp_path))
    assert got == list(nlp_relations.extract_many(items, nlp=nlp))
    assert [r.doc_id for r in got] == ["doc-2", "doc-1", "doc-2", "doc-3", "doc-0", "doc-5"]
