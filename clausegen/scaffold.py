"""`clausegen new-plugin NAME`: start a sector plugin, as a pip package or a content-only pack.

The files come from the templates in clausegen/resources/scaffold/ (`string.Template`, with
`${name}`-style placeholders, so the `{{ }}` of clause templates pass through untouched). What
this writes works without edits: the package installs with pip, its tests pass, `clausegen
plugins` lists it and a draft for its sector includes its clause. tests/test_scaffold.py
checks exactly that, in a fresh virtual environment.

Importing this module loads no plugin and no python-docx.
"""
from __future__ import annotations

import functools
import re
import shutil
import string
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from . import __version__
from .errors import ClausegenError

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_NAME_LENGTH = 40
NAME_RULE = ("lowercase letters a-z and digits, starting with a letter, words joined by single "
             f"hyphens, at most {MAX_NAME_LENGTH} characters (e.g. kinderopvang or "
             "groen-en-hoveniers); it becomes the package clausegen-NAME, the module "
             "clausegen_NAME and the id of the plugin, its theme and its sector")
PREFIX = "clausegen-"
CLAUSE_SLUG = "herstel"

# (file in the scaffold, template under resources/scaffold/); {name} and {module} are filled in.
CONTENT_FILES = (
    ("{name}/theme.toml", "content/theme.toml.tmpl"),
    ("{name}/" + CLAUSE_SLUG + ".toml", "content/clause.toml.tmpl"),
    ("sectoren/{name}.toml", "content/sector.toml.tmpl"),
)
PACKAGE_FILES = (
    ("pyproject.toml", "package/pyproject.toml.tmpl"),
    ("README.md", "package/README.md.tmpl"),
    (".gitignore", "package/gitignore.tmpl"),
    ("{module}/__init__.py", "package/__init__.py.tmpl"),
    *((f"{{module}}/content/{path}", template) for path, template in CONTENT_FILES),
    ("tests/test_{module}.py", "package/test_plugin.py.tmpl"),
)
PACK_FILES = (
    ("plugin.toml", "pack/plugin.toml.tmpl"),
    ("README.md", "pack/README.md.tmpl"),
    *CONTENT_FILES,
)


@dataclass(frozen=True)
class Names:
    """Every name a plugin called NAME gets."""

    name: str        # plugin (entry point), theme and sector id: "groen-en-hoveniers"
    dist: str        # the distribution: "clausegen-groen-en-hoveniers"
    module: str      # the import package: "clausegen_groen_en_hoveniers"
    title: str       # the sector as the texts name it: "Groen en hoveniers"

    @classmethod
    def of(cls, name: str) -> "Names":
        return cls(name=name, dist=PREFIX + name, module="clausegen_" + name.replace("-", "_"),
                   title=name.replace("-", " ").capitalize())

    def placeholders(self) -> dict[str, str]:
        return {"name": self.name, "dist": self.dist, "module": self.module,
                "title": self.title, "clausegen_version": __version__}


@dataclass
class Scaffold:
    """What `scaffold()` wrote."""

    names: Names
    directory: Path
    content_only: bool
    files: list[str]          # relative to `directory`, in the order written


def _suggestion(name: str) -> str | None:
    """The nearest valid name to a mistyped one ("Zorg_Plus" -> "zorg-plus"), if any."""
    guess = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if guess.startswith(PREFIX):
        guess = guess[len(PREFIX):]
    guess = re.sub(r"^[0-9-]+", "", guess)[:MAX_NAME_LENGTH].strip("-")
    return guess if guess and guess != name and NAME_PATTERN.match(guess) else None


def name_problem(name: str) -> str | None:
    """Why NAME cannot be a plugin name, or None when it can."""
    if name == "clausegen":
        return "name the plugin after its sector, e.g. kinderopvang: it becomes clausegen-NAME"
    if name.startswith(PREFIX) and NAME_PATTERN.match(name[len(PREFIX):]):
        rest = name[len(PREFIX):]
        return (f"leave out the {PREFIX!r} prefix: `clausegen new-plugin {rest}` creates the "
                f"package {PREFIX}{rest}")
    if len(name) > MAX_NAME_LENGTH or not NAME_PATTERN.match(name):
        hint = _suggestion(name)
        return (f"{name!r} is not a valid plugin name. Allowed: {NAME_RULE}"
                + (f"; did you mean {hint!r}?" if hint else ""))
    taken = _taken_by_builtin(name)
    if taken:
        hint = ""
        if taken == "a built-in sector":
            hint = (f"; to change that sector, give a profile of your own "
                    f"replaces = \"{name}\" (docs/content-format.md)")
        return (f"{name!r} is already the id of {taken} that comes with clausegen; choose a "
                f"name of your own{hint}")
    return None


