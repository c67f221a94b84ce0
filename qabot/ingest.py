"""Files into `Article` records: text, metadata, clean paragraphs; bad files skipped with a reason.

Formats: .txt and .md (optional front matter: title, url, source, published, author),
.html/.htm (main text and metadata via trafilatura), .jsonl (one article per line with
at least "text"). Text saved from web pages keeps navigation and subscription
boilerplate; `qabot.boilerplate` removes it. Nothing here raises for one bad file: it is
reported in `IngestResult.skipped` and the rest goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Sequence

from qabot.boilerplate import clean_paragraphs
from qabot.errors import CorpusError
from qabot.records import Article, Paragraph, Skipped

META_KEYS = ("title", "url", "source", "published", "author")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


class IngestSkip(Exception):
    """One file (or JSONL line) cannot be used; the message is the one-line reason."""


@dataclass(frozen=True)
class IngestResult:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


def list_files(paths: Sequence[Path], extensions: Sequence[str]) -> list[Path]:
    """Article files under `paths` (recursive, hidden entries skipped), sorted; CorpusError if a path is missing."""
    wanted = {e.lower() for e in extensions}
    found: list[Path] = []
    for root in paths:
        root = Path(root)
        if root.is_file():
            found.append(root)
            continue
        if not root.is_dir():
            raise CorpusError(f"articles folder {root} does not exist; create it or set [corpus] paths in config.toml")
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and Path(name).suffix.lower() in wanted:
                    found.append(Path(folder) / name)
    return found


def ingest_paths(paths: Sequence[Path], extensions: Sequence[str]) -> IngestResult:
    """Read every article file under `paths`; never raises for a single bad file."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for path in list_files(paths, extensions):
        root = next((Path(p) for p in paths if _is_within(path, Path(p))), path.parent)
        try:
            found, bad_lines = read_article_file(path, root)
        except IngestSkip as reason:
            skipped.append(Skipped(_display(path, root), str(reason)))
            continue
        articles += found
        skipped += bad_lines
    return IngestResult(tuple(articles), tuple(skipped))


def read_article_file(path: Path, root: Path) -> tuple[list[Article], list[Skipped]]:
    """Articles in one file, and the JSONL lines that had to be skipped."""
    shown = _display(path, root)
    raw = _read_bytes(path)
    text = decode(raw)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _read_jsonl(text, shown, str(path.resolve()))
    if suffix in (".html", ".htm"):
        meta, paragraphs = _read_html(text)
    else:
        meta, body = split_front_matter(text)
        if suffix in (".md", ".markdown"):
            body = _strip_markdown(body)
        meta, paragraphs = _title_and_paragraphs(meta, body)
    return [make_article(shown, meta, paragraphs, str(path.resolve()))], []


def make_article(shown_path: str, meta: dict[str, str], paragraphs: Sequence[str], identity: str | None = None) -> Article:
    """Assemble an `Article` with offsets; IngestSkip if nothing is left after cleaning.

    `identity` (default: `shown_path`) names the source for the stable article id; the
    readers pass the resolved file path, plus "#line" for JSONL.
    """
    paragraphs = [p for p in (" ".join(p.split()) for p in paragraphs) if p]
    if not paragraphs:
        raise IngestSkip("empty after removing boilerplate")
    records, offset = [], 0
    for number, paragraph in enumerate(paragraphs, 1):
        records.append(Paragraph(number, paragraph, offset))
        offset += len(paragraph) + 2
    text = "\n\n".join(paragraphs)
    title = (meta.get("title") or "").strip() or paragraphs[0][:80]
    published = normalise_date(meta.get("published") or meta.get("date"))
    digest = hashlib.sha256(json.dumps([title, meta.get("url"), meta.get("source"), published,
                                        meta.get("author"), text]).encode("utf-8")).hexdigest()
    return Article(
        id=article_id(identity or shown_path),
        title=title,
        text=text,
        paragraphs=tuple(records),
        path=shown_path,
        content_hash=digest,
        source=(meta.get("source") or "").strip(),
        url=(meta.get("url") or "").strip() or None,
        published=published,
        author=(meta.get("author") or "").strip() or None,
    )


