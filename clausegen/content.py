"""Reading content files (clauses, themes, definitions, sector profiles) into model objects.

Every error names the file, the line where the parser or the key scan finds one, and the key.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from importlib import resources
from typing import Any, Callable, Iterator

from . import contentcache, params
from .errors import ContentError, ClausegenError, suggest
from .hookspecs import hookimpl
from .model import (DIRECTIONS, LANGUAGES, POSITIONS, Clause, Definition, Parameter, Sector,
                    Theme)
from .tomlfile import KeyLines, decode, line_of, loads

CLAUSE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$")
ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CLAUSE_KEYS = {
    "id", "version", "theme", "title", "summary", "text", "explanation", "arguments",
    "toelichting", "parameters", "positions", "definitions", "legal_basis", "addresses",
    "requires", "excludes", "always", "order", "overrides", "scope", "parameter_map", "fixed_numbers",
}
PARAMETER_KEYS = {"type", "default", "min", "max", "choices", "label", "help", "better"}
THEME_KEYS = {"id", "order", "title", "description"}
DEFINITION_KEYS = {"term", "text"}
SECTOR_KEYS = {
    "id", "name", "cao", "employers", "unions", "description", "article_numbering",
    "recommended", "terminology", "current", "positions", "overrides", "replaces",
}
NUMBERING = ("continuous", "per_chapter")


class _Reader:
    """Helpers bound to one file: typed getters that raise ContentError with line and key."""

    def __init__(self, text: str, file: str):
        self.file = file
        self.lines = KeyLines(text)

    def error(self, message: str, key: str | None = None, suggestion: str | None = None):
        line = line_of(self.lines, key) if key else None
        return ContentError(message, file=self.file, line=line, key=key, suggestion=suggestion)

    def unknown_keys(self, data: dict, allowed: set, prefix: str = "") -> None:
        for key in data:
            if key not in allowed:
                path = f"{prefix}{key}"
                raise self.error(f"unknown key {path!r}", path, suggest(key, allowed))

    def string(self, data: dict, key: str, path: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.error(f"{path!r} must be a non-empty string", path)
        return value

    def texts(self, data: dict, key: str, path: str, *, required: bool = True) -> dict[str, str]:
        value = data.get(key)
        if value is None and not required:
            return {}
        if isinstance(value, str):
            value = {"nl": value}
        if not isinstance(value, dict) or not value:
            raise self.error(f"{path!r} must be a table of texts per language, "
                             "e.g. {{ nl = \"...\", en = \"...\" }}", path)
        for language, text in value.items():
            if language not in LANGUAGES:
                raise self.error(f"{path}.{language}: unknown language {language!r} "
                                 f"(use {', '.join(LANGUAGES)})", f"{path}.{language}",
                                 suggest(language, LANGUAGES))
            if not isinstance(text, str):
                raise self.error(f"{path}.{language} must be a string", f"{path}.{language}")
            self.clean(text, f"{path}.{language}")
        # One "nl" for all texts (interned), not one per text: the content cache keeps it once.
        return {sys.intern(language): text for language, text in value.items()}

    def clean(self, text: str, path: str) -> str:
        try:
            return params.check_text(text, path)
        except ClausegenError as exc:
            raise self.error(exc.message, path) from None

    def strings(self, data: dict, key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"{path!r} must be a list of strings", path)
        for v in value:
            self.clean(v, path)
        return tuple(sys.intern(v) for v in value)     # ids and references, shared as keys are


# Names every template already has (draft.context_for, planning.template_values, render): a
# parameter of that name would be hidden by them.
TEMPLATE_NAMES = frozenset({"cao", "sector", "start", "end", "employers", "unions", "language",
                            "ref", "range", "current", "positions"})
RESERVED_NAMES = TEMPLATE_NAMES | {"loop", "caller"}     # and Jinja's own


def _parameter(reader: _Reader, name: str, data: Any) -> Parameter:
    path = f"parameters.{name}"
    if not re.match(r"^[a-z_][a-z0-9_]*$", name):
        raise reader.error(f"parameter name {name!r} must be lowercase letters, digits and _", path)
    if name in RESERVED_NAMES:
        raise reader.error(f"parameter name {name!r} is reserved: templates use it for "
                           f"something else ({', '.join(sorted(RESERVED_NAMES))})", path)
    if not isinstance(data, dict):
        raise reader.error(f"{path} must be a table", path)
    reader.unknown_keys(data, PARAMETER_KEYS, f"{path}.")
    ptype = data.get("type")
    if ptype not in params.TYPES:
        raise reader.error(f"{path}.type: unknown parameter type {ptype!r} "
                           f"(one of {', '.join(sorted(params.TYPES))})", f"{path}.type",
                           suggest(str(ptype), params.TYPES))
    choices = reader.strings(data, "choices", f"{path}.choices")
    if ptype == "choice" and not choices:
        raise reader.error(f"{path}: a choice parameter needs a list of choices", path)

    def value(key: str) -> Any:
        if key not in data:
            return None
        try:
            return params.coerce(ptype, data[key], what=f"{path}.{key}", choices=choices)
        except ClausegenError as exc:
            raise reader.error(exc.message, f"{path}.{key}", exc.suggestion) from None

    better = data.get("better", "")
    if better and (ptype not in params.NUMERIC or better not in DIRECTIONS):
        raise reader.error(f"{path}.better must be \"higher\" or \"lower\", for a numeric "
                           "parameter only", f"{path}.better",
                           suggest(str(better), DIRECTIONS))
    param = Parameter(name=name, type=sys.intern(ptype), min=value("min"), max=value("max"),
                      better=better, choices=choices,
                      label=reader.texts(data, "label", f"{path}.label", required=False),
                      help=reader.texts(data, "help", f"{path}.help", required=False))
    if param.min is not None and param.max is not None and param.min > param.max:
        raise reader.error(f"{path}: min {param.min} is above max {param.max}", f"{path}.min")
    param.default = value("default")
    try:
        params.check_bounds(ptype, param.default, param.min, param.max,
                            what=f"{path}.default")
    except ClausegenError as exc:
        raise reader.error(exc.message, f"{path}.default") from None
    return param


def parse_clause(text: str, file: str) -> Clause:
    """Parse one clause file's text into a Clause (provenance UNKNOWN until registered).

    The keys are checked in a fixed order, so a file with several mistakes always reports the
    same one first."""
    data = loads(text, file, ContentError)
    reader = _Reader(text, file)
    reader.unknown_keys(data, CLAUSE_KEYS)
    clause_id = _clause_id(reader, data)
    parameters = _parameters(reader, data)
    positions = _positions(reader, data, parameters)
    version = _version(reader, data)
    always = data.get("always", False)
    if not isinstance(always, bool):
        raise reader.error("'always' must be true or false", "always")
    order = _order(reader, data)
    fixed = _fixed_numbers(reader, data)
    overrides, scope, parameter_map = _override(reader, data, parameters)
    arguments, deprecated = _arguments(reader, data)
    return Clause(
        id=clause_id,
        version=version,
        theme=reader.string(data, "theme", "theme"),
        title=reader.texts(data, "title", "title"),
        text=reader.texts(data, "text", "text"),
        summary=reader.texts(data, "summary", "summary", required=False),
        explanation=reader.texts(data, "explanation", "explanation", required=False),
        arguments=arguments,
        parameters=parameters,
        positions=positions,
        definitions=reader.strings(data, "definitions", "definitions"),
        legal_basis=reader.strings(data, "legal_basis", "legal_basis"),
        addresses=reader.strings(data, "addresses", "addresses"),
        requires=reader.strings(data, "requires", "requires"),
        excludes=reader.strings(data, "excludes", "excludes"),
        always=always,
        order=order,
        overrides=overrides,
        scope=scope,
        parameter_map=parameter_map,
        fixed_numbers=fixed,
        deprecated=deprecated,
        lines=reader.lines,
    )


def _clause_id(reader: _Reader, data: dict) -> str:
    clause_id = reader.string(data, "id", "id")
    if not CLAUSE_ID.match(clause_id):
        raise reader.error(f"clause id {clause_id!r} must look like 'theme.slug' "
                           "(lowercase letters, digits and -)", "id")
    return clause_id


def _parameters(reader: _Reader, data: dict) -> dict[str, Parameter]:
    raw_params = data.get("parameters", {})
    if not isinstance(raw_params, dict):
        raise reader.error("'parameters' must be a table of tables", "parameters")
    # Names interned, as text languages are: shared with the positions' values.
    return {sys.intern(name): _parameter(reader, sys.intern(name), spec)
            for name, spec in raw_params.items()}


def _positions(reader: _Reader, data: dict,
               parameters: dict[str, Parameter]) -> dict[str, dict[str, Any]]:
    """[positions.<position>]: each position's values, checked against the parameters."""
    positions: dict[str, dict[str, Any]] = {}
    raw_positions = data.get("positions", {})
    if not isinstance(raw_positions, dict):
        raise reader.error("'positions' must be a table", "positions")
    for position, values in raw_positions.items():
        path = f"positions.{position}"
        if position not in POSITIONS:
            raise reader.error(f"unknown position {position!r} (use {', '.join(POSITIONS)})",
                               path, suggest(position, POSITIONS))
        if not isinstance(values, dict):
            raise reader.error(f"{path} must be a table of parameter values", path)
        positions[sys.intern(position)] = {}
        for name, raw in values.items():
            if name not in parameters:
                raise reader.error(f"{path} names unknown parameter {name!r}",
                                   f"{path}.{name}", suggest(name, parameters))
            try:
                positions[position][sys.intern(name)] = params.validate(
                    parameters[name], raw, what=f"{path}.{name}")
            except ClausegenError as exc:
                raise reader.error(exc.message, f"{path}.{name}", exc.suggestion) from None
    return positions


