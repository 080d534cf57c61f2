"""docs/tutorial-sector-plugin.md does what it says, command for command, so it cannot drift.

The page is read as a sequence of fenced blocks:
- ```sh: commands a reader types, in one shell session (the virtual environment made and
  activated in the first block stays active; an `export` stays set);
- a block whose first line is `# file: PATH`: the reader writes that file, whole, at PATH;
- ```text output: lines the commands of the `sh` block before it print (each line, with runs
  of spaces collapsed, must occur in that block's output, in the order shown).
Other blocks are illustrations. The slow test turns the page into one bash script and runs it
in an empty folder holding only clausegen's wheel, with a `python3` on PATH and nothing of the
test run's own environment. The fast tests check that every clausegen command on the page
parses with today's options and that every file shown is valid content.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from conftest import ROOT
from test_scaffold import clean_env, docx_text

TUTORIAL = ROOT / "docs" / "tutorial-sector-plugin.md"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
FILE_LINE = re.compile(r"^# file: (\S+)[ \t]*$")
EOF_MARK = "CLAUSEGEN_TUTORIAL_EOF"


@dataclass
class Block:
    kind: str          # "sh", "file" or "output"
    text: str
    line: int          # line of the opening fence in the page
    path: str = ""     # for "file"


def read_blocks(text: str) -> list[Block]:
    found = []
    for match in FENCE.finditer(text):
        info, body = match.group(1).split(), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        first = FILE_LINE.match(body.split("\n", 1)[0])
        if info[:1] == ["sh"]:
            found.append(Block("sh", body, line))
        elif info == ["text", "output"]:
            found.append(Block("output", body, line))
        elif first:
            found.append(Block("file", body, line, path=first.group(1)))
    return found


BLOCKS = read_blocks(TUTORIAL.read_text(encoding="utf-8"))


def commands(block: Block) -> list[str]:
    """The commands of an sh block: one per line, without comments and blank lines."""
    lines = []
    for raw in block.text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            assert not line.endswith("\\"), f"line {block.line}: keep each command on one line"
            lines.append(line)
    return lines


def normalize(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


# ---------------------------------------------------------------- fast: the page itself


def test_the_page_has_both_paths_and_checkable_blocks():
    text = TUTORIAL.read_text(encoding="utf-8")
    assert "## A. An installable package" in text and "## B. A content pack" in text
    kinds = [b.kind for b in BLOCKS]
    assert kinds.count("sh") >= 10 and kinds.count("file") >= 4 and kinds.count("output") >= 4
    assert BLOCKS[0].kind == "sh", "the page starts by installing clausegen"
    for i, block in enumerate(BLOCKS):
        if block.kind == "output":
            assert i > 0 and BLOCKS[i - 1].kind == "sh", f"line {block.line}: output of what?"
    every = [c for b in BLOCKS if b.kind == "sh" for c in commands(b)]
    assert "clausegen new-plugin hoveniers" in every
    assert any(c.startswith("clausegen new-plugin jeugdzorg --content-only") for c in every)
    assert any(c.startswith("pip install -e") for c in every)
    assert any(c.startswith("python -m pytest") for c in every)
    assert sum(c.startswith("clausegen generate") for c in every) >= 3


def test_every_clausegen_command_on_the_page_parses():
    from clausegen.cli import cli
    for block in BLOCKS:
        if block.kind != "sh":
            continue
        for command in commands(block):
            words = shlex.split(command)
            if words[0] != "clausegen" or words[1:] == ["--version"]:
                continue
            args = words[1:]
            while args and args[0].startswith("--"):             # group options
                args = args[2:] if args[0] == "--plugins-dir" else args[1:]
            assert args and args[0] in cli.commands, f"line {block.line}: {command}"
            sub = cli.commands[args[0]]
            try:
                sub.make_context(args[0], args[1:])               # raises on a bad option
            except click.BadParameter as exc:                     # files the page makes later
                assert "does not exist" in exc.message, f"line {block.line}: {command}: {exc}"


def test_every_file_on_the_page_is_valid_content():
    from clausegen.content import PARSERS, kind_of
    for block in BLOCKS:
        if block.kind != "file":
            continue
        if block.path.endswith(".py"):
            compile(block.text, block.path, "exec")
            continue
        kind = kind_of(tuple(Path(block.path).parts))
        assert kind in ("clause", "sector"), block.path
        PARSERS[kind](block.text, block.path)                     # raises with file and line


# ---------------------------------------------------------------- slow: run the page


def script(blocks: list[Block], out: Path) -> str:
    """One bash script doing what the page says; the output of sh block N goes to out/N."""
    lines = ["set -eo pipefail", "exec 3>&2",
             "trap 'echo \"tutorial: failed: $BASH_COMMAND\" >&3' ERR"]
    for n, block in enumerate(blocks):
        if block.kind == "sh":
            lines += [f"echo {n} > {shlex.quote(str(out / 'last'))}",
                      "{", *commands(block), f"}} > {shlex.quote(str(out / str(n)))} 2>&1"]
        elif block.kind == "file":
            assert EOF_MARK not in block.text
            lines += [f"mkdir -p {shlex.quote(str(Path(block.path).parent))}",
                      f"cat > {shlex.quote(block.path)} <<'{EOF_MARK}'",
                      block.text.rstrip("\n"), EOF_MARK]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory, clausegen_wheel):
    """Run the whole page once; returns (work folder, {block index: output})."""
    base = tmp_path_factory.mktemp("tutorial")
    work, out, shims = base / "work", base / "out", base / "bin"
    for folder in (work, out, shims):
        folder.mkdir()
    wheel = clausegen_wheel
    (work / wheel.name).write_bytes(wheel.read_bytes())
    (shims / "python3").symlink_to(getattr(sys, "_base_executable", sys.executable))
    own_bin = str(Path(sys.executable).parent)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != own_bin]
    (base / "tutorial.sh").write_text(script(BLOCKS, out))
    result = subprocess.run(["bash", str(base / "tutorial.sh")], cwd=work,
                            env=clean_env(PATH=os.pathsep.join([str(shims), *path])),
                            capture_output=True, text=True, timeout=1200)
    outputs = {int(p.name): p.read_text(errors="replace") for p in out.iterdir()
               if p.name.isdigit()}
    if result.returncode != 0:
        last = int((out / "last").read_text()) if (out / "last").exists() else 0
        pytest.fail(f"the tutorial's sh block at line {BLOCKS[last].line} failed:\n"
                    f"{result.stderr}\n{outputs.get(last, '')[-6000:]}")
    return work, outputs


@pytest.mark.slow
def test_every_command_of_the_tutorial_succeeds(tutorial):
    work, outputs = tutorial
    ran = [i for i, b in enumerate(BLOCKS) if b.kind == "sh"]
    assert sorted(outputs) == ran


@pytest.mark.slow
def test_the_output_shown_is_what_the_commands_print(tutorial):
    _, outputs = tutorial
    for i, block in enumerate(BLOCKS):
        if block.kind != "output":
            continue
        printed, position = normalize(outputs[i - 1]), 0
        for line in block.text.splitlines():
            expected = " ".join(line.split())
            found = printed.find(expected, position)
            assert found >= 0, (f"line {block.line} of the tutorial shows {expected!r} (in this "
                                f"order), but the commands printed:\n{outputs[i - 1][-4000:]}")
            position = found + len(expected)


@pytest.mark.slow
def test_both_paths_end_in_a_draft_in_the_sectors_own_words(tutorial):
    work, outputs = tutorial
    hoveniers = docx_text(work / "concept-hoveniers.docx")
    assert "Werken bij hitte" in hoveniers and "Hersteltijd na piekbelasting" in hoveniers
    assert "De medewerker behoudt zijn loon" in hoveniers
    assert "Cao Hoveniers" in hoveniers
    jeugdzorg = docx_text(work / "concept-jeugdzorg.docx")
    assert "Opvang na agressie en geweld" in jeugdzorg
    assert "De jeugdprofessional heeft na een incident recht op 3 dagen" in jeugdzorg
    assert "Cao Jeugdzorg" in jeugdzorg
    tests_run = [o for i, o in outputs.items() if any(
        c.startswith("python -m pytest") for c in commands(BLOCKS[i]))]
    assert len(tests_run) == 2 and all(" passed" in o and "failed" not in o for o in tests_run)
    first, second = (int(re.search(r"(\d+) passed", o).group(1)) for o in tests_run)
    assert second == first + 1, "test_hitte.py runs in the second test run"
    checks = [o for i, o in outputs.items() if any(
        c.startswith("clausegen check") for c in commands(BLOCKS[i]))]
    assert len(checks) == 2 and all("0 errors, 0 warnings" in o for o in checks)
