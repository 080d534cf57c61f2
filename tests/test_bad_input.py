"""Bad input: every malformed spec, --set value, clause file and sector profile gets one readable
message (file, line and key where known), exit 1 (input understood but wrong) or 2 (command line
wrong), no traceback, and leaves no output file and no temp file behind.

Text a Word document cannot hold (control characters, unpaired surrogates) is refused with a
message naming where it came from; XML-special characters and all the Unicode Word can hold
round-trip exactly into word/document.xml.

Everything runs against tests/fixtures/bad_input/hardpack (copied into a temp dir) with the
built-in plugins switched off, so these tests do not depend on the clause library's content.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from clausegen.params import toml_string
from lxml import etree

from conftest import clausegen_exe

HARDPACK = Path(__file__).resolve().parent / "fixtures" / "bad_input" / "hardpack"
NO_BUILTINS = "algemeen,robotisering,generaties,werkdruk,sectoren,wettelijk,samenhang"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# ---------------------------------------------------------------- helpers


@pytest.fixture
def pack(tmp_path):
    """A private copy of the hardpack: (plugins dir, pack dir)."""
    plugins = tmp_path / "plugins"
    shutil.copytree(HARDPACK, plugins / "hardpack")
    return plugins, plugins / "hardpack"


@pytest.fixture
def run(cli, tmp_path):
    """Run clausegen with the copied hardpack and no built-ins; the cache in the temp dir."""
    def go(*args, env=None):
        full = {"CLAUSEGEN_DISABLE_PLUGINS": NO_BUILTINS,
                "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache"), **(env or {})}
        return cli("--plugins-dir", tmp_path / "plugins", *args, env=full)
    return go




def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def paragraphs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def assert_failed(result, out: Path, code: int, fragments=(), where: str | None = None,
                  line: int | set | None = None) -> None:
    """One readable error: exit code, message fragments, file[:line], nothing written."""
    stderr = result.stderr
    assert result.exit_code == code, f"exit {result.exit_code}, wanted {code}: {result.output}"
    assert "Traceback" not in result.output
    assert "internal error" not in stderr, stderr
    for fragment in fragments:
        assert fragment in stderr, f"{fragment!r} not in: {stderr}"
    if where:
        assert where in stderr, f"the message does not name {where}: {stderr}"
    if line is not None:
        lines = {line} if isinstance(line, int) else line
        found = {int(n) for n in re.findall(re.escape(where) + r":(\d+)", stderr)}
        assert found & lines, f"wanted {where}:{sorted(lines)} in: {stderr}"
    assert not out.exists(), "an output file was written"
    assert leftovers(out.parent) == []


# ---------------------------------------------------------------- spec files

SPEC = """\
[cao]
sector = "hardzorg"
start = 2027-01-01
end = 2028-12-31
date = 2026-12-01

