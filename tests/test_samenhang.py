"""The consistency checks fire on a draft whose values contradict each other, stay silent when the
same draft has consistent values, and find nothing wrong in the library's own sectors."""
import datetime as dt

import pytest

from clausegen.model import POSITIONS, ClauseChoice, DraftSpec
from clausegen.planning import plan_draft

DATE = dt.date(2026, 12, 1)
ONE_YEAR = {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 12, 31)}
HALF_YEAR = {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 6, 30)}


def make_plan(library, values, language="en", **spec):
    """A vvt draft with exactly these clauses (plus the frame articles) and values; in English
    unless said otherwise, so that the messages below can be read in one language."""
    choices = [ClauseChoice(id=clause, values=dict(v)) for clause, v in values.items()]
    return plan_draft(DraftSpec(sector="vvt", date=DATE, clauses=choices, language=language,
                                **spec), library)


def with_code(plan, code):
    return [f for f in plan.findings if f.code == code]


def own_checks(library):
    return {c.name for c in library.checks if c.provenance.plugin == "samenhang"}


# check, code, level, clause, breaking values, consistent values, spec options,
# what the message must name (both values that clash)
CASES = [
    ("roster-rounds", "roster-before-rounds", "error", "werkdruk.zelfroosteren",
     {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 70},
      "werkdruk.zelfroosteren": {"startronde_weken": 8}},
     {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 35},
      "werkdruk.zelfroosteren": {"startronde_weken": 8}},
     {}, ["70 days", "8 weeks (56 days)", "werkdruk.roosterinspraak.bekendmaking_dagen",
          "werkdruk.zelfroosteren.startronde_weken"]),
    ("roster-rounds", "roster-rounds-short", "warning", "werkdruk.zelfroosteren",
     {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 49},
      "werkdruk.zelfroosteren": {"startronde_weken": 8}},
     {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 42},   # 14 days: the walk-away gap
      "werkdruk.zelfroosteren": {"startronde_weken": 8}},
     {}, ["49 days", "8 weeks", "7 days"]),
    ("roster-consent-window", "consent-window-before-publication", "warning",
     "werkdruk.roosterinspraak",
     {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 7, "wijziging_uren": 168}},
     {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 7, "wijziging_uren": 120}},
     {}, ["168 hours", "7 days", "wijziging_uren", "bekendmaking_dagen"]),
    ("generation-pact", "pact-pay-below-hours", "error", "generaties.ouderen",
     {"generaties.ouderen": {"werktijd_pct": 90, "loon_pct": 85}},
     {"generaties.ouderen": {"werktijd_pct": 80, "loon_pct": 85}},
     {}, ["90% of the hours", "85% of the salary", "werktijd_pct", "loon_pct"]),
    ("generation-pact", "pact-pension-below-pay", "error", "generaties.ouderen",
     {"generaties.ouderen": {"werktijd_pct": 80, "loon_pct": 90, "pensioen_pct": 85}},
     {"generaties.ouderen": {"werktijd_pct": 80, "loon_pct": 90, "pensioen_pct": 90}},
     {}, ["85%", "90%", "pensioen_pct", "loon_pct"]),
    ("generation-pact", "early-retirement-before-pact", "warning", "generaties.ouderen",
     {"generaties.ouderen": {"vanaf_jaren_voor_aow": 2, "rvu_maanden": 36}},
     {"generaties.ouderen": {"vanaf_jaren_voor_aow": 3, "rvu_maanden": 36}},
     {}, ["36 months", "2 years (24 months)", "rvu_maanden", "vanaf_jaren_voor_aow"]),
    ("vacation-reminder", "vacation-reminder-early", "warning", "werkdruk.verlof-opnemen",
     {"werkdruk.verlof-opnemen": {"vervaltermijn_maanden": 6, "herinnering_maanden": 9}},
     {"werkdruk.verlof-opnemen": {"vervaltermijn_maanden": 6, "herinnering_maanden": 6}},
     {}, ["9 months", "6 months", "herinnering_maanden", "vervaltermijn_maanden"]),
    ("retraining-horizon", "retraining-horizon-short", "warning", "robotisering.omscholing",
     {"robotisering.omscholing": {"signaleringstermijn": 12},
      "robotisering.transitie": {"aankondiging_maanden": 18}},
     {"robotisering.omscholing": {"signaleringstermijn": 24},
      "robotisering.transitie": {"aankondiging_maanden": 18}},
     {}, ["12 months", "18 months", "robotisering.omscholing.signaleringstermijn",
          "robotisering.transitie.aankondiging_maanden"]),
    ("work-to-work-plan", "work-to-work-plan-late", "error", "robotisering.werk-naar-werk",
     {"robotisering.werk-naar-werk": {"termijn_maanden": 6, "plan_maanden": 6}},
     {"robotisering.werk-naar-werk": {"termijn_maanden": 12, "plan_maanden": 6}},
     {}, ["due 6 months", "lasts 6 months", "plan_maanden", "termijn_maanden"]),
    ("knowledge-transfer", "successor-before-transfer-plan", "warning",
     "generaties.kennisoverdracht",
     {"generaties.kennisoverdracht": {"aanvang_maanden": 3, "overlap_weken": 16}},
     {"generaties.kennisoverdracht": {"aanvang_maanden": 3, "overlap_weken": 13}},  # a quarter
     {}, ["16 weeks", "3 months", "overlap_weken", "aanvang_maanden"]),
    ("work-pressure-analysis", "analysis-before-action-plan", "warning",
     "werkdruk.organisatiefactoren",
     {"werkdruk.organisatiefactoren": {"herhaling_maanden": 6, "plan_maanden": 9}},
     {"werkdruk.organisatiefactoren": {"herhaling_maanden": 12, "plan_maanden": 9}},
     {}, ["6 months", "9 months", "herhaling_maanden", "plan_maanden"]),
    ("registration-baseline", "registration-baseline-after-term", "error",
     "werkdruk.registratiedruk",
     {"werkdruk.registratiedruk": {"meting_maanden": 12, "reductie_pct": 20}},
     {"werkdruk.registratiedruk": {"meting_maanden": 6, "reductie_pct": 20}},
     ONE_YEAR, ["12 months", "31 December 2027", "20%", "meting_maanden", "reductie_pct"]),
    ("renewal-notice", "renewal-shorter-than-notice", "warning", "algemeen.looptijd",
     {"algemeen.looptijd": {"opzegtermijn_maanden": 3, "verlenging_maanden": 2}},
     {"algemeen.looptijd": {"opzegtermijn_maanden": 3, "verlenging_maanden": 3}},
     {}, ["3 months", "2 months", "opzegtermijn_maanden", "verlenging_maanden"]),
]
# Every obligation counted from the start date, in a cao of six months: clause, parameter.
TERM_CASES = [
    ("generaties.agenderen", "vaststelling_termijn"),
    ("generaties.diversiteit", "plan_termijn"),
    ("generaties.vakopleiding", "instelling_termijn"),
    ("robotisering.job-carving", "plan_maanden"),
    ("robotisering.eerlijke-prijzen", "evaluatie_maanden"),
    ("werkdruk.cursus-werkgevers", "start_maanden"),
]


