"""Files into `Article` records: text, metadata, clean paragraphs; bad files skipped with a reason.

Formats: .txt and .md/.markdown (optional front matter between `---` lines: title, url,
source, published, author), .html/.htm (main text and metadata via trafilatura; a fetched page's
`<name>.meta.json` sidecar overrides the metadata), .jsonl
(one article per line with at least "text"). Text saved from web pages keeps navigation
and subscription boilerplate; `qabot.sources.boilerplate` removes it. One bad file never stops a
build: it is reported in `IngestResult.skipped` with a one-line reason and the rest goes on.

Usage: ``ingest_paths([Path("articles")], [".txt", ".md"]).articles[0].paragraphs[0].text``
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from qabot.errors import CorpusError
from qabot.records import Article, Paragraph, Skipped
from qabot.sources.archive import read_sidecar
from qabot.sources.boilerplate import BULLET, clean_paragraphs, is_prose
from qabot.text import MONTH

# The one-line reasons a file is skipped (JSONL lines add their own, see `_read_jsonl`).
BINARY = "binary file"
EMPTY = "empty file"
EMPTY_AFTER_CLEANING = "empty after cleaning"
UNDECODABLE = "cannot decode text"
PERMISSION_DENIED = "permission denied"
BROKEN_LINK = "broken symbolic link"
NOT_A_FILE = "not a regular file"

META_KEYS = ("title", "url", "source", "published", "author")
_META_ALIASES = {"date": "published", "link": "url", "byline": "author", "site": "source"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_BYLINE = re.compile(r"^By\s+([A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|de|van|von|al-\w+)){0,5})$")
_TITLE_WORDS = 12
# Non-UTF-8 bytes (kept by "surrogateescape") and the share of them beyond which a file is
# not Western text in Windows-1252 but some other encoding, or no text at all.
_STRAY_BYTE = re.compile("[\udc80-\udcff]")
_MAX_STRAY_SHARE = 0.3


class IngestSkip(Exception):
    """One file (or JSONL line) cannot be used; the message is the one-line reason."""


@dataclass(frozen=True)
class IngestResult:
    """Everything read, sorted by path, and everything skipped with its reason."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


def ingest_paths(paths: Sequence[Path], extensions: Sequence[str]) -> IngestResult:
    """Read every article file under `paths` (folders walked, files taken as they are).

    Raises `CorpusError` only when a configured path does not exist; a bad file is skipped.
    """
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen_files: set[Path] = set()
    seen_names: set[str] = set()
    roots = [Path(p) for p in paths]
    for root in roots:
        files, unusable = _walk(root, extensions)
        skipped += unusable
        # One root: paths relative to it ("2024/a.txt"). Several: from their parent
        # ("news/2024/a.txt"), so equal names under two roots stay apart.
        base = root if len(roots) == 1 or root.is_file() else root.parent
        for path in files:
            if path.resolve() in seen_files:  # overlapping roots: read each file once
                continue
            seen_files.add(path.resolve())
            shown_root = base if _display(path, base) not in seen_names else Path(path.anchor)
            seen_names.add(_display(path, shown_root))
            try:
                found, bad_lines = _read_file(path, shown_root)
            except IngestSkip as reason:
                skipped.append(Skipped(_display(path, shown_root), str(reason)))
                continue
            articles += found
            skipped += bad_lines
    return IngestResult(tuple(sorted(articles, key=lambda a: _path_key(a.path))),
                        tuple(sorted(skipped, key=lambda s: _path_key(s.path))))


def list_files(paths: Sequence[Path], extensions: Sequence[str]) -> list[Path]:
    """Article files under `paths` (recursive, hidden entries skipped); CorpusError if a path is missing."""
    return [path for root in paths for path in _walk(Path(root), extensions)[0]]


def read_article_file(path: Path, root: Path) -> list[Article]:
    """The articles in one file (JSONL gives many); raises `IngestSkip` for a bad file.

    `root` is the folder the file was found under: ids and displayed paths are relative to
    it, so they survive moving the folder. Bad JSONL lines are left out here;
    `ingest_paths` reports them.
    """
    return _read_file(path, root)[0]


