"""The draft as a PDF: the Word draft laid out by headless LibreOffice, its contents' page
numbers taken from that same layout.

LibreOffice keeps an imported table of contents as Word cached it and does not update it, so
the page numbers are found by laying the draft out once: LibreOffice exports every bookmark as
a named destination, each heading has one, and the PDF says which page each destination is on.
The draft is then written again with those numbers in its contents (and laid out again, until
the numbers stand still: adding them does not move a heading, so that is the second pass).
Cross-references and "Pagina X van Y" come out right without that: clausegen writes each
reference's number, and LibreOffice counts pages itself.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ClausegenError

INSTALL_HINT = ("writing PDF needs LibreOffice, which is not installed: install it "
                "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS: brew install "
                "--cask libreoffice) or write .docx and print that to PDF")
# Bookmarks as named destinations: the page of every heading can be read from the PDF. Word
# comments are not exported: sticky notes over the text are not what a PDF to send carries.
EXPORT = "pdf:writer_pdf_Export:" + json.dumps(
    {"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},
     "ExportNotes": {"type": "boolean", "value": "false"}},
    separators=(",", ":"))
MAX_PASSES = 3


def find_soffice() -> str:
    """The LibreOffice program, or a one-line error saying what to install."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ClausegenError(INSTALL_HINT)


def convert(docx: bytes, folder: Path, office: str | None = None) -> bytes:
    """The PDF LibreOffice makes of a .docx; `folder` holds the files and the LibreOffice
    profile (a profile of its own, so a running LibreOffice does not take the job)."""
    office = office or find_soffice()
    source = folder / "draft.docx"
    target = folder / "draft.pdf"
    source.write_bytes(docx)
    target.unlink(missing_ok=True)
    try:
        result = subprocess.run(
            [office, "--headless", "--norestore", "--nologo", "--nodefault",
             f"-env:UserInstallation={(folder / 'profile').as_uri()}",
             "--convert-to", EXPORT, "--outdir", str(folder), str(source)],
            capture_output=True, text=True, timeout=600,
            env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    except subprocess.TimeoutExpired:
        raise ClausegenError("LibreOffice took more than 10 minutes to make the PDF") from None
    except OSError as exc:
        raise ClausegenError(f"cannot run LibreOffice ({office}): {exc.strerror or exc}") from None
    if not target.exists():
        detail = " ".join((result.stderr or result.stdout).split())[:300]
        raise ClausegenError(f"LibreOffice made no PDF (exit {result.returncode})"
                             + (f": {detail}" if detail else ""))
    return target.read_bytes()


_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.DOTALL)
_REF = re.compile(rb"(\d+) 0 R")


def destinations(pdf: bytes) -> dict[str, int]:
    """{bookmark name: page number (1-based)} of the named destinations LibreOffice wrote.

    LibreOffice writes plain (uncompressed) object dictionaries: the catalog's /Pages tree
    gives the pages in order, /Dests maps each name to [page-object /XYZ ...]. It spells a
    bookmark's leading "_" as "5F"; names come back as the Word bookmark names.
    """
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    catalog = next((body for body in objects.values() if re.search(rb"/Type\s*/Catalog", body)),
                   None)
    if catalog is None:
        return {}
    order: list[int] = []

    def walk(number: int) -> None:
        body = objects.get(number, b"")
        kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.DOTALL)
        if re.search(rb"/Type\s*/Pages\b", body) and kids:
            for kid in _REF.findall(kids.group(1)):
                walk(int(kid))
        else:
            order.append(number)
    pages = re.search(rb"/Pages\s+(\d+) 0 R", catalog)
    if pages:
        walk(int(pages.group(1)))
    page_of = {number: index for index, number in enumerate(order, 1)}
    dests = re.search(rb"/Dests\s+(\d+) 0 R", catalog)
    found = {}
    if dests:
        for name, page in re.findall(rb"/([^\s/\[\]<>()]+)\s*\[\s*(\d+) 0 R",
                                     objects.get(int(dests.group(1)), b"")):
            text = name.decode("latin-1")
            text = "_" + text[2:] if text.startswith("5F") else text
            if int(page) in page_of:
                found[text] = page_of[int(page)]
    return found


def write_pdf(draft, library=None, **docx_options) -> bytes:
    """The draft as PDF bytes, its contents with page numbers.

    A PDF has no Word comments, so the toelichting that would be comments (the default) is a
    chapter after the articles instead; `toelichting="none"` still leaves it out.
    """
    if docx_options.get("toelichting", "comments") == "comments":
        docx_options["toelichting"] = "chapter"
    return layout(draft, library, **docx_options)[1]


def layout(draft, library=None, **docx_options) -> tuple[bytes, bytes]:
    """(.docx, .pdf) of the draft, the .docx's contents with the page numbers of the PDF."""
    from .docx import write_docx
    office = find_soffice()
    pages: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="clausegen-pdf-") as folder:
        for _ in range(MAX_PASSES):
            docx = write_docx(draft, library, pages=pages, **docx_options)
            pdf = convert(docx, Path(folder), office)
            found = destinations(pdf)
            if found == pages:
                break
            pages = found
    return docx, pdf
