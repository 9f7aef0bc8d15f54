"""Thin typer commands over importable functions: extract, graph, evaluate, actors, train.

Inputs of ``extract`` and ``graph`` are files and folders:

* a text or HTML file (``.txt``, ``.text``, ``.md``, ``.html``, ``.htm``; any name when given
  directly) is one document; its id is its path below the folder given, without suffix
  (``kcna/2024-07-13``), or its stem when the file itself is given; its date comes from
  its file name (``2024-07-13_kcna.txt``);
* a ``.jsonl`` file is either a corpus, one story per line (``id``, ``text``, optional
  ``date``, ``title``, ``source``), or the results file written by ``extract``, whose
  document results are read back as they are (detected from its first line);
* folders are searched recursively, skipping hidden files and folders (``.git/``,
  ``.ipynb_checkpoints/``, dotfiles), README.md, the run's own outputs, and files of other
  types (their number is reported).

Every document gives one result, in input order: a bad story line, an unreadable file or
a document id used twice becomes a result with ``ok`` false and a coded error. Outputs are
written to temporary names and renamed when complete; a run in which no document
succeeds writes nothing and exits 1; Ctrl-C exits 130 (SIGTERM 143); user mistakes print
one line. ``extract`` streams its results to a hidden ``.<output>.partial`` file, which an
interrupted run leaves behind for ``--resume``; a lock file beside each output stops a
second run from writing the same file (E213).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import sys
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import NamedTuple, Optional, Union

import typer

from .errors import Errors, NlpRelationsError
from .graph._atomic import atomic_path
from .schemas import DocResult

__all__ = ["app", "collect_inputs", "Source", "FORMATS"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract actors and relation triples from diplomatic news.")

TEXT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm")
JSONL_SUFFIX = ".jsonl"
FORMATS = ("graphml", "gexf", "json", "csv", "neo4j")
FORMAT_BY_SUFFIX = {".graphml": "graphml", ".xml": "graphml", ".gexf": "gexf", ".json": "json"}
DEFAULT_GRAPH = {"graphml": "graph.graphml", "gexf": "graph.gexf", "json": "graph.json",
                 "csv": "graph_csv", "neo4j": "graph_neo4j"}
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM
DEFAULT_TIME_BUDGET_S = 300.0  # as extract_many's
_STORY_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


# -- errors ------------------------------------------------------------------------------


class _OptionError(NlpRelationsError):
    """A bad option value or path on the command line (exit code 2, as click's own)."""


def _coded(code: str, error: type[NlpRelationsError] = NlpRelationsError, **fields):
    return error(f"{code}: {getattr(Errors, code).format(**fields)}")


def _say(message: str) -> None:
    typer.echo(" ".join(str(message).split()), err=True)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: outputs are left as they were."""


def _on_sigterm(signum, frame):
    raise _Terminated


@contextmanager
def _sigterm_as_interrupt():
    """While a command runs, SIGTERM unwinds it as Ctrl-C does (temporary files removed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _friendly(command):
    """Turn user mistakes into one line on stderr and an exit code, never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            with _sigterm_as_interrupt():
                return command(*args, **kwargs)
        except KeyboardInterrupt as err:
            # extract says where the results so far are; otherwise nothing was written.
            _say(err.args[0] if err.args else f"E210: {Errors.E210}")
            raise typer.Exit(EXIT_TERMINATED if isinstance(err, _Terminated)
                             else EXIT_INTERRUPTED) from None
        except _OptionError as err:
            _say(f"Error: {err}")
            raise typer.Exit(2) from None
        except NlpRelationsError as err:
            _say(f"Error: {err}")
            raise typer.Exit(1) from None
        except OSError as err:
            where = f": {err.filename}" if err.filename else ""
            _say(f"Error: {err.strerror or err}{where}")
            raise typer.Exit(1) from None

    return run


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"nlp-relations {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Extract actors and relation triples from diplomatic news."""


# -- inputs ------------------------------------------------------------------------------


class Source(NamedTuple):
    """One input file: a document (``doc_id`` set) or a JSONL file (``doc_id`` None)."""

    path: Path
    doc_id: Optional[str]


class _Bad(NamedTuple):
    """A corpus or results line that could not be read: its error result."""

    result: DocResult


class _Read(NamedTuple):
    """A document result read back from a results file."""

    result: DocResult
    where: str


class _Text(NamedTuple):
    """A document waiting for the pipeline."""

    doc_id: str
    where: str
    path: Optional[Path]  # read when its turn comes; None for a story (text below)
    text: Optional[str]
    date: Optional[str]


def _hidden(part: str) -> bool:
    return part.startswith(".")


def _scan(folder: Path, exclude: set[Path]) -> tuple[list[Source], list[Path]]:
    """The documents below ``folder`` and the files skipped for their type."""
    found: list[Source] = []
    other: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not _hidden(d)]
        for name in names:
            path = Path(root) / name
            if _hidden(name) or path.resolve() in exclude or name.lower() == "readme.md":
                continue
            suffix = path.suffix.lower()
            if suffix == JSONL_SUFFIX:
                found.append(Source(path, None))
            elif suffix in TEXT_SUFFIXES:
                found.append(Source(path, path.relative_to(folder).with_suffix("").as_posix()))
            else:
                other.append(path)
    return sorted(found, key=lambda s: s.path.relative_to(folder).parts), other


def collect_inputs(paths: Iterable[Path], *,
                   exclude: Iterable[Optional[Path]] = ()) -> list[Source]:
    """Expand files and folders into the input files, in order.

    A file given directly is taken whatever its suffix (id: its stem); in folders, text
    files get their relative path without suffix as id and ``.jsonl`` files are read line
    by line. ``exclude`` names the run's outputs, which a folder scan must not read back.

    Raises:
        NlpRelationsError: E209 when a path does not exist.
    """
    skip = {Path(p).resolve() for p in exclude if p is not None}
    sources: list[Source] = []
    other: list[Path] = []
    for p in paths:
        if p.is_dir():
            found, ignored = _scan(p, skip)
            sources += found
            other += ignored
        elif p.exists():
            is_jsonl = p.suffix.lower() == JSONL_SUFFIX
            sources.append(Source(p, None if is_jsonl else p.stem))
        else:
            raise _coded("E209", _OptionError, path=p)
    if other:
        kinds = ", ".join(sorted({f.suffix or "(no suffix)" for f in other}))
        _say(f"skipped {len(other)} file(s) that are not text, HTML or .jsonl ({kinds}); "
             "give a file directly to read it anyway")
    return sources


def _first_json(path: Path) -> object:
    with path.open("rb") as f:
        for line in f:
            if line.strip():
                try:
                    return json.loads(line)
                except ValueError:
                    return None
    return None


def _is_results_file(path: Path) -> bool:
    """A file written by ``extract``: its first line is a document result."""
    first = _first_json(path)
    return isinstance(first, dict) and "doc_id" in first and "ok" in first


def _error_result(doc_id: str, message: str, date: Optional[str] = None) -> DocResult:
    # Ids and messages may name a file whose name is not UTF-8 (surrogate escapes); only
    # then is the api (and spaCy) imported, so reading results back stays spaCy-free.
    if _SURROGATE.search(doc_id) or _SURROGATE.search(message):
        from .api import writable_text

        doc_id, message = writable_text(doc_id), writable_text(message)
    return DocResult(doc_id=doc_id, ok=False, error=message, doc_date=date)


def _story_date(value: object) -> Optional[str]:
    if value is None or value == "":
        return None
    # ISO dates and datetimes, and PETRARCH's YYYYMMDD (a string or a number).
    ok_type = isinstance(value, (str, int)) and not isinstance(value, bool)
    m = _STORY_DATE.match(str(value)) if ok_type else None
    if not m:
        raise ValueError(f"'date' {value!r} is not a date (YYYY-MM-DD or YYYYMMDD)")
    return "-".join(m.groups())


def _story(obj: object) -> tuple[str, str, Optional[str]]:
    """(id, text, date) of one corpus line; ValueError says what is wrong with it."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    doc_id = obj.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise ValueError("it has no 'id' (a non-empty string)")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError(f"story {doc_id!r} has no 'text' string")
    title = obj.get("title")
    if isinstance(title, str) and title.strip():
        # A headline line of its own, as in a text file; the line-break component splits it.
        text = f"{title.strip()}\n\n{text}"
    return doc_id, text, _story_date(obj.get("date"))


def _read_jsonl(path: Path) -> Iterator[Union[_Text, _Read, _Bad]]:
    """Stories or read-back document results, one per non-blank line."""
    results = _is_results_file(path)
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                line = raw.decode("utf-8")
                if results:
                    yield _Read(DocResult.model_validate_json(line), where)
                    continue
                doc_id, text, date = _story(json.loads(line))
            except ValueError as err:  # bad JSON, UTF-8, story or result: all ValueErrors
                code = "E202" if results else "E201"
                yield _Bad(_error_result(where, f"{code}: " + getattr(Errors, code).format(
                    line=lineno, path=path, reason=_reason(err))))
                continue
            yield _Text(doc_id, where, None, text, date)


def _reason(err: Exception) -> str:
    errors = getattr(err, "errors", None)
    if callable(errors):  # pydantic: the first problem, with its place
        first = errors()[0]
        return f"{'.'.join(map(str, first['loc'])) or 'line'}: {first['msg']}"
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def _items(sources: list[Source], done: Optional[Counter] = None
           ) -> Iterator[Union[_Text, DocResult]]:
    """Every document of the sources in order; an id used twice becomes an E200 result.

    ``done`` counts the results already written per document id (``--resume``): that many
    documents with the id are skipped, an E200 repeat included.
    """
    done = Counter(done or ())
    first: dict[str, str] = {}
    for source in sources:
        if source.doc_id is None:
            records = _read_jsonl(source.path)
        else:
            from .api import date_from_name  # a text file: the pipeline is loaded anyway

            records = iter([_Text(source.doc_id, str(source.path), source.path, None,
                                  date_from_name(source.path.name))])
        for item in records:
            if isinstance(item, _Bad):
                yield item.result
                continue
            doc_id = item.doc_id if isinstance(item, _Text) else item.result.doc_id
            if done[doc_id] > 0:
                done[doc_id] -= 1
                first.setdefault(doc_id, item.where)
                continue
            if doc_id in first:
                date = item.date if isinstance(item, _Text) else item.result.doc_date
                yield _error_result(doc_id, "E200: " + Errors.E200.format(
                    doc_id=doc_id, where=item.where, first=first[doc_id]), date)
                continue
            first[doc_id] = item.where
            yield item if isinstance(item, _Text) else item.result


def _needs_pipeline(sources: list[Source]) -> bool:
    return any(s.doc_id is not None or not _is_results_file(s.path) for s in sources)


def _pipeline(sources: list[Source], extra_actors: Optional[Path], rules_only: bool):
    """The loaded pipeline, or None when every input is a results file (nothing to extract).

    Loading first means a bad --extra-actors fails before any output is opened. Extra actors
    that replace a shipped one or take over a shipped name are reported (E052), one line each.
    """
    if not _needs_pipeline(sources):
        return None
    import warnings

    from .api import load
    from .errors import ActorTakeoverWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ActorTakeoverWarning)
        nlp = load(extra_actors=extra_actors, model=not rules_only)
    for warning in caught:
        if issubclass(warning.category, ActorTakeoverWarning):
            _say(f"warning: {warning.message}")
        else:
            warnings.showwarning(warning.message, warning.category, warning.filename,
                                 warning.lineno)
    return nlp


def _process(items: Iterator[Union[_Text, DocResult]], nlp, *, n_process: int, batch_size: int,
             max_chars: int, time_budget: Optional[float]) -> Iterator[DocResult]:
    """One result per item, in order: documents go through the pipeline, results pass."""
    if nlp is None:  # results read back: nothing to extract, spaCy is not imported
        yield from (item for item in items if isinstance(item, DocResult))
        return
    from .api import extract_many

    # Results waiting for the documents before them; None marks a document in the pipeline.
    waiting: deque = deque()

    def texts():
        for item in items:
            if isinstance(item, DocResult):
                waiting.append(item)
                continue
            if item.path is None:
                raw = item.text
            else:
                try:
                    raw = item.path.read_bytes()
                except OSError as err:
                    waiting.append(_error_result(item.doc_id, "E212: " + Errors.E212.format(
                        path=item.path, err=err.strerror or err), item.date))
                    continue
            waiting.append(None)
            yield raw, item.doc_id, item.date

    for result in extract_many(texts(), nlp=nlp, n_process=n_process, batch_size=batch_size,
                               max_chars=max_chars, time_budget=time_budget):
        while waiting and waiting[0] is not None:
            yield waiting.popleft()
        if waiting:
            waiting.popleft()
        yield result
    yield from (r for r in waiting if r is not None)


def _progress(results: Iterator[DocResult], sources: list[Source]) -> Iterator[DocResult]:
    known = all(s.doc_id is not None for s in sources)
    with typer.progressbar(results, length=len(sources) if known else None, label="documents",
                           file=sys.stderr) as bar:
        yield from bar


def _keep_confident(result: DocResult, min_confidence: Optional[float]) -> DocResult:
    if not min_confidence or not result.triples:
        return result
    kept = [t for t in result.triples if t.confidence >= min_confidence]
    return result if len(kept) == len(result.triples) else \
        result.model_copy(update={"triples": kept})


# -- the tally: counts for the summary and --table, without keeping the results ----------


class _Tally:
    def __init__(self) -> None:
        self.total = 0
        self.ok = 0
        self.skipped: list[tuple[str, str]] = []
        self.counts: Counter = Counter()
        self.best: dict[tuple, float] = {}

    def add(self, result: DocResult) -> None:
        self.total += 1
        self.ok += result.ok
        if not result.ok:
            self.skipped.append((result.doc_id, result.error or ""))
        for t in result.triples:
            # A denied or hypothetical event is not the event: "not exports_to", "warns (future)".
            key = (t.subject.actor.id, t.predicate_label("not"),
                   t.object.actor.id if t.object else None)
            self.counts[key] += 1
            self.best[key] = max(self.best.get(key, 0.0), t.confidence)

    def check(self) -> None:
        """Raise E205 when no document succeeded: a failed run writes nothing."""
        if self.ok:
            return
        if not self.total:
            detail = "the inputs hold no documents (.txt, .text, .md, .html, .htm or .jsonl)"
        else:
            doc_id, error = self.skipped[0]
            detail = (f"all {self.total} were skipped" if self.total > 1 else "it was skipped") + \
                f"; first: {doc_id!r}: {error}"
        raise _coded("E205", detail=detail)

    def summary(self) -> str:
        return (f"{self.total} documents ({self.ok} ok, {self.total - self.ok} skipped), "
                f"{sum(self.counts.values())} triples, {len(self.counts)} distinct")

    def table(self) -> str:
        counts, best = self.counts, self.best
        lines = [self.summary(),
                 f"{'subject':<10} {'predicate':<30} {'object':<10} {'count':>5} {'max conf':>8}"]
        # Most asserted first, then most confident: what an analyst would read first.
        top = sorted(counts, key=lambda k: (-counts[k], -best[k], k[0], k[1], k[2] or ""))[:25]
        lines += [f"{s:<10} {p:<30} {o or '-':<10} {counts[(s, p, o)]:>5} {best[(s, p, o)]:>8.2f}"
                  for s, p, o in top]
        lines += [f"skipped {doc_id}: {error}" for doc_id, error in self.skipped]
        return "\n".join(lines)


def _run(inputs: list[Path], *, exclude: list[Optional[Path]], extra_actors: Optional[Path],
         rules_only: bool, n_process: int, batch_size: int, max_chars: int,
         min_confidence: Optional[float], time_budget: float, tally: _Tally,
         done: Optional[Counter] = None) -> Iterator[DocResult]:
    """Validate, load, and stream the results of every input document (tallied)."""
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise _coded("E211", _OptionError, value=min_confidence)
    if not time_budget >= 0:  # NaN too
        raise _coded("E051", _OptionError, value=time_budget)
    sources = collect_inputs(inputs, exclude=exclude)
    nlp = _pipeline(sources, extra_actors, rules_only)

    def stream():
        results = _process(_items(sources, done), nlp, n_process=n_process,
                           batch_size=batch_size, max_chars=max_chars,
                           time_budget=time_budget or None)
        for result in _progress(results, sources):
            result = _keep_confident(result, min_confidence)
            tally.add(result)
            yield result

    return stream()


# -- outputs -----------------------------------------------------------------------------


def _lock_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Hold ``.<name>.lock`` beside ``path`` while this run writes it; E213 when another does.

    The lock is an ``flock`` on that file (POSIX; elsewhere there is none), so it is released
    when the process ends in any way; a file left by a killed run is taken over.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    name = _lock_name(path)
    name.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise _coded("E213", path=path, pid=holder) from None
        # The run before may have removed the file between our open and our lock: the lock
        # counts only on the file that is there now.
        try:
            current = os.stat(name).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode("ascii"))
    try:
        yield
    finally:
        with suppress(OSError):
            os.unlink(name)
        os.close(fd)


@contextmanager
def _locks(paths: Iterable[Optional[Path]]) -> Iterator[None]:
    with ExitStack() as stack:
        for path in paths:
            if path is not None:
                stack.enter_context(_lock(path))
        yield


def partial_path(output: Path) -> Path:
    """Where ``extract`` writes its results before they replace ``output``."""
    return output.with_name(f".{output.name}.partial")


class _Done(NamedTuple):
    """What a resumed run continues from: the complete results of an earlier one."""

    path: Path
    end: int  # bytes of ``path`` that hold complete results
    ids: Counter  # results per document id
    count: int


def _resume_point(output: Path) -> Optional[_Done]:
    """The complete results of the interrupted run (``.<output>.partial``), else of ``output``.

    A last line cut short (no line end, or not a whole result) is dropped; a bad line before
    it is E214.
    """
    partial = partial_path(output)
    path = partial if partial.is_file() else output if output.is_file() else None
    if path is None:
        return None
    ids: Counter = Counter()
    end = count = 0
    with path.open("rb") as f:
        lines = iter(f)
        line = next(lines, None)
        lineno = 1
        while line is not None:
            following = next(lines, None)
            if line.strip():
                try:
                    if not line.endswith(b"\n"):
                        raise ValueError("the line has no end")
                    result = DocResult.model_validate_json(line)
                except ValueError as err:
                    if following is None:
                        _say(f"note: dropped the cut-off last line {lineno} of {path}")
                        break
                    raise _coded("E214", path=path, line=lineno, reason=_reason(err)) from None
                ids[result.doc_id] += 1
                count += 1
            end += len(line)
            line, lineno = following, lineno + 1
    return _Done(path, end, ids, count)


# Characters that JSON leaves as they are inside strings but that str.splitlines() and some
# editors take for line ends: escaped, so that one result is one line for every reader.
_LINE_BREAKS_ESCAPED = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028",
                                      "\u2029": "\\u2029"})


class _ResultsFile:
    """The JSONL output, written line by line to ``.<output>.partial`` as results arrive.

    ``complete`` renames it onto the output; an interrupted run leaves it behind (with the
    results so far) for ``--resume``, or removes it when it holds nothing.
    """

    def __init__(self, output: Path, done: Optional[_Done]) -> None:
        self.output = output
        self.path = partial_path(output)
        self.done = done
        self.lines = done.count if done else 0
        output.parent.mkdir(parents=True, exist_ok=True)
        if done is not None and done.path == self.path:
            with self.path.open("r+b") as f:
                f.truncate(done.end)
        elif done is not None:
            with done.path.open("rb") as src, self.path.open("wb") as dst:
                shutil.copyfileobj(src, dst)
                dst.truncate(done.end)
        # Without --resume a partial file left by an earlier run is started afresh.
        self.handle = self.path.open("a" if done is not None else "w", encoding="utf-8")

    def earlier(self) -> Iterator[DocResult]:
        """The results of the run resumed, read back one at a time."""
        if self.done is None:
            return
        read = 0
        with self.path.open("rb") as f:
            for line in f:
                read += len(line)
                if read > self.done.end:  # written by this run
                    break
                if line.strip():
                    yield DocResult.model_validate_json(line)

    def write(self, result: DocResult) -> None:
        try:
            line = result.model_dump_json(exclude={"actors"})
        except ValueError:  # a lone surrogate in a result read back: JSON's \ud800 escape
            line = json.dumps(result.model_dump(mode="json", exclude={"actors"}),
                              separators=(",", ":"))
        line = line.translate(_LINE_BREAKS_ESCAPED)
        self.handle.write(line + "\n")
        self.handle.flush()  # a killed run keeps every result written so far
        self.lines += 1

    def complete(self) -> None:
        self.handle.close()
        with self.path.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(self.path, self.output)

    def abandon(self, *, keep: bool) -> bool:
        """Close; keep the partial file when asked and it holds results. True when kept."""
        self.handle.close()
        if keep and self.lines:
            return True
        with suppress(OSError):
            self.path.unlink()
        return False


def _file_output(path: Path, example: str) -> Path:
    if path.is_dir():
        raise _coded("E203", _OptionError, path=path, example=example)
    return path


def _graph_target(output: Optional[Path], fmt: Optional[str]) -> tuple[Path, str]:
    """Where and in which format to write the graph; the format follows the suffix."""
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise _OptionError(f"E021: {Errors.E021.format(value=fmt, options=', '.join(FORMATS))}")
    if output is None:
        fmt = fmt or "graphml"
        return Path(DEFAULT_GRAPH[fmt]), fmt
    inferred = FORMAT_BY_SUFFIX.get(output.suffix.lower())
    if fmt is None:
        if output.is_dir():
            raise _coded("E203", _OptionError, path=output,
                         example=f"{output / 'graph.graphml'}, or pass --format csv to write "
                         "CSV tables into it")
        if inferred is None:
            raise _coded("E204", _OptionError, path=str(output))
        fmt = inferred
    elif inferred is not None and inferred != fmt:
        _say(f"note: writing {fmt} to {output} as --format asks, despite its suffix")
    if fmt in ("csv", "neo4j"):
        if output.exists() and not output.is_dir():
            raise _OptionError(f"E203: Output {output} is a file, but --format {fmt} writes a "
                               f"folder of tables; name a folder (e.g. {DEFAULT_GRAPH[fmt]}).")
    else:
        _file_output(output, f"graph.{fmt}")
    return output, fmt


def _write_graph(built, output: Path, fmt: str) -> None:
    from . import graph as g
    from .graph.neo4j import write_neo4j

    output.parent.mkdir(parents=True, exist_ok=True)
    writers = {"graphml": g.write_graphml, "gexf": g.write_gexf, "json": g.write_json,
               "csv": g.write_csv, "neo4j": write_neo4j}
    writers[fmt](built, output)
    typer.echo(f"wrote {output}: {built.number_of_nodes()} actors, "
               f"{built.number_of_edges()} relations", err=True)


# -- commands ----------------------------------------------------------------------------

_INPUTS_HELP = ("Text/HTML files, folders of them (searched recursively), .jsonl corpora (one "
                "story per line: id, text, date, title) or a triples .jsonl written by extract.")
_EXTRA_HELP = "A JSONL actor file (data/actors format) adding to or replacing shipped actors."
_NPROC_HELP = "Worker processes for nlp.pipe."
_BATCH_HELP = "Documents per nlp.pipe batch."
_MAXC_HELP = "Longer documents are skipped with E003."
_MINCONF_HELP = "Drop triples with a confidence below this (0 to 1)."
_RULES_HELP = "Rules only: no relation model (faster; higher precision, lower recall)."
_BUDGET_HELP = ("Seconds one document may take; a slower one is skipped with E050 (0: no "
                "limit).")
_EVENTS_HELP = ("Also write the flat event table, one row per triple (.csv, .tsv or "
                ".parquet).")
_RESUME_HELP = ("Continue an interrupted run (or add to an earlier output): documents whose "
                "results are already in the output are skipped.")


@app.command()
@_friendly
def extract(
    inputs: list[Path] = typer.Argument(..., help=_INPUTS_HELP),
    output: Path = typer.Option(Path("triples.jsonl"), "-o", "--output",
                                help="JSONL: one document result per line."),
    graph: Optional[Path] = typer.Option(
        None, "--graph", help="Also write the graph; the format follows the suffix (.graphml, "
        ".gexf, .json)."),
    table: bool = typer.Option(False, "--table", help="Print a summary table."),
    events: Optional[Path] = typer.Option(None, "--events", help=_EVENTS_HELP),
    extra_actors: Optional[Path] = typer.Option(None, "--extra-actors", help=_EXTRA_HELP),
    n_process: int = typer.Option(1, "--n-process", help=_NPROC_HELP),
    batch_size: int = typer.Option(16, "--batch-size", help=_BATCH_HELP),
    max_chars: int = typer.Option(1_000_000, "--max-chars", help=_MAXC_HELP),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", help=_MINCONF_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=_RULES_HELP),
    time_budget: float = typer.Option(DEFAULT_TIME_BUDGET_S, "--time-budget", help=_BUDGET_HELP),
    resume: bool = typer.Option(False, "--resume", help=_RESUME_HELP),
    parquet: Optional[Path] = typer.Option(
        None, "--parquet", help="Write Parquet part files and a manifest into this folder "
        "instead of the JSONL (needs the [scale] extra)."),
    engine: str = typer.Option("local", "--engine", help="With --parquet: local or dask."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="With --engine dask: the scheduler address (tcp://host:8786); "
        "default: a local cluster."),
    partition_size: int = typer.Option(256, "--partition-size",
                                       help="With --parquet: documents per part file."),
    append: bool = typer.Option(False, "--append",
                                help="With --parquet: add a run to a folder that has one."),
) -> None:
    """Write one JSON line per document: its triples, or why it was skipped."""
    if parquet is not None:
        from .scale.cli import extract_parquet

        extract_parquet(inputs, parquet, engine=engine, scheduler=scheduler,
                        partition_size=partition_size, extra_actors=extra_actors,
                        rules_only=rules_only, n_process=n_process, batch_size=batch_size,
                        max_chars=max_chars, append=append)
        return
    _file_output(output, "triples.jsonl")
    target = _graph_target(graph, None) if graph is not None else None
    if events is not None:
        from .graph.events import EventWriter

        EventWriter(events)  # a bad suffix is an error before any work
    with _locks([output, target[0] if target else None, events]):
        _extract(inputs, output, target, table=table, resume=resume, events=events,
                 exclude=[output, graph, partial_path(output), events], extra_actors=extra_actors,
                 rules_only=rules_only, n_process=n_process, batch_size=batch_size,
                 max_chars=max_chars, min_confidence=min_confidence, time_budget=time_budget)


def _extract(inputs: list[Path], output: Path, target: Optional[tuple[Path, str]], *,
             table: bool, resume: bool, events: Optional[Path] = None, **options) -> None:
    from contextlib import nullcontext

    from .graph import build_graph
    from .graph.events import EventWriter

    done = _resume_point(output) if resume else None
    if done is not None:
        _say(f"resuming from {done.path}: {done.count} document(s) done, skipped")
    tally = _Tally()
    results = _run(inputs, tally=tally, done=done.ids if done else None, **options)
    out = _ResultsFile(output, done)
    try:

        table_file = EventWriter(events) if events is not None else nullcontext()
        add_events = table_file.add if events is not None else lambda result: None

        def written():
            for result in out.earlier():
                tally.add(result)
                add_events(result)
                yield result
            for result in results:
                out.write(result)
                add_events(result)
                yield result

        with table_file:
            if target is None:
                for _ in written():
                    pass
            else:
                # The graph grows as results arrive; nothing else keeps them.
                built = build_graph(r for r in written() if r.ok)
            tally.check()
        if target is not None:
            _write_graph(built, *target)
        out.complete()
    except KeyboardInterrupt as err:
        if out.abandon(keep=True):
            raise type(err)("E215: " + Errors.E215.format(done=out.lines,
                                                          partial=out.path)) from None
        raise
    except NlpRelationsError:
        out.abandon(keep=resume)  # E205 and the like: nothing new was written
        raise
    except BaseException:
        if out.abandon(keep=True):
            _say(f"note: the results so far are in {out.path}; --resume continues from there")
        raise
    typer.echo(f"wrote {output}: {tally.summary()}", err=True)
    if table:
        typer.echo(tally.table())


@app.command("graph")
@_friendly
def graph_cmd(
    inputs: Optional[list[Path]] = typer.Argument(None, help=_INPUTS_HELP),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", help="Graph file (.graphml, .gexf, .json) or CSV folder; default "
        "graph.graphml, or graph_csv/ with --format csv."),
    fmt: Optional[str] = typer.Option(
        None, "--format", help="graphml, gexf, json, csv or neo4j (folders of tables: "
        "neo4j-admin import files for neo4j); default: from the output's suffix."),
    extra_actors: Optional[Path] = typer.Option(None, "--extra-actors", help=_EXTRA_HELP),
    n_process: int = typer.Option(1, "--n-process", help=_NPROC_HELP),
    batch_size: int = typer.Option(16, "--batch-size", help=_BATCH_HELP),
    max_chars: int = typer.Option(1_000_000, "--max-chars", help=_MAXC_HELP),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", help=_MINCONF_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=_RULES_HELP),
    time_budget: float = typer.Option(DEFAULT_TIME_BUDGET_S, "--time-budget", help=_BUDGET_HELP),
    store: Optional[Path] = typer.Option(
        None, "--store", help="Draw the graph of a DuckDB store (nlp-relations ingest/update) "
        "instead of INPUTS."),
) -> None:
    """Extract from every document (or read extract's results back) and write the graph."""
    from .graph import build_graph

    target, fmt = _graph_target(output, fmt)
    if store is not None:
        from .scale.cli import graph_from_store

        with _lock(target):
            graph_from_store(store, target, fmt)
        return
    if not inputs:
        raise _OptionError("Missing argument 'INPUTS...' (or pass --store FILE).")
    with _lock(target):
        tally = _Tally()
        results = _run(inputs, exclude=[target], extra_actors=extra_actors,
                       rules_only=rules_only, n_process=n_process, batch_size=batch_size,
                       max_chars=max_chars, min_confidence=min_confidence,
                       time_budget=time_budget, tally=tally)
        built = build_graph(r for r in results if r.ok)
        tally.check()
        typer.echo(tally.summary(), err=True)
        _write_graph(built, target, fmt)


@app.command("events")
@_friendly
def events_cmd(
    inputs: list[Path] = typer.Argument(..., help=_INPUTS_HELP),
    output: Path = typer.Option(Path("events.csv"), "-o", "--output",
                                help="The event table: .csv, .tsv or .parquet."),
    extra_actors: Optional[Path] = typer.Option(None, "--extra-actors", help=_EXTRA_HELP),
    n_process: int = typer.Option(1, "--n-process", help=_NPROC_HELP),
    batch_size: int = typer.Option(16, "--batch-size", help=_BATCH_HELP),
    max_chars: int = typer.Option(1_000_000, "--max-chars", help=_MAXC_HELP),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", help=_MINCONF_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=_RULES_HELP),
    time_budget: float = typer.Option(DEFAULT_TIME_BUDGET_S, "--time-budget", help=_BUDGET_HELP),
) -> None:
    """Write the flat event table (one row per triple) of documents, or of extract's results."""
    from .graph.events import EventWriter

    writer = EventWriter(output)
    with _lock(output):
        tally = _Tally()
        results = _run(inputs, exclude=[output], extra_actors=extra_actors,
                       rules_only=rules_only, n_process=n_process, batch_size=batch_size,
                       max_chars=max_chars, min_confidence=min_confidence,
                       time_budget=time_budget, tally=tally)
        with writer:
            for result in results:
                writer.add(result)
            tally.check()
        typer.echo(f"wrote {output}: {writer.rows} event(s); {tally.summary()}", err=True)


def _write_lines(path: Path, lines: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")


@app.command()
@_friendly
def evaluate(
    gold: Path = typer.Argument(..., help="Gold JSONL (data/corpus/README.md describes it)."),
    method: str = typer.Option("combined", "--method", help="rules, model or combined."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write scores as JSON."),
    errors: Optional[Path] = typer.Option(None, "--errors",
                                          help="Write sentences with a wrong prediction (JSONL)."),
    model: Optional[Path] = typer.Option(None, "--model",
                                         help="A trained model folder instead of the shipped "
                                              "one, e.g. models/relation_model."),
) -> None:
    """Precision, recall and F1 per predicate, per PLOVER category and overall."""
    from .api import load
    from .evaluate import evaluate_gold, format_report
    from .evaluate.run import METHODS

    if method not in METHODS:
        raise _coded("E207", _OptionError, value=method, options=", ".join(METHODS))
    if not gold.is_file():
        raise _coded("E209", _OptionError, path=gold)
    for path, example in ((json_out, "scores.json"), (errors, "errors.jsonl")):
        if path is not None:
            _file_output(path, example)
    # The model alone is the full model, the one load(model_only=True) runs; the default's
    # lighter model only confirms the rules' triples.
    options = {"model_only": method == "model"} | ({"model": model} if model else {})
    scores, rows = evaluate_gold(gold, load(**options), method=method)
    typer.echo(format_report(scores, title=f"{gold} (method: {method})"))
    if json_out:
        _write_lines(json_out, [json.dumps(scores.as_dict(), indent=2)])
    if errors:
        key = lambda t: (t["subject"], t["predicate"], t["object"])  # noqa: E731
        wrong = (row for row in rows
                 if sorted(map(key, row["gold"])) != sorted(set(map(key, row["pred"]))))
        _write_lines(errors, (json.dumps(row, ensure_ascii=False) for row in wrong))


@app.command("evaluate-linking")
@_friendly
def evaluate_linking_cmd(
    conll: Optional[Path] = typer.Option(None, "--conll", help="CoNLL file (default: ConfliBERT "
                                         "cameo_ner_test in ../shared/datasets)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold ids (default: data/gold)."),
    errors: Optional[Path] = typer.Option(None, "--errors", help="Write wrong spans (JSONL)."),
) -> None:
    """Actor-linking precision and recall on hand-mapped source/target spans."""
    from .api import load
    from .evaluate.linking import DEFAULT_CONLL, DEFAULT_GOLD, evaluate_linking

    conll, gold = conll or DEFAULT_CONLL, gold or DEFAULT_GOLD
    for what, path, option in (("The CoNLL file", conll, "--conll"),
                               ("The gold id file", gold, "--gold")):
        if not Path(path).is_file():
            raise _coded("E208", what=what, path=path, option=option)
    if errors is not None:
        _file_output(errors, "linking_errors.jsonl")
    prf, rows = evaluate_linking(load(), conll=conll, gold=gold)
    typer.echo(f"spans: {len(rows)}  precision: {prf.p:.3f}  recall: {prf.r:.3f}  F1: {prf.f:.3f}"
               f"  (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})")
    if errors:
        _write_lines(errors, (json.dumps(row) for row in rows if row["gold"] != row["predicted"]))


@app.command()
@_friendly
def actors(name: str = typer.Argument(..., help="A name, e.g. Pyongyang.")) -> None:
    """Resolve a name to its registry actor (JSON); exit 1 when none matches."""
    from .api import resolve_actor

    actor = resolve_actor(name)
    if actor is None:
        raise _coded("E206", name=name)
    typer.echo(json.dumps(actor.model_dump()))


@app.command()
@_friendly
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


from .scale.cli import register as _register_scale  # noqa: E402  (ingest, update, dyad)

_register_scale(app)

if __name__ == "__main__":  # pragma: no cover
    app()
