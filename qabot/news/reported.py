"""Reported (indirect) speech: sentences that say what a person said or thinks without
quoting them, each with its speaker, found once at index time.

"Kosachev said the killing would not improve the situation", "According to Bogdanov,
Moscow will not intervene", "The talks will fail, he warned", "Trump thinks the deal is
bad": readers asking "what did X say?" mean these too (README, "Reported speech"). Each
sentence is tried with these shapes, in this order:

1. `according to X` anywhere in it;
2. a head clause: `[opening phrase,] X [, appositive,] [also/has …] VERB …` where VERB
   reports speech or a belief and at least a few words follow it;
3. an attribution after the content: `…, X said.` / `…, said X.` / `… , he argued, …`,
   or a relative clause: `…Ted Cruz, who said he would …`;
4. one subject, two verbs: `Graham called both … crazy and said …`, `Obama …, arguing …`.

The speaker is resolved with the machinery the direct quotes use (`resolution.py`,
`speakers.py`, `genders.py`): a surname is the full name used earlier, "he"/"she" the last
person of that gender who was a sentence's subject, near enough. Precision first: a
sentence whose speaker is not a person the article names — an organisation ("the ministry
said"), an unnamed speaker ("one official said", "Clinton's campaign said"), "they", "I" —
is dropped, never given to a nearby person. Sentences that are mostly a quotation are the
direct quotes' (`quotes.py`); a sentence with a quoted fragment ("… reached a "collective
view" …") is kept. Measured on PolNeAR's indirect attributions (`bench/reported_speech.py`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from qabot.news.genders import genders, is_first_name, pronoun_gender
from qabot.news.quotations import _quotation_marks
from qabot.news.quotes import _subject
from qabot.news.resolution import _PRONOUN, _Mentions, _mentions, _Speakers
from qabot.news.speakers import (
    DATELINE,
    _NAME,
    _full_names,
    _surname_speakers,
    is_org,
    person_or_org,
)
from qabot.records import Article, Quote
from qabot.text import split_sentences

_THAT_VERBS = r"wrote|writes|maintained|maintains|knows|knew"
# Verbs that report what someone said or holds true. Measured on PolNeAR train
# (bench/reported_speech.py): "said" is most of it; beliefs ("thinks", "believes") count as
# PolNeAR annotates them. Left out: "called" and "described" (mostly naming, not reporting),
# "wants", "sees" (wishes and views, not words).
_VERBS = (r"(?:said|says|say|told|tells|tell|added|adds|argued|argues|argue|suggested|suggests|claimed|claims|"
          r"insisted|insists|stressed|warned|warns|predicted|predicts|believes|believe|believed|thinks|think|"
          r"thought|noted|notes|conceded|admitted|admits|contended|contends|asserted|asserts|agreed|agrees|"
          r"feels|felt|fears|feared|hopes|hoped|expects|acknowledged|acknowledges|denied|denies|explained|explains|"
          r"recalled|recalls|declared|declares|vowed|vows|emphasized|emphasised|pointed\s+out|points\s+out|"
          r"indicated|indicates|concluded|concludes|testified|charged|complained|complains|reiterated|estimated|"
          r"cautioned|accused|urged|announced|announces|reported|reports|confirmed|confirms|revealed|reveals|"
          r"promised|promises|criticized|criticised|criticizes|praised|praises|defended|defends|dismissed|"
          r"rejected|condemned|questioned|called\s+for|calls\s+for|is\s+calling\s+for|endorsed|"
          r"appealed\s+(?:for|to)|appeals\s+(?:for|to)|"
          r"replied|responded|answered|countered|asked|went\s+on\s+to\s+say|has\s+said|had\s+said|have\s+said|"
          # verbs that also name an act ("Baker wrote the letter", "Rubio maintains a lead"):
          # reported speech only when "that" follows
          rf"(?:{_THAT_VERBS})(?=(?:\s+[\w’'-]+){{0,5}}?\s+that\b))")
# Words between the subject and the verb: "Trump also said", "Clinton has repeatedly argued".
_AUX = (r"(?:(?:also|then|later|previously|repeatedly|has|had|have|would|will|once|again|earlier|"
        r"publicly|privately|recently|reportedly|often|frequently|has\s+long|never|always|further|"
        r"separately|initially|quickly|flatly|even|still|now|since|first|last\s+week|on\s+\w+day)\s+)*")
_HEAD = re.compile(rf"(?P<verb>\b{_AUX}{_VERBS})\b")
# After the content: `…, Trump said.` / `…, said Trump.` / `…, he added, …` (a few words may
# follow the verb: "…, she said in an interview.").
_TAIL = re.compile(rf",\s+(?:(?:(?!(?:what|that|which|who|how|why|when|where|if|because|as|while|and|but)\b)"
                   rf"[a-z]+\s+){{0,4}}?(?P<who>{_NAME}|he|she)\s+{_AUX}{_VERBS}(?:\s+[^,.;:!?“”\"]{{0,60}})?"
                   rf"|{_VERBS}\s+(?:(?:[A-Z][\w-]*\s+)?[a-z]+\s+){{0,2}}?(?P<who2>{_NAME})"
                   rf"|{_VERBS}\s+(?:an?|the)\s+[^,.;“”\"]{{3,80}}?,\s+(?P<who4>{_NAME})(?=,))(?:[,.;!?]|$)"
                   # "…Ted Cruz, who said he would …": the name a relative clause reports
                   rf"|(?P<who3>{_NAME}),\s+who\s+(?:has\s+|had\s+|also\s+)?{_VERBS}\b")
# Two verbs, one subject: "Graham called both … crazy and said the party is bound to lose".
_AND_SAID = re.compile(rf"^(?:[^,]{{0,60}},\s+)?(?P<who>{_NAME}|He|She)\s+(?:\([^)]*\)\s+)?(?:also\s+|later\s+)?"
                       rf"[a-z]{{2,}}\b[^.;:“”\"]{{0,150}}?,?\s(?:and|but)\s+(?:also\s+|then\s+|later\s+)?"
                       rf"(?:said|says|told|tells|argued|added|warned|insisted|noted)\b"
                       # "Obama has been on the sidelines …, arguing he didn’t want to tip the scales"
                       rf"|^(?:[A-Z][^,]{{0,60}},\s+)?(?P<who2>{_NAME}|He|She)\s+[a-z][^,.;:“”\"]{{0,150}}?,\s+"
                       rf"(?:saying|arguing|adding|insisting|noting|telling\s+\w+|warning|claiming)\b")
_AFTER_WORD = re.compile(r"\b(?:to|for|of|with|by|from|at|about|on|and|nor|than|or|against|like)\s+$")
_OF_PLACE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z][^,]*?(?=,?$)")
# "Mr. Lou said": a courtesy title makes a surname a person even where no full name is given.
_TITLED = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Sir|Dame|Lord|Lady)\.?\s+[A-Z]")
# What may follow a reporting verb before its content: whom it was told to, when.
_OBJECT = re.compile(rf"^\s*(?:(?:to\s+)?(?:the\s+)?{_NAME}|reporters|on\s+\w+day|\w+day|today|in\s+a\s+statement)\b[\s,.]*")
_RELATIVE = re.compile(r"\s+(?:is|was|are|were|has|have|had|will|would|can|could|should|may|might)\b")
_CONJUNCTION = re.compile(r"^(?:and|but|yet|so)\s+")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_ACCORDING = re.compile(rf"\b[Aa]ccording\s+to\s+(?P<who>{_NAME})")
_ENDS_POSSESSIVE = re.compile(r"['’]s?$")
# A head clause this long is not a subject: the verb belongs to a later clause.
_MAX_SUBJECT = 160
_MAX_CLAUSE = 250  # an opening phrase before ", X said" may be long
_MIN_CONTENT_WORDS = 3


def extract_reported(article: Article) -> list[Quote]:
    """Every sentence reporting a named person's words or beliefs, one record each: the
    speaker's full name, the whole sentence as its text, its paragraph and offsets."""
    people = _full_names(article)
    people = people + _surname_speakers(article, people)
    found = _mentions(article, people)
    mentions = _Mentions(found, article.text, genders(article.text, [(s, e, name) for s, e, name, _ in found]))
    speakers = _Speakers(people=list(people), orgs=[])
    known = set(people)
    out: list[Quote] = []
    for paragraph in article.paragraphs:
        text = paragraph.text
        quoted = sorted((outer_start, outer_end) for outer_start, _, _, outer_end in _quotation_marks(text))
        ends = list(accumulate((b for _, b in quoted), max))  # so a bisection finds the first that reaches a sentence
        for start, end in split_sentences(text):
            sentence = text[start:end]
            inside, opened_before = 0, False
            for i in range(bisect_right(ends, start), len(quoted)):  # a hostile paragraph has thousands
                a, b = quoted[i]
                if a >= end:
                    break
                if b <= start:
                    continue  # inside a longer one that ends later
                inside += min(end, b) - max(start, a)
                opened_before = opened_before or a <= start
            if inside * 2 >= len(sentence) or opened_before:
                continue  # a quotation, or a sentence inside one: the direct quotes' (quotes.py)
            found_at = _speaker(sentence)
            if found_at is None:
                continue
            raw, offset = found_at
            at = paragraph.start + start + offset
            if _PRONOUN.match(raw):
                speaker = mentions.last_before(at, pronoun_gender(raw))
                if speaker and " " in speaker and not is_first_name(speaker.split()[0]):
                    continue  # "she" is no "National Mall": only a name with a first name takes a pronoun
            else:
                speaker = speakers.resolve(raw)
                if speaker and is_org(speaker) and _first_name_first(" ".join(speaker.split()[-2:])):
                    speaker = " ".join(speaker.split()[-2:])  # "Ex-Labour MP George Galloway": a role's acronym
            if speaker is None or is_org(speaker) or (speaker not in known and not _first_name_first(speaker)
                                                      and not _TITLED.match(raw)):
                continue  # an organisation, an unnamed speaker, a name that is no person the article names
            out.append(Quote(article.id, paragraph.number, speaker, sentence,
                             paragraph.start + start, paragraph.start + end))
    return out


