"""Link the actors a document names: registry forms, roles, pronouns and anaphors.

Pure functions over a parsed ``Doc``. The result is a list of plain dicts (msgpack-safe):

    {"start": 0, "end": 2, "start_char": 0, "end_char": 11, "text": "North Korea",
     "actor": "PRK", "agent": None, "form": "alias"}

``actor`` is the canonical id (the graph node); ``agent`` the body or person named when it
speaks for that actor (``RUS-LAVROV`` for "Sergei Lavrov", whose actor is ``RUS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from ..registry import DATA_DIR, Registry
from .columns import NOUN, PRON, PROPN, Columns, get_string_id, ids
from .noise import in_ranges
from .people import former_title, person_mentions

__all__ = [
    "AGENT_TABLES",
    "ROLE_LEXICON",
    "STATE_SECTORS",
    "identity",
    "link_actors",
    "load_agents",
    "load_roles",
    "mention_ref",
    "mentions_by_token",
    "statement_issuer",
    "token_at",
]

ROLE_LEXICON = DATA_DIR / "lexicons" / "roles.tsv"
# Agent nouns and their sector ("rebels" -> REB): our own table first, then the converted
# PETRARCH2 one; the first table naming a phrase wins.
AGENT_TABLES = (DATA_DIR / "lexicons" / "agents_own.tsv",
                DATA_DIR / "lexicons" / "petrarch" / "agents.tsv")
# Sectors that act for the state itself: a mention in one of them is the state's node, as
# ministries and office holders are ("Turkish troops" -> TUR, sector MIL). Other sectors
# ("Kenyan opposition" -> KEN, sector OPP) are a different party from their government.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
# Sectors whose agents are read as actors: the domestic parties event coders code.
ACTOR_SECTORS = STATE_SECTORS | frozenset({"OPP", "REB", "INS", "SEP", "UAF", "CVL", "REF",
                                           "PTY", "BUS", "MED", "LAB", "EDU", "REL", "CRM"})

# Prepositions after which a capital names a place, not a government ("a summit in Washington").
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "around", "across", "within",
                         "throughout", "across", "outside", "off", "via", "through"})
# Verbs of motion: "returned from Beijing", "moved to Berlin".
MOTION_VERBS = frozenset({"return", "go", "come", "move", "depart", "relocate", "drive", "sail",
                          "stay", "live", "base", "hold", "gather", "meet", "convene"})
# A visit: "travelled to Moscow", "arrived in Pyongyang" -> the capital is the host government.
VISIT_VERBS = frozenset({"travel", "fly", "arrive", "land", "visit", "head", "trip", "visit"})
# A capitalised word joined to another by a hyphen: "U.S.-ROK".
_CAPITAL_HYPHEN = re.compile(r"(?<![\w.-])[A-Z][\w.]*-[A-Z][\w.-]*")
# "X issued a statement": X issues the document.
ISSUING = frozenset({"issue", "release", "publish", "make", "deliver"})
STATEMENT_NOUNS = frozenset({"statement", "declaration", "communique", "communiqué", "readout",
                             "remark", "note", "press"})
# Words that make a demonym a region's: "South American", "Central Asian", "Latin American".
REGION_PREFIXES = frozenset({"South", "North", "East", "West", "Central", "Latin", "Southeast",
                             "Southern", "Northern", "Eastern", "Western"})
# People named by where their government sits: "its backers in Moscow", "officials in Beijing".
SEATED_PEOPLE = frozenset({"backer", "sponsor", "supporter", "patron", "ally", "official",
                           "counterpart", "partner", "leadership", "authority"})
# Nouns that a capital modifies as a place name ("the Washington summit", "Moscow time").
PLACE_HEADS = frozenset({"summit", "time", "airport", "region", "area", "city", "street",
                         "suburb", "outskirts", "office", "headquarters", "marathon", "resident",
                         "metro", "subway", "mayor", "bureau", "correspondent", "university"})
# Pretrained NER labels inside which a registry form is part of a longer name, not an actor
# ("Latin America", "the Korean War", "Victoria Nuland").
CONTAINER_LABELS = frozenset({"LOC", "FAC", "PERSON", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT",
                              "LANGUAGE", "GPE"})
# Inside an organisation's name only a capital or a demonym is part of the name
# ("Seoul National University"); "UN" in "the UN refugee agency" still names the UN.
ORG_CONTAINED_FORMS = frozenset({"metonym", "adjective"})
NER_LABELS = frozenset({"GPE", "ORG", "NORP"})
# People and places a demonym can describe without naming the state: "Indian business leaders",
# "Palestinian gunmen", "an Israeli village", "Serbian teachers".
NON_ACTOR_HEADS = frozenset({
    "people", "person", "citizen", "civilian", "national", "resident", "activist", "journalist",
    "reporter", "worker", "teacher", "student", "gunman", "gunmen", "village", "town", "city",
    "business", "businessman", "businessmen", "newspaper", "daily", "millionaire",
    "billionaire", "refugee", "migrant", "tourist", "fisherman", "fishermen", "farmer", "doctor",
    "family", "families", "woman", "women", "man", "men", "child", "children", "community",
    "diaspora", "language", "cuisine", "food", "culture", "artist", "writer", "singer", "athlete",
    "team", "player", "club", "university", "hospital", "medical",
    "boat", "descent", "origin", "dissident", "defector", "pilgrim", "protester", "demonstrator",
    "opposition", "hostage", "prisoner", "captive", "crew", "sailor", "passenger", "volunteer",
    "mercenary", "expatriate", "immigrant", "organization", "organisation", "movement", "group",
})
# Anaphoric noun phrases and the ids (or kinds) they may refer back to.
ANAPHORS = {
    "alliance": ("NATO", "AUKUS", "QUAD", "CSTO"),
    "bloc": ("EU", "ASEAN", "NATO", "BRICS", "SCO", "GCC", "AU", "ECOWAS", "EAEU", "CSTO"),
    "organisation": None,
    "organization": None,
    "council": ("UNSC", "EUCOUNCIL", "EUCO", "UNHRC", "GCC"),
    "agency": ("IAEA",),
}
PAIR_NOUNS = frozenset({"country", "nation", "side", "state", "neighbour", "neighbor", "government",
                        "leader", "president", "minister", "ally", "partner", "power",
                        "capital"})
# Singular nouns that refer back to a state: "the country", "the nation".
STATE_NOUNS = frozenset({"country", "nation", "kingdom", "republic"})
NUMBER_WORDS = {"two": 2, "both": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def load_roles(path: Path = ROLE_LEXICON) -> dict[str, dict[str, str]]:
    """Read the role lexicon: lemma -> {kind, speaks}."""
    roles = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, kind, speaks = line.split("\t")
        roles[lemma] = {"kind": kind, "speaks": speaks}
    return roles


def load_agents(paths=AGENT_TABLES) -> dict[str, str]:
    """Read the agent tables: lower-case phrase -> sector code (the first table wins)."""
    agents: dict[str, str] = {}
    for path in paths:
        if not Path(path).exists():
            continue
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            # Our table: phrase, sector; the converted one: phrase, form, code, sector, ...
            sector = cols[1] if len(cols) == 2 else cols[3]
            sector = sector.split(":")[0][:3]
            if sector in ACTOR_SECTORS:
                agents.setdefault(cols[0].lower(), sector)
    return agents


def _mention(span: Span, actor: str, agent: str | None, form: str,
             sector: str | None = None) -> dict:
    return {
        "start": span.start,
        "end": span.end,
        "start_char": span.start_char,
        "end_char": span.end_char,
        "text": span.text,
        "actor": actor,
        "agent": agent,
        "form": form,
        "sector": sector,
    }


def mention_ref(m: dict) -> dict:
    """The fields of a mention a triple keeps for its subject, object, speaker or source."""
    out = {k: m[k] for k in ("actor", "agent", "text", "start_char", "end_char", "form")}
    out["sector"] = m.get("sector")
    return out


def identity(m: dict) -> tuple[str, str | None]:
    """Which party a mention is: its actor, and its sector unless that acts for the state
    (KEN + OPP and KEN are two parties; TUR + MIL and TUR are one)."""
    sector = m.get("sector")
    return (m["actor"], None if sector in STATE_SECTORS else sector)


def _agent_sector(head: Token, agents: dict[str, str]) -> str | None:
    """The sector of an agent noun phrase head: "rebels", "security forces", "opposition"."""
    if not agents:
        return None
    prev = head.doc[head.i - 1] if head.i > 0 else None
    if prev is not None and prev.dep_ in {"compound", "amod"} and prev.head.i == head.i:
        two = f"{prev.lower_} {head.lower_}"
        if two in agents:
            return agents[two]
    return agents.get(head.lower_) or agents.get(head.lemma_.lower())


def _phrase_head(tok: Token) -> Token:
    """The noun a modifier describes: "Malian" in "Malian rebel fighters" -> fighters."""
    head = tok
    while head.dep_ in {"amod", "compound", "nmod", "poss"} and head.head.i != head.i:
        head = head.head
        if head.dep_ not in {"compound", "amod"}:
            break
    return head


def token_at(doc: Doc, char: int) -> Token | None:
    """The token covering character offset ``char`` (a triple's ``trigger_start``), if any."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def mentions_by_token(mentions: Iterable[dict]) -> dict[int, list[dict]]:
    """Index mentions by every token they cover."""
    index: dict[int, list[dict]] = {}
    for m in mentions:
        for i in range(m["start"], m["end"]):
            index.setdefault(i, []).append(m)
    return index


def _is_place(span: Span) -> bool:
    """A capital used as a place: governed by a locative preposition or modifying a place noun."""
    head = span.root
    gov = head.head
    if head.dep_ == "pobj" and gov.dep_ == "prep":
        prep = gov.lower_
        if gov.head.lemma_.lower() in VISIT_VERBS:
            return False
        if prep == "in" and gov.head.lemma_.lower() in SEATED_PEOPLE:
            # "its backers in Moscow", "officials in Beijing": the government seated there.
            return False
        if prep in PLACE_PREPS:
            return True
        if prep in {"to", "from", "into"} and gov.head.lemma_ in MOTION_VERBS:
            return True
    if head.dep_ in {"compound", "nmod", "amod"} and gov.lemma_.lower() in PLACE_HEADS:
        return True
    # A dateline or a bare place in an address: "SEOUL, July 13".
    return span.text.isupper() and len(span.text) > 3


def _describes_non_actor(span: Span, *, demonym: bool = False) -> bool:
    """A demonym of people or places, not of the state: "Palestinian gunmen", "Liberians"."""
    root = span.root
    if demonym and root.tag_ in {"NNS", "NNPS"} and root.dep_ not in {"nsubj", "nsubjpass"} and \
            root.dep_ != "compound":
        return True
    if root.dep_ not in {"amod", "compound", "nmod"}:
        return False
    head = root.head
    path = [head]
    while head.dep_ in {"compound", "amod"} and head.head is not head:
        head = head.head
        path.append(head)
    # "Indian business leaders": a non-actor noun anywhere up to the phrase head.
    words = {t.lemma_.lower() for t in path} | {c.lemma_.lower() for c in head.children
                                               if c.dep_ == "compound" and c.i > root.i}
    return bool(words & NON_ACTOR_HEADS)


def _by_token(spans: Iterable[Span]) -> dict[int, list[Span]]:
    """Index spans by every token they cover: a span can contain another only if it covers
    the other's first token, so a containment check looks at those alone, not at every
    entity of the document."""
    index: dict[int, list[Span]] = {}
    for c in spans:
        for i in range(c.start, c.end):
            index.setdefault(i, []).append(c)
    return index


def _inside_container(span: Span, containers: dict[int, list[Span]]) -> bool:
    return any(
        c.start <= span.start and span.end <= c.end and (c.end - c.start) > (span.end - span.start)
        and not _article_more(c, span)
        for c in containers.get(span.start, ())
    )


def _article_more(container: Span, span: Span) -> bool:
    """Whether ``container`` is ``span`` with only "the" before it: "the Central African
    Republic" tagged LOC still names the state."""
    return container.end == span.end and container.start + 1 == span.start and \
        container[0].lower_ == "the"


# Labels the small model often puts on a phrase of officials ("the Foreign Ministers of Japan"
# tagged LAW): inside them a state's name after "of"/"by" still names the state.
MISFIRE_LABELS = frozenset({"LAW", "WORK_OF_ART", "PRODUCT"})


def _misfired_container(span: Span, form, ents: dict[int, list[Span]]) -> bool:
    if form.form_type != "alias" or span.start == 0:
        return False
    if span.doc[span.start - 1].lower_ not in {"of", "by"}:
        return False
    return not any(c.start <= span.start and span.end <= c.end and c.label_ not in MISFIRE_LABELS
                   and (c.end - c.start) > (span.end - span.start)
                   for c in ents.get(span.start, ()))


def _registry_mentions(doc: Doc, matches, registry: Registry, noise) -> list[tuple[Span, str]]:
    # "South Korea's" is tagged whole; its possessive ending makes it no longer name.
    ents = [e[:-1] if len(e) > 1 and e[-1].tag_ == "POS" else e for e in doc.ents]
    containers = _by_token(e for e in ents if e.label_ in CONTAINER_LABELS)
    orgs = _by_token(e for e in ents if e.label_ == "ORG")
    ents = _by_token(ents)
    spans: list[tuple[Span, str]] = []
    for _match_id, start, end in matches:
        span = doc[start:end]
        form = registry.form(span.text)
        if form is None or in_ranges(span.start_char, span.end_char, noise):
            continue
        if _inside_container(span, containers) and not _misfired_container(span, form, ents):
            continue
        if form.form_type in ORG_CONTAINED_FORMS and _inside_container(span, orgs):
            continue
        spans.append((span, form.text))
    # Longest match wins; ties go to the earlier one (as spacy.util.filter_spans).
    spans.sort(key=lambda s: (-(s[0].end - s[0].start), s[0].start))
    taken: set[int] = set()
    kept = []
    for span, text in spans:
        if taken.isdisjoint(range(span.start, span.end)):
            kept.append((span, text))
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s[0].start)