@pytest.mark.parametrize("check,code,level,clause,breaking,consistent,spec,named", CASES,
                         ids=[case[1] for case in CASES])
def test_a_contradiction_is_found_and_the_consistent_draft_is_clean(
        library, check, code, level, clause, breaking, consistent, spec, named):
    found = with_code(make_plan(library, breaking, **spec), code)
    assert len(found) == 1, f"{code} did not fire exactly once: {found}"
    finding = found[0]
    assert (finding.level, finding.clause, finding.check) == (level, clause, check)
    for fragment in named:
        assert fragment in finding.message, (fragment, finding.message)
    assert finding.law, finding
    assert with_code(make_plan(library, consistent, **spec), code) == []


@pytest.mark.parametrize("clause,param", TERM_CASES, ids=[c for c, _ in TERM_CASES])
def test_a_deadline_after_the_end_of_the_agreement_is_a_warning(library, clause, param):
    found = with_code(make_plan(library, {clause: {param: 9}}, **HALF_YEAR), "deadline-after-term")
    assert [(f.level, f.clause, f.check) for f in found] == [("warning", clause,
                                                             "term-deadlines")]
    assert "9 months" in found[0].message and "30 September 2027" in found[0].message
    assert "30 June 2027" in found[0].message and param in found[0].message
    assert with_code(make_plan(library, {clause: {param: 6}}, **HALF_YEAR),
                     "deadline-after-term") == []


