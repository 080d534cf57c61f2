"""The Word draft, opened and inspected: numbering, fields, bookmarks, comments, validity,
determinism, and what LibreOffice actually renders."""
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import SHARED, clausegen_exe, modules_imported, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """Drafts (and their json manifests) for a continuous and a per-chapter sector, nl and en."""
    folder = tmp_path_factory.mktemp("drafts")
    out = {}
    for sector in ("bouw-infra", "ziekenhuizen"):
        for language in ("nl", "en"):
            path = folder / f"{sector}-{language}.docx"
            for target in (path, path.with_suffix(".json")):
                result = run_cli("generate", "--sector", sector, "--language", language,
                                 "--date", "2026-12-01", "-o", target)
                assert result.exit_code == 0, result.output
            out[(sector, language)] = path
    return out


@pytest.fixture(scope="module")
def every_sector(library, tmp_path_factory):
    """{language: [the .docx of each sector]}, for the two checkers."""
    from clausegen.testing import build_docx
    folder = tmp_path_factory.mktemp("every-sector")
    out = {}
    for language in ("nl", "en"):
        out[language] = []
        for sector in sorted(library.sectors):
            out[language].append(folder / f"{sector}-{language}.docx")
            build_docx(library, out[language][-1], sector=sector, language=language)
    return out


def article_numbers(path):
    import json
    manifest = json.loads(path.with_suffix(".json").read_text())
    return {c["id"]: c["article"] for c in manifest["articles"]}


def part(path, name):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def typed_texts(document):
    """Text typed into the body: every w:t except cached field results (TOC, REF, PAGE),
    which hold numbers by design and are recomputed by Word."""
    in_result, texts = [], []
    for el in document.iter(f"{W}fldChar", f"{W}t"):
        if el.tag == f"{W}fldChar":
            kind = el.get(f"{W}fldCharType")
            if kind == "begin":
                in_result.append(False)
            elif kind == "separate":
                in_result[-1] = True
            elif kind == "end":
                in_result.pop()
        elif not any(in_result):
            texts.append(el.text or "")
    return texts


def test_articles_are_numbered_by_word_not_typed(drafts):
    for path in drafts.values():
        document = part(path, "word/document.xml")
        texts = typed_texts(document)
        assert not [t for t in texts if re.match(r"\s*(Artikel|Article|Hoofdstuk|Chapter)\s+\d", t)]
        headings = document.xpath("//w:p[w:pPr/w:pStyle/@w:val='Heading2']", namespaces=NS)
        assert len(headings) >= 10
        assert all(h.find(f"{W}pPr/{W}numPr") is None for h in headings)  # numbering via style
        styles = part(path, "word/styles.xml")
        heading2 = styles.xpath("//w:style[@w:styleId='Heading2']", namespaces=NS)[0]
        assert heading2.find(f"{W}pPr/{W}numPr/{W}numId") is not None
        numbering = etree.tostring(part(path, "word/numbering.xml")).decode()
        assert 'w:val="multilevel"' in numbering
        assert ('Artikel %1' in numbering) or ('Article %1' in numbering)


def test_per_chapter_sectors_number_articles_within_chapters(drafts):
    numbering = etree.tostring(part(drafts[("ziekenhuizen", "nl")], "word/numbering.xml")).decode()
    assert "Artikel %1.%2" in numbering
    numbering = etree.tostring(part(drafts[("bouw-infra", "nl")], "word/numbering.xml")).decode()
    assert "Artikel %1.%2" not in numbering and "Artikel %1" in numbering


def field_results(document):
    """(instruction, shown text) of every outermost complex field, nested fields inside."""
    out, depth, instr, shown, in_result = [], 0, [], [], False
    for el in document.iter(f"{W}fldChar", f"{W}instrText", f"{W}t"):
        if el.tag == f"{W}fldChar":
            kind = el.get(f"{W}fldCharType")
            if kind == "begin":
                depth += 1
                if depth == 1:
                    instr, shown, in_result = [], [], False
            elif kind == "separate" and depth == 1:
                in_result = True
            elif kind == "end":
                depth -= 1
                if depth == 0:
                    out.append(("".join(instr), "".join(shown)))
        elif depth and el.tag == f"{W}instrText":
            instr.append(el.text or "")
        elif depth == 1 and in_result:
            shown.append(el.text or "")
        elif depth > 1 and not in_result:
            instr.append(el.text or "")     # a nested field's cached text is part of the outer
    return out


