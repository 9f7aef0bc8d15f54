"""The scale path: extraction to Parquet part files, locally or on a Dask cluster.

``extract_to_parquet`` and ``read_results`` need pyarrow, and the Dask engine dask and
distributed: ``pip install 'nlp_relations[scale]'``. Nothing here imports them before use.

Example:
    >>> from nlp_relations.scale import extract_to_parquet, read_results
    >>> extract_to_parquet(items, "parts", engine="dask", scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
"""

from nlp_relations.scale.parquet import read_manifest, read_results
from nlp_relations.scale.run import ENGINES, extract_to_parquet

__all__ = ["ENGINES", "extract_to_parquet", "read_manifest", "read_results"]
