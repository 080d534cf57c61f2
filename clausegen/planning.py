"""From a spec to a validated plan: sector, clauses in order, positions, values and their sources."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from . import params
from .errors import ClausegenError, ContentError, ParameterError, PluginError, SpecError, suggest
from .library import Library
from .model import (AUDIENCES, DIRECTIONS, LANGUAGES, LEVELS, POSITIONS, Clause, ClauseChoice,
                    DraftSpec, Finding, Parameter, ParameterPositions, Plan, PlannedClause,
                    PlannedValue, Sector)
from .markup import missing
from .vocabulary import FINDING_WORDS

FRAME_THEME = "algemeen"       # chapter 1: begripsbepalingen and the frame articles
DEFINITIONS_KEY = "begripsbepalingen"
FIRST_YEAR = 1900              # no draft is dated, starts or ends before it


def _spec_error(spec: DraftSpec, message: str, line: int | None = None, key: str | None = None,
                suggestion: str | None = None) -> SpecError:
    """An error in the spec; its line is found from the key when the spec came from a file."""
    if line is None and key and spec.source_text:
        from .tomlfile import key_lines
        line = key_lines(spec.source_text).get(key)
    return SpecError(message, file=spec.source, line=line, key=key, suggestion=suggestion)


def choose_clauses(spec: DraftSpec, library: Library) -> list[ClauseChoice]:
    """The clauses a spec asks for: its own list, or the sector's recommended set (per theme)."""
    if spec.clauses and spec.themes:
        raise _spec_error(spec, "themes and a list of clauses together: the list is the draft, "
                                "so themes would be ignored; remove one of them",
                          key="cao.themes")
    if spec.clauses:
        return list(spec.clauses)
    sector = library.sector(spec.sector)
    library = library.for_sector(sector.id)
    for theme in spec.themes:
        if theme not in library.themes:
            raise _spec_error(spec, f"unknown theme {theme!r}", key="cao.themes",
                              suggestion=suggest(theme, library.themes))
    for cid in sector.recommended:
        try:
            library.clause(cid)
        except ContentError as exc:
            raise ContentError(f"sector {sector.id!r} recommends {exc.message}",
                               file=sector.provenance.file,
                               line=sector.lines.get("recommended"),
                               suggestion=exc.suggestion) from None
    chosen = [cid for cid in sector.recommended
              if not spec.themes or library.clause(cid).theme in spec.themes]
    for theme in spec.themes:  # a theme the sector recommends nothing in: take all of it
        if not any(library.clause(cid).theme == theme for cid in chosen):
            chosen += [c.id for c in library.sorted_clauses(theme)
                       if not set(c.excludes) & set(chosen)
                       and not any(c.id in library.clause(o).excludes for o in chosen)]
    return [ClauseChoice(id=cid) for cid in chosen]



# ---------------------------------------------------------------- made in code (generate)


def known_sector(library: Library, sector_id: str) -> Sector:
    """The library's sector profile of this id, or a SpecError naming the known ones (a
    sector chosen on the command line or the web page: no spec key to point at)."""
    try:
        return library.sector(sector_id)
    except ContentError as exc:
        raise SpecError(exc.message, suggestion=exc.suggestion) from None


def sector_for_clause(library: Library, clause_id: str, sector_id: str | None) -> str:
    """The sector one clause is shown with (`clausegen show`): the one asked for, else the
    first sector the clause is in force in (an override with an id of its own exists only
    there), else the first sector. Errors name an unknown clause first, then an unknown or
    unfit sector."""
    if sector_id and sector_id not in library.sectors:
        library.clause(clause_id)
        known_sector(library, sector_id)
    if not library.sectors:
        library.clause(clause_id)
        raise ClausegenError("no sector profiles are registered; nothing to render with")
    where = library.sectors_with_clause(clause_id)
    chosen = sector_id or (where or sorted(library.sectors))[0]
    if where and library.for_sector(chosen).find_clause(clause_id) is None:
        raise ClausegenError(
            f"clause {clause_id!r} is an override in force only in sector "
            f"{', '.join(where)}, not in sector {chosen!r}; pass --sector {where[0]}")
    return chosen


