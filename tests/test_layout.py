"""The draft's pages as LibreOffice lays them out, and the PDF clausegen writes: what a reader of
the pages would notice (title page, signature block, typography, dates, contents with page
numbers, annex tables), asserted on the PDF's text and word positions (pdftotext -bbox)."""
import re
import shutil
import subprocess
import zipfile
from html import unescape

import pytest

from conftest import clausegen_exe

# The tests of the laid-out pages are slow (LibreOffice takes seconds a draft): `make test-fast`
# leaves them out; the .docx checks and the error without LibreOffice are fast.
libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice and poppler-utils are not installed (.ci/run installs them)")


def generate(path, *args):
    subprocess.run([clausegen_exe(), "generate", "--sector", "ziekenhuizen", "--date",
                    "2026-12-01", "-o", str(path), "--force", *args], check=True,
                   capture_output=True, timeout=600)
    return path


def words(pdf):
    """[(page, x_min, y_min, x_max, word)] and the page width, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    out = []
    for page, body in enumerate(html.split("<page ")[1:], 1):
        for x0, y0, x1, _, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"([^<]*)</word>", body):
            out.append((page, float(x0), float(y0), float(x1), unescape(text)))
    return out, width


def pages_text(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The tafel and intern drafts as clausegen's own PDFs."""
    folder = tmp_path_factory.mktemp("layout")
    return {"tafel": generate(folder / "tafel.pdf"),
            "intern": generate(folder / "intern.pdf", "--audience", "intern")}


@pytest.mark.slow
@libreoffice
def test_pdf_is_a_pdf_with_page_numbers_in_its_contents(rendered):
    """Each contents line ends in the page its heading is on."""
    pdf = rendered["tafel"]
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pages_text(pdf)
    contents = next(p for p in pages if "Inhoud" in p)
    entries = re.findall(r"^\s*((?:Hoofdstuk|Artikel) [\d.]+ .+?)\s*\.{3,}\s*(\d+)\s*$",
                         contents, re.MULTILINE)
    assert len(entries) >= 15, contents
    body = pages[pages.index(contents) + 1:]
    for heading, page in entries:
        found = [n for n, text in enumerate(body, pages.index(contents) + 2)
                 if re.search(r"^\s*" + re.escape(heading[:40]), text, re.MULTILINE)]
        assert found and found[0] == int(page), (heading, page, found)


@pytest.mark.slow
@libreoffice
def test_title_page_is_centred_with_the_full_title_and_the_parties_formula(rendered):
    found, width = words(rendered["tafel"])
    first = [w for w in found if w[0] == 1]
    text = " ".join(w[4] for w in first)
    assert "Collectieve arbeidsovereenkomst voor de sector Ziekenhuizen" in text
    assert "De ondergetekenden:" in text
    assert "als partij ter ene zijde," in text and "als partijen ter andere zijde," in text
    assert "hierna te noemen: cao-partijen," in text
    title = [w for w in first if w[4] in ("Cao", "Ziekenhuizen", "2027-2028")]
    top = sorted({round(w[2]) for w in title})[1]          # the title: the line under the header
    line = [w for w in title if abs(w[2] - top) < 2]
    assert len(line) == 3, line
    centre = (min(w[1] for w in line) + max(w[3] for w in line)) / 2
    assert abs(centre - width / 2) < 6, (centre, width)
    nvz = next(w for w in first if w[4] == "NVZ")
    assert abs((nvz[1] + nvz[3]) / 2 - width / 2) < 6


@pytest.mark.slow
@libreoffice
def test_dates_read_as_words_in_the_header_too(rendered):
    text = "\n".join(pages_text(rendered["tafel"]))
    assert "versie 1 december 2026" in text
    assert "2026-12-01" not in text


