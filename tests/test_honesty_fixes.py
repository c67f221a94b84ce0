"""The last false answers and false not-found of issue 10 (README "Honest answers"), each
fixed in the stage where it lived and asserted on what a reader sees:

- extraction (`qabot.news`): "The cardinal said …. He added: “…”" is the cardinal's, four
  paragraphs after "Cardinal Cormac Murphy-O'Connor"; "didn't stop Chancellor Gordon Brown"
  describes him as "Chancellor", not "stop Chancellor";
- name matching (`qabot.text.names`): "Murphy-O'Connor" in a question finds the "Cormac
  Murphy O'Connor" another article writes; a quote stored under a bare "Campbell" in an
  article about Kevin Campbell is not Naomi Campbell's (`qabot.answering.support`);
- answer decisions (`qabot.answering`): a quote is about a named topic when the name stands
  in its sentence or the one before, not only further on in its paragraph; the passage
  both rankers put first no longer
  answers a question the relation checks read ("Who designed the Sony PSP?") without the
  question's point word.

The articles are short and written in the BBC's words; the BBC originals are checked too
when ../shared/data/bbc is present.
"""

from __future__ import annotations

import pytest
from conftest import make_corpus

from qabot.news import extract_descriptions, extract_quotes
from qabot.news.resolution import role_titles
from qabot.news.speakers import _full_names
from qabot.sources.ingest import make_article, read_article_file
from qabot.text import matches

DEVOTE = ("If the governments of the rich countries were as ready to devote to peace the resources they are "
          "willing to commit to war, that would be to see with new eyes.")
