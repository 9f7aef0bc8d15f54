"""Bounds and bookkeeping of the fuzz suite.

The suite is bounded for CI (about a minute on two cores). Set ``FUZZ_EXAMPLES`` to run more
examples per property (default 12), e.g. ``FUZZ_EXAMPLES=500 pytest tests/fuzz``;
``FUZZ_REPORT=path.json`` writes the tally below at the end. The bounded run (``make test``, CI)
is derandomized, so it is reproducible and cannot flake; a long run (``FUZZ_EXAMPLES`` set) or
``FUZZ_RANDOM=1`` explores new examples, and ``--hypothesis-seed=N`` fixes their seed.

Every property test counts what it tried in ``TALLY``: inputs (texts or items given to the
library), documents (results expected), documents lost (an input with no result in its place),
unexpected errors (an exception that is not one of the library's coded errors) and hangs (a
test that ran past ``FUZZ_HANG_S`` seconds; the run is then stopped with a traceback of every
thread, so a hang can never stall CI).
"""

from __future__ import annotations

import faulthandler
import json
import os
import sys
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
HANG_S = float(os.environ.get("FUZZ_HANG_S", "600"))
TALLY: Counter = Counter()

settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not (os.environ.get("FUZZ_RANDOM") == "1" or "FUZZ_EXAMPLES" in os.environ),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
    print_blob=True,
)


def fuzz_settings(scale: float = 1.0):
    """The suite's settings, with ``scale`` times the examples (slow properties run fewer)."""
    return settings(settings.get_profile("fuzz"), max_examples=max(2, int(EXAMPLES * scale)))


@pytest.fixture(autouse=True)
def _no_hang():
    """A test that runs past FUZZ_HANG_S stops the run with every thread's traceback."""
    faulthandler.dump_traceback_later(HANG_S, exit=True, file=sys.stderr)
    yield
    faulthandler.cancel_dump_traceback_later()


def pytest_sessionfinish(session, exitstatus):
    if not TALLY:
        return
    TALLY["failed_tests"] = session.testsfailed
    line = ", ".join(f"{k} {v}" for k, v in sorted(TALLY.items()))
    sys.stderr.write(f"\nfuzz tally (FUZZ_EXAMPLES={EXAMPLES}): {line}\n")
    path = os.environ.get("FUZZ_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"examples": EXAMPLES, **TALLY}, f, indent=1, sort_keys=True)
