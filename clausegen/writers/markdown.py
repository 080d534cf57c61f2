"""A markdown preview of a draft: the same text and numbers as the Word draft, typed out."""
from __future__ import annotations

import string

from ..model import PROBLEM_LEVELS, Placeholder, Ref, Span
from ..vocabulary import DRAFT_WORDS, LEVEL_WORDS


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


def _quote(label: str, text: str) -> list[str]:
    return [f"> **{label}.** " + text.replace("\n\n", "\n>\n> "), ""]


def _findings(draft, key: str) -> list[str]:
    """The check findings of one article, as lines."""
    levels = DRAFT_WORDS[draft.language]["levels"]      # in the draft's language, as in Word
    return [f"{levels[f.level]}: {f.message}" + (f" [{f.law}]" if f.law else "")
            for f in draft.plan.findings if f.clause == key and f.level in PROBLEM_LEVELS]


def _internal(draft, floors) -> list[str]:
    """The intern version's annexes: how the draft was made, the findings, the mandate."""
    from ..annex import review_rows
    from ..mandate import mandate_rows, row_cells
    from .mandate import markdown_table
    language, words, plan = draft.language, DRAFT_WORDS[draft.language], draft.plan
    lines = [f"## {words['annex']}", ""] + markdown_table(review_rows(plan))
    lines += ["", f"### {words['findings']}", ""]
    lines += [f"- {words['levels'][f.level]}: {f.clause + ': ' if f.clause else ''}{f.message}"
              + (f" [{f.law}]" if f.law else "") for f in plan.findings
              if f.level in PROBLEM_LEVELS] or ["–"]
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
    words = DRAFT_WORDS[draft.language]
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
