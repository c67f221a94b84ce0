"""The bot's own state for following: subscriptions, what was sent, what was seen. SQLite.

Lives in `<index dir>/telegram.sqlite`, next to the snapshots and never inside one: a
rebuild, even from scratch, keeps it. Every change is one SQLite transaction (atomic, and
durable with `synchronous=FULL`), so a crash never leaves half a subscription or an alert
marked sent that was not. Tables:

    follows(chat_id, user_id, kind, name, key)  kind 'person' | 'topic'; key = folded name
    sent(chat_id, item)                          stable item keys (qabot.answering.news)
    articles(id, content_hash, first_seen)       every article version the bot has seen
    digests(chat_id, at)                         when each chat last had a /digest
    meta(key, value)                             the last snapshot looked at
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from qabot.text import fold

_SCHEMA = """
CREATE TABLE IF NOT EXISTS follows(chat_id INTEGER, user_id INTEGER, kind TEXT, name TEXT, key TEXT,
                                   created REAL, PRIMARY KEY(chat_id, kind, key));
CREATE TABLE IF NOT EXISTS sent(chat_id INTEGER, item TEXT, at REAL, PRIMARY KEY(chat_id, item));
CREATE TABLE IF NOT EXISTS articles(id TEXT PRIMARY KEY, content_hash TEXT, first_seen REAL);
CREATE TABLE IF NOT EXISTS digests(chat_id INTEGER PRIMARY KEY, at REAL);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass(frozen=True)
class Follow:
    chat_id: int
    user_id: int
    kind: str  # "person" | "topic"
    name: str


class FollowStore:
    """Thread-safe access to the state file; every method is one transaction."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def _write(self, statements: Iterable[tuple[str, tuple]]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self._db.execute(sql, params)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # --- subscriptions ----------------------------------------------------------------

    def follow(self, chat_id: int, user_id: int, kind: str, name: str) -> bool:
        """Add a follow; False if the chat already follows it."""
        if self._read("SELECT 1 FROM follows WHERE chat_id=? AND kind=? AND key=?", (chat_id, kind, fold(name))):
            return False
        self._write([("INSERT INTO follows VALUES (?,?,?,?,?,?)", (chat_id, user_id, kind, name, fold(name), time.time()))])
        return True

    def unfollow(self, chat_id: int, name: str) -> list[Follow]:
        """Remove the chat's follows named `name` (any kind); returns what was removed."""
        gone = [f for f in self.following(chat_id) if fold(f.name) == fold(name)]
        self._write([("DELETE FROM follows WHERE chat_id=? AND key=?", (chat_id, fold(name)))])
        return gone

    def unsubscribe(self, chat_id: int) -> int:
        """Drop every follow of a chat (the user blocked the bot); returns how many."""
        count = len(self.following(chat_id))
        self._write([("DELETE FROM follows WHERE chat_id=?", (chat_id,))])
        return count

    def following(self, chat_id: int) -> list[Follow]:
        rows = self._read("SELECT chat_id, user_id, kind, name FROM follows WHERE chat_id=? ORDER BY created", (chat_id,))
        return [Follow(*r) for r in rows]

    def all_follows(self) -> list[Follow]:
        return [Follow(*r) for r in self._read("SELECT chat_id, user_id, kind, name FROM follows ORDER BY created")]

    # --- what was sent ------------------------------------------------------------------

    def was_sent(self, chat_id: int, item: str) -> bool:
        return bool(self._read("SELECT 1 FROM sent WHERE chat_id=? AND item=?", (chat_id, item)))

    def mark_sent(self, chat_id: int, items: Iterable[str]) -> None:
        now = time.time()
        self._write([("INSERT OR IGNORE INTO sent VALUES (?,?,?)", (chat_id, item, now)) for item in items])

    # --- articles seen, snapshots looked at ----------------------------------------------

    def seen_articles(self) -> dict[str, str]:
        return dict(self._read("SELECT id, content_hash FROM articles"))

    def remember_articles(self, versions: dict[str, str], snapshot: str) -> None:
        """Record article versions as seen now, and the snapshot they came from."""
        now = time.time()
        self._write([("INSERT OR REPLACE INTO articles VALUES (?,?,?)", (aid, h, now)) for aid, h in versions.items()]
                    + [("INSERT OR REPLACE INTO meta VALUES ('snapshot', ?)", (snapshot,))])

    def last_snapshot(self) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key='snapshot'")
        return rows[0][0] if rows else None

    def articles_seen_since(self, moment: float) -> list[str]:
        return [r[0] for r in self._read("SELECT id FROM articles WHERE first_seen > ? ORDER BY first_seen", (moment,))]

    # --- digests ------------------------------------------------------------------------

    def last_digest(self, chat_id: int) -> float | None:
        rows = self._read("SELECT at FROM digests WHERE chat_id=?", (chat_id,))
        return rows[0][0] if rows else None

    def mark_digest(self, chat_id: int, moment: float) -> None:
        self._write([("INSERT OR REPLACE INTO digests VALUES (?,?)", (chat_id, moment))])
