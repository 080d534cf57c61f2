"""The user cache: where cached things live, and the parsed content files kept across runs.

Reading a library means parsing and validating every content file (TOML, then each key, bound
and position value); for a large pack that is most of a run that has nothing else to do. So
the items each file parses into are kept in one cache file, keyed by the file's kind, its path
and the sha256 of its bytes: a file that changed in any way (even with its size and mtime
kept) has another key and is parsed afresh, so a stale clause can never come back. Every key
also carries a fingerprint of clausegen itself (its version, Python's, and the size and mtime
of its own modules), so items parsed by other code are never used.

Where: `$XDG_CACHE_HOME/clausegen/library` (`~/.cache/clausegen/library`), or `library/` in
`CLAUSEGEN_CACHE_DIR`; `--no-cache` or `CLAUSEGEN_NO_CACHE=1` turns it off, as for the
compiled templates (render.cache_dir). The cache holds pickles, which run code when loaded, so
it is trusted like the template cache: only a folder (and a file) the user owns and nobody else
can write is used. A cache that is missing, unreadable, corrupt or from other code is ignored,
never an error; one that cannot be written is skipped.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from typing import Any

FORMAT = 1                  # of the cache file; bump when its layout changes
MAX_ENTRIES = 20_000        # files kept; those this run did not read go first
_PREFIX, _SUFFIX = "content-", ".pickle"


def user_cache_root() -> str:
    """clausegen's folder in the user cache: $XDG_CACHE_HOME/clausegen or ~/.cache/clausegen."""
    return os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "clausegen")


def private_folder(folder: str) -> str | None:
    """`folder`, made if need be, when only this user can write to it; else None.

    What is loaded from a cache can run code, so only a folder of our own that nobody else can
    write to is trusted; anything else (a shared /tmp folder, a symlink) is not used. A folder
    that cannot be made (a read-only home) is None too: a build never fails on its cache.
    """
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if (not os.path.isdir(folder) or os.path.islink(folder)
            or (hasattr(os, "getuid") and info.st_uid != os.getuid())
            or info.st_mode & 0o022):
        return None
    return folder


def cache_folder(name: str) -> str | None:
    """The private folder of one cache (`name`), or None when caching is off or not safe.

    CLAUSEGEN_CACHE_DIR holds it as a subfolder (and must be private itself); else it is in
    the user cache root.
    """
    if os.environ.get("CLAUSEGEN_NO_CACHE"):
        return None
    base = os.environ.get("CLAUSEGEN_CACHE_DIR")
    if base:
        return private_folder(os.path.join(base, name)) if private_folder(base) else None
    return private_folder(os.path.join(user_cache_root(), name))


