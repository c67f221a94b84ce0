"""Answers for people at a terminal (rich markup) and for programs (`--json`).

The JSON shape is a contract, documented in docs/json.md; `JSON_VERSION` changes when a
field is removed or changes meaning (adding a field does not).
"""

from __future__ import annotations

from rich.markup import escape as _escape_markup

from qabot.records import REPORTED, Answer, Citation
from qabot.text import printable

JSON_VERSION = 1


def source_line(c: Citation) -> str:
    """"Title — Source, 2020-01-06, paragraph 4, https://..." (plain text)."""
    a = c.article
    parts = [a.title or a.path]
    tail = [p for p in (a.source, a.published, f"paragraph {c.paragraph}") if p]
    line = f"{parts[0]} — {', '.join(tail)}"
    line = f"{line} <{a.url}>" if a.url else f"{line} ({a.path})"
    return line + (f"; also in: {', '.join(a.also_in)}" if a.also_in else "")


def escape(text: str) -> str:
    """Text from an article made safe for a terminal: rich markup escaped, control
    characters (an ESC sequence inside an article) dropped."""
    return _escape_markup(printable(text))


def render_answer(answer: Answer) -> str:
    """Rich markup: the statements with [n] markers, then the numbered sources."""
    lines: list[str] = []
    if answer.heading:
        lines += [f"[bold]{escape(answer.heading)}[/bold]", ""]
    group = None
    for s in answer.statements:
        if s.group and s.group != group:  # a timeline's month or day
            group = s.group
            lines.append(f"[underline]{escape(group)}[/underline]")
        quoted = f"{REPORTED}{s.text}" if s.reported else f"“{s.text}”" if s.speaker else s.text
        lines.append(f"• {escape(quoted)} [cyan]\\[{s.citation}][/cyan]")
    if not answer.found:
        lines.append(f"[yellow]{escape(answer.note or '')}[/yellow]")
        if answer.closest:
            lines += ["", "[dim]Closest matches (not an answer):[/dim]"]
            for c in answer.closest:
                lines.append(f"  [dim]\\[{c.number}] {escape(_shorten(c.text))}[/dim]")
                lines.append(f"      [dim]{escape(source_line(c))}[/dim]")
        return "\n".join(lines)
    if answer.note:
        lines += ["", f"[dim]{escape(answer.note)}[/dim]"]
    if answer.citations:
        lines += ["", "[bold]Sources[/bold]"]
        for c in answer.citations:
            lines.append(f"  [cyan]\\[{c.number}][/cyan] {escape(source_line(c))}")
    return "\n".join(lines)


def answer_to_json(answer: Answer) -> dict:
    """The stable machine-readable shape (see docs/json.md)."""
    return {
        "version": JSON_VERSION,
        "question": answer.question,
        "found": answer.found,
        "heading": answer.heading,
        "answer": answer.text,
        "note": answer.note,
        "statements": [{"text": s.text, "citation": s.citation, "speaker": s.speaker, "group": s.group,
                        "reported": s.reported}
                       for s in answer.statements],
        "citations": [_citation_json(c) for c in answer.citations],
        "closest": [_citation_json(c) for c in answer.closest],
        "filters": answer.filters or None,
        "timings_ms": {k: round(v * 1000, 2) for k, v in answer.timings.items()},
    }


def _citation_json(c: Citation) -> dict:
    a = c.article
    return {
        "number": c.number,
        "article_id": a.id,
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "published": a.published,
        "author": a.author,
        "path": a.path,
        "also_in": list(a.also_in),
        "paragraph": c.paragraph,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "passage": c.passage,
        "scores": {
            "fused": c.score,
            "dense_rank": c.dense_rank,
            "dense_cosine": c.dense_score,
            "bm25_rank": c.bm25_rank,
            "bm25": c.bm25_score,
        },
    }


def _shorten(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
