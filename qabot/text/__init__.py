"""Word- and sentence-level helpers that several stages share: terms, sentences, dates, names.

Exports `terms`, `fold` and `STOP_WORDS` (Unicode-aware tokenising, so Cyrillic, Arabic and
accented names stay searchable), `split_sentences` (sentence spans), the date patterns
(`MONTH`, `date_expressions`, `date_spans`), time phrases in questions as periods of
published dates (`find_period`, `period_between`, `Period`), name matching (`NameIndex`,
`matches`, `name_words`, `TITLES`, `PARTICLES`; `initials`, `acronym`, `acronym_matches` for bodies named by
their acronyms) and terminal safety (`shown` escapes control characters
and undecodable bytes in names, `printable` drops control characters from text). Nothing
here knows about articles, chunks or indexes.
"""

from qabot.text.dates import MONTH, date_expressions, date_spans
from qabot.text.names import PARTICLES, TITLES, NameIndex, acronym, acronym_matches, initials, matches, name_words
from qabot.text.periods import Period, find_period, period_between
from qabot.text.safe import is_safe_name, printable, shown
from qabot.text.sentences import split_sentences
from qabot.text.words import STOP_WORDS, fold, terms

__all__ = [
    "MONTH", "PARTICLES", "STOP_WORDS", "TITLES", "NameIndex", "Period", "acronym", "acronym_matches",
    "date_expressions", "date_spans", "find_period", "fold", "initials", "is_safe_name", "matches", "name_words", "period_between",
    "printable", "shown", "split_sentences", "terms",
]
