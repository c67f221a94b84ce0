"""BM25 terms: names in any script stay searchable, question words do not count."""

from __future__ import annotations

import unicodedata

import pytest

from qabot.text.words import STOP_WORDS, fold, terms


def test_a_question_about_a_speaker_searches_for_the_name_only():
    assert terms("What did Kosachev say?") == ["kosachev"]
    assert terms("Who is Soleimani and when did he die?") == ["soleimani", "die"]
    assert terms("How did Moscow react to Soleimani's killing?") == ["moscow", "soleimani", "killing"]


@pytest.mark.parametrize("written, searched", [
    ("Müller", "muller"), ("MULLER", "muller"), ("Zürich", "zurich"), ("Erdoğan", "erdogan"),
    ("Łódź", "lodz"), ("Søren", "soren"), ("STRASSE", "strasse"), ("straße", "strasse"),
    ("İstanbul", "istanbul"), ("ﬁnance", "finance"),
])
def test_latin_names_match_with_or_without_accents(written, searched):
    assert terms(written) == [searched]


def test_decomposed_accents_do_not_split_a_word():
    # Text pasted from macOS or some web pages carries "u" + a combining diaeresis.
    assert terms(unicodedata.normalize("NFD", "Jürgen Müller")) == ["jurgen", "muller"]


def test_cyrillic_names_are_words_and_fold_the_same_in_articles_and_questions():
    assert terms("Константин Косачев заявил") == ["константин", "косачев", "заявил"]
    assert terms("КОСАЧЁВ") == terms("Косачев") == ["косачев"]
    # "й" loses its breve, but identically on both sides, so the word still matches.
    assert terms("Йошкар-Ола") == terms("йошкар-ола") == ["иошкар", "ола"]


def test_arabic_names_match_with_or_without_vowel_marks_and_tatweel():
    assert terms("قاسم سليماني") == ["قاسم", "سليماني"]
    assert terms("سُلَيْمَانِي") == terms("سـليماني") == ["سليماني"]


def test_other_scripts_stay_whole_words():
    assert terms("हिन्दी समाचार") == ["हिन्दी", "समाचार"]          # vowel signs stay inside
    assert terms("Αθήνα") == terms("ΑΘΗΝΑ") == ["αθηνα"]
    assert terms("שָׁלוֹם") == terms("שלום") == ["שלום"]


def test_apostrophes_possessives_and_contractions():
    assert terms("Soleimani's death") == terms("Soleimani’s death") == ["soleimani", "death"]
    assert terms("O'Brien") == terms("O’Brien") == ["o'brien"]
    assert terms("Kyivʼs mayor") == ["kyiv", "mayor"]          # modifier-letter apostrophe
    # Contractions stay whole words, whichever apostrophe is typed.
    assert terms("They didn't, we won’t, I'm sure") == ["didn't", "won't", "i'm", "sure"]
    assert terms("the players' union") == ["players", "union"]


def test_hyphens_split_and_numbers_stay():
    assert terms("Al-Monitor reported 1,500 troops in 2020") == ["al", "monitor", "reported", "1", "500", "troops", "2020"]
    assert terms("ＵＮ report ２０２０") == ["un", "report", "2020"]    # full-width forms
    assert terms("snake_case") == ["snake", "case"]


def test_us_the_country_is_not_a_stop_word_and_matches_its_dotted_spelling():
    assert terms("What did the US say?") == ["us"]
    assert terms("The U.S. and the U.N.") == ["us", "un"] and terms("Washington, D.C.") == ["washington", "dc"]
    assert {"what", "did", "say", "said", "the", "who", "when", "does"} <= STOP_WORDS


def test_punctuation_only_and_empty_text_have_no_terms():
    assert terms("") == [] and terms(" … — “” ") == [] and terms("'s s") == []


def test_fold_is_what_terms_applies_to_each_word():
    assert fold("Müller") == "muller" and fold("Косачёв") == "косачев" and fold("Kyivʼs") == "kyiv's"
