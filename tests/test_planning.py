"""Planning: value precedence and sources, requires/excludes, numbering, definitions."""
import datetime as dt

import pytest

from clausegen.errors import SpecError
from clausegen.model import ClauseChoice, DraftSpec
from clausegen.planning import plan_draft


def spec(**kwargs):
    base = dict(sector="testzorg", date=dt.date(2026, 12, 1))
    base.update(kwargs)
    return DraftSpec(**base)


def values(plan, clause_id):
    return {k: (v.value, v.source) for k, v in plan.clause(clause_id).values.items()}


def test_precedence_default_position_sector_spec(pack_library):
    # doel sets leeftijd 55 and toeslag 40; the sector overrides toeslag to 45.
    plan = plan_draft(spec(clauses=[ClauseChoice(id="zorg.nachtdienst")]), pack_library)
    assert values(plan, "zorg.nachtdienst") == {"leeftijd": (55, "position"),
                                                "toeslag": (45, "sector")}
    plan = plan_draft(spec(clauses=[ClauseChoice(id="zorg.nachtdienst",
                                                 values={"toeslag": "50"})]), pack_library)
    assert values(plan, "zorg.nachtdienst")["toeslag"] == (50, "spec")
    plan = plan_draft(spec(position="ondergrens", clauses=[ClauseChoice(id="zorg.nachtdienst")]),
                      pack_library)
    assert values(plan, "zorg.nachtdienst")["leeftijd"] == (60, "position")


def test_per_chapter_numbering_and_definitions(pack_library):
    plan = plan_draft(spec(clauses=[ClauseChoice(id="zorg.nachtdienst")]), pack_library)
    # chapter 1 algemeen (frame), chapter 2 zorg (order 40), chapter 3 slot (order 900)
    assert [t.id for t in plan.themes] == ["algemeen", "zorg", "slot"]
    assert plan.clause("zorg.nachtdienst").number == "2.1"
    assert plan.clause("algemeen.werkingssfeer").number == "1.2"   # after begripsbepalingen
    assert "nachtdienst" in [d.id for d in plan.definitions]


def test_spec_value_errors_name_the_clause(pack_library):
    with pytest.raises(SpecError, match="above the maximum 67"):
        plan_draft(spec(clauses=[ClauseChoice(id="zorg.nachtdienst", values={"leeftijd": 70})]),
                   pack_library)


def test_required_clauses_are_added_and_excluding_ones_refused(library):
    plan = plan_draft(spec(sector="vvt", clauses=[ClauseChoice(id="werkdruk.zelfroosteren")]),
                      library)
    assert plan.clause("werkdruk.roosterinspraak") is not None
    assert any(f.code == "added-required" for f in plan.findings)
    with pytest.raises(SpecError, match="exclude each other"):
        plan_draft(spec(sector="vvt", clauses=[
            ClauseChoice(id="robotisering.ontwikkelbudget"),
            ClauseChoice(id="robotisering.ontwikkelbudget-percentage")]), library)


def test_cao_longer_than_five_years_is_refused(library):
    with pytest.raises(SpecError, match="5 years"):
        plan_draft(spec(sector="vvt", start=dt.date(2027, 1, 1), end=dt.date(2033, 1, 1)),
                   library)
