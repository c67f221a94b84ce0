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

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from qabot.answering.sense import Asked, fits, names_found, read_question
from qabot.records import Answer, ArticleInfo, Citation, Description, Hit, Paragraph, Quote, Statement
from qabot.text import date_expressions, date_spans, split_sentences, terms

NOT_FOUND = "I couldn't find that in the indexed articles."
_PRONOUN_START = re.compile(r"\s*(?:He|She|His|Her|It|Its|They|Their)\b")


@dataclass(frozen=True)
class Sources:
    """How the composer reads paragraphs and articles (backed by the snapshot in `qa`)."""

    paragraph: Callable[[str, int], Paragraph | None]
    article: Callable[[str], ArticleInfo]
    term_weight: Callable[[str], float]
    # Does some article hold this term? A word none holds is left to the coverage rule
    # (where it weighs most), never made the word a sentence must show (qabot.answering.sense).
    term_known: Callable[[str], bool] = lambda term: True


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
    """Share of the question's term weight (IDF) that `text` contains, 0..1.

    A weight below 0 counts as 0: BM25Okapi gives words found in most documents of a tiny
    corpus a negative IDF, which would make a share below 0 or above 1."""
    wanted = set(terms(question))
    if not wanted:
        return 0.0
    present = set(terms(text))
    weight = {t: max(term_weight(t), 0.0) for t in wanted}
    total = sum(weight.values())
    return sum(weight[t] for t in wanted & present) / total if total > 0 else 0.0


def sentences_of(hits: Sequence[Hit]) -> list[Evidence]:
    """Every sentence of the retrieved chunks, with article offsets."""
    found = []
    for hit in hits:
        for start, end in split_sentences(hit.chunk.text):
            found.append(Evidence(hit.chunk.article_id, hit.chunk.paragraph, hit.chunk.text[start:end],
                                  hit.chunk.start + start, hit.chunk.start + end, 0.0, hit))
    return found


def compose_generic(question: str, hits: Sequence[Hit], sources: Sources, *, max_statements: int,
                    min_relevance: float, min_similarity: float = 0.5, prefer_dates: bool = False) -> Answer:
    """Pick the sentences that best cover the question; "not found" when none does.

    Found when some sentence holds `min_relevance` of the question's IDF-weighted words
    (a word the corpus never saw weighs most), or the best passage's cosine reaches
    `min_similarity` (a paraphrase dense search is sure of). Either way only sentences
    that fit the question's sense are used (`qabot.answering.sense`): its names in the
    sentence, paragraph or title, its other content words in the sentence, a number for
    "how many", a date for "when".
    """
    asked = read_question(question)
    agreed = _agreed_top(hits, asked)
    scored = []
    for rank, sentence in enumerate(sentences_of(hits)):
        text, before = sentence.text, ""
        # "Her campaign promised … a new hospital": the pronoun stands for the previous
        # sentence's subject ("Anneliese Brandt won …"), whose words count as this one's.
        if _PRONOUN_START.match(text):
            before = _sentences_before(sentence, sources)
            text = f"{before} {text}"
        fitting = fits(replace(asked, content=()) if sentence.hit is agreed else asked, sentence.text,
                       lambda s=sentence: _surroundings(s, sources), weight=sources.term_weight,
                       before=before, known=sources.term_known)
        coverage = question_coverage(question, text, sources.term_weight)
        has_date = bool(date_spans(sentence.text))
        score = coverage + (0.5 if prefer_dates and has_date else 0.0) + 0.1 * (sentence.hit.score if sentence.hit else 0)
        scored.append((score, coverage, rank, sentence, fitting))
    best_hit_cosine = max((h.dense_score or 0.0 for h in hits), default=0.0)
    best_coverage = max((c for _, c, _, _, fitting in scored if fitting), default=0.0)
    if not any(fitting for *_, fitting in scored) or (best_coverage < min_relevance and best_hit_cosine < min_similarity):
        return not_found(question, hits, sources)
    threshold = max(min_relevance, 0.5 * best_coverage) if best_coverage >= min_relevance else 0.0

    def good_enough(coverage: float, sentence: Evidence, fitting: bool) -> bool:
        # Once answered, a "when" question also shows the other dated sentences on its topic
        # ("one more trip to Moscow, in February 2017"), at a lower bar than the answer itself
        # and without the sense checks (a "trip" for a "visit").
        if prefer_dates and date_spans(sentence.text):
            return coverage >= 0.6 * min_relevance
        return fitting and coverage >= threshold

    # The fitting sentences first, so the extra dated ones never crowd the answer out.
    picked = [s for s in sorted(scored, key=lambda s: (not s[4], -s[0], s[2])) if good_enough(s[1], s[3], s[4])]
    # The highest-ranked passage with a fitting sentence leads with its best one, even below
    # the coverage bar: retrieval ranked it first, and the sense checks accept it ("Nike
    # posted a profit of $261.9m" over a later "He added: …" whose words are its
    # predecessor's). Which sentences may answer at all is decided above, not here.
    lead = _lead(scored, hits, question, sources.term_weight)
    if lead is not None:
        picked = [lead] + [s for s in picked if s is not lead]
    picked = picked[:max_statements]
    if not any(s[4] for s in picked):  # an answer is only ever the sentences it cites, one of them fitting
        return not_found(question, hits, sources)
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