def _np_actor(token: Token, index: dict[int, list[dict]], depth: int = 0) -> dict | None:
    """The actor a noun phrase's modifiers name: "Russian Foreign Minister", "NATO's leaders"."""
    for child in token.children:
        if child.dep_ in {"compound", "amod", "poss", "nmod"} and child.i in index:
            return index[child.i][0]
    if depth < 2:
        for child in token.children:
            if child.dep_ == "compound":
                found = _np_actor(child, index, depth + 1)
                if found:
                    return found
            if child.dep_ == "prep" and child.lower_ in {"of", "for"}:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        if pobj.i in index:
                            return index[pobj.i][0]
                        found = _np_actor(pobj, index, depth + 1)
                        if found:
                            return found
    return None


def _np_span(token: Token) -> Span:
    """The head noun with its compound and adjective modifiers to the left."""
    left = token
    for child in token.lefts:
        if child.dep_ in {"compound", "amod"}:
            left = min(left, child.left_edge, key=lambda t: t.i)
    return token.doc[left.i : token.i + 1]


def link_actors(
    doc: Doc,
    matches,
    *,
    registry: Registry,
    roles: dict[str, dict[str, str]],
    noise: list[tuple[int, int]],
    agents: dict[str, str] | None = None,
    people: dict | None = None,
    date: str | None = None,
    text: str | None = None,
) -> list[dict]:
    """All actor mentions of a parsed document, in text order.

    Args:
        doc: a Doc parsed by a dependency parser and NER.
        matches: PhraseMatcher matches of the registry's surface forms.
        registry: the actor registry.
        roles: the role lexicon (``load_roles``).
        noise: character ranges to ignore (``find_noise``).
        agents: agent nouns and their sectors (``load_agents``): "Malian rebels" -> MLI with
            sector REB; None: no sectors.
        people: the dated Phoenix people (``people.load_people_index``), read on ``date``;
            None: none (people titled by an office are linked either way).
        text: ``doc.text``, when the caller has it (``Doc.text`` joins every token per read).
    """
    agents = agents or {}
    doc_text = doc.text if text is None else text
    cols = Columns(doc)
    mentions: list[dict] = []
    found = _registry_mentions(doc, matches, registry, noise)
    # Context forms ("the North") need another mention of the pair; they cannot vouch for
    # themselves.
    named = {registry.canonical(registry.form(t).actor_id) for _, t in found
             if registry.form(t).form_type != "context"}
    for span, text in found:
        form = registry.form(text)
        if form.form_type == "context" and not named.intersection(form.requires):
            continue
        m = _linked(span, form, registry, form.form_type, agents)
        if m is not None:
            mentions.append(m)

    taken = {i for m in mentions for i in range(m["start"], m["end"])}
    # Pretrained NER spans the registry forms missed, looked up leniently ("the U.S.A", "N. Korea").
    for ent in doc.ents:
        if ent.label_ not in NER_LABELS or not taken.isdisjoint(range(ent.start, ent.end)):
            continue
        if in_ranges(ent.start_char, ent.end_char, noise):
            continue
        text = ent.text[:-2] if ent.text.endswith(("'s", "’s")) else ent.text
        form = registry.lookup(text)
        if form is None or form.form_type == "context":
            continue
        m = _linked(ent, form, registry, "ner", agents)
        if m is not None:
            mentions.append(m)
            taken.update(range(ent.start, ent.end))

    mentions += _hyphen_pairs(doc, mentions, registry, noise, doc_text)
    _past_offices(doc, mentions, registry, date)
    mentions += _located_agents(doc, mentions, registry=registry, agents=agents, noise=noise,
                                cols=cols)
    # Named people before pronouns are resolved ("Kiraitu Murungi ... He criticized ...").
    mentions += person_mentions(doc, mentions, people or {}, registry, date=date, noise=noise,
                                names=True, titles=False, text=doc_text)
    mentions.sort(key=lambda m: m["start"])
    mentions = _link_context(doc, mentions, registry=registry, roles=roles, noise=noise,
                             cols=cols)
    # People titled by an office, once the offices are linked ("Secretary of Defense Jim Mattis").
    mentions += person_mentions(doc, mentions, people or {}, registry, date=date, noise=noise,
                                names=False, titles=True, text=doc_text)
    mentions.sort(key=lambda m: m["start"])
    mentions = _link_first_person(doc, mentions, registry=registry, noise=noise, cols=cols)
    mentions = _shared_seats(mentions)
    return sorted(mentions, key=lambda m: (m["start"], m["end"]))


