"""A markdown preview of a draft: the same text and numbers as the Word draft, typed out."""
from __future__ import annotations

import string

from ..model import LEVEL_WORDS, Placeholder, Ref, Span


def _inlines(inlines) -> str:
    out = []
    for item in inlines:
        if isinstance(item, Span):
            text = item.text.replace("*", "\\*")
            if item.bold:
                text = f"**{text}**"
            if item.italic:
                text = f"*{text}*"
            out.append(text)
        elif isinstance(item, Ref):
            out.append(f"{item.word} {item.label}")
        elif isinstance(item, Placeholder):
            out.append("[...]")
    return "".join(out)


WORDS = {
    "nl": {"toelichting": "Toelichting", "arguments": "Argumenten (intern)",
           "confidential": "VERTROUWELIJK – intern", "annex": "Verantwoording van dit concept",
           "head": ["Artikel", "Bepaling", "Versie", "Plugin", "Positie", "Waarden (herkomst)"],
           "findings": "Toetsing aan de wet", "mandate": "Mandaat"},
    "en": {"toelichting": "Explanatory note", "arguments": "Arguments (internal)",
           "confidential": "CONFIDENTIAL – internal", "annex": "How this draft was made",
           "head": ["Article", "Clause", "Version", "Plugin", "Position", "Values (source)"],
           "findings": "Legal checks", "mandate": "Mandate"},
}


def _quote(label: str, text: str) -> list[str]:
    return [f"> **{label}.** " + text.replace("\n\n", "\n>\n> "), ""]


def _findings(draft, key: str) -> list[str]:
    """The check findings of one article, as lines."""
    return [f"{f.level}: {f.message}" + (f" [{f.law}]" if f.law else "")
            for f in draft.plan.findings if f.clause == key and f.level in ("error", "warning")]


def _internal(draft, floors) -> list[str]:
    """The intern version's annexes: how the draft was made, the findings, the mandate."""
    from ..mandate import SOURCE_WORDS, mandate_rows, row_cells
    from ..params import format_value
    from .mandate import markdown_table
    language, words, plan = draft.language, WORDS[draft.language], draft.plan
    rows = [words["head"]]
    for p in plan.clauses:
        values = "\n".join(
            f"{name} = {format_value(p.clause.parameters[name].type, v.value, language) or '[...]'}"
            f" ({SOURCE_WORDS[language][v.source]})" for name, v in p.values.items())
        rows.append([p.number, p.clause.id, p.clause.version,
                     p.clause.provenance.label if p.clause.provenance else "", p.position,
                     values or "–"])
    lines = [f"## {words['annex']}", ""] + markdown_table(rows) + ["", f"### {words['findings']}",
                                                                    ""]
    lines += [f"- {f.level}: {f.clause + ': ' if f.clause else ''}{f.message}"
              + (f" [{f.law}]" if f.law else "") for f in plan.findings
              if f.level in ("error", "warning")] or ["–"]
    mandate = [row_cells(None, language)] + [row_cells(r, language)
                                             for r in mandate_rows(plan, floors)]
    return lines + ["", f"## {words['mandate']}", ""] + markdown_table(mandate) + [""]


def letter(index: int) -> str:
    """The letter of the index-th sub-item as Word's lowerLetter numbering writes it:
    a-z, then aa, bb, ... zz, then aaa."""
    return string.ascii_lowercase[index % 26] * (index // 26 + 1)


def write_markdown(draft, floors: dict | None = None, *, toelichting: str = "comments",
                   annexes: bool = True) -> str:
    """The draft as markdown; the intern version adds arguments, findings at each article,
    and the annex, findings and mandate (unless `annexes` is False: one article on a
    terminal). `toelichting="none"` leaves out explanations and arguments, as in Word."""
    words = WORDS[draft.language]
    notes = toelichting != "none"
    lines = [f"**{words['confidential']}**", ""] if draft.internal else []
    lines += [f"# {draft.title}", "", f"*{draft.subtitle}*", "",
              ", ".join(draft.parties[0]) + " / " + ", ".join(draft.parties[1]), ""]
    level = LEVEL_WORDS[draft.language]
    for chapter in draft.chapters:
        lines += [f"## {level[0]} {chapter.number}. {chapter.title}", ""]
        for article in chapter.articles:
            lines += [f"### {level[1]} {article.number}. {article.title}", ""]
            numbered = len(article.leden) > 1
            for n, lid in enumerate(article.leden, 1):
                lines.append((f"{n}. " if numbered else "") + _inlines(lid.inlines))
                for index, sub in enumerate(lid.subs):
                    lines.append(f"   {letter(index)}. {_inlines(sub.inlines)}")
                lines.append("")
            if notes and article.explanation:
                lines += _quote(words["toelichting"], article.explanation)
            if notes and article.arguments:
                lines += _quote(words["arguments"], article.arguments)
            if draft.internal:
                lines += [f"> **{words['findings']}.** {line}" for line in _findings(draft, article.key)]
                if lines[-1].startswith(">"):
                    lines.append("")
    if draft.internal and annexes:
        lines += _internal(draft, floors)
    return "\n".join(lines)
