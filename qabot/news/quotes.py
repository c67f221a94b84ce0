"""Who said what, and how articles describe people: rules over one article's paragraphs.

Quotations are the words between double quotation marks (straight or curly), or between
single ones used as the outer marks (‘…’ British style); single quotes inside a double-quoted
quotation stay part of it, and runs of one or two words are scare quotes, not quotations.
The text is verbatim without the marks; a trailing comma ("…,” he said) is dropped, while
. ? ! and a closing inner mark are kept. Each quotation is attributed by the first rule that
applies, in this order:

1. after it, in the same sentence: `“…,” Kosachev said.` / `"…," said the ministry.`
2. before it, in the same sentence: `Bogdanov told Al-Monitor, “…”` / `He added, "…"` /
   `a Foreign Ministry statement said, "…"` / `according to X, "…"`;
3. a speech verb earlier in the same paragraph: `X wrote on Facebook … “…”`;
4. a paragraph that opens a quotation without closing it continues into the next one,
   whose quotation keeps the same speaker;
5. a paragraph that is only a quotation continues the last speaker of the paragraph before
   (`“…,” Viguerie says. ¶ “…”`), unless that quotation asked a question.

"He"/"she" continue the last person of that gender (or of none known: `genders.py`) who was
the subject of a sentence, at most 400 characters back ("Fowler said he expects Clinton to
recover. “…,” he said" is Fowler's; "Warren said Trump … “…,” she continued" is Warren's),
"the ministry" the last organisation with that word, and a surname alone ("Bogdanov added")
resolves to the full name used earlier. A quotation with no identifiable speaker is left
out: no attribution is ever invented. The rules are measured on PolNeAR (README, "Answers:
who said what"; `bench/quote_attribution.py`).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from qabot.news.genders import genders, is_first_name
from qabot.records import Article, Description, Quote
from qabot.text import PARTICLES, STOP_WORDS, TITLES

_VERBS = (r"(?:said|says|say|added|adds|told|tells|wrote|writes|concluded|noted|notes|explained|argued|stated|"
          r"warned|insisted|continued|declared|remarked|replied|commented|posted|tweeted|stressed|emphasized|"
          r"emphasised|observed|asked|recalled|acknowledged|admitted|announced|suggested|believes|thinks|"
          # measured on PolNeAR dev (bench/quote_attribution.py): verbs and participles reporters use
          r"joked|fumed|responded|interjected|suggests|quipped|countered|cautioned|predicted|boasted|"
          r"complained|conceded|lamented|mused|vowed|promised|saying|telling|adding|writing|tweeting|"
          # measured on PolNeAR train, each kept only where at least three in four of the speakers it
          # added were right ("called" added 32 right and 20 wrong, "described" 6 and 8: left out)
          r"contended|contends|maintained|asserted|testified|recounted|recalls|reiterated|"
          r"urged|went\s+on|promising|answered|answers|referred|touted|declares|explains|concludes|jokes|"
          r"continues|agrees|charged|argues|points\s+out|opined|characterized|estimated|mocked|declaring|accusing)")
# A capitalised word; a full stop only after an initial or a known abbreviation ("Gen.", "J."),
# so a name never runs over a sentence end ("Middle East. Its").
_CAP = (r"(?:(?:[A-Z]|Mr|Mrs|Ms|Dr|Gen|Maj|Col|Lt|Capt|Cmdr|Brig|Sgt|Cpl|Sen|Rep|Del|Gov|Prof|Adm|Amb|Atty|Rev|"
        r"Hon|Supt|Det|St|Jr|Sr|Ret)\."
        r"|[A-Z][\w’'\-]*(?<![’'])|al-[A-Z][\w’'\-]*|de|van|von|bin|ibn)")
_NAME = rf"(?<![\w’'\-]){_CAP}(?:\s+{_CAP})*"
_ORG_WORDS = {"ministry", "government", "office", "department", "committee", "council", "agency", "statement",
              "spokesman", "spokeswoman", "spokesperson", "police", "army", "military", "company", "bank",
              "party", "union", "commission", "court", "kremlin", "white", "house", "embassy", "service",
              "organisation", "organization", "group", "board", "administration", "senate", "parliament",
              "council", "institute", "university", "centre", "center", "academy", "fund", "force", "corps",
              "foundation", "association", "federation", "forum", "league", "times", "post", "ledger", "news",
              "journal", "herald", "tribune", "gazette", "daily", "weekly", "review", "press", "radio", "agency",
              "reuters", "ministry's", "council's"}
_ROLE_TAIL = {"statement", "spokesman", "spokeswoman", "spokesperson", "official", "officials", "source", "sources"}
_ROLES = {"governor", "president", "economist", "researcher", "planner", "engineer", "lawyer", "historian", "expert", "journalist",
          "chair", "chairman", "chairwoman", "director", "editor", "minister", "secretary", "spokesman",
          "spokeswoman", "ambassador", "envoy", "commander", "chief", "head", "leader", "speaker", "analyst",
          "professor", "fellow", "deputy", "officer", "adviser", "advisor", "correspondent", "founder", "ceo",
          "pastor", "bishop", "archbishop", "rabbi", "imam", "reverend", "cardinal"}
_PRONOUN = re.compile(r"^(?:he|she)$", re.IGNORECASE)
_ORG_REF = re.compile(r"^the\s+([a-z]+)$", re.IGNORECASE)

# Rule 1: `,” Kosachev said` / `,” said Kosachev` / `,” he added` right after the quote.
# A lowercase role may precede the name: `,” union leader Marta Jansen said`.
_AFTER = re.compile(rf"^[\s,]*(?:(?:[a-z]+\s+){{0,3}}?(?P<who>{_NAME}|[Hh]e|[Ss]he|the\s+[a-z]+)\s+(?:also\s+)?{_VERBS}"
                    # `,” said MSNBC host Chris Matthews.`: the name that ends the clause
                    rf"|{_VERBS}\s+(?:(?:[a-z]+|{_NAME})\s+){{0,3}}?(?P<who2>{_NAME})(?=\s*(?:[,.;(]|$))"
                    # `,” Thomas Dawson, an IMF director, said`: the name, an appositive, the verb
                    rf"|(?P<who3>{_NAME}),\s+(?:an?|the|who)\s+[^,.;“”\"]{{1,80}}?,\s+(?:also\s+)?{_VERBS})")
# Rule 2: `X said, “` / `X told Al-Monitor, “` / `according to X, “` at the end of the text before the quote.
_BEFORE = re.compile(rf"(?P<subject>[^.!?“\"]*?)\b{_VERBS}\b(?:\s+(?:on|in|to)?\s*{_NAME})?(?:\s+(?:that|in\s+a\s+statement))?[\s,:]*$")
_ACCORDING = re.compile(rf"[Aa]ccording\s+to\s+(?P<who>{_NAME})[\s,:]*$")
_SPEECH_IN_SENTENCE = re.compile(rf"\b{_VERBS}\b")
# Double marks, straight or curly, may be mixed (`"…”` happens in real copy). A straight mark
# opens after a space and before a word; one that opens while a quotation is open ends that
# one (BBC copy runs on: `"… 26 weeks. "We are going …"`); an unclosed quotation runs to the
# end of the paragraph (and continues in the next one).
_DOUBLE_MARK = re.compile(r"[“”\"]")
# Single marks as the outer marks (British style): `‘Moscow has little leverage,’ he said`.
# An apostrophe inside a word ("don’t") does not close it: the closing mark is not followed
# by a letter, and the opening one does not follow a letter ("the Kurds’ land").
_SINGLE = re.compile(r"(?<![\w’'])[‘'](?P<body>\w[^‘’'\n]*?(?:[’'](?=\w)[^‘’'\n]*?)*)[’'](?!\w)")
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


@dataclass
class _Speakers:
    """Who has been named so far in the article, for pronouns and surnames."""

    people: list[str]
    orgs: list[str]
    last_person: str | None = None
    # Whom "he" and "she" mean at the quotation being attributed (set before each one).
    pronouns: dict[str, str | None] = field(default_factory=dict)
    last_org: str | None = None
    # Lookups by word, so resolving stays constant-time in an article with thousands of
    # names: the first full name with a surname, the last organisation with a word in it.
    _by_surname: dict[str, str] = field(default_factory=dict)
    _org_by_word: dict[str, str] = field(default_factory=dict)
    _known: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._known.update(self.people)
        for person in self.people:
            self._by_surname.setdefault(person.split()[-1], person)

    def resolve(self, raw: str) -> str | None:
        raw = raw.strip()
        if _PRONOUN.match(raw):
            return self.pronouns.get(raw.lower(), self.last_person)
        ref = _ORG_REF.match(raw)
        if ref:
            return self._org_by_word.get(ref.group(1).lower())
        name = person_or_org(raw)
        if name is None:
            return None
        if is_org(name):
            self.orgs.append(name)
            self._org_by_word.update((word, name) for word in name.lower().split())
            self.last_org = name
            return name
        words = name.split()
        if len(words) == 2 and not is_first_name(words[0]) and self._by_surname.get(words[1], name) != name:
            words = words[1:]  # "Yet Trump", "Donor Adelson": a word before a known surname, not a first name
        if len(words) == 1:  # a surname: the full name used earlier
            name = self._by_surname.get(words[0]) or name
        elif name not in self._known:
            self.people.append(name)
            self._known.add(name)
            self._by_surname.setdefault(words[-1], name)
        self.last_person = name
        return name


def extractor_version() -> str:
    """Changes whenever the extraction code does (this file, genders.py or names.py), so a build re-reads
    the quotes of unchanged articles only when the code that found them is the same."""
    from qabot.news import genders
    from qabot.text import names

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(names.__file__).read_bytes())
    digest.update(Path(genders.__file__).read_bytes())
    return digest.hexdigest()[:16]


_POSSESSIVE = re.compile(r"['’]s$")
_INITIAL = re.compile(r"[A-Z]\.")  # a middle initial: "Carolyn B. Maloney" keeps three words
# Capitalised words that start sentences or name groups, never a speaker on their own.
_NOT_A_NAME = set("""
many most some several few all both neither either nobody everyone everybody someone somebody anyone
others one two three four five six seven eight nine ten forty-one
republican republicans democrat democrats democratic conservatives liberals americans voters officials
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december
""".split())


_CAPITAL_PRONOUNS = {"He", "She", "It", "They", "We", "His", "Her", "Their", "Its"}


def _starts_a_name(word: str) -> bool:
    """A first name that begins a three-part name ("Mary Kay Henry", "Christine Todd Whitman"),
    not a word before a name ("Support Hillary Clinton", "Will Donald Trump …")."""
    return word.lower() not in STOP_WORDS and word.lower() not in _NOT_A_NAME and is_first_name(word)


# is_org and person_or_org are pure and see the same capitalised runs over and over (a
# build asks about ~500 000 runs, mostly repeats): remembering answers halves quote time.
@lru_cache(maxsize=1 << 16)
def is_org(name: str) -> bool:
    """An organisation: a word like "Ministry" in it, or an acronym ("DNC", "MSNBC")."""
    words = [_POSSESSIVE.sub("", w) for w in name.split()]
    return any(w.lower() in _ORG_WORDS or (len(w) >= 2 and w.isupper() and w.isalpha()) for w in words)


@lru_cache(maxsize=1 << 16)
def person_or_org(run: str) -> str | None:
    """The name inside a capitalised run: titles and roles before it dropped.

    "Russian Senate Foreign Affairs Committee Chair Konstantin Kosachev" -> "Konstantin Kosachev";
    "a Foreign Ministry statement" -> "Foreign Ministry".
    """
    words = [w for w in re.findall(r"[\w’'\-.]+", run) if w[:1].isupper() or w.lower().startswith("al-") or w in PARTICLES]
    owner = max((i for i, w in enumerate(words[:-2]) if _POSSESSIVE.search(w)), default=None)
    if owner is not None and not is_org(" ".join(words[owner + 1:])):
        # "the Washington Post’s Ishaan Tharoor": the person after the owner ("Egypt's Foreign Ministry" stays)
        words = words[owner + 1:]
    pronoun = next((i for i, w in enumerate(words) if w in _CAPITAL_PRONOUNS), None)
    if pronoun is not None:  # "Washington D.C. He recalled": the name ends before "He"
        words = words[:pronoun]
    while words and words[-1] in PARTICLES:
        words.pop()
    while words and words[-1].lower().rstrip(".") in _ROLE_TAIL:
        words.pop()
    while words and (words[0].lower() in STOP_WORDS or words[0].lower().rstrip(".") in _ROLE_TAIL
                     or words[0].lower() in _NOT_A_NAME or (len(words) > 1 and words[0].lower().endswith("ly"))):
        words.pop(0)  # a sentence-initial "In", "But", "The", "Neither", "Sadly"
    if not words or (len(words) == 1 and words[0].lower().rstrip(".") in _NOT_A_NAME | TITLES):
        return None  # "Many", "Republican", "December", a bare "Rep."
    # A title is only ever before the name: "Charlie King" is a man, not a king.
    titles = [i for i, w in enumerate(words[:-1]) if w.lower().rstrip(".") in TITLES | _ROLES]
    tail = words[titles[-1] + 1:] if titles else words
    if tail and not is_org(" ".join(tail)):
        # After a title, the whole rest is the name ("President Recep Tayyip Erdogan"); with no
        # title, the last two words ("Hydrologist Amira Fathy"), three with a particle.
        keep = 3 if titles or (len(tail) >= 3 and (tail[-2] in PARTICLES or _INITIAL.fullmatch(tail[-2])
                                                   or _starts_a_name(tail[-3]))) else 2
        return re.sub(r"['’]s$", "", " ".join(tail[-keep:]))  # "Mike Tomlinson's report"
    if is_org(" ".join(words)):
        return " ".join(w for w in words if w.lower().rstrip(".") not in TITLES)
    return None


def _double_quoted(text: str) -> list[tuple[int, int, int, int]]:
    """(outer_start, body_start, body_end, outer_end) of each double-quoted span."""
    spans, opened = [], None
    for mark in _DOUBLE_MARK.finditer(text):
        i = mark.start()
        before, after = text[i - 1:i] if i else " ", text[i + 1:i + 2] or " "
        opens = mark.group() == "“" or (mark.group() == '"' and (before.isspace() or before in "([—-")
                                        and not after.isspace())
        if opened is not None and (not opens or mark.group() == '"'):
            end = i if not opens else len(text[:i].rstrip())
            spans.append((opened, opened + 1, end, i + 1 if not opens else end))
            opened = None
        if opens and opened is None:
            opened = i
    if opened is not None:
        spans.append((opened, opened + 1, len(text), len(text)))
    return spans


def _quotation_marks(text: str) -> list[tuple[int, int, int, int]]:
    """Double-quoted spans, plus single-quoted ones that are not inside a double-quoted span
    (so the 'achievement.' inside someone's quotation stays part of it)."""
    doubles = _double_quoted(text)
    inside = _Spans((d[0], d[3]) for d in doubles)
    singles = [(m.start(), *m.span("body"), m.end()) for m in _SINGLE.finditer(text) if not inside.holds(m.start())]
    return sorted(doubles + singles)


class _Spans:
    """A set of [start, end) ranges that answers "is this offset inside one?" by bisection,
    so a paragraph with thousands of quotations is not checked range by range."""

    def __init__(self, spans):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            if self._ends and start <= self._ends[-1]:  # overlapping or touching: merge
                self._ends[-1] = max(self._ends[-1], end)
            else:
                self._starts.append(start)
                self._ends.append(end)

    def holds(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]


def _paragraph_quotes(text: str):
    """(start, end, closed, outer_start, outer_end) of each quotation; the body loses a trailing
    comma ("…, he said" -> "…") but keeps . ? ! and any closing single mark."""
    for outer_start, start, end, outer_end in _quotation_marks(text):
        closed = outer_end > end or end < len(text)
        stripped = text[start:end].rstrip(" ,")
        if len(stripped.split()) < 3:  # scare quotes: “an adventurist act”
            continue
        yield start, start + len(stripped), closed, outer_start, outer_end


def extract_quotes(article: Article) -> list[Quote]:
    """Every attributable quotation, verbatim (a trailing comma dropped), in reading order."""
    speakers = _Speakers(people=_full_names(article), orgs=[])
    found = _mentions(article, speakers.people + _surname_speakers(article, speakers.people))
    mentions = _Mentions(found, genders(article.text, [(start, end, name) for start, end, name, _ in found]))
    quotes: list[Quote] = []
    open_speaker: str | None = None
    pending: list[tuple[int, int, int]] = []  # an unclosed quotation whose speaker comes later
    carried: str | None = None  # who a paragraph that is only a quotation continues (rule 5)
    for paragraph in article.paragraphs:
        text = paragraph.text
        paragraph_speaker = None
        quoted = list(_paragraph_quotes(text))
        only_quotes = bool(quoted) and not _words_outside(text, quoted)
        last_question = False
        for start, end, closed, outer_start, outer_end in quoted:
            # "he"/"she" is the person named last before this quotation, outside quotations.
            at = paragraph.start + outer_start
            speakers.last_person = mentions.last_before(at) or speakers.last_person
            speakers.pronouns = {"he": mentions.last_before(at, "m"), "she": mentions.last_before(at, "f")}
            before = text[max(0, outer_start - _LOOK_BEHIND):outer_start]
            speaker = _after(text[outer_end:outer_end + _LOOK_AHEAD], speakers) or _before(before, speakers)
            if speaker is None and open_speaker is not None and outer_start == 0:
                speaker = open_speaker
            if speaker is None:
                speaker = paragraph_speaker or _earlier_in_paragraph(before, speakers)
            if speaker is None and only_quotes:
                speaker = carried
            if speaker is None:
                pending = [(paragraph.number, paragraph.start + start, paragraph.start + end)] if not closed else []
                open_speaker = None
                continue
            if pending and outer_start == 0:  # the quotation began in an earlier paragraph
                quotes += [Quote(article.id, n, speaker, article.text[a:b], a, b) for n, a, b in pending]
            pending = []
            open_speaker = speaker if not closed else None
            paragraph_speaker = speaker
            last_question = text[start:end].rstrip("’'").endswith("?")
            quotes.append(Quote(article.id, paragraph.number, speaker, text[start:end],
                                paragraph.start + start, paragraph.start + end))
        # A paragraph that is only a quotation continues the last speaker of the paragraph before
        # ("“…,” Viguerie says. ¶ “…”"), unless that quotation was a question (an answer is
        # someone else's). Measured on PolNeAR train: +25 right, 13 wrong (7 of them on quotes
        # the annotators left out). An introducing paragraph ending in ":" was tried too: 2 right, 8 wrong.
        carried = paragraph_speaker if quoted and not last_question else None
    return quotes


def _surname_speakers(article: Article, people: list[str]) -> list[str]:
    """People the article names only by surname, as the subject of a speech verb ("Carson said",
    "said Carson,"), so that "he" can mean them too; not surnames of a full name already known."""
    known = {person.split()[-1] for person in people}
    found: dict[str, None] = {}
    for match in _SURNAME_SPEAKS.finditer(article.text):
        word = match.group("a") or match.group("b")
        if match.group("a") and _CAPITALISED_BEFORE.search(article.text, max(0, match.start() - 30), match.start()):
            continue  # the last word of a longer name: "Ted Cruz said"
        if (word not in known and word.lower() not in _NOT_A_NAME and word.lower() not in STOP_WORDS
                and word.lower() not in TITLES and not is_org(word) and person_or_org(word) == word):
            found[word] = None
    return list(found)


_SURNAME_SPEAKS = re.compile(rf"\b(?P<a>[A-Z][a-z][\w’'\-]+)\s+(?:also\s+)?{_VERBS}\b"
                             rf"|\b{_VERBS}\s+(?P<b>[A-Z][a-z][\w’'\-]+)(?=[,.;])")


def _words_outside(text: str, quoted: list[tuple[int, int, bool, int, int]]) -> bool:
    """Whether a paragraph has words outside its quotations (else it is only a quotation)."""
    outside, done = [], 0
    for _, _, _, outer_start, outer_end in quoted:
        outside.append(text[done:outer_start])
        done = max(done, outer_end)
    outside.append(text[done:])
    return bool(re.search(r"\w", "".join(outside)))


# How far around a quotation its attribution is looked for. Attribution sits in the same
# sentence, and no news sentence is this long; the bound keeps a hostile 10 MB paragraph
# with thousands of quotation marks linear instead of re-reading the paragraph per quote.
_LOOK_BEHIND = 3000
_LOOK_AHEAD = 1000


def _mentions(article: Article, people: list[str]) -> list[tuple[int, int, str, bool]]:
    """(start, end, full name, is subject) of every mention of a known person outside quotation marks."""
    quoted = _Spans((p.start + q[0], p.start + q[3]) for p in article.paragraphs for q in _quotation_marks(p.text))
    text = article.text
    found = []
    for person in people:
        for start, end in _name_mentions(text, person, person.split()[-1]):
            if not quoted.holds(start):
                found.append((start, end, person, _is_subject(text, start, end)))
    return sorted(found)


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


def _boundary(text: str, at: int) -> bool:
    """Regex `\\b` at `at`: a word character on exactly one side."""
    return _is_word(text[at - 1: at] if at > 0 else "") != _is_word(text[at: at + 1])


def _is_word(char: str) -> bool:
    return bool(char) and (char.isalnum() or char == "_")


@dataclass
class _Words:
    index_of: dict[str, list[int]]


@lru_cache(maxsize=2)
def _capitalised_words(text: str) -> _Words:
    """Where each capitalised word (and each name particle) starts in `text`: one pass."""
    index: dict[str, list[int]] = {}
    for match in _WORD_RUN.finditer(text):
        index.setdefault(match.group(), []).append(match.start())
    return _Words(index)


_WORD_RUN = re.compile(rf"(?<!\w)(?:[A-Z]\w*|{'|'.join(sorted(PARTICLES | {'al', 'bin', 'ibn'}))})(?!\w)")


class _Mentions:
    """Whom "he"/"she" before an offset means: the last person of that gender (or of none
    known) who was the subject of a sentence ("Fowler said he expects Clinton to recover.
    “…,” he said" is Fowler; "Warren said Trump … “…,” she continued" is Warren), else the
    last one named. Answered by bisection over the sorted mentions, then a short walk back."""

    def __init__(self, mentions: list[tuple[int, int, str, bool]], gender_of: dict[str, str] | None = None):
        self._offsets = [start for start, _, _, _ in mentions]
        self._named: list[str] = [name for _, _, name, _ in mentions]
        self._is_subject = [subject for _, _, _, subject in mentions]
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
            return self._subject[count - 1] or self._named[count - 1]
        named = None
        for i in range(count - 1, max(-1, count - 1 - _PRONOUN_WALK), -1):
            if offset - self._offsets[i] > _PRONOUN_REACH:
                break  # nobody named near enough: "he" is left unresolved rather than guessed
            name = self._named[i]
            if self._gender_of.get(name, gender) != gender:
                continue
            if self._is_subject[i]:
                return name
            named = named or name
        return named


# How many mentions back, and how many characters before the quotation, a pronoun looks for a
# person of its gender. On PolNeAR train, "he said" resolved to someone last named 400 to 1000
# characters back was right 14 times in 53, and never beyond: such quotations are left out.
_PRONOUN_WALK = 40
_PRONOUN_REACH = 400


# A mention is a sentence's subject when only capitalised words (titles, "Retired U.S. Air Force
# Gen.") stand before it in the sentence, or a verb follows it ("Ham made", "Kosachev wrote").
_SENTENCE_HEAD = re.compile(r"(?:^|[.!?:]\s+|\n)(?:(?:[A-Z][\w.’'\-]*|of|the)\s+)*$")
_VERB_AFTER = re.compile(r"^,?\s+(?:also\s+|then\s+|later\s+)?(?:[a-z]+(?:ed|es|s)|is|was|has|had|made|went|took|"
                         r"gave|did|got|spoke|wrote|told|said|thinks|thought|will|would|can|could)\b")


def _is_subject(text: str, start: int, end: int) -> bool:
    return bool(_SENTENCE_HEAD.search(text[max(0, start - 80):start]) or _VERB_AFTER.match(text[end:end + 40]))


def _after(text: str, speakers: _Speakers) -> str | None:
    match = _AFTER.match(text)
    if not match:
        return None
    return speakers.resolve(match.group("who") or match.group("who2") or match.group("who3"))


def _before(text: str, speakers: _Speakers) -> str | None:
    sentence = re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])|\n", text)[-1]
    match = _ACCORDING.search(sentence)
    if match:
        return speakers.resolve(match.group("who"))
    match = _BEFORE.search(sentence)
    if not match:
        return None
    subject = _subject(match.group("subject"))
    return speakers.resolve(subject) if subject else None


