"""Every example in docs/ is run by a test (issue 16).

Here: docs/content-format.md's content files (each passes `clausegen check`), docs/plugins.md's
Python and pyproject.toml snippets (loaded as the plugins they describe, then `clausegen
plugins`, `check` and `generate` with them) and docs/cli.md's command examples, with those in
the commands' --help (each run in a fresh folder and exiting 0). The README's commands are in
tests/test_docs.py, the tutorial's in tests/test_tutorial.py. Not run, on purpose:
- `clausegen serve` (cli.md, `serve --help`): it serves until Ctrl+C and `--open` starts a
  browser; tests/test_web.py starts the server itself.
- docs/performance.md's `pip install -e '.[bench]'`, `benchmarks/bench_compare.py` and
  `make bench`, and the contenders' commands it describes (`clausegen --plugins-dir PACKS
  --no-cache generate --sector synth ...` on a generated synthetic pack): they take minutes,
  install the bench extra from the package index and need a built checkout; its XML blocks
  are output, not input.
- docs/architecture.md, security.md and coverage.md: no runnable example (a module diagram,
  commands named in prose, tables); cli.md's other code blocks are the synopsis and the
  shapes of the JSON outputs, which tests/test_cli.py holds to.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clausegen.lint import lint_paths
from clausegen.tomlfile import standard_parser
from conftest import ROOT, clausegen_exe

tomllib = standard_parser()     # tomllib, or tomli on Python 3.10

CONTENT_FORMAT = ROOT / "docs" / "content-format.md"
# The examples show the library's own files, whose ids the built-ins already hold: linted
# under an id of their own, so that only what the example itself gets wrong is reported.
WHERE = {"clause": ("werkdruk/voorbeeld.toml", 'id = "werkdruk.zelfroosteren"',
                    'id = "werkdruk.voorbeeld"'),
         "theme": ("voorbeeld/theme.toml", 'id = "werkdruk"', 'id = "voorbeeld"'),
         "definitions": ("voorbeeld/definities.toml", "[rooster]", "[voorbeeld-rooster]"),
         "sector": ("sectoren/voorbeeld.toml", 'id = "vvt"', 'id = "voorbeeld"')}


def toml_blocks(path):
    return re.findall(r"^```toml\n(.*?)^```", path.read_text(encoding="utf-8"), re.M | re.S)


def kind_of(block: str) -> str:
    if block.startswith("id = \"werkdruk.zelfroosteren\""):
        return "clause"
    if block.startswith("[rooster]"):
        return "definitions"
    return "sector" if "article_numbering" in block else "theme"


def test_content_format_has_an_example_of_each_file():
    assert sorted(kind_of(b) for b in toml_blocks(CONTENT_FORMAT)) == sorted(WHERE)


@pytest.mark.parametrize("block", toml_blocks(CONTENT_FORMAT),
                         ids=[kind_of(b) for b in toml_blocks(CONTENT_FORMAT)])
def test_each_content_format_example_passes_check(library, tmp_path, block):
    name, old, new = WHERE[kind_of(block)]
    assert old in block
    file = tmp_path / "content" / name
    file.parent.mkdir(parents=True)
    file.write_text(block.replace(old, new, 1), encoding="utf-8")
    findings = lint_paths([file], library)
    assert findings == [], "\n".join(map(str, findings))


# ------------------------------------------------------------------ docs/plugins.md's examples
#
# The Python snippets run as what they say they are: the installed-plugin module as an
# installed package (a distribution on sys.path whose metadata comes from the pyproject.toml
# snippet, so its entry point is the one the docs show), with the hook-reference snippets of
# the same running example (register_themes, register_checks) added to that module; the
# one-line ContentPlugin module under its documented entry point; the fixture example as a
# test file that pytest runs. `clausegen plugins`, `check` and `generate` then use them.

PLUGINS_MD = ROOT / "docs" / "plugins.md"
CLI_MD = ROOT / "docs" / "cli.md"


def fenced(path, language):
    return re.findall(rf"^```{language}\n(.*?)^```", path.read_text(encoding="utf-8"),
                      re.M | re.S)


def python_snippet(marker: str) -> str:
    found = [b for b in fenced(PLUGINS_MD, "python") if marker in b]
    assert len(found) == 1, marker
    return found[0]


PACKAGE, ONE_LINE, FIXTURE_TEST, THEMES, CHECKS = (
    "# clausegen_zorg/__init__.py", "plugin = ContentPlugin(", "def test_",
    "def register_themes(", "def register_checks(")

NACHTDIENST = '''id = "zorg.nachtdienst"
version = "0.1.0"
theme = "zorg"
title = { nl = "Nachtdiensten", en = "Night shifts" }
summary = { nl = "Vrijstelling van nachtdiensten vanaf een leeftijd.", en = "Exemption from night shifts from an age." }

[parameters.leeftijd]
type = "years"
better = "lower"
default = 57
min = 45
max = 67
label = { nl = "Leeftijd vrijstelling nachtdiensten", en = "Age of exemption from night shifts" }
help = { nl = "Leeftijd vanaf welke de werknemer geen nachtdiensten hoeft te draaien.", en = "Age from which the employee need not work night shifts." }

[positions]
openingsbod = { leeftijd = 55 }
doel = { leeftijd = 57 }
ondergrens = { leeftijd = 60 }

[text]
nl = "De werknemer hoeft vanaf {{ leeftijd | years }} geen nachtdiensten te draaien."
en = "From the age of {{ leeftijd | years }} the employee need not work night shifts."
'''


def test_every_python_and_toml_snippet_of_plugins_md_is_covered():
    """A new snippet fails here until a test below runs it."""
    markers = (PACKAGE, ONE_LINE, FIXTURE_TEST, THEMES, CHECKS)
    blocks = fenced(PLUGINS_MD, "python")
    assert sorted(next(m for m in markers if m in b) for b in blocks) == sorted(markers)
    assert len(fenced(PLUGINS_MD, "toml")) == 1     # the pyproject.toml of clausegen-zorg


def pyproject_snippet() -> dict:
    (block,) = fenced(PLUGINS_MD, "toml")
    assert block.startswith("# pyproject.toml of clausegen-zorg")
    return tomllib.loads(block)


def install(site, project: dict, entry_points: dict) -> None:
    """What pip install leaves for clausegen to find: the distribution's metadata."""
    dist = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist.mkdir(parents=True)
    dist.joinpath("METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n",
        encoding="utf-8")
    dist.joinpath("entry_points.txt").write_text(
        "[clausegen]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items()),
        encoding="utf-8")


