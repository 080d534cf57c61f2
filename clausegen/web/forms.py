"""The page's form and a DraftSpec, both ways, with the CLI's validation messages per field.

The form is the whole state: every POST carries it, so the server keeps nothing per user. A
parameter field left empty follows the clause's position (as a commented-out value in a spec
does); a filled field is a value given by hand (source "spec"). Everything the page builds
goes through the spec text (`canonical`), so a download from the page and `clausegen build`
of the spec downloaded from the same state are the same draft, byte for byte.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from .. import params
from ..errors import ClausegenError
from ..model import AUDIENCES, LANGUAGES, POSITIONS, ClauseChoice, DraftSpec, Plan

SPEC_NAME = "concept.toml"      # the file name spec errors of the page's own state carry


def value_field(clause_id: str, name: str) -> str:
    """The form field of one parameter."""
    return f"value:{clause_id}:{name}"


def position_field(clause_id: str) -> str:
    """The form field of one clause's own position ("" follows the draft's)."""
    return f"position:{clause_id}"


@dataclass
class FormState:
    """What the form holds, as the raw text the user typed."""

    sector: str
    language: str = "nl"
    position: str = "doel"
    audience: str = "tafel"
    title: str = ""
    date: str = ""
    start: str = ""
    end: str = ""
    employers: str = ""          # one name a line
    unions: str = ""
    clauses: list[str] = field(default_factory=list)          # ticked clause ids
    positions: dict[str, str] = field(default_factory=dict)   # clause id -> position or ""
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # given values, raw


def _get(form: Mapping, key: str, default: str = "") -> str:
    value = form.get(key, default)
    return value.strip() if isinstance(value, str) else default


def state_from_form(form, library) -> FormState:
    """Read the posted form (a starlette FormData or a dict of str / list)."""
    getlist = form.getlist if hasattr(form, "getlist") else (
        lambda key: form.get(key, []) if isinstance(form.get(key), list) else
        ([form[key]] if key in form else []))
    state = FormState(
        sector=_get(form, "sector"), language=_get(form, "language", "nl"),
        position=_get(form, "position", "doel"), audience=_get(form, "audience", "tafel"),
        title=_get(form, "title"), date=_get(form, "date"), start=_get(form, "start"),
        end=_get(form, "end"), employers=_get(form, "employers"), unions=_get(form, "unions"),
        clauses=[c for c in getlist("clause") if isinstance(c, str) and c])
    for key in form.keys():
        kind, _, rest = key.partition(":")
        if kind == "position" and rest:
            state.positions[rest] = _get(form, key)
        elif kind == "value" and rest:
            clause_id, _, name = rest.rpartition(":")
            raw = form.get(key)
            if clause_id and name and isinstance(raw, str) and raw.strip():
                state.values.setdefault(clause_id, {})[name] = raw.strip()
    return state


def _names(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def clause_order(sector, library) -> list:
    """Every clause in the order the page lists them: per theme, the sector's recommended ones
    in its order, then the rest; the order a draft takes its articles in within a chapter."""
    library = library.for_sector(sector.id)     # the overrides in force for this sector
    rank = {cid: i for i, cid in enumerate(sector.recommended)}
    out = []
    for theme in library.sorted_themes():
        clauses = library.sorted_clauses(theme.id)
        out += sorted(clauses, key=lambda c: (rank.get(c.id, len(rank)),))
    return out


def spec_from_state(state: FormState, library) -> tuple[DraftSpec | None, dict[str, str]]:
    """The DraftSpec a form asks for, and an error message per field that is wrong.

    A wrong value is left out of the spec (the field follows its position) so the rest of the
    page can still be previewed; a download is refused while any error stands.
    """
    from ..planning import known_sector
    errors: dict[str, str] = {}
    try:
        sector = known_sector(library, state.sector)
    except ClausegenError as exc:
        errors["sector"] = str(exc)
        return None, errors
    for key, allowed in (("language", LANGUAGES), ("position", POSITIONS),
                         ("audience", AUDIENCES)):
        if getattr(state, key) not in allowed:
            errors[key] = f"unknown {key} {getattr(state, key)!r} (use {', '.join(allowed)})"
            setattr(state, key, allowed[0] if key != "position" else "doel")

    def date(key: str) -> dt.date | None:
        raw = getattr(state, key)
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            errors[key] = f"{key} {raw!r}: write a date as YYYY-MM-DD"
            return None

    start, end, day = date("start"), date("end"), date("date")
    if start and end and end < start:
        errors["end"] = f"end {end} is before start {start}"
        end = None

    def text(key: str, value: str) -> str:
        try:
            return params.check_text(value, key, ClausegenError)
        except ClausegenError as exc:
            errors[key] = exc.message
            return ""

    title = text("title", state.title) or None
    employers = tuple(n for n in _names(state.employers) if text("employers", n)) or None
    unions = tuple(n for n in _names(state.unions) if text("unions", n)) or None

    library = library.for_sector(sector.id)     # the overrides in force for this sector
    ticked = _ticked(state, library, errors)
    choices = []
    for clause in clause_order(sector, library):
        if clause.id in ticked or clause.always:
            choice = _choice(clause, state, errors)
            if choice is not None:
                choices.append(choice)
    spec = DraftSpec(sector=state.sector, language=state.language, position=state.position,
                     audience=state.audience, title=title, start=start, end=end,
                     date=day or dt.date.today(), employers=employers, unions=unions,
                     clauses=choices)
    return spec, errors


def _ticked(state: FormState, library, errors: dict[str, str]) -> set[str]:
    """The ids of the ticked clauses (through the sector's overrides); an unknown one, or no
    clause beyond the frame, is an error of the clause field."""
    ticked = set()
    for cid in state.clauses:
        try:
            ticked.add(library.clause(cid).id)
        except ClausegenError as exc:
            errors["clause"] = str(exc)
    if not any(not library.clause(c).always for c in ticked):
        errors.setdefault("clause", "tick at least one clause")
    return ticked


def _choice(clause, state: FormState, errors: dict[str, str]) -> ClauseChoice | None:
    """A ticked (or frame) clause with the position and values its fields give, each wrong
    one an error of its field and left out; None for a frame clause given nothing."""
    own = state.positions.get(clause.id, "")
    if own and own not in POSITIONS:
        errors[position_field(clause.id)] = (f"unknown position {own!r} "
                                             f"(use {', '.join(POSITIONS)})")
        own = ""
    values: dict[str, Any] = {}
    for name, raw in state.values.get(clause.id, {}).items():
        param = clause.parameters.get(name)
        if param is None:
            errors[value_field(clause.id, name)] = (
                f"clause {clause.id!r} has no parameter {name!r}")
            continue
        try:
            values[name] = params.validate(param, raw, what=f"{clause.id}.{name}")
        except ClausegenError as exc:
            errors[value_field(clause.id, name)] = str(exc)
    if clause.always and not values and not own:
        return None      # the frame is always part of the draft
    return ClauseChoice(id=clause.id, position=own or None, values=values)


def canonical(spec: DraftSpec, library, name: str = SPEC_NAME) -> tuple[str, Plan]:
    """The spec text for a DraftSpec and the plan built from that text, exactly as
    `clausegen build` would read it. Raises the engine's ClausegenError."""
    from ..planning import plan_draft
    from ..spec import parse_spec, write_spec
    text = write_spec(plan_draft(spec, library))
    plan = plan_draft(parse_spec(text, name), library)
    return text, plan


def state_from_plan(plan: Plan) -> FormState:
    """The form for a planned draft (a fresh sector, an uploaded spec or a saved round): the
    values given in the spec fill their fields, every other field follows its position."""
    spec = plan.spec
    state = FormState(sector=plan.sector.id, language=spec.language, position=spec.position,
                      audience=spec.audience, title=spec.title or "",
                      date=plan.date.isoformat(), start=plan.start.isoformat(),
                      end=plan.end.isoformat(), employers="\n".join(plan.employers),
                      unions="\n".join(plan.unions))
    for planned in plan.clauses:
        cid = planned.clause.id
        if not planned.clause.always:
            state.clauses.append(cid)
        if planned.position != spec.position:
            state.positions[cid] = planned.position
        given = {name: v.value if isinstance(v.value, str) else params.to_toml(v.value)
                 for name, v in planned.values.items() if v.source == "spec"}
        if given:
            state.values[cid] = given
    return state


def fresh_state(sector_id: str, library, today: dt.date | None = None) -> FormState:
    """The form for a sector as `clausegen init` would start it: its recommended clauses, every
    value following the position (doel), dated today."""
    from ..planning import plan_draft
    plan = plan_draft(DraftSpec(sector=sector_id, date=today or dt.date.today()), library)
    return state_from_plan(plan)
