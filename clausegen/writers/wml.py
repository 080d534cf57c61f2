"""WordprocessingML body markup as text: runs, paragraphs, fields, bookmarks, tables, comments.

The body of a draft is built as XML text and parsed once: tens of thousands of small lxml
elements made one by one cost far more than one parse of the same markup. Element order
follows the schema (pPr first in a paragraph, rPr first in a run; b, i, highlight in rPr).
Every text and attribute value goes through `esc`, so no content can break the markup.
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import ClausegenError
from ..params import WORD_ILLEGAL

_ILLEGAL = WORD_ILLEGAL.search

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_WIDTH = 9072       # twips: A4 (11906) less two 2.5 cm margins, what a table may span


def _refuse(text: str, found) -> None:
    raise ClausegenError(f"the Word document would hold the character "
                         f"U+{ord(found.group()):04X} (in {text[:60]!r}), which it cannot; "
                         "nothing was written")


def esc(text: str) -> str:
    """Text for element content (& < > escaped).

    xml.sax.saxutils.escape and quoteattr, written out: importing saxutils imports
    urllib.request, http.client and ssl, a tenth of a small run's imports.
    """
    # The last line of defence: text is checked where it enters the draft, with its source
    # named; what still holds a character XML cannot carry is never written.
    found = _ILLEGAL(text)
    if found:
        _refuse(text, found)
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


@lru_cache(maxsize=1024)
def attr(value: str) -> str:
    """A quoted attribute value (as saxutils.quoteattr quotes it). Memoised: most are the
    same few style names, comment authors and dates, on every paragraph."""
    data = esc(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"%s"' % data.replace('"', "&quot;")


def run(text: str, *, bold: bool = False, italic: bool = False, highlight: str | None = None,
        style: str | None = None) -> str:
    """A w:r with text; rPr children in the order Word expects (rStyle, b, i, highlight)."""
    props = ((f"<w:rStyle w:val={attr(style)}/>" if style else "") + ("<w:b/>" if bold else "")
             + ("<w:i/>" if italic else "")
             + (f"<w:highlight w:val={attr(highlight)}/>" if highlight else ""))
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def paragraph(style_id: str, runs: str, *, bookmark: tuple[int, str] | None = None,
              mark: str = "", properties: str = "") -> str:
    """A w:p carrying only its style (numbering comes from the style, never typed); with a
    bookmark (id, name) around all of its runs when given; `mark` is a revision of the
    paragraph mark itself (w:pPr/w:rPr: an inserted, deleted or moved paragraph);
    `properties` is direct pPr markup after the style, in schema order (rarely: a layout the
    style cannot give, such as the signature block)."""
    start = end = ""
    if bookmark:
        start = f'<w:bookmarkStart w:id="{bookmark[0]}" w:name={attr(bookmark[1])}/>'
        end = f'<w:bookmarkEnd w:id="{bookmark[0]}"/>'
    rpr = f"<w:rPr>{mark}</w:rPr>" if mark else ""
    return (f"<w:p><w:pPr><w:pStyle w:val={attr(style_id)}/>{properties}{rpr}</w:pPr>{start}"
            f"{runs}{end}</w:p>")


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


def toc(entries: list[tuple]) -> list[str]:
    """A TOC field whose cached result already lists every heading: (style id, text) or
    (style id, text, bookmark, page). With a page, the entry links to its heading and ends in
    a tab (dot leader, from the TOC styles) and a PAGEREF field showing that page.

    Word rebuilds the TOC on a field update; until then, and in readers that never update
    fields (LibreOffice keeps an imported TOC as it is), the cached entries are what shows.
    """
    start = field_start('TOC \\o "1-2" \\h \\z \\u')
    if not entries:
        return [paragraph("TOC1", start + field_end())]
    last = len(entries) - 1
    out = []
    for i, (style_id, text, *target) in enumerate(entries):
        runs = run(text)
        bookmark, page = target if len(target) == 2 else (None, None)
        if bookmark and page:
            number = field(f"PAGEREF {bookmark} \\h", str(page))
            runs = (f'<w:hyperlink w:anchor={attr(bookmark)} w:history="1">{runs}'
                    f"<w:r><w:tab/></w:r>{number}</w:hyperlink>")
        out.append(paragraph(style_id, (start if i == 0 else "") + runs
                             + (field_end() if i == last else "")))
    return out


def cross_reference(bookmark: str, shown: str, numbered: str) -> str:
    """A reference to a numbered heading that reads `shown` ("artikel 4.2") everywhere.

    Word's REF gives the heading's whole number ("Artikel 4.2"), and LibreOffice ignores the
    \\* Lower switch that would make it "artikel" mid-sentence. So the REF sits inside a QUOTE
    field that carries the case switch: Word updates both (and so renumbers the reference),
    LibreOffice does not know QUOTE and shows the cached result, which clausegen writes right.
    `numbered` is the REF's own cached result, the heading's number as Word shows it.
    """
    switch = "Lower" if shown[:1].islower() else "FirstCap"
    return (_fld_char("begin") + '<w:r><w:instrText xml:space="preserve"> QUOTE "</w:instrText>'
            "</w:r>" + field(f"REF {bookmark} \\n \\h", numbered)
            + f'<w:r><w:instrText xml:space="preserve">" \\* {switch} </w:instrText></w:r>'
            + _fld_char("separate") + run(shown) + field_end())


def table(rows: list[list[str]], widths: list[int]) -> str:
    """A simple grid table with fixed column widths; the first row is a header row repeated on
    every page, and no row is split across two pages."""
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
           f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
           'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    for index, cells in enumerate(rows):
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if index == 0
                   else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for width, text in zip(widths, cells):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
            out += [paragraph("CAOTabel", run(line, bold=index == 0))
                    for line in text.split("\n")]
            out.append("</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def unnumbered(*, keep_next: bool = False, line_above: bool = False, before: int = 0,
               right: int = 0) -> str:
    """pPr markup that takes a numbered style's number away and sets the paragraph flush
    left: `line_above` rules a line over it (to sign on), `before` is space above in twips."""
    return (("<w:keepNext/>" if keep_next else "")
            + '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
            + ('<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="000000"/></w:pBdr>'
               if line_above else "")
            + (f'<w:spacing w:before="{before}"/>' if before else "")
            + f'<w:ind w:left="0" w:right="{right}" w:firstLine="0"/><w:jc w:val="left"/>')


def layout_table(rows: list[list[str]], widths: list[int]) -> str:
    """A table without lines that only places blocks side by side (a signature block): each
    cell is paragraph markup; rows never split across pages."""
    out = ['<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
           '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
           'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    for cells in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for width, markup in zip(widths, cells):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                       f'{markup or "<w:p/>"}</w:tc>')
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


def serialize(element) -> str:
    """An lxml element (python-docx's) as markup text."""
    from lxml import etree
    return etree.tostring(element, encoding="unicode")
