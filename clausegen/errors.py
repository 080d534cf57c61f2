"""User errors as values: one exception type per kind, carrying file, line, key and a suggestion."""
from __future__ import annotations

import re
from typing import Iterable

# Characters a message must not carry to the terminal as they are: control characters other
# than the line break (an ANSI escape can rewrite what the terminal shows) and unpaired
# surrogates (they cannot be encoded).
_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe to print in a message: control characters (line breaks aside) and lone
    surrogates as escapes."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class ClausegenError(Exception):
    """An error the user can fix; the CLI prints it as one readable message (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 key: str | None = None, suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        self.suggestion = suggestion

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line:
                where += f":{self.line}"
            where += ": "
        text = where + self.message
        if self.key and self.key not in self.message:
            text += f" (key {self.key!r})"
        if self.suggestion:
            text += f"; did you mean {self.suggestion!r}?"
        return printable(text)


class ContentError(ClausegenError):
    """A clause, theme, definition or sector file is wrong."""


class SpecError(ClausegenError):
    """A draft spec file (or the CLI options standing in for one) is wrong."""


class ParameterError(ClausegenError):
    """A parameter value has the wrong type or lies outside its bounds."""


class PluginError(ClausegenError):
    """A plugin failed to import, raised in a hook or returned malformed data."""


class RenderError(ClausegenError):
    """A clause template failed to render (undefined name, sandbox violation, too much output)."""


class UsageError(ClausegenError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate closest to a mistyped word, or None when nothing is close."""
    import difflib     # only when something is misspelt: not on every run's start-up
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else None
