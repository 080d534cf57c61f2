"""The built-in library as a negotiator gets it: coverage of the seed, complete clauses,
13 sectors, every clause rendering in every language, position and sector."""
import itertools
import re

import pytest

from clausegen.coverage import anchors, coverage, coverage_markdown
from clausegen.draft import build_draft
from clausegen.model import POSITIONS, ClauseChoice, DraftSpec, Placeholder
from clausegen.params import NUMERIC
from clausegen.planning import plan_draft
from clausegen.writers.markdown import write_markdown
from conftest import ROOT
from rendered import clause_sets
import datetime as dt

THEMES = ("robotisering", "generaties", "werkdruk")


def test_at_least_12_complete_clauses_per_theme(library):
    for theme in THEMES:
        assert len(library.sorted_clauses(theme)) >= 12, theme
    assert sum(len(library.sorted_clauses(t)) for t in THEMES) >= 36


@pytest.mark.parametrize("theme", THEMES + ("algemeen",))
def test_every_clause_is_complete(library, theme):
    known = anchors()
    for clause in library.sorted_clauses(theme):
        where = clause.provenance.file
        assert set(clause.text) == {"nl", "en"}, where
        assert set(clause.title) == {"nl", "en"}, where
        assert set(clause.positions) == set(POSITIONS), where
        # the public explanation and the internal arguments, apart, in both languages
        assert set(clause.explanation) == {"nl", "en"}, where
        assert set(clause.arguments) == {"nl", "en"}, where
        assert not clause.deprecated, where
        if theme != "algemeen":
            assert clause.legal_basis and clause.addresses and clause.parameters, where
            assert clause.positions["openingsbod"] != clause.positions["ondergrens"], \
                f"{where}: positions do not differ"
        for anchor in clause.addresses:
            assert anchor in known, f"{where}: unknown anchor {anchor}"
        for other in clause.requires + clause.excludes:
            assert other in library.clauses, f"{where}: unknown clause {other}"
        for definition in clause.definitions:
            assert definition in library.definitions, f"{where}: unknown definition {definition}"
        for param in clause.parameters.values():
            assert param.label.keys() >= {"nl", "en"} and param.help.keys() >= {"nl", "en"}, \
                f"{where}: {param.name} lacks label or help"
            assert param.better or param.type not in NUMERIC, \
                f"{where}: {param.name} does not say which way is better for workers"


def test_every_anchor_is_covered(library):
    missing = [a for a, clauses in coverage(library).items() if not clauses]
    assert not missing


def test_coverage_page_is_in_sync_with_the_clause_files(library):
    page = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert page == coverage_markdown(library), \
        "docs/coverage.md is out of date: python -m clausegen.coverage > docs/coverage.md"


def test_thirteen_sectors_with_real_parties(library):
    assert len(library.sectors) >= 13
    for sector in library.sectors.values():
        assert sector.cao["nl"].startswith("Cao") and sector.employers and sector.unions
        for clause_id in sector.recommended:
            assert library.clause(clause_id)


def placeholders(draft):
    for chapter in draft.chapters:
        for article in chapter.articles:
            for lid in article.leden:
                for inline in lid.inlines + [i for s in lid.subs for i in s.inlines]:
                    if isinstance(inline, Placeholder):
                        yield inline.name


@pytest.mark.parametrize("language, position", list(itertools.product(("nl", "en"), POSITIONS)))
def test_every_clause_renders_in_every_sector(library, language, position):
    no_default = {f"{c.id}.{p.name}" for c in library.clauses.values()
                  for p in c.parameters.values() if p.default is None}
    for sector in sorted(library.sectors):
        for ids in clause_sets(library):
            spec = DraftSpec(sector=sector, language=language, position=position,
                             date=dt.date(2026, 12, 1), clauses=[ClauseChoice(id=i) for i in ids])
            draft = build_draft(plan_draft(spec, library), library)
            left = set(placeholders(draft)) - no_default
            assert not left, f"{sector} {language} {position}: placeholders {left}"
            text = write_markdown(draft)
            assert "{{" not in text and "{%" not in text and "}}" not in text


def render_nl(library, clause_id, position):
    spec = DraftSpec(sector="bouw-infra", position=position, date=dt.date(2026, 12, 1),
                     clauses=[ClauseChoice(id=clause_id)])
    draft = build_draft(plan_draft(spec, library), library)
    return [a.leden for c in draft.chapters for a in c.articles if a.key == clause_id]


def test_where_positions_differ_the_texts_differ(library):
    for clause in library.sorted_clauses():
        for a, b in itertools.combinations(POSITIONS, 2):
            values_a = {**{n: p.default for n, p in clause.parameters.items()},
                        **clause.positions.get(a, {})}
            values_b = {**{n: p.default for n, p in clause.parameters.items()},
                        **clause.positions.get(b, {})}
            if values_a != values_b:
                assert render_nl(library, clause.id, a) != render_nl(library, clause.id, b), \
                    f"{clause.id}: {a} and {b} differ in values but not in text"


def test_no_negotiable_number_is_typed_into_a_clause_text(library):
    """Numbers in a clause text come from parameters, except legal citations and fixed facts."""
    for clause in library.sorted_clauses():
        for language, text in clause.text.items():
            plain = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.S)
            plain = re.sub(r"(artikel|article|art\.|lid|paragraph|section|sub)\s+[\d:.a-z]+",
                           "", plain, flags=re.I)
            plain = re.sub(r"\b\d+:\d+[a-z]?\b|\b(19|20)\d\d\b", "", plain)
            amounts = re.findall(r"(€\s?\d|\d+\s?%|\d+\s+(dagen|weken|uur|maanden|jaar|days|"
                                 r"weeks|hours|months|years)\b)", plain)
            assert not amounts, f"{clause.id} ({language}) types {amounts[0][0]!r}"


def test_a_sector_uses_its_own_word_for_the_worker(library):
    sector = next(s for s in library.sectors.values()
                  if s.terminology.get("nl", {}).get("werknemer") == "medewerker")
    spec = DraftSpec(sector=sector.id, date=dt.date(2026, 12, 1))
    text = write_markdown(build_draft(plan_draft(spec, library), library))
    assert "medewerker" in text
    assert not re.search(r"\bwerknemers?\b", text)


def test_parties_and_looptijd_come_from_the_spec(library):
    spec = DraftSpec(sector="vvt", date=dt.date(2026, 12, 1), start=dt.date(2027, 4, 1),
                     end=dt.date(2029, 3, 31), unions=("CNV Zorg & Welzijn",))
    plan = plan_draft(spec, library)
    assert plan.unions == ("CNV Zorg & Welzijn",) and plan.employers == library.sectors["vvt"].employers
    text = write_markdown(build_draft(plan, library))
    assert "1 april 2027" in text and "31 maart 2029" in text