def _read_file(path: Path, root: Path) -> tuple[list[Article], list[Skipped]]:
    shown = _display(path, root)
    text = decode(_read_bytes(path))
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _read_jsonl(text, shown)
    if suffix in (".html", ".htm"):
        meta, paragraphs = _read_html(text)
        saved = read_sidecar(path)  # a page `qabot fetch` saved: its sidecar knows better
        if saved:
            meta = {**meta, **{key: saved[key] for key in META_KEYS if saved.get(key)}}
    else:
        meta, body = split_front_matter(text)
        blocks = _markdown_blocks(body) if suffix in (".md", ".markdown") else text_blocks(body)
        meta, paragraphs = _title_and_paragraphs(meta, clean_paragraphs(blocks))
    return [make_article(shown, meta, paragraphs)], []


def make_article(shown_path: str, meta: dict[str, str], paragraphs: Sequence[str]) -> Article:
    """Assemble an `Article` with exact offsets; IngestSkip if no paragraph is left.

    The id hashes `shown_path` (the path relative to its root, plus "#line" for JSONL).
    """
    paragraphs = [p for p in (" ".join(p.split()) for p in paragraphs) if p]
    if not paragraphs:
        raise IngestSkip(EMPTY_AFTER_CLEANING)
    records, offset = [], 0
    for number, paragraph in enumerate(paragraphs, 1):
        records.append(Paragraph(number, paragraph, offset))
        offset += len(paragraph) + 2
    text = "\n\n".join(paragraphs)
    title = " ".join((meta.get("title") or "").split()) or _title_from(paragraphs[0])
    fields = {key: " ".join(str(meta.get(key) or "").split()) for key in ("source", "url", "author")}
    published = normalise_date(meta.get("published"))
    digest = hashlib.sha256(json.dumps([title, fields, published, text]).encode("utf-8")).hexdigest()
    return Article(id=article_id(shown_path), title=title, text=text, paragraphs=tuple(records),
                   path=shown_path, content_hash=digest, source=fields["source"], url=fields["url"] or None,
                   published=published, author=fields["author"] or None)


def article_id(identity: str) -> str:
    """Stable short id from where an article came from ("2024/a.txt" or "feed.jsonl#3")."""
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:12]


# --- bytes to text -------------------------------------------------------------------------

def _read_bytes(path: Path) -> bytes:
    if path.is_symlink() and not path.exists():
        raise IngestSkip(BROKEN_LINK)
    if not path.is_file():  # a FIFO or device would block or never end
        raise IngestSkip(NOT_A_FILE)
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise IngestSkip(PERMISSION_DENIED) from None
    except OSError as err:
        raise IngestSkip(f"cannot read file: {err.strerror or err}") from None
    if not raw.strip():
        raise IngestSkip(EMPTY)
    return raw


