"""The draft spec: read a spec file with line-precise errors, and write one for a sector (init).

A spec made in code (`generate`'s options) is completed by planning.with_values, which
knows the sector's recommended and frame clauses."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import params
from .errors import ClausegenError, SpecError, suggest
from .model import AUDIENCES, LANGUAGES, POSITIONS, ClauseChoice, DraftSpec
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
    reader = _SpecReader(text, file)
    reader.unknown(data, TOP_KEYS, "")
    cao = reader.expect(data.get("cao", {}), dict, "cao")
    fields = _cao(reader, cao)
    parties = reader.expect(data.get("parties", {}), dict, "parties")
    reader.unknown(parties, PARTY_KEYS, "parties.")
    clauses = _clauses(reader, data.get("clause", []), array_key_lines(text, "clause"))
    # the draft's date and the parties are checked after the clauses: a file with several
    # mistakes reports the same one first as it always did
    return DraftSpec(**fields, date=_date(reader, cao, "date"),
                     employers=_names(reader, parties, "employers"),
                     unions=_names(reader, parties, "unions"), clauses=clauses, source=file,
                     source_text=text)


class _SpecReader:
    """Checks bound to one spec text: each problem a SpecError with file, line and key."""

    def __init__(self, text: str, file: str):
        self.file = file
        self.lines = key_lines(text)

    def error(self, message: str, key: str | None = None, line: int | None = None,
              suggestion: str | None = None) -> SpecError:
        return SpecError(message, file=self.file,
                         line=line or (self.lines.get(key) if key else None), key=key,
                         suggestion=suggestion)

    def clean(self, text: str, key: str, line: int | None = None) -> None:
        try:
            params.check_text(text, key)
        except ClausegenError as exc:
            raise self.error(exc.message, key, line) from None

    def unknown(self, table: dict, allowed: set, prefix: str, line: int | None = None) -> None:
        for key in table:
            if key not in allowed:
                raise self.error(f"unknown key {prefix + key!r}", prefix + key, line,
                                 suggest(key, allowed))

    def expect(self, value: Any, kind: type, key: str, line: int | None = None) -> Any:
        if not isinstance(value, kind):
            names = {str: "a string", list: "a list", dict: "a table", dt.date: "a date"}
            raise self.error(f"{key!r} must be {names.get(kind, kind.__name__)}, got {value!r}",
                             key, line)
        return value


def _cao(reader: _SpecReader, cao: dict) -> dict[str, Any]:
    """The [cao] table as DraftSpec fields, its `date` aside (see parse_spec)."""
    reader.unknown(cao, CAO_KEYS, "cao.")
    if "sector" not in cao:
        raise reader.error("[cao] needs a sector, e.g. sector = \"ziekenhuizen\"", "cao")
    sector = reader.expect(cao["sector"], str, "cao.sector")
    language = _one_of(reader, cao, "language", "nl", LANGUAGES, "nl or en")
    position = _one_of(reader, cao, "position", "doel", POSITIONS, ", ".join(POSITIONS))
    audience = _one_of(reader, cao, "audience", "tafel", AUDIENCES, ", ".join(AUDIENCES))
    start, end = _date(reader, cao, "start"), _date(reader, cao, "end")
    if start and end and end < start:
        raise reader.error(f"end {end} is before start {start}", "cao.end")
    title = cao.get("title")
    if title is not None:
        reader.expect(title, str, "cao.title")
        reader.clean(title, "cao.title")
    themes = cao.get("themes", [])
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        raise reader.error("'cao.themes' must be a list of theme ids", "cao.themes")
    return {"sector": sector, "language": language, "position": position,
            "audience": audience, "title": title, "start": start, "end": end,
            "themes": tuple(themes)}


def _one_of(reader: _SpecReader, cao: dict, key: str, default: str, allowed: tuple,
            use: str) -> str:
    """A [cao] key that names one of a few values (language, position, audience)."""
    value = reader.expect(cao.get(key, default), str, f"cao.{key}")
    if value not in allowed:
        raise reader.error(f"unknown {key} {value!r} (use {use})", f"cao.{key}",
                           suggestion=suggest(value, allowed))
    return value


def _date(reader: _SpecReader, cao: dict, key: str) -> dt.date | None:
    value = cao.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise reader.error(f"'cao.{key}' must be a date like 2027-01-01 (no quotes), got "
                           f"{value!r}", f"cao.{key}")
    return value


def _names(reader: _SpecReader, parties: dict, key: str) -> tuple[str, ...] | None:
    """[parties] employers or unions: a list of names, or None when the spec leaves it out."""
    if key not in parties:
        return None
    value = parties[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise reader.error(f"'parties.{key}' must be a list of names", f"parties.{key}")
    for v in value:
        reader.clean(v, f"parties.{key}")
    return tuple(value)


def _clauses(reader: _SpecReader, raw_clauses: Any,
             clause_lines: list[dict[str, int]]) -> list[ClauseChoice]:
    """The [[clause]] tables; `clause_lines` holds each table's key lines, for its errors."""
    if not isinstance(raw_clauses, list):
        raise reader.error("clauses are written as [[clause]] tables", "clause")
    return [_clause(reader, raw, clause_lines[index] if index < len(clause_lines) else {})
            for index, raw in enumerate(raw_clauses)]


def _clause(reader: _SpecReader, raw: Any, own: dict[str, int]) -> ClauseChoice:
    """One [[clause]] table; `own` maps its keys to their lines ("" to its header's)."""
    line = own.get("")

    def at(key: str) -> int | None:      # the line of a key of this [[clause]]
        return own.get(key, line)
    if not isinstance(raw, dict):
        raise reader.error("each [[clause]] must be a table", "clause", line)
    for key in raw:
        if key not in CLAUSE_KEYS:
            raise reader.error(f"unknown key {'clause.' + key!r}", "clause." + key, at(key),
                               suggest(key, CLAUSE_KEYS))
    if "id" not in raw or not isinstance(raw["id"], str):
        raise reader.error("each [[clause]] needs id = \"theme.slug\"", "clause.id", at("id"))
    position = raw.get("position")
    if position is not None and position not in POSITIONS:
        raise reader.error(f"unknown position {position!r}", "clause.position",
                           at("position"), suggest(str(position), POSITIONS))
    values = raw.get("values", {})
    if not isinstance(values, dict):
        raise reader.error("[clause.values] must be a table of parameter = value",
                           "clause.values", at("values"))
    return ClauseChoice(id=raw["id"], position=position, values=dict(values), line=line,
                        lines=own)


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
