"""Thin typer commands over importable functions: extract, graph, evaluate."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import typer

__all__ = ["app", "iter_files"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract actors and relation triples from diplomatic news.")

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ""}


def iter_files(paths: list[Path]) -> list[Path]:
    """Expand files and folders into a sorted list of document files (README.md excluded)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(f for f in sorted(p.rglob("*")) if f.is_file()
                         and f.suffix.lower() in TEXT_SUFFIXES and f.name.lower() != "readme.md")
        elif p.exists():
            files.append(p)
        else:
            raise typer.BadParameter(f"No such file or folder: {p}")
    return files


def _documents(files: list[Path]) -> Iterator[tuple[bytes, str]]:
    for f in files:
        yield f.read_bytes(), f.stem


def _results(files: list[Path], extra_actors: Optional[Path], n_process: int, batch_size: int,
             max_chars: int = 1_000_000):
    from .api import extract_many, load

    nlp = load(extra_actors=extra_actors)
    with typer.progressbar(extract_many(_documents(files), nlp=nlp, n_process=n_process,
                                        batch_size=batch_size, max_chars=max_chars),
                           length=len(files), label="documents", file=sys.stderr) as bar:
        yield from bar


def _print_table(results: list) -> None:
    counts: Counter = Counter()
    best: dict[tuple, float] = {}
    for r in results:
        for t in r.triples:
            # A denied or hypothetical event is not the event: "not exports_to", "warns (future)".
            key = (t.subject.actor.id, t.predicate_label("not"),
                   t.object.actor.id if t.object else None)
            counts[key] += 1
            best[key] = max(best.get(key, 0.0), t.confidence)
    ok = sum(r.ok for r in results)
    lines = [f"{len(results)} documents ({ok} ok, {len(results) - ok} skipped), "
             f"{sum(counts.values())} triples, {len(counts)} distinct",
             f"{'subject':<10} {'predicate':<30} {'object':<10} {'count':>5} {'max conf':>8}"]
    # Most asserted first, then most confident: what an analyst would read first.
    top = sorted(counts, key=lambda k: (-counts[k], -best[k], k[0], k[1], k[2] or ""))[:25]
    lines += [f"{s:<10} {p:<30} {o or '-':<10} {counts[(s, p, o)]:>5} {best[(s, p, o)]:>8.2f}"
              for s, p, o in top]
    lines += [f"skipped {r.doc_id}: {r.error}" for r in results if not r.ok]
    typer.echo("\n".join(lines))


@app.command()
def extract(
    inputs: list[Path] = typer.Argument(..., help="Text/HTML files or folders of them."),
    output: Path = typer.Option(Path("triples.jsonl"), "-o", "--output",
                                help="JSONL: one document result per line."),
    graph: Optional[Path] = typer.Option(None, "--graph", help="Also write a GraphML graph."),
    table: bool = typer.Option(False, "--table", help="Print a summary table."),
    extra_actors: Optional[Path] = typer.Option(None, "--extra-actors",
                                                help="A user JSONL actor file."),
    n_process: int = typer.Option(1, "--n-process", help="Worker processes for nlp.pipe."),
    batch_size: int = typer.Option(16, "--batch-size"),
    max_chars: int = typer.Option(1_000_000, "--max-chars",
                                  help="Longer documents are skipped with E003."),
) -> None:
    """Write one JSON line per document: its triples, or why it was skipped."""
    files = iter_files(inputs)
    output.parent.mkdir(parents=True, exist_ok=True)
    results = []
    with output.open("w", encoding="utf-8") as handle:
        for result in _results(files, extra_actors, n_process, batch_size, max_chars):
            handle.write(result.model_dump_json(exclude={"actors"}) + "\n")
            results.append(result)
    typer.echo(f"wrote {output}", err=True)
    if graph is not None:
        _write_graph(results, graph, "graphml")
    if table:
        _print_table(results)


FORMATS = ("graphml", "gexf", "json", "csv")


def _write_graph(results, output: Path, fmt: str) -> None:
    from . import graph as g

    built = g.build_graph(results)
    output.parent.mkdir(parents=True, exist_ok=True)
    writers = {"graphml": g.write_graphml, "gexf": g.write_gexf, "json": g.write_json,
               "csv": g.write_csv}
    writers[fmt](built, output)
    typer.echo(f"wrote {output}: {built.number_of_nodes()} actors, "
               f"{built.number_of_edges()} relations", err=True)


