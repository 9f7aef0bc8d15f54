"""extract_many never hangs and never loses a document: bad items, failing components, dying
workers, early close and Ctrl-C, invisible characters."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import warnings

import pytest
from spacy.language import Language

import nlp_relations
from nlp_relations import InputError, NlpRelationsError
from nlp_relations.errors import ActorTakeoverWarning, ArgumentError
from nlp_relations.api import MODEL
from nlp_relations.inputs import clean_text

from .conftest import keys

GOOD = "NATO condemned North Korea's arms exports to Russia."
# The multiprocess checks run in a child process with a time limit: a hang fails the tests
# instead of stalling the suite.
CHILD_TIMEOUT_S = 240


@Language.component("nlp_relations_test_raiser")
def _raiser(doc):
    # Stands for a component without a guard of its own that fails on one kind of document.
    if "explode" in doc.text:
        raise ValueError("exploded")
    return doc


@Language.component("nlp_relations_test_sleeper")
def _sleeper(doc):
    # Stands for a pathological document: it never finishes within any budget.
    if "stall" in doc.text:
        time.sleep(60)
    return doc


def _codes(results) -> list[str | None]:
    return [r.error[:4] if r.error else None for r in results]


# --------------------------------------------------------------------------- bad items


BAD_ITEMS = [
    ((GOOD, None), "E009"),
    ((GOOD, 42), "E009"),
    ((GOOD, "dated", 20240713), "E040"),
    ((GOOD,), "E008"),
    ((GOOD, "long", "2024-07-13", "extra"), "E008"),
    ((), "E008"),
    ((b"\x00\x01\x02\x03binary\x00\x00\xff\xfe" * 20, "bin"), "E002"),
]


@pytest.mark.parametrize("item,code", BAD_ITEMS)
def test_robustness_bad_item_gets_a_record_in_its_place(nlp, item, code):
    items = [(GOOD, "before"), item, (GOOD, "after")]
    results = list(nlp_relations.extract_many(items, nlp=nlp, batch_size=3))
    assert len(results) == 3
    assert _codes(results) == [None, code, None]
    assert results[0].doc_id == "before" and results[2].doc_id == "after"
    assert ("NATO", "condemns", "PRK") in keys(results[2].triples)
    assert results[1].doc_id  # a str, even when the item gave none


def test_robustness_lone_surrogate_is_replaced_and_noted(nlp):
    result = list(nlp_relations.extract_many([("NATO condemned Russia \ud800.", "s")], nlp=nlp))[0]
    assert result.ok and ("NATO", "condemns", "RUS") in keys(result.triples)
    assert any("surrogate" in note for note in result.notes)
    result.model_dump_json()  # the record can be written out


def test_robustness_ids_and_dates_with_lone_surrogates_can_be_written(nlp):
    import os

    items = [(GOOD, "a\ud800b", "2024-07-13\udfff"), (GOOD, os.fsdecode(b"caf\xe9"))]
    results = list(nlp_relations.extract_many(items, nlp=nlp))
    assert [r.doc_id for r in results] == ["a\\ud800b", "caf\\xe9"]
    assert results[0].doc_date == "2024-07-13\\udfff"
    for result in results:
        assert result.ok
        result.model_dump_json()


@pytest.mark.parametrize("kwargs,code", [
    ({"batch_size": 0}, "E042"),
    ({"batch_size": -3}, "E042"),
    ({"batch_size": 2.5}, "E042"),
    ({"n_process": 0}, "E043"),
    ({"n_process": -1}, "E043"),
    ({"time_budget": 0}, "E051"),
    ({"time_budget": -1.5}, "E051"),
    ({"time_budget": "10"}, "E051"),
    ({"time_budget": float("inf")}, "E051"),
    ({"max_chars": 0}, "E053"),
    ({"nlp": "en_core_web_sm"}, "E053"),
])
def test_robustness_bad_options_raise_at_the_call(kwargs, code):
    with pytest.raises(InputError) as info:
        nlp_relations.extract_many([GOOD], **kwargs)  # no iteration: raised up front
    assert info.value.code == code


@pytest.mark.parametrize("texts", [GOOD, GOOD.encode()])
def test_robustness_a_single_text_is_not_a_stream_of_characters(texts):
    with pytest.raises(InputError) as info:
        nlp_relations.extract_many(texts)
    assert info.value.code == "E044"


# --------------------------------------------------------------------------- argument checks


@pytest.mark.parametrize("call", [
    lambda: nlp_relations.extract(GOOD, doc_id=7),
    lambda: nlp_relations.extract_doc(GOOD, doc_date=20240713),
    lambda: nlp_relations.extract_doc(GOOD, nlp="en_core_web_sm"),
    lambda: nlp_relations.extract_doc(GOOD, max_chars="many"),
    lambda: nlp_relations.extract_many(42),
    lambda: nlp_relations.load(extra_actors=3),
    lambda: nlp_relations.load(extra_actors=[None]),
    lambda: nlp_relations.load(base=""),
    lambda: nlp_relations.load(model="yes"),
    lambda: nlp_relations.resolve_actor(None),
    lambda: nlp_relations.resolve_actor("Russia", registry={}),
    lambda: nlp_relations.doc_to_result("NATO condemned Russia."),
    lambda: nlp_relations.doc_to_result(nlp_relations.load()("x"), notes="note"),
])
def test_robustness_wrong_arguments_raise_coded_errors(call):
    with pytest.raises(ArgumentError) as info:
        call()
    err = info.value
    assert err.code == "E053" and str(err).startswith("E053: ")
    # One class for callers who catch the library's errors, or the built-in kind.
    assert isinstance(err, NlpRelationsError) and isinstance(err, TypeError)


@pytest.mark.parametrize("text,code", [(None, "E006"), (3.5, "E006"), ("   ", "E001")])
def test_robustness_wrong_texts_raise_coded_input_errors(nlp, text, code):
    with pytest.raises(InputError) as info:
        nlp_relations.extract_doc(text, nlp=nlp)
    assert info.value.code == code


# --------------------------------------------------------------------------- time budget


def test_robustness_time_budget_turns_a_stall_into_a_record(nlp):
    nlp.add_pipe("nlp_relations_test_sleeper", last=True)
    try:
        items = [(GOOD, "a"), ("NATO said Russia would stall.", "b"), (GOOD, "c")]
        t = time.perf_counter()
        results = list(nlp_relations.extract_many(items, nlp=nlp, batch_size=3, time_budget=0.5))
        took = time.perf_counter() - t
    finally:
        nlp.remove_pipe("nlp_relations_test_sleeper")
    assert [r.doc_id for r in results] == ["a", "b", "c"]
    assert _codes(results) == [None, "E050", None]
    assert "0.5 s" in results[1].error
    assert ("NATO", "condemns", "PRK") in keys(results[2].triples)
    assert took < 10  # the batch's budget (1.5 s) plus the stalled document's own (0.5 s)


@pytest.mark.parametrize("budget", [1e308, 1e8, 5e-324])
def test_robustness_extreme_time_budgets_leave_no_timer_behind(nlp, budget):
    import signal

    results = list(nlp_relations.extract_many([GOOD, GOOD], nlp=nlp, time_budget=budget))
    assert len(results) == 2 and all(r.ok or r.error.startswith("E050") for r in results)
    # No handler or timer left over to disable the next run's budget (or to kill the process).
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_robustness_time_budget_does_not_change_results(nlp):
    texts = [GOOD, "Japan condemned Sergei Lavrov's visit to Pyongyang."]
    with_budget = list(nlp_relations.extract_many(texts, nlp=nlp, time_budget=60))
    without = list(nlp_relations.extract_many(texts, nlp=nlp, time_budget=None))
    assert [r.model_dump() for r in with_budget] == [r.model_dump() for r in without]


# --------------------------------------------------------------------------- extra actors


def test_robustness_extra_actors_taking_over_shipped_ones_are_reported(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(
        '{"id": "RUS", "name": "Mine", "kind": "state", "aliases": ["Russia"]}\n'
        '{"id": "ACME", "name": "Acme", "kind": "person", "aliases": ["NATO", "Acme"]}\n'
        '{"id": "NEWCO", "name": "Newco", "kind": "group", "aliases": ["Newco"]}\n',
        encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nlp_relations.load(extra_actors=path, model=False, cache=False)
    messages = [str(w.message) for w in caught if issubclass(w.category, ActorTakeoverWarning)]
    assert len(messages) == 2, messages
    assert all(m.startswith("E052: ") and str(path) in m for m in messages)
    assert "'RUS'" in messages[0] and "replaces the shipped actor" in messages[0]
    assert "'ACME'" in messages[1] and "'NATO' (NATO)" in messages[1]


# --------------------------------------------------------------------------- failing components


def test_robustness_component_raising_loses_only_its_document(nlp):
    nlp.add_pipe("nlp_relations_test_raiser", last=True)
    try:
        items = [(GOOD, "a"), ("NATO said Russia would explode.", "b"), (GOOD, "c")]
        results = list(nlp_relations.extract_many(items, nlp=nlp, batch_size=8))
    finally:
        nlp.remove_pipe("nlp_relations_test_raiser")
    assert [r.doc_id for r in results] == ["a", "b", "c"]
    assert _codes(results) == [None, "E045", None]
    assert "exploded" in results[1].error
    assert ("NATO", "condemns", "PRK") in keys(results[2].triples)


def test_robustness_relation_model_failure_is_recorded_on_the_doc(nlp, monkeypatch):
    component = nlp.get_pipe(MODEL)
    real_predict = component.predict

    def predict(docs):
        if any("Lavrov" in doc.text for doc in docs):
            raise RuntimeError("model broke")
        return real_predict(docs)

    monkeypatch.setattr(component, "predict", predict)
    texts = [GOOD, "Japan condemned Sergei Lavrov's visit to Pyongyang.", GOOD]
    results = list(nlp_relations.extract_many(texts, nlp=nlp, batch_size=3))
    assert _codes(results) == [None, "E041", None]
    assert "model broke" in results[1].error
    # The rules' triples of the failed document are kept; the batch's other documents are whole.
    assert ("JPN", "condemns", "RUS") in keys(results[1].triples)
    assert all(("NATO", "condemns", "PRK") in keys(r.triples) for r in (results[0], results[2]))
    doc = nlp("Sergei Lavrov met Wang Yi.")
    assert doc._.model_triples == [] and doc._.errors[0].startswith("E041")


# --------------------------------------------------------------------------- invisible characters


@pytest.mark.parametrize("text", [
    "NATO con\u200bdemned North Korea.",
    "\ufeffNATO condemned North Korea.",
    "NATO con\u200cdemned North\u200d Korea.",
    "\u200fNATO condemned \u200eNorth Korea\u202c.",
    "NATO con\u00addemned North Korea.",
    # A stray control or two (many would make the text look binary: E002).
    "NATO con\x00demned North Korea after the launch of yet another missile on\x07 Tuesday.",
    "NATO con-\ndemned North Korea.",
])
def test_robustness_invisible_characters_do_not_hide_a_triple(nlp, text):
    result = nlp_relations.extract_doc(text, "inv", nlp=nlp)
    assert result.ok and ("NATO", "condemns", "PRK") in keys(result.triples)
    assert any("offsets refer to the cleaned text" in note for note in result.notes)


@pytest.mark.parametrize("text,expected", [
    ("NATO condemned North Korea.", "NATO condemned North Korea."),
    ("pro-\nRussian forces", "pro-\nRussian forces"),
    ("the 2024-\n2025 budget", "the 2024-\n2025 budget"),
    ("Tabs\tand\nlines stay.", "Tabs\tand\nlines stay."),
    ("sanc-  \n  tions", "sanctions"),
    ("page\x0cbreak", "page\nbreak"),
])
def test_robustness_clean_text(text, expected):
    cleaned, notes = clean_text(text)
    assert cleaned == expected
    assert bool(notes) == (text != expected)


def test_robustness_only_invisible_characters_is_empty(nlp):
    result = list(nlp_relations.extract_many(["\u200b\ufeff\u200e"], nlp=nlp))[0]
    assert not result.ok and result.error.startswith("E001")


# --------------------------------------------------------------------------- worker processes

CHILD = r"""
import itertools, json, multiprocessing, os, signal, threading, time
import nlp_relations
import nlp_relations.api as api
from spacy.language import Language