def _first_name_first(name: str) -> bool:
    """A full name the article did not list but that starts with a known first name
    ("Scott Goodstein, its chief executive officer, said"): a person, not "New Jersey"."""
    words = name.split()
    return len(words) >= 2 and is_first_name(words[0])


def _speaker(sentence: str) -> tuple[str, int] | None:
    """(who, offset in the sentence) of the sentence's reporting speaker, as written."""
    according = _ACCORDING.search(sentence)
    if according:
        return according.group("who"), according.start("who")
    head = _head(sentence)
    if head is not None:
        return head
    for tail in _TAIL.finditer(sentence):
        if len(sentence[: tail.start()].split()) < _MIN_CONTENT_WORDS:
            continue
        who = next(g for g in ("who", "who2", "who3", "who4") if tail.group(g))
        if who == "who" and _AFTER_WORD.search(sentence, tail.start(), tail.start(who)):
            continue  # "…, advisers to Mr. Obama say, …": unnamed advisers, not Obama
        return tail.group(who), tail.start(who)
    both = _AND_SAID.match(sentence)
    if both and len(sentence[both.end():].split()) >= _MIN_CONTENT_WORDS:
        who = "who" if both.group("who") else "who2"
        return both.group(who), both.start(who)
    return None


def _head(sentence: str) -> tuple[str, int] | None:
    """`[opening phrase,] X [, appositive,] [also …] VERB content`: X, when the verb follows
    the subject directly (so "Clinton's campaign said" names no speaker) and content follows.
    The first verb whose clause names a subject counts ("When asked …, Cruz said")."""
    for verb in _HEAD.finditer(sentence, 0, _MAX_CLAUSE + 40):
        rest = sentence[verb.end():]
        if verb.start() > _MAX_CLAUSE or len(_OBJECT.sub("", rest).split()) < _MIN_CONTENT_WORDS:
            return None  # "…, Malkia Cyril … told The Huffington Post.": an attribution with no content
        if _RELATIVE.match(rest):
            return None  # "Everything Trump says is a lie": the verb is inside the subject
        clause = _PARENTHESIS.sub("", sentence[: verb.start()]).rstrip()  # "Sen. Bernie Sanders (I-Vt.)"
        if not clause:
            continue
        subject = _clause_subject(clause)
        if subject:
            at = sentence.rfind(subject, 0, verb.start())
            return (subject, at) if at >= 0 else None
    return None


