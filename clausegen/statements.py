"""Clause templates whose only statements are plain `{% if %}`s, read without Jinja.

A third of the clause texts and half of the explanations use `{% if flag %}`, `{% if vorm ==
"extern" %}` or `{% if current.x is defined %}` and nothing else; compiling each of those with
Jinja cost more than the rest of a draft, and loading them from the bytecode cache one file each
was most of a warm run. `parse` reads such a template into a tree the renderer walks itself
(fastpath._Render.walk): the text between tags exactly as Jinja's lexer leaves it (with
trim_blocks, lstrip_blocks and no trailing newline, as clausegen's environment is set up), each
`{{ }}` as the renderer's own plain-expression match, each `if` with its conditions. `test`
evaluates a condition as Jinja would. Whenever something is not in this small grammar, or a
value is not a plain one, they give up (None, or LookupError) and Jinja renders the template:
the result is the same either way, which tests/test_statements.py compares.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from typing import Any, Callable

# What Jinja's lexer treats as a tag start; {# comments #} and {%- / {%+ / -%} whitespace
# control are left to Jinja.
_TAG = re.compile(r"\{\{|\{%|\{#")
_BLOCK = re.compile(r"\{%((?:(?!%\}).)*)%\}(\n?)", re.S)
_ATTRIBUTE = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)((?:\s*\|\s*[A-Za-z_]\w*)*)\s*\}\}")
_WHITESPACE = re.compile(r"\s+")        # Jinja's whitespace_re, for lstrip_blocks
_TOKEN = re.compile(r"""\s*(?:(?P<string>"[^"\\\n{}%]*"|'[^'\\\n{}%]*')|(?P<number>\d+\.\d+|0|[1-9]\d{0,14})
                        |(?P<op>==|!=|>=|<=|>|<|\.|\|)|(?P<name>[A-Za-z_]\w*))""", re.X)
_OPERATORS = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, ">": lambda a, b: a > b,
              ">=": lambda a, b: a >= b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}
_KEYWORDS = {"not", "is", "defined", "and", "or", "in", "if", "else", "elif", "endif", "true",
             "false", "True", "False", "none", "None"}
# Values a condition may look at: anything else (an object with its own __eq__ or __bool__)
# goes through Jinja's sandbox.
_PLAIN = (bool, int, float, Decimal, str, dt.date)


class Undefined:
    """A name or key that is not there (only `is defined` may look at it)."""


UNDEFINED = Undefined()


@functools.lru_cache(maxsize=4096)     # a draft rendered again (the web page) reads it once
def parse(source: str, expression: re.Pattern) -> list | None:
    """The template as a tree of ("text", str), ("expr", match), ("attr", (names, filters))
    and ("if", [(condition, tree), ...]) items, or None when it needs Jinja. `expression` is
    the renderer's pattern of a plain `{{ }}`; an `else` is a branch whose condition is None.
    The tree is shared (memoised): read it, never change it."""
    if "\r" in source or "{#" in source:
        return None
    if source.endswith("\n"):          # Jinja drops one trailing newline
        source = source[:-1]
    root: list = []
    stack: list[list] = [root]         # the open bodies: root, then each if's current branch
    ifs: list[list] = []               # the open if's branch lists
    position, line_start = 0, True
    while True:
        found = _TAG.search(source, position)
        text = source[position:found.start() if found else len(source)]
        if found and source.startswith("{%", found.start()):
            # lstrip_blocks: blanks between the line start and a block tag go
            start = text.rfind("\n") + 1
            if (start > 0 or line_start) and _WHITESPACE.fullmatch(text, start):
                text = text[:start]
        if text:
            stack[-1].append(("text", text))
        if not found:
            break
        at = found.start()
        if source.startswith("{{", at):
            match = expression.match(source, at)
            if match is not None:
                stack[-1].append(("expr", match))
            else:                      # {{ current.x | filter }}: a value looked up by keys
                match = _ATTRIBUTE.match(source, at)
                if match is None:
                    return None
                stack[-1].append(("attr", (match.group(1).split("."), match.group(2))))
            position, line_start = match.end(), False
            continue
        block = _BLOCK.match(source, at)
        body = block.group(1) if block else ""
        if block is None or body[:1] in "-+" or body.rstrip()[-1:] in ("-", "+", ""):
            return None
        words = body.split(None, 1)
        keyword, rest = (words + [""])[:2] if words else ("", "")
        if keyword in ("if", "elif"):
            condition = _condition(rest)
            if condition is None:
                return None
            if keyword == "if":
                branches = [(condition, [])]
                stack[-1].append(("if", branches))
                ifs.append(branches)
            elif not ifs or ifs[-1][-1][0] is None:
                return None
            else:
                stack.pop()
                ifs[-1].append((condition, []))
            stack.append(ifs[-1][-1][1])
        elif keyword == "else" and not rest and ifs and ifs[-1][-1][0] is not None:
            stack.pop()
            ifs[-1].append((None, []))
            stack.append(ifs[-1][-1][1])
        elif keyword == "endif" and not rest and ifs:
            stack.pop()
            ifs.pop()
        else:
            return None
        # trim_blocks: the block's one newline went with it (in the match)
        position, line_start = block.end(), block.group(2) == "\n"
    return root if not ifs else None


@functools.lru_cache(maxsize=1024)    # a library asks the same few things in many templates
def _condition(text: str) -> tuple | None:
    """`[not] operand [is [not] defined | OP operand]` as ("not"?, ...) data, or None. An
    operand may be a name's `| length`."""
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip():
                return None
            break
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    negate = bool(tokens) and tokens[0] == ("name", "not")
    if negate:
        tokens = tokens[1:]
    left, tokens = _operand(tokens)
    if left is None:
        return None
    if not tokens:
        return (negate, "truth", left, None)
    if [t[1] for t in tokens] in (["is", "defined"], ["is", "not", "defined"]):
        if left[0] != "name":
            return None
        return (negate != (len(tokens) == 3), "defined", left, None)
    if tokens[0][0] != "op" or tokens[0][1] in (".", "|"):
        return None
    right, rest = _operand(tokens[1:])
    if right is None or rest:
        return None
    return (negate, tokens[0][1], left, right)


