"""Where articles come from: files on disk read into `Article` records.

Exports `ingest_paths` (every readable article under the configured paths, with a
one-line reason for each skipped file) and `list_files`. Boilerplate removal for pages
saved with their navigation lives here too. Later: feeds, sitemaps and pages fetched into
the saved archive.
"""

from qabot.sources.ingest import ingest_paths, list_files

__all__ = ["ingest_paths", "list_files"]
