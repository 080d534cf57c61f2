"""Sandboxed rendering of clause templates into the block model (Lid > Sub, inline spans).

Templates run in Jinja's SandboxedEnvironment with StrictUndefined: third-party content can
format values and branch on them, nothing more. Output is parsed from a small markup (blank line
= new lid, "- " = sub-item, *italic*, **bold**) so that numbers are never typed into a clause.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import os
import re
import time
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

import jinja2
import jinja2.filters
from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg

from . import params, statements
from .contentcache import private_folder, user_cache_root
from .errors import ClausegenError, RenderError, suggest
from .model import LEVEL_WORDS, Lid, Placeholder, Ref, Span, Sub

# Private-use characters mark what the markup parser must turn into objects, so no clause
# text or parameter value can forge them (they are rejected in input: params.check_text).
REF_OPEN, REF_CLOSE = "\ue000", "\ue001"
MISSING_OPEN, MISSING_CLOSE = "\ue002", "\ue003"
STAR = "\ue004"   # a literal "*" from a value, kept out of the emphasis markup
MARKERS = REF_OPEN + REF_CLOSE + MISSING_OPEN + MISSING_CLOSE + STAR  # see params.UNHOLDABLE
# Limits per render. Every operation that builds a string or list is checked before or right
# after it runs, and each one is linear in sizes these limits bound, so no single operation
# can take long and the sum of them is bounded too (docs/security.md).
MAX_OUTPUT = 100_000      # characters one clause may render to (and any string or list in it)
MAX_TEMPLATE = 100_000    # characters of a template with code in it (compiling: ~4 s per MB)
MAX_BUILT = 2_000_000     # characters and list items one render may build in all
MAX_RANGE = 1_000         # largest range() a template may build
MAX_CALLS = 1_000         # calls (macros, range, ref) one render may make
MAX_STEPS = 100_000       # loop iterations one render may make
MAX_DIGITS = 1_000        # digits of the largest number a template may compute
MAX_SECONDS = 5.0         # wall-clock budget of one render, compiling included
# Part of every cache key: compiled code carries the sandbox's compile-time checks, so code
# compiled by another version of the sandbox must never be loaded. Bump on any sandbox change.
SANDBOX_VERSION = "4"
_MAX_BITS = int(MAX_DIGITS * math.log2(10))
# The common case, a template that only prints names through our own filters and cites with
# ref(), is rendered without Jinja: same output, no compile and no bytecode to load.
_SIMPLE = re.compile(r"\{\{\s*(?:ref\(\s*\"([^\"{}\\]*)\"\s*\)|([A-Za-z_]\w*)((?:\s*\|\s*[A-Za-z_]\w*)*))"
                     r"\s*\}\}")
LOOP_ATTRIBUTES = {"index", "index0", "revindex", "revindex0", "first", "last", "length",
                   "previtem", "nextitem", "depth", "depth0"}
# Tags that load another template: a clause is one template and loads nothing.
_LOADING = {nodes.Extends: "extends", nodes.Include: "include", nodes.Import: "import",
            nodes.FromImport: "from ... import"}
_ADDRESS = re.compile(r" (?:object )?at 0x[0-9a-fA-F]+")


class Unprintable(TypeError):
    """A value a clause cannot print or use as text: a function, a loop, a list, nothing."""


def missing(name: str) -> str:
    """The marker for a parameter that has no value yet."""
    return f"{MISSING_OPEN}{name}{MISSING_CLOSE}"


def _is_missing(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(MISSING_OPEN)


def _language(ctx) -> str:
    return ctx.get("language", "nl")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _what(value: Any) -> str:
    """A value described for a message: never its repr, which can carry a memory address."""
    if value is None:
        return "nothing (none)"
    if isinstance(value, jinja2.Undefined):
        return "nothing (undefined)"
    if isinstance(value, str):
        return f"the text {value[:40] + ('...' if len(value) > 40 else '')!r}"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, (list, tuple, range)):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, LoopContext):
        return "a loop"
    if isinstance(value, Macro) or callable(value):
        return "a function or macro"
    return "an object"


def _too_big(value: Any) -> bool:
    """A number too large (or not finite) to be a clause's business."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value.bit_length() > _MAX_BITS
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Decimal):
        return not value.is_finite() or value.adjusted() >= MAX_DIGITS
    return False