[[clause]]
id = "hard.waarden"
[clause.values]
aantal = 12
"""
# line numbers in SPEC: 2 sector, 3 start, 4 end, 7 [[clause]], 8 id, 10 aantal


def spec_with(old: str, new: str) -> str:
    assert old in SPEC
    return SPEC.replace(old, new, 1)


SPEC_CASES = [
    # (id, content, exit code, fragments, line)
    # TOML syntax
    ("unclosed-table", spec_with("[cao]", "[cao"), 1, ["TOML syntax error"], 1),
    ("unclosed-string", spec_with('"hardzorg"', '"hardzorg'), 1, ["TOML syntax error"], 2),
    ("duplicate-key", spec_with("date = 2026-12-01", "date = 2026-12-01\ndate = 2026-12-02"), 1,
     ["TOML syntax error"], 6),
    ("duplicate-table", SPEC + "[cao]\n", 1, ["TOML syntax error"], 11),
    ("impossible-date", spec_with("2027-01-01", "2027-13-01"), 1, ["TOML syntax error"], 3),
    ("bare-word", spec_with('"hardzorg"', "hardzorg"), 1, ["TOML syntax error"], 2),
    # empty, binary, encodings, size
    ("empty", "", 1, ["empty"], None),
    ("only-whitespace", "  \n\n\t\n", 1, ["empty"], None),
    ("only-comments", "# nothing here\n", 1, ["sector"], None),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 1, ["binary"], None),
    ("latin-1", SPEC.replace("[cao]", "[cao]\ntitle = \"Caf\xe9\"").encode("latin-1"), 1,
     ["not UTF-8"], 2),
    ("utf-16", SPEC.encode("utf-16"), 1, [], None),
    ("enormous", SPEC + "# padding\n" * 200_000, 1, ["1,000,000"], None),
    # wrong types
    ("cao-not-table", "cao = 5\n", 1, ["'cao' must be a table"], 1),
    ("sector-number", spec_with('"hardzorg"', "5"), 1, ["'cao.sector' must be a string"], 2),
    ("start-quoted", spec_with("start = 2027-01-01", 'start = "2027-01-01"'), 1,
     ["'cao.start' must be a date"], 3),
    ("start-datetime", spec_with("start = 2027-01-01", "start = 2027-01-01T09:00:00"), 1,
     ["'cao.start' must be a date"], 3),
    ("start-time", spec_with("start = 2027-01-01", "start = 09:00:00"), 1,
     ["'cao.start' must be a date"], 3),
    ("title-number", spec_with("[cao]", "[cao]\ntitle = 12"), 1, ["'cao.title' must be"], 2),
    ("themes-string", spec_with("[cao]", '[cao]\nthemes = "hard"'), 1, ["cao.themes"], 2),
    ("unions-string", SPEC.replace("\n[[clause]]", '[parties]\nunions = "FNV"\n\n[[clause]]'), 1,
     ["'parties.unions' must be a list"], 7),
    ("unions-empty-name", SPEC.replace("\n[[clause]]", '[parties]\nunions = [""]\n\n[[clause]]'),
     1, ["'parties.unions' must be a list of names"], 7),
    ("clause-id-number", spec_with('id = "hard.waarden"', "id = 5"), 1, ["needs id"], 8),
    ("clause-values-number", spec_with('[clause.values]\naantal = 12', "values = 3"), 1,
     ["[clause.values] must be a table"], 9),
    ("clause-position-number",
     spec_with('id = "hard.waarden"', 'id = "hard.waarden"\nposition = 3'), 1,
     ["unknown position"], 9),
    ("clause-not-table", "clause = [1, 2]\n" + SPEC.split("\n[[clause]]")[0], 1,
     ["each [[clause]] must be a table"], None),
    # unknown keys
    ("unknown-cao-key", spec_with("sector =", "sectr = \"hardzorg\"\nsector ="), 1,
     ["unknown key 'cao.sectr'", "did you mean 'sector'"], 2),
    ("unknown-top-key", "colour = 1\n" + SPEC, 1, ["unknown key 'colour'"], 1),
    ("unknown-parties-key",
     SPEC.replace("\n[[clause]]", '[parties]\nunion = ["FNV"]\n\n[[clause]]'), 1,
     ["unknown key 'parties.union'", "did you mean 'unions'"], 7),
    ("unknown-clause-key",
     spec_with('id = "hard.waarden"', 'id = "hard.waarden"\npositon = "doel"'), 1,
     ["unknown key 'clause.positon'"], 9),
    # unknown ids
    ("unknown-sector", spec_with('"hardzorg"', '"hardzorgg"'), 1,
     ["unknown sector 'hardzorgg'", "did you mean 'hardzorg'"], 2),
    ("unknown-clause", spec_with('"hard.waarden"', '"hard.waardn"'), 1,
     ["unknown clause 'hard.waardn'", "did you mean 'hard.waarden'"], {7, 8}),
    ("unknown-parameter", spec_with("aantal = 12", "aantl = 12"), 1,
     ["has no parameter 'aantl'", "did you mean 'aantal'"], {7, 10}),
    ("unknown-language", spec_with("[cao]", '[cao]\nlanguage = "de"'), 1,
     ["unknown language 'de'"], 2),
    ("unknown-position", spec_with("[cao]", '[cao]\nposition = "doell"'), 1,
     ["unknown position 'doell'", "did you mean 'doel'"], 2),
    ("unknown-clause-position", spec_with('id = "hard.waarden"',
                                          'id = "hard.waarden"\nposition = "max"'), 1,
     ["unknown position 'max'"], 9),
    ("unknown-theme", SPEC.split("\n[[clause]]")[0] + '\nthemes = ["hardd"]\n', 1,
     ["unknown theme 'hardd'", "did you mean 'hard'"], 7),
    ("clause-twice", SPEC + '[[clause]]\nid = "hard.waarden"\n', 1, ["listed twice"], 11),
    # values of the wrong type or outside their bounds
    ("value-word", spec_with("aantal = 12", 'aantal = "veel"'), 1, ["'veel' is not a number"],
     {7, 10}),
    ("value-fraction", spec_with("aantal = 12", "aantal = 12.5"), 1, ["whole number"], {7, 10}),
    ("value-bool", spec_with("aantal = 12", "aantal = true"), 1, ["expected a number"], {7, 10}),
    ("value-table", spec_with("aantal = 12", "aantal = { a = 1 }"), 1, ["expected a number"],
     {7, 10}),
    ("value-nan", spec_with("aantal = 12", "bedrag = nan"), 1, ["hard.waarden.bedrag"], {7, 10}),
    ("value-inf", spec_with("aantal = 12", "aantal = inf"), 1, ["hard.waarden.aantal"], {7, 10}),
    ("value-minus-inf", spec_with("aantal = 12", "bedrag = -inf"), 1, ["hard.waarden.bedrag"],
     {7, 10}),
    ("date-value-invalid", spec_with("aantal = 12", 'datum = "2027-02-30"'), 1, ["not a date"],
     {7, 10}),
    ("bool-value-word", spec_with("aantal = 12", 'vlag = "misschien"'), 1, ["true or false"],
     {7, 10}),
    ("choice-value-unknown", spec_with("aantal = 12", 'keuze = "urne"'), 1,
     ["not one of", "did you mean 'uren'"], {7, 10}),
    ("text-too-long", spec_with("aantal = 12", f'tekst = "{"x" * 2001}"'), 1, ["2000"], {7, 10}),
    ("above-maximum", spec_with("aantal = 12", "aantal = 1000001"), 1,
     ["above the maximum 1000000"], {7, 10}),
    ("below-minimum", spec_with("aantal = 12", "dagen = 0"), 1, ["below the minimum 1"], {7, 10}),
    ("money-above-maximum", spec_with("aantal = 12", "bedrag = 1000000.01"), 1,
     ["above the maximum 1000000"], {7, 10}),
    ("money-below-minimum", spec_with("aantal = 12", 'bedrag = "-0.01"'), 1,
     ["below the minimum 0"], {7, 10}),
    ("date-above-maximum", spec_with("aantal = 12", "datum = 2100-01-01"), 1,
     ["above the maximum 2099-12-31"], {7, 10}),
    # dates out of order
    ("end-before-start", spec_with("end = 2028-12-31", "end = 2026-12-31"), 1,
     ["end 2026-12-31 is before start 2027-01-01"], 4),
    ("longer-than-5-years", spec_with("end = 2028-12-31", "end = 2033-12-31"), 1,
     ["at most 5 years"], 4),
    ("end-before-default-start", spec_with("start = 2027-01-01\n", "").replace(
        "end = 2028-12-31", "end = 2001-01-01"), 1, ["before start"], 3),
    ("start-near-year-10000", spec_with("start = 2027-01-01\nend = 2028-12-31\n",
                                        "start = 9998-06-01\n"), 1, ["9998"], 3),
    # python-docx writes a year before 1000 with three digits: a schema-invalid .docx (issue 17)
    ("date-before-1000", spec_with("date = 2026-12-01", "date = 0999-12-01"), 1,
     ["date 0999-12-01 lies before 1900"], 5),
    ("start-before-1900", spec_with("start = 2027-01-01\nend = 2028-12-31",
                                    "start = 1899-01-01\nend = 1900-12-31"), 1,
     ["start 1899-01-01 lies before 1900"], 3),
    # nesting deep enough to exhaust Python's recursion limit in the TOML parser
    ("deeply-nested-array", spec_with("aantal = 12", "aantal = " + "[" * 5000 + "]" * 5000), 1,
     [], None),
    ("deeply-nested-table", spec_with("aantal = 12", "aantal = " + "{a = " * 3000 + "1"
                                      + "}" * 3000), 1, [], None),
]


@pytest.mark.parametrize("content, code, fragments, line",
                         [c[1:] for c in SPEC_CASES], ids=[c[0] for c in SPEC_CASES])
def test_bad_spec_file(run, pack, tmp_path, content, code, fragments, line):
    spec = tmp_path / "spec.toml"
    spec.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    result = run("build", spec, "-o", out)
    assert_failed(result, out, code, fragments, where="spec.toml", line=line)


def test_the_valid_spec_builds(run, pack, tmp_path):
    """The base of every case above is itself fine, so each case tests only its own change."""
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    result = run("build", spec, "-o", tmp_path / "concept.docx")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("path, fragment", [
    ("missing.toml", "not found"),
    (".", "directory"),
])
def test_a_spec_that_is_not_a_file(run, pack, tmp_path, path, fragment):
    result = run("build", tmp_path / path, "-o", tmp_path / "x.docx")
    assert result.exit_code == 1 and fragment in result.stderr, result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.docx").exists()


# ---------------------------------------------------------------- --set and other options

SET_CASES = [
    # (id, extra args, exit code, fragments)
    ("word-for-integer", ["--set", "hard.waarden.aantal=veel"], 1, ["'veel' is not a number"]),
    ("fraction-for-integer", ["--set", "hard.waarden.aantal=1.5"], 1, ["whole number"]),
    ("nan", ["--set", "hard.waarden.bedrag=nan"], 1, ["not a finite number"]),
    ("infinity", ["--set", "hard.waarden.aantal=-inf"], 1, ["not a finite number"]),
    ("huge-exponent", ["--set", "hard.waarden.factor=1e999"], 1, ["too large"]),
    ("thousands-separator", ["--set", "hard.waarden.bedrag=1.000,50"], 1,
     ["without a thousands separator"]),
    ("word-for-date", ["--set", "hard.waarden.datum=morgen"], 1, ["not a date"]),
    ("dutch-date", ["--set", "hard.waarden.datum=01-07-2027"], 1, ["YYYY-MM-DD"]),
    ("word-for-bool", ["--set", "hard.waarden.vlag=misschien"], 1, ["true or false"]),
    ("unknown-choice", ["--set", "hard.waarden.keuze=urne"], 1, ["did you mean 'uren'"]),
    ("text-too-long", ["--set", "hard.waarden.tekst=" + "x" * 2001], 1, ["2000"]),
    ("above-maximum", ["--set", "hard.waarden.aantal=1000001"], 1,
     ["hard.waarden.aantal", "above the maximum 1000000"]),
    ("below-minimum", ["--set", "hard.waarden.dagen=0"], 1, ["below the minimum 1"]),
    ("money-above-maximum", ["--set", "hard.waarden.bedrag=2000000"], 1,
     ["above the maximum 1000000"]),
    ("decimal-above-maximum", ["--set", "hard.waarden.factor=1000.5"], 1,
     ["above the maximum 1000"]),
    ("percentage-above-maximum", ["--set", "hard.waarden.pct=150"], 1,
     ["above the maximum 100"]),
    ("hours-above-maximum", ["--set", "hard.waarden.uren=70"], 1, ["above the maximum 60"]),
    ("date-above-maximum", ["--set", "hard.waarden.datum=2100-01-01"], 1,
     ["above the maximum 2099-12-31"]),
    ("unknown-parameter", ["--set", "hard.waarden.aantl=1"], 1,
     ["has no parameter 'aantl'", "did you mean 'aantal'"]),
    ("unknown-clause", ["--set", "hard.waardn.aantal=1"], 1,
     ["unknown clause 'hard.waardn'", "did you mean 'hard.waarden'"]),
    ("clause-not-in-draft", ["--clause", "hard.waarden", "--set", "hard.ander.x=1"], 1,
     ["hard.ander"]),
    ("no-equals", ["--set", "hard.waarden.aantal"], 2, ["CLAUSE_ID.PARAM=VALUE"]),
    ("no-clause", ["--set", "aantal=5"], 2, ["CLAUSE_ID.PARAM=VALUE"]),
    ("empty-key", ["--set", "=5"], 2, ["CLAUSE_ID.PARAM=VALUE"]),
    ("empty-parameter", ["--set", "hard.waarden.=5"], 2, ["CLAUSE_ID.PARAM=VALUE"]),
    ("leading-dot", ["--set", ".aantal=5"], 2, ["CLAUSE_ID.PARAM=VALUE"]),
    ("empty-value", ["--set", "hard.waarden.aantal="], 1, ["not a number"]),
    # other options
    ("bad-date", ["--date", "2026-13-01"], 2, ["YYYY-MM-DD"]),
    ("date-before-1000", ["--date", "0999-12-01"], 1, ["date 0999-12-01 lies before 1900"]),
    ("dutch-start", ["--start", "01-01-2027"], 2, ["YYYY-MM-DD"]),
    ("end-before-start", ["--start", "2027-01-01", "--end", "2026-01-01"], 1, ["before start"]),
    ("unknown-position", ["--position", "doell"], 2, ["doell"]),
    ("unknown-language", ["--language", "de"], 2, ["'de'"]),
    ("unknown-format", ["--format", "pdf"], 2, ["pdf"]),
    ("unknown-option", ["--colour", "rood"], 2, ["--colour"]),
    ("unknown-theme", ["--theme", "hardd"], 1, ["unknown theme 'hardd'"]),
    ("unknown-clause-option", ["--clause", "hard.waardn"], 1, ["did you mean 'hard.waarden'"]),
]


@pytest.mark.parametrize("args, code, fragments", [c[1:] for c in SET_CASES],
                         ids=[c[0] for c in SET_CASES])
def test_bad_command_line_value(run, pack, tmp_path, args, code, fragments):
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    result = run("generate", "--sector", "hardzorg", *args, "-o", out)
    assert_failed(result, out, code, fragments)


def test_unknown_sector_on_the_command_line(run, pack, tmp_path):
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzor", "-o", out)
    assert_failed(result, out, 1, ["unknown sector 'hardzor'", "did you mean 'hardzorg'"])


# ---------------------------------------------------------------- clause files

CLAUSE_CASES = [
    # (id, old text, new text, fragments, line: "at" = the line of the new text, or a number)
    ("toml-syntax", "[text]", "[text", ["TOML syntax error"], "at"),
    ("unknown-key", 'theme = "hard"', 'thema = "hard"', ["unknown key 'thema'",
                                                          "did you mean 'theme'"], "at"),
    ("version-number", 'version = "1.0.0"', "version = 1.0", ["'version' must be"], "at"),
    ("version-word", 'version = "1.0.0"', 'version = "nieuw"', ["must look like 1.0.0"], "at"),
    ("id-uppercase", 'id = "hard.waarden"', 'id = "Hard.Waarden"', ["theme.slug"], "at"),
    ("id-list", 'id = "hard.waarden"', 'id = ["hard.waarden"]', ["'id' must be"], "at"),
    ("title-missing", 'title = { nl = "Waarden", en = "Values" }\n', "", ["'title'"], None),
    ("title-language", 'title = { nl = "Waarden", en = "Values" }',
     'title = { nl = "Waarden", de = "Werte" }', ["unknown language 'de'"], "at"),
    ("always-word", 'theme = "hard"', 'theme = "hard"\nalways = "ja"', ["'always'"], "at+1"),
    ("order-word", 'theme = "hard"', 'theme = "hard"\norder = "eerst"', ["'order'"], "at+1"),
    ("parameter-type", 'type = "integer"', 'type = "int"', ["unknown parameter type 'int'",
                                                           "did you mean 'integer'"], "at"),
    ("parameter-name", "[parameters.aantal]", "[parameters.Aantal]", ["'Aantal'"], "at"),
    ("parameter-unknown-key", "max = 1000000", "maximum = 1000000", ["unknown key"], "at"),
    ("min-above-max", "min = -1000", "min = 2000000", ["min 2000000 is above max 1000000"], "at"),
    ("default-below-min", "default = 12", "default = -5000", ["below the minimum -1000"], "at"),
    ("default-wrong-type", "default = 12", 'default = "twaalf"', ["'twaalf' is not a number"],
     "at"),
    ("default-nan", "default = 750", "default = nan", ["parameters.bedrag.default"], "at"),
    ("max-inf", "max = 1000000", "max = inf", ["parameters.aantal.max"], "at"),
    ("min-minus-inf", "min = -1000", "min = -inf", ["parameters.aantal.min"], "at"),
    ("money-bound-formatting", "default = 750", "default = 2000000",
     ["above the maximum 1000000"], "at"),
    ("choice-without-choices", 'choices = ["uren", "euro", "€ & <b>"]\n', "",
     ["needs a list of choices"], None),
    ("choice-default-unknown", 'default = "uren"', 'default = "urne"', ["not one of"], "at"),
    ("unknown-position", "[text]", "[positions]\nopening = { aantal = 5 }\n\n[text]",
     ["unknown position 'opening'", "did you mean 'openingsbod'"], "at+1"),
    ("position-unknown-parameter", "[text]", "[positions]\ndoel = { aantl = 5 }\n\n[text]",
     ["unknown parameter 'aantl'"], "at+1"),
    ("position-out-of-bounds", "[text]", "[positions]\ndoel = { dagen = 400 }\n\n[text]",
     ["above the maximum 365"], "at+1"),
    ("text-missing", "[text]\nnl = '''", "[tekst]\nnl = '''", ["unknown key 'tekst'"], "at"),
    ("template-syntax", "Aantal: [{{ aantal | number }}]", "Aantal: [{{ aantal | number }]",
     ["template syntax error"], "any"),
    ("template-unclosed-block", "Aantal: [{{ aantal | number }}]", "{% if aantal %}Aantal",
     ["template syntax error", "endif"], "any"),
    ("template-undefined", "Aantal: [{{ aantal | number }}]", "Aantal: [{{ aantl | number }}]",
     ["'aantl' is undefined", "did you mean 'aantal'"], "any"),
    ("template-unknown-filter", "Aantal: [{{ aantal | number }}]", "Aantal: [{{ aantal | euro }}]",
     ["euro"], "any"),
    ("template-division-by-zero", "Aantal: [{{ aantal | number }}]", "Aantal: [{{ aantal / 0 }}]",
     ["ZeroDivisionError"], "any"),
    ("unknown-definition", 'theme = "hard"', 'theme = "hard"\ndefinitions = ["rooster"]',
     ["unknown definition 'rooster'"], "at+1"),
    ("unknown-theme", 'theme = "hard"', 'theme = "hardd"', ["'hardd'"], "at"),
    ("requires-unknown-clause", 'theme = "hard"', 'theme = "hard"\nrequires = ["hard.nope"]',
     ["hard.nope"], "at+1"),
]


def _expected_line(text: str, new: str, line):
    """"at" is the line where the new text starts, "at+N" N lines further."""
    if line in (None, "any"):
        return line
    first = new.split("\n")[0]
    at = next(n for n, ln in enumerate(text.splitlines(), 1) if first in ln)
    return at + (int(line[3:]) if line.startswith("at+") else 0)


@pytest.mark.parametrize("old, new, fragments, line", [c[1:] for c in CLAUSE_CASES],
                         ids=[c[0] for c in CLAUSE_CASES])
def test_bad_clause_file(run, pack, tmp_path, old, new, fragments, line):
    _, folder = pack
    file = folder / "hard" / "waarden.toml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    file.write_text(text, encoding="utf-8")
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    result = run("generate", "--sector", "hardzorg", "--clause", "hard.waarden", "-o", out)
    expected = _expected_line(text, new, line)
    if expected == "any":
        assert_failed(result, out, 1, fragments, where="waarden.toml")
        assert re.search(r"waarden\.toml:\d+", result.stderr), result.stderr
    else:
        assert_failed(result, out, 1, fragments, where="waarden.toml", line=expected)


@pytest.mark.parametrize("content, fragment", [
    (b"", "'id'"),
    (b"\x00\x01\x02binary", "binary"),
    ('id = "hard.waarden"\ntitle = { nl = "Caf\xe9" }\n'.encode("latin-1"), "not UTF-8"),
    (b"# " + b"x" * 1_100_000 + b"\n", "1,000,000"),
], ids=["empty", "binary", "latin-1", "enormous"])
def test_clause_file_that_is_not_clause_text(run, pack, tmp_path, content, fragment):
    _, folder = pack
    (folder / "hard" / "waarden.toml").write_bytes(content)
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzorg", "--clause", "hard.waarden", "-o", out)
    assert_failed(result, out, 1, [fragment], where="waarden.toml")


# ---------------------------------------------------------------- sector profiles

SECTOR_CASES = [
    # (id, old, new, fragments, line as for clauses)
    ("toml-syntax", 'id = "hardzorg"', 'id = "hardzorg', ["TOML syntax error"], "at"),
    ("unknown-key", "employers =", "employer =", ["unknown key 'employer'",
                                                   "did you mean 'employers'"], "at"),
    ("id-uppercase", 'id = "hardzorg"', 'id = "Hard Zorg"', ["sector id 'Hard Zorg'"], "at"),
    ("numbering", 'article_numbering = "continuous"', 'article_numbering = "doorlopend"',
     ["article_numbering must be one of"], "at"),
    ("cao-language", 'cao = { nl = "Cao Hardzorg", en = "Hard Care Collective Labour Agreement" }',
     'cao = { nl = "Cao Hardzorg", fr = "Convention" }', ["unknown language 'fr'"], "at"),
    ("name-missing", 'name = { nl = "Hardzorg", en = "Hard care" }\n', "", ["'name'"], None),
    ("recommended-number", 'recommended = ["hard.waarden"]', "recommended = [5]",
     ["'recommended' must be a list of strings"], "at"),
    ("recommended-unknown", 'recommended = ["hard.waarden"]', 'recommended = ["hard.waardn"]',
     ["unknown clause 'hard.waardn'", "did you mean 'hard.waarden'"], "at"),
    ("override-out-of-bounds", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[overrides]\n"hard.waarden.dagen" = 400',
     ["above the maximum 365"], "at+2"),
    ("override-money-bound", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[overrides]\n"hard.waarden.bedrag" = 5000000',
     ["above the maximum 1000000"], "at+2"),
    ("override-wrong-type", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[overrides]\n"hard.waarden.aantal" = "veel"',
     ["'veel' is not a number"], "at+2"),
    ("override-nan", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[overrides]\n"hard.waarden.bedrag" = nan',
     ["hard.waarden.bedrag"], "at+2"),
    ("override-unknown-parameter", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[overrides]\n"hard.waarden.aantl" = 5',
     ["unknown parameter", "did you mean 'aantal'"], "at+2"),
    ("override-unknown-clause", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[overrides]\n"hard.waardn.aantal" = 5',
     ["unknown clause 'hard.waardn'"], "at+2"),
    ("override-without-clause", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[overrides]\naantal = 5', ["'aantal'"], "at+2"),
    ("overrides-not-table", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\noverrides = 5', ["'overrides' must be a table"], "at+1"),
    ("terminology-number", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[terminology.nl]\nwerknemer = 5', ["terminology"], None),
    ("terminology-language", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[terminology.de]\nwerknemer = "Mitarbeiter"',
     ["terminology"], None),
    ("terminology-empty-word", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[terminology.nl]\n"" = "medewerker"', ["terminology"],
     None),
    ("replaces-unknown", 'id = "hardzorg"', 'id = "hardzorg"\nreplaces = "nope"',
     ["replaces 'nope'"], None),
    # a replacement is text: it once ran as template code in every clause, and a control
    # character in it reached the .docx (issue 17)
    ("terminology-template-code", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[terminology.nl]\nwerknemer = "{{ ref|string }}"',
     ["terminology.nl.werknemer", "without *, { or }"], "at+2"),
    ("terminology-markup", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[terminology.nl]\nwerknemer = "**baas**"',
     ["terminology.nl.werknemer", "without *, { or }"], "at+2"),
    ("terminology-line-break", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[terminology.nl]\nwerknemer = "mede\\n\\n- werker"',
     ["terminology.nl.werknemer", "on one line"], "at+2"),
    ("terminology-control-character", 'recommended = ["hard.waarden"]',
     'recommended = ["hard.waarden"]\n[terminology.nl]\nwerknemer = "mede\\u0001werker"',
     ["terminology.nl.werknemer", "U+0001"], "at+2"),
]


@pytest.mark.parametrize("old, new, fragments, line", [c[1:] for c in SECTOR_CASES],
                         ids=[c[0] for c in SECTOR_CASES])
def test_bad_sector_profile(run, pack, tmp_path, old, new, fragments, line):
    _, folder = pack
    file = folder / "sectoren" / "hardzorg.toml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    file.write_text(text, encoding="utf-8")
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    result = run("generate", "--sector", "hardzorg", "-o", out)
    assert_failed(result, out, 1, fragments, where="hardzorg.toml",
                  line=_expected_line(text, new, line))


# ---------------------------------------------------------------- text Word cannot hold

UNHOLDABLE = {
    "U+0001": "a\x01b",
    "U+0000": "a\x00b",
    "U+000B": "a\x0bb",
    "U+001F": "a\x1fb",
    "U+FFFE": "a\ufffeb",
    "U+D800": "a\ud800b",
    "U+DFFF": "a\udfffb",
}


def assert_refused_or_safe(result, out: Path, *names: str, codes=(1,)) -> None:
    """Refused: exit 1 with a message naming where the text came from. Or safely handled:
    written, and every XML part of the .docx is well-formed."""
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        with zipfile.ZipFile(out) as package:
            for name in package.namelist():
                if name.endswith(".xml") or name.endswith(".rels"):
                    etree.fromstring(package.read(name))
        return
    assert result.exit_code in codes, result.output
    assert "internal error" not in result.stderr, result.stderr
    assert any(n in result.stderr for n in names), f"none of {names} in: {result.stderr}"
    assert not out.exists() and leftovers(out.parent) == []


@pytest.mark.parametrize("value", UNHOLDABLE.values(), ids=UNHOLDABLE.keys())
def test_unholdable_text_in_set_value(run, pack, tmp_path, value):
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzorg", "--set", f"hard.waarden.tekst={value}",
                 "-o", out)
    assert_refused_or_safe(result, out, "hard.waarden.tekst")


@pytest.mark.parametrize("option", ["--title", "--author"])
def test_unholdable_text_in_title_or_author_option(run, pack, tmp_path, option):
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzorg", option, "Cao\x01", "-o", out)
    assert_refused_or_safe(result, out, option, codes=(1, 2))


@pytest.mark.parametrize("where", ["value", "title", "unions"])
@pytest.mark.parametrize("value", ["a\x01b", "a\x1fb", "a\ufffeb"], ids=["U+0001", "U+001F",
                                                                         "U+FFFE"])
def test_unholdable_text_in_a_spec(run, pack, tmp_path, where, value):
    text = {"value": SPEC.replace("aantal = 12", f"tekst = {toml_string(value)}"),
            "title": SPEC.replace("[cao]", f"[cao]\ntitle = {toml_string(value)}"),
            "unions": SPEC.replace("\n[[clause]]",
                                   f"[parties]\nunions = [{toml_string(value)}]\n\n[[clause]]")}
    spec = tmp_path / "spec.toml"
    spec.write_text(text[where], encoding="utf-8")
    out = tmp_path / "concept.docx"
    result = run("build", spec, "-o", out)
    assert_refused_or_safe(result, out, "spec.toml")


@pytest.mark.parametrize("field", ["text", "title", "toelichting", "label"])
def test_unholdable_text_in_a_clause_file(run, pack, tmp_path, field):
    _, folder = pack
    file = folder / "hard" / "waarden.toml"
    text = file.read_text(encoding="utf-8")
    old = {"text": "Aantal: [", "title": 'nl = "Waarden"', "toelichting": "Een proefartikel.",
           "label": 'nl = "Aantal"'}[field]
    new = {"text": "Aantal:\\u0001 [", "title": 'nl = "Waar\\u0001den"',
           "toelichting": "Een \\u0001proefartikel.", "label": 'nl = "Aan\\u0001tal"'}[field]
    if field in ("text", "toelichting"):    # literal strings: make them basic strings
        text = text.replace("nl = '''", 'nl = """').replace("en = '''", 'en = """')
        text = text.replace("'''", '"""')
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzorg", "--clause", "hard.waarden", "-o", out)
    assert_refused_or_safe(result, out, "waarden.toml")


