"""Who said each quotation, on BBC News articles nobody had read for the rules: a held-out check.

Every figure of issue 10 part 3 so far is on PolNeAR (2016 US campaign coverage), whose
articles have all been read for rules or tuned on by now. This bench scores `extract_quotes`
the same strict way on another source, the BBC News corpus (../shared/data/bbc, 2004–2005,
British style: `Ms Hewitt said: "…"`, quotations that run on without a closing mark), on
random samples of its articles, their speakers read by hand (2026-12-02):

- `bench/bbc_sample_speakers.tsv` (56 articles): may be read for rules, as PolNeAR train is;
- `bench/bbc_heldout_speakers.tsv` (56 other articles): scored, not read for rules until the
  eleventh pass. Its first score was taken before any rule changed for the BBC, and is
  reported beside every later one.
- `bench/bbc_heldout2_speakers.tsv` (112 more, the tenth pass): scored first with the code as the
  ninth pass left it (P 0.857 / R 0.773: the first held-out half's 0.931 / 0.815 had been luck of
  56 articles), then read for rules.
- `bench/bbc_heldout3_speakers.tsv` (112 more, the tenth pass): read by hand while that pass's rules
  were written, scored once at its end; read for rules in the eleventh pass.
- `bench/bbc_heldout4_speakers.tsv` (168 articles, the eleventh pass): a fresh draw (`--seed
  20261205`, leaving out the 336 above), read by hand at that pass's start, blind to its rules, and
  scored once at its end; read for rules in the twelfth pass.
- `bench/bbc_heldout5_speakers.tsv` (168 articles, the twelfth pass): a third draw (`--seed
  20261206`, leaving out the 504 above), read the same way at that pass's start and scored once at
  its end; read for rules in the thirteenth pass.
- `bench/bbc_heldout6_speakers.tsv` (168 articles): a fourth draw (`--seed 20261207`), read the
  same way after the twelfth pass's rules and ranker were frozen, and scored once with them as a
  second fresh check; read for rules in the thirteenth pass, as was the third draw.
- `bench/bbc_heldout7_speakers.tsv` (168 articles): a fifth draw (`--seed 20261208`), read the
  same way at the thirteenth pass's start, before its rules, and scored once at its end; read for rules
  in the fourteenth pass, and in the ranker's training since.
- `bench/bbc_heldout8_speakers.tsv` (168 articles): a sixth draw (`--seed 20261209`), read the same
  way at the end of the thirteenth pass, after its code was frozen and scored, to judge the next pass;
  never read for rules. Before that pass, one score of it was taken by accident: the rules alone with the
  thirteenth pass's final code (P 0.886, R 0.793; a test printed the total over all samples, and now never
  shows the bench's output). Scored once at the end of the fourteenth pass: P 0.912, R 0.825; read for rules
  since the fifteenth.
- `bench/bbc_heldout9_speakers.tsv` (168 articles): a seventh draw (`--seed 20261210`), read the same
  way at the start of the fourteenth pass, blind, and committed before its first rule. With the sixth
  draw it judges the fourteenth pass (336 articles: the spread between single draws, 2.7 points of
  precision and 8.5 of recall over the third to fifth, is larger than any pass's move), scored once at
  its end (P 0.908, R 0.822; both draws 0.910 / 0.823); never read for rules before then, read for rules since
  the fifteenth pass.
- `bench/bbc_heldout10_speakers.tsv` (168 articles): an eighth draw (`--seed 20261211`), read the same
  way at the end of the fourteenth pass, after its code was frozen and its two judges scored, to judge the
  next pass; never read for rules. Scored once at the end of the fifteenth pass: P 0.923, R 0.839.
- `bench/bbc_heldout11_speakers.tsv` (167 articles): a ninth draw (`--seed 20261212`), the 167 distinct
  articles with a quotation left after the eight before it, read the same way at the start of the
  fifteenth pass; with the eighth it judged that pass, scored once at its end (P 0.939, R 0.877; both draws
  0.931 / 0.857); never read for rules. No article is left for a tenth draw.

The samples are one `random.Random(20261203)` draw from the distinct articles (2 127; 1 790 of them hold at
least one gold quotation), leaving out every article the project's tests, benchmarks or docs name (1 679 left)
(`sample_articles`): its articles 1–56, 57–112, 113–224 and 225–336 (a longer draw begins with
the shorter one); each later held-out sample is another seed's draw from the rest (`DRAWS`). The ranker is
trained on PolNeAR train and, since the tenth pass, on the samples read for rules
(`bench/train_speaker_ranker.py --bbc`), never on a held-out one.

**Gold quotations** (`gold_spans`) are found by the bench itself, not by qabot's finder: in
each paragraph, runs of three words or more between double marks (straight or curly; a
straight mark after a space and before a word opens, any other closes; one that opens while a
quotation is open ends it, as BBC copy runs `"… 26 weeks. "We are going …"`; one left open
runs to the paragraph's end), and between single marks outside them. No title or scare-quote
filter: a programme's name, a slogan, a headline quotation is read as "x" (nobody's words),
so an answer on it counts wrong.

**Speakers** were read by helper agents, each given the articles and the quotations' offsets
and text, blind to qabot's answers and code: a full name as the article gives it, an
organisation, "-" (someone's words, never named), "x" (not anyone's words), "?" (cannot tell).
Two other readers read 20 of the articles again, blind to the first readings: they agreed on all 93
quotations there (docs/quote-attribution.md, section 10).

**Scoring** is `quote_attribution.score_article`'s, as on PolNeAR: strict (the predicted
person is the gold person, names brought to the article's own full form; every prediction
counts for precision, one on no gold quotation or an unnamed one is wrong; recall over gold
quotations with a named speaker) and lenient (surname, predictions outside gold left out).

    .venv/bin/python bench/bbc_quote_attribution.py                  # all samples, shipped ranker
    .venv/bin/python bench/bbc_quote_attribution.py --gold bench/bbc_heldout_speakers.tsv
    .venv/bin/python bench/bbc_quote_attribution.py --ranker rules --errors
    .venv/bin/python bench/bbc_quote_attribution.py --draw 112 --out DIR   # the draw, for readers

The last line reads `strict: P=0.xxx R=0.xxx F1=0.xxx`.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quote_attribution import (REPO, Gold, Score, _rows, _speaker_read, article_from,  # noqa: E402
                               hand_articles, print_scores, score_article)

from qabot.news import extract_quotes  # noqa: E402
from qabot.news.ranker import Ranker  # noqa: E402

BBC = REPO.parent / "shared" / "data" / "bbc"

SAMPLES = tuple(Path(__file__).with_name(f"bbc_{name}_speakers.tsv")
                for name in ("sample", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
                              "heldout7", "heldout8", "heldout9", "heldout10", "heldout11"))
SEED = 20261203
# Each draw as (seed, articles), in the order drawn: a draw leaves out every article of the draws before it
# (a seed not listed, all of them), so each is fresh. The first holds the four samples, the others one each.
DRAWS = ((SEED, 336), (20261205, 168), (20261206, 168), (20261207, 168), (20261208, 168), (20261209, 168),
         (20261210, 168), (20261211, 168), (20261212, 167))

_DOUBLE = re.compile(r"[“”\"]")
_SINGLE = re.compile(r"(?<![\w’'])[‘'](\w[^‘’'\n]*?(?:[’'](?=\w)[^‘’'\n]*?)*)[’'](?!\w)")


def read_article(path: Path) -> str:
    """A BBC file's text: UTF-8, or Latin-1 for the one file that is not (`sport/199.txt`)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def gold_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation's words, three words or more, trailing comma and space left out."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        doubles, opened = [], None
        for mark in _DOUBLE.finditer(line.group()):
            i, s = mark.start(), line.group()
            before, after = s[i - 1:i] if i else " ", s[i + 1:i + 2] or " "
            opens = mark.group() == "“" or (mark.group() == '"' and (before.isspace() or before in "([—-")
                                            and not after.isspace())
            if opened is not None and (not opens or mark.group() == '"'):
                doubles.append((opened + 1, i))
                opened = None
            if opens and opened is None:
                opened = i
        if opened is not None:
            doubles.append((opened + 1, len(line.group())))
        singles = [m.span(1) for m in _SINGLE.finditer(line.group())
                   if not any(a - 1 <= m.start() < b + 1 for a, b in doubles)]
        for start, end in sorted(doubles + singles):
            body = line.group()[start:end].rstrip(" ,")
            if len(body.split()) >= 3:
                spans.append((line.start() + start, line.start() + start + len(body)))
    return spans


