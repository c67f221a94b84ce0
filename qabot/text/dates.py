"""Finding date expressions in news sentences, for "when" questions.

Matches what news prose uses: "late July 2015", "February 2017", "6 January 2020",
"January 6, 2020", "in 2018", "last week", "on Monday". Returned as character spans so
the answer can put the dates first while citing the untouched sentence.
"""

from __future__ import annotations

import re

# A month name, full or abbreviated; also used by qabot.sources.ingest to read metadata dates.
MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_PART = r"(?:(?:early|mid|late|the end of|the beginning of|the start of)[ -])?"
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

DATE_PATTERN = re.compile(
    rf"""\b(?:
        {_PART}{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}     # January 6, 2020
      | {_PART}\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}     # 6 January 2020
      | {_PART}{MONTH}\s+\d{{4}}                                  # late July 2015
      | {_PART}{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b              # July 6
      | (?:in|since|by|until|from|during)\s+(?:{_PART})?(?:19|20)\d{{2}}s?  # in 2018
      | {_DAY}
      | (?:last|next|this)\s+(?:week|month|year|{_DAY})
      | \d{{4}}-\d{{2}}-\d{{2}}
    )\b""",
    re.VERBOSE | re.IGNORECASE,
)


def date_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of date expressions in `text`, in order."""
    return [m.span() for m in DATE_PATTERN.finditer(text)]


def date_expressions(text: str) -> list[str]:
    """The date expressions themselves, with a leading preposition dropped ("in 2018" -> "2018")."""
    found = []
    for start, end in date_spans(text):
        phrase = re.sub(r"^(?:in|since|by|until|from|during)\s+", "", text[start:end], flags=re.IGNORECASE)
        found.append(phrase)
    return found