@pytest.mark.skipif(os.name != "posix", reason="command lines are bytes only on POSIX")
def test_undecodable_command_line_bytes(pack, tmp_path):
    """A shell passes bytes; Python turns undecodable ones into lone surrogates (U+DCFF)."""
    out = tmp_path / "concept.docx"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUSEGEN_")}
    env.update({"CLAUSEGEN_DISABLE_PLUGINS": NO_BUILTINS,
                "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache"), "LC_ALL": "C.UTF-8"})
    proc = subprocess.run([clausegen_exe(), "--plugins-dir", str(tmp_path / "plugins"),
                           "generate", "--sector", "hardzorg", "--set",
                           b"hard.waarden.tekst=Caf\xe9", "-o", str(out)],
                          env=env, capture_output=True, timeout=120)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    if proc.returncode == 0:
        assert any(p.startswith("Tekst: [Caf") for p in paragraphs(out))
    else:
        assert proc.returncode == 1 and "internal error" not in stderr, stderr
        assert "hard.waarden.tekst" in stderr, stderr
        assert not out.exists()


@pytest.mark.parametrize("value", [
    "\ue000hard.waarden\ue001",
    "\ue002hard.waarden.aantal\ue003",
    "a\ue004b",
], ids=["ref-marker", "placeholder-marker", "star-marker"])
def test_a_value_cannot_forge_references_or_placeholders(run, pack, tmp_path, value):
    """clausegen marks references and placeholders with private-use characters; a value
    carrying them must be refused (params.check_text) or land as the text it is."""
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzorg", "--set", f"hard.waarden.tekst={value}",
                 "-o", out)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert f"Tekst: [{value}]" in paragraphs(out)
    else:
        assert result.exit_code == 1 and "internal error" not in result.stderr
        assert "hard.waarden.tekst" in result.stderr, result.stderr


