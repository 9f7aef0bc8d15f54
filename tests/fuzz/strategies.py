"""Hostile inputs for the fuzz suite."""

from __future__ import annotations

from hypothesis import strategies as st

GOOD = "NATO condemned North Korea's arms exports to Russia."
SENTENCES = [
    GOOD,
    "Japan criticized China over the incident in the East China Sea.",
    "Russian Foreign Minister Sergei Lavrov met Wang Yi in Beijing on Tuesday.",
    "The United States imposed sanctions on Iran, the Treasury said.",
]
# Characters that have broken text tools before: controls, NUL, invisible and bidi marks,
# non-characters, a byte-order mark, lone surrogates, line and paragraph separators.
ODD_CHARS = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u00ad",
             "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2028",
             "\u2029", "\u2066", "\u2069", "\ufeff", "\ufffe", "\uffff", "\ufffd", "\ud800",
             "\udfff", "\U0001f600", "\U0001f1f0\U0001f1f5", "\u0301", "\r", "\t"]
SNIPPETS = [
    "\u0645\u0635\u0631 \u062a\u062f\u064a\u0646 \u0627\u0644\u0647\u062c\u0648\u0645",  # Arabic
    "\u05d9\u05e9\u05e8\u05d0\u05dc \u05d2\u05d9\u05e0\u05ea\u05d4",  # Hebrew
    "\u5317\u671d\u9c9c\u8c34\u8d23\u7f8e\u56fd",  # Chinese
    "\U0001f680\U0001f4a5\U0001f1fa\U0001f1f8",  # emoji
    "<p>NATO <b>condemned</b> North Korea.</p>",
    "<?xml version='1.0'?><doc><actor id=\"RUS\">Russia</actor></doc>",
    "<script>alert('x')</script><!-- comment --> &amp; &lt;tag&gt; &#0; &#xFFFF;",
    "# NATO condemned **North Korea**\n\n- [link](http://example.org)\n```\ncode\n```",
    "| a | b |\n|---|---|\n| Russia | China |",
    "\"quoted\" 'single' \u201ccurly\u201d \\backslash\\ {\"json\": [1, 2]}",
    "-" * 40,
    "...!!!???",
]


@st.composite
def hostile_texts(draw, max_parts: int = 6) -> str:
    """A text made of sentences, odd characters, markup, long tokens and random unicode."""
    part = st.one_of(
        st.sampled_from(SENTENCES),
        st.sampled_from(SNIPPETS),
        st.sampled_from(ODD_CHARS),
        st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
        st.builds(lambda c, n: c * n, st.sampled_from(["A", "x", "9", "\u00e9", "."]),
                  st.integers(100, 3000)),  # one very long token
        st.builds(lambda n: "NATO condemned North Korea and " * n, st.integers(2, 30)),
        st.sampled_from([" ", "\n", "\n\n", "\r\n", "\t", ""]),
    )
    return "".join(draw(st.lists(part, min_size=0, max_size=max_parts)))


def hostile_raw():
    """A text, bytes (valid UTF-8 or not) or something that is no text at all."""
    return st.one_of(
        hostile_texts(),
        hostile_texts().map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=200),
        st.sampled_from([None, 42, 3.5, ["a list"], {"a": "dict"}]),
    )


def items():
    """An item for extract_many: a raw text, or a tuple with good or bad ids and dates."""
    doc_id = st.one_of(st.text(max_size=12), st.none(), st.integers())
    date = st.one_of(st.none(), st.just("2024-07-13"), st.text(max_size=10), st.integers())
    return st.one_of(
        hostile_raw(),
        st.tuples(hostile_raw(), doc_id),
        st.tuples(hostile_raw(), doc_id, date),
        st.tuples(hostile_raw()),
        st.tuples(hostile_raw(), doc_id, date, st.just("extra")),
    )


# Values of the wrong type for any argument.
WRONG = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True),
                  st.binary(max_size=5), st.lists(st.integers(), max_size=2),
                  st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                  st.just(object()), st.just(b"\xff"))