# A seat two actors share: the organisation's name wins when the document names the
# organisation (or a body of it) and names the state only by its seat.
SHARED_SEATS = {"Brussels": ("BEL", "EU", frozenset({"EU", "EC", "EP", "EUCO", "EEAS"}))}


def _shared_seats(mentions: list[dict]) -> list[dict]:
    """"EU foreign ministers met on Monday. Brussels also imposed sanctions" -> Brussels is
    the EU; "Belgian police ... in Brussels" or no EU body named -> Belgium."""
    def is_seat(m: dict) -> bool:
        return m["form"] == "metonym" and m["text"] in SHARED_SEATS

    if not any(is_seat(m) for m in mentions):
        return mentions
    # The actors named other than by a seat: one set for the document, not one per seat.
    others = {x["actor"] for x in mentions if not is_seat(x)}
    out = []
    for m in mentions:
        if is_seat(m):
            state, org, family = SHARED_SEATS[m["text"]]
            if m["actor"] == state and others & family and state not in others:
                m = {**m, "actor": org}
        out.append(m)
    return out


def _linked(span: Span, form, registry: Registry, label: str,
            agents: dict[str, str] | None = None) -> dict | None:
    """The mention a registry form makes of a span, unless context says it names no actor.

    A state's name or adjective on an agent noun gives the state with that agent's sector:
    "Malian rebels" -> MLI, REB; "Turkish troops" -> TUR, MIL; "Kenya's opposition" -> KEN, OPP.
    """
    if form.form_type == "metonym" and _is_place(span):
        return None
    if form.form_type == "adjective" and span.start > 0 and \
            span.doc[span.start - 1].text in REGION_PREFIXES:
        # "South American countries", "Central Asian states": a region, not the state.
        return None
    canonical = registry.canonical(form.actor_id)
    sector = None
    if agents and registry.kind(canonical) == "state" and \
            span.root.dep_ in {"amod", "compound", "nmod", "poss"}:
        sector = _agent_sector(_phrase_head(span.root), agents)
    if sector is None and form.form_type in {"adjective", "alias"} and \
            _describes_non_actor(span, demonym=form.form_type == "adjective"):
        return None
    agent = form.actor_id if canonical != form.actor_id else None
    return _mention(span, canonical, agent, label, sector)


