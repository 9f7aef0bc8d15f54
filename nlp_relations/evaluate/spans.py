"""How often the rules find the dyad of a news sentence whose actors are marked only as spans.

The ConfliBERT cameo_ner **train** split marks a source (S), a target (T) and reciprocal (R)
actor span per sentence, without actor ids. A sentence counts when the linker finds an actor
inside some S/R span and inside some T/R span (its dyad is linkable); it is found when a triple
of ``doc._.triples`` has its subject in one and its object in the other (either direction).
This is the measure the rules' breadth on news was grown against, so that the test split stays
unread::

    python -m nlp_relations.evaluate.spans [CONLL_FILE] [--misses FILE]

It prints the linkable sentences, the share found, and how many emitted triples join an S/R
span to a T/R span.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..training.corpus import CAMEO_DIR, detokenize, read_cameo_ner

__all__ = ["role_spans", "span_dyads"]


def role_spans(tags: list[str], offsets: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(role, start char, end char) of each BIO span of a tagged sentence."""
    out: list[list] = []
    for (start, end), tag in zip(offsets, tags):
        if tag.startswith("B-"):
            out.append([tag[2:], start, end])
        elif tag.startswith("I-") and out and out[-1][0] == tag[2:]:
            out[-1][2] = end
    return [tuple(x) for x in out]


def _inside(m: dict, spans) -> bool:
    return any(m["start_char"] < end and start < m["end_char"] for _, start, end in spans)


def span_dyads(nlp, sentences) -> dict:
    """The counts over (tokens, tags) sentences; ``misses`` lists the linkable ones not found."""
    texts, all_spans = [], []
    for tokens, tags in sentences:
        text, offsets = detokenize(tokens)
        texts.append(text)
        all_spans.append(role_spans(tags, offsets))
    linkable = found = emitted = joined = 0
    misses = []
    for text, spans, doc in zip(texts, all_spans, nlp.pipe(texts)):
        sources = [s for s in spans if s[0] in {"S", "R"}]
        targets = [s for s in spans if s[0] in {"T", "R"}]
        actors = doc._.actors or []
        if not (any(_inside(a, sources) for a in actors) and
                any(_inside(a, targets) for a in actors)):
            continue
        linkable += 1
        triples = [t for t in doc._.triples or [] if t.get("object")]
        good = [t for t in triples
                if _inside(t["subject"], sources) and _inside(t["object"], targets)
                or _inside(t["subject"], targets) and _inside(t["object"], sources)]
        found += bool(good)
        emitted += len(triples)
        joined += len(good)
        if not good:
            misses.append({"text": text, "triples": [
                (t["subject"]["actor"], t["predicate"], t["object"]["actor"]) for t in triples]})
    return {"linkable": linkable, "found": found,
            "share_found": round(found / linkable, 3) if linkable else None,
            "triples": emitted, "triples_joining_spans": joined, "misses": misses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", nargs="?", default=str(CAMEO_DIR / "cameo_ner_train.txt"))
    parser.add_argument("--misses", help="write the linkable sentences not found (JSON)")
    args = parser.parse_args(argv)
    path = Path(args.conll)
    if not path.exists():
        print(f"No ConfliBERT file at {path} (../shared is beside the repository).",
              file=sys.stderr)
        return 2
    import nlp_relations

    result = span_dyads(nlp_relations.load(), read_cameo_ner(path))
    print(f"linkable sentences {result['linkable']}, dyad found {result['found']} "
          f"({result['share_found']}); triples {result['triples']}, joining the spans "
          f"{result['triples_joining_spans']}")
    if args.misses:
        Path(args.misses).write_text(json.dumps(result["misses"], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