def with_values(spec: DraftSpec, library: Library,
                values: dict[str, dict[str, Any]]) -> tuple[DraftSpec, list[str]]:
    """A spec made in code (`clausegen generate`'s options, the test fixtures), made as
    explicit as a spec file: its clauses listed (its own list, or the sector's recommended
    ones for its themes), the frame clauses too so that values reach them, and `values`
    ({clause id: {parameter: value}}) given to the clauses they name, through the sector's
    overrides. Returns the new spec and the ids in `values` whose clause is not in the draft,
    for the caller to say how to add it. An unknown sector or clause id raises."""
    known_sector(library, spec.sector)
    library = library.for_sector(spec.sector)     # the overrides in force for this sector
    choices = [dataclasses.replace(c, values=dict(c.values))
               for c in choose_clauses(spec, library)]
    chosen = {library.clause(c.id).id for c in choices}
    choices += [ClauseChoice(id=c.id) for c in library.sorted_clauses()  # frame: settable too
                if c.always and c.id not in chosen]
    by_id = {library.clause(c.id).id: c for c in choices}
    outside = []
    for clause_id, given in values.items():
        real = library.clause(clause_id).id     # a misspelt id: ContentError with a suggestion
        if real in by_id:
            by_id[real].values.update(given)
        else:
            outside.append(clause_id)
    return dataclasses.replace(spec, clauses=choices), outside

def plan_draft(spec: DraftSpec, library: Library) -> Plan:
    """Validate a spec against the library and decide every clause, number and value."""
    _check_choices(spec)
    sector = _sector_of(spec, library)
    library = library.for_sector(sector.id)     # the overrides in force for this sector
    date, start, end = _dates(spec)
    findings: list[Finding] = []
    requested = _requested_clauses(spec, library, findings)
    sector_values = SectorValues(sector, library)
    planned = [_plan_clause(library.clause(cid), choice, spec, sector_values,
                            library.replacements.get(cid))
               for cid, choice in requested.items()]
    findings += _deprecations(planned, sector, spec.language)
    findings += _position_findings(planned, sector, spec.language)
    findings += _all_sector_overrides(planned, spec.language)
    _check_language(planned, spec.language)
    themes, chapters = _order(planned, library)
    years = str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    plan = Plan(spec=spec, sector=sector,
                title=spec.title or f"{sector.cao.get(spec.language) or sector.cao.get('nl')} "
                                    f"{years}",
                start=start, end=end, date=date,
                employers=tuple(spec.employers if spec.employers is not None else sector.employers),
                unions=tuple(spec.unions if spec.unions is not None else sector.unions),
                themes=themes, clauses=chapters,
                definitions=_definitions(planned, library, spec.language), findings=findings)
    plan = _adjust(plan, library)
    _number(plan)
    plan.findings = list(plan.findings) + run_checks(plan, library)   # an adjuster's kept
    return plan


def _check_choices(spec: DraftSpec) -> None:
    """The spec's language, position and audience are ones clausegen knows."""
    if spec.language not in LANGUAGES:
        raise _spec_error(spec, f"unknown language {spec.language!r} (use nl or en)",
                          key="cao.language", suggestion=suggest(spec.language, LANGUAGES))
    if spec.position not in POSITIONS:
        raise _spec_error(spec, f"unknown position {spec.position!r} "
                          f"(use {', '.join(POSITIONS)})", key="cao.position",
                          suggestion=suggest(spec.position, POSITIONS))
    if spec.audience not in AUDIENCES:
        raise _spec_error(spec, f"unknown audience {spec.audience!r} "
                          f"(use {', '.join(AUDIENCES)})", key="cao.audience",
                          suggestion=suggest(spec.audience, AUDIENCES))


def _sector_of(spec: DraftSpec, library: Library) -> Sector:
    """The spec's sector profile; an unknown one is an error in the spec."""
    try:
        return library.sector(spec.sector)
    except ContentError as exc:
        raise _spec_error(spec, exc.message, key="cao.sector",
                          suggestion=exc.suggestion) from None


