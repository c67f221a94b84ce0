"""`qabot source add|list|remove` and `qabot fetch`: following news sites from the terminal.

`source add` looks at the URL (feed, sitemap or page; a page that advertises a feed is
offered the feed instead) and writes it into the `[sources]` section of the config file
with tomlkit, so the file keeps its comments and layout.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console
from rich.table import Table

from qabot.config import Settings
from qabot.errors import ConfigError, FetchError

source_app = typer.Typer(help="Follow news sites: feeds, sitemaps and single pages.", no_args_is_help=True)

_KINDS = ("feed", "sitemap", "page")


def register(app: typer.Typer, settings: Callable[[], Settings], out: Console, err: Console) -> None:
    """Add `qabot source ...` and `qabot fetch` to the main app."""

    @source_app.command("add")
    def add(url: str = typer.Argument(..., help="a feed, sitemap or article URL"),
            kind: Optional[str] = typer.Option(None, "--as", help="skip detection: feed, sitemap or page"),
            yes: bool = typer.Option(False, "--yes", "-y", help="follow an advertised feed without asking")) -> None:
        """Follow URL: detects whether it is a feed, a sitemap or a page, and saves it in the config file."""
        s = settings()
        if kind is not None and kind not in _KINDS:
            raise ConfigError(f"--as {kind!r} is not allowed; expected one of {', '.join(_KINDS)}")
        if kind is None:
            kind, feeds = asyncio.run(_detect(s, url))
            if kind == "page" and feeds:
                out.print(f"This page advertises a feed: {feeds[0]}", markup=False)
                if yes or typer.confirm("Follow the feed instead of this one page?", default=True):
                    url, kind = feeds[0], "feed"
        file = _config_file(s)
        if _edit_sources(file, kind + "s", url, add=True):
            out.print(f"Following {url} as a {kind} (written to {file}). Run `qabot fetch` to download it.", markup=False)
        else:
            out.print(f"Already following {url} as a {kind}.", markup=False)

    @source_app.command("remove")
    def remove(url: str = typer.Argument(..., help="the URL as `qabot source list` shows it")) -> None:
        """Stop following URL (articles already saved stay in the archive)."""
        from qabot.sources import STATE_FILE, FetchState

        s = settings()
        file = _config_file(s)
        if not any(_edit_sources(file, kind + "s", url, add=False) for kind in _KINDS):
            raise ConfigError(f"{file}: {url} is not among [sources] feeds, sitemaps or pages; see `qabot source list`")
        with FetchState(s.index_dir / STATE_FILE) as state:
            state.forget_source(url)
        out.print(f"No longer following {url}. Its saved articles stay in {s.archive_dir}.", markup=False)

    @source_app.command("list")
    def list_sources() -> None:
        """Every followed source with its last fetch time, status and article count."""
        from qabot.sources import STATE_FILE, FetchState, configured_sources

        s = settings()
        sources = configured_sources(s)
        if not sources:
            out.print("No sources yet; add one with `qabot source add URL`.")
            return
        table = Table(box=None)
        table.add_column("source", overflow="fold")  # a URL is shown whole, folded if need be
        for name in ("kind", "last fetch", "status", "new", "articles"):
            table.add_column(name, overflow="fold")
        with FetchState(s.index_dir / STATE_FILE) as state:
            for url, kind in sources:
                st = state.source_status(url)
                when = datetime.fromtimestamp(st.last_fetch).strftime("%Y-%m-%d %H:%M") if st and st.last_fetch else "never"
                status = (st.status + (f": {st.reason}" if st.reason else "")) if st else "-"
                table.add_row(url, kind.value, when, status, str(st.new if st else 0), str(st.total if st else 0))
        out.print(table)

    @app.command("fetch")
    def fetch() -> None:
        """Download what is new from every source into the archive (see `qabot source list`)."""
        run_fetch(settings(), out, err)

    app.add_typer(source_app, name="source")


def run_fetch(s: Settings, out: Console, err: Console) -> int:
    """Fetch with progress bars, print the summary; returns the number of new articles."""
    from qabot.faces.progress import BuildProgress
    from qabot.sources import configured_sources, fetch_sources

    if not configured_sources(s):
        raise ConfigError(f"{s.source}: no sources to fetch; add one with `qabot source add URL`")
    with BuildProgress(err) as progress:
        report = fetch_sources(s, progress=progress.update)
    out.print(f"Fetched {len(report.sources)} sources in {report.seconds:.1f} s: {report.new} new articles, "
              f"{report.unchanged} unchanged, {report.failed} failed.", markup=False)
    for source in report.sources:
        line = f"  {source.url}: "
        if source.failed:
            line += f"failed: {source.reason}"
        else:
            line += f"{source.new} new, {source.unchanged} unchanged" + (" (not modified)" if source.not_modified else "")
        out.print(line, markup=False)
        for item, reason in source.failed_items:
            out.print(f"    {item}: {reason}", markup=False)
    return report.new


async def _detect(s: Settings, url: str) -> tuple[str, list[str]]:
    from qabot.sources import Fetcher, advertised_feeds, detect_kind

    async with Fetcher(s.sources) as fetcher:
        response = await fetcher.get(url)
    if response.status >= 400:
        raise FetchError(f"{url}: HTTP {response.status}; check the address")
    kind = detect_kind(response.body, response.media_type)
    feeds = advertised_feeds(response.body, response.url) if kind.value == "page" else []
    return kind.value, feeds


def _config_file(s: Settings) -> Path:
    """The file `source add/remove` edit: the one in use, else a new ./config.toml."""
    return Path(s.source) if s.source != "built-in defaults" else Path("config.toml")


def _edit_sources(file: Path, key: str, url: str, add: bool) -> bool:
    """Add or remove `url` in `[sources] key`, keeping the file's comments; False if nothing changed."""
    import tomlkit

    try:
        doc = tomlkit.parse(file.read_text(encoding="utf-8")) if file.exists() else tomlkit.document()
    except (OSError, tomlkit.exceptions.ParseError) as error:
        raise ConfigError(f"{file}: cannot be edited ({error})") from None
    if "sources" not in doc:
        doc.add(tomlkit.nl())
        doc["sources"] = tomlkit.table()
    section = doc["sources"]
    if key not in section:
        section[key] = tomlkit.array()
    values = section[key]
    if add == (url in values):
        return False
    if add:
        values.append(url)
    else:
        values.remove(url)
    if len(values) > 1:
        values.multiline(True)
    _write_atomically(file, tomlkit.dumps(doc))
    return True


def _write_atomically(file: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent.resolve())
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["register", "run_fetch"]
