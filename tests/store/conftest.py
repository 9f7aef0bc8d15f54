"""The scale tests' sample documents, shared with the store tests."""

from tests.scale.conftest import reference, sample_items  # noqa: F401
