"""One article of a draft as an HTML fragment (the web page's preview); every text escaped."""
from __future__ import annotations

from html import escape

from ..model import Article, Placeholder, Ref, Span
from ..vocabulary import DRAFT_WORDS, LEVEL_WORDS


def inlines_html(inlines, language: str = "nl") -> str:
    """Spans, cross-references and placeholders as escaped HTML."""
    out = []
    for item in inlines:
        if isinstance(item, Span):
            text = escape(item.text)
            if item.bold:
                text = f"<strong>{text}</strong>"
            if item.italic:
                text = f"<em>{text}</em>"
            out.append(text)
        elif isinstance(item, Ref):
            out.append(f'<span class="ref">{escape(item.word)} {escape(item.label)}</span>')
        elif isinstance(item, Placeholder):
            out.append(f'<mark class="placeholder" title="{escape(item.hint)}">'
                       f'[{escape(DRAFT_WORDS.get(language, DRAFT_WORDS["nl"])["to_fill"])}: '
                       f'{escape(item.name)}]</mark>')
    return "".join(out)


def article_html(article: Article, language: str = "nl") -> str:
    """The article as it reads in the draft: its heading, then its leden and sub-items, numbered
    as Word numbers them (1., 2., ...; a., b., ...)."""
    word = LEVEL_WORDS.get(language, LEVEL_WORDS["nl"])[1]
    parts = [f'<h4 class="article-title">{escape(word)} {escape(article.number)}. '
             f'{escape(article.title)}</h4>']
    numbered = len(article.leden) > 1
    parts.append('<ol class="leden">' if numbered else '<div class="leden">')
    for lid in article.leden:
        parts.append("<li>" if numbered else "<p>")
        parts.append(inlines_html(lid.inlines, language))
        if lid.subs:
            parts.append('<ol class="subs" type="a">')
            parts += [f"<li>{inlines_html(sub.inlines, language)}</li>" for sub in lid.subs]
            parts.append("</ol>")
        parts.append("</li>" if numbered else "</p>")
    parts.append("</ol>" if numbered else "</div>")
    return "".join(parts)
