"""bench/reported_speech.py scores the stored reported speech on indirect attributions.

A small PolNeAR-shaped folder is written here: one reported sentence by a named speaker,
one sentence that only mentions another person, one direct quotation (not scored here).
"""

from __future__ import annotations

import importlib.util
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
spec = importlib.util.spec_from_file_location("reported_speech", REPO / "bench" / "reported_speech.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["reported_speech"] = bench
spec.loader.exec_module(bench)

TEXT = ("Campaign opens\n\n"
        "Maria Lopez said the campaign would win the state by a wide margin. "
        "Voters in the north still favour Tom Reyes, according to a poll.\n\n"
        "\"Nothing is decided before the votes are counted,\" Tom Reyes said.\n")


def _span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def _annotation(pairs: list[tuple[str, str, str]]) -> str:
    lines, n = [], 0
    for e, words in enumerate(pairs, 1):
        ids = []
        for kind, part in zip(("Content", "Cue", "Source"), words):
            n += 1
            s, t = _span(part)
            lines.append(f"T{n}\t{kind} {s} {t}\t{part}")
            ids.append(f"{kind}:T{n}")
        lines.append(f"E{e}\tAttribution:T{n} {' '.join(ids)}")
    return "\n".join(lines) + "\n"


def test_a_reported_sentence_by_its_speaker_is_found_and_a_mention_is_not_a_statement(tmp_path):
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    (split / "attributions" / "a_0000.ann").write_text(_annotation([
        ("the campaign would win the state by a wide margin", "said", "Maria Lopez"),
        ("Nothing is decided before the votes are counted", "said", "Tom Reyes"),  # direct: not scored here
    ]), encoding="utf-8")
    strict, lenient, articles = bench.score(split)
    assert articles == 1
    assert strict == [1, 1, 1, 1]  # right, predicted, found, gold: Lopez's sentence, not the poll's mention of Reyes
    assert lenient == [1, 1, 1, 1]
