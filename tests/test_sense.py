"""The sense checks a sentence must pass before it answers a generic, "when" or "latest"
question (`qabot.answering.sense`): each rule shown saying no to a real sentence that shares
the question's rarest words, and yes to one that answers it. Sentences are from the sample
article and the BBC corpus; the weights are the BBC index's BM25 IDF of those words."""

from __future__ import annotations

import pytest

from qabot.answering.sense import (
    fits,
    has_number,
    has_time,
    keeps_the_point,
    names_found,
    read_question,
)

# BM25 IDF on the BBC index (2 058 stories), as `BM25Index.term_weight` gives them.
BBC_WEIGHTS = {"tony": 3.95, "blair": 3.26, "resign": 6.49, "prime": 3.69, "minister": 3.14,
               "suspend": 4.9, "sales": 3.0, "bones": 7.0, "human": 4.6, "body": 4.0,
               "people": 2.0, "arrested": 4.2, "visit": 3.5, "sink": 5.9, "found": 2.5, "dead": 4.5,
               "mini": 5.2, "sale": 4.1, "portable": 5.5, "music": 3.2, "players": 3.5, "sold": 4.0}


def weight(term: str) -> float:
    return BBC_WEIGHTS.get(term, 3.0)


def test_a_question_is_read_as_names_content_words_and_an_answer_type():
    asked = read_question("Which Barcelona player missed a penalty against Atletico Madrid?")
    assert asked.names == ("barcelona", "madrid")  # a name by its last word
    assert asked.content == ("player", "missed", "penalty")
    assert asked.answer_type is None
    assert read_question("How much did Meet the Fockers take on Christmas Day?").answer_type == "number"
    assert read_question("When was Andy Campbell found dead?").answer_type == "date"
    assert read_question("Manchester United", topic=True).names == ("united",)


SOLEIMANI_IN_MOSCOW = ("In late July 2015, Soleimani arrived in Moscow for a confidential visit with a critical "
                       "mission to get Russia involved militarily in the Syrian crisis.")


def test_a_name_the_passage_never_mentions_says_no():
    asked = read_question("When did Soleimani visit Washington?")
    assert not fits(asked, SOLEIMANI_IN_MOSCOW, "Russia reads Soleimani killing", weight=weight)
    assert fits(read_question("When did Soleimani visit Moscow?"), SOLEIMANI_IN_MOSCOW, "", weight=weight)


def test_a_name_may_stand_in_the_paragraph_or_title_and_as_its_demonym():
    asked = read_question("When will Scotland's smoking ban be introduced?")
    sentence = ('He told the Scottish Parliament on Wednesday that a "comprehensive ban" on smoking in public '
                "places would be introduced by the spring of 2006.")
    assert fits(asked, sentence, "Scots smoking ban details set out", weight=weight)
    asked = read_question("How many people were arrested over Shadowcrew.com?")
    sentence = "Twenty-eight people, including a Briton, have been arrested after a global operation."
    assert not fits(asked, sentence, "Dozens held over ID fraud site", weight=weight)
    assert fits(asked, sentence, "Those arrested are accused of operating Shadowcrew.com.", weight=weight)


def test_the_question_s_most_specific_word_must_be_in_the_sentence():
    asked = read_question("Why did Tony Blair resign as prime minister?")
    assert not keeps_the_point(asked, "Tony Blair has become the Labour Party's longest-serving prime minister.", weight)
    asked = read_question("Why did Elan and Biogen Idec suspend sales of Tysabri?")
    sentence = ("Shares in Elan and Biogen Idec plunged on Monday as the firms suspended sales of new multiple "
                "sclerosis drug Tysabri after a patient's death in the US")
    assert keeps_the_point(asked, sentence, weight), "suspend finds suspended by its stem"


def test_how_many_needs_a_number_in_the_sentence():
    asked = read_question("How many bones are in the human body?")
    trainers = ("A pair of trainers containing human bones washed up on the banks of the River Severn have "
                "no link to Edwards, police say.")
    assert not fits(asked, trainers, "", weight=weight)
    asked = read_question("How many portable music players were sold during 2004?")
    sold = "During 2004 about 25 million portable players were sold, 10 million of which were Apple iPods."
    assert fits(asked, sold, "", weight=weight)


@pytest.mark.parametrize("text, number", [
    ("Twenty-eight people, including a Briton", True),
    ("It took $19.1m (£9.9m) on Christmas Day alone", True),
    ("standing half-dead and terrified on the starting line", False),
    ("A pair of trainers containing human bones", False),
    ("He was taken away in a van outside one of his Prince hotels in Tokyo.", False),
])
def test_numbers_are_digits_or_number_words(text, number):
    assert has_number(text) is number