def _located_agents(doc: Doc, mentions: list[dict], *, registry: Registry,
                    agents: dict[str, str], noise, cols: Columns) -> list[dict]:
    """Agent nouns placed in a state: "Opposition parties in Kenya", "rebels in northern Mali",
    "the police of Belarus" -> the state, with the agent's sector, on the agent's words."""
    if not agents:
        return []
    index = mentions_by_token(mentions)
    heads = _agent_heads(agents)
    out = []
    for i in range(len(doc)):
        if i in index or (cols.pos[i] != NOUN and cols.pos[i] != PROPN) or \
                cols.dep[i] == _COMPOUND:
            continue
        if cols.lower_text(i) not in heads and cols.lemma_lower(i) not in agents:
            continue  # _agent_sector finds no sector for it
        tok = doc[i]
        sector = _agent_sector(tok, agents)
        if sector is None or in_ranges(tok.idx, tok.idx + len(tok), noise):
            continue
        if any(c.dep_ in {"amod", "compound", "poss", "nmod"} and c.i in index
               for c in tok.children):
            continue  # "Malian rebels": the modifier's mention carries the sector
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"in", "of", "from"}:
                continue
            states = [m for p in prep.children if p.dep_ == "pobj"
                      for m in index.get(p.i, []) + index.get(_last_noun(p).i, [])
                      if registry.kind(m["actor"]) == "state"]
            if states:
                out.append(_mention(_np_span(tok), states[0]["actor"], None, "sector", sector))
                break
    return out


_AGENT_HEADS: dict[int, tuple[dict, int, frozenset[str]]] = {}


def _agent_heads(agents: dict[str, str]) -> frozenset[str]:
    """The words an agent phrase of ``agents`` can end with ("rebels", "forces" of "security
    forces"): ``_agent_sector`` finds a sector only for a head word among them or whose lemma
    is an agent. Kept per agents table."""
    hit = _AGENT_HEADS.get(id(agents))
    if hit is None or hit[0] is not agents or hit[1] != len(agents):
        heads = frozenset(key.rsplit(" ", 1)[-1] for key in agents)
        if len(_AGENT_HEADS) > 8:
            _AGENT_HEADS.clear()
        hit = _AGENT_HEADS[id(agents)] = (agents, len(agents), heads)
    return hit[2]


def _last_noun(tok: Token) -> Token:
    """'northern Mali': the name is the object itself; 'the north of Mali': look one deeper."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for p in prep.children:
                if p.dep_ == "pobj":
                    return p
    return tok


def _sentence_subject_actor(sent: Span, index: dict[int, list[dict]]) -> dict | None:
    """The actor of a sentence's main subject, if a mention covers it or modifies it."""
    for tok in sent:
        if tok.dep_ in SUBJECT_DEPS and tok.head.dep_ == "ROOT":
            if tok.i in index:
                return index[tok.i][0]
            return _np_actor(tok, index)
    return None


