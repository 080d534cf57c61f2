"""The clause markup: its markers, and rendered text parsed into leden, sub-items and spans.

A rendered clause is text in a small markup (blank line = new lid, "- " = sub-item, *italic*,
**bold**), with private-use characters marking what becomes an object (a reference, a missing
value), so that numbers are never typed into a clause.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from .model import Lid, Placeholder, Span, Sub

# Private-use characters mark what the markup parser must turn into objects, so no clause
# text or parameter value can forge them (they are rejected in input: params.check_text).
REF_OPEN, REF_CLOSE = "\ue000", "\ue001"
MISSING_OPEN, MISSING_CLOSE = "\ue002", "\ue003"
STAR = "\ue004"   # a literal "*" from a value, kept out of the emphasis markup
MARKERS = REF_OPEN + REF_CLOSE + MISSING_OPEN + MISSING_CLOSE + STAR  # refused in input


class Markup(str):
    """Text already in the markup, printed as it is: only a built-in filter makes one
    (filters.sub_items, whose items it printed as values). Any operation on it (joining,
    slicing, another filter) gives plain text again, so a template cannot forge one."""


def missing(name: str) -> str:
    """The marker for a parameter that has no value yet."""
    return f"{MISSING_OPEN}{name}{MISSING_CLOSE}"


def is_missing(value: Any) -> bool:
    """Whether a value is the marker of a parameter that has no value yet."""
    return isinstance(value, str) and value.startswith(MISSING_OPEN)


def reference(target: str) -> str:
    """The marker of a reference to another article (what ref() prints)."""
    return f"{REF_OPEN}{target}{REF_CLOSE}"


def literal(value: str) -> str:
    """A value as one run of text in the markup: its "*" is no emphasis and its line breaks
    start no new lid or sub-item."""
    return one_line(value.replace("*", STAR))


def one_line(text: str) -> str:
    """A text's line breaks (and the blanks around them) as one space, in linear time."""
    if "\n" not in text and "\r" not in text:
        return text
    first, *middle, last = re.split(r"[\r\n]+", text)
    words = [part.strip() for part in middle]
    return " ".join([first.rstrip(), *(w for w in words if w), last.lstrip()])


# ---------------------------------------------------------------- markup -> blocks


def blocks(text: str, resolve: Callable[[str], Any]) -> list[Lid]:
    """Parse rendered markup into leden and sub-items; `resolve` turns a reference's target
    into a Ref (or a Placeholder when the article is not in the draft)."""
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
        leden.append(Lid(inlines=inlines(" ".join(intro), resolve),
                         subs=[Sub(inlines=inlines(" ".join(s), resolve)) for s in subs]))
    return leden


def inlines(text: str, resolve: Callable[[str], Any]) -> list:
    """Split one paragraph into spans, references and placeholders."""
    if not _SPECIAL.search(text):   # most paragraphs hold no mark at all: one plain span
        return [Span(_unstar(text))] if text else []
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
            result.append(resolve(inner))
        else:
            result.append(Placeholder(name=inner, hint=inner))
        position = end
    if position < len(text):
        result.append(Span(_unstar(text[position:])))
    return _merge(result)


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
