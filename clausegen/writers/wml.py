"""WordprocessingML body markup as text: runs, paragraphs, fields, bookmarks, tables, comments.

The body of a draft is built as XML text and parsed once: tens of thousands of small lxml
elements made one by one cost far more than one parse of the same markup. Element order
follows the schema (pPr first in a paragraph, rPr first in a run; b, i, highlight in rPr).
Every text and attribute value goes through `esc`, so no content can break the markup.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def esc(text: str) -> str:
    """Text for element content (& < > escaped)."""
    return escape(text)


def attr(value: str) -> str:
    """A quoted attribute value."""
    return quoteattr(value)


def run(text: str, *, bold: bool = False, italic: bool = False, highlight: str | None = None,
        style: str | None = None) -> str:
    """A w:r with text; rPr children in the order Word expects (rStyle, b, i, highlight)."""
    props = ((f"<w:rStyle w:val={attr(style)}/>" if style else "") + ("<w:b/>" if bold else "")
             + ("<w:i/>" if italic else "")
             + (f"<w:highlight w:val={attr(highlight)}/>" if highlight else ""))
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def paragraph(style_id: str, runs: str, *, bookmark: tuple[int, str] | None = None,
              mark: str = "") -> str:
    """A w:p carrying only its style (numbering comes from the style, never typed); with a
    bookmark (id, name) around all of its runs when given; `mark` is a revision of the
    paragraph mark itself (w:pPr/w:rPr: an inserted, deleted or moved paragraph)."""
    start = end = ""
    if bookmark:
        start = f'<w:bookmarkStart w:id="{bookmark[0]}" w:name={attr(bookmark[1])}/>'
        end = f'<w:bookmarkEnd w:id="{bookmark[0]}"/>'
    rpr = f"<w:rPr>{mark}</w:rPr>" if mark else ""
    return (f"<w:p><w:pPr><w:pStyle w:val={attr(style_id)}/>{rpr}</w:pPr>{start}{runs}{end}"
            "</w:p>")


# ---------------------------------------------------------------- tracked changes


def revision(kind: str, rev_id: int, author: str, date: str, content: str | None = None) -> str:
    """A tracked change: w:ins, w:del, w:moveFrom or w:moveTo around runs, or empty (None)
    for a paragraph mark."""
    head = f"<w:{kind} w:id=\"{rev_id}\" w:author={attr(author)} w:date={attr(date)}"
    return f"{head}/>" if content is None else f"{head}>{content}</w:{kind}>"


def deleted_run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """A run of deleted text: Word wants w:delText, never w:t, inside w:del."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:delText xml:space="preserve">{esc(text)}</w:delText></w:r>'


def deleted_field(instruction: str, cached: str) -> str:
    """A field inside w:del: its instruction as w:delInstrText, its result as w:delText."""
    return (_fld_char("begin") + '<w:r><w:delInstrText xml:space="preserve"> '
            f"{esc(instruction)} </w:delInstrText></w:r>" + _fld_char("separate")
            + deleted_run(cached) + _fld_char("end"))


def move_range(kind: str, rev_id: int, name: str, author: str, date: str, end: bool) -> str:
    """The start or end of a moved range (kind "moveFrom" or "moveTo"); both ends of a move
    share `name`, which pairs them."""
    if end:
        return f'<w:{kind}RangeEnd w:id="{rev_id}"/>'
    return (f'<w:{kind}RangeStart w:id="{rev_id}" w:author={attr(author)} w:date={attr(date)} '
            f"w:name={attr(name)}/>")


def _fld_char(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def field_start(instruction: str) -> str:
    """Begin, instruction and separate: what comes before a field's cached result."""
    return (_fld_char("begin") + f'<w:r><w:instrText xml:space="preserve"> {esc(instruction)} '
            "</w:instrText></w:r>" + _fld_char("separate"))


def field_end() -> str:
    return _fld_char("end")


def field(instruction: str, cached: str) -> str:
    """A complex field with its cached result (what shows before Word updates fields)."""
    return field_start(instruction) + run(cached) + field_end()


def page_break() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def toc(entries: list[tuple[str, str]]) -> list[str]:
    """A TOC field whose cached result already lists every heading (style id, text).

    Word rebuilds it (with page numbers) on a field update; until then, and in readers that
    never update fields, the cached entries are what shows.
    """
    start = field_start('TOC \\o "1-2" \\h \\z \\u')
    if not entries:
        return [paragraph("TOC1", start + field_end())]
    last = len(entries) - 1
    return [paragraph(style_id, (start if i == 0 else "") + run(text)
                      + (field_end() if i == last else ""))
            for i, (style_id, text) in enumerate(entries)]


def table(rows: list[list[str]], widths: list[int]) -> str:
    """A simple grid table; the first row is a header row repeated on every page."""
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
           'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    for index, cells in enumerate(rows):
        out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if index == 0 else "<w:tr>")
        for width, text in zip(widths, cells):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
            out += [paragraph("CAOTabel", run(line, bold=index == 0))
                    for line in text.split("\n")]
            out.append("</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def comment_start(comment_id: int) -> str:
    return f'<w:commentRangeStart w:id="{comment_id}"/>'


def comment_end(comment_id: int) -> str:
    """End of the commented range, and the reference mark Word shows."""
    return (f'<w:commentRangeEnd w:id="{comment_id}"/><w:r><w:rPr><w:rStyle '
            f'w:val="CommentReference"/></w:rPr><w:commentReference w:id="{comment_id}"/></w:r>')


def comment(comment_id: int, author: str, initials: str, date: str, text: str) -> str:
    """A w:comment for comments.xml; each line of text is a paragraph."""
    paragraphs = []
    for i, line in enumerate(text.split("\n")):
        mark = ('<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/>'
                "</w:r>" if i == 0 else "")
        paragraphs.append(f"<w:p><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr>{mark}"
                          f"{run(line)}</w:p>")
    return (f'<w:comment w:id="{comment_id}" w:author={attr(author)} w:date={attr(date)} '
            f"w:initials={attr(initials)}>{''.join(paragraphs)}</w:comment>")


def parse(fragments: list[str], root: str = "w:body", tail: str = "") -> object:
    """Parse markup into one python-docx (lxml) element `root` holding it, `tail` last.

    Callers put the whole element in place at once: moving thousands of elements one by one
    from one tree into another costs far more than the parse.
    """
    from docx.oxml import parse_xml
    return parse_xml(f'<{root} xmlns:w="{W_NS}">' + "".join(fragments) + tail + f"</{root}>")
