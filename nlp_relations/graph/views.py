"""Read-only views of a relation graph as pandas DataFrames, and evidence filtering.

Each function takes the graph first; :class:`~nlp_relations.graph.build.RelationGraph`
exposes them as methods (``g.dyad("PRK", "NATO")``, ``g.timeline(freq="M")``, ...).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from html import escape
from typing import get_args

import pandas as pd

from nlp_relations.errors import Errors
from nlp_relations.graph.build import RelationGraph, _absorb, _finalise, _Pending
from nlp_relations.schemas import PREDICATES, Modality

__all__ = [
    "dyad",
    "timeline",
    "stance_matrix",
    "filter_graph",
    "edges_frame",
    "nodes_frame",
    "summary_html",
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
]

EDGE_COLUMNS = (
    "subject",
    "object",
    "key",
    "predicate",
    "category",
    "cameo",
    "stance",
    "negated",
    "modality",
    "count",
    "n_documents",
    "n_sources",
    "first_seen",
    "last_seen",
    "confidence_mean",
    "confidence_max",
    "sources",
    "documents",
    "methods",
)
NODE_COLUMNS = (
    "name",
    "kind",
    "country",
    "mentions",
    "out_count",
    "in_count",
    "n_events",
    "aliases",
)
STANCE_SIGN = {"positive": 1, "neutral": 0, "negative": -1}
_FREQS = ("D", "M")
_MODALITIES = get_args(Modality)


def edges_frame(g: RelationGraph) -> pd.DataFrame:
    """One row per edge (sorted by key); the evidence list itself is left out.

    ``count`` is the number of assertions (evidence records) behind the edge.
    """
    rows = [
        {"subject": u, "object": v, "key": key, **{c: data.get(c) for c in EDGE_COLUMNS[3:]}}
        for u, v, key, data in g.edges(keys=True, data=True)
    ]
    rows.sort(key=lambda r: r["key"])
    return pd.DataFrame(rows, columns=list(EDGE_COLUMNS))


def nodes_frame(g: RelationGraph) -> pd.DataFrame:
    """One row per actor, indexed by actor id, with assertion counts as subject/object."""
    rows = []
    for node, data in sorted(g.nodes(data=True)):
        rows.append(
            {
                "id": node,
                "name": data.get("name"),
                "kind": data.get("kind"),
                "country": data.get("country"),
                "mentions": data.get("mentions", 0),
                "out_count": sum(d.get("count", 0) for _, _, d in g.out_edges(node, data=True)),
                "in_count": sum(d.get("count", 0) for _, _, d in g.in_edges(node, data=True)),
                "n_events": sum(e.get("count", 0) for e in data.get("events", [])),
                "aliases": data.get("aliases", []),
            }
        )
    return pd.DataFrame(rows, columns=["id", *NODE_COLUMNS]).set_index("id")


def _check_actor(g: RelationGraph, actor: str) -> None:
    if actor not in g:
        close = difflib.get_close_matches(actor, [str(n) for n in g.nodes], n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise KeyError(
            f"Unknown actor {actor!r}: it is not a node of this graph (no triple names it, "
            f"or a filter removed it).{hint}"
        )


def dyad(g: RelationGraph, a: str, b: str) -> pd.DataFrame:
    """The edges between ``a`` and ``b`` in both directions, one row per edge.

    Example:
        >>> g.dyad("PRK", "NATO")[["subject", "predicate", "object", "count"]]  # doctest: +SKIP
    """
    _check_actor(g, a)
    _check_actor(g, b)
    frame = edges_frame(g)
    pairs = ((frame["subject"] == a) & (frame["object"] == b)) | (
        (frame["subject"] == b) & (frame["object"] == a)
    )
    return frame[pairs].reset_index(drop=True)


def timeline(
    g: RelationGraph,
    subject: str | None = None,
    object: str | None = None,  # noqa: A002 - mirrors the Triple field
    predicate: str | None = None,
    freq: str = "D",
) -> pd.DataFrame:
    """Number of assertions per day (``freq="D"``) or month (``"M"``).

    Evidence without a date is left out. Periods without assertions between the first
    and the last are filled with 0. Object-less events (``PRK threatens``) are counted
    unless ``object`` is given.

    Returns:
        A DataFrame with columns ``date`` (the period start, a Timestamp) and ``count``.
    """
    if freq not in _FREQS:
        raise ValueError(
            f"Unknown timeline frequency {freq!r}; expected one of: D (day), M (month)."
        )
    if predicate is not None:
        predicate = _check_predicates([predicate])[0]
    for actor in (subject, object):
        if actor is not None:
            _check_actor(g, actor)
    dates: list[str] = []

    def wanted(pred: str) -> bool:
        return predicate is None or pred == predicate

    for u, v, data in g.edges(data=True):
        if (
            (subject is None or u == subject)
            and (object is None or v == object)
            and wanted(data["predicate"])
        ):
            dates.extend(r["doc_date"] for r in data["evidence"] if r.get("doc_date"))
    if object is None:
        for node, data in g.nodes(data=True):
            if subject is not None and node != subject:
                continue
            for event in data.get("events", []):
                if wanted(event["predicate"]):
                    dates.extend(r["doc_date"] for r in event["evidence"] if r.get("doc_date"))
    if not dates:
        return pd.DataFrame(
            {"date": pd.Series(dtype="datetime64[ns]"), "count": pd.Series(dtype="int64")}
        )
    # The calendar day as written: a time or UTC offset after it does not move the day.
    periods = pd.to_datetime(pd.Series([d[:10] for d in dates]), format="ISO8601")
    periods = periods.dt.to_period(freq)
    counts = periods.value_counts()
    full = pd.period_range(periods.min(), periods.max(), freq=freq)
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({"date": full.to_timestamp(), "count": counts.to_numpy(dtype="int64")})


def stance_matrix(
    g: RelationGraph, actors: Iterable[str] | None = None, *, include_negated: bool = False
) -> pd.DataFrame:
    """Net stance of each subject (rows) towards each object (columns).

    The score is the sum over edges of ``count * sign(stance)`` (+1 positive, 0 neutral,
    -1 negative). Negated edges ("did not condemn") say nothing about stance, so they are
    left out unless ``include_negated``.

    Args:
        actors: the row and column ids, in that order; by default every actor that is the
            subject or object of an edge, sorted.
    """
    if actors is None:
        ids = sorted({n for u, v in g.edges() for n in (u, v)})
    else:
        ids = list(dict.fromkeys(actors))
    index = {a: i for i, a in enumerate(ids)}
    values = [[0] * len(ids) for _ in ids]
    for u, v, data in g.edges(data=True):
        if u not in index or v not in index or (data["negated"] and not include_negated):
            continue
        values[index[u]][index[v]] += data["count"] * STANCE_SIGN.get(data["stance"], 0)
    frame = pd.DataFrame(
        values, index=pd.Index(ids, name="subject"), columns=pd.Index(ids, name="object")
    )
    return frame.astype("int64")


def _check_predicates(predicates: Iterable[str]) -> list[str]:
    out = []
    for p in predicates:
        value = getattr(p, "value", p)
        if value not in PREDICATES:
            raise ValueError(Errors.E020.format(value=value, options=", ".join(PREDICATES)))
        out.append(value)
    return out


def _iso(value: str | dt.date | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"Expected an ISO date string or a datetime.date, got {value!r}.")


def filter_graph(
    g: RelationGraph,
    predicates: Iterable[str] | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    min_confidence: float | None = None,
    sources: Iterable[str] | None = None,
    include_negated: bool = True,
    modalities: Iterable[str] | None = None,
) -> RelationGraph:
    """A new graph holding only the evidence that matches every given condition.

    Aggregates are recounted from the kept evidence; edges, events and actors left
    without evidence are dropped. ``start``/``end`` are inclusive and compared on the
    ISO date prefix, so ``end="2024-03"`` keeps all of March; evidence without a date
    is dropped when either is given. ``sources`` keeps evidence whose source actor id is
    listed (evidence without a source is dropped).
    """
    preds = None
    if predicates is not None:
        if isinstance(predicates, str):
            predicates = [predicates]
        preds = set(_check_predicates(predicates))
    mods = None
    if modalities is not None:
        mods = {modalities} if isinstance(modalities, str) else set(modalities)
        unknown = sorted(mods - set(_MODALITIES))
        if unknown:
            raise ValueError(
                f"Unknown modality {unknown[0]!r}; expected one of: {', '.join(_MODALITIES)}."
            )
    srcs = None
    if sources is not None:
        srcs = {sources} if isinstance(sources, str) else set(sources)
    start_s, end_s = _iso(start), _iso(end)

    def keep(static: dict, record: dict) -> bool:
        if preds is not None and static["predicate"] not in preds:
            return False
        if not include_negated and static["negated"]:
            return False
        if mods is not None and static["modality"] not in mods:
            return False
        if min_confidence is not None and record["confidence"] < min_confidence:
            return False
        if srcs is not None and record.get("source") not in srcs:
            return False
        if start_s is not None or end_s is not None:
            date = record.get("doc_date")
            if not date:
                return False
            if start_s is not None and date[: len(start_s)] < start_s:
                return False
            if end_s is not None and date[: len(end_s)] > end_s:
                return False
        return True

    out = RelationGraph()
    pending = _Pending()
    _absorb(out, g, pending, keep=keep)
    _finalise(out, pending)
    for key, value in g.graph.items():
        out.graph[key] = _copy(value)
    return out


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def summary_html(g: RelationGraph, top: int = 10) -> str:
    """A compact HTML summary: sizes, the top edges by count and the most mentioned actors."""
    n_assertions = sum(d.get("count", 0) for _, _, d in g.edges(data=True))
    head = (
        f"<p><b>RelationGraph</b>: {g.number_of_nodes()} actors, {g.number_of_edges()} edges, "
        f"{n_assertions} assertions, {len(g.graph.get('documents', {}))} documents</p>"
    )
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (-e[3].get("count", 0), e[2]))[:top]
    edge_rows = "".join(_edge_row(u, v, d) for u, v, _, d in edges)
    nodes = sorted(g.nodes(data=True), key=lambda n: (-n[1].get("mentions", 0), str(n[0])))[:top]
    node_rows = "".join(
        "<tr>"
        f"<td>{escape(str(n))}</td><td>{escape(str(d.get('name') or ''))}</td>"
        f"<td>{escape(str(d.get('kind') or ''))}</td><td>{d.get('mentions', 0)}</td>"
        "</tr>"
        for n, d in nodes
    )
    edge_table = (
        "<table><thead><tr><th>subject</th><th>predicate</th><th>object</th><th>count</th>"
        "<th>documents</th><th>first seen</th><th>last seen</th></tr></thead>"
        f"<tbody>{edge_rows}</tbody></table>"
    )
    node_table = (
        "<table><thead><tr><th>actor</th><th>name</th><th>kind</th><th>mentions</th></tr></thead>"
        f"<tbody>{node_rows}</tbody></table>"
    )
    return f"<div>{head}<p>Top edges</p>{edge_table}<p>Top actors</p>{node_table}</div>"


def _edge_row(u: str, v: str, d: dict) -> str:
    relation = ("NOT " if d.get("negated") else "") + str(d.get("predicate"))
    if d.get("modality") != "asserted":
        relation += f" ({d.get('modality')})"
    cells = (u, relation, v, d.get("count", 0), d.get("n_documents", 0))
    cells += (d.get("first_seen") or "", d.get("last_seen") or "")
    return "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>"
