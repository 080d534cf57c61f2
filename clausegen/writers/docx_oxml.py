"""Document-level OXML for the Word writer: styles, legal multi-level numbering, settings,
header and footer, custom properties. The body itself is built as text in wml.py.
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ..vocabulary import ANNEX_WORDS, DRAFT_WORDS, LEVEL_WORDS
from . import wml
from .package import (CORE_COMMENTS, CORE_DATES, CORE_TEXTS, Dressing, core_text,
                      custom_properties_xml)
from docx.shared import Cm, Pt, RGBColor, Twips

__all__ = ["qn", "setup_styles", "fix_settings", "setup_numbering", "header_footer",
           "set_language", "set_core_properties", "comments_element", "add_custom_part", "dress"]

# One serif family for everything, headings included: Georgia in Word; where it is missing
# (LibreOffice on Linux) the font table says "a serif", so a serif stands in, never a sans.
FONT = "Georgia"
CHAPTER_NUM, ARTICLE_NUM, ANNEX_NUM = 901, 902, 903   # w:num ids = their abstractNum ids


def _num_pr(style, num_id: int, ilvl: int) -> None:
    ppr = style.element.get_or_add_pPr()
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def _fonts(document) -> None:
    """Take the theme fonts out: a style's w:asciiTheme beats its w:ascii, which is why
    headings came out in the theme's sans while the body was Georgia. Every rFonts in the
    styles (and the document defaults) then names FONT itself."""
    root = document.styles.element
    defaults = root.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if defaults is not None and defaults.find(qn("w:rFonts")) is None:
        defaults.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")}/>'))
    for rfonts in root.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attr), FONT)
    table = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable")
    fonts = parse_xml(table.blob)
    if not any(f.get(qn("w:name")) == FONT for f in fonts.iter(qn("w:font"))):
        fonts.insert(0, parse_xml(
            f'<w:font {nsdecls("w")} w:name="{FONT}"><w:panose1 w:val="02040502050405020303"/>'
            '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
            "</w:font>"))
        from lxml import etree
        # python-docx loads the font table as an opaque part and has no public way to
        # replace a part's bytes; _blob is what Part.blob returns (the same since 0.8).
        table._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)


def _black(style, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = FONT
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def setup_styles(document) -> None:
    """Define every paragraph style the writer uses, with legal typography: one serif, black
    headings, justified articles, a title page set centred."""
    styles = document.styles
    _normal(styles)
    _headings(styles)
    # Styles are added in this order, which is their order in styles.xml.
    _article_styles(styles)
    _title_page_styles(styles)
    _contents_styles(styles)
    _annex_styles(styles)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8.5)
    _comment_styles(styles)
    _fonts(document)


def _normal(styles) -> None:
    """The body text every other style is based on: FONT, 10.5 pt, a little air."""
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    rfonts = normal.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)


def _headings(styles) -> None:
    """Chapter, article and annex-section headings: black, bold, upright, kept with the text."""
    for name, size, before in (("Heading 1", 14, 18), ("Heading 2", 11, 12),
                               ("Heading 3", 10.5, 12)):
        style = styles[name]
        _black(style, size, bold=True)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True


def _article_styles(styles) -> None:
    """The text of an article, its leden and sub-items (hanging indents for their numbers),
    justified; and a party's name on the title page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    custom = {
        "CAO Tekst": (0, 0),
        "CAO Lid": (Cm(0.75), Cm(-0.75)),
        "CAO Sub": (Cm(1.75), Cm(-1.0)),
        "CAO Partij": (Cm(0.75), 0),
    }
    for name, (left, first) in custom.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
        style.paragraph_format.left_indent = left
        style.paragraph_format.first_line_indent = first
        if name != "CAO Partij":
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _title_page_styles(styles) -> None:
    """The title page: centred, and the parties' formula as a notary would set it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    for name, size in (("Title", 24), ("Subtitle", 12)):
        style = styles[name]
        _black(style, size)
        style.font.italic = False
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.paragraph_format.space_after = Pt(12)
    title_ppr = styles["Title"].element.pPr
    border = title_ppr.find(qn("w:pBdr"))
    if border is not None:           # the template's blue rule under the title
        title_ppr.remove(border)
    cover = styles.add_style("CAO Titelpagina", WD_STYLE_TYPE.PARAGRAPH)
    cover.base_style = styles["Normal"]
    cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.paragraph_format.space_after = Pt(4)
    marking = styles.add_style("CAO Markering", WD_STYLE_TYPE.PARAGRAPH)
    marking.base_style = cover
    marking.font.bold = True
    marking.font.size = Pt(11)
    marking.font.all_caps = True
    marking.paragraph_format.space_after = Pt(24)
    styles["Title"].paragraph_format.space_before = Pt(84)
    styles["Subtitle"].paragraph_format.space_after = Pt(6)
    parties = styles.add_style("CAO Partijen", WD_STYLE_TYPE.PARAGRAPH)
    parties.base_style = cover
    parties.paragraph_format.space_before = Pt(60)
    parties.paragraph_format.space_after = Pt(10)
    dated = styles.add_style("CAO Conceptdatum", WD_STYLE_TYPE.PARAGRAPH)
    dated.base_style = cover
    dated.font.italic = True
    dated.paragraph_format.space_before = Pt(60)


def _contents_styles(styles) -> None:
    """The table of contents: its two levels with dotted leaders to the page number, under
    Word's own style ids; its heading black and unnumbered."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    for name, style_id, left, before, bold in (("toc 1", "TOC1", 0, 6, True),
                                               ("toc 2", "TOC2", Cm(0.5), 0, False)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = styles["Normal"]
        style.font.bold = bold
        style.paragraph_format.left_indent = left
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.tab_stops.add_tab_stop(Twips(wml.TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
    toc_heading = styles["TOC Heading"]
    _black(toc_heading)
    _num_pr(toc_heading, 0, 0)     # based on Heading 1, but must not be numbered


def _annex_styles(styles) -> None:
    """The annexes: small table text, and a numbered heading that starts a new page."""
    table_text = styles.add_style("CAO Tabel", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(8.5)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    annex = styles.add_style("CAO Bijlage", WD_STYLE_TYPE.PARAGRAPH)
    annex.base_style = styles["Heading 1"]
    annex.next_paragraph_style = styles["Normal"]
    annex.paragraph_format.page_break_before = True


def _comment_styles(styles) -> None:
    """Word's own names for the comment styles; python-docx's template lacks them."""
    comment_text = styles.add_style("annotation text", WD_STYLE_TYPE.PARAGRAPH)
    comment_text.base_style = styles["Normal"]
    comment_text.font.size = Pt(9)
    comment_ref = styles.add_style("annotation reference", WD_STYLE_TYPE.CHARACTER)
    comment_ref.font.size = Pt(8)
    comment_text.element.set(qn("w:styleId"), "CommentText")
    comment_ref.element.set(qn("w:styleId"), "CommentReference")


def _level(ilvl: int, fmt: str, text: str, style_id: str, indent_left: int = 0,
           hanging: int = 0) -> str:
    ind = (f'<w:pPr><w:ind w:left="{indent_left}" w:hanging="{hanging}"/></w:pPr>'
           if indent_left else "")
    suff = '<w:suff w:val="space"/>' if style_id.startswith(("Heading", "CAOBijlage")) else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:pStyle w:val="{style_id}"/>{suff}<w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/>{ind}</w:lvl>')


def _abstract(abstract_id: int, nsid: str, levels: list[str]) -> object:
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="multilevel"/>'
        + "".join(levels) + "</w:abstractNum>")


def setup_numbering(document, *, per_chapter: bool, language: str) -> None:
    """Legal multi-level numbering carried by styles: Hoofdstuk, Artikel, lid, sub.

    Continuous: one list for chapters and one for articles (LibreOffice ignores lvlRestart, so
    articles live in their own list to keep counting across chapters). Per chapter: one list
    whose article level reads "Artikel %1.%2".
    """
    chapter_word, article_word = LEVEL_WORDS[language]
    numbering = document.part.numbering_part.element
    styles = document.styles
    lid, sub = 425, 992     # hanging indents as the styles: 0.75 cm, 1.75 cm
    if per_chapter:
        abstracts = [_abstract(ARTICLE_NUM, "5A1C0902", [
            _level(0, "decimal", f"{chapter_word} %1", "Heading1"),
            _level(1, "decimal", f"{article_word} %1.%2", "Heading2"),
            _level(2, "decimal", "%3.", "CAOLid", lid, 425),
            _level(3, "lowerLetter", "%4.", "CAOSub", sub, 567),
        ])]
        links = {"Heading 1": (ARTICLE_NUM, 0), "Heading 2": (ARTICLE_NUM, 1),
                 "CAO Lid": (ARTICLE_NUM, 2), "CAO Sub": (ARTICLE_NUM, 3)}
        nums = [ARTICLE_NUM]
    else:
        abstracts = [
            _abstract(CHAPTER_NUM, "5A1C0901", [_level(0, "decimal", f"{chapter_word} %1",
                                                       "Heading1")]),
            _abstract(ARTICLE_NUM, "5A1C0902", [
                _level(0, "decimal", f"{article_word} %1", "Heading2"),
                _level(1, "decimal", "%2.", "CAOLid", lid, 425),
                _level(2, "lowerLetter", "%3.", "CAOSub", sub, 567),
            ]),
        ]
        links = {"Heading 1": (CHAPTER_NUM, 0), "Heading 2": (ARTICLE_NUM, 0),
                 "CAO Lid": (ARTICLE_NUM, 1), "CAO Sub": (ARTICLE_NUM, 2)}
        nums = [CHAPTER_NUM, ARTICLE_NUM]
    # Annexes have a list of their own, so they number 1, 2, ... whatever the articles do.
    abstracts.append(_abstract(ANNEX_NUM, "5A1C0903", [
        _level(0, "decimal", f"{ANNEX_WORDS[language]} %1", "CAOBijlage")]))
    links["CAO Bijlage"] = (ANNEX_NUM, 0)
    nums.append(ANNEX_NUM)
    # Every abstractNum must precede every num (LibreOffice misreads the part otherwise).
    first_num = numbering.find(qn("w:num"))
    for abstract in abstracts:
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    for num_id in nums:
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                                   f'<w:abstractNumId w:val="{num_id}"/></w:num>'))
    for style_name, (num_id, ilvl) in links.items():
        _num_pr(styles[style_name], num_id, ilvl)


