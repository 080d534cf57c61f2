"""`clausegen check`: one broken fixture per kind of finding, the exact finding and its line;
the built-in library without findings; the plugin mode; --json; exit codes."""
import json

import click
import pytest
from click.testing import CliRunner

from clausegen import plugin_host
from clausegen.cli import check_command
from clausegen.lint import LintFinding, lint_paths, lint_plugins
from conftest import FIXTURES, PACKS, ROOT

LINT = FIXTURES / "lint"
DIR = "tests/fixtures/lint"


@pytest.fixture(scope="module")
def builtin():
    """The built-in library (not strict: content of other themes may be in progress)."""
    from clausegen.testing import make_library
    return make_library(strict=False)


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Findings name paths relative to the working directory; plugin hosts start fresh."""
    monkeypatch.chdir(ROOT)
    for key in ("CLAUSEGEN_PLUGINS_DIR", "CLAUSEGEN_DISABLE_PLUGINS", "CLAUSEGEN_LOAD_PLUGINS"):
        monkeypatch.delenv(key, raising=False)
    plugin_host._hosts.clear()
    yield
    plugin_host._hosts.clear()


@click.group()
@click.option("--plugins-dir")
@click.pass_context
def group(ctx, plugins_dir):
    """Just the check command under a group with --plugins-dir, as `clausegen` has it."""
    from clausegen.cli import Context
    ctx.obj = Context(plugins_dir, False)


group.add_command(check_command)


def run(*args):
    return CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)


# (fixture, line, level, code, message): each fixture breaks one thing of clean.toml
CASES = [
    ("toml-syntax.toml", 5, "error", "toml-syntax", "TOML syntax error: Unclosed inline table"),
    ("not-utf8.toml", 5, "error", "file", "file is not UTF-8 text"),
    ("unknown-key.toml", 5, "error", "unknown-key", "unknown key 'tittle'; did you mean 'title'?"),
    ("unknown-language.toml", 5, "error", "unknown-language",
     "title.eng: unknown language 'eng' (use nl, en); did you mean 'en'?"),
    ("invalid.toml", 3, "error", "invalid", "version 'een' must look like 1.0.0"),
    ("bounds.toml", 13, "error", "bounds",
     "parameters.pauze_minuten: min 70 is above max 60 (key 'parameters.pauze_minuten.min')"),
    ("default-value.toml", 12, "error", "default-value",
     "parameters.pauze_minuten.default: 10 is below the minimum 15"),
    ("unknown-position.toml", 19, "error", "unknown-position",
     "unknown position 'doell' (use openingsbod, doel, ondergrens) (key 'positions.doell'); "
     "did you mean 'doel'?"),
    ("unknown-parameter.toml", 19, "error", "unknown-parameter",
     "positions.doel names unknown parameter 'pauze_uren' (key 'positions.doel.pauze_uren'); "
     "did you mean 'pauze_minuten'?"),
    ("position-value.toml", 18, "error", "position-value",
     "positions.openingsbod.pauze_minuten: 75 is above the maximum 60"),
    # text.nl starts on line 22; its 2nd line is line 24 of the file
    ("template-syntax.toml", 25, "error", "template-syntax",
     "text.nl: template syntax error: Encountered unknown tag 'endif'."),
    ("unknown-filter.toml", 25, "error", "unknown-filter",
     "text.nl: unknown filter 'nummer'; did you mean 'number'?"),
    ("undeclared-variable.toml", 25, "error", "undeclared-variable",
     "text.nl: 'werkdag_uren' is neither a parameter nor a draft name "
     "(cao, current, employers, end, language, positions, range, ref, sector, start, unions)"),
    ("unused-parameter.toml", 17, "warning", "unused-parameter",
     "parameter 'rust_minuten' is declared but no template uses it"),
    ("missing-nl.toml", 22, "error", "missing-language",
     "text has no nl text; a draft in nl that includes this clause fails"),
    ("missing-en.toml", 22, "warning", "missing-language",
     "text has no en text; a draft in en that includes this clause fails"),
    ("language-mismatch.toml", 27, "warning", "language-mismatch",
     "text.en does not use parameter 'pauze_minuten', which text.nl uses"),
    ("unknown-theme.toml", 4, "error", "unknown-theme",
     "theme 'werkdrukk' is not registered; did you mean 'werkdruk'?"),
    ("unknown-definition.toml", 6, "error", "unknown-definition",
     "definitions: unknown definition 'werknemers'; did you mean 'werknemer'?"),
    ("unknown-clause.toml", 8, "error", "unknown-clause",
     "requires: unknown clause 'werkdruk.zelfroosteern'; did you mean 'werkdruk.zelfroosteren'?"),
    ("ref-unknown.toml", 25, "error", "unknown-clause",
     "text.nl: ref() to unknown clause 'werkdruk.zelfroosteern'; "
     "did you mean 'werkdruk.zelfroosteren'?"),
    ("ref-not-required.toml", 25, "warning", "ref-not-required",
     "text.nl: ref('werkdruk.zelfroosteren') cites a clause that is not in requires; "
     "a draft without it shows a placeholder"),
    ("unknown-anchor.toml", 7, "warning", "unknown-anchor",
     "addresses: 'werkdruk.regelruimtes' is not an anchor of the seed; "
     "did you mean 'werkdruk.regelruimte'?"),
    # the failing {% if %} is on the 2nd line of text.nl, which starts on line 21
    ("render.toml", 24, "error", "render",
     "text.nl does not render with its default values (a placeholder for pauze_minuten, which "
     "has no default): TypeError: '>' not supported between instances of 'str' and 'int'"),
    ("sectoren/recommended.toml", 7, "error", "unknown-clause",
     "recommended: unknown clause 'werkdruk.zelfrooster'; did you mean 'werkdruk.zelfroosteren'?"),
    ("sectoren/override-parameter.toml", 10, "error", "unknown-parameter",
     "current 'werkdruk.zelfroosteren.startronde_week': clause 'werkdruk.zelfroosteren' has no "
     "parameter 'startronde_week'; did you mean 'startronde_weken'?"),
    ("sectoren/override-value.toml", 10, "error", "override-value",
     "current.werkdruk.zelfroosteren.startronde_weken: 99 is above the maximum 16"),
    ("sectoren/replaces.toml", 7, "error", "unknown-sector",
     "replaces 'ziekenhuis', which no plugin registered; did you mean 'ziekenhuizen'?"),
    ("missing-direction.toml", 9, "warning", "missing-direction",
     'parameters.pauze_minuten: say which way is better for workers (better = "higher" or '
     '"lower"), so positions can be checked'),
    ("position-order.toml", 17, "error", "position-order",
     "positions: pauze_minuten: openingsbod 25 is worse for workers than doel 30 "
     "(better = higher)"),
    # text.nl starts on line 23; the typed 45 is on its 2nd line
    ("literal-number.toml", 25, "error", "literal-number",
     "text.nl: the number 45 is the openingsbod value of 'pauze_minuten'; write "
     "{{ pauze_minuten | ... }}, or list it under fixed_numbers if it is a fact of law"),
    ("positions-in-public.toml", 23, "error", "positions-in-public",
     "text.nl: 'positions' (every position's values) may only be used in arguments: this text "
     "reaches the other side of the table"),
    ("deprecated-key.toml", 32, "warning", "deprecated-key",
     "'toelichting' is deprecated: it counts as internal and never reaches the table; split it "
     "into explanation (public) and arguments (internal)"),
    ("sectoren/below-current-cao.toml", 10, "warning", "below-current-cao",
     "werkdruk.roosterinspraak.bekendmaking_dagen: ondergrens 28 is worse for workers than the "
     "current cao (40); a walk-away below the current cao is a trade that needs a note"),
    ("sectoren/deprecated-overrides.toml", 9, "warning", "deprecated-key",
     "'overrides' is deprecated: it sets one value for every position. Put the sector's current "
     "cao values under [current] and its own values per position under [positions.openingsbod], "
     "[positions.doel] or [positions.ondergrens]"),
    ("override-drops-parameter.toml", 3, "error", "override-drops-parameter",
     "overrides 'werkdruk.roosterinspraak' but lacks its parameters 'bekendmaking_dagen', "
     "'wijziging_uren', 'wijzigingstoeslag': specs and sector values that set them would stop "
     "building. Keep them, or map each onto a parameter of this clause: [parameter_map] "
     "bekendmaking_dagen = \"<own parameter>\""),
    ("duplicate", 2, "error", "duplicate-id",   # the second of two files with one id
     "clause id 'werkdruk.lintdubbel' is already registered by "
     f"{DIR}/duplicate/werkdruk/a.toml; set overrides = \"werkdruk.lintdubbel\" to replace it"),
    ("pack", 2, "error", "unknown-key",          # a content pack: its plugin.toml
     "unknown key 'verison' in plugin.toml (allowed: name, version, description); "
     "did you mean 'version'?"),
]
FILES = {"duplicate": "duplicate/werkdruk/b.toml", "pack": "pack/plugin.toml"}


@pytest.mark.parametrize("fixture, line, level, code, message", CASES,
                         ids=[case[0] for case in CASES])
def test_each_fixture_gives_exactly_its_finding(builtin, fixture, line, level, code, message):
    path = f"{DIR}/{FILES.get(fixture, fixture)}"
    assert lint_paths([LINT / fixture], builtin) == [LintFinding(path, line, level, code, message)]


def test_every_kind_of_finding_has_a_fixture():
    from clausegen.lint import CODES
    # plugin problems use the broken drop-ins of tests/fixtures/dropins (see below)
    covered = {case[3] for case in CASES} | {"plugin"}
    assert set(CODES) == covered, set(CODES) ^ covered


def test_the_clean_fixture_has_no_findings(builtin):
    assert lint_paths([LINT / "clean.toml"], builtin) == []


def test_a_clause_with_the_id_of_a_builtin_clause_is_a_duplicate(builtin):
    [finding] = lint_paths([LINT / "duplicate-library.toml"], builtin)
    assert (finding.code, finding.line, finding.level) == ("duplicate-id", 2, "error")
    assert finding.message.startswith("clause id 'werkdruk.zelfroosteren' is already registered "
                                      "by ")
    assert "zelfroosteren.toml" in finding.message
    assert finding.message.endswith('set overrides = "werkdruk.zelfroosteren" to replace it')


def test_a_pack_and_a_plugin_package_lint_clean():
    # the pack brings its own theme and definitions: no library needed
    assert lint_paths([PACKS / "zorgpack"]) == []


def test_a_plugin_package_folder_lints_its_content(builtin):
    assert lint_paths([FIXTURES / "sector_plugin"], builtin) == []


def test_builtin_library_has_no_findings():
    from clausegen.plugin_host import PluginHost
    findings = lint_plugins(PluginHost(env={}, entry_points="builtin"))
    assert findings == [], "\n".join(map(str, findings))


def test_check_without_paths_passes_on_the_builtin_library():
    result = run("check")
    assert result.stdout == ""
    assert result.exit_code == 0, result.stderr


def test_a_file_of_the_loaded_library_is_checked_in_place():
    """`clausegen check clauses/x.toml` on a file the library already holds lints it where it
    is, not as a second clause with the same id (a duplicate-id of itself)."""
    target = ROOT / "clauses" / "werkdruk" / "zelfroosteren.toml"
    result = run("check", target)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "duplicate-id" not in result.stdout and "0 errors" in result.stderr


def test_check_reports_broken_plugins_from_the_plugins_dir():
    result = run("--plugins-dir", FIXTURES / "dropins" / "broken", "check")
    assert result.exit_code == 1
    broken = "tests/fixtures/dropins/broken"
    lines = result.stdout.splitlines()
    for expected in (
        f"{broken}/kapot_import.py: error: plugin kapot_import: failed to load: "
        "ModuleNotFoundError: No module named 'clausegen_dependency_that_does_not_exist' "
        "(at kapot_import.py:2)",
        f"{broken}/onbekende_hook.py: error: plugin onbekende_hook: implements unknown hook "
        "'register_clause'; did you mean 'register_clauses'?",
        f"{broken}/kapot_hook.py: error: plugin kapot_hook: register_clauses: RuntimeError: "
        "database of clauses unreachable (at kapot_hook.py:7)",
        f"{broken}/verkeerd_type.py: error: plugin verkeerd_type: register_clauses: expected a "
        "path to a clause file or a Clause, got int",
    ):
        assert expected in lines, result.stdout
    [duplicate] = [ln for ln in lines if ln.startswith(f"{broken}/data/looptijd-kopie.toml:1: ")]
    assert "error: clause id 'algemeen.looptijd' is already registered by plugin algemeen" \
        in duplicate


def test_json_is_a_list_of_findings():
    result = run("check", LINT / "unknown-key.toml", LINT / "not-content.txt", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == [
        {"path": f"{DIR}/not-content.txt", "line": None, "level": "error", "code": "file",
         "message": "not a content file (expected a .toml clause, theme, definitions or sector "
                    "file, a content folder or a plugin folder)"},
        {"path": f"{DIR}/unknown-key.toml", "line": 5, "level": "error", "code": "unknown-key",
         "message": "unknown key 'tittle'; did you mean 'title'?"},
    ]
    assert result.stderr == "clausegen check: 2 errors, 0 warnings in 1 file\n"


def test_text_output_omits_an_unknown_line():
    result = run("check", LINT / "not-content.txt")
    assert result.stdout == (f"{DIR}/not-content.txt: error: not a content file (expected a "
                             ".toml clause, theme, definitions or sector file, a content folder "
                             "or a plugin folder)\n")


@pytest.mark.parametrize("fixture, code", [("clean.toml", 0), ("unused-parameter.toml", 0),
                                           ("missing-en.toml", 0), ("unknown-key.toml", 1),
                                           ("render.toml", 1)])
def test_exit_code_is_1_on_errors_and_0_on_warnings_alone(fixture, code):
    result = run("check", LINT / fixture)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("clausegen check: ")


def test_a_missing_path_is_a_usage_error():
    assert run("check", LINT / "nothing-here.toml").exit_code == 2


def test_the_command_runs_on_its_own_without_the_group():
    result = CliRunner().invoke(check_command, [str(LINT / "unused-parameter.toml")])
    assert result.exit_code == 0
    assert result.stdout == (f"{DIR}/unused-parameter.toml:17: warning: parameter 'rust_minuten' "
                             "is declared but no template uses it\n")
    assert result.stderr == "clausegen check: 0 errors, 1 warning in 1 file\n"


def test_help_has_an_example():
    assert "Example:" in check_command.help


def test_lint_plugins_checks_items_a_plugin_builds_in_python():
    from clausegen import hookimpl
    from clausegen.content import parse_clause
    from clausegen.plugin_host import PluginHost
    text = (LINT / "unknown-filter.toml").read_text(encoding="utf-8")

    class InPython:
        @hookimpl
        def register_clauses(self, register):
            register(parse_clause(text.replace("werkdruk.lintpauze", "werkdruk.inpython"), "x"))
            register(3.14)

    host = PluginHost(env={}, entry_points="builtin", extra=[("inpython", InPython())])
    findings = [f for f in lint_plugins(host) if "inpython" in f.path]
    assert findings == [
        LintFinding("inpython", None, "error", "plugin", "plugin inpython: register_clauses: "
                    "expected a path to a clause file or a Clause, got float"),
        LintFinding("inpython (clause werkdruk.inpython)", None, "error", "unknown-filter",
                    "text.nl: unknown filter 'nummer'; did you mean 'number'?"),
    ]


@pytest.mark.parametrize("sentence", ["de medewerkers krijgen 45 minuten",
                                      "tussen 30 en 45 minuten", "of 45 minuten",
                                      "na een dienst, 45 minuten"])
def test_a_typed_position_number_is_found_after_any_word(builtin, tmp_path, sentence):
    """Only a citation ("artikel 3 en 4") excuses a number; ordinary words before it do not."""
    text = (LINT / "clean.toml").read_text().replace(
        "{{ pauze_minuten | number }} minuten.\n", f"{{{{ pauze_minuten | number }}}} minuten; {sentence}.\n", 1)
    path = tmp_path / "clause.toml"
    path.write_text(text)
    found = lint_paths([path], builtin)
    assert found and {f.code for f in found} == {"literal-number"}
    assert any("the number 45 " in f.message for f in found)


def test_a_typed_position_number_in_a_title_is_found(builtin, tmp_path):
    text = (LINT / "clean.toml").read_text().replace('title = { nl = "Pauze"',
                                                     'title = { nl = "Pauze van 45 minuten"')
    path = tmp_path / "clause.toml"
    path.write_text(text)
    assert [f.code for f in lint_paths([path], builtin)] == ["literal-number"]


def test_a_plugin_that_prints_while_registering_is_reported_and_stdout_stays_clean(capsys):
    """The linter calls the hooks through the host, isolated: `check --json` stays JSON."""
    from clausegen import hookimpl
    from clausegen.plugin_host import PluginHost

    class Chatty:
        @hookimpl
        def register_clauses(self, register):
            print("registering my clauses")

    host = PluginHost(env={}, entry_points="builtin", extra=[("chatty", Chatty())])
    findings = [f for f in lint_plugins(host) if f.path == "chatty"]
    assert findings == [LintFinding("chatty", None, "error", "plugin",
                                    "plugin chatty: register_clauses: printed to standard "
                                    "output (shown on stderr); a plugin must not print")]
    assert capsys.readouterr().out == ""
