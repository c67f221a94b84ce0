"""Does a sentence answer what the question asks, or only share its rarest words?

Word coverage (`compose.question_coverage`) lets a question's rarest words carry it: "When
did Soleimani visit Washington?" was answered with his visit to Moscow, "What is the
population of Blackpool?" with any sentence about Blackpool, "How many bones are in the
human body?" with trainers containing human bones. A sentence may answer a generic, "when"
or "latest" question only if it passes these checks, each cheap and each a plain reading of
the question:

- **names**: each capitalised name in the question after its first word ("Washington",
  "Arsenal", "Atletico Madrid") stands in the sentence, its paragraph or its article's
  title, by its last word ("Andy Roddick" by "Roddick", as articles name people after the
  first mention). A name the passage never mentions is the plainest sign it is about
  something else.
- **point**: the question's most specific other word (the content word of highest IDF once
  names and frame words such as "much", "take" are set aside) stands in the sentence,
  compared by Snowball stem ("resign" finds "resigned", "earn" finds "earned"). "Why did
  Tony Blair resign as prime minister?" is about resigning, whatever the sentences say
  about Tony Blair as prime minister.
- **answer type**: "how many / how much / how long …" needs a number in the sentence
  (digits or a number word: "Twenty-eight people"; for "how many" not only a sum of money,
  a percentage or a year), "when" a date or time expression
  ("on 8 December", "five years ago", "in 2001"), "what causes X" a causal link ("because",
  "caused by", "due to", "led to").
- **relation**: some questions name the parts of one fact, and the sentence must state
  that fact, not only hold its words in different roles. "When did Gordon Brown become
  prime minister?" asks when the named subject did the verb: the verb ("become", by any
  form) and the subject ("Brown", or a pronoun opening the sentence that stands for him)
  stand in the sentence with the date, so his birth date or another man's election date is
  no answer; "Why did Brian Welch join Korn?" is read the same way, without the date.
  "Who invented the telephone?" asks for the agent of the verb on that
  object: the object's words ("telephone") stand in the sentence, not only the verb ("ever
  since they were invented"). "What is the population of Tokyo?" / "How tall is Mount
  Everest?" ask for an attribute of a named thing: that name stands in the sentence
  itself, within a few words of the attribute ("Tokyo's population", "the population of
  Tokyo"), not only in its paragraph or at the other end of the sentence (Japan's over-60s
  "… of the population, explains X of the … Centre in Tokyo"). "When will Usher release his
  next album?" asks about the future: the sentence speaks of it ("will", "is due to",
  "plans", "next"), so his 2004 album is no answer.

None of these is a parser: each reads one question form with a regular expression and
leaves every other form to the first three.

    >>> asked = read_question("When did Mido join Arsenal?")
    >>> asked.names, asked.content, asked.answer_type
    (('mido', 'arsenal'), ('join',), 'date')
    >>> fits(asked, "Mido joined Tottenham in an 18-month loan deal in January.", "", weight=lambda t: 1.0)
    False
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import snowballstemmer

from qabot.text import date_spans, terms

AnswerType = Literal["count", "number", "date", "cause"]

# Words that shape the question rather than say what it is about.
FRAME_WORDS = frozenset(re.findall(r"\w+", """much many long big tall deep far old high large heavy fast often
    make makes made take takes took taken get gets got give gives gave go goes went happen happens happened"""))
_NUMBER_QUESTION = re.compile(r"^\s*(?:how\s+(?:many|much|long|big|tall|deep|far|old|high|large|heavy|fast)|"
                              r"what\s+(?:percentage|proportion|number|share)\s+of)\b", re.IGNORECASE)
_COUNT_QUESTION = re.compile(r"^\s*(?:how\s+many|what\s+number\s+of)\b", re.IGNORECASE)
# What a "how many" question cannot be answered with: a sum of money, a share or a year ("Weekend
# tickets are now on sale priced at £125 each" says nothing of how many were sold).
_NOT_A_COUNT = re.compile(r"[$£€¥]\s?\d[\d,.]*\s*(?:bn|m|k|billion|million|trillion)?\b|"
                          r"\d[\d,.]*\s*(?:%|(?:per\s?cent|percent|euros?|dollars?|pounds?|yen|pence|cents?)\b)|"
                          r"\b(?:1[5-9]|20)\d\ds?\b", re.IGNORECASE)
_DATE_QUESTION = re.compile(r"^\s*(?:when|since\s+when|(?:in\s+)?what\s+(?:year|date|day|month|time)|which\s+year)\b",
                            re.IGNORECASE)
# Not "one": "one of his hotels" answers no "how many".
_NUMBER_WORDS = frozenset(re.findall(r"\w+", """two three four five six seven eight nine ten eleven twelve
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions trillion dozen dozens half quarter
    third"""))
_TIME_WORDS = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)s?\b|\b(?i:ago|yesterday|today|tomorrow|tonight|weekend|spring|summer|"
                         r"autumn|winter|century|decade)\b|\b(?:January|February|March|April|May|June|July|August|"
                         r"September|October|November|December)\b")  # month names capitalised: "may", "march" are verbs
_CAUSE_QUESTION = re.compile(r"^\s*what\s+(?:causes|caused|cause|triggers|triggered|(?:is|was|are|were)\s+the\s+"
                             r"causes?\s+of)\b", re.IGNORECASE)
# How English states a cause: "because of", "caused by", "due to", "blamed on", "led to".
_CAUSAL = re.compile(r"\b(?:because|caus(?:e|es|ed|ing)|due\s+to|owing\s+to|as\s+a\s+result|result(?:s|ed|ing)?\s+"
                     r"(?:of|from|in)|(?:lead|leads|led|leading)\s+to|trigger(?:s|ed|ing)?|blam(?:e|es|ed|ing)|"
                     r"responsible\s+for|thanks\s+to|stem(?:s|med)?\s+from)\b", re.IGNORECASE)
# "When did Gordon Brown become …", "When was Margaret Hassan abducted", "When will Usher release …",
# "Why did Brian Welch join Korn?": a named subject right after the auxiliary, then the verb (after
# "be" when passive).
_WHEN_SUBJECT_VERB = re.compile(r"^\s*(?i:(?:when|why)\s+(?:did|does|do|will|would|was|were|is|are|has|have|had))\s+"
                                r"(?:[A-Z][\w.&'’-]*\s+)*?(?P<subject>[A-Z][\w.&-]*)\s+(?:(?:be|been|being)\s+)?(?P<verb>[a-z]+)\b")
# "Who invented the telephone?": the verb, then its object up to a preposition or the end.
_WHO_VERB_OBJECT = re.compile(r"^\s*who\s+(?!(?:is|are|was|were|will|would|did|does|do|has|have|had|can|could|"
                              r"should|may|might)\b)(?P<verb>[a-z]+)\s+(?P<object>[^?]*)", re.IGNORECASE)
_PREPOSITIONS = re.compile(r"\b(?:in|on|at|of|for|from|to|with|by|about|during|after|before|since|under|over|"
                           r"against|into|than)\b")
# "What is the population of Tokyo?", "How tall is Mount Everest?": an attribute of a named thing.
_ATTRIBUTE_OF = re.compile(r"^\s*(?:what|which)\s+(?:is|are|was|were)\s+the\s+(?P<attribute>[^?]*?)\s+of\s+(?P<thing>[^?]+)"
                           r"|^\s*how\s+(?:tall|big|deep|long|high|large|old|far|heavy|fast|wide)\s+(?:is|are|was|were)\s+"
                           r"(?P<named>[^?]+)", re.IGNORECASE)
ATTRIBUTE_SPAN = 4  # words between an attribute and its thing: "Tokyo's 12 million population", "capital of Australia"
_FUTURE_QUESTION = re.compile(r"^\s*when\s+(?:will|shall)\b", re.IGNORECASE)
# How a news sentence speaks of what is to come: "will be held", "would be introduced", "is due to", "plans to".
_FUTURE = re.compile(r"\b(?:will|would|shall|won't|going\s+to|due\s+(?:to|on|in|out)|(?:is|are)\s+to|set\s+to|expected|"
                     r"plans?|planned|planning|scheduled|intends?|next|later|upcoming|forthcoming|soon)\b|['’]ll\b",
                     re.IGNORECASE)
# What news writes for a place or body it has named: "the country has a population of …".
_STAND_INS = ("country", "nation", "city", "town", "state", "island", "region", "capital", "company", "firm")
_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps the word it works on: one thread at a time


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """The Snowball stem, computed once per word: "what did X say about Y" checks every word of
    each quote's paragraphs, and stemming them in pure Python each time cost 1.4 s CPU for
    "What did Tony Blair say about the Iraq war?" on the BBC index."""
    with _STEMMER_LOCK:
        return _STEMMER.stemWord(word)

# Words whose other forms no stemmer joins: "When did Bob Marley die?" is answered by "his
# death in 1981", "When did the strike begin?" by "… began on 3 March". Each line is one word's
# forms (English's irregular verbs as news uses them, and a few nouns); any form finds the others.
_FORM_GROUPS = """die death dead died | born birth | win won victory | buy bought | sell sold | pay paid
lose lost | leave left | begin began begun | rise rose risen | fall fell fallen | break broke broken
hold held | run ran | bring brought | think thought | tell told | find found | grow grew grown
choose chose chosen | steal stole stolen | fly flew flown | throw threw thrown | fight fought
strike struck | shoot shot | build built | spend spent | send sent | lead led | catch caught
teach taught | seek sought | freeze froze frozen | write wrote written | drive drove driven
ride rode ridden | sink sank sunk | swim swam | sing sang sung | eat ate eaten | forget forgot forgotten
feel felt | keep kept | stand stood | know knew known | see saw seen | come came | become became
hear heard | mean meant | meet met | speak spoke spoken | take took taken | give gave given
go went gone | make made | wear wore worn | hide hid hidden | shake shook shaken | draw drew drawn"""
_OTHER_FORMS = {word: tuple(w for w in group.split() if w != word)
                for group in _FORM_GROUPS.replace("\n", " | ").split("|") for word in group.split()}


@dataclass(frozen=True)
class Asked:
    """What a question needs from a sentence beyond sharing its words."""

    names: tuple[str, ...]  # the last word of each capitalised name, as a term
    content: tuple[str, ...]  # its other content terms
    answer_type: AnswerType | None
    verb: str | None = None  # "become" in "When did Gordon Brown become …": in the sentence with the date
    future: bool = False  # "When will …": the sentence speaks of what is to come
    objects: tuple[str, ...] = ()  # "telephone" in "Who invented the telephone?": in the sentence
    in_sentence: tuple[str, ...] = ()  # "tokyo" in "What is the population of Tokyo?": names the sentence holds
    attribute: str | None = None  # "population": the in-sentence names stand within a few words of it
    relation: bool = False  # a question form the relation checks read ("When did X join", "Who designed Y")
    subject: str | None = None  # "makarov" in "When did Viktor Makarov defect?": in the sentence with the verb


def read_question(question: str, *, topic: bool = False) -> Asked:
    """Names, content words and answer type of `question` (see the module docstring).

    With `topic=True` the text is the topic of "what did X say about Y" ("Manchester
    United"), whose first word may be a name too."""
    words = question.strip().rstrip("?!. ").split()
    if not topic:
        words = words[1:]  # "When", "How", "Which": capitalised because they start the question
    runs: list[list[list[str]]] = []  # the terms of each capitalised word, by name
    names: list[str] = []
    joined = False  # the previous word was capitalised: "Atletico Madrid" is one name
    for word in words:
        clean = word.strip(",.?!;:\"'“”‘’()[]")
        found = terms(clean) if clean != "I" and any(ch.isupper() for ch in clean) else []
        if found:
            if joined:
                runs[-1].append(found)
            else:
                runs.append([found])
            names += found
        joined = bool(found) and word == clean  # a comma or a quote ends the name
    content = [t for t in dict.fromkeys(terms(question)) if t not in names and t not in FRAME_WORDS]
    kind: AnswerType | None = None
    if _NUMBER_QUESTION.match(question):
        kind = "count" if _COUNT_QUESTION.match(question) else "number"
    elif _DATE_QUESTION.match(question):
        kind = "date"
    elif _CAUSE_QUESTION.match(question):
        kind = "cause"
    # A name is matched by its last word: "Andy Roddick" by "Roddick", as articles write it after the first mention.
    named = tuple(dict.fromkeys(t for run in runs for t in run[-1]))
    if topic:
        return Asked(named, tuple(content), kind)
    verb, objects, in_sentence, attribute = _relation(question, named)
    future = bool(_FUTURE_QUESTION.match(question))
    relation = bool(verb or future or in_sentence or kind == "cause" or _WHO_VERB_OBJECT.match(question))
    when = _WHEN_SUBJECT_VERB.match(question) if verb else None
    subject = (terms(when.group("subject")) or [None])[-1] if when else None
    return Asked(named, tuple(content), kind, verb, future, objects, in_sentence, attribute, relation, subject)


def _relation(question: str, names: tuple[str, ...]) -> tuple[str | None, tuple[str, ...], tuple[str, ...], str | None]:
    """The verb, object words and must-be-in-the-sentence names of `question` (module doc, "relation")."""
    verb = None
    when = _WHEN_SUBJECT_VERB.match(question)
    # "make his debut": the object carries the sense; "When did Elan and Biogen …": "and" is no verb
    if when and when.group("verb") not in FRAME_WORDS and terms(when.group("verb")):
        verb = when.group("verb")
    objects: tuple[str, ...] = ()
    who = _WHO_VERB_OBJECT.match(question)
    if who:
        phrase = _PREPOSITIONS.split(who.group("object"), maxsplit=1)[0]
        lower = " ".join(w for w in phrase.split() if not any(ch.isupper() for ch in w))  # names: the name rule
        objects = tuple(t for t in dict.fromkeys(terms(lower)) if t not in FRAME_WORDS)
    in_sentence: tuple[str, ...] = ()
    head = None
    attribute = _ATTRIBUTE_OF.match(question)
    if attribute:
        thing = set(terms(attribute.group("thing") or attribute.group("named")))
        in_sentence = tuple(name for name in names if name in thing)
        head = (terms(attribute.group("attribute") or "") or [None])[-1]  # "chemical formula" -> "formula"
    return verb, objects, in_sentence, head if in_sentence else None


def has_number(text: str) -> bool:
    """Digits or a number word ("Twenty-eight people", "dozens"); "half-dead" is no number."""
    if re.search(r"\d", text):
        return True
    for token in text.lower().split():
        parts = token.strip(",.;:!?\"'“”‘’()[]").split("-")
        if all(part in _NUMBER_WORDS for part in parts):
            return True
    return False


def has_time(text: str) -> bool:
    """A date or time expression: "6 January 2020", "on 8 December", "five years ago", "in 2001"."""
    return bool(date_spans(text) or _TIME_WORDS.search(text))


def keeps_the_point(asked: Asked, text: str, weight: Callable[[str], float],
                    known: Callable[[str], bool] = lambda term: True) -> bool:
    """Does `text` hold the question's most specific content word (the heaviest)?

    "Why did Tony Blair resign as prime minister?" is about "resign", not "prime minister";
    "What is the speed of light in a vacuum?" about "vacuum", not "speed of light". Words
    match by Snowball stem ("resign", "resignation") or a shared start of five letters or
    more ("earners", "earned"), which Snowball leaves apart.

    Only a word some article holds (`known`) can be the point: a word no article holds
    ("month" in a corpus that only says "June") can be in no sentence, and the coverage
    rule, where such a word weighs most, already decides whether the rest is enough."""
    candidates = [t for t in asked.content if known(t)]
    if not candidates:
        return True
    point = max(candidates, key=weight)
    return _found(point, terms(text), shortest_start=5, slack=3)


def _found(word: str, words: list[str], *, shortest_start: int | None, slack: int = 0) -> bool:
    """Is `word` among `words` by Snowball stem, or by a shared start of at least
    `shortest_start` letters that is all of `word` but its last `slack` ("Scotland",
    "Scottish": a name's ending changes more than a word's)? No shared start when
    `shortest_start` is None."""
    stem = _stem(word)
    need = max(shortest_start, len(word) - slack) if shortest_start is not None else len(word) + 1
    others = _OTHER_FORMS.get(word) or _OTHER_FORMS.get(stem, ())
    return any(w == word or _stem(w) == stem or w in others
               or (len(word) >= need and len(w) >= need and w[:need] == word[:need]) for w in words)


def fits(asked: Asked, sentence: str, around: str | Callable[[], str], *, weight: Callable[[str], float],
         before: str = "", known: Callable[[str], bool] = lambda term: True) -> bool:
    """Does `sentence` answer `asked`? `around` is its paragraph and title (text, or a function
    that reads them, called only when a name is missing from the sentence). `before` is the
    sentence a pronoun at its start stands for ("Her campaign …"): its words count for names
    and the point, but the number or date must be in `sentence` itself, the one shown."""
    if sentence.rstrip().rstrip("\"'”’").endswith("?"):  # "What about the magnetic compass?" asks, says nothing
        return False
    if asked.answer_type == "number" and not has_number(sentence):
        return False
    if asked.answer_type == "count" and not has_number(_NOT_A_COUNT.sub(" ", sentence)):
        return False
    if asked.answer_type == "date" and not has_time(sentence):
        return False
    if asked.answer_type == "cause" and not _CAUSAL.search(sentence):
        return False
    if asked.future and not _FUTURE.search(sentence):
        return False
    own = terms(sentence)
    # The verb by its stem or other forms only: "founder" shares the start of "found" but is no founding.
    if asked.verb and not _found(asked.verb, own, shortest_start=None):
        return False
    if asked.verb and asked.answer_type == "date" and not _dated_verb(asked.verb, sentence):
        return False
    said = terms(f"{before} {sentence}")
    # The subject does the verb in this sentence (or in the one its opening pronoun stands for):
    # "… Oleg Gordievsky … said he was … since he defected in 1985" is not when Makarov defected.
    if asked.verb and asked.subject and not _found(asked.subject, said, shortest_start=4, slack=4):
        return False
    if not all(_found(word, said, shortest_start=5, slack=3) for word in asked.objects):
        return False
    if asked.in_sentence and not _attribute_stated(asked, said, own, around):
        return False
    if not keeps_the_point(asked, " ".join(said), weight, known):
        return False
    missing = [name for name in asked.names if not _found(name, said, shortest_start=4, slack=4)]
    return not missing or names_found(Asked(tuple(missing), (), None), around() if callable(around) else around)


_RELATIVE = re.compile(r"\b(?:who|whom|whose|which)\b", re.IGNORECASE)


def _dated_verb(verb: str, sentence: str) -> bool:
    """Is a date or time of `sentence` the verb's, not a relative clause's? "It was founded by
    their father, Dhiru Bhai Ambani, who died two years ago": "two years ago" is when he died,
    so it dates no founding; a relative pronoun between the verb and every date tells."""
    at = [m.start() for m in re.finditer(r"[^\W_]+", sentence) if _found(verb, terms(m.group()), shortest_start=None)]
    times = [start for start, _ in date_spans(sentence)] + [m.start() for m in _TIME_WORDS.finditer(sentence)]
    return any(not _RELATIVE.search(sentence[min(v, t):max(v, t)]) for v in at for t in times)


def _attribute_stated(asked: Asked, said: list[str], own: list[str], around: str | Callable[[], str]) -> bool:
    """Is the attribute of the named thing stated in the sentence: the name (or "the country",
    "the city" … standing for a name its paragraph gives: "The country has a population of
    more than a billion people") within a few words of the attribute?"""
    if all(_found(name, said, shortest_start=4, slack=4) for name in asked.in_sentence):
        return not asked.attribute or _near(asked.attribute, asked.in_sentence, own)
    if not asked.attribute or not _near(asked.attribute, _STAND_INS, own):
        return False
    return names_found(Asked(asked.in_sentence, (), None), around() if callable(around) else around)


def _near(attribute: str, names: tuple[str, ...], words: list[str], span: int = ATTRIBUTE_SPAN) -> bool:
    """Is `attribute` within `span` words of each of `names` in `words`? An attribute of a
    thing is said in one phrase: "the population of Tokyo", "Tokyo's population", "Tokyo has
    a population of"; not "… 30% of the population, explains X of the … Centre in Tokyo"."""
    at = [i for i, w in enumerate(words) if _found(attribute, [w], shortest_start=5, slack=3)]
    if names is _STAND_INS:  # any one of them
        return any(abs(i - j) <= span for i in at for j, w in enumerate(words) if w in _STAND_INS)
    return all(any(abs(i - j) <= span for i in at for j, w in enumerate(words)
                   if _found(name, [w], shortest_start=4, slack=4)) for name in names)


def names_found(asked: Asked, text: str) -> bool:
    """Does `text` name everything `asked` names (each name by its last word)?"""
    words = terms(text)
    return all(_found(name, words, shortest_start=4, slack=4) for name in asked.names)
