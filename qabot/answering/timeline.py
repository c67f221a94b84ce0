"""Timelines: what someone said about something, or how a story went, in date order.

    "How has Costa's position on the strike changed?"  -> Costa's quotes about the strike
    "timeline of Costa on the strike", "Costa on the strike over time"
    "timeline of the ferry strike"                     -> one lead sentence per article

A person's timeline is their verbatim quotes (about the topic, when one is given) sorted by
the article's published date, grouped by month (by day when they all fall in one month).
A topic's timeline is the lead sentence of each article retrieval finds on it (or, when
the lead is about something else, the retrieved sentence that is on the topic), one per
article and one per story (syndicated copies with the same lead are shown once), in date
order. Every statement is cited; the sources list names each article's outlet and date.
Undated articles cannot be placed in time: they are left out and counted in the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence

from qabot.answering.compose import CitationList, Evidence, Sources, lead_sentence, question_coverage
from qabot.records import Answer, Hit, Quote, Statement
from qabot.text import fold, split_sentences

_SUBJECT = r"(?P<subject>.+?)"
_TOPIC = r"(?:\s+(?:on|about|over|regarding|towards?)\s+(?P<topic>.+?))?"
_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    rf"^how\s+(?:has|have|did)\s+{_SUBJECT}['’]s?\s+(?:position|view|views|stance|tone|line|opinion)s?{_TOPIC}\s+(?:changed?|evolved?|shifted|moved)(?:\s+over\s+time)?$",
    rf"^(?:(?:give\s+me|show\s+me|make)\s+)?(?:a\s+|the\s+)?timeline\s+(?:of|for)\s+{_SUBJECT}{_TOPIC}$",
    rf"^(?:what\s+(?:has|did)\s+)?{_SUBJECT}\s+(?:said\s+)?(?:on|about)\s+(?P<topic2>.+?)\s+over\s+time$",
)]


@dataclass(frozen=True)
class TimelineQuestion:
    subject: str
    topic: str | None


def parse_timeline(question: str) -> TimelineQuestion | None:
    """The subject (person or story) and topic of a timeline question, or None."""
    bare = " ".join(question.split()).rstrip("?!. ")
    for pattern in _PATTERNS:
        match = pattern.match(bare)
        if match:
            groups = match.groupdict()
            topic = groups.get("topic") or groups.get("topic2")
            subject = re.sub(r"^(?:the|a|an)\s+", "", match.group("subject").strip(), flags=re.IGNORECASE)
            if topic:
                topic = re.sub(r"^(?:the|a|an)\s+", "", topic.strip(), flags=re.IGNORECASE)
            return TimelineQuestion(subject, topic or None)
    return None


def person_timeline(question: str, person: str, quotes: Sequence[Quote], sources: Sources, *,
                    topic: str | None, max_statements: int) -> Answer | None:
    """The person's quotes (about the topic) in date order, grouped; None if none are dated."""
    relevant = [q for q in quotes if topic is None or question_coverage(topic, q.text, sources.term_weight) > 0]
    dated = [(published, q) for q in relevant if (published := _published(sources, q.article_id))]
    if not relevant:
        return None
    if not dated:
        closest = CitationList(sources)
        for q in relevant[:3]:
            closest.cite(Evidence(q.article_id, q.paragraph, q.text, q.start, q.end, 1.0, speaker=q.speaker))
        return Answer(question, False, closest=tuple(closest.citations), subject=relevant[0].speaker,
                      note=f"{relevant[0].speaker}'s quotes{' on ' + topic if topic else ''} are all in undated "
                           "articles, so they cannot be put in date order.")
    dated.sort(key=lambda item: (item[0], sources.article(item[1].article_id).path, item[1].start))
    all_dated = len(dated)
    dated = dated[-max_statements:]  # the most recent ones when there are too many
    label = _labeller([d for d, _ in dated])
    citations = CitationList(sources)
    statements = tuple(
        Statement(q.text, citations.cite(Evidence(q.article_id, q.paragraph, q.text, q.start, q.end, 1.0, speaker=q.speaker)),
                  q.speaker, group=label(published))
        for published, q in dated
    )
    speaker = max((q.speaker for _, q in dated), key=lambda name: len(name.split()))
    heading = f"{speaker}{' on ' + topic if topic else ''}, over time"
    notes = []
    if all_dated > len(dated):
        notes.append(f"Only the latest {len(dated)} of {all_dated} quotes are shown.")
    undated = len(relevant) - all_dated
    if undated:
        notes.append(f"{undated} quote{'s' if undated != 1 else ''} from undated articles left out.")
    if topic and len(relevant) < len(quotes):
        notes.append(f"Quotes by {speaker} that do not mention {topic} are left out.")
    return Answer(question, True, statements, tuple(citations.citations), heading=heading,
                  note=" ".join(notes) or None, subject=speaker)


