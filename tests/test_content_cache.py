"""The content cache (contentcache): parsed files come back only for exactly the same bytes,
and a cache that is off, damaged or not private is never used."""
from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from clausegen import content, contentcache
from clausegen.testing import make_library

from conftest import PACKS

CLAUSE = "zorg.nachtdienst"


@pytest.fixture
def pack(tmp_path):
    """A copy of the zorgpack fixture (a content-only pack) to change files in."""
    plugins = tmp_path / "plugins"
    shutil.copytree(PACKS / "zorgpack", plugins / "zorgpack")
    return plugins


@pytest.fixture
def parses(monkeypatch):
    """The files parsed afresh (not from the cache), by kind: [(kind, file path)]."""
    seen: list[tuple[str, str]] = []
    for kind, parser in list(content.PARSERS.items()):
        def counting(text, file, _parser=parser, _kind=kind):
            seen.append((_kind, str(file)))
            return _parser(text, file)
        monkeypatch.setitem(content.PARSERS, kind, counting)
    return seen


def use_cache(monkeypatch, folder: Path) -> None:
    monkeypatch.setenv("CLAUSEGEN_CACHE_DIR", str(folder))
    monkeypatch.delenv("CLAUSEGEN_NO_CACHE", raising=False)


def new_run(monkeypatch, plugins: Path):
    """A library built as a new process builds it: with a content cache read afresh."""
    monkeypatch.setattr(contentcache, "_cache", contentcache.ContentCache())
    return make_library(plugins_dir=plugins)


def clause_file(plugins: Path) -> Path:
    return plugins / "zorgpack" / "zorg" / "nachtdienst.toml"


def test_a_second_build_parses_nothing_and_gives_the_same_items(pack, parses, monkeypatch,
                                                                tmp_path):
    use_cache(monkeypatch, tmp_path / "cache")
    first = make_library(plugins_dir=pack)
    assert parses, "the first build parses every file"
    parses.clear()
    second = make_library(plugins_dir=pack)
    assert parses == []
    assert second.clauses.keys() == first.clauses.keys()
    for clause_id, clause in first.clauses.items():
        again = second.clauses[clause_id]
        assert again == clause and again is not clause
        assert again.provenance == clause.provenance and again.digest == clause.digest
    assert list((tmp_path / "cache" / "library").glob("content-*.pickle"))


def test_a_changed_file_is_parsed_again_even_with_its_size_and_mtime_kept(pack, parses,
                                                                          monkeypatch, tmp_path):
    """The key is the file's bytes: an edit that keeps the size and the modification time
    (a same-length change within one second, a copy that keeps times) still counts."""
    use_cache(monkeypatch, tmp_path / "cache")
    path = clause_file(pack)
    before = make_library(plugins_dir=pack).clauses[CLAUSE]
    text = path.read_text(encoding="utf-8")
    info = path.stat()
    old = before.title["nl"]
    new = old[:-1] + ("X" if old[-1] != "X" else "Y")
    assert len(new.encode()) == len(old.encode())
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    parses.clear()
    after = make_library(plugins_dir=pack).clauses[CLAUSE]
    assert after.title["nl"] == new
    assert after.digest != before.digest
    assert parses == [("clause", str(path))]     # only the changed file
    path.write_text(text, encoding="utf-8")      # and back: the old items, right again
    assert make_library(plugins_dir=pack).clauses[CLAUSE].title["nl"] == old


def test_a_file_that_fails_is_never_cached(pack, monkeypatch, tmp_path):
    use_cache(monkeypatch, tmp_path / "cache")
    make_library(plugins_dir=pack)
    path = clause_file(pack)
    path.write_text(path.read_text(encoding="utf-8") + "\nunknown_key = 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(Exception, match="unknown_key"):
            make_library(plugins_dir=pack)


def test_no_cache_env_turns_it_off(pack, parses, monkeypatch, tmp_path):
    use_cache(monkeypatch, tmp_path / "cache")
    monkeypatch.setenv("CLAUSEGEN_NO_CACHE", "1")
    make_library(plugins_dir=pack)
    parses.clear()
    make_library(plugins_dir=pack)
    assert parses, "with the cache off every build parses"
    assert not (tmp_path / "cache").exists()


def test_the_no_cache_option_turns_it_off(cli, pack, tmp_path):
    result = cli("--plugins-dir", pack, "--no-cache", "generate", "--sector", "testzorg",
                 "-o", tmp_path / "c.docx", env={"CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache")})
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "cache" / "library").exists()


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage",
                                    pickle.dumps({"format": -1, "entries": {}}),
                                    pickle.dumps(["a", "list"]), "truncated"])
