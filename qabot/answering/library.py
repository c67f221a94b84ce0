"""The one entry for answering: `Library.open(settings).ask(question) -> Answer`.

A `Library` holds the embedding model and the current snapshot. Before each question it
checks (one small file read) whether a build has made a newer snapshot current and, if so,
switches to it; a new snapshot that fails to load (damaged, other model) is logged once,
never tried again, and the old one keeps serving. A replaced snapshot is closed as soon as
the last question still reading it is answered. `ask` is thread-safe and blocking: the
bot runs it in worker threads.

    >>> library = Library.open(load_settings())
    >>> print(library.ask("What did Kosachev say?").text)
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from qabot.answering.compose import (Sources, compose_generic, compose_said, compose_who, fullest_name, not_found,
                                     reported_on, reported_speech)
from qabot.answering.questions import parse_question
from qabot.answering.support import role_supported, role_words, someone_else
from qabot.answering.scope import answer_within, read_scope, today_for
from qabot.answering.timeline import parse_timeline, person_timeline, topic_timeline
from qabot.config import Settings
from qabot.errors import QabotError, QuestionError
from qabot.indexing import IndexFolder, Snapshot, SnapshotVanishedError
from qabot.records import Answer, ArticleInfo, Citation, Description, Quote
from qabot.search import CatalogCache, Retriever, Selection, open_retriever
from qabot.text import NameIndex, acronym_matches, matches, name_words, terms

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
TIMELINE_STATEMENTS = 20  # a timeline lists more than an answer's max_statements
LATEST_WORDS = re.compile(r"\b(?:latest|most\s+recent|newest|recently|news)\b", re.IGNORECASE)


@dataclass
class Conversation:
    """Per-chat memory for follow-ups ("what else did he say?"): the last subject and kind."""

    subject: str | None = None
    kind: str | None = None
    shown: int = 0


class SpeechIndex:
    """Who is quoted or described in a snapshot: distinct names in memory, quotes on demand.

    Only the distinct speaker and person names are held (a few thousand even for large
    corpora); the quotes and descriptions of the matched names are read from SQLite.
    """

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self.speakers = [row[0] for row in snapshot.query("SELECT DISTINCT speaker FROM quotes")]
        described = {row[0] for row in snapshot.query("SELECT DISTINCT name FROM descriptions")}
        mentioned = {row[0] for row in snapshot.query("SELECT DISTINCT name FROM people")}
        reporting = {row[0] for row in snapshot.query("SELECT DISTINCT speaker FROM reported")} \
            if snapshot.has_reported else set()
        self.names = sorted(described | mentioned | reporting | set(self.speakers))
        self.speaker_index = NameIndex(self.speakers)
        self.name_index = NameIndex(self.names)

    def article_text(self, article_id: str) -> str:
        rows = self.snapshot.query("SELECT text FROM articles WHERE id = ?", [article_id])
        return rows[0][0] if rows else ""

    def quotes_by(self, person: str, distinct: bool = False) -> list[Quote]:
        """`distinct`: each quote once however many articles repeat it (see `Snapshot.quotes_by`).
        A quote stored under a bare surname is left out when its article means someone else by
        it (`support.someone_else`: "Campbell" is Kevin Campbell, not the Naomi Campbell asked)."""
        return self._not_someone_else(person, self.snapshot.quotes_by(self._surnamed(person, self.speaker_index.find(person)), distinct))

    def _not_someone_else(self, person: str, quotes: list[Quote]) -> list[Quote]:
        """Without the quotes stored under a bare surname whose article means someone else by it."""
        texts: dict[str, str] = {}
        for quote in quotes if len(name_words(person)) > 1 else ():
            if " " not in quote.speaker.strip() and quote.article_id not in texts:
                texts[quote.article_id] = self.article_text(quote.article_id)
        return [q for q in quotes if q.article_id not in texts or not someone_else(person, q.speaker, texts[q.article_id])]

    def descriptions_of(self, person: str, distinct: bool = False) -> list[Description]:
        """How the articles describe `person` (only people with the asked surname, when one
        has it)."""
        return self.snapshot.descriptions_of(self._surnamed(person, self.name_index.find(person)), distinct)

    def reported_by(self, person: str) -> list[Quote]:
        """Sentences reporting what `person` said (`qabot.news.extract_reported`), each once;
        one stored under a bare surname is left out as in `quotes_by`."""
        return self._not_someone_else(person, self.snapshot.reported_by(self._surnamed(person, self.name_index.find(person))))

    def mentioned(self, person: str) -> list[str]:
        return self._surnamed(person, self.name_index.find(person))

    def _surnamed(self, person: str, found: list[str]) -> list[str]:
        """Of the names matching `person`, those with its last word, when some indexed name has
        it: "Kelly Holmes" is "Holmes", not the "Kelly" who is Ruth Kelly, and "Bruce Willis"
        (mentioned, never quoted) is not the "Williams" a typo would match. A last word no
        name has keeps every match, so a misspelt "Kosachov" still finds Kosachev."""
        words = name_words(person)
        if not words or words[-1] not in self.name_index.by_word:
            return found
        # ... and a body the person is the acronym of, or spells out ("UKIP", "UK Independence Party")
        return [name for name in found if words[-1] in name_words(name) or acronym_matches(person, name)]

    def quote_counts(self) -> dict[str, int]:
        return dict(self.snapshot.query("SELECT speaker, count(*) FROM quotes GROUP BY speaker"))

    def first_described(self) -> str | None:
        rows = self.snapshot.query("SELECT name FROM descriptions LIMIT 1")
        return rows[0][0] if rows else None


class Loaded:
    """One snapshot with everything derived from it; swapped as a whole on reload."""

    def __init__(self, snapshot: Snapshot, embedder, settings: Settings):
        self.snapshot = snapshot
        self.readers = 0  # questions answering from it right now
        self.retired = False  # replaced by a newer snapshot: close when readers reaches 0
        self.retriever = open_retriever(snapshot, embedder, settings)  # by [backend] kind
        self.speech = SpeechIndex(snapshot)
        self.catalog = CatalogCache(snapshot)  # dates and sources, read on the first filtered question
        self.article_cache: dict[str, ArticleInfo] = {}
        self.sources = Sources(
            paragraph=snapshot.paragraph,
            article=self.article,
            term_weight=snapshot.bm25.term_weight,
            term_known=snapshot.bm25.vocabulary.__contains__,
        )

    def close(self) -> None:
        """Close the snapshot and the retriever's own connection (Milvus), once no question reads them."""
        self.snapshot.close()
        self.retriever.close()

    def article(self, article_id: str) -> ArticleInfo:
        if article_id not in self.article_cache:
            self.article_cache.update(self.snapshot.articles([article_id]))
        return self.article_cache[article_id]


