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

import errno
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from qabot.errors import CorpusError
from qabot.records import Article, Paragraph, Skipped
from qabot.sources.archive import read_sidecar
from qabot.sources.boilerplate import BULLET, clean_paragraphs, is_prose
from qabot.text import MONTH, is_safe_name, shown

# The one-line reasons a file is skipped (JSONL lines add their own, see `_read_jsonl`).
BINARY = "binary file"
EMPTY = "empty file"
EMPTY_AFTER_CLEANING = "empty after cleaning"
UNDECODABLE = "cannot decode text"
UTF16_WITHOUT_BOM = "undecodable text (UTF-16 without BOM?)"
PERMISSION_DENIED = "permission denied"
BROKEN_LINK = "broken symbolic link"
LINK_LOOP = "symbolic link loop"
LINK_OUTSIDE = "symbolic link leads outside the corpus folder (corpus.follow_symlinks_outside = false)"
NOT_A_FILE = "not a regular file"
BAD_NAME = "file name is not valid UTF-8 or holds control characters"
BAD_FOLDER_NAME = "folder name is not valid UTF-8 or holds control characters"
# `[corpus] max_file_mb`: generous for news (the longest BBC article is 25 KB), small
# enough that one file cannot hold a build for minutes or take gigabytes.
DEFAULT_MAX_BYTES = 5_000_000

META_KEYS = ("title", "url", "source", "published", "author")
_META_ALIASES = {"date": "published", "link": "url", "byline": "author", "site": "source"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_OPEN = re.compile(r"\A---[ \t]*\n")
_BYLINE = re.compile(r"^By\s+([A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|de|van|von|al-\w+)){0,5})$")
_TITLE_WORDS = 12
# Non-UTF-8 bytes (kept by "surrogateescape") and the share of them beyond which a file is
# not Western text in Windows-1252 but some other encoding, or no text at all.
_STRAY_BYTE = re.compile("[\udc80-\udcff]")
_MAX_STRAY_SHARE = 0.3
# Control characters other than white space; many of them mean a binary file.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class IngestSkip(Exception):
    """One file (or JSONL line) cannot be used; the message is the one-line reason."""


@dataclass(frozen=True)
class FileRecord:
    """What one article file gave, and the size and time it had when read: a later build
    whose scan finds the same size and time takes `articles` and `skipped` without reading."""

    path: str  # the file's path as walked (absolute when the corpus path is)
    shown: str  # its path as users see it, which its articles' ids hash
    size: int
    mtime_ns: int
    articles: tuple[str, ...]  # article ids
    skipped: tuple[Skipped, ...]


# reuse(path as walked, shown path, size, mtime_ns) -> (articles, skipped) kept from an
# earlier build; or that build's FileRecord, to count the file as unchanged without
# materialising its articles (they stay out of `IngestResult.articles`); or None to read it.
Reuse = Callable[[str, str, int, int], "tuple[list[Article], list[Skipped]] | FileRecord | None"]


@dataclass(frozen=True)
class IngestResult:
    """Everything read, sorted by path, and everything skipped with its reason; `files`
    records each file that gave articles, `reused` counts the files not read again."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    files: tuple[FileRecord, ...] = ()
    reused: int = 0


def ingest_paths(paths: Sequence[Path], extensions: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                 follow_outside: bool = False, reuse: Reuse | None = None, scan: Scan | None = None) -> IngestResult:
    """Read every article file under `paths` (folders walked, files taken as they are).

    A file over `max_bytes` (for JSONL: a line over it) is skipped; symbolic links are
    followed only inside their root unless `follow_outside`. `reuse` may hand back what an
    unchanged file gave last time, so an incremental build reads only what changed. Raises
    `CorpusError` only when a configured path does not exist; a bad file is skipped.
    `scan` is `scan_files` of the same paths, when the caller has walked them already.
    """
    articles: list[Article] = []
    skipped: list[Skipped] = []
    records: list[FileRecord] = []
    reused = 0
    seen_files: set[str] = set()
    seen_names: set[str] = set()
    scan = scan or scan_files(paths, extensions, follow_outside=follow_outside)
    roots = [root for root, _, _ in scan.roots]
    for root, files, unusable in scan.roots:
        skipped += unusable
        # One root: paths relative to it ("2024/a.txt"). Several: from their parent
        # ("news/2024/a.txt"), so equal names under two roots stay apart.
        base = root if len(roots) == 1 or root.is_file() else root.parent
        real_folders: dict[str, str] = {}
        for scanned in files:
            path = scanned.path  # a string: a Path per file costs more than the walk on 100 000 files
            real = _real_path(path, real_folders, scanned.is_link)
            if real in seen_files:  # overlapping roots or links: read each file once
                continue
            seen_files.add(real)
            shown_path = _display(path, base)
            shown_root = base
            if shown_path in seen_names:
                shown_root = Path(Path(path).anchor)
                shown_path = _display(path, shown_root)
            seen_names.add(shown_path)
            stat = scanned.stat
            kept = reuse(path, shown_path, stat.st_size, stat.st_mtime_ns) if reuse and stat else None
            if isinstance(kept, FileRecord):
                records.append(kept)
                skipped += kept.skipped
                reused += 1
                continue
            if kept is not None:
                found, bad_lines = kept
                reused += 1
            else:
                try:
                    found, bad_lines = _read_file(Path(path), shown_root, max_bytes)
                except IngestSkip as reason:
                    skipped.append(Skipped(shown_path, str(reason)))
                    continue
            articles += found
            skipped += bad_lines
            if stat is not None:
                records.append(FileRecord(path, shown_path, stat.st_size, stat.st_mtime_ns,
                                          tuple(a.id for a in found), tuple(bad_lines)))
    return IngestResult(by_path(articles), tuple(sorted(skipped, key=lambda s: _path_key(s.path))),
                        tuple(records), reused)


def by_path(articles: Sequence[Article]) -> tuple[Article, ...]:
    """Articles in the order `ingest_paths` gives them: by path, numbers in it by value."""
    return tuple(sorted(articles, key=lambda a: _path_key(a.path)))


def _real_path(path: str, real_folders: dict[str, str], is_link: bool) -> str:
    """`os.path.realpath(path)`, resolving each folder once: on 100 000 files, resolving
    every path component of every file cost more than reading what changed."""
    if is_link:
        return os.path.realpath(path)
    folder, name = os.path.split(path)
    if folder not in real_folders:
        real_folders[folder] = os.path.realpath(folder)
    return os.path.join(real_folders[folder], name)


def reader_version(max_bytes: int, follow_outside: bool) -> str:
    """Changes whenever what a file reads into would (this code, boilerplate removal, the
    limits), so an incremental build reuses a file's articles only when it is the same."""
    from qabot.sources import boilerplate

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(boilerplate.__file__).read_bytes())
    digest.update(f"{max_bytes}\0{follow_outside}".encode())
    return digest.hexdigest()[:16]


