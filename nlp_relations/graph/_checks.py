"""Argument checks of the graph stage's public functions, raising the library's coded errors.

Each check names the function and the argument, so a wrong call says where it went wrong
(E053) instead of failing deep inside networkx or the file layer.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import get_args

import networkx as nx

from nlp_relations.errors import ArgumentError, Errors, MissingFileError, argument_error
from nlp_relations.schemas import PREDICATES, Modality

__all__ = [
    "check_graph",
    "check_modalities",
    "check_path",
    "check_predicates",
    "existing_path",
    "iso_date",
    "names_or_none",
    "require",
]

MODALITIES = get_args(Modality)
_ISO_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ].*)?)?)?\Z")
GRAPH = "a RelationGraph (or a networkx MultiDiGraph)"
PATH = "a path (str or os.PathLike)"


def require(ok: bool, function: str, name: str, value: object, expected: str) -> None:
    """Raise E053 unless ``ok``."""
    if not ok:
        raise argument_error(function, name, value, expected)


def names_or_none(function: str, name: str, value: object, one: str,
                  many: str) -> list | None:
    """One name or an iterable of names as a list (None stays None); E053 for anything else,
    expecting "<one>, an iterable of <many>, or None"."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    require(isinstance(value, Iterable), function, name, value,
            f"{one}, an iterable of {many}, or None")
    return list(value)


def check_graph(function: str, name: str, value: object) -> None:
    """A relation graph is a MultiDiGraph: edges are told apart by their keys."""
    require(isinstance(value, nx.MultiDiGraph), function, name, value, GRAPH)


def check_path(function: str, name: str, value: object) -> Path:
    """``value`` as a Path; E053 for anything else (an int would be read as a descriptor)."""
    require(isinstance(value, (str, os.PathLike)) and not isinstance(value, bytes)
            and str(value) != "", function, name, value, PATH)
    return Path(value)


def existing_path(function: str, name: str, value: object, *, folder: bool = False) -> Path:
    """A path to read: E053 when it is no path, E209 when nothing is there."""
    path = check_path(function, name, value)
    if not (path.is_dir() if folder else path.is_file()):
        raise MissingFileError("E209", Errors.E209.format(path=path))
    return path


def check_predicates(predicates: Iterable[object]) -> list[str]:
    """Predicate values (``Predicate`` members or their names); E020 for an unknown one."""
    out = []
    for p in predicates:
        value = getattr(p, "value", p)
        if value not in PREDICATES:
            raise ArgumentError("E020", Errors.E020.format(value=value,
                                                           options=", ".join(PREDICATES)))
        out.append(value)
    return out


def check_modalities(modalities: Iterable[object]) -> set[str]:
    """Modality names; E024 for an unknown one."""
    values = list(modalities)
    unknown = [v for v in values if v not in MODALITIES]
    if unknown:
        raise ArgumentError("E024", Errors.E024.format(value=min(unknown, key=repr),
                                                       options=", ".join(MODALITIES)))
    return set(values)


def iso_date(function: str, name: str, value: object) -> str | None:
    """An ISO date string (a prefix such as "2024-03" too) from a str or a date."""
    if value is None:
        return None
    if isinstance(value, str):
        require(bool(_ISO_PREFIX.match(value)), function, name, value,
                "an ISO date such as '2024-03-01' (or '2024-03', '2024'), or a datetime.date")
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise argument_error(function, name, value, "an ISO date string or a datetime.date")
