"""Words for BM25: the same tokenisation for articles and questions.

News questions hinge on names, so the tokeniser must keep every script's names
searchable: "Косачев", "سليماني", "Müller" are words like any other. Case is folded and
Latin diacritics are dropped ("Müller" and "Muller" both give "muller"); a possessive
"'s" is dropped ("Soleimani's" -> "soleimani"); hyphenated words give their parts.

Question words and the most common function words are stop words here: "what did
Kosachev say?" must search for "kosachev", not for "what", "did" and "say".
"""

from __future__ import annotations

import re
import unicodedata

# Letters and digits of any script, with inner apostrophes ("didn't", "O'Brien").
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_COMBINING = re.compile(r"[\u0300-\u036f]")

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves
say says said tell told think thinks thought comment comments react reacted
""".split())


def fold(word: str) -> str:
    """Casefold and drop Latin combining accents; other scripts keep their letters."""
    word = word.casefold()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed))


def terms(text: str) -> list[str]:
    """BM25 terms of `text`, in order, stop words removed.

    >>> terms("What did Kosachev say about Soleimani's killing?")
    ['kosachev', 'soleimani', 'killing']
    """
    out = []
    for match in _WORD.finditer(text):
        word = fold(_POSSESSIVE.sub("", match.group()))
        if word and word not in STOP_WORDS:
            out.append(word.replace("’", "'"))
    return out
