"""How well does `extract_quotes` say who said a direct quote? Scored on PolNeAR, strictly.

PolNeAR (../shared/data/polnear, see its README) annotates every attribution with Source,
Cue and Content spans. A *gold quote* is a run of words inside quotation marks (three words
or more: shorter ones are scare quotes, which qabot skips on purpose) that overlaps an
annotated Content; its speaker is taken from that attribution's Source span:

1. the person or organisation the Source names, read as the head of its phrase ("White
   House spokesman Josh Earnest" -> "Josh Earnest", "Rep. Elijah Cummings of Maryland, the
   panel's ranking Democrat" -> "Elijah Cummings": see `name_in`), unless it is a
   capitalised non-name ("Many", "Republicans", "Monday") or only describes someone ("a
   source familiar with Cruz's thinking", "the Florida senator");
2. else, for "he", "the campaign", "his spokesman", the nearest named mention before it in
   the CoreNLP coreference chain (`coref.json`) the Source belongs to, in full; for a
   pronoun only a PERSON mention whose first name does not contradict it ("she" is never
   "Ted Cruz"); "who" is the name right before it ("said Beck, who said");
3. else the quote's speaker is *unnamed* ("a source", "officials") — or *unresolved*, for
   a pronoun whose chain names nobody fitting (CoreNLP missed or mislinked it) and for a
   Source span that is only a verb ("said", an annotation slip): unresolved quotes, and the
   predictions on them, are left out of both scores and counted on their own line.

A hand check (2026-12-01, dev): of 30 random gold quotes (`--sample 30`) 23 have the right
speaker, 3 a wrong one (a "he" CoreNLP linked to Obama, "The senator" left unnamed,
"Washington Post Trump") and 4 are left out as unresolved; of 20 random "he"/"she" sources,
15 resolve to the person meant. Again on train (2026-12-01, 60 random, the earlier gold): 50
right, 7 wrong (4 our derivation, 3 PolNeAR's annotation), 1 left unnamed, 2 unresolved;
then fixed (`NEW_GOLD`; `--old-gold` scores the earlier gold): a discontinuous Content whose
pieces run backwards is read whole, a surname shared by relatives is the one the article
names most, a first name alone is the article's one person of that name, and an indefinite
Source ("a State Department official") is unnamed. Strict figures carry the rest of the
noise as well as qabot's errors.

**Hand-read gold** (`--gold hand`; dev: `bench/polnear_dev_speakers.tsv`, train: three files, 2026-12-02):
every one of the 658 gold quotes the bench finds on dev (the same quotes, the same PolNeAR
Source spans) was given its speaker by reading the article: four readers (helper agents),
each a quarter of the articles, shown the quote's offsets and the Source span's text and
asked for the person or organisation the span means, "-" for someone the article never names
("a source", "the letter"), "?" for cannot tell (none was used). They saw neither qabot's
answers nor the derived gold. Against the derived gold: 516 agree, 47 name another person
(CoreNLP's chains: "he" linked to the radio host instead of Gen. Ham, "Rafael Cruz" for Ted
Cruz, Michelle for Barack Obama), 88 the derived gold leaves unresolved or unnamed get a
name, 7 it names are unnamed. Checked by me: the contexts of 12 random ones of those 88 and
of 20 of the 47 (the Cruz, Ham, Crespo, Scott, Tompkins, Obama, Clinton items) — the reader's
speaker was the person meant in all 32. A gold quote missing from the file (the gold
derivation changed) stops the bench with a message, rather than scoring it some other way.
The same was done, after dev had been read for the fourth pass's rules, for 84 train articles
drawn at random (`bench/polnear_train_sample_speakers.tsv`, whose "# articles:" line lists
them), then for 84 more (`bench/polnear_train_sample2_speakers.tsv`, read before the fifth
pass changed any rule and scored only at its end), then for the other 672 (`polnear_train_speakers.tsv`,
sixteen readers, 4 456 gold quotes; against the derived gold 4 316 of train's 5 690 agree, 407 name
another person, 650 the derived gold leaves unresolved or unnamed get a name, 68 it names are
unnamed; I read 14 random disagreements in context: the reader was right in all 14). So all of
train is read by hand: `--split train --gold hand` scores the whole split, `--gold FILE` one file's
articles. The two samples are the held-out check: the ranker learns from the 672
(`bench/train_speaker_ranker.py --exclude` both files) and is scored on the samples.

**Quotations PolNeAR left unannotated** (`--unannotated`, with hand-read gold; 2026-12-02): the
quotations of dev and train that overlap no annotated Content (406 read; 313 left once the marks
were paired within a line, see `_QUOTED`) (continuations like
`,” he said. “[…]”`, transcript turns, headline quotes) were given their speaker by reading too
(`bench/polnear_unannotated_speakers.tsv`, see `unannotated_gold`), so an answer on them is
scored by who said them instead of counting wrong whoever it names.

Each article is scored **once**: several dev articles carry more than one annotation file
(one six times); the one with the most attributions is used, ties to the first file name.

- **strict**: a prediction is right when its speaker *is* the gold speaker: both names are
  brought to the article's own full form (a surname alone becomes the one full name in the
  article that ends with it; with two Trumps it stays ambiguous) and compared by first and
  last name, so "Carolyn B. Maloney" = "Carolyn Maloney" but "Donald Trump" != "Melania
  Trump". Every prediction counts for precision: one that overlaps no gold quote, or one
  whose gold speaker is unnamed, is wrong. Recall is over gold quotes with a named speaker.
- **lenient** (the earlier measure, now on the same once-per-article gold): the predicted
  name contains the gold surname (small typos allowed), and predictions that overlap no
  gold quote are left out of precision.

Published figures for comparison (different tasks and sets): speaker-span F1 83.2 on
PolNeAR test for a BERT tagger (COLING 2022); Citron on PARC 3.0, exact speaker spans,
P 92.9 / R 73.3.

    .venv/bin/python bench/quote_attribution.py                      # dev, figures
    .venv/bin/python bench/quote_attribution.py --split train        # another split
    .venv/bin/python bench/quote_attribution.py --errors             # each strict error
    .venv/bin/python bench/quote_attribution.py --misses             # each named gold quote never predicted
    .venv/bin/python bench/quote_attribution.py --ranker rules       # the rules alone, no learned ranker
    .venv/bin/python bench/quote_attribution.py --ranker M.json --curve  # a ranker's threshold curve
    .venv/bin/python bench/quote_attribution.py --sample 20          # gold speakers to check by hand
    .venv/bin/python bench/quote_attribution.py --gold hand          # dev against the hand-read speakers
    .venv/bin/python bench/quote_attribution.py --split train --gold bench/polnear_train_sample2_speakers.tsv
    .venv/bin/python bench/quote_attribution.py --gold hand --unannotated   # plus the quotations PolNeAR skipped

The last line reads `strict: P=0.xxx R=0.xxx F1=0.xxx`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "polnear"

from qabot.news import extract_quotes  # noqa: E402
from qabot.news.genders import first_name_gender, is_first_name  # noqa: E402
from qabot.news.ranker import Ranker
from qabot.records import Article, Paragraph  # noqa: E402
from qabot.text import TITLES, fold, matches  # noqa: E402

# A quotation never runs over a line: one left open at a paragraph's end (a quotation running
# on into the next paragraph, which opens again) ends there. Before 2026-12-02 the marks were
# paired across lines, so after an open paragraph every pair was off by one: the words *between*
# two quotations (`," added Clarke, who …`) became a gold quote — 44 on dev and train — and 100
# real quotations were none (their speakers were then read by hand, as all the others).
_QUOTED = re.compile(r"[“\"]([^“”\"\n]+)(?:[”\"]|(?=\n|$))")
_CAP_RUN = re.compile(r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.)(?:\s+(?:[A-Z][\w’'\-]*\.?|[A-Z]\.|de|van|von|al|bin))*")
# Capitalised words that are not names when they stand alone as a source.
_NOT_A_NAME = set("""
he she they it i we you his her their its him them this that these those the a an one some many most
all both few several others other nobody everyone everybody someone somebody anyone who which what
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december republican republicans democrat democrats democratic gop
americans american conservatives liberals voters officials critics supporters aides sources polls
trump's clinton's forty-one but and so yet if when while as at in on mr mrs ms dr sen rep gov
""".split())
_NOT_A_NAME_SINCE = {"my", "our", "your", "me", "us"}  # NEW_GOLD: "My" was a first-person narrator's name
_NOT_PEOPLE = {"LOCATION", "DATE", "TIME", "NUMBER", "MONEY", "PERCENT", "DURATION", "ORDINAL", "NATIONALITY",
               "COUNTRY", "CITY", "STATE_OR_PROVINCE"}
# Capitalised role words that come before a name: "Executive Director Aaron Sharockman".
_ROLE_WORDS = set("""
executive director secretary chairman chairwoman manager spokesman spokeswoman spokesperson press campaign
chief senior adviser advisor economist attorney general state president ceo founder host anchor editor
leader speaker minister governor senator representative mayor chair analyst professor strategist officer
aide deputy commissioner coordinator candidate nominee sen sens rep reps gov judge justice ambassador pollster
republican republicans democrat democratic democrats gop house senate former presidential vice
""".split())


UNRESOLVED = ""  # a pronoun source whose coreference chain names nobody: left out of both scores
_PRONOUN = re.compile(r"(?i)he|she|his|her|him|i|we|they|you")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    speaker: str | None  # a name; None when the source is never named ("a source"); UNRESOLVED
    source: str          # the annotated Source text, for --errors and --sample


def article_from(text: str, name: str) -> Article:
    """Paragraphs are the blank-line-separated blocks, at their offsets in the original text,
    so predicted offsets compare directly with the annotation's."""
    paragraphs = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        paragraphs.append(Paragraph(len(paragraphs) + 1, match.group(), match.start()))
    return Article(id=name, title=name, text=text, paragraphs=tuple(paragraphs), path=name, content_hash="")


