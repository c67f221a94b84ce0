"""Which articles a question may draw on: published dates and sources, as a chunk mask.

A `Scope` (a date range and/or some sources) is turned by the snapshot's `Catalog` into a
`Selection`: a boolean mask over chunk ids, which retrieval hands to BM25 (scores of other
chunks are dropped before the top-n is taken) and to FAISS (an `IDSelectorBitmap`), so a
filtered question still gets k passages when the period holds k. The catalog is read once
per snapshot, on the first filtered question: one row per article and one int per chunk.

    >>> selection = catalog.select(Scope(since=date(2005, 3, 1), sources=("BBC News",)))
    >>> selection.mask[chunk_id], selection.undated_left_out
    (True, 3)

Articles without a published date are left out whenever a date range applies (and counted,
so the answer can say how many); an article dated only by month or year counts as in the
range when any of its days is.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from qabot.indexing import Snapshot
from qabot.text import fold


@dataclass(frozen=True)
class Scope:
    """What a question is limited to; all-None means everything."""

    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()  # exact `source` values of the snapshot's articles

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    @property
    def empty(self) -> bool:
        return not self.dated and not self.sources


@dataclass(frozen=True)
class Selection:
    """The chunks and articles a scope allows, and how many undated articles it left out."""

    mask: np.ndarray  # bool, one per chunk id
    articles: frozenset[str]
    undated_left_out: int
    chunks: int = field(default=0)


class Catalog:
    """Every article's source and published span, and every chunk's article, from one snapshot."""

    def __init__(self, snapshot: Snapshot):
        rows = snapshot.query("SELECT id, coalesce(source, ''), published FROM articles ORDER BY rowid")
        self.article_ids = [r[0] for r in rows]
        self.source_of = np.array([r[1] for r in rows], dtype=object)
        spans = [_published_span(r[2]) for r in rows]
        self.first_day = np.array([s[0] if s else -1 for s in spans], dtype=np.int64)
        self.last_day = np.array([s[1] if s else -1 for s in spans], dtype=np.int64)
        position = {aid: i for i, aid in enumerate(self.article_ids)}
        chunk_rows = snapshot.query("SELECT id, article_id FROM chunks ORDER BY id")
        self.chunk_article = np.full(snapshot.manifest.chunks, -1, dtype=np.int64)
        for chunk_id, article_id in chunk_rows:
            self.chunk_article[chunk_id] = position[article_id]
        self.sources = sorted({s for s in self.source_of if s}, key=str.casefold)

    def dated_share(self) -> float:
        """The share of articles that carry a published date (0 for an empty snapshot)."""
        return float((self.last_day >= 0).mean()) if len(self.last_day) else 0.0

    def newest(self) -> date | None:
        """The newest published day in the snapshot (for `[answer] today = "newest"`)."""
        dated = self.last_day[self.last_day >= 0]
        return date.fromordinal(int(dated.max())) if len(dated) else None

    def match_source(self, name: str, exact: bool = False) -> list[str]:
        """The snapshot's sources that `name` names: equal, or (unless `exact`) its words
        inside the source's.

        "BBC" matches "BBC News"; "the Moscow Ledger" matches "Moscow Ledger". Case,
        accents and a leading "the" do not matter.
        """
        wanted = _source_words(name)
        if not wanted:
            return []
        equal = [s for s in self.sources if _source_words(s) == wanted]
        if equal or exact:
            return equal
        return [s for s in self.sources if _contains(_source_words(s), wanted)]

    def select(self, scope: Scope) -> Selection:
        allowed = np.ones(len(self.article_ids), dtype=bool)
        if scope.sources:
            allowed &= np.isin(self.source_of, list(scope.sources))
        undated = 0
        if scope.dated:
            dated = self.first_day >= 0
            undated = int(np.count_nonzero(allowed & ~dated))
            allowed &= dated
            if scope.since is not None:
                allowed &= self.last_day >= scope.since.toordinal()
            if scope.until is not None:
                allowed &= self.first_day <= scope.until.toordinal()
        mask = np.zeros(len(self.chunk_article), dtype=bool)
        known = self.chunk_article >= 0
        mask[known] = allowed[self.chunk_article[known]]
        articles = frozenset(self.article_ids[i] for i in np.flatnonzero(allowed))
        return Selection(mask, articles, undated, int(np.count_nonzero(mask)))


    def select_articles(self, article_ids: frozenset[str] | set[str]) -> Selection:
        """The chunks of the given articles (the ones a build added, for following)."""
        allowed = np.fromiter((aid in article_ids for aid in self.article_ids), dtype=bool, count=len(self.article_ids))
        mask = np.zeros(len(self.chunk_article), dtype=bool)
        known = self.chunk_article >= 0
        mask[known] = allowed[self.chunk_article[known]]
        articles = frozenset(self.article_ids[i] for i in np.flatnonzero(allowed))
        return Selection(mask, articles, 0, int(np.count_nonzero(mask)))


class CatalogCache:
    """One `Catalog` per loaded snapshot, built on first use (thread-safe)."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self._catalog: Catalog | None = None
        self._lock = threading.Lock()

    def get(self) -> Catalog:
        with self._lock:
            if self._catalog is None:
                self._catalog = Catalog(self.snapshot)
            return self._catalog


def _published_span(value: str | None) -> tuple[int, int] | None:
    """"2005-03-04" -> that day; "2005-03" -> the month; "2005" -> the year (as ordinals)."""
    if not value:
        return None
    parts = value.strip()[:10].split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) >= 3:
            day = date(numbers[0], numbers[1], numbers[2]).toordinal()
            return day, day
        if len(numbers) == 2:
            first = date(numbers[0], numbers[1], 1)
            last = date(numbers[0] + (numbers[1] == 12), numbers[1] % 12 + 1, 1).toordinal() - 1
            return first.toordinal(), last
        return date(numbers[0], 1, 1).toordinal(), date(numbers[0], 12, 31).toordinal()
    except (ValueError, IndexError):
        return None


def _source_words(name: str) -> tuple[str, ...]:
    words = fold(name).replace(".", " ").replace("-", " ").split()
    if words and words[0] == "the":
        words = words[1:]
    return tuple(words)


def _contains(words: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    n = len(wanted)
    return any(words[i:i + n] == wanted for i in range(len(words) - n + 1))
