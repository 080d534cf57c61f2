"""The vocabulary: every table says every word in every language, with the same placeholders.

A language added to one table and not another, or a translation that drops `{date}`, would
show as a KeyError or a wrong heading only in a draft in that language.
"""
import string

import pytest

from clausegen import vocabulary
from clausegen.model import LANGUAGES, SOURCES
from clausegen.params import UNITS

TABLES = {name: table for name, table in vars(vocabulary).items()
          if name.isupper() and isinstance(table, dict)}


def _shape(value):
    """A word table's structure, without its words: keys, lengths and {placeholders}."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shape(item) for item in value]
    return sorted(field for _, field, _, _ in string.Formatter().parse(value) if field)


def test_the_vocabulary_has_its_tables():
    assert {"LEVEL_WORDS", "DRAFT_WORDS", "MANDATE_WORDS", "CHANGE_WORDS",
            "FINDING_WORDS", "UNIT_WORDS"} <= set(TABLES)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_has_every_word_in_every_language(name):
    table = TABLES[name]
    assert set(table) == set(LANGUAGES), name
    first = _shape(table[LANGUAGES[0]])
    for language in LANGUAGES[1:]:
        assert _shape(table[language]) == first, f"{name}[{language!r}]"


def test_the_words_cover_the_kinds_they_name():
    for language in LANGUAGES:
        assert set(vocabulary.UNIT_WORDS[language]) == set(UNITS)
        assert set(vocabulary.SOURCE_WORDS[language]) == set(SOURCES)
