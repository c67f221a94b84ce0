"""The saved archive: what `qabot fetch` downloaded, as files a person can browse.

Layout, under `[sources] archive` (default `articles/`, inside the corpus)::

    <site>/<yyyy-mm-dd>/<slug>.html        the page exactly as served
    <site>/<yyyy-mm-dd>/<slug>.meta.json   url, canonical_url, source, title, author,
                                           published, fetched, feed

The archive, not the network, is what the index is built from: `qabot index rebuild`
works offline from it and it can be copied elsewhere. It is also the record of what is
already saved (by canonical URL key), so a lost state file costs nothing but a re-check.

Every file is written to a hidden temporary name and renamed into place (atomic on one
file system); the page goes first and its sidecar last, so a fetch killed at any moment
leaves either nothing, or a page that the next fetch saves again, never a half file.
Hidden names are skipped by ingest, so a leftover temporary file is never indexed.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from qabot.sources.urls import site_name, slug, url_key

SIDECAR = ".meta.json"


@dataclass(frozen=True)
class SavedMeta:
    """What a saved article's sidecar holds (ingest reads title/source/url/published/author)."""

    url: str
    canonical_url: str
    source: str
    title: str
    author: str
    published: str  # ISO date or "" when the page gives none
    fetched: str  # ISO timestamp, UTC
    feed: str = ""  # the feed, sitemap or page source it came from


class Archive:
    """Read and write the archive folder."""

    def __init__(self, root: Path):
        self.root = root

    def saved_keys(self) -> set[str]:
        """URL keys (page URL and canonical URL) of every article saved with its sidecar."""
        keys: set[str] = set()
        if not self.root.is_dir():
            return keys
        for sidecar in self.root.rglob(f"*{SIDECAR}"):
            meta = read_sidecar(sidecar.with_name(sidecar.name.removesuffix(SIDECAR) + ".html"))
            if meta:
                keys |= {url_key(meta.get("url", "")), url_key(meta.get("canonical_url", "") or meta.get("url", ""))}
        return keys

    def path_for(self, meta: SavedMeta) -> Path:
        day = (meta.published or meta.fetched)[:10]
        url = meta.canonical_url or meta.url
        return self.root / site_name(url) / day / f"{slug(url, meta.title)}.html"

    def save(self, page: bytes, meta: SavedMeta) -> Path:
        """Write the page, then its sidecar, each atomically; returns the page's path."""
        path = self.path_for(meta)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, page)
        _write_atomically(sidecar_of(path), json.dumps(asdict(meta), ensure_ascii=False, indent=1).encode("utf-8"))
        return path


def sidecar_of(page: Path) -> Path:
    return page.with_name(page.stem + SIDECAR)


def read_sidecar(page: Path) -> dict[str, str] | None:
    """The metadata saved next to a fetched page, or None for a page saved by hand."""
    try:
        data = json.loads(sidecar_of(page).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {k: str(v) for k, v in data.items() if isinstance(v, (str, int, float))} if isinstance(data, dict) else None


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
