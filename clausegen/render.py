"""Sandboxed rendering of clause templates into the block model (Lid > Sub, inline spans).

Templates run in Jinja's SandboxedEnvironment with StrictUndefined: third-party content can
format values and branch on them, nothing more. Output is parsed from a small markup (blank line
= new lid, "- " = sub-item, *italic*, **bold**) so that numbers are never typed into a clause.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from decimal import Decimal
from typing import Any, Callable

import jinja2
from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SecurityError

from . import params
from .errors import RenderError, suggest
from .model import LEVEL_WORDS, Lid, Placeholder, Ref, Span, Sub

# Private-use characters mark what the markup parser must turn into objects, so no clause
# text or parameter value can forge them (they are rejected in input: params.check_text).
REF_OPEN, REF_CLOSE = "\ue000", "\ue001"
MISSING_OPEN, MISSING_CLOSE = "\ue002", "\ue003"
STAR = "\ue004"   # a literal "*" from a value, kept out of the emphasis markup
MARKERS = REF_OPEN + REF_CLOSE + MISSING_OPEN + MISSING_CLOSE + STAR  # see params.UNHOLDABLE
MAX_OUTPUT = 100_000      # characters one clause may render to (and any string inside it)
MAX_RANGE = 1_000         # largest range() a template may build
MAX_CALLS = 1_000         # calls (macros, range, ref) one render may make
MAX_STEPS = 100_000       # loop iterations one render may make
# Part of every cache key: compiled code carries the sandbox's compile-time checks, so code
# compiled by another version of the sandbox must never be loaded. Bump on any sandbox change.
SANDBOX_VERSION = "2"
MAX_SECONDS = 5.0         # wall-clock budget of one render
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_CODE = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.S)
# The common case, a template that only prints names through our own filters and cites with
# ref(), is rendered without Jinja: same output, no compile and no bytecode to load.
_SIMPLE = re.compile(r"\{\{\s*(?:ref\(\s*\"([^\"{}]*)\"\s*\)|([A-Za-z_]\w*)((?:\s*\|\s*[A-Za-z_]\w*)*))"
                     r"\s*\}\}")
LOOP_ATTRIBUTES = {"index", "index0", "revindex", "revindex0", "first", "last", "length",
                   "previtem", "nextitem", "depth", "depth0"}

_INLINE = re.compile(
    r"(\*\*(?P<bold>.+?)\*\*|\*(?P<italic>[^*\s](?:.*?[^*\s])?)\*"
    rf"|{REF_OPEN}(?P<ref>[^{REF_CLOSE}]*){REF_CLOSE}"
    rf"|{MISSING_OPEN}(?P<missing>[^{MISSING_CLOSE}]*){MISSING_CLOSE})")
def missing(name: str) -> str:
    """The marker for a parameter that has no value yet."""
    return f"{MISSING_OPEN}{name}{MISSING_CLOSE}"


def _is_missing(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(MISSING_OPEN)


def _language(ctx) -> str:
    return ctx.get("language", "nl")


def _formatter(function: Callable[[Any, str], str]) -> Callable:
    @pass_context
    def apply(ctx, value, *args):
        if _is_missing(value):
            return value
        return function(value, _language(ctx), *args)
    return apply


BUILTIN_FILTERS = {
    "number": params.format_number,
    "money": params.format_money,
    "percentage": params.format_percentage,
    "date": params.format_date,
    **{unit: (lambda u: lambda v, lang: params.format_unit(v, u, lang))(unit)
       for unit in params.UNITS},
}


def _safe_range(*args):
    if len(range(*args)) > MAX_RANGE:
        raise SecurityError(f"range() larger than {MAX_RANGE} is not allowed in a clause")
    return range(*args)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


class _CodeGenerator(CodeGenerator):
    """Compiles `a ~ b` through the environment, so string growth is checked like `+`."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.checked_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class ClauseSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to what a clause needs.

    On top of the stock sandbox (no underscore attributes, no unsafe callables): no attribute
    access except a loop's own counters (so no str.format, ljust, ...), no mutation of lists
    or dicts, no %-formatting, size checks on *, +, ~ and **, and a budget of calls and time
    per render, so a loop or a recursive macro cannot run away. Constant folding is off for
    the checked operators, so a huge constant is never computed at compile time either.
    """

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0
        self.steps = 0
        self.deadline = float("inf")

    def start(self) -> None:
        """Reset the budget before a render."""
        self.calls = 0
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, LoopContext) and attr in LOOP_ATTRIBUTES

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        __self.calls += 1
        if __obj == __self.guard_iter:     # a loop starting: its iterations are counted
            return __obj(*args)
        if __self.calls > MAX_CALLS:
            raise SecurityError(f"more than {MAX_CALLS} calls in one clause")
        if time.monotonic() > __self.deadline:
            raise SecurityError(f"rendering took longer than {MAX_SECONDS:g} seconds")
        if not (isinstance(__obj, Macro) or __obj is _safe_range
                or getattr(__obj, "__self__", None) is not None
                and isinstance(__obj.__self__, Renderer)):
            raise SecurityError(f"calling {getattr(__obj, '__name__', type(__obj).__name__)}"
                                " is not allowed in a clause; use a filter")
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("%-formatting is not allowed in a clause; use a filter")
        if operator == "**":
            if isinstance(right, (int, Decimal)) and abs(right) > 64 or \
                    isinstance(left, (int, Decimal)) and abs(left) > 10**6:
                raise SecurityError("a power that large is not allowed in a clause")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int) and _size(seq) * times > MAX_OUTPUT:
                    raise SecurityError(f"a string or list longer than {MAX_OUTPUT:,} "
                                        "is not allowed in a clause")
            if all(isinstance(v, (int, Decimal)) for v in (left, right)) and \
                    abs(left) > 10**15 and abs(right) > 10**15:
                raise SecurityError("a number that large is not allowed in a clause")
        if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT:
            raise SecurityError(f"a string or list longer than {MAX_OUTPUT:,} is not allowed "
                                "in a clause")
        return super().call_binop(context, operator, left, right)

    def guard_iter(self, iterable):
        """Every loop iteration counts like a call, so loops that print nothing still stop."""
        for item in iterable:
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise SecurityError(f"more than {MAX_STEPS:,} loop iterations in one clause")
            if self.steps % 1000 == 0 and time.monotonic() > self.deadline:
                raise SecurityError(f"rendering took longer than {MAX_SECONDS:g} seconds")
            yield item

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("guard_iter"), [loop.iter], [],
                                   None, None, lineno=loop.lineno)
        return tree

    def checked_join(self, parts) -> str:
        pieces = [str(p) for p in parts]
        if sum(map(len, pieces)) > MAX_OUTPUT:
            raise SecurityError(f"a string longer than {MAX_OUTPUT:,} is not allowed in a clause")
        return "".join(pieces)


class _Sources(jinja2.BaseLoader):
    """Template sources by name, so Jinja's bytecode cache can key compiled code by content."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def get_source(self, environment, template):
        source = self.sources[template]
        return source, None, lambda: self.sources.get(template) == source


