"""One story, several outlets: syndicated and duplicated articles found and merged at build time.

Wire copies, reposts, URL variants and AMP pages carry (almost) the same body. Two articles
are copies when the Jaccard similarity of their 5-word shingle sets reaches `similarity`
(default 0.5): an edited headline does not count (titles are left out), a repost with a
paragraph or two added or with its boilerplate reordered stays well above it, and two
different reports of the same event share few 5-word runs and stay well below it (see the
README's "Following sources" for the measured precision and recall). Candidates come from
MinHash LSH (computed in NumPy, see `copy_pairs`), so the cost grows with the corpus, not
with its square; every candidate pair is then checked on its exact shingle sets.

Of each group one article is kept to be indexed and cited — the first outlet in
`preferred_sources`, else the earliest published (undated last), else the first path — and
the others are listed under it, so an answer says "also in: Outlet A, Outlet B" and a quote
two outlets carried is found once.

    >>> merged = merge_copies(articles, similarity=0.5)       # doctest: +SKIP
    >>> merged.articles, merged.copies                         # doctest: +SKIP
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from qabot.records import Article

SHINGLE_WORDS = 5
NUM_PERM = 128
_WORD = re.compile(r"\w+")
# LSH is tuned below the decision threshold so that pairs near it are still looked at.
_LSH_SLACK = 0.7
_ESTIMATE_MARGIN = 0.15


@dataclass(frozen=True)
class Merged:
    """The articles to index (one per story) and each dropped copy with its kept article's id."""

    articles: tuple[Article, ...]
    copies: tuple[tuple[str, Article], ...]  # (kept article id, the copy)


def shingles(text: str) -> set[int]:
    """Runs of 5 lower-cased words, hashed to 32 bits (a text shorter than that is one shingle).

    Python's own string hash is used: it differs between processes, but shingles never
    leave the build that made them, and it is several times cheaper than a digest.
    """
    return set(shingle_runs(text)[1])


def shingle_runs(text: str) -> tuple[list[list[str]], list[int]]:
    """The runs of words `shingles` hashes, and each run's hash (the same, in order): for a
    caller that needs to know which words make which shingle (`qabot.indexing.patch`)."""
    words = _WORD.findall(text.lower())
    runs = [words[i:i + SHINGLE_WORDS] for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]
    return runs, [hash(" ".join(run)) & 0xFFFFFFFF for run in runs]


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def copy_pairs(articles: Sequence[Article], similarity: float) -> list[tuple[int, int, float]]:
    """(i, j, Jaccard), i < j, for every pair of articles that are copies of one another.

    MinHash signatures and LSH banding in NumPy, for the whole corpus at once: datasketch's
    per-article Python loop cost 1.5-3 ms an article (150 s at 100 000 tiny articles, on
    every build). Candidates share a band (`lsh_bands`; at the default 0.5, 32 bands of 4
    rows: a pair at Jaccard 0.5 shares one 87% of the time, at 0.7 99.98%); a candidate whose signatures agree on fewer than
    `similarity - _ESTIMATE_MARGIN` of their values is dropped before the exact check (a
    true copy is dropped that way with a chance of about 1 in 3,000, well below the 13%
    of pairs at the threshold that banding itself misses).
    """
    if len(articles) < 2:
        return []
    sets = [frozenset(shingles(a.text)) for a in articles]
    # Articles with the same shingles are copies outright; only one of each is banded.
    first: dict[frozenset, int] = {}
    same = [(first.setdefault(shingle_set, i), i) for i, shingle_set in enumerate(sets)]
    pairs = [(f, i, 1.0) for f, i in same if f != i]
    unique = sorted(set(first.values()))
    if len(unique) < 2:
        return pairs
    signatures = minhash([sets[i] for i in unique])
    candidates = _banded_pairs(signatures, *lsh_bands(max(0.05, similarity * _LSH_SLACK)))
    if len(candidates):
        agree = np.concatenate([(signatures[candidates[start:start + 65536, 0]] ==
                                 signatures[candidates[start:start + 65536, 1]]).mean(axis=1)
                                for start in range(0, len(candidates), 65536)])
        candidates = candidates[agree >= similarity - _ESTIMATE_MARGIN]
    for a, b in candidates.tolist():
        i, j = unique[a], unique[b]
        score = jaccard(sets[i], sets[j])
        if score >= similarity:
            pairs.append((i, j, score))
    return pairs


