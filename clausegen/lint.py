"""Linting content files and plugins for their authors (`clausegen check`), with file and line.

`lint_plugins(host)` lints everything the loaded plugins register; `lint_paths(paths, library)`
lints clause files, content packs, content folders and plugin package folders. Both return a
list of `LintFinding` (path, line, level, code, message). Structural problems come from the
content parsers (`content.parse_*` stop at the first one, so a file gets one structural finding);
what is read is registered into a real `Library` (its rules for ids, overrides and replacements:
each refusal is a finding), and the plugins' hooks are called by the host
(`PluginHost.register_content`). The cross-file checks (unknown definitions, themes, clauses and
anchors) and the template checks (syntax, undeclared variables, unknown filters, unused
parameters, rendering with the defaults and with every position) are done here.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import traceback
from decimal import Decimal, InvalidOperation
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable


from . import params
from .content import PARSERS, TEMPLATE_NAMES, ContentDir, kind_of
from .errors import ClausegenError, ContentError, RenderError, suggest
from .library import Library, RegistrationError, is_file
from .model import LANGUAGES, POSITIONS, PROBLEM_LEVELS, Clause, Provenance, Sector
from .tomlfile import decode, key_lines, line_of, loads

# Names every template sees besides its own parameters (see draft.context_for and Renderer).
CONTEXT_NAMES = TEMPLATE_NAMES
# Only the internal arguments may read every position's values (planning.template_values).
INTERNAL_NAMES = frozenset({"positions"})
# What the templates are rendered with: a fixed, plausible draft context.
SAMPLE_CONTEXT = {"cao": "Cao Voorbeeld 2027-2028", "sector": "Voorbeeldsector",
                  "start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31),
                  "employers": ["Werkgever B.V."], "unions": ["FNV", "CNV"]}
# The clause texts rendered as templates; the last one is internal (never on the table).
TEMPLATE_FIELDS = ("title", "text", "explanation", "arguments")
# Where a position's number may not be typed (the title is in every heading and the contents).
NUMBER_FIELDS = ("title", "text", "explanation", "arguments")
# A number as typed in a text: 42, 1.000, 2.357,50, 1,5 (not inside a word, a citation like
# 7:611a or 27(1)(e), or a date like 1-1-2027).
_NUMBER = re.compile(r"(?<![\w:/.,(-])\d+(?:[.,]\d+)*(?![\w:/(-]|[.,]\d)")
# A citation word right before a number, or before a list it ends ("artikel 3 en 4",
# "lid 2, 3"): then the number is a citation, not an amount.
_CITE = (r"\b(?:artikel|artikelen|art\.|lid|leden|sub|article|articles|paragraph|paragraphs|"
         r"section|hoofdstuk|chapter|boek|book|nr\.|no\.|nummer|number|richtlijn|directive|"
         r"stb\.|stcrt\.)")
_CITATION = re.compile(_CITE + r"\s*(?:[\w:.()]+\s*(?:,|\ben\b|\band\b|\bof\b|\bor\b)\s*)*$",
                       re.I)
_CODE_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
MANIFEST_KEYS = ("name", "version", "description")    # plugin.toml of a content pack
# Never content: the seed's own data files at the top of the built-in clauses folder, and the
# folders of a plugin package that hold tests, docs or build output.
SEED_FILES = frozenset({"anchors.toml", "out-of-scope.toml"})
PACKAGE_SKIP_DIRS = frozenset({"build", "dist", "docs", "tests", "test", "venv", "env",
                               "node_modules", "site-packages"})
# Every finding code (docs/cli.md explains each); tests/fixtures/lint has a file per code.
CODES = (
    "plugin", "file", "toml-syntax", "unknown-key", "unknown-language", "invalid", "bounds",
    "default-value", "unknown-position", "unknown-parameter", "position-value",
    "template-syntax", "unknown-filter", "undeclared-variable", "unused-parameter",
    "missing-language", "language-mismatch", "unknown-theme", "unknown-definition",
    "unknown-clause", "unknown-sector", "ref-not-required", "unknown-anchor", "duplicate-id",
    "render", "override-value", "missing-direction", "position-order", "below-current-cao",
    "literal-number", "positions-in-public", "deprecated-key", "override-drops-parameter",
)


@dataclass(frozen=True)
class LintFinding:
    """One problem: where it is (path, 1-based line or None), how bad, a stable code, what."""

    path: str
    line: int | None
    level: str       # one of model.PROBLEM_LEVELS: a problem, never a note
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "level": self.level, "code": self.code,
                "message": self.message}


@dataclass
class _Source:
    """One content file (or one item a plugin registered from Python) and what it parsed into."""

    kind: str
    path: str                         # as shown in findings
    identity: str                     # resolved path, to recognise the same file twice
    file: str = ""                    # as given; "" for an object registered from Python
    text: str | None = None           # None: an object registered from Python
    lines: dict[str, int] = field(default_factory=dict)
    items: list = field(default_factory=list)
    plugin: str = ""                  # "plugin NAME VERSION" in plugin mode

    def line(self, *keys: str) -> int | None:
        return line_of(self.lines, *keys) if self.lines else None


def _display(path: Any) -> str:
    """A path relative to the working directory when it is inside it, else as given."""
    text = str(path)
    try:
        return str(Path(text).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return text


def _identity(path: Any) -> str:
    try:
        return str(Path(str(path)).resolve())
    except OSError:
        return str(path)


def _message(exc: ClausegenError) -> str:
    """The error's text without its "file:line: " prefix, with key and suggestion."""
    return str(ClausegenError(exc.message, key=exc.key, suggestion=exc.suggestion))


