"""Parameter types: coercion of TOML and command-line values, bounds, and Dutch/English formatting.

Formatting goes through Babel's CLDR data rather than hand-written rules, so thousands
separators, decimal commas and month names are right for both languages.
"""
from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import re
from decimal import Decimal
from typing import Any

from . import formatcache
from .errors import ParameterError
from .markup import MARKERS
from .vocabulary import UNIT_WORDS, YES_NO

NUMERIC = {"integer", "decimal", "money", "percentage", "hours", "days", "weeks", "months", "years"}
WHOLE = {"integer", "days", "weeks", "months", "years"}
TYPES = NUMERIC | {"date", "text", "choice", "bool"}
# Types printed through a filter of the same name; "number" prints integer and decimal.
UNITS = ("hours", "days", "weeks", "months", "years")   # words: vocabulary.UNIT_WORDS
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
TRUE_WORDS = {"true", "yes", "ja", "1", "waar"}
FALSE_WORDS = {"false", "no", "nee", "0", "onwaar"}
# Values longer than this cannot be a sensible clause parameter; refusing them keeps
# a stray paste (or a hostile spec) from blowing up the document.
MAX_TEXT = 2000
MAX_DECIMALS = 4          # decimals a non-money number may have (and format_number prints)
# What an XML 1.0 document (a .docx part) cannot hold at all: control characters, non-characters
# and surrogates.
_XML_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff"
WORD_ILLEGAL = re.compile(f"[{_XML_ILLEGAL}]")
# What input may not hold: those, and the private-use characters clausegen's markup uses as
# markers, so no text or value can forge a reference or a placeholder.
UNHOLDABLE = re.compile(f"[{_XML_ILLEGAL}{re.escape(MARKERS)}]")


def check_text(text: str, what: str, error=None) -> str:
    """Refuse text a Word document cannot hold, naming where it came from."""
    found = UNHOLDABLE.search(text)
    if found:
        raise (error or ParameterError)(
            f"{what}: contains the character U+{ord(found.group()):04X}, which a Word "
            "document cannot hold")
    return text


def plain(value: Any) -> str:
    """A bound or value as the user writes it: 1000000, not 1E+6."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _decimal(raw: Any, what: str) -> Decimal:
    if isinstance(raw, bool):
        raise ParameterError(f"{what}: expected a number, got {raw!r}")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, (float, Decimal)):
        value = Decimal(repr(raw)) if isinstance(raw, float) else raw
        if not value.is_finite():
            raise ParameterError(f"{what}: {raw!r} is not a finite number")
        return value
    if isinstance(raw, str):
        text = raw.strip().replace("€", "").replace("%", "").replace(" ", "").replace("\u00a0", "")
        if "," in text and "." in text:
            raise ParameterError(f"{what}: write {raw!r} without a thousands separator, "
                                 "e.g. 1250.50 or 1250,50")
        text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except decimal.InvalidOperation:
            raise ParameterError(f"{what}: {raw!r} is not a number") from None
        if not value.is_finite():
            raise ParameterError(f"{what}: {raw!r} is not a finite number")
        return value
    raise ParameterError(f"{what}: expected a number, got {type(raw).__name__} {raw!r}")


def coerce(ptype: str, raw: Any, *, what: str = "value", choices: tuple = ()) -> Any:
    """Turn a TOML or command-line value into the Python value of a parameter type.

    Whole-number types give int, the other numeric types Decimal, dates datetime.date.
    Raises ParameterError naming `what` when the value does not fit the type.
    """
    if ptype in WHOLE:
        value = _decimal(raw, what)
        if value != value.to_integral_value():
            raise ParameterError(f"{what}: expected a whole number, got {raw!r}")
        return int(value)
    if ptype in NUMERIC:
        value = _decimal(raw, what)
        if abs(value) >= Decimal(10) ** 12:
            raise ParameterError(f"{what}: {raw!r} is too large")
        # The draft prints what was agreed, never a rounded figure: euros have cents, and other
        # numbers at most as many decimals as format_number prints.
        places = 2 if ptype == "money" else MAX_DECIMALS
        if value != value.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_DOWN):
            raise ParameterError(f"{what}: {raw!r} has more than {places} decimals")
        return value.normalize() if value == value.to_integral_value() else value
    if ptype == "date":
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        if isinstance(raw, dt.date):
            return raw
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw.strip())
            except ValueError:
                raise ParameterError(f"{what}: {raw!r} is not a date; write YYYY-MM-DD") from None
        raise ParameterError(f"{what}: expected a date (YYYY-MM-DD), got {raw!r}")
    if ptype == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return raw.strip().lower() in TRUE_WORDS
        raise ParameterError(f"{what}: expected true or false, got {raw!r}")
    if ptype in ("text", "choice"):
        if not isinstance(raw, str):
            raise ParameterError(f"{what}: expected text, got {raw!r}")
        if len(raw) > MAX_TEXT:
            raise ParameterError(f"{what}: text longer than {MAX_TEXT} characters")
        check_text(raw, what)
        if ptype == "choice" and choices and raw not in choices:
            from .errors import suggest
            raise ParameterError(f"{what}: {raw!r} is not one of {', '.join(choices)}",
                                 suggestion=suggest(raw, choices))
        return raw
    raise ParameterError(f"{what}: unknown parameter type {ptype!r}")


def check_bounds(ptype: str, value: Any, minimum: Any, maximum: Any, *, what: str) -> None:
    """Raise ParameterError when a coerced value lies outside [minimum, maximum]."""
    if value is None or ptype not in NUMERIC | {"date"}:
        return
    if minimum is not None and value < minimum:
        raise ParameterError(f"{what}: {plain(value)} is below the minimum {plain(minimum)}")
    if maximum is not None and value > maximum:
        raise ParameterError(f"{what}: {plain(value)} is above the maximum {plain(maximum)}")


def validate(param, raw: Any, *, what: str) -> Any:
    """Coerce a raw value for a Parameter and check it against the parameter's bounds."""
    value = coerce(param.type, raw, what=what, choices=param.choices)
    check_bounds(param.type, value, param.min, param.max, what=what)
    return value


