"""No lost work: a negotiator's existing draft is never replaced without --force, and with --force
it is replaced atomically (a temp file in the same folder, fsync, rename).

The guarantee, as tested here (see docs/security.md):
- without --force an existing output file is never touched, however long the build takes;
- a build that fails for any reason (bad input, a full disk, an exception, Ctrl-C, SIGTERM) leaves
  the old file byte-for-byte intact and no temp file behind;
- a build killed with SIGKILL (or a power cut) also leaves the old file intact, but may leave one
  `.NAME.*.tmp` next to it: no process can clean up after SIGKILL. The next build does not trip
  over it, and it is safe to delete.
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import as_at_a_terminal

HARDPACK = Path(__file__).resolve().parent / "fixtures" / "bad_input" / "hardpack"
NO_BUILTINS = "algemeen,robotisering,generaties,werkdruk,sectoren,wettelijk,samenhang"
OLD = b"PK\x03\x04 the negotiator's own edited draft, which must survive"


@pytest.fixture
def plugins(tmp_path):
    folder = tmp_path / "plugins"
    shutil.copytree(HARDPACK, folder / "hardpack")
    return folder


@pytest.fixture
def run(cli, tmp_path, plugins):
    def go(*args, env=None):
        full = {"CLAUSEGEN_DISABLE_PLUGINS": NO_BUILTINS,
                "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache"), **(env or {})}
        return cli("--plugins-dir", plugins, *args, env=full)
    return go


@pytest.fixture
def drafts(tmp_path):
    """The folder the drafts go into, holding only what the tests put there."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def old_draft(path: Path) -> os.stat_result:
    path.write_bytes(OLD)
    return path.stat()


def assert_untouched(path: Path, before: os.stat_result) -> None:
    assert path.read_bytes() == OLD, "the existing draft was changed"
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert path.stat().st_ino == before.st_ino


SPEC = '[cao]\nsector = "hardzorg"\ndate = 2026-12-01\n'


def command(kind: str, out: Path, folder: Path) -> list:
    if kind == "build":
        spec = folder.parent / "spec.toml"
        spec.write_text(SPEC, encoding="utf-8")
        return ["build", spec, "-o", out]
    if kind == "init":
        return ["init", "--sector", "hardzorg", "-o", out]
    return ["generate", "--sector", "hardzorg", "-o", out]


# ---------------------------------------------------------------- without --force


@pytest.mark.parametrize("kind, name", [("generate", "concept.docx"), ("generate", "concept.md"),
                                        ("generate", "concept.json"), ("build", "concept.docx"),
                                        ("init", "spec.toml")])
def test_an_existing_file_is_never_replaced_without_force(run, drafts, kind, name):
    out = drafts / name
    before = old_draft(out)
    result = run(*command(kind, out, drafts))
    assert result.exit_code == 1, result.output
    assert "--force" in result.stderr and "Traceback" not in result.output
    assert_untouched(out, before)
    assert sorted(p.name for p in drafts.iterdir()) == [name]


def test_a_file_that_appears_during_the_build_is_not_replaced_without_force(run, drafts,
                                                                             monkeypatch):
    """check_target looks before the build; the file may appear while the draft is being made
    (a second build, a colleague saving into the shared folder). Without --force it must still
    not be replaced: the final rename must not overwrite."""
    import clausegen.writers as writers
    out = drafts / "concept.docx"
    real = writers.render_bytes

    def render_then_someone_saves(*args, **kwargs):
        data = real(*args, **kwargs)
        out.write_bytes(OLD)
        return data
    monkeypatch.setattr(writers, "render_bytes", render_then_someone_saves)
    result = run("generate", "--sector", "hardzorg", "-o", out)
    assert out.read_bytes() == OLD, "a file created during the build was overwritten"
    assert result.exit_code == 1, result.output
    assert leftovers(drafts) == []


# ---------------------------------------------------------------- with --force: atomic


def test_force_replaces_via_a_synced_temp_file_in_the_same_folder(run, drafts, monkeypatch):
    out = drafts / "concept.docx"
    old_draft(out)
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", Path(os.readlink(f"/proc/self/fd/{fd}")).name))
        return real_fsync(fd)

    def replace(src, dst, *args, **kwargs):
        events.append(("replace", Path(src), Path(dst)))
        return real_replace(src, dst, *args, **kwargs)
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name the synced file")
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    result = run("generate", "--sector", "hardzorg", "-o", out, "--force")
    assert result.exit_code == 0, result.output
    replaces = [e for e in events if e[0] == "replace" and e[2] == out]
    assert len(replaces) == 1
    tmp = replaces[0][1]
    assert tmp.parent == out.parent, "the temp file is not in the target's folder"
    assert tmp.name.startswith(".concept.docx.") and tmp.name.endswith(".tmp")
    assert ("fsync", tmp.name) in events[:events.index(replaces[0])], "not synced before rename"
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
    assert leftovers(drafts) == []


