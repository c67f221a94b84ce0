"""How articles describe people: appositives ("X, a fellow at …,") and roles before a name
("Kremlin spokesman Dmitry Peskov"), for answers to "who is X?".

Its own module because it answers a different question from who said what (`quotes.py`),
sharing only the vocabulary of names and roles (`speakers.py`).
"""

from __future__ import annotations

import re

from qabot.news.speakers import (
    _NAME,
    _ROLES,
    _SPEECH_IN_SENTENCE,
    _VERBS,
    _full_names,
    is_org,
    person_or_org,
)
from qabot.records import Article, Description
from qabot.text import STOP_WORDS, TITLES, fold

# Appositive: `Name, a fellow at …, told` / `Name, editor of …, said`.
# It may also close the sentence: `“…,” said Tesfaye Alemu, a spokesman for the embassy.`
_APPOSITIVE = re.compile(rf"(?P<name>{_NAME}),\s+(?P<desc>[a-z][^,;“\"]*(?:\([^)]*\))?[^,;“\".]*)(?:,|\.(?=\s|$))")
# A lowercase role right before a name: "union leader Marta Jansen", "Kremlin spokesman Dmitry Peskov".
# A role and the name after it ("economist Jane Smith"); the description may also take in
# up to one capitalised and one lowercase word before the role ("Kremlin chief economist").
# Found role first, then the words before it: one regex with the optional words in front
# was tried at every position of every paragraph and cost more than the rest of the
# quote extraction together.
_ROLE_THEN_NAME = re.compile(rf"(?P<role>(?i:{'|'.join(sorted(_ROLES))}))\s+(?P<name>[A-Z][\w’'-]+\s+[A-Z][\w’'-]+)")
_WORDS_BEFORE_ROLE = re.compile(r"(?:\b[A-Z][\w-]*\s+)?(?:\b(?!(?:for|of|to|by|with|and|in|on|at|from|as|that)\s)[a-z][\w-]*\s+)?$")
_NOT_A_DESCRIPTION = STOP_WORDS | {"after", "before", "because", "although", "though", "whose", "while", "since"}


def _roles_before_names(text: str):
    """(description start, description end, name) for each role followed by a two-word name,
    the description taking in the words before the role that `_WORDS_BEFORE_ROLE` allows,
    unless the lowercase one is a verb ("didn't stop Chancellor Gordon Brown": "stop" is
    what the sentence does, not part of his title)."""
    done = 0
    for match in _ROLE_THEN_NAME.finditer(text):
        before = _WORDS_BEFORE_ROLE.search(text, max(done, match.start() - 80), match.start())
        start = before.start() if before else match.start()
        if before and _verb_before_role(text[max(0, start - 40):start], before.group()):
            start = match.start()
        yield start, match.end("role"), match.group("name")
        done = match.end()


# What makes the word before a role a verb: an auxiliary, "to" or a negation before it
# ("didn't stop", "will meet", "to thank"), or the word a past or speech verb itself
# ("backed", "told").
_AUXILIARY = re.compile(r"(?:\b(?:do|does|did|will|would|shall|should|can|could|may|might|must|to|not|never)"
                        r"|n['’]t)\s+$", re.IGNORECASE)
_PAST_ADJECTIVES = {"retired", "elected", "appointed", "designated", "disgraced", "jailed", "embattled", "acting",
                    "beleaguered", "celebrated", "renowned", "acclaimed", "united", "unnamed", "suspended", "sacked"}


def _verb_before_role(context: str, words: str) -> bool:
    """Is the lowercase word of `words` (the one or two words `_WORDS_BEFORE_ROLE` took before a
    role) a verb, going by what stands before it (`context`) and its own form?"""
    lower = [w for w in words.split() if w[:1].islower()]
    if not lower:
        return False
    word = lower[-1]
    if _AUXILIARY.search(context + words[: words.rfind(word)]):
        return True
    return bool(re.fullmatch(_VERBS, word)) or (word.endswith("ed") and word not in _PAST_ADJECTIVES)


