"""Check and clean one input document before it reaches the pipeline.

Bad input never crashes a batch: ``prepare_text`` raises ``InputError`` with a coded message,
which ``extract_many`` turns into a per-document error record.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from spacy.lang.en.stop_words import STOP_WORDS

from .errors import Errors, InputError

__all__ = ["DEFAULT_MAX_CHARS", "clean_text", "prepare_text", "strip_html", "looks_like_html"]

DEFAULT_MAX_CHARS = 1_000_000
# Share of control/replacement characters above which a text is taken for undecoded bytes.
MAX_BINARY_SHARE = 0.05
# Share of control bytes above which undecodable bytes are taken for a binary file.
BINARY_BYTE_SHARE = 0.02
# Share of common English words below which a text is taken for another language.
MIN_ENGLISH_SHARE = 0.12
MIN_WORDS_FOR_LANGUAGE_CHECK = 12

_HTML = re.compile(r"<\s*(html|body|p|div|span|br|a\s|head|script|article|h[1-6])\b[^>]*>", re.I)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article",
               "section", "header", "footer", "title", "blockquote"}
# Characters that show nothing but split a word for the tokenizer ("con\u200bdemned"): byte-order
# marks, zero-width spaces and joiners, bidi marks and embeddings, soft hyphens, and C0/C1
# controls other than tab and line breaks. They are deleted.
_INVISIBLE = ("\ufeff\u200b\u200c\u200d\u2060-\u2064\u180e"
              "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u00ad"
              "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f")
# Line breaks other than "\n" (vertical tab, form feed, NEL, line and paragraph separators).
_OTHER_BREAKS = "\x0b\x0c\x85\u2028\u2029"
# One pass over the text: a word hyphenated across a line end ("sanc-\ntions", lower-case
# continuation only, so "pro-\nRussian" keeps its line), other line breaks, lone surrogates
# (which no encoding can write), and the invisible characters above.
_CLEAN = re.compile(
    r"(?P<hyphen>(?<=[^\W\d_])[-\u00ad][ \t]*\n[ \t]*(?=[^\W\d_A-Z]))"
    f"|(?P<lf>[{_OTHER_BREAKS}])|(?P<surrogate>[\ud800-\udfff])|(?P<invisible>[{_INVISIBLE}])"
)
_CLEAN_NOTES = {
    "hyphen": "{n} word(s) hyphenated across a line end joined",
    "lf": "{n} vertical tab, form feed or Unicode line separator(s) read as line breaks",
    "surrogate": "{n} lone surrogate(s) replaced by U+FFFD",
    "invisible": "{n} invisible character(s) removed (byte-order mark, zero-width, bidi mark, "
                 "soft hyphen or control character)",
}
_CLEAN_WITH = {"hyphen": "", "lf": "\n", "surrogate": "\ufffd", "invisible": ""}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "noscript", "template"}:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "noscript", "template"}:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True if the text carries HTML markup."""
    return bool(_HTML.search(text[:20000]))


def strip_html(text: str) -> str:
    """Visible text of an HTML page, one block per line (scripts and styles dropped)."""
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def clean_text(text: str) -> tuple[str, list[str]]:
    """Remove what a reader cannot see but the tokenizer would split words on; one linear pass.

    Deletes byte-order marks, zero-width characters, bidi marks, soft hyphens and control
    characters other than tab and line breaks; joins a word hyphenated across a line end;
    turns other line breaks into "\\n" and replaces lone surrogates by U+FFFD.

    Returns:
        The cleaned text and one note per kind of change (empty when nothing changed).

    Example:
        >>> clean_text("\\ufeffNATO con\\u200bdemned the sanc-\\ntions.")[0]
        'NATO condemned the sanctions.'
    """
    counts = dict.fromkeys(_CLEAN_WITH, 0)

    def replace(m: re.Match) -> str:
        counts[m.lastgroup] += 1
        return _CLEAN_WITH[m.lastgroup]

    cleaned = _CLEAN.sub(replace, text)
    notes = [_CLEAN_NOTES[kind].format(n=n) for kind, n in counts.items() if n]
    if notes:
        notes.append("character offsets refer to the cleaned text")
    return cleaned, notes


def _decode(data: bytes, doc_id: str) -> str:
    # A byte-order mark names the encoding: UTF-16 files (Windows exports) are text, not binary.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError("E004", Errors.E004.format(doc_id=doc_id, err=err)) from err
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        # Bytes no text encoding uses (NUL and other C0 controls besides tab and line breaks).
        sample = data[:20000]
        controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f")
        if controls > len(sample) * BINARY_BYTE_SHARE:
            raise InputError("E002", Errors.E002.format(doc_id=doc_id,
                                                        share=controls / len(sample))) from err
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as err2:
            raise InputError("E004", Errors.E004.format(doc_id=doc_id, err=err2)) from err2


def prepare_text(raw: object, *, doc_id: str, max_chars: int = DEFAULT_MAX_CHARS,
                 check_language: bool = True) -> tuple[str, list[str]]:
    """Validate and clean a document.

    Cleaning removes invisible characters and joins words hyphenated across line ends (see
    ``clean_text``), so the character offsets of every result refer to the cleaned text, not
    to ``raw``; the notes say when anything was changed.

    Returns:
        The text to process and notes on what was done to it (e.g. "HTML stripped").

    Raises:
        InputError: E001 empty, E002 binary, E003 too long, E004 undecodable, E005 not English,
            E006 wrong type.
    """
    notes: list[str] = []
    if isinstance(raw, (bytes, bytearray)):
        text = _decode(bytes(raw), doc_id)
    elif isinstance(raw, str):
        text = raw
    else:
        raise InputError("E006", Errors.E006.format(doc_id=doc_id, type_name=type(raw).__name__))
    if not text.strip():
        raise InputError("E001", Errors.E001.format(doc_id=doc_id))
    sample = text[:20000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    if bad / len(sample) > MAX_BINARY_SHARE:
        raise InputError("E002", Errors.E002.format(doc_id=doc_id, share=bad / len(sample)))
    if len(text) > max_chars:
        raise InputError("E003", Errors.E003.format(doc_id=doc_id, size=len(text), limit=max_chars))
    if looks_like_html(text):
        text = strip_html(text)
        notes.append("HTML markup stripped; the visible text was processed")
        if not text.strip():
            raise InputError("E001", Errors.E001.format(doc_id=doc_id))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, cleaned = clean_text(text)
    notes.extend(cleaned)
    if not text.strip():
        raise InputError("E001", Errors.E001.format(doc_id=doc_id))
    if check_language:
        words = _WORD.findall(text[:20000].lower())
        if len(words) >= MIN_WORDS_FOR_LANGUAGE_CHECK:
            share = sum(1 for w in words if w in STOP_WORDS) / len(words)
            if share < MIN_ENGLISH_SHARE:
                raise InputError("E005", Errors.E005.format(doc_id=doc_id, share=share))
    return text, notes