def _earlier_in_paragraph(text: str, speakers: _Speakers) -> str | None:
    """`Kosachev wrote on Facebook about … . “…”`: the subject of a speech verb before the quote."""
    for sentence in reversed(re.split(r"(?<=[.!?])\s+|\n", text)):
        verb = _SPEECH_IN_SENTENCE.search(sentence)
        if verb:
            subject = _subject(sentence[: verb.start()])
            if subject:
                return speakers.resolve(subject)
    return None


def _subject(clause: str) -> str | None:
    """The speaker at the start of a clause, skipping an appositive: "Name, a fellow at …, "."""
    clause = re.split(r"[”“\"]|(?<=[,.!?])[’']", clause)[-1].strip(" ,'’")  # only what follows an earlier quotation
    clause = re.sub(r"^(?:Later|Meanwhile|However|But|And|Also|Earlier|Separately|Then)\b,?\s*", "", clause)
    if _PRONOUN.match(clause.split(",")[0].strip() or "-"):
        return clause.split(",")[0].strip()
    # A role, then the name as an appositive: "The Shadow Secretary of State, Theresa May,"
    appositive = re.search(rf",\s+(?P<name>{_NAME}),?$", clause)
    if appositive and " " in appositive.group("name") and not is_org(appositive.group("name")):
        return appositive.group("name")
    org = re.match(r"^(?:the|a|an)\s+([a-z]+)\s*(?:also|too)?$", clause, re.IGNORECASE)
    if org and not clause.split()[-1][:1].isupper():
        return f"the {org.group(1)}"
    match = re.match(rf"^(?:(?:a|an|the)\s+)?(?P<run>{_NAME})", clause)
    if not match:
        return None
    run = match.group("run")
    if clause[match.end():].strip(" ,") and not clause[match.end():].lstrip().startswith((",", "(")):
        # words after the name that are not an appositive: "a Foreign Ministry statement"
        after = clause[match.end():].strip()
        named = re.match(rf"^(?:[a-z]+\s+){{1,3}}(?P<name>{_NAME})$", after)
        if named:  # "Kremlin spokesman Dmitry Peskov": the person after the role
            return named.group("name")
        tail = after.split()
        if tail and tail[0].lower() in _ROLE_TAIL:
            return run
        if len(tail) > 3:
            return None
    return run