# ---------------------------------------------------------------- Unicode that must round-trip

ROUND_TRIP = {
    "xml-special": "<b>&amp; \"dubbel\" 'enkel' & < > ]]> &#x41;</b>",
    "dutch": "één geëist naïef coöperatie café Ĳsselmeer ĳs",
    "euro-and-symbols": "€ 1.250,50 – ± ½ § ¶ © ™ „citaat” «guillemets»",
    "emoji": "👩‍⚖️ 🇳🇱 ✊🏽 💶",
    "arabic": "اتفاقية العمل الجماعية",
    "hebrew": "הסכם קיבוצי",
    "mixed-direction": "cao \u202bעברית\u202c en \u200fالعربية\u200e 2027",
    "combining": "e\u0301 a\u0308 n\u0303",
    "invisible": "a\u00a0b\u200bc\u200dd\u2060e",
    "cjk-and-math": "労働協約 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ∑∞",
    "private-use-free": "\ue0ff\uf8ff",
}


@pytest.mark.parametrize("value", ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_unicode_round_trips_from_set(run, pack, tmp_path, value):
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzorg", "--set", f"hard.waarden.tekst={value}",
                 "--title", f"Cao {value}", "-o", out)
    assert result.exit_code == 0, result.output
    texts = paragraphs(out)
    assert f"Tekst: [{value}]" in texts
    assert f"Cao {value}" in texts
    with zipfile.ZipFile(out) as package:
        core = etree.fromstring(package.read("docProps/core.xml"))
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == f"Cao {value}"


