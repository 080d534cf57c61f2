"""Spell check of every Dutch and English text in the built-in library (hunspell).

Dutch against nl_NL, English against en_GB (the library writes British legal English,
as translations of Dutch cao's do). Words hunspell does not know but that are right (legal
terms, organisation names, abbreviations) are in tests/spelling/words-LANG.txt, one per line,
reviewed like code. The test fails on any other unknown word and names where it stands.
"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest


HERE = Path(__file__).parent / "spelling"
DICTIONARIES = {"nl": "nl_NL", "en": "en_GB"}

pytestmark = pytest.mark.skipif(not shutil.which("hunspell"),
                                reason="hunspell is not installed (.ci/run installs it)")


def texts(library, language):
    """(where, text) for every text of the library in one language."""
    def pick(texts_):
        return texts_.get(language, "")
    for clause in library.sorted_clauses():
        where = clause.id
        for field in ("title", "summary", "text", "explanation", "arguments"):
            yield f"{where} {field}", pick(getattr(clause, field))
        for param in clause.parameters.values():
            yield f"{where} {param.name}", pick(param.label) + " " + pick(param.help)
    for theme in library.themes.values():
        yield f"theme {theme.id}", pick(theme.title) + " " + pick(theme.description)
    for definition in library.definitions.values():
        yield f"definition {definition.id}", pick(definition.term) + " " + pick(definition.text)
    for sector in library.sectors.values():
        yield f"sector {sector.id}", pick(sector.name) + " " + pick(sector.description)


def words(text):
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)   # template code
    text = re.sub(r"\b[a-z]+\.[a-z0-9-]+\b", " ", text)               # clause ids
    text = re.sub(r"\w+-(?=,|\s+(en|of|and|or)\b)", " ", text)        # "beleids-, uitvoerings- en"
    return re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)


def allowed(language):
    path = HERE / f"words-{language}.txt"
    return {w.strip() for w in path.read_text(encoding="utf-8").splitlines()
            if w.strip() and not w.startswith("#")} if path.exists() else set()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_unknown_words(library, language):
    found = {}
    for where, text in texts(library, language):
        for word in words(text):
            found.setdefault(word, where)
    result = subprocess.run(["hunspell", "-d", DICTIONARIES[language], "-l"],
                            input="\n".join(sorted(found)), capture_output=True, text=True,
                            check=True)
    unknown = sorted(set(result.stdout.split()) - allowed(language))
    report = "\n".join(f"  {w}  ({found.get(w, '?')})" for w in unknown)
    assert not unknown, (f"{len(unknown)} unknown {language} word(s); fix them or add them to "
                         f"tests/spelling/words-{language}.txt:\n{report}")
