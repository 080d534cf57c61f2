"""The review annex of the intern version as rows: per clause its version, plugin, position,
and each value with where it came from. The Word and markdown writers lay the same rows out."""
from __future__ import annotations

from .model import Plan
from .params import format_value
from .vocabulary import REVIEW_WORDS, SOURCE_WORDS


def review_rows(plan: Plan) -> list[list[str]]:
    """The header and one row per planned clause, in the draft's language."""
    language = plan.spec.language
    words = REVIEW_WORDS[language]
    rows = [list(words["head"])]
    for p in plan.clauses:
        values = "\n".join(
            f"{name} = {format_value(p.clause.parameters[name].type, v.value, language) or '[...]'}"
            f" ({SOURCE_WORDS[language][v.source]})" for name, v in p.values.items())
        clause = p.clause.id
        if p.replaces is not None:
            old = p.replaces
            clause += "\n" + words["replaces"].format(
                id=old.id, version=old.version,
                plugin=old.provenance.label)
        rows.append([p.number, clause, p.clause.version, p.clause.provenance.label,
                     p.position, values or "–"])
    return rows
