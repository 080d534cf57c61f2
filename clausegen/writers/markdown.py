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


def write_markdown(draft) -> str:
    words = (*LEVEL_WORDS[draft.language],
             {"nl": "Toelichting", "en": "Explanatory note"}[draft.language])
    lines = [f"# {draft.title}", "", f"*{draft.subtitle}*", "",
             ", ".join(draft.parties[0]) + " / " + ", ".join(draft.parties[1]), ""]
    for chapter in draft.chapters:
        lines += [f"## {words[0]} {chapter.number}. {chapter.title}", ""]
        for article in chapter.articles:
            lines += [f"### {words[1]} {article.number}. {article.title}", ""]
            numbered = len(article.leden) > 1
            for n, lid in enumerate(article.leden, 1):
                lines.append((f"{n}. " if numbered else "") + _inlines(lid.inlines))
                for letter, sub in zip(string.ascii_lowercase, lid.subs):
                    lines.append(f"   {letter}. {_inlines(sub.inlines)}")
                lines.append("")
            if article.toelichting:
                lines += [f"> **{words[2]}.** " + article.toelichting.replace("\n\n", "\n>\n> "), ""]
    return "\n".join(lines)
