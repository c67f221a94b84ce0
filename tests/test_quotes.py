"""Who said what, and who someone is: quote attribution and descriptions over real articles.

Quotations are verbatim `article.text[start:end]`, without the quotation marks; a trailing
comma inside the marks ("…,” Kosachev said) is dropped, while . ? ! and a closing single
mark are kept.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from qabot.news import extract_descriptions, extract_quotes, people
from qabot.news.speakers import person_or_org
from qabot.records import Article, Paragraph
from qabot.sources.ingest import make_article, read_article_file

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "articles" / "al-monitor-russia-reading-soleimani-killing.txt"
NEWS = REPO / "tests" / "fixtures" / "news"


def article(path: Path):
    (found,) = read_article_file(path, path.parent)
    return found


def quotes_by(art, speaker: str, ranker=True) -> list[str]:
    return [q.text for q in extract_quotes(art, ranker=ranker) if q.speaker == speaker]


def quote_starting(art, words: str):
    (found,) = [q for q in extract_quotes(art) if q.text.startswith(words)]
    return found


def from_paragraphs(*paragraphs: str):
    return make_article("inline.md", {"title": "Inline"}, list(paragraphs))


@pytest.fixture(scope="module")
def sample():
    return article(SAMPLE)


def test_every_quote_is_verbatim_article_text(sample):
    arts = [sample] + [article(p) for p in sorted(NEWS.glob("*.md"))]
    for art in arts:
        for q in extract_quotes(art):
            assert art.text[q.start:q.end] == q.text
            paragraph = art.paragraphs[q.paragraph - 1]
            assert paragraph.start <= q.start and q.end <= paragraph.end


def test_kosachev_quotes_in_the_sample_are_his(sample):
    assert quotes_by(sample, "Konstantin Kosachev") == [
        "The killing of Gen. Soleimani in Baghdad in no way contributes to the improvement of the situation in "
        "Iraq and the entire Middle East. Its negative implications, however, are already obvious",
        sample.paragraphs[5].text[len('He added, "'):sample.paragraphs[5].text.index("” The JCPOA is")],
        sample.paragraphs[16].text[sample.paragraphs[16].text.index("This is a big mistake"):
                                   sample.paragraphs[16].text.index("” Kosachev concluded")],
    ]
    assert [q.paragraph for q in extract_quotes(sample) if q.speaker == "Konstantin Kosachev"] == [5, 6, 17]


def test_he_added_continues_kosachev(sample):
    q = quote_starting(sample, "First, retaliation by Iran will inevitably follow.")
    assert (q.speaker, q.paragraph) == ("Konstantin Kosachev", 6)
    assert q.text.endswith("even if it didn’t have such plans before.")


def test_other_experts_quotes_are_not_kosachevs(sample):
    speakers = {q.text[:30]: q.speaker for q in extract_quotes(sample)}
    assert speakers["Soleimani was in charge of Ira"] == "Konstantin Bogdanov"
    assert speakers["It should be noted that a cumu"] == "Konstantin Bogdanov"  # "Bogdanov added"
    assert speakers["A statesman is killed, an offi"] == "Viktor Mukrakhovsky"
    assert speakers["What the United States failed "] == "Maxim Shepovalenko"


def test_shepovalenko_keeps_the_quotation_inside_his_quote(sample):
    q = quote_starting(sample, "Iranians are smart")
    assert q.speaker == "Maxim Shepovalenko" and q.paragraph == 15
    assert q.text == "Iranians are smart enough to understand that 'revenge is a dish best served cold.'"


def test_inner_scare_quotes_are_not_quotes_of_their_own(sample):
    texts = [q.text for q in extract_quotes(sample)]
    assert not any(t.startswith(("achievement", "show", "an adventurist act")) for t in texts)
    assert "'achievement.'" in quote_starting(sample, "A statesman is killed").text


def test_foreign_ministry_statements_are_the_ministrys(sample):
    assert quotes_by(sample, "Foreign Ministry") == [
        "The move by Washington is fraught with grave consequences for regional peace and stability. We regard "
        "such actions as detrimental to finding solutions to complex problems of the Middle East and rather "
        "contributing to escalation in violence.",
        "Soleimani devotedly served the national interests of Iran.",  # "the ministry also said"
    ]


def test_descriptions_of_the_sample_experts(sample):
    described = {(d.name, d.text) for d in extract_descriptions(sample)}
    assert ("Konstantin Bogdanov", "a fellow at the Institute of World Economy and International Relations of "
            "the Russian Academy of Sciences") in described
    assert ("Konstantin Kosachev", "Russian Senate Foreign Affairs Committee Chair") in described
    assert ("Viktor Mukrakhovsky", "editor of the military journal Arsenal Otechestva (National Arsenal)") in described
    assert ("Viktor Mukrakhovsky", "Retired Col.") in described
    assert ("Maxim Shepovalenko", "deputy director at the Moscow-based Centre for Analysis of Strategies and "
            "Technologies") in described
    for d in extract_descriptions(sample):
        assert sample.text[d.start:d.end] == d.text


def test_people_are_persons_not_places(sample):
    names = people(sample)
    for person in ("Konstantin Kosachev", "Konstantin Bogdanov", "Donald Trump", "Qasem Soleimani", "Saddam Hussein"):
        assert person in names
    for place in ("Middle East", "United States", "Persian Gulf", "Comprehensive Plan"):
        assert place not in names


# --- fixtures: one pattern each ---------------------------------------------------------

@pytest.fixture(scope="module")
def dam():
    return article(NEWS / "nile-dam-talks.md")


@pytest.fixture(scope="module")
def syria():
    return article(NEWS / "moscow-restraint-syria.md")


def test_several_speakers_in_one_article_with_straight_quotes(dam):
    assert quotes_by(dam, "Seleshi Bekele", ranker=None) == [
        "We came with an open mind and we leave with an open mind",
        "The filling schedule is not negotiable, but the details are.",
        "Nobody in Addis Ababa wants Egypt to go thirsty.",  # He added, "…"
        "Our engineers answered every question that was put to them. The rest is politics.",  # wrote on Facebook
    ]


def test_ranker_false_means_the_rules_alone_as_documented(dam):
    assert quotes_by(dam, "Seleshi Bekele", ranker=False) == quotes_by(dam, "Seleshi Bekele", ranker=None)


def test_a_quotation_running_over_two_paragraphs_keeps_its_speaker(dam):
    first = quote_starting(dam, "The first two fillings matter most.")
    second = quote_starting(dam, "A drought agreement is the only thing")
    assert (first.speaker, first.paragraph) == ("Amira Fathy", 5)  # told the River Gazette, "… (left open)
    assert (second.speaker, second.paragraph) == ("Amira Fathy", 6)  # "…," she said.


def test_according_to_names_the_speaker(dam):
    q = quote_starting(dam, "the reservoir could take seven years")
    assert (q.speaker, q.paragraph) == ("Amira Fathy", 7)


def test_organisation_speaker_and_the_ministry_also_said(dam):
    assert quotes_by(dam, "Egypt's Foreign Ministry") == [
        "Cairo will not accept any unilateral step that threatens the water security of a hundred million Egyptians.",
        "All options remain on the table.",
    ]


def test_said_before_the_name_with_an_appositive(dam):
    assert quotes_by(dam, "Tesfaye Alemu") == [
        "It is a dam, not a weapon",
        "Electricity for sixty million people who have none is not a 'threat.' It is a right.",
    ]
    assert ("Tesfaye Alemu", "a spokesman for the Ethiopian embassy in Cairo") in {
        (d.name, d.text) for d in extract_descriptions(dam)}


def test_a_person_mentioned_but_never_quoted(dam):
    assert "Yasir Abbas" in people(dam)
    assert not any(q.speaker == "Yasir Abbas" for q in extract_quotes(dam))


def test_curly_quotes_facebook_and_a_second_article_for_kosachev(syria):
    assert quotes_by(syria, "Konstantin Kosachev") == [
        "Ankara has legitimate security concerns, but they cannot be solved by tanks. "
        "The operation must be short and proportionate.",
        "We are talking to everyone, including the Kurds",
        "Nobody else can say that.",
        "Russia will not take sides in a quarrel between two of its partners.",  # Kosachev concluded: “…”
    ]


def test_single_quotation_marks_and_she_or_he_said(syria):
    q = quote_starting(syria, "Moscow has little leverage")
    assert (q.speaker, q.text) == ("Andrei Kortunov", "Moscow has little leverage over Ankara right now")
    assert ("Andrei Kortunov", "director general of the Russian International Affairs Council") in {
        (d.name, d.text) for d in extract_descriptions(syria)}


def test_organisation_named_after_the_quote(syria):
    assert quotes_by(syria, "Turkish Defence Ministry") == ["Our troops will stay only as long as the threat remains"]


def test_three_word_names_after_a_title(syria):
    assert "Recep Tayyip Erdogan" in people(syria)
    assert ("Recep Tayyip Erdogan", "President") in {(d.name, d.text) for d in extract_descriptions(syria)}


def test_surname_alone_resolves_to_the_full_name_used_earlier():
    art = from_paragraphs(
        "Economist Lena Brandt, a researcher at the Kiel Institute, expects a slowdown.",
        'Brandt added, "Orders from China have fallen for three months in a row."',
    )
    (q,) = extract_quotes(art)
    assert (q.speaker, q.paragraph, q.text) == ("Lena Brandt", 2, "Orders from China have fallen for three months in a row.")


def test_she_said_follows_the_subject_not_the_last_name_mentioned():
    art = from_paragraphs(
        "Maria Lopez said she expects Carlos Ruiz to resign before the summer.",
        '"He has lost the confidence of the whole party," she said.',
    )
    (q,) = extract_quotes(art)
    assert q.speaker == "Maria Lopez"


def test_a_quote_with_no_named_speaker_is_left_out():
    art = from_paragraphs(
        'Residents were angry. "We have had no water for three days and nobody tells us anything."',
        'A sign on the door read "closed until further notice for repairs".',
    )
    assert extract_quotes(art) == []


def test_a_role_before_a_name_drops_the_sentence_word_and_the_honorific():
    art = from_paragraphs("But Metropolitan Police Commissioner Sir Ian Blair said the orders were needed. "
                          "\"It is a dilemma,\" Sir Ian Blair said.")
    (d,) = [d for d in extract_descriptions(art) if d.name == "Ian Blair"]
    assert d.text == "Metropolitan Police Commissioner"
    assert art.text[d.start:d.end] == d.text


# Rule families measured on PolNeAR dev (bench/quote_attribution.py); each with its fixture.

@pytest.mark.parametrize("paragraph", [
    '"We will keep fighting for every single vote," Many said at the rally.',
    '"The numbers simply do not add up for anyone," Republicans said on Monday.',
    '"Our plan will be ready before the winter recess," December said.',
])
def test_capitalised_non_names_are_never_speakers(paragraph):
    assert [q.speaker for q in extract_quotes(from_paragraphs(paragraph))] == []


def test_a_sentence_adverb_before_a_name_is_not_part_of_it():
    art = from_paragraphs('Sadly Karen Bobadilla said, "Nobody in my family will vote for him this year."')
    assert [q.speaker for q in extract_quotes(art)] == ["Karen Bobadilla"]


def test_a_middle_initial_keeps_the_whole_name():
    art = from_paragraphs('"This bill protects the people who live in my district," said Carolyn B. Maloney.')
    assert [q.speaker for q in extract_quotes(art)] == ["Carolyn B. Maloney"]


@pytest.mark.parametrize("paragraph", [
    'Jane Porter joked, "I have never lost a bet on a horse named after a senator."',
    '"We have waited long enough for this bridge to be finished," Jane Porter fumed.',
    'Jane Porter responded on Tuesday, saying "the council has broken every promise it made."',
    '“Cruz could win the general election in a landslide,” Jane Porter concludes.',
    '“The bottom line is that nobody in this town trusts the council,” Jane Porter points out.',
    'Jane Porter urged voters to “stand up for the schools that stood up for you.”',
])
def test_less_common_speech_verbs_and_participles_attribute_the_quote(paragraph):
    assert [q.speaker for q in extract_quotes(from_paragraphs(paragraph))] == ["Jane Porter"]


# Measured on PolNeAR train (tuned) and dev (held out); each family with its fixture.

def test_she_skips_the_man_named_last_and_means_the_woman_who_spoke():
    art = from_paragraphs(
        "Sen. Elizabeth Warren said Donald Trump was a failure in business.",
        "Warren said Trump University was like a used car dealership. Trump has called the lawsuit a disgrace.",
        "“Trump’s salespeople would focus on how much money people could come up with,” she continued.",
    )
    assert [q.speaker for q in extract_quotes(art)] == ["Elizabeth Warren"]


def test_he_after_a_woman_is_nobody_rather_than_her():
    art = from_paragraphs(
        "Maria Lopez, the campaign's manager, expects a narrow win. Her rival was less sure.",
        '"Nothing is decided before the votes are counted," he said.',
    )
    assert extract_quotes(art) == []


def test_the_articles_own_pronouns_give_a_persons_gender():
    art = from_paragraphs(
        "Robin Castle said she would vote for the measure. Kim Alder, who chairs the board, opposed it.",
        '"We cannot ask the town to pay for a road nobody asked for," she said.',
        "Alder said he would bring the question back in the spring.",
    )
    assert [q.speaker for q in extract_quotes(art)] == ["Robin Castle"]  # Kim Alder is "he" in this article


def test_a_three_part_name_with_a_first_name_stays_whole():
    art = from_paragraphs('"We are on fire to make her the next president," said Mary Kay Henry, the union\'s president.')
    assert [q.speaker for q in extract_quotes(art)] == ["Mary Kay Henry"]


def test_a_word_before_a_known_surname_is_not_a_first_name():
    art = from_paragraphs(
        "Donald Trump said he would meet Paul Ryan on Thursday.",
        'Yet Trump said, "I would say Paul for the time being and maybe for a long time."',
    )
    assert [q.speaker for q in extract_quotes(art)] == ["Donald Trump"]


def test_a_capitalised_he_after_an_abbreviation_is_no_name():
    art = from_paragraphs(
        "Sen. John McCain spoke at a breakfast in Washington D.C. He recalled the Tea Party uprising of 2010.",
        "“Some of this appeals to the bad angels of our nature,” he concluded.",
    )
    assert [q.speaker for q in extract_quotes(art)] == ["John McCain"]


def test_the_person_after_an_outlets_possessive_is_the_speaker():
    art = from_paragraphs('“The party has no plan for the morning after,” wrote the Washington Post’s Ishaan Tharoor.')
    assert [q.speaker for q in extract_quotes(art)] == ["Ishaan Tharoor"]


def test_a_name_then_an_appositive_then_the_verb_after_the_quote():
    # BBC business/330: "…," Thomas Dawson, an IMF director, said earlier this month.
    art = from_paragraphs('Even the International Monetary Fund admits this. "The Argentine authorities are proud, '
                          'should be proud, of the strong performance of the economy," Thomas Dawson, an IMF '
                          'director, said earlier this month.')
    assert [q.speaker for q in extract_quotes(art)] == ["Thomas Dawson"]


def test_a_line_break_inside_a_paragraph_ends_a_sentence():
    # as PolNeAR's text has it (ingest joins a paragraph's lines; other callers may not)
    text = ("Donald Trump kept up his attacks before the polls opened\n"
            "Cruz, in Kentucky, said Tuesday that the race was “a contest of ideas, not insults.”")
    art = Article(id="a", title="a", text=text, paragraphs=(Paragraph(1, text, 0),), path="a", content_hash="")
    assert [q.speaker for q in extract_quotes(art)] == ["Cruz"]


def test_a_paragraph_that_is_only_a_quotation_continues_the_speaker_before():
    art = from_paragraphs(
        "“Ted Cruz is the best conservative candidate since Ronald Reagan,” Richard Viguerie said in an interview.",
        "“He’s what we’ve waited for ever since Reagan. He checks all our boxes.”",
    )
    assert [q.speaker for q in extract_quotes(art)] == ["Richard Viguerie", "Richard Viguerie"]


def test_an_answer_after_a_question_is_not_the_askers():
    art = from_paragraphs(
        "“Will you endorse the nominee before the convention?” asked Megyn Kelly.",
        "“I have not made up my mind and I will not be rushed.”",
    )
    assert [q.speaker for q in extract_quotes(art)] == ["Megyn Kelly"]


def test_he_can_mean_someone_the_article_names_only_by_surname():
    art = from_paragraphs(
        "ABC anchor David Muir asked the candidates to pick the Super Bowl winner.",
        "Carson defied the question. “With 100 percent certainty, I will predict the winner,” he said.",
        "Carson said later that he had been joking.",
    )
    assert [q.speaker for q in extract_quotes(art)] == ["Carson"]


def test_he_with_nobody_named_near_is_left_unresolved():
    art = from_paragraphs(
        "Gov. Paul LePage spoke in Augusta on Monday.",
        "The state budget has been stuck for months. Lawmakers from both parties blame the committee. "
        "The session ends in June, and the shortfall grows every week that passes without a deal. "
        "Schools, roads and hospitals are all waiting for money that the legislature has not voted. "
        "Several towns have already cut services, and more say they will have to do so before winter.",
        "“We cannot keep waiting for a deal that never comes,” he said.",
    )
    assert extract_quotes(art) == []


def test_a_persons_gender_comes_from_a_title_or_the_articles_own_pronouns():
    from qabot.news.genders import genders

    text = "Mrs. Robin Castle spoke first. Later Castle said she agreed. Reince Lee said he would wait. Zyx Qor left."
    mentions = [(m.start(), m.end(), name) for name in ("Robin Castle", "Reince Lee", "Zyx Qor")
                for m in re.finditer(name.split()[-1], text)]
    found = genders(text, mentions)
    assert found["Robin Castle"] == "f"  # "Mrs." before the name
    assert found["Reince Lee"] == "m"  # no first-name entry; "Lee said he"
    assert "Zyx Qor" not in found  # nothing says: a pronoun may mean either


def test_a_first_name_the_table_is_unsure_of_gives_way_to_the_articles_pronouns_or_to_none():
    """"Bernie" is mostly female to the name table: that guess had made Bernie Sanders a woman in 125
    PolNeAR train articles, so that "he said" was never his."""
    from qabot.news.genders import genders

    text = "Bernie Sanders spoke in Iowa. Sanders said he would win. Bernie Cole and Hillary Clinton met."
    mentions = [(m.start(), m.end(), name) for name in ("Bernie Sanders", "Bernie Cole", "Hillary Clinton")
                for m in re.finditer(name.split()[-1], text)]
    found = genders(text, mentions)
    assert found["Bernie Sanders"] == "m"  # "Sanders said he"
    assert "Bernie Cole" not in found  # only the unsure "Bernie": a pronoun may mean either
    assert found["Hillary Clinton"] == "f"  # a first name the table is sure of


def test_a_name_with_an_age_or_a_role_before_its_verb_is_the_sentences_subject_for_she():
    """`“…,” Sarandon, 69, told MSNBC when asked about Clinton.` — Sarandon is the subject, so the
    "she said" that follows is hers, not Clinton's, named after her."""
    art = from_paragraphs(
        "MSNBC interviewed the actress Susan Sarandon about Hillary Clinton on Monday.",
        "“That is a legitimate concern,” Sarandon, 69, told MSNBC when asked whether voters would support Clinton.",
        "“I think a lot of people just cannot bring themselves to do that,” she said.")
    assert [q.speaker for q in extract_quotes(art, ranker=None)] == ["Susan Sarandon", "Susan Sarandon"]


