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

from . import filters, statements
from .budget import MAX_OUTPUT, Budget
from .errors import RenderError, suggest

_SIMPLE = re.compile(r"\{\{\s*(?:ref\(\s*\"([^\"{}\\]*)\"\s*\)|([A-Za-z_]\w*)((?:\s*\|\s*[A-Za-z_]\w*)*))"
                     r"\s*\}\}")
# The functions a clause template can call (the sandbox's globals and the renderer's ref()):
# a name that is one of them is Jinja's business.
FUNCTIONS = frozenset({"ref", "range"})


class FastPath:
    """One renderer's fast path: the draft's language and context, the clause filters (plain
    functions, filters.py), the render budget it shares with the sandbox, and how the renderer
    prints a reference and puts a sector's words into text."""

    def __init__(self, language: str, context: dict[str, Any],
                 clause_filters: dict[str, Callable], budget: Budget,
                 ref: Callable[[str], str], terms: Callable[[str], str]):
        self.language, self.context, self.filters = language, context, clause_filters
        self.budget, self.ref, self.terms = budget, ref, terms
        self._chains: dict[str, list] = {}

    def chain(self, names: str) -> list[Callable]:
        """The filters of a `| a | b` chain, looked up once per chain (a library uses a few);
        LookupError when one is not a clause filter: Jinja renders the template."""
        found = self._chains.get(names)
        if found is None:
            found = self._chains[names] = [self.filters.get(f.strip())
                                           for f in names.split("|") if f.strip()]
        if None in found:
            raise LookupError
        return found

    def render(self, source: str, *, name: str, file: str, values: dict[str, Any]) -> str | None:
        """Render a template of plain {{ name | filter }} and {{ ref("id") }} expressions
        directly, or return None when it needs Jinja (statements, other expressions). Plain
        {% if %} statements are read without Jinja too (statements.py)."""
        matches = list(_SIMPLE.finditer(source))
        bounds = [0] + [i for m in matches for i in m.span()] + [len(source)]
        literals = [source[a:b] for a, b in zip(bounds[::2], bounds[1::2])]
        rest = "".join(literals)
        tree = None
        # Anything else with a brace (a tag, or a stray brace next to an expression such as
        # `{{{ x }}}`, which Jinja refuses) or a carriage return (Jinja normalises line ends)
        # goes through statements.parse, which reads tags from the left as Jinja's lexer does,
        # or else to Jinja.
        if "{" in rest or "}" in rest or "\r" in source:
            tree = statements.parse(source, _SIMPLE)
            if tree is None:
                return None
        if literals[-1].endswith("\n"):   # as Jinja does (keep_trailing_newline=False)
            literals[-1] = literals[-1][:-1]
        one = _Render(self, name, file, values)
        self.budget.start()
        try:
            if tree is not None:
                pieces = one.walk(tree)
            else:
                pieces = [self.terms(literals[0])]
                for match, literal in zip(matches, literals[1:]):
                    pieces += [one.value_of(match), self.terms(literal)]
        except LookupError:         # something only Jinja can do: it renders the whole template
            return None
        except RenderError:
            raise
        except Exception as exc:
            # Rare, and it ends the render: the sandbox words every failed render the same way.
            from .sandbox import render_error
            raise render_error(exc, name, file, values, self.context) from None
        text = "".join(pieces)
        if len(text) > MAX_OUTPUT:
            raise RenderError(f"{name}: renders to more than {MAX_OUTPUT:,} characters",
                              file=file)
        return text


class _Render:
    """One template's rendering on the fast path: its values, and how it prints them.

    A LookupError from any method means "not on the fast path": FastPath.render gives the
    template to Jinja whole."""

    def __init__(self, path: FastPath, name: str, file: str, values: dict[str, Any]):
        self.path, self.name, self.file = path, name, file
        self.values, self.context, self.language = values, path.context, path.language

    def printed(self, value: Any, names: str) -> str:
        """A value through the filters of a `{{ }}`, printed as the sandbox prints it."""
        path = self.path
        for function in path.chain(names):
            value = function(value, self.language, path.budget)
        return str(filters.print_value(value, self.language, path.budget))

    def value_of(self, match: re.Match) -> str:
        """A plain `{{ name | filter }}` or `{{ ref("id") }}` as printed text."""
        if match.group(1) is not None:
            return self.path.ref(match.group(1))
        variable, names = match.group(2), match.group(3)
        self.path.chain(names)      # another filter: Jinja does it all, undefined names too
        value = self.lookup(variable)
        if value is statements.UNDEFINED:
            hint = suggest(variable, list(self.values) + list(self.context))
            raise RenderError(f"{self.name}: '{variable}' is undefined", file=self.file,
                              suggestion=hint)
        return self.printed(value, names)

    def lookup(self, name: str) -> Any:
        """A name as the sandbox's variables give it ({**context, **values, language, ref}
        over its globals): `language` and `ref` first, then the values, then the draft's
        context; a function (ref, or range when nothing else has the name) is Jinja's
        business (LookupError); else statements.UNDEFINED."""
        if name == "language":
            return self.language
        if name == "ref":
            raise LookupError
        if name in self.values:
            return self.values[name]
        if name in self.context:
            return self.context[name]
        if name in FUNCTIONS:
            raise LookupError
        return statements.UNDEFINED

    def walk(self, tree: list) -> list[str]:
        """The pieces of a statements.parse tree: its text (in the sector's words), its
        expressions, and of each if the first branch whose condition holds, as Jinja would."""
        pieces: list[str] = []
        for kind, item in tree:
            if kind == "text":
                pieces.append(self.path.terms(item))
            elif kind == "expr":
                pieces.append(self.value_of(item))
            elif kind == "attr":
                pieces.append(self.printed(statements.value(item[0], self.lookup), item[1]))
            else:
                for condition, body in item:
                    if condition is None or statements.test(condition, self.lookup):
                        pieces += self.walk(body)
                        break
        return pieces
