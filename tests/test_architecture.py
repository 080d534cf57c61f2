"""docs/architecture.md's rules on who knows what, checked on every module's imports: only the
writers know Word, only plugin_host.py (and hookspecs.py's markers) know pluggy, only cli.py
knows click, and planning does not load the renderer."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted((ROOT / "clausegen").rglob("*.py")) + sorted((ROOT / "plugins").rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The top-level packages a module imports, at run time (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and "TYPE_CHECKING" in ast.unparse(block.test)
               for statement in block.body for node in ast.walk(statement)}   # not its else
    names = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def who_imports(package: str) -> list[str]:
    return [path.relative_to(ROOT).as_posix() for path in MODULES if package in imported(path)]


@pytest.mark.parametrize("package, allowed", [
    ("click", {"clausegen/cli.py"}),
    ("pluggy", {"clausegen/plugin_host.py", "clausegen/hookspecs.py"}),
])
def test_one_module_knows_a_framework(package, allowed):
    assert set(who_imports(package)) == allowed


@pytest.mark.parametrize("package", ["docx", "lxml"])
def test_only_the_writers_know_word(package):
    """testing.py too: its clausegen_draft fixture opens a draft for a plugin's tests."""
    found = who_imports(package)
    assert found and all(path.startswith("clausegen/writers/") or path == "clausegen/testing.py"
                         for path in found), found


def test_the_check_finds_an_import_it_should_refuse(tmp_path):
    """The rule above can fail: a module importing click outside cli.py is seen."""
    module = tmp_path / "stray.py"
    module.write_text("import os\ndef f():\n    import click.testing\n", encoding="utf-8")
    assert "click" in imported(module)
    guarded = tmp_path / "typed.py"
    guarded.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import docx\n"
                       "else:\n    import pluggy\n", encoding="utf-8")
    assert "docx" not in imported(guarded) and "pluggy" in imported(guarded)


def test_planning_does_not_load_the_renderer_or_word():
    code = ("import sys, clausegen.planning; "
            "print(sorted(m for m in ('clausegen.render', 'jinja2', 'docx', 'lxml', 'click') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
