"""Where the quotations of a paragraph are: double marks (straight or curly, mixed), single
marks used as the outer ones, scare quotes (one or two words) left out.

Finding the marks is its own job, apart from saying who spoke (`quotes.py`): real copy mixes
mark styles and leaves quotations open across paragraphs, and these rules are tested alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# Double marks, straight or curly, may be mixed (`"…”` happens in real copy). A straight mark
# opens after a space and before a word; one that opens while a quotation is open ends that
# one (BBC copy runs on: `"… 26 weeks. "We are going …"`); an unclosed quotation runs to the
# end of the paragraph (and continues in the next one).
_DOUBLE_MARK = re.compile(r"[“”\"]")
# Single marks as the outer marks (British style): `‘Moscow has little leverage,’ he said`.
# An apostrophe inside a word ("don’t") does not close it: the closing mark is not followed
# by a letter, and the opening one does not follow a letter ("the Kurds’ land").
_SINGLE = re.compile(r"(?<![\w’'])[‘'](?P<body>\w[^‘’'\n]*?(?:[’'](?=\w)[^‘’'\n]*?)*)[’'](?!\w)")


def _double_quoted(text: str) -> list[tuple[int, int, int, int]]:
    """(outer_start, body_start, body_end, outer_end) of each double-quoted span."""
    spans, opened = [], None
    for mark in _DOUBLE_MARK.finditer(text):
        i = mark.start()
        before, after = text[i - 1:i] if i else " ", text[i + 1:i + 2] or " "
        opens = mark.group() == "“" or (mark.group() == '"' and (before.isspace() or before in "([—-")
                                        and not after.isspace())
        if opened is not None and (not opens or mark.group() == '"'):
            end = i if not opens else len(text[:i].rstrip())
            spans.append((opened, opened + 1, end, i + 1 if not opens else end))
            opened = None
        if opens and opened is None:
            opened = i
    if opened is not None:
        spans.append((opened, opened + 1, len(text), len(text)))
    return spans


def _quotation_marks(text: str) -> list[tuple[int, int, int, int]]:
    """Double-quoted spans, plus single-quoted ones that are not inside a double-quoted span
    (so the 'achievement.' inside someone's quotation stays part of it)."""
    doubles = _double_quoted(text)
    inside = _Spans((d[0], d[3]) for d in doubles)
    singles = [(m.start(), *m.span("body"), m.end()) for m in _SINGLE.finditer(text) if not inside.holds(m.start())]
    return sorted(doubles + singles)


class _Spans:
    """A set of [start, end) ranges that answers "is this offset inside one?" by bisection,
    so a paragraph with thousands of quotations is not checked range by range."""

    def __init__(self, spans):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            if self._ends and start <= self._ends[-1]:  # overlapping or touching: merge
                self._ends[-1] = max(self._ends[-1], end)
            else:
                self._starts.append(start)
                self._ends.append(end)

    def holds(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]


def _paragraph_quotes(text: str):
    """(start, end, closed, outer_start, outer_end) of each quotation; the body loses a trailing
    comma ("…, he said" -> "…") but keeps . ? ! and any closing single mark."""
    for outer_start, start, end, outer_end in _quotation_marks(text):
        closed = outer_end > end or end < len(text)
        stripped = text[start:end].rstrip(" ,")
        if len(stripped.split()) < 3 or (closed and _a_title(stripped)):  # scare quotes: “an adventurist act”
            continue
        yield start, start + len(stripped), closed, outer_start, outer_end


_SMALL_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "nor", "but", "with", "by",
                "from", "as", "vs"}


def _a_title(body: str) -> bool:
    """A short run in title case names a programme, a book or a headline (`on CBS's "Face the
    Nation"`, `his "Keepin' It Real" radio program`), not words someone said."""
    words = re.findall(r"[^\W\d_][\w’'-]*", body)
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return len(words) <= 8 and len(big) >= 2 and all(w[0].isupper() for w in big)


def _words_outside(text: str, quoted: list[tuple[int, int, bool, int, int]]) -> bool:
    """Whether a paragraph has words outside its quotations (else it is only a quotation)."""
    outside, done = [], 0
    for _, _, _, outer_start, outer_end in quoted:
        outside.append(text[done:outer_start])
        done = max(done, outer_end)
    outside.append(text[done:])
    return bool(re.search(r"\w", "".join(outside)))