def _full_names(article: Article) -> list[str]:
    """Two-or-more-word person names in order of first mention (for surname resolution)."""
    return list(_full_names_of(article))


@lru_cache(maxsize=4)  # quotes, descriptions and people of one article each ask in turn
def _full_names_of(article: Article) -> tuple[str, ...]:
    """`_full_names`, remembered for the article being read.

    A capitalised pair is also what places and bodies look like ("Middle East", "Capital
    Wire"), so a name counts only with some sign that it is a person (the patterns below):
    otherwise "he" would resolve to "United States".
    """
    found: dict[str, None] = {}  # ordered, with constant-time membership
    alone: dict[str, bool] = {}
    for match in re.finditer(_NAME, article.text):
        run = match.group()
        name = person_or_org(run)
        if (not name or " " not in name or is_org(name) or name in found or _looks_like_a_place(name)
                or name.split()[-1].lower() in _ROLES):  # "the Shadow Secretary" is a post, not a name
            continue
        prefix = run[: run.rfind(name)] if name in run else ""
        before = article.text[max(0, match.start() - 40): match.start()]
        after = article.text[match.end(): match.end() + 300]  # _PERSON_AFTER reads a few words
        surname = name.split()[-1]
        if (_ROLE_WORD.search(prefix) or _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after)
                or alone.setdefault(surname, _named_alone(article.text, surname))):
            found[name] = None
    surnames: dict[str, int] = {}
    for name in found:
        surnames[name.split()[-1]] = surnames.get(name.split()[-1], 0) + 1
    # "Yet Trump" beside "Donald Trump": a word before a surname, not a person of its own
    return tuple(name for name in found if not (len(name.split()) == 2 and surnames[name.split()[-1]] > 1
                                                and not is_first_name(name.split()[0])))


