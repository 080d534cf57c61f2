"""Clause, theme, definition and sector files: what parses, and errors with file, line and key."""
import pytest

from clausegen.content import ContentDir, parse_clause, parse_sector
from clausegen.errors import ContentError

GOOD = '''
id = "werkdruk.test"
version = "1.0.0"
theme = "werkdruk"
title = { nl = "Test", en = "Test" }

[parameters.dagen]
type = "days"
default = 28
min = 4
max = 90

[positions]
openingsbod = { dagen = 42 }
doel = { dagen = 35 }
ondergrens = { dagen = 28 }

[text]
nl = """
De werkgever maakt het rooster {{ dagen | days }} vooraf bekend.
"""
'''


def test_a_good_clause_parses():
    clause = parse_clause(GOOD, "good.toml")
    assert clause.id == "werkdruk.test"
    assert clause.parameters["dagen"].default == 28
    assert clause.positions["openingsbod"] == {"dagen": 42}


@pytest.mark.parametrize("change, line, fragment", [
    (('type = "days"', 'type = "dayz"'), 8, "unknown parameter type 'dayz'"),
    (("default = 28", "default = 3"), 9, "below the minimum 4"),
    (("doel = { dagen = 35 }", "doel = { dagn = 35 }"), 15, "unknown parameter 'dagn'"),
    (("doel = { dagen = 35 }", "doel = { dagen = 350 }"), 15, "above the maximum 90"),
    (('title = { nl', 'titel = { nl'), 5, "unknown key 'titel'"),
    (('version = "1.0.0"', 'version = "1.0.0'), 3, "TOML syntax error"),
    (("[positions]", "[positions]\nstreef = { dagen = 30 }"), 14, "unknown position 'streef'"),
])
def test_errors_name_file_line_and_key(change, line, fragment):
    with pytest.raises(ContentError) as info:
        parse_clause(GOOD.replace(*change), "clauses/werkdruk/test.toml")
    error = info.value
    assert fragment in error.message
    assert error.file == "clauses/werkdruk/test.toml"
    assert error.line == line, str(error)
    assert str(error).startswith(f"clauses/werkdruk/test.toml:{line}: ")


def test_unknown_key_suggests_the_right_one():
    with pytest.raises(ContentError) as info:
        parse_clause(GOOD.replace("[text]", "[toelichtng]\nnl = 'x'\n[text]"), "x.toml")
    assert info.value.suggestion == "toelichting"


def test_sector_numbering_must_be_known():
    text = ('id = "s"\nname = { nl = "S" }\ncao = { nl = "Cao S" }\n'
            'article_numbering = "per_hoofdstuk"\n')
    with pytest.raises(ContentError) as info:
        parse_sector(text, "s.toml")
    assert info.value.line == 4 and "continuous, per_chapter" in info.value.message


def test_content_dir_classifies_files(tmp_path):
    (tmp_path / "zorg").mkdir()
    (tmp_path / "sectoren").mkdir()
    for name in ("zorg/theme.toml", "zorg/a.toml", "zorg/b.toml", "definities.toml",
                 "sectoren/s.toml", "plugin.toml", "zorg/notes.txt"):
        (tmp_path / name).write_text("")
    content = ContentDir(tmp_path)
    assert [f.name for f in content.files("clause")] == ["a.toml", "b.toml"]
    assert [f.name for f in content.files("theme")] == ["theme.toml"]
    assert [f.name for f in content.files("sector")] == ["s.toml"]
    assert [f.name for f in content.files("definition")] == ["definities.toml"]


def test_sector_party_names_and_override_keys_are_checked():
    base = 'id = "s"\nname = { nl = "S" }\ncao = { nl = "Cao S" }\n'
    with pytest.raises(ContentError, match="empty name") as info:
        parse_sector(base + 'employers = ["NVZ", " "]\n', "s.toml")
    assert info.value.line == 4
    with pytest.raises(ContentError, match="clause.id.parameter"):
        parse_sector(base + '[overrides]\n"bedrag" = 5\n', "s.toml")
