"""Answers as Telegram HTML messages: escaped, cited, and split to fit 4096 characters.

An answer is rendered as blocks (heading, one block per statement, the sources list);
each block is complete HTML on its own, so splitting between blocks can never cut a tag,
an entity or a citation marker. A block longer than a message (a very long quotation) is
cut at sentence boundaries before escaping, and its citation marker stays on its last part.

The "Sources" button carries stable keys — a prefix of the article id and the paragraph
number — so it still works after a restart or a rebuild, within Telegram's 64-byte limit.
"""

from __future__ import annotations

import re
from html import escape
from typing import Sequence

from qabot.records import Answer, Citation

MESSAGE_LIMIT = 4096
CALLBACK_LIMIT = 64
SOURCES_PREFIX = "s:"
_ID_CHARS = 8
_SENTENCE_END = re.compile(r"(?<=[.!?…”\"])\s+")


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def source_html(c: Citation) -> str:
    a = c.article
    title = escape(a.title or a.path)
    linked = f'<a href="{escape(a.url, quote=True)}">{title}</a>' if a.url else f"<b>{title}</b>"
    details = ", ".join(escape(p) for p in (a.source, a.published) if p)
    return f"[{c.number}] {linked}{' — ' + details if details else ''}, paragraph {c.paragraph}"


def answer_blocks(answer: Answer) -> list[str]:
    """The answer as self-contained HTML blocks, in reading order."""
    blocks: list[str] = []
    if answer.heading:
        blocks.append(f"<b>{escape(answer.heading)}</b>")
    for s in answer.statements:
        blocks += _statement_blocks(s.text, s.citation, quoted=s.speaker is not None)
    if not answer.found:
        blocks.append(escape(answer.note or "I couldn't find that in the indexed articles."))
        if answer.closest:
            blocks.append("<i>Closest matches (not an answer):</i>")
            for c in answer.closest:
                blocks.append(f"{source_html(c)}\n<i>{escape(_shorten(c.text))}</i>")
        return blocks
    if answer.note:
        blocks.append(f"<i>{escape(answer.note)}</i>")
    if answer.citations:
        blocks.append("<b>Sources</b>")
        blocks += [source_html(c) for c in answer.citations]
    return blocks


def render_answer(answer: Answer, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Messages of at most `limit` characters (UTF-16 units), split between blocks."""
    return pack(answer_blocks(answer), limit)


def render_passages(passages: Sequence[Citation | None], numbers: Sequence[int], limit: int = MESSAGE_LIMIT) -> list[str]:
    """The full cited paragraphs for the Sources button; a vanished one is said so."""
    blocks = []
    for number, c in zip(numbers, passages):
        if c is None:
            blocks.append(f"[{number}] That passage is no longer in the index.")
            continue
        blocks.append(source_html(Citation(number, c.article, c.paragraph, c.text, c.start, c.end, c.passage, c.chunk_id)))
        blocks += _statement_blocks(c.passage, None, quoted=False, bullet="")
    return pack(blocks, limit)


def pack(blocks: Sequence[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current and _starts_section(block) else (f"{current}\n{block}" if current else block)
        if utf16_length(candidate) <= limit:
            current = candidate
        else:
            if current:
                messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def sources_callback(citations: Sequence[Citation]) -> str:
    """Callback data for the Sources button: "s:<id8>.<paragraph>,…" within 64 bytes."""
    data = SOURCES_PREFIX
    for c in citations:
        part = f"{c.article.id[:_ID_CHARS]}.{c.paragraph:x}"
        candidate = data + ("," if data != SOURCES_PREFIX else "") + part
        if len(candidate.encode("utf-8")) > CALLBACK_LIMIT:
            break
        data = candidate
    return data


def parse_sources_callback(data: str) -> list[tuple[str, int]]:
    """(article id prefix, paragraph) pairs from `sources_callback` data; [] if malformed."""
    if not data.startswith(SOURCES_PREFIX):
        return []
    pairs = []
    for part in data[len(SOURCES_PREFIX):].split(","):
        prefix, _, paragraph = part.partition(".")
        if not re.fullmatch(r"[0-9a-f]{4,12}", prefix) or not re.fullmatch(r"[0-9a-f]+", paragraph):
            return []
        pairs.append((prefix, int(paragraph, 16)))
    return pairs


def _statement_blocks(text: str, citation: int | None, *, quoted: bool, bullet: str = "• ",
                      limit: int = MESSAGE_LIMIT - 200) -> list[str]:
    marker = f" [{citation}]" if citation is not None else ""
    open_mark, close_mark = ("“", "”") if quoted else ("", "")
    whole = f"{bullet}{escape(open_mark + text + close_mark)}{marker}"
    if utf16_length(whole) <= limit:
        return [whole]
    pieces, current = [], ""
    for sentence in _SENTENCE_END.split(text):
        for part in _hard_split(sentence, limit // 2):
            if current and utf16_length(escape(current + " " + part)) > limit:
                pieces.append(current)
                current = part
            else:
                current = f"{current} {part}" if current else part
    pieces.append(current)
    blocks = [escape(p) for p in pieces]
    blocks[0] = bullet + escape(open_mark) + blocks[0]
    blocks[-1] = blocks[-1] + escape(close_mark) + marker
    return blocks


def _hard_split(text: str, size: int) -> list[str]:
    """A "sentence" longer than `size` (no full stops at all) is cut at spaces."""
    if utf16_length(text) <= size:
        return [text]
    words, parts, current = text.split(" "), [], ""
    for word in words:
        if current and utf16_length(current + " " + word) > size:
            parts.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    parts.append(current)
    return [p[:size] for p in parts]


def _starts_section(block: str) -> bool:
    return block.startswith(("<b>Sources</b>", "<i>"))


def _shorten(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
