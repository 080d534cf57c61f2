"""The CLI as a user runs it: listings, generate, init -> build, errors and exit codes."""
import json
import subprocess
import sys

import pytest

from conftest import FLAGSHIPS, PACKS

SECTORS_13 = {"bouw-infra", "metalektro", "metaal-techniek", "ziekenhuizen", "vvt",
              "gehandicaptenzorg", "sociaal-werk", "gemeenten", "schoonmaak",
              "beroepsgoederenvervoer", "retail-non-food", "banken", "verzekeringen"}


def test_listings_in_json_have_the_documented_shapes(cli):
    clauses = json.loads(cli("clauses", "--json").stdout)
    ids = [c["id"] for c in clauses]
    assert set(FLAGSHIPS) <= set(ids)
    first = next(c for c in clauses if c["id"] == "werkdruk.zelfroosteren")
    assert {"id", "version", "theme", "title", "parameters", "positions", "addresses",
            "legal_basis", "plugin", "languages"} <= set(first)
    assert first["languages"] == ["en", "nl"]
    assert set(first["positions"]) == {"openingsbod", "doel", "ondergrens"}
    assert first["plugin"]["name"] == "werkdruk" and first["plugin"]["distribution"] == "clausegen"
    sectors = json.loads(cli("sectors", "--json").stdout)
    assert SECTORS_13 <= {s["id"] for s in sectors}
    for sector in sectors:
        assert sector["cao"]["nl"] and sector["employers"] and sector["unions"]
    themes = json.loads(cli("themes", "--json").stdout)
    assert [t["id"] for t in themes][:4] == ["algemeen", "robotisering", "generaties", "werkdruk"]


def test_listing_commands_do_not_import_python_docx():
    code = ("import sys\n"
            "from click.testing import CliRunner\n"
            "from clausegen.cli import cli\n"
            "for args in (['--help'], ['clauses'], ['sectors'], ['themes'], ['plugins'],"
            " ['clauses', '--json']):\n"
            "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
            "    assert 'docx' not in sys.modules, args\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_generate_writes_a_docx_with_the_flagship_clauses(cli, tmp_path):
    import docx
    out = tmp_path / "concept.docx"
    result = cli("generate", "--sector", "ziekenhuizen", "-o", out, "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stdout
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    for title in ("Individueel ontwikkelbudget", "Zelfroosteren", "Mentorschap"):
        assert title.lower() in text.lower(), title


def test_init_then_build_unchanged_succeeds(cli, tmp_path):
    spec = tmp_path / "spec.toml"
    result = cli("init", "--sector", "vvt", "-o", spec, "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    text = spec.read_text()
    assert 'sector = "vvt"' in text and "[[clause]]" in text and "# " in text
    out = tmp_path / "spec.docx"
    result = cli("build", spec)
    assert result.exit_code == 0, result.output
    assert out.exists()
    manifest = tmp_path / "spec.json"
    assert cli("build", spec, "--audience", "intern", "-o", manifest).exit_code == 0
    generated = tmp_path / "gen.json"
    assert cli("generate", "--sector", "vvt", "--date", "2026-12-01", "--audience", "intern",
               "-o", generated).exit_code == 0
    built, direct = json.loads(manifest.read_text()), json.loads(generated.read_text())
    values = lambda m: {c["id"]: {k: v["value"] for k, v in c["values"].items()}
                        for c in m["clauses"]}
    assert values(built) == values(direct)


def test_mistyped_sector_exits_1_with_a_suggestion(cli, tmp_path):
    result = cli("generate", "--sector", "ziekenhuizn", "-o", tmp_path / "x.docx")
    assert result.exit_code == 1
    assert "unknown sector 'ziekenhuizn'" in result.stderr
    assert "did you mean 'ziekenhuizen'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize("args, code, fragment", [
    (["generate", "--sector", "vvt", "--clause", "werkdruk.zelfrooster"], 1,
     "did you mean 'werkdruk.zelfroosteren'"),
    (["generate", "--sector", "vvt", "--set", "werkdruk.roosterinspraak.bekendmaking_dagn=3"], 1,
     "did you mean 'bekendmaking_dagen'"),
    (["generate", "--sector", "vvt", "--set", "werkdruk.roosterinspraak.bekendmaking_dagen=1000"],
     1, "above the maximum"),
    (["generate", "--sector", "vvt", "--set", "werkdruk.roosterinspraak.bekendmaking_dagen=veel"],
     1, "not a number"),
    (["generate", "--sector", "vvt", "--set", "bekendmaking_dagen"], 2, "CLAUSE_ID.PARAM=VALUE"),
    (["generate", "--sector", "vvt", "--position", "doell"], 2, "doell"),
    (["generate"], 2, "--sector"),
    (["generate", "--sector", "vvt", "--date", "1-12-2026"], 2, "YYYY-MM-DD"),
    (["build", "missing.toml"], 1, "spec file not found"),
    (["show", "werkdruk.zelfrooster"], 1, "did you mean 'werkdruk.zelfroosteren'"),
])
def test_bad_input_gives_one_message_and_the_right_exit_code(cli, tmp_path, args, code, fragment):
    result = cli(*args, "-o", tmp_path / "x.docx") if args[0] == "generate" else cli(*args)
    assert result.exit_code == code, result.output
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.docx").exists()


def test_an_existing_file_is_kept_without_force(cli, tmp_path):
    out = tmp_path / "c.docx"
    out.write_bytes(b"the negotiator's own edits")
    result = cli("generate", "--sector", "vvt", "-o", out)
    assert result.exit_code == 1 and "--force" in result.stderr
    assert out.read_bytes() == b"the negotiator's own edits"
    assert cli("generate", "--sector", "vvt", "-o", out, "--force").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["c.docx"]


def test_show_renders_a_clause_with_value_sources(cli):
    result = cli("show", "werkdruk.roosterinspraak", "--sector", "ziekenhuizen",
                 "--position", "openingsbod")
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.stdout.splitlines() if "bekendmaking_dagen =" in ln)
    # the value follows the position; every position's value and the current cao are shown
    assert "from position" in line and "openingsbod" in line and "ondergrens" in line
    assert "current cao" in line