def _code_of(exc: ClausegenError) -> str:
    """A stable code for a structural error raised by the content parsers."""
    message, key = exc.message, exc.key or ""
    if message.startswith("TOML syntax error"):
        return "toml-syntax"
    if message.startswith("unknown key"):
        return "unknown-key"
    if "unknown language" in message:
        return "unknown-language"
    if key.startswith("positions."):
        if message.startswith("unknown position"):
            return "unknown-position"
        if "unknown parameter" in message:
            return "unknown-parameter"
        return "position-value"
    if key.startswith("parameters.") and key.endswith((".default", ".min", ".max")):
        return "default-value" if key.endswith(".default") else "bounds"
    return "invalid"


class Linter:
    """Collects findings over a set of content sources, checked together as one library would be.

    `library` (optional) supplies the template filters; what the linted items may refer to
    besides each other is the registry `check` is given.
    """

    def __init__(self, library=None):
        self.findings: list[LintFinding] = []
        self.sources: list[_Source] = []
        # (kind, id) -> the source of the item the registry holds under it, from this linter
        self.holders: dict[tuple[str, str], _Source] = {}
        self.files = 0
        filters = dict(getattr(library, "filters", {}) or {})
        from .sandbox import make_environment
        self.environments = {lang: make_environment(lang, filters) for lang in LANGUAGES}
        self.filter_names = set(self.environments["nl"].filters)
        # A copy that tolerates unknown filters, to list a template's variables even then.
        self.probe = make_environment("nl", filters)
        self.filters = filters

    # ---------------------------------------------------------------- recording

    def add(self, path: str, line: int | None, level: str, code: str, message: str,
            hint: str | None = None) -> None:
        assert level in PROBLEM_LEVELS and code in CODES, (level, code)
        if hint:
            message += f"; did you mean {hint!r}?"
        self.findings.append(LintFinding(path, line, level, code, message))

    def result(self) -> list[LintFinding]:
        """The findings, plugin problems first, then by file and line; duplicates removed."""
        order = {s.path: i for i, s in reversed(list(enumerate(self.sources)))}
        unique = list(dict.fromkeys(self.findings))
        return sorted(unique, key=lambda f: (f.path in order, order.get(f.path, 0), f.path,
                                             f.line or 0))

    # ---------------------------------------------------------------- reading

    def read(self, kind: str, source: Any, plugin: str = "", origin: str = "") -> None:
        """Read and parse one file (path or package resource) or take a registered object.

        In plugin mode `plugin` is the plugin's label and `origin` its module or path.
        Anything but a file or an item of the kind is the registry's PluginError, raised.
        """
        if not is_file(kind, source):   # built in Python: lines only with a known file
            file = source.provenance.file
            where = _display(file) if file else f"{origin or plugin} ({kind} {source.id})"
            lines = dict(getattr(source, "lines", {}) or {}) if file else {}
            self.sources.append(_Source(kind, where, _identity(file) if file else where,
                                        file=file, lines=lines, items=[source], plugin=plugin))
            return
        src = _Source(kind, _display(source), _identity(source), file=str(source),
                      plugin=plugin)
        self.sources.append(src)
        self.files += 1
        try:
            data = (source.read_bytes() if hasattr(source, "read_bytes")
                    else Path(source).read_bytes())
            src.text = decode(data, src.path, ContentError)
        except OSError as exc:
            self.add(src.path, None, "error", "file",
                     f"cannot read the file: {exc.strerror or exc}")
            return
        except ClausegenError as exc:
            self.add(src.path, exc.line, "error", "file", _message(exc))
            return
        src.lines = key_lines(src.text)
        try:
            items = PARSERS[kind](src.text, src.path)
        except ClausegenError as exc:
            self.add(src.path, exc.line, "error", _code_of(exc), _message(exc))
            return
        src.items = items if isinstance(items, list) else [items]

    def read_manifest(self, path: Path) -> None:
        """A content pack's plugin.toml: TOML syntax and its three keys."""
        shown = _display(path)
        self.files += 1
        try:
            text = decode(path.read_bytes(), shown, ContentError)
            data = loads(text, shown, ContentError)
        except ClausegenError as exc:
            self.add(shown, exc.line, "error", _code_of(exc) if exc.line else "file",
                     _message(exc))
            return
        from .plugin_host import manifest_problem    # the rules the loader applies
        lines = key_lines(text)
        for key in data:
            if key not in MANIFEST_KEYS:
                self.add(shown, line_of(lines, key), "error", "unknown-key",
                         f"unknown key {key!r} in plugin.toml (allowed: "
                         f"{', '.join(MANIFEST_KEYS)})", suggest(key, MANIFEST_KEYS))
            elif manifest_problem(key, data[key]):
                self.add(shown, line_of(lines, key), "error", "invalid",
                         manifest_problem(key, data[key]))

    # ---------------------------------------------------------------- checking

    def check(self, registry: Library) -> list[LintFinding]:
        """Register everything read into `registry` (a Library, empty or holding what the
        linted files may use), then run the cross-file and per-item checks against it."""
        from .plugin_host import REGISTRATION_HOOKS      # registered in the host's order
        order = [kind for _, kind in REGISTRATION_HOOKS]
        for src in sorted(self.sources, key=lambda s: order.index(s.kind)):
            for item in src.items:
                self._register(registry, src, item)
        known = _clause_ids(registry)
        for src in self.sources:
            for item in src.items:
                if src.kind == "clause":
                    self._clause(src, item, registry, known)
                elif src.kind == "sector":
                    self._sector(src, item, registry.for_sector(item.id))
        return self.result()

    def _register(self, registry: Library, src: _Source, item: Any) -> None:
        """Library.add's rules, each refusal a finding; an item the registry already holds
        from this very file (a library file linted in place) counts as registered."""
        kind = src.kind
        if not _held_from(registry, kind, item, src.identity):
            provenance = Provenance(plugin=src.plugin, file=src.file)
            try:
                registry.add(kind, dataclasses.replace(item, provenance=provenance), provenance)
            except RegistrationError as exc:
                self._refused(src, item, exc)
                return
            self.holders[(kind, item.id)] = src
        if kind == "clause" and item.overrides:
            old = (registry.replacements.get(item.id) if item.scope == "all" else
                   registry.find_clause(item.overrides))
            if old is not None:
                self._override(src, item, old)

    def _refused(self, src: _Source, item: Any, exc: RegistrationError) -> None:
        """What Library.add refused, said for the author of the file."""
        kind = src.kind
        if exc.missing:
            key = "overrides" if kind == "clause" else "replaces"
            self.add(src.path, src.line(key), "error",
                     "unknown-clause" if kind == "clause" else "unknown-sector",
                     f"{key} {exc.missing!r}, which no plugin registered", exc.suggestion)
            return
        taken = exc.taken_by.provenance
        other = self.holders.get((kind, exc.taken_by.id))
        if other is not None and other.file == taken.file:
            other_path, other_plugin = other.path, other.plugin
        else:                       # an item of the library the files are checked against
            other_path, other_plugin = (_display(taken.file) if taken.file else ""), taken.label
        who = f"plugin {other_plugin} " if other_plugin and src.plugin else ""
        where = f"({other_path})" if who and other_path else other_path or "the library"
        line = src.line(item.id) if kind == "definition" else src.line("id")
        self.add(src.path, line, "error", "duplicate-id",
                 f"{kind} id {item.id!r} is already registered by {who}{where}{exc.fix}")

    def _override(self, src: _Source, clause: Clause, old: Clause) -> None:
        """An override keeps the replaced clause's parameters, or maps their names onto its
        own: specs, --set and sector values written for the old clause must keep building."""
        for name, own in clause.parameter_map.items():
            if name not in old.parameters:
                self.add(src.path, src.line("parameter_map"), "error", "unknown-parameter",
                         f"parameter_map: {old.id!r} has no parameter {name!r}",
                         suggest(name, old.parameters))
        dropped = [name for name in old.parameters
                   if name not in clause.parameters and name not in clause.parameter_map]
        if dropped:
            self.add(src.path, src.line("overrides"), "error", "override-drops-parameter",
                     f"overrides {old.id!r} but lacks its parameter"
                     f"{'s' * (len(dropped) > 1)} {', '.join(map(repr, dropped))}: specs and "
                     f"sector values that set {'them' if len(dropped) > 1 else 'it'} would stop "
                     f"building. Keep {'them' if len(dropped) > 1 else 'it'}, or map each "
                     f"onto a parameter of this clause: [parameter_map] {dropped[0]} = "
                     f"\"<own parameter>\"")

    def _clause(self, src: _Source, clause: Clause, registry: Library, known: set) -> None:
        path = src.path
        if clause.theme not in registry.themes:
            self.add(path, src.line("theme"), "error", "unknown-theme",
                     f"theme {clause.theme!r} is not registered", suggest(clause.theme,
                                                                          registry.themes))
        if isinstance(clause.scope, tuple):
            for sector_id in clause.scope:
                if sector_id not in registry.sectors:
                    self.add(path, src.line("scope"), "error", "unknown-sector",
                             f"scope: unknown sector {sector_id!r}",
                             suggest(sector_id, registry.sectors))
        for def_id in clause.definitions:
            if def_id not in registry.definitions:
                self.add(path, src.line("definitions"), "error", "unknown-definition",
                         f"definitions: unknown definition {def_id!r}",
                         suggest(def_id, registry.definitions))
        for key in ("requires", "excludes"):
            for other in getattr(clause, key):
                if other not in known:
                    self.add(path, src.line(key), "error", "unknown-clause",
                             f"{key}: unknown clause {other!r}", suggest(other, known))
        anchors = _anchors()
        for anchor in clause.addresses:
            if anchor not in anchors:
                self.add(path, src.line("addresses"), "warning", "unknown-anchor",
                         f"addresses: {anchor!r} is not an anchor of the seed",
                         suggest(anchor, anchors))
        consequence = {"title": "shows the clause id as the article's title",
                       "text": "that includes this clause fails"}
        for key in ("title", "text"):
            texts = getattr(clause, key)
            for lang in LANGUAGES:
                if not (texts.get(lang) or "").strip():
                    level = "error" if lang == "nl" else "warning"
                    self.add(path, src.line(key), level, "missing-language",
                             f"{key} has no {lang} text; a draft in {lang} {consequence[key]}")
        for old, new in clause.deprecated:
            self.add(path, src.line(old), "warning", "deprecated-key",
                     f"{old!r} is deprecated: it counts as internal and never reaches the "
                     f"table; split it into {new}")
        self._directions(src, clause)
        self._literal_numbers(src, clause)
        self._templates(src, clause, known)

    def _directions(self, src: _Source, clause: Clause) -> None:
        """Every numeric parameter says which way is better for workers, and the positions
        are ordered that way: openingsbod >= doel >= ondergrens."""
        from .planning import ladder_for, order_problems
        ladders = ladder_for(clause)
        for name, param in clause.parameters.items():
            if param.type in params.NUMERIC and not param.better:
                self.add(src.path, src.line(f"parameters.{name}"), "warning",
                         "missing-direction",
                         f"parameters.{name}: say which way is better for workers "
                         "(better = \"higher\" or \"lower\"), so positions can be checked")
            for problem in order_problems(ladders[name]):
                self.add(src.path, src.line("positions"), "error", "position-order",
                         f"positions: {name}: {problem}")

    def _literal_numbers(self, src: _Source, clause: Clause) -> None:
        """A number typed in a text that equals a parameter's value in some position: it goes
        stale when the value changes, and in a public text it can name another position."""
        values: dict[Decimal, list[tuple[str, str]]] = {}
        from .planning import ladder_for
        for name, step in ladder_for(clause).items():
            if step.param.type not in params.NUMERIC:
                continue
            for position in POSITIONS:
                value = step.positions[position]
                if value is not None:
                    values.setdefault(Decimal(value), []).append((name, position))
        if not values:
            return
        fixed = {_amount(k) for k in clause.fixed_numbers}
        for key in NUMBER_FIELDS:
            for lang, source in getattr(clause, key).items():
                plain = _CODE_BLOCK.sub(lambda m: " " * len(m.group(0)), source)
                for match in _NUMBER.finditer(plain):
                    if _CITATION.search(plain[max(0, match.start() - 30):match.start()]):
                        continue
                    found = [v for v in _amounts(match.group(0), lang) if v in values]
                    if not found or found[0] in fixed:
                        continue
                    name, position = values[found[0]][0]
                    lineno = plain.count("\n", 0, match.start()) + 1
                    self.add(src.path, self._template_line(src, src.line(f"{key}.{lang}"),
                                                           lineno),
                             "error", "literal-number",
                             f"{key}.{lang}: the number {match.group(0)} is the {position} "
                             f"value of {name!r}; write {{{{ {name} | ... }}}}"
                             + (f" or {{{{ positions.{position}.{name} | ... }}}}"
                                if key == "arguments" else "")
                             + ", or list it under fixed_numbers if it is a fact of law")

    def _template_line(self, src: _Source, key_line: int | None, lineno: int | None):
        """The file line of a template line: the key's line, plus the line inside the value."""
        if not key_line or not src.text:
            return key_line
        if not lineno:
            return key_line
        raw = src.text.splitlines()[key_line - 1]
        value = raw.partition("=")[2].strip()
        # '''<newline> starts the value on the next line (TOML drops that first newline)
        return key_line + lineno if value in ("'''", '"""') else key_line + lineno - 1

    def _templates(self, src: _Source, clause: Clause, known: set) -> None:
        """Every template of a clause checked on its own, then the clause's parameters against
        all of them, then the fit ones rendered."""
        used: set[str] = set()
        renderable: list[tuple[str, str, str, int | None]] = []
        by_field: dict[tuple[str, str], tuple[set, int | None]] = {}
        broken = False
        for key in TEMPLATE_FIELDS:
            for lang, source in getattr(clause, key).items():
                key_line = src.line(f"{key}.{lang}")
                checked = self._template(src, clause, key, lang, source, known)
                if checked is None:
                    broken = True
                    continue
                variables, ok = checked
                used |= variables
                by_field[(key, lang)] = (variables & set(clause.parameters), key_line)
                if ok:
                    renderable.append((key, lang, source, key_line))
        self._language_mismatch(src, by_field)
        if not broken:
            self._unused_parameters(src, clause, used)
        self._render(src, clause, renderable)

    def _template(self, src: _Source, clause: Clause, key: str, lang: str, source: str,
                  known: set) -> tuple[set[str], bool] | None:
        """One template: syntax, filters, names, ref()s. None when it does not parse; else the
        names it reads and whether it is fit to render."""
        import jinja2                    # late: `clausegen --help` must stay light
        from jinja2 import meta
        where = f"{key}.{lang}"
        key_line = src.line(where)
        try:
            ast = self.environments[lang].parse(source)
        except jinja2.TemplateSyntaxError as exc:
            self.add(src.path, self._template_line(src, key_line, exc.lineno), "error",
                     "template-syntax", f"{where}: template syntax error: {exc.message}")
            return None
        ok = self._filters(src, where, key_line, ast)
        try:
            variables = meta.find_undeclared_variables(self.probe.parse(source))
        except jinja2.TemplateError as exc:   # e.g. an unknown test: `x is foo`
            self.add(src.path, self._template_line(src, key_line, getattr(exc, "lineno", 0)),
                     "error", "template-syntax",
                     f"{where}: template error: {getattr(exc, 'message', None) or exc}")
            return None
        ok = self._names(src, clause, key, where, key_line, ast, variables) and ok
        self._refs(src, clause, where, key_line, ast, known)
        return variables, ok

    def _filters(self, src: _Source, where: str, key_line: int | None, ast) -> bool:
        """Unknown filters; the probe environment learns them, to list the names even then."""
        from jinja2 import nodes
        ok = True
        for node in ast.find_all(nodes.Filter):
            if node.name not in self.filter_names:
                ok = False
                self.probe.filters.setdefault(node.name, lambda value, *a, **k: value)
                self.add(src.path, self._template_line(src, key_line, node.lineno), "error",
                         "unknown-filter", f"{where}: unknown filter {node.name!r}",
                         suggest(node.name, self.filter_names))
        return ok

    def _names(self, src: _Source, clause: Clause, key: str, where: str,
               key_line: int | None, ast, variables: set[str]) -> bool:
        """Every name a template reads is a parameter or a draft name, and only the internal
        arguments read every position's values; True when all are."""
        from jinja2 import nodes
        names, ok = set(clause.parameters), True
        if key != "arguments":
            for name in sorted((variables - names) & INTERNAL_NAMES):
                ok = False
                self.add(src.path, key_line, "error", "positions-in-public",
                         f"{where}: {name!r} (every position's values) may only be used "
                         "in arguments: this text reaches the other side of the table")
        first_use: dict[str, int] = {}
        for node in ast.find_all(nodes.Name):
            if node.ctx == "load" and node.name not in first_use:
                first_use[node.name] = node.lineno
        for name in sorted(variables - names - CONTEXT_NAMES - (
                INTERNAL_NAMES if key != "arguments" else set()),
                           key=lambda n: (first_use.get(n, 0), n)):
            ok = False
            self.add(src.path, self._template_line(src, key_line, first_use.get(name)),
                     "error", "undeclared-variable",
                     f"{where}: {name!r} is neither a parameter nor a draft name "
                     f"({', '.join(sorted(CONTEXT_NAMES))})",
                     suggest(name, names | CONTEXT_NAMES))
        return ok

    def _refs(self, src: _Source, clause: Clause, where: str, key_line: int | None, ast,
              known: set) -> None:
        """A ref() names a known clause, and one the clause requires (or itself)."""
        from jinja2 import nodes
        for node in ast.find_all(nodes.Call):
            if not (isinstance(node.node, nodes.Name) and node.node.name == "ref"
                    and node.args and isinstance(node.args[0], nodes.Const)):
                continue
            target = str(node.args[0].value)
            line = self._template_line(src, key_line, node.lineno)
            if target not in known:
                self.add(src.path, line, "error", "unknown-clause",
                         f"{where}: ref() to unknown clause {target!r}",
                         suggest(target, known))
            elif target not in clause.requires and target != clause.id:
                self.add(src.path, line, "warning", "ref-not-required",
                         f"{where}: ref({target!r}) cites a clause that is not in "
                         "requires; a draft without it shows a placeholder")

    def _language_mismatch(self, src: _Source, by_field: dict) -> None:
        """text.nl and text.en use the same parameters."""
        if ("text", "nl") in by_field and ("text", "en") in by_field:
            nl, en = by_field[("text", "nl")][0], by_field[("text", "en")][0]
            for name in sorted(nl ^ en):
                has, lacks = ("nl", "en") if name in nl else ("en", "nl")
                self.add(src.path, by_field[("text", lacks)][1], "warning",
                         "language-mismatch",
                         f"text.{lacks} does not use parameter {name!r}, which text.{has} uses")

    def _unused_parameters(self, src: _Source, clause: Clause, used: set[str]) -> None:
        for name in clause.parameters:
            if name not in used:
                self.add(src.path, src.line(f"parameters.{name}"), "warning",
                         "unused-parameter",
                         f"parameter {name!r} is declared but no template uses it")

    def _render(self, src: _Source, clause: Clause, renderable: list) -> None:
        """Render each template with the defaults (a placeholder where there is none), then
        with each position's values, as a draft would."""
        if not renderable:
            return
        from .markup import missing
        from .render import Renderer
        defaults = {name: p.default if p.default is not None else missing(f"{clause.id}.{name}")
                    for name, p in clause.parameters.items()}
        placeholders = [n for n, p in clause.parameters.items() if p.default is None]
        label = "its default values" + (
            f" (a placeholder for {', '.join(placeholders)}, which "
            f"{'has' if len(placeholders) == 1 else 'have'} no default)" if placeholders else "")
        from .planning import ladder_for
        ladders = ladder_for(clause)
        sample = {"current": {}, "positions": {
            position: {name: step.positions[position] if step.positions[position] is not None
                       else missing(f"{clause.id}.{name}") for name, step in ladders.items()}
            for position in POSITIONS}}
        scenarios = [(label, {**defaults, **sample})] + [
            (f"the values of position {position}", {**defaults, **values, **sample})
            for position, values in clause.positions.items()]
        renderers = {lang: Renderer(lang, {}, dict(SAMPLE_CONTEXT), None, self.filters)
                     for lang in LANGUAGES}
        for key, lang, source, key_line in renderable:
            for label, values in scenarios:
                try:
                    text = renderers[lang].render(source, name=clause.id, values=values,
                                                  file=src.path, line=key_line)
                    if key == "text":
                        renderers[lang].blocks(text)
                except RenderError as exc:
                    message = exc.message.removeprefix(f"{clause.id}: ")
                    line = self._template_line(src, key_line, _template_lineno(exc))
                    self.add(src.path, line, "error", "render",
                             f"{key}.{lang} does not render with {label}: {message}",
                             exc.suggestion)
                    break

    def _sector(self, src: _Source, sector: Sector, view: Library) -> None:
        """A sector's clauses and values, against the library as its drafts see it (`view`:
        the overrides in force for it), as planning reads them."""
        path, known = src.path, _clause_ids(view)
        for clause_id in sector.recommended:
            if clause_id not in known:
                self.add(path, src.line("recommended"), "error", "unknown-clause",
                         f"recommended: unknown clause {clause_id!r}", suggest(clause_id, known))
        if sector.overrides:
            self.add(path, src.line("overrides"), "warning", "deprecated-key",
                     "'overrides' is deprecated: it sets one value for every position. Put the "
                     "sector's current cao values under [current] and its own values per "
                     "position under [positions.openingsbod], [positions.doel] or "
                     "[positions.ondergrens]")
        tables = {"current": sector.current, "overrides": sector.overrides,
                  **{f"positions.{p}": v for p, v in sector.positions.items()}}
        valid: dict[str, dict[str, dict[str, Any]]] = {}
        for table, entries in tables.items():
            for key, raw in entries.items():
                line = src.line(f"{table}.{key}")
                clause_id, _, name = key.rpartition(".")
                clause = view.find_clause(clause_id)
                if clause is not None:     # a replaced clause's parameter, by its own name
                    name = clause.parameter_map.get(name, name)
                if clause is None:
                    self.add(path, line, "error", "unknown-clause",
                             f"{table} {key!r}: unknown clause {clause_id!r}",
                             suggest(clause_id, known))
                elif name not in clause.parameters:
                    self.add(path, line, "error", "unknown-parameter",
                             f"{table} {key!r}: clause {clause.id!r} has no parameter {name!r}",
                             suggest(name, clause.parameters))
                else:
                    try:
                        value = params.validate(clause.parameters[name], raw,
                                                what=f"{table}.{key}")
                    except ClausegenError as exc:
                        self.add(path, line, "error", "override-value", _message(exc))
                        continue
                    valid.setdefault(clause.id, {}).setdefault(table, {})[name] = value
        self._sector_order(src, sector, valid, view.clauses)

    def _sector_order(self, src: _Source, sector: Sector, valid: dict, clauses: dict) -> None:
        """The positions a sector's drafts use keep their order, and never open below the
        sector's current cao."""
        from .planning import ladder_for, order_problems, worse
        for clause_id, tables in sorted(valid.items()):
            legacy = tables.get("overrides", {})
            own = {p: {**legacy, **tables.get(f"positions.{p}", {})} for p in POSITIONS}
            ladders = ladder_for(clauses[clause_id], own, tables.get("current", {}))
            for name, step in ladders.items():
                if not (any(name in own[p] for p in POSITIONS) or step.current is not None):
                    continue
                line = src.line("positions") or src.line("current")
                for problem in order_problems(step):
                    self.add(src.path, line, "error", "position-order",
                             f"{clause_id}.{name}: {problem} (the clause's positions with this "
                             "sector's own values)")
                for position, level in (("openingsbod", "error"), ("ondergrens", "warning")):
                    if worse(step.param, step.positions[position], step.current):
                        self.add(src.path, src.line(f"current.{clause_id}.{name}"), level,
                                 "below-current-cao",
                                 f"{clause_id}.{name}: {position} "
                                 f"{params.plain(step.positions[position])} is worse for workers "
                                 f"than the current cao ({params.plain(step.current)})"
                                 + ("; a union never opens below what it has"
                                    if position == "openingsbod" else
                                    "; a walk-away below the current cao is a trade that "
                                    "needs a note"))


