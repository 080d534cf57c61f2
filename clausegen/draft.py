"""From a plan to a Draft: every article rendered in the draft's language, ready for a writer."""
from __future__ import annotations

import dataclasses

from . import __version__
from .library import Library
from .model import Article, Chapter, Draft, Lid, Plan, Span, Sub
from .params import format_date
from .planning import DEFINITIONS_KEY, article_numbers, chapter_keys, template_values
from .render import Renderer
from .vocabulary import DRAFT_WORDS


def context_for(plan: Plan) -> dict:
    """What every template sees besides its own parameters."""
    language = plan.spec.language
    return {"cao": plan.title, "sector": plan.sector.name.get(language) or plan.sector.name.get("nl"),
            "start": plan.start, "end": plan.end, "employers": list(plan.employers),
            "unions": list(plan.unions)}


def renderer_for(plan: Plan, library: Library) -> Renderer:
    language = plan.spec.language
    return Renderer(language, article_numbers(plan), context_for(plan),
                    plan.sector.terminology.get(language), library.filters)


def build_draft(plan: Plan, library: Library) -> Draft:
    """Render every planned clause and lay out the chapters of the draft."""
    language = plan.spec.language
    internal = plan.spec.audience == "intern"
    words = DRAFT_WORDS[language]
    renderer = renderer_for(plan, library)
    numbers = renderer.numbers
    by_id = {p.clause.id: p for p in plan.clauses}
    chapters = []
    for chapter_number, (theme_id, keys) in enumerate(chapter_keys(plan), 1):
        theme = library.themes.get(theme_id)
        title = (theme.title.get(language) if theme else None) or words["frame"]
        articles = []
        for key in keys:
            if key == DEFINITIONS_KEY:
                articles.append(_definitions_article(plan, renderer, numbers[key]))
                continue
            planned = by_id[key]
            clause = planned.clause
            file = clause.provenance.file
            values = template_values(planned)
            text = renderer.render(clause.text[language], name=clause.id, values=values,
                                   file=file,
                                   line=lambda: clause.lines.get(f"text.{language}"))
            explanation = _note(renderer, clause, "explanation", language, values)
            # A tafel draft never renders the arguments: what is not made cannot leak.
            arguments = (_note(renderer, clause, "arguments", language,
                               template_values(planned, internal=True)) if internal else "")
            articles.append(Article(key=key, number=planned.number,
                                    title=renderer.render(clause.title.get(language, clause.id),
                                                          name=f"{clause.id} (title)",
                                                          values=values, file=file),
                                    leden=renderer.blocks(text), explanation=explanation,
                                    arguments=arguments, clause=planned))
        chapters.append(Chapter(number=chapter_number, title=title, articles=articles,
                                theme=theme_id))
    return Draft(plan=plan, language=language, title=plan.title,
                 subtitle=words["draft_of"].format(date=format_date(plan.date, language)),
                 chapters=chapters, parties=(plan.employers, plan.unions),
                 version=plan.date.isoformat(), generator=f"clausegen {__version__}",
                 audience=plan.spec.audience)


def one_article(draft: Draft, key: str) -> Draft:
    """The draft cut down to the article of this key and its chapter: one clause shown alone
    (`clausegen show`, the test fixtures). `key` is the clause id as the draft has it, an
    override's own id where one is in force."""
    chapters = [dataclasses.replace(c, articles=[a for a in c.articles if a.key == key])
                for c in draft.chapters]
    return dataclasses.replace(draft, chapters=[c for c in chapters if c.articles])


def _note(renderer: Renderer, clause, key: str, language: str, values: dict) -> str:
    """A clause's explanation or arguments, rendered; "" when it has none in this language."""
    source = getattr(clause, key).get(language, "")
    if not source:
        return ""
    file = clause.provenance.file
    return renderer.render(source, name=f"{clause.id} ({key})", values=values, file=file,
                           line=lambda: clause.lines.get(f"{key}.{language}")).strip()


def _definitions_article(plan: Plan, renderer: Renderer, number: str) -> Article:
    language = plan.spec.language
    words = DRAFT_WORDS[language]
    entries = []
    for definition in plan.definitions:
        term = definition.term.get(language) or definition.term.get("nl", definition.id)
        text = (definition.text.get(language) or definition.text.get("nl", "")).rstrip(" .;")
        if renderer.terminology:  # the sector's own words, sorted as they will read
            term, text = renderer.terminology(term), renderer.terminology(text)
        entries.append((term, text))
    entries.sort(key=lambda entry: entry[0].lower())
    subs = [Sub(inlines=[Span(term, italic=True),
                         Span(f": {text}{'.' if i == len(entries) - 1 else ';'}")])
            for i, (term, text) in enumerate(entries)]
    lid = Lid(inlines=[Span(words["definitions_intro"])], subs=subs)
    return Article(key=DEFINITIONS_KEY, number=number, title=words["definitions"], leden=[lid])
