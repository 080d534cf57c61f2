"""A Python plugin cannot take a command down or corrupt its output (issue 17).

A plugin runs with the user's rights and clausegen does not sandbox Python (docs/security.md).
What it does promise: a SystemExit or KeyboardInterrupt a plugin raises, or anything it prints,
is recorded against that plugin like any other failure, and every other command still works
and prints what it should; a template filter or check that misbehaves fails with one message
naming the plugin. A real Ctrl-C still stops clausegen.

Each plugin here is a drop-in .py file next to a copy of tests/fixtures/bad_input/hardpack,
with the built-in plugins switched off.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from clausegen.tomlfile import standard_parser
from conftest import as_at_a_terminal, clausegen_exe

tomllib = standard_parser()     # tomllib, or tomli on Python 3.10

HARDPACK = Path(__file__).resolve().parent / "fixtures" / "bad_input" / "hardpack"
NO_BUILTINS = "algemeen,robotisering,generaties,werkdruk,sectoren,wettelijk,samenhang"


@pytest.fixture
def plugin(cli, tmp_path):
    """plugin(source) -> run: a plugins dir holding the hardpack and plugin.py with `source`;
    run(*args) runs clausegen with it and returns (result, seconds)."""
    plugins = tmp_path / "plugins"
    shutil.copytree(HARDPACK, plugins / "hardpack")

    def make(source: str, *, clause_text: str | None = None):
        (plugins / "plugin.py").write_text(source, encoding="utf-8")
        if clause_text is not None:
            file = plugins / "hardpack" / "hard" / "waarden.toml"
            text = file.read_text(encoding="utf-8")
            start = text.index("[text]")
            file.write_text(text[:start] + f"[text]\nnl = {json.dumps(clause_text)}\n",
                            encoding="utf-8")

        def run(*args):
            started = time.monotonic()
            result = cli("--plugins-dir", plugins, *args,
                         env={"CLAUSEGEN_DISABLE_PLUGINS": NO_BUILTINS,
                              "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache")})
            return result, time.monotonic() - started
        return run
    return make


def broken(run, fragment: str) -> None:
    """`clausegen plugins` lists plugin.py as broken with `fragment`; the pack still works."""
    result, seconds = run("plugins", "--json")
    assert result.exit_code == 0, result.output
    data = {p["name"]: p for p in json.loads(result.stdout)}
    assert data["hardpack"]["status"] == "ok"
    assert data["plugin"]["status"] == "broken"
    assert fragment in " ".join(data["plugin"]["errors"]), data["plugin"]["errors"]
    assert seconds < 10


def still_works(run, tmp_path: Path) -> None:
    result, _ = run("sectors", "--json")
    assert result.exit_code == 0, result.output
    assert [s["id"] for s in json.loads(result.stdout)] == ["hardzorg"]
    out = tmp_path / "concept.docx"
    result, seconds = run("generate", "--sector", "hardzorg", "--date", "2026-12-01", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists() and seconds < 10
    out.unlink()


@pytest.mark.parametrize("source, fragment", [
    ("import sys\nsys.exit(3)\n", "raised SystemExit 3"),
    ("import argparse\nargparse.ArgumentParser().parse_args()\n", "raised SystemExit 2"),
    ("raise KeyboardInterrupt\n", "raised KeyboardInterrupt"),
    ("from clausegen import hookimpl\n\n@hookimpl\ndef register_clauses(register):\n"
     "    raise SystemExit('no')\n", "register_clauses: raised SystemExit 'no'"),
    ("from clausegen import hookimpl\n\n@hookimpl\ndef register_sectors(register):\n"
     "    raise KeyboardInterrupt\n", "register_sectors: raised KeyboardInterrupt"),
], ids=["exit-at-import", "argparse", "interrupt-at-import", "exit-in-hook",
        "interrupt-in-hook"])
def test_a_plugin_that_exits_is_recorded_and_the_rest_works(plugin, tmp_path, monkeypatch,
                                                            source, fragment):
    """Such a plugin killed every command (exit 3, no output), without naming itself."""
    # what an argparse script reads when clausegen runs it: clausegen's own arguments (and
    # not whatever pytest was started with, which may be nothing argparse objects to)
    monkeypatch.setattr(sys, "argv", ["clausegen", "plugins", "--json"])
    run = plugin(source)
    broken(run, fragment)
    still_works(run, tmp_path)


PRINTER = """\
from clausegen import hookimpl

print("hello at import")

@hookimpl
def register_sectors(register):
    print("hello from a hook")

@hookimpl
def register_checks(register):
    def loud(plan):
        print("hello from a check")
        return []
    register("loud", loud)
