"""Compiled clause templates kept on disk between runs, in a folder only the user can write.

Compiling is most of the cost of rendering a template that needs Jinja, so compiled code is
kept in Jinja's bytecode cache. The renderer names each template by a hash of its source (see
Renderer._compile), so a cached compile can never be stale; compiled code is loaded and run, so
the folder is only used when nobody else can write to it.
"""
from __future__ import annotations

import os

import jinja2


def cache_dir() -> str | None:
    """Where compiled templates are kept across runs, or None when caching is off.

    CLAUSEGEN_NO_CACHE=1 (or `--no-cache`) turns it off; CLAUSEGEN_CACHE_DIR moves it;
    the default is the user cache directory (XDG_CACHE_HOME or ~/.cache)/clausegen.
    """
    if os.environ.get("CLAUSEGEN_NO_CACHE"):
        return None
    folder = os.environ.get("CLAUSEGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "clausegen", "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None   # a read-only home must not stop a build: compile without the cache
    # Compiled code is loaded from here, so only a folder of our own that nobody else can
    # write to is trusted; anything else (a shared /tmp folder, a symlink) is not used.
    if (not os.path.isdir(folder) or os.path.islink(folder)
            or (hasattr(os, "getuid") and info.st_uid != os.getuid())
            or info.st_mode & 0o022):
        return None
    return folder


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache for compiled templates, or None when there is no folder to trust."""
    folder = cache_dir()
    return _BytecodeCache(folder) if folder else None


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, but a cache that cannot be read or written never fails a build."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:   # unreadable, truncated or garbled: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class Sources(jinja2.BaseLoader):
    """The source of the one template being compiled, by name, so Jinja's bytecode cache can
    key compiled code by content. Nothing else can be loaded."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def get_source(self, environment, template):
        if template not in self.sources:
            raise jinja2.TemplateNotFound(template)
        source = self.sources[template]
        return source, None, lambda: self.sources.get(template) == source