def name_in(span: str) -> str | None:
    """The name a Source span gives, or None.

    The span's first clause (to a comma or bracket) is read, up to a preposition ("Elijah
    Cummings of Maryland"); its *last* run of two or more capitalised words wins, as the
    head of an English noun phrase comes last ("White House spokesman Josh Earnest" ->
    "Josh Earnest", "Secretary of State John F. Kerry" -> "John F. Kerry"), else its last
    single word ("Fallon"). After a possessive the owned part is read when it holds a name
    ("Gallup's Jeffrey M. Jones"); when the first clause only describes someone and the next
    names them, the name is taken ("Florida's Republican attorney general, Pam Bondi").
    A place before a role is no name ("the Florida senator" -> None, left to coreference).
    Titles are dropped, and so are role words before a name ("PolitiFact Executive Director
    Aaron Sharockman" -> "Aaron Sharockman"); organisations stay whole ("The New York Post").
    """
    text = re.sub(r"\s*-[LR][RSC]B-\s*", " (", span)  # CoreNLP's bracket tokens in coref text
    clauses = [c.strip() for c in re.split(r",|\s\(|\)", text) if c.strip()]
    if not clauses:
        return None
    first = _name_in_clause(clauses[0])
    if (first is None or first[1]) and len(clauses) > 1:
        second = _name_in_clause(clauses[1])
        if second and not second[1] and len(second[0].split()) >= 2:
            return second[0]
    return first[0] if first else None