def _version(reader: _Reader, data: dict) -> str:
    version = reader.string(data, "version", "version")
    if not re.match(r"^\d+(\.\d+){0,2}([.-][A-Za-z0-9.]+)?$", version):
        raise reader.error(f"version {version!r} must look like 1.0.0", "version")
    return version


def _order(reader: _Reader, data: dict) -> int:
    """A clause's or theme's `order`: its place among its siblings (default 100)."""
    order = data.get("order", 100)
    if not isinstance(order, int) or isinstance(order, bool):
        raise reader.error("'order' must be a whole number", "order")
    return order


def _fixed_numbers(reader: _Reader, data: dict) -> dict[str, str]:
    fixed = data.get("fixed_numbers", {})
    if not isinstance(fixed, dict) or not all(
            re.fullmatch(r"\d+(?:[.,]\d+)?", k) and isinstance(v, str) and v.strip()
            for k, v in fixed.items()):
        raise reader.error("fixed_numbers must be a table of \"number\" = \"why it is a fact\", "
                           "e.g. { \"28\" = \"artikel 4:2 lid 2 Arbeidstijdenwet\" }",
                           "fixed_numbers")
    return dict(fixed)


def _override(reader: _Reader, data: dict, parameters: dict[str, Parameter]
              ) -> tuple[str, str | tuple[str, ...], dict[str, str]]:
    """An override's keys: the clause it replaces, its scope and its parameter_map; the
    last two only with `overrides`."""
    overrides = reader.string(data, "overrides", "overrides", required=False)
    scope: str | tuple[str, ...] = ""
    if "scope" in data:
        raw_scope = data["scope"]
        if raw_scope == "all":
            scope = "all"
        elif (isinstance(raw_scope, list) and raw_scope
              and all(isinstance(s, str) and ITEM_ID.match(s) for s in raw_scope)):
            scope = tuple(raw_scope)
        else:
            raise reader.error("scope must be \"all\" or a list of sector ids, e.g. "
                               "scope = [\"vvt\", \"ghz\"]; without it an override applies "
                               "to the sectors its own plugin registers", "scope")
        if not overrides:
            raise reader.error("scope without overrides: only an override has a scope", "scope")
    parameter_map = data.get("parameter_map", {})
    if not isinstance(parameter_map, dict) or not all(
            isinstance(v, str) and v in parameters for v in parameter_map.values()):
        raise reader.error("parameter_map must map each parameter of the replaced clause to a "
                           "parameter of this one: { old_name = \"own_name\" }",
                           "parameter_map")
    if parameter_map and not overrides:
        raise reader.error("parameter_map without overrides: only an override maps the "
                           "parameters of the clause it replaces", "parameter_map")
    return overrides, scope, dict(parameter_map)


