"""Installed as a user installs it: the wheel in a fresh venv, and a sector plugin with pip."""
import json
import os
import subprocess
import venv

import pytest

from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory, clausegen_wheel):
    """A virtual environment outside the checkout with clausegen installed from its wheel."""
    base = tmp_path_factory.mktemp("wheel")
    wheel = clausegen_wheel
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True, timeout=600)
    return env_dir, base


def run(env_dir, *args, cwd):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CLAUSEGEN_", "PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run([str(env_dir / "bin" / "clausegen"), *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def test_the_wheel_generates_a_draft_with_the_builtin_library(wheel_env, tmp_path):
    env_dir, _ = wheel_env
    result = run(env_dir, "generate", "--sector", "ziekenhuizen", "-o", "c.docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "c.docx").stat().st_size > 10_000
    result = run(env_dir, "clauses", "--json", cwd=tmp_path)
    files = [c["plugin"]["file"] for c in json.loads(result.stdout)]
    assert files and all(str(ROOT) not in f for f in files), "loaded from the checkout"
    assert all("site-packages" in f for f in files)


def test_a_pip_installed_sector_plugin_is_listed_and_drafted(wheel_env, tmp_path):
    env_dir, _ = wheel_env
    python = env_dir / "bin" / "python"
    for package in ("sector_plugin", "broken_plugin"):
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                        str(FIXTURES / package)], check=True, capture_output=True, timeout=600)
    plugins = {p["name"]: p for p in json.loads(run(env_dir, "plugins", "--json",
                                                    cwd=tmp_path).stdout)}
    assert plugins["testsector"]["status"] == "ok"
    assert plugins["testsector"]["distribution"] == "clausegen-testsector"
    assert plugins["testsector"]["version"] == "0.2.0"
    assert plugins["kapot"]["status"] == "broken"
    assert "RuntimeError: kapot bij het importeren" in plugins["kapot"]["errors"][0]
    result = run(env_dir, "generate", "--sector", "testsector", "-o", "t.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "error: plugin kapot 0.0.1" in result.stderr
    text = (tmp_path / "t.md").read_text()
    assert "Veilig werken met machines" in text
    assert "Individueel ontwikkelbudget" in text   # a built-in clause the sector recommends
