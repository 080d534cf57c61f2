"""Formatted values kept across runs: what Babel made of a value once, it need not make again.

Printing a number, an amount or a date the Dutch or English way goes through Babel (params.py),
and Babel's first use in a process (importing it, loading the locale's CLDR data) takes about
20 ms, a tenth of a small draft's whole run, while the values a draft prints are mostly those
it printed before. So each result is kept in the user cache (`values/` next to the other
caches; off with `--no-cache`), keyed by the formatter, the value's type and text and the
formatter's arguments, in a file named by a fingerprint of clausegen's own code
(contentcache's) and of the installed Babel (the size and time of its `__init__.py` and the
time of its locale data): a result other code gave is never used. The file is JSON, text only.
"""
from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os

from .usercache import cache_folder, code_fingerprint, read_json, write_private

FORMAT = 1
MAX_ENTRIES = 50_000        # a file no larger than a few MB; the oldest go first
_PREFIX, _SUFFIX = "formatted-", ".json"


class FormatCache:
    """The formatted values of one process: read on first use, written at exit when it grew."""

    def __init__(self) -> None:
        self.entries: dict[str, str] | None = None
        self.path: str | None = None
        self.grown = False

    def get(self, key: str) -> str | None:
        if self.entries is None:
            self._load()
        return self.entries.get(key)

    def put(self, key: str, text: str) -> None:
        if self.entries is None:
            self._load()
        if self.path is None:
            return
        self.entries[key] = text
        if not self.grown:
            self.grown = True
            atexit.register(self.save)

    def _load(self) -> None:
        self.entries = {}
        folder = cache_folder("values")
        fingerprint = _babel_fingerprint()
        if folder is None or fingerprint is None:
            return
        self.path = os.path.join(folder, f"{_PREFIX}{fingerprint}{_SUFFIX}")
        self.entries = {k: v for k, v in read_json(self.path, FORMAT, "entries").items()
                        if isinstance(k, str) and isinstance(v, str)}

    def save(self) -> None:
        """Write the file if this process formatted something new; never raises. Where the
        caches are is looked up again (a process may have turned them off or moved them since
        the first value: tests, the web page); the values are valid anywhere."""
        if not self.grown or self.path is None or self.entries is None:
            return
        self.grown = False
        folder = cache_folder("values")
        if folder is None:
            return
        self.path = os.path.join(folder, os.path.basename(self.path))
        entries = dict(list(self.entries.items())[-MAX_ENTRIES:])
        data = json.dumps({"format": FORMAT, "entries": entries}, ensure_ascii=False)
        write_private(self.path, data.encode("utf-8"), stale=(_PREFIX, _SUFFIX))


def _babel_fingerprint() -> str | None:
    """clausegen's code and the installed Babel, as a short hash; None without Babel."""
    spec = importlib.util.find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = spec.submodule_search_locations[0]
    try:
        init = os.stat(os.path.join(folder, "__init__.py"))
        data = os.stat(os.path.join(folder, "locale-data"))
    except OSError:
        return None
    parts = [str(FORMAT), code_fingerprint(), folder, f"{init.st_size}:{init.st_mtime_ns}",
             str(data.st_mtime_ns)]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:16]


_cache = FormatCache()


def get(key: str) -> str | None:
    """What the formatter made of this value before (params.py builds the key), or None."""
    return _cache.get(key)


def put(key: str, text: str) -> None:
    """Keep a freshly formatted value (written when the process ends)."""
    _cache.put(key, text)