def _link_context(
    doc: Doc,
    mentions: list[dict],
    *,
    registry: Registry,
    roles: dict[str, dict[str, str]],
    noise: list[tuple[int, int]],
    cols: Columns,
) -> list[dict]:
    """Roles, pronouns and anaphors, resolved left to right through the document."""
    index = mentions_by_token(mentions)
    out = list(mentions)
    last_role: dict[str, dict] = {}  # role lemma -> its latest resolved mention
    last_person: dict | None = None
    focus: list[dict] = []  # subject actors of recent sentences, newest last
    history = _History(doc, registry)  # every mention so far, in order

    def add(m: dict) -> None:
        out.append(m)
        for i in range(m["start"], m["end"]):
            index.setdefault(i, []).append(m)

    for sent in doc.sents:
        if in_ranges(sent.start_char, sent.end_char, noise) and not sent.text.strip()[:1].islower():
            if all(in_ranges(t.idx, t.idx + len(t), noise) for t in sent if not t.is_space):
                continue
        # Anaphors first: "leaders of the 32-member alliance" needs the alliance resolved.
        for k in range(sent.start, sent.end):
            if k in index or not (cols.pos[k] == NOUN or cols.pos[k] == PROPN and
                                  cols.lemma_lower(k) in ANAPHORS):
                continue
            if cols.lemma_lower(k) not in _ANAPHOR_LEMMAS:
                continue  # _resolve_anaphor finds nothing for it
            tok = doc[k]
            if _is_definite(tok) \
                    and not any(c.i in index for c in tok.children
                                if c.dep_ in {"compound", "nmod"}):
                # ("the Mercosur bloc" is named by its modifier, no anaphor.)
                earlier = [m for i in range(sent.start, tok.i) for m in index.get(i, [])
                           if m["start"] == i]
                for m in _resolve_anaphor(tok, history, earlier, registry):
                    add(m)
        since = len(history)  # where this sentence's mentions begin in the history
        for k in range(sent.start, sent.end):
            if k in index:
                for m in index[k]:
                    if m["start"] == k:
                        history.append(m)
                        if m["form"] == "person" or m["agent"] and \
                                registry.records.get(m["agent"]) and \
                                registry.records[m["agent"]].kind == "person":
                            # A listed person, or one of the dated Phoenix people.
                            last_person = m
                continue
            if cols.lower[k] not in _PRONOUN_IDS and (
                    cols.pos[k] != NOUN and cols.pos[k] != PROPN or
                    cols.lemma_lower(k) not in roles and cols.lower_text(k) not in roles):
                continue  # neither a role noun nor a pronoun read below
            tok = doc[k]
            lemma = tok.lemma_.lower()
            lower = tok.lower_
            # Role nouns: "A Foreign Ministry spokesperson", "NATO leaders", "the official".
            if tok.pos_ in {"NOUN", "PROPN"} and (lemma in roles or lower in roles) and \
                    tok.dep_ != "compound" and not _has_non_actor_modifier(tok):
                role = roles.get(lemma) or roles[lower]
                owner = _np_actor(tok, index)
                span = _np_span(tok)
                if owner is None:
                    prev = last_role.get(lemma)
                    if prev is not None and _is_definite(tok):
                        owner = prev
                    elif domestic := [m for i in range(sent.start, tok.i)
                                      for m in index.get(i, []) if identity(m)[1] is not None]:
                        # "The Kenyan opposition accused the government": a domestic party's
                        # own state, when the sentence began with one.
                        owner = domestic[-1]
                    elif role["speaks"] == "yes" and focus and not any(
                            c.dep_ == "amod" and c.text[:1].isupper() and c.i > sent.start
                            for c in tok.children):
                        # (Not "West African leaders": a name of its own, not the focus.)
                        owner = focus[-1]
                if owner is not None:
                    m = _mention(span, owner["actor"], owner.get("agent"), "role")
                    add(m)
                    history.append(m)
                    last_role[lemma] = m
                    if role["kind"] == "person" and tok.tag_ in {"NN", "NNP"}:
                        last_person = m
                continue
            # Pronouns: "he said" -> the last person or spokesperson; "its exports" -> see below.
            if lower in {"him", "her"} and tok.dep_ in {"dobj", "pobj", "dative"} and \
                    last_person is not None and last_person["start"] >= sent.start:
                # "called President Erdogan ... and urged him": the person just named.
                add(_mention(doc[tok.i : tok.i + 1], last_person["actor"], last_person["agent"],
                             "pronoun", last_person.get("sector")))
                continue
            if lower in {"he", "she"} and tok.dep_ in SUBJECT_DEPS and last_person is not None:
                add(_mention(doc[tok.i : tok.i + 1], last_person["actor"], last_person["agent"],
                             "pronoun", last_person.get("sector")))
                continue
            if lower in {"its", "their", "they", "it"}:
                target = _resolve_pronoun(tok, sent, index, history, since, focus)
                if target is not None:
                    for t in _with_conjuncts(target, index, doc) if lower == "their" else [target]:
                        add(_mention(doc[tok.i : tok.i + 1], t["actor"], t["agent"], "pronoun",
                                     t.get("sector")))
                continue
        subj = _sentence_subject_actor(sent, index)
        # An outlet that reports the story is never what "the spokesperson" speaks for.
        if subj is not None and getattr(registry.records.get(subj["actor"]), "kind", "") != "media":
            focus.append(subj)
    return out


# First-person words: the speaker of a quotation, else the issuer of the statement.
FIRST_PERSON = frozenset({"we", "our", "us", "ours", "i", "my", "me"})
_FIRST_PERSON_IDS = ids(FIRST_PERSON)
# The pronouns _link_context resolves, and the compound label (Columns holds ids).
_PRONOUN_IDS = ids({"him", "her", "he", "she", "its", "their", "they", "it"})
_COMPOUND = get_string_id("compound")
# "X said ...", "X added": verbs whose subject speaks a quotation in the same sentence.
QUOTE_VERBS = frozenset({"say", "tell", "add", "state", "stress", "declare", "note", "insist",
                         "warn", "write", "reiterate", "emphasize", "emphasise", "announce"})
# Words of a heading that names who issues the statement below it.
HEADING_WORDS = frozenset({"statement", "readout", "remarks", "communique", "communiqué",
                           "declaration", "release", "press", "note", "message", "letter",
                           "address", "speech", "briefing"})
QUOTE_CHARS = "\"“”"
# Words with which a speaker names whom they speak for: "as Representative of", "on behalf of".
SELF_NAMING = frozenset({"behalf", "representative", "ambassador", "delegate", "envoy",
                         "minister", "spokesperson", "spokesman", "spokeswoman"})
# Prepositions after which a heading names its topic, not its issuer.
TOPIC_PREPS = frozenset({"on", "about", "regarding", "concerning", "over", "against", "to",
                         "following", "after", "at", "in"})


def _quoted(doc: Doc) -> list[bool]:
    """For each token, whether it lies inside a quotation (quote marks paired per paragraph)."""
    inside = [False] * len(doc)
    open_ = False
    for tok in doc:
        if "\n\n" in tok.text or (tok.is_space and tok.text.count("\n") > 1):
            open_ = False  # an unclosed quote ends with its paragraph
        if tok.text in QUOTE_CHARS or tok.text in {"''", "``"}:
            if tok.text == "“" or tok.text == "``":
                open_ = True
            elif tok.text == "”" or tok.text == "''":
                open_ = False
            else:
                open_ = not open_
            continue
        inside[tok.i] = open_
    return inside


def _first_person(tok: Token) -> bool:
    lower = tok.lower_
    if lower not in FIRST_PERSON or tok.pos_ != "PRON":
        return False
    # "US" and "U.S." are the country, "I" in "World War I" no pronoun.
    return tok.text != "US" and not (lower == "i" and tok.text != "I")


def statement_issuer(doc: Doc, mentions: list[dict], registry: Registry,
                     noise: list[tuple[int, int]] = ()) -> list[dict]:
    """Who issues the document (``_issuer``): its heading's actors, a speaker who names whom
    they speak for, or the first actor stating a position in the present tense."""
    return _issuer(doc, mentions_by_token(mentions), registry, noise)


