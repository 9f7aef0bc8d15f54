"""Convert the training data into DocBins: our dev corpus and ConfliBERT's CAMEO sentences.

Both sources run through the base pipeline (parser, actor linker), so the docs carry
``doc._.actors`` exactly as at prediction time. Labels go to ``doc._.relation_gold``::

    {"pairs": [[subject_id, object_id, [allowed labels]], ...], "default": "none" | None}

A candidate pair that is not listed gets ``default`` (``None``: no label, no loss).

* ``data/corpus/relations_dev.jsonl`` (MIT): every gold (s, o) pair allows its gold
  predicate(s) (symmetric ones in both directions); every other pair is ``none``.
* ``cameo_ner_train.txt`` (GPL-3.0, read from ../shared/datasets at run time, never copied into
  the package): a pair whose subject lies in a source span and object in a target span (or both
  in reciprocal spans) is *related*: it allows every predicate of the sentence's five-way
  CAMEO class when the sentence is found in ``cameo_class_train.tsv``, and every predicate
  otherwise. These are weak labels: they say that a relation holds and roughly of which kind,
  not which predicate. Target->source and same-role pairs are ``none``; pairs with an actor
  outside every span are left unlabelled. An actor takes the role of the spans it is named in,
  whatever it is also named outside them ("Sweden said it had fined Iran over a case in
  Sweden"); an actor inside both source and target spans is left unlabelled.

The test split (relations_test.jsonl) is never read here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..extract.rules import load_predicates, symmetric_predicates
from ..pipeline.extensions import register_extensions
from ..pipeline.relation_model import GOLD_ATTR, NONE
from ..resources import CHECKOUT_DIR, SHARED_DATASETS, require

__all__ = [
    "CAMEO_DIR",
    "DEV_CORPUS",
    "LABELS_VERSION",
    "cameo_class",
    "class_predicates",
    "convert",
    "detokenize",
    "read_cameo_class",
    "read_cameo_ner",
    "read_docbin",
]

# Training reads the source checkout: the corpora are not shipped in the wheel, and
# ../shared/datasets sits next to the repository (this checkout: /work/main -> /work/shared).
DEV_CORPUS = CHECKOUT_DIR / "data" / "corpus" / "relations_dev.jsonl"
CAMEO_DIR = SHARED_DATASETS / "conflibert-cameo"
CLASS_NAMES = ("statement", "verbal_cooperation", "material_cooperation", "verbal_conflict",
               "material_conflict")
# Tokens written without a space before them ("Kiev ,", "Powell 's", "do n't") ...
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", "%", ")", "]", "}", "'s", "'S", "n't", "'re",
                    "'ve", "'ll", "'d", "'m", "''", "'"}
# ... and without a space after them.
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


# Bumped whenever the labelling of the converted DocBins changes: ``train`` converts again when
# the stats.json of its data folder records another version.
LABELS_VERSION = 2


def cameo_class(code: str) -> int:
    """The five-way CAMEO ("PentaClass") class of a CAMEO code: 0 statement ... 4 material conflict.

    Example:
        >>> cameo_class("111"), cameo_class("190")
        (3, 4)
    """
    root = int(code[:2])
    if root <= 2:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13 or root == 16:
        return 3
    return 4


def class_predicates(predicates: dict[str, dict[str, str]] | None = None) -> dict[int, list[str]]:
    """Five-way class -> the predicates of data/lexicons/predicates.tsv whose CAMEO code is in it."""
    table = predicates or load_predicates()
    out: dict[int, list[str]] = {c: [] for c in range(5)}
    for name, info in table.items():
        out[cameo_class(info["cameo"])].append(name)
    return out


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join CoNLL tokens into text with ordinary spacing; return the text and token offsets."""
    parts: list[str] = []
    offsets = []
    pos = 0
    for i, tok in enumerate(tokens):
        if i and tok not in _NO_SPACE_BEFORE and tokens[i - 1] not in _NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
    return "".join(parts), offsets


