"""Train the speaker ranker (`qabot/news/ranker.py`) on PolNeAR train and write its JSON.

Every quotation `extract_quotes` sees gives candidates (the people named near it and the
rules' answer, each with the features `ranker.candidates` computes); a candidate is right
when it is the gold speaker, strictly (the same full name after the article's own variants,
as `quote_attribution.py` scores). Gradient-boosted trees are fitted on them (`--model lr`:
a logistic regression, the first model: 5-fold CV on train, strict, at the same precision
0.82, recall 0.707 against the trees' 0.729, with today's features); the threshold
under which the best candidate abstains is the one with the best strict F1 over 5-fold
cross-validation on train, grouped by article, among those whose precision is not below the
rules' own on the same quotations nor below `PRECISION_FLOOR` (dev stays held out). The curve is
printed. A candidate is right against the speakers read by hand (`--gold hand`, the default since 2026-12-02: all of
train is read, see quote_attribution.py; the derived gold names another person or nobody for
about one quote in five, and a ranker learning from it learnt those slips too). With the hand-read
gold it also learns from the quotations PolNeAR left unannotated, read by hand
(`bench/polnear_unannotated_speakers.tsv`; `--polnear-only` leaves them out): without them every
candidate of `,” he said. “[…]”` is taught as wrong, though the rules' one is usually right.

    .venv/bin/python bench/train_speaker_ranker.py                 # writes qabot/news/speaker_ranker.json
    .venv/bin/python bench/train_speaker_ranker.py --out /tmp/m.json --model lr
    .venv/bin/python bench/train_speaker_ranker.py --out /tmp/m.json --exclude bench/polnear_train_sample*_speakers.tsv

It also learns from the BBC News articles read for rules (`--bbc`, by default the four samples of the first
draw and the second to seventh draws, `bench/bbc_{sample,heldout,heldout2,…,heldout9}_speakers.tsv`: 1 344 articles
since the fifteenth pass; never `bench/bbc_heldout10_speakers.tsv` nor `…heldout11…`, the eighth and ninth draws,
held out).
Trained on PolNeAR alone the ranker had only one publishing style to learn from; on the read BBC articles,
cross-validated by article (2026-12-02, tenth pass), adding them took its best candidate from P 0.905 / R 0.816
to 0.908 / 0.838 at 0.60. `--bbc` with no file leaves them out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from quote_attribution import (
    DATA,
    HAND_GOLD,
    UNRESOLVED,
    ArticleNames,
    article_from,
    choose_annotations,
    gold_quotes,
    hand_articles,
    hand_speakers,
    name_in,
    read_hand,
    unannotated_gold,
    with_hand_speakers,
)

from qabot.news import extract_quotes, people
from qabot.news.ranker import MODEL

C = 1.0  # inverse regularisation strength; the features are few and on one scale
TREES = {"n_estimators": 150, "max_depth": 3, "learning_rate": 0.1, "subsample": 0.8, "random_state": 0}


def held_out(paths: list[Path]) -> frozenset[str]:
    """The articles of the hand-read speakers files (their "# articles:" line, else every article they list)."""
    return frozenset(article for path in paths for article in hand_articles(path) or {a for a, _, _ in hand_speakers(path)})


def collect(folder: Path, exclude: frozenset[str] = frozenset(), hand: dict | None = None,
            extra: dict | None = None):
    """(groups, quotes, named gold count): per quotation, its candidates' (features, right);
    the articles in `exclude` are left out (held out for a hand-read check); `hand`, speakers read
    by hand (`read_hand`) in place of the derived ones; `extra`, gold quotes PolNeAR left out
    (`unannotated_gold`)."""
    texts = {p.stem: p for p in sorted((folder / "text").glob("*.txt"))}
    coref = json.loads((folder / "coref.json").read_text(encoding="utf-8"))
    groups, quotes, named = [], [], 0
    for stem, ann_path in choose_annotations(folder, texts).items():
        if stem in exclude:
            continue
        text = texts[stem].read_text(encoding="utf-8")
        chains = coref.get(f"{stem}.txt", [])
        gold = with_hand_speakers(stem, gold_quotes(text, ann_path.read_text(encoding="utf-8"), chains), hand)
        gold += (extra or {}).get(stem, [])
        record: list = []
        predicted = extract_quotes(article_from(text, stem), ranker=None, record=record)
        names = ArticleNames([name_in(m["text"]) or "" for chain in chains for m in chain if m["ner"] == "PERSON"]
                             + [g.speaker for g in gold if g.speaker] + [q.speaker for q in predicted])
        unresolved = [g for g in gold if g.speaker == UNRESOLVED]
        gold = [g for g in gold if g.speaker != UNRESOLVED]
        named += sum(1 for g in gold if g.speaker)
        for start, end, scored in record:
            if any(start < g.end and g.start < end for g in unresolved):
                continue
            over = [g for g in gold if start < g.end and g.start < end and g.speaker]
            rows = [(f, any(names.canonical(name) == names.canonical(g.speaker) for g in over)) for name, f in scored]
            groups.append(stem)
            quotes.append(rows)
    return groups, quotes, named


# Issue 10 asks for precision 0.90 on articles never seen. Cross-validated precision has run above the fresh
# checks' (thirteenth pass, at the threshold picked: CV 0.916 against 0.908 on the fifth BBC draw; the ranker
# trained without PolNeAR's held-out samples, CV 0.920 against 0.892 on them), so the threshold asks CV for a
# margin. Set 2026-12-03, before the sixth and seventh draws were scored, never tuned on them.
PRECISION_FLOOR = 0.92

BBC_READ = tuple(REPO / "bench" / f"bbc_{name}_speakers.tsv"
                 for name in ("sample", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
                              "heldout7", "heldout8", "heldout9"))


def collect_bbc(paths):
    """(groups, quotes, named gold count) as `collect` gives them, on the BBC articles of hand-read speakers files
    (bench/bbc_quote_attribution.py's samples)."""
    import bbc_quote_attribution as bbc

    groups, quotes, named = [], [], 0
    for path in paths:
        gold, _, articles = bbc.read_gold(path)
        for name in articles:
            article = article_from(bbc.read_article(bbc.BBC / f"{name}.txt"), name)
            record: list = []
            predicted = extract_quotes(article, ranker=None, record=record)
            spoken = [g for g in gold.get(name, []) if g.speaker]
            names = ArticleNames(people(article) + [g.speaker for g in spoken] + [q.speaker for q in predicted])
            named += len(spoken)
            for start, end, scored in record:
                over = [g for g in spoken if start < g.end and g.start < end]
                groups.append(f"bbc/{name}")
                quotes.append([(f, any(names.canonical(n) == names.canonical(g.speaker) for g in over)) for n, f in scored])
    return groups, quotes, named


def curve(best: list[tuple[float, bool]], named: int, thresholds) -> list[tuple[float, float, float, float]]:
    """(threshold, precision, recall, F1) when the best candidate speaks only above the threshold."""
    out = []
    for t in thresholds:
        spoken = [right for p, right in best if p >= t]
        right = sum(spoken)
        p = right / len(spoken) if spoken else 0.0
        r = right / named if named else 0.0
        out.append((t, p, r, 2 * p * r / (p + r) if p + r else 0.0))
    return out


def main(argv: list[str] | None = None) -> None:
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="a folder laid out like ../shared/data/polnear")
    parser.add_argument("--out", type=Path, default=MODEL, help="where to write the model JSON")
    parser.add_argument("--model", choices=("trees", "lr"), default="trees",
                        help="gradient-boosted trees (default) or a logistic regression")
    parser.add_argument("--gold", choices=("hand", "derived"), default="hand",
                        help="learn from the speakers read by hand (default) or from those derived from PolNeAR's "
                             "Source spans and coreference (bench/quote_attribution.py)")
    parser.add_argument("--exclude", type=Path, nargs="+", default=[],
                        help="speakers files (bench/polnear_train_sample*_speakers.tsv): train without their articles")
    parser.add_argument("--bbc", type=Path, nargs="*", default=list(BBC_READ),
                        help="hand-read BBC speakers files to learn from too (default: the two read for rules; "
                             "none: --bbc with no file)")
    parser.add_argument("--polnear-only", action="store_true",
                        help="with --gold hand: learn only from the quotations PolNeAR annotated, not from those it "
                             "left out (bench/polnear_unannotated_speakers.tsv)")
    args = parser.parse_args(argv)
    for option, paths in (("--exclude", args.exclude), ("--bbc", args.bbc)):
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            sys.exit(f"{option}: no such speakers file: {', '.join(missing)} (nothing was trained)")
    exclude = held_out(args.exclude)
    hand = read_hand(HAND_GOLD["train"])[0] if args.gold == "hand" else None
    extra = unannotated_gold("train") if hand is not None and not args.polnear_only else None

    def make():
        return GradientBoostingClassifier(**TREES) if args.model == "trees" else LogisticRegression(C=C, max_iter=2000)
    groups, quotes, named = collect(args.data / "train", exclude, hand, extra)
    bbc_groups, bbc_quotes, bbc_named = collect_bbc(args.bbc)
    groups, quotes, named = groups + bbc_groups, quotes + bbc_quotes, named + bbc_named
    vectorizer = DictVectorizer(sparse=False)
    features = [f for rows in quotes for f, _ in rows]
    X = vectorizer.fit_transform(features)
    y = np.array([right for rows in quotes for _, right in rows], dtype=int)
    quote_of = np.array([i for i, rows in enumerate(quotes) for _ in rows])
    row_groups = np.array([groups[i] for i in quote_of])
    print(f"train: {len(quotes)} quotations ({len(bbc_quotes)} BBC), {len(y)} candidates ({y.sum()} right), "
          f"{named} named gold quotes")
    oof = np.zeros(len(y))
    for fit, held in GroupKFold(n_splits=5).split(X, y, row_groups):
        model = make().fit(X[fit], y[fit])
        oof[held] = model.predict_proba(X[held])[:, 1]
    best = []
    for i in range(len(quotes)):
        rows = np.flatnonzero(quote_of == i)
        if len(rows):
            top = rows[np.argmax(oof[rows])]
            best.append((float(oof[top]), bool(y[top])))
    ruled = [right for rows in quotes for f, right in rows if f.get("rule")]
    floor = sum(ruled) / len(ruled)
    print(f"the rules alone on the same quotations: P={floor:.3f} R={sum(ruled) / named:.3f}")
    table = curve(best, named, [round(0.05 * k, 2) for k in range(2, 19)])
    print("threshold  P      R      F1   (5-fold cross-validation on train, strict)")
    for t, p, r, f in table:
        print(f"{t:9.2f}  {p:.3f}  {r:.3f}  {f:.3f}")
    # The best cross-validated F1 whose precision is not below the rules' own, nor below PRECISION_FLOOR: the
    # ranker may add recall, never at the cost of precision.
    floor = max(floor, PRECISION_FLOOR)
    threshold = max((row for row in table if row[1] >= floor), key=lambda row: row[3], default=table[-1])[0]
    model = make().fit(X, y)
    names = list(vectorizer.get_feature_names_out())
    about = ("speaker ranker for qabot.news.ranker; written by bench/train_speaker_ranker.py on PolNeAR train"
             + (" and BBC articles read by hand" if args.bbc else ""))
    if args.model == "trees":
        trees = [_nodes(estimator[0].tree_, names) for estimator in model.estimators_]
        rate = TREES["learning_rate"]
        # the model's starting log-odds: its decision on one row less what the trees add to it
        start = float(model.decision_function(X[:1])[0]) - rate * sum(float(e[0].predict(X[:1])[0]) for e in
                                                                        model.estimators_)
        data = {"about": about, "intercept": round(start, 6), "learning_rate": rate, "threshold": threshold,
                "trees": trees}
    else:
        data = {"about": about, "features": names, "coef": [round(float(c), 6) for c in model.coef_[0]],
                "intercept": round(float(model.intercept_[0]), 6), "threshold": threshold}
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"threshold {threshold} (best cross-validated F1 at precision >= {floor:.3f}, the rules' or"
          f" {PRECISION_FLOOR}); model written to {args.out}")


def _nodes(tree, names: list[str]) -> list[list]:
    """One scikit-learn regression tree as [feature, threshold, left, right, value] nodes
    (a leaf's feature is ""), the form `ranker._leaf` walks."""
    out = []
    for i in range(tree.node_count):
        leaf = tree.children_left[i] == -1
        out.append(["" if leaf else names[tree.feature[i]], 0.0 if leaf else float(tree.threshold[i]),
                    int(tree.children_left[i]), int(tree.children_right[i]), round(float(tree.value[i][0][0]), 6)])
    return out


if __name__ == "__main__":
    main()