def fix_settings(document) -> None:
    """python-docx's template has <w:zoom> without the percent the schema requires."""
    zoom = document.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")


def header_footer(document, header_text: str, page_word: str, of_word: str) -> None:
    """Header with the CONCEPT line; footer "Pagina X van Y" as PAGE / NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)     # A4, not the template's Letter
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    header_p = section.header.paragraphs[0]
    header_p.style = document.styles["Header"]
    footer_p = section.footer.paragraphs[0]
    footer_p.style = document.styles["Footer"]
    footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    markup = {section.header: wml.run(header_text),
              section.footer: (wml.run(f"{page_word} ") + wml.field("PAGE", "1")
                               + wml.run(f" {of_word} ") + wml.field("NUMPAGES", "1"))}
    for story, runs in markup.items():
        # The paragraph styled above: the first <w:p> of the header's (footer's) own part.
        story.part.element.find(qn("w:p")).extend(list(wml.parse([runs], root="w:p")))


LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}


def set_language(document, language: str) -> None:
    """The proofing language of the whole document (spelling, hyphenation): the draft's."""
    rpr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/"
                                       + qn("w:rPr"))
    lang = rpr.find(qn("w:lang")) if rpr is not None else None
    if lang is not None:
        lang.set(qn("w:val"), LANGUAGE_TAGS.get(language, "nl-NL"))