def _agreed_top(hits: Sequence[Hit], asked: Asked) -> Hit | None:
    """The first hit when both rankers put it on top (dense first, BM25 first or second) and
    the question asks for no number or date: its sentences need not hold the question's
    point word ("Which former prime minister died shortly after his wife?" → "… just 11
    days after his wife Audrey died"), only its names. A "when" or "how much" question
    keeps the point check, since any dated or numbered sentence would pass without it, and
    so does a question the relation checks read ("Who designed the Sony PSP?": the
    passage both rankers put first is about the PSP, and none of its sentences says who
    designed it). Whether anything is found is still the coverage or cosine bar's decision."""
    top = hits[0] if hits else None
    if (top is None or asked.answer_type is not None or asked.relation or top.dense_rank != 1
            or top.bm25_rank is None or top.bm25_rank > 2):
        return None
    return top


def _lead(scored: list[tuple], hits: Sequence[Hit], question: str, weight: Callable[[str], float]) -> tuple | None:
    """The fitting sentence of the highest-ranked hit that has one, the one holding most of
    the question's words itself (not through the sentences a pronoun opening it stands for)."""
    for hit in hits:
        own = [s for s in scored if s[4] and s[3].hit is hit]
        if own:
            return max(own, key=lambda s: (question_coverage(question, s[3].text, weight), s[0], -s[2]))
    return None


def _sentences_before(sentence: Evidence, sources: Sources, n: int = 2) -> str:
    """The `n` sentences before `sentence` in its paragraph: what a pronoun opening it stands
    for ("Apple expects the Mac mini to sell for £339 … Adding extras … will increase the
    basic price. It will go on sale from 22 January."), even across a chunk's start."""
    paragraph = sources.paragraph(sentence.article_id, sentence.paragraph)
    if paragraph is None:
        return ""
    head = paragraph.text[: max(0, sentence.start - paragraph.start)]
    return " ".join(head[a:b].strip() for a, b in split_sentences(head)[-n:])


def _surroundings(sentence: Evidence, sources: Sources) -> str:
    """The sentence's paragraph and its article's title: where a question's name may stand."""
    paragraph = sources.paragraph(sentence.article_id, sentence.paragraph)
    return f"{paragraph.text if paragraph else ''} {sources.article(sentence.article_id).title}"