def _clause_subject(clause: str) -> str | None:
    """Who the clause before a reporting verb names as its subject, or None."""
    inner = clause.rstrip(" ,")
    last = _CONJUNCTION.sub("", inner.rsplit(",", 1)[-1].strip()) if "," in inner else ""
    if last and (_PRONOUN.match(last) or re.fullmatch(_NAME, last)) and not _ENDS_POSSESSIVE.search(last):
        return last  # "[an opening phrase of any length], Adelson said"
    if len(clause) > _MAX_SUBJECT:
        return None
    clause = DATELINE.sub("", clause)  # "MACAU (Reuters) – Top Republican Party donor Sheldon Adelson"
    parts = [clause, _OF_PLACE.sub("", clause)]  # "Rep. Lee Zeldin of New York": the name, not the place
    if clause.endswith(","):
        # "Florida delegate John Archer, wearing a … T-shirt, said", "Still, Tad Devine, a senior
        # adviser to Mr. Sanders, said": a name before an appositive.
        parts += [_OF_PLACE.sub("", segment) for segment in clause.split(",")[:-1]]
    for part in dict.fromkeys(parts):
        subject = _subject(part)
        if not subject or _ENDS_POSSESSIVE.search(subject) or not (_PRONOUN.match(subject) or person_or_org(subject)):
            continue
        # The subject ends the clause ("… Dmitry Peskov said"), or an appositive does ("Smith, a
        # fellow at Brookings, said"); anything else before the verb is not the speaker's name.
        head = part.rstrip(" ,")
        if head.endswith(subject) and _AFTER_WORD.search(head[: len(head) - len(subject)]):
            continue  # "Aides to Clinton say", "Neither Cruz nor Christie": not the name's own words
        if head.endswith(subject) or (part == clause and clause.endswith(",")):
            return subject
    return None
