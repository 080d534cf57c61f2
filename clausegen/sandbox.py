"""The sandbox a clause template runs in: what it may do, and how much, per render.

Templates run in Jinja's immutable sandbox with StrictUndefined, narrowed further: third-party
content can format values with clausegen's filters and branch on them, nothing more. Every
operation that builds a string or list is checked against the limits in budget.py
(docs/security.md).
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable

import jinja2
import jinja2.filters
from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg

from . import filters, params
from .budget import MAX_CALLS, MAX_RANGE, MAX_STEPS, Budget, LimitExceeded, size_of
from .errors import ClausegenError, RenderError, suggest
from .filters import JINJA_FILTERS, Unprintable, too_big
from .template_cache import Sources, bytecode_cache

# Part of every cache key: compiled code carries the sandbox's compile-time checks, so code
# compiled by another version of the sandbox must never be loaded. Bump on any sandbox change.
SANDBOX_VERSION = "5"
LOOP_ATTRIBUTES = {"index", "index0", "revindex", "revindex0", "first", "last", "length",
                   "previtem", "nextitem", "depth", "depth0"}
# Tags that load another template: a clause is one template and loads nothing.
_LOADING = {nodes.Extends: "extends", nodes.Include: "include", nodes.Import: "import",
            nodes.FromImport: "from ... import"}
_ADDRESS = re.compile(r" (?:object )?at 0x[0-9a-fA-F]+")


filters.ENGINE_OBJECTS.update({jinja2.Undefined: "nothing (undefined)", LoopContext: "a loop",
                               Macro: "a function or macro"})


def _safe_range(*args):
    if len(range(*args)) > MAX_RANGE:
        raise SecurityError(f"range() larger than {MAX_RANGE} is not allowed in a clause")
    return range(*args)


class _CodeGenerator(CodeGenerator):
    """Compiles `a ~ b` and slices `s[a:b]` through the environment, so what they build is
    checked like `+` (Jinja compiles a slice to a plain Python subscript)."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.checked_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_Getitem(self, node, frame) -> None:
        if not isinstance(node.arg, nodes.Slice):
            super().visit_Getitem(node, frame)
            return
        self.write("environment.getitem(")
        self.visit(node.node, frame)
        self.write(", slice(")
        for part in (node.arg.start, node.arg.stop, node.arg.step):
            if part is None:
                self.write("None")
            else:
                self.visit(part, frame)
            self.write(", ")
        self.write("))")


class ClauseSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to what a clause needs.

    On top of the stock sandbox (no underscore attributes, no unsafe callables): no attribute
    access except a loop's own counters (so no str.format, ljust, ...), no mutation of lists
    or dicts, no %-formatting, nothing loaded, no Python object printed. Every operation that
    builds a string or list (*, +, ~, slices, filters, and the bodies of blocks, macros and
    `{% set %}`) is checked against MAX_OUTPUT before it runs where its size is known up front,
    and counted against MAX_BUILT; each of those operations, every call and every loop
    iteration also checks the wall clock. Nothing is evaluated at compile time (no optimizer,
    no constant folding), so the limits hold there too.
    """

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, *args, language: str = "nl",
                 terminology: Callable[[str], str] | None = None,
                 budget: Budget | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.terminology = terminology
        # What a template may call besides its macros and range(): the renderer's ref().
        self.functions: tuple[Callable, ...] = ()
        # Jinja joins the output of blocks, macros, calls and `{% set %}` with this.
        self.concat = self.checked_concat
        # The render's budget, shared with the fast path of the same renderer. Its methods are
        # the environment's too: the checked operations and Jinja's filters below reach the
        # budget through the environment, the one object a template's code holds.
        self.budget = budget if budget is not None else Budget()
        self.tick, self.grow = self.budget.tick, self.budget.grow
        self.account, self.fits = self.budget.account, self.budget.fits

    # ------------------------------------------------------------ values as text

    def text_of(self, value: Any) -> str:
        """A value as text inside a string (`~`, join, replace, |string): what it means, never
        a Python repr."""
        if isinstance(value, jinja2.Undefined):
            return str(value)          # "" for an `{{ x if y }}` without else; raises if strict
        return filters.text_of(value, self.language)

    def print_value(self, value: Any) -> Any:
        """What `{{ value }}` prints (Jinja's finalize): text, a number or a date in the draft's
        language, yes/no; anything else is refused."""
        if isinstance(value, jinja2.Undefined):
            self.tick()
            return value
        return filters.print_value(value, self.language, self.budget)

    # ------------------------------------------------------------ checked operations

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, LoopContext) and attr in LOOP_ATTRIBUTES

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        __self.budget.calls += 1
        if __obj == __self.guard_iter:     # a loop starting: its iterations are counted
            return __obj(*args)
        if __self.budget.calls > MAX_CALLS:
            raise SecurityError(f"more than {MAX_CALLS} calls in one clause")
        __self.tick()
        if not (isinstance(__obj, Macro) or __obj is _safe_range
                or any(__obj == function for function in __self.functions)):
            raise SecurityError(f"calling {filters.describe(__obj)} is not allowed in a clause; "
                                "use a filter")
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "%" and isinstance(left, str):
            raise SecurityError("%-formatting is not allowed in a clause; use a filter")
        if operator == "**":
            if isinstance(right, (int, Decimal)) and abs(right) > 64 or \
                    isinstance(left, (int, Decimal)) and abs(left) > 10**6:
                raise SecurityError("a power that large is not allowed in a clause")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if size_of(seq) and isinstance(times, int):
                    self.fits(size_of(seq) * times)
        if operator == "+":
            self.fits(size_of(left) + size_of(right))
        result = super().call_binop(context, operator, left, right)
        if too_big(result):
            raise SecurityError("a number that large (or not finite) is not allowed in a clause")
        return self.account(result)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        value = super().getitem(obj, argument)
        return self.account(value) if isinstance(argument, slice) else value

    def guard_iter(self, iterable):
        """Every loop iteration counts, so loops that print nothing still stop."""
        for item in iterable:
            self.budget.steps += 1
            if self.budget.steps > MAX_STEPS:
                raise SecurityError(f"more than {MAX_STEPS:,} loop iterations in one clause")
            self.tick()
            yield item

    def checked_join(self, parts) -> str:
        """`a ~ b ~ c`: each part as text, the result's size checked before it is built."""
        pieces = [self.text_of(p) for p in parts]
        size = sum(map(len, pieces))
        self.fits(size, "a string")
        self.grow(size)
        return "".join(pieces)

    def checked_concat(self, pieces) -> str:
        """The output of a block, macro, call or `{% set %}` body, joined only if it fits."""
        parts, size = [], 0
        for piece in pieces:
            size += len(piece)
            self.fits(size, "the output of a block, macro or {% set %}")
            parts.append(piece)
        self.grow(size)
        return "".join(parts)

    # ------------------------------------------------------------ compiling

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)

        def refuse(message: str, node) -> None:
            raise jinja2.TemplateSyntaxError(message, node.lineno, name, filename)

        for node in tree.find_all(tuple(_LOADING)):
            refuse(f"{{% {_LOADING[type(node)]} %}} is not allowed in a clause: a clause "
                   "cannot load another template", node)
        for node in tree.find_all(nodes.Const):
            if isinstance(node.value, str):
                found = params.UNHOLDABLE.search(node.value)
                if found:
                    refuse(f"the character U+{ord(found.group()):04X} is not allowed in a "
                           "clause: a Word document cannot hold it", node)
            elif too_big(node.value):
                refuse("a number that large (or not finite) is not allowed in a clause", node)
        for node in tree.find_all(nodes.TemplateData):
            found = params.UNHOLDABLE.search(node.data)
            if found:
                refuse(f"the character U+{ord(found.group()):04X} is not allowed in a clause: "
                       "a Word document cannot hold it", node)
            if self.terminology:
                # The sector's own words go into the text as text: never into code, never
                # into a value.
                node.data = self.terminology(node.data)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("guard_iter"), [loop.iter], [],
                                   None, None, lineno=loop.lineno)
        return tree


# ---------------------------------------------------------------- filters
#
# Every filter takes the template context, so Jinja never runs one at compile time, and every
# one checks the clock and the size of what it builds.


def _call(function: Callable, ctx, *args, **kwargs) -> Any:
    """Call one of Jinja's own filters with the argument it asks for (context, environment)."""
    wants = _PassArg.from_obj(function)
    if wants is _PassArg.context:
        return function(ctx, *args, **kwargs)
    if wants is _PassArg.eval_context:
        return function(ctx.eval_ctx, *args, **kwargs)
    if wants is _PassArg.environment:
        return function(ctx.environment, *args, **kwargs)
    return function(*args, **kwargs)


def _checked(function: Callable, text: bool = False) -> Callable:
    """One of Jinja's filters, its result's size checked; with text=True its input is made
    text first (`employers|upper` is refused, not the upper-cased repr of a list)."""
    @pass_context
    def checked(ctx, value, *args, **kwargs):
        env = ctx.environment
        env.tick()
        if text:
            value = env.text_of(value)
        return env.account(_call(function, ctx, value, *args, **kwargs))
    return checked


