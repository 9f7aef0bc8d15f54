"""Memory of build_graph on a stream: peak bytes grow with the graph, not with the corpus.

Streams N synthetic document results (a fixed pool of actors and predicates, so the graph's
node and edge counts saturate while its evidence grows) through build_graph from a generator,
and prints the traced peak and the graph's size for several N. A second column builds the same
graph from a materialised list, the pattern streaming avoids.

    .venv/bin/python benchmarks/graph_memory.py [--sizes 500 2000 8000]
"""

from __future__ import annotations

import argparse
import gc
import random
import tracemalloc

from nlp_relations.graph import build_graph
from nlp_relations.schemas import Actor, DocResult, Evidence, Mention, Triple

STATES = ["PRK", "KOR", "RUS", "USA", "CHN", "JPN", "UKR", "IRN", "ISR", "GBR"]
PREDICATES = [("condemns", "ACCUSE", "111", "negative"), ("meets", "CONSULT", "040", "neutral"),
              ("exports_to", "COOPERATE", "061", "positive"), ("sanctions", "SANCTION", "163", "negative")]
SENTENCE = "A sentence of about twenty words that stands for the evidence an edge keeps for each assertion."


def _mention(actor_id: str) -> Mention:
    return Mention(actor=Actor(id=actor_id, name=actor_id, kind="state", country=actor_id),
                   text=actor_id, start_char=0, end_char=3)


def results(n: int, seed: int = 0):
    rng = random.Random(seed)
    for i in range(n):
        doc_id = f"doc-{i}"
        triples = []
        for _ in range(3):
            s, o = rng.sample(STATES, 2)
            pred, cat, cameo, stance = rng.choice(PREDICATES)
            triples.append(Triple(
                subject=_mention(s), predicate=pred, object=_mention(o), category=cat, cameo=cameo,
                stance=stance, confidence=0.8,
                evidence=Evidence(doc_id=doc_id, sentence=SENTENCE, start_char=0,
                                  end_char=len(SENTENCE), trigger=pred, doc_date="2024-01-01")))
        yield DocResult(doc_id=doc_id, ok=True, triples=triples, doc_date="2024-01-01")


def peak(build) -> tuple[int, object]:
    gc.collect()
    tracemalloc.start()
    graph = build()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top, graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 8000])
    args = parser.parse_args()
    print(f"{'documents':>10} {'nodes':>6} {'edges':>6} {'evidence':>9} "
          f"{'stream peak MiB':>16} {'list peak MiB':>14}")
    for n in args.sizes:
        stream_peak, g = peak(lambda: build_graph(results(n)))
        list_peak, _ = peak(lambda: build_graph(list(results(n))))
        evidence = sum(d["count"] for _, _, d in g.edges(data=True))
        print(f"{n:>10} {g.number_of_nodes():>6} {g.number_of_edges():>6} {evidence:>9} "
              f"{stream_peak / 2**20:>16.1f} {list_peak / 2**20:>14.1f}")


if __name__ == "__main__":
    main()
