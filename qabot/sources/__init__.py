"""Where articles come from: files on disk read into `Article` records.

Exports `ingest_paths` (every readable article under the configured paths, with a
one-line reason for each skipped file; given what an earlier build kept, unchanged files
are not read again), `FileRecord` (what one file gave, with its size and time) and
`list_files`, and `reader_version` (changes with the reading code and limits). Boilerplate
removal for pages saved with their navigation lives here too. Later: feeds, sitemaps and pages fetched into
the saved archive.
"""

from qabot.sources.ingest import FileRecord, ingest_paths, list_files, reader_version

__all__ = ["FileRecord", "ingest_paths", "list_files", "reader_version"]
