"""The legal-floor checks fire on a draft built to break them, each citing its law."""
import datetime as dt
import json

import pytest

from clausegen.model import ClauseChoice, DraftSpec
from clausegen.planning import plan_draft

BREAKING = {
    "werkdruk.roosterinspraak": {"bekendmaking_dagen": 7},
    "werkdruk.verlof-opnemen": {"vakantie_weken": 4, "vervaltermijn_maanden": 6},
    "generaties.flexibiliteit": {"diensttijd_weken": 40, "aanvraagtermijn_maanden": 3},
    "robotisering.bijscholing": {"terugbetaling_verplichte_scholing": True},
    "generaties.ouderen": {"rvu_bedrag": 2900},
    "werkdruk.bedrijfsarts": {"second_opinion": False},
    "robotisering.monitoring": {"or_instemming": False},
    "robotisering.tijdig-meenemen": {"informatie_maanden": 1},
}
EXPECTED = {  # code -> (level, a fragment of the law cited)
    "roster-notice-short": ("warning", "4:2"),
    "flexible-work-stricter": ("error", "Wet flexibel werken"),
    "training-clawback": ("error", "7:611a"),
    "rvu-above-threshold": ("warning", "RVU"),
    "second-opinion": ("error", "Arbo"),
    "monitoring-consent": ("warning", "27 lid 1 sub l"),
    "technology-notice-short": ("warning", "25 lid 1 sub k"),
}


def breaking_spec(language="en", **changes):
    values = {k: dict(v) for k, v in BREAKING.items()}
    for key, value in changes.items():
        clause, param = key.split(":")
        values[clause][param] = value
    return DraftSpec(sector="vvt", date=dt.date(2026, 12, 1), language=language,
                     clauses=[ClauseChoice(id=c, values=v) for c, v in values.items()])


EXPECTED_EN = {  # the same laws, cited as an English draft cites them
    "roster-notice-short": "4:2 Working Hours Act", "flexible-work-stricter": "Flexible Working Act",
    "training-clawback": "7:611a", "rvu-above-threshold": "32ba Wage Tax Act",
    "second-opinion": "Working Conditions", "monitoring-consent": "27(1)(l)",
    "technology-notice-short": "25(1)(k)",
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_check_fires_and_cites_its_law(library, language):
    findings = plan_draft(breaking_spec(language), library).findings
    by_code = {f.code: f for f in findings}
    for code, (level, law) in EXPECTED.items():
        assert code in by_code, f"{code} did not fire"
        law = law if language == "nl" else EXPECTED_EN[code]
        assert by_code[code].level == level and law in by_code[code].law, by_code[code]
    assert len({f.check for f in findings if f.level in ("error", "warning")}) >= 7
    if language == "nl":     # a Dutch draft: Dutch money, Dutch words
        assert "€ 2.900" in by_code["rvu-above-threshold"].message
        assert "1 maand" in by_code["technology-notice-short"].message


def test_values_below_the_law_are_errors_citing_it(library):
    plan = plan_draft(breaking_spec(**{"werkdruk.roosterinspraak:bekendmaking_dagen": 2,
                                       "werkdruk.verlof-opnemen:vakantie_weken": 3,
                                       "werkdruk.verlof-opnemen:vervaltermijn_maanden": 3}),
                      library)
    by_code = {f.code: f for f in plan.findings}
    assert "7:634" in by_code["vacation-below-minimum"].law
    assert "7:640a" in by_code["vacation-lapse-short"].law
    from clausegen.errors import SpecError
    with pytest.raises(SpecError, match="below the minimum"):   # below the parameter's bound
        plan_draft(breaking_spec(**{"werkdruk.verlof-opnemen:vakantie_weken": 1}), library)


def test_a_draft_within_the_law_has_no_errors(library):
    for sector in library.sectors:
        plan = plan_draft(DraftSpec(sector=sector, date=dt.date(2026, 12, 1)), library)
        assert not [f for f in plan.findings if f.level == "error"], sector


def test_findings_go_to_stderr_the_manifest_and_strict_fails(cli, tmp_path):
    args = ["generate", "--sector", "vvt", "--clause", "robotisering.bijscholing",
            "--set", "robotisering.bijscholing.terugbetaling_verplichte_scholing=true"]
    out = tmp_path / "m.json"
    result = cli(*args, "--audience", "intern", "-o", out)
    assert result.exit_code == 0
    assert "error: robotisering.bijscholing:" in result.stderr and "7:611a" in result.stderr
    findings = json.loads(out.read_text())["findings"]
    assert any(f["code"] == "training-clawback" and "7:611a" in f["law"] for f in findings)
    result = cli(*args, "-o", tmp_path / "s.docx", "--strict",
                 "--set", "algemeen.slotbepaling.plaats=Utrecht",
                 "--set", "algemeen.slotbepaling.ondertekening=2027-01-15")
    assert result.exit_code == 1 and "check error" in result.stderr
    assert not (tmp_path / "s.docx").exists()


def test_a_short_roster_notice_is_lawful_in_a_cao_and_the_finding_says_why(library):
    """Art. 4:2 ATW lets a collective arrangement set the term; its 28 days, and 4 days for
    working times where 28 are impossible, apply only without one. So no value is an error, and
    the finding says that this cao is such an arrangement."""
    for days, code, fragment in ((2, "roster-notice-below-fallback", "4 days"),
                                 (7, "roster-notice-short", "28 days")):
        plan = plan_draft(breaking_spec(**{"werkdruk.roosterinspraak:bekendmaking_dagen": days}),
                          library)
        [finding] = [f for f in plan.findings if f.check == "roster-notice"]
        assert (finding.code, finding.level) == (code, "warning")
        assert fragment in finding.message and "collective arrangement" in finding.message
        assert "4:2 Working Hours Act" in finding.law and "lid 3" not in finding.law
    plan = plan_draft(breaking_spec(**{"werkdruk.roosterinspraak:bekendmaking_dagen": 28}), library)
    assert not [f for f in plan.findings if f.check == "roster-notice"]


def decision(library, request_months, weeks):
    spec = breaking_spec(**{"generaties.flexibiliteit:aanvraagtermijn_maanden": request_months,
                            "generaties.flexibiliteit:beslistermijn_weken": weeks})
    return [f for f in plan_draft(spec, library).findings
            if f.code == "flexible-work-decision-late"]


def test_the_decision_term_is_compared_with_the_law_s_date_not_with_four_weeks(library):
    """The clause counts weeks from the request, the law one month back from the start date.
    A request made 2 months ahead leaves 28 to 31 days; one made 3 months ahead 59 to 62."""
    assert decision(library, 2, 4) == []                       # 28 days: never late
    [late] = decision(library, 2, 5)                           # 35 days: always after the law's date
    assert late.level == "error" and "28 days to 31 days" in late.message
    assert decision(library, 3, 6) == [] and decision(library, 3, 8) == []  # a month is no 4 weeks
    assert decision(library, 1, 5) != []      # a request term below the law's: the law's 2 months
    from plugins.wettelijk import _decision_window
    assert _decision_window(2, 1) == (28, 31) and _decision_window(3, 1) == (59, 62)
