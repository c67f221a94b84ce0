"""What the news says about people, and which stories are one story.

Exports `extract_quotes`, `extract_reported` (reported speech: a sentence and its speaker),
`extract_descriptions`, `people`, `is_org` (is a speaker an
organisation), `extractor_version` (a hash of the extraction code, so unchanged articles
keep their quotes while it is the same), `load_name_tables` (reads the first-name table
once, before a build times each article), and `merge_copies` (syndicated copies and
duplicates grouped, one article kept per story; `shingles` (and `shingle_runs`, the words of each) and `jaccard`, its measure, so an
incremental build can check only the changed articles). Runs at index time on `Article` records;
knows nothing of chunks or vectors.
"""

from qabot.news.descriptions import extract_descriptions
from qabot.news.genders import load_name_tables
from qabot.news.quotes import extract_quotes, extractor_version
from qabot.news.reported import extract_reported
from qabot.news.speakers import is_org, people
from qabot.news.syndication import Merged, jaccard, merge_copies, shingle_runs, shingles

__all__ = ["Merged", "extract_descriptions", "extract_quotes", "extract_reported", "extractor_version", "is_org", "jaccard",
           "load_name_tables", "merge_copies", "people", "shingle_runs", "shingles"]