def _arguments(reader: _Reader, data: dict) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """The internal arguments, and the deprecated keys the file still uses."""
    # The old single toelichting mixed the public explanation with the union's strategy, so it
    # counts as internal: a pack written before the split can never leak it to the table.
    arguments = reader.texts(data, "arguments", "arguments", required=False)
    if "toelichting" not in data:
        return arguments, ()
    if arguments:
        raise reader.error("'toelichting' and 'arguments' together: move the toelichting "
                           "into 'explanation' (public) and 'arguments' (internal)",
                           "toelichting")
    return (reader.texts(data, "toelichting", "toelichting"),
            (("toelichting", "explanation (public) and arguments (internal)"),))


def parse_theme(text: str, file: str) -> Theme:
    data = loads(text, file, ContentError)
    reader = _Reader(text, file)
    reader.unknown_keys(data, THEME_KEYS)
    theme_id = reader.string(data, "id", "id")
    if not ITEM_ID.match(theme_id):
        raise reader.error(f"theme id {theme_id!r} must be lowercase letters, digits and -", "id")
    return Theme(id=theme_id, order=_order(reader, data),
                 title=reader.texts(data, "title", "title"),
                 description=reader.texts(data, "description", "description", required=False))


def parse_definitions(text: str, file: str) -> list[Definition]:
    data = loads(text, file, ContentError)
    reader = _Reader(text, file)
    found = []
    for def_id, entry in data.items():
        if not ITEM_ID.match(def_id) or not isinstance(entry, dict):
            raise reader.error(f"definition [{def_id}] must be a table with a lowercase id", def_id)
        reader.unknown_keys(entry, DEFINITION_KEYS, f"{def_id}.")
        found.append(Definition(id=def_id, term=reader.texts(entry, "term", f"{def_id}.term"),
                                text=reader.texts(entry, "text", f"{def_id}.text")))
    return found


