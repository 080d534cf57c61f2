"""Compiled clause templates kept on disk between runs, in a folder only the user can write.

Compiling is most of the cost of rendering a template that needs Jinja, so compiled code is
kept in Jinja's bytecode cache. The renderer names each template by a hash of its source (see
Renderer._compile), so a cached compile can never be stale; compiled code is loaded and run, so
the folder is only used when nobody else can write to it.
"""
from __future__ import annotations

import jinja2

from .usercache import cache_folder


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache for compiled templates, in the user cache's `templates` folder; None when
    caching is off or there is no private folder to trust (usercache.cache_folder)."""
    folder = cache_folder("templates")
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