def _one_line(text: str) -> str:
    """A value's line breaks (and the blanks around them) as one space, in linear time: a value
    is one run of text and starts no new lid or sub-item."""
    if "\n" not in text and "\r" not in text:
        return text
    first, *middle, last = re.split(r"[\r\n]+", text)
    words = [part.strip() for part in middle]
    return " ".join([first.rstrip(), *(w for w in words if w), last.lstrip()])


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
                 terminology: Callable[[str], str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.terminology = terminology
        # Jinja joins the output of blocks, macros, calls and `{% set %}` with this.
        self.concat = self.checked_concat
        self.calls = self.steps = self.built = 0
        self.deadline = float("inf")

    # ------------------------------------------------------------ the budget

    def start(self) -> None:
        """Reset the budget before compiling and rendering a template."""
        self.calls = self.steps = self.built = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def tick(self) -> None:
        """Stop a render that has run out of time."""
        if time.monotonic() > self.deadline:
            raise SecurityError(f"rendering took longer than {MAX_SECONDS:g} seconds")

    def grow(self, size: int) -> None:
        """Count `size` characters or list items built against the render's budget."""
        self.built += size
        if self.built > MAX_BUILT:
            raise SecurityError(f"the template built more than {MAX_BUILT:,} characters in all")
        self.tick()

    def account(self, value: Any) -> Any:
        """A string or list just built by a cheap operation: refuse it when too long, count it."""
        size = _size(value)
        if size > MAX_OUTPUT:
            raise SecurityError(f"a string or list longer than {MAX_OUTPUT:,} is not allowed "
                                "in a clause")
        self.grow(size)
        return value

    def fits(self, size: int, what: str = "a string or list") -> None:
        """Refuse, before it is built, a result that would be longer than MAX_OUTPUT."""
        if size > MAX_OUTPUT:
            raise SecurityError(f"{what} longer than {MAX_OUTPUT:,} is not allowed in a clause")

    # ------------------------------------------------------------ values as text

    def text_of(self, value: Any) -> str:
        """A value as text inside a string (`~`, join, replace, |string): what it means, never
        a Python repr."""
        if isinstance(value, str):
            return value
        if isinstance(value, jinja2.Undefined):
            return str(value)          # "" for an `{{ x if y }}` without else; raises if strict
        if isinstance(value, bool):
            return params.format_value("bool", value, self.language)
        if isinstance(value, (int, float, Decimal)):
            if _too_big(value):
                raise Unprintable("a number too large (or not finite) cannot be printed")
            return params.plain(value)
        if isinstance(value, dt.date):
            return str(value)
        raise Unprintable(f"{_what(value)} cannot be printed or used as text")

    def print_value(self, value: Any) -> Any:
        """What `{{ value }}` prints (Jinja's finalize): text, a number or a date in the draft's
        language, yes/no; anything else is refused."""
        self.tick()
        if isinstance(value, str):
            if _is_missing(value) or REF_OPEN in value:
                return value
            # A value is one run of text: its "*" is no emphasis and its line breaks start no
            # new lid or sub-item.
            text = _one_line(value.replace("*", STAR))
            self.grow(len(text))
            return text
        if isinstance(value, jinja2.Undefined):
            return value
        if isinstance(value, bool):
            return params.format_value("bool", value, self.language)
        if isinstance(value, (int, float, Decimal)):
            if _too_big(value):
                raise Unprintable("a number too large (or not finite) cannot be printed")
            return params.format_number(value, self.language)
        if isinstance(value, dt.date):
            return params.format_date(value, self.language)
        hint = "; join a list with |join(', ')" if isinstance(value, (list, tuple)) else ""
        raise Unprintable(f"{_what(value)} cannot be printed{hint}")

    # ------------------------------------------------------------ checked operations

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, LoopContext) and attr in LOOP_ATTRIBUTES

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        __self.calls += 1
        if __obj == __self.guard_iter:     # a loop starting: its iterations are counted
            return __obj(*args)
        if __self.calls > MAX_CALLS:
            raise SecurityError(f"more than {MAX_CALLS} calls in one clause")
        __self.tick()
        if not (isinstance(__obj, Macro) or __obj is _safe_range
                or getattr(__obj, "__self__", None) is not None
                and isinstance(__obj.__self__, Renderer)):
            raise SecurityError(f"calling {_what(__obj)} is not allowed in a clause; "
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
                if _size(seq) and isinstance(times, int):
                    self.fits(_size(seq) * times)
        if operator == "+":
            self.fits(_size(left) + _size(right))
        result = super().call_binop(context, operator, left, right)
        if _too_big(result):
            raise SecurityError("a number that large (or not finite) is not allowed in a clause")
        return self.account(result)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        value = super().getitem(obj, argument)
        return self.account(value) if isinstance(argument, slice) else value

    def guard_iter(self, iterable):
        """Every loop iteration counts, so loops that print nothing still stop."""
        for item in iterable:
            self.steps += 1
            if self.steps > MAX_STEPS:
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
            elif _too_big(node.value):
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


class _Sources(jinja2.BaseLoader):
    """The source of the one template being compiled, by name, so Jinja's bytecode cache can
    key compiled code by content. Nothing else can be loaded."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def get_source(self, environment, template):
        if template not in self.sources:
            raise jinja2.TemplateNotFound(template)
        source = self.sources[template]
        return source, None, lambda: self.sources.get(template) == source


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


def _number(value: Any, name: str) -> Any:
    """A value a number filter can format: a number, or text that reads as one."""
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise Unprintable(f"filter {name!r} needs a number, not {_what(value)}") from None
    elif isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise Unprintable(f"filter {name!r} needs a number, not {_what(value)}")
    if _too_big(value):
        raise Unprintable(f"filter {name!r}: a number too large (or not finite) cannot be "
                          "printed")
    return value


def _formatter(name: str, function: Callable[..., str], kind: str | None) -> Callable:
    """clausegen's and plugins' filters, called as function(value, language, *args). `kind`
    ("number" or "date") is what a built-in filter formats; plugin filters take any value."""
    @pass_context
    def apply(ctx, value, *args):
        env = ctx.environment
        env.tick()
        if _is_missing(value):
            return value
        if isinstance(value, jinja2.Undefined):
            str(value)       # an undefined name: its own error ("'x' is undefined")
        if kind == "number":
            value = _number(value, name)
        elif kind == "date" and not isinstance(value, dt.date):
            raise Unprintable(f"filter {name!r} needs a date, not {_what(value)}")
        result = function(value, _language(ctx), *args)
        if not isinstance(result, str):
            raise Unprintable(f"filter {name!r} gave {_what(result)}, not text")
        params.check_text(result, f"filter {name!r}", Unprintable)
        return env.account(result)
    return apply


BUILTIN_FILTERS = {
    "number": params.format_number,
    "money": params.format_money,
    "percentage": params.format_percentage,
    "date": params.format_date,
    **{unit: (lambda u: lambda v, lang: params.format_unit(v, u, lang))(unit)
       for unit in params.UNITS},
}
# A few harmless filters of Jinja's own, each made text-safe and size-checked.
JINJA_FILTERS = ("upper", "lower", "capitalize", "title", "trim", "join", "length", "round",
                 "abs", "default", "first", "last", "replace", "int", "float", "string", "sort")
# Names a plugin cannot register a filter under (library.add_filter refuses them).
RESERVED_FILTERS = frozenset(BUILTIN_FILTERS) | frozenset(JINJA_FILTERS)


def cache_dir() -> str | None:
    """Where compiled templates are kept across runs, or None when caching is off.

    CLAUSEGEN_NO_CACHE=1 (or `--no-cache`) turns it off; CLAUSEGEN_CACHE_DIR moves it;
    the default is the user cache directory (XDG_CACHE_HOME or ~/.cache)/clausegen/templates.
    Only a private folder is used (contentcache.private_folder).
    """
    if os.environ.get("CLAUSEGEN_NO_CACHE"):
        return None
    folder = os.environ.get("CLAUSEGEN_CACHE_DIR") or os.path.join(user_cache_root(),
                                                                   "templates")
    return private_folder(folder)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, but a cache that cannot be read or written never fails a build."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:   # unreadable, truncated or garbled: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def make_environment(language: str = "nl", extra_filters: dict[str, Callable] | None = None,
                     terminology: Callable[[str], str] | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja environment clause templates of one language run in.

    `terminology` (a sector's own words) is applied to the text of every template, never to its
    code. Compiled templates are cached on disk keyed by a hash of their source (Jinja's
    bytecode cache), because compiling is most of the cost of rendering a clause.
    """
    folder = cache_dir()

    @pass_context
    def finalize(ctx, value: Any) -> Any:
        return ctx.environment.print_value(value)

    env = ClauseSandbox(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        autoescape=False, finalize=finalize, loader=_Sources(), cache_size=0, optimized=False,
        bytecode_cache=_BytecodeCache(folder) if folder else None, language=language,
        terminology=terminology)
    jinja = env.filters
    env.filters = {name: _checked(jinja[name], text=name in ("upper", "lower", "capitalize",
                                                             "title", "trim"))
                   for name in JINJA_FILTERS}
    env.filters.update(string=_string, join=_join, replace=_replace, sort=_sort)
    kinds = {"date": "date"}
    for name, function in BUILTIN_FILTERS.items():
        env.filters[name] = _formatter(name, function, kinds.get(name, "number"))
    for name, function in (extra_filters or {}).items():
        if name in RESERVED_FILTERS:
            raise ClausegenError(f"template filter {name!r} is built in and cannot be replaced")
        env.filters[name] = _formatter(name, function, None)
    env.tests = dict(env.tests)
    env.globals = {"range": _safe_range}
    env.clause_filters = set(BUILTIN_FILTERS) | set(extra_filters or {})
    return env


class _FastContext(dict):
    """What a filter sees of the template context on the fast path (no Jinja context)."""

    def __init__(self, environment: ClauseSandbox, language: str):
        super().__init__(language=language)
        self.environment = environment


class Renderer:
    """Renders clauses of one draft in one language, resolving ref() to article numbers."""

    def __init__(self, language: str, numbers: dict[str, str], titles: dict[str, str],
                 context: dict[str, Any], terminology: dict[str, str] | None = None,
                 filters: dict[str, Callable] | None = None, fast: bool = True):
        self.language = language
        self.fast = fast      # False: every template through Jinja (tests compare the two)
        self.numbers = numbers
        self.titles = titles
        self.context = context
        self.terminology = _terminology_pattern(terminology or {})
        # Compiled code holds the replaced words, so they are part of the cache key.
        self._terms_key = repr(sorted((terminology or {}).items()))
        self.env = make_environment(language, filters, self.terminology)

    # -------------------------------------------------------------- templates

    def render(self, source: str, *, name: str, values: dict[str, Any], file: str = "",
               line: int | Callable[[], int | None] | None = None) -> str:
        """Render one template; every failure becomes a RenderError naming clause and file.

        `line` (the file line the template starts on) may be a function: it is only needed
        for an error, and finding it means scanning the file.
        """
        try:
            if "{" not in source:   # plain text (most titles and toelichtingen): nothing to run
                text = self._terms(source)
            elif len(source) > MAX_TEMPLATE:
                raise RenderError(f"{name}: the template is {len(source):,} characters long; "
                                  f"a clause template holds at most {MAX_TEMPLATE:,}", file=file)
            else:
                text = self._render(source, name, values, file)
            # What enters the draft must be text a Word document can hold (the markers are
            # clausegen's own and are turned into objects by blocks()).
            found = params.WORD_ILLEGAL.search(text)
            if found:
                raise RenderError(f"{name}: renders the character U+{ord(found.group()):04X}, "
                                  "which a Word document cannot hold", file=file)
            return text
        except RenderError as exc:
            start = line() if callable(line) else line
            if start and exc.line is None:
                exc.line = start
            elif start and exc.line is not None and exc.line < 0:
                exc.line = start - exc.line
            raise

    def _terms(self, text: str) -> str:
        return self.terminology(text) if self.terminology else text

    def _simple(self, source: str, name: str, values: dict[str, Any], file: str) -> str | None:
        """Render a template of plain {{ name | filter }} and {{ ref("id") }} expressions
        directly, or return None when it needs Jinja (statements, other expressions).
        Plain {% if %} statements are read without Jinja too (statements.py)."""
        matches = list(_SIMPLE.finditer(source))
        bounds = [0] + [i for m in matches for i in m.span()] + [len(source)]
        literals = [source[a:b] for a, b in zip(bounds[::2], bounds[1::2])]
        rest = "".join(literals)
        tree = None
        if "{{" in rest or "{%" in rest or "{#" in rest:
            tree = statements.parse(source, _SIMPLE)
            if tree is None:
                return None
        env = self.env
        ctx = _FastContext(env, self.language)

        def printed(value: Any, filters: str) -> str:
            names = [f.strip() for f in filters.split("|") if f.strip()]
            if any(f not in env.clause_filters for f in names):
                raise LookupError   # another filter: let Jinja do it all
            for f in names:
                value = env.filters[f](ctx, value)
            return str(env.print_value(value))

        def value_of(match: re.Match) -> str:
            if match.group(1) is not None:
                return self._ref(match.group(1))
            variable = match.group(2)
            if any(f.strip() not in env.clause_filters for f in match.group(3).split("|")
                   if f.strip()):
                raise LookupError   # another filter: let Jinja do it all
            if variable in values:
                value = values[variable]
            elif variable in self.context:
                value = self.context[variable]
            elif variable == "language":
                value = self.language
            else:
                hint = suggest(variable, list(values) + list(self.context))
                raise RenderError(f"{name}: '{variable}' is undefined", file=file,
                                  suggestion=hint)
            return printed(value, match.group(3))
        if literals[-1].endswith("\n"):   # as Jinja does (keep_trailing_newline=False)
            literals[-1] = literals[-1][:-1]
        env.start()
        try:
            if tree is not None:
                pieces = self._walk(tree, value_of, printed, values)
            else:
                pieces = [self._terms(literals[0])]
                for match, literal in zip(matches, literals[1:]):
                    pieces += [value_of(match), self._terms(literal)]
        except LookupError:
            return None
        except RenderError:
            raise
        except Exception as exc:
            raise _render_error(exc, name, file, values, self.context) from None
        text = "".join(pieces)
        if len(text) > MAX_OUTPUT:
            raise RenderError(f"{name}: renders to more than {MAX_OUTPUT:,} characters",
                              file=file)
        return text

    def _walk(self, tree: list, value_of: Callable, printed: Callable,
              values: dict[str, Any]) -> list[str]:
        """The pieces of a statements.parse tree: its text (in the sector's words), its
        expressions, and of each if the first branch whose condition holds, as Jinja would."""
        variables = {**self.context, **values, "language": self.language}

        def lookup(name: str) -> Any:
            if name in variables:
                return variables[name]
            if name == "ref" or name in self.env.globals:
                raise LookupError       # a function: Jinja's business
            return statements.UNDEFINED
        pieces: list[str] = []

        def walk(items: list) -> None:
            for kind, item in items:
                if kind == "text":
                    pieces.append(self._terms(item))
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

    def _render(self, source: str, name: str, values: dict[str, Any], file: str) -> str:
        simple = self._simple(source, name, values, file) if self.fast else None
        if simple is not None:
            return simple
        env = self.env
        env.start()      # compiling counts against the time budget too
        # The name carries a hash of the source (and of the sector's words, which the compiled
        # code holds), so a cached compile can never be stale.
        digest = hashlib.sha256((source + "\0" + self._terms_key).encode(
            "utf-8", "surrogatepass")).hexdigest()[:16]
        key = f"{name}:sandbox-{SANDBOX_VERSION}:{digest}"
        env.loader.sources[key] = source
        try:
            template = env.get_template(key)
        except jinja2.TemplateSyntaxError as exc:
            # a negative line is relative to the template's first line; render() resolves it
            raise RenderError(f"{name}: template syntax error: {exc.message}", file=file,
                              line=-exc.lineno if exc.lineno else None) from None
        except (RecursionError, SyntaxError, MemoryError) as exc:
            raise RenderError(f"{name}: the template is nested too deeply to compile "
                              f"({type(exc).__name__})", file=file) from None
        except Exception as exc:
            raise RenderError(f"{name}: the template cannot be compiled: "
                              f"{_message(exc)}", file=file) from None
        finally:
            del env.loader.sources[key]   # only the template being compiled can be loaded
        variables = {**self.context, **values, "language": self.language, "ref": self._ref}
        try:
            pieces, size = [], 0
            for piece in template.generate(**variables):
                size += len(piece)
                if size > MAX_OUTPUT:
                    raise RenderError(f"{name}: renders to more than {MAX_OUTPUT:,} characters",
                                      file=file)
                pieces.append(piece)
        except RenderError:
            raise
        except Exception as exc:
            raise _render_error(exc, name, file, values, self.context) from None
        return "".join(pieces)

    def _ref(self, target: Any) -> str:
        target = self.env.text_of(target)
        return f"{REF_OPEN}{target}{REF_CLOSE}"

    # -------------------------------------------------------------- markup -> blocks

    def blocks(self, text: str) -> list[Lid]:
        """Parse rendered markup into leden and sub-items."""
        leden: list[Lid] = []
        for chunk in re.split(r"\n[ \t]*\n", text.strip()):
            lines = [ln for ln in chunk.splitlines() if ln.strip()]
            if not lines:
                continue
            intro: list[str] = []
            subs: list[list[str]] = []
            for line in lines:
                stripped = line.strip()
                if stripped.startswith("- ") or stripped == "-":
                    subs.append([stripped[2:].strip()])
                elif subs:
                    subs[-1].append(stripped)
                else:
                    intro.append(stripped)
            leden.append(Lid(inlines=self.inlines(" ".join(intro)),
                             subs=[Sub(inlines=self.inlines(" ".join(s))) for s in subs]))
        return leden

    def inlines(self, text: str) -> list:
        """Split one paragraph into spans, references and placeholders."""
        result: list = []
        position = 0
        for start, end, kind, inner in _marks(text):
            if start > position:
                result.append(Span(_unstar(text[position:start])))
            if kind == "bold":
                result.append(Span(_unstar(inner), bold=True))
            elif kind == "italic":
                result.append(Span(_unstar(inner), italic=True))
            elif kind == "ref":
                result.append(self._resolve(inner))
            else:
                result.append(Placeholder(name=inner, hint=inner))
            position = end
        if position < len(text):
            result.append(Span(_unstar(text[position:])))
        return _merge(result)

    def _resolve(self, target: str):
        word = LEVEL_WORDS.get(self.language, LEVEL_WORDS["nl"])[1].lower()
        if target in self.numbers:
            return Ref(target=target, label=self.numbers[target], word=word)
        return Placeholder(name=f"ref:{target}",
                           hint=(f"verwijzing naar {target}: dat artikel staat niet in dit concept"
                                 if self.language == "nl" else
                                 f"reference to {target}: that article is not in this draft"))


def _message(exc: BaseException) -> str:
    """An exception as `Type: message`, without memory addresses."""
    return f"{type(exc).__name__}: {_ADDRESS.sub('', str(exc))}"


def _render_error(exc: Exception, name: str, file: str, values: dict,
                  context: dict) -> RenderError:
    """The one message for an exception raised while a template ran."""
    if isinstance(exc, jinja2.UndefinedError):
        match = re.search(r"'([^']+)' is undefined", str(exc))
        hint = suggest(match.group(1), list(values) + list(context)) if match else None
        return RenderError(f"{name}: {_ADDRESS.sub('', str(exc))}", file=file, suggestion=hint)
    if isinstance(exc, SecurityError):
        return RenderError(f"{name}: the template did something the sandbox forbids "
                           f"({_ADDRESS.sub('', str(exc))})", file=file)
    if isinstance(exc, Unprintable):
        return RenderError(f"{name}: {exc}", file=file)
    if isinstance(exc, ClausegenError):      # a plugin's filter failed (plugin_host names it)
        return RenderError(f"{name}: {exc.message}", file=file)
    if isinstance(exc, MemoryError):
        return RenderError(f"{name}: the template needs too much memory", file=file)
    return RenderError(f"{name}: {_message(exc)}", file=file)


# ---------------------------------------------------------------- the inline markup


class _Next:
    """The first match at or after a position, for positions that only grow: each part of the
    text is searched once, so a paragraph is scanned in linear time whatever it holds."""

    def __init__(self, text: str, find: Callable[[str, int], int]):
        self.text, self.find = text, find
        self.asked: int | None = None
        self.found = -1

    def __call__(self, position: int) -> int:
        # The last answer holds while no match was skipped: asked <= position <= found.
        if (self.asked is None or position < self.asked
                or self.found != -1 and self.found < position):
            self.asked, self.found = position, self.find(self.text, position)
        return self.found


def _search(pattern: re.Pattern) -> Callable[[str, int], int]:
    def find(text: str, position: int) -> int:
        match = pattern.search(text, position)
        return match.start() if match else -1
    return find


_SPECIAL = re.compile(f"[*{REF_OPEN}{MISSING_OPEN}]")
_CLOSING_STAR = re.compile(r"(?<=[^*\s])\*")     # a "*" that can close *italic*


def _marks(text: str):
    """(start, end, kind, inner) for each **bold**, *italic*, reference and placeholder of a
    paragraph, left to right: what the regular expression

        \\*\\*(.+?)\\*\\* | \\*([^*\\s](?:.*?[^*\\s])?)\\* | REF_OPEN[^REF_CLOSE]*REF_CLOSE | ...

    finds, in linear time (that expression backtracks quadratically on text like `*a *a *a`).
    """
    special = _Next(text, _search(_SPECIAL))
    pair = _Next(text, lambda t, p: t.find("**", p))
    closing = _Next(text, _search(_CLOSING_STAR))
    newline = _Next(text, lambda t, p: t.find("\n", p))
    ref_close = _Next(text, lambda t, p: t.find(REF_CLOSE, p))
    missing_close = _Next(text, lambda t, p: t.find(MISSING_CLOSE, p))
    n = len(text)
    i = special(0)
    while i != -1:
        char, end = text[i], -1
        if char == "*":
            # emphasis stays on one line: its text holds no line break
            line_end = newline(i + 1)
            line_end = n if line_end == -1 else line_end
            if text.startswith("**", i):          # bold: at least one character
                close = pair(i + 3) if i + 3 <= n else -1
                if close != -1 and close < line_end:
                    yield i, close + 2, "bold", text[i + 2:close]
                    end = close + 2
            elif i + 1 < n and not text[i + 1].isspace():
                # `(?:.*?[^*\s])?` is greedy: a longer span wins over the one-letter `*a*`
                close = closing(i + 3) if i + 3 <= n else -1
                if close == -1 or close > line_end:
                    close = i + 2 if text.startswith("*", i + 2) else -1
                if close != -1:
                    yield i, close + 1, "italic", text[i + 1:close]
                    end = close + 1
        else:
            close = (ref_close if char == REF_OPEN else missing_close)(i + 1)
            if close != -1:
                yield i, close + 1, "ref" if char == REF_OPEN else "missing", text[i + 1:close]
                end = close + 1
        i = special(end if end != -1 else i + 1)


def _unstar(text: str) -> str:
    return text.replace(STAR, "*")


def _merge(inlines: list) -> list:
    merged: list = []
    for item in inlines:
        if (merged and isinstance(item, Span) and isinstance(merged[-1], Span)
                and (item.bold, item.italic) == (merged[-1].bold, merged[-1].italic)):
            merged[-1] = Span(merged[-1].text + item.text, item.bold, item.italic)
        elif not (isinstance(item, Span) and not item.text):
            merged.append(item)
    return merged


def _terminology_pattern(words: dict[str, str]) -> Callable[[str], str] | None:
    """A function replacing whole words (and their plurals) with a sector's own terms.

    The words around a replacement follow it: in English the article "a"/"an" right before it
    ("an employee" becomes "a staff member"), in Dutch the determiners, the adjective endings
    and a relative "die"/"dat" where the replacement has another gender ("de werknemer die"
    becomes "het personeelslid dat", "een oudere werknemer" becomes "een ouder personeelslid").
    A plural is the word with -s, or -leden for a word in -lid; a sector that needs another
    plural names it as a word of its own (werknemers = "personeelsleden"). The two languages'
    rules cannot meet: English has no de/het, and Dutch puts no "a"/"an" before a noun.

    One function per set of words, kept for the process: its compiled pattern and the texts
    it already replaced serve every draft of the sector.
    """
    return _terminology(tuple(sorted(words.items()))) if words else None


@functools.lru_cache(maxsize=32)
def _terminology(items: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    words = dict(items)
    table = {word.lower(): replacement for word, replacement in words.items()}
    plurals = {_plural(word): _plural(replacement) for word, replacement in table.items()}
    # the singular forms, where gender matters; a plural the sector names itself wins
    singular = set(table) - set(plurals)
    table = {**plurals, **table}
    nouns = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
    # An optional determiner (Dutch or English) and up to two Dutch adjectives before the word,
    # and a relative pronoun right after it. Before a de-word an adjective ends in -e or -en;
    # before a het-word it may have no ending at all ("elk nieuw lid").
    adjective = (_ADJECTIVE_ANY if any(_gender_nl(w) == "het" for w in singular)
                 else _ADJECTIVE)
    pattern = re.compile(
        rf"(?:\b(?P<det>{_DETERMINERS})(?P<gap>\s+(?:(?:{adjective})\s+){{0,2}}))?"
        rf"\b(?P<noun>{nouns})\b(?P<rel>,?\s+(?:die|dat)\b)?", re.IGNORECASE)

    def replace(match: re.Match) -> str:
        found = match.group("noun")
        new = table[found.lower()]
        new = _same_case(found, new)
        det, gap, rel = match.group("det"), match.group("gap") or "", match.group("rel") or ""
        if found.lower() in singular:
            old_gender, new_gender = _gender_nl(found.lower()), _gender_nl(new.lower())
            if det is not None and det.lower() in ("a", "an"):
                if gap.strip():       # "an older employee": the article agrees with the adjective
                    return match.group(0)[:match.start("noun") - match.start()] + new + rel
                det = _same_case(det, _english_article(new))
            elif det is not None and old_gender != new_gender:
                det, gap = _agree_nl(det, gap, new_gender)
            if rel and old_gender != new_gender:
                rel = re.sub(r"\b(die|dat)\b", lambda m: _same_case(
                    m.group(0), "dat" if new_gender == "het" else "die"), rel, flags=re.I)
        return (det or "") + gap + new + rel
    # Most texts hold none of the words: the bare words (same flags) rule that out cheaply.
    # The same text (a sentence many clauses share, a draft the web page renders again) is
    # replaced once.
    quick = re.compile(nouns, re.IGNORECASE)
    done: dict[str, str] = {}

    def apply(text: str) -> str:
        if not quick.search(text):
            return text
        found = done.get(text)
        if found is None:
            found = pattern.sub(replace, text)
            if len(done) < 20_000:
                done[text] = found
        return found
    return apply


# Dutch determiners that differ between de- and het-words (de form, het form), then the ones that
# do not, then the English articles.
_DET_NL = {"de": "het", "deze": "dit", "die": "dat", "elke": "elk", "iedere": "ieder",
           "welke": "welk", "onze": "ons", "geen": "geen", "een": "een", "zijn": "zijn",
           "haar": "haar", "hun": "hun"}
_DET_NL_HET = {het: de for de, het in _DET_NL.items() if de != het}
_DETERMINERS = "|".join(sorted(set(_DET_NL) | set(_DET_NL_HET) | {"a", "an"},
                               key=len, reverse=True))
_INDEFINITE_NL = {"een", "geen", "elk", "elke", "ieder", "iedere", "welk", "welke", "ons", "onze"}
# A Dutch attributive adjective: a word in -e or -en (oudere, betrokken), not a function word.
_ADJECTIVE = (r"(?!(?:en|de|die|deze|een|geen|elke|iedere|welke|onze|tussen|tegen|boven|binnen"
              r"|buiten|zonder|worden|hebben)\b)[a-zà-ÿ][a-zà-ÿ-]*?e(?:n)?\b")
_ADJECTIVE_ANY = (r"(?!(?:en|of|de|het|die|dat|deze|dit|een|geen|elk|elke|ieder|iedere|welk|welke"
                  r"|ons|onze|van|voor|met|op|in|aan|bij|door|naar|om|te|tot|uit|over|is|wordt"
                  r"|heeft|kan|mag|moet|zal|zijn|haar|hun|niet|ook|als|dan|of|wel)\b)"
                  r"[a-zà-ÿ][a-zà-ÿ-]*")
# Dutch person nouns that take "het": compounds of -lid and -hoofd, diminutives, and a few more.
_HET_ENDINGS = ("lid", "hoofd", "kind", "je", "personeel", "talent")


def _same_case(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _plural(word: str) -> str:
    """The plural of a term: -s in both languages, -leden for a Dutch word in -lid."""
    if word.endswith("lid"):
        return word[:-3] + "leden"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|ch|sh)$", word):
        return word + "es"
    return word + "s"


def _gender_nl(word: str) -> str:
    return "het" if word.split()[-1].endswith(_HET_ENDINGS) else "de"


def _english_article(word: str) -> str:
    """"a" or "an" by the sound the word starts with (a union, an hour, an employee)."""
    first = word.lower().split()[0] if word.split() else ""
    if re.match(r"(hour|honest|honour|heir)", first):
        return "an"
    if re.match(r"(uni(?![nmd])|unanim|use|usu|uti|ura|ure|uro|eu|one\b|once\b)", first):
        return "a"
    return "an" if first[:1] in "aeiou" else "a"


def _agree_nl(det: str, gap: str, gender: str) -> tuple[str, str]:
    """A Dutch determiner and the adjectives after it, made to agree with a noun's gender."""
    lower = det.lower()
    if lower in ("a", "an"):
        return det, gap
    new = _DET_NL.get(lower, lower) if gender == "het" else _DET_NL_HET.get(lower, lower)
    indefinite = lower in _INDEFINITE_NL or new in _INDEFINITE_NL
    if indefinite and gap.strip():
        def inflect(match: re.Match) -> str:
            adjective = match.group(0)
            return _uninflected(adjective) if gender == "het" else _inflected(adjective)
        gap = re.sub(r"[a-zà-ÿ][a-zà-ÿ-]*", inflect, gap, flags=re.I)
    return _same_case(det, new), gap


def _uninflected(adjective: str) -> str:
    """oudere -> ouder, nieuwe -> nieuw, grote -> groot, natte -> nat, boventallige -> boventallig."""
    if not adjective.endswith("e") or len(adjective) < 4:
        return adjective
    stem = adjective[:-1]
    if re.search(r"([^aeiou])\1$", stem):                   # natte -> nat
        return stem[:-1]
    if re.search(r"(ig|er|el|en|em|lijk|isch)$", stem):     # unstressed last syllable
        return stem
    if re.search(r"(^|[^aeiou])[aeou][^aeiouwjy]$", stem):  # grote -> groot
        return stem[:-1] + stem[-2] + stem[-1]
    return stem


def _inflected(adjective: str) -> str:
    """ouder -> oudere, nieuw -> nieuwe, groot -> grote, nat -> natte (the reverse)."""
    if adjective.endswith("e"):
        return adjective
    if re.search(r"(ig|er|el|en|em|lijk|isch)$", adjective):
        return adjective + "e"
    if re.search(r"([aeou])\1[^aeiouwjy]$", adjective):      # groot -> grote
        return adjective[:-2] + adjective[-1] + "e"
    if re.search(r"(^|[^aeiou])[aeiou][^aeiouwjy]$", adjective):  # nat -> natte
        return adjective + adjective[-1] + "e"
    return adjective + "e"
