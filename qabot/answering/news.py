"""What is new in the articles a build added: a followed person's quotes, a followed topic's
stories, and the digest of the most important new stories.

Each function takes the ids of the new articles and says what in them is worth telling,
as a cited `Answer` plus a stable key per item (`News.keys`), so the Telegram face can
send each item at most once, even after a restart or a rebuild from scratch: a quote's key
is a hash of its article id and its folded text, a story's of its article id.

The digest groups the new articles into stories (an article whose first passage is at
least `STORY_SIMILARITY` alike to an earlier one's joins its story: syndicated copies and
the same wire story in several outlets), then orders stories by how many outlets carried
them, then by the newest published date; each story is one cited lead sentence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from qabot.answering.compose import CitationList, Evidence, Sources, lead_sentence
from qabot.answering.timeline import topic_timeline
from qabot.records import Answer, Quote, Statement
from qabot.text import fold

STORY_SIMILARITY = 0.85


@dataclass(frozen=True)
class News:
    """A cited answer and one stable key per statement, in the same order."""

    answer: Answer
    keys: tuple[str, ...]


def quote_key(quote: Quote) -> str:
    return "q:" + hashlib.sha1(f"{quote.article_id}\0{fold(' '.join(quote.text.split()))}".encode()).hexdigest()[:20]


def article_key(article_id: str) -> str:
    return f"a:{article_id}"


def person_news(person: str, quotes: Sequence[Quote], new_articles: frozenset[str], sources: Sources, *,
                sent: Callable[[str], bool], limit: int) -> News | None:
    """The person's quotes in the new articles that were not sent before, oldest article first."""
    fresh = [q for q in quotes if q.article_id in new_articles and not sent(quote_key(q))]
    fresh = list({quote_key(q): q for q in fresh}.values())[:limit]
    if not fresh:
        return None
    citations = CitationList(sources)
    statements = tuple(
        Statement(q.text, citations.cite(Evidence(q.article_id, q.paragraph, q.text, q.start, q.end, 1.0, speaker=q.speaker)), q.speaker)
        for q in fresh
    )
    speaker = max((q.speaker for q in fresh), key=lambda name: len(name.split()))
    answer = Answer(f"follow {person}", True, statements, tuple(citations.citations),
                    heading=f"New from {speaker}", subject=speaker)
    return News(answer, tuple(quote_key(q) for q in fresh))


def topic_news(topic: str, hits, sources: Sources, *, sent: Callable[[str], bool], min_relevance: float,
               limit: int) -> News | None:
    """New articles on the topic (from hits retrieved within the new articles), one sentence each."""
    hits = [h for h in hits if not sent(article_key(h.chunk.article_id))]
    found = topic_timeline(f"follow {topic}", topic, hits, sources, min_relevance=min_relevance, max_statements=limit)
    if found is None:
        return None
    answer = Answer(**{**found.__dict__, "heading": f"New on “{topic}”", "note": None})
    keys = tuple(article_key(c.article.id) for c in _statement_citations(answer))
    return News(answer, keys)


def digest(article_ids: Sequence[str], sources: Sources, first_vector: Callable[[Sequence[str]], dict[str, np.ndarray]], *,
           limit: int) -> Answer | None:
    """The most important stories among `article_ids`, one cited lead sentence each."""
    infos = {aid: sources.article(aid) for aid in article_ids}
    vectors = first_vector(list(infos))
    stories: list[list[str]] = []
    for aid in sorted(infos, key=lambda a: (infos[a].published or "", a)):
        vector = vectors.get(aid)
        for story in stories:
            if vector is not None and story[0] in vectors and float(vector @ vectors[story[0]]) >= STORY_SIMILARITY:
                story.append(aid)
                break
        else:
            stories.append([aid])

    def outlets(story: list[str]) -> list[str]:
        # Copies merged at build time (qabot.news.merge_copies) count through `also_in`.
        return sorted({o for a in story for o in (infos[a].source or infos[a].path, *infos[a].also_in)},
                      key=str.casefold)

    by_recency = sorted(stories, key=lambda s: max(infos[a].published or "" for a in s), reverse=True)
    ranked = sorted(by_recency, key=lambda s: -len(outlets(s)))  # stable: recency among equals
    citations = CitationList(sources)
    statements = []
    for story in ranked:
        if len(statements) == limit:
            break
        newest = max(story, key=lambda a: (infos[a].published or "", a))
        lead = lead_sentence(sources, newest)
        if lead is None:
            continue
        names = outlets(story)
        label = f"{infos[newest].title} — {', '.join(names)}" + (f" ({len(names)} outlets)" if len(names) > 1 else "")
        statements.append(Statement(lead.text, citations.cite(lead), group=label))
    if not statements:
        return None
    return Answer("digest", True, tuple(statements), tuple(citations.citations),
                  heading=f"The main new stories ({len(statements)} of {len(stories)})")


def _statement_citations(answer: Answer):
    by_number = {c.number: c for c in answer.citations}
    return [by_number[s.citation] for s in answer.statements]


class Newsroom:
    """The news functions over a library's current snapshot (the Telegram face's one door)."""

    def __init__(self, library):
        self.library = library

    def article_versions(self) -> dict[str, str]:
        """article id -> content hash, in the current snapshot."""
        return dict(self.library.loaded.snapshot.query("SELECT id, content_hash FROM articles"))

    def snapshot_name(self) -> str:
        return self.library.loaded.snapshot.manifest.name

    def person(self, name: str) -> str | None:
        """The quoted speaker `name` means ("Kosachov" -> "Konstantin Kosachev"), if any."""
        found = self.library.loaded.speech.speaker_index.find(name)
        return max(found, key=lambda n: len(n.split())) if found else None

    def for_person(self, name: str, new_articles: frozenset[str], sent: Callable[[str], bool], limit: int) -> News | None:
        loaded = self.library.loaded
        return person_news(name, loaded.speech.quotes_by(name), new_articles, loaded.sources, sent=sent, limit=limit)

    def for_topic(self, topic: str, new_articles: frozenset[str], sent: Callable[[str], bool], limit: int) -> News | None:
        loaded = self.library.loaded
        selection = loaded.catalog.get().select_articles(new_articles)
        if not selection.articles:
            return None
        hits = loaded.retriever.search(topic, min(loaded.retriever.settings.candidates, 30), mask=selection.mask)
        return topic_news(topic, hits, loaded.sources, sent=sent,
                          min_relevance=self.library.settings.answer.min_relevance, limit=limit)

    def digest(self, article_ids: Sequence[str], limit: int) -> Answer | None:
        loaded = self.library.loaded
        snapshot = loaded.snapshot

        def first_vectors(ids: Sequence[str]) -> dict[str, np.ndarray]:
            if not ids:
                return {}
            marks = ",".join("?" * len(ids))
            rows = snapshot.query(f"SELECT article_id, min(id) FROM chunks WHERE article_id IN ({marks}) GROUP BY article_id", list(ids))
            if not rows:
                return {}
            stacked = snapshot.vectors.reconstruct([r[1] for r in rows])
            return {r[0]: v for r, v in zip(rows, stacked)}

        present = [a for a in article_ids if snapshot.articles([a])]
        return digest(present, loaded.sources, first_vectors, limit=limit)
