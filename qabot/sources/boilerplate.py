"""Removing what a saved web page carries besides the article: navigation, sign-up, prices.

Pages saved as text keep their menus and subscription blocks. The rules are data (the
patterns below) plus three layout facts, not tied to any one site:

1. A *boilerplate line* is dropped wherever it stands: a paragraph with a strong pattern
   ("Skip to main content", "billed annually", "Already a Member?"), or a *label* (short,
   no sentence end) with a weak one ("Sign in", "$25.00 / month", "Premium Membership").
   Weak words are common in news ("members of parliament", "subscription services"), so
   a sentence that uses them stays.
2. Once the body has begun, *fragments* (short lines that are not sentences: headings,
   short bullets) next to a boilerplate line go with it ("What's included:",
   "• Daily Briefing (PM)"). Before the body they stay: the title is one of them.
3. The body ends at the sign-up block pages append: a run of junk of at least `TAIL_RUN`
   paragraphs, holding a boilerplate line, after which most of what is left is junk.

Example::

    >>> clean_paragraphs(["Skip to main content", "Title", "A body sentence that is long enough here.",
    ...                   "Already a Member? Sign in", "$25.00 / month", "billed annually"])
    ['Title', 'A body sentence that is long enough here.']
"""

from __future__ import annotations

import re
from typing import Sequence

# Boilerplate wherever they stand, even when they read like a sentence.
_STRONG = [
    r"\bskip to (?:the )?(?:main )?(?:content|navigation)\b",
    r"\balready (?:a )?(?:member|subscriber)\b",
    r"\bbilled (?:annually|monthly|yearly)\b",
    r"\bstart (?:your|a|with (?:a |an )?[\w-]+) free trial\b|\bcancel (?:at )?any ?time\b|\btry it (?:for )?free\b",
    r"\ball rights reserved\b|^©|^copyright ©? ?\d{4}\b",
    r"\bsubscribe (?:now|today|to our)\b|\bsign up (?:for|to) (?:our|the) (?:\w+ )?newsletter\b",
    r"\bdelivered (?:straight )?to your inbox\b",
    r"^join (?:over|hundreds|thousands|the)\b.*\b(?:readers|professionals|experts|subscribers)\b",
    r"\bwe use cookies\b|\baccept (?:all )?cookies\b|\bshare this (?:article|story|page)\b",
    r"\bwhat's included\b",
]
# Boilerplate only as a short line that is not a sentence: news prose uses these words too
# ("members of parliament", "subscription services", "$10 a month", "sign up to the treaty").
_WEAK = [
    r"^(?:home|menu|search|close|main menu|toggle navigation|sections|topics|more|advertisement)$",
    r"\b(?:sign|log) ?(?:in|up|out)\b",
    r"\bmembership\b|\bsubscri(?:be|ption)s?\b",
    r"\bnewsletters?\b|\bcookies?\b|\bfree trial\b",
    r"[$€£]\s?\d+(?:[.,]\d\d)?\s*(?:/|per|a)\s*(?:month|year|week|mo|yr)\b",
    r"\bshare (?:on|via)\b|\bfollow us\b|\bread more\b|\brelated (?:articles|stories|topics)\b",
    r"\bour expertise\b|\bteam plans?\b|\bpremium\b",
]
STRONG_BOILERPLATE = re.compile("|".join(_STRONG), re.IGNORECASE)
WEAK_BOILERPLATE = re.compile("|".join(_WEAK), re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[•·▪◦●■*\-–—]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_CLAUSE_END = re.compile(r"[.!?…:][\"'”’)\]]*$")  # a sentence may introduce a list with ":"
PROSE_WORDS = 8
LONG_WORDS = 25
TAIL_JUNK_SHARE = 0.6
TAIL_RUN = 3


def is_prose(paragraph: str) -> bool:
    """A sentence-like paragraph: enough words and sentence-final punctuation, or just long."""
    words = len(paragraph.split())
    return words >= LONG_WORDS or (words >= PROSE_WORDS and bool(_CLAUSE_END.search(paragraph)))


def is_fragment(paragraph: str) -> bool:
    """A short line that is not a sentence: a heading, a label, a short list item."""
    return not is_prose(paragraph)


def is_boilerplate_line(paragraph: str) -> bool:
    """Rule 1: a strong pattern in anything shorter than a real paragraph, or a weak one in
    a label (short, no sentence end). A long paragraph is kept unless it is in the tail: it
    may be a quoted tweet with "SIGN UP FOR OUR NEWSLETTER" pasted into it.
    """
    text = paragraph.strip()
    if len(text.split()) >= LONG_WORDS:
        return False
    label = is_fragment(text) and not _SENTENCE_END.search(text)
    return bool(STRONG_BOILERPLATE.search(text)) or (label and bool(WEAK_BOILERPLATE.search(text)))


def _is_junk(paragraph: str) -> bool:
    """What a sign-up tail is made of: boilerplate, fragments, long sales pitches."""
    return is_fragment(paragraph) or bool(STRONG_BOILERPLATE.search(paragraph)) or is_boilerplate_line(paragraph)


def clean_paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """The article's own paragraphs, in order (title and standfirst lines included)."""
    body_start = next((i for i, p in enumerate(paragraphs) if is_prose(p) and not is_boilerplate_line(p)),
                      len(paragraphs))
    end = _tail_start(paragraphs, body_start)
    drop = {i for i in range(end) if is_boilerplate_line(paragraphs[i])}
    for i in sorted(drop):  # rule 2, spreading outwards from each boilerplate line
        for step in (-1, 1):
            j = i + step
            while body_start <= j < end and j not in drop and is_fragment(paragraphs[j]):
                drop.add(j)
                j += step
    return [p for i, p in enumerate(paragraphs[:end]) if i not in drop]


def _tail_start(paragraphs: Sequence[str], body_start: int) -> int:
    """Rule 3: where the appended sign-up block begins (len(paragraphs) when there is none).

    The tail starts with a run of junk (boilerplate, fragments, sales pitches) that holds a
    boilerplate line, is at least `TAIL_RUN` long or reaches the end, and leaves mostly junk
    behind it. A short mid-article promo ("Advertisement", "Subscribe now ...") is not a
    tail; rule 1 removes it and the article goes on.
    """
    i = body_start + 1
    while i < len(paragraphs):
        if not _is_junk(paragraphs[i]):
            i += 1
            continue
        run_end = i
        while run_end < len(paragraphs) and _is_junk(paragraphs[run_end]):
            run_end += 1
        run, rest = paragraphs[i:run_end], paragraphs[i:]
        if (any(is_boilerplate_line(p) for p in run) and (len(run) >= TAIL_RUN or run_end == len(paragraphs))
                and len(rest) >= 2 and sum(1 for p in rest if _is_junk(p)) >= TAIL_JUNK_SHARE * len(rest)):
            return i
        i = run_end
    return len(paragraphs)
