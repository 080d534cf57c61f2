"""The plugin host: finds, loads, orders and isolates plugins, and builds the Library from them.

Only this module knows pluggy's internals. Nothing loads at import time: `get_library()` loads
on first use and caches, so `clausegen --help` never imports a plugin.
"""
from __future__ import annotations

import importlib.util
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterator

import pluggy

from . import hookspecs
from .content import ContentDir, ContentPlugin
from .errors import ClausegenError, ContentError, PluginError, suggest
from .library import Library
from .model import Provenance
from .tomlfile import decode, loads

GROUP = "clausegen"
BUILTIN_DISTRIBUTION = "clausegen"
hookimpl = hookspecs.hookimpl
REGISTRATION_HOOKS = (  # in the order the library is built
    ("register_themes", "theme"),
    ("register_definitions", "definition"),
    ("register_clauses", "clause"),
    ("register_sectors", "sector"),
)


@dataclass
class PluginInfo:
    """What `clausegen plugins` shows about one plugin."""

    name: str
    kind: str                      # builtin | entrypoint | file | pack | extra
    source: str                    # module name or path
    distribution: str = ""
    version: str = ""
    hooks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    obj: Any = field(default=None, repr=False)

    @property
    def broken(self) -> bool:
        return bool(self.errors)

    @property
    def provenance(self) -> Provenance:
        return Provenance(plugin=self.name, distribution=self.distribution, version=self.version)

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}".strip()


def _names(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {n.strip() for n in value.split(",") if n.strip()}


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ClausegenError):
        return str(exc)
    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" (at {Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