def _issuer(doc: Doc, index: dict[int, list[dict]], registry: Registry,
            noise: list[tuple[int, int]]) -> list[dict]:
    """Who issues the document: an actor named in a heading ("Statement by the Spokesperson of
    the DPRK Foreign Ministry", "Joint Statement by the Foreign Ministers of ..."), else the
    actor(s) of the first main-clause subject ("The United States condemns ...")."""
    sents = list(doc.sents)
    if sents:
        first = sents[0]
        words = {t.lower_ for t in first}
        if words & HEADING_WORDS and not first.text.rstrip().endswith((".", "?", "!")):
            # "by A, B and C": every issuer of a joint statement; what follows "on" is the
            # topic ("... Joint Statement on North Korea").
            found: dict[str, dict] = {}
            for t in first:
                if t.lower_ in TOPIC_PREPS and t.pos_ == "ADP":
                    break
                for m in index.get(t.i, []):
                    if m["start"] == t.i and not _is_media(m, registry):
                        found.setdefault(m["actor"], m)
            if found:
                return list(found.values())
    for sent in sents:
        # "I speak in my capacity as Representative of the United States", "on behalf of the
        # European Union": the speaker names whom they speak for.
        if not any(_first_person(t) for t in sent):
            continue
        for tok in sent:
            if tok.lower_ in SELF_NAMING and (
                    tok.dep_ == "pobj" and tok.head.lower_ in {"as", "on"} or tok.dep_ == "attr"):
                # "as Representative of France", "on behalf of the EU", "I am the envoy of":
                # not "the representative of the Chinese delegation did not condemn", someone
                # else the speaker talks about.
                for prep in tok.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        found = [m for p in prep.children if p.dep_ == "pobj"
                                 for m in index.get(p.i, []) if not _is_media(m, registry)]
                        if found:
                            return found[:1]
    firsts: list[dict] = []
    for sent in sents[:12]:
        if in_ranges(sent.start_char, sent.end_char, noise):
            continue
        subj = _sentence_subject_actor(sent, index)
        if subj is None or _is_media(subj, registry):
            continue
        if sent.root.lemma_.lower() in ISSUING and any(
                c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS
                for c in sent.root.children):
            # "The DPRK Foreign Ministry issued a statement": its author issues what follows.
            return _with_conjuncts(subj, index, doc)
        if sent.root.tag_ in {"VBZ", "VBP", "MD"} or any(
                c.dep_ == "aux" and c.tag_ in {"VBZ", "VBP", "MD"} for c in sent.root.children):
            # A position stated in the present ("The United States condemns", "remains"), not
            # a report of what another actor did ("the Sudanese government warned").
            return _with_conjuncts(subj, index, doc)
        firsts.append(subj)
    return _with_conjuncts(firsts[0], index, doc) if firsts else []


def _hyphen_pairs(doc: Doc, mentions: list[dict], registry: Registry,
                  noise: list[tuple[int, int]], text: str) -> list[dict]:
    """Names the tokenizer keeps joined by a hyphen after an abbreviation ("the U.S.-Mexico
    dialogue", "the U.S.-ROK alliance"): one mention per named part, all on that token."""
    taken = {i for m in mentions for i in range(m["start"], m["end"])}
    out = []
    # Only the tokens a capitalised hyphenated word starts (found in the text, not by walking
    # every token).
    for hit in _CAPITAL_HYPHEN.finditer(text):
        span = doc.char_span(hit.start(), hit.end(), alignment_mode="expand")
        if span is None or len(span) != 1:
            continue
        tok = span[0]
        if "-" not in tok.text[1:-1] or tok.i in taken or \
                in_ranges(tok.idx, tok.idx + len(tok), noise):
            continue
        forms = [registry.form(part) for part in tok.text.split("-")]
        if len(forms) < 2 or any(f is None or f.form_type not in {"alias", "adjective"}
                                 for f in forms):
            continue
        for form in forms:
            out.append(_mention(doc[tok.i : tok.i + 1], registry.canonical(form.actor_id),
                                None, "alias"))
    return out


def _past_offices(doc: Doc, mentions: list[dict], registry: Registry,
                  date: str | None) -> None:
    """A registry person out of the office that makes them speak for their state, on the
    document's date or by their title ("former President Viktor Yanukovych"), is an elite of
    that state (sector ELI), as the Phoenix people are read (``people.reading_on``)."""
    day = date[:10] if date else None
    for m in mentions:
        rec = registry.records.get(m["agent"]) if m["agent"] else None
        if rec is None or rec.kind != "person" or m["sector"] is not None:
            continue
        out_of_office = day is not None and (
            rec.start is not None and day < rec.start.isoformat() or
            rec.end is not None and rec.end.isoformat() < day)
        if out_of_office or former_title(doc, doc[m["start"]:m["end"]]):
            m["sector"] = "ELI"


def _is_media(m: dict, registry: Registry) -> bool:
    return registry.kind(m["actor"]) == "media"


def _quote_speaker(sent: Span, inside: list[bool], index) -> list[dict]:
    """The actor(s) of the subject of a speech verb outside the quotation: '"We ...," NATO
    leaders said' -> NATO."""
    for tok in sent:
        if tok.lemma_.lower() in QUOTE_VERBS and tok.pos_ in {"VERB", "AUX"} and not inside[tok.i]:
            for c in tok.children:
                if c.dep_ in SUBJECT_DEPS and not inside[c.i]:
                    own = index.get(c.i) or []
                    found = own[:1] or ([x] if (x := _np_actor(c, index)) else [])
                    if found:
                        return _with_conjuncts(found[0], index, sent.doc)
    return []


def _link_first_person(doc: Doc, mentions: list[dict], *, registry: Registry,
                       noise: list[tuple[int, int]], cols: Columns) -> list[dict]:
    """"we", "our", "I": the speaker of the quotation they stand in, else the issuer.

    '"We strongly condemn ...," NATO leaders said' -> we = NATO; in a statement ("We call on the
    Houthis to ...", "I call on the Council to ..."), the issuer (``_issuer``). A quotation
    whose sentence names no speaker takes the speaker of the quotation before it; outside a
    quotation a document with no issuer leaves first-person words unlinked.
    """
    firsts = [i for i in range(len(doc))
              if cols.lower[i] in _FIRST_PERSON_IDS and cols.pos[i] == PRON and
              _first_person(doc[i])]
    if not firsts:
        return mentions
    index = mentions_by_token(mentions)
    inside = _quoted(doc)
    issuer = _issuer(doc, index, registry, noise)
    out = list(mentions)
    last_speaker: list[dict] = []
    sentences: dict[int, tuple[Span, list[int]]] = {}  # by start, in text order
    for i in firsts:
        sent = doc[i].sent
        sentences.setdefault(sent.start, (sent, []))[1].append(i)
    for sent, words in sentences.values():
        speaker = None
        for tok in (doc[i] for i in words):
            if tok.i in index or in_ranges(tok.idx, tok.idx + len(tok), noise):
                continue
            if inside[tok.i]:
                if speaker is None:
                    speaker = _quote_speaker(sent, inside, index) or last_speaker
                    last_speaker = speaker
                targets = speaker
            else:
                targets = issuer
            for t in targets:
                m = _mention(doc[tok.i : tok.i + 1], t["actor"], t["agent"], "pronoun",
                             t.get("sector"))
                out.append(m)
                index.setdefault(tok.i, []).append(m)
    return out


