"""A sector's own word for the worker keeps the sentence right around it: a/an in English, de/het
(and the words that follow the gender) in Dutch, and the plural."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausegen.terminology import _rules, _sub_near, term_replacer

from rendered import texts


@pytest.mark.parametrize("source, expected", [
    ("For an employee who works part time", "For a staff member who works part time"),
    ("An employee's right; the employees' hours", "A staff member's right; the staff members' hours"),
    ("an older employee", "an older staff member"),          # the article goes with "older"
    ("a employee", "a staff member"),
])
def test_english_a_and_an_follow_the_replacement(source, expected):
    assert term_replacer({"employee": "staff member"})(source) == expected


def test_english_an_before_a_vowel_sound():
    replace = term_replacer({"staff": "employee", "member": "union representative",
                                    "worker": "hourly worker"})
    assert replace("a staff, a member and a worker") == \
        "an employee, a union representative and an hourly worker"


@pytest.mark.parametrize("source, expected", [
    ("De werknemer die ziek is.", "Het personeelslid dat ziek is."),
    ("een oudere werknemer en de oudere werknemer",
     "een ouder personeelslid en het oudere personeelslid"),
    ("Elke nieuwe werknemer, die begint.", "Elk nieuw personeelslid, dat begint."),
    ("deze werknemer, die werknemer; werknemers die", "dit personeelslid, dat personeelslid; "
                                                      "personeelsleden die"),
    ("De werkgever kan de werknemer vragen.", "De werkgever kan het personeelslid vragen."),
    ("een boventallige werknemer", "een boventallig personeelslid"),
])
def test_dutch_de_and_het_follow_the_replacement(source, expected):
    assert term_replacer({"werknemer": "personeelslid"})(source) == expected


def test_dutch_back_from_het_to_de():
    replace = term_replacer({"lid": "medewerker"})
    assert replace("Het lid dat vertrekt; elk nieuw lid; de leden") == \
        "De medewerker die vertrekt; elke nieuwe medewerker; de medewerkers"


def test_a_plural_the_sector_names_wins():
    replace = term_replacer({"werknemer": "arbeidskracht",
                                    "werknemers": "arbeidskrachten"})
    assert replace("de werknemer en de werknemers") == "de arbeidskracht en de arbeidskrachten"


def test_a_letter_that_only_folds_to_the_word_is_still_replaced():
    """Matching ignores case as Unicode does: the long s of "werknemerſ" and the Kelvin sign
    match "s" and "k" although their lower case differs. Such a text used to stop the
    build with an internal KeyError."""
    replace = term_replacer({"werknemer": "personeelslid"})
    assert replace("De werknemerſ en de wer\u212anemer die") == \
        "De personeelsleden en het personeelslid dat"


WRONG_EN = re.compile(r"\ban (staff|union|one)\b|\ba (employee|older|hour)\b", re.I)
WRONG_NL = re.compile(r"\b(de|deze|elke|iedere|welke)\s+(?:\w+e\s+)?personeelslid\b"
                      r"|\bpersoneelslid,?\s+die\b|\bpersoneelslids\b|\been\s+\w+e\s+personeelslid\b",
                      re.I)


def test_the_whole_library_in_english_with_staff_members(library):
    """Every clause for a sector that says "staff member": no "an staff member"."""
    found = [(where, m.group(0)) for where, text in
             texts(library, "vvt", "en", positions=("doel",), terminology={"employee": "staff member"})
             for m in WRONG_EN.finditer(text)]
    assert not found, found[:10]


def test_the_whole_library_in_dutch_with_a_het_word(library):
    """Every clause for a sector whose word is a het-word: no "de personeelslid"."""
    found = [(where, m.group(0)) for where, text in
             texts(library, "vvt", "nl", positions=("doel",),
                   terminology={"werknemer": "personeelslid"})
             for m in WRONG_NL.finditer(text)]
    assert not found, found[:10]


# The pattern is tried only near the words (_sub_near); it must replace exactly what trying it
# at every position (pattern.sub) replaces. Blanks of every kind, words inside other words,
# determiners and adjectives in front, case and Unicode case folding.
WORDS = [(("werknemer", "personeelslid"),), (("lid", "medewerker"),),
         (("employee", "staff member"),), (("werknemer", "arbeidskracht"),
                                           ("werknemers", "arbeidskrachten"))]
TOKENS = ["de", "De", "het", "een", "elke", "a", "An", "oudere", "nieuwe", "nieuw", "betrokken",
          "oudewerknemeren", "werknemer", "werknemers", "WERKNEMER", "xwerknemer", "(werknemer",
          "(de", "lid", "leden", "employee", "older", "die", "dat", ",", "-", "\u212a", "é"]
BLANKS = [" ", "  ", "\n", "\t", "\u00a0", "", ", ", " \r\n", "\x1c", "\u2028"]


@settings(max_examples=2000, deadline=None)
@given(words=st.sampled_from(WORDS),
       text=st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(BLANKS)), max_size=12))
def test_words_are_replaced_as_trying_everywhere_would(words, text):
    text = "".join(token + blank for token, blank in text)
    pattern, quick, replace = _rules(words)
    assert _sub_near(pattern, quick, replace, text) == pattern.sub(replace, text)
