"""The plugin host: finds, loads, orders and isolates plugins, and builds the Library from them.

Only this module knows pluggy's internals. Nothing loads at import time: `get_library()` loads
on first use and caches, so `clausegen --help` never imports a plugin.

Isolation: every call into a plugin (its import, its hooks, and the checks, filters, plan and
Word hooks it registers) runs with stdout going to stderr, so a plugin that prints cannot
corrupt `--json` output or a spec printed by `init`; a SystemExit or KeyboardInterrupt it
raises (argparse exits on arguments it does not know) becomes a PluginError naming it. A real
Ctrl-C still stops clausegen.
"""
from __future__ import annotations

import contextlib
import gc
import importlib.util
import io
import os
import re
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pluggy

from . import contentcache, entrypoints, hookspecs
from .content import ContentDir, ContentPlugin
from .errors import ClausegenError, ContentError, PluginError, printable, suggest
from .library import Library
from .model import Provenance
from .params import UNHOLDABLE, check_text
from .tomlfile import decode, key_lines, loads

GROUP = "clausegen"
BUILTIN_DISTRIBUTION = "clausegen"
hookimpl = hookspecs.hookimpl
REGISTRATION_HOOKS = (  # in the order the library is built
    ("register_themes", "theme"),
    ("register_definitions", "definition"),
    ("register_clauses", "clause"),
    ("register_sectors", "sector"),
)
# A content pack's name and version (plugin.toml): what `clausegen plugins` prints and every
# clause's provenance carries, so plain characters only.
PACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PACK_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}$")
MANIFEST_KEYS = ("name", "version", "description")


def manifest_problem(key: str, value: Any) -> str | None:
    """What is wrong with one key of a pack's plugin.toml, or None (also `clausegen check`)."""
    if key not in MANIFEST_KEYS:
        return f"unknown key {key!r} in plugin.toml (allowed: {', '.join(MANIFEST_KEYS)})"
    if key == "description":
        if not isinstance(value, str) or UNHOLDABLE.search(value):
            return "description must be a string of text"
        return None
    pattern, example = (PACK_NAME, "zorgpack") if key == "name" else (PACK_VERSION, "1.0.0")
    if not isinstance(value, str) or not pattern.match(value):
        return (f"{key} must be a string of letters, digits, '.', '-' and '_' (at most 64), "
                f"e.g. {key} = \"{example}\"")
    return None


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

    def fail(self, message: str) -> None:
        """Record a problem, once (a check that prints does so on every draft); kept printable,
        as it goes to the terminal as it is."""
        message = printable(message)
        if message not in self.errors:
            self.errors.append(message)

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
    import traceback        # late: only a plugin that failed needs it
    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" (at {Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    return printable(f"{type(exc).__name__}: {exc}{where}")


class _Stdout(io.TextIOBase):
    """Where a plugin's print() goes: stderr, each line marked with the plugin's label."""

    def __init__(self, label: str):
        self.label = label
        self.written = False
        self._at_line_start = True

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not text:
            return 0
        self.written = True
        out = []
        for line in str(text).splitlines(keepends=True):
            if self._at_line_start:
                out.append(f"plugin {self.label}: ")
            out.append(printable(line.rstrip("\n")) + ("\n" if line.endswith("\n") else ""))
            self._at_line_start = line.endswith("\n")
        sys.stderr.write("".join(out))
        return len(text)


@contextlib.contextmanager
def _ctrl_c():
    """Tells a real Ctrl-C (SIGINT) from a KeyboardInterrupt a plugin raises itself: yields a
    list that is non-empty once SIGINT arrived."""
    pressed: list[int] = []
    try:
        installed = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    except (AttributeError, ValueError):
        installed = False
    if installed:
        def handler(signum, frame):
            pressed.append(signum)
            signal.default_int_handler(signum, frame)
        try:
            signal.signal(signal.SIGINT, handler)
        except ValueError:          # not the main thread: SIGINT never reaches this code
            installed = False
    try:
        yield pressed
    finally:
        if installed:
            signal.signal(signal.SIGINT, signal.default_int_handler)


