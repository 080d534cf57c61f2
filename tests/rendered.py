"""Every text of the built-in library as a draft renders it: per sector, language and position,
every article's body, title, public explanation and internal arguments, and the definitions.
Shared by the content tests (terms, English, sector fit)."""
from __future__ import annotations

import dataclasses
import datetime as dt

from clausegen.draft import build_draft
from clausegen.model import POSITIONS, ClauseChoice, DraftSpec, Placeholder, Ref, Span
from clausegen.planning import plan_draft

DATE = dt.date(2026, 12, 1)


def clause_sets(library):
    """Every clause, split in as few sets as the excludes between clauses allow."""
    sets: list[list[str]] = [[]]
    for clause in library.sorted_clauses():
        for chosen in sets:
            if not any(c in clause.excludes or clause.id in library.clauses[c].excludes
                       for c in chosen):
                chosen.append(clause.id)
                break
        else:
            sets.append([clause.id])
    return sets


def inline_text(inline) -> str:
    if isinstance(inline, Span):
        return inline.text
    if isinstance(inline, Ref):
        return f"{inline.word} {inline.label}"
    if isinstance(inline, Placeholder):
        return "[...]"
    return ""


def article_texts(article):
    """(part, text) of one rendered article: title, each lid with its sub-items, the
    explanation and the arguments."""
    yield "title", article.title
    for number, lid in enumerate(article.leden, 1):
        text = "".join(inline_text(i) for i in lid.inlines)
        subs = " ".join("".join(inline_text(i) for i in sub.inlines) for sub in lid.subs)
        yield f"lid {number}", f"{text} {subs}".strip()
    if article.explanation:
        yield "explanation", article.explanation
    if article.arguments:
        yield "arguments", article.arguments


def drafts(library, sector, language, positions=POSITIONS, terminology=None, clauses=None):
    """The intern drafts (so arguments too) of every clause for one sector and language."""
    for position in positions:
        for ids in ([clauses] if clauses else clause_sets(library)):
            spec = DraftSpec(sector=sector, language=language, position=position, date=DATE,
                             audience="intern", clauses=[ClauseChoice(id=i) for i in ids])
            plan = plan_draft(spec, library)
            if terminology is not None:
                plan.sector = dataclasses.replace(
                    plan.sector, terminology={**plan.sector.terminology, language: terminology})
            yield build_draft(plan, library)


def texts(library, sector, language, **kwargs):
    """(where, text) for every rendered text of every clause in one sector and language."""
    for draft in drafts(library, sector, language, **kwargs):
        for chapter in draft.chapters:
            for article in chapter.articles:
                for part, text in article_texts(article):
                    yield f"{sector} {language} {draft.plan.spec.position} {article.key} {part}", text




def all_texts(library, language, positions=("doel",)):
    """(where, text) for every sector: every clause rendered with its words."""
    for sector in sorted(library.sectors):
        yield from texts(library, sector, language, positions=positions)
