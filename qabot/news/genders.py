"""Whom "he" and "she" can mean: each person's grammatical gender, as the article shows it.

A pronoun after a quotation names the person the reader has in mind, and a reader rules out
everyone of the other gender first: in `Warren said Trump … “…,” she continued` "she" is
Warren even though Trump was named last. The gender of a person comes, most trusted first,
from a title the article gives them ("Mr. Bolton", "Mrs. Trump"), from the article's own
pronouns right after their name ("Harrison said she …"), and from their first name
(gender-guesser's list of ~40 000 first names; "Hillary" female, "Bernie" unsure). A person
none of these settles has no gender, and a pronoun may still mean them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Gender = Literal["m", "f"]

_TITLE = re.compile(r"\b(?P<title>Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord)\.?\s+$")
_TITLE_GENDER: dict[str, Gender] = {"Mr": "m", "Sir": "m", "Lord": "m", "Mrs": "f", "Ms": "f", "Miss": "f",
                                    "Dame": "f", "Lady": "f"}
def title_gender(title: str) -> Gender | None:
    """The gender a courtesy title gives ("Mr." -> "m", "Mrs" -> "f"), or None."""
    return _TITLE_GENDER.get(title.rstrip(".").capitalize())


# The first pronoun in the rest of the sentence after a name that is its subject:
# "Harrison said she", "Paradis, who volunteered for Bill Clinton …, says she".
_NEXT_PRONOUN = re.compile(r"\b(?P<pronoun>he|she|his|her|him|himself|herself)\b", re.IGNORECASE)
_MALE_PRONOUNS = {"he", "his", "him", "himself"}


@lru_cache(maxsize=1)
def _detector():
    """gender-guesser's detector; its name table is read once (~1 s), on the first use."""
    import gender_guesser.detector as gender_guesser

    return gender_guesser.Detector(case_sensitive=False)


def load_name_tables() -> None:
    """Read the first-name table now (~1 s), not inside the first article's time budget."""
    _detector()


# Stop words gender-guesser lists as first names, which in English copy open sentences instead ("The Higher Education
# Minister, Kim Howells, said" read as a person's name first); "Will" and "Said" (Edward Said) stay names.
_NOT_FIRST_NAMES = {"the", "his", "my", "are", "be", "here", "just", "tell", "tory"}  # "Tory Dominic Grieve": a party


@lru_cache(maxsize=1 << 14)
def first_name_gender(word: str) -> tuple[Gender | None, bool]:
    """(gender, sure) of a first name: ("f", True) for "Hillary", ("m", False) for "Will"; English function words
    the table also holds as names ("The", "His", "My") are none."""
    if word.lower() in _NOT_FIRST_NAMES:
        return None, False
    guess = _detector().get_gender(word)
    if guess in ("male", "female"):
        return ("m" if guess == "male" else "f"), True
    if guess in ("mostly_male", "mostly_female"):
        return ("m" if guess == "mostly_male" else "f"), False
    return None, False


def is_first_name(word: str) -> bool:
    """Whether `word` is a known first name ("Mary", "Christine"), not a common word ("Top")."""
    return first_name_gender(word)[0] is not None


def genders(text: str, mentions: list[tuple[int, int, str]]) -> dict[str, Gender]:
    """The gender of each person named in `text`, from their (start, end, full name) mentions."""
    titled: dict[str, dict[Gender, int]] = {}
    pronouns: dict[str, dict[Gender, int]] = {}
    for start, end, person in mentions:
        title = _TITLE.search(text, max(0, start - 8), start)
        if title:
            gender = _TITLE_GENDER[title.group("title")]
            titled.setdefault(person, {"m": 0, "f": 0})[gender] += 1
        sentence_end = re.search(r"[.!?](?:\s|$)|\n", text[end:end + 200])
        rest = text[end:end + (sentence_end.start() if sentence_end else 200)]
        found = _NEXT_PRONOUN.search(rest)
        if found and not re.search(r"[“”\"]", rest[:found.start()]):  # not inside a following quotation
            gender = "m" if found.group("pronoun").lower() in _MALE_PRONOUNS else "f"
            pronouns.setdefault(person, {"m": 0, "f": 0})[gender] += 1
    out: dict[str, Gender] = {}
    for person in {person for _, _, person in mentions}:
        by_name, sure = first_name_gender(person.split()[0].strip(".")) if " " in person else (None, False)
        for votes in (titled.get(person), None, pronouns.get(person)):
            if votes is None and by_name and sure:  # the slot between titles and pronouns
                out[person] = by_name
                break
            if votes and votes["m"] != votes["f"] and max(votes.values()) >= 2 * min(votes.values()) + 1:
                out[person] = "m" if votes["m"] > votes["f"] else "f"
                break
        else:
            # an unsure first name ("Bernie" is mostly female to the name table; "Lindsey" Graham) gives way
            # to the article's own pronouns, however few; with none, the person has no gender: on PolNeAR
            # train "Bernie" had made Bernie Sanders a woman in 125 articles, so "he said" was never his.
            votes = pronouns.get(person)
            if votes and votes["m"] != votes["f"]:
                out[person] = "m" if votes["m"] > votes["f"] else "f"
    return out


def pronoun_gender(pronoun: str) -> Gender:
    """"he" -> "m", "she" -> "f"."""
    return "m" if pronoun.lower() in _MALE_PRONOUNS else "f"
