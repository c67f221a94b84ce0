"""Text that is safe to print on a terminal: no control characters, no undecodable bytes.

A file name or an article may hold an ESC sequence (which a terminal obeys: colours, a
moved cursor, a forged line) or a newline (which forges a line of its own). `shown` is
for names, where the reader must see exactly what is there, so those characters become
visible escapes; `printable` is for article text and answers, where they are dropped.

>>> shown("evil\\x1b[31m\\nname\\udce9.txt")
'evil\\\\x1b[31m\\\\nname\\\\xe9.txt'
>>> printable("red \\x1b[31malert\\x07")
'red [31malert'
"""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, and the surrogates Python uses for bytes that are
# not UTF-8 in file names (os.fsdecode's "surrogateescape").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Article text keeps its line breaks and tabs; every other control character goes.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def shown(name: str) -> str:
    """`name` with each control character and undecodable byte as a visible escape."""
    return _UNSAFE.sub(_escape, name)


def printable(text: str) -> str:
    """`text` without control characters (line breaks and tabs kept)."""
    return _CONTROL.sub("", text)


def is_safe_name(name: str) -> bool:
    """A name that prints as itself: valid UTF-8, no control characters."""
    return _UNSAFE.search(name) is None


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