def _clause_ids(registry: Library) -> set[str]:
    """Every clause id a draft may name: registered, replaced by an override, or an
    override's own (scoped to some sectors)."""
    return (set(registry.clauses) | set(registry.replaced)
            | {clause.id for clause in registry.scoped_overrides})


def _held_from(registry: Library, kind: str, item: Any, identity: str) -> bool:
    """Whether the registry holds an item of this id read from the file `identity`."""
    held = [getattr(registry, f"{kind}s").get(item.id)]     # Library.themes, .clauses, ...
    if kind == "clause":
        held += [c for c in registry.scoped_overrides if c.id == item.id]
    return any(h is not None and h.provenance.file
               and _identity(h.provenance.file) == identity for h in held)


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _amounts(token: str, language: str) -> list[Decimal]:
    """What a typed number may mean: 1.000 is a thousand in Dutch and one in English."""
    thousands, decimal = (".", ",") if language == "nl" else (",", ".")
    readings = [token.replace(thousands, "").replace(decimal, "."), token.replace(",", ".")]
    found = []
    for reading in readings:
        if reading.count(".") <= 1:
            amount = _amount(reading)
            if amount is not None and amount not in found:
                found.append(amount)
    return found


def _template_lineno(exc: BaseException) -> int | None:
    """The template line a render error happened on, from Jinja's rewritten traceback of the
    original exception (RenderError is raised `from None`, which keeps it as __context__)."""
    cause = exc.__cause__ or exc.__context__
    if cause is None or cause.__traceback__ is None:
        return None
    lines = [frame.lineno for frame in traceback.extract_tb(cause.__traceback__)
             if frame.filename == "<template>"]
    return lines[-1] if lines else None