def named_in_project() -> set[str]:
    """The BBC articles the project's tests, benchmarks and docs name ("politics/150"): read before."""
    named = set()
    for path in [*REPO.glob("tests/**/*"), *REPO.glob("bench/*.py"), *REPO.glob("docs/*"), REPO / "README.md"]:
        if path.is_file() and path.suffix in (".py", ".jsonl", ".md", ".json", ".txt", ".tsv"):
            named |= set(re.findall(r"\b((?:business|entertainment|politics|sport|tech)/\d{3})\.txt",
                                    path.read_text(encoding="utf-8", errors="replace")))
    return named


def sample_articles(folder: Path, n: int, seed: int = SEED) -> list[str]:
    """`n` distinct articles ("politics/001") with a gold quotation, drawn at random, none the project
    names and none an earlier draw of `DRAWS` holds; an exact copy of another article counts once (the
    first file name). The corpus is read once, the earlier draws made from it in order."""
    candidates = _candidates(folder)
    drawn: set[str] = set()
    for earlier, size in DRAWS:
        if earlier == seed:
            break
        drawn |= set(random.Random(earlier).sample([name for name in candidates if name not in drawn], size))
    return random.Random(seed).sample([name for name in candidates if name not in drawn], n)


def _candidates(folder: Path) -> list[str]:
    """The articles a draw is made from: distinct ones (the first file name of exact copies) with a gold
    quotation, none the project names, in file-name order."""
    seen, candidates = set(), []
    skip = named_in_project()
    for path in sorted(folder.glob("*/*.txt")):
        digest = hashlib.sha1(path.read_bytes()).hexdigest()
        name = f"{path.parent.name}/{path.stem}"
        if digest in seen:
            continue
        seen.add(digest)
        if name not in skip and gold_spans(read_article(path)):
            candidates.append(name)
    return candidates


