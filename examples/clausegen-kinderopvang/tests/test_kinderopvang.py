"""Tests of the childcare plugin, with the pytest fixtures clausegen provides.

clausegen_library builds the built-in library plus the plugins named (nothing else installed),
clausegen_render renders one clause as text, clausegen_draft builds a Word draft and returns
(path, python-docx Document, Plan). Run: python -m pytest
"""
from pathlib import Path

import pytest

import clausegen_kinderopvang

PLUGIN = "kinderopvang"
SECTOR = "kinderopvang"
OWN = ("kinderopvang.groepsvrije-tijd", "kinderopvang.coaching")
POSITIONS = ("openingsbod", "doel", "ondergrens")
LANGUAGES = ("nl", "en")
NUMERIC = {"integer", "decimal", "money", "percentage", "hours", "days", "weeks", "months",
           "years", "date"}
# Words that give a position away: never in the public explanation, which the employers read.
POSITION_WORDS = ("openingsbod", "ondergrens", "opening bid", "walk-away")


@pytest.fixture
def library(clausegen_library):
    return clausegen_library((PLUGIN, clausegen_kinderopvang))


def own_clauses(library):
    """The plugin's clauses as its sector's drafts see them (its override in force there)."""
    return [c for c in library.for_sector(SECTOR).sorted_clauses()
            if c.provenance.plugin == PLUGIN]


def test_the_plugin_adds_two_clauses_and_replaces_the_roster_clause(library):
    assert {c.id for c in own_clauses(library)} == {*OWN, "werkdruk.roosterinspraak"}
    roster = library.for_sector(SECTOR).clause("werkdruk.roosterinspraak")
    assert roster.provenance.plugin == PLUGIN
    # other sectors keep the built-in clause: the override is scoped to this plugin's sector
    assert library.for_sector("vvt").clause("werkdruk.roosterinspraak").provenance.plugin \
        != PLUGIN
    assert roster.overrides == "werkdruk.roosterinspraak"
    assert roster.theme == "werkdruk"
    assert {"pedagogisch-professional", "groep", "pedagogisch-coach",
            "beroepskracht-kindratio"} <= set(library.definitions)
    assert SECTOR in library.sectors


def test_every_clause_is_complete(library):
    for clause in own_clauses(library):
        for field in ("title", "summary", "text", "explanation", "arguments"):
            assert set(getattr(clause, field)) == set(LANGUAGES), f"{clause.id}: {field}"
        assert set(clause.positions) == set(POSITIONS), clause.id
        for name, param in clause.parameters.items():
            assert set(param.label) == set(param.help) == set(LANGUAGES), f"{clause.id}.{name}"
            if param.type in NUMERIC:
                assert param.min is not None and param.max is not None, f"{clause.id}.{name}"
            if param.type in NUMERIC - {"date"}:
                assert param.better in ("higher", "lower"), f"{clause.id}.{name}: better"
            assert all(name in clause.positions[p] for p in POSITIONS), f"{clause.id}.{name}"
        missing = set(clause.definitions) - set(library.definitions)
        assert not missing, f"{clause.id}: unknown definitions {missing}"


def test_the_public_explanation_gives_no_position_away(library):
    for clause in own_clauses(library):
        for language, text in clause.explanation.items():
            for word in POSITION_WORDS:
                assert word not in text.lower(), f"{clause.id}: explanation.{language}: {word}"


def test_the_content_passes_clausegen_check(clausegen_library):
    """A typed number that is a position's value, positions in the wrong order, a parameter
    without `better`, a template that fails in some position: what `clausegen check` reports."""
    from clausegen.lint import lint_paths
    content = Path(clausegen_kinderopvang.__file__).parent / "content"
    findings = lint_paths([content], clausegen_library())
    assert findings == [], "\n".join(map(str, findings))


def test_the_draft_for_the_table_has_the_explanation_and_never_the_arguments(
        library, clausegen_render):
    for position in POSITIONS:
        text = clausegen_render(library, "kinderopvang.groepsvrije-tijd", sector=SECTOR,
                                position=position)
        assert "Het werk van een pedagogisch professional is meer dan" in text
        assert "Werkgevers zullen" not in text and "openingsbod" not in text


