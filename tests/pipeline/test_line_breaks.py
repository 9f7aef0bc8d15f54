"""The line-break component's shortcut: the run-on loop is skipped only where it cuts nothing."""

from __future__ import annotations

import random

import pytest
import spacy

from nlp_relations.pipeline import line_breaks
from nlp_relations.pipeline.line_breaks import LineBreaks

WORDS = ["NATO", "condemned", "Russia", "and", ",", "the", "\n", "\n\n", "said", ".", "!", "...",
         "…", "or", "but", ";", ":", "Japan", "of", "?!", "x", "  "]


_BLANK = spacy.blank("en")  # one tokenizer for every case: making one per text costs ~0.1 s


def _starts(text: str, limit: int) -> list[int]:
    doc = _BLANK(text)
    LineBreaks(max_sentence_tokens=limit)(doc)
    return [t.i for t in doc if t.is_sent_start]


@pytest.mark.parametrize("words,cut", [(9, False), (10, True)])
def test_line_breaks_run_of_exactly_the_limit_is_not_cut(words, cut):
    # Nine words and a full stop: a run of ten tokens, within a limit of ten. With ten words
    # the full stop is the eleventh token of the run, and the loop cuts there.
    text = " ".join(["word"] * words) + ". " + " ".join(["word"] * 3) + "."
    doc = _BLANK(text)
    assert line_breaks._has_long_run(doc, doc.to_array(["SENT_START"]).astype("int64"), 10) is cut
    assert (_starts(text, 10) != [0]) is cut


def test_line_breaks_shortcut_gives_what_the_loop_gives(monkeypatch):
    """On random texts (run-ons, line breaks, end marks), skipping the loop where
    ``_has_long_run`` says so gives the starts of always running it."""
    rng = random.Random(14)
    texts = ["NATO condemned North Korea and " * 80, "a, " * 400]
    texts += [" ".join(rng.choice(WORDS) for _ in range(rng.choice([5, 40, 120, 300])))
              for _ in range(300)]
    limits = (10, 25, 250)
    fast = [_starts(text, limit) for text in texts for limit in limits]
    monkeypatch.setattr(line_breaks, "_has_long_run", lambda doc, marks, limit: True)
    slow = [_starts(text, limit) for text in texts for limit in limits]
    assert fast == slow
    assert sum(a != [0] for a in slow) > 100  # many texts were cut
