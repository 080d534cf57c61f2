"""The draft spec: read a spec file with line-precise errors, complete one made in code, and
write one for a sector (init)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from . import params
from .errors import ClausegenError, ContentError, SpecError, suggest
from .model import AUDIENCES, LANGUAGES, POSITIONS, ClauseChoice, DraftSpec, Sector
from .planning import choose_clauses
from .tomlfile import array_key_lines, decode, key_lines, loads

TOP_KEYS = {"cao", "parties", "clause"}
CAO_KEYS = {"sector", "title", "language", "start", "end", "position", "audience", "date",
            "themes"}
PARTY_KEYS = {"employers", "unions"}
CLAUSE_KEYS = {"id", "position", "values"}


def read_spec(path: str | Path) -> DraftSpec:
    """Read and validate a spec file; every problem is a SpecError with file, line and key."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SpecError("spec file not found", file=file) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a spec file", file=file) from None
    except OSError as exc:
        raise SpecError(f"cannot read spec file: {exc.strerror}", file=file) from None
    text = decode(data, file, SpecError)
    return parse_spec(text, file)


def parse_spec(text: str, file: str = "<spec>") -> DraftSpec:
    """Parse spec text (see read_spec)."""
    if not text.strip():
        raise SpecError("the spec file is empty; `clausegen init --sector S` writes one", file=file)
    data = loads(text, file, SpecError)
    lines = key_lines(text)
    clause_lines = array_key_lines(text, "clause")    # per [[clause]]: its keys' lines

    def error(message, key=None, line=None, suggestion=None):
        return SpecError(message, file=file, line=line or (lines.get(key) if key else None),
                         key=key, suggestion=suggestion)

    def clean(text, key, line=None):
        try:
            params.check_text(text, key)
        except ClausegenError as exc:
            raise error(exc.message, key, line) from None

    def unknown(table: dict, allowed: set, prefix: str, line=None):
        for key in table:
            if key not in allowed:
                raise error(f"unknown key {prefix + key!r}", prefix + key, line,
                            suggest(key, allowed))

    def expect(value, kind, key, line=None):
        if not isinstance(value, kind):
            names = {str: "a string", list: "a list", dict: "a table", dt.date: "a date"}
            raise error(f"{key!r} must be {names.get(kind, kind.__name__)}, got {value!r}",
                        key, line)
        return value

    unknown(data, TOP_KEYS, "")
    cao = expect(data.get("cao", {}), dict, "cao")
    unknown(cao, CAO_KEYS, "cao.")
    if "sector" not in cao:
        raise error("[cao] needs a sector, e.g. sector = \"ziekenhuizen\"", "cao")
    sector = expect(cao["sector"], str, "cao.sector")

    def date(key):
        value = cao.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise error(f"'cao.{key}' must be a date like 2027-01-01 (no quotes), got {value!r}",
                        f"cao.{key}")
        return value

    language = expect(cao.get("language", "nl"), str, "cao.language")
    if language not in LANGUAGES:
        raise error(f"unknown language {language!r} (use nl or en)", "cao.language",
                    suggestion=suggest(language, LANGUAGES))
    position = expect(cao.get("position", "doel"), str, "cao.position")
    if position not in POSITIONS:
        raise error(f"unknown position {position!r} (use {', '.join(POSITIONS)})",
                    "cao.position", suggestion=suggest(position, POSITIONS))
    audience = expect(cao.get("audience", "tafel"), str, "cao.audience")
    if audience not in AUDIENCES:
        raise error(f"unknown audience {audience!r} (use {', '.join(AUDIENCES)})",
                    "cao.audience", suggestion=suggest(audience, AUDIENCES))
    start, end = date("start"), date("end")
    if start and end and end < start:
        raise error(f"end {end} is before start {start}", "cao.end")
    title = cao.get("title")
    if title is not None:
        expect(title, str, "cao.title")
        clean(title, "cao.title")
    themes = cao.get("themes", [])
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        raise error("'cao.themes' must be a list of theme ids", "cao.themes")

    parties = expect(data.get("parties", {}), dict, "parties")
    unknown(parties, PARTY_KEYS, "parties.")

    def names(key):
        if key not in parties:
            return None
        value = parties[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise error(f"'parties.{key}' must be a list of names", f"parties.{key}")
        for v in value:
            clean(v, f"parties.{key}")
        return tuple(value)

    raw_clauses = data.get("clause", [])
    if not isinstance(raw_clauses, list):
        raise error("clauses are written as [[clause]] tables", "clause")
    choices = []
    for index, raw in enumerate(raw_clauses):
        own = clause_lines[index] if index < len(clause_lines) else {}
        line = own.get("")

        def at(key: str) -> int | None:      # the line of a key of this [[clause]]
            return own.get(key, line)
        if not isinstance(raw, dict):
            raise error("each [[clause]] must be a table", "clause", line)
        for key in raw:
            if key not in CLAUSE_KEYS:
                raise error(f"unknown key {'clause.' + key!r}", "clause." + key, at(key),
                            suggest(key, CLAUSE_KEYS))
        if "id" not in raw or not isinstance(raw["id"], str):
            raise error("each [[clause]] needs id = \"theme.slug\"", "clause.id", at("id"))
        clause_position = raw.get("position")
        if clause_position is not None and clause_position not in POSITIONS:
            raise error(f"unknown position {clause_position!r}", "clause.position",
                        at("position"), suggest(str(clause_position), POSITIONS))
        values = raw.get("values", {})
        if not isinstance(values, dict):
            raise error("[clause.values] must be a table of parameter = value", "clause.values",
                        at("values"))
        choices.append(ClauseChoice(id=raw["id"], position=clause_position, values=dict(values),
                                    line=line, lines=own))
    return DraftSpec(sector=sector, language=language, position=position, audience=audience,
                     title=title,
                     start=start, end=end, date=date("date"), employers=names("employers"),
                     unions=names("unions"), clauses=choices, themes=tuple(themes), source=file,
                     source_text=text)


# ---------------------------------------------------------------- made in code (generate)


def known_sector(library, sector_id: str) -> Sector:
    """The library's sector profile of this id, or a SpecError naming the known ones."""
    try:
        return library.sector(sector_id)
    except ContentError as exc:
        raise SpecError(exc.message, suggestion=exc.suggestion) from None


def with_values(spec: DraftSpec, library,
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


# ---------------------------------------------------------------- writing (clausegen init)


def _comment(text: str) -> str:
    return " ".join(text.split())


def write_spec(plan) -> str:
    """A spec file for a plan: the position is set and the values follow it.

    Each parameter is written commented out, with its value in every position, the sector's
    current cao value, unit and bounds: a negotiator uncomments only what they change, so
    changing `position` changes every value that was not changed by hand.
    """
    spec, language = plan.spec, plan.spec.language
    out = [
        f"# Draft spec for {plan.sector.cao.get(language) or plan.sector.id}, written by "
        "`clausegen init`.",
        "# Build it: clausegen build THIS_FILE -o concept.docx",
        "# Positions: openingsbod (opening bid), doel (target), ondergrens (walk-away).",
        "# Every value follows `position` below. To set one yourself, remove the '# ' before",
        "# its line and change the number: only those values stay fixed.",
        "# audience: tafel (for the other side: no positions, no arguments) or intern",
        "# (VERTROUWELIJK: for the delegation, with arguments, annex and mandate).",
        "",
        "[cao]",
        f"sector = {params.to_toml(plan.sector.id)}",
        f"title = {params.to_toml(plan.title)}",
        f"language = {params.to_toml(language)}",
        f"start = {plan.start.isoformat()}",
        f"end = {plan.end.isoformat()}",
        f"position = {params.to_toml(spec.position)}",
        f"audience = {params.to_toml(spec.audience)}",
        f"date = {plan.date.isoformat()}    # the draft's date: fixes every date in the output",
        "",
        "[parties]",
        "employers = [" + ", ".join(params.to_toml(e) for e in plan.employers) + "]",
        "unions = [" + ", ".join(params.to_toml(u) for u in plan.unions) + "]",
    ]
    for planned in plan.clauses:
        clause = planned.clause
        if clause.always and not clause.parameters:
            continue
        title = clause.title.get(language) or clause.title.get("nl", "")
        out += ["", f"# {title}" + (" (always part of the draft)" if clause.always else ""),
                "[[clause]]", f"id = {params.to_toml(clause.id)}"]
        if planned.position != spec.position:
            out.append(f"position = {params.to_toml(planned.position)}")
        if not clause.parameters:
            continue
        out.append("[clause.values]")
        for name, param in clause.parameters.items():
            out += _parameter_lines(name, param, planned, language)
    return "\n".join(out) + "\n"


def _parameter_lines(name: str, param, planned, language: str) -> list[str]:
    step = planned.ladder[name]
    value = planned.values[name]
    label = param.label.get(language) or param.label.get("nl") or name
    bounds = []
    if param.min is not None:
        bounds.append(f"min {params.to_toml(param.min)}")
    if param.max is not None:
        bounds.append(f"max {params.to_toml(param.max)}")
    if param.choices:
        bounds.append("one of " + ", ".join(param.choices))
    if param.better:
        bounds.append(f"{param.better} is better for workers")
    lines = [f"# {_comment(label)} ({'; '.join([param.type] + bounds)})"]
    help_text = param.help.get(language) or param.help.get("nl")
    if help_text:
        lines.append(f"# {_comment(help_text)}")
    ladder = [f"{p} {params.to_toml(step.positions[p]) if step.positions[p] is not None else '-'}"
              for p in POSITIONS]
    if step.current is not None:
        ladder.append(f"current cao {params.to_toml(step.current)}")
    lines.append(f"#   {', '.join(ladder)}")
    if value.source == "spec":      # given by hand before (a spec rebuilt from a plan): keep it
        lines.append(f"{name} = {params.to_toml(value.value)}")
    elif value.value is None:
        lines.append(f"# {name} = ...    # no value in this position: fill this in")
    else:
        lines.append(f"# {name} = {params.to_toml(value.value)}")
    return lines