@contextlib.contextmanager
def isolated(info: "PluginInfo", what: str,
             fail: Callable[["PluginInfo", str], None] = PluginInfo.fail):
    """Run plugin code: its stdout goes to stderr (and is recorded against it, through `fail`),
    its SystemExit or KeyboardInterrupt becomes a PluginError. `what` names the
    call ("import", a hook)."""
    stdout = _Stdout(info.label)
    try:
        with _ctrl_c() as pressed, contextlib.redirect_stdout(stdout):
            try:
                yield
            except (SystemExit, KeyboardInterrupt) as exc:
                if pressed:
                    raise
                code = f" {exc.code!r}" if isinstance(exc, SystemExit) and exc.code else ""
                raise PluginError(f"raised {type(exc).__name__}{code}; a plugin must not "
                                  "exit or interrupt clausegen") from None
    finally:
        if stdout.written:
            message = (f"{what}: printed to standard output (shown on stderr); a plugin must "
                       "not print")
            fail(info, message)


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
            third_party.append((_info(name=name, kind="extra",
                                      source=getattr(obj, "__name__", type(obj).__name__),
                                      version=str(getattr(obj, "__version__", ""))),
                                lambda obj=obj: obj))
        if plugins_dir:
            third_party += self._dir_candidates(Path(plugins_dir))
        third_party.sort(key=lambda c: c[0].name)
        candidates = [(info, loader) for info, loader in builtins + third_party
                      if info.name not in disabled
                      and (info.kind == "builtin" or only is None or info.name in only)]
        # A name claimed twice: which one would win depends on file names a pack chooses, so
        # no third-party claimant wins (a built-in keeps its name).
        claims: dict[str, list[PluginInfo]] = {}
        for info, _ in candidates:
            claims.setdefault(info.name, []).append(info)
        for info, loader in candidates:
            self.plugins.append(info)
            if info.errors:                 # a name or plugin.toml that is not acceptable
                continue
            others = [o for o in claims[info.name] if o is not info]
            if others:
                if info.kind == "builtin":
                    pass
                elif any(o.kind == "builtin" for o in others):
                    info.fail(f"the name {info.name!r} belongs to a built-in plugin; "
                              "this one is not loaded")
                    continue
                else:
                    info.fail(f"the name {info.name!r} is also claimed by "
                              f"{', '.join(o.source for o in others)}; neither is loaded")
                    continue
            try:
                with isolated(info, "import"):
                    info.obj = loader()
                    self.pm.register(info.obj, name=info.name)
            except Exception as exc:  # an import error must not take the tool down
                info.fail(f"failed to load: {_describe(exc)}")
                continue
            self._check_hooks(info)
        return self.plugins

    def _check_hooks(self, info: PluginInfo) -> None:
        """Record which hooks a plugin implements; an unknown hook or a wrapper is an error."""
        for caller in self.pm.get_hookcallers(info.obj) or []:
            if caller.spec is None:
                hint = suggest(caller.name, [name for name, c in vars(self.pm.hook).items()
                                             if c.spec is not None])
                info.fail(f"implements unknown hook {caller.name!r}"
                          + (f"; did you mean {hint!r}?" if hint else ""))
            elif any(_wrapper(impl) for impl in caller.get_hookimpls()
                     if impl.plugin is info.obj):
                # The host calls each plugin's implementation itself (to isolate it and name it
                # in errors), so there is no call for a wrapper to wrap: refuse it plainly.
                info.fail(f"implements {caller.name!r} as a hook wrapper (wrapper=True or "
                          "hookwrapper=True), which clausegen does not support; it is not "
                          "called. Use tryfirst=True or trylast=True to run early or late")
            else:
                info.hooks.append(caller.name)
        info.hooks.sort()

    def _entry_point_candidates(self):
        builtins, third_party, seen = [], [], set()
        for ep in entrypoints.entry_points(GROUP):
            key = (re.sub(r"[-_.]+", "-", ep.distribution).lower(), ep.name)
            if key in seen:  # the same distribution found twice on sys.path (editable installs)
                continue
            seen.add(key)
            builtin = key[0] == BUILTIN_DISTRIBUTION
            info = _info(name=ep.name, kind="builtin" if builtin else "entrypoint",
                         source=ep.value, distribution=ep.distribution, version=ep.version)
            (builtins if builtin else third_party).append(
                (info, lambda ep=ep: entrypoints.load(ep)))
        return builtins, third_party

    def _dir_candidates(self, folder: Path):
        found = []
        if not folder.is_dir():
            info = _info(name=str(folder), kind="file", source=str(folder))
            info.fail("plugins directory does not exist")
            self.plugins.append(info)
            return found
        for path in sorted(folder.iterdir()):
            if path.suffix == ".py" and path.is_file() and not path.name.startswith("_"):
                info = _info(name=path.stem, kind="file", source=str(path),
                             distribution=str(path))
                found.append((info, lambda p=path: _import_file(p)))
            elif path.is_dir() and (path / "plugin.toml").is_file():
                found.append(self._pack_candidate(path))
        return found

    def _pack_candidate(self, folder: Path):
        info = _info(name=folder.name, kind="pack", source=str(folder),
                     distribution=str(folder))
        manifest = folder / "plugin.toml"
        try:
            text = decode(manifest.read_bytes(), str(manifest), ContentError)
            data = loads(text, str(manifest), ContentError)
            for key in sorted(data, key=lambda k: k not in MANIFEST_KEYS):
                problem = manifest_problem(key, data[key])
                if problem:
                    raise ContentError(problem, file=str(manifest),
                                       line=key_lines(text).get(key), key=key)
            info.name = data.get("name", info.name)
            info.version = data.get("version", "")
        except ClausegenError as exc:
            info.fail(f"failed to load: {exc}")
        return info, lambda: ContentPlugin(ContentDir(folder))

    # ---------------------------------------------------------------- calling hooks

    def each(self, hook: str) -> Iterator[tuple[PluginInfo, Callable[..., Any]]]:
        """Each working plugin's implementation of a hook, in the order clausegen calls them:
        those marked tryfirst=True, then the unmarked, then trylast=True; within each, in
        load order (pluggy itself would call the last registered first: clausegen keeps load
        order, so the built-ins register what other plugins override). Wrappers are left out
        (`load` reports them)."""
        self.load()
        working = {info.name: (i, info) for i, info in enumerate(self.plugins)
                   if info.obj is not None}
        impls = [impl for impl in getattr(self.pm.hook, hook).get_hookimpls()
                 if impl.plugin_name in working and not _wrapper(impl)]
        impls.sort(key=lambda impl: (0 if impl.tryfirst else 2 if impl.trylast else 1,
                                     working[impl.plugin_name][0]))
        for impl in impls:
            yield working[impl.plugin_name][1], impl

    def register_content(self, add: Callable[[PluginInfo, str, Any], None], *,
                         fail: Callable[[PluginInfo, str], None] = PluginInfo.fail) -> None:
        """Call the content registration hooks (themes, definitions, clauses, sectors, in that
        order) of every working plugin, each call isolated, and hand each item a plugin
        registers to `add(plugin, kind, item)`.

        What a hook raises or returns, and a ClausegenError from `add`, is reported as
        `fail(plugin, "hook: message")`: by default recorded on the plugin, as `clausegen
        plugins` shows it. The Library is built this way; `clausegen check` lints this way.
        """
        for hook, kind in REGISTRATION_HOOKS:
            for info, impl in self.each(hook):
                def register(item, _kind=kind, _info=info, _hook=hook):
                    try:
                        add(_info, _kind, item)
                    except ClausegenError as exc:
                        fail(_info, f"{_hook}: {exc}")
                self._call(info, impl, hook, fail, register=register)

    def library(self) -> Library:
        """Build the Library from every plugin (once); errors are kept on the plugins."""
        if self._library is None:
            # What a build makes lives on with the library: the cycle collector, which would
            # walk those objects again and again while they are made (the content cache's
            # thousands of items at once), waits until the build is done.
            collecting = gc.isenabled()
            gc.disable()
            try:
                self._library = self._build_library()
            finally:
                if collecting:
                    gc.enable()
        return self._library

    def _build_library(self) -> Library:
        library = Library()
        self.register_content(lambda info, kind, item: library.add(kind, item, info.provenance))
        for info, impl in self.each("register_checks"):
            def add_check(name, function, description="", floors=None, _info=info):
                library.add_check(name, _check(_info, name, function) if callable(function)
                                  else function, description, _info.provenance, floors)
            self._call(info, impl, "register_checks", register=add_check)
        for info, impl in self.each("register_template_filters"):
            def add_filter(name, function, _info=info):
                library.add_filter(name, _filter(_info, name, function) if callable(function)
                                   else function, _info.provenance)
            self._call(info, impl, "register_template_filters", register=add_filter)
        for info, impl in self.each("adjust_plan"):
            library.plan_adjusters.append((info.provenance,
                                           _guarded(info, "adjust_plan", impl.function)))
        for info, impl in self.each("finalize_docx"):
            library.docx_finalizers.append((info.provenance,
                                            _guarded(info, "finalize_docx", impl.function)))
        contentcache.save()     # the files parsed afresh, for the next run
        return library

    def _call(self, info: PluginInfo, impl, hook: str,
              fail: Callable[[PluginInfo, str], None] = PluginInfo.fail, **kwargs) -> None:
        """Call one registration hook of one plugin, isolated; what goes wrong goes to `fail`
        (by default recorded on the plugin)."""
        try:
            with isolated(info, hook, fail):
                result = impl.function(**{k: v for k, v in kwargs.items()
                                          if k in impl.argnames})
            if result is not None:
                raise PluginError(f"returned {type(result).__name__}; registration hooks "
                                  "call register() and return nothing")
        except Exception as exc:
            fail(info, f"{hook}: {_describe(exc)}")

    def errors(self) -> list[str]:
        """One line per problem, naming the plugin and its version."""
        return [f"plugin {info.label}: {error}" for info in self.plugins for error in info.errors]


