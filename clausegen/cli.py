"""The command line: parse options, call the engine, print. No logic of its own."""
from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ClausegenError, UsageError, suggest
from .model import AUDIENCES, LANGUAGES, POSITIONS, ClauseChoice, DraftSpec
from .writers import FORMATS, MANDATE_FORMATS, REDLINE_FORMATS, TOELICHTING_MODES


# ---------------------------------------------------------------- plumbing


class Context:
    # Set by main(): a process that runs one command keeps its library until it ends, so once
    # built it is frozen as the imports are, and no collection walks its objects again. A
    # cycle the build left unreferenced is then kept until the process ends, as the library
    # is; commands run in-process (tests) and the web page (which does not build its library
    # here) keep collecting as usual.
    freeze_library = False

    def __init__(self, plugins_dir, debug):
        self.plugins_dir = plugins_dir
        self.debug = debug
        self._host = None

    @property
    def host(self):
        if self._host is None:
            from .plugin_host import get_host
            self._host = get_host(self.plugins_dir)
        return self._host

    def library(self, report: bool = True):
        library = self.host.library()
        if self.freeze_library:
            gc.freeze()
        if report:
            for line in self.host.errors():
                click.echo(f"error: {line}", err=True)
        return library


class Choice(click.Choice):
    """A choice that says which one was meant ("doelen": did you mean 'doel'?)."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            hint = suggest(str(value), self.choices)
            if hint:
                exc.message = exc.message.rstrip(".") + f"; did you mean {hint!r}?"
            raise


def _completion_library(ctx):
    """The library shell completion offers from: the plugins a real run would load (with the
    --plugins-dir already typed), and the sector's own overrides once --sector is typed."""
    from .plugin_host import get_host
    root = ctx.find_root()
    plugins_dir = root.params.get("plugins_dir") or os.environ.get("CLAUSEGEN_PLUGINS_DIR")
    library = get_host(plugins_dir or None).library()
    sector = ctx.params.get("sector")
    return library.for_sector(sector) if isinstance(sector, str) else library


def _completer(kind: str):
    """click shell_complete for sector ids, clause ids or theme ids, from the library."""
    def complete(ctx, param, incomplete):
        from click.shell_completion import CompletionItem
        try:
            library = _completion_library(ctx)
        except Exception:       # a broken plugin must not break the user's shell
            return []
        if kind == "sector":
            items = [(s.id, text_of(s.cao)) for s in library.sectors.values()]
        elif kind == "theme":
            items = [(t.id, text_of(t.title)) for t in library.sorted_themes()]
        else:
            items = [(c.id, text_of(c.title)) for c in library.sorted_clauses()]
        return [CompletionItem(value, help=help_text) for value, help_text in sorted(items)
                if value.startswith(incomplete)]
    return complete


complete_sector, complete_clause, complete_theme = (
    _completer("sector"), _completer("clause"), _completer("theme"))


