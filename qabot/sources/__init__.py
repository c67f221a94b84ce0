"""Where articles come from: sources followed on the web into a saved archive, and files on
disk read into `Article` records.

Exports `ingest_paths` (every readable article under the configured paths, with a
one-line reason for each skipped file; given what an earlier build kept, unchanged files
are not read again), `FileRecord` (what one file gave, with its size and time),
`scan_files` (one walk, each file stat'ed once, shared by the build's fingerprint and
`ingest_paths`), `by_path` (their order), `list_files` and `reader_version` (changes with the reading code and limits); boilerplate
removal for pages saved with their navigation lives here too. Following the news:
`fetch_sources` (every configured feed, sitemap and page into the archive, politely, with
a `FetchReport`), `Fetcher`, `detect_kind` and `advertised_feeds` (what `qabot source add`
needs), `FetchState` (validators and per-source status in the index folder) and
`SourceKind`. The fetching names are loaded on first use, so reading files never imports
httpx, feedparser or protego (a one-shot `qabot ask` stays quick to start).
"""

from importlib import import_module

from qabot.sources.ingest import (
    FileRecord,
    Scan,
    by_path,
    ingest_paths,
    list_files,
    reader_version,
    scan_files,
)

_LAZY = {
    "Archive": "archive", "SavedMeta": "archive",
    "SourceKind": "feeds", "advertised_feeds": "feeds", "detect_kind": "feeds",
    "FetchState": "fetch_state", "SourceStatus": "fetch_state",
    "Fetcher": "fetcher",
    "STATE_FILE": "follow", "FetchReport": "follow", "SourceResult": "follow",
    "configured_sources": "follow", "fetch_sources": "follow",
}

__all__ = ["FileRecord", "Scan", "by_path", "ingest_paths", "list_files", "reader_version", "scan_files", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"qabot.sources.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'qabot.sources' has no attribute {name!r}")
