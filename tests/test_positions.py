"""Positions that mean what they say: every sector's three positions ordered for workers in the
values a draft uses, a sector's current cao as a fact (never a value), its own values per
position, a spec from init that follows its position, and old profiles that still work."""
import datetime as dt
import itertools

import pytest

from clausegen.model import POSITIONS, DraftSpec
from clausegen.planning import plan_draft, worse
from clausegen.spec import parse_spec
from conftest import ROOT

DATE = dt.date(2026, 12, 1)


def plans_per_position(library, sector):
    return {p: plan_draft(DraftSpec(sector=sector, position=p, date=DATE), library)
            for p in POSITIONS}


@pytest.mark.parametrize("sector", ["banken", "beroepsgoederenvervoer", "bouw-infra",
                                    "gehandicaptenzorg", "gemeenten", "metaal-techniek",
                                    "metalektro", "retail-non-food", "schoonmaak",
                                    "sociaal-werk", "verzekeringen", "vvt", "ziekenhuizen"])
def test_positions_keep_their_order_in_the_values_a_draft_uses(library, sector):
    assert sector in library.sectors
    plans = plans_per_position(library, sector)
    checked = 0
    for planned in plans["doel"].clauses:
        for name, param in planned.clause.parameters.items():
            if not param.better:
                continue
            used = {p: plans[p].value(planned.clause.id, name) for p in POSITIONS}
            for stronger, weaker in itertools.pairwise(POSITIONS):
                assert not worse(param, used[stronger], used[weaker]), \
                    f"{sector} {planned.clause.id}.{name}: {used}"
            checked += 1
            # a union never opens below what the sector already has
            current = planned.ladder[name].current
            assert not worse(param, used["openingsbod"], current), \
                f"{sector} {planned.clause.id}.{name}: openingsbod {used} below current {current}"
    assert checked >= 10


def test_ziekenhuizen_gets_three_roster_notices_and_the_text_names_them(library):
    plans = plans_per_position(library, "ziekenhuizen")
    notices = {p: plans[p].value("werkdruk.roosterinspraak", "bekendmaking_dagen")
               for p in POSITIONS}
    assert len(set(notices.values())) == 3, notices
    # the current cao is a fact beside the positions, not a value
    planned = plans["doel"].clause("werkdruk.roosterinspraak")
    assert planned.ladder["bekendmaking_dagen"].current == 28
    assert planned.values["bekendmaking_dagen"].source in ("position", "sector")
    from clausegen.draft import build_draft
    for position, plan in plans.items():
        plan.spec.audience = "intern"
        draft = build_draft(plan, library)
        article = next(a for c in draft.chapters for a in c.articles
                       if a.key == "werkdruk.roosterinspraak")
        body = " ".join(s.text for lid in article.leden for s in lid.inlines
                        if hasattr(s, "text"))
        assert f"{notices[position]} dagen" in body
        # the public explanation speaks of the number this draft uses, and no other position's
        assert f"{notices[position]} dagen" in article.explanation
        others = {f"{n} dagen" for p, n in notices.items() if n != notices[position]}
        assert not [o for o in others if o in article.explanation.replace("28 dagen", "")
                    or (o != "28 dagen" and o in article.explanation)]


def test_a_spec_from_init_follows_its_position(cli, tmp_path):
    spec = tmp_path / "spec.toml"
    assert cli("init", "--sector", "vvt", "--position", "openingsbod", "--date", "2026-12-01",
               "-o", spec).exit_code == 0
    text = spec.read_text()
    assert "\nbekendmaking_dagen =" not in text and "# bekendmaking_dagen = 42" in text
    assert "openingsbod 42, doel 35, ondergrens 28" in text
    spec.write_text(text.replace('position = "openingsbod"', 'position = "ondergrens"'))
    out = tmp_path / "m.json"
    result = cli("build", spec, "--audience", "intern", "-o", out)
    assert result.exit_code == 0, result.output
    import json
    manifest = json.loads(out.read_text())
    values = {c["id"]: c["values"] for c in manifest["clauses"]}
    notice = values["werkdruk.roosterinspraak"]["bekendmaking_dagen"]
    assert notice == {"value": 28, "source": "position"}
    assert not [c for c in manifest["clauses"]
                for v in c["values"].values() if v["source"] == "spec"]
    assert manifest["position"] == "ondergrens"


def test_an_uncommented_value_is_the_only_one_given(cli, tmp_path):
    spec = tmp_path / "spec.toml"
    cli("init", "--sector", "vvt", "--date", "2026-12-01", "-o", spec)
    spec.write_text(spec.read_text().replace("# bekendmaking_dagen = 35",
                                             "bekendmaking_dagen = 49"))
    out = tmp_path / "m.json"
    assert cli("build", spec, "--audience", "intern", "-o", out).exit_code == 0
    import json
    given = [(c["id"], k, v["value"]) for c in json.loads(out.read_text())["clauses"]
             for k, v in c["values"].items() if v["source"] == "spec"]
    assert given == [("werkdruk.roosterinspraak", "bekendmaking_dagen", 49)]


