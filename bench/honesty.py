"""Honest answers: false-answer and false not-found rates of `ask()`, per kind, and the curve.

The question set is tests/fixtures/questions/honesty.jsonl (see
`qabot.evaluation.honesty`): answerable questions of every kind the README lists (what
did X say, who is X, when, latest, generic), each with the phrase the answer must hold,
and unanswerable ones (absent topics; the corpus's own words asking for something it
never says; people mentioned but never quoted; a real name with a wrong role). They are
asked of the whole BBC News corpus plus the sample article, indexed by the real pipeline
(cached in $QABOT_BENCH_DIR/bbc, shared with the other bench scripts).

Printed: the default's outcome per kind; the same two rates on four parts of the set
(the half the sense checks of `qabot.answering.sense` were designed on — the even lines of
the first 164 —, the other half, the 55 questions written after, marked "set":
"fresh", the 32 written with the relation checks, marked "set": "relations", on the
question forms those checks read, and the 50 written before the fixes of issue 10's last
round, held out from them, marked "set": "fresh2"), so a reader can see how far they fit the questions they
were made on; then the curve: the same questions with
`answer.min_relevance` (the share of the question's IDF-weighted words a sentence must
hold) set to each value, false-answer rate beside false not-found rate.

    .venv/bin/python bench/honesty.py            # tables
    .venv/bin/python bench/honesty.py --misses   # plus every miss of the default
    .venv/bin/python bench/honesty.py --only ask # the 76 questions, one line each: top-1 / ask()
    .venv/bin/python bench/honesty.py --only honesty --no-curve   # the tables without the curve
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from common import REPO, bbc_settings, machine, save_result

from qabot.evaluation.honesty import FALSE_ANSWER, NOT_FOUND, RIGHT, WRONG, Tally, ask_against_retrieval, load_cases, run

QUESTIONS = REPO / "tests" / "fixtures" / "questions" / "honesty.jsonl"
# The 76 questions bench/retrieval_quality.py scores retrieval on: here `ask()` itself.
ASK_SETS = [REPO / "tests" / "fixtures" / "questions" / f"{name}.jsonl" for name in ("news_questions", "retrieval_questions")]
CURVE = (0.3, 0.4, 0.5, 0.6)


def with_threshold(library, value: float):
    library.settings = replace(library.settings, answer=replace(library.settings.answer, min_relevance=value))
    return library


def per_kind_table(tally: Tally) -> list[str]:
    lines = ["| kind | questions | right | wrong | not found | false answers |", "|---|---|---|---|---|---|"]
    for kind in tally.answerable_kinds:
        c = tally.by_kind[kind]
        n = sum(c.values())
        lines.append(f"| {kind} (answerable) | {n} | {c[RIGHT]} | {c[WRONG]} | {c[NOT_FOUND]} ({c[NOT_FOUND] / n:.0%}) | – |")
    for kind in tally.unanswerable_kinds:
        c = tally.by_kind[kind]
        n = sum(c.values())
        lines.append(f"| {kind} (unanswerable) | {n} | – | – | {n - c[FALSE_ANSWER]} | {c[FALSE_ANSWER]} ({c[FALSE_ANSWER] / n:.0%}) |")
    lines.append(f"| **all** | {tally.total()} | {tally.count(RIGHT)} | {tally.count(WRONG)} | "
                 f"false not-found **{tally.false_not_found_rate():.1%}** | false answers **{tally.false_answer_rate():.1%}** |")
    return lines


def parts(cases: list[dict]) -> dict[str, list[dict]]:
    """The design half, the held-out half, the fresh, relation and fresh2 questions, and the 251 before fresh2 (see the module docstring)."""
    first = [c for c in cases if "set" not in c]
    return {"design half": first[0::2], "held-out half": first[1::2], "fresh": [c for c in cases if c.get("set") == "fresh"],
            "relations": [c for c in cases if c.get("set") == "relations"],
            "the 251 before fresh2": [c for c in cases if c.get("set") != "fresh2"],
            "fresh2": [c for c in cases if c.get("set") == "fresh2"]}


def split_table(tally: Tally, cases: list[dict]) -> list[str]:
    """False answers, false not-found and right answers of the default, per part of the set."""
    lines = ["| part | questions | false answers | false not-found | right |", "|---|---|---|---|---|"]
    for name, part in parts(cases).items():
        got = [tally.outcomes[c["id"]] for c in part]
        un = sum(not c["answerable"] for c in part)
        an = len(part) - un
        fa, nf, right = got.count(FALSE_ANSWER), got.count(NOT_FOUND), got.count(RIGHT)
        lines.append(f"| {name} | {len(part)} | {fa}/{un} ({fa / max(1, un):.1%}) | {nf}/{an} ({nf / max(1, an):.1%}) | {right}/{an} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every miss of the default")
    parser.add_argument("--only", choices=("honesty", "ask"), help="run only the honesty set or only the 76 questions")
    parser.add_argument("--no-curve", action="store_true", help="skip the curve over answer.min_relevance")
    args = parser.parse_args()
    from qabot.answering import Library

    settings = bbc_settings()
    library = Library.open(settings)
    print(f"## Honesty of ask() over the BBC corpus plus the sample ({machine()})\n")
    figures = {}
    if args.only != "ask":
        figures.update(honesty(library, args.misses, curve=not args.no_curve))
    if args.only != "honesty":
        figures.update(ask_beside_top1(library, per_question=args.misses or args.only == "ask"))
    if args.only is None and not args.no_curve:
        save_result("honesty", figures)


def honesty(library, misses: bool, curve: bool = True) -> dict:
    """The per-kind and per-part tables of the default, then the curve; the figures to save."""
    cases = load_cases(QUESTIONS)
    default = library.settings.answer.min_relevance
    tally = run(library, cases)
    print(f"{len(cases)} questions; default answer.min_relevance = {default}\n")
    print("\n".join(per_kind_table(tally)))
    if misses:
        print()
        for case_id, outcome, text in tally.misses:
            print(f"- {outcome}: {case_id}: {text}")
    print()
    print("\n".join(split_table(tally, cases)))
    points = {}
    if curve:
        print("\n| min_relevance | false answers | false not-found | right |\n|---|---|---|---|")
        for value in CURVE:
            t = tally if value == default else run(with_threshold(library, value), cases)  # the default is measured above
            points[value] = (t.false_answer_rate(), t.false_not_found_rate(), t.right_rate())
            mark = " (default)" if value == default else ""
            print(f"| {value}{mark} | {t.false_answer_rate():.1%} | {t.false_not_found_rate():.1%} | {t.right_rate():.1%} |")
        with_threshold(library, default)
    return {"false_answer_rate": tally.false_answer_rate(), "false_not_found_rate": tally.false_not_found_rate(),
            "right_rate": tally.right_rate(), "curve": {str(k): v for k, v in points.items()}}


def ask_beside_top1(library, per_question: bool) -> dict:
    """`ask()` on the 76 retrieval questions beside retrieval's first passage; with
    `per_question`, one line each: does the first passage hold the phrase, does the answer
    show it, and the answer's start."""
    asked = [case for path in ASK_SETS for case in load_cases(path)]
    by_ask, by_top1 = ask_against_retrieval(library, asked)
    print(f"\n`ask()` on the {len(asked)} retrieval questions: the answer shows the expected phrase for "
          f"{len(by_ask)}/{len(asked)}; the first retrieved passage holds it for {len(by_top1)}/{len(asked)}")
    if per_question:
        print("\n| question | top-1 | ask() | answer |\n|---|---|---|---|")
        for case in asked:
            top1, shown = case["id"] in by_top1, case["id"] in by_ask
            mark = " **lost**" if top1 and not shown else " **gained**" if shown and not top1 else ""
            text = library.ask(case["question"]).text[:140].replace("\n", " / ").replace("|", "/")
            print(f"| {case['id']}{mark} | {'yes' if top1 else 'no'} | {'yes' if shown else 'no'} | {text} |")
        print("\nlost by ask() though retrieval had it first:", ", ".join(sorted(set(by_top1) - set(by_ask))) or "none")
        print("shown by ask() though retrieval did not have it first:", ", ".join(sorted(set(by_ask) - set(by_top1))) or "none")
        print("missed by both:", ", ".join(sorted({c["id"] for c in asked} - set(by_top1) - set(by_ask))) or "none")
    return {"ask_right": len(by_ask), "top1_right": len(by_top1), "ask_questions": len(asked)}


if __name__ == "__main__":
    main()
