"""How well does `extract_quotes` say who said a direct quote? Scored on PolNeAR dev.

PolNeAR (../shared/data/polnear, see its README) annotates every attribution in 84 dev
articles with Source, Cue and Content spans. Here a *gold pair* is a run of words inside
quotation marks (three words or more: shorter ones are scare quotes, which qabot skips on
purpose) that overlaps an annotated Content, with its Source's surname: the last
capitalised word of the Source, or, when the Source is a pronoun or a common noun ("he",
"the campaign"), of the nearest earlier Source that names someone. Gold quotes whose
speaker is never named ("a source said") are left out of recall and counted separately.

A *predicted pair* is a `Quote` from `extract_quotes`. It is correct when it overlaps a
gold quote and its speaker matches the gold surname (`qabot.text.names.matches`). Precision
counts only predictions that overlap some gold quote (PolNeAR annotates most but not all
quotations); predictions that overlap none are reported on their own line.

    .venv/bin/python bench/quote_attribution.py            # the figures
    .venv/bin/python bench/quote_attribution.py --errors   # plus each wrong speaker
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEV = REPO.parent / "shared" / "data" / "polnear" / "dev"

from qabot.text.names import matches  # noqa: E402
from qabot.news.quotes import extract_quotes  # noqa: E402
from qabot.records import Article, Paragraph  # noqa: E402

_QUOTED = re.compile(r"[“\"]([^“”\"]+)[”\"]")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'\-]+")
_NOT_A_NAME = {"He", "She", "They", "It", "I", "We", "His", "Her", "The", "A", "An", "This", "That", "Trump's"}


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    surname: str | None
    source: str


def article_from(text: str, name: str) -> Article:
    """Paragraphs are the blank-line-separated blocks, at their offsets in the original text,
    so predicted offsets compare directly with the annotation's."""
    paragraphs = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        block = match.group()
        paragraphs.append(Paragraph(len(paragraphs) + 1, block, match.start()))
    return Article(id=name, title=name, text=text, paragraphs=tuple(paragraphs), path=name, content_hash="")


def surname(source: str) -> str | None:
    """"Rep. Elijah Cummings of Maryland, the panel's ranking Democrat" -> "Cummings"."""
    source = re.split(r",|\s\(|\s(?:of|from|who|whose)\s", source)[0]
    words = [w for w in _CAPITALISED.findall(source) if w not in _NOT_A_NAME]
    return re.sub(r"['’]s$", "", words[-1]) if words else None


def gold_pairs(text: str, ann: str) -> list[Gold]:
    spans = {}
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, *offsets = re.split(r"[ ;]", parts[1])  # a discontinuous span: first start, last end
            spans[parts[0]] = (kind, int(offsets[0]), int(offsets[-1]))
    attributions = []
    for line in ann.splitlines():
        if line.startswith("E"):
            roles = dict(part.split(":") for part in line.split("\t")[1].split()[1:])
            content, source = spans.get(roles.get("Content", "")), spans.get(roles.get("Source", ""))
            if content and source:
                attributions.append((content, source))
    named = sorted((s[1], surname(text[s[1]:s[2]])) for _, s in attributions if surname(text[s[1]:s[2]]))
    out = []
    for quote in _QUOTED.finditer(text):
        if len(quote.group(1).split()) < 3:
            continue
        for content, source in attributions:
            if content[1] < quote.end(1) and quote.start(1) < content[2]:
                raw = text[source[1]:source[2]]
                name = surname(raw) or next((n for at, n in reversed(named) if at < source[1]), None)
                out.append(Gold(quote.start(1), quote.end(1), name, raw))
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print each wrongly attributed quote")
    args = parser.parse_args()
    if not DEV.is_dir():
        sys.exit(f"PolNeAR dev is not at {DEV}; see ../shared/data/README.md.")
    texts = {p.stem: p for p in sorted((DEV / "text").glob("*.txt"))}
    gold_total = unnamed = found = predicted = correct = outside = 0
    for ann_path in sorted((DEV / "attributions").glob("*.ann")):
        stem = re.sub(r"_[0-9a-f]{4}$", "", ann_path.stem)
        if stem not in texts:
            continue
        text = texts[stem].read_text(encoding="utf-8")
        gold = gold_pairs(text, ann_path.read_text(encoding="utf-8"))
        quotes = extract_quotes(article_from(text, stem))
        named = [g for g in gold if g.surname]
        gold_total += len(named)
        unnamed += len(gold) - len(named)
        for g in named:
            if any(q.start < g.end and g.start < q.end and matches(g.surname, q.speaker) for q in quotes):
                found += 1
        for q in quotes:
            overlapping = [g for g in gold if q.start < g.end and g.start < q.end]
            if not overlapping:
                outside += 1
                continue
            predicted += 1
            if any(g.surname and matches(g.surname, q.speaker) for g in overlapping):
                correct += 1
            elif args.errors:
                first = overlapping[0]
                print(f"{stem[:40]}: {q.speaker!r} but gold {first.surname!r} ({first.source[:40]!r}): {q.text[:60]!r}")
    precision = correct / predicted if predicted else 0.0
    recall = found / gold_total if gold_total else 0.0
    print(f"PolNeAR dev, direct quotes of 3+ words, (speaker surname, quote) pairs")
    print(f"gold pairs with a named speaker: {gold_total} (plus {unnamed} whose source is never named)")
    print(f"predicted pairs overlapping a gold quote: {predicted}; overlapping none: {outside}")
    print(f"precision: {precision:.3f} ({correct}/{predicted})")
    print(f"recall:    {recall:.3f} ({found}/{gold_total})")


if __name__ == "__main__":
    main()
