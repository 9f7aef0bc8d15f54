"""Training the relation model: corpus conversion to DocBins, configs and the train function."""

from .corpus import convert, read_docbin
from .train import train

__all__ = ["convert", "read_docbin", "train"]
