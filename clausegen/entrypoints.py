"""The installed plugins' entry points, as importlib.metadata finds them, kept between runs.

Finding them means importing importlib.metadata (with the email and zipfile modules it needs)
and reading every installed distribution's metadata: about 15 ms, a tenth of a small draft's
whole run, for a list that only changes when packages are installed or removed. (An older
pluggy, such as 1.3, imports importlib.metadata itself; the reading is saved all the same.) So the list is
kept in the user cache (`plugins/` next to the other caches; off with `--no-cache`), keyed by
sys.path and the names and modification times of the distributions' metadata folders in its
folders: installing, upgrading or removing a package (pip, uv, an editable install) creates or
removes such a folder, which changes the key. The cache is JSON: it holds names, never code.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import sys
from typing import Any, NamedTuple

from .usercache import cache_folder, read_json, write_private

FORMAT = 1              # of the cache file; bump when its layout changes
MAX_KEYS = 8            # several virtualenvs may share one user cache
_FILE = "entry-points.json"
# importlib.metadata.EntryPoint.pattern: "module.path:attr.path [extras]"
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


class EntryPoint(NamedTuple):
    """One entry point of a group, with the distribution that declares it."""

    name: str
    value: str                  # "module:attr"
    distribution: str           # the distribution's Name as its metadata spells it
    version: str


def entry_points(group: str) -> list[EntryPoint]:
    """The group's entry points in importlib.metadata's order, from the cache when the
    installed packages are the ones it was made for."""
    folder = cache_folder("plugins")
    if folder is None:
        return _find(group)
    key = _key(group)
    path = os.path.join(folder, _FILE)
    stored = read_json(path, FORMAT, "keys")
    found = stored.get(key)
    if isinstance(found, list):
        try:
            return [EntryPoint(*map(str, item)) for item in found]
        except TypeError:          # a garbled entry: find them afresh
            pass
    points = _find(group)
    stored.pop(key, None)
    kept = dict(list(stored.items())[-(MAX_KEYS - 1):])
    kept[key] = [list(p) for p in points]
    write_private(path, json.dumps({"format": FORMAT, "keys": kept}).encode("utf-8"))
    return points


def load(point: EntryPoint) -> Any:
    """The object an entry point names, imported as importlib.metadata's EntryPoint.load does."""
    match = _VALUE.match(point.value)
    if match is None:      # let importlib.metadata say what is wrong with it
        from importlib.metadata import EntryPoint as Metadata
        return Metadata(point.name, point.value, "").load()
    target = importlib.import_module(match.group("module"))
    for attr in filter(None, (match.group("attr") or "").split(".")):
        target = getattr(target, attr)
    return target


def _find(group: str) -> list[EntryPoint]:
    from importlib import metadata      # late: only when the cache cannot answer
    points = []
    for ep in metadata.entry_points(group=group):
        dist = getattr(ep, "dist", None)
        points.append(EntryPoint(ep.name, ep.value,
                                 (dist.metadata["Name"] or "") if dist is not None else "",
                                 (dist.version or "") if dist is not None else ""))
    return points


def _key(group: str) -> str:
    """What the installed distributions depend on: the search path, and in each of its
    folders the name and time of every distribution's metadata folder and of its
    entry_points.txt. (Not the search folder's own time: drafts written into the current
    folder, often on the path, would change it.)"""
    parts = [str(FORMAT), group, sys.version]
    for entry in sys.path:
        folder = os.path.abspath(entry or ".")
        parts.append(folder)
        try:
            with os.scandir(folder) as listing:
                for item in sorted(listing, key=lambda e: e.name):
                    if item.name.endswith((".dist-info", ".egg-info")):
                        parts.append(f"{item.name}\0{item.stat().st_mtime_ns}\0"
                                     f"{_stamp(os.path.join(item.path, 'entry_points.txt'))}")
        except OSError:        # missing, a zip file (its distributions are fixed) or unlistable
            parts.append("?")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _stamp(path: str) -> str:
    """A file's size and time, or "-" when it is not there: setuptools' egg_info (a legacy
    `setup.py develop`, an editable install of a setup.py project) rewrites entry_points.txt
    inside the same metadata folder, which leaves the folder's time as it was."""
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}"
