"""`clausegen new-plugin`: what it writes works unchanged, and it refuses what it must refuse.

The fast tests scaffold in-process and load the result with the test library. The slow ones do
what a sector's IT staff would: in a fresh virtual environment with clausegen installed from
its wheel, scaffold with the installed command, `pip install -e` the package, run its own tests,
and list and draft with it; the same for a content pack and for the worked example in
examples/clausegen-kinderopvang (installed from a copy, not editable, so its package data is
tested too).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from clausegen.errors import ClausegenError
from clausegen.tomlfile import loads
from conftest import ROOT

EXAMPLE = ROOT / "examples" / "clausegen-kinderopvang"
POSITIONS = ("openingsbod", "doel", "ondergrens")


# ---------------------------------------------------------------- helpers shared with test_tutorial


def clean_env(**extra) -> dict:
    """The environment of a user's shell: no settings of the running tests or of clausegen."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CLAUSEGEN_", "PYTHON", "VIRTUAL_ENV", "PYTEST_"))}
    env.update(extra)
    return env


class Env:
    """A virtual environment outside the checkout, with clausegen (from its wheel) and pytest."""

    def __init__(self, path: Path):
        self.path = path
        self.bin = path / "bin"

    def run(self, program, *args, cwd, check=True, timeout=600) -> subprocess.CompletedProcess:
        result = subprocess.run([str(self.bin / program), *map(str, args)], cwd=cwd,
                                env=clean_env(PATH=f"{self.bin}{os.pathsep}{os.environ['PATH']}"),
                                capture_output=True, text=True, timeout=timeout)
        if check:
            assert result.returncode == 0, (f"{program} {' '.join(map(str, args))} exited "
                                            f"{result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def pip(self, *args, cwd):
        return self.run("python", "-m", "pip", "install", "--quiet", *args, cwd=cwd)

    def clausegen(self, *args, cwd, check=True):
        return self.run("clausegen", *args, cwd=cwd, check=check, timeout=300)


def docx_text(path: Path) -> str:
    import docx
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


# ---------------------------------------------------------------- fast: in-process


@pytest.fixture
def new_plugin(cli, tmp_path, monkeypatch):
    """Run `clausegen new-plugin ARGS` in-process from tmp_path."""
    monkeypatch.chdir(tmp_path)

    def run(*args, **kwargs):
        return cli("new-plugin", *args, **kwargs)
    return run


def import_scaffold(folder: Path, module: str, monkeypatch):
    import importlib
    monkeypatch.syspath_prepend(str(folder))
    return importlib.import_module(module)


def test_a_package_scaffold_has_every_part_and_loads(new_plugin, tmp_path, monkeypatch):
    result = new_plugin("zorg-plus")
    assert result.exit_code == 0, result.output
    root = tmp_path / "clausegen-zorg-plus"
    module = root / "clausegen_zorg_plus"
    for part in ("pyproject.toml", "README.md", "clausegen_zorg_plus/__init__.py",
                 "clausegen_zorg_plus/content/zorg-plus/theme.toml",
                 "clausegen_zorg_plus/content/zorg-plus/herstel.toml",
                 "clausegen_zorg_plus/content/sectoren/zorg-plus.toml",
                 "tests/test_clausegen_zorg_plus.py"):
        assert (root / part).is_file(), part
        assert f"  {part}" in result.stdout
    assert 'pip install -e "./clausegen-zorg-plus[test]"' in result.stdout
    pyproject = loads((root / "pyproject.toml").read_text(), "pyproject.toml", ClausegenError)
    assert pyproject["project"]["name"] == "clausegen-zorg-plus"
    assert pyproject["project"]["entry-points"]["clausegen"] == {"zorg-plus": "clausegen_zorg_plus"}
    assert pyproject["tool"]["setuptools"]["packages"] == ["clausegen_zorg_plus"]
    assert "content/*/*.toml" in pyproject["tool"]["setuptools"]["package-data"]["clausegen_zorg_plus"]
    assert any(d.startswith("clausegen>=") for d in pyproject["project"]["dependencies"])
    assert "clausegen_library" in (root / "tests/test_clausegen_zorg_plus.py").read_text()
    assert module.is_dir()

    from clausegen.testing import make_library
    plugin = import_scaffold(root, "clausegen_zorg_plus", monkeypatch)
    library = make_library(("zorg-plus", plugin))       # strict: any plugin error raises
    assert "zorg-plus" in library.themes and "zorg-plus" in library.sectors
    assert library.clause("zorg-plus.herstel").provenance.plugin == "zorg-plus"
    # the package's __version__ reaches the provenance, so the review annex shows it
    assert library.clause("zorg-plus.herstel").provenance.version == "0.1.0"
    from clausegen.tomlfile import standard_parser
    project = standard_parser().loads((root / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "clausegen_zorg_plus.__version__"}


def test_the_scaffolded_clause_is_complete_and_the_profile_recommends_built_ins(
        new_plugin, tmp_path, monkeypatch):
    assert new_plugin("zorg-compleet").exit_code == 0
    from clausegen.testing import build_docx, make_library, render_clause
    plugin = import_scaffold(tmp_path / "clausegen-zorg-compleet", "clausegen_zorg_compleet",
                             monkeypatch)
    library = make_library(("zorg-compleet", plugin))
    clause = library.clause("zorg-compleet.herstel")
    for field in ("title", "summary", "text", "explanation", "arguments"):
        assert set(getattr(clause, field)) == {"nl", "en"}, field
    assert not clause.deprecated, "the scaffold writes the current keys, not toelichting"
    assert len(clause.explanation["nl"]) > 500 and len(clause.explanation["en"]) > 500
    assert len(clause.arguments["nl"]) > 300 and len(clause.arguments["en"]) > 300
    for language in ("nl", "en"):
        public = clause.explanation[language].lower()
        assert not [w for w in ("openingsbod", "ondergrens", "opening bid", "walk-away",
                                "positions.") if w in public], language
        assert "positions.ondergrens." in clause.arguments[language]     # never a typed number
    assert clause.legal_basis and clause.addresses and clause.definitions
    assert len(clause.parameters) >= 2
    for param in clause.parameters.values():
        assert param.min is not None and param.max is not None and param.default is not None
        assert param.better in ("higher", "lower"), param.name
        assert set(param.label) == set(param.help) == {"nl", "en"}
        assert all(param.min <= clause.positions[p][param.name] <= param.max for p in POSITIONS)
    assert set(clause.positions) == set(POSITIONS)
    assert set(clause.definitions) <= set(library.definitions)
    sector = library.sectors["zorg-compleet"]
    builtin = [c for c in sector.recommended if library.clause(c).provenance.distribution == "clausegen"]
    assert "zorg-compleet.herstel" in sector.recommended and 1 <= len(builtin) <= 3
    assert "werkdruk.roosterinspraak" in builtin
    assert sector.terminology["nl"] == {"werknemer": "medewerker"}
    assert not sector.overrides, "the scaffold writes [current] and [positions.*], not overrides"
    assert sector.current and sector.positions

    openingsbod = render_clause(library, clause.id, sector=sector.id, position="openingsbod")
    assert "meer dan 8 uur boven zijn arbeidsduur" in openingsbod
    assert "Werkt de medewerker" in openingsbod              # the sector's word
    assert "Pieken horen bij het werk" in openingsbod         # the public explanation
    assert "Werkgevers zullen aanvoeren" not in openingsbod  # never the internal arguments
    english = render_clause(library, clause.id, sector=sector.id, language="en")
    assert "12 hours above his or her working hours" in english and "[...]" not in english

    plan = build_docx(library, tmp_path / "draft.docx", sector=sector.id)
    planned = {p.clause.id for p in plan.clauses}
    assert set(sector.recommended) <= planned
    assert not [f for f in plan.findings if f.level in ("error", "warning")
                and f.code in ("deprecated-key", "below-current-cao")]
    assert not [f for f in plan.findings if f.level == "error"]
    for key, value in sector.positions["doel"].items():    # the sector's own value wins
        clause_id, _, name = key.rpartition(".")
        assert (plan.value(clause_id, name), plan.clause(clause_id).values[name].source) == (
            value, "sector")
    text = docx_text(tmp_path / "draft.docx")
    assert "Hersteltijd na piekbelasting" in text
    assert "Afspraken voor de sector Zorg compleet" in text


def test_the_scaffolds_own_tests_pass(new_plugin, tmp_path):
    assert new_plugin("zorg-getest").exit_code == 0
    root = tmp_path / "clausegen-zorg-getest"
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(root)], cwd=root, capture_output=True, text=True, timeout=300,
                            env=clean_env(PYTHONPATH=str(root)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "skipped" not in result.stdout


def test_a_content_pack_has_no_python_and_drafts_with_plugins_dir(cli, tmp_path):
    packs = tmp_path / "cao-plugins"
    result = cli("new-plugin", "zorgpakket", "--content-only", "-o", packs / "zorgpakket")
    assert result.exit_code == 0, result.output
    assert f"clausegen --plugins-dir {packs.as_posix()} clauses --sector zorgpakket" in result.stdout
    files = sorted(p.relative_to(packs / "zorgpakket").as_posix()
                   for p in (packs / "zorgpakket").rglob("*") if p.is_file())
    assert files == ["README.md", "plugin.toml", "sectoren/zorgpakket.toml",
                     "zorgpakket/herstel.toml", "zorgpakket/theme.toml"]
    plugins = {p["name"]: p for p in json.loads(cli("--plugins-dir", packs, "plugins",
                                                    "--json").stdout)}
    assert plugins["zorgpakket"]["kind"] == "pack" and plugins["zorgpakket"]["status"] == "ok"
    assert plugins["zorgpakket"]["version"] == "0.1.0"
    listed = cli("--plugins-dir", packs, "clauses", "--sector", "zorgpakket").stdout
    assert "zorgpakket.herstel" in listed and "werkdruk.roosterinspraak" in listed
    out = tmp_path / "draft.md"
    result = cli("--plugins-dir", packs, "generate", "--sector", "zorgpakket", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Hersteltijd na piekbelasting" in text
    assert "Inspraak in en bekendmaking van het rooster" in text
    assert "Cao Zorgpakket" in text


def test_both_scaffolds_pass_clausegen_check_without_a_warning(new_plugin, cli, tmp_path):
    assert new_plugin("zorgnet").exit_code == 0
    assert new_plugin("zorgnet", "--content-only", "-o", "packs/zorgnet").exit_code == 0
    for folder in ("clausegen-zorgnet", "packs/zorgnet"):
        result = cli("check", tmp_path / folder)
        assert result.exit_code == 0, result.output
        assert "0 errors, 0 warnings" in result.stderr and result.stdout == ""


def test_the_default_directories(new_plugin, tmp_path):
    assert new_plugin("zorgpakket").exit_code == 0
    assert (tmp_path / "clausegen-zorgpakket" / "pyproject.toml").is_file()
    assert new_plugin("zorgpakket", "--content-only").exit_code == 0
    assert (tmp_path / "zorgpakket" / "plugin.toml").is_file()


def test_an_existing_directory_is_refused_with_exit_1_and_left_alone(new_plugin, tmp_path):
    mine = tmp_path / "clausegen-zorg"
    mine.mkdir()
    (mine / "notities.txt").write_text("van mij")
    result = new_plugin("zorg")
    assert result.exit_code == 1
    assert "clausegen-zorg already exists" in result.stderr and "-o" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["notities.txt"]
    assert (mine / "notities.txt").read_text() == "van mij"
    (tmp_path / "een-bestand").write_text("x")
    result = new_plugin("zorg", "--content-only", "-o", "een-bestand")
    assert result.exit_code == 1 and "already exists" in result.stderr
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert new_plugin("zorg", "-o", "leeg").exit_code == 1
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize("name", ["Zorg", "zorg_plus", "9zorg", "zorg--plus", "zorg-",
                                  "zorg.plus", "zörg", "z" * 41, "zorg plus"])
def test_an_invalid_name_exits_2_saying_what_is_allowed(new_plugin, tmp_path, name):
    result = new_plugin(name)
    assert result.exit_code == 2, result.output
    assert "Invalid value for 'NAME'" in result.stderr
    assert "lowercase letters a-z and digits, starting with a letter" in result.stderr
    assert "hyphens" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_near_miss_gets_a_suggestion(new_plugin):
    result = new_plugin("Zorg_Plus")
    assert result.exit_code == 2
    assert "did you mean 'zorg-plus'?" in result.stderr


def test_the_clausegen_prefix_is_refused_with_the_right_command(new_plugin):
    result = new_plugin("clausegen-zorg")
    assert result.exit_code == 2
    assert "leave out the 'clausegen-' prefix" in result.stderr
    assert "clausegen new-plugin zorg" in result.stderr


@pytest.mark.parametrize("name,what", [("vvt", "built-in sector"), ("werkdruk", "built-in"),
                                       ("wettelijk", "built-in plugin")])
def test_a_built_in_id_is_refused(new_plugin, tmp_path, name, what):
    result = new_plugin(name)
    assert result.exit_code == 2
    assert what in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    from clausegen import scaffold
    calls = []

    def failing_open(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return open(path, *args, **kwargs)
    monkeypatch.setattr(scaffold, "open", failing_open, raising=False)
    with pytest.raises(ClausegenError, match="No space left on device"):
        scaffold.scaffold("zorg", tmp_path / "nieuw" / "clausegen-zorg")
    assert not (tmp_path / "nieuw" / "clausegen-zorg").exists()


def test_every_template_is_filled_in():
    from clausegen.scaffold import Names, render_files
    names = Names.of("groen-en-hoveniers")
    assert (names.dist, names.module, names.title) == (
        "clausegen-groen-en-hoveniers", "clausegen_groen_en_hoveniers", "Groen en hoveniers")
    for content_only in (False, True):
        files = render_files(names, content_only)
        for path, text in files.items():
            assert "$" not in text and "${" not in path, path
        clause = "groen-en-hoveniers/herstel.toml"
        assert any(path.endswith(clause) for path in files)
        assert 'id = "groen-en-hoveniers.herstel"' in next(
            text for path, text in files.items() if path.endswith(clause))


def test_the_worked_example_loads_and_drafts_in_process(monkeypatch, tmp_path):
    from clausegen.testing import build_docx, make_library
    monkeypatch.syspath_prepend(str(EXAMPLE))
    import clausegen_kinderopvang
    library = make_library(("kinderopvang", clausegen_kinderopvang))
    assert library.for_sector("kinderopvang").clause(
        "werkdruk.roosterinspraak").provenance.plugin == "kinderopvang"
    assert library.clause("werkdruk.roosterinspraak").provenance.plugin == "werkdruk"
    assert [c.name for c in library.checks if c.provenance.plugin == "kinderopvang"] == [
        "kinderopvang-coaching"]
    plan = build_docx(library, tmp_path / "k.docx", sector="kinderopvang",
                      values={"kinderopvang.coaching": {"coaching_uren": 8}})
    assert {f.code for f in plan.findings if f.level == "error"} == {"coaching-below-minimum"}


# ---------------------------------------------------------------- slow: a fresh virtual environment


@pytest.fixture(scope="module")
def env(tmp_path_factory, clausegen_wheel):
    """One venv for the slow tests here: clausegen from its wheel, and pytest."""
    wheel = clausegen_wheel
    path = tmp_path_factory.mktemp("scaffold-venv") / "venv"
    venv.create(path, with_pip=True)
    environment = Env(path)
    environment.pip(wheel, "pytest>=7.4", cwd=path.parent)
    return environment


@pytest.mark.slow
def test_a_scaffolded_package_installs_and_works_unchanged(env, tmp_path):
    result = env.clausegen("new-plugin", "bouwplus", cwd=tmp_path)
    assert "Created clausegen-bouwplus" in result.stdout
    env.pip("-e", "./clausegen-bouwplus", cwd=tmp_path)

    tests = env.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "clausegen-bouwplus", cwd=tmp_path, check=False)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout and "failed" not in tests.stdout

    plugins = {p["name"]: p for p in json.loads(env.clausegen("plugins", "--json",
                                                              cwd=tmp_path).stdout)}
    assert plugins["bouwplus"]["status"] == "ok", plugins["bouwplus"]
    assert plugins["bouwplus"]["kind"] == "entrypoint"
    assert plugins["bouwplus"]["distribution"] == "clausegen-bouwplus"
    assert plugins["bouwplus"]["version"] == "0.1.0"
    assert "bouwplus" in env.clausegen("plugins", cwd=tmp_path).stdout
    assert "0 errors, 0 warnings" in env.clausegen("check", "clausegen-bouwplus",
                                                   cwd=tmp_path).stderr

    clauses = {c["id"]: c for c in json.loads(env.clausegen("clauses", "--json",
                                                            cwd=tmp_path).stdout)}
    assert clauses["bouwplus.herstel"]["plugin"]["name"] == "bouwplus"
    assert "bouwplus.herstel" in env.clausegen("clauses", "--sector", "bouwplus",
                                               cwd=tmp_path).stdout

    draft = env.clausegen("generate", "--sector", "bouwplus", "--date", "2026-12-01",
                          "-o", "concept.docx", cwd=tmp_path)
    assert "sector bouwplus" in draft.stdout
    assert "error" not in draft.stderr
    text = docx_text(tmp_path / "concept.docx")
    assert "Hersteltijd na piekbelasting" in text
    assert "Inspraak in en bekendmaking van het rooster" in text
    env.clausegen("generate", "--sector", "bouwplus", "--date", "2026-12-01", "-o",
                  "concept.json", cwd=tmp_path)
    manifest = json.loads((tmp_path / "concept.json").read_text())
    ids = [a["id"] for a in manifest["articles"]]     # the draft for the table: its articles
    assert {"bouwplus.herstel", "werkdruk.roosterinspraak", "robotisering.ontwikkelbudget"} <= set(ids)
    assert manifest["sector"] == "bouwplus"
    assert "Werkgevers zullen aanvoeren" not in (tmp_path / "concept.json").read_text()


@pytest.mark.slow
def test_a_scaffolded_pack_works_with_plugins_dir(env, tmp_path):
    env.clausegen("new-plugin", "bouwpakket", "--content-only", "-o", "packs/bouwpakket",
                  cwd=tmp_path)
    assert "0 errors, 0 warnings" in env.clausegen("check", "packs/bouwpakket",
                                                   cwd=tmp_path).stderr
    plugins = {p["name"]: p for p in json.loads(env.clausegen(
        "--plugins-dir", "packs", "plugins", "--json", cwd=tmp_path).stdout)}
    assert plugins["bouwpakket"]["kind"] == "pack" and plugins["bouwpakket"]["status"] == "ok"
    assert "bouwpakket.herstel" in env.clausegen("--plugins-dir", "packs", "clauses",
                                                 "--sector", "bouwpakket", cwd=tmp_path).stdout
    env.clausegen("--plugins-dir", "packs", "generate", "--sector", "bouwpakket",
                  "--date", "2026-12-01", "-o", "pakket.docx", cwd=tmp_path)
    assert "Hersteltijd na piekbelasting" in docx_text(tmp_path / "pakket.docx")


@pytest.mark.slow
def test_the_worked_example_installs_passes_its_tests_and_drafts(env, tmp_path):
    copy = tmp_path / "clausegen-kinderopvang"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(
        "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache"))
    # Before installing: `check` on a folder also loads the installed plugins, and a
    # non-editable install of the same plugin would register every id a second time.
    assert "0 errors, 0 warnings" in env.clausegen("check", copy, cwd=tmp_path).stderr
    env.pip(copy, cwd=tmp_path)                   # not editable: the package data must travel

    tests = env.run("pytest", "-q", "-p", "no:cacheprovider", cwd=copy, check=False)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout

    # The installed copy does not count against the source: check lints what is at PATH.
    assert "0 errors, 0 warnings" in env.clausegen("check", copy, cwd=tmp_path).stderr
    clauses = {c["id"]: c for c in json.loads(env.clausegen(
        "clauses", "--sector", "kinderopvang", "--json", cwd=tmp_path).stdout)}
    for clause_id in ("kinderopvang.groepsvrije-tijd", "kinderopvang.coaching",
                      "werkdruk.roosterinspraak"):
        assert clauses[clause_id]["plugin"]["name"] == "kinderopvang", clause_id
        assert "site-packages" in clauses[clause_id]["plugin"]["file"], "loaded from the copy"
    assert clauses["werkdruk.roosterinspraak"]["overrides"] == "werkdruk.roosterinspraak"

    env.clausegen("generate", "--sector", "kinderopvang", "--date", "2026-12-01",
                  "-o", "kinderopvang.docx", cwd=tmp_path)
    text = docx_text(tmp_path / "kinderopvang.docx")
    for title in ("Tijd voor taken buiten de groep", "Coaching en intervisie",
                  "Inspraak in en bekendmaking van het rooster"):
        assert title in text
    assert "vaste gezichten" in text                      # the sector's own roster clause

    refused = env.clausegen("generate", "--sector", "kinderopvang", "--strict",
                            "--set", "kinderopvang.coaching.coaching_uren=8",
                            "-o", "te-weinig.docx", cwd=tmp_path, check=False)
    assert refused.returncode == 1
    assert "error: kinderopvang.coaching: coaching of 8 hours" in refused.stderr
    assert not (tmp_path / "te-weinig.docx").exists()
