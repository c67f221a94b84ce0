"""Sentences and chunks: passages that fit the embedding model, never crossing a paragraph.

A citation names one paragraph, so a chunk never spans two. A paragraph that fits the
token budget is one chunk; a longer one is packed greedily into consecutive sentence
groups; a single sentence longer than the budget is cut at word boundaries (and a "word"
longer than the budget — a URL, a run of CJK text — at characters). Nothing is ever
truncated silently by the model: every chunk's token count (the model's own tokenizer,
without special tokens) is within `max_tokens`, and the chunks cover every non-space
character of every paragraph.

Sentences come from `qabot.text.split_sentences` (pysbd). It costs about 3 ms per
paragraph, so it runs only on paragraphs over the budget (one in ten in the BBC corpus).
Measured: chunking all of BBC News (2,226 articles, 4.9 M characters) takes 6 s at the
default budget of 200 tokens, 1.2 s of it the tokenizer and 3 s pysbd; a rebuild re-chunks only changed articles.

Why packing sums token counts instead of re-counting each candidate: with the model's
tokenizer splitting at white space first (BERT's WordPiece does), the tokens of
"sentence one. sentence two." are exactly the tokens of each sentence added up, so one
batched tokenizer call per paragraph replaces one call per sentence. Every packed chunk
is still counted for real afterwards; a tokenizer for which the sums were wrong gets that
chunk re-packed with exact counts, so the budget holds for any model.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from qabot.records import Article, Chunk
from qabot.text import split_sentences

CountTokens = Callable[[Sequence[str]], list[int]]
Piece = tuple[int, int, int]  # (start, end, tokens), offsets into one paragraph's text

_WORD = re.compile(r"\S+")
_COUNT_WHOLE = 20_000  # characters


def chunk_article(article: Article, count_tokens: CountTokens, max_tokens: int, first_id: int = 0) -> list[Chunk]:
    """Chunks of one article, ids numbered from `first_id`, offsets into `article.text`.

    `count_tokens` is the embedding model's counter (`Embedder.count_tokens`): batched,
    no special tokens, no truncation. Paragraphs with no visible text give no chunk.
    """
    paragraphs = [p for p in article.paragraphs if p.text.strip()]
    # The tokenizer slows down on one huge string (a 1 MB paragraph took 5 s, twenty times
    # its rate on sentences), so a paragraph too long to be counted cheaply goes straight to
    # sentence packing, which gives the paragraph as one chunk anyway if it fits.
    sizes = count_tokens([p.text if len(p.text) <= _COUNT_WHOLE else "" for p in paragraphs])
    spans: list[tuple[int, int, int]] = []  # (paragraph number, start, end) in article offsets
    for paragraph, size in zip(paragraphs, sizes):
        if size <= max_tokens and len(paragraph.text) <= _COUNT_WHOLE:
            spans.append((paragraph.number, paragraph.start, paragraph.end))
            continue
        for start, end, _ in split_paragraph(paragraph.text, count_tokens, max_tokens):
            spans.append((paragraph.number, paragraph.start + start, paragraph.start + end))
    return [
        Chunk(first_id + i, article.id, number, start, end, article.text[start:end])
        for i, (number, start, end) in enumerate(spans)
    ]


def split_paragraph(text: str, count_tokens: CountTokens, max_tokens: int) -> list[Piece]:
    """Consecutive sentence groups of `text`, each within `max_tokens`."""
    sentences = split_sentences(text)
    sizes = count_tokens([text[a:b] for a, b in sentences])
    pieces: list[Piece] = []
    for (start, end), size in zip(sentences, sizes):
        if size <= max_tokens:
            pieces.append((start, end, size))
        else:
            pieces += _cut_sentence(text, start, end, count_tokens, max_tokens)
    return _pack(text, pieces, count_tokens, max_tokens)


def _cut_sentence(text: str, start: int, end: int, count_tokens: CountTokens, max_tokens: int) -> list[Piece]:
    """A sentence over the budget, cut at word boundaries (at characters inside a huge word)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    sizes = count_tokens([text[a:b] for a, b in words])
    units: list[Piece] = []
    for (a, b), size in zip(words, sizes):
        units += [(a, b, size)] if size <= max_tokens else _cut_word(text, a, b, count_tokens, max_tokens)
    return _pack(text, units, count_tokens, max_tokens)


def _cut_word(text: str, start: int, end: int, count_tokens: CountTokens, max_tokens: int) -> list[Piece]:
    """The longest prefixes that fit, found by bisection; at least one character each."""
    pieces: list[Piece] = []
    while start < end:
        low, high = start + 1, end  # text[start:low] always taken; find the longest fit
        while low < high:
            middle = (low + high + 1) // 2
            if count_tokens([text[start:middle]])[0] <= max_tokens:
                low = middle
            else:
                high = middle - 1
        pieces.append((start, low, count_tokens([text[start:low]])[0]))
        start = low
    return pieces


def _pack(text: str, units: Sequence[Piece], count_tokens: CountTokens, max_tokens: int) -> list[Piece]:
    """Greedy: consecutive units while their summed tokens fit; each group then counted for real."""
    groups: list[list[Piece]] = []
    total = 0
    for unit in units:
        if groups and total + unit[2] <= max_tokens:
            groups[-1].append(unit)
            total += unit[2]
        else:
            groups.append([unit])
            total = unit[2]
    exact = count_tokens([text[g[0][0]:g[-1][1]] for g in groups])
    packed: list[Piece] = []
    for group, size in zip(groups, exact):
        if size <= max_tokens:
            packed.append((group[0][0], group[-1][1], size))
        else:  # the tokenizer is not additive here: grow the group one unit at a time, counting
            packed += _pack_exactly(text, group, count_tokens, max_tokens)
    return packed


def _pack_exactly(text: str, units: Sequence[Piece], count_tokens: CountTokens, max_tokens: int) -> list[Piece]:
    packed: list[Piece] = []
    for start, end, size in units:  # every unit fits on its own
        if packed:
            merged = count_tokens([text[packed[-1][0]:end]])[0]
            if merged <= max_tokens:
                packed[-1] = (packed[-1][0], end, merged)
                continue
        packed.append((start, end, size))
    return packed
