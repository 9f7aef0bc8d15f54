"""Token attributes of a whole document read at once, for loops that test every token.

Reading ``tok.pos_`` or ``tok.lower_`` makes a ``Token`` and looks a string up, about a third
of a microsecond each; the rules and the linker test every token of every sentence, mostly to
find out that it is of no interest. ``Columns`` reads the attributes they test with one
``Doc.to_array`` call, so a loop can skip the tokens no rule reads and make ``Token`` objects
only for the others. The columns are hashes (``StringStore`` ids; POS values are spaCy symbols):
compare them with ``ids(words)``.
"""

from __future__ import annotations

from typing import Iterable

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, POS, TAG
from spacy.strings import get_string_id
from spacy.symbols import ADJ, AUX, NOUN, PRON, PROPN, VERB
from spacy.tokens import Doc

__all__ = ["Columns", "ids", "ADJ", "AUX", "NOUN", "PRON", "PROPN", "VERB"]


def ids(words: Iterable[str]) -> frozenset[int]:
    """The string-store ids of ``words``: what ``Columns`` holds for a token whose lower-case
    form (or tag, or dependency label) is one of them."""
    return frozenset(get_string_id(w) for w in words)


# Tag id -> whether the tag is a verb's (VB, VBD, ...); ids are the same in every vocab.
_VERB_TAGS: dict[int, bool] = {}
# Lemma id -> the lemma in lower case (``tok.lemma_.lower()``); emptied when it grows large.
_LEMMA_LOWER: dict[int, str] = {}
_LEMMA_CACHE_MAX = 200_000


class Columns:
    """Lower-case form, POS, tag, dependency label, lemma and whitespace flag of every token.

    Example:
        >>> cols = Columns(doc)
        >>> [i for i in range(len(doc)) if cols.pos[i] == VERB]
    """

    __slots__ = ("lower", "pos", "tag", "dep", "space", "lemma", "_strings")

    def __init__(self, doc: Doc):
        table = doc.to_array([LOWER, POS, TAG, DEP, IS_SPACE, LEMMA]).tolist() if len(doc) \
            else []
        self.lower = [row[0] for row in table]
        self.pos = [row[1] for row in table]
        self.tag = [row[2] for row in table]
        self.dep = [row[3] for row in table]
        self.space = [row[4] for row in table]
        self.lemma = [row[5] for row in table]
        self._strings = doc.vocab.strings

    def lemma_lower(self, i: int) -> str:
        """``doc[i].lemma_.lower()``."""
        lemma = self.lemma[i]
        found = _LEMMA_LOWER.get(lemma)
        if found is None:
            if len(_LEMMA_LOWER) >= _LEMMA_CACHE_MAX:
                _LEMMA_LOWER.clear()
            found = _LEMMA_LOWER[lemma] = self._strings[lemma].lower() if lemma else ""
        return found

    def verb_tag(self, i: int) -> bool:
        """``doc[i].tag_.startswith("VB")``."""
        tag = self.tag[i]
        found = _VERB_TAGS.get(tag)
        if found is None:
            found = _VERB_TAGS[tag] = self._strings[tag].startswith("VB") if tag else False
        return found

    def all_space(self, start: int, end: int) -> bool:
        """Whether every token of ``doc[start:end]`` is whitespace (its text strips to "")."""
        return all(self.space[start:end])
