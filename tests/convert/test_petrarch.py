"""Tests of the PETRARCH2 converters on small synthetic samples, and of the committed tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from nlp_relations.convert import OUTPUTS, agents, cameo_verbs, convert_all, phoenix_actors

REPO = Path(__file__).resolve().parents[2]
PETRARCH = REPO.parent / "shared" / "datasets" / "petrarch2"
MAPPING = cameo_verbs.read_cameo_predicates(REPO / "data/lexicons/cameo_predicates.tsv")

VERB_SAMPLE = """\
# header comment
&WEAPON_
+RIFLE
+ROCKET_LAUNCHER_

&MILITARY
+TROOPS

####### VERB PATTERNS #######

---  DENOUNCE   [111]  ---
DENOUNCE
SLAM {SLAMMED SLAMMING SLAMS }
- * (FOR)                                   [111]         # SLAM
- * CONDEMNATION                            [111]         # SLAMMED

---  EXPRESS   [---]  ---
EXPRESS  # coder note
+CALL_FOR {+CALLED_FOR +CALLING_FOR +CALLS_FOR} [020]
- * CONDEMNATION                            [111]         # EXPRESS
- * SANCTIONS (AGAINST +)                   [163]         # EXPRESS
- * &WEAPON                                 [194]         # EXPRESS
- &MILITARY * (INTO {BORDER AREA})          [190:190]     # EXPRESS
- * FORWARD                                 [013]         # EXPRESS
- * FEAR                                    [---]         # EXPRESS
- * (ON TOUR) (TO +)                        [042:043]
- * &UNDEFINED                              [111]         # EXPRESS

######## TRANSFORMATIONS ##########
~ a (a b ATTACK) SAY = a b 015
"""


def _rows(text: str) -> list[cameo_verbs.VerbRow]:
    rows, _ = cameo_verbs.convert_verbs(text.splitlines(), MAPPING)
    return rows


def test_cameo_verbs_synonym_sets_read_members():
    sets = cameo_verbs.parse_synonym_sets(VERB_SAMPLE.splitlines())
    assert sets == {"WEAPON": ("rifle", "rocket launcher"), "MILITARY": ("troops",)}


def test_cameo_verbs_base_form_and_irregular_forms():
    lemma, forms, code = cameo_verbs.parse_verb_line("SLAM {SLAMMED SLAMMING SLAMS } [111]")
    assert (lemma, code) == ("slam", "111")
    assert {"SLAM", "SLAMMED", "SLAMS"} <= forms
    lemma, forms, code = cameo_verbs.parse_verb_line("+CALL_FOR {+CALLED_FOR +CALLS_FOR} [020]")
    assert (lemma, code) == ("call_for", "020") and "CALLED_FOR" in forms
    assert cameo_verbs.parse_verb_line("+IS_DETERMINED {+WAS_DETERMINED}")[0] == "be_determined"


def test_cameo_verbs_rows_from_sample():
    rows = {(r.kind, r.lemma, r.noun, r.preposition, r.cameo, r.predicate) for r in _rows(VERB_SAMPLE)}
    expected = {
        ("verb", "denounce", "", "", "111", "criticizes"),
        ("verb", "slam", "", "", "111", "criticizes"),
        ("verb", "slam", "", "for", "111", "criticizes"),
        # the comment's inflected form names the verb
        ("light", "slam", "condemnation", "", "111", "criticizes"),
        ("verb", "call_for", "", "", "020", "urges"),
        ("light", "express", "condemnation", "", "111", "criticizes"),
        ("light", "express", "sanction", "against", "163", "sanctions"),
        ("light", "express", "rifle", "", "194", "attacks"),
        ("phrase", "express", "rocket launcher", "", "194", "attacks"),
        ("phrase", "express", "troops * into border area", "", "190:190", "fights"),
        ("verb", "express_forward", "", "", "013", ""),
    }
    assert expected <= rows
    # no comment verb: the pattern applies to every verb of the block
    assert ("phrase", "express", "on tour", "to", "042:043", "visits") in rows
    assert ("phrase", "call_for", "on tour", "to", "042:043", "visits") in rows
    # EXPRESS alone has no code, [---] patterns and undefined sets are dropped
    assert not any(r[1] == "express" and r[0] == "verb" for r in rows)
    assert not any(r[2] == "fear" for r in rows)


def test_cameo_verbs_counts_what_is_dropped():
    _, stats = cameo_verbs.convert_verbs(VERB_SAMPLE.splitlines(), MAPPING)
    assert stats["patterns coded [---] (no event)"] == 1
    assert stats["patterns dropped: undefined or empty synonym set"] == 1
    assert stats["transformation (~) lines"] == 1
    assert stats["verb lines without a code (anchor patterns only)"] == 1


@pytest.mark.parametrize(
    ("code", "predicate"),
    [
        ("111", "criticizes"), ("112", "accuses"), ("1121", "accuses"), ("114", "protests"),
        ("012", "expresses_concern"), ("016", ""), ("0231", "urges"), ("040", "consults"),
        ("042:043", "visits"), ("046", "negotiates_with"), ("051", "praises"), ("054", ""),
        ("057:057", "agrees_with"), ("061", "cooperates_with"), ("075", ""),
        ("0874", "retreats_from"), ("141", ""), ("161", ""), ("163", "sanctions"),
        ("173", "coerces"), ("191", "coerces"), ("190", "attacks"), ("190:190", "fights"),
        (":173", ""), ("1384", "threatens"), ("030", ""),
    ],
)
def test_cameo_predicates_longest_prefix(code, predicate):
    assert cameo_verbs.predicate_for(code, MAPPING) == predicate


def test_cameo_predicates_names_only_project_predicates():
    with (REPO / "data/lexicons/predicates.tsv").open(encoding="utf-8") as f:
        known = {line.split("\t")[0] for line in f if line.strip() and not line.startswith("#")}
    used = {predicate for _, predicate in MAPPING if predicate}
    assert used <= known, sorted(used - known)
    prefixes = [prefix for prefix, _ in MAPPING]
    assert len(prefixes) == len(set(prefixes)) and all(p.isdigit() for p in prefixes)


@pytest.mark.parametrize(
    ("noun", "lemma"),
    [("sanctions", "sanction"), ("rallies", "rally"), ("crises", "crise"), ("talks", "talks"),
     ("ships", "ship"), ("crisis", "crisis"), ("marches", "march"), ("aid", "aid")],
)
def test_cameo_verbs_singular(noun, lemma):
    assert cameo_verbs.singular(noun) == lemma


AGENT_SAMPLE = """\
# ======== SUBSTITUTION SETS ========
!PERSON! = MAN, MEN
!MINIST! = MINISTER, MINISTRY

