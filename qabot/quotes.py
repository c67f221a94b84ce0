"""Who said what, and how articles describe people: rules over one article's paragraphs.

Quotations are the words between double quotation marks (straight or curly); single
quotes inside them stay part of the quote. Each quotation is attributed by the first rule
that applies, in this order:

1. after it, in the same sentence: `“…,” Kosachev said.` / `"…," said the ministry.`
2. before it, in the same sentence: `Bogdanov told Al-Monitor, “…”` / `He added, "…"` /
   `a Foreign Ministry statement said, "…"` / `according to X, "…"`;
3. a speech verb earlier in the same paragraph: `X wrote on Facebook … “…”`;
4. a paragraph that opens a quotation without closing it continues into the next one,
   whose quotation keeps the same speaker.

"He"/"she" continue the last named person, "the ministry" the last organisation with that
word, and a surname alone ("Bogdanov added") resolves to the full name used earlier. A
quotation with no identifiable speaker is left out: no attribution is ever invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qabot.names import PARTICLES, TITLES
from qabot.records import Article, Description, Quote
from qabot.terms import STOP_WORDS

_VERBS = (r"(?:said|says|say|added|adds|told|tells|wrote|writes|concluded|noted|notes|explained|argued|stated|"
          r"warned|insisted|continued|declared|remarked|replied|commented|posted|tweeted|stressed|emphasized|"
          r"emphasised|observed|asked|recalled|acknowledged|admitted|announced|suggested|believes|thinks)")
# A capitalised word; a full stop only after an initial or a known abbreviation ("Gen.", "J."),
# so a name never runs over a sentence end ("Middle East. Its").
_CAP = (r"(?:(?:[A-Z]|Mr|Mrs|Ms|Dr|Gen|Maj|Col|Lt|Capt|Sgt|Sen|Rep|Gov|Prof|Adm|Rev|St|Jr|Sr|Ret)\."
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
          "professor", "fellow", "deputy", "officer", "adviser", "advisor", "correspondent", "founder", "ceo"}
_PRONOUN = re.compile(r"^(?:he|she)$", re.IGNORECASE)
_ORG_REF = re.compile(r"^the\s+([a-z]+)$", re.IGNORECASE)

# Rule 1: `,” Kosachev said` / `,” said Kosachev` / `,” he added` right after the quote.
# A lowercase role may precede the name: `,” union leader Marta Jansen said`.
_AFTER = re.compile(rf"^[\s,]*(?:(?:[a-z]+\s+){{0,3}}?(?P<who>{_NAME}|[Hh]e|[Ss]he|the\s+[a-z]+)\s+(?:also\s+)?{_VERBS}"
                    rf"|{_VERBS}\s+(?:[a-z]+\s+){{0,3}}?(?P<who2>{_NAME}))\b")
# Rule 2: `X said, “` / `X told Al-Monitor, “` / `according to X, “` at the end of the text before the quote.
_BEFORE = re.compile(rf"(?P<subject>[^.!?“\"]*?)\b{_VERBS}\b(?:\s+(?:on|in|to)?\s*{_NAME})?(?:\s+(?:that|in\s+a\s+statement))?[\s,:]*$")
_ACCORDING = re.compile(rf"[Aa]ccording\s+to\s+(?P<who>{_NAME})[\s,:]*$")
_SPEECH_IN_SENTENCE = re.compile(rf"\b{_VERBS}\b")
# Opening and closing marks may be mixed (`"…”` happens in real copy); unclosed runs to the end.
_QUOTE = re.compile(r"[“\"](?P<body>[^“”\"\n]*)(?:[”\"]|$)", re.MULTILINE)
# Appositive: `Name, a fellow at …, told` / `Name, editor of …, said`.
_APPOSITIVE = re.compile(rf"(?P<name>{_NAME}),\s+(?P<desc>[a-z][^,;“\"]*(?:\([^)]*\))?[^,;“\"]*),")
# A lowercase role right before a name: "union leader Marta Jansen", "Kremlin spokesman Dmitry Peskov".
_ROLE_BEFORE = re.compile(rf"(?P<desc>(?:\b[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+)?(?i:{'|'.join(sorted(_ROLES))}))"
                          r"\s+(?P<name>[A-Z][\w’'-]+\s+[A-Z][\w’'-]+)")
_NOT_A_DESCRIPTION = STOP_WORDS | {"after", "before", "because", "although", "though", "whose", "while", "since"}


@dataclass
class _Speakers:
    """Who has been named so far in the article, for pronouns and surnames."""

    people: list[str]
    orgs: list[str]
    last_person: str | None = None
    last_org: str | None = None

    def resolve(self, raw: str) -> str | None:
        raw = raw.strip()
        if _PRONOUN.match(raw):
            return self.last_person
        ref = _ORG_REF.match(raw)
        if ref:
            word = ref.group(1).lower()
            return next((o for o in reversed(self.orgs) if word in o.lower().split()), None)
        name = person_or_org(raw)
        if name is None:
            return None
        if is_org(name):
            self.orgs.append(name)
            self.last_org = name
            return name
        words = name.split()
        if len(words) == 1:  # a surname: the full name used earlier
            full = next((p for p in self.people if p.split()[-1] == words[0]), None)
            name = full or name
        elif name not in self.people:
            self.people.append(name)
        self.last_person = name
        return name


def is_org(name: str) -> bool:
    return any(re.sub(r"['’]s$", "", w.lower()) in _ORG_WORDS for w in name.split())


def person_or_org(run: str) -> str | None:
    """The name inside a capitalised run: titles and roles before it dropped.

    "Russian Senate Foreign Affairs Committee Chair Konstantin Kosachev" -> "Konstantin Kosachev";
    "a Foreign Ministry statement" -> "Foreign Ministry".
    """
    words = [w for w in re.findall(r"[\w’'\-.]+", run) if w[:1].isupper() or w.lower().startswith("al-") or w in PARTICLES]
    while words and words[-1] in PARTICLES:
        words.pop()
    while words and words[-1].lower().rstrip(".") in _ROLE_TAIL | TITLES:
        words.pop()
    while words and (words[0].lower() in STOP_WORDS or words[0].lower().rstrip(".") in _ROLE_TAIL):
        words.pop(0)  # a sentence-initial "In", "But", "The"
    if not words:
        return None
    titles = [i for i, w in enumerate(words) if w.lower().rstrip(".") in TITLES | _ROLES]
    tail = words[titles[-1] + 1:] if titles else words
    if tail and not is_org(" ".join(tail)):
        # The person is the last two words; roles and organisations before them describe them.
        keep = 3 if len(tail) >= 3 and tail[-2] in PARTICLES else 2  # "Pieter de Vries"
        return " ".join(tail[-keep:])
    if is_org(" ".join(words)):
        return " ".join(w for w in words if w.lower().rstrip(".") not in TITLES)
    return None


def _paragraph_quotes(text: str):
    for match in _QUOTE.finditer(text):
        start, end = match.span("body")
        body = text[start:end]
        closed = match.end() > end
        stripped = body.rstrip(" ,")
        if len(stripped.split()) < 3:  # scare quotes: “an adventurist act”
            continue
        yield start, start + len(stripped), closed, match.start(), match.end()


def extract_quotes(article: Article) -> list[Quote]:
    """Every attributable quotation, verbatim (a trailing comma dropped), in reading order."""
    speakers = _Speakers(people=_full_names(article), orgs=[])
    mentions = _mentions(article, speakers.people)
    quotes: list[Quote] = []
    open_speaker: str | None = None
    pending: list[tuple[int, int, int]] = []  # an unclosed quotation whose speaker comes later
    for paragraph in article.paragraphs:
        text = paragraph.text
        paragraph_speaker = None
        for start, end, closed, outer_start, outer_end in _paragraph_quotes(text):
            # "he"/"she" is the person named last before this quotation, outside quotations.
            speakers.last_person = _last_mention(mentions, paragraph.start + outer_start) or speakers.last_person
            speaker = _after(text[outer_end:], speakers) or _before(text[:outer_start], speakers)
            if speaker is None and open_speaker is not None and outer_start == 0:
                speaker = open_speaker
            if speaker is None:
                speaker = paragraph_speaker or _earlier_in_paragraph(text[:outer_start], speakers)
            if speaker is None:
                pending = [(paragraph.number, paragraph.start + start, paragraph.start + end)] if not closed else []
                open_speaker = None
                continue
            if pending and outer_start == 0:  # the quotation began in an earlier paragraph
                quotes += [Quote(article.id, n, speaker, article.text[a:b], a, b) for n, a, b in pending]
            pending = []
            open_speaker = speaker if not closed else None
            paragraph_speaker = speaker
            quotes.append(Quote(article.id, paragraph.number, speaker, text[start:end],
                                paragraph.start + start, paragraph.start + end))
    return quotes


def _mentions(article: Article, people: list[str]) -> list[tuple[int, str]]:
    """(offset, full name) of every mention of a known person outside quotation marks."""
    quoted = [(p.start + m.start(), p.start + m.end()) for p in article.paragraphs for m in _QUOTE.finditer(p.text)]
    found = []
    for person in people:
        pattern = rf"\b(?:{re.escape(person)}|{re.escape(person.split()[-1])})\b"
        for match in re.finditer(pattern, article.text):
            if not any(a <= match.start() < b for a, b in quoted):
                found.append((match.start(), person))
    return sorted(found)


def _last_mention(mentions: list[tuple[int, str]], offset: int) -> str | None:
    before = [name for position, name in mentions if position < offset]
    return before[-1] if before else None


def _after(text: str, speakers: _Speakers) -> str | None:
    match = _AFTER.match(text)
    if not match:
        return None
    return speakers.resolve(match.group("who") or match.group("who2"))


def _before(text: str, speakers: _Speakers) -> str | None:
    sentence = re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", text)[-1]
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
    for sentence in reversed(re.split(r"(?<=[.!?])\s+", text)):
        verb = _SPEECH_IN_SENTENCE.search(sentence)
        if verb:
            subject = _subject(sentence[: verb.start()])
            if subject:
                return speakers.resolve(subject)
    return None


def _subject(clause: str) -> str | None:
    """The speaker at the start of a clause, skipping an appositive: "Name, a fellow at …, "."""
    clause = re.split(r"[”“\"]", clause)[-1].strip(" ,'’")  # only what follows an earlier quotation
    clause = re.sub(r"^(?:Later|Meanwhile|However|But|And|Also|Earlier|Separately|Then)\b,?\s*", "", clause)
    if _PRONOUN.match(clause.split(",")[0].strip() or "-"):
        return clause.split(",")[0].strip()
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
    found: list[str] = []
    for match in re.finditer(_NAME, article.text):
        name = person_or_org(match.group())
        if name and " " in name and not is_org(name) and name not in found:
            found.append(name)
    return found


def extract_descriptions(article: Article) -> list[Description]:
    """How people are introduced: appositives ("X, a fellow at …,") and roles before a name."""
    out: list[Description] = []
    people = _full_names(article)
    for paragraph in article.paragraphs:
        text = paragraph.text
        for match in _APPOSITIVE.finditer(text):
            name = person_or_org(match.group("name"))
            desc = match.group("desc").strip()
            first = desc.split()[0].lower()
            if first in _NOT_A_DESCRIPTION and first not in ("a", "an", "the") or _SPEECH_IN_SENTENCE.search(desc):
                continue
            if name and name in people and 2 <= len(desc.split()) <= 30:
                full = next((p for p in people if p.split()[-1] == name.split()[-1]), name)
                start = paragraph.start + match.start("desc")
                out.append(Description(article.id, paragraph.number, full, desc, start, start + len(desc)))
        for match in re.finditer(_NAME, text):
            run = match.group()
            name = person_or_org(run)
            if not name or is_org(name) or " " not in name:
                continue
            prefix = run[: run.rfind(name)].strip() if name in run else ""
            roles = {w.lower().rstrip(".") for w in prefix.split()} & (TITLES | _ROLES)
            if roles - {"mr", "ms", "mrs", "miss", "dr", "the", "a", "an"} and name in people:
                start = paragraph.start + match.start()
                out.append(Description(article.id, paragraph.number, name, prefix, start, start + len(prefix)))
        for match in _ROLE_BEFORE.finditer(text):
            name, desc = match.group("name"), match.group("desc")
            if name in people and not any(d.name == name and desc in d.text for d in out):
                start = paragraph.start + match.start("desc")
                out.append(Description(article.id, paragraph.number, name, desc, start, start + len(desc)))
    return out


def people(article: Article) -> list[str]:
    """Full names of the people the article mentions."""
    return _full_names(article)