# --- issue 10: opening phrases, participles, relative clauses, the learned ranker ----------

def test_an_opening_phrase_before_the_speaker():
    art = from_paragraphs("Asked what he wants in a nominee, Adelson said, “They have got to be able to win.” "
                          "In a Facebook post after the speech, Glenn Beck wrote: “I couldn't disagree with her more.”")
    assert [(q.speaker, q.text) for q in extract_quotes(art)] == [
        ("Adelson", "They have got to be able to win."), ("Glenn Beck", "I couldn't disagree with her more.")]


def test_a_participle_takes_the_subject_of_its_clause():
    art = from_paragraphs("At the debate, Bernie Sanders compared himself to Clinton, saying, “I don't get speaking fees "
                   "from Goldman Sachs.”")
    assert [q.speaker for q in extract_quotes(art)] == ["Bernie Sanders"]


def test_who_after_a_name_is_that_name():
    art = from_paragraphs("Cruz was endorsed by Mike Lee, who declared in the spin room, “It is time to unite behind him.”")
    assert [q.speaker for q in extract_quotes(art)] == ["Mike Lee"]


def test_a_word_before_a_name_is_no_part_of_it():
    art = from_paragraphs("Taking it in, Donald Trump said, “This is a great crowd tonight.” "
                   "Even Lindsey Graham said, “John Kasich has no chance at all.”")
    assert [q.speaker for q in extract_quotes(art)] == ["Donald Trump", "Lindsey Graham"]


def test_the_speaker_of_the_next_quotation_is_not_this_ones():
    art = from_paragraphs("Bill Maher, who backs Sanders, asked, “Has the story hurt you?” Sanders responded, "
                   "“It has. But there is enormous frustration out there.”")
    assert [(q.speaker, q.text[:8]) for q in extract_quotes(art)] == [
        ("Bill Maher", "Has the "), ("Sanders", "It has. ")]


def test_the_shipped_ranker_loads_and_keeps_the_fixture_answers(dam):
    from qabot.news.ranker import shipped

    ranker = shipped()
    assert ranker is not None and 0 < ranker.threshold < 1 and ranker.trees
    with_ranker = quotes_by(dam, "Seleshi Bekele")
    assert "We came with an open mind and we leave with an open mind" in with_ranker
    assert "Our engineers answered every question that was put to them. The rest is politics." in with_ranker
    # "He added" after a man whose gender the article never shows (and gender-guesser does not
    # know): the first ranker, a logistic regression, abstained; the trees give it to him, as the rules do.
    nobody = [q for q in extract_quotes(dam) if q.text.startswith("Nobody in Addis Ababa")]
    assert [q.speaker for q in nobody] == ["Seleshi Bekele"]


def test_the_ranker_chooses_the_nearest_person_of_the_pronouns_gender():
    art = from_paragraphs("Elizabeth Warren said Donald Trump had failed the workers of Ohio. "
                          "“We will not back down from this fight,” she said.")
    assert [q.speaker for q in extract_quotes(art)] == ["Elizabeth Warren"]


def test_a_role_alone_is_no_speaker_and_a_described_one_no_nearby_person():
    """(Since the twelfth pass a sport's role — "the defender said" — means the one the story follows, as it did in
    every one of 18 such BBC quotations: `test_twelfth_pass_the_one_the_story_follows`.)"""
    art = from_paragraphs("Title", "Angela Merkel met the press. “We will not give in to this pressure,” the Chancellor said.",
                          "Paul Krugman wrote a column. “We were not good enough in the first half,” the economist said.")
    assert [q.speaker for q in extract_quotes(art)] == []
    assert [q.speaker for q in extract_quotes(art, ranker=None)] == []


def test_hyphenated_names_with_an_apostrophe():
    art = from_paragraphs("Title", "“We must protect the poor of this country,” Cardinal Cormac Murphy-O'Connor said.")
    assert [q.speaker for q in extract_quotes(art)] == ["Cormac Murphy-O'Connor"]