def _with_conjuncts(m: dict, index: dict[int, list[dict]], doc: Doc) -> list[dict]:
    """'Iran and Belarus ... their support': a plural pronoun takes the whole coordination."""
    head = doc[m["end"] - 1]
    while head.dep_ == "conj":
        head = head.head
    out = []
    stack = [head]
    while stack:
        tok = stack.pop()
        out.extend(x for x in index.get(tok.i, []) if x not in out)
        stack.extend(_list_members(tok, lambda i: index.get(i, [])))
    return out if len(out) > 1 else [m]


def _list_members(tok: Token, mentions_at) -> list[Token]:
    """The next items of a list the parser hung on ``tok``: its conjuncts, and an apposition
    that names another actor ("The United States, Republic of Korea, and Japan": the parser
    takes the second name for an apposition of the first)."""
    own = {x["actor"] for x in mentions_at(tok.i)}
    return [c for c in tok.children if c.dep_ == "conj" or c.dep_ == "appos" and own and any(
        x["actor"] not in own for x in mentions_at(c.i))]


def _last_coordination(history: "_History", earlier: list[dict], count: int,
                        registry: Registry, doc: Doc) -> list[dict]:
    """The most recent coordination ("A, B and C") of exactly ``count`` distinct states among
    the mentions of ``history`` followed by ``earlier``."""
    def is_state(m: dict) -> bool:
        rec = registry.records.get(m["actor"])
        return rec is not None and rec.kind == "state"

    # The first mention ending at each token: the history's own index, then the sentence's.
    own: dict[int, dict] = {}
    for m in earlier:
        own.setdefault(m["end"] - 1, m)

    def ending_at(i: int) -> dict | None:
        found = history.first_at_end.get(i)
        found = own.get(i) if found is None else found
        if found is None and doc[i].dep_ == "appos" and doc[i].right_edge.i != i:
            # "..., Republic of Korea, and Japan": the apposed name ends further right.
            return ending_at(doc[i].right_edge.i)
        return found

    seen_heads = set()
    # "the two leaders discussed ... The two leaders pledged ...": a group an earlier anaphor
    # named (its mentions share one span and follow one another), collected as the walk meets
    # them and taken whole once the span ends.
    group_span, group = None, []
    for m in chain(reversed(earlier), reversed(history.items)):
        span = (m["start"], m["end"]) if m["form"] == "anaphor" else None
        if span != group_span:
            if len(group) == count:
                return group[::-1]
            group_span, group = span, []
        if span is not None:
            if is_state(m) and m["actor"] not in {g["actor"] for g in group}:
                group.append(m)
            continue
        head = doc[m["end"] - 1]
        while head.dep_ == "conj":
            head = head.head
        if head.i in seen_heads:
            continue
        seen_heads.add(head.i)
        members, stack = [], [head]
        while stack:
            tok = stack.pop()
            found = ending_at(tok.i)
            if found is None:
                # "U.S. President Joe Biden": the conjunct is the person; its actor modifies it.
                found = next((x for c in tok.children if (x := ending_at(c.i)) is not None),
                             None)
            if found is not None and is_state(found) and \
                    found["actor"] not in {x["actor"] for x in members}:
                members.append(found)
            stack.extend(_list_members(tok, lambda i: [x] if (x := ending_at(i)) else []))
        if len(members) == count:
            return sorted(members, key=lambda x: x["start"])
    return group[::-1] if len(group) == count else []


def _is_definite(tok: Token) -> bool:
    return any(c.dep_ in {"det", "poss"} and c.lower_ in {"the", "this", "that", "these", "both"}
               for c in tok.children) or any(c.lower_ == "both" for c in tok.children)


def _has_non_actor_modifier(tok: Token) -> bool:
    """'a senior EU official' has an actor; 'a police official' names no state role."""
    return any(c.dep_ == "compound" and c.pos_ == "NOUN" and c.lemma_ not in
               {"ministry", "foreign", "defence", "defense", "government", "state"}
               for c in tok.children)


class _History:
    """Every mention linked so far, in text order, with the answers the anaphor and pronoun
    rules need (the latest organisation, state, state subject, plural role) kept up to date
    as mentions are added, so a question costs the same in a long document as in a short one.
    """

    def __init__(self, doc: Doc, registry: Registry) -> None:
        self.items: list[dict] = []
        self._doc = doc
        self._registry = registry
        self.igo_at: dict[str, int] = {}  # organisation id -> position of its latest mention
        self.last_igo: int | None = None
        self.last_state: dict | None = None
        self.last_state_subject: dict | None = None
        self.plural_roles: list[dict] = []  # "NATO leaders", "officials": for a later "they"
        self.first_at_end: dict[int, dict] = {}  # token -> the first mention ending there

    def __len__(self) -> int:
        return len(self.items)

    def append(self, m: dict) -> None:
        position = len(self.items)
        self.items.append(m)
        self.first_at_end.setdefault(m["end"] - 1, m)
        kind = self._registry.kind(m["actor"])
        last = self._doc[m["end"] - 1]
        if kind == "igo":
            self.igo_at[m["actor"]] = position
            self.last_igo = position
        elif kind == "state":
            self.last_state = m
            if last.dep_ in SUBJECT_DEPS:
                self.last_state_subject = m
        if m["form"] == "role" and last.tag_ in {"NNS", "NNPS"}:
            self.plural_roles.append(m)

    def latest_igo(self, allowed: tuple[str, ...] | None) -> dict | None:
        """The latest organisation mention, among ``allowed`` ids unless None."""
        if allowed is None:
            found = self.last_igo
        else:
            found = max((self.igo_at[a] for a in allowed if a in self.igo_at), default=None)
        return None if found is None else self.items[found]