def parse_sector(text: str, file: str) -> Sector:
    data = loads(text, file, ContentError)
    reader = _Reader(text, file)
    reader.unknown_keys(data, SECTOR_KEYS)
    sector_id = reader.string(data, "id", "id")
    if not ITEM_ID.match(sector_id):
        raise reader.error(f"sector id {sector_id!r} must be lowercase letters, digits and -", "id")
    numbering = data.get("article_numbering", "continuous")
    if numbering not in NUMBERING:
        raise reader.error(f"article_numbering must be one of {', '.join(NUMBERING)}",
                           "article_numbering", suggest(str(numbering), NUMBERING))
    terminology = _terminology(reader, data)
    for key in ("employers", "unions"):
        if any(not name.strip() for name in reader.strings(data, key, key)):
            raise reader.error(f"'{key}' must not hold an empty name", key)
    positions = data.get("positions", {})
    if not isinstance(positions, dict):
        raise reader.error("'positions' must hold tables [positions.openingsbod], "
                           "[positions.doel] or [positions.ondergrens]", "positions")
    for position in positions:
        if position not in POSITIONS:
            raise reader.error(f"unknown position {position!r} (use {', '.join(POSITIONS)})",
                               f"positions.{position}", suggest(position, POSITIONS))
    return Sector(
        id=sector_id,
        name=reader.texts(data, "name", "name"),
        cao=reader.texts(data, "cao", "cao"),
        employers=reader.strings(data, "employers", "employers"),
        unions=reader.strings(data, "unions", "unions"),
        description=reader.texts(data, "description", "description", required=False),
        article_numbering=numbering,
        recommended=reader.strings(data, "recommended", "recommended"),
        terminology=terminology,
        current=_sector_values(reader, data.get("current", {}), "current"),
        positions={p: _sector_values(reader, v, f"positions.{p}") for p, v in positions.items()},
        overrides=_sector_values(reader, data.get("overrides", {}), "overrides"),
        replaces=reader.string(data, "replaces", "replaces", required=False),
        lines=reader.lines,
    )


