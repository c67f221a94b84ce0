"""Name matching: however a user writes a name, it finds that person and nobody else."""

from __future__ import annotations

import pytest

from qabot.text.names import NameIndex, initials, matches, name_key, name_words


@pytest.mark.parametrize("name, key", [
    ("Konstantin Kosachev", "konstantin kosachev"),
    ("Maj. Gen. Qasem Soleimani", "qasem soleimani"),
    ("Retired Col. Viktor Mukrakhovsky", "viktor mukrakhovsky"),
    ("President Recep Tayyip Erdoğan", "recep tayyip erdogan"),
    ("Mr Blair", "blair"),
    ("Dr. Amira Fathy", "amira fathy"),
    ("KOSACHEV’S", "kosachev"),
])
def test_name_key_folds_case_diacritics_and_titles(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize("query", ["Kosachev", "kosachev", "KOSACHEV", "Konstantin Kosachev", "konstantin kosachev",
                                   "Kosachov", "Kosachév", "Senator Kosachev", "Mr. Kosachev", "Kosachev's"])
def test_every_way_of_writing_kosachev_finds_him(query):
    assert matches(query, "Konstantin Kosachev")


@pytest.mark.parametrize("query, speaker", [
    ("Bogdanov", "Konstantin Kosachev"),
    ("Kosachev", "Konstantin Bogdanov"),
    ("Konstantin Bogdanov", "Konstantin Kosachev"),
    ("Ivanka Trump", "Donald Trump"),
    ("Peskov", "Maxim Shepovalenko"),
    ("Ivan", "Ivanov Petrov"),  # typos are forgiven only in longer words
    ("Foreign Ministry", "Defence Ministry"),
    ("Walter Pozzebon", "Walker"),  # a one-word name is a surname, not a first name a letter away
    ("Tony Blair", "Tony"),
])
def test_other_people_and_bodies_do_not_match(query, speaker):
    assert not matches(query, speaker)


@pytest.mark.parametrize("query, speaker", [
    ("Russian Foreign Ministry", "Foreign Ministry"),
    ("the foreign ministry", "Egypt's Foreign Ministry"),
    ("Defence Ministry", "Turkish Defence Ministry"),
    ("de Vries", "Pieter de Vries"),
    ("Pieter Vries", "Pieter de Vries"),
    ("Erdogan", "Recep Tayyip Erdoğan"),
    ("Gen. Soleimani", "Qasem Soleimani"),
    ("Ben Carson", "Carson"),
    ("Konstantin Kosachov", "Kosachev"),
])
def test_organisations_particles_and_titles(query, speaker):
    assert matches(query, speaker)


def test_name_index_finds_the_same_names_as_matches():
    index = NameIndex(["Konstantin Kosachev", "Konstantin Bogdanov", "Foreign Ministry", "Maxim Shepovalenko"])
    assert index.find("kosachov") == ["Konstantin Kosachev"]
    assert index.find("Konstantin") == ["Konstantin Bogdanov", "Konstantin Kosachev"]
    assert index.find("the Russian Foreign Ministry") == ["Foreign Ministry"]
    assert index.find("Peskov") == []


def test_name_index_finds_each_name_and_its_typos_as_matches_does():
    names = ["Konstantin Kosachev", "Konstantin Bogdanov", "Tony Blair", "Gordon Brown", "Arsene Wenger",
             "Jose Mourinho", "Alex Ferguson", "Robert Kilroy-Silk", "Foreign Ministry", "Maxim Shepovalenko"]
    index = NameIndex(names)
    queries = names + [n.split()[-1] for n in names] + ["Mourihno", "Fergusson", "Wenjer", "Shepovalenka", "Bogdanow"]
    for query in queries:
        assert index.find(query) == sorted(n for n in names if matches(query, n)), query
    found = index.find("Kosachev")
    found.append("someone else")  # a caller's list is its own: the remembered lookup is unchanged
    assert index.find("Kosachev") == ["Konstantin Kosachev"]


def test_an_acronym_names_the_body_it_spells_out_and_no_name_is_an_acronym():
    """qabot writes a body by the name its article spells out ("UKIP" -> "UK Independence Party"), so a
    question asking by the acronym, as written or typed, still finds it; "McCain" is no acronym of anything."""
    assert initials("UK Independence Party") == "ukip" and initials("Department for Constitutional Affairs") == "dca"
    assert initials("Marks & Spencer") == "ms" and initials("Kosachev") == ""
    assert initials("Tony O'Malley") == "to" and not matches("tom", "Tony O'Malley")  # an apostrophe splits no word
    assert matches("UKIP", "UK Independence Party") and matches("UK Independence Party", "UKIP")
    assert matches("DrKW", "Dresdner Kleinwort Wasserstein")
    assert not matches("McCain", "Manchester City") and not matches("HuffPost", "Huffington Post")
    index = NameIndex(["UK Independence Party", "DCA", "Konstantin Kosachev", "Manchester City"])
    assert index.find("UKIP") == index.find("ukip") == ["UK Independence Party"]
    assert index.find("Department for Constitutional Affairs") == ["DCA"]
    assert index.find("McCain") == [] and index.find("MC") == ["Manchester City"]
    for query in ("UKIP", "ukip", "Department for Constitutional Affairs", "McCain", "MC", "Kosachev"):
        assert index.find(query) == sorted(n for n in index.words if matches(query, n)), query


def test_a_title_word_last_after_a_name_is_a_surname():
    """"Paul King" is not a Paul titled "King": the honesty bench's `What did Paul King say about net firms?` had
    matched every quoted Paul (Paul Sheard's words first) and answered not found when the index's quotes changed
    order (2026-12-03). A title before the name is still dropped."""
    assert name_words("Paul King") == ["paul", "king"] and name_words("Stephen King") == ["stephen", "king"]
    assert name_words("King Abdullah") == ["abdullah"] and name_words("Maj. Gen. Qasem Soleimani") == ["qasem", "soleimani"]
    assert matches("Paul King", "Paul King") and not matches("Paul King", "Paul Sheard")