def _operand(tokens: list) -> tuple[tuple | None, list]:
    """A literal ("const", value), a name with attributes ("name", (parts)) or its length
    ("length", (parts)), and the rest."""
    if not tokens:
        return None, tokens
    kind, text = tokens[0]
    if kind == "string":
        return ("const", text[1:-1]), tokens[1:]
    if kind == "number":
        return ("const", float(text) if "." in text else int(text)), tokens[1:]
    if kind != "name" or text in _KEYWORDS:
        return None, tokens
    parts, tokens = [text], tokens[1:]
    while len(tokens) >= 2 and tokens[0] == ("op", ".") and tokens[1][0] == "name":
        parts.append(tokens[1][1])
        tokens = tokens[2:]
    if tokens and tokens[0] == ("op", "."):
        return None, tokens
    # tuples: a parsed condition is memoised and shared, so nothing in it can be changed
    if tokens[:2] == [("op", "|"), ("name", "length")]:
        return ("length", tuple(parts)), tokens[2:]
    return ("name", tuple(parts)), tokens


def test(condition: tuple, lookup: Callable[[str], Any]) -> bool:
    """Whether a condition holds, as Jinja would decide it. `lookup(name)` gives a variable or
    UNDEFINED; LookupError means Jinja has to decide (an error to report, an unusual value)."""
    negate, operator, left, right = condition
    if operator == "defined":
        result = not isinstance(_value(left, lookup, undefined_ok=True), Undefined)
    elif operator == "truth":
        result = bool(_value(left, lookup))
    else:
        a, b = _value(left, lookup), _value(right, lookup)
        try:
            result = bool(_OPERATORS[operator](a, b))
        except Exception:          # Jinja raises the same; let it word the error
            raise LookupError from None
    return not result if negate else result


def value(names: list[str], lookup: Callable[[str], Any]) -> Any:
    """The value of `a.b.c` (an "attr" item), as Jinja's getattr finds it in plain dicts;
    LookupError when it is not there or not a plain value (Jinja reports or handles it)."""
    return _value(("name", names), lookup)


def _value(operand: tuple, lookup: Callable[[str], Any], undefined_ok: bool = False) -> Any:
    if operand[0] == "const":
        return operand[1]
    if operand[0] == "length":       # Jinja's length filter: len() of a list or a text
        found = lookup(operand[1][0]) if len(operand[1]) == 1 else None
        if not isinstance(found, (list, tuple, str)):
            raise LookupError
        return len(found)
    value = lookup(operand[1][0])
    for part in operand[1][1:]:
        # Jinja's getattr on a dict: an attribute of dict itself would win over the key
        if type(value) is not dict or hasattr(dict, part):
            raise LookupError
        value = value.get(part, UNDEFINED)
    if isinstance(value, Undefined):
        if not undefined_ok:
            raise LookupError      # StrictUndefined: Jinja reports it
        return value
    if not isinstance(value, _PLAIN):
        raise LookupError
    return value
