"""Daily updates: extract only the documents a store does not hold yet, then ingest them.

A document whose id the store holds is skipped. One whose text the store holds under a
smaller doc id is recorded as a duplicate without being extracted (the graph would not count
it anyway); one whose text is held under a larger id is extracted, since it becomes the
counted copy. The store then equals a store built from all documents at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from nlp_relations.errors import InputError
from nlp_relations.graph.aggregate import counted_copy
from nlp_relations.inputs import DEFAULT_MAX_CHARS, prepare_text
from nlp_relations.scale.run import extract_pairs, partitions
from nlp_relations.schemas import DocResult
from nlp_relations.store.duckdb_store import RelationStore

__all__ = ["update_store"]


def _text_sha1(item: Any, max_chars: int) -> str | None:
    """The ``text_sha1`` extraction will give the item's text (None when it will fail)."""
    from nlp_relations.api import _sha1  # the one definition of the text hash

    try:
        clean, _ = prepare_text(item[0], doc_id=item[1], max_chars=max_chars)
    except InputError:
        return None
    return _sha1(clean)


def _well_formed(item: Any) -> bool:
    return isinstance(item, tuple) and len(item) in (2, 3) and isinstance(item[1], str) \
        and (len(item) == 2 or item[2] is None or isinstance(item[2], str))


def update_store(store: RelationStore, items: Iterable[Any], *, nlp: Any = None,
                 chunk: int = 1000, batch_size: int = 32, n_process: int = 1,
                 max_chars: int = DEFAULT_MAX_CHARS, model: bool = True,
                 extra_actors: Any = None) -> dict:
    """Extract and ingest the documents of ``items`` that ``store`` does not hold.

    Args:
        store: the store to update.
        items: what ``extract_many`` takes; a ``DocResult`` item is ingested as it is.
        nlp: the pipeline (default: ``load(model=..., extra_actors=...)``, loaded only when
            some document needs extracting).
        chunk: documents looked up, extracted and ingested together.

    Returns:
        Counts: ``seen``, ``held`` (id already in the store), ``duplicates`` (text held
        under a smaller id, not extracted), ``extracted``, and the ingest counts.
    """
    from nlp_relations.api import date_from_name, load

    counts: Counter = Counter()
    for _, pairs in partitions(items, chunk):
        counts["seen"] += len(pairs)
        ids = [item[1] for _, item in pairs if _well_formed(item)]
        ids += [item.doc_id for _, item in pairs if isinstance(item, DocResult)]
        held = store.held_ids(ids)
        shas = {position: _text_sha1(item, max_chars) for position, item in pairs
                if _well_formed(item) and item[1] not in held}
        holders = store.text_holders(shas.values())
        todo, known = [], []
        for position, item in pairs:
            doc_id = item.doc_id if isinstance(item, DocResult) else \
                item[1] if _well_formed(item) else None
            if doc_id in held:
                counts["held"] += 1
                continue
            holder = holders.get(shas.get(position))
            if holder is not None and counted_copy((holder, doc_id)) == holder:
                date = (item[2] if len(item) == 3 else None) or date_from_name(doc_id)
                known.append(DocResult(doc_id=doc_id, ok=True, doc_date=date,
                                       text_sha1=shas[position]))
                counts["duplicates"] += 1
                continue
            todo.append((position, item))
        results = list(known)
        if todo:
            nlp = nlp or load(model=model, extra_actors=extra_actors)
            counts["extracted"] += sum(not isinstance(item, DocResult) for _, item in todo)
            results += [r for _, r in extract_pairs(nlp, todo, batch_size=batch_size,
                                                    n_process=n_process, max_chars=max_chars)]
        for key, value in store.ingest(results).items():
            counts[f"ingested_{key}"] += value
    return dict(counts)
