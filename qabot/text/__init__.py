"""Word- and sentence-level helpers that several stages share: terms, sentences, dates, names.

Exports `terms`, `fold` and `STOP_WORDS` (Unicode-aware tokenising, so Cyrillic, Arabic and
accented names stay searchable), `split_sentences` (sentence spans), the date patterns
(`MONTH`, `date_expressions`, `date_spans`) and name matching (`NameIndex`, `matches`,
`TITLES`, `PARTICLES`). Nothing here knows about articles, chunks or indexes.
"""

from qabot.text.dates import MONTH, date_expressions, date_spans
from qabot.text.names import PARTICLES, TITLES, NameIndex, matches
from qabot.text.sentences import split_sentences
from qabot.text.words import STOP_WORDS, fold, terms

__all__ = [
    "MONTH", "PARTICLES", "STOP_WORDS", "TITLES", "NameIndex",
    "date_expressions", "date_spans", "fold", "matches", "split_sentences", "terms",
]
