"""The legal-floor checks fire on a draft built to break them, each citing its law."""
import datetime as dt
import json

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


def breaking_spec(**changes):
    values = {k: dict(v) for k, v in BREAKING.items()}
    for key, value in changes.items():
        clause, param = key.split(":")
        values[clause][param] = value
    return DraftSpec(sector="vvt", date=dt.date(2026, 12, 1),
                     clauses=[ClauseChoice(id=c, values=v) for c, v in values.items()])


def test_every_check_fires_and_cites_its_law(library):
    findings = plan_draft(breaking_spec(), library).findings
    by_code = {f.code: f for f in findings}
    for code, (level, law) in EXPECTED.items():
        assert code in by_code, f"{code} did not fire"
        assert by_code[code].level == level and law in by_code[code].law, by_code[code]
    assert len({f.check for f in findings if f.level in ("error", "warning")}) >= 7


def test_values_below_the_law_are_errors_citing_it(library):
    plan = plan_draft(breaking_spec(**{"werkdruk.roosterinspraak:bekendmaking_dagen": 2,
                                       "werkdruk.verlof-opnemen:vakantie_weken": 3,
                                       "werkdruk.verlof-opnemen:vervaltermijn_maanden": 3}),
                      library)
    by_code = {f.code: f for f in plan.findings}
    assert by_code["roster-notice-minimum"].level == "error"
    assert "7:634" in by_code["vacation-below-minimum"].law
    assert "7:640a" in by_code["vacation-lapse-short"].law
    import pytest
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