ARTICLES = {
    "cardinal.md": "# Cardinal criticises Iraq war cost\n\n"
                   "Billions of pounds spent on conflict in Iraq should have been used to reduce poverty, "
                   "Cardinal Cormac Murphy-O'Connor has said.\n\n"
                   "The head of the Catholic Church in England and Wales made the comments on the radio and will "
                   "re-iterate his stance in his Christmas Midnight Mass. He and the Archbishop of Canterbury have "
                   "both spoken out about the war.\n\n"
                   "Speaking on the radio, he criticised the fact that \"billions\" have been spent on war. The "
                   "cardinal said 2005 should be the year for campaigning to \"make history poverty\". He added: "
                   f"\"{DEVOTE}\"\n",
    "election.md": "# Church enters abortion debate\n\n"
                   "Cardinal Cormac Murphy O'Connor, the Archbishop of Westminster, backed the stance of the "
                   "Conservative leader on abortion limits.\n\n"
                   "\"We are not going to suggest people support one particular party,\" he said.\n",
    "psp.md": "# Sony handheld aims at older gamers\n\n"
              "Sony's PlayStation Portable, the PSP, is aimed at older gamers who want music and films as well "
              "as games on the move. The Sony PSP went on sale in Japan in December and sold out within hours.\n",
    "stadium.md": "# New stadium opens\n\n"
                  "The stadium was designed by a team of architects from Sydney and holds 60,000 fans.\n",
    "injunction.md": "# Court halts Morrison album\n\n"
                     "Premiership footballer and record company boss Kevin Campbell has gained a court injunction "
                     "stopping singer Mark Morrison from releasing an album.\n\n"
                     "Mr Campbell said: \"I'm glad we were granted the injunction but I'm completely gutted.\"\n",
    "awards.md": "# Blue beat U2 to award\n\n"
                 "Collecting the award from model Naomi Campbell at the Cannes ceremony, the band thanked the fans.\n",
    "choice.md": "# Surprise win for anti-Bush film\n\n"
                 "Michael Moore's documentary has won best film at the People's Choice Awards.\n\n"
                 "\"This country is still all of ours, not right or left,\" Moore told the audience at the ceremony. "
                 "Unlike many other film-makers, director Mel Gibson has vowed not to campaign for an Oscar. "
                 "\"To me, the people have spoken,\" Gibson said backstage.\n",
    "praise.md": "# Blair praises his chancellor\n\n"
                 "Tony Blair praised Gordon Brown at the party conference on Monday. \"He is the best chancellor "
                 "this country has ever had,\" Mr Blair said.\n",
    "budget.md": "# Brown targets hunting in Budget\n\n"
                 "Labour may have abolished hunting - but that didn't stop Chancellor Gordon Brown using his "
                 "Budget to fire both barrels at some new targets.\n",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from qabot.answering import Library
    from qabot.indexing import build_index

    settings = make_corpus(tmp_path_factory.mktemp("honesty-fixes"), ARTICLES)
    build_index(settings)
    return Library.open(settings)


def test_the_cardinal_said_then_he_added_is_the_cardinals_quote(library):
    answer = library.ask("What did Cardinal Murphy-O'Connor say about war and peace?")
    assert answer.found and answer.subject.endswith("Murphy-O'Connor")
    (devote,) = [s for s in answer.statements if "devote to peace" in s.text]
    assert devote.text == DEVOTE
    citation = answer.citations[devote.citation - 1]
    assert DEVOTE in citation.passage and "He added:" in citation.passage, "cited to the paragraph that holds it"


def test_a_hyphen_another_article_lost_is_still_the_same_name(library):
    """"Murphy-O'Connor" in the question finds "Cormac Murphy O'Connor" of the other article too."""
    assert matches("Murphy-O'Connor", "Cormac Murphy O'Connor")
    answer = library.ask("What did Murphy-O'Connor say?")
    shown = [s.text for s in answer.statements]
    assert DEVOTE in shown and "We are not going to suggest people support one particular party" in shown


def test_a_role_two_people_carry_names_neither():
    art = make_article("inline.md", {"title": "Summit"}, [
        "President Jacques Chirac met President George Bush in Brussels on Monday.",
        "The president said: \"We agree on almost nothing at all this year.\"",
    ])
    assert role_titles(art, _full_names(art)) == {}
    assert extract_quotes(art, ranker=None) == []


def test_a_role_one_person_carries_names_that_person():
    art = make_article("inline.md", {"title": "Summit"}, [
        "Cardinal Cormac Murphy-O'Connor spoke in London on Monday about the war.",
        "The bishops met later. The cardinal said the talks went well. He added: \"Peace is worth striving for, always.\"",
    ])
    (quote,) = extract_quotes(art)
    assert quote.speaker == "Cormac Murphy-O'Connor" and quote.text == "Peace is worth striving for, always."
    assert art.text[quote.start:quote.end] == quote.text


def test_the_passage_both_rankers_put_first_needs_the_point_of_a_relation_question(library):
    """The PSP passage is first for dense search and BM25, but none of its sentences says who
    designed the PSP: "Who designed …" is a relation question, whose point word ("designed")
    the sentence must hold."""
    question = "Who designed the Sony PSP?"
    top = library.retriever.search(question, 1)[0]
    assert top.dense_rank == 1 and top.bm25_rank <= 2 and "PSP" in top.chunk.text
    answer = library.ask(question)
    assert not answer.found and answer.statements == ()


def test_a_verb_before_a_role_is_not_part_of_the_description(library):
    art = make_article("inline.md", {"title": "Budget"}, [
        "Labour may have abolished hunting - but that didn't stop Chancellor Gordon Brown using his Budget.",
        "The union backed Shadow Chancellor Oliver Letwin, and Kremlin chief economist Anna Lee agreed.",
    ])
    found = {(d.name, d.text) for d in extract_descriptions(art)}
    assert ("Gordon Brown", "Chancellor") in found and not any("stop" in text for _, text in found)
    assert ("Anna Lee", "Kremlin chief economist") in found, "a role's own words before it are kept"
    answer = library.ask("Who is Gordon Brown?")
    assert answer.found and [s.text for s in answer.statements] == ["Chancellor"]


def test_the_bbc_cardinal_article_gives_him_his_quotes(bbc_dir):
    path = bbc_dir / "politics" / "060.txt"
    (art,) = read_article_file(path, path.parent)
    (devote,) = [q for q in extract_quotes(art) if "devote to peace" in q.text]
    assert devote.speaker == "Cormac Murphy-O'Connor" and devote.paragraph == 3
    assert art.text[devote.start:devote.end] == devote.text
    assert "He added:" in art.paragraphs[2].text and devote.text in art.paragraphs[2].text


@pytest.mark.parametrize("paragraphs, speaker, words", [
    # "chief executive" is a role: the name after it is a person's, and "he told" is his.
    (["Chelsea chief executive Peter Kenyon has played down reports that Arjen Robben will return.",
      ("\"He's been responding well to treatment, but we'll have to wait and see,\" he told the radio station. "
       "Chiropractor Jean Pierre Meersseman said: \"I hope he can be back soon.\"")],
     "Peter Kenyon", "He's been responding well to treatment, but we'll have to wait and see"),
    # "Name, of Mull Historical Society," is a person introduced by his band.
    ([("Colin MacIntyre, of Mull Historical Society, was playing another gig but said he would come. "
       "He said: \"I'm lucky as an artist to be able to perform at something like this.\"")],
     "Colin MacIntyre", "I'm lucky as an artist to be able to perform at something like this."),
    # "confirmed" right after the quotation names its speaker.
    ([("Nestle may sell the mineral water brand. \"The option of selling Perrier is still on the table,\" chief "
       "executive Peter Brabeck-Letmathe confirmed on Thursday.")],
     "Peter Brabeck-Letmathe", "The option of selling Perrier is still on the table"),
])
def test_speakers_the_held_out_questions_missed(paragraphs, speaker, words):
    art = make_article("inline.md", {"title": "News"}, paragraphs)
    by_text = {q.text: q.speaker for q in extract_quotes(art)}
    assert by_text.get(words) == speaker, by_text
    assert "Jean Pierre Meersseman" not in {s for t, s in by_text.items() if t.startswith("He's been")}


@pytest.mark.parametrize("question, sentence, fits_it", [
    # "how many" is not answered by a price, a share or a year alone
    ("How many tickets were sold for the Reading festival?", "Weekend tickets for Reading are on sale at £125 each.", False),
    ("How many tickets were sold for the Reading festival?", "About 80,000 tickets were sold for Reading.", True),
    ("How many jobs is ABN Amro cutting?", "ABN Amro is to cut 2,850 jobs, 3% of its staff.", True),
    # "when did X VERB": X, not another person, does the verb in the sentence
    ("When did Viktor Makarov defect?", "Oleg Gordievsky said he had been treated well since he defected in 1985.", False),
    ("When did Viktor Makarov join the KGB?", "Mr Makarov joined the KGB in 1970.", True),
    # the date of a relative clause is not the verb's: he died two years ago, the founding is undated
    ("When did Dhirubhai Ambani found Reliance?", "Reliance was founded by Dhirubhai Ambani, who died two years ago.", False),
    ("When did Dhirubhai Ambani found Reliance?", "In 1966, Dhirubhai Ambani founded Reliance, which now employs 80,000.", True),
    # "why did X VERB" needs the verb: leaving a band is no reason for joining it
    ("Why did Brian Welch join Korn?", "Brian Welch said his Korn bandmates respected his decision to leave.", False),
])
def test_the_sense_checks_the_held_out_questions_needed(question, sentence, fits_it):
    from qabot.answering.sense import fits, read_question

    assert fits(read_question(question), sentence, "Reading Makarov Korn Amro", weight=lambda term: 1.0) is fits_it


def test_a_bare_surname_in_an_article_about_someone_else_is_not_the_person_asked(library):
    answer = library.ask("What did Naomi Campbell say?")
    assert not answer.found and answer.statements == ()
    kevin = library.ask("What did Campbell say?")
    assert kevin.found and "I'm glad we were granted the injunction but I'm completely gutted." in [s.text for s in kevin.statements]


def test_a_name_further_on_in_the_paragraph_is_not_what_the_quote_is_about(library):
    answer = library.ask("What did Michael Moore say about Mel Gibson?")
    assert not answer.found and answer.note == "I found what Michael Moore said, but nothing about Mel Gibson."
    praise = library.ask("What did Tony Blair say about Gordon Brown?")
    assert praise.found and praise.statements[0].text == "He is the best chancellor this country has ever had"
