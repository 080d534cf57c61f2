"""Every hook a clausegen plugin can implement: when it is called, what it gets, what it returns.

Hooks are grouped by phase. Registration hooks take a `register` callback (the host validates
what is registered and tags it with the plugin it came from); the later hooks receive plain data.
Each hook is called once per plugin, by the host itself (so an error is always attributed to
the plugin that raised it): implementations marked `tryfirst=True` first, then the unmarked,
then `trylast=True`, each group in load order (built-ins first, then third-party plugins
sorted by name). Unlike pluggy, the last plugin loaded is not called first, and hook wrappers
(`wrapper=True`, `hookwrapper=True`) are refused at load time.
docs/plugins.md documents every hook here with this signature; a test fails when one differs.
This module and plugin_host.py are the only ones that import pluggy.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol

import pluggy

if TYPE_CHECKING:
    import os
    from importlib.abc import Traversable

    from docx.document import Document

    from .model import Clause, Definition, Draft, Finding, Plan, Sector, Theme

    # A content file to register: a path, or a resource inside an installed package.
    FileSource = str | os.PathLike[str] | Traversable

    class CheckRegister(Protocol):
        """The `register` of register_checks."""

        def __call__(self, name: str, function: Callable[[Plan], Iterable[Finding] | None],
                     description: str = "",
                     floors: dict[str, tuple[Any, str]] | None = None) -> None: ...

hookspec = pluggy.HookspecMarker("clausegen")
hookimpl = pluggy.HookimplMarker("clausegen")   # what plugins decorate their hooks with

# ------------------------------------------------------------------ phase 1: building the library


@hookspec
def register_themes(register: Callable[[FileSource | Theme], None]) -> None:
    """Register themes (chapters of the draft).

    Called once when the library is built. Call ``register(x)`` for each theme, where ``x`` is a
    path to a ``theme.toml`` file (str, Path or package resource) or a ``clausegen.Theme``.
    Not firstresult: every plugin's implementation runs. Returns nothing.
    """


@hookspec
def register_clauses(register: Callable[[FileSource | Clause], None]) -> None:
    """Register clauses.

    Called once when the library is built, after themes. Call ``register(x)`` for each clause,
    where ``x`` is a path to a clause TOML file or a ``clausegen.Clause``. A clause whose id is
    already registered is an error naming both plugins, unless it sets ``overrides`` to that id.
    Not firstresult. Returns nothing.
    """


@hookspec
def register_definitions(register: Callable[[FileSource | Definition], None]) -> None:
    """Register definitions (begripsbepalingen).

    Called once when the library is built. Call ``register(x)`` with a path to a definitions
    TOML file (each table one term) or a ``clausegen.Definition``. Not firstresult. Returns nothing.
    """


@hookspec
def register_sectors(register: Callable[[FileSource | Sector], None]) -> None:
    """Register sector profiles.

    Called once when the library is built. Call ``register(x)`` with a path to a sector TOML
    file or a ``clausegen.Sector``. A sector id registered twice is an error unless the later
    profile sets ``replaces`` to that id. Not firstresult. Returns nothing.
    """


@hookspec
def register_checks(register: CheckRegister) -> None:
    """Register checks over a planned draft (legal floors, house rules).

    Called once when the library is built. Call ``register(name, function, description="",
    floors=None)`` where ``function(plan: clausegen.Plan)`` returns an iterable of
    ``clausegen.Finding`` (level "error", "warning" or "info" as in ``clausegen.model.LEVELS``,
    with the law it applies in ``law``; an info is printed but not written into the draft).
    ``floors`` optionally declares the legal limits the check holds values to, as
    ``{"clause.param": (value, "citation")}``; the mandate shows them. Checks run after
    planning; their findings are printed by build/generate, go into the intern version (never
    the tafel one), and fail the build under ``--strict`` when any is an error. Not
    firstresult. Returns nothing.
    """


@hookspec
def register_template_filters(register: Callable[[str, Callable[..., str]], None]) -> None:
    """Register extra Jinja filters for clause templates.

    Called once when the library is built. Call ``register(name, function)``; the filter is
    called as ``function(value, language)`` where language is "nl" or "en", and must return a
    string. A name that is already taken is an error. Not firstresult. Returns nothing.
    """


# ------------------------------------------------------------------ phase 2: planning a draft


@hookspec
def adjust_plan(plan: Plan) -> Plan | None:
    """Adjust a validated plan before checks and rendering (e.g. a sector forcing a value).

    Called once per draft, for each plugin in order, with the current ``clausegen.Plan``.
    Return a new Plan (``dataclasses.replace`` is handy) or None to leave it as it is. Values a
    plugin sets should carry source "sector"; findings it adds to ``plan.findings`` are kept
    (the checks' findings come after them). Not firstresult: each plugin sees the previous
    plugin's result.
    """


# ------------------------------------------------------------------ phase 3: writing Word


@hookspec
def finalize_docx(document: Document, draft: Draft) -> None:
    """Post-process the Word document before it is saved (logo, colophon, extra properties).

    Called once per .docx written, for each plugin in order, with the python-docx
    ``Document`` and the ``clausegen.Draft`` it was built from. Change ``document`` in place;
    keep it deterministic (no current time, no random ids). Not firstresult. Returns nothing.
    """