@pytest.mark.parametrize("value", ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_unicode_round_trips_from_a_spec_and_a_clause_file(run, pack, tmp_path, value):
    _, folder = pack
    file = folder / "hard" / "waarden.toml"
    file.write_text(file.read_text(encoding="utf-8").replace(
        'title = { nl = "Waarden", en = "Values" }',
        f"title = {{ nl = {toml_string('Waarden ' + value)} }}"), encoding="utf-8")
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.replace("aantal = 12", f"tekst = {toml_string(value)}").replace(
        "\n[[clause]]", f"[parties]\nunions = [{toml_string(value)}]\n\n[[clause]]"),
        encoding="utf-8")
    out = tmp_path / "concept.docx"
    result = run("build", spec, "-o", out)
    assert result.exit_code == 0, result.output
    texts = paragraphs(out)
    assert f"Tekst: [{value}]" in texts
    assert value in texts                     # the union's name on the title page
    assert f"Waarden {value}" in texts        # the article heading


# ---------------------------------------------------------------- issue 17: plugin.toml, long
# names, pathological TOML


@pytest.mark.parametrize("manifest, fragments, line", [
    ('name = 5\nversion = "1.0.0"\n', ["name must be a string"], 1),
    ('name = "hardpack"\nversion = { a = 1 }\n', ["version must be a string"], 2),
    ('name = "hard\\u001b[31mpack"\n', ["name must be a string"], 1),
    ('name = "hardpack"\nversion = "1.0\\u0001"\n', ["version must be a string"], 2),
    ('name = "hardpack"\ndescription = 7\n', ["description must be"], 2),
    ('name = "hardpack"\nauthor = "x"\n', ["unknown key 'author'"], None),
], ids=["name-number", "version-table", "name-ansi", "version-control", "description-number",
        "unknown-key"])