class _Failing:
    """A file object that fails the way a full disk does: part of the data, then ENOSPC."""

    def __init__(self, handle, error: BaseException):
        self.handle, self.error = handle, error

    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise self.error

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)


def _fail_temp_writes(monkeypatch, target: Path, error: BaseException):
    real = os.fdopen

    def fdopen(fd, *args, **kwargs):
        handle = real(fd, *args, **kwargs)
        try:
            name = Path(os.readlink(f"/proc/self/fd/{fd}")).name
        except OSError:
            name = f".{target.name}.?"
        return _Failing(handle, error) if name.startswith(f".{target.name}.") else handle
    monkeypatch.setattr(os, "fdopen", fdopen)


FAILURES = {
    "disk-full-on-write": ("write", OSError(errno.ENOSPC, "No space left on device")),
    "quota-on-write": ("write", OSError(errno.EDQUOT, "Disk quota exceeded")),
    "io-error-on-fsync": ("fsync", OSError(errno.EIO, "Input/output error")),
    "disk-full-on-fsync": ("fsync", OSError(errno.ENOSPC, "No space left on device")),
    "rename-refused": ("replace", OSError(errno.EACCES, "Permission denied")),
    "ctrl-c-on-write": ("write", KeyboardInterrupt()),
    "bug-on-write": ("write", RuntimeError("unexpected")),
}


def _inject(monkeypatch, target: Path, where: str, error: BaseException):
    if where == "write":
        _fail_temp_writes(monkeypatch, target, error)
    elif where == "fsync":
        def fsync(fd):
            raise error
        monkeypatch.setattr(os, "fsync", fsync)
    else:   # whichever call puts the temp file in place: replace, rename or link
        for name in ("replace", "rename", "link"):
            def put(src, dst, *args, _real=getattr(os, name), **kwargs):
                if Path(dst) == target:
                    raise error
                return _real(src, dst, *args, **kwargs)
            monkeypatch.setattr(os, name, put)


