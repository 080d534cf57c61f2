"""The parsed content files kept across runs, keyed by each file's bytes.

Reading a library means parsing and validating every content file (TOML, then each key, bound
and position value); for a large pack that is most of a run that has nothing else to do. So
the items each file parses into are kept in one cache file, keyed by the file's kind, its path
and the sha256 of its bytes: a file that changed in any way (even with its size and mtime
kept) has another key and is parsed afresh, so a stale clause can never come back. Every key
also carries a fingerprint of clausegen itself (its version, Python's, and the size and mtime
of its own modules), so items parsed by other code are never used.

Where it lives, when it is off and why only a private file is read (it holds pickles, which
run code when loaded): usercache.py, as for the other caches, in its `library` folder. A cache
that is missing, unreadable, corrupt or from other code is ignored, never an error; one that
cannot be written is skipped.
"""
from __future__ import annotations

import os
import pickle
from typing import Any

from .usercache import cache_folder, code_fingerprint, read_private, write_private

FORMAT = 3                  # of the cache file; bump when its layout changes
MAX_ENTRIES = 10_000        # files kept; this run's first, then those still on disk
_PREFIX, _SUFFIX = "content-", ".pickle"


class ContentCache:
    """The cache file of one process: loaded on first lookup, written by `save` when it grew.

    Entries are kept as pickled bytes and unpickled on every lookup, so two libraries built in
    one process never share a mutable item.
    """

    def __init__(self) -> None:
        self.path: str | None = None
        # (kind, file) -> (sha256 of the file's bytes, pickled items): one entry per file, so
        # storing a file's new items replaces its old ones in one step.
        self.entries: dict[tuple[str, str], tuple[str, bytes]] = {}
        self.used: dict[tuple[str, str], None] = {}   # this process's files, in use order
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
        folder = cache_folder("library")
        if folder is None:
            return
        self.path = os.path.join(folder, f"{_PREFIX}{code_fingerprint()}{_SUFFIX}")
        self.entries = _read(self.path)

    def lookup(self, kind: str, file: str, digest: str) -> list | None:
        """The items of a file with exactly these bytes, as parsed before; None if not known."""
        self._load()
        key = (kind, file)
        found = self.entries.get(key)
        if found is None or found[0] != digest:
            return None
        try:
            items = pickle.loads(found[1])
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
        key = (kind, file)
        self.entries[key] = (digest, data)     # what the file held before is of no more use
        self.used[key] = None
        self.dirty = True

    def save(self) -> None:
        """Write the cache if this run parsed something new; never raises."""
        self._checked = False
        if not self.dirty or self.path is None:
            return
        self.dirty = False
        # This run's entries first, then the older ones whose file is still there (a copy in
        # a temporary folder, an old checkout go), up to MAX_ENTRIES.
        entries = {k: self.entries[k] for k in self.used if k in self.entries}
        for key, data in self.entries.items():
            if len(entries) >= MAX_ENTRIES:
                break
            if key not in entries and os.path.exists(key[1]):
                entries[key] = data
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
    """The items of a file with exactly these bytes, from this process's cache."""
    return _cache.lookup(kind, file, digest)


def store(kind: str, file: str, digest: str, items: list) -> None:
    """Keep a file's freshly parsed items (written by the next `save`)."""
    _cache.store(kind, file, digest, items)


def save() -> None:
    """Write the cache file if this run parsed something new (the end of a library build)."""
    _cache.save()
