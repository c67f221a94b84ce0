"""Matching people's and organisations' names however a user writes them.

"Kosachev", "kosachev", "Konstantin Kosachev", "Kosachov" (a typo) and "Gen. Kosachev" all
name "Konstantin Kosachev"; "Bogdanov" does not. "Murphy-O'Connor" names "Cormac Murphy
O'Connor": a hyphen separates words. Titles are ignored, case and Latin
diacritics folded, and a word of six letters or more may differ by a small typo.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from qabot.text.words import fold

TITLES = frozenset("""
mr mrs ms miss dr prof professor sir dame lord lady gen general maj major col colonel lt lieutenant
capt captain cmdr brig sgt cpl adm admiral amb atty hon supt det del retired ret former late president vice prime minister sen senator rep gov governor
mayor chair chairman chairwoman king queen prince princess sheikh judge justice rev the a an
cardinal archbishop bishop reverend pastor rabbi imam
""".split())
# Name particles a user may or may not type: "de Vries" ~ "Pieter Vries" ~ "Pieter de Vries".
PARTICLES = frozenset("de der den van von da di du la le al el bin ibn".split())
# A hyphen joins two names, each a word: "Murphy-O'Connor" is the "Murphy O'Connor" another
# article writes, and "Kilroy-Silk" keeps both; an apostrophe stays inside one ("O'Connor").
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
TYPO_SIMILARITY = 80


def name_words(name: str) -> list[str]:
    """Folded words of a name without titles: "Maj. Gen. Qasem Soleimani" -> ["qasem", "soleimani"]. A title
    word last, after a word that is none, is a surname: "Paul King" -> ["paul", "king"]."""
    words = [fold(w) for w in _WORD.findall(name)]
    words = [re.sub(r"['’]s$", "", w) for w in words]
    surname = len(words) > 1 and words[-2] not in TITLES and words[-2] not in PARTICLES
    kept = [w for i, w in enumerate(words)
            if (w not in TITLES or (surname and i == len(words) - 1)) and w not in PARTICLES]
    return kept or words


def name_key(name: str) -> str:
    return " ".join(name_words(name))


def initials(name: str) -> str:
    """The acronym a body's name makes, lowercase: "UK Independence Party" -> "ukip", "Department for
    Constitutional Affairs" -> "dca", "Marks & Spencer" -> "ms" (an all-capital word gives all its letters;
    "of", "for", "and", "the" none; words as `name_words` splits them, so "Tony O'Malley" is "to", not "tom").
    "" for a name of one word."""
    words = [w for w in _WORD.findall(name) if w.lower() not in _NOT_INITIALS]
    if len(words) < 2:
        return ""
    return "".join(w if w.isupper() else w[0] for w in words).lower()


def acronym(word: str) -> str:
    """A single word written as an acronym ("UKIP", "DrKW", "M&S"), as `initials` writes one; "" for a word
    ("McCain", "HuffPost": two lowercase letters in a row)."""
    letters = re.sub(r"[^A-Z]", "", word)
    if " " in word.strip() or len(letters) < 2 or re.search(r"[a-z]{2}", word):
        return ""
    return letters.lower()


_NOT_INITIALS = {"of", "for", "and", "the"}


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= TYPO_SIMILARITY


def matches(query: str, speaker: str) -> bool:
    """True when `query` names `speaker`: every query word is one of the speaker's words,
    or every speaker word is in the query ("the Russian Foreign Ministry" ~ "Foreign Ministry").
    """
    return _words_match(name_words(query), name_words(speaker)) or acronym_matches(query, speaker)


def acronym_matches(query: str, speaker: str) -> bool:
    """"UKIP" (or "ukip") names "UK Independence Party" and the other way round (`initials`, `acronym`)."""
    asked, known = _asked_acronym(query), acronym(speaker)
    return bool(asked and asked == initials(speaker) or known and known == initials(query))


def _asked_acronym(query: str) -> str:
    """The acronym a query is: written as one ("UKIP"), or one word of three letters or more typed in lowercase
    ("ukip", as people type); "" otherwise."""
    typed = query.strip()
    return acronym(typed) or (typed.lower() if typed.isalpha() and typed.islower() and len(typed) >= 3 else "")


def _words_match(asked: list[str], known: list[str]) -> bool:
    if not asked or not known:
        return False
    if all(any(_same_word(a, k) for k in known) for a in asked):
        return True
    if len(known) == 1 < len(asked):
        # A name known by one word is a surname ("Carson said"): it is the asked person's
        # last word, not a first name one letter away ("Walter Pozzebon" is not "Walker").
        return _same_word(known[0], asked[-1])
    return all(any(_same_word(k, a) for a in asked) for k in known)


class NameIndex:
    """Many names, matched quickly: only names sharing a word (or a near-spelling) are compared.

    >>> NameIndex(["Konstantin Kosachev", "Konstantin Bogdanov"]).find("Kosachov")
    ['Konstantin Kosachev']
    """

    def __init__(self, names):
        self.words = {name: name_words(name) for name in names}
        self.by_word: dict[str, set[str]] = {}
        for name, words in self.words.items():
            for word in words:
                self.by_word.setdefault(word, set()).add(name)
        self.by_acronym: dict[str, set[str]] = {}  # "ukip" -> {"UK Independence Party", "UKIP"}
        for name in self.words:
            for letters in (initials(name), acronym(name)):
                if letters:
                    self.by_acronym.setdefault(letters, set()).add(name)
        self.by_length: dict[int, list[str]] = {}  # typo candidates, by word length
        for word in self.by_word:
            self.by_length.setdefault(len(word), []).append(word)
        # One question looks its person up three or four times (quotes, descriptions,
        # mentions); the names never change, so each lookup is done once. Bounded.
        self._found: dict[str, list[str]] = {}

    def find(self, query: str) -> list[str]:
        found = self._found.get(query)  # one read: another thread may clear the dict meanwhile
        if found is None:
            found = self._find(query)
            if len(self._found) >= 4096:
                self._found.clear()
            self._found[query] = found
        return list(found)

    def _find(self, query: str) -> list[str]:
        asked = name_words(query)
        candidates: set[str] = set()
        for word in asked:
            candidates |= self.by_word.get(word, set())
            if len(word) >= 6:  # a small typo: words of similar length only, compared in rapidfuzz's C loop
                similar = [w for n in range(len(word) - 2, len(word) + 3) if n >= 6 for w in self.by_length.get(n, ())]
                for known, _, _ in process.extract(word, similar, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY,
                                                   limit=None):
                    candidates |= self.by_word[known]
        found = {n for n in candidates if _words_match(asked, self.words[n])}
        letters = _asked_acronym(query)
        if letters:  # "UKIP" (or "ukip"): the bodies so spelled out, or so written
            found |= self.by_acronym.get(letters, set())
        elif initials(query):  # "UK Independence Party": the acronyms it makes
            found |= {n for n in self.by_acronym.get(initials(query), set()) if acronym(n)}
        return sorted(found)