def fail(message: str, code: int = 1):
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def handle_errors(function):
    """Turn every error into one readable message and an exit code; tracebacks only in --debug."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        debug = ctx.find_object(Context).debug if ctx.find_object(Context) else False
        try:
            return function(*args, **kwargs)
        except ClausegenError as exc:
            if debug:
                raise
            fail(str(exc), exc.exit_code)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:     # `clausegen ... | head`: the reader has all it wanted
            # Python's advice: point stdout at devnull so the exit's flush cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            if debug:
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
    return wrapper


def emit_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


def text_of(texts: dict, language: str = "nl") -> str:
    return texts.get(language) or texts.get("nl") or next(iter(texts.values()), "")


def provenance_json(item) -> dict:
    p = item.provenance
    return {"name": p.plugin, "distribution": p.distribution, "version": p.version,
            "file": p.file}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clausegen")
@click.option("--plugins-dir", type=click.Path(file_okay=False), envvar="CLAUSEGEN_PLUGINS_DIR",
              help="Also load *.py plugins and content packs from this folder.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.option("--no-cache", is_flag=True,
              help="Keep nothing in the user cache directory (compiled templates, parsed "
                   "content files, the list of plugins, formatted values).")
@click.pass_context
def cli(ctx, plugins_dir, debug, no_cache):
    """clausegen: draft cao clauses from a plugin library and write them to Word.

    Start with `clausegen sectors`, then `clausegen generate --sector ziekenhuizen -o cao.docx`,
    or `clausegen init --sector ziekenhuizen -o spec.toml` and `clausegen build spec.toml`.
    """
    if no_cache:
        os.environ["CLAUSEGEN_NO_CACHE"] = "1"
    ctx.obj = Context(plugins_dir, debug)


pass_context = click.make_pass_decorator(Context)


# ---------------------------------------------------------------- listings


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_context
@handle_errors
def themes(context, as_json):
    """List the themes (chapters). Example: clausegen themes --json"""
    library = context.library()
    items = library.sorted_themes()
    if as_json:
        emit_json([{"id": t.id, "order": t.order, "title": t.title,
                    "description": t.description, "plugin": provenance_json(t),
                    "clauses": len(library.sorted_clauses(t.id))} for t in items])
        return
    for t in items:
        click.echo(f"{t.id:<16} {text_of(t.title)} ({len(library.sorted_clauses(t.id))} clauses)")


def _param_json(param) -> dict:
    from .params import to_json
    return {"name": param.name, "type": param.type, "default": to_json(param.default),
            "min": to_json(param.min), "max": to_json(param.max), "choices": list(param.choices),
            "label": param.label, "help": param.help}


@cli.command()
@click.option("--theme", help="Only clauses of this theme.", shell_complete=complete_theme)
@click.option("--sector", shell_complete=complete_sector,
              help="Only what this sector's draft contains: its recommended and "
              "frame clauses, with the overrides in force for it.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_context
@handle_errors
def clauses(context, theme, sector, as_json):
    """List the clauses. Example: clausegen clauses --theme werkdruk"""
    from .params import to_json
    library = context.library()
    if theme:
        library.theme(theme)
    items = library.sorted_clauses(theme)
    replaces: dict[str, str] = {c.id: library.replacements[c.id].id for c in items
                                if c.id in library.replacements}
    if sector:
        # what the sector's draft will contain: its overrides in, the clauses they replace out
        from .planning import plan_draft
        plan = plan_draft(DraftSpec(sector=library.sector(sector).id), library)
        items = [p.clause for p in plan.clauses if not theme or p.clause.theme == theme]
        replaces = {p.clause.id: p.replaces.id for p in plan.clauses if p.replaces}
    if as_json:
        emit_json([{
            "id": c.id, "version": c.version, "theme": c.theme, "title": c.title,
            "summary": c.summary, "languages": sorted(c.text),
            "has_explanation": sorted(c.explanation),
            "has_arguments": sorted(c.arguments),
            "parameters": [_param_json(p) for p in c.parameters.values()],
            "positions": {k: {n: to_json(v) for n, v in vals.items()}
                          for k, vals in c.positions.items()},
            "addresses": list(c.addresses), "legal_basis": list(c.legal_basis),
            "definitions": list(c.definitions), "requires": list(c.requires),
            "excludes": list(c.excludes), "always": c.always, "overrides": c.overrides,
            "replaces": replaces.get(c.id, ""),
            "plugin": provenance_json(c)} for c in items])
        return
    for c in items:
        note = (f"  (replaces {replaces[c.id]}, plugin {c.provenance.label})"
                if c.id in replaces else "")
        click.echo(f"{c.id:<40} {c.version:<7} {text_of(c.title)}{note}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_context
@handle_errors
def sectors(context, as_json):
    """List the sector profiles. Example: clausegen sectors"""
    library = context.library()
    items = [library.sectors[k] for k in sorted(library.sectors)]
    if as_json:
        from .params import to_json
        emit_json([{"id": s.id, "name": s.name, "cao": s.cao, "employers": list(s.employers),
                    "unions": list(s.unions), "description": s.description,
                    "article_numbering": s.article_numbering,
                    "recommended": list(s.recommended), "terminology": s.terminology,
                    "current": {k: to_json(v) for k, v in s.current.items()},
                    "positions": {p: {k: to_json(v) for k, v in values.items()}
                                  for p, values in s.positions.items()},
                    "overrides": {k: to_json(v) for k, v in s.overrides.items()},
                    "plugin": provenance_json(s)} for s in items])
        return
    for s in items:
        click.echo(f"{s.id:<24} {text_of(s.cao)}  ({', '.join(s.employers)})")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_context
@handle_errors
def plugins(context, as_json):
    """List the plugins, their versions and hooks, and any that are broken.

    Example: CLAUSEGEN_DISABLE_PLUGINS=wettelijk clausegen plugins
    """
    context.library(report=False)
    infos = context.host.plugins
    if as_json:
        emit_json([{"name": p.name, "kind": p.kind, "distribution": p.distribution,
                    "version": p.version, "source": p.source, "hooks": p.hooks,
                    "status": "broken" if p.broken else "ok", "errors": p.errors}
                   for p in infos])
        return
    for p in infos:
        status = "BROKEN" if p.broken else "ok"
        click.echo(f"{p.name:<16} {p.version:<8} {p.kind:<10} {status:<6} {', '.join(p.hooks)}")
        for error in p.errors:
            click.echo(f"    {error}")


# ---------------------------------------------------------------- drafting


def _sets(values: tuple[str, ...]) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for item in values:
        key, sep, value = item.partition("=")
        clause_id, dot, param = key.strip().rpartition(".")
        if not sep or not dot or not clause_id or not param:
            raise UsageError(f"--set {item!r}: write CLAUSE_ID.PARAM=VALUE, "
                             "e.g. werkdruk.roosterinspraak.bekendmaking_dagen=35")
        if param in result.get(clause_id, {}):
            raise UsageError(f"--set {key.strip()} is given twice; give each value once")
        result.setdefault(clause_id, {})[param] = value
    return result


def _date(value: str | None, option: str):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r}: write a date as YYYY-MM-DD") from None


AUDIENCE_NOTES = {"tafel": "tafel: for the other side of the table",
                  "intern": "intern: VERTROUWELIJK, for the delegation only"}


def _write(context, spec: DraftSpec, library, output, fmt, force, strict, toelichting,
           author, audience=None, toc_pages=False) -> None:
    from .draft import build_draft
    from .planning import missing_values, plan_draft
    from .writers import atomic_write, check_target, format_for, render_bytes
    from .params import check_text
    check_text(author, "--author", ClausegenError)
    if audience:
        spec.audience = audience
    fmt = format_for(output, fmt)
    target = check_target(output, force)
    plan = plan_draft(spec, library)
    for f in plan.findings:
        law = f" [{f.law}]" if f.law else ""
        click.echo(f"{f.level}: {f.clause + ': ' if f.clause else ''}{f.message}{law}", err=True)
    gaps = missing_values(plan)
    for clause_id, name in gaps:
        click.echo(f"warning: {clause_id}.{name} has no value; the draft shows a placeholder",
                   err=True)
    if strict:
        errors = [f for f in plan.findings if f.level == "error"]
        problems = ([f"{len(errors)} check error(s)"] if errors else []) + (
            [f"{len(gaps)} value(s) to fill in"] if gaps else []) + (
            [f"{len(context.host.errors())} plugin error(s)"] if context.host.errors() else [])
        if problems:
            raise ClausegenError("--strict: not written: " + ", ".join(problems))
    draft = build_draft(plan, library)
    atomic_write(target, render_bytes(draft, fmt, library, toelichting=toelichting,
                                      author=author, toc_pages=toc_pages), replace=force)
    articles = sum(len(c.articles) for c in draft.chapters)
    # The position is named only on the terminal, never in a tafel file.
    click.echo(f"Wrote {target} ({AUDIENCE_NOTES[spec.audience]}; {fmt}, {articles} articles, "
               f"sector {plan.sector.id}, {spec.language}, position {spec.position})")
    if spec.audience == "intern":
        click.echo(f"warning: {target} is confidential: it holds the positions, the mandate "
                   "and the internal arguments. Never send it to the employers.", err=True)


output_options = [
    click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file."),
    click.option("--audience", type=Choice(AUDIENCES),
                 help="tafel: the draft for the other side (no positions, arguments or "
                      "provenance; the default); intern: the confidential version for the "
                      "delegation, with arguments, review annex, findings and mandate."),
    click.option("--format", "fmt", type=click.Choice(FORMATS),
                 help="Output format (default: from the file name, else docx); pdf needs "
                      "LibreOffice."),
    click.option("--force", is_flag=True, help="Replace an existing output file."),
    click.option("--strict", is_flag=True,
                 help="Refuse to write while a check reports an error or a value is missing."),
    click.option("--toelichting", type=click.Choice(TOELICHTING_MODES),
                 default="comments", show_default=True,
                 help="Word: the toelichting as comments on each article, as a chapter at the "
                      "end, or left out."),
    click.option("--author", default="clausegen", show_default=True,
                 help="Word: author of the comments and the document."),
    click.option("--toc-pages", is_flag=True,
                 help="Word: lay the draft out with LibreOffice first, so the contents show "
                      "page numbers before Word updates its fields (needs LibreOffice)."),
]


def with_output_options(function):
    for option in reversed(output_options):
        function = option(function)
    return function


draft_options = [
    click.option("--theme", "themes_", multiple=True, help="Only these themes (repeatable).",
                 shell_complete=complete_theme),
    click.option("--clause", "clause_ids", multiple=True, shell_complete=complete_clause,
                 help="Exactly these clauses instead of the sector's recommendation "
                      "(repeatable)."),
    click.option("--position", type=Choice(POSITIONS), default="doel", show_default=True,
                 help="Negotiating position for every clause."),
    click.option("--set", "sets", multiple=True, metavar="CLAUSE_ID.PARAM=VALUE",
                 help="Set a parameter value (repeatable)."),
    click.option("--language", type=Choice(LANGUAGES), default="nl", show_default=True),
    click.option("--date", "date_", help="The draft's date, YYYY-MM-DD (default: today)."),
    click.option("--start", help="First day of the cao, YYYY-MM-DD."),
    click.option("--end", help="Last day of the cao, YYYY-MM-DD."),
    click.option("--title", help="Title of the cao (default: the sector's cao name and years)."),
]


def with_draft_options(function):
    for option in reversed(draft_options):
        function = option(function)
    return function


def _spec_from_options(library, sector, themes_, clause_ids, position, sets, language, date_,
                       start, end, title) -> DraftSpec:
    """A spec built from generate's options, the frame clauses included (so --set reaches them)."""
    from .params import check_text
    from .planning import with_values
    if title:
        check_text(title, "--title", ClausegenError)
    if themes_ and clause_ids:
        raise UsageError("--theme and --clause together: --clause lists the whole draft, so "
                         "--theme would be ignored; give one of them")
    values = _sets(sets)
    spec = DraftSpec(sector=sector, language=language, position=position, title=title,
                     start=_date(start, "--start"), end=_date(end, "--end"),
                     date=_date(date_, "--date"), themes=tuple(themes_),
                     clauses=[ClauseChoice(id=c) for c in clause_ids])
    spec, outside = with_values(spec, library, values)
    if outside:
        raise ClausegenError(f"--set {outside[0]}: that clause is not in this draft; "
                             f"add --clause {outside[0]}")
    return spec