REPRO = "NATO condemned Russia over the attack on the border. China criticized Japan."
GOOD = %(good)r
out = {}

@Language.component("nlp_relations_test_saboteur")
def saboteur(doc):
    if "explode" in doc.text:
        raise ValueError("exploded")
    if "vanish" in doc.text:
        os._exit(3)  # a worker killed mid-batch (a crash, the OOM killer)
    return doc

nlp = nlp_relations.load()

t = time.perf_counter()
stream = nlp_relations.extract_many([REPRO] * 400, n_process=2, batch_size=8)
got = list(itertools.islice(stream, 5))
del stream  # closed here, as in the one-line repro
out["repro"] = {"n": len(got), "ok": all(r.ok for r in got), "s": time.perf_counter() - t,
                "children": len(multiprocessing.active_children())}

texts = [GOOD, "Russian Foreign Minister Sergei Lavrov met Wang Yi in Beijing on Tuesday.",
         "", "Japan criticized China.", ("NATO condemned Russia.", None),
         "\ufeffNATO con\u200bdemned North Korea."]
runs = {}
for n_process in (1, 2):
    for batch_size in (1, 64):
        runs[f"{n_process}x{batch_size}"] = [
            r.model_dump(mode="json") for r in nlp_relations.extract_many(
                texts, nlp=nlp, n_process=n_process, batch_size=batch_size)]