class Library:
    """The embedding model plus the current snapshot; see the module docstring."""

    def __init__(self, settings: Settings, embedder, loaded: Loaded, folder: IndexFolder):
        self.settings = settings
        self.embedder = embedder
        self.folder = folder
        self._loaded = loaded
        self._lock = threading.Lock()  # one reload at a time
        self._lease_lock = threading.Lock()  # guards Loaded.readers / retired; held only briefly
        self._refused: str | None = None  # a snapshot that failed to load: not tried again

    @classmethod
    def open(cls, settings: Settings) -> "Library":
        """Load the model and the current snapshot; QabotError with a fix if either fails.

        A library only encodes questions, so where the model allows it they are encoded
        without torch (`qabot.embedding.query_encoder`): a one-shot `qabot ask` starts in about a
        second instead of five, and a warm question costs ~10 ms instead of contending
        with FAISS's threads.
        """
        from qabot.embedding import load_embedder

        folder = IndexFolder(settings.index_dir)
        folder.current_path()  # fails early, before the model load, if no index
        embedder = load_embedder(settings.model, for_queries_only=True, models_dir=settings.index_dir / "models")
        snapshot = folder.open_current(expected_model_id=embedder.model_id)
        return cls(settings, embedder, Loaded(snapshot, embedder, settings), folder)

    @property
    def snapshot(self) -> Snapshot:
        return self._loaded.snapshot

    @property
    def retriever(self) -> Retriever:
        """The current snapshot's retriever (for measuring retrieval beside `ask`)."""
        return self._loaded.retriever

    @property
    def loaded(self) -> Loaded:
        """The current snapshot and what is derived from it, after a check for a newer one.

        Unlike `ask`, this takes no lease: a caller that works on it for long (the alerts
        of `qabot.answering.news`) can see it closed if two builds replace it meanwhile."""
        self.refresh()
        return self._loaded

    def refresh(self) -> bool:
        """Switch to a newer current snapshot if a build made one; True if switched."""
        try:
            name = self.folder.current_name()
        except QabotError as err:  # CURRENT itself is garbage: keep serving, say so once
            self._refuse("CURRENT", err)
            return False
        if name is None or name == self._loaded.snapshot.manifest.name or name == self._refused:
            return False
        with self._lock:
            if name == self._loaded.snapshot.manifest.name or name == self._refused:
                return False
            try:
                # Becoming current is when every file is hashed (a plain open only stats them).
                snapshot = Snapshot.load(self.folder.snapshots / name, expected_model_id=self.embedder.model_id,
                                         verify=True)
            except SnapshotVanishedError:
                return False  # already replaced by a newer one: the next question finds it
            except QabotError as err:
                self._refuse(name, err)
                return False
            try:
                fresh = Loaded(snapshot, self.embedder, self.settings)
            except QabotError as err:
                snapshot.close()
                self._refuse(name, err)
                return False
            with self._lease_lock:
                old, self._loaded = self._loaded, fresh
                old.retired = True
                idle = old.readers == 0
            if idle:
                old.close()
        log.info("now answering from snapshot %s", name)
        return True

    def _refuse(self, name: str, err: QabotError) -> None:
        if self._refused != name:
            self._refused = name
            log.error("keeping snapshot %s: the new snapshot %s cannot be used: %s",
                      self._loaded.snapshot.manifest.name, name, err)

    @contextmanager
    def _lease(self) -> Iterator[Loaded]:
        """The current snapshot, kept open until the caller is done with it."""
        with self._lease_lock:
            loaded = self._loaded
            loaded.readers += 1
        try:
            yield loaded
        finally:
            with self._lease_lock:
                loaded.readers -= 1
                done = loaded.retired and loaded.readers == 0
            if done:
                loaded.close()

    def ask(self, question: str, *, top_k: int | None = None, conversation: Conversation | None = None,
            since: date | None = None, until: date | None = None, sources: Sequence[str] = ()) -> Answer:
        """Answer one question from the indexed articles, every statement cited.

        Time and source in the question ("last week", "according to the BBC"), or given
        as `since` / `until` / `sources`, limit the articles searched (`qabot.answering.scope`).
        """
        question = check_question(question)
        self.refresh()
        started = time.perf_counter()
        timings: dict[str, float] = {}
        conv = conversation or Conversation()
        k = top_k or self.settings.retrieval.top_k
        with self._lease() as loaded:
            catalog = loaded.catalog.get
            asked = read_scope(question, catalog, today_for(self.settings.answer.today, catalog),
                               is_person=lambda name: bool(loaded.speech.mentioned(name)),
                               since=since, until=until, sources=sources)
            parsed = parse_question(asked.question, previous_subject=conv.subject, previous_kind=conv.kind)
            answer = answer_within(question, asked, catalog,
                                   lambda selection: self._answer(parsed, asked.question, loaded, k, timings, selection))
        timings["total"] = time.perf_counter() - started
        conv.subject = answer.subject or parsed.person or conv.subject
        conv.kind = parsed.kind
        return Answer(**{**answer.__dict__, "timings": timings})

    def _answer(self, parsed, question: str, loaded: Loaded, k: int, timings: dict[str, float],
                selection: Selection | None = None) -> Answer:
        s = self.settings.answer
        speech = loaded.speech
        mask = selection.mask if selection is not None else None

        def within(found: list) -> list:
            return found if selection is None else [x for x in found if x.article_id in selection.articles]

        timeline = self._timeline(question, loaded, within, mask, timings)
        if timeline is not None:
            return timeline
        # An answer shows each quote once, so a quote repeated across articles is read once;
        # under a filter every copy is read, since the first one may lie outside it.
        distinct = selection is None
        if parsed.kind == "said" and parsed.person:
            quotes = within(speech.quotes_by(parsed.person, distinct))
            if quotes:
                descriptions = speech.descriptions_of(parsed.person, distinct=True)
                wrong_role = _unsupported_role(question, parsed.person, fullest_name(q.speaker for q in quotes),
                                               descriptions, loaded, k)
                if wrong_role:
                    return wrong_role
                tick = time.perf_counter()
                reported = self._reported(parsed, parsed.person, loaded, within)
                answer = compose_said(
                    question, parsed.person, quotes, descriptions, loaded.sources, reported=reported,
                    max_statements=max(s.max_statements, len(quotes)) if not parsed.topic else s.max_statements,
                    topic=parsed.topic,
                    topic_relevance=_topic_relevance(parsed.topic, loaded) if parsed.topic else None,
                    topic_support=_topic_support(parsed.topic, loaded, quotes) if parsed.topic else None,
                    min_topic_support=s.min_relevance,
                )
                timings["answer"] = time.perf_counter() - tick
                return answer
            mentioned = speech.mentioned(parsed.person)
            if mentioned:
                reported = self._reported(parsed, parsed.person, loaded, within)
                if reported:  # "Mr Kilroy-Silk accused his fellow UKIP MEPs of …": said, not quoted
                    return compose_said(question, parsed.person, [], speech.descriptions_of(parsed.person, True), loaded.sources,
                                        max_statements=s.max_statements, topic=parsed.topic, reported=reported)
                hits = loaded.retriever.search(mentioned[0], k, timings, mask)
                return not_found(question, hits, loaded.sources, subject=mentioned[0],
                                 note=f"{mentioned[0]} is mentioned in the indexed articles but not quoted.")
            # Nobody by that name is quoted or known: only sentences reporting their words
            # answer; sentences that merely mention the name are not their words.
            wrong_role = _unsupported_role(question, parsed.person, parsed.person.split()[-1], [], loaded, k)
            if wrong_role:  # "Russian President Kosachev": the words around the surname must be the articles'
                return wrong_role
            reported = self._reported(parsed, parsed.person, loaded, within) or self._unnamed(parsed, loaded, k, timings, mask)
            if reported:
                return compose_said(question, parsed.person, [], [], loaded.sources,
                                    max_statements=s.max_statements, topic=parsed.topic, reported=reported)
            hits = loaded.retriever.search(parsed.person, k, timings, mask)
            return not_found(question, hits, loaded.sources,
                             note=f"I couldn't find anything {parsed.person} said in the indexed articles.")
        if parsed.kind == "who" and parsed.person:
            # Only descriptions of someone with the asked surname ("Paul King" is not "Paul Cherney").
            surname = parsed.person.split()[-1]
            descriptions = within([d for d in speech.descriptions_of(parsed.person, distinct) if matches(surname, d.name)])
            if descriptions:
                wrong_role = _unsupported_role(question, parsed.person, descriptions[0].name, descriptions, loaded, k)
                if wrong_role:
                    return wrong_role
                return compose_who(question, parsed.person, descriptions, loaded.sources, max_statements=s.max_statements)
        if parsed.kind == "who" and parsed.person:
            wrong_role = _unsupported_role(question, parsed.person, _name_part(parsed.person), [], loaded, k)
            if wrong_role:
                return wrong_role
        query = parsed.text if parsed.person is None or parsed.person.casefold() in parsed.text.casefold() else f"{parsed.text} {parsed.person}"
        if parsed.kind == "latest":  # "latest" is about dates, not a word to search for
            query = LATEST_WORDS.sub(" ", query)
        hits = loaded.retriever.search(query, k, timings, mask)
        if parsed.kind == "latest":
            hits = sorted(hits, key=lambda h: h.article.published or "", reverse=True)
        tick = time.perf_counter()
        answer = compose_generic(query, hits, loaded.sources, max_statements=s.max_statements,
                                 min_relevance=s.min_relevance, min_similarity=s.min_similarity,
                                 prefer_dates=parsed.kind == "when")
        timings["answer"] = time.perf_counter() - tick
        if parsed.person and answer.found:
            answer = Answer(**{**answer.__dict__, "subject": parsed.person})
        return answer

    def _reported(self, parsed, name: str, loaded: Loaded, within) -> list:
        """Sentences reporting what `name` said about the question's topic, as the index
        stores them (`reported_on`), within the question's period and outlets."""
        return reported_on(within(loaded.speech.reported_by(name)), parsed.topic, loaded.sources,
                           min_relevance=self.settings.answer.min_relevance)

    def _unnamed(self, parsed, loaded: Loaded, k: int, timings: dict[str, float], mask=None) -> list:
        """What a speaker no indexed name matches said ("the IAAF spokesman"), found at
        answer time (`reported_speech`): the stored reported speech holds named people only."""
        surname = parsed.person.split()[-1]
        hits = loaded.retriever.search(f"{parsed.person} {parsed.topic or ''}".strip(), k, timings, mask)
        found = reported_speech(surname, parsed.topic, hits, loaded.sources,
                                min_relevance=self.settings.answer.min_relevance)
        # Found by the surname alone: not from an article that means someone else by it (as for quotes).
        return [e for e in found if not someone_else(parsed.person, surname, loaded.speech.article_text(e.article_id))]

    def _timeline(self, question: str, loaded: Loaded, within, mask, timings: dict[str, float]) -> Answer | None:
        """A timeline answer ("timeline of X on Y"), or None when the question is not one."""
        asked = parse_timeline(question)
        if asked is None:
            return None
        tick = time.perf_counter()
        quotes = within(loaded.speech.quotes_by(asked.subject))
        if quotes:
            answer = person_timeline(question, asked.subject, quotes, loaded.sources,
                                     topic=asked.topic, max_statements=TIMELINE_STATEMENTS)
        else:
            topic = " ".join(filter(None, (asked.subject, asked.topic)))
            hits = loaded.retriever.search(topic, min(self.settings.retrieval.candidates, 30), timings, mask)
            answer = topic_timeline(question, topic, hits, loaded.sources,
                                    min_relevance=self.settings.answer.min_relevance, max_statements=TIMELINE_STATEMENTS)
        timings["answer"] = time.perf_counter() - tick
        return answer

    def status(self) -> dict:
        """What the current snapshot holds, for `/status` and `qabot index status`."""
        self.refresh()
        with self._lease() as loaded:
            return snapshot_status(loaded.snapshot)

    def passage(self, article_id: str, paragraph: int) -> Citation | None:
        """A whole paragraph as a citation (number 0), or None if it is no longer indexed."""
        self.refresh()
        with self._lease() as loaded:
            snapshot = loaded.snapshot
            ids = snapshot.article_ids_with_prefix(article_id)
            if len(ids) != 1:
                return None
            found = snapshot.paragraph(ids[0], paragraph)
            if found is None:
                return None
            return Citation(0, loaded.article(ids[0]), paragraph, found.text, found.start, found.end, found.text, -1)

    def example_questions(self, n: int = 3) -> list[str]:
        """Questions this index can answer, drawn from its quoted speakers and described people."""
        with self._lease() as loaded:
            by_count = loaded.speech.quote_counts()
            described = loaded.speech.first_described()
        speakers = sorted(by_count, key=lambda name: -by_count[name])
        out = [f"What did {name.split()[-1]} say?" for name in speakers if " " in name][: max(1, n - 1)]
        if described:
            out.append(f"Who is {described.split()[-1]}?")
        for name in speakers:
            if len(out) >= n:
                break
            question = f"What did {name} say?"
            if question not in out:
                out.append(question)
        return out[:n] or ["What is this article about?"]


