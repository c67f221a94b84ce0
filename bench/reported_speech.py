"""How well does qabot's reported speech say who said what without quotation marks?

"What did X say?" answers show, after X's quotations, sentences that report X's words
("Kosachev said the killing would not improve the situation"), as the index stores them:
`qabot.news.extract_reported` finds them at build time, one (speaker, sentence) record each.
This scores those records on PolNeAR's *indirect* attributions (a Content span with no
quotation mark in it), as (speaker, sentence) pairs:

- gold: each indirect attribution with a named speaker (the same speaker rules as
  `quote_attribution.py`: Source head name, coreference for pronouns, unresolved ones left
  out) gives (speaker, the sentence its Content starts in);
- predicted: every record `extract_reported` keeps for the article whose sentence has no
  quotation marks (those are scored by `quote_attribution.py`, as gold leaves them out);
- **strict**: the same person (the article's own name variants) and the same sentence;
  **lenient**: the gold surname in the predicted name, and a predicted sentence that
  overlaps the gold Content anywhere. Every prediction counts for precision.

    .venv/bin/python bench/reported_speech.py --data ../shared/data/polnear --split dev

`--show N` prints N predictions spread over the split, each marked RIGHT or WRONG (strict)
with the gold speakers of its sentence, for reading by hand; `--limit N` scores the first N
articles only. The last line reads `strict: P=0.xxx R=0.xxx F1=0.xxx`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from quote_attribution import (  # noqa: E402
    DATA,
    UNRESOLVED,
    ArticleNames,
    article_from,
    choose_annotations,
    name_in,
    parse_ann,
    speaker_of,
)

from qabot.news import extract_reported  # noqa: E402
from qabot.news.speakers import _full_names, _surname_speakers  # noqa: E402
from qabot.text import matches, split_sentences  # noqa: E402

_MARKS = re.compile(r"[“”\"]")


def gold_of(ann_path: Path, chains: list, text: str, spans: list) -> list:
    """(speaker, sentence span, content span) of each indirect attribution with a named speaker."""
    gold = []
    for content, source in parse_ann(ann_path.read_text(encoding="utf-8")):
        if _MARKS.search(text[max(0, content[0] - 2):content[1] + 2]):
            continue  # a direct quotation (marks inside or just around it): quote_attribution.py scores those
        speaker, _ = speaker_of(text, source, chains)
        sentence = next(((a, b) for a, b in spans if a <= content[0] < b), None)
        if speaker and speaker != UNRESOLVED and sentence:
            gold.append((speaker, sentence, content))
    return gold


def stored(article) -> list[tuple[str, tuple[int, int]]]:
    """(speaker, sentence span) of what the index stores for the article (`extract_reported`)."""
    return [(r.speaker, (r.start, r.end)) for r in extract_reported(article)]


def _people(article) -> list[str]:
    """The people qabot finds in the article: full names, then surname-only speakers."""
    people = list(_full_names(article))
    return people + _surname_speakers(article, people)


def score(folder: Path, limit: int = 0, show: list | None = None) -> tuple[list[int], list[int], int]:
    """([right, predicted, found, gold] strict, the same lenient, articles). `show`, when
    given, receives (article, speaker, sentence, strict right?) of every prediction."""
    texts = {p.stem: p for p in sorted((folder / "text").glob("*.txt"))}
    coref_path = folder / "coref.json"
    coref = json.loads(coref_path.read_text(encoding="utf-8")) if coref_path.is_file() else {}
    strict, lenient = [0, 0, 0, 0], [0, 0, 0, 0]
    chosen = choose_annotations(folder, texts)
    if limit:
        chosen = dict(list(chosen.items())[:limit])
    for stem, ann_path in chosen.items():
        text = texts[stem].read_text(encoding="utf-8")
        chains = coref.get(f"{stem}.txt", [])
        article = article_from(text, stem)
        spans = [(p.start + a, p.start + b) for p in article.paragraphs for a, b in split_sentences(p.text)]
        gold = gold_of(ann_path, chains, text, spans)
        # Sentences with quotation marks are left to quote_attribution.py, as gold leaves them.
        predicted = list(dict.fromkeys(p for p in stored(article) if not _MARKS.search(text[p[1][0]:p[1][1]])))
        names = ArticleNames([name_in(m["text"]) or "" for chain in chains for m in chain if m["ner"] == "PERSON"]
                             + [g[0] for g in gold] + _people(article) + [p[0] for p in predicted])

        pairs = [(p, g) for p in predicted for g in gold]
        strict_pairs = {(p, g) for p, g in pairs if names.canonical(p[0]) == names.canonical(g[0]) and p[1] == g[1]}
        lenient_pairs = {(p, g) for p, g in pairs
                         if matches(g[0].split()[-1], p[0]) and p[1][0] < g[2][1] and g[2][0] < p[1][1]}
        for tally, right in ((strict, strict_pairs), (lenient, lenient_pairs)):
            tally[0] += len({p for p, _ in right})
            tally[1] += len(predicted)
            tally[2] += len({g for _, g in right})
            tally[3] += len(gold)
        if show is not None:
            right = {p for p, _ in strict_pairs}
            golds = {p: [g[0] for g in gold if g[1] == p[1]] for p in predicted}
            show += [(stem, p[0], text[p[1][0]:p[1][1]], p in right, golds[p]) for p in predicted]
    return strict, lenient, len(chosen)


def _prf(tally: list[int]) -> tuple[float, float, float]:
    p = tally[0] / tally[1] if tally[1] else 0.0
    r = tally[2] / tally[3] if tally[3] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="a folder laid out like ../shared/data/polnear")
    parser.add_argument("--split", default="dev", help="the split folder inside --data (dev, train)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles (0: all)")
    parser.add_argument("--show", type=int, default=0, help="print N predictions (every k-th), marked right/wrong")
    args = parser.parse_args(argv)
    folder = args.data / args.split
    if not (folder / "text").is_dir() or not (folder / "attributions").is_dir():
        sys.exit(f"No PolNeAR split at {folder} (expected text/ and attributions/); see ../shared/data/README.md.")
    shown: list = []
    strict, lenient, articles = score(folder, args.limit, shown if args.show else None)
    for stem, speaker, sentence, right, gold in shown[:: max(1, len(shown) // args.show)][: args.show] if args.show else ():
        print(f"{'RIGHT' if right else 'WRONG'} {speaker} | gold {gold} | {stem[:40]} | {' '.join(sentence.split())[:200]}")
    print(f"PolNeAR {args.split}: {articles} articles, each scored once; indirect attributions with a named speaker: "
          f"{strict[3]}; (speaker, sentence) pairs predicted: {strict[1]}")
    p, r, f = _prf(lenient)
    print(f"lenient (surname, sentence overlaps the content): P={p:.3f} ({lenient[0]}/{lenient[1]}) "
          f"R={r:.3f} ({lenient[2]}/{lenient[3]}) F1={f:.3f}")
    p, r, f = _prf(strict)
    print(f"strict counts: right {strict[0]}/{strict[1]} predictions, found {strict[2]}/{strict[3]} gold")
    print(f"strict: P={p:.3f} R={r:.3f} F1={f:.3f}")


if __name__ == "__main__":
    main()
