"""The scale path: extraction to Parquet part files, locally or on a Dask cluster.

``extract_to_parquet`` and ``read_results`` need pyarrow, and the Dask engine dask and
distributed: ``pip install 'nlp_relations[scale]'``. Nothing here imports them before use.

Example:
    >>> from nlp_relations.scale import extract_to_parquet, read_results
    >>> extract_to_parquet(items, "parts", engine="dask", scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
"""

from typing import TYPE_CHECKING

__all__ = ["ENGINES", "extract_to_parquet", "read_manifest", "read_results"]

# Imported on first use: the store reads Parquet parts (scale.parquet) without the extraction
# side (scale.run imports the text inputs, and so spaCy).
_FROM = {"ENGINES": "run", "extract_to_parquet": "run", "read_manifest": "parquet",
         "read_results": "parquet"}

if TYPE_CHECKING:
    from nlp_relations.scale.parquet import read_manifest, read_results
    from nlp_relations.scale.run import ENGINES, extract_to_parquet


def __getattr__(name: str):
    if name in _FROM:
        import importlib

        return getattr(importlib.import_module(f"nlp_relations.scale.{_FROM[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_FROM))