def article_id(identity: str) -> str:
    """Stable short id from where an article came from ("/abs/path.txt" or "/abs/feed.jsonl#3")."""
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:12]


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise IngestSkip("permission denied") from None
    except OSError as err:
        raise IngestSkip(f"cannot be read ({err.strerror or err})") from None
    if not raw.strip():
        raise IngestSkip("empty file")
    return raw


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 / Latin-1; IngestSkip for binary."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _checked(raw[3:].decode("utf-8", errors="strict"))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise IngestSkip("cannot decode text (broken UTF-16)") from None
    if b"\x00" in raw:
        raise IngestSkip("binary file")
    try:
        return _checked(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return _checked(raw.decode("cp1252"))
    except UnicodeDecodeError:
        return _checked(raw.decode("latin-1"))


def _checked(text: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise IngestSkip("binary file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`key: value` lines between leading `---` lines, and the rest of the text."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in META_KEYS + ("date",):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end():]


def _title_and_paragraphs(meta: dict[str, str], body: str) -> tuple[dict[str, str], list[str]]:
    blocks = re.split(r"\n\s*\n", body)
    lines = [b.strip() for b in blocks if b.strip()]
    cleaned = clean_paragraphs(lines)
    if not meta.get("title") and cleaned:
        first = cleaned[0]
        heading = first.lstrip("#").strip()
        if first.startswith("#") or (len(heading) <= 150 and not heading.endswith((".", "?\"", ".\"", "”"))):
            meta = {**meta, "title": heading}
            cleaned = cleaned[1:]
    return meta, cleaned


def _strip_markdown(body: str) -> str:
    body = _MD_LINK.sub(r"\1", body)
    return _MD_EMPHASIS.sub(r"\2", body)


def _read_html(text: str) -> tuple[dict[str, str], list[str]]:
    import trafilatura

    document = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                           include_tables=False, favor_precision=True)
    if document is None:
        raise IngestSkip("no article text found in the HTML")
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    body = data.get("text") or ""
    meta = {
        "title": data.get("title") or "",
        "url": data.get("url") or "",
        "source": data.get("sitename") or "",
        "published": data.get("date") or "",
        "author": data.get("author") or "",
    }
    paragraphs = clean_paragraphs([line.strip() for line in body.split("\n") if line.strip()])
    return meta, paragraphs


def _read_jsonl(text: str, shown: str, identity: str) -> tuple[list[Article], list[Skipped]]:
    articles, skipped = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise IngestSkip('needs a JSON object with a "text" string')
            meta = {k: str(record[k]) for k in META_KEYS if record.get(k) is not None}
            paragraphs = [p for p in re.split(r"\n\s*\n|\n", record["text"]) if p.strip()]
            articles.append(make_article(f"{shown}#{number}", meta, paragraphs, f"{identity}#{number}"))
        except json.JSONDecodeError as err:
            skipped.append(Skipped(where, f"not valid JSON ({err.msg})"))
        except IngestSkip as reason:
            skipped.append(Skipped(where, str(reason)))
    if not articles and not skipped:
        raise IngestSkip("empty file")
    return articles, skipped


def normalise_date(value: str | None) -> str | None:
    """ISO "YYYY-MM-DD" from the common ways dates are written; None when unparseable."""
    if not value:
        return None
    value = value.strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        return match.group(0)
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d/%m/%Y", "%Y-%m", "%Y"):
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed.strftime({"%Y-%m": "%Y-%m", "%Y": "%Y"}.get(fmt, "%Y-%m-%d"))
    return None


def _is_within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _display(path: Path, root: Path) -> str:
    if path == root:
        return path.name
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