def _name_in_clause(clause: str) -> tuple[str, bool] | None:
    """(name, only a modifier) in one clause; "only a modifier" when a lowercase head
    follows the name ("Duncan Hunter's chief of staff", "the Florida senator")."""
    not_a_modifier = "for|of|with|at|from|to|the" if NEW_GOLD else "for|of|with|at|from|to"
    someone = _INDEFINITE if NEW_GOLD else _SOMEONE  # NEW_GOLD: "a State Department official", "one New
    # Hampshire Democrat", "a 2008 Clinton veteran" are described, not named, as much as "a source"
    if someone.match(clause) and not re.search(rf"\s(?!(?:{not_a_modifier})\s)[a-z]+\s(?:[A-Z][\w.’'-]*\s)*[A-Z][\w.’'-]*$", clause):
        # "Another source familiar with Cruz's thinking", "one of Grayson's supporters", "a person
        # close to the Clintons" (but "A defensive Obama")
        return None
    owner, owned = (re.split(r"(?<=\w)['’]s?\s+", clause, maxsplit=1) + [""])[:2]
    parts = [owned, owner] if owned and _runs(owned)[0] else [owner]
    for part in parts:
        cut = re.split(r"\s(?:of|from|at|for|with|in|on|who|whose|which|that)\s", part)
        for i in range(1, len(cut)):  # "Stacy Baker of Columbia", but "Secretary of State John Kerry"
            if any(len(r.split()) >= 2 for r in _runs(" ".join(cut[:i]))[0]):
                part = " ".join(cut[:i])
                break
        runs, ends = _runs(part)
        if not runs:
            continue
        longer = [i for i, r in enumerate(runs) if len(r.split()) >= 2]
        pick = longer[-1] if longer else len(runs) - 1
        after = part[ends[pick]:].strip(" .’'")
        modifier = bool(after) or (part.startswith(owner[:len(part)]) and bool(owned))
        first_after = after.split()[0].lower() if after else ""
        if len(runs[pick].split()) == 1 and (first_after in _ROLE_WORDS or after and re.match(r"(?i)the\s", part)):
            return None  # "the Florida senator", "the Charlotte-Mecklenburg police chief": a description
        return runs[pick], modifier
    return None


_INDEFINITE = re.compile(r"^(?:[Aa]n?|[Aa]nother|[Oo]ne|[Ss]ome|[Tt]wo|[Tt]hree|[Ss]everal|[Mm]any)\s")
# An unnamed someone described by what they are: "a source close to …", "one of …".
_SOMEONE = re.compile(r"^(?:[Aa]n?|[Aa]nother|[Oo]ne|[Ss]ome|[Tt]wo|[Tt]hree|[Ss]everal|[Mm]any)\s+(?:of\s+|[a-z][\w-]*\s+)")


def _runs(clause: str) -> tuple[list[str], list[int]]:
    """The capitalised runs of a clause as names (titles and role words dropped), with where each ends."""
    runs, ends = [], []
    for match in _CAP_RUN.finditer(clause):
        words = [re.sub(r"['’]s$", "", w) for w in match.group().split()]
        while len(words) > 1 and fold(words[0].strip(".")) in TITLES:  # "Mr. King" keeps "King"
            words = words[1:]
        roles = [i for i, w in enumerate(words[:-1]) if fold(w.strip(".")) in _ROLE_WORDS | TITLES]
        if roles:  # "Christian Rev. Derek Penwell" -> "Derek Penwell"
            words = words[roles[-1] + 1:]
        while len(words) > 2 and not is_first_name(words[0]) and is_first_name(words[1]):
            words = words[1:]  # "Billionaire Donald Trump" -> "Donald Trump"
        not_names = _NOT_A_NAME | _NOT_A_NAME_SINCE if NEW_GOLD else _NOT_A_NAME
        if words and not (len(words) == 1 and fold(words[0]) in not_names):
            runs.append(" ".join(words))
            ends.append(match.end())
    return runs, ends


