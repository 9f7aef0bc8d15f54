"""Import the optional engines (pyarrow, dask, distributed, duckdb) only when they are used.

The base install extracts in one process and writes JSONL; the scale path needs the
``[scale]`` extra. A missing package is a coded error that names the extra to install.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from nlp_relations.errors import Errors, NlpRelationsError

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(NlpRelationsError, ImportError):
    """An optional package of the ``[scale]`` extra is not installed (E300)."""


def require(module: str, *, feature: str) -> ModuleType:
    """Import ``module`` or raise E300 saying which extra brings it.

    Example:
        >>> pa = require("pyarrow", feature="Parquet output")  # doctest: +SKIP
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingExtraError(
            f"E300: {Errors.E300.format(module=module.split('.')[0], feature=feature)}"
        ) from err