def list_files(paths: Sequence[Path], extensions: Sequence[str], *, follow_outside: bool = False) -> list[Path]:
    """Article files under `paths` (recursive, hidden entries skipped); CorpusError if a path is missing."""
    return [Path(f.path) for f in scan_files(paths, extensions, follow_outside=follow_outside).files()]


def read_article_file(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """The articles in one file (JSONL gives many); raises `IngestSkip` for a bad file.

    `root` is the folder the file was found under: ids and displayed paths are relative to
    it, so they survive moving the folder. Bad JSONL lines are left out here;
    `ingest_paths` reports them.
    """
    return _read_file(path, root, max_bytes)[0]


def _read_file(path: Path, root: Path, max_bytes: int) -> tuple[list[Article], list[Skipped]]:
    shown = _display(path, root)
    suffix = path.suffix.lower()
    size = _file_size(path)
    if size > max_bytes:
        if suffix == ".jsonl":  # a feed of many articles: the limit is per line
            return _read_big_jsonl(path, shown, max_bytes)
        raise IngestSkip(_too_large(size, max_bytes))
    text = decode(_read_bytes(path))
    if suffix == ".jsonl":
        return _read_jsonl(enumerate(text.split("\n"), 1), shown)
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

def _file_size(path: Path) -> int:
    if path.is_symlink() and not path.exists():
        raise IngestSkip(BROKEN_LINK)
    if not path.is_file():  # a FIFO or device would block or never end
        raise IngestSkip(NOT_A_FILE)
    try:
        return path.stat().st_size
    except OSError as err:
        raise IngestSkip(f"cannot read file: {err.strerror or err}") from None


def _too_large(size: int, max_bytes: int) -> str:
    return f"too large: {size / 1e6:.1f} MB, over corpus.max_file_mb = {max_bytes / 1e6:g}"


def _read_bytes(path: Path) -> bytes:
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
            text = _utf16_without_bom(raw)
        else:
            text = _decode_8bit(raw)
    except UnicodeDecodeError:
        raise IngestSkip(UNDECODABLE) from None
    controls = len(_CONTROLS.findall(text))
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise IngestSkip(BINARY)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestSkip(EMPTY)
    return text


def _utf16_without_bom(raw: bytes) -> str:
    """Text saved as UTF-16 without its byte-order mark: mostly ASCII, so every other byte
    is NUL, all on the same side. Anything else with NUL bytes is binary."""
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    if max(even, odd) < 0.3 * len(raw) / 2 or min(even, odd) > 0.05 * max(even, odd):
        raise IngestSkip(BINARY)
    try:
        text = raw.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        raise IngestSkip(UTF16_WITHOUT_BOM) from None
    if "\x00" in text:
        raise IngestSkip(UTF16_WITHOUT_BOM)
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
        return _unclosed_front_matter(text)
    return _meta_lines(match.group(1).splitlines()), text.lstrip("\ufeff")[match.end():]


def _unclosed_front_matter(text: str) -> tuple[dict[str, str], str]:
    """A leading `---` never closed: its `key: value` lines are still metadata, and the
    `---` line is not the title."""
    opened = _FRONT_MATTER_OPEN.match(text.lstrip("\ufeff"))
    if not opened:
        return {}, text
    lines = text.lstrip("\ufeff")[opened.end():].split("\n")
    taken = 0
    while taken < len(lines) and _meta_lines([lines[taken]]):
        taken += 1
    return _meta_lines(lines[:taken]), "\n".join(lines[taken:])


def _meta_lines(lines: Sequence[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        key = _META_ALIASES.get(key, key)
        if sep and key in META_KEYS and key not in meta:
            meta[key] = value.strip().strip("\"'").strip()
    return meta


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

# trafilatura's cost grows with the page's elements (10 000 take 4 s here, 200 000 ran
# past 5 minutes), and each element would become a paragraph to chunk and embed. A news
# page has a few thousand tags; ten times that is a
# listing, an archive or an attack, skipped at once.
HTML_MAX_TAGS = 20_000


def _read_html(text: str) -> tuple[dict[str, str], list[str]]:
    tags = text.count("<")
    if tags > HTML_MAX_TAGS:
        raise IngestSkip(f"HTML page with {tags:,} tags, over the {HTML_MAX_TAGS:,} qabot reads")
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


def _read_big_jsonl(path: Path, shown: str, max_bytes: int) -> tuple[list[Article], list[Skipped]]:
    """A JSONL file over the size limit, read line by line: memory is bounded by one line,
    and a line over the limit is skipped without being held."""
    def lines():
        with path.open("rb") as file:
            number = 0
            while True:
                raw = file.readline(max_bytes + 1)
                if not raw:
                    return
                number += 1
                if len(raw) > max_bytes and not raw.endswith(b"\n"):
                    size = len(raw)
                    while raw and not raw.endswith(b"\n"):  # the rest of the line, thrown away
                        raw = file.readline(1 << 20)
                        size += len(raw)
                    yield number, IngestSkip(_too_large(size, max_bytes))
                    continue
                try:
                    yield number, decode(raw) if raw.strip() else ""
                except IngestSkip as reason:
                    yield number, reason

    try:
        return _read_jsonl(lines(), shown)
    except PermissionError:
        raise IngestSkip(PERMISSION_DENIED) from None
    except OSError as err:
        raise IngestSkip(f"cannot read file: {err.strerror or err}") from None


def _read_jsonl(lines, shown: str) -> tuple[list[Article], list[Skipped]]:
    """One article per line; structured input is trusted, so no boilerplate removal.

    `lines` gives (line number, text), or (line number, IngestSkip) for a line that could
    not be read.
    """
    articles, skipped = [], []
    for number, line in lines:
        if isinstance(line, IngestSkip):
            skipped.append(Skipped(f"{shown}:{number}", str(line)))
            continue
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

@dataclass(frozen=True)
class ScannedFile:
    """A file the walk found, with the `stat` of what it leads to (None if that failed)."""

    path: str  # as walked: str(root) joined with the names below it
    stat: os.stat_result | None
    is_link: bool


@dataclass(frozen=True)
class Scan:
    """Every wanted file under each configured path, stat'ed once, and the unusable entries:
    the build fingerprints it and `ingest_paths` reads from it, so 100 000 files are walked once."""

    roots: tuple[tuple[Path, tuple[ScannedFile, ...], tuple[Skipped, ...]], ...]

    def files(self) -> list[ScannedFile]:
        return [f for _, files, _ in self.roots for f in files]


def scan_files(paths: Sequence[Path], extensions: Sequence[str], *, follow_outside: bool = False) -> Scan:
    """Walk every path once (see `_walk`); CorpusError if a path is missing."""
    return Scan(tuple((Path(root), *map(tuple, _walk(Path(root), extensions, follow_outside))) for root in paths))


def _walk(root: Path, extensions: Sequence[str], follow_outside: bool = False) -> tuple[list[ScannedFile], list[Skipped]]:
    """Files under `root` with a wanted extension, in walk order; unusable entries with a reason.

    The symbolic link rule: a link (to a file or a folder) is followed when its target is
    inside `root`, each real folder once (so a link loop ends); a link that leaves `root`
    is skipped with a reason unless `follow_outside`. A name that is not UTF-8 or holds a
    control character (a newline, an ESC sequence) is skipped, shown escaped.

    One `os.scandir` per folder: an entry's kind comes from the folder listing and each
    file is stat'ed once (for the build's fingerprint and its unchanged-file check).
    """
    wanted = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}
    if root.is_file():
        if root.suffix.lower() in wanted:
            return [ScannedFile(str(root), _stat(root), root.is_symlink())], []
        return [], [Skipped(shown(str(root)), f"file type {root.suffix or '(none)'} is not in corpus.extensions")]
    if not root.is_dir():
        kind = "file" if root.suffix.lower() in wanted else "folder"
        raise CorpusError(f"articles {kind} {shown(str(root))} does not exist; create it or set corpus.paths in config.toml")
    found: list[ScannedFile] = []
    unusable: list[Skipped] = []
    top = os.path.realpath(root)
    visited: set[str] = {top}

    def skip(path: Path, reason: str) -> None:
        unusable.append(Skipped(_display(path, root), reason))

    def usable_link(path: str, is_folder: bool) -> bool:
        """A symbolic link that may be followed; otherwise it is reported."""
        try:
            target = os.path.realpath(path, strict=True)
        except OSError as err:
            if err.errno == errno.ELOOP:
                skip(Path(path), LINK_LOOP)
                return False
            return not is_folder  # broken: a file is reported when read ("broken symbolic link")
        if not follow_outside and os.path.commonpath([top, target]) != top:
            skip(Path(path), LINK_OUTSIDE)
            return False
        if is_folder:
            if target in visited:  # a loop, or a second way into a folder already walked
                return False
            visited.add(target)
        return True

    folders = [str(root)]  # depth first, a folder's files before its subfolders' (as os.walk)
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            skip(Path(err.filename or folder), PERMISSION_DENIED if isinstance(err, PermissionError)
                 else f"cannot read folder: {err.strerror}")
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if name.startswith("."):
                    continue
                if not is_safe_name(name):
                    skip(Path(entry.path), BAD_FOLDER_NAME)
                elif not entry.is_symlink() or usable_link(entry.path, is_folder=True):
                    subfolders.append(entry.path)
                continue
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in wanted:
                continue
            if not is_safe_name(name):
                skip(Path(entry.path), BAD_NAME)
                continue
            link = entry.is_symlink()
            if link and not usable_link(entry.path, is_folder=False):
                continue
            try:
                stat = entry.stat()
            except OSError:
                stat = None
            found.append(ScannedFile(entry.path, stat, link))
        folders += reversed(subfolders)
    return found, unusable


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _display(path: Path | str, root: Path) -> str:
    """The path as users see it: relative to its root, or the file name for a file root;
    control characters and bytes that are not UTF-8 shown as escapes."""
    text, top = str(path), str(root)
    if text == top:
        return shown(os.path.basename(text))
    prefix = top.rstrip(os.sep) + os.sep
    if text.startswith(prefix):  # plain string work: pathlib's relative_to is slow on 100 000 files
        return shown(text[len(prefix):].replace(os.sep, "/"))
    return shown(Path(text).as_posix())


def _path_key(shown: str) -> tuple:
    """Sort "feed.jsonl#10" after "feed.jsonl#9" and folders in path order."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", shown))
