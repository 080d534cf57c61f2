"""Where clausegen's user caches live, and how a cache file is read and written safely.

Four caches (compiled templates, parsed content files, the installed plugins' entry points,
formatted values) live in `$XDG_CACHE_HOME/clausegen/<name>` (`~/.cache/clausegen/<name>`), or
in `<name>/` of `CLAUSEGEN_CACHE_DIR`; `--no-cache` or `CLAUSEGEN_NO_CACHE=1` turns them all off.
What is read from a cache decides what runs (bytecode, pickles, modules to import, text put in
a draft), so only a folder and files this user owns and nobody else can write are used; a cache
that is missing, unreadable, damaged or from other code is ignored, never an error.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time

FINGERPRINT_FORMAT = 1      # bump when what code_fingerprint covers changes


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
    parts = [str(FINGERPRINT_FORMAT), __version__, sys.version]
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


def read_json(path: str, format: int, field: str) -> dict:
    """The dict under `field` of a JSON cache file of this `format`, read as read_private
    reads; {} for a missing, foreign, unsafe or damaged file."""
    data = read_private(path)
    try:
        found = json.loads(data.decode("utf-8")) if data is not None else None
    except ValueError:      # UnicodeDecodeError is one too
        return {}
    if not isinstance(found, dict) or found.get("format") != format:
        return {}
    value = found.get(field)
    return value if isinstance(value, dict) else {}


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