def compose_said(question: str, person: str, quotes: Sequence[Quote], descriptions: Sequence[Description],
                 sources: Sources, *, max_statements: int, topic: str | None = None,
                 topic_relevance: Callable[[Quote], float] | None = None,
                 topic_support: Callable[[Quote], float] | None = None, min_topic_support: float = 0.0,
                 reported: Sequence[Evidence] = ()) -> Answer:
    """The person's own quotations, in article order (or most relevant first with a topic).

    With a topic, only quotes whose words, or whose paragraph and the one before it
    (`topic_support`), hold at least `min_topic_support` of the topic's weight are shown.
    If none do, the answer is a partial "not found" that says what was found: "I found
    what Kosachev said, but nothing about London", with his nearest quotes as closest
    matches. `reported` sentences (what the person said in the article's words, see
    `reported_on`) follow the quotes, marked as reported, and stand alone when no quote is
    on the topic.
    """
    quotes = _distinct_quotes(quotes)
    chosen = list(quotes)
    note = None
    if topic and topic_relevance is not None:
        support = topic_support or topic_relevance
        ranked = sorted(chosen, key=lambda q: (-topic_relevance(q), -support(q)))
        relevant = [q for q in ranked if support(q) > 0 and support(q) >= min_topic_support]
        if not relevant and not reported:
            return _partly_found(question, fullest_name(q.speaker for q in quotes), topic, ranked[:3], sources)
        chosen = relevant
    chosen = chosen[:max_statements]
    # A reported sentence that holds a chosen quote: when the quote is most of it ("Kosachev
    # wrote: "Sanctions have become …"") the quote alone is shown; when it is a fragment of
    # it ("Mr Howard said his front bench had reached a "collective view" …, but admitted it
    # was "not an easy issue""), the sentence is, and the bare fragment left out.
    extra = [e for e in reported if not any(q.text in e.text and not _fragment(q.text, e.text) for q in chosen)]
    extra = extra[: max(1, max_statements - len(chosen))]
    chosen = [q for q in chosen if not any(q.text in e.text and _fragment(q.text, e.text) for e in extra)]
    citations = CitationList(sources)
    statements = tuple(
        Statement(q.text, citations.cite(Evidence(q.article_id, q.paragraph, q.text, q.start, q.end, 1.0, speaker=q.speaker)), q.speaker)
        for q in chosen
    )
    statements += tuple(Statement(e.text.strip(), citations.cite(e), e.speaker or person, reported=True) for e in extra)
    # The fullest name among the quotes ("Tony Blair" over a bare "Blair" from an article
    # that never gave the first name) heads the answer.
    speaker = fullest_name((q.speaker for q in chosen or quotes), default=person)
    heading = who_heading(speaker, descriptions)
    if extra:
        note = (f"The last {len(extra)} statement{'s are' if len(extra) > 1 else ' is'} reported speech: "
                f"the article's words for what {speaker} said, not a quotation.")
    elif len(quotes) > len(chosen) and note is None:
        more = len(quotes) - len(chosen)
        note = (f"{more} more quote{'s' if more > 1 else ''} by {speaker} in the indexed articles; "
                f"ask \"what else did {speaker.split()[-1]} say?\"")
    return Answer(question, True, statements, tuple(citations.citations), heading=heading, note=note, subject=speaker)


def _fragment(quote: str, sentence: str) -> bool:
    """Is the quotation less than half of the sentence that holds it?"""
    return len(quote) < len(sentence) / 2


def fullest_name(names, default: str = "") -> str:
    """The form of a name with most words ("Tony Blair" over "Blair"); the first of equals."""
    return max(names, key=lambda name: len(name.split()), default=default)


def _partly_found(question: str, speaker: str, topic: str, nearest: Sequence[Quote], sources: Sources) -> Answer:
    """What X said was found, but nothing about the topic: say which part, show the nearest."""
    citations = CitationList(sources)
    for q in nearest:
        citations.cite(Evidence(q.article_id, q.paragraph, q.text, q.start, q.end, 0.0, speaker=q.speaker))
    return Answer(question, False, closest=tuple(citations.citations), subject=speaker,
                  note=f"I found what {speaker} said, but nothing about {topic}.")


def reported_on(found: Sequence[Quote], topic: str | None, sources: Sources, *, min_relevance: float,
                limit: int = 3) -> list[Evidence]:
    """The person's reported speech as the index stores it (`qabot.news.extract_reported`:
    "Kosachev said the killing would not improve the situation", "According to Bogdanov,
    …"), each sentence once, in the order given (newest article first).

    With a topic, only sentences about it (`_reports_on`), those naming the topic themselves
    first ("Martin Mubanga claimed … that an MI6 officer …" before "Mr Mubanga said he had
    been in Afghanistan").
    """
    asked = read_question(topic, topic=True) if topic else None
    kept: list[Evidence] = []
    seen: set[str] = set()
    for record in found:
        key = " ".join(record.text.casefold().split())
        if key in seen:
            continue
        evidence = Evidence(record.article_id, record.paragraph, record.text, record.start, record.end, 1.0,
                            speaker=record.speaker)
        if topic and asked is not None and not _reports_on(evidence, topic, asked, sources, min_relevance):
            continue
        seen.add(key)
        kept.append(evidence)
    if topic:
        kept.sort(key=lambda e: -question_coverage(topic, e.text, sources.term_weight))
    return kept[:limit]


