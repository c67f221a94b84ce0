"""The `qabot` command: parse, call the library, render, exit with a clear code.

Exit codes: 0 success (also for an honest "not found" answer), 1 a problem the message
explains (QabotError), 2 wrong usage.
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
from qabot.errors import QabotError

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


@app.callback()
def _global(
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="config file (default: ./config.toml or $QABOT_CONFIG)"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="log what happens"),
) -> None:
    State.config = config
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)


def settings() -> Settings:
    return load_settings(State.config)


RAY_OPTION = typer.Option(None, "--ray", metavar="auto|ADDRESS",
                          help='embed uncached chunks on a Ray cluster: "auto" (the local one) or its address')


@index_app.command("build")
def index_build(ray: Optional[str] = RAY_OPTION) -> None:
    """Build or update the index from the configured article paths (only changes are re-done)."""
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
    if report.up_to_date:
        out.print(f"Index is up to date: {report.articles} articles, {report.chunks} chunks (snapshot {report.snapshot}).")
        return
    out.print(
        f"Indexed {report.articles} articles into {report.chunks} chunks in {report.seconds:.1f} s "
        f"({report.new} new, {report.changed} changed, {report.deleted} deleted; "
        f"{report.embedded} chunks embedded, the rest from cache). Snapshot {report.snapshot}."
    )
    if report.skipped:
        out.print(f"Skipped {len(report.skipped)} files:")
        for skipped in report.skipped:
            out.print(f"  {skipped.path}: {skipped.reason}", markup=False)


@index_app.command("status")
def index_status() -> None:
    """What the current snapshot holds, and whether the articles changed since."""
    from qabot.indexing import IndexFolder, Manifest, files_fingerprint

    s = settings()
    folder = IndexFolder(s.index_dir)
    path = folder.current_path()
    manifest = Manifest.read(path)
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    changed = files_fingerprint(s, manifest.model_name) != manifest.files_fingerprint
    rows = [
        ("snapshot", manifest.name),
        ("created", manifest.created),
        ("articles", str(manifest.articles)),
        ("chunks", str(manifest.chunks)),
        ("quotes", str(manifest.quotes)),
        ("model", f"{manifest.model_name} ({manifest.dimension} dimensions)"),
        ("vector index", manifest.faiss_index),
        ("size on disk", f"{size / 1e6:.1f} MB"),
        ("location", str(path)),
        ("articles on disk", "changed since this snapshot — run `qabot index build`" if changed else "unchanged"),
    ]
    for key, value in rows:
        out.print(f"{key:>17}: {value}", markup=False)


@app.command()
def ask(
    question: str = typer.Argument(..., help="the question, in quotes"),
    as_json: bool = typer.Option(False, "--json", help="print the answer as JSON (see docs/json.md)"),
    top_k: Optional[int] = typer.Option(None, "--top-k", "-k", min=1, max=50, help="how many passages to use"),
) -> None:
    """Answer one question from the indexed articles."""
    from qabot.answering import Library, check_question
    from qabot.faces.render_terminal import answer_to_json, render_answer

    check_question(question)  # refuse an empty or huge question before loading anything
    library = Library.open(settings())
    answer = library.ask(question, top_k=top_k)
    if as_json:
        sys.stdout.write(json.dumps(answer_to_json(answer), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(render_answer(answer))


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
    from qabot.faces.cli_eval import run_eval

    run_eval(settings(), out, beir, squad, limit, as_json)


@app.command()
def bot() -> None:
    """Run the Telegram bot (token from $TELEGRAM_BOT_TOKEN; see docs/telegram.md)."""
    from qabot.faces.telegram import run_bot

    run_bot(settings())


def main() -> None:
    """Console entry: user-facing errors become one line on stderr and exit code 1."""
    try:
        app()
    except QabotError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
