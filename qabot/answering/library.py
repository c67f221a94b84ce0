"""The one entry for answering: `Library.open(settings).ask(question) -> Answer`.

A `Library` holds the embedding model and the current snapshot. Before each question it
checks (one small file read) whether a build has made a newer snapshot current and, if so,
switches to it; a new snapshot that fails to load is logged and the old one keeps serving.
`ask` is thread-safe and blocking: the bot runs it in worker threads.

    >>> library = Library.open(load_settings())
    >>> print(library.ask("What did Kosachev say?").text)
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass

from qabot.answering.compose import Sources, compose_generic, compose_said, compose_who, not_found
from qabot.answering.questions import parse_question
from qabot.config import Settings
from qabot.errors import QabotError, QuestionError
from qabot.indexing import IndexFolder, Snapshot
from qabot.records import Answer, ArticleInfo, Citation, Description, Quote
from qabot.search import open_retriever
from qabot.text import NameIndex, terms

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
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
        self.names = sorted(described | mentioned | set(self.speakers))
        self.speaker_index = NameIndex(self.speakers)
        self.name_index = NameIndex(self.names)

    def quotes_by(self, person: str) -> list[Quote]:
        return self.snapshot.quotes_by(self.speaker_index.find(person))

    def descriptions_of(self, person: str) -> list[Description]:
        return self.snapshot.descriptions_of(self.name_index.find(person))

    def mentioned(self, person: str) -> list[str]:
        return self.name_index.find(person)

    def quote_counts(self) -> dict[str, int]:
        return dict(self.snapshot.query("SELECT speaker, count(*) FROM quotes GROUP BY speaker"))

    def first_described(self) -> str | None:
        rows = self.snapshot.query("SELECT name FROM descriptions LIMIT 1")
        return rows[0][0] if rows else None


class Loaded:
    """One snapshot with everything derived from it; swapped as a whole on reload."""

    def __init__(self, snapshot: Snapshot, embedder, settings: Settings):
        self.snapshot = snapshot
        self.retriever = open_retriever(snapshot, embedder, settings)  # by [backend] kind
        self.speech = SpeechIndex(snapshot)
        self.article_cache: dict[str, ArticleInfo] = {}
        self.sources = Sources(
            paragraph=snapshot.paragraph,
            article=self.article,
            term_weight=snapshot.bm25.term_weight,
        )

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
        self._lock = threading.Lock()

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
        path = folder.current_path()  # fails early, before the model load, if no index
        embedder = load_embedder(settings.model, for_queries_only=True)
        snapshot = Snapshot.load(path, expected_model_id=embedder.model_id)
        return cls(settings, embedder, Loaded(snapshot, embedder, settings), folder)

    @property
    def snapshot(self) -> Snapshot:
        return self._loaded.snapshot

    def refresh(self) -> bool:
        """Switch to a newer current snapshot if a build made one; True if switched."""
        name = self.folder.current_name()
        if name is None or name == self._loaded.snapshot.manifest.name:
            return False
        with self._lock:
            if name == self._loaded.snapshot.manifest.name:
                return False
            try:
                snapshot = Snapshot.load(self.folder.snapshots / name, expected_model_id=self.embedder.model_id)
                self._loaded = Loaded(snapshot, self.embedder, self.settings)
            except QabotError as err:
                log.error("keeping snapshot %s: the new snapshot %s cannot be used: %s",
                          self._loaded.snapshot.manifest.name, name, err)
                return False
        log.info("now answering from snapshot %s", name)
        return True

    def ask(self, question: str, *, top_k: int | None = None, conversation: Conversation | None = None) -> Answer:
        """Answer one question from the indexed articles, every statement cited."""
        question = check_question(question)
        self.refresh()
        loaded = self._loaded
        started = time.perf_counter()
        timings: dict[str, float] = {}
        conv = conversation or Conversation()
        parsed = parse_question(question, previous_subject=conv.subject, previous_kind=conv.kind)
        k = top_k or self.settings.retrieval.top_k
        answer = self._answer(parsed, question, loaded, k, timings)
        timings["total"] = time.perf_counter() - started
        conv.subject = answer.subject or parsed.person or conv.subject
        conv.kind = parsed.kind
        return Answer(**{**answer.__dict__, "timings": timings})

    def _answer(self, parsed, question: str, loaded: Loaded, k: int, timings: dict[str, float]) -> Answer:
        s = self.settings.answer
        speech = loaded.speech
        if parsed.kind == "said" and parsed.person:
            quotes = speech.quotes_by(parsed.person)
            if quotes:
                tick = time.perf_counter()
                answer = compose_said(
                    question, parsed.person, quotes, speech.descriptions_of(parsed.person), loaded.sources,
                    max_statements=max(s.max_statements, len(quotes)) if not parsed.topic else s.max_statements,
                    topic=parsed.topic,
                    topic_relevance=_topic_relevance(parsed.topic, loaded) if parsed.topic else None,
                )
                timings["answer"] = time.perf_counter() - tick
                return answer
            mentioned = speech.mentioned(parsed.person)
            if mentioned:
                hits = loaded.retriever.search(mentioned[0], k, timings)
                return not_found(question, hits, loaded.sources, subject=mentioned[0],
                                 note=f"{mentioned[0]} is mentioned in the indexed articles but not quoted.")
        if parsed.kind == "who" and parsed.person:
            descriptions = speech.descriptions_of(parsed.person)
            if descriptions:
                return compose_who(question, parsed.person, descriptions, loaded.sources, max_statements=s.max_statements)
        query = parsed.text if parsed.person is None or parsed.person.casefold() in parsed.text.casefold() else f"{parsed.text} {parsed.person}"
        if parsed.kind == "latest":  # "latest" is about dates, not a word to search for
            query = LATEST_WORDS.sub(" ", query)
        hits = loaded.retriever.search(query, k, timings)
        if parsed.kind == "latest":
            hits = sorted(hits, key=lambda h: h.article.published or "", reverse=True)
        tick = time.perf_counter()
        answer = compose_generic(query, hits, loaded.sources, max_statements=s.max_statements,
                                 min_relevance=s.min_relevance, prefer_dates=parsed.kind == "when")
        timings["answer"] = time.perf_counter() - tick
        if parsed.person and answer.found:
            answer = Answer(**{**answer.__dict__, "subject": parsed.person})
        return answer

    def status(self) -> dict:
        """What the current snapshot holds, for `/status` and `qabot index status`."""
        self.refresh()
        return snapshot_status(self._loaded.snapshot)

    def passage(self, article_id: str, paragraph: int) -> Citation | None:
        """A whole paragraph as a citation (number 0), or None if it is no longer indexed."""
        self.refresh()
        snapshot = self._loaded.snapshot
        ids = snapshot.article_ids_with_prefix(article_id)
        if len(ids) != 1:
            return None
        found = snapshot.paragraph(ids[0], paragraph)
        if found is None:
            return None
        return Citation(0, self._loaded.article(ids[0]), paragraph, found.text, found.start, found.end, found.text, -1)

    def example_questions(self, n: int = 3) -> list[str]:
        """Questions this index can answer, drawn from its quoted speakers and described people."""
        speech = self._loaded.speech
        by_count = speech.quote_counts()
        speakers = sorted(by_count, key=lambda name: -by_count[name])
        out = [f"What did {name.split()[-1]} say?" for name in speakers if " " in name][: max(1, n - 1)]
        described = speech.first_described()
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
