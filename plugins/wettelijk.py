"""Built-in plugin with the legal-floor checks: it reads a planned draft and flags values
that fall below (or, for the Wet flexibel werken, are stricter than) what the law sets.

Every legal number the checks use lives in LAW below, with its source and the date it was
last verified. Update them there and nowhere else.
"""
from __future__ import annotations

from decimal import Decimal

from clausegen import Finding, hookimpl

# name: (value, citation, source and date verified)
LAW = {
    "roster_notice_days": (28, "artikel 4:2 lid 2 Arbeidstijdenwet",
                           "Arbeidstijdenwet, as in force 2026-11"),
    "roster_notice_minimum_days": (4, "artikel 4:2 lid 3 Arbeidstijdenwet",
                                   "Arbeidstijdenwet, as in force 2026-11"),
    "vacation_weeks": (4, "artikel 7:634 BW", "Burgerlijk Wetboek, as in force 2026-11"),
    "vacation_lapse_months": (6, "artikel 7:640a BW", "Burgerlijk Wetboek, as in force 2026-11"),
    "flex_service_weeks": (26, "artikel 2 lid 1 Wet flexibel werken",
                           "Wet flexibel werken, as in force 2026-11"),
    "flex_request_months": (2, "artikel 2 lid 3 Wet flexibel werken",
                            "Wet flexibel werken, as in force 2026-11"),
    "flex_decision_weeks": (4, "artikel 2 lid 9 Wet flexibel werken (one month)",
                            "Wet flexibel werken, as in force 2026-11"),
    "rvu_threshold_month": (Decimal("2357"), "artikel 32ba Wet op de loonbelasting 1964 (RVU)",
                            "threshold 2026, Belastingdienst; about EUR 2,357 a month"),
    "technology_notice_months": (3, "artikel 25 lid 1 sub k WOR; model: Belgische cao nr. 39",
                                 "cao-facts, 2026-11 (a norm, not Dutch law)"),
}


def _law(name):
    return LAW[name][0], LAW[name][1]


def _finding(level, code, clause, message, law):
    return Finding(level=level, code=code, clause=clause, message=message, law=law)


def roster_notice(plan):
    days = plan.value("werkdruk.roosterinspraak", "bekendmaking_dagen")
    if days is None:
        return
    floor, law = _law("roster_notice_minimum_days")
    default, default_law = _law("roster_notice_days")
    if days < floor:
        yield _finding("error", "roster-notice-minimum", "werkdruk.roosterinspraak",
                       f"roster notice of {days} days is below the {floor} days the law keeps "
                       "as a floor for working times", law)
    elif days < default:
        yield _finding("warning", "roster-notice-short", "werkdruk.roosterinspraak",
                       f"roster notice of {days} days is shorter than the statutory default of "
                       f"{default} days; a cao may set a shorter term, but workers lose the "
                       "default's protection", default_law)


def vacation_minimum(plan):
    weeks = plan.value("werkdruk.verlof-opnemen", "vakantie_weken")
    floor, law = _law("vacation_weeks")
    if weeks is not None and weeks < floor:
        yield _finding("error", "vacation-below-minimum", "werkdruk.verlof-opnemen",
                       f"vacation of {weeks} times the weekly hours is below the statutory "
                       f"minimum of {floor} times", law)


def vacation_lapse(plan):
    months = plan.value("werkdruk.verlof-opnemen", "vervaltermijn_maanden")
    floor, law = _law("vacation_lapse_months")
    if months is not None and months < floor:
        yield _finding("error", "vacation-lapse-short", "werkdruk.verlof-opnemen",
                       f"statutory vacation days lapsing after {months} months is shorter than "
                       f"the {floor} months the law allows; only a longer term may be agreed", law)


def flexible_work(plan):
    clause = "generaties.flexibiliteit"
    for param, name, unit in (("diensttijd_weken", "flex_service_weeks", "weeks of service"),
                              ("aanvraagtermijn_maanden", "flex_request_months",
                               "months' notice for a request"),
                              ("beslistermijn_weken", "flex_decision_weeks",
                               "weeks for the employer's decision")):
        value = plan.value(clause, param)
        limit, law = _law(name)
        if value is not None and value > limit:
            yield _finding("error", "flexible-work-stricter", clause,
                           f"{value} {unit} is stricter than the law's {limit}; a cao may only "
                           "improve on the Wet flexibel werken here", law)


