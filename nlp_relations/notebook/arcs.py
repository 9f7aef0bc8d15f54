"""Sentences drawn as SVG: actor mentions boxed, relation arcs from subject to object.

The layout is computed here, in Python, so the SVG needs no script and renders the same
in Jupyter, in nbconvert's HTML and on a static viewer. Words are measured with the
DejaVu Sans metrics that ship with matplotlib, and every word carries a ``textLength``
so that a browser that substitutes another font still keeps the boxes under their words.

Long sentences wrap. An arc whose two ends fall on different lines is drawn in two
halves, as brat does: from the subject to the edge of its line, and from the edge of
the object's line down to the object, both halves labelled.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from nlp_relations.notebook.colors import STANCE_COLORS, actor_color
from nlp_relations.notebook.html import HTMLView
from nlp_relations.schemas import DocResult, Mention, Triple

__all__ = ["relation_arcs", "sentence_svg"]

FONT_FAMILY = "'DejaVu Sans', Verdana, Geneva, sans-serif"
FONT_SIZE = 14
LABEL_SIZE = 10
LEVEL_HEIGHT = 17
ROW_HEIGHT = 22  # the mention box
ID_ROW = 13  # the actor id under a mention box
LINE_GAP = 8
MARGIN = 8
PAD = 3  # horizontal padding of a mention box
_WORD = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _text_to_path():
    try:
        from matplotlib.font_manager import FontProperties
        from matplotlib.textpath import TextToPath
    except ImportError:  # matplotlib is in the `notebook` extra; fall back to an estimate
        return None
    return TextToPath(), FontProperties


@lru_cache(maxsize=8192)
def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Width in pixels of ``text`` set in DejaVu Sans at ``size`` px."""
    tools = _text_to_path()
    if tools is None:
        return 0.6 * size * len(text)
    ttp, props = tools
    prop = props(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    width, _, _ = ttp.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def _space(size: float) -> float:
    return text_width("a a", size) - text_width("aa", size)


@dataclass
class _Chunk:
    start: int
    end: int
    text: str
    mention: int | None = None
    bold: str | None = None  # colour of a trigger word
    glued: bool = False  # no space before it (punctuation after a mention)
    x: float = 0.0
    width: float = 0.0
    line: int = 0


@dataclass
class _Segment:
    relation: int
    x_from: float
    x_to: float
    label: str
    color: str
    dashed: bool
    arrow: bool
    from_edge: bool = False  # starts at the line edge: its subject is on another line
    to_edge: bool = False  # ends at the line edge: its object is on another line
    level: int = 0
    extent: tuple[float, float] = (0.0, 0.0)


@dataclass
class _Line:
    chunks: list[_Chunk] = field(default_factory=list)
    segments: list[_Segment] = field(default_factory=list)
    top: float = 0.0
    box_top: float = 0.0


def _chunks(sentence: str, mentions: Sequence[dict]) -> list[_Chunk]:
    """Words of the sentence, with each mention kept whole as one chunk."""
    chunks: list[_Chunk] = []
    pos = 0
    for i, m in sorted(enumerate(mentions), key=lambda im: im[1]["start"]):
        for w in _WORD.finditer(sentence, pos, m["start"]):
            chunks.append(_Chunk(w.start(), w.end(), w.group()))
        chunks.append(_Chunk(m["start"], m["end"], sentence[m["start"]:m["end"]], mention=i))
        pos = m["end"]
    for w in _WORD.finditer(sentence, pos):
        chunks.append(_Chunk(w.start(), w.end(), w.group()))
    for prev, chunk in zip(chunks, chunks[1:]):
        chunk.glued = not sentence[prev.end:chunk.start]
    return chunks


def _mark_triggers(chunks: list[_Chunk], relations: Sequence[dict]) -> None:
    for rel in relations:
        span = rel.get("trigger")
        if not span:
            continue
        for chunk in chunks:
            if chunk.mention is None and chunk.start < span[1] and span[0] < chunk.end:
                chunk.bold = STANCE_COLORS.get(rel.get("stance", "neutral"), "#333")


def _wrap(chunks: list[_Chunk], width: float) -> list[_Line]:
    """Greedy line breaking; glued chunks (``Russia`` + ``.``) never split."""
    space = _space(FONT_SIZE)
    lines = [_Line()]
    x = MARGIN
    i = 0
    while i < len(chunks):
        j = i + 1
        while j < len(chunks) and chunks[j].glued:
            j += 1
        group = chunks[i:j]
        for c in group:
            c.width = text_width(c.text, FONT_SIZE, bold=c.bold is not None)
            if c.mention is not None:
                c.width += 2 * PAD
        group_width = sum(c.width for c in group)
        if lines[-1].chunks and x + space + group_width > width - MARGIN:
            lines.append(_Line())
            x = MARGIN
        elif lines[-1].chunks:
            x += space
        for c in group:
            c.x = x
            c.line = len(lines) - 1
            x += c.width
            lines[-1].chunks.append(c)
        i = j
    return lines


def _label(rel: dict) -> str:
    text = ("NOT " if rel.get("negated") else "") + rel["label"]
    modality = rel.get("modality")
    if modality and modality != "asserted":
        text += f" ({modality})"
    return text


def _anchors(chunks: list[_Chunk], relations: Sequence[dict]) -> dict[tuple[int, str], float]:
    """Where each arc touches its mention: ends sharing a mention are spread across it."""
    by_mention: dict[int, _Chunk] = {c.mention: c for c in chunks if c.mention is not None}
    ends: dict[int, list[tuple[float, int, str]]] = {}
    for r, rel in enumerate(relations):
        s, o = by_mention[rel["subject"]], by_mention[rel["object"]]
        for here, there, role in ((s, o, "s"), (o, s, "o")):
            if there.line != here.line:
                other = -1e9 if there.line < here.line else 1e9
            else:
                other = there.x
            ends.setdefault(id(here), []).append((other, r, role))
    out = {}
    for c in by_mention.values():
        mine = sorted(ends.get(id(c), []))
        for k, (_, r, role) in enumerate(mine):
            out[(r, role)] = c.x + (k + 1) * c.width / (len(mine) + 1)
    return out


def _line_end(line: _Line) -> float:
    last = line.chunks[-1]
    return last.x + last.width + 6


def _segments(lines: list[_Line], chunks: list[_Chunk], relations: Sequence[dict],
              width: float) -> None:
    by_mention = {c.mention: c for c in chunks if c.mention is not None}
    anchor = _anchors(chunks, relations)
    for r, rel in enumerate(relations):
        s, o = by_mention[rel["subject"]], by_mention[rel["object"]]
        xs, xo = anchor[(r, "s")], anchor[(r, "o")]
        style = {
            "label": _label(rel),
            "color": STANCE_COLORS.get(rel.get("stance", "neutral"), "#333"),
            "dashed": bool(rel.get("negated")),
        }
        if s.line == o.line:
            lines[s.line].segments.append(_Segment(r, xs, xo, arrow=True, **style))
            continue
        # Split across lines: each half runs to the end of its line that faces the other
        # line (the end of the text on the earlier line, the margin on the later one).
        s_edge = _line_end(lines[s.line]) if s.line < o.line else MARGIN
        o_edge = MARGIN if s.line < o.line else _line_end(lines[o.line])
        lines[s.line].segments.append(_Segment(r, xs, s_edge, arrow=False, to_edge=True, **style))
        lines[o.line].segments.append(
            _Segment(r, o_edge, xo, arrow=True, from_edge=True, **style))
    for line in lines:
        _stack(line.segments)


def _stack(segments: list[_Segment]) -> None:
    """Give each arc the lowest level above every shorter arc it overlaps."""
    for seg in segments:
        lo, hi = min(seg.x_from, seg.x_to), max(seg.x_from, seg.x_to)
        half = text_width(seg.label, LABEL_SIZE) / 2 + 4
        mid = (lo + hi) / 2
        seg.extent = (min(lo, mid - half), max(hi, mid + half))
    placed: list[_Segment] = []
    for seg in sorted(segments, key=lambda s: (s.extent[1] - s.extent[0], s.extent[0])):
        below = [p.level for p in placed
                 if p.extent[0] < seg.extent[1] + 2 and seg.extent[0] < p.extent[1] + 2]
        seg.level = 1 + max(below, default=0)
        placed.append(seg)


def _segment_svg(seg: _Segment, line: _Line, width: float, marker: str) -> str:
    base = line.box_top - 1
    top = line.box_top - seg.level * LEVEL_HEIGHT
    a, b = seg.x_from, seg.x_to
    sign = 1 if b >= a else -1
    radius = min(5.0, abs(b - a) / 2)
    d = []
    if seg.from_edge:
        d.append(f"M{a:.1f},{top:.1f}")
    else:
        d.append(f"M{a:.1f},{base:.1f} V{top + radius:.1f} "
                 f"Q{a:.1f},{top:.1f} {a + sign * radius:.1f},{top:.1f}")
    if seg.to_edge:
        d.append(f"H{b:.1f}")
    else:
        d.append(f"H{b - sign * radius:.1f} Q{b:.1f},{top:.1f} {b:.1f},{top + radius:.1f} "
                 f"V{base:.1f}")
    dash = ' stroke-dasharray="4 3"' if seg.dashed else ""
    arrow = f' marker-end="url(#{marker})"' if seg.arrow else ""
    mid = (a + b) / 2
    label_w = text_width(seg.label, LABEL_SIZE) + 6
    return (
        f'<path d="{" ".join(d)}" fill="none" stroke="{seg.color}" stroke-width="1.4"'
        f"{dash}{arrow}/>"
        f'<rect x="{mid - label_w / 2:.1f}" y="{top - 7:.1f}" width="{label_w:.1f}" height="13" '
        f'rx="3" fill="white" fill-opacity="0.9"/>'
        f'<text x="{mid:.1f}" y="{top + 3.5:.1f}" text-anchor="middle" font-size="{LABEL_SIZE}" '
        f'fill="{seg.color}">{escape(seg.label)}</text>'
    )


def sentence_svg(
    sentence: str,
    mentions: Sequence[dict],
    relations: Sequence[dict],
    *,
    width: int = 860,
) -> str:
    """One sentence as an SVG string.

    Args:
        sentence: the sentence text.
        mentions: ``{"start", "end", "label"}`` dicts, character offsets into ``sentence``;
            they must not overlap.
        relations: ``{"subject", "object", "label"}`` dicts (indices into ``mentions``), with
            optional ``stance``, ``negated``, ``modality`` and ``trigger`` (a ``(start, end)``
            pair of offsets, drawn in bold).
        width: the SVG width in pixels; the sentence wraps to fit.

    Example:
        >>> svg = sentence_svg(
        ...     "NATO condemned Pyongyang.",
        ...     [{"start": 0, "end": 4, "label": "NATO"}, {"start": 15, "end": 24, "label": "PRK"}],
        ...     [{"subject": 0, "object": 1, "label": "condemns", "stance": "negative"}])
        >>> svg.startswith("<svg") and "condemns" in svg
        True
    """
    chunks = _chunks(sentence, mentions)
    _mark_triggers(chunks, relations)
    lines = _wrap(chunks, width)
    _segments(lines, chunks, relations, width)
    y = 4.0
    for line in lines:
        levels = max((s.level for s in line.segments), default=0)
        line.top = y
        line.box_top = y + (levels * LEVEL_HEIGHT + 6 if levels else 2)
        has_ids = any(c.mention is not None for c in line.chunks)
        y = line.box_top + ROW_HEIGHT + (ID_ROW if has_ids else 0) + LINE_GAP
    height = y - LINE_GAP + 2
    marker_ids = {}
    defs = []
    prefix = "arc" + uuid.uuid4().hex[:8]
    for color in sorted({s.color for line in lines for s in line.segments}):
        mid = f"{prefix}-{len(marker_ids)}"
        marker_ids[color] = mid
        defs.append(
            f'<marker id="{mid}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{color}"/></marker>'
        )
    body = []
    for line in lines:
        baseline = line.box_top + ROW_HEIGHT / 2 + FONT_SIZE * 0.36
        for c in line.chunks:
            if c.mention is not None:
                m = mentions[c.mention]
                fill = actor_color(m["label"])
                body.append(
                    f'<rect x="{c.x:.1f}" y="{line.box_top:.1f}" width="{c.width:.1f}" '
                    f'height="{ROW_HEIGHT}" rx="4" fill="{fill}"/>'
                    f'<text x="{c.x + c.width / 2:.1f}" y="{line.box_top + ROW_HEIGHT + 10:.1f}" '
                    f'text-anchor="middle" font-size="9.5" font-weight="bold" fill="#444">'
                    f'{escape(m["label"])}</text>'
                )
                inner_x, inner_w = c.x + PAD, c.width - 2 * PAD
            else:
                inner_x, inner_w = c.x, c.width
            weight = f' font-weight="bold" fill="{c.bold}"' if c.bold else ""
            body.append(
                f'<text x="{inner_x:.1f}" y="{baseline:.1f}" textLength="{inner_w:.1f}" '
                f'lengthAdjust="spacingAndGlyphs"{weight}>{escape(c.text)}</text>'
            )
        for seg in line.segments:
            body.append(_segment_svg(seg, line, width, marker_ids[seg.color]))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" font-family="{FONT_FAMILY}" '
        f'font-size="{FONT_SIZE}" style="max-width:100%;height:auto">'
        f"<defs>{''.join(defs)}</defs>{''.join(body)}</svg>"
    )


