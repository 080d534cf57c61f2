"""Templates that only print names through clause filters, cite with ref() and branch with
plain `{% if %}`s, rendered without Jinja.

The common case, `{{ name | filter }}` and `{{ ref("id") }}` between plain text, possibly
inside `{% if %}` statements that statements.py can read, renders to exactly what Jinja would
render (tests/test_render.py and tests/test_statements.py compare the two), with no compile
and no bytecode to load. Anything else is left to the sandbox.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from . import statements
from .errors import RenderError, suggest
from .sandbox import MAX_OUTPUT, ClauseSandbox, render_error

_SIMPLE = re.compile(r"\{\{\s*(?:ref\(\s*\"([^\"{}\\]*)\"\s*\)|([A-Za-z_]\w*)((?:\s*\|\s*[A-Za-z_]\w*)*))"
                     r"\s*\}\}")


class _FastContext(dict):
    """What a filter sees of the template context on the fast path (no Jinja context)."""

    def __init__(self, environment: ClauseSandbox, language: str):
        super().__init__(language=language)
        self.environment = environment


def render_simple(env: ClauseSandbox, source: str, *, name: str, file: str,
                  values: dict[str, Any], context: dict[str, Any],
                  ref: Callable[[str], str], terms: Callable[[str], str]) -> str | None:
    """Render a template of plain {{ name | filter }} and {{ ref("id") }} expressions
    directly, or return None when it needs Jinja (statements, other expressions). Plain
    {% if %} statements are read without Jinja too (statements.py).

    `env` gives the filters and the budget, `ref` prints a reference and `terms` puts the
    sector's own words into the text between expressions, as the sandbox does when compiling.
    """
    matches = list(_SIMPLE.finditer(source))
    bounds = [0] + [i for m in matches for i in m.span()] + [len(source)]
    literals = [source[a:b] for a, b in zip(bounds[::2], bounds[1::2])]
    rest = "".join(literals)
    tree = None
    if "{{" in rest or "{%" in rest or "{#" in rest:
        tree = statements.parse(source, _SIMPLE)
        if tree is None:
            return None
    ctx = _FastContext(env, env.language)

    def printed(value: Any, filters: str) -> str:
        names = [f.strip() for f in filters.split("|") if f.strip()]
        if any(f not in env.clause_filters for f in names):
            raise LookupError   # another filter: let Jinja do it all
        for f in names:
            value = env.filters[f](ctx, value)
        return str(env.print_value(value))

    def value_of(match: re.Match) -> str:
        if match.group(1) is not None:
            return ref(match.group(1))
        variable = match.group(2)
        if any(f.strip() not in env.clause_filters for f in match.group(3).split("|")
               if f.strip()):
            raise LookupError   # another filter: let Jinja do it all
        if variable in values:
            value = values[variable]
        elif variable in context:
            value = context[variable]
        elif variable == "language":
            value = env.language
        else:
            hint = suggest(variable, list(values) + list(context))
            raise RenderError(f"{name}: '{variable}' is undefined", file=file,
                              suggestion=hint)
        return printed(value, match.group(3))
    if literals[-1].endswith("\n"):   # as Jinja does (keep_trailing_newline=False)
        literals[-1] = literals[-1][:-1]
    env.start()
    try:
        if tree is not None:
            pieces = _walk(tree, env, {**context, **values, "language": env.language},
                           value_of, printed, terms)
        else:
            pieces = [terms(literals[0])]
            for match, literal in zip(matches, literals[1:]):
                pieces += [value_of(match), terms(literal)]
    except LookupError:
        return None
    except RenderError:
        raise
    except Exception as exc:
        raise render_error(exc, name, file, values, context) from None
    text = "".join(pieces)
    if len(text) > MAX_OUTPUT:
        raise RenderError(f"{name}: renders to more than {MAX_OUTPUT:,} characters",
                          file=file)
    return text


def _walk(tree: list, env: ClauseSandbox, variables: dict[str, Any], value_of: Callable,
          printed: Callable, terms: Callable[[str], str]) -> list[str]:
    """The pieces of a statements.parse tree: its text (in the sector's words), its
    expressions, and of each if the first branch whose condition holds, as Jinja would."""
    def lookup(name: str) -> Any:
        if name in variables:
            return variables[name]
        if name == "ref" or name in env.globals:
            raise LookupError       # a function: Jinja's business
        return statements.UNDEFINED
    pieces: list[str] = []

    def walk(items: list) -> None:
        for kind, item in items:
            if kind == "text":
                pieces.append(terms(item))
            elif kind == "expr":
                pieces.append(value_of(item))
            elif kind == "attr":
                pieces.append(printed(statements.value(item[0], lookup), item[1]))
            else:
                for condition, body in item:
                    if condition is None or statements.test(condition, lookup):
                        walk(body)
                        break
    walk(tree)
    return pieces