def test_bad_plugin_toml(cli, run, pack, tmp_path, manifest, fragments, line):
    """plugin.toml's name and version are printed by `clausegen plugins` and carried by every
    clause's provenance into the review annex: they once loaded as anything (`name = 5`), with
    an ANSI escape printed raw."""
    _, folder = pack
    (folder / "plugin.toml").write_text(manifest, encoding="utf-8")
    started = time.monotonic()
    listing = run("plugins")
    assert listing.exit_code == 0 and "\x1b" not in listing.output, listing.output
    assert "BROKEN" in listing.output and "plugin.toml" in listing.output
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    result = run("generate", "--sector", "hardzorg", "-o", out)
    assert_failed(result, out, 1, fragments + ["unknown sector 'hardzorg'"], where="plugin.toml",
                  line=line)
    assert "\x1b" not in result.output
    checked = run("check", folder)          # clausegen check applies the loader's rules
    assert checked.exit_code == 1 and "plugin.toml" in checked.output, checked.output
    assert all(fragment in checked.output for fragment in fragments), checked.output
    assert time.monotonic() - started < 10


def test_two_packs_claiming_one_name_load_neither(run, pack, tmp_path):
    """Which of two packs with one name won depended on their folder names, which a pack
    chooses: a pack could displace another. Now neither loads, and both are named."""
    plugins, folder = pack
    shutil.copytree(folder, plugins / "0-impostor")
    (plugins / "0-impostor" / "sectoren" / "hardzorg.toml").unlink()
    listing = run("plugins")
    assert listing.exit_code == 0
    assert listing.output.count("is also claimed by") == 2, listing.output
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzorg", "-o", out)
    assert_failed(result, out, 1, ["unknown sector 'hardzorg'", "0-impostor"])


