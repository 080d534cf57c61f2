"""Shared fixtures: a CLI runner with a fresh plugin host per call, and the fixture packs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

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


@pytest.fixture
def cli(monkeypatch):
    """Run `clausegen ARGS` in-process as a user would; returns click's Result.

    Plugin loading is cached per process, so each call starts from a fresh host; `env` sets
    environment variables for that call only.
    """
    from clausegen import plugin_host
    from clausegen.cli import cli as command

    def run(*args, env: dict | None = None, input: str | None = None):
        plugin_host._hosts.clear()
        for key in ("CLAUSEGEN_PLUGINS_DIR", "CLAUSEGEN_DISABLE_PLUGINS", "CLAUSEGEN_LOAD_PLUGINS"):
            monkeypatch.delenv(key, raising=False)
        # `--no-cache` sets CLAUSEGEN_NO_CACHE in the process: for this call only (set, not
        # deleted, so that monkeypatch restores it afterwards; empty means caching is on)
        monkeypatch.setenv("CLAUSEGEN_NO_CACHE", "")
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        result = CliRunner().invoke(command, [str(a) for a in args], input=input,
                                    catch_exceptions=False)
        plugin_host._hosts.clear()
        return result
    return run


@pytest.fixture(scope="session")
def library():
    """The built-in library only (installed third-party plugins left out)."""
    from clausegen.testing import make_library
    return make_library()


@pytest.fixture(scope="session")
def pack_library():
    """The built-ins plus the fixture content packs."""
    from clausegen.testing import make_library
    return make_library(plugins_dir=PACKS)


def build_wheel(tmp_path_factory) -> Path:
    """clausegen's wheel, built once per test session from a clean copy of the source.

    A copy, because setuptools reuses the checkout's build/ folder, where a file deleted from
    the source can linger and end up in the wheel.
    """
    out = tmp_path_factory.getbasetemp() / "clausegen-wheel"
    wheels = sorted(out.glob("clausegen-*.whl"))
    if wheels:
        return wheels[-1]
    source = tmp_path_factory.getbasetemp() / "clausegen-source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "out", "*.egg-info", "__pycache__", ".pytest_cache",
        ".hypothesis"))
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=600)
    return sorted(out.glob("clausegen-*.whl"))[-1]


def clausegen_exe() -> str:
    """The console script of the environment running the tests."""
    exe = Path(sys.executable).parent / "clausegen"
    return str(exe) if exe.exists() else shutil.which("clausegen")


def run_exe(*args, cwd=None, env=None, check=False) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUSEGEN_")}
    full_env.update(env or {})
    return subprocess.run([clausegen_exe(), *map(str, args)], cwd=cwd, env=full_env,
                          capture_output=True, text=True, check=check, timeout=300)