def test_the_extractor_version_changes_with_the_descriptions_code(tmp_path, monkeypatch):
    """Descriptions are stored with the quotes and kept with them between builds, so a change to
    their code must make a build read them again, as a change to the quote code does."""
    from qabot.news import descriptions, extractor_version

    before = extractor_version()
    changed = tmp_path / "descriptions.py"
    changed.write_bytes(Path(descriptions.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(descriptions, "__file__", str(changed))
    assert extractor_version() != before


def test_a_role_introduced_with_a_is_not_stored_as_a_description():
    """"how good a prime minister Gordon Brown will make" wonders about a role; it gives him
    no title. The same paragraph's "Chancellor Gordon Brown" does."""
    art = from_paragraphs("Chancellor Gordon Brown spoke on Monday. There will be an argument over just how good a "
                 "prime minister Gordon Brown will make.")
    found = {(d.name, d.text) for d in extract_descriptions(art)}
    assert ("Gordon Brown", "Chancellor") in found
    assert not any("prime minister" in text for _, text in found)


def test_a_tree_ranker_is_read_from_json_and_walks_its_nodes(tmp_path):
    from qabot.news.ranker import Ranker

    # one stump: a candidate the rules named scores +2 (log-odds), any other -2
    path = tmp_path / "m.json"
    path.write_text('{"intercept": 0.0, "learning_rate": 1.0, "threshold": 0.5, "trees": '
                    '[[["rule", 0.5, 1, 2, 0.0], ["", 0.0, -1, -1, -2.0], ["", 0.0, -1, -1, 2.0]]]}', encoding="utf-8")
    ranker = Ranker.load(path)
    assert round(ranker.score({"rule": 1.0}), 3) == 0.881 and round(ranker.score({}), 3) == 0.119
    assert ranker.choose([("Ann Lee", {}), ("Bo Chan", {"rule": 1.0})]) == ("Bo Chan", ranker.score({"rule": 1.0}))
    assert ranker.choose([("Ann Lee", {})]) is None  # below the threshold: nobody


def test_he_is_someone_named_beyond_the_pronouns_reach_only_if_the_ranker_is_sure():
    from qabot.news.ranker import BEYOND_REACH_SCORE, Ranker

    far = [("Paul LePage", {"pronoun": 1.0, "beyond_pronoun_reach": 1.0})]
    fairly = Ranker({}, 0.0, 0.4)  # scores every candidate 0.5: above the threshold, below the reach score
    assert fairly.score({}) < BEYOND_REACH_SCORE and fairly.choose(far) is None
    assert fairly.choose([("Paul LePage", {"pronoun": 1.0})]) is not None
    sure = Ranker({}, 5.0, 0.4)  # 0.99
    assert sure.choose(far) == ("Paul LePage", sure.score({}))


def test_a_described_speaker_is_never_a_nearby_person():
    art = from_paragraphs("Ted Cruz spoke in Des Moines on Monday. “We will win this state by a wide margin,” "
                          "said a senior Cruz adviser.",
                          "Ted Cruz left for New Hampshire. One official said: “The talks are over for this year.”")
    assert [q.speaker for q in extract_quotes(art)] == []


def test_the_person_spoken_to_is_not_the_speaker():
    art = from_paragraphs("Barack Obama told Samantha Bee on Monday that the choice “could not be clearer for the country.”")
    assert [q.speaker for q in extract_quotes(art)] == ["Barack Obama"]


def test_a_titled_surname_is_a_speaker_the_ranker_can_choose():
    # BBC style: the person is named only as "Mr Howard" outside quotation marks (his full name
    # stands inside another speaker's quote); before, "Mr" made "Howard" look like the last word
    # of a longer name, he was no candidate, and the ranker left all three quotations unattributed.
    art = from_paragraphs(
        'Mr Howard told his party that Labour would "do anything, say anything, claim anything to cling on '
        'to office at all costs". "So far this year they have compared me to Fagin, to Shylock and to a '
        'flying pig. This morning Peter Hain even called me a mongrel." Environment Secretary Margaret '
        'Beckett rejected Mr Howard\'s comment, telling Radio 4\'s PM programme that Labour was not "rattled". '
        '"We have a very real duty to try to get people to focus on Michael Howard\'s record," she said.',
    )
    # (since 2026-12-02 "Michael" makes "Michael Howard" a person, so he has his full name)
    assert [(q.speaker, q.text.split()[0]) for q in extract_quotes(art)] == [
        ("Michael Howard", "do"), ("Michael Howard", "So"), ("Margaret Beckett", "We")]


# Issue 10 part 3, fourth pass (2026-12-02): each family found reading PolNeAR's misses and errors.

def test_a_quotation_signed_with_a_dash_is_its_signers():
    art = from_paragraphs("Readers answered our call after the debate.",
                          "“The most unqualified child to ever run for president.” ― Francisco Herrero "
                          "“Maybe we can build a wall around Donald Trump.” ―\xa0Steve Quinlan.")
    assert [(q.speaker, q.text) for q in extract_quotes(art)] == [
        ("Francisco Herrero", "The most unqualified child to ever run for president."),
        ("Steve Quinlan", "Maybe we can build a wall around Donald Trump.")]


def test_a_dash_inside_a_sentence_signs_nothing():
    art = from_paragraphs("Maria Lopez spoke at the rally on Sunday.",
                          "“We will march again next week,” she said — Governor Tom Reed was not there.")
    assert [q.speaker for q in extract_quotes(art)] == ["Maria Lopez"]


def test_a_transcripts_speaker_labels_name_each_turn_and_stay_out_of_the_text():
    art = from_paragraphs(
        "On Fox News Sunday, Republican vice-presidential nominee Gov. Mike Pence spoke to the host.",
        "Partial transcript as follows:",
        '"WALLACE: Will Gennifer Flowers be there tomorrow night?',
        '"PENCE: Gennifer Flowers will not be attending the debate tomorrow night.',
        '"Donald Trump is going to focus on the issues the American people care about.',
        '"WALLACE: Governor, I want to ask you about the polls now.',
        '"VIDEO: They all told me it was a video when they knew it was not the video.')
    found = [(q.speaker, q.text.split(".")[0]) for q in extract_quotes(art)]
    assert ("Wallace", "Will Gennifer Flowers be there tomorrow night?") in found
    assert ("Mike Pence", "Gennifer Flowers will not be attending the debate tomorrow night") in found
    # the turn runs on into the next paragraph; a played clip is nobody's turn
    assert ("Mike Pence", "Donald Trump is going to focus on the issues the American people care about") in found
    assert not any(text.startswith(("WALLACE", "PENCE", "VIDEO", "They all told")) for _, text in found)


def test_a_one_off_capitalised_label_is_no_speaker():
    art = from_paragraphs("Anna Berg runs the bridge office.",
                          '"BREAKING: The bridge will stay closed until Monday," Berg said.')
    assert [(q.speaker, q.text) for q in extract_quotes(art)] == [
        ("Anna Berg", "BREAKING: The bridge will stay closed until Monday")]


def test_a_title_in_quotation_marks_is_nobodys_words():
    art = from_paragraphs('"We do not see a link to terrorism," Pence said on CBS\'s "Face the Nation." '
                          'Al Sharpton took calls on his "Keepin\' It Real" radio program.')
    assert [(q.speaker, q.text) for q in extract_quotes(art)] == [("Pence", "We do not see a link to terrorism")]


def test_a_party_and_place_describe_a_speaker_without_naming_one():
    art = from_paragraphs("Donald Trump won the Iowa caucuses on Monday.",
                          "“Trump will be defeated in this process,” said a New Hampshire Republican. "
                          "“She is too far behind,” one Iowa Democrat said.")
    assert [q.speaker for q in extract_quotes(art)] == []


def test_mr_obama_is_not_the_michelle_obama_the_article_named():
    art = from_paragraphs("Michelle Obama spoke first at the gala in Washington.",
                          '"My name may not be on the ballot, but our progress is on the ballot," Mr. Obama said.')
    assert [q.speaker for q in extract_quotes(art)] == ["Obama"]


def test_a_surname_alone_is_the_person_of_that_name_named_first():
    art = from_paragraphs(
        "Rep. Bobby Scott met voters in Newport News. Sen. Tim Scott was in South Carolina.",
        "Rep. Bobby Scott has served since 1993, and Bobby Scott is running for the Senate.",
        '"You got a choice," Scott said at the Urban League.')
    assert [q.speaker for q in extract_quotes(art)] == ["Bobby Scott"]


def test_a_relative_named_in_full_more_often_is_not_whom_the_surname_alone_means():
    """The son is named in full at every turn to tell him apart; "Trump" alone is the father,
    whom the story named first (train's hand-read gold, 2026-12-02: named-first 17 answers better)."""
    art = from_paragraphs(
        "As Donald Trump began tweeting a new nickname for Hillary Clinton, his son said he is just getting started.",
        "“She has already turned her attention to us, which is a great compliment,” Eric Trump said.",
        "“He is going to go after her record in a way that no one has before,” Eric Trump said.",
        "Eric Trump’s comments came after his father unveiled the nickname.",
        "“Crooked Hillary Clinton is spending a fortune on ads against me,” Trump tweeted.")
    assert [q.speaker for q in extract_quotes(art, ranker=None)] == ["Eric Trump", "Eric Trump", "Donald Trump"]


def test_names_with_initials_a_party_tag_a_suffix_or_a_workplace():
    art = from_paragraphs(
        "Members of the Congressional Black Caucus spoke on Friday.",
        "“This is a disgusting day,” said Rep. G.K. Butterfield (D-N.C.), head of the Congressional Black Caucus.",
        "“Mitt Romney was a worthy foe,” Sen. Claire McCaskill (D-Mo.) said.",
        "“The impact of Monday’s debate is still small,” wrote Cameron Easley for Morning Consult.",
        "“The president’s rationales don’t hold weight,” said 9/11 widow Terry Strada.",
        '"This places all the blame on young folks," Vann R. Newkirk II, a writer for The Atlantic, said on '
        'Twitter. "Black folks have done their part already."')
    assert [q.speaker for q in extract_quotes(art)] == [
        "G.K. Butterfield", "Claire McCaskill", "Cameron Easley", "Terry Strada", "Vann R. Newkirk", "Vann R. Newkirk"]


def test_a_paragraph_ending_in_a_speech_verb_and_a_colon_introduces_the_next_quotation():
    art = from_paragraphs("Ted Cruz answered the moderators at the debate in Boulder.",
                          "Cruz continued:",
                          "“You look at the questions: are you a comic book villain? Can you do math?”")
    assert [q.speaker for q in extract_quotes(art)] == ["Ted Cruz"]


def test_headline_words_and_sentence_adverbs_are_not_people():
    art = from_paragraphs("Pence Gives GOP A Boost With Solid Debate Win Over Kaine.",
                          "Meanwhile, it attacked Trump, saying he “has offended Hispanics, women and the disabled.”")
    assert people(art) == [] and [q.speaker for q in extract_quotes(art)] == []


def test_a_first_name_no_one_doubts_makes_a_person():
    art = from_paragraphs("During a CNN town hall, Tina Houchins had a question for the president.",
                          "“As a Gold Star mother, my son gave his life for acts of terrorism,” she said.")
    assert "Tina Houchins" in people(art)
    assert [q.speaker for q in extract_quotes(art)] == ["Tina Houchins"]


def test_each_he_since_the_name_carries_the_person_on():
    # Fowler's name is over 400 characters before the last quotation, where a lone "he" is left
    # unresolved; the subject "he"s between carry him on (resolution.with_pronouns).
    filler = ("The party's rules empower its committee to name a replacement but include few guidelines. "
              "Members have argued about them for years without settling on anything. ")
    art = from_paragraphs(
        "Don Fowler, who chaired the committee in the 1990s, spoke on Monday. " + filler,
        "He added a note of caution about the timing of any change. " + filler,
        "That is why, he argued, the party should be prepared.",
        "“She better get well before she gets back out there,” he said.",
    )
    assert [(q.speaker, q.text) for q in extract_quotes(art, ranker=None)] == [
        ("Don Fowler", "She better get well before she gets back out there")]
    lone = from_paragraphs("Don Fowler, who chaired the committee in the 1990s, spoke on Monday. " + filler + filler
                           + filler, "“She better get well before she gets back out there,” he said.")
    assert extract_quotes(lone, ranker=None) == []


@pytest.mark.parametrize("paragraphs, speaker", [
    (("Indiana Gov. Mike Pence spoke in Ohio on Friday.", "Hillary Clinton spoke in Florida.",
      "The Indiana governor said, “Democrats and the media are to blame for all of it.”"), "Mike Pence"),
    (("Sen. Bernie Sanders campaigned in Iowa.", "Hillary Clinton answered him later.",
      "“I apologize to nobody for that at all,” the senator said."), "Bernie Sanders"),
    (("Mayor Bill de Blasio visited the scene on Saturday.", "Police Commissioner James O'Neill joined him.",
      "“We do not see a link to terrorism,” the mayor said."), "Bill de Blasio"),
    (("Republican nominee Donald Trump held a rally.", "Hillary Clinton held one too.",
      "The Republican nominee said, “We will win this state by a lot.”"), "Donald Trump"),
])
def test_the_role_a_person_is_titled_with_names_them(paragraphs, speaker):
    # an abbreviated title (Gov., Sen.), a lowercase role, a surname with "de", and words between "the" and the role
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == [speaker]


def test_a_role_two_people_are_titled_with_names_nobody():
    art = from_paragraphs("Sen. Bernie Sanders and Sen. Marco Rubio spoke in Iowa.",
                          "“I apologize to nobody for that at all,” the senator said.")
    assert extract_quotes(art, ranker=None) == []


@pytest.mark.parametrize("paragraphs, speaker", [
    # whose spokesman, before the role: the person after it speaks
    (("Ted Cruz campaigned in Iowa.",
      "“No one believes that Cruz is anything but a conservative,” Cruz spokesman Rick Tyler said."), "Rick Tyler"),
    # an age as the appositive
    (("Norbert Leo Butz stars in the play.",
      "“I found myself wanting to find some deeper insight,” Butz, 49, told The Huffington Post."), "Norbert Leo Butz"),
    # where someone wrote is no speaker
    (("“It hits Hillary where she is most vulnerable,” wrote Larry O’Connor on Hot Air.",), "Larry O’Connor"),
    # a first name ending in -ly is no adverb ("Sadly"): Carly Fiorina, not "Fiorina"
    (("Carly Fiorina endorsed Ted Cruz on Wednesday.", "“He is the real deal and he will win,” Fiorina said."),
     "Carly Fiorina"),
    # an adverb or an auxiliary between the name and the verb
    (("Famed fight doctor Ferdie Pacheco once said: “Cassius Clay was born in Louisville. Ali was born in Miami.”",),
     "Ferdie Pacheco"),
    # a surname with a particle is the one person it ends ("Le" is a first name too)
    (("Valls spoke after an endorsement by Marine Le Pen, leader of the Front National party.",
      "“Between Trump and Hillary Clinton, it is clear that I prefer Trump,” said Le Pen, who has garnered attention."),
     "Marine Le Pen"),
    # an appositive that opens with whose: `Jeff Weaver, Sanders’ campaign manager, said`
    (("Bernie Sanders raised $20 million in January.",
      "“Working Americans chipping in a few dollars each month are changing politics,” Jeff Weaver, Sanders’ "
      "campaign manager, said in a statement."), "Jeff Weaver"),
    # a title's full stop ends no sentence, and ", saying" is the main clause's subject's
    (("Carly Fiorina threw her support behind Sen. Ted Cruz (R-Texas) Wednesday, saying it is time to have a "
      "“real constitutional conservative in the White House.”",), "Carly Fiorina"),
    # a dateline is no speaker
    (("LONDON (Reuters) - Donald Trump said he was unlikely to have a good relationship with David Cameron because the "
      "British prime minister cast the U.S. presidential candidate as “divisive, stupid and wrong” for proposing a ban.",),
     "Donald Trump"),
    # a person named after a body's name is the person
    (("Undersecretary for Political Affairs Wendy Sherman reported that the plane had left.",
      "“Tunis plane wheels up a few minutes ago,” she wrote."), "Wendy Sherman"),
    # "according to" a person, where they work after the name
    (("Judicial Watch sued the department.",
      "According to Paul Sperry of Counter Jihad, “Judicial Watch revealed G4S has been quietly moving detainees.”"),
     "Paul Sperry"),
    # a full stop inside an appositive ("U.S.", "fivethirtyeight.com") ends no sentence
    (("Hillary Clinton lost support in August.",
      "“Clinton needs a strategy for targeting these voters,” Jane Doe, a U.S. official, said on Wednesday."),
     "Jane Doe"),
])
def test_the_person_in_a_longer_attribution(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == [speaker]


def test_a_group_named_after_a_state_is_no_person_for_he_to_mean():
    """"Progress Iowa" had been a person surnamed Iowa, so "Iowa reporters" was a mention of him, after Grassley."""
    art = from_paragraphs(
        "Matt Sinovic, the executive director of Progress Iowa, has accused Chuck Grassley of stalling.",
        "“She would more often than not reach a better conclusion,” Grassley said in a call with Iowa reporters.",
        "“I don’t hear any criticism of that sort of comment by a justice,” he said.")
    assert [q.speaker for q in extract_quotes(art, ranker=None)] == ["Chuck Grassley", "Chuck Grassley"]


def test_a_research_centre_after_a_name_is_never_the_speaker():
    art = from_paragraphs("“Building a staged weapon would seem to be a stretch,” Jeffrey Lewis of the James Martin "
                          "Center for Nonproliferation Studies wrote in a blog post.")
    assert [q.speaker for q in extract_quotes(art, ranker=None)] in ([], ["Jeffrey Lewis"])


@pytest.mark.parametrize("paragraphs, speaker", [
    # "the board" is the last board named before the quotation, its name whole ("of" and all)
    (("The Illinois Board of Elections met on Monday.",
      "“The Candidate is a natural born citizen by virtue of being born to his mother,” the board said."),
     "Illinois Board of Elections"),
    # a body named by whose it is
    (("The Trump campaign released the filing.",
      "“This income was utilized, among other things, for the funding of the campaign,” the Trump campaign explained."),
     "Trump campaign"),
    # "according to" an outlet, "the" and all; "Daily" is no adverb like "Sadly"
    (("Labott took directions from Reines.",
      "According to the Daily Caller, “Labott also coordinated with Reines to post a favorable quote.”"), "Daily Caller"),
    # a name never runs over a paragraph: not "Rates Hold\n\nThe Board of Trade"
    (("Rates Hold", "The Board of Trade met on Monday.",
      "“We will keep the rates where they are now,” the board said."), "Board of Trade"),
    # "the newspaper" is the last outlet named
    (("The New York Daily News attacked the NRA on Friday.",
      "According to the newspaper, “America’s porous gun laws empower dealers to sell weapons to anyone.”"),
     "New York Daily News"),
])
def test_an_organisation_the_article_named_is_the_speaker_of_the_body(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == [speaker]


def test_a_headline_in_title_case_is_no_organisation_for_the_judge_said():
    """`Federal Judge Just Gave Hillary Some Of The Worst News` has an organisation's word in it ("News")
    and "Judge": "the judge said" must not make the headline the speaker."""
    article = from_paragraphs("Federal Judge Just Gave Hillary Some Of The Worst News",
                              "“This case is about the public’s right to know,” the judge said.")
    assert extract_quotes(article, ranker=None) == []


def test_a_speaker_named_after_the_verb_earlier_in_the_paragraph_goes_on():
    """`"Debate recap," tweeted Rubio spokesman Alex Conant. "…"`: the sentence before the quotation has no subject
    but the name after its verb; the quotation that follows is his, not the senator's named before."""
    article = from_paragraphs("Sen. Marco Rubio outflanked Hillary Clinton at the debate.",
                              "\"Debate recap,\" tweeted Rubio spokesman Alex Conant. \"Clinton: I come from the 60s, "
                              "a long time ago. Marco: This election is about the future.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Alex Conant"]


def test_a_name_after_a_verb_that_follows_words_is_no_speaker_of_the_quotation():
    """Only a sentence that is a quotation and its verb reads the name after the verb: `the GOP front-runner said
    Democratic front-runner Clinton "…"` is not Clinton's."""
    article = from_paragraphs("Donald Trump spoke to CBS on Sunday.",
                              "Appearing on CBS' Face the Nation, the GOP front-runner said Democratic front-runner "
                              "Hillary Clinton \"caused tremendous death\" as secretary of State.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == []


@pytest.mark.parametrize("paragraphs, speaker", [
    # a subject whose gender is known comes before one whose gender is not ("Bernie" is no sure man's name)
    # ("he" after one mention and "she" after another leave him none)
    (("Sen. Bernie Sanders said he would break up the big banks.", "Hillary Clinton answered in Brooklyn.",
      "When Sanders accused Clinton of being too reliant on Wall Street, she said “I stood up against the behavior of "
      "the banks” before the crisis."), "Hillary Clinton"),
    # the name after "said" is the subject of what was said, not of the sentence: "he" is still Pence
    (("Mike Pence spoke to Chuck Todd on Sunday.",
      "Pence said Donald Trump will be following a different schedule.",
      "“Donald Trump will be releasing his tax returns at the completion of the audit,” he said."), "Mike Pence"),
    # an irregular past ("found") makes the name before it a subject after an opening phrase
    (("Marco Rubio and Eric Levine watched the debate.",
      "Rubio said the candidates had done well.",
      "As for the mangling of the word, Levine found comic relief in it. “I needed some carrots to dip,” he said."),
     "Eric Levine"),
])
def test_he_or_she_is_the_subject_of_the_sentence_not_of_a_clause(paragraphs, speaker):
    quotes = extract_quotes(from_paragraphs(*paragraphs), ranker=None)
    assert [q.speaker for q in quotes][-1:] == [speaker]


@pytest.mark.parametrize("paragraphs, speaker", [
    # "Name of Place, who …": the person, not the place
    (("Republicans pounced on the emails, such as Sen. Marco Rubio of Florida, who mused in the debate that Clinton "
      "was “disqualified from being the commander in chief” because of her server.",), "Marco Rubio"),
    # ... nor an adverb in -ly
    (("Jane Hamilton leads Hispanic Patriots for Trump.",
      "Recently she announced on her Facebook page, “I'm getting off Cruz's ship and boarding the Trump train!”"),
     "Jane Hamilton"),
])
def test_an_opening_word_is_never_the_speaker(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == [speaker]


def test_an_opening_word_is_no_speaker_even_when_no_one_else_is():
    article = from_paragraphs("Donald Trump has not always had good things to say about China.",
                              "Although he says he “loves China,” and “people from China love me,” he also accuses it "
                              "of stealing American jobs.")
    assert "Although" not in [q.speaker for q in extract_quotes(article, ranker=None)]


def test_aides_are_nobody_we_can_name():
    article = from_paragraphs("Bernie Sanders spoke in Vermont.",
                              "Aides have also suggested Sanders's call for a single-payer “Medicare for all” system is "
                              "something he will push at the convention.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] in ([], ["Bernie Sanders"])
    assert "Aides" not in [q.speaker for q in extract_quotes(article, ranker=None)]


def test_a_digest_item_is_the_outlet_it_credits_when_nobody_is_named():
    article = from_paragraphs("Tuesday's morning email.",
                              "THE UN'S PEACEKEEPING SCANDAL Officials have learned about a fresh scandal: “at least four "
                              "peacekeepers allegedly paid young girls in exchange for sex.” [WaPo.]",
                              "IOWA TIGHTENS Bernie Sanders said his rival is “in serious trouble now.” [NYT.]")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["WaPo", "Bernie Sanders"]


@pytest.mark.parametrize("run, name", [("IOWA TIGHTENS Bernie Sanders", "Bernie Sanders"),
                                       ("NRA chief Chris Cox", "Chris Cox"), ("AP Photo", "AP Photo")])
def test_capitals_before_a_name_are_a_headline_or_an_acronym_not_part_of_it(run, name):
    assert person_or_org(run) == name


@pytest.mark.parametrize("paragraphs, speaker", [
    # a verb that is no speech verb, and the quotation in the next paragraph
    (("Parker Eaton said the candidates on both sides were weak.", "17-year-old Jared Potts echoed:",
      "“He speaks his mind, and that is what we need right now.”"), "Jared Potts"),
    # the subject after an opening phrase, not the name inside it
    (("Bill Clinton and George Wallace met in 1992.",
      "When Wallace died in 1998, Bill Clinton released the following statement: “Hillary and I offer our "
      "condolences to the family and friends of Governor Wallace.”"), "Bill Clinton"),
    # "he" opening the sentence, the verb anything
    (("Morton Blackwell endorsed Ted Cruz on Sunday.",
      "He then listed the qualities necessary in a successful nominee: “Has the candidate a record of personal "
      "activism and leadership?”"), "Morton Blackwell"),
])
def test_a_sentence_ending_in_a_colon_introduces_its_subjects_words(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == [speaker]


def test_a_transcript_is_nobody():
    article = from_paragraphs("John Kasich won Ohio on Tuesday.", "Transcript as follows:",
                              "“Tonight we arrived in Cleveland, and we went to a restaurant.”")
    assert "Transcript" not in [q.speaker for q in extract_quotes(article, ranker=None)]


@pytest.mark.parametrize("paragraphs, speaker", [
    # a definite description after the quotation: the person the sentences before are about
    (("Barack Obama will make the case for Hillary Clinton in Philadelphia.",
      "“There has never been a man or a woman more qualified than Hillary Clinton to serve as president,” the "
      "two-term president will say."), "Barack Obama"),
    (("Sen. Bernie Sanders also called upon the U.S. to press China.",
      "“We have got to bring China into the process,” the independent Vermont senator and Democratic presidential "
      "candidate told ABC."), "Bernie Sanders"),
])
def test_a_definite_description_after_the_quotation_is_the_person_just_spoken_of(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == [speaker]


def test_a_writing_or_a_body_described_after_the_quotation_is_no_person():
    article = from_paragraphs("Chris Christie is backed by the Union Leader, New Hampshire's largest newspaper.",
                              "“Cruz had a chance to stand up for conservative principles on stage,” the editorial "
                              "board recently wrote.",
                              "“Trump needs to decide if he wants to win this election,” the conservative-leaning "
                              "newspaper said.")
    assert "Chris Christie" not in [q.speaker for q in extract_quotes(article, ranker=None)]


def test_a_speaker_in_the_quotations_own_sentence_comes_before_the_paragraphs_last_one():
    article = from_paragraphs(
        "Martha Allen and Paul Huntley came to the convention in Philadelphia.",
        "“We are losing too many people to guns, either because they are imprisoned or killed,” she said. Paul Huntley, "
        "a Sanders delegate from California, said he wanted “common-sense solutions to the problem that include gun "
        "safety.”")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Martha Allen", "Paul Huntley"]


@pytest.mark.parametrize("paragraphs, speaker", [
    # the object of a preposition is no subject, though a verb follows it
    (("Carlos Ortega wrote a play about Donald Trump.",
      "Carlos Ortega says that the overwhelming reaction to Trump has been rejection.",
      "“More than anything else, it set off something really cool for Latinos: unity,” he said."), "Carlos Ortega"),
    # a title's full stop ends no sentence: "Sen. Ted Cruz" after a verb is no sentence's subject
    (("Morton Blackwell has endorsed Sen. Ted Cruz for president.",
      "“I have decided to endorse him and to urge other serious conservatives to join me,” he said."),
     "Morton Blackwell"),
])
def test_he_is_a_subject_not_an_object(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == [speaker]


def test_he_in_a_paragraph_introducing_a_quotation_is_read_where_he_stands():
    article = from_paragraphs(
        "Morton Blackwell has endorsed Ted Cruz for president.",
        "Ted Cruz welcomed the endorsement on Friday.",
        "“I have decided to endorse Ted Cruz and to urge other serious conservatives to join me,” Blackwell wrote.",
        "He then listed the qualities necessary in a successful Republican nominee:",
        "“Has the candidate a record of personal activism and leadership for conservative principles?”")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Morton Blackwell", "Morton Blackwell"]


@pytest.mark.parametrize("paragraphs, speaker", [
    # the quotation opens its sentence, which goes on past it and closes with the speaker (eighth pass)
    (("Sanders won New Hampshire.",
      "\"Let me thank the thousands of volunteers who worked so hard\" for the victory, Sanders said."), "Sanders"),
    (("\"Many would consider that an embarrassment for Hillary Clinton\" if she did not win by more, said David "
      "Wasserman, an elections analyst at the Cook Political Report.",), "David Wasserman"),
    # ... also when words without a speech verb come before the quotation in its sentence
    (("The rejection of the treaty signals \"the beginning of the end\" for the EU, said Geert Wilders, founder of "
      "the Party for Freedom.",), "Geert Wilders"),
    # a role, then the name as an appositive, after the quotation
    (("\"By December, California stuck out as a place to compete,\" Sanders’s campaign manager, Jeff Weaver, said in "
      "an interview.",), "Jeff Weaver"),
    (("“With half the vote in by Election Day, we are treating it as one long day,” said Rubio’s deputy campaign "
      "manager, Rich Beeson, who oversaw the ground game.",), "Rich Beeson"),
    (("“Positions are gonna soften on Donald Trump,” California Rep. Duncan Hunter’s chief of staff, Joe Kasper, told "
      "POLITICO.",), "Joe Kasper"),
    # "according to" after the quotation
    (("The inquiry goes on.",
      "“FBI officials now expect to complete their work in the next few weeks,” according to CNN."), "CNN"),
    # "is quoted as saying"
    (("Matt Braynard runs a polling firm.",
      "“We are in and out of the field faster than anyone,” Braynard is quoted as saying."), "Matt Braynard"),
    # the verb before the name: `Continued Stone:`, `explained CBS moderator Nancy Cordes:`
    (("Roger Stone spoke to Infowars.", "Continued Stone: “So I think it is a very real problem indeed.”"),
     "Roger Stone"),
    (("In other words, explained CBS moderator Nancy Cordes: \"What does that have to do with big donations?\"",),
     "Nancy Cordes"),
    # a subject, a first verb, then "but said"
    (("Ben Carson hired a new campaign manager.",
      "He praised those who left but said, \"We are in a different ballgame, and we need to execute.\""),
     "Ben Carson"),
    # more than two appositives between the name and the verb
    (("\"Both Donald Trump and Ted Cruz scare me,\" Harry Bond, 30, of Raleigh, N.C., who was among those polled, "
      "said in an interview.",), "Harry Bond"),
    # any verb in the past tense closing the clause after the quotation
    (("François Hollande answered Trump.",
      "“France will always be France,” an angry Hollande retaliated. “It never gives up.”"), "François Hollande"),
    # "the group" is the last organisation named
    (("The Trayvon Martin Foundation did not want to address the auction.",
      "“This election season, we are laser focused on furthering that mission,” the group said."),
     "Trayvon Martin Foundation"),
])
def test_eighth_pass_attributions(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)][:1] == [speaker]


@pytest.mark.parametrize("paragraphs", [
    # the verb before a name that is spoken to, or spoken of, names no speaker
    ("The woman told Bernie Sanders, “You have my vote, senator, all the way.”",),
    ("Steve Huhn said Fiorina \"was personally, very heavily involved in all that discussion\" and more.",),
    # an appositive after the quotation is `_AFTER`'s to read: "an intelligence source" is nobody we can name
    ("Fox News spoke to the agents.",
     "“The agents involved are under a lot of pressure and are busy,” an intelligence source, who was not "
     "authorized to speak on the record, told Fox News."),
])
def test_eighth_pass_rules_name_nobody_wrongly(paragraphs):
    quotes = extract_quotes(from_paragraphs(*paragraphs), ranker=None)
    assert all(q.speaker not in ("Bernie Sanders", "Fiorina", "Fox News") for q in quotes)


def test_a_verb_of_naming_before_a_quotation_is_not_closings_to_read():
    """`Trump called it "…", said X`: the words are the namer's (since the twelfth pass, `_NAMING`), never the
    closing name's."""
    quotes = extract_quotes(from_paragraphs(
        "Fiorina called the merger \"a very good deal for the company\" at the time, said Bernie Sanders."), ranker=None)
    assert [q.speaker for q in quotes] == ["Fiorina"]


@pytest.mark.parametrize("paragraphs, speaker", [
    # a name after an appositive's "said" is what was said of, not who says the next thing
    (("Samuel Nunberg sued the campaign.",
      "Trump's attorney, Alan Garten, said Nunberg was \"looking for free publicity using false claims.\" He said "
      "Nunberg was bound by an agreement that is \"standard practice for all major businesses.\""), "Alan Garten"),
    # a relative's full name holds the surname, not a mention of the one it means alone
    (("Donald Trump spoke on Monday. His son Eric Trump spoke too.",
      "“There is a lot of fuzz on her record, and he is going to go after it,” Eric Trump said.",
      "“He is going to go after her in a way that no one has before,” he added."), "Eric Trump"),
    # a place ending the appositive after a person's name is not the subject
    (("Dean Johnson, a 55-year-old salesman from Sumter, South Carolina, says Cruz will “leave here with momentum.”",),
     "Dean Johnson"),
    # "…, who said" makes the person its subject, for "she" after it
    (("Hillary Clinton was defended by Sen. Dianne Feinstein of California, the ranking Democrat on the committee, who "
      "said none of the emails originated with Clinton.",
      "\"It has never made sense to me that Secretary Clinton can be held responsible,\" she said in a statement."),
     "Dianne Feinstein"),
])
def test_eighth_pass_subjects(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)][-1] == speaker


# BBC pass (2026-12-02): read off the BBC sample (bench/bbc_sample_speakers.tsv), never the held-out one.
@pytest.mark.parametrize("paragraphs, speaker", [
    # "The Aviator went on to win": a film after "The", no person named by surname
    (("Martin Scorsese, whose movie The Aviator went on to win best film, said being honoured meant a lot to him. "
      "He said: \"I am a great admirer of British cinema since the 1930s.\"",), "Martin Scorsese"),
    # "Mr Howard's Jewish beliefs": no person called "Howard's Jewish", nor one called "Howard'"
    (("Tony Blair has said he would never attack Tory leader Michael Howard over his faith.",
      "Pressed on whether he would draw attention to Mr Howard's Jewish beliefs in an attempt to attract support, "
      "he replied: \"The idea that I would allow anybody to make such a charge is outrageous.\""), "Tony Blair"),
    # a fragment after "said" in a sentence of its own: its subject, an organisation too ("the airline": the last
    # airline named), before the paragraph's last speaker
    (("US Airways cancelled hundreds of flights. \"US Airways has a full-scale employee mutiny on its hands,\" said "
      "Michael Boyd, an aviation consultant. The airline said it was \"embarrassed by the situation and its delays\".",),
     "US Airways"),
    # "MIT's Media Labs", "London's Science Museum": bodies, not people "he" may mean
    (("Nicholas Negroponte, chairman and founder of MIT's Media Labs, says he is developing a laptop PC.",
      "He said the child could use the laptop like a text book. He described the device as a stripped down laptop, "
      "\"We have to get the display down to below $20.\""),
     "Nicholas Negroponte"),
    # "England and Wales, which represents officers, said": a place, no one named by surname
    (("Responding to the plans, the chairman of the Police Federation of England and Wales, which represents rank and "
      "file officers, said it was essential operational independence was retained.",
      "Jan Berry said: \"It is a service, not a political football. \"These plans could result in extreme views "
      "dictating what happens,\" she warned."), "Jan Berry"),
    # a writing named by whose it is: "United's statement … said:" is United's, not the last person's
    (("Malcolm Glazer has made a new approach for the club.",
      "Glazer owns a 28.1% stake in the club, and United's statement to the stock exchange said: \"The board has "
      "noted the recent press speculation on this subject.\""), "United"),
    # "X wants … but conceded": the subject of the first verb, in the present tense too
    (("Nicholas Negroponte is developing a laptop PC.",
      "Mr Negroponte wants the laptops to become more common than mobile phones but conceded this was ambitious. "
      "\"Nokia make 200 million cell phones a year, so that is a big number.\""), "Nicholas Negroponte"),
    # `," added the 30-year-old`: the one the article gives that age, else the person it is about
    (("Arsenal's Sol Campbell has called the rivalry with Manchester United bitter.",
      "\"It had a psychological impact on us,\" added the 30-year-old, referring to a penalty award."), "Sol Campbell"),
    (("Costas Kenteris, 31, and Katerina Thanou, 30, missed a drugs test in Athens.",
      "\"We have done nothing wrong at all,\" the 30-year-old said."), "Katerina Thanou"),
    # an acronym the article spells out is written as it spells it ("DrKW"); a surname is no acronym ("McClaren")
    (("Dresdner Kleinwort Wasserstein said prices were falling.",
      "DrKW said the cuts could indicate a longer term \"step change in pricing in certain areas\" at the chain."),
     "Dresdner Kleinwort Wasserstein"),
    (("Steve McClaren's side beat Manchester City 3-2.",
      "After the win, McClaren said: \"We are playing exciting football, it's a magnificent result.\""),
     "Steve McClaren"),
])
def test_bbc_pass_subjects(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)][-1] == speaker


def test_bbc_pass_quotations_opening_a_paragraph_that_goes_on_continue_the_last_speaker():
    """BBC copy runs paragraphs together, so the quotations opening one that goes on are carried too."""
    article = from_paragraphs(
        "\"It was a respectable report,\" said Michael Moran, analyst at Daiwa Securities.",
        "\"Payroll growth in December was a little lighter than forecast.\" \"Manufacturing is a cyclical area of the "
        "economy.\" That means that the Federal Reserve is likely to continue raising rates. Rates are \"a worry for "
        "many borrowers\", the paper added.")
    assert [(q.speaker, q.text[:20]) for q in extract_quotes(article, ranker=None)][:3] == [
        ("Michael Moran", "It was a respectable"), ("Michael Moran", "Payroll growth in De"),
        ("Michael Moran", "Manufacturing is a c")]


def test_bbc_pass_a_quotation_opening_a_paragraph_with_its_own_attribution_after_it_is_not_carried():
    article = from_paragraphs(
        "\"A lot of businesses are still hurting because of his shenanigans,\" Marty Small said.",
        "\"In the primary debates he pooh-poohed this Atlantic City ban,\" said Sen. Jim Whelan who represents "
        "Atlantic City and served as its mayor.")
    assert "Marty Small" not in [q.speaker for q in extract_quotes(article, ranker=None)][1:]


# Tenth pass (docs/quote-attribution.md section 11): read off the second BBC held-out sample after its first score.
@pytest.mark.parametrize("paragraphs, speaker", [
    # "White", "House" are names alone; only "White House" is a body ("Julian White" had been one, so "he" skipped him)
    (("England prop Julian White is in form for his club.",
      "\"The Welsh scrum is a force to be reckoned with,\" he said."), "Julian White"),
    # "O'Sullivan says": no person called "Sullivan" starts after the apostrophe (PolNeAR's "D’Souza replied" too)
    (("Ireland coach Eddie O'Sullivan says his side should not underestimate the visitors.",
      "\"Had they kicked their points they would have beaten France,\" he said."), "Eddie O'Sullivan"),
    # "the Zurich Premiership" is a thing: a capitalised pair right after "the" is no person "he" may mean
    (("Leicester signed Julian White from Bristol when Bristol were relegated from the Zurich Premiership. The Tigers "
      "top the Premiership table. \"I am pleased with my form,\" he said.",), "Julian White"),
    # "The" is no first name (gender-guesser lists it), so the role before the appositive is no person's name
    (("The Higher Education Minister, Kim Howells, said: \"We are working in schools to raise the attainment.\"",),
     "Kim Howells"),
    # `,” said Robert Currington who is taking part`: the name ends at "who" as at a comma
    (("\"In the past, I've used textphones but they have problems,\" said Robert Currington who is taking part in the "
      "pilot.",), "Robert Currington"),
    # `…, but Parry explained: “…”`: the subject after "but", not the sentence's first
    (("Steve Morgan wants to buy the club.",
      "He accused Liverpool of using him to attract other bids, but Rick Parry explained: \"Steve has never been used as "
      "a stalking horse.\""), "Rick Parry"),
    # sport's roles are titles too: "Wales prop Adam Jones" makes "The prop said:" his
    (("Wales prop Adam Jones says the backs need a platform.",
      "The prop said: \"If we get stuffed in the front five our backs have had it.\""), "Adam Jones"),
    # a full name after a role word, then at most one appositive, before the verb: not the person named before
    (("Tony Blair spoke first. Conservative policy co-ordinator David Cameron, MP for Witney, added: \"If it wasn't so "
      "serious it would be funny.\"",), "David Cameron"),
    (("Charles Kennedy spoke first. Responding to the claims Tory Party co-chairman Liam Fox said: \"Like Labour, the "
      "Lib Dems are soft on crime.\"",), "Liam Fox"),
])
def test_tenth_pass_subjects(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)][-1] == speaker


@pytest.mark.parametrize("sentence", [
    'A spokeswoman for the RAD said: "It is our responsibility to re-ignite the passion for ballet."',
    'A Treasury spokesperson dismissed the claims, saying it was "on track to meeting spending rules".',
    'But a UK Government official responded: "Even with the rebate, the UK pays two and a half times more."',
])
def test_tenth_pass_someone_described_and_never_named_before_a_quotation_is_nobody(sentence):
    """Neither the body (the readers' convention, PolNeAR's too) nor the person named before, by the rules or the
    ranker: the quotation is given to no one."""
    article = from_paragraphs("The Royal Academy of Dance and the Treasury met Tony Blair on Monday.", sentence)
    assert extract_quotes(article, ranker=None) == [] and extract_quotes(article) == []


def test_tenth_pass_the_words_going_on_after_someone_never_named_are_not_the_last_speakers():
    article = from_paragraphs(
        "\"We have to protect the rebate,\" said Jack Straw. But a UK Government official responded: \"Even with the "
        "rebate, the UK pays two and a half times more.\" \"There can be no deal which does not protect it.\"")
    assert [(q.speaker, q.text[:9]) for q in extract_quotes(article, ranker=None)] == [("Jack Straw", "We have t")]


# Eleventh pass (docs/quote-attribution.md section 12): read off the BBC samples held out until then (heldout, heldout3).
@pytest.mark.parametrize("paragraphs, speaker", [
    # `,” said Jol after the draw`, `said Nadal afterwards`, `… earlier this month`: the name ends at a time word too
    (("Tottenham drew at Old Trafford.", "\"The referee already wears an earpiece, so why not use it,\" said Martin Jol "
      "after the 0-0 draw."), "Martin Jol"),
    (("\"The cake will be bigger for everybody,\" said Deputy Prime Minister Abdullatif Sener earlier this month.",),
     "Abdullatif Sener"),
    # where someone is from, as the one described: `said the American`, `said the New Zealander`
    (("Andy Roddick lost both his singles in Seville.", "\"It's just tough because I felt I was in it the whole time,\" "
      "said the American."), "Andy Roddick"),
    (("Director Peter Jackson is on a visit to Sydney.", "\"It is going to be a lot of lawyers in a room,\" said the New "
      "Zealander."), "Peter Jackson"),
    # an appositive and the verb with no comma between them (BBC copy): `Peter Dobrow, a T-Mobile spokesperson said`
    (("\"We have stringent procedures in place to watch for misuse,\" Peter Dobrow, a T-Mobile spokesperson said.",),
     "Peter Dobrow"),
    # `,” agreed Cram`, `points out Steve Cram`: verbs that only introduce words when they come first
    (("Steve Cram is a BBC pundit.", "\"You don't get the chance very often in your career,\" agreed Cram."),
     "Steve Cram"),
    (("Steve Cram is a BBC pundit.", "\"It's a lot easier being feted by everybody than training,\" pointed out "
      "Cram."), "Steve Cram"),
    # "the prime minister", "the shadow chancellor": a lowercase word before the role is part of it
    (("Prime Minister Tony Blair spoke on Monday. Michael Howard replied.",
      "The prime minister said: \"If you look at what I do, I attack him politically.\""), "Tony Blair"),
    # an opening phrase after "But": `But in a statement on the club's website, Jol said: “…”`
    (("Martin Jol is wanted by Ajax.", "But in a statement on the club's website, Jol said: \"I'm happy here, I'm not "
      "in discussion with anyone else.\""), "Martin Jol"),
])
def test_eleventh_pass_subjects(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)][-1] == speaker


def test_eleventh_pass_a_name_never_runs_over_a_line_break():
    """A BBC file's headline has no full stop: its last word and the first paragraph's first word had made a
    person ("Madrid England"), whom "he" then meant."""
    text = ("Owen determined to stay in Madrid\n\nEngland forward Michael Owen has told the BBC he is happy in Spain and "
            "has no plans to quit Real Madrid to return to the Premiership in the near future.\n\nBut the 25-year-old, who "
            "has spent much of his time coming off the bench in La Liga, did not rule out a return to the Premiership at "
            "some stage. \"I'm pleased with the start I've made here,\" he told BBC Radio Five Live.")
    paragraphs = tuple(Paragraph(number, match.group(), match.start())
                       for number, match in enumerate(re.finditer(r"[^\n]+", text), 1))
    article = Article(id="x", title="x", text=text, path="x", content_hash="", paragraphs=paragraphs)
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Michael Owen"]
    assert "Madrid England" not in people(article)


# Twelfth pass (docs/quote-attribution.md section 13): read off the eleventh pass's fresh BBC sample after its score.
@pytest.mark.parametrize("paragraphs", [
    ("Michael Dell founded the firm.", "\"This machine is for small businesses,\" a spokesman for Dell said. \"I think we "
     "offer better value.\""),
    ("Japan Airlines flew to Boeing.", "\"We chose the 7E7 after considering both,\" said a Japan Airlines spokesman. "
     "\"The 7E7 fits better for what we needed.\""),
    # named by whose spokesperson they are, before and after the quotation
    ("Big Brother is on Channel 4.", "Big Brother's spokeswoman said: \"Only a handful of executives are privy to it.\""),
    ("Tony Blair met the families.", "\"Obviously we will need to study this detailed judgment,\" Mr Blair's official "
     "spokesman said."),
])
def test_twelfth_pass_someone_described_and_never_named_is_nobody(paragraphs):
    """`,” a spokesman for Dell said`: neither the body nor a person named before, by the rules or the ranker, and
    the words going on after it are not given to anyone else either."""
    article = from_paragraphs(*paragraphs)
    assert extract_quotes(article, ranker=None) == [] and extract_quotes(article) == []


def test_twelfth_pass_a_quotation_ending_its_sentence_is_not_the_unnamed_speakers_of_the_next():
    article = from_paragraphs("\"The EU benefits Germany but not Britain. It is the truth,\" said Mike Nattrass. \"I am not "
                              "German-bashing.\" A UK Independence Party spokesman said the party would fight on.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Mike Nattrass", "Mike Nattrass"]


def test_twelfth_pass_the_name_a_speech_verb_gives_after_a_quotation_is_whom_he_means_next():
    """`,” said Neil Hammerton, managing director of Email Systems. “…,” he said.`: Hammerton is that sentence's
    subject, not the firm a sentence before opened with (read as a person, it had taken "he")."""
    article = from_paragraphs(
        "The figures come from e-mail management firm Email Systems.",
        "Email Systems refers to a small UK-based engineering firm, which received 12 million e-mails in January. The "
        "type of spam has altered, according to Email Systems analysis. \"January is clearly a month when consumers are "
        "less motivated,\" said Neil Hammerton, managing director of Email Systems. \"Spammers seem to have adapted "
        "their output to reflect this,\" he said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Neil Hammerton", "Neil Hammerton"]


def test_twelfth_pass_a_name_opening_a_sentence_after_a_quotation_is_its_subject():
    """`…trophies." Butragueno, meanwhile, was angry …. "…," he said.`: a sentence may start after a closing mark."""
    article = from_paragraphs(
        "Real Madrid director Emilio Butragueno and Arsenal's Jose Antonio Reyes were both called by a radio DJ.",
        "Reyes said: \"I would love to play for Real and win more trophies.\" Butragueno, meanwhile, was angry at being "
        "impersonated by the radio disc jockey. \"It is a disgrace, there is no foundation to this,\" he said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Jose Antonio Reyes", "Emilio Butragueno"]


@pytest.mark.parametrize("paragraphs", [
    # a run of quotations after someone never named: the second is theirs too, not the body in the description
    ("New research from the Royal Academy of Dance (RAD) has found fewer children attend ballet classes.",
     "A spokeswoman for the RAD said: \"It is our responsibility to re-ignite the passion for ballet. \"We need to "
     "provide them with a framework and a goal to work towards.\""),
    # a fragment in what someone never named said, however far after the verb, and the words after it
    ("Laura Brownlees of Save the Children criticised the plan.",
     "A spokesman for the Home Office said it was wholly wrong to suggest that the plan was to return children \"and "
     "leave them to rot\". \"We are developing a returns programme for children,\" said the spokesman."),
])
def test_twelfth_pass_the_words_of_someone_never_named_stay_nobodys(paragraphs):
    assert extract_quotes(from_paragraphs(*paragraphs), ranker=None) == []


@pytest.mark.parametrize("paragraphs, speaker", [
    # a sport's role nobody holds as a title, or where someone is from, means the one the story follows
    (("Jason Gardener won the 60m in Birmingham.", "The world indoor champion said: \"I got to the airport and my "
      "stomach was upset.\""), "Jason Gardener"),
    (("Arsenal's Sol Campbell meets Manchester United again on Tuesday.", "\"It is just more bitter and personal "
      "against United,\" the defender told The Guardian newspaper."), "Sol Campbell"),
    (("Manchester United's Alex Ferguson has praised his players.", "\"That was our hardest away game of the season,\" "
      "said the Old Trafford boss."), "Alex Ferguson"),
    (("Arsene Wenger signed a new deal.", "The 55-year-old Frenchman told Arsenal's website www.arsenal.com: \"My "
      "intention has always been clear.\""), "Arsene Wenger"),
])
def test_twelfth_pass_the_one_the_story_follows(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == [speaker]


def test_twelfth_pass_a_spokesman_after_a_name_is_that_name_and_a_so_called_term_nobodys():
    article = from_paragraphs(
        "The site was blocked. Scott Stanzel, a spokesman for the Bush-Cheney campaign said: \"The measure was taken for "
        "security reasons.\" In early October a so-called \"denial of service\" attack was mounted on the site, billed "
        "as \"the biggest attack this year\" by its makers.")
    assert [(q.speaker, q.text) for q in extract_quotes(article, ranker=None)] == [
        ("Scott Stanzel", "The measure was taken for security reasons.")]


def test_twelfth_pass_a_quotation_its_sentence_introduces_is_not_the_next_sentences_speakers():
    article = from_paragraphs(
        "Charles Clarke defended the plans. Liberal Democrat home affairs spokesman Mark Oaten said: \"We believe it "
        "should be the judge that takes decisions, not politicians.\" Mr Clarke said the security services backed him.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Mark Oaten"]


def test_twelfth_pass_a_speech_verb_inside_an_earlier_quotation_names_no_speaker():
    article = from_paragraphs(
        "Wales coach Mike Ruddock wants his team to attack. \"Graham Henry said a couple of years ago that we should be "
        "bold when going to France, and he was proved right,\" said Ruddock. \"That is a great way to approach the "
        "game.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Mike Ruddock", "Mike Ruddock"]


@pytest.mark.parametrize("sentence, speakers", [
    ("The families' solicitor Phil Shiner described it as \"a historic day for human rights\".", ["Phil Shiner"]),
    ("Arsenal's Sol Campbell has called the rivalry with Manchester United \"bitter and personal\".", ["Sol Campbell"]),
    ("Economy Minister Wolfgang Clement called the dip in the Ifo figure \"a very mild decline\".", ["Wolfgang Clement"]),
    ("Tony Blair was called \"a liar\" by Michael Howard.", []),  # passive: not Blair's words
    ("Tony Blair has pledged to \"never, ever, ever\" attack Michael Howard over his beliefs.", ["Tony Blair"]),
    # an acronym the article spells out, as it spells it (no "The" before): "the AFI" is not a kind of body
    ("The American Film Institute (AFI) named its films. The AFI also questioned \"the long-term viability of evening "
     "news\".", ["American Film Institute"]),
])
def test_twelfth_pass_what_a_verb_of_naming_names_is_its_subjects_words(sentence, speakers):
    article = from_paragraphs("The story so far.", sentence)
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == speakers


@pytest.mark.parametrize("paragraphs, speaker", [
    # a full name and its appositive after an opening phrase with no comma
    (("The judges ruled on Monday.", "After the ruling Carla Ferstman, legal director of the human rights organisation "
      "Redress, said: \"It is not enough for the military to investigate.\""), "Carla Ferstman"),
    # a role, then the name and where it is from, before the verb
    (("The talks went on.", "The chairman of the working party, Ambassador Stefan Johannesson of Iceland, warned that "
      "there was \"still a lot of work to be done\"."), "Stefan Johannesson"),
    # the verb, a role "of" something, then the name closing the sentence
    (("Mike Tomlinson wrote the report.", "\"It will be a tragedy if the government is half-hearted,\" said the chairman "
      "of the Commons education select committee, Labour MP Barry Sheerman."), "Barry Sheerman"),
    # ... not a name spoken to, nor one of a list
    (("Hillary Clinton spoke on Friday.", "In an interview with hosts Joe Scarborough and Mika Brzezinski, the "
      "Democratic presidential candidate said: \"I didn't know him that well.\""), None),
])
def test_twelfth_pass_a_name_and_its_appositive_after_an_opening_phrase(paragraphs, speaker):
    assert [q.speaker for q in extract_quotes(from_paragraphs(*paragraphs), ranker=None)] == ([speaker] if speaker else [])


def test_twelfth_pass_tory_is_a_party_before_a_name_not_a_first_name():
    assert person_or_org("Tory Dominic Grieve") == "Dominic Grieve"


@pytest.mark.parametrize("run", ["Heineken Cup", "Tokyo Marathons", "Beige Book", "Davis Cup"])
def test_twelfth_pass_a_contest_a_prize_or_a_book_is_nobody_who_speaks(run):
    assert person_or_org(run) is None


def test_the_verb_first_search_finds_what_the_plain_search_finds():
    """`_before_match` reads from the speech verbs, not from every start (900 commas before a quotation had made
    each quotation cost a second); on any text it must return the very match `_BEFORE.search` returns."""
    from qabot.news.quotes import _BEFORE, _before_match

    words = ["Kosachev", "said", "told", "Sen.", "Ted", "Cruz", ",", ":", ".", "“", '"', "the", "minister", "that", "in",
             "a", "statement", "on", "Fox", "News", "added", "he", "?", "says", "went on", "”"]
    rng = random.Random(20261202)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) + rng.choice(["", " ", ", ", ": "])
             for _ in range(3000)]
    texts += ["A spokesman, " + ", " * 900 + "said: ", "Mr Brown said: ", "“No,” he said, and she told Fox News: "]
    for text in texts:
        plain, found = _BEFORE.search(text), _before_match(text)
        assert (plain and (plain.span(), plain.group("subject"))) == (found and (found.span(), found.group("subject"))), text


def test_the_naming_verb_match_from_the_last_mark_finds_what_the_plain_search_finds():
    """`_naming_match` tries `_NAMING` only after the sentence's last quotation mark or full stop (searched from every
    start, a sentence of 900 commas before each of 200 quotations took 107 s); it must return `_NAMING.search`'s match."""
    from qabot.news.quotes import _NAMING, _naming_match

    words = ["Clement", "called", "the", "dip", ",", ".", "“", "”", '"', "was", "described", "it", "as", "pledged", "to",
             "vowed", "he", "is", "also", "has", "warned", "of", "!", "?", "questioned", "been", "brands"]
    rng = random.Random(20261203)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 30))) + rng.choice(["", " "]) for _ in range(3000)]
    texts += ["Wolfgang Clement called the dip ", "It was called ", "“No,” " + ", " * 900 + "Phil Shiner described it as "]
    for text in texts:
        plain, found = _NAMING.search(text), _naming_match(text)
        assert (plain and (plain.span(), plain.group("subject"))) == (found and (found.span(), found.group("subject"))), text


