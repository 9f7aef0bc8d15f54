"""A string of HTML that displays itself in a notebook cell."""

from __future__ import annotations

__all__ = ["HTMLView"]


class HTMLView:
    """HTML that Jupyter renders (``_repr_html_``) and that ``str()`` returns as is.

    The helpers return this rather than ``IPython.display.HTML`` so the library does not
    need IPython, and so tests can inspect the markup.
    """

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<HTMLView: {len(self.html)} characters of HTML>"