def test_cross_references_are_ref_fields_to_bookmarks_with_the_right_number(drafts):
    """Each reference is a REF to the article's bookmark (so Word renumbers it), inside a
    QUOTE that makes it read "artikel 4.2" in mid-sentence, in Word and in LibreOffice."""
    from clausegen.writers.docx import bookmark_name
    total = 0
    for path in drafts.values():
        numbers = article_numbers(path)
        document = part(path, "word/document.xml")
        bookmarks = {b.get(f"{W}name"): b for b in document.iter(f"{W}bookmarkStart")}
        for clause_id, number in numbers.items():
            assert bookmark_name(clause_id) in bookmarks
        references = [(i, t) for i, t in field_results(document) if "REF _Ref" in i
                      and "PAGEREF" not in i]
        total += len(references)
        for instruction, shown in references:
            assert instruction.strip().startswith("QUOTE"), instruction
            assert re.search(r"\\\* (Lower|FirstCap)", instruction), instruction
            target = re.search(r"REF (\S+) \\n \\h", instruction).group(1)
            assert target in bookmarks
            clause_id = next(c for c in numbers if bookmark_name(c) == target)
            word = "artikel" if path.stem.endswith("nl") else "article"
            assert shown == f"{word} {numbers[clause_id]}", (shown, numbers[clause_id])
    assert total, "no draft has a cross-reference"


def test_toelichting_is_a_comment_on_each_article(drafts):
    path = drafts[("ziekenhuizen", "nl")]
    comments = part(path, "word/comments.xml")
    entries = comments.findall(f"{W}comment")
    assert len(entries) >= 10
    assert {c.get(f"{W}author") for c in entries} == {"clausegen"}
    assert all(c.get(f"{W}date") == "2026-12-01T12:00:00Z" for c in entries)
    styles = {s.get(f"{W}styleId") for s in part(path, "word/styles.xml").iter(f"{W}style")}
    assert {"CommentText", "CommentReference"} <= styles