def check_question(question: str) -> str:
    """Refuse what cannot be a question, politely and before any work is done."""
    text = " ".join(question.split())
    if not text:
        raise QuestionError("Please ask a question, e.g. \"What did Kosachev say?\"")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"That question is {len(text):,} characters long; please keep it under {MAX_QUESTION_CHARS:,}.")
    if not terms(text) and not any(ch.isalnum() for ch in text):
        raise QuestionError("That doesn't look like a question; try words, e.g. \"Who is Bogdanov?\"")
    return text


def _topic_relevance(topic: str, loaded: Loaded):
    """How much a quote is about the topic: IDF-weighted share of the topic's words it uses."""
    from qabot.answering.compose import question_coverage

    def relevance(quote: Quote) -> float:
        return question_coverage(topic, quote.text, loaded.snapshot.bm25.term_weight)

    return relevance


def _topic_support(topic: str, loaded: Loaded, quotes: Sequence[Quote]):
    """Share of the topic's weight in a quote's own paragraph and the one before it.

    "What did Michael Howard say about the Asian quake disaster?": the article names the
    disaster in the sentence that introduces the quotes, not inside them. Every name in the
    topic must be there too: "about Manchester United" is not supported by a paragraph on
    Manchester's voters (0 then). The paragraphs of all `quotes` are read in a few queries
    up front (Tony Blair's 121 quotes were 242 one-row reads, every copy's under a filter),
    and each quote's share is computed once, however often the composer asks.
    """
    from qabot.answering.compose import question_coverage
    from qabot.answering.sense import names_found, read_question

    asked = read_question(topic, topic=True)
    texts = _paragraph_texts(loaded.snapshot, {(q.article_id, n) for q in quotes for n in (q.paragraph - 1, q.paragraph)})
    known: dict[Quote, float] = {}
    spoke: dict[tuple[str, int], list[str]] = {}

    def support(quote: Quote) -> float:
        if quote not in known:
            around = [texts.get((quote.article_id, n)) for n in (quote.paragraph - 1, quote.paragraph)]
            context = f"{quote.text} " + " ".join(t for t in around if t is not None)
            # A topic that names someone quoted in the same paragraph must stand where this quote is
            # said: "What did Michael Moore say about Mel Gibson?" is not answered by Moore's quote in
            # a paragraph that goes on to Gibson's own words.
            others = _speakers_in(loaded.snapshot, quote, spoke)
            strict = any(names_found(asked, other) for other in others if other != quote.speaker)
            named = not asked.names or names_found(asked, _where_said(quote, *around) if strict else context)
            known[quote] = question_coverage(topic, context, loaded.snapshot.bm25.term_weight) if named else 0.0
        return known[quote]

    return support


