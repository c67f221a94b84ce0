"""Word-level helpers that several stages share: BM25 terms, dates, people's names.

Exports `terms` and `fold` (Unicode-aware tokenising and folding, `STOP_WORDS`), the date
patterns (`MONTH`, `date_expressions`, `date_spans`) and name matching (`NameIndex`,
`matches`, `TITLES`, `PARTICLES`). Nothing here knows about articles, chunks or indexes.
"""

from qabot.text.dates import MONTH, date_expressions, date_spans
from qabot.text.names import NameIndex, PARTICLES, TITLES
from qabot.text.words import STOP_WORDS, terms

__all__ = ["MONTH", "NameIndex", "PARTICLES", "STOP_WORDS", "TITLES", "date_expressions", "date_spans", "terms"]