def code_fingerprint() -> str:
    """clausegen's version, Python's, and the size and mtime of clausegen's own modules: the
    code that parses content files and defines the items the cache holds."""
    from . import __version__
    package = os.path.dirname(os.path.abspath(__file__))
    parts = [str(FORMAT), __version__, sys.version]
    try:
        for entry in sorted(os.scandir(package), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                info = entry.stat()
                parts.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    except OSError:
        parts.append("unlistable")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def read_private(path: str) -> bytes | None:
    """A cache file's bytes; None for a missing one, or one that is not this user's alone
    (another user's or group-writable: what is read from a cache decides what runs)."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if (hasattr(os, "getuid") and info.st_uid != os.getuid()) or info.st_mode & 0o022:
            return None
        with os.fdopen(handle, "rb") as source:
            handle = -1
            return source.read()
    except OSError:
        return None
    finally:
        if handle >= 0:
            os.close(handle)


def write_private(path: str, data: bytes, *, stale: tuple[str, str] | None = None) -> None:
    """Write a cache file atomically (temp file + rename in its folder); never raises: a cache
    that cannot be written is skipped. With `stale` = (prefix, suffix), the folder's other
    files of that name pattern not written for a day go: caches of other code (an upgrade, an
    edited checkout), while another installation sharing the folder keeps its own meanwhile."""
    folder = os.path.dirname(path)
    try:
        handle, temp = tempfile.mkstemp(prefix=".new-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
        if stale:
            old = time.time() - 86_400
            for entry in os.scandir(folder):
                if (entry.name.startswith(stale[0]) and entry.name.endswith(stale[1])
                        and entry.path != path and entry.stat().st_mtime < old):
                    os.unlink(entry.path)
    except OSError:
        pass


class ContentCache:
    """The cache file of one process: loaded on first lookup, written by `save` when it grew.

    Entries are kept as pickled bytes and unpickled on every lookup, so two libraries built in
    one process never share a mutable item.
    """

    def __init__(self) -> None:
        self.folder: str | None = None
        self.path: str | None = None
        self.entries: dict[tuple[str, str, str], bytes] = {}
        self.used: dict[tuple[str, str, str], None] = {}   # this process's keys, in use order
        self.dirty = False
        self._loaded = False
        self._checked = False
        self._where: tuple | None = None

    def _load(self) -> None:
        # Where the cache is can change within a process (tests set CLAUSEGEN_CACHE_DIR per
        # run), so the settings that place it are read again at the first lookup after each
        # `save` (the end of a library build), and the cache reloaded when they changed.
        if self._checked:
            return
        where = tuple(os.environ.get(k) for k in ("CLAUSEGEN_NO_CACHE", "CLAUSEGEN_CACHE_DIR",
                                                     "XDG_CACHE_HOME", "HOME"))
        self._checked = True
        if self._loaded and where == self._where:
            return
        self.__init__()
        self._loaded, self._where, self._checked = True, where, True
        self.folder = cache_folder("library")
        if self.folder is None:
            return
        self.path = os.path.join(self.folder, f"{_PREFIX}{code_fingerprint()}{_SUFFIX}")
        self.entries = _read(self.path)

    def lookup(self, kind: str, file: str, digest: str) -> list | None:
        """The items of a file with exactly these bytes, as parsed before; None if not known."""
        self._load()
        key = (kind, file, digest)
        data = self.entries.get(key)
        if data is None:
            return None
        try:
            items = pickle.loads(data)
        except Exception:          # a damaged entry: parse the file again
            del self.entries[key]
            return None
        self.used[key] = None
        return items

    def store(self, kind: str, file: str, digest: str, items: list) -> None:
        """Keep a file's freshly parsed items (written by the next `save`)."""
        self._load()
        if self.path is None:
            return
        try:
            data = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:          # an item that cannot be pickled is simply not cached
            return
        key = (kind, file, digest)
        # One entry per file: the bytes it had before are of no more use.
        for old in [k for k in self.entries if k[:2] == key[:2] and k != key]:
            del self.entries[old]
        self.entries[key] = data
        self.used[key] = None
        self.dirty = True

    def save(self) -> None:
        """Write the cache if this run parsed something new; never raises."""
        self._checked = False
        if not self.dirty or self.path is None or self.folder is None:
            return
        self.dirty = False
        # This run's entries first, then the older ones as stored, up to MAX_ENTRIES.
        entries = {k: self.entries[k] for k in self.used if k in self.entries}
        for key, data in self.entries.items():
            if len(entries) >= MAX_ENTRIES:
                break
            entries.setdefault(key, data)
        data = pickle.dumps({"format": FORMAT, "entries": entries},
                            protocol=pickle.HIGHEST_PROTOCOL)
        write_private(self.path, data, stale=(_PREFIX, _SUFFIX))

def _read(path: str) -> dict:
    """The entries of a cache file; {} for a missing, foreign, unsafe or damaged one."""
    data = read_private(path)
    try:
        found: Any = pickle.loads(data) if data is not None else None
    except Exception:      # truncated, garbled, written by another format: start afresh
        return {}
    if (not isinstance(found, dict) or found.get("format") != FORMAT
            or not isinstance(found.get("entries"), dict)):
        return {}
    return found["entries"]


_cache = ContentCache()


def lookup(kind: str, file: str, digest: str) -> list | None:
    return _cache.lookup(kind, file, digest)


def store(kind: str, file: str, digest: str, items: list) -> None:
    _cache.store(kind, file, digest, items)


def save() -> None:
    _cache.save()