def _speakers_in(snapshot: Snapshot, quote: Quote, known: dict[tuple[str, int], list[str]]) -> list[str]:
    """Who is quoted in the quote's paragraph (remembered in `known`)."""
    key = (quote.article_id, quote.paragraph)
    if key not in known:
        known[key] = [row[0] for row in snapshot.query(
            "SELECT DISTINCT speaker FROM quotes WHERE article_id = ? AND paragraph = ?", list(key))]
    return known[key]


def _where_said(quote: Quote, before: str | None, paragraph: str | None) -> str:
    """The quote, the sentence it stands in and the sentence before: where a topic's name must
    stand for the quote to be about it, when the topic is someone quoted in the same paragraph."""
    from qabot.text import split_sentences

    text = paragraph or ""
    at = text.find(quote.text)
    if at < 0:
        return f"{quote.text} {text}"
    spans = split_sentences(text)
    if not spans:
        return text
    first = next((i for i, (a, b) in enumerate(spans) if a <= at < b), 0)
    last = next((i for i, (a, b) in enumerate(spans) if a <= at + len(quote.text) - 1 < b), first)
    said = text[spans[max(0, first - 1)][0]:spans[last][1]]
    if first == 0 and before:  # the sentence before is the previous paragraph's last
        tail = split_sentences(before)
        said = f"{before[tail[-1][0]:tail[-1][1]] if tail else before} {said}"
    return said