def scaffold(cli, tmp_path):
    """`clausegen new-plugin zorg`: the package the docs' examples are named after."""
    result = cli("new-plugin", "zorg", "-o", tmp_path / "clausegen-zorg")
    assert result.exit_code == 0, result.output
    return tmp_path / "clausegen-zorg"


def run(tmp_path, *args, site=None):
    env = {**os.environ, "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CLAUSEGEN_PLUGINS_DIR", None)
    if site:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return subprocess.run([clausegen_exe(), *map(str, args)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def plugin_entry(tmp_path, site, name):
    result = run(tmp_path, "plugins", "--json", site=site)
    assert result.returncode == 0, result.stderr
    return next(p for p in json.loads(result.stdout) if p["name"] == name)


def test_the_pyproject_example_is_what_the_scaffold_writes(cli, tmp_path):
    documented = pyproject_snippet()
    written = tomllib.loads((scaffold(cli, tmp_path) / "pyproject.toml").read_text())
    assert documented["project"]["name"] == written["project"]["name"]
    assert (documented["project"]["entry-points"]["clausegen"]
            == written["project"]["entry-points"]["clausegen"] == {"zorg": "clausegen_zorg"})
    requirement = re.compile(r"^[A-Za-z0-9_.-]+")
    assert ([requirement.match(d)[0] for d in documented["project"]["dependencies"]]
            == [requirement.match(d)[0] for d in written["project"]["dependencies"]]
            == ["clausegen"])


def test_the_installed_plugin_example_with_its_theme_and_check_hooks_works(cli, tmp_path):
    source = scaffold(cli, tmp_path) / "clausegen_zorg"
    package = tmp_path / "site" / "clausegen_zorg"
    shutil.copytree(source, package)
    # the module: the installed plugin's snippet and the hook reference's for the same plugin
    package.joinpath("__init__.py").write_text(
        "\n\n".join(python_snippet(m) for m in (PACKAGE, THEMES, CHECKS)), encoding="utf-8")
    (package / "zorg").mkdir()
    (package / "content" / "zorg" / "theme.toml").rename(package / "zorg" / "theme.toml")
    shutil.rmtree(package / "content" / "sectoren")     # this module registers no sector
    (package / "content" / "zorg" / "nachtdienst.toml").write_text(NACHTDIENST, encoding="utf-8")
    project = pyproject_snippet()["project"]
    install(tmp_path / "site", project, project["entry-points"]["clausegen"])
    site = tmp_path / "site"

    entry = plugin_entry(tmp_path, site, "zorg")
    assert (entry["kind"], entry["version"], entry["status"]) == ("entrypoint", "1.0.0",
                                                                  "ok"), entry["errors"]
    assert {"register_clauses", "register_themes", "register_checks"} <= set(entry["hooks"])
    result = run(tmp_path, "check", site=site)
    assert result.returncode == 0, result.stdout + result.stderr
    result = run(tmp_path, "clauses", "--theme", "zorg", site=site)
    assert "zorg.herstel" in result.stdout and "zorg.nachtdienst" in result.stdout
    # the check: silent at the default, a warning past 60, with the law it cites
    args = ("generate", "--sector", "vvt", "--clause", "zorg.nachtdienst",
            "--clause", "zorg.herstel", "--date", "2026-12-01")
    result = run(tmp_path, *args, "-o", "ok.docx", site=site)
    assert result.returncode == 0, result.stderr
    assert "night shifts up to 60 is late" not in result.stderr
    result = run(tmp_path, *args, "--set", "zorg.nachtdienst.leeftijd=62", "-o", "laat.docx",
                 site=site)
    assert result.returncode == 0, result.stderr
    assert "night shifts up to 60 is late" in result.stderr
    assert "artikel 4:1a Arbeidstijdenwet" in result.stderr
    # the floor the check declares is in the mandate
    result = run(tmp_path, "mandate", "--sector", "vvt", "--clause", "zorg.nachtdienst",
                 "-o", "mandaat.json", site=site)
    assert result.returncode == 0, result.stderr
    rows = json.loads((tmp_path / "mandaat.json").read_text())["rows"]
    row = next(r for r in rows if r["clause"] == "zorg.nachtdienst")
    assert (row["legal_limit"], row["law"]) == (60, "artikel 4:1a Arbeidstijdenwet")


def test_the_one_line_content_plugin_example_works_under_its_entry_point(cli, tmp_path):
    text = PLUGINS_MD.read_text(encoding="utf-8")
    (name, value), = re.findall(r'with the entry point `(\w+) = "([\w.:]+)"`', text)
    package = tmp_path / "site" / "clausegen_zorg"
    shutil.copytree(scaffold(cli, tmp_path) / "clausegen_zorg", package)
    package.joinpath("__init__.py").write_text(python_snippet(ONE_LINE), encoding="utf-8")
    install(tmp_path / "site", pyproject_snippet()["project"], {name: value})
    site = tmp_path / "site"

    entry = plugin_entry(tmp_path, site, "zorg")
    assert (entry["kind"], entry["source"], entry["status"]) == ("entrypoint", value,
                                                                 "ok"), entry["errors"]
    result = run(tmp_path, "check", site=site)
    assert result.returncode == 0, result.stdout + result.stderr
    result = run(tmp_path, "generate", "--sector", "zorg", "--date", "2026-12-01",
                 "-o", "zorg.docx", site=site)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "zorg.docx").is_file()


def test_the_fixture_example_passes_as_a_plugin_test(tmp_path):
    """The test in "Testing a plugin", run by pytest against examples/clausegen-kinderopvang
    with the fixtures clausegen's pytest11 entry point provides."""
    (tmp_path / "test_example.py").write_text(python_snippet(FIXTURE_TEST), encoding="utf-8")
    env = {**os.environ, "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": str(ROOT / "examples" / "clausegen-kinderopvang")}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "test_example.py"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


# ------------------------------------------------------------------ docs/cli.md's commands

def cli_md_examples() -> list[str]:
    """The `clausegen ...` spans of every "Example:" paragraph of docs/cli.md."""
    text = CLI_MD.read_text(encoding="utf-8")
    paragraphs = re.findall(r"^Example: (.*?)(?:\n\n|\Z)", text, re.M | re.S)
    return [" ".join(span.split()) for p in paragraphs
            for span in re.findall(r"`(clausegen [^`]+)`", p)]


def help_examples() -> list[str]:
    """The "Example:" of each command's --help."""
    from clausegen.cli import cli as command
    return [" ".join(m.split()) for c in command.commands.values()
            for m in re.findall(r"Example:\s*(.+?)(?:\n\s*\n|\Z)", c.help, re.S)]


NOT_RUN = ("clausegen serve",)      # serves until Ctrl+C (see the module's docstring)
EXAMPLES = sorted(set(cli_md_examples() + help_examples()))


def test_the_command_examples_are_found():
    from clausegen.cli import cli as command
    assert len(cli_md_examples()) >= 6
    assert {e.split()[1] for e in help_examples()} | {"plugins"} >= set(command.commands)


def prepare(cli, command: list[str]) -> None:
    """Make the files a command names: spec files from `clausegen init`, content packs
    from `clausegen new-plugin --content-only`."""
    name = command[1] if command[1] != "--plugins-dir" else command[3]
    if "--plugins-dir" in command:
        folder = command[command.index("--plugins-dir") + 1]
        assert cli("new-plugin", "demo", "--content-only", "-o",
                   f"{folder.rstrip('/')}/demo").exit_code == 0
    specs = [a for i, a in enumerate(command) if a.endswith(".toml")
             and command[i - 1] not in ("-o", "--output")]
    for position, spec in zip(("doel", "openingsbod"), specs):
        if name in ("build", "compare", "mandate") and not os.path.exists(spec):
            assert cli("init", "--sector", "vvt", "--position", position,
                       "-o", spec).exit_code == 0
    if name == "check":
        for path in command[2:]:
            if not path.startswith("-") and not os.path.exists(path):
                pack = re.sub(r"[^a-z0-9]+", "-", path.rstrip("/").split("/")[-1]).strip("-")
                assert cli("new-plugin", pack, "--content-only", "-o", path).exit_code == 0


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_command_example_runs(cli, tmp_path, monkeypatch, example):
    """Each example, in a fresh folder with the files it names, exits 0."""
    if example.startswith(NOT_RUN):
        pytest.skip("clausegen serve runs until stopped; tests/test_web.py starts it")
    monkeypatch.chdir(tmp_path)
    for part in example.split(" && "):
        words = shlex.split(part)
        env = {}
        while "=" in words[0]:
            key, value = words.pop(0).split("=", 1)
            env[key] = value
        assert words[0] == "clausegen", part
        prepare(cli, words)
        result = cli(*words[1:], env=env)
        assert result.exit_code == 0, (part, result.output)
        if "-o" in words and words[1] != "init":
            assert Path(words[words.index("-o") + 1]).exists(), part
        if "check" in words:        # it linted the pack's files, not nothing
            assert re.search(r"in [1-9]\d* files", result.stderr), result.stderr


def test_the_synopsis_names_every_global_option():
    from clausegen.cli import cli as command
    (synopsis,) = re.findall(r"^```\n(clausegen \[.*)\n```", CLI_MD.read_text(), re.M)
    options = {o for p in command.params for o in p.opts if p.name not in ("version", "help")}
    assert set(re.findall(r"\[(--[\w-]+)", synopsis)) == {o for o in options
                                                          if o.startswith("--")}
