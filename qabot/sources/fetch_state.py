"""What `qabot fetch` remembers between runs, in SQLite in the index folder.

Per URL, the validators (ETag, Last-Modified) that make an unchanged feed cost a 304; per
source, when it was last fetched, how it went and how many articles it gave; and a log of
every fetch. SQLite commits are atomic, so a fetch killed at any moment leaves the state as
of its last commit. Which articles are saved is *not* kept here: the archive itself says
(see `qabot.sources.archive`), so losing this file only costs one full re-check.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked REAL);
CREATE TABLE IF NOT EXISTS sources (url TEXT PRIMARY KEY, kind TEXT, last_fetch REAL, status TEXT,
                                    reason TEXT, new INTEGER, total INTEGER);
CREATE TABLE IF NOT EXISTS fetch_log (at REAL, source TEXT, url TEXT, outcome TEXT, reason TEXT);
"""


@dataclass(frozen=True)
class SourceStatus:
    """How a source's last fetch went, for `qabot source list`."""

    url: str
    kind: str
    last_fetch: float | None
    status: str  # "ok", "unchanged", "failed"
    reason: str
    new: int
    total: int


class FetchState:
    """The state file `<index>/fetch.sqlite`; use as a context manager."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> "FetchState":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def validators(self, url: str) -> dict[str, str]:
        """Conditional-request headers for `url` (If-None-Match / If-Modified-Since)."""
        row = self._db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
        headers = {}
        if row and row[0]:
            headers["If-None-Match"] = row[0]
        if row and row[1]:
            headers["If-Modified-Since"] = row[1]
        return headers

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Keep the validators of a response whose content was fully handled."""
        if etag or last_modified:
            self._db.execute("INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?)", (url, etag, last_modified, time.time()))

    def log(self, source: str, url: str, outcome: str, reason: str = "") -> None:
        self._db.execute("INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?)", (time.time(), source, url, outcome, reason))

    def finish_source(self, url: str, kind: str, status: str, reason: str, new: int) -> None:
        """Record one source's outcome; `total` counts every article it has given so far."""
        row = self._db.execute("SELECT total FROM sources WHERE url = ?", (url,)).fetchone()
        total = (row[0] if row else 0) + new
        self._db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (url, kind, time.time(), status, reason, new, total))

    def source_status(self, url: str) -> SourceStatus | None:
        row = self._db.execute("SELECT * FROM sources WHERE url = ?", (url,)).fetchone()
        return SourceStatus(*row) if row else None

    def forget_source(self, url: str) -> None:
        self._db.execute("DELETE FROM sources WHERE url = ?", (url,))
        self._db.execute("DELETE FROM validators WHERE url = ?", (url,))