def test_same_spec_and_date_give_identical_bytes(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"d{seed}.docx"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([clausegen_exe(), "generate", "--sector", "vvt", "--date", "2026-12-01",
                        "-o", str(out)], check=True, env=env, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.skipif(not (SHARED / "tools" / "validate_docx.py").exists(),
                    reason="../shared/tools/validate_docx.py not present")
def test_every_sector_passes_the_shared_validator(every_sector):
    """The second opinion: shared/tools/validate_docx.py on every sector, nl and en."""
    paths = every_sector["nl"] + every_sector["en"]
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "validate_docx.py"),
                             *map(str, paths)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK (0 findings)") == len(paths)


def pdf_text(path: Path, tmp_path: Path) -> str:
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True,
                   timeout=240)
    return subprocess.run(["pdftotext", "-layout", str(tmp_path / (path.stem + ".pdf")), "-"],
                          check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice and poppler-utils are not installed (.ci/run installs them)")
@pytest.mark.parametrize("sector", ["bouw-infra", "ziekenhuizen"])
def test_libreoffice_renders_the_numbers(drafts, tmp_path, sector):
    import docx
    from clausegen.writers.docx import bookmark_name
    path = drafts[(sector, "nl")]
    text = pdf_text(path, tmp_path)
    titles = [p.text for p in docx.Document(str(path)).paragraphs
              if p.style.style_id == "Heading2"]
    numbers = []
    for title in titles:
        found = re.findall(r"^\s*Artikel (\d+(?:\.\d+)?)\s+" + re.escape(title[:20]), text,
                           re.MULTILINE)
        # once in the (cached) table of contents, once as the heading itself
        assert len(found) == 2 and found[0] == found[1], (title, found)
        numbers.append(found[1])
    assert len(numbers) >= 10
    if sector == "bouw-infra":          # continuous: Artikel 1, 2, 3, ...
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    else:                               # per chapter: Artikel 1.1, 1.2, 2.1, ...
        pairs = [tuple(map(int, n.split("."))) for n in numbers]
        assert pairs == sorted(pairs) and pairs[0] == (1, 1)
        for (c1, a1), (c2, a2) in zip(pairs, pairs[1:]):
            assert (c2, a2) in ((c1, a1 + 1), (c1 + 1, 1))
    assert set(article_numbers(path).values()) <= set(numbers)
    assert re.search(r"^\s*1\.\s+\S", text, re.MULTILINE), "no numbered lid"
    assert re.search(r"^\s*a\.\s+\S", text, re.MULTILINE), "no lettered sub-item"
    # the tafel draft has no annex (the intern one's are checked in test_audience.py)
    assert "Verantwoording" not in text and "Bijlage" not in text
    assert "CONCEPT" in text
    pages = re.findall(r"Pagina (\d+) van (\d+)", text)
    assert [int(p) for p, _ in pages] == list(range(1, len(pages) + 1))
    assert {int(total) for _, total in pages} == {len(pages)}
    # Every cross-reference shows the number its target article has in the rendering, with a
    # lowercase "artikel" (LibreOffice ignores REF's \\* Lower: the QUOTE around it carries it).
    document = part(path, "word/document.xml")
    by_bookmark = {bookmark_name(k): n for k, n in article_numbers(path).items()}
    targets = [i.text.split()[1] for i in document.iter(f"{W}instrText")
               if i.text.strip().startswith("REF ")]
    for target in targets:
        number = by_bookmark[target]
        title = titles[numbers.index(number)]
        assert re.search(r"\bartikel " + re.escape(number) + r"\b(?!\s+" +
                         re.escape(title[:20]) + ")", text), (number, title)
    assert not re.search(r"[a-z,] Artikel \d", text), "a capital Artikel mid-sentence"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_sector_validates_with_our_own_checker(every_sector, language):
    """Every sector's draft passes the ECMA-376 schemas and Word's extra rules."""
    from ooxml import findings
    for path in every_sector[language]:
        assert findings(path) == [], path.stem


def test_the_checker_catches_what_word_rejects(drafts, tmp_path):
    """Break a valid draft the ways Word objects to; the checker must notice each."""
    from ooxml import findings
    source = drafts[("ziekenhuizen", "nl")]     # one with cross-references
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    document = parts["word/document.xml"].decode()
    breakages = {
        "REF to missing": document.replace("REF _Ref", "REF _Xyz", 1),
        "unpaired bookmarks": re.sub(r"<w:bookmarkEnd [^>]*/>", "", document, count=1),
        "out of order": document.replace("<w:rPr><w:b/><w:i/>", "<w:rPr><w:i/><w:b/>", 1)
        if "<w:rPr><w:b/><w:i/>" in document else document.replace(
            "<w:rPr><w:b/>", "<w:rPr><w:highlight w:val=\"yellow\"/><w:b/>", 1),
        "line": document.replace("<w:pPr>", "<w:pPr><w:bogus/>", 1),
    }
    for expected, broken in breakages.items():
        path = tmp_path / "broken.docx"
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, broken.encode() if name == "word/document.xml" else data)
        assert any(expected in f for f in findings(path)), expected


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed (.ci/run installs it)")
def test_pandoc_reads_the_draft(drafts):
    result = subprocess.run(["pandoc", "-f", "docx", "-t", "plain",
                             str(drafts[("ziekenhuizen", "nl")])], capture_output=True, text=True,
                            check=True)
    assert "Zelfroosteren" in result.stdout and "Begripsbepalingen" in result.stdout


def test_mammoth_reads_the_draft_without_undefined_styles(drafts):
    mammoth = pytest.importorskip("mammoth")
    for path in drafts.values():
        with open(path, "rb") as handle:
            result = mammoth.convert_to_html(handle)
        assert "<h2>" in result.value
        undefined = [m.message for m in result.messages if "not defined" in m.message]
        assert not undefined, undefined


