"""Duplicate detection: precision and recall on labelled pairs, and the cost per 10 000 articles.

Labelled pairs, all from the BBC corpus (seeded, so the same on every machine):

- copies (positive), four kinds made from 500 articles each: an edited headline with a
  reworded first sentence ("headline"); a word changed in every paragraph ("edits"); a
  paragraph from another article plus a credit line added ("added"); site boilerplate
  (cookie notice, "Follow us", copyright) put around the body in a different order
  ("boilerplate"); plus the wire excerpt, the first 60% of the paragraphs ("excerpt"),
  reported apart because it is arguable whether it is a copy;
- different articles (negative): for each of those 500 articles, the other BBC article
  in its section that shares the most words with it (TF-IDF cosine), i.e. the most
  similar different story. Pairs with the same headline are versions of one story (the BBC
  updates stories through the day) and are left out of the negatives.

Precision and recall count pairs that `merge_copies` puts in one group, over all pairs in
the pool (so LSH misses count as misses). The cost is `merge_copies` over a pool of about
10 000 articles (BBC + variants), timed once.

    .venv/bin/python bench/syndication.py
"""

from __future__ import annotations

import os
import random
import time

from common import BBC, CATEGORIES, machine, require_bbc, save_result

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
BASES = 1000
BOILERPLATE = ["We use cookies to give you the best experience. Accept all cookies", "Follow us on Twitter and Facebook",
               "Copyright 2005 Valley Post. All rights reserved.", "Sign up for our morning newsletter"]
ARGUABLE = ("excerpt", "rewrite")  # reported, but not counted in recall
WORD_SWAPS = {"said": "says", "the": "a", "has": "had", "will": "would", "on": "upon", "is": "was"}