def _paragraph_texts(snapshot: Snapshot, wanted: set[tuple[str, int]], batch: int = 400) -> dict[tuple[str, int], str]:
    """(article id, paragraph number) -> text, for those that exist, by the paragraphs' primary key."""
    pairs = sorted(wanted)
    texts: dict[tuple[str, int], str] = {}
    for i in range(0, len(pairs), batch):
        part = pairs[i:i + batch]
        # A join from the wanted pairs, so SQLite looks each up by the key; "(article_id, number)
        # IN (VALUES …)" scans the whole table (2.2 s at 1M chunks).
        rows = snapshot.query("WITH wanted(a, n) AS (VALUES " + ",".join(["(?,?)"] * len(part)) + ") SELECT p.article_id, "
                              "p.number, p.text FROM wanted JOIN paragraphs p ON p.article_id = wanted.a AND p.number = wanted.n",
                              [x for pair in part for x in pair])
        texts.update({(aid, number): text for aid, number, text in rows})
    return texts


def _name_part(asked: str) -> str:
    """The capitalised run at the end of "Chelsea striker Thierry Henry": "Thierry Henry"."""
    words = asked.split()
    run = []
    for word in reversed(words):
        if not word[:1].isupper() or len(run) == 2:
            break
        run.insert(0, word)
    return " ".join(run) or asked


def _unsupported_role(question: str, asked: str, name: str, descriptions: list[Description],
                      loaded: Loaded, k: int) -> Answer | None:
    """"Not found" when the question gives the person a role the articles never give them."""
    role = role_words(asked, name)
    if not role:
        return None
    if any(set(role) <= set(terms(d.text)[: len(role) + 2]) for d in descriptions if d.name == name):
        return None
    said_as = " ".join(w for w in asked.split() if set(terms(w)) & set(role))
    hits = loaded.retriever.search(f"{said_as} {name}", max(k, 10))
    if role_supported(role, name, (h.chunk.text for h in hits)):
        return None
    return not_found(question, hits, loaded.sources, subject=name,
                     note=f"I found {name} in the indexed articles, but nothing calling them {said_as}.")


def snapshot_status(snapshot: Snapshot) -> dict:
    m = snapshot.manifest
    return {
        "snapshot": m.name,
        "created": m.created,
        "articles": m.articles,
        "chunks": m.chunks,
        "quotes": m.quotes,
        "model": m.model_name,
        "model_id": m.model_id,
        "dimension": m.dimension,
        "faiss_index": m.faiss_index,
        "size_bytes": snapshot.size_on_disk(),
        "path": str(snapshot.directory),
    }