@pytest.mark.parametrize("adverb", ["gingerly", "bitterly", "firmly", "quietly"])
def test_thirteenth_pass_any_adverb_may_stand_between_the_subject_and_its_speech_verb(adverb):
    """`After the vote, he bitterly said that … “…”`: any "-ly" adverb, not only the few listed before (PolNeAR train +4 right
    for +4 answers, BBC read samples +2 for +2)."""
    article = from_paragraphs("Ted Cruz met voters in Iowa on Monday.",
                              f"After the vote, he {adverb} said that despite the polls, his rivals were \"absolutely determined to "
                              "get rid of me\".")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Ted Cruz"]


def test_thirteenth_pass_a_sentence_after_a_full_stop_is_not_the_quotations_attribution():
    """`"…mark. "…" Nathan Douglas continued his progress`: the next sentence's subject and verb, going on, begin what
    comes next; the words before it go on with Idowu. `"…?" Trump asked reporters` (a question) is still Trump's."""
    article = from_paragraphs(
        "\"I didn't have a clue,\" said Phillips Idowu. \"I've not jumped indoors before. \"But this isn't a bad start "
        "and hopefully I'll come back from it.\" Nathan Douglas continued his steady progress this season.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Phillips Idowu"] * 3
    asked = from_paragraphs("Donald Trump spoke in Ohio.",
                            "\"You think I'm going to change?\" Donald Trump asked reporters on Monday.")
    assert [q.speaker for q in extract_quotes(asked, ranker=None)] == ["Donald Trump"]


