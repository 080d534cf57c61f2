"""The parsed content files kept across runs, keyed by each file's bytes.

Reading a library means parsing and validating every content file (TOML, then each key, bound
and position value); for a large pack that is most of a run that has nothing else to do. So
the items each file parses into are kept in one cache file (a pickle per folder of files),
keyed by the file's kind, its path and the sha256 of its bytes: a file that changed in any way
(even with its size and mtime kept) has another key and is parsed afresh, so a stale clause can
never come back. Every key also carries a fingerprint of clausegen itself (its version,
Python's, and the size and mtime of its own modules), so items parsed by other code are never
used.

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

FORMAT = 5                  # of the cache file; bump when its layout changes
MAX_ENTRIES = 10_000        # files kept; this run's first, then those still on disk
_PREFIX, _SUFFIX = "content-", ".pickle"


class ContentCache:
    """The cache file of one process: read at the first lookup, written by `save` (the end of a
    library build) when this run parsed something new.

    The file holds one pickle per folder of content files, of the items of every file in it:
    unpickled in one call at the first lookup of one of its files in a build (the strings and
    classes the files share made once, not once per file), so a run unpickles the folders it
    reads and no others. A lookup hands a file's items out once; the next build unpickles the
    folder again, so two libraries built in one process never share a mutable item.
    """

    def __init__(self) -> None:
        self.path: str | None = None
        # folder -> (number of files, pickled {(kind, file): (sha256 of its bytes, items)})
        self.folders: dict[str, tuple[int, bytes]] = {}
        # this build's items, per folder unpickled, not yet handed out
        self.unpacked: dict[str, dict[tuple[str, str], tuple[str, list]]] = {}
        # this build's items handed out or parsed, per folder (one entry per file, its newest)
        self.given: dict[str, dict[tuple[str, str], tuple[str, list]]] = {}
        self.changed: set[str] = set()      # folders with a file parsed this build
        self.used: dict[str, None] = {}     # folders of this process's files, in use order
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
        self.folders = _folders(read_private(self.path))

    def _entries(self, folder: str) -> dict:
        """This build's items of a folder, unpickled at its first lookup."""
        self._load()
        entries = self.unpacked.get(folder)
        if entries is None:
            entries = self.unpacked[folder] = _unpack(self.folders.get(folder))
        return entries

    def lookup(self, kind: str, file: str, digest: str) -> list | None:
        """The items of a file with exactly these bytes, as parsed before; None if not known."""
        folder = os.path.dirname(file)
        # handed out once: asked for again in this build, the file is parsed again
        found = self._entries(folder).pop((kind, file), None)
        if found is None or found[0] != digest:
            return None
        self.given.setdefault(folder, {})[kind, file] = found
        self.used[folder] = None
        return found[1]

    def store(self, kind: str, file: str, digest: str, items: list) -> None:
        """Keep a file's freshly parsed items (written by the next `save`)."""
        self._load()
        if self.path is None:
            return
        folder = os.path.dirname(file)
        self._entries(folder)       # the folder's other files, written with it
        # what the file held before is of no more use
        self.given.setdefault(folder, {})[kind, file] = (digest, items)
        self.changed.add(folder)
        self.used[folder] = None

    def save(self) -> None:
        """Write the cache if this run parsed something new; never raises."""
        self._checked = False
        unpacked, given, changed = self.unpacked, self.given, self.changed
        self.unpacked, self.given, self.changed = {}, {}, set()   # the next build's are its own
        if not changed or self.path is None:
            return
        try:
            data = self._pack(unpacked, given, changed)
        except Exception:       # a cache that cannot be kept is skipped, never an error
            return
        write_private(self.path, data, stale=(_PREFIX, _SUFFIX))

    def _pack(self, unpacked: dict, given: dict, changed: set) -> bytes:
        """The cache file's bytes: the changed folders pickled again, with this run's files
        (found or parsed, wherever they are: a zipped package's too) and the folder's other
        files still on disk; then this run's folders first and the older ones still there (a
        copy in a temporary folder, an old checkout go), up to MAX_ENTRIES files."""
        for folder in changed:
            entries = {key: entry for key, entry in unpacked.get(folder, {}).items()
                       if os.path.exists(key[1])}
            entries.update(given.get(folder, {}))
            try:
                self.folders[folder] = (len(entries), _dumps(entries))
            except Exception:      # an item that cannot be pickled: the folder is not kept
                self.folders.pop(folder, None)
        kept: dict[str, tuple[int, bytes]] = {}
        files = 0
        for folder in [*self.used, *self.folders]:
            bundle = self.folders.get(folder)
            if (bundle is None or folder in kept
                    or (folder not in self.used and not os.path.isdir(folder))):
                continue
            files += bundle[0]
            if files > MAX_ENTRIES and kept:
                break
            kept[folder] = bundle
        self.folders = kept
        return pickle.dumps({"format": FORMAT, "folders": kept},
                            protocol=pickle.HIGHEST_PROTOCOL)


def _unknown() -> Provenance:
    """The provenance of a kept item, as the parser left it."""
    return UNKNOWN


# What is not kept of an item, as it is given again on every run: the provenance Library.add
# tagged it with (the registering plugin's: UNKNOWN is kept, as parsed) and the line map
# read_file made (from the file's bytes: an empty map is kept). Nothing else of an item changes
# between parsing and `save`, at the end of the library's build.
_NOT_KEPT = {Provenance: lambda provenance: (_unknown, ()), KeyLines: lambda lines: (dict, ())}


def _dumps(entries: dict) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _NOT_KEPT
    pickler.dump(entries)
    return out.getvalue()


def _folders(data: bytes | None) -> dict:
    """The folders of a cache file's bytes; {} for a missing, foreign, unsafe or damaged one."""
    try:
        found: Any = pickle.loads(data) if data is not None else None
    except Exception:      # truncated, garbled, written by another format: start afresh
        return {}
    if (not isinstance(found, dict) or found.get("format") != FORMAT
            or not isinstance(found.get("folders"), dict)):
        return {}
    return {folder: bundle for folder, bundle in found["folders"].items()
            if isinstance(bundle, tuple) and len(bundle) == 2
            and isinstance(bundle[0], int) and isinstance(bundle[1], bytes)}


def _unpack(bundle: Any) -> dict:
    """The entries of one folder, {(kind, file): (sha256, items)}; an entry of another shape
    is left out (its file is parsed again), and a garbled folder gives {}."""
    try:
        entries = pickle.loads(bundle[1]) if bundle is not None else {}
    except Exception:      # garbled: its files are parsed again
        return {}
    if not isinstance(entries, dict):
        return {}
    return {key: entry for key, entry in entries.items()
            if isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)
            and isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str)
            and isinstance(entry[1], list)}


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