def _terminology(reader: _Reader, data: dict) -> dict[str, dict[str, str]]:
    """A sector's own words per language: {language: {word: replacement}}."""
    terminology = data.get("terminology", {})
    if not isinstance(terminology, dict) or not all(
            lang in LANGUAGES and isinstance(words, dict)
            and all(isinstance(k, str) and re.fullmatch(r"\w[\w'-]*", k)
                    and isinstance(v, str) and v.strip() for k, v in words.items())
            for lang, words in terminology.items()):
        raise reader.error("terminology must be tables per language of word = \"replacement\" "
                           "(one word, a non-empty replacement)",
                           "terminology")
    for lang, words in terminology.items():
        for word, replacement in words.items():
            # A replacement goes into clause texts as text: a line break would start a new lid
            # and * or { } would read as markup or template code.
            reader.clean(replacement, f"terminology.{lang}.{word}")
            if re.search(r"[\r\n*{}]", replacement):
                raise reader.error(f"terminology.{lang}.{word}: a replacement is words on one "
                                   "line, without *, { or }", f"terminology.{lang}.{word}")
    return {lang: dict(words) for lang, words in terminology.items()}


def _sector_values(reader: _Reader, table: Any, path: str) -> dict[str, Any]:
    """[current], [positions.<position>] or [overrides]: "clause.id.parameter" = value."""
    if not isinstance(table, dict):
        raise reader.error(f"'{path}' must be a table of \"clause.id.parameter\" = value", path)
    for key in table:
        if "." not in key or not key.rpartition(".")[0]:
            raise reader.error(f"{path} key {key!r} must be written \"clause.id.parameter\"",
                               f"{path}.{key}")
    return dict(table)


# ---------------------------------------------------------------- content directories

KINDS = ("theme", "clause", "definition", "sector")
PARSERS = {"theme": parse_theme, "clause": parse_clause, "definition": parse_definitions,
           "sector": parse_sector}


def kind_of(relative_parts: tuple[str, ...]) -> str | None:
    """Which kind of content a file is, from its place in a content directory."""
    name = relative_parts[-1]
    if not name.endswith(".toml") or name == "plugin.toml":
        return None
    if name == "theme.toml":
        return "theme"
    if name.startswith("definities"):
        return "definition"
    if "sectoren" in relative_parts[:-1]:
        return "sector"
    return "clause"


