"""Sentence spans: where each sentence of a paragraph starts and ends.

Used by chunking (packing sentences into chunks) and by the answer composer (picking the
sentences that answer a question). Sentences come from pysbd, a rule-based splitter that
survives "Maj. Gen.", "U.S." and quotations that contain several sentences.

>>> [text[a:b] for text in ["Dr. Smith left. He came back."] for a, b in split_sentences(text)]
['Dr. Smith left.', 'He came back.']
"""

from __future__ import annotations

import re
from functools import lru_cache

_CLOSING_QUOTE = re.compile(r"([”’»\"']+)(?:\s+|$)")
# pysbd's cost grows faster than the text (about 12 µs a character up to 1 000 characters,
# 38 µs at 5 000, and more the longer the text: a 1 MB paragraph ran past 10 minutes).
# A paragraph longer than WHOLE is cut into windows of at most WINDOW characters first, each
# cut after the last sentence end (". ", "? ", "! ") in the window's second half, else at the
# last space, else hard. No BBC or PolNeAR paragraph is over 2 600 characters, so real news
# paragraphs are split exactly as before.
WHOLE = 3000
WINDOW = 1000
# Even in windows pysbd reads ~12 µs a character: a 1 MB paragraph would take 12 s. A
# paragraph longer than this is no prose anyone wrote as one paragraph (a dump, a table, an
# attack), and is cut at plain sentence ends instead (". " before a capital letter), which
# is all chunking needs from it.
PLAIN = 20_000
_PLAIN_END = re.compile(r"[.!?][”’\"')\]]*(?P<gap>\s+)(?=[“‘\"'(\[]?[A-Z0-9])")
_WINDOW_END = re.compile(r"[.!?][”’\"')\]]*\s+")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in `text`, surrounding white space excluded.

    pysbd returns the sentences; their positions are found by searching forward from the
    previous sentence, which stays exact where pysbd's own `char_span` search drifts
    (it matches each sentence from the top of the text, so a repeated sentence can land
    on an earlier copy, and a sentence whose white space pysbd changed is dropped).
    """
    if len(text) <= WHOLE:
        return _split_window(text)
    if len(text) > PLAIN:
        return _plain_sentences(text)
    spans: list[tuple[int, int]] = []
    for start, end in _windows(text):
        spans += [(start + a, start + b) for a, b in _split_window(text[start:end])]
    return spans


def _plain_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans cut at plain sentence ends, in one linear pass."""
    spans, start = [], 0
    for end in _PLAIN_END.finditer(text):
        piece = text[start:end.start("gap")]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
        start = end.end("gap")
    piece = text[start:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + len(piece.rstrip())))
    return spans


def _windows(text: str) -> list[tuple[int, int]]:
    """Consecutive (start, end) pieces of `text`, each at most `WINDOW` characters."""
    pieces, start = [], 0
    while len(text) - start > WINDOW:
        limit = start + WINDOW
        ends = [m.end() for m in _WINDOW_END.finditer(text, start + WINDOW // 2, limit)]
        space = text.rfind(" ", start + 1, limit)
        cut = ends[-1] if ends else (space + 1 if space > start else limit)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(text)))
    return pieces


def _split_window(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    # `processor(...).process()` is what `segment()` runs before its own span search, which
    # costs a regex compile per sentence and silently drops a sentence it cannot find.
    for sentence in _segmenter().processor(text).process() if text.strip() else ():
        piece = sentence.strip()
        if not piece:
            continue
        found = _find(text, piece, cursor)
        if found is None:  # pysbd altered the text: the rest is one "sentence", cut later if long
            rest = text[cursor:]
            if rest.strip():
                lead = len(rest) - len(rest.lstrip())
                spans.append((cursor + lead, cursor + len(rest.rstrip())))
            return spans
        closer = _CLOSING_QUOTE.match(text, found[0], found[1])
        if closer and spans:  # pysbd left a quotation's closing mark on the next sentence
            spans[-1] = (spans[-1][0], closer.end(1))
            found = (closer.end(), found[1])
            if found[0] >= found[1]:
                cursor = found[1]
                continue
        spans.append(found)
        cursor = found[1]
    return spans


def _find(text: str, piece: str, cursor: int) -> tuple[int, int] | None:
    start = text.find(piece, cursor)
    if start >= 0:
        return start, start + len(piece)
    # Tolerate changed white space between the words.
    loose = re.compile(r"\s+".join(re.escape(word) for word in piece.split()))
    match = loose.search(text, cursor)
    return (match.start(), match.end()) if match else None
