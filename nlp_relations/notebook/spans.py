"""Actors highlighted in the text with displaCy's span renderer."""

from __future__ import annotations

import warnings

from spacy import displacy
from spacy.tokens import Doc, Span

from nlp_relations.notebook.colors import actor_colors
from nlp_relations.notebook.html import HTMLView

__all__ = ["render_actors", "SPANS_KEY"]

SPANS_KEY = "actors"


def render_actors(doc: Doc, *, spans_key: str = SPANS_KEY, by_line: bool = True) -> HTMLView:
    """The document with every actor mention underlined and labelled with its actor id.

    Args:
        doc: a Doc processed by ``nlp_relations.load()`` (its ``doc.spans["actors"]``).
        by_line: render each non-empty line as its own block; displaCy's span style
            otherwise runs the whole document into one paragraph.
    """
    if spans_key not in doc.spans:
        raise KeyError(
            f"The Doc has no span group {spans_key!r}: process the text with "
            "nlp_relations.load() so the actor linker fills doc.spans[{spans_key!r}]."
        )
    labels = sorted({span.label_ for span in doc.spans[spans_key]})
    options = {"spans_key": spans_key, "colors": actor_colors(labels)}
    if not by_line:
        return HTMLView(displacy.render(doc, style="span", options=options, jupyter=False))
    blocks = []
    start = 0
    for token in doc:
        if "\n" in token.text or "\n" in token.whitespace_:
            end = token.i if "\n" in token.text else token.i + 1
            blocks.append(doc[start:end])
            start = token.i + 1
    blocks.append(doc[start:])
    html = []
    for block in blocks:
        if not block.text.strip():
            continue
        sub = block.as_doc()
        sub.spans[spans_key] = [
            Span(sub, s.start - block.start, s.end - block.start, label=s.label_)
            for s in doc.spans[spans_key]
            if s.start >= block.start and s.end <= block.end
        ]
        with warnings.catch_warnings():
            # W117 (no spans) is expected for the lines that mention no actor.
            warnings.filterwarnings("ignore", message=r"\[W117\]")
            html.append(displacy.render(sub, style="span", options=options, jupyter=False))
    return HTMLView("".join(html))
