"""Worst-case inputs finish and give results (structural checks; speed lives in benchmarks/)."""

from __future__ import annotations

import nlp_relations
from nlp_relations.extract.noise import find_noise, in_ranges


def test_scaling_run_on_text_of_100k_characters_gives_results(nlp):
    # No sentence end at all: read in sentences of at most 250 tokens, so it costs its length.
    text = "NATO condemned North Korea and " * 3300
    (result,) = nlp_relations.extract_many([text], nlp=nlp, max_chars=len(text) + 1)
    assert result.ok and len(text) > 100_000
    doc = nlp(text[:20_000])
    assert max(len(s) for s in doc.sents) <= 250
    assert {(t.subject.actor.id, t.predicate.value, t.object.actor.id) for t in result.triples} \
        == {("NATO", "condemns", "PRK")}
    assert len(result.triples) > 1000


def test_scaling_noise_ranges_merged_and_bisected():
    text = "SEOUL, July 13 (Yonhap) -- NATO met.\nBy Jane Doe\nREAD ALSO:\nA headline\nBody. (END)\n"
    ranges = find_noise(text)
    assert ranges == sorted(ranges)
    assert all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:]))  # no overlaps
    for start in range(len(text)):
        for end in (start, start + 1, start + 7):
            slow = any(start < r_end and r_start < end for r_start, r_end in ranges)
            assert in_ranges(start, end, ranges) == slow
