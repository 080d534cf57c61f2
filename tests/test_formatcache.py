"""Formatted values kept across runs (formatcache.py): a value Babel formatted once comes back
as it was, without Babel, and never from other code, a damaged file or with --no-cache."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from clausegen import formatcache

from conftest import clausegen_exe

VALUES = ("from clausegen import params as p; from decimal import Decimal; import datetime as dt\n"
          "print(p.format_money(Decimal('1250.5'), 'nl'), '|', p.format_number(3, 'en'), '|',"
          " p.format_date(dt.date(2027, 1, 1), 'nl'), '|', p.format_unit(1, 'days', 'nl'))")


def run(code: str, cache, *, babel: bool = True, env: dict | None = None) -> str:
    if not babel:        # an import of Babel fails: what comes out came from the cache
        code = ("import builtins\nreal = builtins.__import__\n"
                "def block(name, *args, **kwargs):\n"
                "    if name.split('.')[0] == 'babel': raise ImportError('babel blocked')\n"
                "    return real(name, *args, **kwargs)\n"
                "builtins.__import__ = block\n" + code)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "CLAUSEGEN_CACHE_DIR": str(cache),
                                            **(env or {})})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_value_formatted_once_comes_back_without_babel(tmp_path):
    cache = tmp_path / "cache"
    first = run(VALUES, cache)
    assert first.split(" | ") == ["€ 1.250,50", "3", "1 januari 2027", "1 dag\n"]
    assert run(VALUES, cache, babel=False) == first
    (written,) = (cache / "values").iterdir()
    assert written.name.startswith("formatted-") and written.stat().st_mode & 0o077 == 0


def test_no_cache_keeps_nothing_and_needs_babel(tmp_path):
    cache = tmp_path / "cache"
    run(VALUES, cache, env={"CLAUSEGEN_NO_CACHE": "1"})
    assert not (cache / "values").exists() or not any((cache / "values").iterdir())
    with pytest.raises(AssertionError, match="babel"):
        run(VALUES, cache, babel=False, env={"CLAUSEGEN_NO_CACHE": "1"})


def test_a_damaged_or_foreign_file_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    first = run(VALUES, cache)
    (written,) = (cache / "values").iterdir()
    stored = json.loads(written.read_text(encoding="utf-8"))
    for garbage in ("{not json", json.dumps([1]), json.dumps({**stored, "format": 0}),
                    json.dumps({**stored, "entries": {k: 7 for k in stored["entries"]}})):
        written.write_text(garbage, encoding="utf-8")
        with pytest.raises(AssertionError, match="babel"):   # nothing usable: Babel needed
            run(VALUES, cache, babel=False)
        assert run(VALUES, cache) == first                     # and the file written afresh


def test_a_process_that_turns_the_cache_off_or_moves_it_is_followed_at_exit(monkeypatch,
                                                                          tmp_path):
    """The values are written where the caches are when the process ends (a test or the web
    page may change it after the first value), and not at all once they are turned off."""
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv("CLAUSEGEN_CACHE_DIR", str(first))
    monkeypatch.delenv("CLAUSEGEN_NO_CACHE", raising=False)
    cache = formatcache.FormatCache()
    cache.put("key", "value")
    monkeypatch.setenv("CLAUSEGEN_CACHE_DIR", str(second))
    cache.save()
    assert not (first / "values").exists() or not any((first / "values").iterdir())
    assert len(list((second / "values").iterdir())) == 1
    cache.put("other", "value")
    monkeypatch.setenv("CLAUSEGEN_NO_CACHE", "1")
    before = {p.name: p.read_bytes() for p in (second / "values").iterdir()}
    cache.save()
    assert {p.name: p.read_bytes() for p in (second / "values").iterdir()} == before


def file_name(cache_dir) -> str:
    cache = formatcache.FormatCache()
    cache.put("key", "value")
    cache.save()
    assert str(cache_dir) in cache.path
    return os.path.basename(cache.path)


def test_other_code_or_another_babel_has_another_file(monkeypatch, tmp_path):
    import types
    monkeypatch.setenv("CLAUSEGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLAUSEGEN_NO_CACHE", raising=False)
    names = set()
    for code in ("one", "two"):
        monkeypatch.setattr(formatcache, "code_fingerprint", lambda code=code: code)
        names.add(file_name(tmp_path / "cache"))
    assert len(names) == 2
    # Another Babel: the same clausegen, a Babel whose files are not the same (an upgrade).
    babel = tmp_path / "site" / "babel"
    (babel / "locale-data").mkdir(parents=True)
    (babel / "__init__.py").write_text("__version__ = '1'\n", encoding="utf-8")
    monkeypatch.setattr(formatcache.importlib.util, "find_spec", lambda name: types.SimpleNamespace(
        submodule_search_locations=[str(babel)]))
    before = file_name(tmp_path / "cache")
    (babel / "__init__.py").write_text("__version__ = '2.0'\n", encoding="utf-8")
    assert file_name(tmp_path / "cache") not in (before, *names)


def test_a_draft_is_the_same_bytes_with_the_values_from_the_cache(tmp_path):
    outputs = []
    for extra in ([], [], ["--no-cache"]):
        out = tmp_path / f"d{len(outputs)}.docx"
        env = {**os.environ, "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache")}
        subprocess.run([clausegen_exe(), *extra, "generate", "--sector", "metalektro",
                        "--audience", "intern", "--date", "2026-12-01", "-o", str(out)],
                       check=True, env=env, capture_output=True, timeout=300)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_the_key_tells_types_and_arguments_apart(monkeypatch):
    from clausegen import params
    # Each of these asks the cache under a key of its own (values no earlier test printed,
    # so the in-process memo does not answer first).
    asked = []
    monkeypatch.setattr(formatcache, "get", lambda key: asked.append(key))
    monkeypatch.setattr(formatcache, "put", lambda key, text: None)
    params.format_number(7391, "nl")
    params.format_number(Decimal(7391), "nl")     # another type, the same text
    params.format_money(7391, "nl")               # another formatter
    params.format_number(7391, "en")              # another argument
    assert len(asked) == len(set(asked)) == 4, asked
    assert params.format_number(Decimal("1.50"), "nl") == "1,5"
    assert params.format_number(2, "nl") == params.format_number(Decimal(2), "nl") == "2"
    assert params.format_date(dt.date(2027, 3, 1), "en") == "1 March 2027"
    assert params.format_unit(2, "weeks", "nl") != params.format_unit(2, "days", "nl")
