"""The mandate (mandaat) for the delegation: one row per parameter, every position, the current
cao and the legal limit; as a spreadsheet, a landscape Word table, json and markdown, each
marked confidential."""
import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from clausegen.model import POSITIONS
from conftest import SHARED, run_cli


@pytest.fixture(scope="module")
def vvt(tmp_path_factory, library):
    """The mandate of vvt in all four formats, written through the CLI."""
    folder = tmp_path_factory.mktemp("mandate")
    for fmt in ("xlsx", "docx", "json", "md"):
        result = run_cli("mandate", "--sector", "vvt", "--date", "2026-12-01",
                         "-o", folder / f"m.{fmt}")
        assert result.exit_code == 0, result.output
        assert "CONFIDENTIAL" in result.stderr
    return folder


def expected_rows(library):
    """(clause, parameter) of every clause a vvt draft holds: the recommended ones and the
    frame articles every draft has."""
    sector = library.sector("vvt")
    clauses = list(sector.recommended) + [c.id for c in library.clauses.values() if c.always]
    return {(c, p) for c in clauses for p in library.clause(c).parameters}


def test_the_spreadsheet_has_a_row_per_parameter_with_numbers_as_numbers(vvt, library):
    import openpyxl
    book = openpyxl.load_workbook(vvt / "m.xlsx")
    sheet = book.active
    assert "VERTROUWELIJK" in str(sheet["A1"].value)
    assert "VERTROUWELIJK" in sheet.oddHeader.left.text
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["Artikel", "Bepaling", "Bepaling (id)", "Parameter", "Parameter (id)"]
    rows = [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=4)]
    assert {(r["Bepaling (id)"], r["Parameter (id)"]) for r in rows} == expected_rows(library)
    assert len(rows) == len(expected_rows(library))
    assert sheet.auto_filter.ref and sheet.freeze_panes == "C4"
    notice = next(r for r in rows if r["Parameter (id)"] == "bekendmaking_dagen")
    assert (notice["Openingsbod"], notice["Doel"], notice["Ondergrens"]) == (42, 35, 28)
    assert all(isinstance(notice[k], (int, float)) for k in ("Openingsbod", "Doel", "Ondergrens"))
    assert notice["Eenheid"] == "dagen" and notice["Beter"] == "hoger"
    assert notice["Wettelijke grens"] == 4 and "Arbeidstijdenwet" in notice["Wet"]
    assert notice["Dit concept"] == 35 and notice["Herkomst"] == "positie"


def test_json_and_markdown_carry_the_same_rows(vvt, library):
    data = json.loads((vvt / "m.json").read_text())
    assert data["confidential"] is True and data["sector"] == "vvt"
    assert {(r["clause"], r["parameter"]) for r in data["rows"]} == expected_rows(library)
    assert all(set(r["positions"]) == set(POSITIONS) for r in data["rows"])
    markdown = (vvt / "m.md").read_text()
    assert markdown.startswith("**VERTROUWELIJK")
    assert markdown.count("\n| ") == len(data["rows"]) + 1      # header + a row each


def test_the_word_mandate_is_landscape_valid_and_confidential_in_its_header(vvt, tmp_path):
    from ooxml import findings
    path = vvt / "m.docx"
    assert findings(path) == []
    with zipfile.ZipFile(path) as package:
        document = package.read("word/document.xml").decode()
        headers = [package.read(n).decode() for n in package.namelist()
                   if n.startswith("word/header")]
    assert 'w:orient="landscape"' in document
    assert any("VERTROUWELIJK" in h for h in headers)


@pytest.mark.skipif(not (SHARED / "tools" / "validate_docx.py").exists(),
                    reason="../shared/tools/validate_docx.py not present")
def test_the_shared_validator_accepts_the_word_mandate(vvt):
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "validate_docx.py"),
                             str(vvt / "m.docx")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice and poppler are installed by .ci/run")
def test_the_word_mandate_renders_confidential_on_every_page(vvt, tmp_path):
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(vvt / "m.docx")], check=True,
                   capture_output=True, timeout=240)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "m.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2 and all("VERTROUWELIJK" in p for p in pages)
    assert "Ondergrens" in pages[0] and "Huidige cao" in pages[0]


def test_a_mandate_from_a_spec_follows_the_spec(cli, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('[cao]\nsector = "vvt"\nposition = "ondergrens"\ndate = 2026-12-01\n'
                    '[[clause]]\nid = "werkdruk.roosterinspraak"\n[clause.values]\n'
                    'bekendmaking_dagen = 30\n')
    assert cli("mandate", spec, "-o", tmp_path / "m.json").exit_code == 0
    rows = json.loads((tmp_path / "m.json").read_text())["rows"]
    notice = next(r for r in rows if r["parameter"] == "bekendmaking_dagen")
    assert notice["value"] == 30 and notice["source"] == "spec"
    assert notice["positions"]["ondergrens"] == 28


def test_same_input_same_bytes(cli, tmp_path):
    for name in ("a", "b"):
        assert cli("mandate", "--sector", "vvt", "--date", "2026-12-01",
                   "-o", tmp_path / f"{name}.xlsx").exit_code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_draft_options_with_a_spec_file_are_refused(cli, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('[cao]\nsector = "vvt"\n')
    result = cli("mandate", spec, "--position", "ondergrens", "--set", "a.b=1",
                 "-o", tmp_path / "m.json")
    assert result.exit_code == 2 and "--position, --set" in result.stderr
    assert not (tmp_path / "m.json").exists()


def test_a_file_name_of_another_format_is_refused(cli, tmp_path):
    for args in (["-o", tmp_path / "m.pdf"], ["--format", "xlsx", "-o", tmp_path / "m.docx"]):
        result = cli("mandate", "--sector", "vvt", *args)
        assert result.exit_code == 2, args
    assert not list(tmp_path.iterdir())


def test_bad_input_gets_a_clear_error(cli, tmp_path):
    result = cli("mandate", "-o", tmp_path / "m.xlsx")
    assert result.exit_code == 2 and "spec file or --sector" in result.stderr
    (tmp_path / "m.xlsx").write_text("keep me")
    result = cli("mandate", "--sector", "vvt", "-o", tmp_path / "m.xlsx")
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert (tmp_path / "m.xlsx").read_text() == "keep me"


def test_an_english_mandate_says_so_in_its_document_properties(tmp_path):
    """Category and keywords follow the mandate's language, like its text."""
    for fmt in ("docx", "xlsx"):
        out = tmp_path / f"m.{fmt}"
        result = run_cli("mandate", "--sector", "vvt", "--language", "en",
                         "--date", "2026-12-01", "-o", out)
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(out) as package:
            core = package.read("docProps/core.xml").decode()
        assert "<cp:category>CONFIDENTIAL</cp:category>" in core, fmt
        assert "<cp:keywords>mandate; confidential</cp:keywords>" in core, fmt
        assert "VERTROUWELIJK" not in core and "mandaat" not in core, fmt