"""


def test_a_plugin_that_prints_cannot_corrupt_stdout(plugin, tmp_path):
    """Its print() once went into `--json` output and into the spec `init` prints."""
    run = plugin(PRINTER)
    result, _ = run("sectors", "--json")
    assert result.exit_code == 0
    assert [s["id"] for s in json.loads(result.stdout)] == ["hardzorg"]
    assert "plugin plugin: hello at import" in result.stderr
    assert "plugin plugin: hello from a hook" in result.stderr
    result, _ = run("init", "--sector", "hardzorg", "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    spec = tomllib.loads(result.stdout)
    assert spec["cao"]["sector"] == "hardzorg" and "hello" not in result.stdout
    assert "plugin plugin: hello from a check" in result.stderr
    broken(run, "printed to standard output")
    out = tmp_path / "concept.docx"
    result, _ = run("generate", "--sector", "hardzorg", "--strict", "-o", out)
    assert result.exit_code == 1 and "plugin error" in result.stderr and not out.exists()


FILTERS = """\
from clausegen import hookimpl

@hookimpl
def register_template_filters(register):
    register("boem", lambda value, language: 1 / 0)
    register("niets", lambda value, language: None)
    register("stuur", lambda value, language: "A\\x01B")
    register("stop", lambda value, language: exit(0))
    register("upper", lambda value, language: "vervangen")
"""


@pytest.mark.parametrize("template, fragment", [
    ("{{ tekst | boem }}", "template filter 'boem' failed: ZeroDivisionError: division by zero"),
    ("{{ tekst | niets }}", "template filter 'niets' returned NoneType, not text"),
    ("{{ tekst | stuur }}", "template filter 'stuur': contains the character U+0001"),
    ("{{ tekst | stop }}", "template filter 'stop' failed: raised SystemExit"),
    ("{% if true %}{{ tekst | boem }}{% endif %}", "template filter 'boem' failed"),
], ids=["raises", "returns-none", "control-character", "exits", "through-jinja"])
def test_a_plugin_filter_that_fails_names_plugin_filter_and_clause(plugin, tmp_path, template,
                                                                   fragment):
    """A filter that raised was an internal error naming neither plugin nor filter; one that
    returned None printed "None"; one that returned a control character wrote a corrupt file."""
    run = plugin(FILTERS, clause_text=template)
    out = tmp_path / "concept.docx"
    result, seconds = run("generate", "--sector", "hardzorg", "-o", out)
    assert result.exit_code == 1, result.output
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "internal error" not in result.stderr, result.stderr
    for part in (fragment, "plugin plugin", "hard.waarden", "waarden.toml"):
        assert part in error[0], error[0]
    assert not out.exists() and seconds < 10


def test_a_plugin_cannot_replace_a_filter_clauses_use(plugin, tmp_path):
    """Replacing Jinja's `upper` was accepted although a taken name is documented as an
    error."""
    run = plugin(FILTERS, clause_text="{{ tekst | upper }}")
    broken(run, "template filter 'upper' is built in and cannot be replaced")
    out = tmp_path / "concept.docx"
    result, _ = run("generate", "--sector", "hardzorg", "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        assert b"UTRECHT" in package.read("word/document.xml")


CHECK = """\
from clausegen import Finding, hookimpl

@hookimpl
def register_checks(register):
    register("vreemd", lambda plan: [Finding("warning", "vreemd", "tekst \\ud800 hier")])
"""


def test_a_finding_word_cannot_hold_is_an_error_of_its_check(plugin, tmp_path):
    """A finding with a lone surrogate was an internal error (and would corrupt the intern
    annex); now its check fails, naming the plugin, and the draft is valid."""
    run = plugin(CHECK)
    out = tmp_path / "concept.docx"
    result, _ = run("generate", "--sector", "hardzorg", "--audience", "intern", "-o", out)
    assert result.exit_code == 0, result.output
    assert "check vreemd (plugin plugin) failed" in result.stderr and "U+D800" in result.stderr
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                etree.fromstring(package.read(name))
    result, _ = run("generate", "--sector", "hardzorg", "--strict", "-o", tmp_path / "x.docx")
    assert result.exit_code == 1 and not (tmp_path / "x.docx").exists()


SLEEPER = """\
import pathlib, time
pathlib.Path({marker!r}).write_text("importing")
time.sleep(60)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
def test_a_real_ctrl_c_while_a_plugin_loads_still_stops_clausegen(tmp_path):
    """A KeyboardInterrupt a plugin raises is its failure; Ctrl-C from the user is not."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    marker = tmp_path / "importing"
    (plugins / "slaper.py").write_text(SLEEPER.format(marker=str(marker)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUSEGEN_")}
    proc = subprocess.Popen([clausegen_exe(), "--plugins-dir", str(plugins), "sectors"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=as_at_a_terminal)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), proc.communicate()
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode != 0, stdout
    assert "must not exit" not in stderr and "Hardzorg" not in stdout