@app.command("graph")
def graph_cmd(
    inputs: list[Path] = typer.Argument(..., help="Text/HTML files or folders of them."),
    output: Path = typer.Option(Path("graph.graphml"), "-o", "--output"),
    fmt: str = typer.Option("graphml", "--format", help="graphml, gexf, json or csv (a folder)."),
    extra_actors: Optional[Path] = typer.Option(None, "--extra-actors"),
    n_process: int = typer.Option(1, "--n-process"),
    batch_size: int = typer.Option(16, "--batch-size"),
) -> None:
    """Extract from every document and write the merged actor graph."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"Unknown graph format {fmt!r}; expected one of: "
                                 f"{', '.join(FORMATS)}.")
    results = list(_results(iter_files(inputs), extra_actors, n_process, batch_size))
    _write_graph(results, output, fmt)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold JSONL (data/corpus/README.md describes it)."),
    method: str = typer.Option("combined", "--method", help="rules, model or combined."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write scores as JSON."),
    errors: Optional[Path] = typer.Option(None, "--errors",
                                          help="Write sentences with a wrong prediction (JSONL)."),
) -> None:
    """Precision, recall and F1 per predicate, per PLOVER category and overall."""
    from .api import load
    from .evaluate import evaluate_gold, format_report

    scores, rows = evaluate_gold(gold, load(), method=method)
    typer.echo(format_report(scores, title=f"{gold} (method: {method})"))
    if json_out:
        json_out.write_text(json.dumps(scores.as_dict(), indent=2))
    if errors:
        with errors.open("w", encoding="utf-8") as handle:
            for row in rows:
                key = lambda t: (t["subject"], t["predicate"], t["object"])  # noqa: E731
                if sorted(map(key, row["gold"])) != sorted(set(map(key, row["pred"]))):
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")


@app.command("evaluate-linking")
def evaluate_linking_cmd(
    conll: Optional[Path] = typer.Option(None, "--conll", help="CoNLL file (default: ConfliBERT "
                                         "cameo_ner_test in ../shared/datasets)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold ids (default: data/gold)."),
    errors: Optional[Path] = typer.Option(None, "--errors", help="Write wrong spans (JSONL)."),
) -> None:
    """Actor-linking precision and recall on hand-mapped source/target spans."""
    from .api import load
    from .evaluate.linking import DEFAULT_CONLL, DEFAULT_GOLD, evaluate_linking

    prf, rows = evaluate_linking(load(), conll=conll or DEFAULT_CONLL, gold=gold or DEFAULT_GOLD)
    typer.echo(f"spans: {len(rows)}  precision: {prf.p:.3f}  recall: {prf.r:.3f}  F1: {prf.f:.3f}"
               f"  (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})")
    if errors:
        with errors.open("w", encoding="utf-8") as handle:
            for row in rows:
                if row["gold"] != row["predicted"]:
                    handle.write(json.dumps(row) + "\n")


@app.command()
def actors(name: str = typer.Argument(..., help="A name, e.g. Pyongyang.")) -> None:
    """Resolve a name to its registry actor."""
    from .api import resolve_actor

    actor = resolve_actor(name)
    typer.echo(json.dumps(actor.model_dump() if actor else None))


@app.command()
def train(
    config: Path = typer.Argument(Path("models/configs/tok2vec.cfg"),
                                  help="A training config from models/configs/."),
    output: Path = typer.Option(Path("models/relation_model"), "-o", "--output",
                                help="Where to write the packaged model."),
    data_dir: Path = typer.Option(Path("training"), "--data-dir",
                                  help="Where the converted DocBins go (git-ignored)."),
    cameo_dir: Optional[Path] = typer.Option(None, "--cameo-dir",
                                             help="ConfliBERT CAMEO folder (default "
                                                  "../shared/datasets/conflibert-cameo)."),
    folds: Optional[int] = typer.Option(None, "--folds",
                                        help="Override the config's calibration folds."),
) -> None:
    """Train the relation model, calibrate the combiner, and write them to models/."""
    from .training import train as run_training

    meta = run_training(config, output=output, data_dir=data_dir, cameo_dir=cameo_dir,
                        folds=folds, log=lambda msg: typer.echo(msg, err=True))
    typer.echo(json.dumps({k: meta[k] for k in ("seconds_total", "size_bytes", "model_threshold")
                           if k in meta}))

if __name__ == "__main__":  # pragma: no cover
    app()