def topic_timeline(question: str, topic: str, hits: Sequence[Hit], sources: Sources, *,
                   min_relevance: float, max_statements: int) -> Answer | None:
    """One cited lead sentence per article on the topic, in date order; None if none found."""
    seen_articles: set[str] = set()
    seen_leads: set[str] = set()
    entries = []
    undated = 0
    for hit in hits:
        article_id = hit.chunk.article_id
        if article_id in seen_articles:
            continue
        seen_articles.add(article_id)
        on_topic = question_coverage(topic, hit.chunk.text, sources.term_weight) >= min_relevance or (hit.dense_score or 0) >= 0.5
        if not on_topic:
            continue
        lead = lead_sentence(sources, article_id)
        if lead is None or question_coverage(topic, lead.text, sources.term_weight) < min_relevance:
            lead = _best_sentence(topic, hit, sources)  # the lead is about something else
        key = fold(" ".join(lead.text.split()))
        if key in seen_leads:  # a syndicated copy of a story already shown
            continue
        seen_leads.add(key)
        published = hit.article.published
        if not published:
            undated += 1
            continue
        entries.append((published, hit.article.path, lead))
    if not entries:
        return None
    entries.sort(key=lambda e: (e[0], e[1]))
    entries = entries[-max_statements:]
    label = _labeller([e[0] for e in entries])
    citations = CitationList(sources)
    statements = tuple(Statement(lead.text, citations.cite(lead), group=label(published)) for published, _, lead in entries)
    note = f"{undated} undated article{'s' if undated != 1 else ''} left out." if undated else None
    return Answer(question, True, statements, tuple(citations.citations), heading=f"Timeline: {topic}", note=note)


def _published(sources: Sources, article_id: str) -> str | None:
    return sources.article(article_id).published


def _best_sentence(topic: str, hit: Hit, sources: Sources) -> Evidence:
    """The retrieved chunk's sentence that covers most of the topic."""
    text = hit.chunk.text
    spans = split_sentences(text) or [(0, len(text))]
    start, end = max(spans, key=lambda span: question_coverage(topic, text[span[0]:span[1]], sources.term_weight))
    sentence = text[start:end].strip()
    offset = hit.chunk.start + text.index(sentence, start)
    return Evidence(hit.chunk.article_id, hit.chunk.paragraph, sentence, offset, offset + len(sentence), 1.0, hit)


def _labeller(published: Sequence[str]) -> Callable[[str], str]:
    """Group by day when everything falls in one month, otherwise by month."""
    months = {p[:7] for p in published}
    by_day = len(months) == 1 and all(len(p) >= 10 for p in published)

    def label(value: str) -> str:
        try:
            if by_day:
                return date.fromisoformat(value[:10]).strftime("%-d %B %Y")
            if len(value) >= 7:
                return date(int(value[:4]), int(value[5:7]), 1).strftime("%B %Y")
        except ValueError:
            pass
        return value[:4]

    return label
