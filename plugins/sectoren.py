"""Built-in plugin with the sector profiles: cao names, parties, terminology, numbering style,
recommended clauses and the sector's parameter overrides."""
from clausegen import ContentDir, hookimpl

CONTENT = ContentDir.package("clausegen.clauses", "sectoren")


@hookimpl
def register_sectors(register):
    for file in CONTENT.files("sector"):
        register(file)
