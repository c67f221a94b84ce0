"""bench/bbc_quote_attribution.py: its own gold quotations on BBC copy, and the two hand-read samples."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import REPO, SHARED_DATA

sys.path.insert(0, str(REPO / "bench"))
spec = importlib.util.spec_from_file_location("bbc_quote_attribution", REPO / "bench" / "bbc_quote_attribution.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

BBC = SHARED_DATA / "bbc"
needs_bbc = pytest.mark.skipif(not BBC.is_dir(), reason=f"the BBC corpus is not at {BBC} (the evaluation data "
                                                        "lives in ../shared/data)")


def words(text: str) -> list[str]:
    return [text[start:end] for start, end in bench.gold_spans(text)]


def test_a_quotation_bbc_runs_on_without_closing_it_ends_where_the_next_one_opens():
    text = ('Ms Hewitt said: "We have already doubled the length. "We are going to extend the pay." '
            'She said new mothers were "already entitled" to leave.\n\n'
            '"It was a respectable report," said Michael Moran, "and a good one for the economy')
    assert words(text) == ["We have already doubled the length.", "We are going to extend the pay.",
                           "It was a respectable report", "and a good one for the economy"]


def test_single_marks_count_outside_double_ones_and_an_apostrophe_ends_none():
    text = ("Disaster claims 'less than $10bn'\n\n"
            "He said: \"The word 'adventurist act' is theirs, and that's that.\" The firms' shares fell.")
    assert words(text) == ["less than $10bn", "The word 'adventurist act' is theirs, and that's that."]


def test_scare_quotes_of_one_or_two_words_are_no_gold_quotation():
    assert words('The Tories called the plan "desperate" and "badly misdirected".') == []


@needs_bbc
def test_the_samples_are_the_draws_read_whole_and_share_no_article(capsys):
    """The samples are articles 1-56, 57-112, 113-224 and 225-336 of the first draw and the 168 of each later
    draw (the ninth: the 167 left), which leaves out the ones before it; no article the project names is in any,
    and every gold quotation of every article has its speaker read (else the bench stops)."""
    sample, heldout, heldout2, heldout3, *later = (bench.read_gold(path)[2] for path in bench.SAMPLES)
    drawn = bench.sample_articles(BBC, 336)
    assert bench.sample_articles(BBC, 112) == drawn[:112]  # a longer draw begins with the shorter one
    assert sample == sorted(drawn[:56]) and heldout == sorted(drawn[56:112])
    assert heldout2 == sorted(drawn[112:224]) and heldout3 == sorted(drawn[224:])
    fresh = [bench.sample_articles(BBC, size, seed) for seed, size in bench.DRAWS[1:]]
    assert later == [sorted(names) for names in fresh]  # heldout4 to heldout11: one draw each
    every = drawn + [name for names in fresh for name in names]
    assert len(set(every)) == len(every) == 1679 and not set(every) & bench.named_in_project()
    bench.main(["--ranker", "rules"])
    out = capsys.readouterr().out
    # The output scores the held-out draws too: a failure must not print it (stop 20 read one score that way).
    header_right = "BBC News: 1679 articles" in out and "; 2 the readers could not tell" in out  # heldout8: two "?"
    ends_in_the_score = out.strip().splitlines()[-1].startswith("strict: P=0.")
    assert header_right and ends_in_the_score, "the bench's header or last line changed (output withheld)"


@needs_bbc
def test_a_gold_quotation_nobody_read_stops_the_bench_with_the_fix(tmp_path):
    lines = bench.SAMPLES[0].read_text(encoding="utf-8").splitlines()
    partial = tmp_path / "speakers.tsv"
    partial.write_text("\n".join(line for line in lines if not line.startswith("business/")) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        bench.main(["--gold", str(partial), "--ranker", "rules"])
    assert "the gold quotations changed since they were read; read the new ones by hand" in str(stopped.value)


def test_a_gold_file_that_is_not_there_is_refused(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        bench.main(["--data", str(tmp_path), "--gold", str(tmp_path / "absent.tsv")])
    assert "no such file" in str(stopped.value)


@needs_bbc
def test_the_article_nobody_decodes_as_utf8_is_read_as_latin1():
    assert "£" in bench.read_article(BBC / "sport" / "199.txt")


def test_a_missing_corpus_and_a_draw_with_nowhere_to_go_are_refused_with_what_to_do(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        bench.main(["--data", str(tmp_path / "absent")])
    assert str(stopped.value) == f"No BBC corpus at {tmp_path / 'absent'}; see ../shared/data/README.md."
    with pytest.raises(SystemExit) as stopped:
        bench.main(["--data", str(tmp_path), "--draw", "4"])
    assert str(stopped.value) == "--draw: say where to write it with --out DIR"
    assert list(tmp_path.iterdir()) == []  # nothing written
