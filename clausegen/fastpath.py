"""Templates that only print names through clause filters and cite with ref(), without Jinja.

The common case, `{{ name | filter }}` and `{{ ref("id") }}` between plain text, renders to
exactly what Jinja would render (tests/test_render.py compares the two), with no compile and
no bytecode to load. Anything else is left to the sandbox.
"""
from __future__ import annotations

import re
from typing import Any, Callable

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
    directly, or return None when it needs Jinja (statements, other expressions).

    `env` gives the filters and the budget, `ref` prints a reference and `terms` puts the
    sector's own words into the text between expressions, as the sandbox does when compiling.
    """
    matches = list(_SIMPLE.finditer(source))
    bounds = [0] + [i for m in matches for i in m.span()] + [len(source)]
    literals = [source[a:b] for a, b in zip(bounds[::2], bounds[1::2])]
    rest = "".join(literals)
    if "{{" in rest or "{%" in rest or "{#" in rest:
        return None
    ctx = _FastContext(env, env.language)

    def value_of(match: re.Match) -> str:
        if match.group(1) is not None:
            return ref(match.group(1))
        variable = match.group(2)
        filters = [f.strip() for f in match.group(3).split("|") if f.strip()]
        if any(f not in env.clause_filters for f in filters):
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
        for f in filters:
            value = env.filters[f](ctx, value)
        return str(env.print_value(value))
    if literals[-1].endswith("\n"):   # as Jinja does (keep_trailing_newline=False)
        literals[-1] = literals[-1][:-1]
    env.start()
    try:
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