def read_cameo_ner(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a CoNLL ``token TAG`` file as (tokens, BIO tags)."""
    sentences, tokens, tags = [], [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        tok, tag = line.rsplit(" ", 1)
        tokens.append(tok)
        tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def read_cameo_class(path: str | Path) -> list[tuple[str, int]]:
    """(sentence, class 0-4) rows of a ``cameo_class_*.tsv`` file."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.rstrip("\r")
        if line.strip():
            text, label = line.rsplit("\t", 1)
            rows.append((text, int(label)))
    return rows


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, role) token spans of BIO tags."""
    spans = []
    for i, tag in enumerate(tags):
        if tag.startswith("B-") or (tag.startswith("I-") and (not spans or spans[-1][1] != i
                                                              or spans[-1][2] != tag[2:])):
            spans.append([i, i + 1, tag[2:]])
        elif tag.startswith("I-"):
            spans[-1][1] = i + 1
    return [tuple(s) for s in spans]


def _actor_roles(doc: Doc, offsets: list[tuple[int, int]],
                 spans: list[tuple[int, int, str]]) -> dict[str, set[str]]:
    """Actor id -> the roles (S, T, R, or O outside every span) of its mentions."""
    roles: dict[str, set[str]] = {}
    for m in doc._.actors or []:
        role = "O"
        for start, end, tag in spans:
            lo, hi = offsets[start][0], offsets[end - 1][1]
            if lo <= m["start_char"] and m["end_char"] <= hi:
                role = tag
                break
        roles.setdefault(m["actor"], set()).add(role)
    return roles


def conflibert_gold(doc: Doc, offsets, spans, allowed: list[str]) -> dict:
    """Weak pair labels of one ConfliBERT sentence (see the module docstring)."""
    roles = {}
    for a, r in _actor_roles(doc, offsets, spans).items():
        # An actor named in spans of one role keeps it when it is also named (or referred to:
        # "it", "the country") outside every span; in spans of two roles it is left out.
        inside = r - {"O"}
        if len(inside) == 1 or r == {"O"}:
            roles[a] = next(iter(inside or r))
    pairs = []
    for a, ra in roles.items():
        for b, rb in roles.items():
            if a == b or "O" in (ra, rb):
                continue
            related = (ra, rb) == ("S", "T") or (ra, rb) == ("R", "R")
            pairs.append([a, b, list(allowed) if related else [NONE]])
    return {"pairs": pairs, "default": None}


def dev_gold(triples: Iterable[dict], symmetric: set[str]) -> dict:
    """Pair labels of one annotated sentence: its gold predicates, ``none`` elsewhere."""
    labels: dict[tuple[str, str], list[str]] = {}
    for t in triples:
        if not t["object"]:
            continue
        ends = [(t["subject"], t["object"])]
        if t["predicate"] in symmetric:
            ends.append((t["object"], t["subject"]))
        for key in ends:
            labels.setdefault(key, [])
            if t["predicate"] not in labels[key]:
                labels[key].append(t["predicate"])
    return {"pairs": [[s, o, p] for (s, o), p in labels.items()], "default": NONE}


def _dev_docs(nlp: Language, path: Path) -> Iterator[Doc]:
    table = load_predicates()
    symmetric = symmetric_predicates(table)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    for rec, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        doc._.set(GOLD_ATTR, dev_gold(rec["triples"], symmetric))
        doc._.doc_id = rec["id"]
        yield doc


def _conflibert_docs(nlp: Language, ner_path: Path, class_path: Path | None,
                     stats: Counter) -> Iterator[Doc]:
    classes = {_norm(t): c for t, c in read_cameo_class(class_path)} if class_path else {}
    by_class = class_predicates()
    every = [p for c in sorted(by_class) for p in by_class[c]]
    sentences = read_cameo_ner(ner_path)
    texts = [detokenize(tokens) for tokens, _ in sentences]
    for i, ((tokens, tags), (text, offsets), doc) in enumerate(
            zip(sentences, texts, nlp.pipe(t for t, _ in texts))):
        cls = classes.get(_norm("".join(tokens)))
        stats["class_aligned" if cls is not None else "class_missing"] += 1
        gold = conflibert_gold(doc, offsets, spans_of(tags),
                               by_class[cls] if cls is not None else every)
        stats["related_pairs"] += sum(NONE not in p[2] for p in gold["pairs"])
        stats["none_pairs"] += sum(NONE in p[2] for p in gold["pairs"])
        doc._.set(GOLD_ATTR, gold)
        doc._.doc_id = f"cameo-train-{i}"
        yield doc


def convert(output: str | Path, *, nlp: Language | None = None, dev: Path = DEV_CORPUS,
            cameo_dir: Path = CAMEO_DIR) -> dict:
    """Write ``dev.spacy`` and ``cameo_train.spacy`` (DocBins with user data) into ``output``.

    Returns:
        Counts of what was written (also saved as ``stats.json``).
    """
    from ..api import load

    require(dev, "The annotated dev corpus")  # checkout-only: E401 in an installed package
    register_extensions()
    nlp = nlp or load(model=False)
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    stats: Counter = Counter()
    dev_bin = DocBin(store_user_data=True)
    for doc in _dev_docs(nlp, Path(dev)):
        dev_bin.add(doc)
        stats["dev_docs"] += 1
        stats["dev_related_pairs"] += sum(NONE not in p[2] for p in doc._.get(GOLD_ATTR)["pairs"])
    dev_bin.to_disk(output / "dev.spacy")
    ner = Path(cameo_dir) / "cameo_ner_train.txt"
    if not ner.exists():
        raise FileNotFoundError(
            f"ConfliBERT CAMEO data not found at {ner}; the training data lives in "
            "../shared/datasets/conflibert-cameo next to the repository (pass cameo_dir)."
        )
    cls = Path(cameo_dir) / "cameo_class_train.tsv"
    cameo_bin = DocBin(store_user_data=True)
    for doc in _conflibert_docs(nlp, ner, cls if cls.exists() else None, stats):
        cameo_bin.add(doc)
        stats["cameo_docs"] += 1
    cameo_bin.to_disk(output / "cameo_train.spacy")
    stats["labels_version"] = LABELS_VERSION
    (output / "stats.json").write_text(json.dumps(dict(stats), indent=2))
    return dict(stats)


def read_docbin(path: str | Path, nlp: Language) -> list[Doc]:
    """The docs of a DocBin written by ``convert`` (with their ``doc._`` data)."""
    register_extensions()
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))