def extract_descriptions(article: Article) -> list[Description]:
    """How people are introduced: appositives ("X, a fellow at …,") and roles before a name."""
    out: list[Description] = []
    ordered = _full_names(article)
    people = set(ordered)
    by_surname: dict[str, str] = {}  # the first full name with each surname
    for person in ordered:
        by_surname.setdefault(person.split()[-1], person)
    described: dict[str, list[str]] = {}  # name -> description texts so far
    for paragraph in article.paragraphs:
        text = paragraph.text
        for match in _APPOSITIVE.finditer(text):
            name = person_or_org(match.group("name"))
            desc = match.group("desc").strip()
            first = desc.split()[0].lower()
            if first in _NOT_A_DESCRIPTION and first not in ("a", "an", "the") or _SPEECH_IN_SENTENCE.search(desc):
                continue
            ends_sentence = match.group().endswith(".")  # only after "said": "…, said X, a spokesman for Y."
            if ends_sentence and not re.search(rf"\b{_VERBS}\s+$", text[max(0, match.start() - 100): match.start()]):
                continue
            if name and name in people and 2 <= len(desc.split()) <= 30:
                full = by_surname.get(name.split()[-1], name)
                start = paragraph.start + match.start("desc")
                out.append(Description(article.id, paragraph.number, full, desc, start, start + len(desc)))
                described.setdefault(full, []).append(desc)
        for match in re.finditer(_NAME, text):
            run = match.group()
            name = person_or_org(run)
            if not name or is_org(name) or " " not in name:
                continue
            before_name = run[: run.rfind(name)] if name in run else ""
            roles = {w.lower().rstrip(".") for w in before_name.split()} & (TITLES | _ROLES)
            begin, end = _role_prefix(before_name)
            prefix = run[begin:end]
            if roles - {"mr", "ms", "mrs", "miss", "dr", "the", "a", "an"} and prefix and name in people:
                start = paragraph.start + match.start() + begin
                out.append(Description(article.id, paragraph.number, name, prefix, start, start + len(prefix)))
                described.setdefault(name, []).append(prefix)
        for desc_start, desc_end, name in _roles_before_names(text):
            desc = text[desc_start:desc_end]
            if name in people and not any(desc in known for known in described.get(name, ())):
                start = paragraph.start + desc_start
                out.append(Description(article.id, paragraph.number, name, desc, start, start + len(desc)))
                described.setdefault(name, []).append(desc)
    texts = {paragraph.number: paragraph for paragraph in article.paragraphs}
    return [d for d in out if not a_role_not_a_title(_text_before(d, texts[d.paragraph]))]


def a_role_not_a_title(before: str) -> bool:
    """Does the text `before` a role end in "a"/"an"? Then the role is what the sentence
    wonders about, not the person's title: "how good a prime minister Gordon Brown will
    make" does not make him prime minister. Applied after every description is found, so it
    changes nothing else of what is found."""
    words = [fold(w) for w in re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", before[-40:])]
    return bool(words) and words[-1] in ("a", "an")


def _text_before(description: Description, paragraph) -> str:
    return paragraph.text[: max(0, description.start - paragraph.start)]


def _role_prefix(prefix: str) -> tuple[int, int]:
    """Where the role before a name is, without a sentence-initial word or a closing
    honorific: "But Metropolitan Police Commissioner Sir " -> the span of "Metropolitan
    Police Commissioner"."""
    words = list(re.finditer(r"\S+", prefix))
    if words and words[0].group().lower() in STOP_WORDS:
        words.pop(0)
    while words and words[-1].group().lower().rstrip(".") in _HONORIFICS:
        words.pop()
    return (words[0].start(), words[-1].end()) if words else (0, 0)


_HONORIFICS = {"sir", "dame", "mr", "mrs", "ms", "miss", "dr"}