@pytest.mark.slow
@libreoffice
def test_one_serif_family_for_headings_and_body(rendered):
    fonts = subprocess.run(["pdffonts", str(rendered["tafel"])], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    names = [line.split()[0].split("+")[-1] for line in fonts]
    assert names and not [n for n in names if "Sans" in n or "Calibri" in n or "Cambria" in n]
    families = {re.sub(r"-(Bold|Italic|BoldItalic)$", "", n) for n in names}
    assert len(families) == 1, families


@pytest.mark.slow
@libreoffice
def test_signature_block_sides_next_to_each_other_without_numbers(rendered):
    pages = pages_text(rendered["tafel"])
    last = pages[-1] if pages[-1].strip() else pages[-2]
    assert not re.search(r"^\s*\d+\.\s+(Namens|Aldus)", last, re.MULTILINE), last
    assert not re.search(r"^\s*[a-z]\.\s+(NVZ|FNV)", last, re.MULTILINE), last
    found, _ = words(rendered["tafel"])
    nvz = next(w for w in found if w[4].startswith("NVZ") and w[0] > 2)
    fnv = next(w for w in found if w[4].startswith("FNV") and w[0] > 2)
    assert fnv[0] == nvz[0] and abs(fnv[2] - nvz[2]) < 2 and fnv[1] > nvz[3] + 50


@pytest.mark.slow
@libreoffice
def test_annex_tables_break_no_word(rendered):
    """Every clause id, plugin label and level word is whole on one line of the PDF."""
    text = "\n".join(pages_text(rendered["intern"]))
    annex = text[text.index("Verantwoording van dit concept", text.index("Bijlage")):]
    for needle in ("werkdruk.roosterinspraak", "robotisering.ontwikkelbudget", "algemeen@0.1.0",
                   "Openingsbod", "Ondergrens", "algemeenverbindendverklaring"):
        if needle.lower() in re.sub(r"\s+", "", annex).lower():
            assert needle in annex, needle
    assert "waarschu\n" not in annex and "Vers\n" not in annex


def test_table_rows_stay_on_one_page_and_headings_are_black(tmp_path):
    generate(tmp_path / "i.docx", "--audience", "intern")
    with zipfile.ZipFile(tmp_path / "i.docx") as z:
        document = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
    rows = re.findall(r"<w:tr>(.*?)</w:tr>", document)
    assert rows and all("<w:cantSplit/>" in r for r in rows)
    heading3 = re.search(r'w:styleId="Heading3".*?</w:style>', styles).group(0)
    assert 'w:color w:val="000000"' in heading3 and "Theme" not in heading3


def test_file_metadata_names_clausegen_and_has_no_blank_thumbnail(tmp_path):
    with zipfile.ZipFile(generate(tmp_path / "tafel.docx")) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
        rels = z.read("_rels/.rels").decode()
    assert "<Application>clausegen</Application>" in app and "Microsoft" not in app
    assert not [n for n in names if "thumbnail" in n] and "thumbnail" not in rels


def test_pdf_without_libreoffice_is_a_one_line_error_naming_it(cli, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "x.pdf"
    result = cli("generate", "--sector", "vvt", "-o", out, env={"PATH": str(empty)})
    assert result.exit_code == 1
    message = [line for line in result.output.splitlines() if "LibreOffice" in line]
    assert len(message) == 1 and "install" in message[0], result.output
    assert not out.exists()


@pytest.mark.slow
@libreoffice
def test_toc_pages_puts_the_layouts_page_numbers_in_the_docx_contents(rendered, tmp_path):
    """--toc-pages: each contents entry of the .docx carries the page its heading is on in the
    PDF of the same draft."""
    docx = generate(tmp_path / "toc.docx", "--toc-pages")
    with zipfile.ZipFile(docx) as package:
        document = package.read("word/document.xml").decode()
    cached = re.findall(r'PAGEREF (_Ref\w+) \\h.*?<w:t[^>]*>(\d+)</w:t>', document)
    assert len(cached) >= 15
    pdf_pages = pages_text(rendered["tafel"])
    contents = next(p for p in pdf_pages if "Inhoud" in p)
    numbers = [int(n) for n in re.findall(r"\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE)]
    # the same pages as the PDF's own contents (the PDF puts the toelichting in a chapter
    # after the articles, which does not move a heading before it)
    assert [int(n) for _, n in cached][:len(numbers)] == numbers[:len(cached)]
