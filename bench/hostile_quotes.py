"""Hostile text for the quotation finder: does `extract_quotes` stay close to linear?

Each row is one article made to stress one rule of `qabot/news/quotes.py` or `resolution.py`: long runs of
capitalised words where a name is looked for, hundreds of commas before a speech verb, thousands of quotations in
one paragraph. The rules are regular expressions, and a pattern that can cut a run of words in many ways tries every
way before it gives up: a paragraph that takes seconds here takes minutes at twice the length. A build skips an
article that takes longer than `corpus.article_seconds` (10 s) with its reason, so a slow rule loses articles rather
than hanging — this bench is how such a rule is caught before it lands. Rules alone (the ranker adds a constant per
quotation).

    .venv/bin/python bench/hostile_quotes.py

Each row was once slow: `said` + 150 capitalised words took 14 s for one quotation until the fourteenth pass (the
words between a speech verb and a name were runs of names, cut every way); 200 quotations after 900 commas each took
107 s after the twelfth pass's naming-verb rule (section 14 of docs/quote-attribution.md).
"""

from __future__ import annotations

import os
import sys
import time

from common import REPO, machine

sys.path.insert(0, str(REPO))

from quote_attribution import article_from  # noqa: E402

from qabot.news import extract_quotes  # noqa: E402

QUOTE = "“We will go on with the talks today,”"

CASES = {
    "a paragraph of 4 000 quotations": "The minister said “We will go on with the talks today.” " * 4000,
    "200 quotations, each followed by 900 commas and `said Rick Parry`":
        (f"{QUOTE} " + ", " * 900 + "said Rick Parry who is here. ") * 200,
    "40 quotations, each `said` + 240 capitalised words":
        (f"{QUOTE} said " + "Big " * 240 + "chief of staff. ") * 40,
    "40 quotations, each `the newspaper quoted` + 300 capitalised words":
        (f"{QUOTE} the newspaper quoted " + "Big " * 300 + "chief Geoff Dixon as saying. ") * 40,
    "40 quotations, each after `A spokesman for the` + 300 capitalised words":
        ("A spokesman for the " + "Very " * 300 + "Long Body said: “We will go on with the talks today.” ") * 40,
    "40 quotations, each after 300 `, and then`":
        ("The crowd cheers, and then " * 300 + "Wallnau continues: “God has given this man an anointing.” ") * 40,
    "40 quotations, each after 300 `He spoke, but`":
        ("He spoke, but " * 300 + "Rick Parry explained: “We will go on with the talks today.” ") * 40,
    "40 quotations, each with an appositive of 300 capitalised words":
        (f"{QUOTE} Peter Williams, " + "CML " * 300 + "deputy director, said. ") * 40,
    "40 quotations, each after 200 role words, a name and 30 `MP for Witney`":
        ("a policy co-ordinator " * 200 + "David Cameron, " + "MP for Witney " * 30
         + "added: “We will go on with the talks today.” ") * 40,
    "1.1 MB of `Mr Smith's ` then one quotation": "Mr Smith's " * 100_000 + "He said: “We will go on.”",
}


def main() -> None:
    print(f"Hostile text for extract_quotes (rules alone), one article per row; {machine()}; "
          f"load average {os.getloadavg()[0]:.1f} at the start\n")
    print("| article | characters | seconds | quotations attributed |")
    print("|---|---|---|---|")
    for label, text in CASES.items():
        start = time.perf_counter()
        quotes = extract_quotes(article_from(text, "hostile"), ranker=None)  # one paragraph: every rule reads all of it
        print(f"| {label} | {len(text):,} | {time.perf_counter() - start:.2f} | {len(quotes)} |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
