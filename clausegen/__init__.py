"""clausegen: generate Dutch cao clauses from plugins and write them as a Word draft.

The public API a plugin (built-in or a sector's) uses. Importing it loads no plugin and no
python-docx: the library is built on first use.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .content import ContentDir, ContentPlugin  # noqa: E402
from .errors import (ClausegenError, ContentError, ParameterError, PluginError,  # noqa: E402
                     RenderError, SpecError, UsageError)
from .model import (Article, Check, Clause, Definition, Draft, DraftSpec, Finding,  # noqa: E402
                    Parameter, Plan, Provenance, Sector, Theme)
from .plugin_host import hookimpl, load_library  # noqa: E402


def build_draft(spec: DraftSpec, library=None) -> Draft:
    """Plan and render a draft for a spec; `library` defaults to every installed plugin."""
    from .draft import build_draft as render_plan
    from .planning import plan_draft
    library = library if library is not None else load_library()
    return render_plan(plan_draft(spec, library), library)


__all__ = [
    "__version__", "hookimpl", "load_library", "build_draft", "ContentDir", "ContentPlugin",
    "ClausegenError", "ContentError", "ParameterError", "PluginError", "RenderError",
    "SpecError", "UsageError", "Article", "Check", "Clause", "Definition", "Draft", "DraftSpec",
    "Finding", "Parameter", "Plan", "Provenance", "Sector", "Theme",
]
