"""The json manifest: what was chosen, from which plugin, with which values and where from."""
from __future__ import annotations

import json

from ..params import to_json


def manifest_data(draft) -> dict:
    """The manifest as plain data (sorted, stable: documented in docs/cli.md)."""
    plan = draft.plan
    return {
        "generator": draft.generator,
        "title": draft.title,
        "sector": plan.sector.id,
        "language": draft.language,
        "position": plan.spec.position,
        "date": plan.date.isoformat(),
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat(),
        "parties": {"employers": list(plan.employers), "unions": list(plan.unions)},
        "article_numbering": plan.sector.article_numbering,
        "clauses": [
            {
                "id": p.clause.id,
                "version": p.clause.version,
                "article": p.number,
                "theme": p.clause.theme,
                "position": p.position,
                "plugin": p.clause.provenance.plugin if p.clause.provenance else "",
                "plugin_version": p.clause.provenance.version if p.clause.provenance else "",
                "file": p.clause.provenance.file if p.clause.provenance else "",
                "values": {name: {"value": to_json(v.value), "source": v.source}
                           for name, v in sorted(p.values.items())},
            }
            for p in plan.clauses
        ],
        "definitions": [d.id for d in plan.definitions],
        "findings": [
            {"level": f.level, "code": f.code, "clause": f.clause, "message": f.message,
             "law": f.law, "check": f.check}
            for f in plan.findings
        ],
    }


def write_manifest(draft) -> str:
    return json.dumps(manifest_data(draft), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