@pytest.mark.parametrize("described, pronoun", [("But a spokesman", "he"), ("A Labour spokesman", "he"),
                                                ("The BBC spokeswoman", "she"), ("Tony Blair's official spokesman", "he")])
def test_thirteenth_pass_he_after_someone_never_named_is_nobody(described, pronoun):
    """`A Labour spokesman denied the campaign was unfair. “…,” he said.`: "he" is the spokesman, whom the article never
    names, so nobody, rules or ranker, and not the last person named (BBC read samples 13 wrong answers fewer, none
    right lost; PolNeAR unchanged). Named in an appositive (`Ahmed Shaheed, the chief government spokesman.`), he is."""
    article = from_paragraphs("Michael Howard spoke in Leeds on Monday about police numbers.",
                              f"{described} denied the campaign was unfair. \"We stand by every word of it,\" {pronoun} said.")
    assert extract_quotes(article, ranker=None) == [] and extract_quotes(article) == []
    named = from_paragraphs("Michael Howard spoke in Leeds on Monday about police numbers.",
                            "\"Our nation is in peril,\" said Ahmed Shaheed, the chief government spokesman. He estimated "
                            "the cost at millions. \"It won't be surprising if it exceeds our GDP,\" he said.")
    assert [q.speaker for q in extract_quotes(named, ranker=None)] == ["Ahmed Shaheed", "Ahmed Shaheed"]