def test_the_shipped_reference_document_is_current():
    """clausegen/resources/reference.docx is exactly what the styles code builds."""
    from clausegen.writers.reference import build_reference
    shipped = Path(__file__).resolve().parent.parent / "clausegen" / "resources" / "reference.docx"
    assert shipped.read_bytes() == build_reference(), \
        "rebuild it: python -m clausegen.writers.reference"


def test_the_shipped_skeletons_are_current():
    """clausegen/resources/skeletons.zip is exactly what the reference document and
    docx_oxml.dress build: a change to the styles, numbering, header or properties code that
    was not rebuilt into it fails here, not in a user's draft."""
    from clausegen.writers.reference import build_skeletons
    shipped = Path(__file__).resolve().parent.parent / "clausegen" / "resources" / "skeletons.zip"
    assert shipped.read_bytes() == build_skeletons(), \
        "rebuild it: python -m clausegen.writers.reference"


def test_the_package_zip_is_what_zipfile_writes():
    """package.zip_parts writes parts deflated beforehand (zipfile cannot): its zip is byte
    for byte the one zipfile writes for the same parts, names outside ASCII included."""
    import io
    import os
    from clausegen.writers.package import deflated, zip_parts
    parts = [("[Content_Types].xml", b"<Types/>" * 500), ("leeg", b""),
             ("word/bijlage-\u00e9\u00e9n.xml", os.urandom(3000)), ("groot", b"lid " * 400_000)]
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(info, data)
    assert zip_parts(parts) == expected.getvalue()
    assert zip_parts([(name, deflated(data)) for name, data in parts]) == expected.getvalue()
    with zipfile.ZipFile(io.BytesIO(zip_parts(parts))) as written:
        assert written.testzip() is None
        assert [written.read(name) for name, _ in parts] == [data for _, data in parts]


def package_parts(data: bytes) -> list[tuple[str, bytes]]:
    import io
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


@pytest.fixture(scope="module")
def finalizing_library():
    """The built-ins and a plugin whose finalize_docx leaves the document as it is: its
    drafts go through python-docx instead of the prebuilt parts."""
    import types
    from clausegen import hookimpl
    from clausegen.testing import make_library

    def finalize_docx(document, draft):
        return None
    plugin = types.SimpleNamespace(finalize_docx=hookimpl(finalize_docx))
    return make_library(("does-nothing", plugin))


# A title that needs escaping in the header's run and in the core properties, with line ends
# and a tab, and longer than a core property holds.
ODD_TITLE = 'Cao "A & B" <2027>\r\nvoor\ttwee ' + "lang " * 60