out["same"] = all(run == runs["1x1"] for run in runs.values())
out["codes"] = [r["error"][:4] if r["error"] else None for r in runs["2x64"]]

t = time.perf_counter()
stream = nlp_relations.extract_many([REPRO] * 5000, nlp=nlp, n_process=2, batch_size=8)
for i, r in enumerate(stream):
    if i == 2:
        break
stream.close()
out["break"] = {"s": time.perf_counter() - t, "children": len(multiprocessing.active_children())}

nlp.add_pipe("nlp_relations_test_saboteur", last=True)
items = [(GOOD, f"g{i}") if i %% 5 else (f"NATO said Russia would {w}.", f"{w}{i}")
         for i in range(20) for w in [("explode", "vanish")[i // 5 %% 2]]]
t = time.perf_counter()
got = list(nlp_relations.extract_many(items, nlp=nlp, n_process=2, batch_size=4))
out["saboteur"] = {"ids": [r.doc_id for r in got], "want": [i for _, i in items],
                   "codes": [r.error[:4] if r.error else None for r in got],
                   "s": time.perf_counter() - t,
                   "children": len(multiprocessing.active_children())}
nlp.remove_pipe("nlp_relations_test_saboteur")

@Language.component("nlp_relations_test_staller")
def staller(doc):
    if "stall" in doc.text:
        time.sleep(60)  # stopped by the worker's own timer
    if "stuck" in doc.text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as if stuck in C code
        time.sleep(60)
    return doc

nlp.add_pipe("nlp_relations_test_staller", last=True)
items = [(GOOD, "g0"), ("NATO said Russia would stall.", "s1"), (GOOD, "g2"),
         ("NATO said Russia was stuck.", "k3"), (GOOD, "g4")]
t = time.perf_counter()
got = list(nlp_relations.extract_many(items, nlp=nlp, n_process=2, batch_size=2, time_budget=0.5))
out["budget"] = {"ids": [r.doc_id for r in got],
                 "codes": [r.error[:4] if r.error else None for r in got],
                 "s": time.perf_counter() - t,
                 "children": len(multiprocessing.active_children())}
nlp.remove_pipe("nlp_relations_test_staller")

parent = os.getpid()
real_allow = api._allow_length
def allow_in_parent_only(nlp_, max_chars):
    if os.getpid() != parent:
        raise MemoryError("no room for the pipeline")
    real_allow(nlp_, max_chars)
api._allow_length = allow_in_parent_only
got = list(nlp_relations.extract_many([GOOD] * 6, nlp=nlp, n_process=2, batch_size=2))
out["broken"] = {"n": len(got), "errors": sorted({r.error[:4] for r in got}),
                 "reason": got[0].error}
api._allow_length = real_allow

threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()
t = time.perf_counter()
try:
    for r in nlp_relations.extract_many([REPRO] * 100000, nlp=nlp, n_process=2, batch_size=8):
        pass
    out["interrupt"] = {"raised": False}
except KeyboardInterrupt:
    out["interrupt"] = {"raised": True, "s": time.perf_counter() - t,
                        "children": len(multiprocessing.active_children())}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def child_report() -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD % {"good": GOOD}], capture_output=True,
                          text=True, timeout=CHILD_TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_robustness_multiprocess_repro_returns(child_report):
    # Used to wait forever in spaCy's worker join.
    repro = child_report["repro"]
    assert repro["n"] == 5 and repro["ok"] and repro["children"] == 0


def test_robustness_results_do_not_depend_on_processes_or_batch_size(child_report):
    assert child_report["same"]
    assert child_report["codes"] == [None, None, "E001", None, "E009", None]


def test_robustness_early_break_stops_the_workers(child_report):
    assert child_report["break"]["children"] == 0


def test_robustness_worker_failures_become_records_in_order(child_report):
    report = child_report["saboteur"]
    assert report["ids"] == report["want"]
    want = [None if i.startswith("g") else ("E045" if i.startswith("explode") else "E046")
            for i in report["want"]]
    assert report["codes"] == want
    assert report["children"] == 0


def test_robustness_time_budget_with_workers(child_report):
    report = child_report["budget"]
    assert report["ids"] == ["g0", "s1", "g2", "k3", "g4"]
    assert report["codes"] == [None, "E050", None, "E050", None]
    assert report["s"] < 30 and report["children"] == 0


def test_robustness_workers_that_cannot_load_end_the_stream_with_records(child_report):
    report = child_report["broken"]
    assert report["n"] == 6 and report["errors"] == ["E047"]
    assert "no room for the pipeline" in report["reason"]


def test_robustness_ctrl_c_stops_the_workers(child_report):
    report = child_report["interrupt"]
    assert report["raised"] and report["children"] == 0
