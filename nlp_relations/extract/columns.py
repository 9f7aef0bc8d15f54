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

import numpy

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, POS, TAG
from spacy.strings import get_string_id
from spacy.symbols import ADJ, AUX, NOUN, PRON, PROPN, VERB
from spacy.tokens import Doc

__all__ = ["Columns", "ids", "get_string_id", "ADJ", "AUX", "NOUN", "PRON", "PROPN", "VERB"]


def _remember(cache: dict[int, str], key: int, strings, *, lower: bool) -> str:
    """The string of ``key`` (lower-cased with ``lower``; "" for 0), kept in ``cache``, which
    is emptied when it grows large."""
    if len(cache) >= _LEMMA_CACHE_MAX:
        cache.clear()
    text = strings[key] if key else ""
    found = cache[key] = text.lower() if lower else text
    return found


def ids(words: Iterable[str]) -> frozenset[int]:
    """The string-store ids of ``words``: what ``Columns`` holds for a token whose lower-case
    form (or tag, or dependency label) is one of them (one word: ``get_string_id``)."""
    return frozenset(get_string_id(w) for w in words)


# Tag id -> whether the tag is a verb's (VB, VBD, ...); ids are the same in every vocab.
_VERB_TAGS: dict[int, bool] = {}
# The ids in _VERB_TAGS that are a verb's.
_VERB_TAG_IDS: list[int] = []
# Lemma id -> the lemma in lower case (``tok.lemma_.lower()``); emptied when it grows large.
_LEMMA_LOWER: dict[int, str] = {}
_LEMMA_CACHE_MAX = 200_000
# Lower-case form id -> the form (``tok.lower_``); emptied when it grows large.
_LOWER_TEXT: dict[int, str] = {}


class Columns:
    """Lower-case form, POS, tag, dependency label, lemma and whitespace flag of every token.

    Example:
        >>> cols = Columns(doc)
        >>> [i for i in range(len(doc)) if cols.pos[i] == VERB]
    """

    __slots__ = ("lower", "pos", "tag", "dep", "space", "lemma", "array", "_strings")

    def __init__(self, doc: Doc):
        self.array = doc.to_array([LOWER, POS, TAG, DEP, IS_SPACE, LEMMA]).reshape((len(doc), 6))
        # One list per attribute (plain ints: indexing a list is faster than an array).
        self.lower, self.pos, self.tag, self.dep, self.space, self.lemma = self.array.T.tolist()
        self._strings = doc.vocab.strings

    def lemma_lower(self, i: int) -> str:
        """``doc[i].lemma_.lower()``."""
        found = _LEMMA_LOWER.get(self.lemma[i])
        return found if found is not None else _remember(_LEMMA_LOWER, self.lemma[i],
                                                         self._strings, lower=True)

    def lower_text(self, i: int) -> str:
        """``doc[i].lower_``."""
        found = _LOWER_TEXT.get(self.lower[i])
        return found if found is not None else _remember(_LOWER_TEXT, self.lower[i],
                                                         self._strings, lower=False)

    def verb_tags(self) -> numpy.ndarray:
        """``tok.tag_.startswith("VB")`` of every token, as a boolean array."""
        for tag in set(self.tag).difference(_VERB_TAGS):
            if self._verb_tag(tag):
                _VERB_TAG_IDS.append(tag)
        tags = self.array[:, 2]
        mask = numpy.zeros(len(tags), dtype=bool)
        for tag in _VERB_TAG_IDS:  # a tagger has a handful (VB, VBD, VBG, ...)
            mask |= tags == tag
        return mask

    def _verb_tag(self, tag: int) -> bool:
        found = _VERB_TAGS.get(tag)
        if found is None:
            found = _VERB_TAGS[tag] = self._strings[tag].startswith("VB") if tag else False
        return found

    def all_space(self, start: int, end: int) -> bool:
        """Whether every token of ``doc[start:end]`` is whitespace (its text strips to "")."""
        return all(self.space[start:end])