def test_the_replacement_keeps_the_parameters_of_the_built_in_clause(clausegen_library):
    builtin = clausegen_library().clause("werkdruk.roosterinspraak")
    ours = clausegen_library((PLUGIN, clausegen_kinderopvang)).clause("werkdruk.roosterinspraak")
    assert builtin.provenance.plugin == "werkdruk"
    assert set(ours.parameters) == set(builtin.parameters)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("position", POSITIONS)
def test_every_clause_renders_in_every_position(library, clausegen_render, position, language):
    for clause in own_clauses(library):
        text = clausegen_render(library, clause.id, sector=SECTOR, position=position,
                                language=language)
        assert "[...]" not in text, f"{clause.id} at {position}"


def test_the_clauses_speak_the_sectors_words(library, clausegen_render):
    roster = clausegen_render(library, "werkdruk.roosterinspraak", sector=SECTOR)
    assert "vaste gezichten die de kinderen op hun groep nodig hebben" in roster
    assert "Een dienst op een andere groep of locatie" in roster
    time = clausegen_render(library, "kinderopvang.groepsvrije-tijd", sector=SECTOR,
                            position="openingsbod")
    assert "ten minste 10% van zijn arbeidsduur aan taken buiten de groep" in time
    assert "binnen 2 weken opnieuw in" in time
    coaching = clausegen_render(library, "kinderopvang.coaching", sector=SECTOR,
                                values={"coaching_uren": 18, "intervisie": 5})
    assert "ten minste 18 uur coaching" in coaching and "ten minste 5 keer" in coaching


def test_the_sector_draft_has_every_recommended_clause_and_no_errors(library, clausegen_draft):
    path, document, plan = clausegen_draft(library, sector=SECTOR)
    planned = {p.clause.id for p in plan.clauses}
    assert set(library.sectors[SECTOR].recommended) <= planned
    text = "\n".join(p.text for p in document.paragraphs).lower()
    for title in ("Tijd voor taken buiten de groep", "Coaching en intervisie",
                  "Inspraak in en bekendmaking van het rooster"):
        assert title.lower() in text
    assert plan.clause("werkdruk.roosterinspraak").clause.provenance.plugin == PLUGIN
    assert plan.value("generaties.bbl-stage", "plaatsen_per_100") == 4   # the sector's doel
    assert [f for f in plan.findings if f.level == "error"] == []
    assert not [f for f in plan.findings if f.code in ("deprecated-key", "below-current-cao")]


@pytest.mark.parametrize("position,places,source", [("openingsbod", 6, "sector"),
                                                    ("doel", 4, "sector"),
                                                    ("ondergrens", 2, "position")])
def test_the_sectors_own_values_per_position(library, clausegen_draft, clausegen_render,
                                             position, places, source):
    _, _, plan = clausegen_draft(library, sector=SECTOR, position=position)
    planned = plan.clause("generaties.bbl-stage")
    assert (planned.values["plaatsen_per_100"].value,
            planned.values["plaatsen_per_100"].source) == (places, source)

    # the current cao is a fact the explanation states, never the value of the draft
    roster = clausegen_render(library, "werkdruk.roosterinspraak", sector=SECTOR,
                              position=position)
    assert "De huidige cao kent een termijn van 28 dagen" in roster


def test_the_check_flags_coaching_below_the_legal_minimum(library, clausegen_draft):
    _, _, plan = clausegen_draft(library, sector=SECTOR,
                                 values={"kinderopvang.coaching": {"coaching_uren": 8}})
    findings = [f for f in plan.findings if f.code == "coaching-below-minimum"]
    assert len(findings) == 1
    assert findings[0].level == "error" and findings[0].clause == "kinderopvang.coaching"
    assert "Besluit kwaliteit kinderopvang" in findings[0].law
    _, _, plan = clausegen_draft(library, sector=SECTOR, position="ondergrens")
    assert not [f for f in plan.findings if f.code == "coaching-below-minimum"]


def test_the_built_in_legal_check_still_reads_the_replaced_clause(library, clausegen_draft):
    _, _, plan = clausegen_draft(library, sector=SECTOR,
                                 values={"werkdruk.roosterinspraak": {"bekendmaking_dagen": 21}})
    assert "roster-notice-short" in {f.code for f in plan.findings}
