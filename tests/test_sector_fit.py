"""Each sector profile fits its sector: the word its own cao uses for the worker, with the source
recorded; a reason beside every recommended clause; roster clauses only where work runs on
rosters; public-sector frame articles for a public employer."""
import re
from pathlib import Path

import pytest

from clausegen.coverage import sector_notes

# Where the roster clauses fit. werkdruk.zelfroosteren and werkdruk.roosterinspraak are written
# around evening, night, weekend and holiday shifts under a staffing norm (bezettingsnorm).
# Self-rostering needs teams that cover round-the-clock shifts: care.
SELF_ROSTERING = {"ziekenhuizen", "vvt", "gehandicaptenzorg"}
# Roster notice and late changes also matter where shifts are fixed by others: shift work in
# industry, shop rosters with evening and weekend hours, cleaning at the client's hours.
ROSTERS = SELF_ROSTERING | {"metalektro", "retail-non-food", "schoonmaak"}
# Employers under public law, with a public-sector form of the frame articles.
PUBLIC = {"gemeenten"}


def profile(library, sector_id) -> str:
    return Path(library.sectors[sector_id].provenance.file).read_text(encoding="utf-8")


def test_every_recommended_clause_has_its_reason(library):
    for sector in library.sectors.values():
        word, source, reasons = sector_notes(sector)
        missing = [c for c in sector.recommended if not reasons.get(c)]
        assert not missing, f"{sector.id}: no reason beside {missing}"


def test_every_sector_records_the_source_of_its_word_for_the_worker(library):
    for sector in library.sectors.values():
        text = profile(library, sector.id)
        said = re.search(r'^# The word for the worker: "(\w+)"', text, re.M)
        assert said, f"{sector.id}: the profile does not say which word its cao uses"
        word, source, _ = sector_notes(sector)
        assert source, f"{sector.id}: no '# Source:' for the word for the worker"
        # the profile does what it says: "medewerker" through terminology, else the library's
        assert word == said.group(1), f"{sector.id}: says {said.group(1)!r}, uses {word!r}"
        assert sector.terminology.get("en", {}).get("employee", "employee") == \
            ("staff member" if word == "medewerker" else "employee"), sector.id


# The words found in the sectors' own cao texts (see the Source line in each profile).
WORKER_WORD = {"ziekenhuizen": "werknemer", "gemeenten": "werknemer", "vvt": "medewerker",
               "gehandicaptenzorg": "werknemer", "sociaal-werk": "werknemer",
               "banken": "medewerker", "retail-non-food": "medewerker"}


@pytest.mark.parametrize("sector, word", sorted(WORKER_WORD.items()))
def test_the_word_is_the_one_the_sectors_cao_uses(library, sector, word):
    assert sector_notes(library.sectors[sector])[0] == word


def test_roster_clauses_only_where_work_runs_on_rosters(library):
    for sector in library.sectors.values():
        if "werkdruk.zelfroosteren" in sector.recommended:
            assert sector.id in SELF_ROSTERING, f"{sector.id} recommends self-rostering"
        if "werkdruk.roosterinspraak" in sector.recommended:
            assert sector.id in ROSTERS, f"{sector.id} recommends the roster clause"


def test_coverage_page_lists_every_sector_with_word_and_reasons(library):
    from clausegen.coverage import coverage_markdown
    page = coverage_markdown(library)
    for sector in library.sectors.values():
        assert f"(`{sector.id}`)" in page
    assert "(no reason recorded)" not in page and "(not recorded)" not in page


FRAME = ("algemeen.werkingssfeer", "algemeen.karakter", "algemeen.naleving-geschillen",
         "algemeen.dispensatie", "algemeen.slotbepaling", "begripsbepalingen")
PRIVATE_WORDS = {"nl": re.compile(r"statutair bestuurder|\bondernemingen\b|\bonderneming\b|"
                                  r"\binstellingen\b|eigen cao", re.I),
                 "en": re.compile(r"statutory director|\benterprises?\b|\binstitutions?\b|"
                                  r"own collective agreement", re.I)}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_public_employer_gets_the_public_sector_frame(library, language):
    from rendered import texts
    for sector in PUBLIC:
        found = [(where, m.group(0)) for where, text in
                 texts(library, sector, language, positions=POSITIONS_ALL)
                 if where.split()[3] in FRAME and "explanation" not in where
                 and "arguments" not in where
                 for m in PRIVATE_WORDS[language].finditer(text)]
        assert not found, found[:5]
    private = " ".join(text for where, text in texts(library, "ziekenhuizen", language,
                                                     positions=("doel",))
                       if where.split()[3] == "algemeen.werkingssfeer")
    assert PRIVATE_WORDS[language].search(private)   # a private employer keeps its form


POSITIONS_ALL = ("openingsbod", "doel", "ondergrens")

# Phrases that point at a chapter or annex a draft does not contain. A reference to the sector's
# existing cao is a parameter named vindplaats_* (a placeholder until filled in, and reported by
# the open-references check), or a sentence that needs no reference.
OPEN_REFERENCE = {
    "nl": re.compile(r"bijlage bij deze cao|in een bijlage|functie-indeling\w* van deze cao|"
                     r"loonsverhoging\w* uit deze cao|op grond van deze cao recht heeft|"
                     r"hoofdstuk \d+ van deze cao", re.I),
    "en": re.compile(r"\ban annex\b|annex to this|classification system of this|"
                     r"increases under this|entitled under this collective|chapter \d+ of this",
                     re.I)}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_text_points_at_an_annex_or_chapter_the_draft_lacks(library_texts, language):
    found = [(where, m.group(0)) for where, text in library_texts(language)
             if " arguments" not in where
             for m in OPEN_REFERENCE[language].finditer(text)]
    assert not found, found[:10]


def test_references_to_the_sector_s_cao_are_placeholders_until_filled(library):
    refs = {f"{c.id}.{name}" for c in library.clauses.values()
            for name, p in c.parameters.items() if name.startswith("vindplaats_")}
    assert refs >= {"algemeen.werkingssfeer.vindplaats_afbakening",
                    "generaties.ouderen.vindplaats_zware_functies"}
    for key in refs:
        clause, name = key.rsplit(".", 1)
        param = library.clauses[clause].parameters[name]
        assert param.type == "text" and param.default is None, key