@pytest.mark.parametrize("comments", [False, True])
@pytest.mark.parametrize("sector", ["bouw-infra", "ziekenhuizen"])    # continuous, per chapter
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_draft_is_the_same_without_python_docx(library, finalizing_library, sector, language,
                                                 comments):
    """Without a finalize_docx plugin the package is written from the prebuilt skeletons;
    with one, through python-docx. In every arrangement (language, numbering, comments or
    none), a plugin that changes nothing gets the same document: the same parts in the same
    order, byte for byte, the body and comments equal as XML."""
    import datetime as dt
    from clausegen.draft import build_draft
    from clausegen.model import ClauseChoice, DraftSpec
    from clausegen.planning import plan_draft
    from clausegen.writers.docx import write_docx
    filled = [ClauseChoice(id="algemeen.slotbepaling", values={     # no placeholder comments
        "plaats": "Utrecht", "ondertekening": dt.date(2027, 1, 15)}),
        ClauseChoice(id="algemeen.werkingssfeer", values={"vindplaats_afbakening": "artikel 1"})]
    audience = "intern" if comments and language == "en" else "tafel"
    spec = DraftSpec(sector=sector, language=language, audience=audience, title=ODD_TITLE,
                     date=dt.date(2026, 12, 1), clauses=[] if comments else filled)
    toelichting = "comments" if comments else "none"
    prebuilt = package_parts(write_docx(build_draft(plan_draft(spec, library), library),
                                        library, toelichting=toelichting))
    through = package_parts(write_docx(build_draft(plan_draft(spec, finalizing_library),
                                                   finalizing_library),
                                       finalizing_library, toelichting=toelichting))
    assert [name for name, _ in prebuilt] == [name for name, _ in through]
    assert ("word/comments.xml" in dict(prebuilt)) == comments
    for (name, ours), (_, theirs) in zip(prebuilt, through):
        if name in ("word/document.xml", "word/comments.xml"):
            ours, theirs = (etree.tostring(etree.fromstring(x), method="c14n")
                            for x in (ours, theirs))
        assert ours == theirs, name
    # escaped as XML text, and cut short as a core property must be
    core = etree.fromstring(dict(prebuilt)["docProps/core.xml"])
    written = core.find("{http://purl.org/dc/elements/1.1/}title").text
    assert written.startswith('Cao "A & B" <2027>\r\nvoor\ttwee lang') and written.endswith("…")
    assert len(written) == 255
    header = etree.fromstring(dict(prebuilt)["word/header1.xml"])
    assert 'Cao "A & B" <2027>\nvoor\ttwee' in "".join(header.itertext())


@pytest.mark.parametrize("audience", ["tafel", "intern"])
def test_a_draft_without_finalize_docx_imports_no_python_docx(tmp_path, audience):
    """The Word writer reads prebuilt parts: neither python-docx nor lxml is imported, about
    0.05 s of a 40-article run. The draft opens in python-docx all the same."""
    target = tmp_path / "a.docx"
    found = modules_imported(tmp_path, ("docx", "lxml"), "generate", "--sector", "vvt",
                             "--audience", audience, "--date", "2026-12-01", "-o", target)
    assert found == "[]", f"generate imported {found}"
    import docx
    assert len(docx.Document(str(target)).paragraphs) > 50


def test_every_style_a_draft_uses_is_in_the_reference_document(drafts):
    styles = {s.get(f"{W}styleId") for s in part(drafts[("ziekenhuizen", "nl")],
                                                   "word/styles.xml").iter(f"{W}style")}
    document = part(drafts[("ziekenhuizen", "nl")], "word/document.xml")
    used = {s.get(f"{W}val") for s in document.iter(f"{W}pStyle")}
    assert used <= styles
    assert {"Heading1", "Heading2", "CAOLid", "CAOSub", "CAOTekst", "CAOBijlage", "TOC1",
            "TOC2", "CommentText", "CommentReference", "Header", "Footer"} <= styles


def test_toelichting_as_a_chapter_instead_of_comments(cli, tmp_path):
    out = tmp_path / "t.docx"
    result = cli("generate", "--sector", "vvt", "--date", "2026-12-01", "--toelichting",
                 "chapter", "--author", "Jan de Vries", "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        document = z.read("word/document.xml").decode()
        core = z.read("docProps/core.xml").decode()
        custom = z.read("docProps/custom.xml").decode()
    assert "Toelichting per artikel" in document
    comments = part(out, "word/comments.xml") if "word/comments.xml" in names else None
    assert comments is None or all("Toelichting" not in "".join(c.itertext())
                                   for c in comments.iter(f"{W}comment"))
    assert "Jan de Vries" in core and "2026-12-01" in core
    assert "clausegen.spec_sha256" in custom and "clausegen.library_sha256" in custom


def test_a_missing_value_is_highlighted_and_explained(drafts):
    document = part(drafts[("bouw-infra", "nl")], "word/document.xml")
    marked = [r for r in document.iter(f"{W}r")
              if r.find(f"{W}rPr/{W}highlight") is not None]
    assert marked and all(r.find(f"{W}t").text == "[...]" for r in marked)
    comments = " ".join("".join(c.itertext()) for c in
                        part(drafts[("bouw-infra", "nl")], "word/comments.xml").iter(f"{W}comment"))
    assert "Vul in" in comments
