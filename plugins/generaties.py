"""Built-in plugin for theme 2: vier generaties op de werkvloer: its theme, clauses and definitions.

It uses only clausegen's public API, exactly as a sector's plugin would.
"""
from clausegen import ContentDir, hookimpl

CONTENT = ContentDir.package("clausegen.clauses", "generaties")


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
    for file in CONTENT.files("clause"):
        register(file)
