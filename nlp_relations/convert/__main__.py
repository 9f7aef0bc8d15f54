"""Rebuild every PETRARCH2-derived table: `python -m nlp_relations.convert [SOURCE_DIR]`.

SOURCE_DIR defaults to `../shared/datasets/petrarch2` beside the repository. The output is a
function of the source files and of data/lexicons/cameo_predicates.tsv and
data/actors/states.jsonl only, so a rerun rewrites the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..resources import CHECKOUT_DIR, SHARED_DATASETS
from . import convert_all

# The tables are rewritten in place in the source checkout's data/ folder.
REPO = CHECKOUT_DIR


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else SHARED_DATASETS / "petrarch2"
    if not (source / "CAMEO.2.0.txt").exists():
        print(f"No PETRARCH2 dictionaries in {source}: pass the folder that holds "
              "CAMEO.2.0.txt and the Phoenix.*.txt files.", file=sys.stderr)
        return 2
    counts = convert_all(source, REPO)
    for table, n in counts.items():
        print(f"{n:>7}  {table}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
