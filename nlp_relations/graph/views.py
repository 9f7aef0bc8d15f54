"""Read-only views of a relation graph as pandas DataFrames.

Each function takes the graph first; :class:`~nlp_relations.graph.build.RelationGraph`
exposes them as methods (``g.dyad("PRK", "NATO")``, ``g.timeline(freq="M")``, ...).
Filtering a graph's evidence is :func:`nlp_relations.graph.build.filter_graph`, beside
``merge``: it builds a new graph, which a view does not.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from nlp_relations.errors import ArgumentError, Errors, UnknownActorError
from nlp_relations.graph._checks import check_graph, check_predicates, require

if TYPE_CHECKING:
    from nlp_relations.graph.build import RelationGraph

__all__ = [
    "dyad",
    "timeline",
    "stance_matrix",
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


def edges_frame(g: RelationGraph) -> pd.DataFrame:
    """One row per edge (sorted by key); the evidence list itself is left out.

    ``count`` is the number of assertions (evidence records) behind the edge.
    """
    check_graph("edges_frame", "g", g)
    rows = [
        {"subject": u, "object": v, "key": key, **{c: data.get(c) for c in EDGE_COLUMNS[3:]}}
        for u, v, key, data in g.edges(keys=True, data=True)
    ]
    rows.sort(key=lambda r: r["key"])
    return pd.DataFrame(rows, columns=list(EDGE_COLUMNS))


def nodes_frame(g: RelationGraph) -> pd.DataFrame:
    """One row per actor, indexed by actor id, with assertion counts as subject/object."""
    check_graph("nodes_frame", "g", g)
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


def _check_actor(g: RelationGraph, actor: str, function: str, name: str) -> None:
    require(isinstance(actor, str), function, name, actor, "an actor id (a str)")
    if actor not in g:
        close = difflib.get_close_matches(actor, [str(n) for n in g.nodes], n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownActorError("E025", Errors.E025.format(actor=actor, hint=hint))


def dyad(g: RelationGraph, a: str, b: str) -> pd.DataFrame:
    """The edges between ``a`` and ``b`` in both directions, one row per edge.

    Example:
        >>> g.dyad("PRK", "NATO")[["subject", "predicate", "object", "count"]]  # doctest: +SKIP
    """
    check_graph("dyad", "g", g)
    _check_actor(g, a, "dyad", "a")
    _check_actor(g, b, "dyad", "b")
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
    check_graph("timeline", "g", g)
    if freq not in _FREQS:
        raise ArgumentError("E023", Errors.E023.format(value=freq))
    if predicate is not None:
        predicate = check_predicates([predicate])[0]
    for name, actor in (("subject", subject), ("object", object)):
        if actor is not None:
            _check_actor(g, actor, "timeline", name)
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
    check_graph("stance_matrix", "g", g)
    if actors is None:
        ids = sorted({n for u, v in g.edges() for n in (u, v)})
    else:
        require(isinstance(actors, Iterable) and not isinstance(actors, (str, bytes)),
                "stance_matrix", "actors", actors, "an iterable of actor ids, or None")
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
