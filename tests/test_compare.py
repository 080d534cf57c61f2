"""Redlines between rounds: accept every revision and get NEW's own draft, reject every one and
get OLD's, paragraph by paragraph; changes marked exactly; moves as moves; valid OOXML."""
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from lxml import etree

from conftest import SHARED, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = "2026-12-01"


def spec(sector="vvt", clauses=None, values=None, language="nl", date=DATE, audience="tafel",
         position="doel"):
    """A spec file's text: the sector's recommended clauses unless `clauses` lists them."""
    out = [f'[cao]\nsector = "{sector}"\nlanguage = "{language}"\ndate = {date}\n'
           f'position = "{position}"\naudience = "{audience}"\nstart = 2027-01-01\n']
    for clause in clauses or []:
        out.append(f'[[clause]]\nid = "{clause}"\n')
        for name, value in (values or {}).get(clause, {}).items():
            out.append(f"[clause.values]\n{name} = {value}\n")
    return "".join(out)


VVT = ["robotisering.ontwikkelbudget", "generaties.mentorschap", "generaties.bbl-stage",
       "werkdruk.zelfroosteren", "werkdruk.roosterinspraak", "werkdruk.invaltoeslag",
       "werkdruk.bedrijfsarts"]
PAIRS = {
    "value": (spec(clauses=VVT),
              spec(clauses=VVT, values={"werkdruk.roosterinspraak": {"bekendmaking_dagen": 42}},
                   date="2027-01-15")),
    "added-removed": (spec(clauses=VVT),
                      spec(clauses=[c for c in VVT if c != "werkdruk.invaltoeslag"]
                           + ["werkdruk.vertrouwenspersoon"])),
    "swapped": (spec(clauses=VVT),
                spec(clauses=VVT[:3] + [VVT[4], VVT[3]] + VVT[5:])),
    "all-at-once": (spec(clauses=VVT),
                    spec(clauses=[c for c in VVT[:3] if c != "generaties.bbl-stage"]
                         + [VVT[4], VVT[3], VVT[5], VVT[6], "robotisering.bijscholing"],
                         values={"werkdruk.roosterinspraak": {"bekendmaking_dagen": 42}},
                         position="openingsbod")),
    "sector-frame": (spec(sector="vvt"), spec(sector="gemeenten")),
    "english": (spec(clauses=VVT, language="en"),
                spec(clauses=VVT[1:] + ["robotisering.omscholing"], language="en",
                     values={"werkdruk.invaltoeslag": {"toeslag_per_dienst": 60}})),
    "intern": (spec(clauses=VVT, audience="intern"),
               spec(clauses=VVT[:5], audience="intern", position="ondergrens")),
}


# ---------------------------------------------------------------- accept and reject, in lxml


def resolve(document: etree._Element, accept: bool) -> etree._Element:
    """The body after accepting (or rejecting) every tracked change, as Word would."""
    keep, drop = (("ins", "moveTo"), ("del", "moveFrom")) if accept else \
        (("del", "moveFrom"), ("ins", "moveTo"))
    body = document.find(f"{W}body")
    for paragraph in list(body.iter(f"{W}p")):
        mark = paragraph.find(f"{W}pPr/{W}rPr")
        if mark is not None and any(mark.find(f"{W}{k}") is not None for k in drop):
            paragraph.getparent().remove(paragraph)
    for tag in drop:
        for element in list(body.iter(f"{W}{tag}")):
            element.getparent().remove(element)
    for tag in keep:
        for element in list(body.iter(f"{W}{tag}")):
            parent = element.getparent()
            if parent.tag == f"{W}rPr":
                parent.remove(element)
                continue
            index = parent.index(element)
            for child in reversed(list(element)):
                parent.insert(index, child)
            parent.remove(element)
    for kind in ("moveFromRange", "moveToRange"):
        for end in ("Start", "End"):
            for element in list(body.iter(f"{W}{kind}{end}")):
                element.getparent().remove(element)
    for text in body.iter(f"{W}delText"):
        text.tag = f"{W}t"
    for instruction in body.iter(f"{W}delInstrText"):
        instruction.tag = f"{W}instrText"
    return body


def paragraphs(body: etree._Element) -> list[tuple[str, str]]:
    """(style, text) of the articles' paragraphs: from the first chapter heading to the first
    annex; field results (Word's own numbers) left out."""
    out, started = [], False
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        style = style.get(f"{W}val") if style is not None else ""
        if style == "Heading1":
            started = True
        if style == "CAOBijlage":
            break
        if not started:
            continue
        text, in_result = [], False
        for element in paragraph.iter(f"{W}t", f"{W}fldChar"):
            if element.tag == f"{W}fldChar":
                in_result = element.get(f"{W}fldCharType") == "separate"
            elif not in_result:
                text.append(element.text or "")
        out.append((style, "".join(text)))
    return out