CATTLE!PERSON! [~AGR]
FARM_WORKER [~AGR]
CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]
!MINIST! OF_DEFENCE [~GOVMIL]
POLICE [~COP]
PARTY [~PTY]
PEACEKEEPER [IGO~]
DEPARMENT_OF_ENVIRONMENT [~ENV}
BROKEN_LINE_WITHOUT_CODE
"""


def test_agents_rows_from_sample():
    rows, stats = agents.convert_agents(AGENT_SAMPLE.splitlines())
    got = {(r.phrase, r.form, r.code, r.sector, r.subsectors) for r in rows}
    assert {
        ("cattleman", "singular", "AGR", "AGR", ""),
        ("cattlemen", "plural", "AGR", "AGR", ""),  # generated before the set's own MEN
        ("farm worker", "singular", "AGR", "AGR", ""),
        ("farm workers", "plural", "AGR", "AGR", ""),
        ("chamber of commerce", "singular", "BUS", "BUS", ""),
        ("chambers of commerce", "plural", "BUS", "BUS", ""),
        ("minister of defence", "singular", "GOVMIL", "GOV", "MIL"),
        ("ministers of defence", "plural", "GOVMIL", "GOV", "MIL"),
        ("ministry of defence", "singular", "GOVMIL", "GOV", "MIL"),
        ("ministries of defence", "plural", "GOVMIL", "GOV", "MIL"),
        ("police", "singular", "COP", "COP", ""),
        ("parties", "plural", "PTY", "PTY", ""),
        ("peacekeepers", "plural", "IGO", "IGO", ""),
        ("deparment of environment", "singular", "ENV", "ENV", ""),
    } <= got
    assert ("polices", "plural", "COP", "COP", "") not in got
    assert ("cattlemens", "plural", "AGR", "AGR", "") not in got
    assert stats["lines dropped: no code"] == 1


@pytest.mark.parametrize(
    ("text", "iso"),
    [("010120", "2001-01-20"), ("291231", "2029-12-31"), ("300101", "1930-01-01"),
     ("991231", "1999-12-31"), ("19270101", "1927-01-01"), ("20121115", "2012-11-15")],
)
def test_phoenix_actors_dates(text, iso):
    assert phoenix_actors.parse_date(text) == iso


@pytest.mark.parametrize("text", ["9008223", "201005011", "991301", "abcdef"])
def test_phoenix_actors_bad_dates_raise(text):
    with pytest.raises(ValueError):
        phoenix_actors.parse_date(text)


ACTOR_SAMPLE = """\
# comment
ATLANTIS_  [ATL]
+ATLANTEAN_