_ANCHORS: set[str] | None = None


def _anchors() -> set[str]:
    global _ANCHORS
    if _ANCHORS is None:
        from .coverage import anchors
        _ANCHORS = set(anchors())
    return _ANCHORS


# ---------------------------------------------------------------- what to lint


def _content_files(root: Path) -> Iterable[tuple[str, Path]]:
    """(kind, file) for every content file under a folder, sorted, as a ContentDir lists
    them; in a plugin package (a folder with pyproject.toml) its tests, docs and build output
    are left out, and so are the seed's own data files at the top of a folder."""
    package = (root / "pyproject.toml").is_file()
    def skip(folder: str) -> bool:
        return package and (folder in PACKAGE_SKIP_DIRS or folder.endswith(".egg-info"))
    for parts, file in ContentDir(root).walk(skip):
        if file.name == "pyproject.toml" or (len(parts) == 1 and file.name in SEED_FILES):
            continue
        kind = kind_of((root.name,) + parts)
        if kind:
            yield kind, file


def _path_sources(linter: Linter, path: Path, seen: set[str]) -> None:
    """Read what a command-line PATH holds; a file named twice (or inside a folder named
    too) is read once."""
    def read(kind: str | None, file: Path) -> None:
        if _identity(file) in seen:
            return
        seen.add(_identity(file))
        if kind == "manifest":
            linter.read_manifest(file)
        elif kind is None:
            linter.add(_display(file), None, "error", "file",
                       "not a content file (expected a .toml clause, theme, definitions or "
                       "sector file, a content folder or a plugin folder)")
        else:
            linter.read(kind, file)

    if path.is_dir():
        if (path / "plugin.toml").is_file():
            read("manifest", path / "plugin.toml")
        for kind, file in _content_files(path):
            read(kind, file)
    elif path.name == "plugin.toml":
        read("manifest", path)
    elif path.name == "pyproject.toml":
        _path_sources(linter, path.parent, seen)
    else:
        read(kind_of((path.parent.name, path.name)), path)