def test_a_symlink_loop_in_a_pack_is_not_followed(run, pack, tmp_path):
    _, folder = pack
    (folder / "hard" / "terug").symlink_to("..")
    started = time.monotonic()
    out = tmp_path / "concept.docx"
    result = run("generate", "--sector", "hardzorg", "--date", "2026-12-01", "-o", out)
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 10
    assert "Tekst: [Utrecht]" in paragraphs(out)


def test_names_longer_than_a_document_property_can_hold(run, pack, tmp_path):
    """Title, author and cao name over 255 characters were an internal error (python-docx
    refuses a longer core property). The document holds them whole; the property is cut short."""
    _, folder = pack
    sector = folder / "sectoren" / "hardzorg.toml"
    cao = "Cao " + "Hardzorg " * 40
    sector.write_text(sector.read_text(encoding="utf-8").replace(
        'nl = "Cao Hardzorg"', f'nl = "{cao}"'), encoding="utf-8")
    out, title, author = tmp_path / "concept.docx", "T" * 300, "Auteur " * 50
    for args in (["--title", title, "--author", author], []):
        result = run("generate", "--sector", "hardzorg", "--date", "2026-12-01", "-o", out,
                     "--force", *args)
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(out) as package:
            core = etree.fromstring(package.read("docProps/core.xml"))
        shown = core.findtext("{http://purl.org/dc/elements/1.1/}title")
        whole = title if args else f"{cao} 2027-2028"
        assert len(shown) == 255 and shown == whole[:254] + "…"
        assert whole in paragraphs(out)
    result = run("mandate", "--sector", "hardzorg", "--date", "2026-12-01",
                 "-o", tmp_path / "mandaat.docx")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("parts", [20_000, 40_000])