def parse_ann(ann: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(content span, source span) of every attribution that has both."""
    spans = {}
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, *offsets = re.split(r"[ ;]", parts[1])
            numbers = [int(o) for o in offsets]
            if NEW_GOLD:  # a discontinuous span, whose pieces may come in any order: all of it
                spans[parts[0]] = (min(numbers[0::2]), max(numbers[1::2]))
            else:  # the earlier reading: first start, last end (empty when the pieces run backwards)
                spans[parts[0]] = (numbers[0], numbers[-1])
    out = []
    for line in ann.splitlines():
        if line.startswith("E"):
            roles = dict(part.split(":") for part in line.split("\t")[1].split()[1:])
            content, source = spans.get(roles.get("Content", "")), spans.get(roles.get("Source", ""))
            if content and source:
                out.append((content, source))
    return out


def coref_name(chains: list[list[dict]], start: int, end: int) -> str | None:
    """The name the coreference chain of a mention inside [start, end) gives it, if any.

    CoreNLP's NER tags on chains are unreliable ("Secretary General Ban Ki-moon" is MISC,
    "Secretary of State John F. Kerry" O), so any chain whose mentions name someone counts,
    except places, dates and numbers. The longest mention inside the span decides (the
    head, not a modifier like "Trump's" in "Trump's campaign manager"). Its name is the
    nearest named mention before it in the chain, written in full where the chain has the
    full form: CoreNLP often merges two people into one long chain ("Bozell says … he adds
    … Ted Cruz …"), and the link it made nearest the pronoun is the one most often right.
    """
    best = None
    for chain in chains:
        for mention in chain:
            if start <= mention["start"] and mention["end"] <= end:
                rep = next((m for m in chain if m["rep"]), chain[0])
                if rep["ner"] in _NOT_PEOPLE:
                    continue
                pronoun = mention["text"].strip().lower() in _GENDERED
                named = [(m["start"], n) for m in chain if m["ner"] not in _NOT_PEOPLE
                         and (not pronoun or m["ner"] == "PERSON") for n in [name_in(m["text"])] if n]
                if pronoun:  # "she" is no man: a chain that says so linked the wrong mention
                    named = [(at, n) for at, n in named if _gender_fits(n, _GENDERED[mention["text"].strip().lower()])]
                size = mention["end"] - mention["start"]
                if named and (best is None or size > best[0]):
                    names = [n for _, n in named]
                    earlier = [n for at, n in named if at <= mention["start"]]
                    if earlier:
                        near = earlier[-1]
                        fuller = [n for n in names if n.split()[-1] == near.split()[-1] and len(n.split()) >= 2]
                        # "Donald Trump", not "Washington Post Trump" (a mention that ran two names together)
                        fuller = [n for n in fuller if is_first_name(n.split()[0])] or fuller
                        name = max(fuller, key=lambda n: (fuller.count(n), len(n.split()))) if fuller else near
                    else:
                        full = [n for n in names if len(n.split()) >= 2] or names
                        name = max(full, key=lambda n: (full.count(n), len(n.split())))
                    best = (size, name)
    return best[1] if best else None


# A pronoun's gold name must be a PERSON mention of a fitting gender (gender-guesser on the
# first name, only where it is sure): CoreNLP chains that link "he" to "Iowa" or "she" to
# "Trump" are left unresolved rather than trusted.
_GENDERED = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


def _gender_fits(name: str, gender: str) -> bool:
    guess, sure = first_name_gender(name.split()[0]) if len(name.split()) >= 2 else (None, False)
    return not (sure and guess != gender)


_CUE_ONLY = re.compile(r"(?i)said|says|told|tells|added|wrote|asked|who|which|o")


def gold_quotes(text: str, ann: str, chains: list[list[dict]]) -> list[Gold]:
    attributions = parse_ann(ann)
    out = []
    for quote in _QUOTED.finditer(text):
        if len(quote.group(1).split()) < 3:
            continue
        for content, source in attributions:
            if content[0] < quote.end(1) and quote.start(1) < content[1]:
                speaker, raw = speaker_of(text, source, chains)
                out.append(Gold(quote.start(1), quote.end(1), speaker, raw))
                break
    return out


def speaker_of(text: str, source: tuple[int, int], chains: list[list[dict]]) -> tuple[str | None, str]:
    """(gold speaker, Source text) of one attribution: a name, None (unnamed) or UNRESOLVED."""
    raw = text[source[0]:source[1]]
    if raw.strip().lower() in ("who", "which"):  # "said Beck, who said …": the name before it
        before = re.search(r"(?:[A-Z][\w.’'-]*\s+)*[A-Z][\w.’'-]*(?=,?\s*$)", text[max(0, source[0] - 80):source[0]])
        raw = before.group() if before else raw
    speaker = name_in(raw)
    # an indefinite description ("a source involved in the super-PAC's creation") brings in someone
    # new: it corefers with no earlier name, whatever chain CoreNLP put it in
    resolved = None if NEW_GOLD and _INDEFINITE.match(raw.strip()) else coref_name(chains, *source)
    if speaker is None or (resolved and len(speaker.split()) == 1 and resolved.split()[-1] == speaker):
        if NEW_GOLD and speaker and resolved:
            resolved = _most_named(chains, speaker) or resolved
        speaker = resolved or speaker  # "he" -> "Adam Schiff"; "Cruz" -> "Ted Cruz"
    if speaker is None and (_PRONOUN.fullmatch(raw.strip()) or _CUE_ONLY.fullmatch(raw.strip())):
        # a Source span that is only a speech verb ("said") is an annotation slip: left out too
        speaker = UNRESOLVED  # someone is meant, but coreference does not say who
    return speaker, raw


# The gold derivation's revision: True (2026-12-01, issue 10 part 3, third pass) reads a
# surname Source shared by several people of the article as the one named most (`_most_named`);
# False is the earlier gold, kept so both can be scored side by side (`--old-gold`).
NEW_GOLD = True


def _most_named(chains: list[list[dict]], surname: str) -> str | None:
    """The full name the article's PERSON mentions give most often among those ending in
    `surname`, when there are several people of that surname and one is named most.

    CoreNLP merges relatives into one chain ("Sen. Chris Murphy" … "Anne Marie Murphy", a
    Newtown victim; Bill and Hillary Clinton), so the nearest full name in the chain often
    names the wrong one; a news article calls its principal by the surname alone and names
    the others in full, and the principal is the one it names most. One by hand-check: of
    the 92 such train quotes, this changes the Murphy article's 8 and Chelsea Clinton's one to
    the person meant."""
    counts: dict[str, int] = {}
    for chain in chains:
        for m in chain:
            name = name_in(m["text"]) if m["ner"] == "PERSON" else None
            if name and len(name.split()) >= 2 and name.split()[-1] == surname and is_first_name(name.split()[0]):
                counts[name] = counts.get(name, 0) + 1
    if len({n.split()[0] for n in counts}) < 2:
        return None
    ranked = sorted(counts.values(), reverse=True)
    return max(counts, key=counts.get) if ranked[0] > ranked[1] else None


# Speakers read by hand: all of dev; all of train, in three files: two random samples of 84
# articles each, read first and kept out of the ranker's training to check it on articles it
# never saw (`bench/train_speaker_ranker.py --exclude`), and the other 672 articles.
HAND_GOLD = {"dev": (Path(__file__).with_name("polnear_dev_speakers.tsv"),),
             "train": (Path(__file__).with_name("polnear_train_speakers.tsv"),
                       Path(__file__).with_name("polnear_train_sample_speakers.tsv"),
                       Path(__file__).with_name("polnear_train_sample2_speakers.tsv"))}


def hand_articles(path: Path) -> set[str] | None:
    """The articles a sample was read from (its "# articles:" line), or None for a whole split."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# articles:"):
            return set(line.split(":", 1)[1].split())
    return None