def _dates(spec: DraftSpec) -> tuple[dt.date, dt.date, dt.date]:
    """The draft's date, start and end: given or defaulted (next 1 January, two years), and
    a looptijd a cao can have."""
    for key, day in (("cao.date", spec.date), ("cao.start", spec.start), ("cao.end", spec.end)):
        # Word keeps the draft's date as a four-digit year (comments, document properties)
        if day is not None and day.year < FIRST_YEAR:
            raise _spec_error(spec, f"{key[4:]} {day.isoformat()} lies before {FIRST_YEAR}: a "
                              f"draft's dates lie between {FIRST_YEAR} and 9999", key=key)
    date = spec.date or dt.date.today()
    start = spec.start or dt.date(date.year + 1, 1, 1)
    try:
        end = spec.end or _years_later(start, 2) - dt.timedelta(days=1)
    except (ValueError, OverflowError):
        raise _spec_error(spec, f"start {start.isoformat()} is too late: the looptijd would end "
                          "after the year 9999", key="cao.start") from None
    if end < start:
        raise _spec_error(spec, f"end {end.isoformat()} is before start {start.isoformat()}",
                          key="cao.end")
    if (end - start).days > 5 * 366:
        raise _spec_error(spec, "a cao runs at most 5 years (artikel 18 Wet op de cao)",
                          key="cao.end")
    return date, start, end


def _requested_clauses(spec: DraftSpec, library: Library,
                       findings: list[Finding]) -> dict[str, ClauseChoice]:
    """The draft's clauses by id: the chosen ones, those always in, and what they require
    (each added one an info finding); none listed twice, none excluding another."""
    requested: dict[str, ClauseChoice] = {}
    for choice in choose_clauses(spec, library):
        try:
            clause = library.clause(choice.id)
        except ContentError as exc:
            raise _spec_error(spec, exc.message, line=choice.lines.get("id", choice.line),
                              key="clause.id",
                              suggestion=exc.suggestion) from None
        if clause.id in requested:
            raise _spec_error(spec, f"clause {clause.id!r} is listed twice", line=choice.line)
        requested[clause.id] = choice
    for clause in library.clauses.values():
        if clause.always and clause.id not in requested:
            requested[clause.id] = ClauseChoice(id=clause.id)
    _close_requires(requested, library, findings, spec.language)
    ids = set(requested)
    for cid in sorted(ids):
        for other in library.clause(cid).excludes:
            if other in ids:
                raise _spec_error(spec, f"clauses {cid!r} and {other!r} exclude each other; "
                                  "choose one", line=requested[cid].line)
    return requested


def _check_language(planned: list[PlannedClause], language: str) -> None:
    """Every planned clause has a text in the draft's language."""
    for p in planned:
        if language not in p.clause.text:
            raise ContentError(f"clause {p.clause.id!r} has no {language} text",
                               file=p.clause.provenance.file)


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _close_requires(requested: dict[str, ClauseChoice], library: Library,
                    findings: list[Finding], language: str) -> None:
    """Add what the requested clauses require, each added one an info finding."""
    queue = list(requested)
    while queue:
        cid = queue.pop(0)
        clause = library.clause(cid)
        for needed in clause.requires:
            try:
                target = library.clause(needed).id
            except ContentError as exc:
                raise ContentError(f"clause {cid!r} requires {exc.message}",
                                   file=clause.provenance.file,
                                   line=clause.lines.get("requires"),
                                   suggestion=exc.suggestion) from None
            if target not in requested:
                requested[target] = ClauseChoice(id=target)
                queue.append(target)
                findings.append(Finding(
                    level="info", code="added-required", clause=target,
                    message=FINDING_WORDS[language]["added"].format(target=target, by=cid)))


class SectorValues:
    """A sector profile's values, validated: its current cao and its own value per position.

    `current` and `positions[p]` map clause id -> {parameter: value}. A deprecated [overrides]
    entry counts as the sector's value in every position that does not set its own, which is
    what it always meant.
    """

    def __init__(self, sector: Sector, library: Library):
        self.sector = sector
        self.current = self._table(sector.current, "current", library)
        legacy = self._table(sector.overrides, "overrides", library)
        self.positions: dict[str, dict[str, dict[str, Any]]] = {}
        for position in POSITIONS:
            own = self._table(sector.positions.get(position, {}), f"positions.{position}",
                              library)
            merged = {cid: dict(values) for cid, values in legacy.items()}
            for cid, values in own.items():
                merged.setdefault(cid, {}).update(values)
            self.positions[position] = merged

    def _table(self, table: dict[str, Any], path: str, library: Library):
        sector = self.sector
        values: dict[str, dict[str, Any]] = {}
        for key, raw in table.items():
            clause_id, _, name = key.rpartition(".")
            file = sector.provenance.file
            line = sector.lines.get(f"{path}.{key}")
            try:
                clause = library.clause(clause_id)
            except ContentError as exc:
                raise ContentError(f"sector {sector.id!r}, {path} {key!r}: {exc.message}",
                                   file=file, line=line, suggestion=exc.suggestion) from None
            name = clause.parameter_map.get(name, name)   # a replaced clause's parameter
            if name not in clause.parameters:
                raise ContentError(f"sector {sector.id!r}, {path}: unknown parameter {key!r}",
                                   file=file, line=line,
                                   suggestion=suggest(name, clause.parameters))
            try:
                value = params.validate(clause.parameters[name], raw, what=f"{path}.{key}")
            except ClausegenError as exc:
                raise ContentError(exc.message, file=file, line=line) from None
            values.setdefault(clause.id, {})[name] = value
        return values

    def ladder(self, clause: Clause) -> dict[str, ParameterPositions]:
        """Per parameter of a clause: every position's value for this sector, and its source."""
        return ladder_for(clause, {p: self.positions[p].get(clause.id, {}) for p in POSITIONS},
                          self.current.get(clause.id, {}))