@pass_context
def _sort(ctx, value, reverse: bool = False, case_sensitive: bool = False,
          attribute: Any = None):
    if attribute is not None:     # an attribute getter is a way into the object graph
        raise SecurityError("sort(attribute=...) is not allowed in a clause")
    env = ctx.environment
    env.tick()
    return env.account(_call(jinja2.filters.do_sort, ctx, value, reverse, case_sensitive))


@pass_context
def _string(ctx, value):
    env = ctx.environment
    return env.account(env.text_of(value))


@pass_context
def _join(ctx, value, separator: Any = "", attribute: Any = None):
    env = ctx.environment
    env.tick()
    if attribute is not None:
        raise SecurityError("join(attribute=...) is not allowed in a clause")
    items = [env.text_of(item) for item in env.account(list(value))]
    separator = env.text_of(separator)
    size = sum(map(len, items)) + len(separator) * max(len(items) - 1, 0)
    env.fits(size, "a join")
    env.grow(size)
    return separator.join(items)


@pass_context
def _replace(ctx, value, old: Any, new: Any, count: Any = None):
    env = ctx.environment
    env.tick()
    value, old, new = env.text_of(value), env.text_of(old), env.text_of(new)
    times = value.count(old) if old else len(value) + 1
    if count is not None:
        if not isinstance(count, int) or isinstance(count, bool):
            raise TypeError("replace: the count must be a whole number")
        times = min(times, count) if count >= 0 else times
    size = len(value) + times * (len(new) - len(old))
    env.fits(size, "a replace")
    env.grow(size)
    return value.replace(old, new, -1 if count is None else count)


def _clause_filter(function: Callable, items: bool = False) -> Callable:
    """A clause filter (filters.py) as Jinja calls it: with the template's context, from which
    it takes the draft's language and the render's budget. An undefined name passed to it is
    its own error ("'x' is undefined"), and so is one among the items a markup filter prints."""
    @pass_context
    def apply(ctx, value, *args):
        if isinstance(value, jinja2.Undefined):
            str(value)
        elif items and isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, jinja2.Undefined):
                    str(item)
        return function(value, ctx.environment.language, ctx.environment.budget, *args)
    return apply


def make_environment(language: str = "nl", extra_filters: dict[str, Callable] | None = None,
                     terminology: Callable[[str], str] | None = None,
                     budget: Budget | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja environment clause templates of one language run in.

    `terminology` (a sector's own words) is applied to the text of every template, never to its
    code. Compiled templates are kept on disk (template_cache.py), because compiling is most of
    the cost of rendering a clause. `budget` is the renderer's, shared with its fast path.
    """
    @pass_context
    def finalize(ctx, value: Any) -> Any:
        return ctx.environment.print_value(value)

    env = ClauseSandbox(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        autoescape=False, finalize=finalize, loader=Sources(), cache_size=0, optimized=False,
        bytecode_cache=bytecode_cache(), language=language, terminology=terminology,
        budget=budget)
    jinja = env.filters
    env.filters = {name: _checked(jinja[name], text=name in ("upper", "lower", "capitalize",
                                                             "title", "trim"))
                   for name in JINJA_FILTERS}
    env.filters.update(string=_string, join=_join, replace=_replace, sort=_sort)
    env.filters.update({name: _clause_filter(function, items=name in filters.MARKUP_FILTERS)
                        for name, function in filters.clause_filters(extra_filters).items()})
    env.tests = dict(env.tests)
    env.globals = {"range": _safe_range}
    return env


# ---------------------------------------------------------------- errors


def exception_text(exc: BaseException) -> str:
    """An exception as `Type: message`, without memory addresses."""
    return f"{type(exc).__name__}: {_ADDRESS.sub('', str(exc))}"


def render_error(exc: Exception, name: str, file: str, values: dict,
                 context: dict) -> RenderError:
    """The one message for an exception raised while a template ran."""
    if isinstance(exc, jinja2.UndefinedError):
        match = re.search(r"'([^']+)' is undefined", str(exc))
        hint = suggest(match.group(1), list(values) + list(context)) if match else None
        return RenderError(f"{name}: {_ADDRESS.sub('', str(exc))}", file=file, suggestion=hint)
    if isinstance(exc, (SecurityError, LimitExceeded)):
        return RenderError(f"{name}: the template did something the sandbox forbids "
                           f"({_ADDRESS.sub('', str(exc))})", file=file)
    if isinstance(exc, Unprintable):
        return RenderError(f"{name}: {exc}", file=file)
    if isinstance(exc, ClausegenError):      # a plugin's filter failed (plugin_host names it)
        return RenderError(f"{name}: {exc.message}", file=file)
    if isinstance(exc, MemoryError):
        return RenderError(f"{name}: the template needs too much memory", file=file)
    return RenderError(f"{name}: {exception_text(exc)}", file=file)

