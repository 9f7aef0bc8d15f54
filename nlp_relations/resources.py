"""Where the shipped tables, the trained model and the repository's own files are.

The repository keeps ``data/`` and ``models/`` as top-level folders. A wheel carries the parts
the pipeline reads at run time inside the package (see setup.py):

========================  ===================================  ==============================
what                      source checkout (and ``pip -e``)     installed wheel
========================  ===================================  ==============================
lexicons, actors          ``data/lexicons``, ``data/actors``   ``nlp_relations/_data/...``
relation models, configs  ``models/relation_model``, ...       ``nlp_relations/_models/...``
========================  ===================================  ==============================

Both are found through :func:`importlib.resources.files`. Everything else (the annotated
corpora, the gold files, the samples, ``training/`` and the datasets in ``../shared``) exists
only in a source checkout; :func:`require` turns a missing one into a coded error that says so.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from .errors import Errors, NlpRelationsError

__all__ = [
    "CHECKOUT_DIR",
    "DATA_DIR",
    "MODELS_DIR",
    "LIGHT_MODEL_DIR",
    "MODEL_DIR",
    "PACKAGE_DIR",
    "SHARED_DATASETS",
    "require",
]


def _package_dir() -> Path:
    root = files(__package__)
    if not isinstance(root, Path):  # a zip import: spaCy and the readers need real folders
        raise NlpRelationsError("E400: " + Errors.E400.format(where=root))
    return root


PACKAGE_DIR = _package_dir()
# The folder that holds the package: the repository root in a source checkout or an editable
# install, site-packages once installed (where the checkout-only files below do not exist).
CHECKOUT_DIR = PACKAGE_DIR.parent


def _shipped(inside: str, checkout: str) -> Path:
    packaged = PACKAGE_DIR / inside
    return packaged if packaged.is_dir() else CHECKOUT_DIR / checkout


DATA_DIR = _shipped("_data", "data")
MODELS_DIR = _shipped("_models", "models")
# The trained relation model: the one ``load(model_only=True)`` runs, and the model alone of
# every "model" score.
MODEL_DIR = MODELS_DIR / "relation_model"
# The default pipeline's relation model: the same training with an encoder of 2 window layers
# instead of 4. In the default the model only confirms and scores the rules' triples, which it
# does as well at about two thirds of the CPU time (models/README.md).
LIGHT_MODEL_DIR = MODELS_DIR / "relation_model_light"
# The datasets shared beside the repository (ConfliBERT CAMEO, PETRARCH2 dictionaries).
SHARED_DATASETS = CHECKOUT_DIR.parent / "shared" / "datasets"


def require(path: str | Path, what: str) -> Path:
    """``path`` if it exists, else a coded error saying where it comes from.

    Args:
        path: a file or folder the caller is about to read.
        what: what it is, for the message ("The annotated dev corpus").

    Raises:
        NlpRelationsError: E401, naming the path and how to get it.

    Example:
        >>> require(DATA_DIR / "lexicons" / "roles.tsv", "The role lexicon").name
        'roles.tsv'
    """
    path = Path(path)
    if not path.exists():
        raise NlpRelationsError("E401: " + Errors.E401.format(what=what, path=path))
    return path
