"""TOML reading with errors that name file, line and key, and a map from keys to their lines."""
from __future__ import annotations

import re
import sys
from typing import Any

try:  # rtoml (Rust) parses a library of clause files about 14x faster than tomllib
    import rtoml
except ImportError:  # pragma: no cover - a platform without rtoml wheels still works
    rtoml = None

from .errors import ClausegenError

# A spec or content file larger than this is not a hand-written file; refuse it early
# rather than parse megabytes of noise.
MAX_BYTES = 1_000_000

_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=""")
_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")
# tomllib's time and memory grow with the square of a dotted key's parts (40,000 parts: 51 s
# and 9 GB), so a key with more parts than any real file has is refused before it parses.
MAX_KEY_PARTS = 64
_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*')"""
# (starting at a word's start only, so the search stays linear)
_LONG_KEY = re.compile(rf"(?<![A-Za-z0-9_-]){_PART}(?:[ \t]*\.[ \t]*{_PART}){{{MAX_KEY_PARTS},}}")


def decode(data: bytes, file: str, error: type[ClausegenError]) -> str:
    """Bytes of a TOML file as text, refusing binary, non-UTF-8 and oversized files clearly."""
    if len(data) > MAX_BYTES:
        raise error(f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}", file=file)
    if b"\x00" in data:
        raise error("file is binary, not a TOML text file", file=file)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error("file is not UTF-8 text", file=file, line=line) from None


def loads(text: str, file: str, error: type[ClausegenError]) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes `error` with the parser's line number.

    The fast parser goes first; when it refuses, tomllib parses again, because its messages
    (and line numbers) are the ones we document. If tomllib accepts what rtoml refused, its
    result stands: the standard library is the reference.
    """
    if rtoml is not None:
        try:
            return rtoml.loads(text)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # rtoml's errors, and a Rust panic (a BaseException)
            pass
    long_key = _LONG_KEY.search(text)
    if long_key:
        raise error(f"TOML syntax error: a dotted key with more than {MAX_KEY_PARTS} parts",
                    file=file, line=text.count("\n", 0, long_key.start()) + 1)
    tomllib = standard_parser()
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _ERROR_LINE.search(message)
        line = int(match.group(1)) if match else None
        message = _ERROR_LINE.sub("", message).strip()
        raise error(f"TOML syntax error: {message}", file=file, line=line) from None
    except RecursionError:
        raise error("TOML syntax error: arrays or tables nested too deeply", file=file) from None


def standard_parser():
    """tomllib (tomli before Python 3.11), imported when first needed: only a text rtoml
    refuses, or a machine without rtoml, needs it (its import is 1.4 ms of a small run)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib


def _unquote(key: str) -> str:
    parts = re.findall(r'"[^"]*"|\'[^\']*\'|[^.\s]+', key)
    return ".".join(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _header(stripped: str) -> str | None:
    """The table a header line opens ("a.b" for `[a.b]` or `[[ a.b ]] # note`), or None.

    By hand rather than by a regular expression: one with a lazy group before optional blanks
    takes minutes on a header padded with thousands of blanks.
    """
    if not stripped.startswith("["):
        return None
    code = stripped.split("#", 1)[0].rstrip()
    if not code.endswith("]"):       # a "#" inside a quoted name, not a comment
        code = stripped
    if len(code) < 3 or not code.endswith("]"):
        return None
    double = code.startswith("[[") and code.endswith("]]")
    return (code[2:-2] if double else code[1:-1]).strip() or None


def key_lines(text: str) -> dict[str, int]:
    """Map each dotted key path ("id", "parameters.x", "parameters.x.default") to its 1-based line.

    A light scan, good enough to point a person at the right line; multi-line strings are
    skipped so that clause text never looks like a key. A key of a repeated `[[table]]` maps
    to its first table's line: `array_key_lines` has one map per table.
    """
    lines: dict[str, int] = {}
    for number, _, full in _scan(text):
        lines.setdefault(full, number)
    return lines


def array_key_lines(text: str, table: str) -> list[dict[str, int]]:
    """One map per `[[table]]` of the file, in order: each key inside that table (relative to
    it: "id", "values", "values.x") -> its 1-based line; "" -> the header's line."""
    tables: list[dict[str, int]] = []
    prefix = table + "."
    for number, array_header, full in _scan(text):
        if array_header and full == table:
            tables.append({"": number})
        elif tables and full.startswith(prefix):
            tables[-1].setdefault(full[len(prefix):], number)
    return tables


def _scan(text: str):
    """(line number, whether it is a [[header]], dotted path) per header and key line."""
    table = ""
    in_string = None
    for number, raw in enumerate(text.splitlines(), 1):
        if in_string:
            if raw.count(in_string) % 2 == 1:
                in_string = None
            continue
        stripped = raw.strip()
        header = _header(stripped)
        if header and not _KEY.match(stripped):
            table = _unquote(header)
            yield number, stripped.startswith("[["), table
            continue
        key = _KEY.match(raw)
        if key:
            path = _unquote(key.group(1))
            yield number, False, f"{table}.{path}" if table else path
        for quote in ("'''", '"""'):
            if raw.count(quote) % 2 == 1:
                in_string = quote
                break


class KeyLines(dict):
    """key_lines(text), computed on first use: most files never have an error to point at.

    Made from a file's text, or from its bytes (decoded only then: an item from the content
    cache gets the map of the bytes read_file has just read).
    """

    def __init__(self, source: str | bytes):
        super().__init__()
        self._source = source

    def _fill(self) -> None:
        if self._source is not None:
            source = self._source
            self.update(key_lines(source.decode("utf-8-sig") if isinstance(source, bytes)
                                  else source))
            self._source = None

    def get(self, key, default=None):
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key):
        self._fill()
        return super().__getitem__(key)

    def __contains__(self, key):
        self._fill()
        return super().__contains__(key)

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __len__(self):
        self._fill()
        return super().__len__()

    def __bool__(self):
        self._fill()
        return super().__len__() > 0

    def items(self):
        self._fill()
        return super().items()


def line_of(lines: dict[str, int], *paths: str) -> int | None:
    """The line of the first path found, trying shorter prefixes of each path too."""
    for path in paths:
        parts = path.split(".")
        while parts:
            found = lines.get(".".join(parts))
            if found:
                return found
            parts.pop()
    return None