def test_within_n_months_ends_the_day_before_the_same_date_n_months_on(library):
    """Twelve months from 1 January runs to 31 December: a one-year cao is long enough."""
    plan = make_plan(library, {"generaties.agenderen": {"vaststelling_termijn": 12}}, **ONE_YEAR)
    assert with_code(plan, "deadline-after-term") == []
    plan = make_plan(library, {"werkdruk.registratiedruk": {"meting_maanden": 11}}, **ONE_YEAR)
    assert with_code(plan, "registration-baseline-after-term") == []
    plan = make_plan(library, {"werkdruk.registratiedruk": {"meting_maanden": 12}})  # two years
    assert with_code(plan, "registration-baseline-after-term") == []


def test_a_roster_published_the_day_the_first_round_starts_is_still_an_error(library):
    plan = make_plan(library, {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 56},
                               "werkdruk.zelfroosteren": {"startronde_weken": 8}})
    [finding] = with_code(plan, "roster-before-rounds")
    assert finding.level == "error" and "on the day the round starts" in finding.message
    assert with_code(plan, "roster-rounds-short") == []


def test_self_rostering_brings_in_the_roster_notice_and_its_sector_value(library):
    """werkdruk.zelfroosteren requires werkdruk.roosterinspraak, so a draft that only asks for
    self-rostering is still checked against the notice the plan gives it."""
    plan = make_plan(library, {"werkdruk.zelfroosteren": {"startronde_weken": 5}})
    notice = plan.value("werkdruk.roosterinspraak", "bekendmaking_dagen")
    assert notice is not None
    found = with_code(plan, "roster-before-rounds")
    assert bool(found) == (notice >= 35), (notice, found)


def test_a_draft_without_the_clauses_is_not_checked(library):
    plan = make_plan(library, {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 90}},
                     )
    assert not [f for f in plan.findings if f.check in own_checks(library) - {"open-references"}]


def test_every_open_reference_is_reported_until_it_is_filled_in(library):
    """The scope and the list of arduous positions point at the sector's existing cao: until
    the article is filled in, the draft points at nothing, and the check names each one."""
    plan = make_plan(library, {"generaties.ouderen": {}})
    found = {f.clause: f for f in with_code(plan, "open-reference")}
    assert set(found) == {"algemeen.werkingssfeer", "generaties.ouderen"}
    assert all(f.level == "warning" for f in found.values())
    assert "algemeen.werkingssfeer.vindplaats_afbakening" in found["algemeen.werkingssfeer"].message
    assert "vindplaats_zware_functies" in found["generaties.ouderen"].message
    filled = make_plan(library, {
        "generaties.ouderen": {"vindplaats_zware_functies": "bijlage 7 van de Cao X"},
        "algemeen.werkingssfeer": {"vindplaats_afbakening": "artikel 1.2 van de Cao X"}})
    assert with_code(filled, "open-reference") == []
    dutch = make_plan(library, {"generaties.ouderen": {}}, language="nl")
    assert all("het concept verwijst naar" in f.message for f in with_code(dutch, "open-reference"))


def test_every_check_is_registered_by_samenhang_and_tested(library):
    registered = own_checks(library)
    assert registered == {case[0] for case in CASES} | {"term-deadlines", "open-references"}
    assert all(c.description for c in library.checks if c.name in registered)


def _one_of_each_excluding_pair(library):
    chosen = []
    for cid in sorted(library.clauses):
        clause = library.clauses[cid]
        if clause.overrides or set(clause.excludes) & set(chosen) or any(
                cid in library.clauses[other].excludes for other in chosen):
            continue
        chosen.append(cid)
    return chosen


def _errors(plan, checks):
    return [f"{f.code} ({f.clause}): {f.message}" for f in plan.findings
            if f.check in checks and f.level == "error"]


def test_the_library_s_own_sectors_do_not_contradict_themselves(library):
    checks = own_checks(library)
    problems = []
    for sector in sorted(library.sectors):
        for position in POSITIONS:
            plan = plan_draft(DraftSpec(sector=sector, position=position, date=DATE), library)
            problems += [f"{sector} / {position}: {e}" for e in _errors(plan, checks)]
    assert not problems, "\n".join(problems)


def test_every_clause_with_each_sector_s_values_is_consistent(library):
    """Not only the recommended clauses: all of them, with each sector's values per position."""
    checks = own_checks(library)
    clauses = _one_of_each_excluding_pair(library)
    problems = []
    for sector in sorted(library.sectors):
        for position in POSITIONS:
            spec = DraftSpec(sector=sector, position=position, date=DATE,
                             clauses=[ClauseChoice(id=c) for c in clauses])
            problems += [f"{sector} / {position}: {e}"
                         for e in _errors(plan_draft(spec, library), checks)]
    assert not problems, "\n".join(problems)
