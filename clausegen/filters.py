"""The clause filters and the printing of a value, as plain functions without Jinja.

One implementation of each: the fast path (fastpath.py) calls them directly, the sandbox
(sandbox.py) wraps them for Jinja. A filter is called as filter(value, language, budget, *args)
and counts what it builds against the render's budget (budget.py).
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from . import params
from .budget import MAX_DIGITS, Budget
from .errors import ClausegenError
from .markup import REF_OPEN, Markup, is_missing, literal

_MAX_BITS = int(MAX_DIGITS * math.log2(10))


class Unprintable(TypeError):
    """A value a clause cannot print or use as text: a function, a loop, a list, nothing."""


# Objects of the template engine, by kind, with the words a message names them by: the sandbox
# adds Jinja's own (an undefined name, a loop, a macro) when it is imported.
ENGINE_OBJECTS: dict[type, str] = {}


def describe(value: Any) -> str:
    """A value described for a message: never its repr, which can carry a memory address."""
    for kind, words in ENGINE_OBJECTS.items():
        if isinstance(value, kind):
            return words
    if value is None:
        return "nothing (none)"
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
    if callable(value):
        return "a function or macro"
    return "an object"


def too_big(value: Any) -> bool:
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


# ---------------------------------------------------------------- printing


def text_of(value: Any, language: str) -> str:
    """A value as text inside a string (`~`, join, replace, |string): what it means, never
    a Python repr."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return params.format_value("bool", value, language)
    if isinstance(value, (int, float, Decimal)):
        if too_big(value):
            raise Unprintable("a number too large (or not finite) cannot be printed")
        return params.plain(value)
    if isinstance(value, dt.date):
        return str(value)
    raise Unprintable(f"{describe(value)} cannot be printed or used as text")


def print_value(value: Any, language: str, budget: Budget) -> Any:
    """What `{{ value }}` prints: text as one run of the markup, a number or a date in the
    draft's language, yes/no; anything else is refused."""
    budget.tick()
    if isinstance(value, str):
        if type(value) is Markup or is_missing(value) or REF_OPEN in value:
            return value
        text = literal(value)
        budget.grow(len(text))
        return text
    if isinstance(value, bool):
        return params.format_value("bool", value, language)
    if isinstance(value, (int, float, Decimal)):
        if too_big(value):
            raise Unprintable("a number too large (or not finite) cannot be printed")
        return params.format_number(value, language)
    if isinstance(value, dt.date):
        return params.format_date(value, language)
    hint = "; join a list with |join(', ')" if isinstance(value, (list, tuple)) else ""
    raise Unprintable(f"{describe(value)} cannot be printed{hint}")


# ---------------------------------------------------------------- filters


def _number(value: Any, name: str) -> Any:
    """A value a number filter can format: a number, or text that reads as one."""
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise Unprintable(f"filter {name!r} needs a number, not {describe(value)}") from None
    elif isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise Unprintable(f"filter {name!r} needs a number, not {describe(value)}")
    if too_big(value):
        raise Unprintable(f"filter {name!r}: a number too large (or not finite) cannot be "
                          "printed")
    return value


def _formatter(name: str, function: Callable[..., str], kind: str | None) -> Callable:
    """clausegen's and plugins' formatting filters, called as function(value, language, *args).
    `kind` ("number" or "date") is what a built-in filter formats; plugin filters take any
    value."""
    def apply(value: Any, language: str, budget: Budget, *args) -> str:
        budget.tick()
        if is_missing(value):
            return value
        if kind == "number":
            value = _number(value, name)
        elif kind == "date" and not isinstance(value, dt.date):
            raise Unprintable(f"filter {name!r} needs a date, not {describe(value)}")
        result = function(value, language, *args)
        if not isinstance(result, str):
            raise Unprintable(f"filter {name!r} gave {describe(result)}, not text")
        params.check_text(result, f"filter {name!r}", Unprintable)
        return budget.account(str(result))    # plain text: only sub_items makes markup
    return apply


def sub_items(value: Any, language: str, budget: Budget) -> str:
    """A list as sub-items of the lid, one `- item` line each, ended with `;` and the last
    with `.` (as the body markup asks); nothing for an empty list. Each item is printed as
    `{{ item }}` prints it, so a name can never start a lid or a sub-item of its own."""
    budget.tick()
    if not isinstance(value, (list, tuple)):
        raise Unprintable(f"filter 'sub_items' needs a list, not {describe(value)}")
    items = [str(print_value(item, language, budget)) for item in budget.account(value)]
    size = sum(len(item) + 4 for item in items)
    budget.fits(size, "a list of sub-items")
    budget.grow(size)
    return Markup("".join(f"- {item}{';' if n < len(items) else '.'}\n"
                          for n, item in enumerate(items, 1)))


BUILTIN_FILTERS = {
    "number": params.format_number,
    "money": params.format_money,
    "percentage": params.format_percentage,
    "date": params.format_date,
    **{unit: (lambda u: lambda v, lang: params.format_unit(v, u, lang))(unit)
       for unit in params.UNITS},
}
# Built-in filters that build markup rather than format one value.
MARKUP_FILTERS = {"sub_items": sub_items}
# A few harmless filters of Jinja's own, which the sandbox makes text-safe and size-checked.
JINJA_FILTERS = ("upper", "lower", "capitalize", "title", "trim", "join", "length", "round",
                 "abs", "default", "first", "last", "replace", "int", "float", "string", "sort")
# Names a plugin cannot register a filter under (library.add_filter refuses them).
RESERVED_FILTERS = frozenset(BUILTIN_FILTERS) | frozenset(MARKUP_FILTERS) | frozenset(JINJA_FILTERS)


def clause_filters(extra: dict[str, Callable] | None = None) -> dict[str, Callable]:
    """clausegen's filters and a library's plugin filters (`extra`), by name, each called as
    filter(value, language, budget, *args)."""
    kinds = {"date": "date"}
    found: dict[str, Callable] = {name: _formatter(name, function, kinds.get(name, "number"))
                                  for name, function in BUILTIN_FILTERS.items()}
    found.update(MARKUP_FILTERS)
    for name, function in (extra or {}).items():
        if name in RESERVED_FILTERS:
            raise ClausegenError(f"template filter {name!r} is built in and cannot be replaced")
        found[name] = _formatter(name, function, None)
    return found