def test_show_finds_the_sector_of_an_override_with_an_id_of_its_own(cli):
    """An override with a new id is in force only in its own sectors: `show` without
    --sector renders it with the first of those, and names it when --sector is another."""
    from conftest import FIXTURES
    ov = FIXTURES / "openbaar_vervoer"
    result = cli("--plugins-dir", ov, "show", "openbaar-vervoer.zelfroosteren")
    assert result.exit_code == 0, result.output
    assert "Roosterwensen en dienstenruil" in result.stdout
    assert "(rendered with sector openbaar-vervoer; pass --sector to choose)" in result.stdout
    assert "wensen_weken = 9 weken" in result.stdout     # the sector's own value
    result = cli("--plugins-dir", ov, "show", "openbaar-vervoer.zelfroosteren",
                 "--sector", "vvt")
    assert result.exit_code == 1
    assert ("clause 'openbaar-vervoer.zelfroosteren' is an override in force only in sector "
            "openbaar-vervoer, not in sector 'vvt'; pass --sector openbaar-vervoer"
            in result.stderr)
    # the replaced id still shows the override in its sector, and the original elsewhere
    result = cli("--plugins-dir", ov, "show", "werkdruk.zelfroosteren",
                 "--sector", "openbaar-vervoer")
    assert result.exit_code == 0 and "openbaar-vervoer.zelfroosteren 0.4.0" in result.stdout
    result = cli("--plugins-dir", ov, "show", "werkdruk.zelfroosteren")
    assert result.exit_code == 0 and "werkdruk.zelfroosteren 1.3.0" in result.stdout
    assert "(rendered with sector banken;" in result.stdout


def test_positions_give_different_values(cli, tmp_path):
    texts = {}
    for position in ("openingsbod", "doel", "ondergrens"):
        out = tmp_path / f"{position}.md"
        assert cli("generate", "--sector", "vvt", "--position", position, "-o", out,
                   "--date", "2026-12-01").exit_code == 0
        texts[position] = out.read_text()
    assert len(set(texts.values())) == 3