@pytest.mark.parametrize("run, name", [("Paul Boateng MP", "Paul Boateng"), ("Tom McCabe MSP", "Tom McCabe"),
                                       ("Michael Mansfield QC", "Michael Mansfield"), ("Scottish Finance Minister Tom McCabe MSP", "Tom McCabe")])
def test_thirteenth_pass_letters_after_a_name_are_no_part_of_it(run, name):
    assert person_or_org(run) == name


def test_thirteenth_pass_an_acronym_is_spelled_out_across_the_commas_of_a_list():
    """`The State Administration of Radio, Film and Television (SARFT) …. The SARFT said: “…”`: the body's full name."""
    article = from_paragraphs("The State Administration of Radio, Film and Television (SARFT), which regulates "
                              "broadcasting, plans to move all programmes to digital.",
                              "The SARFT said: \"There is a very strong ideological component to production.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["State Administration of Radio, Film and Television"]


@pytest.mark.parametrize("sentence, speaker", [
    ("Scottish Finance Minister, Tom McCabe MSP, said: \"We announced an additional £419m for councils.\"", "Tom McCabe"),
    ("The new chairman of the Bar Council, Guy Mansfield QC warned there was a real risk that people on the \"margins of "
     "society\" would be driven to extremes.", "Guy Mansfield")])
def test_thirteenth_pass_a_role_then_a_name_with_letters_after_it_is_that_person(sentence, speaker):
    """"MSP", "QC" after the appositive name made it read as a body (an acronym) and the role was taken instead: BBC read
    samples +8 right for +2 answers, PolNeAR unchanged."""
    article = from_paragraphs("Mark Oaten spoke in Leeds on Monday.", sentence)
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == [speaker]


def test_thirteenth_pass_a_participles_words_are_its_clauses_subjects():
    """`Roddick paid tribute to Hewitt, saying: “…”`: the subject of the clause the participle ends, not the name
    after its verb (which the rules read as `Kremlin spokesman Dmitry Peskov`, a role then the name); an adverb may
    stand before that verb (`Groening recently heaped praise on the show, saying:`)."""
    article = from_paragraphs("Andy Roddick beat Lleyton Hewitt on Monday.",
                              "Roddick paid tribute to Hewitt, saying: \"He has had a tough couple of years.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Andy Roddick"]


@pytest.mark.parametrize("surname", ["Groening", "From", "King"])
def test_thirteenth_pass_a_known_surname_is_that_person_though_it_reads_as_a_word(surname):
    """"Groening" ends like a gerund ("Taking …"), "From" is a function word, "King" a title: once the article names
    "Matt Groening", `Groening said` is him (BBC read samples +6 right for +5 answers, PolNeAR train +5 for +8)."""
    article = from_paragraphs(f"Ricky Gervais met Matt {surname} in Los Angeles.",
                              f"{surname} recently praised the show, saying: \"Everybody on The Simpsons is a fan.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == [f"Matt {surname}"]


def test_thirteenth_pass_the_company_is_no_country():
    """`In the US last year, revenue grew by 1.5% "…", the company said`: "the company" is the last body named
    before, never a country's acronym (BBC read samples +1 right for -1 answer)."""
    article = from_paragraphs("Shares in Unilever Group fell on Monday.",
                              "In the US last year, revenue grew by 1.5% \"despite disappointing sales in Slimfast\", "
                              "the company said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Unilever Group"]


def test_thirteenth_pass_the_one_described_after_an_opening_phrase_is_the_one_the_story_follows():
    """`Reacting to a comment by … Tim Phillips, the American said: “…”`: the subject after the opening phrase's comma
    may be someone described, not only a name or a pronoun (BBC read samples +6 right for +3 answers, PolNeAR unchanged)."""
    article = from_paragraphs("Andy Roddick won in Dubai on Monday.",
                              "Reacting to a disputed comment by All England Club chairman Tim Phillips, the American said: "
                              "\"I think it is highly insulting if prize money is taken away.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Andy Roddick"]


def test_thirteenth_pass_and_he_said_is_the_subject_of_its_own_clause():
    """`O'Leary has been in talks over a new deal and he said: "…"`: "he" after "and" is the verb's subject (BBC read
    samples +4 right for +4 answers, PolNeAR train +2 for +5)."""
    article = from_paragraphs("Aston Villa boss David O'Leary spoke on Monday.",
                              "O'Leary has been in talks over a new deal and he said: \"I had a message from the agent.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["David O'Leary"]


@pytest.mark.parametrize("role", ["the Liverpool player", "the 19-year-old star", "the Leeds veteran"])
def test_thirteenth_pass_more_sport_roles_mean_the_one_the_story_follows(role):
    """`,” said the Liverpool player.`: a player, star, youngster, teenager, veteran, international, batsman or bowler
    nobody holds as a title is the one the story follows, like "the striker" (BBC read samples +12 right for +12
    answers, PolNeAR unchanged); the next paragraph's quotation goes on with him."""
    article = from_paragraphs("Steve Finnan believes Ireland can qualify for the finals.",
                              f"\"There is a chance for us now to go on and win the group,\" said {role}.",
                              "\"On paper, we have got the toughest matches out of the way.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Steve Finnan", "Steve Finnan"]


@pytest.mark.parametrize("said", ["said Bank of Japan chief Toshihiko Fukui",
                                  "said Swedish trades union official Toshihiko Fukui",
                                  "said SEC deputy enforcement director Toshihiko Fukui"])
def test_fourteenth_pass_four_words_of_role_may_stand_between_said_and_the_name(said):
    """`"…," said Bank of Japan chief Toshihiko Fukui, despite …`: the role may take four words, not three (it was "Bank",
    followed by "of"); "to" is never one of them (`said one longtime adviser to Bill Clinton` is nobody named). BBC read
    samples (1 008 articles) +7 right for +4 answers, PolNeAR train +2 for +2, dev unchanged."""
    article = from_paragraphs("Japan's economy grew in the last quarter.",
                              f"\"Overall I see a low risk of the economy falling into recession,\" {said}, despite warning "
                              "of weak exports.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Toshihiko Fukui"]
    adviser = from_paragraphs("Bill Clinton spoke in Ohio.",
                              "\"This is eerily similar to the first debate in 2000,\" said one longtime adviser to Bill Clinton.")
    assert extract_quotes(adviser, ranker=None) == []


def test_fourteenth_pass_an_appositive_may_open_with_a_bodys_name():
    """`"…," Peter Williams, CML deputy director, said.`: an appositive that opens with a body's capitals (no "'s") is
    still the named one's (it was the CML); a list of names (`Tom Brown, Dick Smith and …`) still is not (BBC read
    samples +2 right for +1 answer; PolNeAR unchanged)."""
    article = from_paragraphs("The Council of Mortgage Lenders (CML) said lending was down sharply.",
                              "\"These figures show beyond doubt the recent slowdown in the housing market,\" Peter Williams, "
                              "CML deputy director, said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Peter Williams"]


def test_fourteenth_pass_an_appositive_may_open_with_from_or_of():
    """`Explaining why …, Toshihiko Horiuchi, from Hitachi's Mechanical Engineering Research Laboratory, said: "…"`: the
    named one, not the body his appositive names (BBC read samples +2 right for no more answers, PolNeAR train and dev
    +1 right for +1 answer each)."""
    article = from_paragraphs("Hitachi showed its new robot, Emiew, in Tokyo.",
                              "Explaining why Hitachi's Emiew used wheels instead of feet, Toshihiko Horiuchi, from Hitachi's "
                              "Mechanical Engineering Research Laboratory, said: \"We aimed to create a robot that could live "
                              "and co-exist with people.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Toshihiko Horiuchi"]


def test_fourteenth_pass_a_known_surname_that_reads_as_a_gerund_introduces_its_words():
    """`And Yelling says: "…"`: "Yelling" opens the clause like "Speaking" would, but the article named Liz Yelling, so
    the words are hers, not the last speaker's (BBC read samples +2 right for one answer fewer, PolNeAR train +1 for
    +1); an opening gerund (`Speaking, …`) that names nobody still gives no one."""
    article = from_paragraphs("Liz Yelling is a runner. Hugh Richards is a coach. \"How you respond is what marks you out,\" "
                              "argues Richards.",
                              "\"One of the challenges is how you turn them into opportunities.\" And Yelling says: \"I think "
                              "this will probably make Paula.\" \"I think it will drive her on.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Hugh Richards", "Hugh Richards",
                                                                         "Liz Yelling", "Liz Yelling"]


@pytest.mark.parametrize("next_sentence", [
    "Education Secretary Ruth Kelly said Prof Aynsley-Green would strengthen the voice of children.",
    "The Making Decisions Alliance, which includes Age Concern, said the bill was needed.",
    "And Ruth Kelly, who takes on the job on Monday, conceded that it would be hard."])
def test_fourteenth_pass_a_sentence_after_a_full_stop_is_not_the_attribution_whatever_follows_its_verb(next_sentence):
    """The thirteenth pass's rule (`"…mark." Nathan Douglas continued his progress`) read only a small letter after the
    verb; a capital (`said Prof Aynsley-Green would`) or a name with its appositive (`The Making Decisions Alliance,
    which includes …, said the bill`) opens the next sentence just the same: the words go on with the one quoted before
    (BBC read samples +9 right for one answer fewer, PolNeAR train +3 for 0, dev unchanged)."""
    article = from_paragraphs("Al Aynsley-Green is the new children's commissioner.",
                              "\"I will be drawing on my experience,\" he said. \"I want all children to know that they can "
                              f"come to me.\" {next_sentence}")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Al Aynsley-Green", "Al Aynsley-Green"]


@pytest.mark.parametrize("quoted", ["the newspaper quoted Qantas chief executive Geoff Dixon as saying",
                                    "the Interfax news agency quoted Mr Dixon as saying via his lawyers",
                                    "Arab News quoted Geoff Dixon as saying"])
def test_fourteenth_pass_an_outlet_quoting_someone_as_saying_gives_that_someones_words(quoted):
    """`"…," the newspaper quoted Qantas chief executive Geoff Dixon as saying.`: the words are Dixon's, not the
    outlet's (BBC read samples +4 right for +2 answers; PolNeAR has none)."""
    article = from_paragraphs("Qantas chief executive Geoff Dixon spoke on Monday.",
                              f"\"We're going to have to get the lowest cost structure we can,\" {quoted}.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Geoff Dixon"]


@pytest.mark.parametrize("verb", ["thanked fans", "praised Gibson's move as", "hailed the plan as"])
def test_fourteenth_pass_thanking_and_praising_name_the_words_that_follow(verb):
    """`Andre 3000 thanked fans "for supporting OutKast"`, `Frank Pierson praised Gibson's move as a "…"`: like "called"
    and "described", the words after are the subject's (with the plural rule below, BBC read samples +4 right for no
    more answers, PolNeAR train +2 for one fewer, dev one wrong answer fewer)."""
    article = from_paragraphs("Academy president Frank Pierson spoke in Los Angeles.",
                              f"Frank Pierson {verb} \"a celebration and appreciation of excellence\".")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Frank Pierson"]


@pytest.mark.parametrize("subject", ["Legitimate Bollywood film distributors have", "Microsoft executives"])
def test_fourteenth_pass_a_name_then_a_plural_noun_is_people_described_not_the_name(subject):
    """`Legitimate Bollywood film distributors have hailed the conviction as "…"`: people described, never named, so
    nobody (it was "Legitimate Bollywood"); `And Henry afterwards described` is still Henry."""
    article = from_paragraphs("Shah Rukh Khan starred in Mohabbatein.",
                              f"{subject} hailed the conviction as \"a major boost for the whole industry\".")
    assert extract_quotes(article, ranker=None) == []
    henry = from_paragraphs("Thierry Henry scored twice against Fulham.",
                            "And Henry afterwards described the display as \"beautiful to watch\".")
    assert [q.speaker for q in extract_quotes(henry, ranker=None)] == ["Thierry Henry"]


def test_fourteenth_pass_he_is_someone_with_a_first_name_before_a_name_without_one():
    """`… according to John Houlihan, editor of the magazine. "…, and Nintendo has created quite a buzz," he says.`:
    "he" is the last person of his gender, and a name of no known gender with no first name ("Nintendo", "Vote Tory",
    "Cadena Cope") is taken only when nobody else is near (BBC read samples +6 right for no more answers, PolNeAR
    train and dev unchanged in count; it costs `Jez Moxey`, whose first name is not on the lists)."""
    article = from_paragraphs(
        "Nintendo said the console would sell well in Europe. Nintendo raised its sales targets for the DS.",
        "More than 120 games are in development for the new console, Nintendo has said. Nintendo has also announced a "
        "media adapter, which will allow the console to play music and video on the move.",
        "The launch price of £99 (149 euros) compares favourably with the US price of $149, according to John Houlihan, "
        "editor of the Computerandvideogames.com magazine. \"It's a very, very competitive price point. There are some "
        "innovative features, and Nintendo has created quite a buzz,\" he says.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["John Houlihan"]


def test_fourteenth_pass_the_acronym_a_quotation_is_given_to_is_spelled_out_after_an_opening_word():
    """`Meanwhile, the International Monetary Fund (IMF) said …. "…," the IMF said.`: the body's full name; the opening
    "Meanwhile," was read as the first item of a name's list, so "IMF" was never spelled out; and "the IMF" found as a
    body named before is spelled out too (`GM said …. "…," the company said`: General Motors). BBC read samples +2 right
    for no more answers; PolNeAR unchanged."""
    article = from_paragraphs(
        "President Kumaratunga said it was now important to find a peaceful solution. Meanwhile, the International "
        "Monetary Fund (IMF) said damage from the tsunami would cut growth.",
        "\"The broader macroeconomic impact will clearly be substantial,\" the IMF said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["International Monetary Fund"]


def test_fourteenth_pass_a_role_may_join_two_words_with_and_between_a_body_and_the_name():
    """`"…," GM chairman and chief executive Rick Wagoner said in a statement.`: "and" may join the role's words (the
    attribution was missed and the quotation went to General Motors, named before). BBC read samples +2 right for +1
    answer; PolNeAR unchanged."""
    article = from_paragraphs("General Motors (GM) said its profits were hit by higher healthcare costs.",
                              "\"GM reported solid overall results in 2004, despite challenges,\" GM chairman and chief "
                              "executive Rick Wagoner said in a statement.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Rick Wagoner"]


def test_fourteenth_pass_a_titled_name_in_the_sentence_before_comes_before_the_paragraphs_last_speaker():
    """`"…," he said. Shadow sports minister Lord Moynihan said the policy would …. "…"`: the quotation follows the
    sentence of Lord Moynihan's speech verb, so it is his, though the article names him by title only (a full name or
    a body was needed; BBC read samples +1 right for no more answers; PolNeAR unchanged)."""
    article = from_paragraphs(
        "Shadow health secretary David Davis spoke in London. \"Britain has the fastest growing rate of obesity,\" he said. "
        "Shadow sports minister Lord Moynihan said the policy would empower local clubs. \"We aim to shift the emphasis "
        "on after-school sport.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["David Davis", "Moynihan"]


def test_fourteenth_pass_of_someone_comma_opens_the_sentence_before_its_subject():
    """`Of Sanders, McCaskill said a lot of voters would find it "…"`: "Of …," is an opening phrase like "On …,", so the
    speaker is the name after its comma (PolNeAR train +3 right for +2 answers; BBC unchanged)."""
    article = from_paragraphs("Bernie Sanders and Claire McCaskill campaigned in Missouri.",
                              "Of Sanders, McCaskill said a lot of voters in her state would find it \"very hard to look "
                              "past\" his self-description.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Claire McCaskill"]


def test_fourteenth_pass_bemoaned_is_a_speech_verb():
    """`Rubio also bemoaned the current political climate in which people "literally hate each other"` (PolNeAR train +2
    right for +2 answers, BBC unchanged)."""
    article = from_paragraphs("Marco Rubio spoke in Miami.",
                              "Rubio also bemoaned the current political climate in which people \"literally hate each "
                              "other\" because they differ politically.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Marco Rubio"]


def test_fourteenth_pass_comma_and_then_a_name_is_the_subject_of_its_own_clause():
    """`The crowd cheers, and then Wallnau continues: "…"`, `Toure was also at fault, and Wenger said: "…"`: the name
    after ", and" is the speech verb's subject, as after ", but" (PolNeAR train +2 right for +3 answers, BBC read
    samples +1 for +1)."""
    article = from_paragraphs("Lance Wallnau spoke to the crowd in Orlando.",
                              "The crowd cheers, and then Wallnau continues: \"God has given this man an anointing.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Lance Wallnau"]


def test_fourteenth_pass_the_spokesman_of_someone_described_is_nobody():
    """`Asked about Sir Ian's comments, the prime minister's official spokesman said: "…"`: like `Tony Blair's official
    spokesman`, someone never named, not the last person named (BBC read samples 2 wrong answers fewer, none right
    lost; PolNeAR unchanged)."""
    article = from_paragraphs("Home Secretary Charles Clarke has also warned that a bombing could happen in the UK too. "
                              "Asked about Sir Ian's comments, the prime minister's official spokesman said: \"We believe "
                              "the threat is real.\"")
    assert extract_quotes(article, ranker=None) == [] and extract_quotes(article) == []


def test_fourteenth_pass_he_after_an_unnamed_official_is_that_official():
    """`"…," said a Juventus official, who declined to be named. "…," he added.`: an official, a source or an aide has no
    known gender, but as the nearest subject "he" means them — nobody we can name — not the man named before (BBC read
    samples one wrong answer fewer; PolNeAR unchanged)."""
    article = from_paragraphs("Adrian Mutu is in talks with Juventus.",
                              "\"He will watch the match between Juventus and Fiorentina,\" said a Juventus official, who "
                              "declined to be named. \"Then he will meet some important people of the club,\" he added.")
    assert extract_quotes(article, ranker=None) == []


@pytest.mark.parametrize("said", ["said ABN Amro chief Asian strategist Eddie Wong",
                                  "points out former Olympian and BBC pundit Eddie Wong",
                                  "wrote Post White House bureau chief Eddie Wong"])
def test_fourteenth_pass_a_role_of_up_to_six_single_words_stands_between_the_verb_and_the_name(said):
    """The words between a speech verb and the name after a quotation are read one word at a time, up to six: a run of
    capitalised words was one "word" before, so a run of 150 of them with no name at its end took 14 s to give up
    (a match tried every way of cutting it; now 0.2 s, `bench/hostile_quotes.py`). Six single words reach further
    than four runs did (`ABN Amro chief Asian strategist`): BBC read samples +7 right for +5 answers, PolNeAR train +4
    for +4, dev unchanged."""
    article = from_paragraphs("The tsunami will have little impact on Asia's listed companies.",
                              f"\"Obviously with a lot of loss of life, a lot of damage has been done,\" {said}.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Eddie Wong"]


def test_fifteenth_pass_a_name_reported_with_an_honorific_is_no_subject():
    """`Noel Dempsey, the minister, said Mr Ahern had been "…". “…,” he said.`: "Mr Ahern" opens the clause Dempsey
    reports, so "he" is Dempsey; the honorific used to hide the speech verb before the name. A comma after the name
    keeps it the subject of an inverted aside (`The answer, says Prof Brewer, is wi-fi.`). BBC read articles (1 344)
    +7 right, PolNeAR train and dev unchanged."""
    article = from_paragraphs(
        "Bertie Ahern set up the lab in 2000.",
        "Noel Dempsey, the government's communications minister, said Mr Ahern had been \"very committed\" to the "
        "project. \"He is, I know, very disappointed it has come to this,\" he said.",
        "Eric Brewer teaches at Berkeley. The answer, says Prof Brewer, is wi-fi. \"We're looking at the hotspots,\" "
        "he says.")
    assert [(q.text, q.speaker) for q in extract_quotes(article, ranker=None)
            if q.text != "very committed"] == [
        ("He is, I know, very disappointed it has come to this", "Noel Dempsey"),
        ("We're looking at the hotspots", "Eric Brewer")]


def test_fifteenth_pass_the_athlete_is_the_one_the_sentences_before_are_about():
    """`,” said the Newport-based athlete.`: an athlete is someone a sports story follows, as a striker or a sprinter
    is (`DESCRIBED_ROLES`). BBC read articles (1 344) +4 right for +1 answer, PolNeAR train and dev unchanged."""
    article = from_paragraphs(
        "Jason Gardener won the race. Darren Campbell agreed the honour capped a difficult year.",
        "\"I think the MBE is important,\" said the Newport-based athlete.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Darren Campbell"]


@pytest.mark.parametrize("sentence, speaker", [
    ("Tory MP David Davis echoed criticisms of the way Mr Blunkett introduced the rules.", "David Davis"),
    ("Noel Dempsey, the minister, insisted Mr Blunkett has been very committed to the project.", "Noel Dempsey"),
    # not past a clause of its own, nor a head that is no subject
    ("David Davis scored early and Blunkett has sympathised with the losers.", "David Blunkett"),
    ("David Davis was sacked on Friday - a move Mr Blunkett has backed.", "David Blunkett"),
    ("David Davis's lawyer Mr Blunkett said the charges were unfounded.", "David Blunkett"),
    ("If David Davis did not take part, the debate would go ahead, Mr Blunkett said.", "David Blunkett")])
def test_fifteenth_pass_he_is_whom_the_sentence_is_about_not_a_subject_inside_it(sentence, speaker):
    """"he" after a sentence means the person its head names when someone else of the same gender is the subject of a
    clause inside it (`_head_of_sentence`). BBC read articles (1 344) +25 right, PolNeAR train +18 and dev +3;
    reported speech dev P 0.824 -> 0.833."""
    article = from_paragraphs("David Blunkett and David Davis met on Monday.",
                              f"{sentence} \"There is genuine concern about the reductions,\" he said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == [speaker]


def test_fifteenth_pass_an_acronym_is_spelled_out_by_a_name_that_opens_a_paragraph():
    """"The SFA said:" is the Scottish Football Association's when a paragraph opens with that name: the capitalised run
    an acronym may stand for ran on over the line break from the headline before ("Mikoliunas ¶ The Scottish …").
    BBC read articles (1 344) +3 right, PolNeAR unchanged."""
    article = from_paragraphs("SFA awaits report on Mikoliunas",
                              "The Scottish Football Association is awaiting the referee's report.",
                              "The SFA said: \"Once the referee's report comes in then we'll immediately look at things.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Scottish Football Association"]


def test_fifteenth_pass_a_role_owned_by_a_name_ending_in_an_apostrophe_is_no_bar_to_the_name_after_it():
    """`Hearts' boss John Robertson said: “…”` is Robertson's, as `Hearts boss John Robertson said` was: the owner's
    apostrophe (no part of a name) stood between the run and the role. BBC read articles (1 344) +4 right for no new
    answer, PolNeAR unchanged."""
    article = from_paragraphs("The SFA is certain to act. Hearts' boss John Robertson said: \"Mikoliunas has thrown his "
                              "chest against the assistant referee's chest and got a red card for it.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["John Robertson"]


def test_fifteenth_pass_narration_opened_by_someone_else_hands_the_paragraph_to_them():
    """A quotation opening a sentence after narration opened by someone other than the paragraph's last speaker
    is theirs ("narrated"), not carried on from the speaker before. BBC read articles (1 344) +9 right for -1 answer,
    PolNeAR train +2, dev unchanged."""
    article = from_paragraphs(
        "Lord Butler attacked the government's style.",
        "\"I would be critical of the present government,\" Robin Butler said. \"It has too much freedom.\" Michael "
        "Howard described the intervention as very important. \"This is from someone who was an insider.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Robin Butler", "Robin Butler",
                                                                         "Michael Howard"]


@pytest.mark.parametrize("paragraph", [
    "\"The Cabinet is still used to reach a consensus,\" said the prime minister's official spokesman.",
    "The prime minister's official spokesman denied the claim. \"The Cabinet is still used to reach a consensus,\" he "
    "said."])
def test_fifteenth_pass_the_spokesman_of_someone_in_small_letters_is_never_named(paragraph):
    """An owner in small letters (`the prime minister's official spokesman`) makes a spokesperson as unnamed as a named
    owner does (`Mr Blair's spokesman`) as whom "he" means too (`_SOMEONE_MENTIONED` takes `_OWNER_OF_SPOKESPERSON`);
    after a quotation `_UNNAMED_AFTER` read it already. BBC read articles (1 344) 2 fewer wrong answers, PolNeAR
    unchanged."""
    article = from_paragraphs("Tony Blair defended his style of government.", paragraph)
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == []


@pytest.mark.parametrize("sentence, speaker", [
    ("Sanders compared the plan to \"a rigged economy that works for the few\" in his speech.", "Bernie Sanders"),
    ("Sanders blamed the anti-fracking law on \"knuckleheaded Democratic politicians\" at the rally.", "Bernie Sanders"),
    # a plural noun is no verb, a copula no act, and another name or a clause may be the speaker
    ("Sanders supporters responded with chants of \"feel the Bern all night long\" in the hall.", None),
    ("Sanders was not one for \"hanging around in the hallways\" that week.", None),
    ("Sanders met Hillary Clinton after her \"strong and determined campaign\" in the primary.", None),
    ("Sanders visited the plant, which critics call \"a monument to waste and greed\" in the area.", None)])
def test_fifteenth_pass_a_fragment_is_the_words_of_the_person_whose_act_opens_its_sentence(sentence, speaker):
    """The rules' last resort ("acted"): a person opening the quotation's own sentence with a verb of any kind, nothing
    after the verb that may be someone else's act. PolNeAR train +20 right for +22 answers, BBC read articles (1 344)
    +6 for +8, dev 0 for +1."""
    article = from_paragraphs("Sanders in New York", "Vermont senator Bernie Sanders campaigned in New York on Monday.",
                              sentence)
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ([speaker] if speaker else [])


@pytest.mark.parametrize("said, speaker", [("the singer said", "Simon Le Bon"),
                                           ("the prime minister told BBC One's Breakfast with Frost", "Simon Le Bon")])
def test_fifteenth_pass_a_politician_or_a_singer_described_is_the_one_the_story_follows(said, speaker):
    """`,” the singer said.`, `,” the prime minister told BBC One`: roles BBC copy gives the person the sentences before
    are about, with no one titled so (`DESCRIBED_ROLES`), as sport's "the defender" is. BBC read articles (1 344) +10
    right for +13 answers, PolNeAR train +4 for +5, dev +2 for +2."""
    article = from_paragraphs("Duran Duran return", "Simon Le Bon said the group were not trying to update their sound.",
                              f"\"We wouldn't want to lose them by trying too hard,\" {said}.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == [speaker]


@pytest.mark.parametrize("headline", ["Clinton Wades In: Urges Britain to Remain In European Union",
                                      "17 Of The Most Powerful Things Latinos Said In 2015"])
def test_sixteenth_pass_a_title_case_headline_names_nobody_ending_in_a_small_word(headline):
    """A headline in title case capitalises its small words ("Wades In", "Said In"), and a first name before one
    ("Clinton", "Said") made a person of them whom "he" then meant; "Al From" in a sentence stays a person.
    PolNeAR train +4 right for no more answers, BBC read articles (1 344) +3 ("John I", "Love Below")."""
    article = from_paragraphs(headline, "Take a look at what John Leguizamo and Zoe Saldana said.",
                              "In a conversation about his comedy project, the actor discussed history lessons. "
                              "\u201cYou don\u2019t hear about George Washington,\u201d he said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["John Leguizamo"]


def test_sixteenth_pass_a_person_ending_in_a_small_word_is_still_named_in_a_sentence():
    article = from_paragraphs("Democrats look back", "Al From founded the Democratic Leadership Council in 1985.",
                              "\u201cWe had to change the party,\u201d he said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Al From"]


@pytest.mark.parametrize("sentence, speaker", [
    ("Stacy Baker of Columbia, South Carolina says she thinks Cruz can win if he keeps \u201cdoing what he\u2019s doing.\u201d",
     "Stacy Baker"),
    ("CBC Chairman G.K. Butterfield of North Carolina said he was outraged, arguing that \u201celiminating "
     "superdelegates would be discriminatory.\u201d", "G.K. Butterfield"),
    ("\u201cWe\u2019re a nation of lazy so-and-sos,\u201d David Noone from Intervoice said.", "David Noone"),
    ("\u201cWe\u2019re not yet there,\u201d Edward Alden of the Brookings Institution said.", "Edward Alden"),
    # a role, then where it is, then the name: the name after it still speaks
    ("Director of television Jana Bennett said the changes were about \u201cgetting the best ideas on screen\u201d.",
     "Jana Bennett")])
def test_sixteenth_pass_a_person_of_a_place_or_a_body_speaks_not_the_place(sentence, speaker):
    """`Name of Place[, Place] says`, `Name from Body said`: the person speaks; the place or body after "of" or "from"
    had been taken as the subject, and `,” David Noone from Intervoice said.` was nobody's. PolNeAR train +3 right for +2
    answers (one of them a scare quote the gold leaves out), dev +1 for +1, BBC read articles (1 344) +5 for -1 answer."""
    article = from_paragraphs("Voters speak", sentence)
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == [speaker]


def test_sixteenth_pass_a_middle_initial_ends_no_sentence_before_a_quotation():
    """`Michael J. Petrilli, president of the Thomas B. Fordham Institute, tied …, saying the law helped “…”`: the
    initials' full stops had split the sentence, leaving the institute as the subject. PolNeAR train +2 right for +1
    answer, dev -1 for -1 (`the famous story John F. Kennedy told about his father who wired, "…"` had been right
    by that split), BBC read articles unchanged."""
    article = from_paragraphs("Schools", "Michael J. Petrilli, president of the Thomas B. Fordham Institute, tied those "
                              "test scores to graduation rates, saying the law helped \u201cmillions of kids who would "
                              "have dropped out.\u201d")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Michael J. Petrilli"]


@pytest.mark.parametrize("opening", ["Less than 30 minutes later", "Minutes after she was booed at a breakfast",
                                     "Shortly before the vote", "Within an hour"])
def test_sixteenth_pass_a_time_phrase_before_a_comma_opens_the_sentence_before_its_subject(opening):
    """`Less than 30 minutes later, Trump wrote, "…"`: the words before the comma only say when, as "Earlier," does.
    PolNeAR train +2 right for +2 answers, dev and BBC read articles (1 344) unchanged."""
    article = from_paragraphs("Trump rips host", "Scarborough retweeted the message.",
                              f"{opening}, Trump wrote, \"I hear the host is pushing hard for a third party candidate.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Trump"]


@pytest.mark.parametrize("sentence, speaker", [
    ("In a press conference, Trump launched an attack on Obama, calling him \u201cthe most ignorant president in our "
     "history.\u201d", "Donald Trump"),
    ("Romney fired back in March, attacking Trump for \u201cthe greed, the showing off, the misogyny.\u201d", "Mitt Romney"),
    # the participle's own subject, not a name in its clause's object
    ("The rally went on for an hour, calling Obama \u201cthe most ignorant president in our history.\u201d", None)])
def test_sixteenth_pass_a_participle_that_names_or_judges_gives_its_clause_subject_the_words(sentence, speaker):
    """`Trump went after Bush, calling him “a total stiff.”`, `Romney fired back, attacking Trump for “…”`: as "saying"
    does, "calling", "describing", "attacking", "praising" … give the words to the subject of the clause before the
    comma. PolNeAR train +6 right for +6 answers, dev and BBC read articles (1 344) unchanged."""
    article = from_paragraphs("Trump and Romney", "Donald Trump and Mitt Romney have clashed for months.", sentence)
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ([speaker] if speaker else [])


@pytest.mark.parametrize("verb", ["assured", "affirmed"])
def test_sixteenth_pass_assured_and_affirmed_are_speech_verbs(verb):
    """`"Your reputation is amazing," Trump assured Jones.` Tried alone on PolNeAR train with 31 others: "assured" +3
    right for +3 answers, "affirmed" +1 for +1; BBC read articles (1 344) -1 for +1 (`assured Mr Wallace` found, then
    "he" two quotations on given to him, not to the director named between)."""
    article = from_paragraphs("Trump on the radio", f"\"Your reputation is amazing,\" Trump {verb} Jones on Wednesday.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Trump"]


def test_sixteenth_pass_a_participle_after_a_titled_subject_is_the_subjects():
    """`Former Secretary of State Madeleine Albright recently urged women to vote for Hillary Clinton, saying, “…”`: the
    title's "of" had hidden the subject, and the name in the object took the words. PolNeAR train +1 right, no more
    answers; dev and BBC read articles (1 344) unchanged."""
    article = from_paragraphs("Albright", "Former Secretary of State Madeleine Albright recently urged women to vote for "
                              "Hillary Clinton, saying, \u201cThere\u2019s a special place in hell for women who don\u2019t "
                              "help each other.\u201d")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Madeleine Albright"]


@pytest.mark.parametrize("after, speaker", [("until Haley said she was backing Rubio", "Jason Sims"),
                                             ("when Haley said she was backing Rubio", "Jason Sims"),
                                             # a role before the name is no other clause
                                             ("state governor Nikki Haley said", "Nikki Haley")])
def test_sixteenth_pass_a_name_after_a_subordinator_past_the_quotation_opens_another_clause(after, speaker):
    """`Sims says he was “kind of riding the fence” until Haley said she …`: the name after "until", "when", "because" …
    is the subject of another clause, not the speaker the quotation ends on. PolNeAR train +1 right, no more answers;
    BBC read articles (1 344) +2 right, no more answers (`Labour say a Lib Dem vote could "…", while the Tories say`)."""
    article = from_paragraphs("South Carolina votes", "Jason Sims, 45, a builder, voted on Saturday.",
                              f"Sims says he was \u201ckind of riding the fence on the vote\u201d {after}.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == [speaker]


def test_sixteenth_pass_a_writing_no_one_is_named_for_speaks_not_the_person_before():
    """`Lewandowski also said he appreciated Trump’s “loyalty”. The campaign’s statement then declares “…”`: the
    statement speaks, whose it is in small letters; the person a sentence before had been given its words. PolNeAR
    train one wrong answer fewer, dev and BBC read articles (1 344) unchanged."""
    article = from_paragraphs("Charges dropped", "Corey Lewandowski also said he appreciated Trump\u2019s \u201cloyalty\u201d "
                              "and the support of his colleagues. The campaign\u2019s statement then declares \u201cthe "
                              "matter is now concluded.\u201d")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == []


def test_sixteenth_pass_a_capitalised_pronoun_with_a_contraction_is_nobody():
    """`It's a reminder …`, `He's telling allies …`: "It's" and "He's" had been read as names ("It", "He") and given
    quotations. PolNeAR train two wrong answers fewer, dev one."""
    assert person_or_org("It's") is None and person_or_org("He\u2019s") is None


@pytest.mark.parametrize("sentence", [
    "It's a reminder, Rogers said, that \"what matters in this life is more than winning for ourselves.\"",
    "The lesson, Rogers said, is that \"what matters in this life is more than winning for ourselves.\""])
def test_sixteenth_pass_the_name_an_aside_opens_with_speaks_the_sentence(sentence):
    """`It's a reminder, Rogers said, that “…”`: the name between the commas before the speech verb is the speaker, not
    the sentence's first word. With the rule above, PolNeAR train +6 right for +4 answers (one of them wrong: `Frank`
    given a fragment of Bill Clinton's in a list of his acts), dev one wrong answer fewer, BBC read articles unchanged."""
    article = from_paragraphs("Graduation", "Fred Rogers gave the commencement address in 2002.", sentence)
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Fred Rogers"]


def test_sixteenth_pass_a_titles_full_stop_mid_sentence_ends_no_name_after_the_verb():
    """`,” said former Pennsylvania Gov. and Democratic National Committee Chairman Ed Rendell.`: "Pennsylvania Gov"
    had been the name ending the clause at the title's full stop. PolNeAR train +2 right, no more answers; dev and BBC
    read articles (1 344) unchanged."""
    article = from_paragraphs("Surrogates", "\u201cThat\u2019s what he did in \u201908 and \u201912,\u201d said former "
                              "Pennsylvania Gov. and Democratic National Committee Chairman Ed Rendell.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Ed Rendell"]


def test_sixteenth_pass_a_relative_with_an_unknown_first_name_and_an_age_is_a_person_of_their_own():
    """`"…," Khizr Khan, 66, said` beside `Ghazala Khan`, named first: a first name the table does not know had made
    "Khizr Khan" a word before her surname ("Yet Trump" beside "Donald Trump"); an age says he is a person. PolNeAR train
    +6 right (one article), no more answers; dev and BBC read articles (1 344) unchanged."""
    article = from_paragraphs("The Khans speak", "Some Muslim women, including Ghazala Khan, wear a hijab.",
                              "\"People are pointing fingers at them,\" Khizr Khan, 66, said on Capital Download.",
                              "\"We have been sitting very quietly,\" Khizr Khan said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Khizr Khan", "Khizr Khan"]


def test_sixteenth_pass_a_role_means_the_one_titled_so_only_once_they_are_named():
    """`“…,” the senator said. Speaking later on the same show, Sen. Claire McCaskill …`: the one person the article
    titles "Sen." is named after the quotation, so "the senator" cannot mean her there. PolNeAR train one wrong answer
    fewer; BBC read articles (1 344) +5 right, no more answers (`The chancellor said` was the shadow chancellor, named
    later); dev unchanged."""
    article = from_paragraphs("Endorsements", "Bernie Sanders was asked about the establishment on CNN on Sunday.",
                              "\"That would be me, yes,\" the senator said. Speaking later on the same show, Sen. Claire "
                              "McCaskill said she had her doubts.")
    assert "Claire McCaskill" not in [q.speaker for q in extract_quotes(article, ranker=None)]


@pytest.mark.parametrize("adverb", ["later", "once", "then", "again"])
def test_sixteenth_pass_an_adverb_of_time_between_he_and_said_after_the_quotation(adverb):
    """`“…,” he later said.`, `“…,” he once said.`: the after-rule read only "also" there, and the quotation went to a
    speaker a sentence before (Manafort). PolNeAR train +1 right, BBC read articles (1 344) +1 for +1 answer."""
    article = from_paragraphs("The taco bowl", "Donald Trump was eating a taco bowl at his desk.",
                              "Paul Manafort cautioned against the tweet, and said so. The tweet went out. "
                              f"Trump himself was delighted. \u201cThe people who were offended were people we wanted "
                              f"to offend,\u201d he {adverb} said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Donald Trump"]


def test_sixteenth_pass_a_negated_verb_after_a_name_makes_it_the_subject():
    """`McConnell spokesman Don Stewart wouldn’t say when … “…,” he said.`: "wouldn’t" was no verb to the subject test,
    so "he" went to McConnell. PolNeAR train +2 right, no more answers; dev and BBC read articles (1 344) unchanged
    (with the rule below)."""
    article = from_paragraphs("Judges", "Senate Majority Leader Mitch McConnell let a judicial nominee get a vote.",
                              "McConnell spokesman Don Stewart wouldn\u2019t say when the Senate will vote again.\n"
                              "\u201cI don\u2019t have any new announcements yet,\u201d he said.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Don Stewart"]


def test_sixteenth_pass_narration_opened_by_he_or_she_hands_the_paragraph_to_nobody_new():
    """`"…," Obama said after meeting with Russian President Vladimir Putin. He didn't suggest retaliation. "…"`: "He"
    there is resolved from the names before it (Putin, as Obama is never named in full), so the "narrated" rule reads
    only names, not "he"/"she", as whom narration turned to. Dev +1 (kept right once "didn’t" became a verb)."""
    article = from_paragraphs("Hacking", "\"We've had problems with cyber intrusions from Russia,\" Obama said after "
                              "meeting with Russian President Vladimir Putin. He didn't suggest retaliation. \"Our goal is "
                              "not to duplicate a cycle of escalation.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Obama", "Obama"]


@pytest.mark.parametrize("said", ["he will say", "he would say"])
def test_sixteenth_pass_what_someone_will_say_is_theirs(said):
    """`“…,” he will say, according to excerpts of his speech`: a speech given out before it is made. PolNeAR train +3
    right for +3 answers, BBC read articles (1 344) +2 for +2 (`he will say = Howard`), dev unchanged."""
    article = from_paragraphs("Convention", "Barack Obama will speak on Wednesday night.",
                              f"\u201cUntil you\u2019ve sat at that desk, you don\u2019t know what it\u2019s like,\u201d {said}.")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Barack Obama"]


@pytest.mark.parametrize("run", ["That's", "That", "Iraqi", "Afghan"])
def test_sixteenth_pass_a_demonstrative_or_a_demonym_is_nobody(run):
    """`"… That's what I am telling people on the doorstep." His friend, Saxon Spence, … "…"`: "That's" had been a name
    and took the next quotation; "Iraqi" (`… Iraqi doctors. Observes Mr Hadi: "…"`) too. BBC read articles (1 344) two
    wrong answers fewer; PolNeAR train and dev unchanged."""
    assert person_or_org(run) is None


def test_sixteenth_pass_himself_between_a_subject_and_its_verb():
    """`Osbourne himself was at a loss to explain its popularity: "…"`: a reflexive between the subject and the verb
    (`_BEFORE_THE_VERB`, now also the colon rule's, whose own adverb list it was a near twin of). BBC read articles
    (1 344) +1 right for +1 answer; PolNeAR train and dev unchanged."""
    article = from_paragraphs("The Osbournes", "Ozzy Osbourne's show was a hit in the US.",
                              "Osbourne himself was at a loss to explain its popularity: \"I suppose Americans get a kick "
                              "out of watching a crazy Brit family.\"")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Ozzy Osbourne"]


@pytest.mark.parametrize("paragraph", [
    "Blumenthal was asked, \u201cIf you had known she had a personal server, would you have told her?\u201d",
    "In an interview, Blumenthal was asked, \u201cWhat\u2019s the most dangerous place you\u2019ve been to?\u201d\n"
    "Blumenthal joked that Brooklyn was his answer."])
def test_sixteenth_pass_a_question_put_to_someone_is_not_theirs(paragraph):
    """`Blumenthal was asked, “…”`: the passive puts the question to him ("acted" had given it to him), and the name
    opening the next line (`“…?” ¶ Trump joked that …`, a page whose paragraph keeps its line breaks, as PolNeAR's
    do) is the answerer, not the asker. PolNeAR train two wrong answers fewer; dev and BBC read articles (1 344)
    unchanged."""
    text = "Sidney Blumenthal spoke on CNN on Wednesday.\n\n" + paragraph
    article = Article(id="a", title="a", text=text, path="a", content_hash="",
                      paragraphs=(Paragraph(1, text[:44], 0), Paragraph(2, paragraph, 46)))
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == []


def test_sixteenth_pass_the_quotations_own_sentence_opened_by_someone_else_hands_them_the_paragraph():
    """`“…,” Chait said. In the depths of the Great Recession, Paul Ryan worried that the safety net was becoming “…”`:
    the "narrated" rule read only narration between two quotations; the quotation's own sentence, opened by another
    person as its subject, hands the paragraph to them too. BBC read articles (1 344) +14 right for -5 answers,
    PolNeAR train +2 for 0, dev +2 for 0."""
    article = from_paragraphs("Safety net", "\u201cThe white working class has failed capitalism,\u201d Jonathan Chait "
                              "said. Paul Ryan worried that the social safety net was becoming \u201ca hammock that lulls "
                              "able-bodied people to lives of dependency.\u201d")
    assert [q.speaker for q in extract_quotes(article, ranker=None)] == ["Jonathan Chait", "Paul Ryan"]