# Signs that a capitalised name is a person's:
_ROLE_WORD = re.compile(  # a title or role before it: "Col.", "Chair", "Hydrologist", "pollster"
    rf"(?i:\b(?:{'|'.join(sorted(TITLES | _ROLES))})\b\.?)|\b\w+(?:ist|er|or|man|woman|ant)s?\s*$|['’]s\s*$")
# A lowercase word that names what someone does: "pollster", "negotiator", "hydrologist".
_AGENT = r"\b(?!(?:other|another|under|over|after|never|either|neither|whether|rather|later|however|their|together)\b)" \
         r"[a-z]{3,}(?:ist|er|or|man|woman|ant)"
_PERSON_BEFORE = re.compile(  # "said Name", "according to Name", "Iraq's Name", "pollster Name"
    rf"(?:\b{_VERBS}|[Aa]ccording\s+to|\b[A-Z][\w-]*['’]s|{_AGENT}|"
    rf"(?i:\b(?:{'|'.join(sorted(_ROLES))})))\s+$")
_PERSON_AFTER = re.compile(  # "Name, a fellow at", "Name, who", "Name (D-N.Y.)", "Name said"
    rf"^(?:,\s+(?:a|an|the|who|whose|\d+|(?:[a-z][\w-]*\s+){{1,3}}(?:of|at|for|to|in)\b)|\s+\([DRI]-|"
    rf",?\s+(?:also\s+)?{_VERBS}\b)")