# -- from extraction results ------------------------------------------------------------


def _locate(sentence: str, text: str, guess: int) -> int | None:
    """The offset of ``text`` in ``sentence`` nearest to ``guess``.

    Evidence sentences are stripped of surrounding white space, so the offsets of a
    mention relative to the sentence start may be off by the few characters removed.
    """
    if not text:
        return None
    if sentence[guess:guess + len(text)] == text:
        return guess
    found = [m.start() for m in re.finditer(re.escape(text), sentence)]
    return min(found, key=lambda p: abs(p - guess)) if found else None


def _trigger_span(sentence: str, trigger: str, near: float, taken: list[tuple[int, int]]):
    best = None
    for m in re.finditer(re.escape(trigger), sentence):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        if best is None or abs(m.start() - near) < abs(best[0] - near):
            best = (m.start(), m.end())
    return best


def _items(items: Any) -> list[tuple[Triple, DocResult | None]]:
    if isinstance(items, (Triple, DocResult)):
        items = [items]
    out = []
    for item in items:
        if isinstance(item, DocResult):
            out.extend((t, item) for t in item.triples)
        elif isinstance(item, Triple):
            out.append((item, None))
        else:
            raise TypeError(f"Expected Triple or DocResult items, got {type(item).__name__}.")
    return out


