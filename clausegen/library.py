"""The registry of everything plugins contributed: ids, provenance, collisions and lookups."""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any, Callable

from .content import read_file
from .errors import ContentError, PluginError, suggest
from .model import Check, Clause, Definition, Provenance, Sector, Theme

ITEM_TYPES = {"theme": Theme, "clause": Clause, "definition": Definition, "sector": Sector}


class RegistrationError(PluginError):
    """An item the registry refuses, with what `clausegen check` needs to say it its own way:
    the id is taken (`taken_by`: the item holding it; `fix`: how to replace it instead), or the
    clause an override names / the sector a profile replaces is not registered (`missing`:
    that id; the error's suggestion names a registered one close to it).
    """

    def __init__(self, message: str, *, taken_by: Any = None, fix: str = "", missing: str = "",
                 **where):
        super().__init__(message, **where)
        self.taken_by, self.fix, self.missing = taken_by, fix, missing


def is_file(kind: str, item: Any) -> bool:
    """What register(x) was given: True for a file to read (a path or package resource), False
    for a model object of the kind; anything else is a PluginError."""
    if isinstance(item, (str, Path)) or hasattr(item, "read_bytes"):
        return True
    if isinstance(item, ITEM_TYPES[kind]):
        return False
    raise PluginError(f"expected a path to a {kind} file or a {ITEM_TYPES[kind].__name__}, "
                      f"got {type(item).__name__}")


