"""What a news question asks: whose words, who someone is, when, or something else.

    >>> parse_question("What did Shepovalenko say about revenge?")
    Question(kind='said', text='What did Shepovalenko say about revenge?', person='Shepovalenko', topic='revenge', ...)

Follow-ups resolve against the previous turn: "what else did he say?", "who is she?" and
"and Bogdanov?" (same kind of question, new person). A question that names its own
subject starts fresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["said", "who", "when", "latest", "generic"]

_SPEECH_VERBS = r"(?:say|said|tell|told|think|thinks|thought|feel|believe|comment|react|respond|write|wrote|argue|claim|admit|mean|add)"
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "hers"}

# "What did X say (about Y)?", "How did X react (to Y)?", "What did X tell Al-Monitor?"
_SAID = re.compile(
    rf"^(?:so\s+|and\s+)?(?:what|how)\s+(?:else\s+)?(?:did|does|do|has|have|had|is|was)\s+(?P<person>.+?)\s+"
    rf"(?:else\s+)?(?:have\s+to\s+)?{_SPEECH_VERBS}(?:ed|s)?\b(?P<rest>.*)$",
    re.IGNORECASE,
)
# "X's comments on Y", "X's reaction to Y", "X's view about Y"
_POSSESSIVE = re.compile(
    r"^(?:what\s+(?:are|were|was|is)\s+)?(?P<person>.+?)['’]s?\s+(?:comments?|views?|reactions?|remarks?|statements?|"
    r"quotes?|words|opinions?|thoughts|position)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_QUOTES_BY = re.compile(r"^(?:quotes?|statements?|comments?)\s+(?:by|from)\s+(?P<person>.+?)(?P<rest>\s+(?:about|on)\s+.*)?$", re.IGNORECASE)
_TOPIC = re.compile(r"^\s*(?:(?:to|the)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s*)?(?:about|on|regarding|of|to|over|concerning)\s+(?P<topic>.+)$", re.IGNORECASE)
_WHO = re.compile(r"^(?:(?:and\s+)?who\s+(?:is|was|are|'s)|who's|tell\s+me\s+about)\s+(?P<person>.+)$", re.IGNORECASE)
# "and Bogdanov?", "what about Bogdanov?", "and what about Bogdanov?"
_AND = re.compile(r"^(?:and\s+)?(?:(?:what|how)\s+about\s+)?(?<=\s)(?P<person>.+)$", re.IGNORECASE)
# Where something was said is not what it was about: "what did Nowak write on LinkedIn?"
_CHANNEL = re.compile(r"^(?:on|in)\s+(?:facebook|twitter|x|linkedin|telegram|instagram|youtube|social\s+media|"
                      r"(?:a|an|the|his|her|their)\s+(?:blog|post|tweet|statement|interview|letter|column))$", re.IGNORECASE)
_LATEST = re.compile(r"\b(?:latest|most\s+recent|newest|recently)\b", re.IGNORECASE)
_ELSE = re.compile(r"\belse\b", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    kind: Kind
    text: str
    person: str | None = None
    topic: str | None = None
    date_focus: bool = False
    follow_up: bool = False


def parse_question(text: str, previous_subject: str | None = None, previous_kind: str | None = None) -> Question:
    """Classify `text`; pronouns and "and X?" resolve against the previous turn."""
    text = " ".join(text.split())
    bare = text.rstrip("?!. ")

    def person_or_previous(raw: str) -> tuple[str | None, bool]:
        name = _clean_person(raw)
        if name is None or name.casefold() in _PRONOUNS:
            return previous_subject, previous_subject is not None
        return name, False

    for pattern in (_SAID, _POSSESSIVE, _QUOTES_BY):
        match = pattern.match(bare)
        if match:
            person, follow = person_or_previous(match.group("person"))
            if person is not None:
                topic = _topic(match.group("rest") or "")
                return Question("said", text, person, topic, follow_up=follow or bool(_ELSE.search(bare)))
    match = _WHO.match(bare)
    if match:
        person, follow = person_or_previous(match.group("person"))
        if person is not None:
            return Question("who", text, person, follow_up=follow)
    match = _AND.match(bare)
    if match and previous_kind in ("said", "who"):
        person = _clean_person(match.group("person"))
        if person:
            return Question(previous_kind, text, person, follow_up=True)  # type: ignore[arg-type]
    if re.match(r"^\s*(?:when|what\s+(?:year|date|day|month))\b", bare, re.IGNORECASE):
        return Question("when", text, _names_in(bare), date_focus=True)
    if _LATEST.search(bare):
        return Question("latest", text, _names_in(bare))
    words = {w.casefold() for w in re.findall(r"\w+", bare)}
    if words & _PRONOUNS and previous_subject:
        return Question("generic", text, previous_subject, follow_up=True)
    return Question("generic", text, _names_in(bare))


def _clean_person(raw: str) -> str | None:
    name = re.sub(r"^(?:the|a|an)\s+", "", raw.strip(" ,?!.\"'“”"), flags=re.IGNORECASE)
    name = re.sub(r"\s+(?:else|also)$", "", name, flags=re.IGNORECASE)
    if not name or len(name.split()) > 6 or name.casefold() in {"it", "this", "that", "you", "i", "we", "people", "everyone"}:
        return None
    return name


def _topic(rest: str) -> str | None:
    rest = rest.strip(" ,?!.")
    if not rest:
        return None
    match = _TOPIC.match(rest)
    if match and not _CHANNEL.match(rest):
        return match.group("topic").strip() or None
    return None


def _names_in(text: str) -> str | None:
    """The first capitalised name after the question's first word, if any ("Soleimani")."""
    words = text.split()
    for i, word in enumerate(words[1:], 1):
        clean = word.strip(",.?!\"'“”")
        if clean[:1].isupper() and clean.casefold() not in _PRONOUNS and clean not in ("I",):
            run = [clean]
            for nxt in words[i + 1:]:
                nxt = nxt.strip(",.?!\"'“”")
                if nxt[:1].isupper():
                    run.append(nxt)
                else:
                    break
            return re.sub(r"['’]s$", "", " ".join(run))
    return None
