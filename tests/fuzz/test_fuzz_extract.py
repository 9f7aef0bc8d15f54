"""extract, extract_doc and extract_many over hostile inputs: every input gets a result or a
coded error, nothing else is raised, nothing hangs, and the same input gives the same triples
across runs, with one or two processes and with batches of 1 or 64."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

import nlp_relations
from nlp_relations import DocResult, InputError, NlpRelationsError

from .conftest import TALLY, fuzz_settings
from .strategies import hostile_raw, hostile_texts, items

CODED = re.compile(r"^E\d{3}: ")


def _check_result(result: DocResult) -> None:
    assert isinstance(result, DocResult) and isinstance(result.doc_id, str)
    assert result.ok == (result.error is None) or result.error.startswith("E041")
    if result.error:
        assert CODED.match(result.error), result.error
    # Every record can be written out and read back as it is.
    assert DocResult.model_validate_json(result.model_dump_json()) == result


@fuzz_settings(scale=2)
@given(raw=hostile_raw())
def test_fuzz_extract_doc_gives_a_result_or_a_coded_error(nlp, raw):
    TALLY["inputs"] += 1
    try:
        result = nlp_relations.extract_doc(raw, "fuzz", nlp=nlp)
    except InputError as err:
        TALLY["coded_errors"] += 1
        assert CODED.match(str(err)) and err.code in {"E001", "E002", "E003", "E004", "E005",
                                                      "E006"}
        return
    TALLY["documents"] += 1
    _check_result(result)


@fuzz_settings()
@given(text=hostile_texts())
def test_fuzz_extract_gives_triples_or_a_coded_error(nlp, text):
    TALLY["inputs"] += 1
    try:
        triples = nlp_relations.extract(text, nlp=nlp)
    except NlpRelationsError as err:
        TALLY["coded_errors"] += 1
        assert CODED.match(str(err)), str(err)
        return
    TALLY["documents"] += 1
    assert all(t.evidence.doc_id == "doc" for t in triples)


def _expected_id(index: int, item) -> str:
    if isinstance(item, tuple) and len(item) in (2, 3) and isinstance(item[1], str):
        return item[1]
    return f"doc-{index}"


@fuzz_settings(scale=2)
@given(batch=st.lists(items(), max_size=8), batch_size=st.integers(1, 8))
def test_fuzz_extract_many_one_result_per_item_in_order(nlp, batch, batch_size):
    TALLY["inputs"] += len(batch)
    results = list(nlp_relations.extract_many(batch, nlp=nlp, batch_size=batch_size))
    TALLY["documents"] += len(batch)
    TALLY["documents_lost"] += max(0, len(batch) - len(results))
    assert len(results) == len(batch)
    for index, (item, result) in enumerate(zip(batch, results)):
        _check_result(result)
        given_id = _expected_id(index, item)
        assert result.doc_id == given_id or (given_id == "" and result.doc_id)


def _dumps(results) -> list[dict]:
    return [r.model_dump(mode="json") for r in results]


@fuzz_settings(scale=0.5)
@given(batch=st.lists(st.one_of(hostile_texts(), items()), min_size=1, max_size=10))
def test_fuzz_extract_many_same_results_with_processes_and_batch_sizes(nlp, batch):
    TALLY["inputs"] += len(batch)
    runs = {(n, b): _dumps(nlp_relations.extract_many(batch, nlp=nlp, n_process=n,
                                                      batch_size=b))
            for n, b in ((1, 1), (1, 64), (2, 2), (2, 64))}
    again = _dumps(nlp_relations.extract_many(batch, nlp=nlp, batch_size=64))
    TALLY["documents"] += len(batch)
    TALLY["documents_lost"] += sum(max(0, len(batch) - len(r)) for r in runs.values())
    first = runs[(1, 1)]
    assert len(first) == len(batch)
    for key, run in runs.items():
        assert run == first, f"n_process, batch_size = {key} differs from (1, 1)"
    assert again == first  # the same run twice