def test_a_word_no_stemmer_joins_still_counts_when_listed():
    asked = read_question("When did Bob Marley die?")
    death = "Partridge worked with Marley from 1977 until the Jamaican musician's death in 1981."
    assert fits(asked, death, "", weight=weight)
    assert not fits(asked, "Partridge worked with Marley from 1977 until 1981.", "", weight=weight)


def test_an_irregular_verb_s_past_form_finds_the_question_s_present():
    """SQuAD-style: the word asked ("begin") is in no article, its past ("began") is."""
    asked = read_question("When did the dock strike at the port of Valparaiso begin?")
    began = "The dock strike at the port of Valparaiso began on 3 March 2021, after talks collapsed."
    assert fits(asked, began, "", weight=lambda t: 9.0 if t == "begin" else 1.0)
    assert not fits(asked, "The dock strike at the port of Valparaiso ended on 3 March 2021.", "",
                    weight=lambda t: 9.0 if t == "begin" else 1.0)
    left = read_question("When did Mido leave Tottenham?")
    assert fits(left, "Mido left Tottenham in January 2006.", "", weight=lambda t: 9.0 if t == "leave" else 1.0)


def test_when_needs_a_date_or_time_in_the_sentence():
    asked = read_question("When did the Titanic sink?")
    wasps = "Wasps made light of the absence of several internationals to sink London Irish with a trio of second-half tries."
    assert not fits(asked, wasps, "London Irish 19-33 Wasps", weight=weight)
    assert has_time("Andy Campbell was found dead at his home on 18 December.")
    assert has_time("Idowu made his breakthrough five years ago")
    assert not has_time("He may march on the capital.")  # "may" and "march" are verbs, not months


def test_a_pronoun_s_sentence_lends_its_words_but_not_its_date():
    asked = read_question("When will the Mac mini go on sale?")
    before = "Apple expects the Mac mini to sell for £339 in the UK and $499 in the US."
    assert fits(asked, "It will go on sale from 22 January.", "", weight=weight, before=before)
    assert not fits(asked, "It will go on sale from 22 January.", "", weight=weight)
    assert not fits(asked, "It will go on sale soon.", "", weight=weight, before=f"{before} In 2005.")


def test_a_topic_s_names_must_all_be_in_the_quote_or_its_paragraphs():
    topic = read_question("Manchester United", topic=True)
    kennedy = ("Mr Kennedy is accelerating Lib Dem election preparations this week as he visits Manchester, "
               'Liverpool, Leicester, Somerset, Basingstoke, Shrewsbury, Dorset and Torbay. He said: "This is '
               "three-party politics. In the northern cities, the contest is between Labour and the Liberal Democrats.")
    assert not names_found(topic, kennedy)
    assert names_found(topic, "Manchester United reduced Chelsea's Premiership lead to nine points.")


def test_a_word_no_article_holds_is_never_the_point():
    """In a corpus that only says "June", "month" can be in no sentence: the point is the
    heaviest word some article holds, and "month" is left to the coverage rule."""
    asked = read_question("From which month does the summer ferry timetable run?")
    june = "The summer ferry timetable adds a late sailing on Fridays and Saturdays from June."
    corpus = set(june.lower().replace(".", "").split())
    heavy_month = lambda t: 9.0 if t == "month" else 1.0  # noqa: E731 - unseen words weigh most
    assert not fits(asked, june, "", weight=heavy_month)
    assert fits(asked, june, "", weight=heavy_month, known=corpus.__contains__)
    assert not fits(asked, "The winter bus timetable adds a sailing from June.", "", weight=heavy_month,
                    known=corpus.__contains__)


def test_stems_are_the_same_when_many_threads_ask_at_once():
    # The bot answers in worker threads; a Snowball stemmer holds the word it works on.
    import sys
    import threading
    from pathlib import Path

    import snowballstemmer

    from qabot.answering import sense
    from qabot.text import terms

    words = sorted(set(terms(Path(__file__).read_text(encoding="utf-8"))))  # some hundreds of words
    expected = {w: snowballstemmer.stemmer("english").stemWord(w) for w in words}
    sense._stem.cache_clear()
    got: list[dict[str, str]] = []

    def stem_all(shift: int) -> None:
        got.append({w: sense._stem(w) for w in words[shift:] + words[:shift]})

    threads = [threading.Thread(target=stem_all, args=(i * 7,)) for i in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: unguarded, 8 of 40 threads got wrong stems or an IndexError
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert len(got) == 8 and all(g == expected for g in got)
