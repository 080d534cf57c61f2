"""clausegen plugin for the childcare sector (kinderopvang): a worked example.

It adds a theme with two clauses, the sector's definitions and its sector profile; replaces
the built-in clause werkdruk.roosterinspraak with a version in the sector's own words; and
adds a check over every draft (checks.py). All of it through clausegen's public API only.
"""
from clausegen import ContentDir, hookimpl

from . import checks

CONTENT = ContentDir.package("clausegen_kinderopvang", "content")


@hookimpl
def register_themes(register):
    for file in CONTENT.files("theme"):
        register(file)


@hookimpl
def register_definitions(register):
    for file in CONTENT.files("definition"):
        register(file)


@hookimpl
def register_clauses(register):
    # content/werkdruk/roosterinspraak.toml sets overrides = "werkdruk.roosterinspraak": it
    # replaces the built-in clause (registered before any third-party plugin) in this
    # plugin's own sector; every other sector keeps the built-in one.
    for file in CONTENT.files("clause"):
        register(file)


@hookimpl
def register_sectors(register):
    for file in CONTENT.files("sector"):
        register(file)


@hookimpl
def register_checks(register):
    register("kinderopvang-coaching", checks.coaching_minimum,
             "Coaching hours per FTE against the Besluit kwaliteit kinderopvang")