@cli.command()
@click.option("--sector", required=True, help="Sector id (see `clausegen sectors`).",
              shell_complete=complete_sector)
@with_draft_options
@with_output_options
@pass_context
@handle_errors
def generate(context, sector, themes_, clause_ids, position, sets, language, date_, start, end,
             title, output, audience, fmt, force, strict, toelichting, author, toc_pages):
    """Generate a draft straight from options.

    Example: clausegen generate --sector ziekenhuizen --position openingsbod -o concept.docx
    """
    library = context.library()
    spec = _spec_from_options(library, sector, themes_, clause_ids, position, sets, language,
                              date_, start, end, title)
    intern = "-intern" if audience == "intern" else ""
    output = output or f"concept-cao-{sector}{intern}.{fmt or 'docx'}"
    _write(context, spec, library, output, fmt, force, strict, toelichting, author, audience,
           toc_pages)


@cli.command()
@click.argument("old_spec", type=click.Path(dir_okay=True))
@click.argument("new_spec", type=click.Path(dir_okay=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Output file: .docx (the redline), .md or .json (the list of changes).")
@click.option("--format", "fmt", type=click.Choice(REDLINE_FORMATS),
              help="Output format (default: from the file name, else docx).")
@click.option("--audience", type=Choice(AUDIENCES),
              help="Who the redline is for (default: as the NEW spec says, else tafel).")
@click.option("--language", type=Choice(LANGUAGES), help="Language of both drafts.")
@click.option("--date", "date_", help="Date of the NEW draft and of its revisions, YYYY-MM-DD.")
@click.option("--author", "reviser", help="Author of the revisions (default: the unions).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@pass_context
@handle_errors
def compare(context, old_spec, new_spec, output, fmt, audience, language, date_, reviser,
            force):
    """Compare two rounds: NEW's draft with every change since OLD as tracked changes.

    OLD and NEW are spec files. Articles are matched by clause id, so a moved article shows as
    a move and a changed value as exactly that value.
    Example: clausegen compare ronde1.toml ronde2.toml -o redline.docx
    """
    from .compare import align, changes
    from .draft import build_draft
    from .params import check_text
    from .planning import plan_draft
    from .spec import read_spec
    from .writers import atomic_write, check_target, format_for
    from .writers.redline import change_list, write_redline
    if reviser is not None:
        check_text(reviser, "--author", ClausegenError)
    library = context.library()
    fmt = format_for(output or "redline.docx", fmt, REDLINE_FORMATS)
    target = check_target(output or f"redline.{fmt}", force)
    specs = [read_spec(old_spec), read_spec(new_spec)]
    for spec in specs:     # both rounds for one audience and language: NEW's unless given
        spec.audience = audience or specs[1].audience
        spec.language = language or specs[1].language
    specs[1].date = _date(date_, "--date") or specs[1].date
    old, new = (build_draft(plan_draft(spec, library), library) for spec in specs)
    if old.plan.sector.id != new.plan.sector.id:
        click.echo(f"warning: the rounds are for different sectors ({old.plan.sector.id}, "
                   f"{new.plan.sector.id})", err=True)
    blocks = align(old, new)
    rows = changes(blocks, old, new)
    if fmt == "docx":
        data = write_redline(old, new, blocks, rows, library, reviser=reviser or "")
    else:
        data = change_list(old, new, rows, fmt)
    atomic_write(target, data, replace=force)
    click.echo(f"Wrote {target} (redline, {AUDIENCE_NOTES[new.audience]}; {len(rows)} "
               f"change(s) since {old.plan.date.isoformat()})")
    if new.audience == "intern":
        click.echo(f"warning: {target} is confidential. Never send it to the employers.",
                   err=True)


@cli.command()
@click.argument("spec_file", required=False, type=click.Path(dir_okay=True))
@click.option("--sector", help="Sector id, when there is no spec file.",
              shell_complete=complete_sector)
@with_draft_options
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Output file: .docx, .xlsx, .json or .md (default: mandaat-SECTOR.docx).")
@click.option("--format", "fmt", type=click.Choice(MANDATE_FORMATS),
              help="Output format (default: from the file name, else docx).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@pass_context
@handle_errors
def mandate(context, spec_file, sector, themes_, clause_ids, position, sets, language, date_,
            start, end, title, output, fmt, force):
    """Write the mandate (mandaat) for the delegation: per parameter the current cao, the
    opening bid, target and walk-away, the legal limit and this draft's value. CONFIDENTIAL.

    From a spec file or from the options `generate` takes.
    Example: clausegen mandate --sector vvt -o mandaat-vvt.xlsx
    """
    from .mandate import mandate_rows
    from .planning import plan_draft
    from .writers import atomic_write, check_target, format_for
    from .writers.mandate import render_mandate
    library = context.library()
    if spec_file and sector:
        raise UsageError("give a spec file or --sector, not both")
    ctx = click.get_current_context()
    given = [param.opts[0] for param in ctx.command.params
             if param.name not in ("spec_file", "sector", "output", "fmt", "force")
             and ctx.get_parameter_source(param.name) != click.core.ParameterSource.DEFAULT]
    if spec_file and given:
        raise UsageError(f"{', '.join(given)}: these options apply with --sector; with a spec "
                         "file, edit the spec")
    if spec_file:
        from .spec import read_spec
        spec = read_spec(spec_file)
    elif sector:
        spec = _spec_from_options(library, sector, themes_, clause_ids, position, sets,
                                  language, date_, start, end, title)
    else:
        raise UsageError("give a spec file or --sector (see `clausegen mandate --help`)")
    fmt = format_for(output or "mandaat.docx", fmt, MANDATE_FORMATS)
    target = check_target(output or f"mandaat-{spec.sector}.{fmt}", force)
    plan = plan_draft(spec, library)
    rows = mandate_rows(plan, library.floors())
    atomic_write(target, render_mandate(plan, rows, fmt), replace=force)
    click.echo(f"Wrote {target} (mandate, {fmt}, {len(rows)} parameters, sector {plan.sector.id})")
    click.echo(f"warning: {target} is CONFIDENTIAL: the delegation's mandate. Never send it to "
               "the employers.", err=True)


@cli.command()
@click.argument("spec_file", type=click.Path(dir_okay=True))
@with_output_options
@pass_context
@handle_errors
def build(context, spec_file, output, audience, fmt, force, strict, toelichting, author,
          toc_pages):
    """Build a draft from a spec file.

    Example: clausegen build spec.toml -o concept.docx
    """
    from .spec import read_spec
    spec = read_spec(spec_file)
    library = context.library()
    if not output:    # a confidential file never gets the name of the one for the table
        intern = "-intern" if (audience or spec.audience) == "intern" else ""
        path = Path(spec_file)
        output = str(path.with_name(f"{path.stem}{intern}.{fmt or 'docx'}"))
    _write(context, spec, library, output, fmt, force, strict, toelichting, author, audience,
           toc_pages)


@cli.command()
@click.option("--sector", required=True, help="Sector id (see `clausegen sectors`).",
              shell_complete=complete_sector)
@click.option("--theme", "themes_", multiple=True, help="Only these themes (repeatable).",
              shell_complete=complete_theme)
@click.option("--position", type=Choice(POSITIONS), default="doel", show_default=True)
@click.option("--language", type=Choice(LANGUAGES), default="nl", show_default=True)
@click.option("--date", "date_", help="The draft's date, YYYY-MM-DD (default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Spec file to write (default: print it).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@pass_context
@handle_errors
def init(context, sector, themes_, position, language, date_, output, force):
    """Write a spec file for a sector: the position set, every value following it, ready to edit.

    Example: clausegen init --sector vvt -o spec.toml && clausegen build spec.toml
    """
    from .planning import known_sector, plan_draft
    from .spec import write_spec
    from .writers import atomic_write, check_target
    library = context.library()
    known_sector(library, sector)
    spec = DraftSpec(sector=sector, language=language, position=position,
                     date=_date(date_, "--date"), themes=tuple(themes_))
    text = write_spec(plan_draft(spec, library))
    if not output:
        click.echo(text, nl=False)
        return
    target = check_target(output, force)
    atomic_write(target, text.encode("utf-8"), replace=force)
    click.echo(f"Wrote {target}; edit it, then: clausegen build {target}")


@cli.command()
@click.argument("clause_id", shell_complete=complete_clause)
@click.option("--sector", help="Render with this sector's words, current cao and own values.",
              shell_complete=complete_sector)
@click.option("--position", type=Choice(POSITIONS), default="doel", show_default=True)
@click.option("--language", type=Choice(LANGUAGES), default="nl", show_default=True)
@pass_context
@handle_errors
def show(context, clause_id, sector, position, language):
    """Show one clause rendered, with its parameters and where each value came from.

    Example: clausegen show werkdruk.zelfroosteren --position openingsbod
    """
    from .draft import build_draft, one_article
    from .params import format_value
    from .planning import plan_draft, sector_for_clause
    from .writers.markdown import write_markdown
    library = context.library()
    sector_id = sector_for_clause(library, clause_id, sector)
    library = library.for_sector(sector_id)     # the overrides in force for this sector
    clause = library.clause(clause_id)
    spec = DraftSpec(sector=sector_id, language=language, position=position, audience="intern",
                     clauses=[ClauseChoice(id=clause.id)])
    plan = plan_draft(spec, library)
    draft = one_article(build_draft(plan, library), clause.id)
    body = write_markdown(draft, annexes=False).split("# ", 1)[1].split("\n", 5)[-1]
    click.echo(body.strip() + "\n")
    planned = plan.clause(clause.id)
    file = clause.provenance.file       # "" for a clause a plugin registered from Python
    click.echo(f"{clause.id} {clause.version} from plugin {clause.provenance.label}"
               + (f" ({file})" if file else ""))
    if not sector:
        click.echo(f"(rendered with sector {sector_id}; pass --sector to choose)")
    for name, param in clause.parameters.items():
        value, step = planned.values[name], planned.ladder[name]
        ladder = [f"{p} {format_value(param.type, step.positions[p], language) or '-'}"
                  for p in POSITIONS]
        if step.current is not None:
            ladder.append(f"current cao {format_value(param.type, step.current, language)}")
        click.echo(f"  {name} = {format_value(param.type, value.value, language) or '[...]'}"
                   f"  ({param.type}, from {value.source}; {', '.join(ladder)})")
    for f in plan.findings:
        if f.clause == clause.id:
            click.echo(f"{f.level}: {f.message}" + (f" [{f.law}]" if f.law else ""))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --token.")
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Port to listen on (default: a free port).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder for the saved rounds (default: the user's data folder).")
@click.option("--token", envvar="CLAUSEGEN_TOKEN",
              help="Access token (16+ characters) every browser must present; required off "
                   "loopback.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@pass_context
@handle_errors
def serve(context, host, port, data_dir, token, open_browser):
    """Start the web page: choose a sector, tick clauses, set values, download the draft.

    Listens on 127.0.0.1 only, unless --host and --token say otherwise; Ctrl+C stops it.
    Example: clausegen serve --open
    """
    try:
        from .web.app import serve as run
    except ImportError as exc:
        raise ClausegenError(f"the web page needs the web extra ({exc.name} is missing): "
                             "pip install 'clausegen[web]'") from None
    run(host=host, port=port, plugins_dir=context.plugins_dir, data_dir=data_dir, token=token,
        open_browser=open_browser, echo=click.echo)


def _terminate(signum, frame):
    # SIGTERM/SIGHUP as an exception, so atomic_write removes its temp file on the way out.
    raise SystemExit(128 + signum)


def main():
    """Console entry point."""
    # The cycle collector need not walk what is imported at start-up (frozen), and not at all
    # once the command is done: the process ends and its memory goes back whole, while the
    # collection at exit would walk every object once more (5 to 10% of a small draft's run).
    gc.freeze()
    Context.freeze_library = True
    import signal
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    try:
        cli(prog_name="clausegen")
    finally:
        gc.disable()


def _plugin_name(ctx, param, value):
    from .scaffold import name_problem
    problem = name_problem(value)
    if problem:
        raise click.BadParameter(problem, ctx=ctx, param=param)
    return value


@cli.command("new-plugin")
@click.argument("name", callback=_plugin_name)
@click.option("--content-only", is_flag=True,
              help="A content-only pack instead: plugin.toml and TOML files, no Python, "
                   "loaded with --plugins-dir.")
@click.option("-o", "--directory", type=click.Path(path_type=Path),
              help="Where to create it (default: ./clausegen-NAME, or ./NAME for a pack). "
                   "It must not exist yet.")
@handle_errors
def new_plugin_command(name, content_only, directory):
    """Start a sector plugin: an installable package, or a content-only pack.

    The package has a pyproject.toml with the clausegen entry point, a theme, an example clause
    in Dutch and English, a sector profile that recommends it with built-in clauses, a README
    and tests that use clausegen's pytest fixtures. It works unchanged; then make it your own.

    Example: clausegen new-plugin kinderopvang
    """
    from .scaffold import installed_plugin, next_steps, scaffold
    result = scaffold(name, directory, content_only)
    kind = ("a content-only pack" if content_only
            else f"a package: {result.names.dist}, module {result.names.module}")
    click.echo(f"Created {result.directory} ({kind}):")
    for path in result.files:
        click.echo(f"  {path}")
    other = installed_plugin(name)
    if other:
        click.echo(f"warning: a plugin named {name!r} is already installed ({other}); "
                   "uninstall it before installing this one", err=True)
    click.echo("Next:")
    for step in next_steps(result):
        click.echo(f"  {step}")


@cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True), metavar="[PATH]...")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
@handle_errors
def check_command(ctx, paths, as_json):
    """Lint clause files, content packs and plugins, for their authors and their CI.

    Without PATH: every loaded plugin (and --plugins-dir). A PATH is a clause file, a content
    pack or folder, or a plugin package folder. Prints `path:line: level: message` per finding;
    exit 1 when any is an error.

    Example: clausegen check mijn-pack/ --json
    """
    from .lint import check, summary
    # Run on its own (without the group, as a plugin's tests may), the environment's
    # plugins dir still counts.
    host = getattr(ctx.obj, "host", None)
    if host is None:
        from .plugin_host import get_host
        host = get_host(os.environ.get("CLAUSEGEN_PLUGINS_DIR") or None)
    findings, files = check(host, paths)
    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(str(finding))
    click.echo(f"clausegen check: {summary(findings, files)}", err=True)
    if any(f.level == "error" for f in findings):
        ctx.exit(1)

