"""Built-in plugin for the frame of a cao: chapter 1 (werkingssfeer, looptijd, ...) and the
shared definitions library (begripsbepalingen) that every theme draws on."""
from clausegen import ContentDir, hookimpl

CONTENT = ContentDir.package("clausegen.clauses", "algemeen")
SHARED = ContentDir.package("clausegen.clauses")


@hookimpl
def register_themes(register):
    for file in CONTENT.files("theme"):
        register(file)


@hookimpl
def register_definitions(register):
    # Only the top-level definities*.toml: each theme plugin registers its own folder's.
    for file in SHARED.files("definition", recursive=False):
        register(file)
    for file in CONTENT.files("definition"):
        register(file)


@hookimpl
def register_clauses(register):
    for file in CONTENT.files("clause"):
        register(file)
