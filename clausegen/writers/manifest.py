"""The json manifest: what was chosen, from which plugin, with which values and where from."""
from __future__ import annotations

import dataclasses
import hashlib
import json

from ..params import to_json


def _digest(data) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)
                if f.name not in ("provenance", "lines", "source", "source_text", "digest")}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    plain = to_json(value)
    return plain if plain is not value else str(value)


def spec_hash(plan, public: bool = False) -> str:
    """sha256 of what was asked: sector, language, dates, parties, clauses and values.

    The `public` hash (the one a tafel file carries) leaves out the positions and where each
    value came from: the rest is in the draft for anyone to see, so with them in, anyone
    holding clausegen could try the three positions and find the one that gives the hash.
    """
    spec = plan.spec
    data = {"sector": spec.sector, "language": spec.language, "title": plan.title,
            "start": plan.start, "end": plan.end, "date": plan.date,
            "employers": plan.employers, "unions": plan.unions,
            "clauses": [(p.clause.id, {k: v.value for k, v in p.values.items()})
                        for p in plan.clauses]}
    if not public:
        data.update(position=spec.position, clauses=[
            (p.clause.id, p.position, {k: (v.value, v.source) for k, v in p.values.items()})
            for p in plan.clauses])
    return _digest(data)


def library_hash(plan) -> str:
    """sha256 of the library content the draft used: its clauses, definitions and sector.

    An item read from a file counts by the file's own sha256 (cheap, and exact); one a
    plugin built in Python counts by its fields.
    """
    def ident(item):
        return (item.id, item.digest) if item.digest else item
    return _digest({"clauses": [ident(p.clause) for p in plan.clauses],
                    "definitions": [ident(d) for d in plan.definitions],
                    "sector": ident(plan.sector)})


def manifest_data(draft, floors: dict | None = None) -> dict:
    """The manifest as plain data (sorted, stable: documented in docs/cli.md).

    The tafel manifest says what the draft contains: articles and their values. Only the
    intern one adds positions, sources, plugins, files, findings and the mandate.
    """
    return _internal(draft, floors) if draft.internal else _public(draft)


def _common(draft) -> dict:
    """What both manifests say of the draft: its hashes, title, sector, dates and parties."""
    plan = draft.plan
    return {
        "audience": draft.audience,
        "spec_sha256": spec_hash(plan, public=not draft.internal),
        "library_sha256": library_hash(plan),
        "title": draft.title,
        "sector": plan.sector.id,
        "language": draft.language,
        "date": plan.date.isoformat(),
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat(),
        "parties": {"employers": list(plan.employers), "unions": list(plan.unions)},
        "definitions": [d.id for d in plan.definitions],
    }


def _public(draft) -> dict:
    """The tafel manifest: which clause is which article, and no values (a value only the
    internal arguments use would show here)."""
    return {**_common(draft),
            "articles": [{"id": p.clause.id, "article": p.number} for p in draft.plan.clauses]}


def _internal(draft, floors: dict | None) -> dict:
    """The intern manifest: each clause with its position, provenance, values and their
    sources, explanation and arguments; the findings and the mandate."""
    from ..mandate import mandate_rows
    from .mandate import mandate_json
    plan = draft.plan
    notes = {a.key: (a.explanation, a.arguments) for c in draft.chapters for a in c.articles}
    return {
        **_common(draft),
        "confidential": True,
        "mandate": json.loads(mandate_json(plan, mandate_rows(plan, floors)))["rows"],
        "generator": draft.generator,
        "position": plan.spec.position,
        "article_numbering": plan.sector.article_numbering,
        "clauses": [_clause(p, *notes.get(p.clause.id, ("", ""))) for p in plan.clauses],
        "findings": [
            {"level": f.level, "code": f.code, "clause": f.clause, "message": f.message,
             "law": f.law, "check": f.check}
            for f in plan.findings
        ],
    }


def _clause(p, explanation: str, arguments: str) -> dict:
    """A planned clause as the intern manifest lists it."""
    return {
        "id": p.clause.id,
        "version": p.clause.version,
        "article": p.number,
        "theme": p.clause.theme,
        "position": p.position,
        "plugin": p.clause.provenance.plugin,
        "plugin_version": p.clause.provenance.version,
        "file": p.clause.provenance.file,
        # the clause this one replaced in this draft, and the plugin that had it
        "replaces": _replaced(p),
        "values": {name: {"value": to_json(v.value), "source": v.source}
                   for name, v in sorted(p.values.items())},
        "explanation": explanation,
        "arguments": arguments,
    }


def _replaced(planned) -> dict | None:
    old = planned.replaces
    if old is None:
        return None
    return {"id": old.id, "version": old.version, "plugin": old.provenance.plugin,
            "plugin_version": old.provenance.version,
            "scope": (planned.clause.scope if isinstance(planned.clause.scope, str)
                      else list(planned.clause.scope)) or "own"}


def write_manifest(draft, floors: dict | None = None) -> str:
    return json.dumps(manifest_data(draft, floors), indent=2, ensure_ascii=False,
                      sort_keys=True) + "\n"
