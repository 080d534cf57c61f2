"""Every hook a clausegen plugin can implement: when it is called, what it gets, what it returns.

Hooks are grouped by phase. Registration hooks take a `register` callback (the host validates
what is registered and tags it with the plugin it came from); the later hooks receive plain data.
Each hook is called once per plugin, in load order (built-ins first, then third-party plugins
sorted by name), so an error is always attributed to the plugin that raised it.
docs/plugins.md documents every hook here; a test fails when one is missing there.
"""
from __future__ import annotations

from typing import Any, Callable

import pluggy

hookspec = pluggy.HookspecMarker("clausegen")
hookimpl = pluggy.HookimplMarker("clausegen")   # what plugins decorate their hooks with

# ------------------------------------------------------------------ phase 1: building the library


@hookspec
def register_themes(register: Callable[[Any], None]) -> None:
    """Register themes (chapters of the draft).

    Called once when the library is built. Call ``register(x)`` for each theme, where ``x`` is a
    path to a ``theme.toml`` file (str, Path or package resource) or a ``clausegen.Theme``.
    Not firstresult: every plugin's implementation runs. Returns nothing.
    """


@hookspec
def register_clauses(register: Callable[[Any], None]) -> None:
    """Register clauses.

    Called once when the library is built, after themes. Call ``register(x)`` for each clause,
    where ``x`` is a path to a clause TOML file or a ``clausegen.Clause``. A clause whose id is
    already registered is an error naming both plugins, unless it sets ``overrides`` to that id.
    Not firstresult. Returns nothing.
    """


@hookspec
def register_definitions(register: Callable[[Any], None]) -> None:
    """Register definitions (begripsbepalingen).

    Called once when the library is built. Call ``register(x)`` with a path to a definitions
    TOML file (each table one term) or a ``clausegen.Definition``. Not firstresult. Returns nothing.
    """


@hookspec
def register_sectors(register: Callable[[Any], None]) -> None:
    """Register sector profiles.

    Called once when the library is built. Call ``register(x)`` with a path to a sector TOML
    file or a ``clausegen.Sector``. A sector id registered twice is an error unless the later
    profile sets ``replaces`` to that id. Not firstresult. Returns nothing.
    """


@hookspec
def register_checks(register: Callable[..., None]) -> None:
    """Register checks over a planned draft (legal floors, house rules).

    Called once when the library is built. Call ``register(name, function, description="",
    floors=None)`` where ``function(plan: clausegen.Plan)`` returns an iterable of
    ``clausegen.Finding`` (level "error" or "warning", with the law it applies in ``law``).
    ``floors`` optionally declares the legal limits the check holds values to, as
    ``{"clause.param": (value, "citation")}``; the mandate shows them. Checks run after
    planning; their findings are printed by build/generate, go into the intern version (never
    the tafel one), and fail the build under ``--strict`` when any is an error. Not
    firstresult. Returns nothing.
    """


@hookspec
def register_template_filters(register: Callable[[str, Callable[..., Any]], None]) -> None:
    """Register extra Jinja filters for clause templates.

    Called once when the library is built. Call ``register(name, function)``; the filter is
    called as ``function(value, language)`` where language is "nl" or "en", and must return a
    string. A name that is already taken is an error. Not firstresult. Returns nothing.
    """


# ------------------------------------------------------------------ phase 2: planning a draft


@hookspec
def adjust_plan(plan: Any) -> Any:
    """Adjust a validated plan before checks and rendering (e.g. a sector forcing a value).

    Called once per draft, for each plugin in load order, with the current ``clausegen.Plan``.
    Return a new Plan (``dataclasses.replace`` is handy) or None to leave it as it is. Values a
    plugin sets should carry source "sector". Not firstresult: each plugin sees the previous
    plugin's result.
    """


# ------------------------------------------------------------------ phase 3: writing Word


@hookspec
def finalize_docx(document: Any, draft: Any) -> None:
    """Post-process the Word document before it is saved (logo, colophon, extra properties).

    Called once per .docx written, for each plugin in load order, with the python-docx
    ``Document`` and the ``clausegen.Draft`` it was built from. Change ``document`` in place;
    keep it deterministic (no current time, no random ids). Not firstresult. Returns nothing.
    """