def ladder_for(clause: Clause, sector_positions: dict[str, dict[str, Any]] | None = None,
               current: dict[str, Any] | None = None) -> dict[str, ParameterPositions]:
    """Per parameter: each position's value and source (clause default < clause position <
    the sector's own value for that position), with the sector's current cao value."""
    sector_positions, current = sector_positions or {}, current or {}
    # per position, the clause's own values and the sector's: looked up once, not per parameter
    tables = [(position, clause.positions.get(position, {}), sector_positions.get(position, {}))
              for position in POSITIONS]
    result = {}
    for name, param in clause.parameters.items():
        values, sources = {}, {}
        for position, own, sector in tables:
            if name in sector:
                values[position], sources[position] = sector[name], "sector"
            elif name in own:
                values[position], sources[position] = own[name], "position"
            else:
                values[position], sources[position] = param.default, "default"
        result[name] = ParameterPositions(clause=clause.id, param=param, positions=values,
                                          sources=sources, current=current.get(name))
    return result


def worse(param: Parameter, value: Any, than: Any) -> bool:
    """True when `value` is worse for workers than `than` (False when either is unknown)."""
    if value is None or than is None or param.better not in DIRECTIONS:
        return False
    return value < than if param.better == "higher" else value > than


def order_problems(ladder: ParameterPositions) -> list[str]:
    """What is wrong with the order of a parameter's positions: each position must be at least
    as good for workers as the next (openingsbod >= doel >= ondergrens)."""
    problems = []
    for stronger, weaker in zip(POSITIONS, POSITIONS[1:]):
        a, b = ladder.positions[stronger], ladder.positions[weaker]
        if worse(ladder.param, a, b):
            problems.append(f"{stronger} {params.plain(a)} is worse for workers than "
                            f"{weaker} {params.plain(b)} (better = {ladder.param.better})")
    return problems


def _plan_clause(clause: Clause, choice: ClauseChoice, spec: DraftSpec,
                 sector_values: SectorValues, replaces: Clause | None = None) -> PlannedClause:
    position = choice.position or spec.position
    if position not in POSITIONS:
        raise _spec_error(spec, f"clause {clause.id!r}: unknown position {position!r}",
                          line=choice.lines.get("position", choice.line), key="position", suggestion=suggest(position, POSITIONS))
    ladder = sector_values.ladder(clause)
    values = {name: PlannedValue(step.positions[position], step.sources[position])
              for name, step in ladder.items()}
    for given, raw in choice.values.items():
        name = clause.parameter_map.get(given, given)   # a replaced clause's parameter
        line = choice.lines.get(f"values.{given}", choice.line)
        if name not in clause.parameters:
            raise _spec_error(spec, f"clause {clause.id!r} has no parameter {name!r}",
                              line=line, key=f"{clause.id}.{name}",
                              suggestion=suggest(name, clause.parameters))
        try:
            value = params.validate(clause.parameters[name], raw, what=f"{clause.id}.{name}")
        except ParameterError as exc:
            raise _spec_error(spec, exc.message, line=line, key=f"{clause.id}.{name}",
                              suggestion=exc.suggestion) from None
        values[name] = PlannedValue(value, "spec")
    return PlannedClause(clause=clause, position=position, values=values, ladder=ladder,
                         replaces=replaces)