def test_a_damaged_cache_file_is_ignored(pack, parses, monkeypatch, tmp_path, damage):
    use_cache(monkeypatch, tmp_path / "cache")
    expected = make_library(plugins_dir=pack).clauses[CLAUSE]
    [cache_file] = (tmp_path / "cache" / "library").glob("content-*.pickle")
    data = cache_file.read_bytes()
    cache_file.write_bytes(data[: len(data) // 2] if damage == "truncated" else damage)
    contentcache._cache._loaded = False        # as a new process would read it
    parses.clear()
    assert make_library(plugins_dir=pack).clauses[CLAUSE] == expected
    assert parses, "the damaged cache was not used"
    contentcache._cache._loaded = False
    parses.clear()
    make_library(plugins_dir=pack)              # and it was written afresh
    assert parses == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_cache_others_can_write_is_never_loaded(pack, monkeypatch, tmp_path):
    """A pickle runs code when loaded: a planted cache file in a folder (or a file) that others
    can write must not be read."""
    canary = tmp_path / "planted-code-ran.txt"

    class Planted:
        def __reduce__(self):
            return (Path(canary).write_text, ("pwned",))
    planted = pickle.dumps({"format": contentcache.FORMAT, "entries": {}, "x": Planted()})
    name = f"content-{contentcache.code_fingerprint()}.pickle"
    shared = tmp_path / "shared"
    (shared / "library").mkdir(parents=True)
    (shared / "library" / name).write_bytes(planted)
    shared.chmod(0o777)
    use_cache(monkeypatch, shared)
    contentcache._cache._loaded = False
    make_library(plugins_dir=pack)
    assert not canary.exists()
    own = tmp_path / "own"                     # a private folder, but a file others can write
    (own / "library").mkdir(parents=True)
    (own / "library" / name).write_bytes(planted)
    (own / "library" / name).chmod(0o666)
    own.chmod(0o700)
    (own / "library").chmod(0o700)
    use_cache(monkeypatch, own)
    make_library(plugins_dir=pack)
    assert not canary.exists()
    # The control: the same file, the user's alone, is loaded (and runs): the files planted
    # above were ones the cache reads. (The run above wrote its own cache file over it.)
    (own / "library" / name).write_bytes(planted)
    (own / "library" / name).chmod(0o600)
    new_run(monkeypatch, pack)
    assert canary.exists()


def test_a_draft_is_the_same_bytes_from_a_cold_and_a_warm_cache(cli, pack, tmp_path):
    outputs = []
    for run, extra in enumerate((["--no-cache"], [], [])):  # cold, filling, warm
        out = tmp_path / f"c{run}.docx"
        result = cli("--plugins-dir", pack, *extra, "generate", "--sector", "testzorg",
                     "--date", "2026-12-01", "-o", out,
                     env={"CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache")})
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_content_folder_is_walked_once_and_sees_a_new_file(tmp_path, monkeypatch):
    """ContentDir lists its folder once for every kind, and lists it again when a folder in it
    changed (a file added)."""
    shutil.copytree(PACKS / "zorgpack", tmp_path / "zorgpack")
    folder = content.ContentDir(tmp_path / "zorgpack")
    walks = []
    walk = content.ContentDir._walk

    def counting(self, node, parts, *args, **kwargs):
        if not parts:
            walks.append(node)
        return walk(self, node, parts, *args, **kwargs)
    monkeypatch.setattr(content.ContentDir, "_walk", counting)
    clauses = folder.files("clause")
    for kind in content.KINDS:
        folder.files(kind)
    assert len(walks) == 1
    new = tmp_path / "zorgpack" / "zorg" / "zz-nieuw.toml"
    new.write_text(clause_file(tmp_path).read_text(encoding="utf-8"), encoding="utf-8")
    assert folder.files("clause") == sorted(clauses + [new], key=lambda p: p.name)
    assert len(walks) == 2


def test_the_cache_keeps_one_entry_per_file_and_none_for_a_folder_that_is_gone(
        pack, monkeypatch, tmp_path):
    """A copy of a pack in a folder that is later removed (a temporary checkout) leaves
    nothing behind after the next run's save; an edited file keeps one entry, its newest."""
    import pickle

    use_cache(monkeypatch, tmp_path / "cache")
    copy = tmp_path / "copy"
    shutil.copytree(pack, copy)
    new_run(monkeypatch, copy)
    new_run(monkeypatch, pack)
    edited = clause_file(pack)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    shutil.rmtree(copy)
    new_run(monkeypatch, pack)

    folders = pickle.loads(next((tmp_path / "cache" / "library").glob("content-*.pickle"))
                           .read_bytes())["folders"]
    files = [file for _, data in folders.values() for _, file in pickle.loads(data)]
    assert not [f for f in files if f.startswith(str(copy))]
    assert files.count(str(edited)) == 1


def test_an_error_in_a_cached_clause_points_at_its_line(cli, pack, parses, tmp_path):
    """The cache keeps no file's text (the file is read anyway): a clause from the cache still
    names the line of what is wrong in it, as a freshly parsed one does."""
    path = clause_file(pack)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ toeslag | money }}", "{{ toeslag | nofilter }}", 1),
                    encoding="utf-8")
    line = next(number for number, row in enumerate(path.read_text().splitlines(), 1)
                if "nofilter" in row)
    messages = []
    for run in range(2):                            # parsed, then from the cache
        parses.clear()
        result = cli("--plugins-dir", pack, "generate", "--sector", "testzorg",
                     "-o", tmp_path / f"c{run}.docx",
                     env={"CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache")})
        assert result.exit_code != 0
        messages.append(result.output)
        assert (("clause", str(path)) in parses) == (run == 0)   # the second from the cache
    assert f"nachtdienst.toml:{line}" in messages[0]
    assert messages[1] == messages[0]
    [cache_file] = (tmp_path / "cache" / "library").glob("content-*.pickle")
    assert b"\n[positions]\n" not in cache_file.read_bytes()    # the file's own text


