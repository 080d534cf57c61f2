"""The docs tell the truth: every hook is documented with its signature, every command too."""
import inspect
import os
import re

import pytest

from clausegen import hookspecs
from clausegen.cli import cli
from conftest import ROOT

PLUGINS_MD = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
CLI_MD = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def hook_signatures():
    """Each hook's signature with its types, as hookspecs.py writes them."""
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if hasattr(function, "clausegen_spec"):
            signature = inspect.signature(function)
            arguments = ", ".join(f"{p.name}: {p.annotation}"
                                  for p in signature.parameters.values())
            yield name, f"{name}({arguments}) -> {signature.return_annotation}"


def test_there_are_hooks():
    assert len(list(hook_signatures())) >= 8


def test_every_hook_is_documented_with_its_signature():
    headings = set(re.findall(r"^### (\w+\(.*\) -> .*)$", PLUGINS_MD, re.MULTILINE))
    for name, signature in hook_signatures():
        assert signature in headings, f"docs/plugins.md lacks '### {signature}'"
    documented = {h.split("(")[0] for h in headings}
    assert documented == {name for name, _ in hook_signatures()}, "docs name a hook that is gone"


def test_every_hook_has_a_docstring_saying_when_it_is_called():
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if hasattr(function, "clausegen_spec"):
            assert "Called" in (function.__doc__ or ""), name


def test_every_command_has_help_and_is_documented():
    for name, command in cli.commands.items():
        assert command.help and "Example:" in command.help, name
        assert f"clausegen {name}" in CLI_MD, f"docs/cli.md does not document {name}"


def test_the_readme_commands_work(cli, tmp_path, monkeypatch):
    """Every `.venv/bin/clausegen ...` line of the README runs and exits 0: the first through
    the console script, as typed; the others in-process (the same command, without starting
    a process each)."""
    import shlex
    import subprocess
    from conftest import clausegen_exe
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^\.venv/bin/clausegen (.+)$", readme, re.MULTILINE)
    assert len(commands) >= 5
    (tmp_path / "out").mkdir()
    result = subprocess.run([clausegen_exe(), *shlex.split(commands[0])], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (commands[0], result.stderr)
    monkeypatch.chdir(tmp_path)
    for command in commands[1:]:
        result = cli(*shlex.split(command))
        assert result.exit_code == 0, (command, result.output)


@pytest.mark.slow
def test_the_readme_commands_work_as_typed(tmp_path):
    """`make test`: every README line through the console script, each a process of its own
    (main()'s set-up, the user cache written at exit, a fresh start), as a user runs them."""
    import shlex
    import subprocess
    from conftest import clausegen_exe
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^\.venv/bin/clausegen (.+)$", readme, re.MULTILINE)
    (tmp_path / "out").mkdir()
    for command in commands:
        result = subprocess.run([clausegen_exe(), *shlex.split(command)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (command, result.stderr)


def test_the_readme_completion_lines_give_a_completion_script():
    """The README's `eval "$(_CLAUSEGEN_COMPLETE=... clausegen)"` lines print a script."""
    import subprocess
    from conftest import clausegen_exe
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shells = re.findall(r'_CLAUSEGEN_COMPLETE=(\w+_source) \.venv/bin/clausegen', readme)
    assert shells == ["bash_source", "zsh_source"]
    for shell in shells:
        result = subprocess.run([clausegen_exe()], env={**os.environ,
                                                 "_CLAUSEGEN_COMPLETE": shell},
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "_CLAUSEGEN_COMPLETE" in result.stdout, shell
