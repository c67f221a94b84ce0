"""What the news says about people: who said what, and how articles describe them.

Exports `extract_quotes`, `extract_descriptions`, `people`, `is_org` (is a speaker an
organisation) and `extractor_version` (a hash
of the extraction code, so unchanged articles keep their quotes while it is the same).
Runs at index time on `Article` records; knows nothing of chunks or vectors.
"""

from qabot.news.quotes import extract_descriptions, extract_quotes, extractor_version, is_org, people

__all__ = ["extract_descriptions", "extract_quotes", "extractor_version", "is_org", "people"]
