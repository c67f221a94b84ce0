"""Reading time and source out of a question: "what did the BBC report about Yukos since March?".

The time phrase is read by `qabot.text.periods` relative to `today` (now, the newest
indexed article with `[answer] today = "newest"`, or a fixed ISO date). A source is an
outlet the snapshot's articles name in their `source` metadata, written after "according
to", "in", "from", "by" or "on" (the article "the" optional), or as the subject of
"what did X report". Both phrases are taken out of the question before it is parsed, so
"What did Kosachev say last week?" is asked as "What did Kosachev say?" within a period.

A time phrase limits the search only where the articles carry dates: when most indexed
articles are undated (an archive such as the BBC 2004-05 corpus), "in 2004" could only
leave nothing to search, so it stays part of the question's words and the answer says so
(`time_as_words`). `--since` / `--until` always filter.

An outlet the question names but no article comes from ("according to Reuters", when X is
not a person the articles quote) is reported as `unknown_source`, so the answer can list
the sources that are indexed rather than answer from the wrong ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence

from qabot.records import Answer, Citation
from qabot.search import Catalog, Scope, Selection
from qabot.text import Period, find_period, fold, period_between

_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w&.'’-]*){0,4}"
# Only the cue words ignore case: an outlet's name is capitalised ("the dockers union" is not one).
_CUED = re.compile(rf"\b(?P<cue>(?i:according\s+to|in|from|by|on|at))\s+(?:(?i:the)\s+)?(?P<name>{_NAME})")
_REPORTED = re.compile(rf"\b(?i:what\s+(?:did|has|have|does|do)\s+)(?:(?i:the)\s+)?(?P<name>{_NAME})\s+"
                       rf"(?i:report|reported|write|wrote|say|said|publish|published)\b")
_REPORTED_CASED = re.compile(rf"(?:^|\b(?i:did|has|have|does|do)\s+)(?:(?i:the)\s+)?(?P<name>{_NAME})\s+(?i:report|reported|reports)\b")


@dataclass(frozen=True)
class AskedScope:
    """The question without its time and source phrases, and the scope they name."""

    question: str
    scope: Scope
    period: Period | None = None
    source_names: tuple[str, ...] = ()  # as the question wrote them
    unknown_source: str | None = None
    out_of_scope: str | None = None
    time_as_words: str | None = None  # a time phrase kept as words: most articles are undated

    def describe(self) -> str:
        """"from BBC News, from 2005-03-01 to 2005-04-30" (empty without a scope)."""
        parts = []
        if self.scope.sources:
            parts.append("from " + " or ".join(self.scope.sources))
        if self.period:
            parts.append("published " + self.period.describe())
        return ", ".join(parts)

    def as_json(self, undated_left_out: int) -> dict:
        period = self.period
        return {
            "since": period.since.isoformat() if period and period.since else None,
            "until": period.until.isoformat() if period and period.until else None,
            "time_phrase": period.phrase if period else None,
            "sources": list(self.scope.sources),
            "undated_left_out": undated_left_out,
            "out_of_scope": self.out_of_scope,
            "time_as_words": self.time_as_words,
        }


# Below this share of dated articles a time phrase in a question is read as words, not a filter.
MIN_DATED_SHARE = 0.5


def read_scope(question: str, catalog: Callable[[], Catalog], today: date, *, is_person: Callable[[str], bool],
               since: date | None = None, until: date | None = None, sources: Sequence[str] = ()) -> AskedScope:
    """Find the time and source a question (or the CLI's flags) limits it to.

    `catalog` is called only when a source has to be matched, so a plain question never
    reads the article table. `is_person` says whether a name is someone the articles
    quote or mention ("according to Kosachev" is a person, not an outlet).
    """
    found = find_period(question, today)
    text, period = found.rest, found.period
    time_as_words = None
    if period is not None and catalog().dated_share() < MIN_DATED_SHARE:
        text, period, time_as_words = question, None, period.phrase
    if since or until:
        period = period_between(since, until)
    names: list[str] = []
    matched: list[str] = []
    unknown = None
    for wanted in sources:
        hits = catalog().match_source(wanted)
        if not hits:
            return AskedScope(question, Scope(), period, (wanted,), unknown_source=wanted, out_of_scope=found.out_of_scope,
                              time_as_words=time_as_words)
        names.append(wanted)
        matched += hits
    if not sources and _may_name_a_source(text):
        text, names, matched, unknown = _sources_in(text, catalog(), is_person)
    scope = Scope(period.since if period else None, period.until if period else None, tuple(dict.fromkeys(matched)))
    return AskedScope(text if text.strip(" ?!.") else question, scope, period, tuple(names), unknown, found.out_of_scope,
                      time_as_words)


def _may_name_a_source(text: str) -> bool:
    return bool(_CUED.search(text) or _REPORTED.search(text))


def _sources_in(text: str, catalog: Catalog, is_person: Callable[[str], bool]) -> tuple[str, list[str], list[str], str | None]:
    """(text without the source phrases, names as written, matched sources, unknown outlet)."""
    names: list[str] = []
    matched: list[str] = []
    unknown = None
    spans: list[tuple[int, int]] = []
    for pattern in (_CUED, _REPORTED_CASED, _REPORTED):
        for match in pattern.finditer(text):
            # "in Moscow" must not pick the "Moscow Ledger": after a bare "in", "from", "on",
            # "at" or "by" only a source's whole name counts; "according to", "the" or a
            # reporting verb make a part of it enough ("in the BBC" -> "BBC News").
            exact = "cue" in pattern.groupindex and not fold(match.group("cue")).startswith("according") \
                and not re.match(r"\S+\s+the\s", match.group(0), re.IGNORECASE)
            name = _longest_source(match.group("name"), catalog, exact)
            if name:
                names.append(name)
                matched += catalog.match_source(name, exact)
                start = match.start() if "cue" in pattern.groupindex else match.start("name")
                spans.append((start, match.start("name") + len(name)))
            elif unknown is None and _outlet_like(match, pattern) and not is_person(match.group("name")):
                unknown = match.group("name")
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    text = re.sub(r"\s+([?.!,])", r"\1", " ".join(text.split()))
    if matched:
        unknown = None
    return text, list(dict.fromkeys(names)), list(dict.fromkeys(matched)), unknown


def _longest_source(name: str, catalog: Catalog, exact: bool) -> str | None:
    """The longest leading run of words in `name` that names an indexed source."""
    words = name.split()
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n])
        if catalog.match_source(candidate, exact):
            return candidate
    return None


def _outlet_like(match: re.Match[str], pattern: re.Pattern[str]) -> bool:
    """Only "according to X" and "what did X report" name an outlet for sure."""
    if "cue" in pattern.groupindex:
        return fold(match.group("cue")).startswith("according")
    return bool(re.search(r"report|publish", match.group(0), re.IGNORECASE))


def today_for(setting: str, catalog: Callable[[], Catalog]) -> date:
    """`[answer] today`: "now", "newest" (the newest indexed article) or an ISO date."""
    if setting == "now":
        return date.today()
    if setting == "newest":
        return catalog().newest() or date.today()
    return date.fromisoformat(setting)


def answer_within(question: str, asked: AskedScope, catalog: Callable[[], Catalog],
                  answer: Callable[[Selection | None], Answer]) -> Answer:
    """Answer inside the asked scope, saying plainly what the scope was and what it left out.

    `answer(selection)` answers within a selection (None: everything). When no article is in
    scope, or none in scope answers, the answer is "not found" and the best unfiltered
    answer's passages are offered as closest matches, labelled as outside the scope.
    """
    if asked.unknown_source:
        known = catalog().sources
        listed = ", ".join(known) if known else "none (the indexed articles carry no source names)"
        return Answer(question, False, note=f"I have no articles from {asked.unknown_source}. Sources I have: {listed}.",
                      filters={**asked.as_json(0), "unknown_source": asked.unknown_source})
    event_note = (f"I can only limit answers to dates, not to events such as \"{asked.out_of_scope}\"; "
                  "this answer covers all dates." if asked.out_of_scope else None)
    if asked.time_as_words:
        event_note = _join(event_note, f"Most indexed articles carry no date, so \"{asked.time_as_words}\" was "
                                       "searched as words, not used to limit the dates.")
    if asked.scope.empty:
        found = answer(None)
        filters = asked.as_json(0) if asked.out_of_scope or asked.time_as_words else {}
        return _with(found, question, _join(event_note, found.note), filters)
    selection = catalog().select(asked.scope)
    filters = asked.as_json(selection.undated_left_out)
    where = asked.describe()
    undated = (f"{selection.undated_left_out} undated article{'s were' if selection.undated_left_out != 1 else ' was'} "
               "left out." if selection.undated_left_out else None)
    inside = answer(selection) if selection.articles else None
    if inside is not None and inside.found:
        return _with(inside, question, _join(f"Only articles {where}.", inside.note, undated, event_note), filters)
    outside = answer(None)
    lead = (f"No indexed articles are {where}." if not selection.articles
            else f"Nothing in the articles {where} answers this.")
    tail = "The nearest match outside that is below, not as an answer."
    if outside.found:
        nearest = outside.citations[:3]
    elif inside is not None:  # nothing answers anywhere: the closest passages in scope
        nearest, tail = inside.closest[:3], None
    else:
        nearest = outside.closest[:3]
    nearest = tuple(Citation(**{**c.__dict__, "number": i}) for i, c in enumerate(nearest, 1))
    tail = tail if nearest else None
    return Answer(question, False, closest=nearest, note=_join(lead, undated, tail), subject=outside.subject,
                  filters=filters)


def _with(answer: Answer, question: str, note: str | None, filters: dict) -> Answer:
    return Answer(**{**answer.__dict__, "question": question, "note": note, "filters": filters})


def _join(*notes: str | None) -> str | None:
    text = " ".join(n for n in notes if n)
    return text or None
