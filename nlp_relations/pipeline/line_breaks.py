"""A component that starts a sentence after a line break, unless the line is hard-wrapped.

News text puts headlines, datelines and "READ ALSO" lines on lines of their own; the parser
would otherwise glue them to the next sentence. Statements are often hard-wrapped at ~70
characters, with breaks inside sentences ("most strongly denounces and rejects the\n
declaration issued by NATO"): a single line break whose next word starts in lower case, or
whose line ends with a comma or a function word, continues the sentence. Runs before the
parser, which keeps the boundaries it is given.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LineBreaks", "make_line_breaks"]


@Language.factory(
    "nlp_relations_line_breaks_v1",
    assigns=["token.is_sent_start"],
    requires=[],
    default_config={},
)
def make_line_breaks(nlp: Language, name: str) -> "LineBreaks":
    """Forward to ``LineBreaks``."""
    return LineBreaks()


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
    """Mark the first token after a newline as a sentence start, except in wrapped lines."""

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[:-1]:
            if tok.is_space and "\n" in tok.text:
                # A whitespace token holding the break: look at the words around it.
                nxt = doc[tok.i + 1]
                prev = doc[tok.i - 1] if tok.i else None
                single = tok.text.count("\n") == 1
            elif "\n" in tok.whitespace_:
                nxt, prev, single = doc[tok.i + 1], tok, tok.whitespace_.count("\n") == 1
            else:
                continue
            if nxt.is_space:
                continue
            if single and prev is not None and is_wrapped(prev.text, nxt.text):
                nxt.is_sent_start = False
                continue
            nxt.is_sent_start = True
        return doc
