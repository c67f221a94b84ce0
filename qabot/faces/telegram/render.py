"""Answers as Telegram HTML messages: escaped, cited, and split to fit 4096 characters.

An answer is rendered as blocks (heading, one block per statement, the sources list);
each block is complete HTML on its own, so splitting between blocks can never cut a tag,
an entity or a citation marker. A block longer than a message (a very long quotation) is
cut at sentence boundaries before escaping, and its citation marker stays on its last part.

The "Sources" buttons carry stable keys — the article id and the paragraph number, not a
row id of one snapshot — so they still work after a restart or a rebuild. Telegram allows
64 bytes of callback data per button, so the 12-hex-digit id travels as 8 base64url
characters and an answer with many citations gets one button per five or so:
"Sources 1–5", "Sources 6–10", ...

Article fields come from whoever wrote the files, so none may break a message: each is
capped and ellipsized (`FIELD_LIMITS`) before escaping, which keeps every source line far
below 4096 characters, and only http and https URLs become links (a `javascript:` URL in
front matter is shown as nothing at all).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from html import escape as _html_escape
from urllib.parse import urlsplit

from qabot.records import REPORTED, Answer, Citation

MESSAGE_LIMIT = 4096
CALLBACK_LIMIT = 64
BUTTON_LIMIT = 100  # Telegram's most buttons under one message
SOURCES_PREFIX = "s:"
_ARTICLE_ID = re.compile(r"[0-9a-f]{12}")
_KEY = re.compile(r"([A-Za-z0-9_-]{8})([0-9a-f]{1,6})")
# After . ! ? … or a closing quote and a space; after CJK full stops even with no space.
# Most characters of each article field shown; a longer one ends in "…".
FIELD_LIMITS = {"title": 300, "source": 100, "author": 100, "published": 40}
URL_LIMIT = 2048  # longer URLs are not linked (Telegram refuses very long hrefs)
_SENTENCE_END = re.compile(r"(?<=[.!?…”\"])\s+|(?<=[。！？])")


def escape(text: str) -> str:
    """Telegram HTML needs only `<`, `>` and `&` escaped in text; quotes stay readable."""
    return _html_escape(text, quote=False)


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def source_html(c: Citation) -> str:
    """"[n] <a href=url>Title</a> — Source, date, paragraph p", every field capped."""
    a = c.article
    title = escape(cap(a.title or a.path or "untitled", FIELD_LIMITS["title"]))
    url = linkable(a.url)
    linked = f'<a href="{_html_escape(url, quote=True)}">{title}</a>' if url else f"<b>{title}</b>"
    details = ", ".join(escape(cap(p, FIELD_LIMITS[k])) for k, p in (("source", a.source), ("published", a.published)) if p)
    also = f"; also in: {escape(cap(', '.join(a.also_in), FIELD_LIMITS['source']))}" if a.also_in else ""
    return f"[{c.number}] {linked}{' — ' + details if details else ''}, paragraph {c.paragraph}{also}"


def cap(text: str, limit: int) -> str:
    """One line of at most `limit` characters, ellipsized at a word boundary where there is one."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut) + "…"


def linkable(url: str | None) -> str | None:
    """The URL if it may be a link: http or https with a host, not absurdly long; else None."""
    if not url or len(url) > URL_LIMIT:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url.strip()):
        return None
    return url.strip()


def answer_blocks(answer: Answer) -> list[str]:
    """The answer as self-contained HTML blocks, in reading order."""
    blocks: list[str] = []
    if answer.heading:
        blocks.append(f"<b>{escape(answer.heading)}</b>")
    group = None
    for s in answer.statements:
        if s.group and s.group != group:  # a timeline's month or day
            group = s.group
            blocks.append(f"<u>{escape(group)}</u>")
        blocks += _statement_blocks(f"{REPORTED}{s.text}" if s.reported else s.text, s.citation,
                                    quoted=s.speaker is not None and not s.reported)
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


def sources_buttons(citations: Sequence[Citation]) -> list[tuple[str, str]]:
    """(label, callback data) for the Sources buttons: every citation on some button.

    Data is "s:<first number>:<key>,<key>,…" within 64 bytes, a key being the article id
    (8 base64url characters) followed by the paragraph number in hex.
    """
    groups: list[tuple[int, list[str]]] = []
    for c in citations:
        key = _source_key(c.article.id, c.paragraph)
        if key is None:  # not a 12-hex-digit id: cannot be looked up again, so no button
            continue
        if groups and len(_callback(*groups[-1]) + "," + key) <= CALLBACK_LIMIT:
            groups[-1][1].append(key)
        else:
            groups.append((c.number, [key]))
    groups = groups[:BUTTON_LIMIT]
    if len(groups) == 1:
        return [("Sources", _callback(*groups[0]))]
    return [(_label(first, len(keys)), _callback(first, keys)) for first, keys in groups]


def parse_sources_callback(data: str) -> tuple[int, list[tuple[str, int]]] | None:
    """(first citation number, [(article id, paragraph), …]) from a Sources button; None if malformed."""
    match = re.fullmatch(rf"{SOURCES_PREFIX}(\d{{1,4}}):(.+)", data)
    if not match:
        return None
    pairs = []
    for key in match.group(2).split(","):
        parts = _KEY.fullmatch(key)
        if not parts:
            return None
        try:
            article_id = base64.urlsafe_b64decode(parts.group(1)).hex()
        except (binascii.Error, ValueError):
            return None
        pairs.append((article_id, int(parts.group(2), 16)))
    return int(match.group(1)), pairs


def _source_key(article_id: str, paragraph: int) -> str | None:
    if not _ARTICLE_ID.fullmatch(article_id) or not 0 < paragraph < 16**6:
        return None
    return base64.urlsafe_b64encode(bytes.fromhex(article_id)).decode("ascii") + f"{paragraph:x}"


def _callback(first: int, keys: list[str]) -> str:
    return f"{SOURCES_PREFIX}{first}:{','.join(keys)}"


def _label(first: int, count: int) -> str:
    return f"Sources {first}" if count == 1 else f"Sources {first}–{first + count - 1}"


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
    # A "word" longer than `size` (a URL, or text written without spaces) is cut, not dropped.
    return [p[i:i + size] for p in parts for i in range(0, max(len(p), 1), size)]


def _starts_section(block: str) -> bool:
    return block.startswith(("<b>Sources</b>", "<i>", "<u>"))


def _shorten(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
