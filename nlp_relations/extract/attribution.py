"""Who said it and who carried it: speaker and source of each triple.

An outlet (kind ``media``) that only reports a statement goes to ``source``; never to the
subject and never to ``speaker``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .columns import Columns, get_string_id
from .mentions import mention_ref, mentions_by_token
from .epistemic import apply_frames
from .noise import find_dateline_source

__all__ = ["SPEECH_VERBS", "CARRY_VERBS", "attribute"]

# "X said (that) ...", "X told reporters ...", "X added": the subject of these is the speaker.
SPEECH_VERBS = frozenset({"say", "tell", "state", "add", "claim", "announce", "report", "note",
                          "insist", "declare", "write", "assert", "argue", "allege", "stress",
                          "emphasize", "emphasise", "comment", "explain", "quote", "accord",
                          "cast", "call", "describe", "reiterate", "confirm"})
# "a statement carried by KCNA", "comments published by Xinhua": the agent is the source.
_ACCORDING = get_string_id("according")
CARRY_VERBS = frozenset({"carry", "publish", "broadcast", "release", "report", "air", "quote",
                         "cite", "run", "distribute"})


# Predicates an actor performs by speaking; a statement an outlet carried can hold them.
VERBAL = frozenset({"condemns", "denounces", "criticizes", "accuses", "rejects", "threatens",
                    "warns", "expresses_concern", "demands", "urges", "protests", "supports",
                    "praises"})


def _is_media(actor_id: str | None, registry) -> bool:
    return registry is not None and registry.kind(actor_id) == "media"


def _actor_of(tok: Token, index) -> dict | None:
    if tok.i in index:
        return index[tok.i][0]
    for c in tok.children:
        if c.dep_ in {"compound", "amod", "poss"} and c.i in index:
            return index[c.i][0]
    return None


def _agent_pobj(tok: Token):
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            for p in c.children:
                if p.dep_ == "pobj":
                    yield p


def _sentence_attribution(sent, index, registry, cols: Columns):
    """Speaker, source, the speech verbs and the reporting outlet of one sentence."""
    speaker = source = reported_by = None
    speech: list[Token] = []
    doc = sent.doc
    for i in range(sent.start, sent.end):
        lemma = cols.lemma_lower(i)
        if lemma not in CARRY_VERBS and lemma not in SPEECH_VERBS and cols.lower[i] != _ACCORDING:
            continue  # none of the three tests below holds
        tok = doc[i]
        if lemma in CARRY_VERBS and tok.dep_ in {"acl", "relcl", "advcl"} or \
                (lemma in CARRY_VERBS and tok.tag_ == "VBN"):
            # "in a statement carried by the Korean Central News Agency"
            for p in _agent_pobj(tok):
                m = _actor_of(p, index)
                if m and _is_media(m["actor"], registry):
                    source = source or m
        if tok.lower_ == "according":
            # "according to TASS" / "according to the ministry"
            for c in tok.children:
                for p in c.children if c.lower_ == "to" else []:
                    m = _actor_of(p, index)
                    if m and _is_media(m["actor"], registry):
                        source = source or m
                    elif m:
                        speaker = speaker or m
        if lemma in SPEECH_VERBS and tok.pos_ in {"VERB", "AUX"}:
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            speech.append(tok)
            m = _actor_of(subj, index)
            if m is None:
                continue
            if _is_media(m["actor"], registry):
                # "Yonhap News reported": the outlet reports the whole story.
                if lemma == "report":
                    reported_by = reported_by or m
                else:
                    source = source or m
            else:
                speaker = speaker or m
    return speaker, source, speech, reported_by


def attribute(doc: Doc, triples: list[dict], mentions: list[dict], *, registry=None,
              noise=(), cols: Columns | None = None, index: dict[int, list[dict]] | None = None,
              dateline: list | tuple | None = None) -> None:
    """Fill ``speaker`` and ``source`` of each triple in place.

    Sentence-level evidence wins ("said in a statement carried by KCNA"); otherwise an actor
    whose statement an outlet carried elsewhere in the document keeps that outlet; otherwise
    the outlet that reported the whole story (a dateline "(Yonhap)" or "Yonhap reported").

    ``cols``, ``index`` (``mentions_by_token(mentions)``) and ``dateline`` (the outlet the
    dateline names, ``find_dateline_source``'s answer as a list, empty for none) are computed
    here when not given.
    """
    index = mentions_by_token(mentions) if index is None else index
    cols = Columns(doc) if cols is None else cols
    sentences = {}
    carrier: dict[str, dict] = {}  # speaker actor -> outlet that carried their statement
    reporter: dict | None = None
    for sent in doc.sents:
        speaker, source, speech, reported_by = _sentence_attribution(sent, index, registry, cols)
        if source is None and speaker is None:
            source = reported_by
        sentences[sent.start_char] = (speaker, source, speech)
        if speaker and source:
            carrier.setdefault(speaker["actor"], source)
        if reporter is None and reported_by is not None:
            reporter = reported_by
    if reporter is None:
        dl = find_dateline_source(doc.text) if dateline is None else dateline or None
        if dl is not None and registry is not None:
            form = registry.lookup(dl[0])
            if form is not None and _is_media(form.actor_id, registry):
                reporter = {"actor": form.actor_id, "agent": None, "text": dl[0],
                            "start_char": dl[1], "end_char": dl[2], "form": "alias"}
    for t in triples:
        speaker, source, speech = sentences.get(t["sent_start"], (None, None, []))
        if speaker is not None and speech:
            t["speaker"] = mention_ref(speaker)
        elif speaker is not None and t["speaker"] is None:
            t["speaker"] = mention_ref(speaker)
        if source is None and t["speaker"]:
            source = carrier.get(t["speaker"]["actor"])
        if source is None and t["predicate"] in VERBAL:
            # "North Korea denounced ..." when its statement was carried by KCNA.
            source = carrier.get(t["subject"]["actor"])
        source = source or reporter
        if source is not None and source["actor"] != t["subject"]["actor"]:
            t["source"] = mention_ref(source)
    # Claims and denials: "allegedly supplied", "denied that ...": modality, negation, speaker.
    apply_frames(doc, triples, mentions, index=index, cols=cols)
