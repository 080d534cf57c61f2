"""Two audiences: the tafel draft gives nothing away, the intern one hides nothing.

The leak test builds the tafel version of every built-in sector x 3 positions x nl/en as .docx,
.md and .json (`make test-fast`: three of the six position-language pairs) and searches every part of each (every XML part of the zip: body, comments,
properties, headers, footers) for what only the union may know:
- the names of the positions (openingsbod, ondergrens; "doel" is an ordinary Dutch word, so the
  target is covered by its values below);
- the formatted values of the two other positions, where they differ from every value the
  draft itself uses and from the sector's current cao (both public), and are no fact a clause
  declares in fixed_numbers;
- the internal arguments (each paragraph of each clause's rendered arguments);
- the plugins the clauses came from (name@version) and the content files' paths.
Any hit fails. The same search over the intern version must find all four kinds, so the test
cannot pass by emptying both.

How it fails, for example: move the sentence "Werkgevers zullen aanvoeren dat ..." of
werkdruk.roosterinspraak's [arguments] into its [explanation]; the tafel draft then contains an
argument paragraph (and its numbers) and test_tafel_gives_nothing_away fails, naming the
sector, the file part and the sentence. test_moving_an_argument_into_the_explanation_is_caught
does exactly that to a copy of the library.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile

import pytest

from clausegen.draft import build_draft
from clausegen.model import POSITIONS, DraftSpec
from clausegen.params import NUMERIC, format_value
from clausegen.planning import plan_draft
from clausegen.writers import render_bytes

DATE = dt.date(2026, 12, 1)
FORMATS = ("docx", "md", "json")
POSITION_NAMES = ("openingsbod", "ondergrens", "opening bid", "walk-away")
VALUE = "other position's value"        # the kind of needle searched as a whole value
# How the union speaks to itself: an argument moved (not copied) into a public text is caught
# by its phrasing even when it names no number.
INTERNAL_PHRASES = ("zullen aanvoeren", "zal aanvoeren", "het antwoord is", "ons antwoord",
                    "onderhandelingsruimte", "wisselgeld", "will argue", "the answer is",
                    "our answer", "room to give", "bargaining chip", "give way")


def parts(data: bytes, markup: bool = True) -> dict[str, str]:
    """Every part of the output as text: each XML part of a zip with its tags removed and, with
    `markup`, also as it is (attribute values such as property names count too); or the whole
    text of an .md/.json."""
    if data[:2] != b"PK":
        return {"(text)": data.decode("utf-8")}
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            raw = package.read(name)
            if name.endswith((".xml", ".rels")):
                text = raw.decode("utf-8")
                # tags become spaces: text in two runs is still found as one phrase
                out[name] = re.sub(r"<[^>]+>", " ", text) + ("\n" + text if markup else "")
    return out


def normalise(text: str) -> str:
    return " ".join(text.split()).lower()


def draft_for(library, sector, position, language, audience):
    spec = DraftSpec(sector=sector, position=position, language=language, date=DATE,
                     audience=audience)
    return build_draft(plan_draft(spec, library), library)


def build(library, sector, position, language, audience, fmt) -> tuple[bytes, object]:
    draft = draft_for(library, sector, position, language, audience)
    return render_bytes(draft, fmt, library), draft


def needles(library, sector, position, language, intern=None) -> dict[str, set[str]]:
    """What a tafel draft in this position must not contain, by kind (from the intern draft
    of that position, built here unless given)."""
    if intern is None:
        intern = draft_for(library, sector, position, language, "intern")
    plan = intern.plan
    used = {format_value(p.clause.parameters[n].type, v.value, language)
            for p in plan.clauses for n, v in p.values.items()}
    facts = {re.sub(r"\D", "", k) for p in plan.clauses for k in p.clause.fixed_numbers}
    # the current cao is known to both sides: a number equal to it gives nothing away
    used |= {format_value(s.param.type, s.current, language)
             for p in plan.clauses for s in p.ladder.values() if s.current is not None}
    values = set()
    for planned in plan.clauses:
        for name, step in planned.ladder.items():
            # a bare number ("3") is everywhere in a document; a value with its unit is not
            if step.param.type not in NUMERIC - {"integer", "decimal"}:
                continue
            for other in POSITIONS:
                shown = format_value(step.param.type, step.positions[other], language)
                number = re.sub(r"\D", "", shown)
                if shown and shown not in used and number not in facts:
                    values.add(shown)
    arguments = {normalise(paragraph)[:80] for c in intern.chapters for a in c.articles
                 for paragraph in a.arguments.split("\n\n") if len(paragraph.strip()) > 40}
    plugins = {p.clause.provenance.label for p in plan.clauses}
    plugins |= {p.clause.provenance.file for p in plan.clauses}
    return {"position name": set(POSITION_NAMES), VALUE: values,
            "internal argument": arguments, "internal phrasing": set(INTERNAL_PHRASES),
            "plugin": plugins}


def found_in(data: bytes, found: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    """(part, kind, item) for every item of `found` that occurs in a part of the output."""
    out = []
    # each item and each part's text normalised once: this runs ~800 times a test run
    wanted = {kind: [(item, normalise(item) if kind.startswith("internal") else item.lower())
                     for item in items] for kind, items in found.items()}
    texts = parts(data, markup=False)
    for part, text in parts(data).items():
        # values are searched in the text only: markup is full of numbers
        marked, plain = normalise(text), normalise(texts[part])
        for kind, items in wanted.items():
            for item, needle in items:
                if kind == VALUE and whole_value_in(needle, plain) or \
                        kind != VALUE and needle in marked:
                    out.append((part, kind, item))
    return out


def whole_value_in(value: str, text: str) -> bool:
    """Whether `value` occurs in `text` as a whole: "€ 500" not inside "€ 5.000" (no digit,
    point or comma just before it, no digit just after it)."""
    start = text.find(value)
    while start >= 0:
        before = text[start - 1] if start else ""
        after = text[start + len(value):start + len(value) + 1]
        if not (before in (".", ",") or before.isdecimal() or after.isdecimal()):
            return True
        start = text.find(value, start + 1)
    return False


def hits(data: bytes, found: dict[str, set[str]]) -> list[str]:
    return [f"{part}: {kind} {item!r}" for part, kind, item in found_in(data, found)]


@pytest.fixture(scope="module")
def sectors(library):
    return sorted(library.sectors)


# `make test` runs every position in both languages; `make test-fast` each position once, the
# languages in turn (the other combinations are marked slow: ~1 s each, and they repeat the
# same search on other texts).
FAST_LEAK_CASES = {("openingsbod", "nl"), ("doel", "en"), ("ondergrens", "nl")}


@pytest.mark.parametrize("position, language", [
    pytest.param(position, language, marks=() if (position, language) in FAST_LEAK_CASES
                 else pytest.mark.slow)
    for position in POSITIONS for language in ("nl", "en")])
def test_tafel_gives_nothing_away(library, sectors, position, language):
    assert len(sectors) == 13
    for sector in sectors:
        found = needles(library, sector, position, language)
        assert all(found.values()) or not found[VALUE], sector
        tafel = draft_for(library, sector, position, language, "tafel")
        for fmt in FORMATS:         # writers only read the draft: one draft, three formats
            data = render_bytes(tafel, fmt, library)
            leaked = hits(data, found)
            assert not leaked, f"{sector} {position} {language} .{fmt}: " + "; ".join(leaked[:5])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_intern_hides_nothing(library, sectors, language):
    for sector in sectors:
        intern = draft_for(library, sector, "doel", language, "intern")
        found = needles(library, sector, "doel", language, intern)
        for fmt in FORMATS:
            data = render_bytes(intern, fmt, library)
            seen = {kind for _, kind, _ in found_in(data, found)}
            expected = {kind for kind, items in found.items() if items}
            if fmt == "json":   # numbers as numbers: every position's value in the mandate
                expected.discard(VALUE)
                rows = json.loads(data)["mandate"]
                assert rows and all(set(r["positions"]) == set(POSITIONS) for r in rows)
            expected.discard("internal phrasing")   # not every argument is phrased so
            assert expected <= seen, f"{sector} {language} .{fmt}: missing {expected - seen}"


def test_tafel_json_lists_articles_without_values(library):
    data, _ = build(library, "vvt", "openingsbod", "nl", "tafel", "json")
    manifest = json.loads(data)
    assert set(manifest) == {"audience", "spec_sha256", "library_sha256", "title", "sector",
                             "language", "date", "start", "end", "parties", "articles",
                             "definitions"}
    assert all(set(a) == {"id", "article"} for a in manifest["articles"])


def test_tafel_docx_properties_say_no_more_than_the_hashes(library):
    data, _ = build(library, "ziekenhuizen", "openingsbod", "nl", "tafel", "docx")
    custom = parts(data)["docProps/custom.xml"]
    names = set(re.findall(r'name="([^"]+)"', custom))
    assert names == {"clausegen.spec_sha256", "clausegen.library_sha256"}
    text = "\n".join(parts(data).values())
    assert "VERTROUWELIJK" not in text and "Verantwoording" not in text


def test_intern_docx_is_marked_confidential_on_the_title_page_header_and_properties(library,
                                                                                  tmp_path):
    from ooxml import findings as ooxml_findings
    data, _ = build(library, "ziekenhuizen", "openingsbod", "nl", "intern", "docx")
    (tmp_path / "i.docx").write_bytes(data)
    assert ooxml_findings(tmp_path / "i.docx") == []
    found = parts(data)
    header = next(text for name, text in found.items() if name.startswith("word/header"))
    assert "VERTROUWELIJK – intern" in header
    assert "VERTROUWELIJK – intern" in found["word/document.xml"]
    assert "VERTROUWELIJK" in found["docProps/core.xml"]
    assert "clausegen.audience" in found["docProps/custom.xml"]


def test_intern_marks_each_finding_at_its_article_in_word_and_markdown(cli, tmp_path):
    args = ["generate", "--sector", "vvt", "--date", "2026-12-01", "--audience", "intern",
            "--set", "werkdruk.roosterinspraak.bekendmaking_dagen=20"]
    for fmt in ("docx", "md"):
        out = tmp_path / f"i.{fmt}"
        assert cli(*args, "-o", out).exit_code == 0
        text = " ".join(parts(out.read_bytes()).values())
        at_article = text.split("Verantwoording van dit concept")[0] if fmt == "md" else \
            parts(out.read_bytes())["word/comments.xml"]
        assert "Toetsing aan de wet" in at_article, fmt
        assert re.search(r"\b20 (days|dagen)", at_article), fmt
    # --toelichting none leaves the notes out of both formats alike
    for fmt in ("docx", "md"):
        out = tmp_path / f"n.{fmt}"
        assert cli(*args, "--toelichting", "none", "-o", out).exit_code == 0
        text = " ".join(parts(out.read_bytes()).values())
        assert "Argumenten (intern)" not in text and "Werkgevers zullen" not in text, fmt


def test_the_tafel_hash_does_not_tell_the_position(library):
    """Anyone with clausegen can rebuild a hash for each position: the public one covers only
    what the draft shows, so a draft at doel and one with the same values given by hand at
    another position carry the same hash."""
    from clausegen.model import ClauseChoice
    from clausegen.writers.manifest import spec_hash
    doel = plan_draft(DraftSpec(sector="vvt", position="doel", date=DATE), library)
    pinned = [ClauseChoice(id=p.clause.id, values={k: v.value for k, v in p.values.items()
                                                   if v.value is not None})
              for p in doel.clauses]
    other = plan_draft(DraftSpec(sector="vvt", position="ondergrens", date=DATE,
                                 clauses=pinned), library)
    assert spec_hash(doel, public=True) == spec_hash(other, public=True)
    assert spec_hash(doel) != spec_hash(other)


def test_the_intern_file_never_gets_the_tables_name(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("generate", "--sector", "vvt", "--date", "2026-12-01").exit_code == 0
    assert cli("generate", "--sector", "vvt", "--date", "2026-12-01",
               "--audience", "intern").exit_code == 0
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == \
        ["concept-cao-vvt-intern.docx", "concept-cao-vvt.docx"]


def test_moving_an_argument_into_the_explanation_is_caught(library):
    """The failing case of the leak test: one internal sentence in a public explanation, copied
    (caught as an argument) or moved (caught by its phrasing)."""
    clause = library.clauses["werkdruk.roosterinspraak"]
    sentence = "Werkgevers zullen aanvoeren dat roosters flexibel moeten blijven."
    for leaky, kind in (
            (dataclasses.replace(clause, explanation={
                lang: clause.explanation[lang] + "\n\n" + clause.arguments[lang].split("\n\n")[-1]
                for lang in clause.explanation}), "internal argument"),
            (dataclasses.replace(clause, explanation={
                "nl": clause.explanation["nl"] + " " + sentence,
                "en": clause.explanation["en"]}), "internal phrasing")):
        found = needles(library, "ziekenhuizen", "doel", "nl")
        library.clauses["werkdruk.roosterinspraak"] = leaky
        try:
            data, _ = build(library, "ziekenhuizen", "doel", "nl", "tafel", "docx")
        finally:
            library.clauses["werkdruk.roosterinspraak"] = clause
        assert any(kind in hit for hit in hits(data, found)), kind


def test_cli_says_which_audience_it_wrote(cli, tmp_path):
    result = cli("generate", "--sector", "vvt", "--date", "2026-12-01", "-o", tmp_path / "t.docx")
    assert result.exit_code == 0
    assert "(tafel: for the other side of the table;" in result.stdout
    assert "confidential" not in result.stderr
    result = cli("generate", "--sector", "vvt", "--date", "2026-12-01", "--audience", "intern",
                 "-o", tmp_path / "i.docx")
    assert "(intern: VERTROUWELIJK" in result.stdout
    assert "is confidential" in result.stderr


def test_the_spec_chooses_the_audience_and_the_option_wins(cli, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('[cao]\nsector = "vvt"\naudience = "intern"\ndate = 2026-12-01\n')
    assert cli("build", spec, "-o", tmp_path / "a.json").exit_code == 0
    assert json.loads((tmp_path / "a.json").read_text())["audience"] == "intern"
    assert cli("build", spec, "--audience", "tafel", "-o", tmp_path / "b.json").exit_code == 0
    assert json.loads((tmp_path / "b.json").read_text())["audience"] == "tafel"
    spec.write_text('[cao]\nsector = "vvt"\naudience = "intren"\n')
    result = cli("build", spec, "-o", tmp_path / "c.json")
    assert result.exit_code == 1 and "did you mean 'intern'" in result.stderr


# ---------------------------------------------------------------- as a person reads the PDF


def _pdf_texts(paths, tmp_path) -> dict:
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *map(str, paths)], check=True,
                   capture_output=True, timeout=900)
    texts = {}
    for path in paths:
        pdf = tmp_path / (path.stem + ".pdf")
        out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                             capture_output=True, text=True).stdout
        texts[path.stem] = out.split("\f")
    return texts


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice and poppler are installed by .ci/run")
def test_the_pdfs_read_as_their_audience(library, sectors, tmp_path):
    paths, walkaways = [], {}
    for sector in sectors:
        for audience in ("tafel", "intern"):
            data, draft = build(library, sector, "openingsbod", "nl", audience, "docx")
            path = tmp_path / f"{sector}-{audience}.docx"
            path.write_bytes(data)
            paths.append(path)
        found = needles(library, sector, "openingsbod", "nl")
        walkaways[sector] = {v for v in found[VALUE]
                             if any(format_value(s.param.type, s.positions["ondergrens"], "nl")
                                    == v for p in draft.plan.clauses for s in p.ladder.values())}
    texts = _pdf_texts(paths, tmp_path)
    for sector in sectors:
        tafel = normalise(" ".join(texts[f"{sector}-tafel"]))
        assert "openingsbod" not in tafel and "ondergrens" not in tafel, sector
        for value in walkaways[sector]:
            assert not re.search(rf"(?<![\d.,]){re.escape(value.lower())}(?!\d)", tafel), \
                (sector, value)
        pages = [p for p in texts[f"{sector}-intern"] if p.strip()]
        assert len(pages) > 3
        assert all("VERTROUWELIJK" in page for page in pages), sector
        intern = "\n".join(pages)
        # the annexes, numbered on their own
        assert re.search(r"^\s*Bijlage 1\s+Verantwoording", intern, re.MULTILINE), sector
        assert re.search(r"^\s*Bijlage 2\s+Mandaat", intern, re.MULTILINE), sector


# ---------------------------------------------------------------- a pack in the old format


def test_an_old_pack_builds_and_its_toelichting_never_reaches_the_table(cli, tmp_path):
    """A sector pack written before the split: its single [toelichting] mixes public text with
    strategy, so it counts as internal; the pack still builds, with deprecation warnings."""
    from conftest import PACKS
    secret = ("Werkgevers zullen aanvoeren", "ons antwoord", "ondergrens",
              "Employers will argue", "walk-away")
    for fmt in FORMATS:
        for language in ("nl", "en"):
            out = tmp_path / f"tafel-{language}.{fmt}"
            result = cli("--plugins-dir", PACKS, "generate", "--sector", "legacyzorg",
                         "--language", language, "--position", "openingsbod",
                         "--date", "2026-12-01", "-o", out)
            assert result.exit_code == 0, result.output
            text = normalise(" ".join(parts(out.read_bytes()).values()))
            assert not [s for s in secret if s.lower() in text], (fmt, language)
            assert "legacypack" not in text
    assert "legacy/nachtdienst.toml: [toelichting] is deprecated" in result.stderr
    assert "legacyzorg.toml: [overrides] is deprecated" in result.stderr
    # the old override still gives the value it always gave, in every position
    assert "€ 45" in (tmp_path / "tafel-nl.md").read_text()
    out = tmp_path / "intern.docx"
    assert cli("--plugins-dir", PACKS, "generate", "--sector", "legacyzorg", "--audience",
               "intern", "--date", "2026-12-01", "-o", out).exit_code == 0
    text = normalise(" ".join(parts(out.read_bytes()).values()))
    assert "werkgevers zullen aanvoeren" in text and "legacypack@1.0.0" in text


def test_an_old_packs_deprecation_findings_are_in_the_drafts_language(cli, tmp_path):
    """The intern version lists the old keys with its other findings: in Dutch for a Dutch
    draft, not in the developers' English."""
    from conftest import PACKS
    out = tmp_path / "intern.md"
    result = cli("--plugins-dir", PACKS, "generate", "--sector", "legacyzorg", "--audience",
                 "intern", "--date", "2026-12-01", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "[overrides] is verouderd" in text and "[toelichting] is verouderd" in text
    assert "is deprecated" not in text
