"""The `qabot` command: parse, call the library, render, exit with a clear code.

Exit codes: 0 success (also for an honest "not found" answer), 1 a problem the message
explains (QabotError), 2 wrong usage. With `--json`, a problem is also printed on stdout
as `{"version": 1, "error": "...", "exit_code": 1}` (docs/json.md). Nothing from an
article or a file name reaches the terminal with its control characters (`qabot.text.safe`).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from qabot.config import Settings, load_settings
from qabot.errors import QabotError, QuestionError
from qabot.text import printable, shown

app = typer.Typer(
    help="Ask questions about your news articles; every answer cites its article and paragraph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
index_app = typer.Typer(help="Build, rebuild and inspect the index.", no_args_is_help=True)
app.add_typer(index_app, name="index")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class State:
    config: Optional[Path] = None
    as_json: bool = False  # the command asked for JSON: errors are printed as JSON too


@app.callback()
def _global(
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="config file (default: ./config.toml or $QABOT_CONFIG)"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="log what happens"),
) -> None:
    State.config = config
    State.as_json = False  # set by the command that takes --json
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)


def settings() -> Settings:
    return load_settings(State.config)


RAY_OPTION = typer.Option(None, "--ray", metavar="auto|ADDRESS",
                          help='embed uncached chunks on a Ray cluster: "auto" (the local one) or its address')


@index_app.command("build")
def index_build(fetch: bool = typer.Option(False, "--fetch", help="first download what is new from the sources (`qabot fetch`)"),
                ray: Optional[str] = RAY_OPTION) -> None:
    """Build or update the index from the configured article paths (only changes are re-done)."""
    if fetch:
        from qabot.faces.cli_sources import run_fetch

        run_fetch(settings(), out, err)
    _build(from_scratch=False, use_cache=True, ray_address=ray)


@index_app.command("rebuild")
def index_rebuild(no_cache: bool = typer.Option(False, "--no-cache", help="re-embed every chunk, ignoring the embedding cache"),
                  ray: Optional[str] = RAY_OPTION) -> None:
    """Build the index from scratch (the embedding cache is still used unless --no-cache)."""
    _build(from_scratch=True, use_cache=not no_cache, ray_address=ray)


def _build(from_scratch: bool, use_cache: bool, ray_address: Optional[str] = None) -> None:
    from qabot.faces.progress import BuildProgress
    from qabot.indexing import build_index

    s = settings()
    with BuildProgress(err) as progress:
        report = build_index(s, from_scratch=from_scratch, use_cache=use_cache, progress=progress.update,
                             ray_address=ray_address)
    if report.replaced_damaged:
        out.print(f"The current snapshot was damaged, so it was rebuilt: {report.replaced_damaged}", markup=False)
    if report.up_to_date:
        out.print(f"Index is up to date: {_count(report.articles, 'article')}, {_count(report.chunks, 'chunk')} "
                  f"(snapshot {report.snapshot}).")
        return
    out.print(
        f"Indexed {_count(report.articles, 'article')} into {_count(report.chunks, 'chunk')} in {report.seconds:.1f} s "
        f"({report.new} new, {report.changed} changed, {report.deleted} deleted; "
        f"{_count(report.embedded, 'chunk')} embedded, the rest from cache). Snapshot {report.snapshot}."
    )
    if report.milvus:
        m = report.milvus
        how = f"written whole ({m.reason})" if m.whole else "brought up to date"
        out.print(f"Milvus collection {m.collection} {how}: {m.upserted} rows upserted, {m.deleted} deleted.")
    if report.copies:
        out.print(f"Merged {report.copies} copies of stories already indexed (syndicated or duplicated); "
                  f"answers cite one copy and say where else it appeared.")
    if report.skipped:
        out.print(f"Skipped {_count(len(report.skipped), 'file')}:")
        for skipped in report.skipped:
            out.print(f"  {shown(skipped.path)}: {shown(skipped.reason)}", markup=False)


@index_app.command("status")
def index_status() -> None:
    """What the current snapshot holds, whether the articles changed since, and whether its
    files still match their checksums (exit code 1 and the damaged file named if not)."""
    from qabot.indexing import IndexFolder, Manifest, damaged_files, files_fingerprint

    s = settings()
    folder = IndexFolder(s.index_dir)
    path = folder.current_path()
    manifest = Manifest.read(path)
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    changed = files_fingerprint(s, manifest.model_name) != manifest.files_fingerprint
    damaged = damaged_files(path, manifest.checksums)
    if damaged:
        integrity = "DAMAGED: " + "; ".join(f"{name} ({why})" for name, why in damaged)
    elif manifest.checksums:
        integrity = f"{len(manifest.checksums)} files match their checksums"
    else:
        integrity = "no checksums (built before they existed); `qabot index verify` checks the rest"
    rows = [
        ("snapshot", manifest.name),
        ("created", manifest.created),
        ("articles", str(manifest.articles)),
        ("chunks", str(manifest.chunks)),
        ("quotes", str(manifest.quotes)),
        ("model", f"{manifest.model_name} ({manifest.dimension} dimensions)"),
        ("vector index", manifest.faiss_index),
        ("size on disk", f"{size / 1e6:.1f} MB"),
        ("location", shown(str(path))),
        ("articles on disk", "changed since this snapshot — run `qabot index build`" if changed else "unchanged"),
        ("integrity", integrity),
    ]
    for key, value in rows:
        out.print(f"{key:>17}: {value}", markup=False)
    if damaged:
        raise QabotError(f"index snapshot {manifest.name}: {damaged[0][0]} is damaged; run `qabot index build` "
                         f"(it rebuilds a damaged snapshot)")


@index_app.command("verify")
def index_verify() -> None:
    """Check the current snapshot fully: checksums, SQLite integrity, tables, finite vectors and
    BM25 weights, and that it loads. Exit code 1 if anything is wrong."""
    from qabot.indexing import IndexFolder, verify_snapshot

    report = verify_snapshot(IndexFolder(settings().index_dir).current_path())
    out.print(f"snapshot {report.snapshot} ({report.path})", markup=False)
    for check in report.checks:
        out.print(f"  {check.name:>9}: {'ok' if check.problem is None else 'DAMAGED'}  {check.problem or check.note}",
                  markup=False)
    if not report.ok:
        raise QabotError(f"index snapshot {report.snapshot} is damaged; run `qabot index build` (it rebuilds a "
                         f"damaged snapshot)")


@app.command()
def ask(
    question: str = typer.Argument(..., help="the question, in quotes"),
    as_json: bool = typer.Option(False, "--json", help="print the answer as JSON (see docs/json.md)"),
    top_k: Optional[int] = typer.Option(None, "--top-k", "-k", min=1, max=50, help="how many passages to use"),
    since: Optional[str] = typer.Option(None, "--since", help="only articles published on or after this date (2005-03-01)"),
    until: Optional[str] = typer.Option(None, "--until", help="only articles published on or before this date (2005-04-30)"),
    source: list[str] = typer.Option([], "--source", help="only articles from this source (repeatable), e.g. BBC"),
) -> None:
    """Answer one question from the indexed articles (time and source in the question work too)."""
    from qabot.answering import Library, check_question
    from qabot.faces.render_terminal import answer_to_json, render_answer

    State.as_json = as_json
    if any("\udc80" <= ch <= "\udcff" for ch in question):  # argv bytes that were not UTF-8
        raise QuestionError(f"the question {shown(question)} holds bytes that are not UTF-8; "
                            "ask from a UTF-8 terminal (e.g. LANG=C.UTF-8)")
    question = printable(question)  # an ESC sequence or other control character is dropped
    check_question(question)  # refuse an empty or huge question before loading anything
    first, last = _date_option("--since", since), _date_option("--until", until)
    if first and last and first > last:
        _usage(f"--since {first} is after --until {last}; nothing could match")
    library = Library.open(settings())
    answer = library.ask(question, top_k=top_k, since=first, until=last, sources=source)
    if as_json:
        sys.stdout.write(json.dumps(answer_to_json(answer), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(render_answer(answer))


def _date_option(flag: str, value: Optional[str]):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _usage(f"{flag} {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2005-03-01")


def _usage(message: str):
    """Wrong usage: one line on stderr, exit code 2."""
    err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(2)


@app.command()
def chat(top_k: Optional[int] = typer.Option(None, "--top-k", "-k", min=1, max=50, help="how many passages to use")) -> None:
    """Ask questions one after another (follow-ups like "what else did he say?" work)."""
    from qabot.faces.chat import run_chat

    run_chat(settings(), out, top_k=top_k)


@app.command("eval")
def eval_command(
    beir: Optional[Path] = typer.Option(None, "--beir", help="a BEIR folder: corpus.jsonl, queries.jsonl, qrels/test.tsv"),
    squad: Optional[Path] = typer.Option(None, "--squad", help="a SQuAD v1.1 JSON file"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="only the first N queries"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
) -> None:
    """Measure BM25 alone, dense alone and the hybrid on a public dataset (throw-away index)."""
    State.as_json = as_json
    from qabot.faces.cli_eval import run_eval

    run_eval(settings(), out, beir, squad, limit, as_json)


@app.command()
def bot() -> None:
    """Run the Telegram bot (token from $TELEGRAM_BOT_TOKEN; see docs/telegram.md)."""
    from qabot.faces.telegram import run_bot

    run_bot(settings())


from qabot.faces.cli_sources import register as _register_sources  # noqa: E402 (needs app and settings)

_register_sources(app, settings, out, err)


def main() -> None:
    """Console entry: user-facing errors become one line on stderr and exit code 1."""
    try:
        app()
    except QabotError as error:
        message = shown(str(error))
        if State.as_json:
            sys.stdout.write(json.dumps({"version": 1, "error": message, "exit_code": 1}, ensure_ascii=False) + "\n")
        err.print(f"[red]error:[/red] {escape(message)}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


def _count(number: int, noun: str) -> str:
    """A count and its noun, "1 article" but "17 chunks": the summary reads as a sentence either way."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