# Words that make a capitalised pair a place: "Middle East", "United States", "Persian Gulf".
_PLACE_FIRST = {"north", "south", "east", "west", "middle", "united", "new", "central", "northern", "southern",
                "eastern", "western", "los", "san", "santa", "las", "saudi", "persian", "great", "upper", "lower"}
_PLACE_LAST = {"east", "west", "states", "kingdom", "republic", "gulf", "sea", "ocean", "river", "island", "islands",
               "valley", "county", "city", "province", "region", "street", "avenue", "square", "dam", "bay",
               "americans", "europeans", "democrats", "republicans", "plan", "act", "show", "war", "day"}


def _looks_like_a_place(name: str) -> bool:
    words = [w.lower().rstrip(".") for w in name.split()]
    return words[0] in _PLACE_FIRST or words[-1] in _PLACE_LAST


def _roles_before_names(text: str):
    """(description start, description end, name) for each role followed by a two-word name,
    the description taking in the words before the role that `_WORDS_BEFORE_ROLE` allows."""
    done = 0
    for match in _ROLE_THEN_NAME.finditer(text):
        before = _WORDS_BEFORE_ROLE.search(text, max(done, match.start() - 80), match.start())
        yield (before.start() if before else match.start()), match.end("role"), match.group("name")
        done = match.end()