def obligatory_training_clawback(plan):
    if plan.value("robotisering.bijscholing", "terugbetaling_verplichte_scholing"):
        yield _finding("error", "training-clawback", "robotisering.bijscholing",
                       "study costs of training that law or cao makes obligatory may not be "
                       "clawed back; such training is free and, where possible, in working time",
                       "artikel 7:611a lid 3 en 4 BW")


def rvu_threshold(plan):
    amount = plan.value("generaties.ouderen", "rvu_bedrag")
    threshold, law = _law("rvu_threshold_month")
    if amount is not None and amount > threshold:
        yield _finding("warning", "rvu-above-threshold", "generaties.ouderen",
                       f"an early-retirement benefit of EUR {amount:,.2f} a month is above the "
                       f"exemption threshold of about EUR {threshold:,.2f}; the excess costs the "
                       "employer the RVU levy", law)


def second_opinion(plan):
    if plan.value("werkdruk.bedrijfsarts", "second_opinion") is False:
        yield _finding("error", "second-opinion", "werkdruk.bedrijfsarts",
                       "the right to a second opinion by another company doctor is statutory "
                       "and cannot be left out", "artikel 14 lid 2 Arbowet; artikel 2.14d Arbobesluit")


def monitoring_consent(plan):
    if plan.value("robotisering.monitoring", "or_instemming") is False:
        yield _finding("warning", "monitoring-consent", "robotisering.monitoring",
                       "without works-council consent the cao itself must settle monitoring "
                       "in substance; otherwise the consent right still applies",
                       "artikel 27 lid 1 sub l en lid 3 WOR")


def technology_notice(plan):
    months = plan.value("robotisering.tijdig-meenemen", "informatie_maanden")
    norm, law = _law("technology_notice_months")
    if months is not None and months < norm:
        yield _finding("warning", "technology-notice-short", "robotisering.tijdig-meenemen",
                       f"{months} months' notice before introducing technology is less than "
                       f"the {norm} months of the model agreement; advice must be asked while "
                       "it can still change the decision", law)


CHECKS = [
    ("roster-notice", roster_notice, "Roster notice against the Arbeidstijdenwet default"),
    ("vacation-minimum", vacation_minimum, "Vacation at least the statutory minimum"),
    ("vacation-lapse", vacation_lapse, "Statutory vacation days lapse no sooner than the law"),
    ("flexible-work", flexible_work, "Wet flexibel werken conditions not stricter than the law"),
    ("training-clawback", obligatory_training_clawback, "No clawback for obligatory training"),
    ("rvu-threshold", rvu_threshold, "RVU benefit within the exemption threshold"),
    ("second-opinion", second_opinion, "Second opinion by a company doctor kept"),
    ("monitoring-consent", monitoring_consent, "Works council consent on monitoring"),
    ("technology-notice", technology_notice, "Notice before introducing technology"),
]


# The legal limit each check holds a parameter to, for the mandate: (law name, parameter).
FLOORS = {
    "roster-notice": {"werkdruk.roosterinspraak.bekendmaking_dagen": "roster_notice_minimum_days"},
    "vacation-minimum": {"werkdruk.verlof-opnemen.vakantie_weken": "vacation_weeks"},
    "vacation-lapse": {"werkdruk.verlof-opnemen.vervaltermijn_maanden": "vacation_lapse_months"},
    "flexible-work": {"generaties.flexibiliteit.diensttijd_weken": "flex_service_weeks",
                      "generaties.flexibiliteit.aanvraagtermijn_maanden": "flex_request_months",
                      "generaties.flexibiliteit.beslistermijn_weken": "flex_decision_weeks"},
}


@hookimpl
def register_checks(register):
    for name, function, description in CHECKS:
        floors = {key: _law(law) for key, law in FLOORS.get(name, {}).items()}
        register(name, function, description, floors=floors)