def document_of(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    """For each pair: the redline and both rounds' own drafts, written by the CLI."""
    folder = tmp_path_factory.mktemp("rounds")
    out = {}

    def run(*args):
        result = run_cli(*args)
        assert result.exit_code == 0, result.output
        return result
    for name, (old, new) in PAIRS.items():
        paths = {}
        for side, text in (("old", old), ("new", new)):
            path = folder / f"{name}-{side}.toml"
            path.write_text(text)
            run("build", path, "-o", folder / f"{name}-{side}.docx")
            paths[side] = path
        run("compare", paths["old"], paths["new"], "-o", folder / f"{name}-redline.docx")
        run("compare", paths["old"], paths["new"], "-o", folder / f"{name}-changes.json")
        out[name] = {k: (folder / f"{name}-{k}.docx").read_bytes()
                     for k in ("old", "new", "redline")}
        out[name]["changes"] = json.loads((folder / f"{name}-changes.json").read_text())
        out[name]["folder"] = folder
    return out


@pytest.mark.parametrize("pair", PAIRS)
def test_accepting_every_change_gives_new_and_rejecting_gives_old(rounds, pair):
    drafts = rounds[pair]
    new = paragraphs(document_of(drafts["new"]).find(f"{W}body"))
    old = paragraphs(document_of(drafts["old"]).find(f"{W}body"))
    assert new and old
    assert paragraphs(resolve(document_of(drafts["redline"]), accept=True)) == new
    assert paragraphs(resolve(document_of(drafts["redline"]), accept=False)) == old


def test_a_changed_value_is_exactly_the_formatted_value(rounds):
    document = document_of(rounds["value"]["redline"])
    deleted = ["".join(t.text for t in d.iter(f"{W}delText")) for d in document.iter(f"{W}del")]
    inserted = ["".join(t.text for t in i.iter(f"{W}t")) for i in document.iter(f"{W}ins")]
    assert deleted == ["35 dagen"] and inserted == ["42 dagen"]
    assert not list(document.iter(f"{W}moveFrom"))
    changes = rounds["value"]["changes"]["changes"]
    assert [(c["kind"], c["lid"], c["old"], c["new"]) for c in changes] == \
        [("value", 2, "35 dagen", "42 dagen")]


def test_revisions_carry_the_unions_and_the_new_date(rounds):
    document = document_of(rounds["value"]["redline"])
    revisions = list(document.iter(f"{W}ins")) + list(document.iter(f"{W}del"))
    assert {r.get(f"{W}author") for r in revisions} == {"FNV, CNV Zorg & Welzijn, NU'91, FBZ"}
    assert {r.get(f"{W}date") for r in revisions} == {"2027-01-15T12:00:00Z"}
    ids = [e.get(f"{W}id") for e in document.iter() if etree.QName(e).localname in
           ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart")]
    assert len(ids) == len(set(ids))


def test_swapped_articles_are_moves_and_nothing_else(rounds):
    document = document_of(rounds["swapped"]["redline"])
    assert not list(document.iter(f"{W}ins")) and not list(document.iter(f"{W}del"))
    starts = {e.get(f"{W}name") for e in document.iter(f"{W}moveFromRangeStart")}
    assert starts and starts == {e.get(f"{W}name") for e in document.iter(f"{W}moveToRangeStart")}
    kinds = [c["kind"] for c in rounds["swapped"]["changes"]["changes"]]
    assert kinds == ["moved"]


def test_added_and_removed_articles_are_whole_tracked_paragraphs(rounds):
    changes = rounds["added-removed"]["changes"]["changes"]
    kinds = sorted(c["kind"] for c in changes)
    assert "new" in kinds and "deleted" in kinds
    document = document_of(rounds["added-removed"]["redline"])
    marks = [p for p in document.iter(f"{W}p")
             if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    deleted = [p for p in document.iter(f"{W}p")
               if p.find(f"{W}pPr/{W}rPr/{W}del") is not None]
    assert marks and deleted
    # a deleted paragraph holds no w:t, an inserted one no w:delText
    assert not [t for p in deleted for t in p.iter(f"{W}t")]


def test_the_tafel_summary_tells_no_position(rounds):
    text = " ".join(t.text or "" for t in document_of(rounds["all-at-once"]["redline"])
                    .iter(f"{W}t"))
    assert "Wijzigingen ten opzichte van het vorige concept" in text
    assert "openingsbod" not in text.lower() and "ondergrens" not in text.lower()


def test_redlines_pass_the_ooxml_checks(rounds, tmp_path):
    from ooxml import findings
    for name, drafts in rounds.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(drafts["redline"])
        assert findings(path) == [], name
    if (SHARED / "tools" / "validate_docx.py").exists():
        result = subprocess.run([sys.executable, str(SHARED / "tools" / "validate_docx.py"),
                                 *map(str, tmp_path.glob("*.docx"))], capture_output=True,
                                text=True)
        assert result.returncode == 0, result.stdout


def test_same_rounds_same_bytes(rounds, cli, tmp_path):
    folder = rounds["value"]["folder"]
    out = tmp_path / "again.docx"
    assert cli("compare", folder / "value-old.toml", folder / "value-new.toml",
               "-o", out).exit_code == 0
    assert out.read_bytes() == rounds["value"]["redline"]


def test_compare_refuses_bad_input_clearly(cli, tmp_path):
    good = tmp_path / "a.toml"
    good.write_text(spec())
    result = cli("compare", good, tmp_path / "missing.toml", "-o", tmp_path / "r.docx")
    assert result.exit_code == 1 and "missing.toml" in result.stderr
    assert not (tmp_path / "r.docx").exists()
    (tmp_path / "r.docx").write_text("keep")
    result = cli("compare", good, good, "-o", tmp_path / "r.docx")
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert (tmp_path / "r.docx").read_text() == "keep"
    # the redline has no pdf: a .pdf name is refused, not filled with the markdown list
    result = cli("compare", good, good, "-o", tmp_path / "r.pdf")
    assert result.exit_code == 2 and "not .pdf" in result.stderr
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice and poppler are installed by .ci/run")
def test_libreoffice_opens_the_redline_with_its_changes(rounds, tmp_path):
    path = tmp_path / "redline.docx"
    path.write_bytes(rounds["all-at-once"]["redline"])
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True,
                   timeout=240)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "redline.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    # LibreOffice shows tracked changes inline: old and new values both on the page
    assert re.search(r"35\s+dagen\s*42\s+dagen|42\s+dagen", text)
    assert "Wijzigingen ten opzichte van het vorige concept" in text


def test_a_reviewers_two_rounds_show_exactly_their_changes(cli, tmp_path):
    """Round 2 of vvt: one value changed, a clause added, one removed, two articles swapped."""
    old = tmp_path / "ronde1.toml"
    new = tmp_path / "ronde2.toml"
    old.write_text(spec(clauses=VVT))
    swapped = VVT[:3] + [VVT[4], VVT[3], VVT[6], "werkdruk.vertrouwenspersoon"]   # no VVT[5]
    new.write_text(spec(clauses=swapped, date="2027-01-15",
                        values={"werkdruk.roosterinspraak": {"bekendmaking_dagen": 42}})
                   .replace("start = 2027-01-01", "start = 2027-01-01\nend = 2028-12-31"))
    old.write_text(old.read_text().replace("start = 2027-01-01",
                                           "start = 2027-01-01\nend = 2028-12-31"))
    assert cli("compare", old, new, "-o", tmp_path / "c.json").exit_code == 0
    rows = json.loads((tmp_path / "c.json").read_text())["changes"]
    kinds = [(r["kind"], r["title"]) for r in rows if r["kind"] != "definition"]
    assert sorted(kinds) == sorted([
        ("value", "Inspraak in en bekendmaking van het rooster"),
        ("moved", "Zelfroosteren"),
        ("deleted", "Invaltoeslag"),
        ("new", "Vertrouwenspersoon"),
    ]), kinds
    # the definitions that come and go with those clauses, and nothing else
    assert {r["kind"] for r in rows} <= {"value", "moved", "deleted", "new", "definition"}


def test_author_and_date_of_the_revisions_can_be_given(rounds, cli, tmp_path):
    folder = rounds["value"]["folder"]
    out = tmp_path / "r.docx"
    assert cli("compare", folder / "value-old.toml", folder / "value-new.toml", "--author",
               "CNV", "--date", "2027-03-12", "-o", out).exit_code == 0
    document = document_of(out.read_bytes())
    revisions = list(document.iter(f"{W}ins")) + list(document.iter(f"{W}del"))
    assert revisions
    assert {(r.get(f"{W}author"), r.get(f"{W}date")) for r in revisions} == \
        {("CNV", "2027-03-12T12:00:00Z")}