# ---------------------------------------------------------------- formatting


@functools.lru_cache(maxsize=None)
def _locale(language: str):
    """Babel's Locale for a draft language, parsed once (parsing it per value is slow)."""
    from babel import Locale
    return Locale.parse(LOCALES.get(language, "nl_NL"))


@functools.lru_cache(maxsize=None)
def _pattern(pattern: str):
    from babel.numbers import parse_pattern
    return parse_pattern(pattern)


def _once_per_value(function):
    """Memoise a formatter on the value's type and text (all it formats from): a value is
    formatted once per process, however often a text, its explanation and an annex print it,
    and once per installation: a value another run formatted comes from formatcache, so a
    run whose values were all printed before does not load Babel at all. Babel's formatting
    was most of the time spent rendering, and its first use a tenth of a small draft's run."""
    cache: dict = {}

    @functools.wraps(function)
    def formatted(value: Any, *args: str) -> str:
        key = (type(value), str(value), args)
        found = cache.get(key)
        if found is None:
            kind = type(value)
            stored = json.dumps([function.__name__, f"{kind.__module__}.{kind.__qualname__}",
                                 key[1], *args])
            found = formatcache.get(stored)
            if found is None:
                found = function(value, *args)
                formatcache.put(stored, found)
            if len(cache) < 20_000:
                cache[key] = found
        return found
    return formatted


@_once_per_value
def format_number(value: Any, language: str) -> str:
    """1250 -> "1.250" (nl) / "1,250" (en); 1.5 -> "1,5" / "1.5"."""
    return _pattern("#,##0." + "#" * MAX_DECIMALS).apply(Decimal(str(value)), _locale(language))


@_once_per_value
def format_money(value: Any, language: str) -> str:
    """Whole euros without cents ("€ 1.250"), otherwise with ("€ 1.250,50")."""
    amount = Decimal(str(value))
    whole = amount == amount.to_integral_value()
    space = " " if language == "nl" else ""
    pattern = f"¤{space}#,##0" + ("" if whole else ".00")
    return _pattern(pattern).apply(amount, _locale(language), currency="EUR",
                                   currency_digits=False)


def format_percentage(value: Any, language: str) -> str:
    """1.5 -> "1,5%" (nl) / "1.5%" (en): the value is in percent, not a fraction."""
    return format_number(value, language) + "%"


def format_unit(value: Any, unit: str, language: str) -> str:
    """28 days -> "28 dagen"; 1 day -> "1 dag"; 36 hours -> "36 uur"."""
    singular, plural = UNIT_WORDS[language if language in ("nl", "en") else "nl"][unit]
    return f"{format_number(value, language)} {singular if value == 1 else plural}"


@_once_per_value
def format_date(value: dt.date, language: str) -> str:
    """2027-01-01 -> "1 januari 2027" (nl) / "1 January 2027" (en)."""
    from babel.dates import format_date as babel_format_date   # only for a date not cached
    return babel_format_date(value, format="d MMMM y", locale=_locale(language))


def format_value(ptype: str, value: Any, language: str) -> str:
    """Format a value the way its type's filter would, for listings and the review annex."""
    if value is None:
        return ""
    if ptype in ("integer", "decimal"):
        return format_number(value, language)
    if ptype == "money":
        return format_money(value, language)
    if ptype == "percentage":
        return format_percentage(value, language)
    if ptype in UNITS:
        return format_unit(value, ptype, language)
    if ptype == "date":
        return format_date(value, language)
    if ptype == "bool":
        return YES_NO[language][0 if value else 1]
    return str(value)


def to_toml(value: Any) -> str:
    """A value as TOML source text (for `clausegen init`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return toml_string(str(value))


def toml_string(text: str) -> str:
    """A TOML basic string holding exactly `text` (control characters as \\u escapes)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def to_json(value: Any) -> Any:
    """A value as plain JSON data: Decimal -> int or str, date -> ISO string."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
