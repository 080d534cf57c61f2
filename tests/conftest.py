"""Shared fixtures: a CLI runner with a fresh plugin host per call, and the fixture packs."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

try:
    import fcntl
except ImportError:                     # Windows: each xdist worker builds its own wheel
    fcntl = None

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PACKS = FIXTURES / "packs"
SHARED = ROOT.parent / "shared"
FLAGSHIPS = ("robotisering.ontwikkelbudget", "generaties.mentorschap", "werkdruk.zelfroosteren")


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory):
    """The tests' own user cache (compiled templates, parsed library), never the user's: a
    run of the tests neither depends on what a user's cache holds nor fills it. Tests that
    test the cache set CLAUSEGEN_CACHE_DIR or XDG_CACHE_HOME themselves."""
    saved = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "CLAUSEGEN_CACHE_DIR",
                                            "CLAUSEGEN_NO_CACHE")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    os.environ.pop("CLAUSEGEN_CACHE_DIR", None)
    os.environ.pop("CLAUSEGEN_NO_CACHE", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# Runs the CLI in-process and, at exit, writes to argv[2] the modules it imported whose top
# name is in argv[1] (comma-separated; a full module name counts too).
_PROBE = """
import atexit, sys
roots, path = sys.argv.pop(1).split(","), sys.argv.pop(1)
def report():
    found = sorted(m for m in sys.modules if m.split(".")[0] in roots or m in roots)
    with open(path, "w") as handle:
        handle.write(repr(found))
atexit.register(report)
from clausegen.cli import main
sys.argv[0] = "clausegen"
main()
"""


def modules_imported(tmp_path, roots: tuple[str, ...], *args, env: dict | None = None) -> str:
    """Run `clausegen ARGS` as a process of its own; the modules under `roots` it imported
    (their repr, "[]" for none)."""
    report = tmp_path / "modules.txt"
    proc = subprocess.run([sys.executable, "-c", _PROBE, ",".join(roots), str(report),
                           *map(str, args)], env={**os.environ, **(env or {})},
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return report.read_text()


# What a plugin host reads from the environment when it loads (plugin_host.PluginHost.load).
HOST_VARIABLES = ("CLAUSEGEN_PLUGINS_DIR", "CLAUSEGEN_DISABLE_PLUGINS", "CLAUSEGEN_LOAD_PLUGINS")
# The host of a call with no plugins dir and none of HOST_VARIABLES, by sys.path (where entry
# points are found), kept across calls: it loads what a fresh host would, and its Library is
# read-only once built (library.py), so a command sees the same either way. A host that
# recorded a plugin error is not kept. Saves ~100 loads of the built-ins (~2.5 s) a run.
_builtin_host: dict[tuple, object] = {}


def run_cli(*args, input: str | None = None):
    """Run `clausegen ARGS` in-process as a user would, in the current environment; returns
    click's Result. For module fixtures; a test uses the `cli` fixture.

    Plugin loading is cached per process, so each call starts from a fresh host (the built-ins
    alone are loaded once, see _builtin_host).
    """
    from clausegen import plugin_host
    from clausegen.cli import cli as command
    plugin_host._hosts.clear()
    shared = not any(key in os.environ for key in HOST_VARIABLES)
    if shared and tuple(sys.path) in _builtin_host:
        plugin_host._hosts[""] = _builtin_host[tuple(sys.path)]
    try:
        return CliRunner().invoke(command, [str(a) for a in args], input=input,
                                  catch_exceptions=False)
    finally:
        host = plugin_host._hosts.get("")
        if shared and host is not None:
            _builtin_host.clear()
            if not host.errors():
                _builtin_host[tuple(sys.path)] = host
        plugin_host._hosts.clear()


@pytest.fixture
def cli(monkeypatch):
    """Run `clausegen ARGS` in-process as a user would; returns click's Result.

    `env` sets environment variables for the rest of the test; the plugin variables
    (HOST_VARIABLES) are cleared before each call.
    """
    def run(*args, env: dict | None = None, input: str | None = None):
        for key in HOST_VARIABLES:
            monkeypatch.delenv(key, raising=False)
        # `--no-cache` sets CLAUSEGEN_NO_CACHE in the process: for this call only (set, not
        # deleted, so that monkeypatch restores it afterwards; empty means caching is on)
        monkeypatch.setenv("CLAUSEGEN_NO_CACHE", "")
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        return run_cli(*args, input=input)
    return run


@pytest.fixture(scope="session")
def library():
    """The built-in library only (installed third-party plugins left out)."""
    from clausegen.testing import make_library
    return make_library()


@pytest.fixture(scope="session")
def library_texts(library):
    """`library_texts(language)`: (where, text) of every clause as every sector's intern draft
    renders it at doel (rendered.all_texts), built once a run for the content tests that only
    read them (terms, English, sector fit)."""
    from rendered import all_texts
    built: dict[str, tuple] = {}

    def texts(language: str) -> tuple:
        if language not in built:
            built[language] = tuple(all_texts(library, language))
        return built[language]
    return texts


@pytest.fixture(scope="session")
def pack_library():
    """The built-ins plus the fixture content packs."""
    from clausegen.testing import make_library
    return make_library(plugins_dir=PACKS)


@pytest.fixture(scope="session")
def clausegen_wheel(tmp_path_factory) -> Path:
    """clausegen's wheel, built once per test run from a clean copy of the source, for the
    slow tests that install it (wheel, scaffold, tutorial).

    A copy, because setuptools reuses the checkout's build/ folder, where a file deleted from
    the source can linger and end up in the wheel. Under pytest-xdist the workers share the
    run's temp folder: the first to ask builds the wheel while holding a lock, the others wait
    for it and reuse it.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        root = root.parent              # the run's folder above the workers' own (popen-gwN)
    out = root / "clausegen-wheel"
    with open(root / "clausegen-wheel.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)        # released when the file is closed
        wheels = sorted(out.glob("clausegen-*.whl"))
        if wheels:
            return wheels[-1]
        source = Path(tempfile.mkdtemp(prefix="clausegen-source-", dir=root)) / "clausegen"
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
            ".git", ".venv*", "build", "dist", "out", "*.egg-info", "__pycache__",
            ".pytest_cache", ".hypothesis"))
        subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out),
                        str(source)], check=True, capture_output=True, timeout=600)
        return sorted(out.glob("clausegen-*.whl"))[-1]


def as_at_a_terminal() -> None:
    """preexec_fn for a child that a test interrupts as a user's Ctrl-C would: SIGINT at its
    default, so Python raises KeyboardInterrupt. A test run started in the background (`make
    test &` in a script) passes SIGINT on as ignored, and the child would never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def clausegen_exe() -> str:
    """The console script of the environment running the tests."""
    exe = Path(sys.executable).parent / "clausegen"
    return str(exe) if exe.exists() else shutil.which("clausegen")


def run_exe(*args, cwd=None, env=None, check=False) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUSEGEN_")}
    full_env.update(env or {})
    return subprocess.run([clausegen_exe(), *map(str, args)], cwd=cwd, env=full_env,
                          capture_output=True, text=True, check=check, timeout=300)
