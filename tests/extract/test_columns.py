"""Columns: the token attributes the rules and the linker test, read for a whole document at once,
must say exactly what the Token attributes they replace say."""

from __future__ import annotations

import pytest
import spacy

from nlp_relations.api import BASE_MODEL
from nlp_relations.extract.columns import AUX, NOUN, PRON, PROPN, VERB, Columns, ids

TEXT = ("NATO leaders condemned North Korea on Tuesday.  \n\n \"We will respond,\" the "
        "Foreign Ministry said, calling the drills a provocation. Russia's exports rose. "
        "They said it was unacceptable; Pyongyang denounces the U.S.-ROK alliance.")


@pytest.fixture(scope="module")
def doc():
    return spacy.load(BASE_MODEL)(TEXT)


def test_columns_agree_with_token_attributes(doc):
    cols = Columns(doc)
    strings = doc.vocab.strings
    verb_tags = cols.verb_tags()
    for tok in doc:
        i = tok.i
        assert strings[cols.lower[i]] == tok.lower_
        assert strings[cols.tag[i]] == tok.tag_
        assert strings[cols.dep[i]] == tok.dep_
        assert cols.pos[i] == tok.pos
        assert bool(cols.space[i]) == tok.is_space
        assert cols.lemma_lower(i) == tok.lemma_.lower()
        assert cols.lower_text(i) == tok.lower_
        assert verb_tags[i] == tok.tag_.startswith("VB")
    # The POS symbols the loops compare with are spaCy's.
    assert {VERB, AUX, NOUN, PROPN, PRON} == {spacy.symbols.VERB, spacy.symbols.AUX,
                                              spacy.symbols.NOUN, spacy.symbols.PROPN,
                                              spacy.symbols.PRON}


def test_columns_whitespace_runs_and_word_ids(doc):
    cols = Columns(doc)
    for sent in doc.sents:
        assert cols.all_space(sent.start, sent.end) == (not sent.text.strip())
    spaces = [t.i for t in doc if t.is_space]
    assert spaces and cols.all_space(spaces[0], spaces[0] + 1)
    we = next(t for t in doc if t.lower_ == "we")
    assert cols.lower[we.i] in ids(["we", "our"]) and cols.lower[we.i] not in ids(["We"])


def test_columns_of_an_empty_doc():
    doc = spacy.blank("en")("")
    cols = Columns(doc)
    assert cols.lower == [] and cols.lemma == [] and cols.all_space(0, 0)
    assert len(cols.verb_tags()) == 0