def _all_sector_overrides(planned: list[PlannedClause], language: str) -> list[Finding]:
    """A clause in force for every sector (`scope = "all"`) is said on every run that uses it:
    whoever drafts for another sector should know a plugin replaced a library clause."""
    words = FINDING_WORDS[language]["all_sectors"]
    return [Finding(level="warning", code="override-all-sectors", clause=p.clause.id,
                    message=words.format(new=p.clause.id, old=p.replaces.id,
                                         plugin=p.clause.provenance.label,
                                         was=p.replaces.provenance.label))
            for p in planned if p.replaces is not None and p.clause.scope == "all"]




def _position_findings(planned: list[PlannedClause], sector: Sector,
                       language: str) -> list[Finding]:
    """A value worse for workers than the sector's current cao (a union never opens below what
    it has; a walk-away below it is a trade that needs a note), and a sector's own position
    values that break the order of the positions (`clausegen check` says so too)."""
    words = FINDING_WORDS[language]
    findings = []
    for p in planned:
        for name, value in p.values.items():
            step = p.ladder[name]
            if worse(step.param, value.value, step.current):
                findings.append(Finding(
                    level="warning", code="below-current-cao", clause=p.clause.id,
                    message=words["below"].format(
                        name=name, sector=sector.id,
                        what=p.position if value.source != "spec" else words["given"],
                        shown=params.format_value(step.param.type, value.value, language),
                        now=params.format_value(step.param.type, step.current, language))))
            if "sector" in step.sources.values():
                findings += [Finding(level="error", code="position-order", clause=p.clause.id,
                                     message=words["order"].format(name=name, sector=sector.id,
                                                                   problem=problem))
                             for problem in order_problems(step)]
    return findings


def _deprecations(planned: list[PlannedClause], sector: Sector,
                  language: str) -> list[Finding]:
    """Old keys a sector or clause file still uses, in the draft's language (the intern
    version lists them with the other findings)."""
    words = FINDING_WORDS[language]
    findings = []
    if sector.overrides:
        findings.append(Finding(level="warning", code="deprecated-key",
                                message=words["deprecated_overrides"].format(
                                    file=sector.provenance.file or sector.id)))
    for p in planned:
        for old, new in p.clause.deprecated:
            findings.append(Finding(level="warning", code="deprecated-key", clause=p.clause.id,
                                    message=words["deprecated_key"].format(
                                        file=p.clause.provenance.file or p.clause.id,
                                        old=old, new=new)))
    return findings


def _order(planned: list[PlannedClause], library: Library):
    """Chapters in theme order; inside a chapter by the clauses' `order`, then as requested."""
    themes = {p.clause.theme for p in planned}
    for p in planned:
        if p.clause.theme not in library.themes:
            raise ContentError(f"clause {p.clause.id!r} uses theme {p.clause.theme!r}, which no "
                               "plugin registered",
                               file=p.clause.provenance.file,
                               line=p.clause.lines.get("theme"),
                               suggestion=suggest(p.clause.theme, library.themes))
    ordered_themes = sorted((library.themes[t] for t in themes), key=lambda t: (t.order, t.id))
    rank = {t.id: i for i, t in enumerate(ordered_themes)}
    index = {id(p): i for i, p in enumerate(planned)}
    ordered = sorted(planned, key=lambda p: (rank[p.clause.theme], p.clause.order,
                                             index[id(p)]))
    return ordered_themes, ordered


def _definitions(planned: list[PlannedClause], library: Library, language: str):
    used: dict[str, Any] = {}
    for p in planned:
        for def_id in p.clause.definitions:
            if def_id not in library.definitions:
                raise ContentError(f"clause {p.clause.id!r} uses unknown definition {def_id!r}",
                                   file=p.clause.provenance.file,
                                   line=p.clause.lines.get("definitions"),
                                   suggestion=suggest(def_id, library.definitions))
            used[def_id] = library.definitions[def_id]
    return sorted(used.values(), key=lambda d: (d.term.get(language) or d.term.get("nl", "")).lower())


def chapter_keys(plan: Plan) -> list[tuple[str, list[str]]]:
    """(theme id, article keys) per chapter; chapter 1 opens with the begripsbepalingen."""
    chapters: list[tuple[str, list[str]]] = []
    for theme in plan.themes:
        keys = [p.clause.id for p in plan.clauses if p.clause.theme == theme.id]
        chapters.append((theme.id, keys))
    if plan.definitions:
        if chapters and chapters[0][0] == FRAME_THEME:
            chapters[0][1].insert(0, DEFINITIONS_KEY)
        else:
            chapters.insert(0, (FRAME_THEME, [DEFINITIONS_KEY]))
    return chapters