def _resolve_pronoun(tok: Token, sent: Span, index, history: _History, since: int,
                     focus) -> dict | None:
    """'its'/'their' -> the nearest earlier subject actor outside the pronoun's own clause.

    "North Korea denounced a declaration that condemned its exports" -> its = North Korea:
    the clause subject (the declaration, i.e. NATO) cannot be what "its" refers to.
    """
    clause = tok.head
    while clause.dep_ not in {"ROOT", "relcl", "ccomp", "advcl", "conj", "acl", "xcomp", "pcomp"} and \
            clause.head is not clause:
        clause = clause.head
    clause_subjects = set()
    for c in clause.children:
        # Only a relative clause's subject is barred: in "a declaration that condemned its
        # exports" the declaration is not "its"; in "Russia must halt its attacks" Russia is.
        if c.dep_ == "nsubj" and c.lower_ in {"that", "which", "who"}:
            target = c.head.head
            for m in index.get(target.i, []):
                clause_subjects.add(m["actor"])
            owner = _np_actor(target, index)
            if owner:
                clause_subjects.add(owner["actor"])
    # The sentence's own mentions are the history from ``since`` on: every earlier entry was
    # added at a token of an earlier sentence.
    before = [m for m in history.items[since:] if m["end"] <= tok.i and m["start"] >= sent.start]
    if tok.lower_ in {"they", "it"}:
        if tok.dep_ not in SUBJECT_DEPS:
            return None
        plural = [m for m in before if tok.doc[m["end"] - 1].tag_ in {"NNS", "NNPS"}]
        if tok.lower_ == "they" and plural:
            return plural[-1]
        if tok.lower_ == "they":
            # The latest plural role before this sentence ("NATO leaders ... They said").
            prev = next((m for m in reversed(history.plural_roles) if m["end"] <= sent.start),
                        None)
            if prev is not None:
                return prev
            if sent.start > 0:
                # "The members of the Security Council expressed ... They called on ...": the
                # plural subject of the sentence before, by the actor it names.
                before_start = tok.doc[sent.start - 1].sent.start
                for m in reversed(history.items):
                    if m["end"] > sent.start:
                        continue
                    if m["start"] < before_start:
                        break
                    head = tok.doc[m["end"] - 1]
                    while head.dep_ in {"pobj", "prep", "compound", "poss", "amod", "nmod"} \
                            and head.head is not head:
                        head = head.head
                    if head.dep_ in SUBJECT_DEPS and head.tag_ in {"NNS", "NNPS"}:
                        return m
        if tok.lower_ == "it" and clause.lemma_.lower() != "be":
            # "Pakistan's army said it had shot down ...": the subject of the speech verb.
            subjects = [m for m in before if tok.doc[m["end"] - 1].dep_ in SUBJECT_DEPS]
            return subjects[-1] if subjects else None
        return None
    owner = tok.head
    if tok.dep_ == "poss" and owner.dep_ == "pobj" and owner.head.lower_ in {"over", "for"} \
            and owner.head.head.pos_ == "VERB":
        # "The EU sanctioned Iran over its deliveries", "thanked Japan for its help": what
        # the verb is done to is whose conduct the reason names.
        objects = [m for m in before for c in owner.head.head.children
                   if c.dep_ == "dobj" and m["start"] <= c.i < m["end"]]
        if objects:
            return objects[-1]
    subjects = [m for m in before if tok.doc[m["start"]].dep_ in SUBJECT_DEPS or
                tok.doc[m["end"] - 1].dep_ in SUBJECT_DEPS]
    for m in reversed(subjects):
        if m["actor"] not in clause_subjects:
            return m
    for m in reversed(before):
        if m["actor"] not in clause_subjects:
            return m
    for m in reversed(focus):
        if m["actor"] not in clause_subjects:
            return m
    return None


# The lemmas _resolve_anaphor can resolve; any other noun refers back to no actor.
_ANAPHOR_LEMMAS = frozenset(ANAPHORS) | STATE_NOUNS | PAIR_NOUNS


def _resolve_anaphor(tok: Token, history: _History, earlier: list[dict],
                     registry: Registry) -> list[dict]:
    """What a definite noun phrase refers back to; ``earlier`` holds the mentions of the
    sentence before ``tok``, which come after everything in ``history``."""
    lemma = tok.lemma_.lower()
    doc = tok.doc
    span = _np_span(tok)
    if lemma in ANAPHORS:
        allowed = ANAPHORS[lemma]
        found = next((m for m in reversed(earlier) if registry.kind(m["actor"]) == "igo" and
                      (allowed is None or m["actor"] in allowed)), None)
        found = found or history.latest_igo(allowed)
        if found is not None:
            return [_mention(span, found["actor"], None, "anaphor")]
        if tok.text == "Council" and "UNSC" in registry.records:
            # "I call on the Council to ...", "this Council" with no council named before: in
            # diplomatic prose the capitalised Council is the Security Council.
            return [_mention(span, "UNSC", None, "anaphor")]
        return []
    count = next((NUMBER_WORDS[c.lower_] for c in tok.children if c.lower_ in NUMBER_WORDS), 0)
    if lemma in STATE_NOUNS and tok.tag_ in {"NN", "NNP"} and not count and \
            not any(c.dep_ in {"amod", "compound", "prep"} for c in tok.children):
        # "North Korea condemned NATO. The country also denounced ...": the last state that
        # was a subject, else the last state named.
        states = [m for m in earlier if registry.kind(m["actor"]) == "state"]
        subjects = [m for m in states if doc[m["end"] - 1].dep_ in SUBJECT_DEPS]
        pick = (subjects[-1] if subjects else history.last_state_subject) or \
            (states[-1] if states else history.last_state)
        return [_mention(span, pick["actor"], None, "anaphor")] if pick else []
    if lemma in PAIR_NOUNS and tok.tag_ in {"NNS", "NNPS"} and count:
        # "the two countries", "the three leaders": the last coordination of N states named
        # ("Yoon, Biden and Kishida condemned ... the three leaders urged"), else the last N.
        group = _last_coordination(history, earlier, count, registry, doc)
        if group:
            return [_mention(doc[span.start : span.end], s["actor"], None, "anaphor")
                    for s in group]
        states: list[dict] = []
        for m in chain(reversed(earlier), reversed(history.items)):
            rec = registry.records.get(m["actor"])
            if rec and rec.kind == "state" and m["actor"] not in {s["actor"] for s in states}:
                states.append(m)
            if len(states) == count:
                break
        if len(states) == count:
            return [_mention(doc[span.start : span.end], s["actor"], None, "anaphor")
                    for s in reversed(states)]
    return []