def test_a_dotted_key_of_thousands_of_parts(run, pack, tmp_path, parts):
    """tomllib's time and memory grow with the square of a key's parts: 20,000 parts (40 KB)
    took 6.9 s and 2.4 GB, 40,000 parts 51 s and 9.4 GB, in a spec and in a pack file."""
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC + ".".join(["a"] * parts) + " = 1\n", encoding="utf-8")
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    started = time.monotonic()
    result = run("build", spec, "-o", out)
    assert_failed(result, out, 1, ["more than 64 parts"], where="spec.toml", line=11)
    _, folder = pack
    clause = folder / "hard" / "waarden.toml"
    clause.write_text(".".join(["x"] * parts) + " = 1\n" + clause.read_text(encoding="utf-8"),
                      encoding="utf-8")
    result = run("generate", "--sector", "hardzorg", "-o", out)
    assert_failed(result, out, 1, ["more than 64 parts"], where="waarden.toml", line=1)
    assert time.monotonic() - started < 10


def test_a_table_header_padded_with_blanks(run, pack, tmp_path):
    """The key-to-line scan used a regular expression that took minutes on a valid header
    padded with 20,000 blanks."""
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.replace("[cao]", "[" + " " * 20_000 + "cao" + " " * 20_000 + "]"),
                    encoding="utf-8")
    started = time.monotonic()
    result = run("build", spec, "-o", tmp_path / "concept.docx")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 10