def _named_alone(text: str, surname: str) -> bool:
    """The surname on its own somewhere ("Kosachev said"), as people are named after the first time.

    Looked up where the surname's first word stands (`_capitalised_words`), not by
    scanning the text: a build asks about ~10 000 surnames, a hostile article about
    thousands, each of which would otherwise read the whole text.
    """
    first = re.match(r"\w+", surname)
    words = _capitalised_words(text)
    if first and first.group() in words.index_of:
        places = (at for at in words.index_of[first.group()] if text.startswith(surname, at))
    else:
        places = _occurrences(text, surname)
    for at in places:
        end = at + len(surname)
        if not _joins(text[at - 1: at], "’'-") and not _joins(text[end: end + 1], "-"):
            before, after = text[max(0, at - 30): at], text[end: end + 30]
            if not _CAPITALISED_BEFORE.search(before) and not _CAPITALISED_AFTER.match(after):
                return True
    return False


def _occurrences(text: str, word: str):
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _joins(char: str, marks: str) -> bool:
    """Whether `char` would continue a word: a word character (as regex \\w) or one of `marks`."""
    return bool(char) and (char.isalnum() or char == "_" or char in marks)


_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w’'\-.]*\s+$")
_CAPITALISED_AFTER = re.compile(r"\s+[A-Z]")


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
    return out


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


def people(article: Article) -> list[str]:
    """Full names of the people the article mentions."""
    return _full_names(article)
