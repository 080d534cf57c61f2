"""The mandate written out: a landscape Word table, a filterable spreadsheet, json and markdown.

Every format says "VERTROUWELIJK" (confidential) where a reader sees it first: in the header
of every Word page, on every printed spreadsheet page and in its first row, at the top of the
markdown, and as a field of the json.
"""
from __future__ import annotations

import datetime as dt
import io
import json

from ..mandate import MandateRow, row_cells
from ..model import POSITIONS
from ..params import format_date, to_json
from ..vocabulary import MANDATE_WORDS, SOURCE_WORDS


def _title(plan) -> str:
    words = MANDATE_WORDS[plan.spec.language]
    return f"{words['title']} – {plan.title}"


# ---------------------------------------------------------------- json and markdown


def mandate_json(plan, rows: list[MandateRow]) -> str:
    """The mandate as sorted, stable json (documented in docs/cli.md)."""
    data = {
        "confidential": True,
        "title": plan.title, "sector": plan.sector.id, "language": plan.spec.language,
        "date": plan.date.isoformat(), "position": plan.spec.position,
        "rows": [{"article": r.article, "clause": r.clause, "parameter": r.param,
                  "label": r.label, "type": r.type, "unit": r.unit, "better": r.better or None,
                  "current": to_json(r.current),
                  "positions": {p: to_json(r.positions[p]) for p in POSITIONS},
                  "legal_limit": to_json(r.floor), "law": r.floor_law or None,
                  "value": to_json(r.value), "value_position": r.position,
                  "source": r.source} for r in rows],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def markdown_table(rows: list[list[str]]) -> list[str]:
    """Lines of a markdown table; the first row is the header."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", "<br>")
    return (["| " + " | ".join(cell(c) for c in rows[0]) + " |", "|" + "---|" * len(rows[0])]
            + ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows[1:]])


def mandate_markdown(plan, rows: list[MandateRow]) -> str:
    language = plan.spec.language
    words = MANDATE_WORDS[language]
    lines = [f"**{words['confidential']}**", "", f"# {_title(plan)}", "",
             f"{words['date']}: {format_date(plan.date, language)} · "
             f"{words['position']}: {plan.spec.position}", ""]
    lines += markdown_table([row_cells(None, language)] + [row_cells(r, language) for r in rows])
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- spreadsheet


def mandate_xlsx(plan, rows: list[MandateRow]) -> bytes:
    """One row per parameter, numbers as numbers, an autofilter, frozen header, printable."""
    import xlsxwriter
    from .package import normalize_zip
    language = plan.spec.language
    words = MANDATE_WORDS[language]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    stamp = dt.datetime.combine(plan.date, dt.time(12, 0))
    book.set_properties({"title": _title(plan), "subject": words["confidential"],
                         "category": words["category"], "keywords": words["keywords"],
                         "author": "clausegen", "created": stamp})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                            "bg_color": "#D9D9D9", "border": 1})
    warn = book.add_format({"bold": True, "font_color": "#C00000"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    date_format = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    sheet = book.add_worksheet(words["sheet"])
    sheet.set_landscape()
    sheet.set_paper(9)                     # A4
    sheet.fit_to_pages(1, 0)               # all columns on one page width
    sheet.set_header("&L&B" + words["confidential"].replace("&", "&&")
                     + "&R" + _title(plan).replace("&", "&&"))    # "&&" prints one "&"
    sheet.set_footer(f"&C{words['page']} &P {words['of']} &N")
    sheet.write(0, 0, words["confidential"], warn)
    columns = words["columns"]
    header_row = 2
    sheet.repeat_rows(header_row)
    for col, name in enumerate(columns):
        sheet.write(header_row, col, name, bold)
    widths = [8, 30, 26, 34, 22, 9, 8, 12, 12, 12, 12, 12, 28, 12, 12, 11]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width, wrap)

    def put(r: int, c: int, value) -> None:
        if value is None or value == "":
            sheet.write_blank(r, c, None)
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        elif isinstance(value, (int, float)) or hasattr(value, "as_tuple"):   # int, Decimal
            sheet.write_number(r, c, float(value))
        elif isinstance(value, dt.date):
            sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
        else:
            sheet.write_string(r, c, str(value))
    for i, row in enumerate(rows, start=header_row + 1):
        cells = [row.article, row.clause_title, row.clause, row.label, row.param, row.unit,
                 words["better"].get(row.better, ""), row.current,
                 *(row.positions[p] for p in POSITIONS), row.floor,
                 row.floor_law, row.value, row.position, SOURCE_WORDS[language][row.source]]
        for col, value in enumerate(cells):
            put(i, col, value)
    sheet.autofilter(header_row, 0, header_row + max(len(rows), 1), len(columns) - 1)
    sheet.freeze_panes(header_row + 1, 2)
    book.close()
    return normalize_zip(buffer.getvalue())


# ---------------------------------------------------------------- Word


def mandate_docx(plan, rows: list[MandateRow]) -> bytes:
    """A landscape A4 table with a header that says VERTROUWELIJK on every page."""
    from docx.enum.section import WD_ORIENT
    from . import docx_oxml as ox
    from . import wml
    from .package import normalize_zip
    from .reference import open_reference
    language = plan.spec.language
    words = MANDATE_WORDS[language]
    document = open_reference()
    section = document.sections[0]
    body = [wml.paragraph("Title", wml.run(_title(plan))),
            wml.paragraph("CAOTekst", wml.run(words["confidential"], bold=True)),
            wml.paragraph("CAOTekst", wml.run(f"{words['date']}: ", bold=True)
                          + wml.run(format_date(plan.date, language))),
            wml.paragraph("CAOTekst", wml.run(f"{words['position']}: ", bold=True)
                          + wml.run(plan.spec.position)),
            wml.table([row_cells(None, language)] + [row_cells(r, language) for r in rows],
                      [2000, 2200, 800, 1400, 1400, 1400, 1400, 1700, 1700])]
    old_body = document.element.body
    tail = old_body.sectPr
    for child in list(old_body):
        if child is not tail:
            old_body.remove(child)
    for element in wml.parse(body):
        tail.addprevious(element)
    ox.header_footer(document, f"{words['confidential']} – {_title(plan)}", words["page"],
                     words["of"])
    # header_footer sets the margins; turn the page after it, so they stay as set.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    ox.set_core_properties(document, title=_title(plan))   # at most 255 characters
    core = document.core_properties
    core.subject = words["confidential"]
    core.category = words["category"]
    core.keywords = words["keywords"]
    core.author = core.last_modified_by = "clausegen"
    core.revision = 1
    core.created = core.modified = dt.datetime.combine(plan.date, dt.time(12, 0))
    core.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def render_mandate(plan, rows: list[MandateRow], fmt: str) -> bytes:
    """The mandate as the bytes of one format."""
    if fmt == "docx":
        return mandate_docx(plan, rows)
    if fmt == "xlsx":
        return mandate_xlsx(plan, rows)
    if fmt == "json":
        return mandate_json(plan, rows).encode("utf-8")
    return mandate_markdown(plan, rows).encode("utf-8")