def set_core_properties(document, **values) -> None:
    """Set core properties, in the order given (it is the order of their elements); text longer
    than a property can hold is cut short with an ellipsis: the document itself holds it all."""
    core = document.core_properties
    for name, value in values.items():
        setattr(core, name, core_text(value) if isinstance(value, str) else value)


def comments_element(document):
    """The <w:comments> root of the document's comments part, created if missing
    (python-docx >= 1.2: `Document.comments` adds the part and its relationship)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    document.comments  # noqa: B018
    return document.part.part_related_by(RT.COMMENTS).element


def add_custom_part(document, xml: bytes) -> None:
    """docProps/custom.xml (python-docx has no API for custom properties)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    part = Part(PackURI("/docProps/custom.xml"),
                "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                xml, document.part.package)
    document.part.package.relate_to(part, RT.CUSTOM_PROPERTIES)


def dress(document, dressing: Dressing, comments: bool) -> None:
    """Everything of a draft's package but its body and comments, in this order (it gives the
    parts' and relationships' order): numbering, language, the comments part when there are
    comments, header and footer, core and custom properties. reference.py makes the
    skeletons (package.py) with this same function, markers standing in for the values."""
    setup_numbering(document, per_chapter=dressing.per_chapter, language=dressing.language)
    set_language(document, dressing.language)
    if comments:
        comments_element(document)
    words = DRAFT_WORDS[dressing.language]
    header_footer(document, dressing.header, words["page"], words["of"])
    core = dressing.core
    set_core_properties(document, **{name: core[name] for name in CORE_TEXTS}, revision=1,
                        **{name: core[name] for name in CORE_DATES},
                        comments=core[CORE_COMMENTS])
    add_custom_part(document, custom_properties_xml(dressing.custom))
