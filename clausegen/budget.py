"""The limits of one clause render, and the counter that holds a render to them.

The fast path (fastpath.py) and the sandbox (sandbox.py) share one Budget per renderer: both
start it before a template and count against it what they build, so a template is held to the
same limits whichever path renders it (docs/security.md).
"""
from __future__ import annotations

import time
from typing import Any

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


class LimitExceeded(Exception):
    """A render went over one of the limits above (reported as something the sandbox forbids)."""


def size_of(value: Any) -> int:
    """What a value counts against the budget: its length if it is text or a list."""
    return len(value) if isinstance(value, (str, list, tuple)) else 0


class Budget:
    """What one render has used so far: calls, loop steps, characters built, and its deadline."""

    def __init__(self) -> None:
        self.calls = self.steps = self.built = 0
        self.deadline = float("inf")

    def start(self) -> None:
        """Reset the budget before compiling and rendering a template."""
        self.calls = self.steps = self.built = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def tick(self) -> None:
        """Stop a render that has run out of time."""
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"rendering took longer than {MAX_SECONDS:g} seconds")

    def grow(self, size: int) -> None:
        """Count `size` characters or list items built against the render's budget."""
        self.built += size
        if self.built > MAX_BUILT:
            raise LimitExceeded(f"the template built more than {MAX_BUILT:,} characters in all")
        self.tick()

    def account(self, value: Any) -> Any:
        """A string or list just built by a cheap operation: refuse it when too long, count it."""
        size = size_of(value)
        if size > MAX_OUTPUT:
            raise LimitExceeded(f"a string or list longer than {MAX_OUTPUT:,} is not allowed "
                                "in a clause")
        self.grow(size)
        return value

    def fits(self, size: int, what: str = "a string or list") -> None:
        """Refuse, before it is built, a result that would be longer than MAX_OUTPUT."""
        if size > MAX_OUTPUT:
            raise LimitExceeded(f"{what} longer than {MAX_OUTPUT:,} is not allowed in a clause")
