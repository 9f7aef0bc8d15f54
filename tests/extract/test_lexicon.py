"""One predicate vocabulary: the enum, data/lexicons/predicates.tsv and every list derived from
it agree, so a predicate cannot be added or renamed in one place only."""

from __future__ import annotations

from typing import get_args

import pytest

from nlp_relations.extract import attribution, rules
from nlp_relations.extract.rules import (PREDICATE_TABLE, TRIGGER_LEXICON, load_lexicon,
                                         load_predicates)
from nlp_relations.schemas import PloverCategory, Predicate, Stance

TABLE = load_predicates(PREDICATE_TABLE)


def test_lexicon_enum_equals_predicate_table():
    assert [p.value for p in Predicate] == list(TABLE)


def test_lexicon_table_columns_are_closed_sets():
    for name, row in TABLE.items():
        assert row["plover"] in get_args(PloverCategory), name
        assert row["stance"] in get_args(Stance), name
        assert row["symmetric"] in {"yes", "no"} and row["needs_object"] in {"yes", "no"}, name
        assert row["cameo"].isdigit() and len(row["cameo"]) == 3, name


def test_lexicon_triggers_name_only_table_predicates():
    lex = load_lexicon(TRIGGER_LEXICON, PREDICATE_TABLE)
    used = {p for table in (lex.verbs, lex.nouns, lex.light, lex.adjectives)
            for p, _ in table.values()}
    assert used <= set(TABLE)
    # every predicate has at least one trigger of its own
    assert set(TABLE) - used == set()


@pytest.mark.parametrize("name, values", [
    ("rules.CAMEO_PREDICATES", rules.CAMEO_PREDICATES),
    ("rules.OPEN_OBJECT", rules.OPEN_OBJECT),
    ("rules.THEME_OBJECT", rules.THEME_OBJECT),
    ("rules.CLAUSAL_OBJECT", rules.CLAUSAL_OBJECT),
    ("rules.PLACE_TARGETS", rules.PLACE_TARGETS),
    ("rules.HOSTILE", rules.HOSTILE),
    ("rules.DEMAND_MODALS", set(rules.DEMAND_MODALS.values())),
    ("attribution.VERBAL", attribution.VERBAL),
])
def test_lexicon_derived_lists_name_table_predicates(name, values):
    assert set(values) <= set(TABLE), f"{name}: {sorted(set(values) - set(TABLE))}"


def test_lexicon_cameo_mapping_names_table_predicates():
    from nlp_relations.convert.cameo_verbs import read_cameo_predicates

    mapping = read_cameo_predicates(PREDICATE_TABLE.parent / "cameo_predicates.tsv")
    assert {p for _, p in mapping if p} <= set(TABLE)


def test_lexicon_relation_model_labels_are_the_table(nlp):
    if "nlp_relations_model" not in nlp.pipe_names:
        pytest.skip("pipeline loaded without the relation model")
    labels = nlp.get_pipe("nlp_relations_model").labels
    assert sorted(set(labels) - {"none"}) == sorted(TABLE)


def test_lexicon_verb_heads_cover_every_verb_trigger():
    from nlp_relations.extract.lexicon import Lexicon

    lex = Lexicon(verbs={"condemn": ("condemns", ()), "call_on": ("urges", ("on",))},
                  light={("kick_off", "drill"): ("holds_exercise_with", ("with",)),
                         ("impose", "sanction"): ("sanctions", ("on",))})
    assert lex.verb_heads == {"condemn", "call", "call_on", "kick", "kick_off", "impose"}
    # The shipped lexicon: each verb, light verb and the verb of each phrasal one.
    shipped = load_lexicon(TRIGGER_LEXICON, PREDICATE_TABLE)
    assert set(shipped.verbs) | {v for v, _ in shipped.light} <= shipped.verb_heads
    assert all(k.split("_")[0] in shipped.verb_heads for k in shipped.verbs)
