"""Sentences and chunks: passages that fit the embedding model, never crossing a paragraph.

A citation names one paragraph, so a chunk never spans two. A paragraph that fits the
token budget is one chunk; a longer one is packed into consecutive sentence groups; a
single sentence longer than the budget is cut at word boundaries. Nothing is ever
truncated silently by the model: every chunk's token count (the model's own tokenizer)
is within `max_tokens`, and the chunks cover every word of every paragraph.

Sentences come from pysbd, a rule-based splitter that survives "Maj. Gen.", "U.S." and
quotations that contain several sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Sequence

from qabot.records import Article, Chunk

CountTokens = Callable[[Sequence[str]], list[int]]
_WORD_SPAN = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in `text`, surrounding white space excluded.

    pysbd returns the sentences; their positions are found by searching forward, which
    stays exact even where pysbd's own span arithmetic drifts.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in _segmenter().segment(text):
        piece = sentence.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # pysbd altered the text: fall back to the rest as one sentence
            rest = text[cursor:]
            if rest.strip():
                lead = len(rest) - len(rest.lstrip())
                spans.append((cursor + lead, cursor + len(rest.rstrip())))
            return spans
        spans.append((start, start + len(piece)))
        cursor = start + len(piece)
    return spans


def chunk_article(article: Article, count_tokens: CountTokens, max_tokens: int, first_id: int = 0) -> list[Chunk]:
    """Chunks of one article, ids numbered from `first_id`, offsets into `article.text`."""
    paragraphs = article.paragraphs
    sizes = count_tokens([p.text for p in paragraphs])
    spans: list[tuple[int, int, int]] = []  # (paragraph number, start, end) in article offsets
    for paragraph, size in zip(paragraphs, sizes):
        if size <= max_tokens:
            spans.append((paragraph.number, paragraph.start, paragraph.end))
            continue
        for start, end in _pack(paragraph.text, count_tokens, max_tokens):
            spans.append((paragraph.number, paragraph.start + start, paragraph.start + end))
    return [
        Chunk(first_id + i, article.id, number, start, end, article.text[start:end])
        for i, (number, start, end) in enumerate(spans)
    ]


def _pack(text: str, count_tokens: CountTokens, max_tokens: int) -> list[tuple[int, int]]:
    """Greedy: consecutive sentences while they fit; oversize sentences cut at words."""
    pieces: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        pieces += _cut_sentence(text, start, end, count_tokens, max_tokens)
    sizes = count_tokens([text[s:e] for s, e in pieces])
    packed: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for (start, end), size in zip(pieces, sizes):
        if current is not None and count_tokens([text[current[0]:end]])[0] <= max_tokens:
            current = (current[0], end)
        else:
            if current is not None:
                packed.append(current)
            current = (start, end)
    if current is not None:
        packed.append(current)
    return packed


def _cut_sentence(text: str, start: int, end: int, count_tokens: CountTokens, max_tokens: int) -> list[tuple[int, int]]:
    if count_tokens([text[start:end]])[0] <= max_tokens:
        return [(start, end)]
    words = [(start + m.start(), start + m.end()) for m in _WORD_SPAN.finditer(text[start:end])]
    pieces: list[tuple[int, int]] = []
    first = 0
    while first < len(words):
        last = first
        # Grow the piece word by word; a piece is at least one word (a word never exceeds the budget).
        while last + 1 < len(words) and count_tokens([text[words[first][0]:words[last + 1][1]]])[0] <= max_tokens:
            last += 1
        pieces.append((words[first][0], words[last][1]))
        first = last + 1
    return pieces
