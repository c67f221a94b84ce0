"""Composing an extractive, cited answer from what retrieval and the quote index found.

No language model: every statement is a sentence or a quotation copied verbatim from an
article, followed by the number of the citation that points to its paragraph. Which
statements to pick depends on the question's kind (see `qabot.answering.questions`):

- said  -> the person's own quotations, in the order they appear, headed by who they are;
- who   -> how the articles describe the person;
- when  -> sentences with date expressions first, the dates named up front;
- other -> the retrieved sentences that best cover the question's words.

When the evidence is weak the answer is "not found" and the nearest passages are listed as
closest matches only. Lookups of paragraphs and articles are passed in as functions, so
this module never touches storage.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from qabot.records import Answer, ArticleInfo, Citation, Description, Hit, Paragraph, Quote, Statement
from qabot.text import date_expressions, date_spans, split_sentences, terms

NOT_FOUND = "I couldn't find that in the indexed articles."


@dataclass(frozen=True)
class Sources:
    """How the composer reads paragraphs and articles (backed by the snapshot in `qa`)."""

    paragraph: Callable[[str, int], Paragraph | None]
    article: Callable[[str], ArticleInfo]
    term_weight: Callable[[str], float]


@dataclass(frozen=True)
class Evidence:
    """A sentence (or quote) found in a paragraph, with its place and its ranking signals."""

    article_id: str
    paragraph: int
    text: str
    start: int
    end: int
    relevance: float
    hit: Hit | None = None
    speaker: str | None = None


class CitationList:
    """Numbers citations in order of first use; one number per (article, paragraph, text)."""

    def __init__(self, sources: Sources):
        self.sources = sources
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, int, int, int], int] = {}

    def cite(self, evidence: Evidence) -> int:
        key = (evidence.article_id, evidence.paragraph, evidence.start, evidence.end)
        if key not in self._numbers:
            paragraph = self.sources.paragraph(evidence.article_id, evidence.paragraph)
            hit = evidence.hit
            self._numbers[key] = len(self.citations) + 1
            self.citations.append(Citation(
                number=len(self.citations) + 1,
                article=self.sources.article(evidence.article_id),
                paragraph=evidence.paragraph,
                text=evidence.text,
                start=evidence.start,
                end=evidence.end,
                passage=paragraph.text if paragraph else evidence.text,
                chunk_id=hit.chunk.id if hit else -1,
                score=hit.score if hit else evidence.relevance,
                dense_rank=hit.dense_rank if hit else None,
                dense_score=hit.dense_score if hit else None,
                bm25_rank=hit.bm25_rank if hit else None,
                bm25_score=hit.bm25_score if hit else None,
            ))
        return self._numbers[key]


def question_coverage(question: str, text: str, term_weight: Callable[[str], float]) -> float:
    """Share of the question's term weight (IDF) that `text` contains, 0..1."""
    wanted = set(terms(question))
    if not wanted:
        return 0.0
    present = set(terms(text))
    total = sum(term_weight(t) for t in wanted)
    return sum(term_weight(t) for t in wanted & present) / total if total > 0 else 0.0


def sentences_of(hits: Sequence[Hit]) -> list[Evidence]:
    """Every sentence of the retrieved chunks, with article offsets."""
    found = []
    for hit in hits:
        for start, end in split_sentences(hit.chunk.text):
            found.append(Evidence(hit.chunk.article_id, hit.chunk.paragraph, hit.chunk.text[start:end],
                                  hit.chunk.start + start, hit.chunk.start + end, 0.0, hit))
    return found


def compose_generic(question: str, hits: Sequence[Hit], sources: Sources, *, max_statements: int,
                    min_relevance: float, prefer_dates: bool = False) -> Answer:
    """Pick the sentences that best cover the question; "not found" when none does."""
    scored = []
    for rank, sentence in enumerate(sentences_of(hits)):
        coverage = question_coverage(question, sentence.text, sources.term_weight)
        has_date = bool(date_spans(sentence.text))
        score = coverage + (0.5 if prefer_dates and has_date else 0.0) + 0.1 * (sentence.hit.score if sentence.hit else 0)
        scored.append((score, coverage, rank, sentence))
    best_hit_cosine = max((h.dense_score or 0.0 for h in hits), default=0.0)
    best_coverage = max((c for _, c, _, _ in scored), default=0.0)
    if not scored or (best_coverage < min_relevance and best_hit_cosine < 0.5):
        return not_found(question, hits, sources)
    threshold = max(min_relevance, 0.5 * best_coverage) if best_coverage >= min_relevance else 0.0

    def good_enough(coverage: float, sentence: Evidence) -> bool:
        # A "when" question accepts any relevant sentence that carries a date.
        if prefer_dates and date_spans(sentence.text):
            return coverage >= min_relevance
        return coverage >= threshold

    picked = [s for s in sorted(scored, key=lambda s: (-s[0], s[2])) if good_enough(s[1], s[3])][:max_statements]
    if prefer_dates:
        picked.sort(key=lambda s: (not date_spans(s[3].text), s[2]))
    else:
        picked.sort(key=lambda s: s[2])  # retrieval order, then reading order within a chunk
    citations = CitationList(sources)
    statements = tuple(Statement(s[3].text.strip(), citations.cite(s[3])) for s in picked)
    heading = None
    if prefer_dates:
        dates = list(dict.fromkeys(d for s in picked for d in date_expressions(s[3].text)))
        heading = "; ".join(dates) if dates else None
    return Answer(question, True, statements, tuple(citations.citations), heading=heading)


