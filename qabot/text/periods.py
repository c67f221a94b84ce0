"""Time in a question as a period of published dates: "last week", "in March", "since 3 March".

    >>> find_period("What did Kosachev say last week?", today=date(2005, 4, 20))
    Found(period=Period(since=date(2005, 4, 13), until=date(2005, 4, 20), phrase='last week'),
          rest='What did Kosachev say?', out_of_scope=None)

The structure of the phrase ("between A and B", "since A", "in A", "last week") is found
by a few patterns here; the dates inside it ("3 March", "January 2005", "March 3rd") are
read by `dateparser`, which also says how precise each is (a day, a month, a year), so
"in March" covers the whole month and "in 2004" the whole year. `search_dates` alone was
tried: it returns points, not periods, and reads "between January and April 2005" as three
unrelated dates. A month without a year is the latest one on or before `today`.

Relative words are calendar-based and documented in the README: "yesterday" is that day,
"last week" the seven days up to today, "this week" since Monday, "this month" since the
1st, "last month" / "last year" the previous calendar month / year.

Event-relative time ("before the election", "after the summit") cannot be turned into
dates; it is reported as `out_of_scope`, so the answer can say so instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from qabot.text.dates import MONTH

_ORD = r"(?:st|nd|rd|th)?"
# One calendar date or span as people write it in a question.
_DATE = (rf"(?:\d{{4}}-\d{{2}}-\d{{2}}"
         rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}})?"
         rf"|{MONTH}\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?(?!\d)"
         rf"|{MONTH}(?:\s+(?:of\s+)?\d{{4}})?"
         rf"|(?:19|20)\d{{2}})")
_UNIT = r"(?:day|week|month|year)"
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in [
    ("between", rf"\bbetween\s+(?P<a>{_DATE})\s+and\s+(?P<b>{_DATE})\b"),
    ("between", rf"\bfrom\s+(?P<a>{_DATE})\s+(?:to|until|till|through)\s+(?P<b>{_DATE})\b"),
    ("since", rf"\b(?:since|after|from)\s+(?P<a>{_DATE})\b"),
    ("until", rf"\b(?:until|till|before|by)\s+(?P<a>{_DATE})\b"),
    ("past", rf"\b(?:in\s+)?(?:the\s+)?(?:last|past)\s+(?P<n>\d+|{'|'.join(_NUMBER_WORDS)})\s+(?P<unit>{_UNIT})s\b"),
    ("relative", rf"\b(?:(?P<which>last|this|past)\s+(?P<unit>{_UNIT})|(?P<day>yesterday|today))\b"),
    ("in", rf"\b(?:in|during|on|of)\s+(?P<a>{_DATE})\b"),
]]
# Time tied to an event, not a date: said to be out of scope rather than guessed.
_EVENT = re.compile(r"\b(?:before|after|since|during|until)\s+(?:the|his|her|their|this|last)\s+"
                    r"(?:election|elections|war|summit|vote|referendum|crisis|attack|invasion|meeting|talks|strike|deal|visit)\b",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """Published dates from `since` to `until`, both inclusive; None is open-ended."""

    since: date | None
    until: date | None
    phrase: str

    def describe(self) -> str:
        """"from 2005-03-01 to 2005-04-30", "since 2005-03-03", "until 2005-04-30"."""
        if self.since and self.until:
            return f"on {self.since}" if self.since == self.until else f"from {self.since} to {self.until}"
        if self.since:
            return f"since {self.since}"
        return f"until {self.until}"


@dataclass(frozen=True)
class Found:
    """What `find_period` read: the period (if any), the question without it, an event phrase."""

    period: Period | None
    rest: str
    out_of_scope: str | None = None


def find_period(question: str, today: date) -> Found:
    """The first time expression in `question` as a Period relative to `today`."""
    event = _EVENT.search(question)
    if event:
        return Found(None, question, out_of_scope=event.group(0))
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(question):
            period = _period(kind, match, today)
            if period is not None:
                rest = (question[:match.start()] + question[match.end():])
                rest = re.sub(r"\s+([?.!,])", r"\1", " ".join(rest.split()))
                return Found(period, rest)
    return Found(None, question)


def period_between(since: date | None, until: date | None) -> Period:
    """A period given explicitly (`qabot ask --since/--until`)."""
    phrase = " ".join(p for p in (f"since {since}" if since else "", f"until {until}" if until else "") if p)
    return Period(since, until, phrase)


def parse_day(text: str, today: date, end: bool = False) -> date | None:
    """One date phrase ("2005-03-01", "3 March", "April 2005") as its first (or last) day."""
    span = _span(text, today)
    if span is None:
        return None
    return span[1] if end else span[0]


def _period(kind: str, match: re.Match[str], today: date) -> Period | None:
    phrase = match.group(0)
    if kind == "relative":
        return _relative(match, today, phrase)
    if kind == "past":
        raw = match.group("n").lower()
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[match.group("unit").lower()] * n
        return Period(today - timedelta(days=days), today, phrase)
    a = _span(match.group("a"), today)
    if a is None:
        return None
    if kind == "in":
        return Period(a[0], a[1], phrase)
    if kind == "since":
        after = phrase.lower().startswith("after")
        return Period(a[1] + timedelta(days=1) if after else a[0], None, phrase)
    if kind == "until":
        before = phrase.lower().startswith("before")
        return Period(None, a[0] - timedelta(days=1) if before else a[1], phrase)
    b = _span(match.group("b"), today)
    if b is None:
        return None
    if not re.search(r"\d{4}", match.group("a")) and re.search(r"\d{4}", match.group("b")):
        # "between January and April 2005": the first date takes the second's year, or the
        # year before when it would come after it ("between November and February 2005").
        a = _span(f"{match.group('a')} {b[1].year}", today) or a
        if a[0] > b[1]:
            a = _span(f"{match.group('a')} {b[1].year - 1}", today) or a
    return Period(a[0], b[1], phrase)


def _relative(match: re.Match[str], today: date, phrase: str) -> Period:
    day = (match.group("day") or "").lower()
    if day == "today":
        return Period(today, today, phrase)
    if day == "yesterday":
        return Period(today - timedelta(days=1), today - timedelta(days=1), phrase)
    which, unit = match.group("which").lower(), match.group("unit").lower()
    if unit == "day":
        return Period(today - timedelta(days=1), today, phrase)
    if unit == "week":
        return Period(today - timedelta(days=today.weekday()), today, phrase) if which == "this" else \
            Period(today - timedelta(days=7), today, phrase)
    if unit == "month":
        if which == "this":
            return Period(today.replace(day=1), today, phrase)
        if which == "past":
            return Period(today - timedelta(days=30), today, phrase)
        end = today.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end, phrase)
    if which == "this":
        return Period(date(today.year, 1, 1), today, phrase)
    if which == "past":
        return Period(today - timedelta(days=365), today, phrase)
    return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), phrase)


def _span(text: str, today: date) -> tuple[date, date] | None:
    """First and last day of a date phrase, at the precision dateparser reads it with."""
    from dateparser.date import DateDataParser  # imported only when a question names a date

    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text.strip())
    text = re.sub(r"\bof\s+", "", text)
    if re.fullmatch(r"(?:19|20)\d{2}", text):
        year = int(text)
        return date(year, 1, 1), date(year, 12, 31)
    parser = DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": [],
    })
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    first = data.date_obj.date()
    if data.period == "year":
        return date(first.year, 1, 1), date(first.year, 12, 31)
    if data.period == "month":
        start = first.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    return first, first
