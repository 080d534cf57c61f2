"""pytest fixtures for plugin authors: an isolated library, a rendered clause, a built draft.

Registered as a pytest plugin through the `pytest11` entry point, so a sector plugin's tests
can use `clausegen_library`, `clausegen_render` and `clausegen_draft` without importing them.
Importing this module loads no plugin and no python-docx.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from .errors import ClausegenError
from .model import ClauseChoice, DraftSpec


def make_library(*plugins: Any, builtins: bool = True, plugins_dir: str | Path | None = None,
                 strict: bool = True):
    """A Library from clausegen's built-ins (optional) plus exactly the given plugins.

    `plugins` are modules or objects with hook implementations (a name may be given as a
    (name, plugin) pair). Installed third-party plugins are left out, so a test sees only what
    it asks for. With `strict`, any plugin error fails the test with the host's message.
    """
    from .plugin_host import PluginHost
    extra = [p if isinstance(p, tuple) else (getattr(p, "__name__", type(p).__name__), p)
             for p in plugins]
    host = PluginHost(plugins_dir=plugins_dir, env={},
                      entry_points="builtin" if builtins else False, extra=extra)
    library = host.library()
    if strict and host.errors():
        raise ClausegenError("plugin errors:\n" + "\n".join(host.errors()))
    return library


def render_clause(library, clause_id: str, *, values: dict | None = None, sector: str | None = None,
                  position: str = "doel", language: str = "nl") -> str:
    """One clause rendered as plain text (markdown-like), with the given parameter values."""
    from .draft import build_draft
    from .planning import plan_draft
    from .writers.markdown import write_markdown
    sector_id = sector or sorted(library.sectors)[0]
    spec = DraftSpec(sector=sector_id, language=language, position=position,
                     date=dt.date(2026, 12, 1),
                     clauses=[ClauseChoice(id=clause_id, values=dict(values or {}))])
    draft = build_draft(plan_draft(spec, library), library)
    shown = library.for_sector(sector_id).clause(clause_id).id  # the sector's own, if overridden
    for chapter in draft.chapters:
        chapter.articles = [a for a in chapter.articles if a.key == shown]
    draft.chapters = [c for c in draft.chapters if c.articles]
    return write_markdown(draft)


def build_docx(library, path: str | Path, *, sector: str, clauses: list[str] | None = None,
               values: dict[str, dict] | None = None, position: str = "doel",
               language: str = "nl", date: dt.date = dt.date(2026, 12, 1)):
    """Build a .docx for a sector (its recommended clauses, or `clauses`) and return the Plan."""
    from .draft import build_draft
    from .planning import choose_clauses, plan_draft
    from .writers import atomic_write, render_bytes
    spec = DraftSpec(sector=sector, language=language, position=position, date=date,
                     clauses=[ClauseChoice(id=c) for c in (clauses or [])])
    spec.clauses = choose_clauses(spec, library)
    view = library.for_sector(sector)
    by_id = {view.clause(c.id).id: c for c in spec.clauses}
    for clause_id, given in (values or {}).items():
        real = view.clause(clause_id).id        # a misspelt id: ContentError with a suggestion
        if real not in by_id:
            raise ClausegenError(f"values: clause {clause_id!r} is not in this draft of "
                                 f"sector {sector!r}; add it to clauses=[...]")
        by_id[real].values.update(given)
    plan = plan_draft(spec, library)
    atomic_write(path, render_bytes(build_draft(plan, library), "docx", library))
    return plan


@pytest.fixture
def clausegen_library():
    """Factory: `clausegen_library(my_plugin)` -> a Library with the built-ins and my_plugin only."""
    return make_library


@pytest.fixture
def clausegen_render():
    """Factory: `clausegen_render(library, "x.y", values={...})` -> the clause as text."""
    return render_clause


@pytest.fixture
def clausegen_draft(tmp_path):
    """Factory: `clausegen_draft(library, sector="s")` -> (path, python-docx Document, Plan)."""
    def build(library, sector: str, **options):
        import docx
        path = tmp_path / f"draft-{sector}.docx"
        plan = build_docx(library, path, sector=sector, **options)
        return path, docx.Document(str(path)), plan
    return build
