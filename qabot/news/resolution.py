"""Whom a speaker's words mean: "he"/"she" (the last person of that gender who was a sentence's
subject, near enough), "the ministry" (the last organisation with that word), "the
cardinal" (the one person the article titled so: "Cardinal Cormac Murphy-O'Connor") and a
surname alone (the full name used earlier).

Apart from the rules that find the speaker's words (`quotes.py`) because it keeps state over
the whole article (who was named where) and is where most wrong attributions come from: it
is measured and changed on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from qabot.news.genders import first_name_gender, is_first_name, title_gender
from qabot.news.quotations import _quotation_marks, _Spans
from qabot.news.speakers import (
    DEMONYMS,
    DESCRIBED_ROLES,
    HONORIFIC,
    _IRREGULAR_PAST,
    _NAME,
    _ROLES,
    _VERBS,
    _boundary,
    _capitalised_words,
    _no_title_stops,
    is_org,
    person_or_org,
)
from qabot.records import Article
from qabot.text import PARTICLES, STOP_WORDS, acronym, initials

_PRONOUN = re.compile(r"^(?:he|she)$", re.IGNORECASE)
# What may stand between "the" and a role: "The Indiana governor", "the former secretary".
_MODIFIERS = r"(?:(?:former|prime|deputy|foreign|home|shadow|chief|vice|junior|senior|[A-Z][\w-]+)\s+){0,2}"
# "the ministry", "the mayor", "The Indiana governor", "the former secretary": the last word names the body or the post.
# ("the AFI" is no kind of body: an acronym, which `person_or_org` reads and the article may spell out)
_ORG_REF = re.compile(rf"^[Tt]he\s+(?!\w+$){_MODIFIERS}([a-z]+)$|^(?i:the)\s+(?![A-Z]+$)((?i:[a-z]+))$")


@dataclass
class _Speakers:
    """Who has been named so far in the article, for pronouns and surnames."""

    people: list[str]
    orgs: list[str]
    last_person: str | None = None
    # Whom "he" and "she" mean at the quotation being attributed (set before each one).
    pronouns: dict[str, str | None] = field(default_factory=dict)
    last_org: str | None = None
    # "the cardinal" -> the one person the article titled "Cardinal" (`role_titles`).
    by_role: dict[str, str] = field(default_factory=dict)
    # Lookups by word, so resolving stays constant-time in an article with thousands of
    # names: the first full name with a surname, the last organisation with a word in it.
    _by_surname: dict[str, str] = field(default_factory=dict)
    _org_by_word: dict[str, str] = field(default_factory=dict)
    _known: set[str] = field(default_factory=set)

    # The article's text: with two people of one surname, a surname alone means the one it names in full first.
    text: str = ""
    # (offset, name) of each organisation the article names (`org_mentions`), and where the quotation being
    # attributed opens: "the board said" is the last board named before it.
    org_mentions: list[tuple[int, str]] = field(default_factory=list)
    at: int | None = None

    def __post_init__(self) -> None:
        self._known.update(self.people)
        self._by_surname.update(named_first(self.people, self.text))

    def stand_at(self, at: int, mentions: _Mentions) -> None:
        """Attribute what comes next as standing at offset `at`: "he"/"she" and the last person are
        whom the article has named last before it, outside quotation marks (`_Mentions`)."""
        self.at = at
        last = mentions.last_before(at)
        self.last_person = (last if last not in UNNAMED_SPEAKERS else None) or self.last_person
        self.pronouns = {"he": mentions.last_before(at, "m"), "she": mentions.last_before(at, "f")}

    def knows_surname(self, word: str) -> bool:
        """Whether someone named so far has this surname."""
        return word in self._by_surname

    def resolve(self, raw: str) -> str | None:
        raw = raw.strip()
        if _PRONOUN.match(raw):
            return self.pronouns.get(raw.lower(), self.last_person)
        bare = re.sub(r"^[Tt]he\s+", "", raw)
        if bare.lower() in DEMONYMS:  # `," said the American`: the one described
            return self.last_person
        owned = _OWNED_BODY.fullmatch(bare)
        if owned:  # "the Trump campaign": the body is named by whose it is
            return f"{owned.group('owner')} {owned.group('body')}"
        ref = _ORG_REF.match(raw)
        if ref:
            word = (ref.group(1) or ref.group(2)).lower()
            titled = self.by_role.get(word) if word not in self._org_by_word else None
            if titled and self.at is not None and self.text.find(titled.split()[-1], 0, self.at) < 0:
                titled = None  # `“…,” the senator said. Speaking later, Sen. Claire McCaskill …`: not yet named
            if titled:
                self.last_person = titled
                return titled
            if word in DESCRIBED_ROLES and word not in self._org_by_word:
                return self.last_person  # "The world indoor champion said:": the one the sentences before are about
            named = self._named_org(word)  # "the IMF" said: the body as the article spells it out
            return spelled_out(named, self.text) if named else self._org_by_word.get(word)
        name = person_or_org(raw)
        if name is None and raw in self._by_surname:
            name = raw  # "Groening said" is no gerund ("Taking …") once "Matt Groening" is named
        if name is None:
            return None
        spelled = spelled_out(name, self.text)
        if is_org(name) or spelled != name:  # "DrKW": an acronym the article spells out is a body too
            name = spelled
            self.orgs.append(name)
            self._org_by_word.update((word, name) for word in name.lower().split())
            self.last_org = name
            return name
        words = name.split()
        if words[0].lower() in PARTICLES:  # "Le Pen": the surname of the one "Marine Le Pen" named
            longer = [person for person in self.people if person.endswith(" " + name)]
            if len(longer) == 1:
                self.last_person = longer[0]
                return longer[0]
        if len(words) == 2 and not is_first_name(words[0]) and self._by_surname.get(words[1], name) != name \
                and name not in self._known:  # (but "Khizr Khan", named as a person of his own beside Ghazala Khan)
            words = words[1:]  # "Yet Trump", "Donor Adelson": a word before a known surname, not a first name
        if len(words) == 1:  # a surname: the full name used earlier
            name = self._by_surname.get(words[0]) or name
            gender = title_gender(raw.split()[0]) if " " in raw else None
            guess, sure = first_name_gender(name.split()[0])
            if gender and name in self._known and sure and guess != gender:
                # "Mr. Obama" is not Michelle Obama, named first: a man of that surname, named in full or not
                fits = [p for p in self.people if p.split()[-1] == words[0] and first_name_gender(p.split()[0])[0] == gender]
                name = fits[0] if len(fits) == 1 else words[0]
        elif name not in self._known:
            self.people.append(name)
            self._known.add(name)
            self._by_surname.setdefault(words[-1], name)
        self.last_person = name
        return name


    def _named_org(self, word: str) -> str | None:
        """The last organisation named before the quotation that `the <word>` means: one with that
        word in its name ("the board": the Illinois Board of Elections), or of that kind ("the
        newspaper": the last outlet; "the organization": the last organisation)."""
        if self.at is None:
            return None
        kind = _KINDS.get(word)
        before = bisect_left(self.org_mentions, (self.at,))
        # the last ones named before it; a bound keeps an article with thousands of them linear
        for _, name in reversed(self.org_mentions[max(0, before - _ORG_REACH):before]):
            if name in _COUNTRY_ACRONYMS:
                continue  # "In the US, revenue grew …, the company said": a country is no body that speaks
            words = {w.lower() for w in name.split()}
            if word in words or (kind is not None and (not kind or words & kind)):
                return name
        return None


# "the Trump campaign", "Clinton's campaign", "the Obama administration": a body named by whose it is.
_OWNED_BODY = re.compile(r"(?P<owner>[A-Z][\w’'-]+?)(?:['’]s)?\s+(?P<body>campaign|administration)")
_COUNTRY_ACRONYMS = {"US", "USA", "UK", "UAE"}
_ORG_REACH = 200  # how many organisations named before a quotation "the board" may go back over
_OUTLET_WORDS = {"times", "post", "news", "journal", "herald", "tribune", "gazette", "daily", "weekly", "magazine",
                 "review", "press", "ledger", "caller", "beast"}
# "the newspaper wrote", "the group said": a kind of body, not a word of its name (empty: any organisation).
_KINDS: dict[str, set[str]] = {"newspaper": _OUTLET_WORDS, "paper": _OUTLET_WORDS,
                               "organization": set(), "organisation": set(), "group": set(), "company": set(),
                               "firm": set(), "airline": {"airways", "airlines", "airline", "air"}}


def spelled_out(name: str, text: str) -> str:
    """An acronym as the article spells it out ("DrKW" -> "Dresdner Kleinwort Wasserstein", "UKIP" -> "UK
    Independence Party"): the first run of capitalised words whose `initials` it is; else the name as it stands.
    Questions find the body by either (`qabot.text.names.matches`)."""
    letters = acronym(name)
    if not letters:
        return name
    return next((run for run in _spelled_runs(text) if initials(run) == letters), name)


def _without_opening_word(run: str) -> str:
    """`Meanwhile, the International Monetary Fund` -> `International Monetary Fund`: an opening word and its comma
    (which `_SPELLED_RUN` reads as a list's) are no part of a name."""
    head, comma, rest = run.partition(", ")
    if not comma or " " in head:
        return run
    return re.sub(r"^the\s+", "", rest)


@lru_cache(maxsize=2)
def _spelled_runs(text: str) -> tuple[str, ...]:
    """The capitalised runs of two or more words an acronym may stand for ("Marks & Spencer", "Department for
    Constitutional Affairs"), once per article."""
    return tuple(dict.fromkeys(_without_opening_word(m.group()) for m in _SPELLED_RUN.finditer(text)))


# ... a list inside it may have commas: "State Administration of Radio, Film and Television" (SARFT)
# Never over a line break: "Mikoliunas ¶ The Scottish Football Association" is a headline's end and a paragraph's start.
_SPELLED_RUN = re.compile(r"(?<![\w’'])(?!The\s)[A-Z][\w’'-]*"
                          r"(?:,?[^\S\n]+(?:&[^\S\n]+|(?:of|for|and|the)[^\S\n]+)?[A-Z][\w’'-]*)+")


def _a_headline(run: str) -> bool:
    """A headline's words in title case ("Federal Judge Just Gave Hillary Some Of The Worst News"),
    not an organisation's name: small words capitalised inside it, or too many words."""
    words = run.split()
    return len(words) > 7 or any(w.lower() in STOP_WORDS and w.lower() not in _IN_NAMES for w in words[1:])


_IN_NAMES = {"of", "for", "on", "the", "and"}
_ORG_RUN = re.compile(rf"{_NAME}(?:\s+(?:of|for|on)\s+(?:the\s+)?{_NAME})?")


@lru_cache(maxsize=2)
def org_mentions(article: Article) -> list[tuple[int, str]]:
    """(offset, name) of each organisation the article names outside quotation marks, in order:
    a capitalised run that is one (`person_or_org`, `is_org`), or a body named by whose it is."""
    quoted = _quoted(article)
    found = []
    runs = (run for line in re.finditer(r"[^\n]+", article.text)  # a name never runs over a line
            for run in _ORG_RUN.finditer(article.text, line.start(), line.end()))
    for match in runs:
        name = person_or_org(match.group())
        if name and is_org(name) and not quoted.holds(match.start()) and not _a_headline(match.group()):
            # the whole run, "of" and all ("Illinois Board of Elections"), less a leading article
            found.append((match.start(), re.sub(r"^(?:[Tt]he|[Aa]n?)\s+|['’]s$", "", match.group())))
    for match in _OWNED_BODY.finditer(article.text):
        if not quoted.holds(match.start()):
            found.append((match.start(), f"{match.group('owner')} {match.group('body')}"))
    return sorted(found)


def named_first(people: list[str], text: str) -> dict[str, str]:
    """Surname -> the person of that surname `text` names in full first (with no text, or a name
    not in it, the first in `people`): a surname alone means them. A story introduces its main
    person first, and names a relative in full each time to tell them apart: "As Donald Trump
    began tweeting … Eric Trump said … “…,” Eric Trump said … “…” Trump tweeted" is the father.
    Measured on train's hand-read speakers (2026-12-02) against "the one named in full most", the
    rule before: 17 more right answers, 1 more answer; dev unchanged (that rule had been measured on
    the derived gold, which resolves surnames the same way)."""
    def first_at(person: str) -> int:
        at = text.find(person) if text else -1
        return at if at >= 0 else len(text)
    owner: dict[str, str] = {}
    for person in sorted(people, key=first_at):  # stable: ties keep the order of `people`
        owner.setdefault(person.split()[-1], person)
    return owner


@lru_cache(maxsize=2)  # _mentions, unnamed_mentions, then with_pronouns ask about the same article
def _quoted(article: Article) -> _Spans:
    """Where the article's quotation marks enclose text: no mention of anyone counts there."""
    return _Spans((p.start + q[0], p.start + q[3]) for p in article.paragraphs for q in _quotation_marks(p.text))


def _mentions(article: Article, people: list[str], titled: dict[str, str] | None = None) -> list[tuple[int, int, str, bool]]:
    """(start, end, full name, is subject) of every mention of a known person outside quotation
    marks, "the cardinal" among them when `titled` (`role_titles`) says whom it means."""
    quoted = _quoted(article)
    text = article.text
    # A surname alone, when two people share it, is one mention, not one for each of them.
    owner = named_first(people, text)
    found = []
    # the surname inside a relative's full name ("Eric Trump") is no mention of the one it means alone; grouped once,
    # not by a scan of everyone per person (articles with thousands of names)
    sharing: dict[str, list[str]] = {}
    for person in people:
        sharing.setdefault(person.split()[-1], []).append(person)
    for person in people:
        surname = person.split()[-1]
        relatives = [other for other in sharing[surname] if other != person and other.endswith(" " + surname)]
        for start, end in _name_mentions(text, person, surname):
            alone = end - start == len(surname) and person != surname
            if alone and any(text.startswith(other, start - len(other) + len(surname)) for other in relatives):
                continue
            if not quoted.holds(start) and not (alone and owner[surname] != person):
                found.append((start, end, person, _is_subject(text, start, end)))
    for role, person in (titled or {}).items():
        first = text.find(person)
        for match in re.finditer(rf"\b[Tt]he\s+{_MODIFIERS}{role}\b(?!\s+(?:of\b|[A-Z]))", text[first:] if first >= 0 else ""):
            start, end = first + match.start(), first + match.end()
            # Only as a sentence's subject ("The cardinal said …"): "… look into the judge" names nobody who speaks.
            if not quoted.holds(start) and _is_subject(text, start, end):
                found.append((start, end, person, True))
    return sorted(found)


# Someone the article describes and never names, as a sentence's subject ("A Labour spokesman denied …", "Tony Blair's
# official spokesman said"): a mention "he"/"she" may mean, so that `“…,” he said` after them is nobody we can name,
# not the last person named before them. Each is one of these stand-ins, never a speaker. (`the prime minister's
# official spokesman`, an owner in small letters, is not read as such a mention; `quotes.py` reads it as someone never
# named only where the speech verb follows, `_OWNED_SPOKESPERSON`.)
UNNAMED_MAN, UNNAMED_WOMAN, UNNAMED = "(an unnamed man)", "(an unnamed woman)", "(someone unnamed)"
UNNAMED_SPEAKERS = frozenset((UNNAMED_MAN, UNNAMED_WOMAN, UNNAMED))
UNNAMED_GENDERS = {UNNAMED_MAN: "m", UNNAMED_WOMAN: "f"}
_UNNAMED_KINDS = {"spokesman": UNNAMED_MAN, "spokeswoman": UNNAMED_WOMAN}
# ... "a/one/another …" and the kind, "the spokesman", or whose spokesperson they are (a name of up to four words,
# bounded so a run of capitalised words stays linear); not when a name follows (`a spokesman, John Smith,`, `Trump's
# spokeswoman Hope Hicks`)
_SOMEONE = r"(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+(?:[\w’'&.-]+\s+){0,4}?(?:spokes(?:man|woman|person)|official|source|aide)\b"
_SPOKESPERSON = r"(?:[a-z]+\s+){0,2}?spokes(?:man|woman|person)\b"
_OWNER_OF_SPOKESPERSON = r"(?:[Tt]he\s+(?:[a-z]+\s+){0,2}[a-z]+['’]s)"  # `the prime minister's` (official spokesman)
_SOMEONE_MENTIONED = re.compile(rf"\b(?:{_SOMEONE}|[Tt]he\s+{_SPOKESPERSON}"
                                rf"|(?:(?<![\w’'.-])(?:[A-Z][\w.-]*\s+){{0,3}}[A-Z][\w.-]*['’]s?|{_OWNER_OF_SPOKESPERSON})"
                                rf"\s+{_SPOKESPERSON})(?![,\s]+[A-Z])")
# ... unless a name comes right before, the description its appositive: `Ahmed Shaheed, the chief government spokesman.`
_APPOSITIVE_OF_A_NAME = re.compile(r"[A-Z][\w’'.-]*(?:\s+\([^()]{1,30}\))?,\s*$")


def unnamed_mentions(article: Article) -> list[tuple[int, int, str, bool]]:
    """(start, end, stand-in, True) of each subject described and never named (`UNNAMED`), outside quotation marks."""
    quoted = _quoted(article)
    text = article.text
    found = []
    for match in _SOMEONE_MENTIONED.finditer(text):
        if quoted.holds(match.start()) or not _is_subject(text, match.start(), match.end()):
            continue
        if _APPOSITIVE_OF_A_NAME.search(text, max(0, match.start() - 40), match.start()):
            continue
        kind = re.search(r"\w+$", match.group()).group().lower()
        found.append((match.start(), match.end(), _UNNAMED_KINDS.get(kind, UNNAMED), True))
    return found


def with_pronouns(article: Article, found: list[tuple[int, int, str, bool]],
                  gender_of: dict[str, str]) -> list[tuple[int, int, str, bool]]:
    """`found` (`_mentions`) with each "he"/"she" that is a sentence's subject outside quotation
    marks added as a mention of the person it means, as `_Mentions` resolves it from the
    mentions before it, these among them: "Fowler said …. He added a note of caution. ¶ “…,”
    he said" is Fowler's though his name is 500 characters back, because each "he" carries him on."""
    quoted = _quoted(article)
    text = article.text
    pronouns = [(m.start(), m.end(), "m" if (m.group(1) or m.group(2)).lower() == "he" else "f")
                for m in _SUBJECT_PRONOUN.finditer(text) if not quoted.holds(m.start())]
    out: list[tuple[int, int, str, bool]] = []
    named = iter(found)
    following = next(named, None)
    for start, end, gender in pronouns:
        while following is not None and following[0] < start:
            out.append(following)
            following = next(named, None)
        person = _last_of_gender(out, len(out), start, gender, gender_of, text)
        if person is not None:
            out.append((start, end, person, True))
    if following is not None:
        out.append(following)
    out.extend(named)
    return out


# "He added", "she said", "That's why, he argued,": a subject pronoun (a verb follows it) or one opening a sentence.
_SUBJECT_PRONOUN = re.compile(r"(?:(?<=[.!?]\s)|(?<=[.!?][”\"’]\s)|(?<=\n)|(?<=^))(He|She)\b|\b(he|she)(?=\s+(?:also\s+|then\s+)?"
                              rf"(?:[a-z]+(?:ed|es|s)|is|was|has|had|{_IRREGULAR_PAST}|will|would|can|could)\b)")


def _last_of_gender(mentions: list[tuple[int, int, str, bool]], count: int, offset: int, gender: str,
                    gender_of: dict[str, str], text: str) -> str | None:
    """Whom "he"/"she" at `offset` means, from the first `count` of the sorted `mentions` (those
    before it): the last person of that gender (or of none known) who was a sentence's subject
    (the one its head names, `_head_of_sentence`, over a subject inside it), else the last one
    named, at most `_PRONOUN_WALK` mentions and `_PRONOUN_REACH` characters back."""
    named = None
    unsure = None  # the last subject whose gender is not known
    nameless = None  # the last name of no known gender and no first name: "Vote Tory", "Cadena Cope", "Nintendo"
    for i in range(count - 1, max(-1, count - 1 - _PRONOUN_WALK), -1):
        start, _, name, subject = mentions[i]
        if offset - start > _PRONOUN_REACH:
            break  # nobody named near enough: "he" is left unresolved rather than guessed
        if gender_of.get(name, gender) != gender:
            continue
        if subject and (name in gender_of or name == UNNAMED):  # (`said a Juventus official`: of either gender)
            return _head_of_sentence(text, mentions, i, gender, gender_of) or name
        if name not in gender_of and not is_first_name(name.split()[0]):
            nameless = nameless or name
            continue
        if subject:
            unsure = unsure or name
        named = named or name
    return unsure or named or nameless


def _head_of_sentence(text: str, mentions: list[tuple[int, int, str, bool]], i: int, gender: str,
                      gender_of: dict[str, str]) -> str | None:
    """Another person of `gender` named at the head of the sentence `mentions[i]` is a subject inside, whom
    the sentence is about: `Tory MP David Davis echoed criticisms of the way Mr Blunkett introduced the
    rules. “…,” he said` is Davis's (a head with a role in small letters, `Shadow home secretary David Davis`,
    is not read as one: BBC and PolNeAR no better). Not past a clause of its own (`_CLAUSE_BREAK`: `Fowler
    scored and Keegan sympathised`, `cocaine - a move Wenger has backed`), nor a head that is no subject of
    the sentence (`_heads_the_sentence`). BBC read articles (1 344) +25 right, PolNeAR train +18, dev +3."""
    start = mentions[i][0]
    for j in range(i - 1, max(-1, i - _HEAD_WALK), -1):
        head_start, head_end, head, subject = mentions[j]
        between = text[head_end:start]
        if _CLAUSE_BREAK.search(between) or len(_DASH.findall(between)) % 2:  # a dash pair is an aside
            return None
        if (subject and head != mentions[i][2] and gender_of.get(head) == gender and is_first_name(head.split()[0])
                and _heads_the_sentence(text, head_start, head_end)):
            return head
    return None


def _heads_the_sentence(text: str, start: int, end: int) -> bool:
    """Whether the name at `start`-`end` opens its sentence as its subject: only capitalised words before it,
    none a subordinator (`If Mr Blair did not take part, …, Lord Holme said`), and no possessive
    (`Kenteris' lawyer Gregory Ioannidis said`), modifier (`Trump campaign chairman Paul Manafort said`) or
    aside (`Trump, Sexton said, has created`) after it."""
    after = text[end:end + 110]
    if not _SENTENCE_OPENS.search(text[max(0, start - 80):start]) or re.match(r"['’]", after):
        return False
    if re.match(r"\s+[a-z]", after):
        return bool(_VERB_AFTER.match(after))
    return not _ASIDE_AFTER.match(after)


_HEAD_WALK = 6  # mentions back within the sentence
# A sentence of its own after the head, a quotation, a semicolon, or "and"/"but"/"while"/"as" right before the
# later name
_CLAUSE_BREAK = re.compile(r"[.!?][”\"’]?\s|\n|[“”\";]|\b(?:and|but|while|whereas|as)\s+(?:[A-Z][\w’'.-]*\s+)*$")
_DASH = re.compile(r"\s[-–—]\s")
_SENTENCE_OPENS = re.compile(r"(?:^|[.!?][”\"’]?\s+|\n)(?:(?!(?:If|When|Although|Though|Because|While|As|After|Before|"
                             r"Unless|Once|Since|Until|Whether)\b)[A-Z][\w.’'\-]*\s+|the\s+|of\s+)*$")
_ASIDE_AFTER = re.compile(rf",\s+(?:[A-Z][\w’'.-]*\s+)+{_VERBS},")


def role_titles(article: Article, people: list[str]) -> dict[str, str]:
    """Role word -> person, for each role the article puts before exactly one person's full
    name as a title ("Cardinal Cormac Murphy-O'Connor", "Indiana Gov. Mike Pence", "Republican
    nominee Donald Trump", "Mayor Bill de Blasio"): "The cardinal said …. He added: “…”" is his,
    four paragraphs after his name. A role put before two names ("President Obama", "World Bank
    President Jim Yong Kim") means nobody."""
    text = article.text
    by_surname = {person.split()[-1]: person for person in people}
    holders: dict[str, set[str]] = {}
    for match in _TITLE_THEN_NAME.finditer(text):
        role = match.group("role").lower()
        holders.setdefault(_TITLE_WORDS.get(role, role), set()).add(match.group("name").split()[-1])
    return {role: by_surname[surname] for role, (surname,) in (
        (role, tuple(named)) for role, named in holders.items() if len(named) == 1) if surname in by_surname}


# Abbreviated titles, as the role a reader hears in "the governor said".
_TITLE_WORDS = {"gov": "governor", "sen": "senator", "rep": "congressman"}
_TITLE_THEN_NAME = re.compile(
    rf"\b(?P<role>(?i:{'|'.join(sorted(_ROLES | {'nominee'} | set(_TITLE_WORDS)))}))\.?\s+"
    r"(?P<name>(?:[A-Z][\w’'-]*\.?\s+|(?:de|van|von|da|di|du|del|della|la|le|bin|al)\s+)*[A-Z][\w’'-]+)")


def _name_mentions(text: str, person: str, surname: str):
    """(start, end) of each `\\b(?:person|surname)\\b` in `text`, as `re.finditer` finds them.

    Tried only where the surname stands (the full name ends with it), found through
    `_capitalised_words`: finding every person of an article costs its mentions, not its
    length once per person (a 10 MB text with thousands of names ran for hours).
    """
    first = re.match(r"\w+", surname)
    words = _capitalised_words(text)
    if not first or first.group() not in words.index_of:  # a surname that starts oddly: scan
        for match in re.finditer(rf"\b(?:{re.escape(person)}|{re.escape(surname)})\b", text):
            yield match.span()
        return
    lead = len(person) - len(surname)
    done = 0
    places = words.index_of[first.group()]
    for start in sorted({at - lead for at in places} | set(places)) if lead else places:
        if start < done or not _boundary(text, start):
            continue
        for name in (person, surname):
            end = start + len(name)
            if text.startswith(name, start) and _boundary(text, end):
                yield start, end
                done = end
                break



class _Mentions:
    """Whom "he"/"she" before an offset means: the last person of that gender (or of none
    known) who was the subject of a sentence ("Fowler said he expects Clinton to recover.
    “…,” he said" is Fowler; "Warren said Trump … “…,” she continued" is Warren), else the
    last one named. Answered by bisection over the sorted mentions, then a short walk back."""

    def __init__(self, mentions: list[tuple[int, int, str, bool]], text: str,
                 gender_of: dict[str, str] | None = None):
        self._mentions = mentions
        self._text = text
        self._offsets = [start for start, _, _, _ in mentions]
        self._gender_of = gender_of or {}
        self._subject: list[str | None] = []  # the last subject among the first i + 1 mentions
        last = None
        for _, _, name, subject in mentions:
            last = name if subject else last
            self._subject.append(last)

    def last_before(self, offset: int, gender: str | None = None) -> str | None:
        count = bisect_right(self._offsets, offset - 1)
        if not count:
            return None
        if gender is None:
            return self._subject[count - 1] or self._mentions[count - 1][2]
        return _last_of_gender(self._mentions, count, offset, gender, self._gender_of, self._text)

    def head_between(self, start: int, end: int) -> str | None:
        """The last person named who opens a sentence as its subject between `start` and `end`
        (`_heads_the_sentence`): whom the narration between two quotations turned to. Not "he"/"she": resolved
        from the names before, it may mean someone named in full over the speaker named by surname alone
        (`"…," Obama said after meeting Vladimir Putin. He didn't suggest retaliation. "…"`, dev)."""
        found = None
        for i in range(bisect_left(self._offsets, start), bisect_left(self._offsets, end)):
            at, stop, name, subject = self._mentions[i]
            named = self._text[at:stop].lower() not in ("he", "she")
            if subject and named and _heads_the_sentence(self._text, at, stop):
                found = name
        return found


# How many mentions back, and how many characters before the quotation, a pronoun looks for a
# person of its gender. On PolNeAR train, "he said" resolved to someone last named 400 to 1000
# characters back was right 14 times in 53, and never beyond: such quotations are left out.
_PRONOUN_WALK = 40
_PRONOUN_REACH = 400


# A mention is a sentence's subject when only capitalised words (titles, "Retired U.S. Air Force
# Gen.") stand before it in the sentence, or a verb follows it ("Ham made", "Kosachev wrote").
_SENTENCE_HEAD = re.compile(r"(?:^|[.!?:][”\"’]?\s+|\n)(?:(?:[A-Z][\w.’'\-]*|of|the)\s+)*$")
# ... a verb right after the name, or after an appositive: "Sarandon, 69, told MSNBC", "Tyler, a Cruz spokesman, said"
_VERB_AFTER = re.compile(r"^(?:,\s+(?:\d{1,3}|(?:an?|the|who)\s[^,.;“”\"]{1,60}?),)?,?\s+(?:also\s+|then\s+|later\s+)?"
                         rf"(?:[a-z]+(?:ed|es|s)|is|was|has|had|{_IRREGULAR_PAST}|will|would|can|could"
                         r"|(?:would|could|did|does|do|is|was|has|had|ca|wo)n[’']t)\b")  # `Don Stewart wouldn’t say`


def _is_subject(text: str, start: int, end: int) -> bool:
    if _SUBORDINATE.search(text, max(0, start - 20), start):
        return False  # "Kenyon played down reports that Robben will return": Robben is no sentence's subject
    if _PREPOSITION.search(text, max(0, start - 12), start):
        return False  # "the reaction to Trump has been rejection": the object of "to", though a verb follows
    if _REPORTED_CLAUSE.search(text, max(0, start - 40), start) or (
            _REPORTED_CLAUSE_TITLED.search(text, max(0, start - 50), start) and not text.startswith(",", end)):
        return False  # "Pence said Trump will follow a different schedule": the clause Pence said, not the sentence
    return bool(_SENTENCE_HEAD.search(_no_title_stops(text[max(0, start - 80):start + 1])[:-1])  # "Sen. |T"
                # `“…,” said Neil Hammerton, managing director of Email Systems. “…,” he said.`: the speaker
                or _SAID_AFTER_QUOTATION.search(text, max(0, start - 80), start)
                or _VERB_AFTER.match(text[end:end + 110])
                # `Sen. Dianne Feinstein of California, the ranking Democrat …, who said none of the emails …`
                or _WHO_SAID.match(text[end:end + 200]))


_WHO_SAID = re.compile(rf"(?:\s+of\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?(?:,[^.;“”\"]{{1,100}}?)?,\s+who\s+(?:also\s+)?{_VERBS}")
_SUBORDINATE = re.compile(r"\b(?:that|whether|if|because|although|though|unless|until|whom)\s+$")
_PREPOSITION = re.compile(r"\b(?:to|of|for|with|by|from|about|against|toward|towards|into|than|like|between|among)\s+$")
# ... and the name a speech verb after a quotation gives (`,” said team-mate Chris Paterson`): the sentence's subject
_SAID_AFTER_QUOTATION = re.compile(rf"[”\"’],?\s+{_VERBS}\s+(?:[^\s“”\"]+\s+){{0,5}}$")
# A speech verb right before the name, not after a quotation ("“…,” said Kosachev" is his sentence)
_REPORTED_CLAUSE = re.compile(rf"(?<![”\"’])(?<![”\"’],)\s\b{_VERBS}\s+$")
# ... and with an honorific between ("Dempsey said Mr Ahern had been"), unless a comma closes the name: "The answer,
# says Prof Brewer, is wi-fi" is Brewer's sentence
_REPORTED_CLAUSE_TITLED = re.compile(rf"(?<![”\"’])(?<![”\"’],)\s\b{_VERBS}\s+{HONORIFIC}$")
