"""Spec files: what a valid one means, and errors with file, line, key and suggestions."""
import datetime as dt

import pytest

from clausegen.errors import SpecError
from clausegen.spec import parse_spec, read_spec

VALID = '''[cao]
sector = "testzorg"
language = "en"
start = 2027-01-01
end = 2028-12-31
position = "openingsbod"
date = 2026-12-01

[parties]
unions = ["CNV Zorg & Welzijn"]

[[clause]]
id = "zorg.nachtdienst"
position = "ondergrens"
[clause.values]
leeftijd = 58
'''


def test_a_valid_spec():
    spec = parse_spec(VALID, "s.toml")
    assert (spec.sector, spec.language, spec.position) == ("testzorg", "en", "openingsbod")
    assert spec.start == dt.date(2027, 1, 1) and spec.date == dt.date(2026, 12, 1)
    assert spec.unions == ("CNV Zorg & Welzijn",) and spec.employers is None
    assert spec.clauses[0].id == "zorg.nachtdienst" and spec.clauses[0].line == 12
    assert spec.clauses[0].values == {"leeftijd": 58}


@pytest.mark.parametrize("change, line, fragment", [
    (('language = "en"', 'langauge = "en"'), 3, "unknown key 'cao.langauge'"),
    (('position = "openingsbod"', 'position = "opening"'), 6, "unknown position 'opening'"),
    (("end = 2028-12-31", "end = 2026-12-31"), 5, "before start"),
    (("start = 2027-01-01", 'start = "2027-01-01"'), 4, "must be a date"),
    (('unions = ["CNV Zorg & Welzijn"]', 'unions = "CNV"'), 10, "must be a list"),
    (('id = "zorg.nachtdienst"', 'name = "zorg.nachtdienst"'), 13, "unknown key 'clause.name'"),
    (('sector = "testzorg"', 'sector = "testzorg'), 2, "TOML syntax error"),
])
def test_errors_name_line_and_key(change, line, fragment):
    with pytest.raises(SpecError) as info:
        parse_spec(VALID.replace(*change), "s.toml")
    assert fragment in info.value.message, str(info.value)
    assert info.value.line == line, str(info.value)


def test_unknown_key_suggests():
    with pytest.raises(SpecError) as info:
        parse_spec(VALID.replace("[parties]", "[partys]"), "s.toml")
    assert info.value.suggestion == "parties"


@pytest.mark.parametrize("content, fragment", [
    (b"", "empty"), (b"\x00\x01\x02binary", "binary"), (b"sector = \xff\xfe", "not UTF-8"),
    (b"x" * 1_100_000, "limit"),
])
def test_files_that_are_not_spec_text(tmp_path, content, fragment):
    path = tmp_path / "s.toml"
    path.write_bytes(content)
    with pytest.raises(SpecError, match=fragment):
        read_spec(path)


TWO_CLAUSES = '''[cao]
sector = "vvt"
date = 2026-12-01

[[clause]]
id = "werkdruk.roosterinspraak"

[[clause]]
# the second table: its keys' own lines, not the [[clause]] line
id = "werkdruk.zelfroosteren"
position = "doel"
[clause.values]
startronde_weken = 8
'''


@pytest.mark.parametrize("change, line, fragment", [
    (('position = "doel"', 'posiiton = "doel"'), 11, "unknown key 'clause.posiiton'"),
    (('position = "doel"', 'position = "doelen"'), 11, "unknown position 'doelen'"),
    (("startronde_weken = 8", "startronde_weeken = 8"), 13, "has no parameter 'startronde_weeken'"),
    (("startronde_weken = 8", "startronde_weken = 99"), 13, "startronde_weken"),
    (('id = "werkdruk.zelfroosteren"', 'id = "werkdruk.zelfroostern"'), 10, "unknown clause"),
])
def test_errors_inside_a_clause_table_point_at_the_key(library, change, line, fragment):
    from clausegen.planning import plan_draft
    with pytest.raises(SpecError) as info:
        plan_draft(parse_spec(TWO_CLAUSES.replace(*change), "s.toml"), library)
    assert fragment in info.value.message, str(info.value)
    assert info.value.line == line, str(info.value)


def test_a_spec_made_in_code_lists_its_clauses_and_takes_values(library):
    """`clausegen generate` and the test fixtures build their spec with `with_values`: the
    sector's recommended clauses and the frame are listed, so a value reaches a frame clause,
    and a value for a clause outside the draft is handed back for the caller to name."""
    from clausegen.model import ClauseChoice, DraftSpec
    from clausegen.planning import with_values
    spec = DraftSpec(sector="vvt", clauses=[ClauseChoice(id="werkdruk.zelfroosteren")])
    done, outside = with_values(spec, library, {
        "werkdruk.zelfroosteren": {"startronde_weken": 9},
        "algemeen.slotbepaling": {"plaats": "Utrecht"},
        "werkdruk.roosterinspraak": {"bekendmaking_dagen": 30}})
    assert outside == ["werkdruk.roosterinspraak"]
    values = {c.id: c.values for c in done.clauses}
    assert values["werkdruk.zelfroosteren"] == {"startronde_weken": 9}
    assert values["algemeen.slotbepaling"] == {"plaats": "Utrecht"}
    assert spec.clauses[0].values == {}          # the spec it was given is left as it was
    with pytest.raises(SpecError, match="unknown sector 'vtt'.*did you mean 'vvt'"):
        with_values(DraftSpec(sector="vtt"), library, {})