def compose_said(question: str, person: str, quotes: Sequence[Quote], descriptions: Sequence[Description],
                 sources: Sources, *, max_statements: int, topic: str | None = None,
                 topic_relevance: Callable[[Quote], float] | None = None) -> Answer:
    """The person's own quotations, in article order (or most relevant first with a topic)."""
    quotes = _distinct_quotes(quotes)
    chosen = list(quotes)
    note = None
    if topic and topic_relevance is not None:
        ranked = sorted(chosen, key=lambda q: -topic_relevance(q))
        relevant = [q for q in ranked if topic_relevance(q) > 0]
        if relevant:
            chosen = relevant
        else:
            chosen = ranked
            note = f"None of these quotes mention {topic} directly."
    chosen = chosen[:max_statements]
    citations = CitationList(sources)
    statements = tuple(
        Statement(q.text, citations.cite(Evidence(q.article_id, q.paragraph, q.text, q.start, q.end, 1.0, speaker=q.speaker)), q.speaker)
        for q in chosen
    )
    # The fullest name among the quotes ("Tony Blair" over a bare "Blair" from an article
    # that never gave the first name) heads the answer.
    speaker = max((q.speaker for q in chosen), key=lambda name: len(name.split()), default=person)
    heading = who_heading(speaker, descriptions)
    if len(quotes) > len(chosen) and note is None:
        more = len(quotes) - len(chosen)
        note = (f"{more} more quote{'s' if more > 1 else ''} by {speaker} in the indexed articles; "
                f"ask \"what else did {speaker.split()[-1]} say?\"")
    return Answer(question, True, statements, tuple(citations.citations), heading=heading, note=note, subject=speaker)


def _distinct_quotes(quotes: Sequence[Quote]) -> list[Quote]:
    """Each quotation once: the same words carried by two outlets are one quote (first kept)."""
    seen: set[str] = set()
    distinct = []
    for quote in quotes:
        key = " ".join(quote.text.casefold().split())
        if key not in seen:
            seen.add(key)
            distinct.append(quote)
    return distinct


def compose_who(question: str, name: str, descriptions: Sequence[Description], sources: Sources, *,
                max_statements: int) -> Answer:
    """How the articles describe a person, each description cited."""
    citations = CitationList(sources)
    seen: set[str] = set()
    statements = []
    for d in descriptions:
        if d.text.casefold() in seen:
            continue
        seen.add(d.text.casefold())
        statements.append(Statement(d.text, citations.cite(Evidence(d.article_id, d.paragraph, d.text, d.start, d.end, 1.0, speaker=d.name)), d.name))
    statements = statements[:max_statements]
    full_name = descriptions[0].name if descriptions else name
    return Answer(question, True, tuple(statements), tuple(citations.citations[: len(statements)]),
                  heading=f"{full_name} is described as:", subject=full_name)


def who_heading(speaker: str, descriptions: Sequence[Description]) -> str:
    """"Konstantin Kosachev, Russian Senate Foreign Affairs Committee Chair" when described.

    Only the speaker's own descriptions count (a question about "Blair" may match both Tony
    and Ian Blair); the one the articles use most is chosen, the first of equals.
    """
    own = [d.text for d in descriptions if d.name == speaker]
    if not own:
        return speaker
    counts = Counter(own)
    return f"{speaker}, {max(own, key=lambda text: counts[text])}"


def not_found(question: str, hits: Sequence[Hit], sources: Sources, note: str | None = None, subject: str | None = None) -> Answer:
    """Honest "not found", with the nearest passages labelled as closest matches."""
    citations = CitationList(sources)
    for hit in hits[:3]:
        c = hit.chunk
        citations.cite(Evidence(c.article_id, c.paragraph, c.text, c.start, c.end, hit.score, hit))
    return Answer(question, False, closest=tuple(citations.citations), note=note or NOT_FOUND, subject=subject)