def test_a_file_registered_twice_in_one_build_gets_items_of_its_own(pack, monkeypatch,
                                                                     tmp_path):
    """The cache hands a file's items to one registration only: a second plugin registering
    the same file gets its own, so the collision names both plugins, from a warm cache too."""
    from clausegen.plugin_host import PluginHost
    use_cache(monkeypatch, tmp_path / "cache")
    folder = pack / "zorgpack"

    def errors():
        plugins = [(name, content.ContentPlugin(content.ContentDir(folder)))
                   for name in ("een", "twee")]
        host = PluginHost(env={}, entry_points=False, extra=plugins)
        library = host.library()
        return library.clauses[CLAUSE].provenance.plugin, host.errors()
    cold, warm = errors(), errors()
    assert cold[0] == "een"
    assert any(f"{CLAUSE!r} from plugin twee" in e and "registered by plugin een" in e
               for e in cold[1])
    assert warm == cold


def test_files_another_run_read_are_kept_when_this_run_writes_the_cache(pack, parses,
                                                                         monkeypatch, tmp_path):
    """Two plugin folders used in turn (each run writing the cache) both stay warm."""
    use_cache(monkeypatch, tmp_path / "cache")
    other = tmp_path / "other"
    shutil.copytree(pack, other)
    new_run(monkeypatch, pack)
    new_run(monkeypatch, other)
    parses.clear()
    new_run(monkeypatch, pack)
    new_run(monkeypatch, other)
    assert parses == []


def test_a_damaged_folder_in_the_cache_is_parsed_again_and_the_others_still_used(
        pack, parses, monkeypatch, tmp_path):
    use_cache(monkeypatch, tmp_path / "cache")
    expected = make_library(plugins_dir=pack).clauses[CLAUSE]
    [cache_file] = (tmp_path / "cache" / "library").glob("content-*.pickle")
    stored = pickle.loads(cache_file.read_bytes())
    damaged = str(clause_file(pack).parent)
    count, data = stored["folders"][damaged]
    stored["folders"][damaged] = (count, data[: len(data) // 2])
    cache_file.write_bytes(pickle.dumps(stored))
    parses.clear()
    assert new_run(monkeypatch, pack).clauses[CLAUSE] == expected
    assert parses and {file for _, file in parses} <= {str(p) for p in clause_file(pack)
                                                       .parent.iterdir()}


@pytest.mark.parametrize("inside", [
    {"x": 1},                                           # keys that are no (kind, file)
    "entries",                                          # no dict at all
    "shape",                                            # a (kind, file) key, a value not
])
def test_a_folder_holding_entries_of_another_shape_is_parsed_again(pack, parses, monkeypatch,
                                                                  tmp_path, inside):
    """A folder's pickle that unpickles to something else than its entries (a damaged or
    planted cache) costs a parse of its files, never an internal error, in this run or the
    next."""
    import pickle
    use_cache(monkeypatch, tmp_path / "cache")
    expected = make_library(plugins_dir=pack).clauses[CLAUSE]
    [cache_file] = (tmp_path / "cache" / "library").glob("content-*.pickle")
    stored = pickle.loads(cache_file.read_bytes())
    folder = str(clause_file(pack).parent)
    if inside == "shape":
        inside = {("clause", str(clause_file(pack))): 7}     # not (sha256, items)
    stored["folders"][folder] = (1, pickle.dumps(inside))
    cache_file.write_bytes(pickle.dumps(stored))
    parses.clear()
    assert new_run(monkeypatch, pack).clauses[CLAUSE] == expected
    assert ("clause", str(clause_file(pack))) in parses
    parses.clear()
    assert new_run(monkeypatch, pack).clauses[CLAUSE] == expected
    assert parses == []