def _number(plan: Plan) -> None:
    """Give every planned clause its article number in this draft ("12" or "3.2")."""
    per_chapter = plan.sector.article_numbering == "per_chapter"
    counter = 0
    by_id = {p.clause.id: p for p in plan.clauses}
    for chapter, (_, keys) in enumerate(chapter_keys(plan), 1):
        for i, key in enumerate(keys, 1):
            counter += 1
            if key in by_id:
                by_id[key].number = f"{chapter}.{i}" if per_chapter else str(counter)
                by_id[key].chapter = chapter


def article_numbers(plan: Plan) -> dict[str, str]:
    """Article number per key, the begripsbepalingen included."""
    numbers = {p.clause.id: p.number for p in plan.clauses}
    for chapter, (_, keys) in enumerate(chapter_keys(plan), 1):
        if DEFINITIONS_KEY in keys:
            numbers[DEFINITIONS_KEY] = (f"{chapter}.1" if plan.sector.article_numbering
                                        == "per_chapter" else "1")
    return numbers


def _adjust(plan: Plan, library: Library) -> Plan:
    for provenance, function in library.plan_adjusters:
        try:
            result = function(plan=plan)
        except Exception as exc:
            raise PluginError(f"plugin {provenance.label}: adjust_plan raised "
                              f"{type(exc).__name__}: {exc}") from None
        if result is not None:
            if not isinstance(result, Plan):
                raise PluginError(f"plugin {provenance.label}: adjust_plan returned "
                                  f"{type(result).__name__}, expected a Plan or None")
            plan = result
        for finding in plan.findings:
            problem = _finding_problem(finding)
            if problem:
                raise PluginError(f"plugin {provenance.label}: adjust_plan left {problem} in "
                                  "the plan's findings")
    return plan


def _finding_problem(finding: Any) -> str | None:
    """What is wrong with something given as a Finding (from a check or an adjuster), or None:
    it must be a Finding of a known level, with text a draft can hold."""
    if not isinstance(finding, Finding) or finding.level not in LEVELS:
        return f"{finding!r}, not a Finding with level {' / '.join(LEVELS)}"
    for name in ("code", "message", "clause", "law", "check"):
        value = getattr(finding, name)
        try:
            if isinstance(value, str):
                params.check_text(value, f"a finding whose {name}")
        except ClausegenError as exc:
            return exc.message
    return None


def run_checks(plan: Plan, library: Library) -> list[Finding]:
    """Run every registered check; a check that raises becomes an error finding naming it."""
    findings: list[Finding] = []
    for check in library.checks:
        who = check.provenance.label
        try:
            for finding in check.function(plan) or ():
                problem = _finding_problem(finding)
                if problem:
                    raise PluginError(f"returned {problem}")
                findings.append(dataclasses.replace(finding, check=finding.check or check.name))
        except Exception as exc:
            findings.append(Finding(level="error", code="check-failed", check=check.name,
                                    message=f"check {check.name} (plugin {who}) failed: "
                                            f"{type(exc).__name__}: {exc}"))
    return findings


def missing_values(plan: Plan) -> list[tuple[str, str]]:
    """(clause id, parameter) for every value still to be filled in."""
    return [(p.clause.id, name) for p in plan.clauses for name, v in p.values.items()
            if v.value is None]


def template_values(planned: PlannedClause, *, internal: bool = False) -> dict[str, Any]:
    """The values a clause template sees; a value still missing becomes a placeholder marker.

    Every template also sees `current` (the sector's current cao values it has: public facts).
    Only the internal arguments (`internal=True`) see `positions`, every position's value for
    this sector: text and explanation cannot name another position's number even by mistake.
    """
    def shown(name: str, value: Any) -> Any:
        return value if value is not None else missing(f"{planned.clause.id}.{name}")
    values = {name: shown(name, v.value) for name, v in planned.values.items()}
    values["current"] = {name: step.current for name, step in planned.ladder.items()
                         if step.current is not None}
    if internal:
        values["positions"] = {position: {name: shown(name, step.positions[position])
                                          for name, step in planned.ladder.items()}
                               for position in POSITIONS}
    return values