@functools.lru_cache(maxsize=None)
def _builtin_ids() -> dict[str, str]:
    """Ids the built-in plugins use for plugins, themes and sectors -> what they are."""
    from .plugin_host import PluginHost
    host = PluginHost(env={}, entry_points="builtin")
    library = host.library()
    ids = {sector: "a built-in sector" for sector in library.sectors}
    ids.update({theme: "a built-in theme" for theme in library.themes})
    ids.update({info.name: "a built-in plugin" for info in host.plugins})
    return ids


def _taken_by_builtin(name: str) -> str | None:
    return _builtin_ids().get(name)


def installed_plugin(name: str) -> str | None:
    """The distribution of an installed (non built-in) plugin with this name, if there is one."""
    for ep in metadata.entry_points(group="clausegen"):
        dist = getattr(ep, "dist", None)
        dist_name = dist.metadata["Name"] if dist is not None else "?"
        if ep.name == name and dist_name.lower() != "clausegen":
            return f"{dist_name} {dist.version if dist is not None else ''}".strip()
    return None


def _template(path: str) -> str:
    node = resources.files("clausegen").joinpath("resources", "scaffold", *path.split("/"))
    return node.read_text(encoding="utf-8")


def render_files(names: Names, content_only: bool = False) -> dict[str, str]:
    """Relative path -> text of every file of the scaffold, without writing anything."""
    values = names.placeholders()
    files = {}
    for target, template in (PACK_FILES if content_only else PACKAGE_FILES):
        path = target.format(name=names.name, module=names.module)
        files[path] = string.Template(_template(template)).substitute(values)
    return files


def default_directory(name: str, content_only: bool = False) -> Path:
    return Path(name if content_only else PREFIX + name)


def scaffold(name: str, directory: str | Path | None = None,
             content_only: bool = False) -> Scaffold:
    """Write a new plugin called NAME into `directory` (which must not exist yet).

    Raises ClausegenError for a name that cannot be used or a directory that exists; never
    touches an existing file. On any failure the half-written directory is removed again.
    """
    problem = name_problem(name)
    if problem:
        raise ClausegenError(problem)
    names = Names.of(name)
    target = Path(directory) if directory is not None else default_directory(name, content_only)
    files = render_files(names, content_only)
    exists = ClausegenError(f"{target} already exists; new-plugin never overwrites anything: "
                            "choose another directory with -o, or move that one away")
    if target.exists() or target.is_symlink():
        raise exists
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.mkdir()
    except FileExistsError:
        raise exists from None
    except OSError as exc:
        raise ClausegenError(f"cannot create {target}: {exc.strerror or exc}") from None
    try:
        for relative, text in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except BaseException as exc:
        shutil.rmtree(target, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ClausegenError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    return Scaffold(names=names, directory=target, content_only=content_only,
                    files=list(files))


# ---------------------------------------------------------------- the command


def _shell_path(path: Path) -> str:
    """A path as the user would type it in the next-steps hints ("./x" for a relative one)."""
    text = path.as_posix()
    if not path.is_absolute() and not text.startswith(("./", "../")) and text != ".":
        text = "./" + text
    return text


def next_steps(result: Scaffold) -> list[str]:
    name = result.names.name
    if result.content_only:
        plugins_dir = _shell_path(result.directory.parent)
        run = f"clausegen --plugins-dir {plugins_dir}"
        steps = [f"clausegen check {_shell_path(result.directory)}",
                 f"{run} plugins",
                 f"{run} clauses --sector {name}",
                 f"{run} generate --sector {name} -o concept-{name}.docx"]
        if any(result.directory.parent.glob("*.py")):
            steps.append(f"(--plugins-dir also runs the *.py files in {plugins_dir}: keep packs "
                         f"in a folder of their own, e.g. -o cao-plugins/{name})")
        return steps
    folder = _shell_path(result.directory)
    return [f'pip install -e "{folder}[test]"',
            f"python -m pytest {folder}",
            f"clausegen check {folder}",
            f"clausegen clauses --sector {name}",
            f"clausegen generate --sector {name} -o concept-{name}.docx"]
