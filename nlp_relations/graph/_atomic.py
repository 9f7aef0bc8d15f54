"""Write files so that a reader only ever sees a complete one.

Every writer of this package writes to a hidden temporary name in the destination's own
folder and renames it onto the destination once the content is complete and flushed to
disk. A rename within one folder is atomic on POSIX and Windows, so an interrupted or
failed write leaves the old file (or no file) behind, never a truncated or empty one.

Example:
    >>> with atomic_path("graph.graphml") as tmp:    # doctest: +SKIP
    ...     nx.write_graphml(g, tmp)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["atomic_path", "temporary_name"]


def temporary_name(path: str | os.PathLike) -> Path:
    """A fresh hidden name beside ``path``: ``.graph.graphml.<random>.tmp``.

    The leading dot keeps it out of the CLI's folder scans while a run is writing it.
    """
    path = Path(path)
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``.

    The block must create the file at the yielded path. When the block raises (or is
    interrupted with Ctrl-C) the temporary file is removed and ``path`` is untouched.

    Raises:
        IsADirectoryError: ``path`` is an existing folder.
        FileNotFoundError: the folder of ``path`` does not exist.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "Is a folder, not a file", str(path))
    if not path.parent.is_dir():
        raise FileNotFoundError(2, "No such folder", str(path.parent))
    tmp = temporary_name(path)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
