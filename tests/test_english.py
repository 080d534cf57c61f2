"""Faultless English: every clause rendered in English for every sector, with the sector's own
word for the worker, has the right a/an, one voice (the employer is "it", the employee
"they/their") and no word that hunspell en_GB does not know outside tests/spelling/words-en.txt."""
import re
import shutil
import subprocess

import pytest

from clausegen.terminology import _english_article

from test_spelling import allowed, texts as source_texts, words

# Letters of an abbreviation whose name starts with a vowel sound: "an RI&E", "an SBB", "a BBL".
VOWEL_LETTERS = set("AEFHILMNORSX")


def right_article(word: str) -> str:
    if re.fullmatch(r"[A-Z][A-Z&\d-]+s?", word.split("-")[0]):     # an abbreviation, spelt out
        return "an" if word[0] in VOWEL_LETTERS else "a"
    return _english_article(word)


@pytest.fixture(scope="module")
def english(library, library_texts):
    """Every English text as a draft renders it, and the texts no draft shows (titles,
    summaries, labels and help of parameters, sector descriptions) as they are written."""
    plain = [(where, re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " x ", text, flags=re.S))
             for where, text in source_texts(library, "en")]
    return list(library_texts("en")) + plain


def test_a_and_an_go_with_the_sound_of_the_next_word(english):
    wrong = []
    for where, text in english:
        for m in re.finditer(r"(?<!sub )(?<!item )(?<!point )\b([Aa]n?)\s+([\w&'-]+)", text):
            article, word = m.group(1).lower(), m.group(2)
            if word[0].isdigit() or word in ("per", "x"):
                continue
            if article != right_article(word):
                wrong.append((where, m.group(0)))
    assert not wrong, wrong[:10]


def test_one_voice_the_employer_is_it_and_the_employee_they(english):
    """No he, she, his or her anywhere: the employer is "it", a person "they"."""
    found = [(where, m.group(0)) for where, text in english
             for m in re.finditer(r"\b(he|she|his|him|himself|her|hers|herself)\b", text, re.I)]
    assert not found, found[:10]
    found = [(where, m.group(0)) for where, text in english
             for m in re.finditer(r"\bemployers? who\b", text, re.I)]
    assert not found, found[:10]


@pytest.mark.skipif(not shutil.which("hunspell"), reason="hunspell is not installed")
def test_every_rendered_word_is_british_english(library, english):
    names = sorted({n for s in library.sectors.values() for n in s.employers + s.unions},
                   key=len, reverse=True)        # the parties' names are names, not English
    found = {}
    for where, text in english:
        for name in names:
            text = text.replace(name, " ")
        for word in words(text):
            found.setdefault(word, where)
    result = subprocess.run(["hunspell", "-d", "en_GB", "-l"], input="\n".join(sorted(found)),
                            capture_output=True, text=True, check=True)
    unknown = sorted(set(result.stdout.split()) - allowed("en"))
    assert not unknown, [(w, found[w]) for w in unknown][:20]
