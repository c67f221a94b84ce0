"""One story, several outlets: syndicated and duplicated articles found and merged at build time.

Wire copies, reposts, URL variants and AMP pages carry (almost) the same body. Two articles
are copies when the Jaccard similarity of their 5-word shingle sets reaches `similarity`
(default 0.5): an edited headline does not count (titles are left out), a repost with a
paragraph or two added or with its boilerplate reordered stays well above it, and two
different reports of the same event share few 5-word runs and stay well below it (see the
README's "Following sources" for the measured precision and recall). Candidates come from
MinHash LSH (datasketch), so the cost grows with the corpus, not with its square; every
candidate pair is then checked on its exact shingle sets.

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
from typing import Sequence

from qabot.records import Article

SHINGLE_WORDS = 5
NUM_PERM = 128
_WORD = re.compile(r"\w+")
# LSH is tuned below the decision threshold so that pairs near it are still looked at.
_LSH_SLACK = 0.7


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
    words = _WORD.findall(text.lower())
    runs = (" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1)))
    return {hash(run) & 0xFFFFFFFF for run in runs}


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def copy_pairs(articles: Sequence[Article], similarity: float) -> list[tuple[int, int, float]]:
    """(i, j, Jaccard) for every pair of articles that are copies of one another."""
    from datasketch import MinHash, MinHashLSH

    sets = [shingles(a.text) for a in articles]
    # The shingles are already 32-bit hashes, so MinHash takes them as they are.
    signatures = MinHash.bulk([list(s) for s in sets], num_perm=NUM_PERM, hashfunc=int)
    lsh = MinHashLSH(threshold=max(0.05, similarity * _LSH_SLACK), num_perm=NUM_PERM)
    pairs = []
    for i, (shingle_set, signature) in enumerate(zip(sets, signatures)):
        for j in lsh.query(signature):
            score = jaccard(shingle_set, sets[j])
            if score >= similarity:
                pairs.append((j, i, score))
        lsh.insert(i, signature)
    return pairs


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

