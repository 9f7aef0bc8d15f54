"""The span-dyad measure used on the ConfliBERT train split (evaluate/spans.py)."""

from __future__ import annotations

from nlp_relations.evaluate.spans import role_spans, span_dyads


def test_spans_role_spans_from_bio_tags():
    offsets = [(0, 4), (5, 14), (15, 20), (21, 26), (27, 28)]
    tags = ["B-S", "O", "B-T", "I-T", "O"]
    assert role_spans(tags, offsets) == [("S", 0, 4), ("T", 15, 26)]


def test_spans_found_and_missed(nlp):
    sentences = [
        ("NATO condemned North Korea .".split(), ["B-S", "O", "B-T", "I-T", "O"]),
        ("Japan visited the museum in Kenya .".split(),
         ["B-S", "O", "O", "O", "O", "B-T", "O"]),
        ("The weather was fine .".split(), ["O"] * 5),
    ]
    result = span_dyads(nlp, sentences)
    assert (result["linkable"], result["found"]) == (2, 1)
    assert [m["text"] for m in result["misses"]] == ["Japan visited the museum in Kenya."]