class PluginHost:
    """Loads plugins once, in a deterministic order, and records what broke and why.

    `plugins_dir` and `env` default to the --plugins-dir option and os.environ; they are read
    when `load()` runs, not at import. `entry_points` is True (all installed plugins), "builtin"
    (only clausegen's own) or False (none); `extra` adds (name, plugin object) pairs, loaded
    after the built-ins: that is how `clausegen.testing` isolates a plugin under test.
    """

    def __init__(self, plugins_dir: str | Path | None = None, env: dict | None = None,
                 entry_points: bool | str = True, extra: tuple = ()):
        self.plugins_dir = plugins_dir
        self.env = env
        self.use_entry_points = entry_points
        self.extra = tuple(extra)
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: list[PluginInfo] = []
        self._loaded = False
        self._library: Library | None = None

    # ---------------------------------------------------------------- loading

    def load(self) -> list[PluginInfo]:
        """Find and register every plugin, once. Broken plugins are recorded, not raised."""
        if self._loaded:
            return self.plugins
        self._loaded = True
        env = os.environ if self.env is None else self.env
        disabled = _names(env.get("CLAUSEGEN_DISABLE_PLUGINS")) or set()
        only = _names(env.get("CLAUSEGEN_LOAD_PLUGINS"))
        plugins_dir = self.plugins_dir or env.get("CLAUSEGEN_PLUGINS_DIR") or None
        builtins, third_party = self._entry_point_candidates() if self.use_entry_points else ([], [])
        if self.use_entry_points == "builtin":
            third_party = []
        for name, obj in self.extra:
            third_party.append((PluginInfo(name=name, kind="extra",
                                           source=getattr(obj, "__name__", repr(obj)),
                                           version=str(getattr(obj, "__version__", ""))),
                                lambda obj=obj: obj))
        if plugins_dir:
            third_party += self._dir_candidates(Path(plugins_dir))
        third_party.sort(key=lambda c: c[0].name)
        seen: set[str] = set()
        for info, loader in builtins + third_party:
            if info.name in disabled:
                continue
            if info.kind != "builtin" and only is not None and info.name not in only:
                continue
            if info.name in seen:
                info.errors.append(f"a plugin named {info.name!r} is already loaded; "
                                   "this one is skipped")
                self.plugins.append(info)
                continue
            seen.add(info.name)
            self.plugins.append(info)
            try:
                info.obj = loader()
                self.pm.register(info.obj, name=info.name)
            except Exception as exc:  # an import error must not take the tool down
                info.errors.append(f"failed to load: {_describe(exc)}")
                continue
            for caller in self.pm.get_hookcallers(info.obj) or []:
                if caller.spec is None:
                    hint = suggest(caller.name, [name for name, c in vars(self.pm.hook).items()
                                                 if c.spec is not None])
                    info.errors.append(f"implements unknown hook {caller.name!r}"
                                       + (f"; did you mean {hint!r}?" if hint else ""))
                else:
                    info.hooks.append(caller.name)
            info.hooks.sort()
        return self.plugins

    def _entry_point_candidates(self):
        builtins, third_party, seen = [], [], set()
        for ep in metadata.entry_points(group=GROUP):
            dist = getattr(ep, "dist", None)
            dist_name = dist.metadata["Name"] if dist is not None else ""
            version = dist.version if dist is not None else ""
            key = (re.sub(r"[-_.]+", "-", dist_name).lower(), ep.name)
            if key in seen:  # the same distribution found twice on sys.path (editable installs)
                continue
            seen.add(key)
            builtin = key[0] == BUILTIN_DISTRIBUTION
            info = PluginInfo(name=ep.name, kind="builtin" if builtin else "entrypoint",
                              source=ep.value, distribution=dist_name, version=version)
            (builtins if builtin else third_party).append((info, ep.load))
        return builtins, third_party

    def _dir_candidates(self, folder: Path):
        found = []
        if not folder.is_dir():
            info = PluginInfo(name=str(folder), kind="file", source=str(folder))
            info.errors.append("plugins directory does not exist")
            self.plugins.append(info)
            return found
        for path in sorted(folder.iterdir()):
            if path.suffix == ".py" and path.is_file() and not path.name.startswith("_"):
                info = PluginInfo(name=path.stem, kind="file", source=str(path),
                                  distribution=str(path))
                found.append((info, lambda p=path: _import_file(p)))
            elif path.is_dir() and (path / "plugin.toml").is_file():
                found.append(self._pack_candidate(path))
        return found

    def _pack_candidate(self, folder: Path):
        info = PluginInfo(name=folder.name, kind="pack", source=str(folder),
                          distribution=str(folder))
        manifest = folder / "plugin.toml"
        try:
            data = loads(decode(manifest.read_bytes(), str(manifest), ContentError),
                         str(manifest), ContentError)
            info.name = str(data.get("name") or folder.name)
            info.version = str(data.get("version") or "")
            unknown = set(data) - {"name", "version", "description"}
            if unknown:
                raise ContentError(f"unknown key {sorted(unknown)[0]!r} in plugin.toml "
                                   "(allowed: name, version, description)", file=str(manifest))
        except ClausegenError as exc:
            def fail(exc=exc):
                raise exc
            return info, fail
        return info, lambda: ContentPlugin(ContentDir(folder))

    # ---------------------------------------------------------------- calling hooks

    def each(self, hook: str) -> Iterator[tuple[PluginInfo, Callable[..., Any]]]:
        """Each working plugin's implementation of a hook, in load order."""
        self.load()
        by_plugin: dict[str, list] = {}
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            by_plugin.setdefault(impl.plugin_name, []).append(impl)
        for info in self.plugins:
            if info.obj is None:
                continue
            for impl in by_plugin.get(info.name, []):
                yield info, impl

    def failed(self, info: PluginInfo, hook: str, exc: BaseException) -> None:
        info.errors.append(f"{hook}: {_describe(exc)}")

    def library(self) -> Library:
        """Build the Library from every plugin (once); errors are kept on the plugins."""
        if self._library is not None:
            return self._library
        library = Library()
        for hook, kind in REGISTRATION_HOOKS:
            for info, impl in self.each(hook):
                def register(item, _kind=kind, _info=info, _hook=hook):
                    try:
                        library.add(_kind, item, _info.provenance)
                    except ClausegenError as exc:
                        self.failed(_info, _hook, exc)
                self._call(info, impl, hook, register=register)
        for info, impl in self.each("register_checks"):
            def add_check(name, function, description="", floors=None, _info=info):
                library.add_check(name, function, description, _info.provenance, floors)
            self._call(info, impl, "register_checks", register=add_check)
        for info, impl in self.each("register_template_filters"):
            def add_filter(name, function, _info=info):
                library.add_filter(name, function, _info.provenance)
            self._call(info, impl, "register_template_filters", register=add_filter)
        for info, impl in self.each("adjust_plan"):
            library.plan_adjusters.append((info.provenance, impl.function))
        for info, impl in self.each("finalize_docx"):
            library.docx_finalizers.append((info.provenance, impl.function))
        self._library = library
        return library

    def _call(self, info: PluginInfo, impl, hook: str, **kwargs) -> None:
        try:
            result = impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
            if result is not None:
                raise PluginError(f"returned {type(result).__name__}; registration hooks "
                                  "call register() and return nothing")
        except Exception as exc:
            self.failed(info, hook, exc)

    def errors(self) -> list[str]:
        """One line per problem, naming the plugin and its version."""
        return [f"plugin {info.label}: {error}" for info in self.plugins for error in info.errors]


def _import_file(path: Path):
    name = f"clausegen_dir_plugin_{re.sub(r'[^A-Za-z0-9_]', '_', path.stem)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


_hosts: dict[str, PluginHost] = {}


def get_host(plugins_dir: str | Path | None = None) -> PluginHost:
    """The process-wide host for a plugins dir, created and loaded on first use."""
    key = str(plugins_dir or "")
    if key not in _hosts:
        _hosts[key] = PluginHost(plugins_dir)
    host = _hosts[key]
    host.load()
    return host


def load_library(plugins_dir: str | Path | None = None) -> Library:
    """The Library from every installed plugin (plus a plugins dir), built once per process."""
    return get_host(plugins_dir).library()
