"""The review annex of the intern version as rows: per clause its version, plugin, position,
and each value with where it came from. The Word and markdown writers lay the same rows out."""
from __future__ import annotations

from .model import Plan
from .params import format_value

HEAD = {"nl": ["Artikel", "Bepaling", "Versie", "Plugin", "Positie", "Waarden (herkomst)"],
        "en": ["Article", "Clause", "Version", "Plugin", "Position", "Values (source)"]}
# Under a clause that replaced another (a sector plugin's override): which one, from where.
REPLACES = {"nl": "vervangt {id} {version} van plugin {plugin}",
            "en": "replaces {id} {version} from plugin {plugin}"}
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
        clause = p.clause.id
        if p.replaces is not None:
            old = p.replaces
            clause += "\n" + REPLACES[language].format(
                id=old.id, version=old.version,
                plugin=old.provenance.label)
        rows.append([p.number, clause, p.clause.version, p.clause.provenance.label,
                     p.position, values or "–"])
    return rows