def read_gold(path: Path) -> tuple[dict[str, list[Gold]], dict[str, list[tuple[int, int]]], list[str]]:
    """(gold quotations with a speaker, per article; the spans read as nobody's words ("x"); the articles)."""
    gold: dict[str, list[Gold]] = {}
    nobody: dict[str, list[tuple[int, int]]] = {}
    for article, start, end, speaker, *note in _rows(path):
        if speaker == "x":
            nobody.setdefault(article, []).append((int(start), int(end)))
        else:
            gold.setdefault(article, []).append(Gold(int(start), int(end), _speaker_read(speaker),
                                                     note[0] if note else ""))
    return gold, nobody, sorted(hand_articles(path) or ())


def score(folder: Path, paths, ranker: Ranker | bool | None = True, errors: bool = False,
          misses: bool = False) -> tuple[Score, Score, int]:
    """(strict, lenient, articles) over the hand-read samples in `paths`; a gold quotation the file does
    not hold (the gold definition changed since it was read) stops the run."""
    strict, lenient, articles = Score(), Score(), 0
    for path in paths:
        gold, nobody, names = read_gold(path)
        for name in names:
            text = read_article(folder / f"{name}.txt")
            read = {(g.start, g.end) for g in gold.get(name, [])} | set(nobody.get(name, []))
            unread = [span for span in gold_spans(text) if span not in read]
            if unread:
                sys.exit(f"{path.name}: no speaker read for {name} {unread[0][0]}-{unread[0][1]}: the gold "
                         f"quotations changed since they were read; read the new ones by hand")
            quotes = extract_quotes(article_from(text, name), ranker=ranker)
            score_article(name, text, gold.get(name, []), quotes, [], strict, lenient, errors=errors, misses=misses)
            articles += 1
    return strict, lenient, articles


def draw(folder: Path, n: int, out: Path, seed: int = SEED) -> None:
    """Write the draw for the readers: per article its text with each gold quotation's offsets and words."""
    out.mkdir(parents=True, exist_ok=True)
    names = sample_articles(folder, n, seed)
    (out / "articles.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    for name in names:
        text = read_article(folder / f"{name}.txt")
        rows = [f"{name}\t{start}\t{end}\t{text[start:end]}" for start, end in gold_spans(text)]
        (out / f"{name.replace('/', '_')}.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BBC, help="a folder laid out like ../shared/data/bbc")
    parser.add_argument("--gold", type=Path, action="append",
                        help="a hand-read speakers file (repeatable; default all three samples)")
    parser.add_argument("--ranker", default="default",
                        help="'default' (as extract_quotes is shipped), 'rules' (no ranker), or a model JSON path")
    parser.add_argument("--errors", action="store_true", help="print each strictly wrong prediction")
    parser.add_argument("--misses", action="store_true", help="print each named gold quotation never predicted")
    parser.add_argument("--draw", type=int, default=0, help="write a fresh draw of N articles for readers to --out")
    parser.add_argument("--out", type=Path, help="with --draw: the folder to write it to")
    parser.add_argument("--seed", type=int, default=SEED,
                        help="with --draw: the draw's seed; it leaves out the articles of the draws before it (DRAWS)")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"No BBC corpus at {args.data}; see ../shared/data/README.md.")
    if args.draw:
        if not args.out:
            sys.exit("--draw: say where to write it with --out DIR")
        draw(args.data, args.draw, args.out, args.seed)
        return
    paths = args.gold or list(SAMPLES)
    for path in paths:
        if not path.is_file():
            sys.exit(f"--gold {path}: no such file (expected a hand-read speakers file such as {SAMPLES[0].name})")
    ranker = {"default": True, "rules": None}.get(args.ranker) if args.ranker in ("default", "rules") \
        else Ranker.load(Path(args.ranker))
    strict, lenient, articles = score(args.data, paths, ranker=ranker, errors=args.errors, misses=args.misses)
    print(f"BBC News: {articles} articles ({', '.join(p.name for p in paths)}); quotations of 3+ words, "
          f"speakers read by hand")
    print(f"gold quotations with a named speaker: {strict.gold} (plus {strict.unnamed} never named; "
          f"{strict.unresolved} the readers could not tell, left out with the predictions on them)")
    print(f"predictions: {strict.predicted}, of which {strict.outside} overlap no gold quotation")
    print_scores(strict, lenient)


if __name__ == "__main__":
    main()
