"""A component that starts a sentence after every line break.

News text puts headlines, datelines and "READ ALSO" lines on lines of their own; the parser
would otherwise glue them to the next sentence. Runs before the parser, which keeps the
boundaries it is given.
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


class LineBreaks:
    """Mark the first token after a newline as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[:-1]:
            if "\n" in tok.text or "\n" in tok.whitespace_:
                nxt = doc[tok.i + 1]
                if not nxt.is_space:
                    nxt.is_sent_start = True
        return doc
