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
    from .draft import build_draft, one_article
    from .planning import plan_draft
    from .writers.markdown import write_markdown
    sector_id = sector or sorted(library.sectors)[0]
    spec = DraftSpec(sector=sector_id, language=language, position=position,
                     date=dt.date(2026, 12, 1),
                     clauses=[ClauseChoice(id=clause_id, values=dict(values or {}))])
    draft = build_draft(plan_draft(spec, library), library)
    shown = library.for_sector(sector_id).clause(clause_id).id  # the sector's own, if overridden
    return write_markdown(one_article(draft, shown))


def build_docx(library, path: str | Path, *, sector: str, clauses: list[str] | None = None,
               values: dict[str, dict] | None = None, position: str = "doel",
               language: str = "nl", date: dt.date = dt.date(2026, 12, 1)):
    """Build a .docx for a sector (its recommended clauses, or `clauses`) and return the Plan:
    the draft `clausegen generate --sector S` makes, with `values` as its --set options."""
    from .draft import build_draft
    from .planning import plan_draft, with_values
    from .writers import atomic_write, render_bytes
    spec = DraftSpec(sector=sector, language=language, position=position, date=date,
                     clauses=[ClauseChoice(id=c) for c in (clauses or [])])
    spec, outside = with_values(spec, library, values or {})
    if outside:
        raise ClausegenError(f"values: clause {outside[0]!r} is not in this draft of "
                             f"sector {sector!r}; add it to clauses=[...]")
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
