"""Words for BM25: the same tokenisation for articles and questions.

News questions hinge on names, so every script's names must stay searchable: "Косачев",
"سليماني", "Müller" are words like any other. A word is a run of letters, digits and
combining marks of any script (so a name typed with decomposed accents, Arabic written
with vowel marks, or Devanagari with its vowel signs stays one word), with inner
apostrophes ("O'Brien"). Hyphens and other punctuation split words ("Al-Monitor" ->
"al", "monitor"); numbers are kept ("2020"); dotted abbreviations lose their dots
("U.S." -> "us", like "US").

Folding, applied identically to articles and questions:

- case: `str.casefold` ("STRASSE" and "straße" -> "strasse");
- compatibility forms: NFKD ("ﬁ" -> "fi", full-width digits -> digits);
- diacritics: combining marks of the Latin/Greek/Cyrillic diacritic blocks are dropped
  ("Müller" -> "muller"; Cyrillic "й" -> "и" and "ё" -> "е", as Russian writers often
  do themselves); the few Latin letters with a built-in stroke are spelt plainly ("Łódź"
  -> "lodz", "Søren" -> "soren", "Æ" -> "ae"); Arabic and Hebrew vowel marks and the
  Arabic tatweel are dropped ("سُلَيْمَانِي" -> "سليماني"), as Lucene's Arabic normaliser
  does. Marks that spell a word in other scripts (Devanagari vowel signs, Japanese
  voicing marks) are kept;
- apostrophes: typographic ones (’ ‘ ʼ ´) become "'"; a possessive "'s" is dropped
  ("Soleimani's" -> "soleimani"). Contractions stay whole words ("didn't", "we're"), as
  in Lucene's standard analyser: IDF already weighs them low, and dropping them made the
  default fusion rank one more BBC test question wrong (tests/test_retrieval_quality.py).

Stop words (`STOP_WORDS`) are English function words plus question words and the verbs
of asking about speech ("say", "said", "tell", "react"): "what did Kosachev say?" must
search for "kosachev", not for "what", "did" and "say". "us" is deliberately *not* a stop
word: casefolded, it is also "US", the country. The list is written out below, so
what is dropped is visible in one place.
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType

import regex

# Dotted abbreviations ("U.S.", "U.N."), else letters, combining marks and digits of any
# script with inner apostrophes.
_WORD = regex.compile(r"\p{L}(?:\.\p{L})+\.?|[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*")
# Marks folded away after NFKD: the combining diacritic blocks (Latin, Greek, Cyrillic
# accents), Cyrillic titlo, Hebrew points, Arabic harakat and Quranic marks, and tatweel.
_FOLDED_MARKS = regex.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0483-\u0489"
    r"\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640]+"
)
# Typographic apostrophes, and the Latin letters whose accent NFKD does not split off
# (English news writes "Lodz", "Soren", "Erdogan" as often as "Łódź", "Søren", "Erdoğan").
# Replaced through a regex because `str.translate` with a table is ten times slower.
_PLAIN_SPELLING = MappingProxyType({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "′": "'", "ø": "o", "ł": "l",
                                    "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
_RESPELLED = regex.compile("[" + "".join(_PLAIN_SPELLING) + "]")
_POSSESSIVE = regex.compile(r"'s$")

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves
say says said tell told think thinks thought comment comments react reacted
s t
""".split())


def fold(text: str) -> str:
    """Casefold, fold compatibility forms and drop diacritics and vowel marks (see above).

    >>> fold("Müller"), fold("Косачёв"), fold("Kyivʼs")
    ('muller', 'косачев', "kyiv's")
    """
    text = text.casefold()
    if text.isascii():
        return text
    text = _FOLDED_MARKS.sub("", unicodedata.normalize("NFKD", _RESPELLED.sub(_respell, text)))
    # Recompose what is left (Hangul syllables, Japanese voiced kana) to its usual form.
    return unicodedata.normalize("NFC", text)


def _respell(match: regex.Match) -> str:
    return _PLAIN_SPELLING[match.group()]


def terms(text: str) -> list[str]:
    """BM25 terms of `text`, in order, stop words removed.

    >>> terms("What did Kosachev say about Soleimani's killing?")
    ['kosachev', 'soleimani', 'killing']
    """
    out = []
    for word in _WORD.findall(fold(text)):
        if "." in word:
            word = word.replace(".", "")
        if word in STOP_WORDS:
            continue
        if "'" in word:
            word = _POSSESSIVE.sub("", word)
            if not word or word in STOP_WORDS:
                continue
        out.append(word)
    return out