class ContentDir:
    """A folder of content files, on disk or inside an installed package.

    Plugins use it to hand their files to `register`: `for f in content.files("clause"):
    register(f)`. Listing is lazy and sorted, so loading order never depends on the file system.
    """

    def __init__(self, root):
        self.root = root
        self._listing: tuple[tuple, list] | None = None   # (folders' mtimes, files)

    @classmethod
    def package(cls, package: str, *parts: str) -> "ContentDir":
        """Content shipped as package data, e.g. ContentDir.package("clausegen.clauses", "werkdruk")."""
        root = resources.files(package)
        for part in parts:
            root = root / part
        return cls(root)

    def walk(self, skip: Callable[[str], bool] = lambda folder: False
             ) -> Iterator[tuple[tuple[str, ...], Any]]:
        """(path parts below the root, file) for every file, sorted by path; names starting
        with "." or "_" and folders whose name `skip` refuses are left out."""
        yield from self._walk(self.root, (), skip=skip)

    def _walk(self, node, parts: tuple[str, ...], seen: set | None = None,
              folders: list | None = None, skip: Callable[[str], bool] = lambda folder: False
              ) -> Iterator[tuple[tuple[str, ...], Any]]:
        # A folder reached a second time (a symlink to `..` or to a folder already read) is
        # not walked again: a link loop would otherwise be followed until the OS gives up.
        seen = set() if seen is None else seen
        if isinstance(node, os.PathLike):
            real = os.path.realpath(node)
            if real in seen:
                return
            seen.add(real)
            if folders is not None:
                folders.append((node, os.stat(node).st_mtime_ns))
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith((".", "_")):
                continue
            if child.is_dir():
                if not skip(child.name):
                    yield from self._walk(child, parts + (child.name,), seen, folders, skip)
            else:
                yield parts + (child.name,), child

    def _files(self) -> list:
        """Every file of the folder as (kind, relative parts, file), walked once: the listing is
        kept while no folder in it changed (a file added, removed or renamed changes its folder's
        mtime). A folder that is not on disk (a zipped package) is walked every time."""
        if self._listing is not None:
            try:
                if all(os.stat(folder).st_mtime_ns == mtime
                       for folder, mtime in self._listing[0]):
                    return self._listing[1]
            except OSError:
                pass
        folders: list = []
        base = (self.root.name,)
        found = [(kind_of(base + rel), rel, file)
                 for rel, file in self._walk(self.root, (), folders=folders)]
        on_disk = isinstance(self.root, os.PathLike)
        self._listing = (tuple(folders), found) if on_disk else None
        return found

    def files(self, kind: str, recursive: bool = True) -> list:
        """The files of one kind ("theme", "clause", "definition", "sector"), sorted by path.

        With recursive=False only the files directly in the folder count.
        """
        if not self.root.is_dir():
            return []
        return [f for of, rel, f in self._files()
                if of == kind and (recursive or len(rel) == 1)]


def read_file(kind: str, source) -> list:
    """Parse one content file (a path or a package resource) into model items.

    A file whose exact bytes were parsed before comes from the content cache (contentcache).
    """
    file = str(source)
    if isinstance(source, (str, os.PathLike)):
        # One unbuffered read: for a small file, the buffered reader Path.read_bytes sets up
        # costs more than the read itself.
        with open(source, "rb", buffering=0) as handle:
            data = handle.read()
    else:                           # a resource inside a zipped package
        data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cached = contentcache.lookup(kind, file, digest)
    if cached is not None:
        for item in cached:
            if hasattr(item, "lines"):      # not kept by the cache: made from these bytes
                item.lines = KeyLines(data)
        return cached
    text = decode(data, file, ContentError)
    items = PARSERS[kind](text, file)
    items = items if isinstance(items, list) else [items]
    if kind != "theme":
        for item in items:
            item.digest = digest
    contentcache.store(kind, file, digest, items)
    return items


class ContentPlugin:
    """A plugin made of one content directory: it registers every theme, definition, clause
    and sector file in it. Content-only packs load as one; a Python plugin whose content is
    all files can be one line: `plugin = ContentPlugin(ContentDir.package("my_pkg", "content"))`
    with the entry point `name = "my_pkg:plugin"`.
    """

    def __init__(self, *contents: ContentDir):
        self.contents = contents

    def _register(self, kind: str, register) -> None:
        for content in self.contents:
            for file in content.files(kind):
                register(file)

    @hookimpl
    def register_themes(self, register):
        self._register("theme", register)

    @hookimpl
    def register_definitions(self, register):
        self._register("definition", register)

    @hookimpl
    def register_clauses(self, register):
        self._register("clause", register)

    @hookimpl
    def register_sectors(self, register):
        self._register("sector", register)