def _sized(function):
    """A string-building filter whose result may not outgrow MAX_OUTPUT (checked up front)."""
    import functools

    @functools.wraps(function)
    def checked(*args, **kwargs):
        values = [a for a in args if isinstance(a, (str, list, tuple))]
        if function.__name__.endswith("replace") and len(values) >= 3:
            s, old, new = (str(v) for v in values[:3])
            count = s.count(old) if old else len(s) + 1
            if len(s) + count * len(new) > MAX_OUTPUT:
                raise SecurityError(f"replace to more than {MAX_OUTPUT:,} characters")
        if function.__name__.endswith("join") and values:
            if sum(len(str(v)) for v in values[0]) > MAX_OUTPUT:
                raise SecurityError(f"join to more than {MAX_OUTPUT:,} characters")
        return function(*args, **kwargs)
    return checked


def cache_dir() -> str | None:
    """Where compiled templates are kept across runs, or None when caching is off.

    CLAUSEGEN_NO_CACHE=1 (or `--no-cache`) turns it off; CLAUSEGEN_CACHE_DIR moves it;
    the default is the user cache directory (XDG_CACHE_HOME or ~/.cache)/clausegen.
    """
    if os.environ.get("CLAUSEGEN_NO_CACHE"):
        return None
    folder = os.environ.get("CLAUSEGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "clausegen", "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None   # a read-only home must not stop a build: compile without the cache
    # Compiled code is loaded from here, so only a folder of our own that nobody else can
    # write to is trusted; anything else (a shared /tmp folder, a symlink) is not used.
    if (not os.path.isdir(folder) or os.path.islink(folder)
            or (hasattr(os, "getuid") and info.st_uid != os.getuid())
            or info.st_mode & 0o022):
        return None
    return folder


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, but a cache that cannot be read or written never fails a build."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def make_environment(language: str = "nl",
                     extra_filters: dict[str, Callable] | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja environment clause templates of one language run in.

    Compiled templates are cached on disk keyed by a hash of their source (Jinja's bytecode
    cache), because compiling is most of the cost of rendering a clause.
    """

    def finalize(value: Any) -> Any:
        # A bare number still gets the draft language's separators; a literal "*" in a
        # value must not turn into emphasis.
        if isinstance(value, str):
            if _is_missing(value) or REF_OPEN in value:
                return value
            # A value is one run of text: its "*" is no emphasis and its line breaks start no
            # new lid or sub-item.
            return _LINE_BREAKS.sub(" ", value.replace("*", STAR))
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return params.format_number(value, language)
        if isinstance(value, dt.date):
            return params.format_date(value, language)
        return value

    folder = cache_dir()
    env = ClauseSandbox(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        autoescape=False, finalize=finalize, loader=_Sources(), cache_size=0,
        bytecode_cache=_BytecodeCache(folder) if folder else None)
    # Only our own filters and a few harmless built-ins: nothing that reaches objects.
    keep = {"upper", "lower", "capitalize", "title", "trim", "join", "length", "round", "abs",
            "default", "first", "last", "replace", "int", "float", "string", "sort"}
    env.filters = {name: f for name, f in env.filters.items() if name in keep}
    env.filters["replace"] = _sized(env.filters["replace"])
    env.filters["join"] = _sized(env.filters["join"])
    env.tests = dict(env.tests)
    for name, function in {**BUILTIN_FILTERS, **(extra_filters or {})}.items():
        env.filters[name] = _formatter(function)
    env.globals = {"range": _safe_range}
    env.clause_finalize = finalize
    env.clause_filters = {name for name in {**BUILTIN_FILTERS, **(extra_filters or {})}}
    return env


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
        self.env = make_environment(language, filters)
        self.terminology = _terminology_pattern(terminology or {})

    # -------------------------------------------------------------- templates

    def render(self, source: str, *, name: str, values: dict[str, Any], file: str = "",
               line: int | Callable[[], int | None] | None = None) -> str:
        """Render one template; every failure becomes a RenderError naming clause and file.

        `line` (the file line the template starts on) may be a function: it is only needed
        for an error, and finding it means scanning the file.
        """
        source = self._with_terms(source)
        if "{" not in source:   # plain text (most titles and toelichtingen): nothing to run
            return source
        try:
            return self._render(source, name, values, file)
        except RenderError as exc:
            start = line() if callable(line) else line
            if start and exc.line is None:
                exc.line = start
            elif start and exc.line is not None and exc.line < 0:
                exc.line = start - exc.line
            raise

    def _simple(self, source: str, name: str, values: dict[str, Any], file: str) -> str | None:
        """Render a template of plain {{ name | filter }} and {{ ref("id") }} expressions
        directly, or return None when it needs Jinja (statements, other expressions)."""
        rest = _SIMPLE.sub("", source)
        if "{{" in rest or "{%" in rest or "{#" in rest:
            return None
        ctx = {"language": self.language}
        finalize = self.env.clause_finalize

        def value_of(match: re.Match) -> str:
            if match.group(1) is not None:
                return self._ref(match.group(1))
            variable = match.group(2)
            filters = [f.strip() for f in match.group(3).split("|") if f.strip()]
            if any(f not in self.env.clause_filters for f in filters):
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
            for f in filters:
                value = self.env.filters[f](ctx, value)
            return str(finalize(value))
        if source.endswith("\n"):   # as Jinja does (keep_trailing_newline=False)
            source = source[:-1]
        try:
            text = _SIMPLE.sub(value_of, source)
        except LookupError:
            return None
        except (TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            raise RenderError(f"{name}: {type(exc).__name__}: {exc}", file=file) from None
        if len(text) > MAX_OUTPUT:
            raise RenderError(f"{name}: renders to more than {MAX_OUTPUT:,} characters",
                              file=file)
        return text

    def _with_terms(self, source: str) -> str:
        """The sector's own words in the template's text, not in its code, and so never in a
        parameter value (a value is the negotiator's, printed as given)."""
        if not self.terminology:
            return source
        parts = _CODE.split(source)
        parts[::2] = [self.terminology(text) for text in parts[::2]]
        return "".join(parts)

    def _render(self, source: str, name: str, values: dict[str, Any], file: str) -> str:
        simple = self._simple(source, name, values, file) if self.fast else None
        if simple is not None:
            return simple
        line = None
        try:
            # The name carries a hash of the source, so a cached compile can never be stale.
            digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            key = f"{name}:sandbox-{SANDBOX_VERSION}:{digest}"
            self.env.loader.sources[key] = source
            template = self.env.get_template(key)
        except jinja2.TemplateSyntaxError as exc:
            # a negative line is relative to the template's first line; render() resolves it
            raise RenderError(f"{name}: template syntax error: {exc.message}", file=file,
                              line=-exc.lineno if exc.lineno else None) from None
        except (RecursionError, SyntaxError, MemoryError) as exc:
            raise RenderError(f"{name}: the template is nested too deeply to compile "
                              f"({type(exc).__name__})", file=file, line=line) from None
        variables = {**self.context, **values, "language": self.language, "ref": self._ref}
        self.env.start()
        try:
            pieces, size = [], 0
            for piece in template.generate(**variables):
                size += len(piece)
                if size > MAX_OUTPUT:
                    raise RenderError(f"{name}: renders to more than {MAX_OUTPUT:,} characters",
                                      file=file, line=line)
                pieces.append(piece)
        except RenderError:
            raise
        except jinja2.UndefinedError as exc:
            match = re.search(r"'([^']+)' is undefined", str(exc))
            hint = suggest(match.group(1), list(values) + list(self.context)) if match else None
            raise RenderError(f"{name}: {exc}", file=file, line=line, suggestion=hint) from None
        except SecurityError as exc:
            raise RenderError(f"{name}: the template did something the sandbox forbids ({exc})",
                              file=file, line=line) from None
        except MemoryError:
            raise RenderError(f"{name}: the template needs too much memory", file=file,
                              line=line) from None
        except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError,
                RecursionError, jinja2.TemplateError) as exc:
            raise RenderError(f"{name}: {type(exc).__name__}: {exc}", file=file, line=line) from None
        return "".join(pieces)

    def _ref(self, target: Any) -> str:
        target = str(target)
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
        for match in _INLINE.finditer(text):
            if match.start() > position:
                result.append(Span(_unstar(text[position:match.start()])))
            if match.group("bold") is not None:
                result.append(Span(_unstar(match.group("bold")), bold=True))
            elif match.group("italic") is not None:
                result.append(Span(_unstar(match.group("italic")), italic=True))
            elif match.group("ref") is not None:
                result.append(self._resolve(match.group("ref")))
            else:
                name = match.group("missing")
                result.append(Placeholder(name=name, hint=name))
            position = match.end()
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
    """
    if not words:
        return None
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
    return lambda text: pattern.sub(replace, text)


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
    if re.match(r"(uni|use|usu|uti|eu|one\b|once\b|u[bcdfgklmnprstvz][aeiou])", first):
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
