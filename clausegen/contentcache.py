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

import io
import os
import pickle
from typing import Any

from .model import UNKNOWN, Provenance
from .tomlfile import KeyLines
from .usercache import cache_folder, code_fingerprint, read_private, write_private

FORMAT = 4                  # of the cache file; bump when its layout changes
MAX_ENTRIES = 10_000        # files kept; this run's first, then those still on disk
_PREFIX, _SUFFIX = "content-", ".pickle"


class ContentCache:
    """The cache file of one process: unpickled at the first lookup of each library build,
    written by `save` (the end of a build) when this run parsed something new.

    The file is one pickle of every file's items, unpickled in one call (the strings and
    classes the files share made once, not once per file). Each build gets items of its own:
    a lookup hands a file's items out once, and the next build unpickles the file again, so
    two libraries built in one process never share a mutable item.
    """

    def __init__(self) -> None:
        self.path: str | None = None
        self.data: bytes | None = None      # the cache file as read, or as this process wrote it
        # (kind, file) -> (sha256 of the file's bytes, items): this build's, not yet handed out
        self.entries: dict[tuple[str, str], tuple[str, list]] | None = None
        # the items handed out or parsed this run (one entry per file, its newest), to save
        self.given: dict[tuple[str, str], tuple[str, list]] = {}
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
        self.data = read_private(self.path)

    def _build_entries(self) -> dict:
        """This build's items, unpickled at its first lookup."""
        self._load()
        if self.entries is None:
            self.entries = _entries(self.data)
        return self.entries

    def lookup(self, kind: str, file: str, digest: str) -> list | None:
        """The items of a file with exactly these bytes, as parsed before; None if not known."""
        key = (kind, file)
        # handed out once: asked for again in this build, the file is parsed again
        found = self._build_entries().pop(key, None)
        if found is None or found[0] != digest:
            return None
        self.given[key] = found
        self.used[key] = None
        return found[1]

    def store(self, kind: str, file: str, digest: str, items: list) -> None:
        """Keep a file's freshly parsed items (written by the next `save`)."""
        self._load()
        if self.path is None:
            return
        key = (kind, file)
        self.given[key] = (digest, items)     # what the file held before is of no more use
        self.used[key] = None
        self.dirty = True

    def save(self) -> None:
        """Write the cache if this run parsed something new; never raises."""
        self._checked = False
        # Every item of this build, the ones handed out too (the next build unpickles its own)
        known = {**(self.entries or {}), **self.given}
        self.entries, self.given = None, {}
        if not self.dirty or self.path is None:
            return
        self.dirty = False
        # This run's files first, then the older ones whose file is still there (a copy in a
        # temporary folder, an old checkout go), up to MAX_ENTRIES.
        entries = {k: known[k] for k in self.used if k in known}
        for key, entry in known.items():
            if len(entries) >= MAX_ENTRIES:
                break
            if key not in entries and os.path.exists(key[1]):
                entries[key] = entry
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _NOT_KEPT
        try:
            pickler.dump({"format": FORMAT, "entries": entries})
        except Exception:          # an item that cannot be pickled: the cache is not written
            return
        self.data = out.getvalue()
        write_private(self.path, self.data, stale=(_PREFIX, _SUFFIX))


def _unknown() -> Provenance:
    """The provenance of a kept item, as the parser left it."""
    return UNKNOWN


# What is not kept of an item, as it is given again on every run: the provenance Library.add
# tagged it with (the registering plugin's: UNKNOWN is kept, as parsed) and the line map
# read_file made (from the file's bytes: an empty map is kept). Nothing else of an item changes
# between parsing and `save`, at the end of the library's build.
_NOT_KEPT = {Provenance: lambda provenance: (_unknown, ()), KeyLines: lambda lines: (dict, ())}


def _entries(data: bytes | None) -> dict:
    """The entries of a cache file's bytes; {} for a missing, foreign, unsafe or damaged one."""
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