def _sentence_view(sentence: str, offset: int, triples: list[Triple],
                   others: Iterable[Mention]) -> tuple[list[dict], list[dict]]:
    mentions: list[dict] = []
    index: dict[tuple[int, int], int] = {}

    def add(m: Mention) -> int | None:
        start = _locate(sentence, m.text, m.start_char - offset)
        if start is None:
            return None
        key = (start, start + len(m.text))
        if key in index:
            return index[key]
        if any(s < key[1] and key[0] < e for s, e in index):
            return None  # overlaps a mention already drawn
        index[key] = len(mentions)
        mentions.append({"start": key[0], "end": key[1], "label": m.actor.id})
        return index[key]

    relations, seen = [], set()
    for t in triples:
        if t.object is None:
            continue
        s, o = add(t.subject), add(t.object)
        if s is None or o is None or s == o:
            continue
        key = (s, o, t.predicate.value, t.negated, t.modality)
        if key in seen:
            continue
        seen.add(key)
        relations.append({"subject": s, "object": o, "label": t.predicate.value,
                          "stance": t.stance, "negated": t.negated, "modality": t.modality,
                          "trigger_text": t.evidence.trigger})
    for m in others:
        add(m)
    taken = [(m["start"], m["end"]) for m in mentions]
    for rel in relations:
        near = (mentions[rel["subject"]]["start"] + mentions[rel["object"]]["start"]) / 2
        rel["trigger"] = _trigger_span(sentence, rel.pop("trigger_text"), near, taken)
    return mentions, relations


