"""Scoped overrides (issue 16): a sector plugin's override applies in its own sectors only,
keeps the parameters of the clause it replaces, and the intern outputs say what it replaced.

The fixture is the public-transport scenario: `openbaar-vervoer` overrides
werkdruk.zelfroosteren with a clause of its own id, for its own sector, once as a content folder
(--plugins-dir) and once as a Python plugin (what an installed package's module is).
"""
from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from conftest import FIXTURES

OV = FIXTURES / "openbaar_vervoer"
PACK = OV / "openbaar-vervoer"
DATE = ("--date", "2026-12-01")


def ov_module():
    spec = importlib.util.spec_from_file_location("clausegen_ov", OV / "clausegen_ov.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ov_library():
    from clausegen.testing import make_library
    return make_library(("openbaar-vervoer", ov_module().plugin))


def _bytes(library, sector, audience, fmt="docx", **spec_fields):
    from clausegen.draft import build_draft
    from clausegen.model import DraftSpec
    import datetime as dt
    from clausegen.planning import plan_draft
    from clausegen.writers import render_bytes
    spec = DraftSpec(sector=sector, audience=audience, date=dt.date(2026, 12, 1), **spec_fields)
    return render_bytes(build_draft(plan_draft(spec, library), library), fmt, library)


@pytest.mark.parametrize("audience", ["tafel", "intern"])
def test_another_sectors_draft_is_byte_identical_with_a_content_folder(cli, tmp_path, audience):
    without, with_ = tmp_path / "zonder.docx", tmp_path / "met.docx"
    args = ("generate", "--sector", "vvt", "--audience", audience, *DATE)
    assert cli(*args, "-o", without).exit_code == 0
    result = cli("--plugins-dir", OV, *args, "-o", with_)
    assert result.exit_code == 0, result.output
    assert "openbaar-vervoer" not in result.stderr
    assert with_.read_bytes() == without.read_bytes()


@pytest.mark.parametrize("audience", ["tafel", "intern"])
def test_another_sectors_draft_is_byte_identical_with_a_python_plugin(library, ov_library,
                                                                       audience):
    for fmt in ("docx", "json", "md"):
        assert _bytes(ov_library, "vvt", audience, fmt) == _bytes(library, "vvt", audience, fmt)


def test_the_override_holds_in_its_own_sector_and_the_intern_outputs_name_it(ov_library):
    intern = json.loads(_bytes(ov_library, "openbaar-vervoer", "intern", "json"))
    entry = next(c for c in intern["clauses"] if c["id"] == "openbaar-vervoer.zelfroosteren")
    assert entry["replaces"] == {"id": "werkdruk.zelfroosteren", "version": "1.3.0",
                                 "plugin": "werkdruk", "plugin_version": entry["replaces"][
                                     "plugin_version"], "scope": "own"}
    assert "werkdruk.zelfroosteren" not in [c["id"] for c in intern["clauses"]]
    # the sector's own value, set under the replaced clause's parameter name, arrives
    assert entry["values"]["wensen_weken"] == {"value": 9, "source": "sector"}
    annex = _bytes(ov_library, "openbaar-vervoer", "intern", "md").decode()
    assert "vervangt werkdruk.zelfroosteren 1.3.0 van plugin werkdruk" in annex
    for fmt in ("json", "md"):
        tafel = _bytes(ov_library, "openbaar-vervoer", "tafel", fmt).decode()
        assert "vervangt" not in tafel and "replaces" not in tafel
        assert "werkdruk.zelfroosteren" not in tafel
    assert "Roosterwensen en dienstenruil" in tafel     # the markdown draft


def test_the_intern_word_annex_names_the_replaced_clause(cli, tmp_path):
    import docx
    out = tmp_path / "ov.docx"
    result = cli("--plugins-dir", OV, "generate", "--sector", "openbaar-vervoer",
                 "--audience", "intern", *DATE, "-o", out)
    assert result.exit_code == 0, result.output
    cells = [c.text for t in docx.Document(str(out)).tables for row in t.rows for c in row.cells]
    assert any("vervangt werkdruk.zelfroosteren 1.3.0 van plugin werkdruk" in c for c in cells)


def test_specs_and_set_written_for_the_replaced_clause_keep_building(cli, tmp_path):
    out = tmp_path / "ov.json"
    result = cli("--plugins-dir", OV, "generate", "--sector", "openbaar-vervoer", "--audience",
                 "intern", "--set", "werkdruk.zelfroosteren.startronde_weken=12", *DATE,
                 "-o", out)
    assert result.exit_code == 0, result.output
    entry = next(c for c in json.loads(out.read_text())["clauses"]
                 if c["id"] == "openbaar-vervoer.zelfroosteren")
    assert entry["values"]["wensen_weken"] == {"value": 12, "source": "spec"}
    spec = tmp_path / "ov.toml"
    spec.write_text('[cao]\nsector = "openbaar-vervoer"\ndate = 2026-12-01\n\n[[clause]]\n'
                    'id = "werkdruk.zelfroosteren"\n[clause.values]\nstartronde_weken = 11\n')
    assert cli("--plugins-dir", OV, "build", spec, "-o", tmp_path / "s.md").exit_code == 0


def test_clauses_sector_lists_what_the_draft_contains(cli):
    own = cli("--plugins-dir", OV, "clauses", "--sector", "openbaar-vervoer", "--json")
    ids = {c["id"]: c for c in json.loads(own.stdout)}
    assert "openbaar-vervoer.zelfroosteren" in ids and "werkdruk.zelfroosteren" not in ids
    assert ids["openbaar-vervoer.zelfroosteren"]["replaces"] == "werkdruk.zelfroosteren"
    assert "werkdruk.roosterinspraak" in ids and "algemeen.looptijd" in ids   # frame included
    other = cli("--plugins-dir", OV, "clauses", "--sector", "vvt").stdout
    assert "werkdruk.zelfroosteren " in other and "openbaar-vervoer" not in other


def _pack_copy(tmp_path, edit):
    folder = tmp_path / "packs" / "openbaar-vervoer"
    shutil.copytree(PACK, folder)
    clause = folder / "werkdruk" / "zelfroosteren.toml"
    clause.write_text(edit(clause.read_text()))
    return folder


def test_scope_all_applies_everywhere_and_is_announced(cli, tmp_path):
    folder = _pack_copy(tmp_path, lambda t: t.replace(
        "# in this plugin's sector only: no scope given", '\nscope = "all"'))
    out = tmp_path / "vvt.json"
    result = cli("--plugins-dir", folder.parent, "generate", "--sector", "vvt", "--audience",
                 "intern", *DATE, "-o", out)
    assert result.exit_code == 0, result.output
    assert ("openbaar-vervoer.zelfroosteren van plugin openbaar-vervoer@0.4.0 vervangt "
            "werkdruk.zelfroosteren") in result.stderr
    entry = next(c for c in json.loads(out.read_text())["clauses"]
                 if c["id"] == "openbaar-vervoer.zelfroosteren")
    assert entry["replaces"]["scope"] == "all"


def test_scope_lists_sectors(cli, tmp_path):
    folder = _pack_copy(tmp_path, lambda t: t.replace(
        "# in this plugin's sector only: no scope given", '\nscope = ["vvt"]'))
    vvt = cli("--plugins-dir", folder.parent, "clauses", "--sector", "vvt").stdout
    assert "openbaar-vervoer.zelfroosteren" in vvt
    own = cli("--plugins-dir", folder.parent, "clauses", "--sector", "openbaar-vervoer").stdout
    assert "werkdruk.zelfroosteren " in own          # not listed: not its own sector then
    assert cli("--plugins-dir", folder.parent, "check").exit_code == 0


def test_check_reports_an_override_that_drops_a_parameter(cli, tmp_path):
    folder = _pack_copy(tmp_path, lambda t: t.replace(
        '[parameter_map]\nstartronde_weken = "wensen_weken"', ""))
    result = cli("check", folder)
    assert result.exit_code == 1
    assert ("error: overrides 'werkdruk.zelfroosteren' but lacks its parameter "
            "'startronde_weken'") in result.output
    assert "[parameter_map] startronde_weken" in result.output


def test_check_reports_a_mapping_of_an_unknown_parameter(cli, tmp_path):
    folder = _pack_copy(tmp_path, lambda t: t.replace(
        'startronde_weken = "wensen_weken"',
        'startronde_weken = "wensen_weken"\nstart_weken = "wensen_weken"'))
    result = cli("check", folder)
    assert result.exit_code == 1
    assert "parameter_map: 'werkdruk.zelfroosteren' has no parameter 'start_weken'" \
        in result.output


def test_a_scope_naming_an_unknown_sector_is_reported(cli, tmp_path):
    folder = _pack_copy(tmp_path, lambda t: t.replace(
        "# in this plugin's sector only: no scope given", '\nscope = ["vtt"]'))
    result = cli("check", folder)
    assert result.exit_code == 1 and "scope: unknown sector 'vtt'" in result.output


def test_the_web_page_lists_each_sectors_own_clauses(ov_library):
    from clausegen.web.forms import clause_order
    own = [c.id for c in clause_order(ov_library.sectors["openbaar-vervoer"], ov_library)]
    assert "openbaar-vervoer.zelfroosteren" in own and "werkdruk.zelfroosteren" not in own
    vvt = [c.id for c in clause_order(ov_library.sectors["vvt"], ov_library)]
    assert "werkdruk.zelfroosteren" in vvt and "openbaar-vervoer.zelfroosteren" not in vvt


def test_check_lints_the_source_even_when_the_same_plugin_is_loaded(cli, tmp_path):
    """`clausegen check ./source` with another copy of the same plugin loaded (installed, or
    here in --plugins-dir): the copy's ids do not count against the source."""
    installed = tmp_path / "installed"
    shutil.copytree(PACK, installed / "openbaar-vervoer")
    source = tmp_path / "source"
    shutil.copytree(PACK, source)
    result = cli("--plugins-dir", installed, "check", source)
    assert result.exit_code == 0, result.output
    assert "already registered" not in result.output
    assert "0 errors, 0 warnings" in result.stderr


def test_a_misspelt_clause_id_in_the_fixture_values_is_an_error(library, tmp_path):
    from clausegen.errors import ClausegenError
    from clausegen.testing import build_docx
    with pytest.raises(ClausegenError, match="werkdruk.zelfroosteren"):
        build_docx(library, tmp_path / "d.docx", sector="vvt",
                   values={"werkdruk.zelfroostern": {"startronde_weken": 9}})
    with pytest.raises(ClausegenError, match="not in this draft"):
        build_docx(library, tmp_path / "d.docx", sector="vvt", clauses=["werkdruk.roosterinspraak"],
                   values={"werkdruk.zelfroosteren": {"startronde_weken": 9}})
    plan = build_docx(library, tmp_path / "d.docx", sector="vvt",
                      values={"werkdruk.zelfroosteren": {"startronde_weken": 9}})
    assert plan.value("werkdruk.zelfroosteren", "startronde_weken") == 9


def test_check_reports_a_scope_all_override_that_drops_a_parameter(cli, tmp_path):
    """An override in force everywhere under an id of its own is held to the clause it
    replaces too (the registry says which one that is)."""
    folder = _pack_copy(tmp_path, lambda t: t.replace(
        '[parameter_map]\nstartronde_weken = "wensen_weken"', "").replace(
        "# in this plugin's sector only: no scope given", '\nscope = "all"'))
    result = cli("check", folder)
    assert result.exit_code == 1
    assert ("error: overrides 'werkdruk.zelfroosteren' but lacks its parameter "
            "'startronde_weken'") in result.output