def main() -> None:
    require_bbc()
    from qabot.news.syndication import jaccard, merge_copies, shingles
    from qabot.sources import ingest_paths
    from qabot.sources.ingest import make_article

    articles = [a for a in ingest_paths([BBC / c for c in CATEGORIES], [".txt"]).articles]
    unique = list({a.text: a for a in articles}.values())
    rng = random.Random(12)
    bases = rng.sample([a for a in unique if len(a.paragraphs) >= 4], BASES)

    def variant(base, name: str, paragraphs: list[str], title: str | None = None):
        return make_article(f"variants/{name}/{base.path}", {"title": title or base.title, "source": f"Outlet {name}"},
                            paragraphs)

    variants: dict[str, list[tuple[str, str]]] = {}
    pool = list(unique)
    for base in bases:
        paras = [p.text for p in base.paragraphs]
        other = rng.choice(unique).paragraphs[0].text
        made = {
            "headline": variant(base, "headline", [_reword(paras[0])] + paras[1:], "Updated: " + base.title),
            "edits": variant(base, "edits", [_swap_one(p, rng) for p in paras]),
            "added": variant(base, "added", paras + [other, "Additional reporting by Outlet staff."]),
            "boilerplate": variant(base, "boilerplate", [BOILERPLATE[2], BOILERPLATE[0]] + paras + [BOILERPLATE[3], BOILERPLATE[1]]),
            "excerpt": variant(base, "excerpt", paras[: max(2, int(len(paras) * 0.6))]),
            "rewrite": variant(base, "rewrite", [_swap_many(p, rng) for p in paras]),
        }
        for kind, article in made.items():
            variants.setdefault(kind, []).append((base.id, article.id))
            pool.append(article)
    negatives = _nearest_different(bases, unique)

    tick, cpu = time.perf_counter(), time.process_time()
    merge_copies(pool, 0.5)
    seconds, cpu_seconds = time.perf_counter() - tick, time.process_time() - cpu
    per_10k, cpu_per_10k = seconds * 10_000 / len(pool), cpu_seconds * 10_000 / len(pool)
    load = os.getloadavg()[0]

    sets = {a.id: shingles(a.text) for a in pool}
    rows = []
    for threshold in THRESHOLDS:
        group = _groups(merge_copies(pool, threshold))
        same = lambda a, b: group.get(a, a) == group.get(b, b)  # noqa: E731
        row = {"threshold": threshold}
        for kind, pairs in variants.items():
            row[kind] = sum(same(a, b) for a, b in pairs) / len(pairs)
        core = [p for kind, pairs in variants.items() if kind not in ARGUABLE for p in pairs]
        found = sum(same(a, b) for a, b in core)
        false = sum(same(a, b) for a, b in negatives)
        row.update(recall=found / len(core), false_merges=false, negatives=len(negatives),
                   precision=found / (found + false) if found + false else 1.0)
        rows.append(row)
    jac = sorted(jaccard(sets[a], sets[b]) for a, b in negatives)

    print(f"# Duplicate detection — {machine()}")
    print(f"pool {len(pool)} articles ({len(unique)} unique BBC + {len(pool) - len(unique)} variants); "
          f"{BASES} bases; {len(negatives)} nearest-different pairs (max Jaccard {jac[-1]:.2f}, p95 {jac[int(0.95 * len(jac))]:.2f})")
    print(f"merge_copies over the pool: {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU = {per_10k:.1f} s wall / "
          f"{cpu_per_10k:.1f} s CPU per 10 000 articles (load average {load:.1f} while timed)")
    print()
    print("| similarity | headline | edits | added | boilerplate | recall (4 kinds) | precision | false merges | excerpt | rewrite |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['threshold']} | {r['headline']:.3f} | {r['edits']:.3f} | {r['added']:.3f} | {r['boilerplate']:.3f} | "
              f"**{r['recall']:.3f}** | **{r['precision']:.3f}** | {r['false_merges']}/{r['negatives']} | "
              f"{r['excerpt']:.3f} | {r['rewrite']:.3f} |")
    by_id = {a.id: a for a in pool}
    group = _groups(merge_copies(pool, 0.5))
    print("\nNearest-different pairs merged at 0.5 (read them: a false merge, or a mislabelled copy?):")
    for a, b in negatives:
        if group.get(a, a) == group.get(b, b):
            print(f"  {jaccard(sets[a], sets[b]):.2f}  {by_id[a].path} {by_id[a].title!r} ~ {by_id[b].path} {by_id[b].title!r}")
    save_result("syndication", {"rows": rows, "pool": len(pool), "seconds": seconds, "per_10k": per_10k, "cpu_per_10k": cpu_per_10k, "load": load, "machine": machine()})


def _reword(paragraph: str) -> str:
    words = paragraph.split()
    return " ".join(words[:3] + ["reportedly"] + words[3:])


def _swap_one(paragraph: str, rng: random.Random) -> str:
    words = paragraph.split()
    spots = [i for i, w in enumerate(words) if w.lower() in WORD_SWAPS]
    if spots:
        i = rng.choice(spots)
        words[i] = WORD_SWAPS[words[i].lower()]
    return " ".join(words)


def _swap_many(paragraph: str, rng: random.Random) -> str:
    """A copy-edited version: about one word in ten replaced."""
    words = paragraph.split()
    for i in range(len(words)):
        if rng.random() < 0.1:
            words[i] = WORD_SWAPS.get(words[i].lower(), words[i] + "s")
    return " ".join(words)


def _nearest_different(bases, unique) -> list[tuple[str, str]]:
    """For each base, the most similar other article of its section by TF-IDF cosine (different headline)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([a.text for a in unique])
    index = {a.id: n for n, a in enumerate(unique)}
    pairs = []
    for base in bases:
        row = vectors[index[base.id]]
        scores = (vectors @ row.T).toarray().ravel()
        section = base.path.split("/")[0]
        for n in scores.argsort()[::-1]:
            other = unique[n]
            if other.id != base.id and other.path.split("/")[0] == section and other.title.casefold() != base.title.casefold():
                pairs.append((base.id, other.id))
                break
    return pairs


def _groups(merged) -> dict[str, str]:
    return {copy.id: kept for kept, copy in merged.copies}


if __name__ == "__main__":
    main()