def read_hand(paths) -> tuple[dict[tuple[str, int, int], str | None], set[str] | None]:
    """The speakers read by hand in `paths` together, and the articles they cover (None: a whole split)."""
    hand: dict[tuple[str, int, int], str | None] = {}
    only: set[str] | None = set()
    for path in paths:
        hand.update(hand_speakers(path))
        articles = hand_articles(path)
        only = None if only is None or articles is None else only | articles
    return hand, only


def with_hand_speakers(stem: str, gold: list[Gold], hand: dict | None) -> list[Gold]:
    """`gold` with each speaker replaced by the one read by hand (unchanged when `hand` is None); a gold
    quote nobody read stops the run: the gold derivation changed since, and guessing would hide it."""
    if hand is None:
        return gold
    missing = [g for g in gold if (stem, g.start, g.end) not in hand]
    if missing:
        sys.exit(f"the hand-read speakers have none for {stem} {missing[0].start}-{missing[0].end}: "
                 f"the gold quotes changed since they were read; read the new ones by hand")
    return [dataclasses.replace(g, speaker=hand[(stem, g.start, g.end)]) for g in gold]


def hand_speakers(path: Path) -> dict[tuple[str, int, int], str | None]:
    """(article, start, end) -> the speaker read by hand: a name, None ("-", never named) or
    UNRESOLVED ("?"). Two people together ("A and B") stand for the first."""
    return {(article, int(start), int(end)): _speaker_read(speaker)
            for article, start, end, speaker in (row[:4] for row in _rows(path))}