def relation_arcs(items: Any, *, max_sentences: int | None = 20, width: int = 860) -> HTMLView:
    """Each evidence sentence with its actors boxed and its relations drawn as arcs.

    Args:
        items: ``DocResult``s (their other actor mentions in the sentence are boxed too)
            or ``Triple``s, alone or in an iterable.
        max_sentences: draw at most this many sentences (None for all).
        width: width of each drawing in pixels.

    Example:
        >>> relation_arcs(results[0])        # doctest: +SKIP
    """
    groups: dict[tuple[str, int], list[tuple[Triple, DocResult | None]]] = {}
    for t, result in _items(items):
        if t.object is None:
            continue
        groups.setdefault((t.evidence.doc_id, t.evidence.start_char), []).append((t, result))
    figures = []
    for n, ((doc_id, _), pairs) in enumerate(groups.items()):
        if max_sentences is not None and n >= max_sentences:
            break
        triples = [t for t, _ in pairs]
        ev = triples[0].evidence
        result = pairs[0][1]
        others = []
        if result is not None:
            others = [m for m in result.actors if ev.start_char <= m.start_char < ev.end_char]
        mentions, relations = _sentence_view(ev.sentence, ev.start_char, triples, others)
        if not relations:
            continue
        sources = sorted({t.source.actor.id for t in triples if t.source})
        speakers = sorted({t.speaker.actor.id for t in triples if t.speaker})
        meta = [escape(doc_id)]
        if ev.doc_date:
            meta.append(escape(ev.doc_date))
        if speakers:
            meta.append("speaker: " + escape(", ".join(speakers)))
        if sources:
            meta.append("source: " + escape(", ".join(sources)))
        figures.append(
            '<figure style="margin:0 0 14px 0">'
            '<figcaption style="font:11px sans-serif;color:#666;margin-bottom:2px">'
            f"{' &middot; '.join(meta)}</figcaption>"
            f"{sentence_svg(ev.sentence, mentions, relations, width=width)}</figure>"
        )
    total = len(groups)
    note = ""
    if max_sentences is not None and total > max_sentences:
        note = (f'<p style="font:11px sans-serif;color:#666">{max_sentences} of {total} '
                "sentences shown; pass max_sentences=None for all.</p>")
    return HTMLView(f"<div>{''.join(figures)}{note}</div>")