def test_content_pack_clause_lands_in_a_draft(cli, tmp_path):
    out = tmp_path / "zorg.md"
    result = cli("--plugins-dir", PACKS, "generate", "--sector", "testzorg", "-o", out,
                 "--set", "zorg.nachtdienst.leeftijd=57", "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Artikel 2.1. Nachtdiensten voor oudere medewerkers" in text
    assert "medewerker van 57 jaar" in text and "€ 45 per dienst" in text


def test_strict_refuses_while_a_value_is_missing(cli, tmp_path):
    out = tmp_path / "s.docx"
    result = cli("generate", "--sector", "bouw-infra", "-o", out, "--strict")
    assert result.exit_code == 1 and "to fill in" in result.stderr and not out.exists()
    result = cli("generate", "--sector", "bouw-infra", "-o", out, "--strict",
                 "--set", "algemeen.slotbepaling.plaats=Utrecht",
                 "--set", "algemeen.slotbepaling.ondertekening=2027-01-15",
                 "--set", "algemeen.werkingssfeer.vindplaats_afbakening=artikel 2 van de Cao X",
                 "--set", "generaties.ouderen.vindplaats_zware_functies=bijlage 7 van de Cao X")
    assert result.exit_code == 0, result.output


def test_a_mistyped_position_gets_a_suggestion(cli):
    result = cli("generate", "--sector", "vvt", "--position", "doelen")
    assert result.exit_code == 2 and "did you mean 'doel'?" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--theme", "werkdruk", "--clause", "werkdruk.zelfroosteren"], "--theme and --clause"),
    (["--set", "werkdruk.roosterinspraak.bekendmaking_dagen=30",
      "--set", "werkdruk.roosterinspraak.bekendmaking_dagen=31"], "given twice"),
])
def test_options_that_would_be_ignored_are_refused(cli, tmp_path, args, message):
    result = cli("generate", "--sector", "vvt", *args, "-o", tmp_path / "x.md")
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_a_spec_with_themes_and_clauses_is_refused(cli, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('[cao]\nsector = "vvt"\nthemes = ["werkdruk"]\n'
                    '[[clause]]\nid = "werkdruk.zelfroosteren"\n')
    result = cli("build", spec, "-o", tmp_path / "x.md")
    assert result.exit_code == 1 and "s.toml:3" in result.stderr
    assert "themes and a list of clauses together" in result.stderr


def completions(args, incomplete):
    """What the shell would offer after `clausegen ARGS INCOMPLETE<TAB>`."""
    from click.shell_completion import ShellComplete
    from clausegen import plugin_host
    from clausegen.cli import cli as command
    plugin_host._hosts.clear()
    try:
        found = ShellComplete(command, {}, "clausegen", "_CLAUSEGEN_COMPLETE").get_completions(
            args, incomplete)
    finally:
        plugin_host._hosts.clear()
    return [item.value for item in found]


def test_shell_completion_offers_sectors_clauses_themes_and_positions(monkeypatch):
    from conftest import FIXTURES
    monkeypatch.delenv("CLAUSEGEN_PLUGINS_DIR", raising=False)
    assert "vvt" in completions(["generate", "--sector"], "v")
    assert "ziekenhuizen" in completions(["mandate", "--sector"], "zi")
    assert "werkdruk.zelfroosteren" in completions(["show"], "werkdruk.z")
    assert "werkdruk.zelfroosteren" in completions(["generate", "--clause"], "werkdruk.")
    assert completions(["clauses", "--theme"], "w") == ["werkdruk"]
    assert completions(["generate", "--position"], "o") == ["openingsbod", "ondergrens"]
    # with a plugins dir and a sector typed: that sector's own override, not the clause it replaces
    ov = ["--plugins-dir", str(FIXTURES / "openbaar_vervoer"), "generate", "--sector",
          "openbaar-vervoer", "--clause"]
    offered = completions(ov, "")
    assert "openbaar-vervoer.zelfroosteren" in offered and "werkdruk.zelfroosteren" not in offered


def test_output_cut_short_by_a_pipe_is_not_an_internal_error(tmp_path):
    """`clausegen new-plugin x | head -1`: the reader leaves early; the writer stops quietly
    (exit 1) instead of reporting an internal BrokenPipeError."""
    from conftest import clausegen_exe
    process = subprocess.Popen([clausegen_exe(), "new-plugin", "kinderopvang"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()          # before it writes its first line
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 1, errors
    assert "internal error" not in errors and "Traceback" not in errors, errors
    assert (tmp_path / "clausegen-kinderopvang" / "pyproject.toml").is_file()