def _info(**fields) -> PluginInfo:
    """A PluginInfo whose name, version and source print safely; a name that had to be escaped
    (a file named with control characters) is refused."""
    clean = {k: printable(v) if isinstance(v, str) else v for k, v in fields.items()}
    info = PluginInfo(**clean)
    if clean["name"] != fields["name"] or UNHOLDABLE.search(fields["name"]):
        info.fail("the plugin's name holds control or private characters; it is not loaded")
    return info


def _wrapper(impl) -> bool:
    """Whether a hook implementation is a pluggy wrapper (new or old style)."""
    return bool(getattr(impl, "wrapper", False) or getattr(impl, "hookwrapper", False))


def _guarded(info: PluginInfo, what: str, function: Callable) -> Callable:
    """A function a plugin registered, called isolated (see `isolated`)."""
    def call(*args, **kwargs):
        with isolated(info, what):
            return function(*args, **kwargs)
    return call


def _check(info: PluginInfo, name: str, function: Callable) -> Callable:
    """A plugin's check, isolated to the end of its findings (a check may be a generator);
    planning.run_checks judges what it found."""
    def call(plan):
        with isolated(info, f"check {name}"):
            return list(function(plan) or ())
    return call


def _filter(info: PluginInfo, name: str, function: Callable) -> Callable:
    """A plugin's template filter, isolated: whatever goes wrong in it (an exception, no text,
    text a Word document cannot hold) is a PluginError naming the plugin and the filter."""
    what = f"plugin {info.label}: template filter {name!r}"

    def call(value, language, *args):
        try:
            with isolated(info, f"template filter {name!r}"):
                result = function(value, language, *args)
        except Exception as exc:
            raise PluginError(f"{what} failed: {_describe(exc)}") from None
        if not isinstance(result, str):
            raise PluginError(f"{what} returned {type(result).__name__}, not text")
        return check_text(result, what, PluginError)
    return call


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
