"""The mandate (mandaat): per chosen clause and parameter, how far the delegation may go.

One row per parameter of the planned clauses: its label, unit and direction, the sector's
current cao value, the value of each position for this sector, the legal floor where a check
declares one, and the value this draft uses with its source. Strictly internal: the writers in
writers/mandate.py mark every page of it confidential.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import POSITIONS, Plan
from .params import UNITS, format_value
from .vocabulary import MANDATE_WORDS, SOURCE_WORDS, UNIT_WORDS


@dataclass
class MandateRow:
    """One parameter in the mandate; values are plain (int, Decimal, date, str, bool, None)."""

    article: str
    clause: str
    clause_title: str
    param: str
    label: str
    type: str
    unit: str
    better: str
    current: Any
    positions: dict[str, Any]
    floor: Any
    floor_law: str
    value: Any
    source: str
    position: str


def unit_of(ptype: str, language: str) -> str:
    """The unit a number of this type counts in, as a word ("dagen", "euro", "%")."""
    if ptype in UNITS:
        return UNIT_WORDS[language][ptype][1]
    return MANDATE_WORDS[language]["units"].get(ptype, "")


def mandate_rows(plan: Plan, floors: dict[str, tuple[Any, str]] | None = None) -> list[MandateRow]:
    """The mandate of a planned draft, in article order. `floors` maps "clause.param" to
    (value, citation), as the checks declare them (Library.floors)."""
    language = plan.spec.language
    floors = floors or {}
    rows = []
    for planned in plan.clauses:
        clause = planned.clause
        title = clause.title.get(language) or clause.title.get("nl", clause.id)
        for name, step in planned.ladder.items():
            param = step.param
            floor, law = floors.get(f"{clause.id}.{name}", (None, ""))
            rows.append(MandateRow(
                article=planned.number, clause=clause.id, clause_title=title, param=name,
                label=param.label.get(language) or param.label.get("nl") or name,
                type=param.type, unit=unit_of(param.type, language), better=param.better,
                current=step.current, positions=dict(step.positions), floor=floor,
                floor_law=law, value=planned.values[name].value,
                source=planned.values[name].source, position=planned.position))
    return rows


def row_cells(row: MandateRow | None, language: str, compact: bool = False) -> list[str]:
    """One row as formatted text cells (the header row for None), for tables in Word and md.

    `compact` folds article, parameter and direction into one cell, for a portrait page.
    """
    head = MANDATE_WORDS[language]["head"]
    if row is None:
        return ([f"{head[0]} / {head[1]}"] + head[3:]) if compact else list(head)

    def shown(value: Any) -> str:
        return format_value(row.type, value, language) or "–"
    floor = shown(row.floor) + (f"\n{row.floor_law}" if row.floor_law else "") \
        if row.floor is not None else "–"
    direction = MANDATE_WORDS[language]["better"].get(row.better, "–")
    rest = [shown(row.current), *(shown(row.positions[p]) for p in POSITIONS), floor,
            f"{shown(row.value)}\n({row.position}, {SOURCE_WORDS[language][row.source]})"]
    if compact:
        better = f" ({head[2].lower()}: {direction})" if row.better else ""
        return [f"{row.article} {row.clause_title}\n{row.label}{better}"] + rest
    return [f"{row.article}\n{row.clause_title}", row.label, direction] + rest
