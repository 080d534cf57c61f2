"""The review annex of the intern version as rows: per clause its version, plugin, position,
and each value with where it came from. The Word and markdown writers lay the same rows out."""
from __future__ import annotations

from .model import Plan
from .params import format_value

HEAD = {"nl": ["Artikel", "Bepaling", "Versie", "Plugin", "Positie", "Waarden (herkomst)"],
        "en": ["Article", "Clause", "Version", "Plugin", "Position", "Values (source)"]}
# Where a value came from (model.SOURCES), as the annex and the mandate say it.
SOURCE_WORDS = {"nl": {"default": "standaard", "position": "positie", "sector": "sector",
                       "spec": "opgegeven"},
                "en": {"default": "default", "position": "position", "sector": "sector",
                       "spec": "given"}}


def review_rows(plan: Plan) -> list[list[str]]:
    """The header and one row per planned clause, in the draft's language."""
    language = plan.spec.language
    rows = [list(HEAD[language])]
    for p in plan.clauses:
        values = "\n".join(
            f"{name} = {format_value(p.clause.parameters[name].type, v.value, language) or '[...]'}"
            f" ({SOURCE_WORDS[language][v.source]})" for name, v in p.values.items())
        rows.append([p.number, p.clause.id, p.clause.version,
                     p.clause.provenance.label if p.clause.provenance else "", p.position,
                     values or "–"])
    return rows