def lint_paths(paths: Iterable[str | Path], library=None) -> list[LintFinding]:
    """Lint clause files, content packs, content folders or plugin package folders.

    `library` (e.g. the loaded plugins' Library) supplies the themes, definitions, clauses
    and filters the files may use besides their own; ids it holds from other files count as
    taken. Without it the files must be complete on their own.
    """
    return _lint_paths(paths, library)[0]


def _lint_paths(paths, library) -> tuple[list[LintFinding], int]:
    linter = Linter(library)
    seen: set[str] = set()
    for path in paths:
        _path_sources(linter, Path(path), seen)
    return linter.check(library.copy() if library is not None else Library()), linter.files


def _origin(info) -> str:
    """Where a plugin's problems are reported: its file or folder, else its module or name."""
    if info.kind in ("file", "pack") and info.source:
        return _display(info.source)
    if info.kind in ("builtin", "entrypoint") and info.source:
        return info.source            # the module, e.g. clausegen.plugins.werkdruk
    return info.name


def lint_plugins(host) -> list[LintFinding]:
    """Lint everything the host's plugins register, and report plugins that fail to load."""
    return _lint_plugins(host)[0]


def _lint_plugins(host) -> tuple[list[LintFinding], int]:
    from .plugin_host import REGISTRATION_HOOKS
    library = host.library()      # the template filters, and the plugins' problems so far
    linter = Linter(library)
    hooks = tuple(f"{hook}:" for hook, _ in REGISTRATION_HOOKS)
    # Problems the host recorded while loading and while registering checks and filters; what
    # the content registration hooks hit is found again below, file by file with lines.
    for info in host.plugins:
        for error in info.errors:
            if not error.startswith(hooks):
                linter.add(_origin(info), None, "error", "plugin",
                           f"plugin {info.label}: {error}")

    def read(info, kind: str, item: Any) -> None:
        linter.read(kind, item, plugin=info.label, origin=_origin(info))

    def fail(info, message: str) -> None:
        linter.add(_origin(info), None, "error", "plugin", f"plugin {info.label}: {message}")
    host.register_content(read, fail=fail)
    return linter.check(Library()), linter.files


