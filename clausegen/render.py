"""Rendering one draft's clause templates into text and into the block model (Lid > Sub, spans).

Plain text is taken as it is, simple templates go the fast path (fastpath.py), the rest runs in
the sandbox (sandbox.py), compiled once and kept (template_cache.py); Jinja is only imported
when a template needs it, so a standard draft runs without it. A sector's own words are
put into the text (terminology.py), and ref() resolves to article numbers when the rendered
markup is parsed (markup.py).
"""
from __future__ import annotations

import functools
import hashlib
from typing import TYPE_CHECKING, Any, Callable

from . import filters as clause_filters, markup, params
from .budget import MAX_OUTPUT, MAX_TEMPLATE, Budget
from .errors import RenderError
from .fastpath import FastPath
from .model import Lid, Placeholder, Ref
from .terminology import term_replacer
from .vocabulary import DRAFT_WORDS, LEVEL_WORDS

if TYPE_CHECKING:
    import jinja2

    from .sandbox import ClauseSandbox


class Renderer:
    """Renders clauses of one draft in one language, resolving ref() to article numbers."""

    def __init__(self, language: str, numbers: dict[str, str], context: dict[str, Any],
                 terminology: dict[str, str] | None = None,
                 filters: dict[str, Callable] | None = None, fast: bool = True):
        self.language = language
        self.fast = fast      # False: every template through Jinja (tests compare the two)
        self.numbers = numbers
        self.context = context
        self.terminology = term_replacer(terminology or {})
        # Compiled code holds the replaced words, so they are part of the cache key.
        self._terms_key = repr(sorted((terminology or {}).items()))
        self._filters = filters
        # One budget for both paths: whichever renders a template holds it to the same limits.
        self.budget = Budget()
        self.fastpath = FastPath(language, context, clause_filters.clause_filters(filters),
                                 self.budget, self._ref, self._terms)

    @functools.cached_property
    def env(self) -> ClauseSandbox:
        """The sandbox, made (and Jinja imported) when the first template needs it."""
        from .sandbox import make_environment
        env = make_environment(self.language, self._filters, self.terminology, self.budget)
        env.functions = (self._ref,)
        return env

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

    def _render(self, source: str, name: str, values: dict[str, Any], file: str) -> str:
        """A template with code in it: on the fast path if it can, else in the sandbox."""
        if self.fast:
            text = self.fastpath.render(source, name=name, file=file, values=values)
            if text is not None:
                return text
        from .sandbox import render_error
        self.budget.start()      # compiling counts against the time budget too
        template = self._compile(source, name, file)
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
            raise render_error(exc, name, file, values, self.context) from None
        return "".join(pieces)

    def _compile(self, source: str, name: str, file: str) -> jinja2.Template:
        """The template compiled in the sandbox, or loaded from the cache of compiled code."""
        import jinja2

        from .sandbox import SANDBOX_VERSION, exception_text
        env = self.env
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
                              f"{exception_text(exc)}", file=file) from None
        finally:
            del env.loader.sources[key]   # only the template being compiled can be loaded
        return template

    def _ref(self, target: Any) -> str:
        if isinstance(target, str):     # as the sandbox's text_of: a name as it is
            return markup.reference(target)
        return markup.reference(self.env.text_of(target))

    # -------------------------------------------------------------- markup -> blocks

    def blocks(self, text: str) -> list[Lid]:
        """Parse rendered markup into leden and sub-items, references resolved."""
        return markup.blocks(text, self._resolve)

    def _resolve(self, target: str) -> Ref | Placeholder:
        word = LEVEL_WORDS.get(self.language, LEVEL_WORDS["nl"])[1].lower()
        if target in self.numbers:
            return Ref(target=target, label=self.numbers[target], word=word)
        words = DRAFT_WORDS.get(self.language, DRAFT_WORDS["nl"])
        return Placeholder(name=f"ref:{target}", hint=words["missing_ref"].format(target=target))


