"""Removing what a saved web page carries besides the article: navigation, sign-up, prices.

Two rules, both data-driven rather than tied to one site:

1. A short paragraph that matches a navigation or subscription pattern ("Skip to main
   content", "Sign in", "$25.00 / month", "billed annually", a short bullet item) is
   dropped wherever it stands.
2. After the article body has begun, the first paragraph that matches a pattern ends the
   article when most of what follows is boilerplate or fragments too (the sign-up block
   that pages append). A news paragraph that merely mentions "subscribers" or "members of
   parliament" is prose followed by more prose, so it stays.
"""

from __future__ import annotations

import re
from typing import Sequence

_PATTERNS = [
    r"\bskip to (?:main )?content\b",
    r"\b(?:sign|log) ?(?:in|up|out)\b",
    r"\balready (?:a )?(?:member|subscriber)\b",
    r"\bbecome (?:a )?(?:member|subscriber)\b",
    r"\b(?:premium )?membership\b",
    r"\bsubscribe(?: now| today| for| to our)?\b",
    r"\bnewsletters?\b",
    r"[$€£]\s?\d+(?:[.,]\d\d)?\s*(?:/|per)\s*(?:month|year|week)",
    r"\bbilled (?:annually|monthly)\b",
    r"\bfree trial\b|\bcancel anytime\b|\btry it for free\b",
    r"\bcookies?(?: policy| settings)?\b.*\b(?:accept|consent|use)\b",
    r"\ball rights reserved\b|©",
    r"^advertisement$|\bshare (?:this|on) (?:article|facebook|twitter)\b",
    r"\bfollow us on\b|\bread more\b|\brelated (?:articles|stories)\b",
    r"\bwhat's included\b|\bour expertise\b|\bteam plans?\b",
    r"\bjoin (?:over |hundreds|thousands|the)\b.*\b(?:readers|professionals|experts|subscribers)\b",
]
BOILERPLATE = re.compile("|".join(_PATTERNS), re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[•·▪◦●■\-*–]|\d+[.)])\s+")
_PROSE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
SHORT_WORDS = 25


def is_prose(paragraph: str) -> bool:
    """A sentence-like paragraph (or list item): enough words and sentence-final punctuation."""
    return len(paragraph.split()) >= 8 and bool(_PROSE_END.search(paragraph))


def is_boilerplate(paragraph: str) -> bool:
    """A navigation/subscription line, or a short bullet ("• Daily Briefing (PM)").

    Longer list items are article content ("- Legal aid changes to give incentives for
    early resolution of disputes.") and stay.
    """
    short_bullet = bool(_BULLET.match(paragraph)) and len(paragraph.split()) < 8
    return short_bullet or bool(BOILERPLATE.search(paragraph))


def clean_paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """The article's own paragraphs, in order (title and standfirst lines included)."""
    kept: list[str] = []
    body_started = False
    for i, paragraph in enumerate(paragraphs):
        if is_boilerplate(paragraph):
            if body_started and _rest_is_boilerplate(paragraphs[i:]):
                break
            if len(paragraph.split()) < SHORT_WORDS:
                continue
        kept.append(paragraph)
        body_started = body_started or is_prose(paragraph)
    return kept


def _rest_is_boilerplate(rest: Sequence[str]) -> bool:
    """Most of what remains is boilerplate or fragments, not article prose."""
    junk = sum(1 for p in rest if is_boilerplate(p) or not is_prose(p))
    return junk >= 0.6 * len(rest)