# ---------------------------------------------------------------- the command


def plugin_names_at(paths) -> set[str]:
    """The plugin names the source at PATHs goes by once installed: a content pack's
    plugin.toml name, a package's entry points in the clausegen group."""
    names: set[str] = set()
    for path in map(Path, paths):
        folder = path if path.is_dir() else path.parent
        for candidate in (folder, *folder.parents):
            if (candidate / "plugin.toml").is_file():
                try:
                    data = loads((candidate / "plugin.toml").read_text(encoding="utf-8"), "",
                                 ContentError)
                    names.add(str(data.get("name") or candidate.name))
                except (ClausegenError, OSError, UnicodeDecodeError):
                    names.add(candidate.name)
                break
            if (candidate / "pyproject.toml").is_file():
                try:
                    data = loads((candidate / "pyproject.toml").read_text(encoding="utf-8"), "",
                                 ContentError)
                except (ClausegenError, OSError, UnicodeDecodeError):
                    break
                points = data.get("project", {}).get("entry-points", {}).get("clausegen", {})
                names.update(str(name) for name in points)
                break
    return names


def _library_without(host, paths):
    """The host's library, less any installed (or plugins-dir) copy of the plugin at PATHs:
    `check PATH` lints that source, so its own installed ids must not count as taken."""
    names = plugin_names_at(paths) & {info.name for info in host.load()
                                      if info.kind != "builtin"}
    if not names:
        return host.library()
    from .plugin_host import PluginHost
    env = dict(os.environ if host.env is None else host.env)
    env["CLAUSEGEN_DISABLE_PLUGINS"] = ",".join(
        sorted(names | {n for n in env.get("CLAUSEGEN_DISABLE_PLUGINS", "").split(",") if n}))
    return PluginHost(host.plugins_dir, env=env, entry_points=host.use_entry_points,
                      extra=host.extra).library()


def check(host, paths=()) -> tuple[list[LintFinding], int]:
    """What `clausegen check [PATH]...` reports: the findings and how many files were read.

    Without paths, everything the host's plugins register; with paths, those files checked
    against the host's library less the plugin at the paths (see `_library_without`).
    """
    if paths:
        return _lint_paths(paths, _library_without(host, paths))
    return _lint_plugins(host)


def summary(findings: list[LintFinding], files: int) -> str:
    """The closing line: how many errors and warnings in how many files."""
    errors = sum(f.level == "error" for f in findings)
    warnings = sum(f.level == "warning" for f in findings)
    return (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {files} file{'s' * (files != 1)}")