def _rows(path: Path):
    """The tab-separated cells of each line of a file read by hand, its "#" comments left out."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#") and line.strip():
            yield line.split("\t")


def _speaker_read(cell: str) -> str | None:
    """A speaker as readers wrote it: a name, None ("-", never named) or UNRESOLVED ("?"); two people
    together ("Bob Goodlatte and Trey Gowdy") stand for the first. A body's name with "and" in it is one
    name ("National Institute of Economic and Social Research", "Qualifications and Curriculum Authority":
    until 2026-12-02 they were cut to "National Institute of Economic", "Qualifications")."""
    two = _TWO_PEOPLE.fullmatch(cell.strip())
    speaker = two.group("first") if two else cell.strip()
    return None if speaker == "-" else UNRESOLVED if speaker == "?" else speaker


# Two names of two capitalised words or more each, every word capitalised: two people, not one body.
_NAME_WORDS = r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)+"
_TWO_PEOPLE = re.compile(rf"(?P<first>{_NAME_WORDS})\s+and\s+{_NAME_WORDS}")


UNANNOTATED = Path(__file__).with_name("polnear_unannotated_speakers.tsv")


def unannotated_gold(split: str, path: Path = UNANNOTATED) -> dict[str, list[Gold]]:
    """Per article, the quotations PolNeAR left unannotated, as gold quotes with the speakers read by
    hand: "-" is an unnamed speaker, "?" unresolved, and "x" (a title, a term: nobody's words) no gold
    quote at all, so a prediction on it stays wrong. Without them every answer on such a quotation
    counts wrong, right or not (most are right: `,” he said. “[…]”`, which annotators skipped)."""
    out: dict[str, list[Gold]] = {}
    for where, article, start, end, speaker in (row[:5] for row in _rows(path)):
        if where == split and speaker != "x":
            out.setdefault(article, []).append(Gold(int(start), int(end), _speaker_read(speaker),
                                                    "(not annotated; read by hand)"))
    return out


class ArticleNames:
    """An article's own name variants: a surname alone -> the one full name that ends with it.

    A first word that is no first name ("Wasserman Schultz", "De Blasio", "Even Rendell")
    counts as part of the surname: such a name is resolved like a surname alone.
    """

    def __init__(self, names):
        self.full: dict[str, set[tuple[str, str]]] = {}
        self._words: dict[tuple[str, str], list[list[str]]] = {}  # each full name's words, by its (first, last)
        for name in names:
            words = _key_words(name)
            if len(words) >= 2 and is_first_name(words[0]):
                self.full.setdefault(words[-1], set()).add((words[0], words[-1]))
                self._words.setdefault((words[0], words[-1]), []).append(words)
        for name in names:  # full names with an unknown first name, where no known one ends the same
            words = _key_words(name)
            if len(words) >= 2 and words[-1] not in self.full:
                self.full.setdefault(words[-1], set()).add((words[0], words[-1]))
                self._words.setdefault((words[0], words[-1]), []).append(words)

    def canonical(self, name: str | None) -> tuple[str, ...] | None:
        if not name:
            return None
        words = _key_words(name)
        if not words:
            return None
        options = self.full.get(words[-1], set())
        if len(words) >= 2 and (is_first_name(words[0]) or len(options) != 1
                                or not self._nested(words, next(iter(options)))):
            return (words[0], words[-1])
        if not options and NEW_GOLD:  # a first name alone ("Hillary", "Chelsea"): the one person of that first name
            options = {full for fulls in self.full.values() for full in fulls if full[0] == words[-1]}
        return next(iter(options)) if len(options) == 1 else (words[-1],)


    def _nested(self, words: list[str], option: tuple[str, str]) -> bool:
        """Whether a name with an unknown first word and the one full name of its surname are variants, one
        ending with the other ("Wasserman Schultz" and "Debbie Wasserman Schultz", "New York Times" and "York
        Times"), not two people ("Jeh Johnson" is not the article's "Gary Johnson")."""
        return any(longer[-len(shorter):] == shorter
                   for full in self._words[option]
                   for longer, shorter in [(full, words) if len(full) >= len(words) else (words, full)])


def _key_words(name: str) -> list[str]:
    words = [fold(w) for w in re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", name)]
    return [re.sub(r"['’]s$", "", w) for w in words
            if w not in TITLES and w not in _GENERATIONS and len(w) > 1 or w.isdigit()]


_GENERATIONS = {"jr", "sr", "ii", "iii", "iv"}  # "Vann R. Newkirk II" is Vann Newkirk


def choose_annotations(folder: Path, texts: dict[str, Path]) -> dict[str, Path]:
    """One annotation file per article: the most attributions, ties to the first file name."""
    chosen: dict[str, tuple[int, str, Path]] = {}
    for ann_path in sorted((folder / "attributions").glob("*.ann")):
        stem = re.sub(r"_[0-9a-f]{4}$", "", ann_path.stem)
        if stem not in texts:
            continue
        n = sum(1 for line in ann_path.read_text(encoding="utf-8").splitlines() if line.startswith("E"))
        if stem not in chosen or n > chosen[stem][0]:
            chosen[stem] = (n, ann_path.name, ann_path)
    return {stem: path for stem, (_, _, path) in sorted(chosen.items())}


@dataclass
class Score:
    gold: int = 0          # gold quotes with a named speaker
    unnamed: int = 0       # gold quotes whose speaker is never named
    found: int = 0         # named gold quotes with a right prediction
    predicted: int = 0
    right: int = 0
    outside: int = 0       # predictions overlapping no gold quote
    unresolved: int = 0    # gold quotes by a pronoun coreference cannot resolve (left out)

    def prf(self) -> tuple[float, float, float]:
        p = self.right / self.predicted if self.predicted else 0.0
        r = self.found / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(folder: Path, errors: bool = False, sample: int = 0, misses: bool = False,
          ranker: Ranker | bool | None = True, hand: dict | None = None,
          only: set[str] | None = None, extra: dict[str, list[Gold]] | None = None) -> tuple[Score, Score, int]:
    """(strict, lenient, articles scored) over one split folder; `ranker` as `extract_quotes` takes it;
    `hand` (from `hand_speakers`) replaces each derived gold speaker by the one read by hand;
    `only`, the articles to score (all when None); `extra`, gold quotes PolNeAR left out (`unannotated_gold`)."""
    texts = {p.stem: p for p in sorted((folder / "text").glob("*.txt"))}
    coref_path = folder / "coref.json"
    coref = json.loads(coref_path.read_text(encoding="utf-8")) if coref_path.is_file() else {}
    strict, lenient = Score(), Score()
    chosen = choose_annotations(folder, texts)
    if only is not None:
        chosen = {stem: path for stem, path in chosen.items() if stem in only}
    samples = []
    for stem, ann_path in chosen.items():
        text = texts[stem].read_text(encoding="utf-8")
        chains = coref.get(f"{stem}.txt", [])
        gold = gold_quotes(text, ann_path.read_text(encoding="utf-8"), chains)
        gold = with_hand_speakers(stem, gold, hand) + (extra or {}).get(stem, [])
        quotes = extract_quotes(article_from(text, stem), ranker=ranker)
        samples += [(stem, g) for g in gold]
        people = [name_in(m["text"]) or "" for chain in chains for m in chain if m["ner"] == "PERSON"]
        score_article(stem, text, gold, quotes, people, strict, lenient, errors=errors, misses=misses)
    if sample:
        for stem, g in random.Random(0).sample(samples, min(sample, len(samples))):
            print(f"sample: {stem[:40]}: source {g.source[:50]!r} -> {g.speaker!r}")
    return strict, lenient, len(chosen)


def score_article(stem: str, text: str, gold: list[Gold], quotes, people: list[str], strict: Score, lenient: Score,
                  errors: bool = False, misses: bool = False) -> None:
    """Add one article's counts to `strict` and `lenient`: `gold` its gold quotes, `quotes` qabot's answers,
    `people` names the article gives besides (to bring a surname to its full form)."""
    names = ArticleNames(people + [g.speaker for g in gold if g.speaker] + [q.speaker for q in quotes])
    unresolved = [g for g in gold if g.speaker == UNRESOLVED]
    gold = [g for g in gold if g.speaker != UNRESOLVED]
    quotes = [q for q in quotes if not any(q.start < g.end and g.start < q.end for g in unresolved)]
    for s in (strict, lenient):
        s.gold += sum(1 for g in gold if g.speaker)
        s.unnamed += sum(1 for g in gold if not g.speaker)
        s.unresolved += len(unresolved)

    def overlapping(q):
        return [g for g in gold if q.start < g.end and g.start < q.end]

    def strict_right(q, g) -> bool:
        return g.speaker is not None and names.canonical(q.speaker) == names.canonical(g.speaker)

    def lenient_right(q, g) -> bool:
        return g.speaker is not None and matches(g.speaker.split()[-1], q.speaker)

    for g in gold:
        if not g.speaker:
            continue
        near = [q for q in quotes if q.start < g.end and g.start < q.end]
        strict.found += any(strict_right(q, g) for q in near)
        if misses and not near:
            line = text[max(0, g.start - 120):g.end + 80].replace("\n", " ")
            print(f"miss: {stem[:40]}: gold {g.speaker!r} ({g.source[:40]!r}): {line!r}")
        lenient.found += any(lenient_right(q, g) for q in near)
    for q in quotes:
        over = overlapping(q)
        strict.predicted += 1
        if over and any(strict_right(q, g) for g in over):
            strict.right += 1
        elif errors:
            gold_speaker = over[0].speaker if over else "(no gold quote)"
            source = over[0].source[:40] if over else ""
            around = (text[max(0, q.start - 100):q.start] + "[…]" + text[q.end:q.end + 100]).replace("\n", " ")
            print(f"{stem[:40]}: {q.speaker!r} but gold {gold_speaker!r} ({source!r}): {q.text[:60]!r} | {around!r}")
        if not over:
            strict.outside += 1
            lenient.outside += 1
            continue
        lenient.predicted += 1
        lenient.right += any(lenient_right(q, g) for g in over)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="a folder laid out like ../shared/data/polnear")
    parser.add_argument("--split", default="dev", help="the split folder inside --data (dev, train)")
    parser.add_argument("--errors", action="store_true", help="print each strictly wrong prediction")
    parser.add_argument("--misses", action="store_true", help="print each named gold quote with no prediction on it")
    parser.add_argument("--ranker", default="default",
                        help="'default' (as extract_quotes is shipped), 'rules' (no ranker), or a model JSON path")
    parser.add_argument("--curve", action="store_true",
                        help="with a ranker: strict P/R/F1 for a range of its thresholds (a table), then the figures")
    parser.add_argument("--old-gold", action="store_true",
                        help="the gold derivation before 2026-12-01's third pass (see NEW_GOLD), to compare")
    parser.add_argument("--gold", default="derived",
                        help="'derived' (gold speakers from the Source span and coreference), 'hand' (read by hand, "
                             "every article of dev and train, see HAND_GOLD) or the path of one hand-read speakers "
                             "file, to score only its articles (bench/polnear_train_sample2_speakers.tsv)")
    parser.add_argument("--unannotated", action="store_true",
                        help="with hand-read gold: add the quotations PolNeAR left unannotated, their speakers read "
                             "by hand (bench/polnear_unannotated_speakers.tsv), instead of counting every answer on "
                             "them wrong")
    parser.add_argument("--sample", type=int, default=0, help="print N gold (source -> speaker) pairs to check by hand")
    args = parser.parse_args(argv)
    global NEW_GOLD
    NEW_GOLD = not args.old_gold
    folder = args.data / args.split
    if not (folder / "text").is_dir() or not (folder / "attributions").is_dir():
        sys.exit(f"No PolNeAR split at {folder} (expected text/ and attributions/); see ../shared/data/README.md.")
    hand = only = None
    if args.gold != "derived":
        if args.gold == "hand" and (args.split not in HAND_GOLD or not all(p.is_file() for p in HAND_GOLD[args.split])):
            sys.exit(f"--gold hand: no speakers were read by hand for {args.split!r} (only {', '.join(HAND_GOLD)})")
        paths = HAND_GOLD[args.split] if args.gold == "hand" else (Path(args.gold),)
        if not paths[0].is_file():
            sys.exit(f"--gold {args.gold}: no such file (expected 'derived', 'hand' or a hand-read speakers file)")
        hand, only = read_hand(paths)
    if args.unannotated and hand is None:
        sys.exit("--unannotated: only with hand-read gold (--gold hand or a speakers file): its speakers were read "
                 "by hand too")
    extra = unannotated_gold(args.split) if args.unannotated else None
    ranker = {"default": True, "rules": None}.get(args.ranker) if args.ranker in ("default", "rules") \
        else Ranker.load(Path(args.ranker))
    if args.curve and isinstance(ranker, Ranker):
        print("threshold  P      R      F1     (strict)")
        for t in [round(0.05 * k, 2) for k in range(4, 19)]:
            p, r, f = score(folder, ranker=dataclasses.replace(ranker, threshold=t), hand=hand, only=only,
                              extra=extra)[0].prf()
            print(f"{t:9.2f}  {p:.3f}  {r:.3f}  {f:.3f}")
    strict, lenient, articles = score(folder, errors=args.errors, sample=args.sample, misses=args.misses, ranker=ranker,
                                     hand=hand, only=only, extra=extra)
    print(f"PolNeAR {args.split}: {articles} articles, each scored once; direct quotes of 3+ words; "
          f"gold speakers {'read by hand' if hand else 'derived'}"
          f"{'; with the quotations PolNeAR left unannotated, read by hand' if extra is not None else ''}")
    print(f"gold quotes with a named speaker: {strict.gold} (plus {strict.unnamed} whose source is never named; "
          f"{strict.unresolved} unresolved (a pronoun coreference does not resolve, or a Source that is only a verb), "
          f"left out with the predictions on them)")
    print(f"predictions: {strict.predicted}, of which {strict.outside} overlap no gold quote")
    print_scores(strict, lenient)


def print_scores(strict: Score, lenient: Score) -> None:
    """The lenient line, the strict counts and the last line, `strict: P=0.xxx R=0.xxx F1=0.xxx`."""
    p, r, f = lenient.prf()
    print(f"lenient (surname, predictions outside gold left out): P={p:.3f} ({lenient.right}/{lenient.predicted}) "
          f"R={r:.3f} ({lenient.found}/{lenient.gold}) F1={f:.3f}")
    p, r, f = strict.prf()
    print(f"strict counts: right {strict.right}/{strict.predicted} predictions, found {strict.found}/{strict.gold} gold")
    print(f"strict: P={p:.3f} R={r:.3f} F1={f:.3f}")


if __name__ == "__main__":
    main()