@pytest.mark.parametrize("where, error", FAILURES.values(), ids=FAILURES.keys())
@pytest.mark.parametrize("name", ["concept.docx", "concept.md"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(run, drafts, monkeypatch,
                                                                   where, error, name):
    out = drafts / name
    before = old_draft(out)
    _inject(monkeypatch, out, where, error)
    result = run("generate", "--sector", "hardzorg", "-o", out, "--force")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert_untouched(out, before)
    assert leftovers(drafts) == []


@pytest.mark.parametrize("where, error", [FAILURES["disk-full-on-write"],
                                          FAILURES["rename-refused"]],
                         ids=["disk-full-on-write", "rename-refused"])
def test_a_failed_write_of_a_new_file_leaves_nothing(run, drafts, monkeypatch, where, error):
    out = drafts / "concept.docx"
    _inject(monkeypatch, out, where, error)
    result = run("generate", "--sector", "hardzorg", "-o", out)
    assert result.exit_code == 1, result.output
    assert list(drafts.iterdir()) == []


@pytest.mark.parametrize("failure", ["disk-full-on-write", "rename-refused"])
def test_a_failed_write_is_one_readable_message_naming_the_file(run, drafts, monkeypatch,
                                                                failure):
    """A full disk is not a bug in clausegen: say which file could not be written and why,
    not "internal error ... run with --debug"."""
    out = drafts / "concept.docx"
    old_draft(out)
    where, error = FAILURES[failure]
    _inject(monkeypatch, out, where, error)
    result = run("generate", "--sector", "hardzorg", "-o", out, "--force")
    assert result.exit_code == 1
    assert "internal error" not in result.stderr, result.stderr
    assert str(out) in result.stderr and error.strerror in result.stderr, result.stderr


@pytest.mark.parametrize("args, break_template", [
    (["--set", "hard.waarden.aantal=veel"], False),
    (["--set", "hard.waarden.dagen=1000"], False),
    (["--clause", "hard.nope"], False),
    ([], True),
], ids=["bad-value", "out-of-bounds", "unknown-clause", "render-error"])
def test_a_failed_build_with_force_keeps_the_old_file(run, drafts, plugins, args, break_template):
    if break_template:   # found only when rendering, after all the checks
        clause = plugins / "hardpack" / "hard" / "waarden.toml"
        clause.write_text(clause.read_text(encoding="utf-8").replace(
            "Tekst: [{{ tekst }}]", "Tekst: [{{ tekts }}]"), encoding="utf-8")
    out = drafts / "concept.docx"
    before = old_draft(out)
    result = run("generate", "--sector", "hardzorg", *args, "-o", out, "--force")
    assert result.exit_code == 1, result.output
    assert_untouched(out, before)
    assert leftovers(drafts) == []


def test_force_then_leaves_exactly_the_new_draft(run, drafts):
    out = drafts / "concept.docx"
    old_draft(out)
    result = run("generate", "--sector", "hardzorg", "-o", out, "--force")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        assert "word/document.xml" in package.namelist()
    assert sorted(p.name for p in drafts.iterdir()) == ["concept.docx"]


@pytest.mark.parametrize("target, fragment", [
    ("missing-folder/concept.docx", "does not exist"),
    ("a-folder", "directory"),
])
def test_an_impossible_target_is_refused_before_any_work(run, drafts, target, fragment):
    (drafts / "a-folder").mkdir()
    result = run("generate", "--sector", "hardzorg", "-o", drafts / target)
    assert result.exit_code in (1, 2), result.output
    assert fragment in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in drafts.iterdir()) == ["a-folder"]
    assert list((drafts / "a-folder").iterdir()) == []


# ---------------------------------------------------------------- what the file looks like after


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_draft_gets_the_permissions_of_an_ordinary_file(run, drafts):
    """mkstemp creates 0600 files; renamed into place they would make every draft private
    to its author, unreadable to colleagues in a shared folder."""
    old_umask = os.umask(0o022)
    try:
        result = run("generate", "--sector", "hardzorg", "-o", drafts / "concept.docx")
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((drafts / "concept.docx").stat().st_mode) == 0o644


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_force_keeps_the_permissions_of_the_replaced_file(run, drafts):
    out = drafts / "concept.docx"
    old_draft(out)
    out.chmod(0o664)
    result = run("generate", "--sector", "hardzorg", "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o664


# ---------------------------------------------------------------- a real process, killed mid-write

CHILD = r"""
import os, sys, time
from pathlib import Path

ready, target = Path(sys.argv[1]), Path(sys.argv[2])
real_fdopen = os.fdopen


class Slow:
    # Writes half the draft to the temp file, syncs it, says so, then waits to be killed.
    def __init__(self, handle):
        self.handle = handle

    def write(self, data):
        half = len(data) // 2
        self.handle.write(data[:half])
        self.handle.flush()
        os.fsync(self.handle.fileno())
        ready.write_text(os.readlink(f"/proc/self/fd/{self.handle.fileno()}"))
        time.sleep(120)
        return self.handle.write(data[half:])

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)


def fdopen(fd, *args, **kwargs):
    handle = real_fdopen(fd, *args, **kwargs)
    name = Path(os.readlink(f"/proc/self/fd/{fd}")).name
    return Slow(handle) if name.startswith(f".{target.name}.") else handle


os.fdopen = fdopen
from clausegen.cli import main
sys.argv = ["clausegen"] + sys.argv[3:]
main()
"""


def _start_and_kill(tmp_path: Path, plugins: Path, out: Path, sig: signal.Signals):
    ready = tmp_path / "ready"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUSEGEN_")}
    env.update({"CLAUSEGEN_DISABLE_PLUGINS": NO_BUILTINS,
                "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache")})
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ready), str(out), "--plugins-dir", str(plugins),
         "generate", "--sector", "hardzorg", "-o", str(out), "--force"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=as_at_a_terminal)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() or not ready.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the build never reached the write: "
                                     + proc.stderr.read().decode(errors="replace"))
            time.sleep(0.05)
        temp = Path(ready.read_text())
        assert temp.parent == out.parent and temp.exists(), "no temp file being written"
        assert 0 < temp.stat().st_size, "the temp file is empty"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, stderr.decode(errors="replace"), temp


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir() or os.name != "posix",
                    reason="needs POSIX signals and /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
                         ids=["SIGKILL", "SIGTERM", "SIGINT", "SIGHUP"])
def test_a_build_killed_mid_write_keeps_the_old_file(tmp_path, plugins, drafts, sig):
    out = drafts / "concept.docx"
    before = old_draft(out)
    code, stderr, temp = _start_and_kill(tmp_path, plugins, out, sig)
    assert code != 0
    assert "Traceback" not in stderr, stderr
    assert_untouched(out, before)
    if sig == signal.SIGKILL:
        # Nothing can run after SIGKILL: at most the one temp file may remain, and it is
        # never mistaken for the draft.
        assert leftovers(drafts) in ([], [temp.name])
        for stray in drafts.glob(".*.tmp"):
            stray.unlink()
    else:
        assert leftovers(drafts) == [], f"{sig.name} left a temp file behind"
    assert sorted(p.name for p in drafts.iterdir()) == ["concept.docx"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir() or os.name != "posix",
                    reason="needs POSIX signals and /proc")
def test_a_stray_temp_file_from_a_killed_build_does_not_block_the_next(tmp_path, plugins, drafts,
                                                                         run):
    out = drafts / "concept.docx"
    old_draft(out)
    _, _, temp = _start_and_kill(tmp_path, plugins, out, signal.SIGKILL)
    result = run("generate", "--sector", "hardzorg", "-o", out, "--force")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
    assert leftovers(drafts) in ([], [temp.name])