ZOE_QUILL_  # CountryInfo.txt
+PRESIDENT_ZOE_QUILL
	[ATLELI 450101-990101]
	[ATLGOV >990101]
IVO_MACDUFF_
PRESIDENT_MACDUFF_
	[ATLGOV 20120219-140101]
	[ATLGOVLEG <031222]
	[ATLGOV 9008223-911221]
ATLANTEAN_NAVY
+ATL_NAVY
	[ATLMIL]
WORLD_HELP_LEAGUE_	[NGODEV]
ATLANTIS_ISLANDS_  [ATLISL]
"""


def _actors(text: str, file_name: str = "Phoenix.Countries.actors.txt"):
    countries = frozenset({"ATL"})
    return phoenix_actors.convert_actors({file_name: text.splitlines()}, countries, countries)


def test_phoenix_actors_entries_and_roles():
    tables, stats = _actors(ACTOR_SAMPLE)
    people = {r["id"]: r for r in tables["people"]}
    assert set(people) == {"PHX-ATL_ZOE_QUILL", "PHX-ATL_IVO_MACDUFF"}
    quill = people["PHX-ATL_ZOE_QUILL"]
    assert quill["aliases"] == ["Zoe Quill"]  # the title is stripped, the repeat removed
    assert quill["roles"] == [
        {"code": "ATLELI", "country": "ATL", "sector": "ELI", "start": "1945-01-01", "end": "1999-01-01"},
        {"code": "ATLGOV", "country": "ATL", "sector": "GOV", "start": "1999-01-01", "end": None},
    ]
    assert quill["represents"] == "ATL" and quill["kind"] == "person"
    macduff = people["PHX-ATL_IVO_MACDUFF"]
    assert macduff["aliases"] == ["Ivo Macduff", "Macduff"]
    assert [r["sector"] for r in macduff["roles"]] == ["GOV", "GOVLEG"]
    assert macduff["roles"][1]["end"] == "2003-12-22" and macduff["roles"][1]["start"] is None
    assert stats["codes dropped: malformed date"] == 1
    assert stats["entries dropped: country or place names"] == 2
    orgs = {r["id"]: r for r in tables["organisations"]}
    assert orgs["PHX-ATL_ATLANTEAN_NAVY"]["kind"] == "gov_body"
    assert orgs["PHX-ATL_ATLANTEAN_NAVY"]["represents"] == "ATL"
    assert orgs["PHX-ATL_ATLANTEAN_NAVY"]["aliases"] == ["Atlantean Navy", "ATL Navy"]
    assert orgs["PHX-NGODEV_WORLD_HELP_LEAGUE"]["kind"] == "group"


def test_phoenix_actors_title_case():
    assert phoenix_actors.title_case("ABDEL_FATTAH_EL_SISI") == "Abdel Fattah el Sisi"
    assert phoenix_actors.title_case("FRANK_C._MOCKLER_") == "Frank C. Mockler"
    assert phoenix_actors.title_case("JOHN_O'BRIEN") == "John O'Brien"
    assert phoenix_actors.title_case("IAEA_", organisation=True) == "IAEA"


def test_sectors_cover_agent_codes():
    with (REPO / "data/lexicons/sectors.tsv").open(encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]
    sectors = {row[0]: row for row in rows}
    assert all(len(row) == 4 and row[3] in ("yes", "no") for row in rows)
    assert {code for code, row in sectors.items() if row[3] == "yes"} == set(phoenix_actors.STATE_SECTORS)
    table = REPO / "data/lexicons/petrarch/agents.tsv"
    with table.open(encoding="utf-8") as f:
        reader = csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")
        codes = {row[2] for row in reader}
    groups = {code[i : i + 3] for code in codes for i in range(0, len(code), 3)}
    assert groups <= set(sectors), sorted(groups - set(sectors))


def test_committed_actor_ids_are_unique_and_namespaced():
    ids = []
    for name in ("phoenix_people", "phoenix_organisations", "phoenix_groups"):
        with (REPO / f"data/actors/petrarch/{name}.jsonl").open(encoding="utf-8") as f:
            ids.extend(json.loads(line)["id"] for line in f)
    assert len(ids) == len(set(ids)) and all(i.startswith("PHX-") for i in ids)


@pytest.mark.skipif(
    not PETRARCH.exists(), reason=f"PETRARCH2 dictionaries not found at {PETRARCH} (../shared)"
)
def test_committed_tables_equal_fresh_conversion(tmp_path):
    convert_all(PETRARCH, REPO, tmp_path)
    for relative in OUTPUTS:
        fresh = (tmp_path / relative).read_bytes()
        committed = (REPO / relative).read_bytes()
        assert fresh == committed, f"{relative} differs: rerun python -m nlp_relations.convert"
