"""Built-in plugin for the frame of a cao: chapter 1 (werkingssfeer, looptijd, ...), the
closing signature article, and the shared definitions library (begripsbepalingen) that every
theme draws on."""
from clausegen import ContentDir, hookimpl

FRAME = (ContentDir.package("clausegen.clauses", "algemeen"),
         ContentDir.package("clausegen.clauses", "slot"))
SHARED = ContentDir.package("clausegen.clauses")


@hookimpl
def register_themes(register):
    for content in FRAME:
        for file in content.files("theme"):
            register(file)


@hookimpl
def register_definitions(register):
    # Only the top-level definities*.toml: each theme plugin registers its own folder's.
    for file in SHARED.files("definition", recursive=False):
        register(file)
    for content in FRAME:
        for file in content.files("definition"):
            register(file)


@hookimpl
def register_clauses(register):
    for content in FRAME:
        for file in content.files("clause"):
            register(file)