def decode(raw: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM; bytes that are not UTF-8 as Windows-1252.

    Raises IngestSkip "binary file" for NUL bytes or many control characters, and
    "cannot decode text" for bytes that are neither UTF-8 nor Western text.
    """
    try:
        if raw.startswith(b"\xef\xbb\xbf"):
            text = raw[3:].decode("utf-8")
        elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        elif b"\x00" in raw:
            raise IngestSkip(BINARY)
        else:
            text = _decode_8bit(raw)
    except UnicodeDecodeError:
        raise IngestSkip(UNDECODABLE) from None
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) < 0xA0)
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise IngestSkip(BINARY)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestSkip(EMPTY)
    return text


def _decode_8bit(raw: bytes) -> str:
    """UTF-8, with any byte that is not UTF-8 read as Windows-1252.

    Per byte rather than per file: a UTF-8 file with one pasted Latin-1 "£" keeps its
    curly quotes instead of turning them all into "â€œ".
    """
    text = raw.decode("utf-8", errors="surrogateescape")
    strays = len(_STRAY_BYTE.findall(text))
    if strays > _MAX_STRAY_SHARE * len(raw):
        raise IngestSkip(UNDECODABLE)
    return _STRAY_BYTE.sub(lambda m: _cp1252(ord(m.group()) - 0xDC00), text) if strays else text


def _cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned in cp1252
        return chr(byte)


# --- text layout ---------------------------------------------------------------------------

def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple `key: value` lines between leading `---` lines, and the rest of the text.

    Parsed by hand rather than as YAML so an unquoted "title: Russia: the view" still works.
    """
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        key = _META_ALIASES.get(key, key)
        if sep and key in META_KEYS and key not in meta:
            meta[key] = value.strip().strip("\"'").strip()
    return meta, text.lstrip("\ufeff")[match.end():]


def text_blocks(body: str) -> list[str]:
    """Paragraphs of plain text: blank-line blocks, with single-newline lines split sensibly.

    A block whose lines are hard-wrapped prose (most lines long and not ending a sentence)
    is one paragraph; otherwise each line is its own paragraph, as in "title\\nparagraph"
    files and bullet lists.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        inner = lines[:-1]
        wrapped = sum(1 for line in inner if len(line) >= 40 and not BULLET.match(line)
                      and not re.search(r"[.!?:…\"”’)]$", line))
        if inner and wrapped > len(inner) / 2:
            joined: list[str] = []
            for line in lines:
                if joined and not BULLET.match(line):
                    joined[-1] += " " + line
                else:
                    joined.append(line)
            lines = joined
        paragraphs += lines
    return paragraphs


def _markdown_blocks(body: str) -> list[str]:
    """Paragraphs, headings and list items as plain text; "# " kept on headings for the title."""
    from markdown_it import MarkdownIt

    blocks: list[str] = []
    heading = ""
    for token in MarkdownIt("commonmark").parse(body):
        if token.type == "heading_open":
            heading = "#" * int(token.tag[1:]) + " "
        elif token.type == "inline":
            text = "".join(_inline_text(child) for child in token.children or [])
            if text.strip():
                blocks.append(heading + text.strip())
            heading = ""
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(token.content.strip())
    return blocks


def _inline_text(token) -> str:
    """Visible text of an inline markdown token: link text kept; marks, images and raw HTML dropped."""
    if token.type in ("text", "code_inline"):
        return token.content
    return " " if token.type in ("softbreak", "hardbreak") else ""


def _title_and_paragraphs(meta: dict[str, str], blocks: list[str]) -> tuple[dict[str, str], list[str]]:
    """Take the title from the first block when it is a heading; then a byline and date line."""
    blocks = list(blocks)
    if blocks and blocks[0].startswith("# "):
        title = blocks.pop(0)[2:].strip()
        meta = meta if meta.get("title") else {**meta, "title": title}
    elif blocks and not meta.get("title") and not is_prose(blocks[0]) and len(blocks[0]) <= 200:
        meta = {**meta, "title": blocks.pop(0).lstrip("#").strip()}
    if blocks and blocks[0].lstrip("#").strip().casefold() == (meta.get("title") or "").casefold():
        blocks.pop(0)  # the front matter's title repeated as the first line
    for _ in range(2):  # "By Jane Doe" / "January 6, 2020" lines under the title
        if not blocks or is_prose(blocks[0]):
            break
        byline = _BYLINE.match(blocks[0])
        if byline and not meta.get("author"):
            meta = {**meta, "author": byline.group(1)}
        elif _whole_date(blocks[0]) and not meta.get("published"):
            meta = {**meta, "published": blocks[0]}
        else:
            break
        blocks.pop(0)
    return meta, [re.sub(r"^#+ ", "", b) for b in blocks]


def _title_from(paragraph: str) -> str:
    """A title for an article that has none: its first words."""
    words = paragraph.split()
    return " ".join(words[:_TITLE_WORDS]) + (" …" if len(words) > _TITLE_WORDS else "")


# --- HTML and JSONL ------------------------------------------------------------------------

def _read_html(text: str) -> tuple[dict[str, str], list[str]]:
    import trafilatura

    try:
        document = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                               include_tables=False, favor_precision=True)
    except Exception as err:  # a third-party parser failing on odd markup is the file's problem
        raise IngestSkip(f"cannot parse HTML ({type(err).__name__})") from None
    if document is None:
        raise IngestSkip(EMPTY_AFTER_CLEANING)
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    meta = {"title": data.get("title") or "", "url": data.get("url") or "", "source": data.get("sitename") or "",
            "published": data.get("date") or "", "author": data.get("author") or ""}
    lines = [BULLET.sub("", line).strip() for line in (data.get("text") or "").split("\n")]
    lines = [line for line in lines if line]
    if lines and meta["title"] and lines[0] == meta["title"]:
        lines = lines[1:]
    return meta, clean_paragraphs(lines)


def _read_jsonl(text: str, shown: str) -> tuple[list[Article], list[Skipped]]:
    """One article per line; structured input is trusted, so no boilerplate removal."""
    articles, skipped = [], []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            skipped.append(Skipped(f"{shown}:{number}", f"not valid JSON ({err.msg}, column {err.colno})"))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            skipped.append(Skipped(f"{shown}:{number}", 'needs a JSON object with a "text" string'))
            continue
        meta = {k: str(record[k]) for k in META_KEYS if isinstance(record.get(k), (str, int, float))}
        try:
            articles.append(make_article(f"{shown}#{number}", meta, text_blocks(record["text"])))
        except IngestSkip as reason:
            skipped.append(Skipped(f"{shown}:{number}", str(reason)))
    return articles, skipped


# --- dates ---------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec"], 1)}
_MONTH = rf"(?P<month>{MONTH})"
_DATE_FORMS = [
    re.compile(r"(?P<year>\d{4})[-/.](?P<num>\d{1,2})[-/.](?P<day>\d{1,2})(?:$|[T ]\d)", re.I),
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"{_MONTH},?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(r"(?P<year>\d{4})(?:-(?P<num>\d{2}))?$"),
]
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)


def normalise_date(value: str | None) -> str | None:
    """ISO "YYYY-MM-DD" ("YYYY-MM" or "YYYY" when that is all there is); None when unparseable.

    >>> [normalise_date(v) for v in ("January 6, 2020", "6 Jan 2020", "2020-01-06T10:00:00Z", "soon")]
    ['2020-01-06', '2020-01-06', '2020-01-06', None]
    """
    value = _WEEKDAY.sub("", " ".join((value or "").split()))
    for form in _DATE_FORMS:
        match = form.match(value)
        if not match:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        month = _MONTHS[parts["month"][:3].lower()] if parts.get("month") else parts.get("num")
        if not 1000 <= year <= 2999:
            return None
        if month is None:
            return f"{year:04d}"
        if not 1 <= int(month) <= 12:
            return None
        if parts.get("day") is None:
            return f"{year:04d}-{int(month):02d}"
        return _checked_day(year, int(month), int(parts["day"]))
    return None


def _checked_day(year: int, month: int, day: int) -> str | None:
    from datetime import date

    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _whole_date(line: str) -> bool:
    """The line is only a date ("January 6, 2020", "Mon 6 Jan 2020 10:32 GMT"), not a sentence."""
    return len(line.split()) <= 8 and normalise_date(line) is not None and not line.endswith(".")


# --- walking -------------------------------------------------------------------------------

def _walk(root: Path, extensions: Sequence[str]) -> tuple[list[Path], list[Skipped]]:
    """Files under `root` with a wanted extension, sorted; unusable entries with a reason."""
    wanted = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}
    if root.is_file():
        if root.suffix.lower() in wanted:
            return [root], []
        return [], [Skipped(str(root), f"file type {root.suffix or '(none)'} is not in corpus.extensions")]
    if not root.is_dir():
        kind = "file" if root.suffix.lower() in wanted else "folder"
        raise CorpusError(f"articles {kind} {root} does not exist; create it or set corpus.paths in config.toml")
    found: list[Path] = []
    unreadable: list[Skipped] = []

    def on_error(err: OSError) -> None:
        unreadable.append(Skipped(_display(Path(err.filename), root), PERMISSION_DENIED
                                  if isinstance(err, PermissionError) else f"cannot read folder: {err.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder) / name for name in sorted(files)
                  if not name.startswith(".") and Path(name).suffix.lower() in wanted]
    return found, unreadable


def _display(path: Path, root: Path) -> str:
    """The path as users see it: relative to its root, or the file name for a file root."""
    if path == root:
        return path.name
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _path_key(shown: str) -> tuple:
    """Sort "feed.jsonl#10" after "feed.jsonl#9" and folders in path order."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", shown))