_REPORTING = (r"(?:said|says|told|tells|added|argued|claimed|insisted|warned|accused|urged|admitted|denied|"
              r"stressed|explained|believes|suggested|announced|described|maintained|revealed|predicted|"
              r"called|criticised|criticized|praised|defended|dismissed|rejected)")


def reported_speech(surname: str, topic: str | None, hits: Sequence[Hit], sources: Sources, *,
                    min_relevance: float, limit: int = 3) -> list[Evidence]:
    """Sentences that report what the person said without quoting it, in retrieval order
    (with a topic, those holding more of its words first), found at answer time: only for
    a speaker the index knows by no name ("the IAAF spokesman"), whose words the stored
    reported speech (`reported_on`) leaves out as unnamed. Measured on the 76 `ask()`
    questions: without it "What did the IAAF spokesman say …?" is not found (45 against 46).

    "Mr Kilroy-Silk accused his fellow UKIP MEPs of …", "…, said Mr Bello": the surname
    must be the reporting verb's subject (right before it, or right after it), so a
    sentence that only mentions the person ("Ferguson believes Henry caught Heinze") is
    never passed off as their words. With a topic, the sentence and its paragraph must
    hold `min_relevance` of the topic's weight, and the sentence or the one before it every
    name in it ("about Manchester United": a paragraph on Manchester's northern cities is not
    about the club).
    """
    name = re.escape(surname)
    # The person is the subject: "Mr Bello explained", "Kilroy-Silk has accused", ", said Mr Bello",
    # also past an appositive: "Jeffrey Matsuura, director of the law programme at …, said".
    pattern = re.compile(rf"\b{name}\b(?:\s+[a-z]\S*){{0,2}}?\s+{_REPORTING}\b"
                         rf"|\b{name}\b(?:,[^,.;:\"“”]{{1,80}}){{1,3}},\s+(?:has\s+|had\s+)?{_REPORTING}\b"
                         rf"|\b{_REPORTING},?\s+(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s+)?(?:[A-Z]\S*\s+)?{name}\b")
    asked = read_question(topic, topic=True) if topic else None
    found = []
    for sentence in sentences_of(hits):
        if not pattern.search(sentence.text):
            continue
        if topic and asked is not None and not _reports_on(sentence, topic, asked, sources, min_relevance):
            continue
        if all(sentence.text.strip() != e.text.strip() for e in found):
            found.append(sentence)
    if topic:
        # A sentence that names the topic itself before one whose paragraph does ("Martin
        # Mubanga claimed … that an MI6 officer …" before "Mr Mubanga said he had been in
        # Afghanistan"), each kind in retrieval order.
        found.sort(key=lambda e: -question_coverage(topic, e.text, sources.term_weight))
    return found[:limit]


def _reports_on(sentence: Evidence, topic: str, asked, sources: Sources, min_relevance: float) -> bool:
    """Is a reported sentence about the topic: it and its paragraph hold `min_relevance` of the
    topic's weight, and it or the sentence before it every name in the topic, not anywhere in
    the paragraph ("What did Bono say about Blue?": Blue won an award two sentences before
    Bono spoke)."""
    paragraph = sources.paragraph(sentence.article_id, sentence.paragraph)
    around = f"{sentence.text} {paragraph.text if paragraph else ''}"
    return (question_coverage(topic, around, sources.term_weight) >= min_relevance
            and names_found(asked, f"{_sentences_before(sentence, sources, 1)} {sentence.text}"))


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


def lead_sentence(sources: Sources, article_id: str) -> Evidence | None:
    """The first sentence of the article's first paragraph."""
    paragraph = sources.paragraph(article_id, 1)
    if paragraph is None:
        return None
    spans = split_sentences(paragraph.text)
    start, end = spans[0] if spans else (0, len(paragraph.text))
    text = paragraph.text[start:end].strip()
    offset = paragraph.text.index(text, start)
    return Evidence(article_id, 1, text, paragraph.start + offset, paragraph.start + offset + len(text), 1.0)
