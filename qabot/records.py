"""The small frozen records that flow down the pipeline.

ingest -> Article -> chunking -> Chunk -> (snapshot) -> retrieval -> Hit -> answer -> Answer.
Every offset is a character offset into `Article.text`, so any cited text can be checked
against the article it came from: ``article.text[c.start:c.end] == c.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph; `number` is 1-based, `start` its offset in `Article.text`."""

    number: int
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Article:
    """A cleaned news article: metadata plus body paragraphs.

    `text` is the paragraphs joined by a blank line ("\\n\\n"); `paragraphs[i].start` points
    into it. `id` is stable across rebuilds for the same source (path, or path#line for
    JSONL), and `content_hash` changes whenever the cleaned content or metadata does.
    """

    id: str
    title: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    path: str
    content_hash: str
    source: str = ""
    url: str | None = None
    published: str | None = None  # ISO date, "YYYY-MM-DD" (or "YYYY-MM" / "YYYY")
    author: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A file ingest could not use, with the one-line reason shown in the build summary."""

    path: str
    reason: str


@dataclass(frozen=True)
class Chunk:
    """A passage small enough for the embedding model, never crossing a paragraph.

    `id` is the row number inside one snapshot (FAISS id == SQLite id == BM25 column).
    """

    id: int
    article_id: str
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ArticleInfo:
    """What a citation needs to name an article (no body text)."""

    id: str
    title: str
    source: str
    url: str | None
    published: str | None
    author: str | None
    path: str
    also_in: tuple[str, ...] = ()  # other outlets that carried the same story


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and both component ranks (1-based)."""

    chunk: Chunk
    article: ArticleInfo
    score: float
    dense_rank: int | None = None
    dense_score: float | None = None
    bm25_rank: int | None = None
    bm25_score: float | None = None


@dataclass(frozen=True)
class Quote:
    """Words inside quotation marks, attributed to a speaker named in the article.

    `speaker` is the fullest form of the name the article uses ("Konstantin Kosachev");
    `text` is verbatim (without the quotation marks) and equals
    ``article.text[start:end]``.
    """

    article_id: str
    paragraph: int
    speaker: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Description:
    """How the article describes a person: "a fellow at the Institute of ..."."""

    article_id: str
    paragraph: int
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Citation:
    """A numbered source: the exact cited text, where it stands, and why it was found.

    `text` equals ``article.text[start:end]`` and lies inside paragraph `paragraph`,
    whose full text is `passage`.
    """

    number: int
    article: ArticleInfo
    paragraph: int
    text: str
    start: int
    end: int
    passage: str
    chunk_id: int
    score: float = 0.0
    dense_rank: int | None = None
    dense_score: float | None = None
    bm25_rank: int | None = None
    bm25_score: float | None = None


# What marks a reported statement ("reported: Kosachev said …") in every face.
REPORTED = "reported: "


@dataclass(frozen=True)
class Statement:
    """One sentence or quote of an answer and the citation number that backs it."""

    text: str
    citation: int
    speaker: str | None = None
    group: str | None = None  # a timeline's month or day ("March 2005"), shown as a subheading
    reported: bool = False  # the article's words for what `speaker` said, not a quotation: "reported: …"


@dataclass(frozen=True)
class Answer:
    """What `ask()` returns; faces only render it.

    `found` is False when the evidence was too weak: then `statements` is empty and
    `closest` lists the nearest passages, to be shown as such and never as an answer.
    """

    question: str
    found: bool
    statements: tuple[Statement, ...] = ()
    citations: tuple[Citation, ...] = ()
    closest: tuple[Citation, ...] = ()
    heading: str | None = None
    note: str | None = None
    subject: str | None = None  # the person the answer is about, for follow-ups
    filters: dict = field(default_factory=dict, compare=False)  # dates and sources applied (`--json`)
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        """Plain text with citation markers: "Sentence one. [1] Sentence two. [2]"."""
        parts = [self.heading] if self.heading else []
        parts += [f"{REPORTED if s.reported else ''}{s.text} [{s.citation}]" for s in self.statements]
        if not self.found:
            parts.append(self.note or "I couldn't find that in the indexed articles.")
        elif self.note:
            parts.append(self.note)
        return "\n".join(parts)
