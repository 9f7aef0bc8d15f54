"""A component that starts a sentence after a line break, unless the line is hard-wrapped.

News text puts headlines, datelines and "READ ALSO" lines on lines of their own; the parser
would otherwise glue them to the next sentence. Statements are often hard-wrapped at ~70
characters, with breaks inside sentences ("most strongly denounces and rejects the\n
declaration issued by NATO"): a single line break whose next word starts in lower case, or
whose line ends with a comma or a function word, continues the sentence. Runs before the
parser, which keeps the boundaries it is given.

A text that never ends a sentence ("NATO condemned North Korea and " repeated for pages) would
reach the parser and the rules as one sentence, and every step that looks across a sentence
would cost its length squared. ``max_sentence_tokens`` (default 250; 0 turns it off) starts a
new sentence once that many tokens have passed without a full stop, question or exclamation
mark or a line break, at the last comma, semicolon, colon or "and"/"or"/"but" of the final
quarter when there is one. Sentences of real prose stay far below it, so they are unchanged.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LineBreaks", "make_line_breaks", "MAX_SENTENCE_TOKENS"]

# Tokens after which a run-on text is cut into sentences (see the module docstring).
MAX_SENTENCE_TOKENS = 250
# Characters of a token that ends a sentence ("." "?!" "..." "…"): the count starts again.
SENTENCE_END_CHARS = frozenset(".!?…")
# Where a forced cut goes: after one of these, searched in the last quarter of the run.
SOFT_BREAKS = frozenset({",", ";", ":", "and", "or", "but"})


@Language.factory(
    "nlp_relations_line_breaks_v1",
    assigns=["token.is_sent_start"],
    requires=[],
    default_config={"max_sentence_tokens": MAX_SENTENCE_TOKENS},
)
def make_line_breaks(nlp: Language, name: str, max_sentence_tokens: int) -> "LineBreaks":
    """Forward to ``LineBreaks``."""
    return LineBreaks(max_sentence_tokens=max_sentence_tokens)


# Words a headline or a heading never ends with; a line ending in one is wrapped mid-sentence.
CONTINUING_WORDS = frozenset({
    "the", "a", "an", "of", "by", "and", "or", "but", "to", "in", "on", "with", "for", "that",
    "which", "who", "its", "their", "his", "her", "from", "at", "as", "into", "against", "than",
    "this", "these", "those", "is", "are", "was", "were", "be", "has", "have", "had", "will",
    "would", "not", "said", "about", "over", "under", "between", "our", "we", "it", "they",
})


def is_wrapped(prev: str, nxt: str) -> bool:
    """A single line break between ``prev`` (the last word of a line) and ``nxt`` (the first
    word of the next) that falls inside a sentence: "rejects the\ndeclaration"."""
    if nxt[:1].islower():
        return True
    return prev == "," or prev.lower() in CONTINUING_WORDS and prev[:1].islower()


class LineBreaks:
    """Mark the first token after a newline as a sentence start, except in wrapped lines;
    cut run-on text every ``max_sentence_tokens`` tokens (0: never)."""

    def __init__(self, *, max_sentence_tokens: int = MAX_SENTENCE_TOKENS) -> None:
        self.max_sentence_tokens = max_sentence_tokens

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        # Token.is_sent_start checks the whole Doc for a parse on every write, so one write
        # per line would cost the document's length each time: the marks are collected in an
        # array (1 start, -1 no start, 0 unknown) and written back once.
        marks = doc.to_array([SENT_START]).astype(numpy.int64)
        # A token's trailing whitespace is one space at most: a line break is a whitespace
        # token of its own, so only those are looked at.
        for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():
            tok = doc[i]
            if "\n" not in tok.text:
                continue
            # A whitespace token holding the break: look at the words around it.
            nxt = doc[i + 1]
            prev = doc[i - 1] if i else None
            single = tok.text.count("\n") == 1
            if nxt.is_space:
                continue
            if single and prev is not None and is_wrapped(prev.text, nxt.text):
                marks[nxt.i] = -1
                continue
            marks[nxt.i] = 1
        if self.max_sentence_tokens > 0:
            self._cut_run_ons(doc, marks)
        doc.from_array([SENT_START], marks.astype(numpy.uint64))
        return doc

    def _cut_run_ons(self, doc: Doc, marks: numpy.ndarray) -> None:
        """Start a sentence where ``max_sentence_tokens`` tokens passed without an end."""
        limit = self.max_sentence_tokens
        if not _has_long_run(doc, marks, limit):
            return
        start = 0  # first token of the current run
        for tok in doc:
            i = tok.i
            if marks[i] == 1:
                start = i
            elif i - start >= limit and not tok.is_space:
                # Cut after the last soft break of the final quarter, else here.
                cut = i
                for j in range(i, max(start + 1, i - limit // 4), -1):
                    if doc[j - 1].lower_ in SOFT_BREAKS and not doc[j].is_space:
                        cut = j
                        break
                marks[cut] = 1
                start = cut
                continue
            if tok.text and set(tok.text) <= SENTENCE_END_CHARS:
                start = i + 1


def _has_long_run(doc: Doc, marks: numpy.ndarray, limit: int) -> bool:
    """Whether some run of ``limit`` or more tokens has no sentence start or end (what
    ``_cut_run_ons`` cuts); on real prose there is none, and its token loop is skipped."""
    if len(doc) <= limit:
        return False
    # Where a run starts: a marked sentence start, and the token after an end mark. Tokens
    # of punctuation only hold the end marks, so only those texts are read.
    resets = set(numpy.flatnonzero(marks == 1).tolist())
    for i in numpy.flatnonzero(doc.to_array(IS_PUNCT)).tolist():
        text = doc[i].text
        if text and set(text) <= SENTENCE_END_CHARS:
            resets.add(i + 1)
    bounds = sorted(r for r in resets | {0, len(doc)} if r <= len(doc))
    return any(b - a > limit for a, b in zip(bounds, bounds[1:]))
