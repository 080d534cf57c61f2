"""The installed plugins' entry points (entrypoints.py): what importlib.metadata finds, kept
between runs, and found afresh as soon as a package is installed, upgraded or removed."""
from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

import pytest

from clausegen import entrypoints

GROUP = "clausegen"


def install(site: Path, name: str, version: str, points: dict[str, str]) -> Path:
    """What pip install leaves for importlib.metadata to find."""
    dist = site / f"{name.replace('-', '_')}-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        f"[{GROUP}]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()), encoding="utf-8")
    return dist


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path for installed distributions, and a cache of the test's own."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("CLAUSEGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLAUSEGEN_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def finds(monkeypatch):
    """How often the entry points were looked up through importlib.metadata."""
    calls = []
    real = entrypoints._find

    def counting(group):
        calls.append(group)
        return real(group)
    monkeypatch.setattr(entrypoints, "_find", counting)
    return calls


def names(points) -> list[str]:
    return [p.name for p in points]


def test_the_entry_points_are_importlib_metadatas_in_its_order(site):
    install(site, "clausegen-zorg", "1.2.0", {"zorg": "clausegen_zorg:plugin"})
    expected = [(ep.name, ep.value, ep.dist.metadata["Name"], ep.dist.version)
                for ep in metadata.entry_points(group=GROUP)]
    assert [tuple(p) for p in entrypoints.entry_points(GROUP)] == expected
    assert [tuple(p) for p in entrypoints.entry_points(GROUP)] == expected     # from the cache
    assert ("zorg", "clausegen_zorg:plugin", "clausegen-zorg", "1.2.0") in expected


def test_a_second_run_reads_the_cache_and_an_install_or_removal_is_seen(site, finds):
    first = entrypoints.entry_points(GROUP)
    assert entrypoints.entry_points(GROUP) == first and len(finds) == 1
    dist = install(site, "clausegen-zorg", "1.2.0", {"zorg": "clausegen_zorg:plugin"})
    assert "zorg" in names(entrypoints.entry_points(GROUP)) and len(finds) == 2
    # an upgrade: the old metadata folder goes, a new one comes
    for item in dist.iterdir():
        item.unlink()
    dist.rmdir()
    install(site, "clausegen-zorg", "1.3.0", {"zorg": "clausegen_zorg:plugin"})
    found = {p.name: p for p in entrypoints.entry_points(GROUP)}
    assert found["zorg"].version == "1.3.0"
    for item in (site / "clausegen_zorg-1.3.0.dist-info").iterdir():
        item.unlink()
    (site / "clausegen_zorg-1.3.0.dist-info").rmdir()
    assert entrypoints.entry_points(GROUP) == first


def test_a_damaged_cache_is_found_afresh(site, tmp_path, finds):
    install(site, "clausegen-zorg", "1.2.0", {"zorg": "clausegen_zorg:plugin"})
    expected = entrypoints.entry_points(GROUP)
    cache = tmp_path / "cache" / "plugins" / "entry-points.json"
    for garbage in ("{not json", json.dumps([1, 2]),
                    json.dumps({"format": entrypoints.FORMAT, "keys": {
                        key: [[1]] for key in json.loads(cache.read_text())["keys"]}})):
        cache.write_text(garbage, encoding="utf-8")
        assert entrypoints.entry_points(GROUP) == expected
    assert len(finds) == 4


def test_no_cache_keeps_nothing(site, tmp_path, monkeypatch, finds):
    monkeypatch.setenv("CLAUSEGEN_NO_CACHE", "1")
    entrypoints.entry_points(GROUP)
    entrypoints.entry_points(GROUP)
    assert len(finds) == 2
    assert not (tmp_path / "cache" / "plugins").exists()


@pytest.mark.parametrize("value", ["json", "json:dumps", "os.path:join", "importlib:util.find_spec",
                                   "os.path : join [extra]"])
def test_load_imports_what_importlib_metadata_would(value):
    point = entrypoints.EntryPoint("x", value, "", "")
    assert entrypoints.load(point) is metadata.EntryPoint("x", value, GROUP).load()


def test_a_value_importlib_metadata_cannot_read_fails_as_it_does():
    point = entrypoints.EntryPoint("x", "not a module path!", "", "")
    with pytest.raises(Exception) as ours:
        entrypoints.load(point)
    with pytest.raises(Exception) as theirs:
        metadata.EntryPoint("x", point.value, GROUP).load()
    assert type(ours.value) is type(theirs.value)


def test_a_second_run_finds_the_plugins_without_reading_package_metadata(tmp_path):
    """The first run reads every package's metadata and keeps the list; the second takes it
    from the cache. (Whether importlib.metadata is imported at all depends on pluggy: 1.3
    imports it itself, so the test watches clausegen's own search instead.)"""
    import subprocess
    code = ("from clausegen import entrypoints; from clausegen.plugin_host import PluginHost; "
            "searched = []; find = entrypoints._find; "
            "entrypoints._find = lambda group: searched.append(group) or find(group); "
            "PluginHost().load(); print(bool(searched))")
    env = {"CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, cwd=tmp_path, timeout=120) for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], runs[-1].stderr


def test_an_entry_point_added_in_place_is_found(site, finds):
    """setuptools' egg_info (a legacy `setup.py develop`) rewrites entry_points.txt inside
    the same metadata folder, whose time stays as it was: the new plugin is still found."""
    import os
    dist = install(site, "clausegen-zorg", "1.2.0", {"zorg": "clausegen_zorg:plugin"})
    ours = lambda: [n for n in names(entrypoints.entry_points(GROUP)) if n.startswith("zorg")]
    assert ours() == ["zorg"]
    kept = os.stat(dist).st_mtime_ns
    (dist / "entry_points.txt").write_text(
        f"[{GROUP}]\nzorg = clausegen_zorg:plugin\nzorg2 = clausegen_zorg:other\n",
        encoding="utf-8")
    os.utime(dist, ns=(kept, kept))
    assert ours() == ["zorg", "zorg2"]
    assert len(finds) == 2
