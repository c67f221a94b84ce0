"""Is the part of a question beyond the person's name supported by the articles?

Two checks that keep a right name from carrying a wrong answer:

- **role**: "What did Chancellor Tony Blair say?" names Tony Blair, but the articles must
  also call him chancellor. The role words of the question (what is left of the asked name
  once the person's own name and honorifics are taken out) must stand next to the name
  somewhere: within a few words before it ("Chancellor Gordon Brown", "Manchester United
  boss Sir Alex Ferguson") or in an appositive after it ("Gordon Brown, the chancellor").
  "Prime Minister Tony Blair and Chancellor Gordon Brown" does not make Brown prime minister.
- **topic**: "What did Tony Blair say about the Moon landing?" needs a quote about the
  topic; `topic_share` measures how much of the topic's weight a quote and the paragraphs
  around it hold.

    >>> role_words("Arsenal manager Alex Ferguson", "Sir Alex Ferguson")
    ['arsenal', 'manager']
    >>> role_supported(["arsenal", "manager"], "Alex Ferguson", ["Arsenal manager Arsene Wenger met Sir Alex Ferguson."])
    False
"""

from __future__ import annotations

import re
from typing import Iterable

from qabot.news import is_org
from qabot.text import fold, matches, terms

# Words that address a person without saying what they do: never a role to check.
HONORIFICS = frozenset("mr mrs ms miss dr sir dame lord lady the a an former mister madam".split())
BEFORE, AFTER = 4, 6  # words around the name that may carry its role
_JOINERS = frozenset("and or with as but than to by from for said says told".split())
_CLAUSE_WORDS = frozenset("who whom whose which that said says told has had have is was were will would "
                          "and but also who's".split())
_VERBS = frozenset(["became", "becomes", "become", "went", "made", "took", "won", "came", "got", "gave", "left",
                    "says", "tells", "remains", "is", "was"])
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _words(text: str) -> list[str]:
    return [re.sub(r"['’]s$", "", w) for w in (fold(w) for w in _WORD.findall(text))]


def role_words(asked: str, name: str) -> list[str]:
    """The words of `asked` that are neither `name`'s nor honorifics, as BM25 terms."""
    if is_org(name):  # "the Russian Foreign Ministry" is the Foreign Ministry: no role to check
        return []
    own = set(_words(name))
    return [w for w in _words(asked) if w not in own and w not in HONORIFICS and terms(w) and not matches(w, name)]


def role_supported(role: list[str], name: str, texts: Iterable[str]) -> bool:
    """True when some text puts every role word right around the name (see module doc)."""
    if not role:
        return True
    own = _words(name)
    if not own:
        return False
    wanted = set(role)
    surname = re.compile(rf"\b{re.escape(own[-1])}\b")
    for text in texts:
        folded = fold(text)
        for match in surname.finditer(folded):
            before = _words(re.split(r"[.!?;:]\s", folded[: match.start()])[-1])
            before = before[: max(0, len(before) - (len(own) - 1))][-BEFORE:]
            # Only the words joined to the name: "Chancellor Gordon Brown and Tony Blair" does
            # not make Blair chancellor.
            cut = max((i + 1 for i, w in enumerate(before) if w in _JOINERS), default=0)
            before = before[cut:]
            # "how good a prime minister Gordon Brown will make": a role after "a" is not his title.
            first_role = next((i for i, w in enumerate(before) if w in wanted), None)
            if first_role and before[first_role - 1] in ("a", "an"):
                before = []
            appositive = re.match(r"['’]?s?\s*,([^,.;:“”\"]*)", folded[match.end():])
            after = _words(appositive.group(1))[:AFTER] if appositive else []
            # "Gordon Brown, who wants to be prime minister"; "… under Mr Blair, became Britain's
            # longest-serving chancellor": a clause or a verb after the comma is no appositive.
            if after and (after[0] in _CLAUSE_WORDS or after[0] in _VERBS or after[0].endswith("ed")):
                after = []
            if wanted <= set(before) | set(after):
                return True
    return False


def someone_else(asked: str, speaker: str, article_text: str) -> bool:
    """Is a quote stored under a bare surname ("Campbell") the words of another person than the
    one asked ("Naomi Campbell")? Yes when its article names someone else with that surname
    ("record company boss Kevin Campbell") and never the asked person: the surname alone then
    means the one the article names. A bare "Blair" in an article that also names "Tony Blair"
    stays his.

        >>> someone_else("Naomi Campbell", "Campbell", "Footballer Kevin Campbell won. Mr Campbell said: …")
        True
    """
    asked_words, own = _words(asked), _words(speaker)
    if len(asked_words) < 2 or len(own) != 1 or asked_words[-1] != own[0]:
        return False
    if matches(asked, article_text):  # every word of the asked name stands in the article
        return False
    before = re.findall(rf"\b([A-Z][\w'’-]+)\s+{re.escape(speaker)}\b", article_text)
    return any(_words(word) and _words(word)[0] not in HONORIFICS and not _ROLE_OR_TITLE.fullmatch(word.lower())
               for word in before)


_ROLE_OR_TITLE = re.compile(r"(?:president|prime|minister|chancellor|secretary|general|captain|coach|manager|"
                            r"chairman|chief|judge|senator|governor|mayor|king|queen|prince|princess|professor|"
                            r"sen|rep|gov|gen|col|capt|prof|rev|st)\.?")