def test_an_old_spec_that_pins_values_builds_as_before(library):
    spec = parse_spec('[cao]\nsector = "vvt"\nposition = "ondergrens"\ndate = 2026-12-01\n'
                      '[[clause]]\nid = "werkdruk.roosterinspraak"\n[clause.values]\n'
                      'bekendmaking_dagen = 42\nwijziging_uren = 168\n')
    plan = plan_draft(spec, library)
    values = plan.clause("werkdruk.roosterinspraak").values
    assert values["bekendmaking_dagen"].value == 42 and values["bekendmaking_dagen"].source == "spec"
    assert values["wijzigingstoeslag"].source == "position"


def _sector_library(tmp_path, body):
    from clausegen.testing import make_library
    pack = tmp_path / "pack"
    (pack / "sectoren").mkdir(parents=True)
    (pack / "plugin.toml").write_text('name = "proefsector"\nversion = "1.0.0"\n')
    (pack / "sectoren" / "proef.toml").write_text(
        'id = "proef"\nname = { nl = "Proef" }\ncao = { nl = "Cao Proef" }\n'
        'employers = ["Werkgever"]\nunions = ["FNV"]\n'
        'recommended = ["werkdruk.roosterinspraak"]\n' + body)
    return make_library(plugins_dir=tmp_path)


def test_a_sectors_own_value_counts_only_in_its_position(tmp_path):
    library = _sector_library(tmp_path, '[positions.doel]\n'
                                        '"werkdruk.roosterinspraak.bekendmaking_dagen" = 38\n')
    values = {p: plan_draft(DraftSpec(sector="proef", position=p, date=DATE), library)
              .clause("werkdruk.roosterinspraak").values["bekendmaking_dagen"]
              for p in POSITIONS}
    assert (values["doel"].value, values["doel"].source) == (38, "sector")
    assert values["openingsbod"].source == values["ondergrens"].source == "position"
    assert values["openingsbod"].value > 38 > values["ondergrens"].value


def test_a_value_below_the_current_cao_is_a_finding(tmp_path):
    library = _sector_library(tmp_path, '[current]\n'
                                        '"werkdruk.roosterinspraak.bekendmaking_dagen" = 40\n')
    plan = plan_draft(DraftSpec(sector="proef", position="ondergrens", date=DATE), library)
    found = [f for f in plan.findings if f.code == "below-current-cao"]
    assert len(found) == 1 and "ondergrens 28 dagen" in found[0].message \
        and "(40 dagen)" in found[0].message
    # the current value is never used as a value
    assert plan.value("werkdruk.roosterinspraak", "bekendmaking_dagen") == 28
    plan = plan_draft(DraftSpec(sector="proef", position="openingsbod", date=DATE), library)
    assert not [f for f in plan.findings if f.code == "below-current-cao"]


def test_an_old_profile_with_overrides_still_builds_and_says_what_to_use(tmp_path, cli):
    _sector_library(tmp_path, '[overrides]\n"werkdruk.roosterinspraak.bekendmaking_dagen" = 30\n')
    out = tmp_path / "o.md"
    result = cli("--plugins-dir", tmp_path, "generate", "--sector", "proef", "--position",
                 "openingsbod", "--date", "2026-12-01", "-o", out)
    assert result.exit_code == 0, result.output
    assert "30 dagen" in out.read_text()          # as it always did
    warning = next(line for line in result.stderr.splitlines() if "[overrides]" in line)
    assert "proef.toml" in warning and "[current]" in warning and "[positions." in warning


def test_check_reports_positions_in_the_wrong_order_for_a_sector(tmp_path, cli):
    _sector_library(tmp_path, '[positions.openingsbod]\n'
                              '"werkdruk.roosterinspraak.bekendmaking_dagen" = 30\n')
    result = cli("check", tmp_path / "pack")
    assert result.exit_code == 1
    assert "openingsbod 30 is worse for workers than doel 35" in result.output


def test_a_sectors_positions_out_of_order_are_an_error_in_the_draft_too(tmp_path, cli):
    _sector_library(tmp_path, '[positions.doel]\n'
                              '"werkdruk.roosterinspraak.bekendmaking_dagen" = 60\n')
    result = cli("--plugins-dir", tmp_path, "generate", "--sector", "proef", "--date",
                 "2026-12-01", "--strict", "-o", tmp_path / "x.md")
    assert result.exit_code == 1 and not (tmp_path / "x.md").exists()
    assert "de eigen waarden van sector proef zetten de posities in de verkeerde volgorde" \
        in result.stderr


def test_a_parameter_cannot_take_a_name_templates_use(tmp_path, cli):
    clause = (ROOT / "tests" / "fixtures" / "lint" / "clean.toml").read_text()
    path = tmp_path / "werkdruk" / "x.toml"
    path.parent.mkdir()
    path.write_text(clause.replace("pauze_minuten", "current"))
    result = cli("check", path)
    assert result.exit_code == 1 and "parameter name 'current' is reserved" in result.output


def test_check_reports_an_opening_bid_below_the_current_cao(tmp_path, cli):
    _sector_library(tmp_path, '[current]\n"werkdruk.roosterinspraak.bekendmaking_dagen" = 60\n')
    result = cli("check", tmp_path / "pack")
    assert result.exit_code == 1
    assert "openingsbod 42 is worse for workers than the current cao (60)" in result.output