def minhash(sets: Sequence[frozenset]) -> np.ndarray:
    """One row of `NUM_PERM` minimum hashes per (non-empty) set of 32-bit shingles, each a
    multiply-shift hash of the shingle with a fixed random odd multiplier."""
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    values = np.fromiter((v for s in sets for v in s), dtype=np.uint64, count=int(lengths.sum()))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    rng = np.random.default_rng(1)
    multipliers = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    offsets = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    out = np.empty((len(sets), NUM_PERM), dtype=np.uint32)
    with np.errstate(over="ignore"):  # the hash is arithmetic modulo 2**64
        for k in range(NUM_PERM):
            hashed = (values * multipliers[k] + offsets[k]) >> np.uint64(32)
            out[:, k] = np.minimum.reduceat(hashed, starts)
    return out


@lru_cache(maxsize=8)
def lsh_bands(threshold: float) -> tuple[int, int]:
    """(bands, rows a band) for `NUM_PERM` values, as datasketch's `MinHashLSH` chooses them:
    least false positives below `threshold` plus false negatives above it, weighed equally."""
    shapes = np.array([(b, r) for b in range(1, NUM_PERM + 1) for r in range(1, NUM_PERM // b + 1)], dtype=float)
    grid = np.linspace(0, 1, 501)
    chance = 1 - (1 - grid[None, :] ** shapes[:, 1:]) ** shapes[:, :1]
    errors = np.trapezoid(np.where(grid < threshold, chance, 1 - chance), grid, axis=1)
    bands, rows = shapes[int(np.argmin(errors))]
    return int(bands), int(rows)


def _banded_pairs(signatures: np.ndarray, bands: int, rows_per_band: int) -> np.ndarray:
    """(a, b), a < b, of every two rows equal on all values of at least one band."""
    found = []
    n = len(signatures)
    mix = np.random.default_rng(2).integers(1, 2**63, size=rows_per_band, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    with np.errstate(over="ignore"):
        for band in range(bands):
            rows = signatures[:, band * rows_per_band:(band + 1) * rows_per_band].astype(np.uint64)
            keys = (rows * mix).sum(axis=1)  # equal rows give equal keys; others collide 1 in 2**64
            order = np.argsort(keys, kind="stable")
            ordered = keys[order]
            starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
            sizes = np.diff(np.append(starts, n))
            twos = starts[sizes == 2]  # most shared buckets hold two articles: no loop for them
            found.append(np.stack([order[twos], order[twos + 1]], axis=1))
            for start, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist()):
                group = order[start:start + size]
                a, b = np.triu_indices(size, 1)
                found.append(np.stack([group[a], group[b]], axis=1))
    pairs = np.sort(np.concatenate(found), axis=1).astype(np.int64)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)


def merge_copies(articles: Sequence[Article], similarity: float = 0.5,
                 preferred_sources: Sequence[str] = ()) -> Merged:
    """Group copies, keep one article a group, list the rest under it."""
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in copy_pairs(articles, similarity):
        parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(root(i), []).append(i)
    preference = {name.casefold(): rank for rank, name in enumerate(preferred_sources)}

    def rank(i: int) -> tuple:
        a = articles[i]
        return (preference.get(a.source.casefold(), len(preference)), a.published is None, a.published or "", a.path)

    kept, copies = [], []
    for members in groups.values():
        members.sort(key=rank)
        kept.append(articles[members[0]])
        copies += [(articles[members[0]].id, articles[i]) for i in members[1:]]
    order = {a.id: n for n, a in enumerate(articles)}
    return Merged(tuple(sorted(kept, key=lambda a: order[a.id])), tuple(copies))