class Library:
    """Themes, clauses, definitions, sectors, checks and filters, each tagged with its plugin.

    Built once per run by the plugin host (`plugin_host.load_library`); read-only after.
    """

    def __init__(self) -> None:
        self.themes: dict[str, Theme] = {}
        self.clauses: dict[str, Clause] = {}
        self.definitions: dict[str, Definition] = {}
        self.sectors: dict[str, Sector] = {}
        self.checks: list[Check] = []
        self.filters: dict[str, Callable[..., str]] = {}
        self.filter_sources: dict[str, Provenance] = {}
        # clause id -> id of the clause that replaced it (a sector plugin's override)
        self.replaced: dict[str, str] = {}
        # overriding clause id -> the clause it replaced, where the override is in force
        self.replacements: dict[str, Clause] = {}
        # Overrides scoped to some sectors, in load order: `for_sector` applies them.
        self.scoped_overrides: list[Clause] = []
        self._views: dict[str, Library] = {}
        self._base: Library | None = None
        # (provenance, function) for the per-draft hooks, in the order they are called
        self.plan_adjusters: list[tuple[Provenance, Callable]] = []
        self.docx_finalizers: list[tuple[Provenance, Callable]] = []

    # ---------------------------------------------------------------- registration

    def add(self, kind: str, item: Any, provenance: Provenance) -> None:
        """Register one item (or the items of one file) of a kind, tagged with its provenance.

        A taken id, or an override or replacement of something not registered, is a
        RegistrationError; the items of a file before it stay registered.
        """
        if is_file(kind, item):
            items = read_file(kind, item)
            file = str(item)
            fresh = True            # made for this call: tagged in place
        else:
            items = [item]
            file = item.provenance.file
            fresh = False           # the plugin's own object: tagged on a copy
        tagged = dataclasses.replace(provenance, file=file)
        for one in items:
            if fresh:
                one.provenance = tagged
            else:
                one = dataclasses.replace(one, provenance=tagged)
            getattr(self, f"_add_{kind}")(one)

    def copy(self) -> "Library":
        """A library holding what this one holds, to register more into (`clausegen check
        PATH` adds the files it lints to the loaded library); this one is left as it is."""
        other = copy.copy(self)
        for name, value in vars(self).items():     # every registry its own, whatever is added
            if isinstance(value, (dict, list)):
                setattr(other, name, copy.copy(value))
        other._views, other._base = {}, None
        return other

    def _collision(self, kind: str, new: Any, old: Any) -> RegistrationError:
        fix = {"clause": f"; set overrides = \"{new.id}\" to replace it",
               "sector": f"; set replaces = \"{new.id}\" to replace it"}.get(kind, "")
        return RegistrationError(
            f"{kind} id {new.id!r} from {_who(new)} is already registered by {_who(old)}{fix}",
            file=new.provenance.file, taken_by=old, fix=fix)

    def _missing(self, kind: str, new: Any, target: str, verb: str,
                 known: dict) -> RegistrationError:
        return RegistrationError(f"{kind} {new.id!r} from {_who(new)} {verb} {target!r}, "
                                 "which no plugin registered", file=new.provenance.file,
                                 suggestion=suggest(target, known), missing=target)

    def _add_theme(self, theme: Theme) -> None:
        if theme.id in self.themes:
            raise self._collision("theme", theme, self.themes[theme.id])
        self.themes[theme.id] = theme

    def _add_definition(self, definition: Definition) -> None:
        if definition.id in self.definitions:
            raise self._collision("definition", definition, self.definitions[definition.id])
        self.definitions[definition.id] = definition

    def _add_clause(self, clause: Clause) -> None:
        target = clause.overrides
        if target:
            if self.find_clause(target) is None:
                raise self._missing("clause", clause, target, "overrides", self.clauses)
            if clause.scope == "all":
                self._replace(clause)
                return
            # scoped: every other sector keeps the clause; `for_sector` swaps it in
            taken = [c for c in self.scoped_overrides if c.id == clause.id and c.id != target]
            if clause.id != target and (clause.id in self.clauses or taken):
                raise self._collision("clause", clause,
                                      self.clauses.get(clause.id) or taken[0])
            self.scoped_overrides.append(clause)
            return
        if clause.id in self.clauses:
            raise self._collision("clause", clause, self.clauses[clause.id])
        self.clauses[clause.id] = clause

    def _replace(self, clause: Clause) -> None:
        """Put an override in the place of the clause it names, everywhere in this library."""
        target = clause.overrides
        old_id = self.replaced.get(target, target)
        old = self.clauses.pop(old_id)
        self.replacements[clause.id] = old
        for key, value in list(self.replaced.items()):
            if value == old_id:
                self.replaced[key] = clause.id
        if target != clause.id:
            self.replaced[target] = clause.id
        self.clauses[clause.id] = clause

    def overrides_for(self, sector: Sector) -> list[Clause]:
        """The scoped overrides that apply to a sector's drafts, in load order."""
        def applies(clause: Clause) -> bool:
            if clause.scope:
                return sector.id in clause.scope
            return clause.provenance.plugin == sector.provenance.plugin
        return [c for c in self.scoped_overrides if applies(c)]

    def for_sector(self, sector_id: str) -> "Library":
        """This library as a sector's draft sees it: the overrides scoped to that sector in
        force, every other sector's left out. An unknown sector gets the library itself."""
        if self._base is not None:
            return self._base.for_sector(sector_id)
        if sector_id in self._views:
            return self._views[sector_id]
        sector = self.sectors.get(sector_id)
        applying = self.overrides_for(sector) if sector is not None else []
        if not applying:
            return self
        view = self.copy()
        view.scoped_overrides, view._base = [], self
        for clause in applying:
            view._replace(clause)
        self._views[sector_id] = view
        return view

    def sectors_with_clause(self, clause_id: str) -> list[str]:
        """The sector ids (sorted) whose drafts have a clause under exactly this id: every
        sector for a library clause that no override replaces there, only the sectors an
        override is in force in for the override's own id."""
        base = self._base or self
        return [s for s in sorted(base.sectors) if clause_id in base.for_sector(s).clauses]

    def _add_sector(self, sector: Sector) -> None:
        if sector.replaces:
            if sector.replaces not in self.sectors:
                raise self._missing("sector", sector, sector.replaces, "replaces",
                                    self.sectors)
            del self.sectors[sector.replaces]
        if sector.id in self.sectors:
            raise self._collision("sector", sector, self.sectors[sector.id])
        self.sectors[sector.id] = sector

    def add_check(self, name: str, function: Callable, description: str,
                  provenance: Provenance, floors: dict | None = None) -> None:
        if not isinstance(name, str) or not callable(function):
            raise PluginError("register_checks: call register(name, function, description)")
        floors = dict(floors or {})
        if not all(isinstance(k, str) and isinstance(v, tuple) and len(v) == 2
                   and isinstance(v[1], str) for k, v in floors.items()):
            raise PluginError(f"register_checks {name!r}: floors must map \"clause.param\" to "
                              "(value, citation)")
        self.checks.append(Check(name=name, function=function, description=description or "",
                                 provenance=provenance, floors=floors))

    def floors(self) -> dict[str, tuple[Any, str]]:
        """The legal limit per "clause.param" that the checks declare: (value, citation)."""
        return {key: limit for check in self.checks for key, limit in check.floors.items()}

    def add_filter(self, name: str, function: Callable, provenance: Provenance) -> None:
        if not isinstance(name, str) or not name.isidentifier() or not callable(function):
            raise PluginError("register_template_filters: call register(name, function) "
                              "with an identifier as name")
        from .filters import RESERVED_FILTERS
        if name in RESERVED_FILTERS:    # clausegen's own and the Jinja filters clauses use
            raise PluginError(f"template filter {name!r} is built in and cannot be replaced")
        if name in self.filters:
            raise PluginError(f"template filter {name!r} is already registered by "
                              f"{self.filter_sources[name].label}")
        self.filters[name] = function
        self.filter_sources[name] = provenance

    # ---------------------------------------------------------------- lookups

    def find_clause(self, clause_id: str) -> Clause | None:
        """The clause with this id (following overrides), or None."""
        return self.clauses.get(self.replaced.get(clause_id, clause_id))

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id (following overrides), or a ContentError with a suggestion."""
        found = self.find_clause(clause_id)
        if found is None:
            clause_id = self.replaced.get(clause_id, clause_id)
            raise ContentError(f"unknown clause {clause_id!r}",
                               suggestion=suggest(clause_id, self.clauses))
        return found

    def sector(self, sector_id: str) -> Sector:
        try:
            return self.sectors[sector_id]
        except KeyError:
            known = ", ".join(sorted(self.sectors)) or "none registered"
            raise ContentError(f"unknown sector {sector_id!r} (known: {known})",
                               suggestion=suggest(sector_id, self.sectors)) from None

    def theme(self, theme_id: str) -> Theme:
        try:
            return self.themes[theme_id]
        except KeyError:
            raise ContentError(f"unknown theme {theme_id!r}",
                               suggestion=suggest(theme_id, self.themes)) from None

    def sorted_themes(self) -> list[Theme]:
        return sorted(self.themes.values(), key=lambda t: (t.order, t.id))

    def sorted_clauses(self, theme: str | None = None) -> list[Clause]:
        order = {t.id: (t.order, t.id) for t in self.themes.values()}
        chosen = [c for c in self.clauses.values() if theme is None or c.theme == theme]
        return sorted(chosen, key=lambda c: (order.get(c.theme, (999, c.theme)), c.id))


def _who(item: Any) -> str:
    prov = item.provenance
    where = f" ({prov.file})" if prov.file else ""
    return f"plugin {prov.label}{where}"
