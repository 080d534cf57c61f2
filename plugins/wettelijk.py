"""Built-in plugin with the legal-floor checks: it reads a planned draft and flags values
that fall below (or, for the Wet flexibel werken, are stricter than) what the law sets.

Every legal number the checks use lives in LAW below, with its source and the date it was
last verified. Update them there and nowhere else. A finding is an error only where the law sets
a floor that a cao cannot lower; where the law only sets a default for the case that no
collective arrangement (such as this cao) settles the matter, a value below it is a warning.

Findings speak the draft's language (plan.spec.language), with its number and money format.
"""
from __future__ import annotations

import calendar
import functools
import datetime as dt
from decimal import Decimal

from clausegen import Finding, hookimpl
from clausegen.params import format_money, format_value

# name: (value, citation nl, citation en, source and date verified)
#
# Artikel 4:2 Arbeidstijdenwet: the employer announces working and rest times in time; a
# collective arrangement (a cao) says what "in time" is; without one the term is 28 days, and where
# the nature of the work makes 28 days impossible, rest times 28 days and working times 4 days
# ahead (shared/domain/cao-facts.md; arboportaal.nl, "Algemene verplichtingen werk- en rusttijden").
# Neither number is a floor a cao cannot lower. The lid numbers of article 4:2 could not be checked
# against the statute text here, so the citations name the article without a lid.
LAW = {
    "roster_notice_days": (28, "artikel 4:2 Arbeidstijdenwet (termijn zonder collectieve regeling)",
                           "article 4:2 Working Hours Act (term without a collective arrangement)",
                           "Arbeidstijdenwet, as in force 2026-11; cao-facts.md"),
    "roster_notice_minimum_days": (4, "artikel 4:2 Arbeidstijdenwet (werktijden zonder collectieve "
                                      "regeling, als de aard van de arbeid 28 dagen onmogelijk maakt)",
                                   "article 4:2 Working Hours Act (working times without a "
                                   "collective arrangement, where the nature of the work makes "
                                   "28 days impossible)",
                                   "Arbeidstijdenwet, as in force 2026-11; cao-facts.md"),
    "vacation_weeks": (4, "artikel 7:634 BW", "article 7:634 Dutch Civil Code",
                       "Burgerlijk Wetboek, as in force 2026-11"),
    "vacation_lapse_months": (6, "artikel 7:640a BW", "article 7:640a Dutch Civil Code",
                              "Burgerlijk Wetboek, as in force 2026-11"),
    "flex_service_weeks": (26, "artikel 2 lid 1 Wet flexibel werken",
                           "article 2(1) Flexible Working Act (Wet flexibel werken)",
                           "Wet flexibel werken, as in force 2026-11"),
    "flex_request_months": (2, "artikel 2 lid 3 Wet flexibel werken",
                            "article 2(3) Flexible Working Act (Wet flexibel werken)",
                            "Wet flexibel werken, as in force 2026-11"),
    # The employer decides no later than one month before the desired start date; a request is
    # made no later than flex_request_months before it (cao-facts.md). Not a number of weeks after
    # the request: flexible_work() compares dates.
    "flex_decision_months_before_start": (1, "artikel 2 lid 9 Wet flexibel werken",
                                          "article 2(9) Flexible Working Act (Wet flexibel werken)",
                                          "Wet flexibel werken, as in force 2026-11"),
    "rvu_threshold_month": (Decimal("2357"), "artikel 32ba Wet op de loonbelasting 1964 (RVU)",
                            "article 32ba Wage Tax Act 1964 (early retirement levy)",
                            "threshold 2026, Belastingdienst; about EUR 2,357 a month"),
    "technology_notice_months": (3, "artikel 25 lid 1 sub k WOR; model: Belgische cao nr. 39",
                                 "article 25(1)(k) Works Councils Act; model: Belgian collective "
                                 "agreement no. 39",
                                 "cao-facts, 2026-11 (a norm, not Dutch law)"),
}

CITATIONS = {  # citations without a number in LAW
    "training": ("artikel 7:611a lid 3 en 4 BW", "article 7:611a(3) and (4) Dutch Civil Code"),
    "second_opinion": ("artikel 14 lid 2 Arbowet; artikel 2.14d Arbobesluit",
                       "article 14(2) Working Conditions Act; article 2.14d Working Conditions "
                       "Decree"),
    "monitoring": ("artikel 27 lid 1 sub l en lid 3 WOR; artikel 88 AVG",
                   "article 27(1)(l) and (3) Works Councils Act; article 88 GDPR"),
}


def _language(plan) -> str:
    return "en" if plan.spec.language == "en" else "nl"


def _law(name, language="nl"):
    value, nl, en, _ = LAW[name]
    return value, (en if language == "en" else nl)


def _cite(name, language):
    nl, en = CITATIONS[name]
    return en if language == "en" else nl


def _say(language, nl: str, en: str) -> str:
    return en if language == "en" else nl


def _v(ptype, value, language) -> str:
    return format_value(ptype, value, language)


def _finding(level, code, clause, message, law):
    return Finding(level=level, code=code, clause=clause, message=message, law=law)


def roster_notice(plan):
    """Roster notice against art. 4:2 ATW: the cao sets the term; the law's 28 days (and 4 days
    for working times where 28 are impossible) apply only without a collective arrangement, so a
    shorter term is lawful and is reported as a warning, never as an error."""
    days = plan.value("werkdruk.roosterinspraak", "bekendmaking_dagen")
    if days is None:
        return
    lang = _language(plan)
    fallback, fallback_law = _law("roster_notice_minimum_days", lang)
    default, default_law = _law("roster_notice_days", lang)
    if days < fallback:
        yield _finding("warning", "roster-notice-below-fallback", "werkdruk.roosterinspraak", _say(
            lang,
            f"een rooster dat {_v('days', days, lang)} voor de roosterperiode bekend wordt, is "
            f"korter dan de {_v('days', fallback, lang)} die artikel 4:2 Arbeidstijdenwet zonder "
            f"collectieve regeling als uiterste termijn voor de werktijden kent, en dat alleen "
            f"waar de aard van de arbeid {_v('days', default, lang)} onmogelijk maakt; deze cao is "
            "zo'n collectieve regeling en mag de termijn zelf bepalen, maar de werknemer houdt "
            "vrijwel geen tijd om zijn leven rond het rooster te plannen",
            f"a roster announced {_v('days', days, lang)} before the roster period is shorter than "
            f"the {_v('days', fallback, lang)} that article 4:2 of the Working Hours Act sets, "
            f"without a collective arrangement, for working times where the nature of the work "
            f"makes {_v('days', default, lang)} impossible; this agreement is such a collective "
            "arrangement and may set the term itself, but the employee is left almost no time to "
            "plan around the roster"), fallback_law)
    elif days < default:
        yield _finding("warning", "roster-notice-short", "werkdruk.roosterinspraak", _say(
            lang,
            f"een rooster dat {_v('days', days, lang)} voor de roosterperiode bekend wordt, is "
            f"korter dan de {_v('days', default, lang)} die artikel 4:2 Arbeidstijdenwet stelt "
            "als geen collectieve regeling de termijn bepaalt; deze cao is zo'n regeling en mag "
            "een kortere termijn stellen, maar de werknemer verliest dan de wettelijke termijn",
            f"a roster announced {_v('days', days, lang)} before the roster period is shorter than "
            f"the {_v('days', default, lang)} that article 4:2 of the Working Hours Act sets where "
            "no collective arrangement sets the term; this agreement is such an arrangement and "
            "may set a shorter term, but the employee then loses the statutory term"),
            default_law)


def vacation_minimum(plan):
    weeks = plan.value("werkdruk.verlof-opnemen", "vakantie_weken")
    lang = _language(plan)
    floor, law = _law("vacation_weeks", lang)
    if weeks is not None and weeks < floor:
        yield _finding("error", "vacation-below-minimum", "werkdruk.verlof-opnemen", _say(
            lang,
            f"vakantie van {_v('decimal', weeks, lang)} maal de arbeidsduur per week ligt onder het "
            f"wettelijke minimum van {_v('decimal', floor, lang)} maal",
            f"vacation of {_v('decimal', weeks, lang)} times the weekly working hours is below the "
            f"statutory minimum of {_v('decimal', floor, lang)} times"), law)


def vacation_lapse(plan):
    months = plan.value("werkdruk.verlof-opnemen", "vervaltermijn_maanden")
    lang = _language(plan)
    floor, law = _law("vacation_lapse_months", lang)
    if months is not None and months < floor:
        yield _finding("error", "vacation-lapse-short", "werkdruk.verlof-opnemen", _say(
            lang,
            f"wettelijke vakantiedagen die na {_v('months', months, lang)} vervallen, vervallen "
            f"eerder dan de {_v('months', floor, lang)} die de wet toestaat; alleen een langere "
            "termijn mag worden afgesproken",
            f"statutory vacation days lapsing after {_v('months', months, lang)} lapse sooner than "
            f"the {_v('months', floor, lang)} the law allows; only a longer term may be agreed"),
            law)


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day N months earlier; the last day of the month where that day does not exist."""
    year, month = divmod(day.month - 1 - months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@functools.lru_cache(maxsize=None)
def _decision_window(lead_months: int, before_start_months: int) -> tuple[int, int]:
    """The fewest and most days between the latest timely request (lead_months before the start
    date) and the law's decision deadline (before_start_months before it), over every start date
    of four years: months differ in length, so the window does too."""
    spans = []
    day = dt.date(2027, 1, 1)
    while day < dt.date(2031, 1, 1):
        spans.append((_months_before(day, before_start_months) - _months_before(day, lead_months))
                     .days)
        day += dt.timedelta(days=1)
    return min(spans), max(spans)


def flexible_work(plan):
    clause = "generaties.flexibiliteit"
    lang = _language(plan)
    for param, name, ptype, nl, en in (
            ("diensttijd_weken", "flex_service_weeks", "weeks", "diensttijd", "of service"),
            ("aanvraagtermijn_maanden", "flex_request_months", "months",
             "termijn voor een verzoek", "notice for a request")):
        value = plan.value(clause, param)
        limit, law = _law(name, lang)
        if value is not None and value > limit:
            yield _finding("error", "flexible-work-stricter", clause, _say(
                lang,
                f"een {nl} van {_v(ptype, value, lang)} is strenger dan de "
                f"{_v(ptype, limit, lang)} van de wet; een cao mag de Wet flexibel werken hier "
                "alleen verbeteren",
                f"{_v(ptype, value, lang)} {en} is stricter than the law's "
                f"{_v(ptype, limit, lang)}; an agreement may only improve on the Flexible Working "
                "Act here"), law)
    # The decision: the clause counts weeks from the request, the law one month back from the
    # desired start date. Compare dates: a request made as late as the clause allows (but not later
    # than the law's own request term), and the day the clause's term ends against the day the
    # law's ends.
    weeks = plan.value(clause, "beslistermijn_weken")
    if weeks is None:
        return
    request = plan.value(clause, "aanvraagtermijn_maanden")
    law_request, _ = _law("flex_request_months", lang)
    before, law = _law("flex_decision_months_before_start", lang)
    lead = max(request if request is not None else law_request, law_request)
    fewest, most = _decision_window(lead, before)
    days = weeks * 7
    if days <= fewest:
        return
    always = days > most
    yield _finding(
        "error" if always else "warning", "flexible-work-decision-late", clause, _say(
            lang,
            f"de werkgever beslist binnen {_v('weeks', weeks, lang)} ({_v('days', days, lang)}) na "
            f"een verzoek dat {_v('months', lead, lang)} voor de gewenste ingangsdatum is gedaan, "
            f"maar de wet laat hem beslissen tot uiterlijk {_v('months', before, lang)} voor die "
            f"datum, dat is {_v('days', fewest, lang)} tot {_v('days', most, lang)} na het verzoek: "
            + ("de beslissing kan altijd later vallen dan de wet toestaat"
               if always else "in kortere maanden valt de beslissing later dan de wet toestaat"),
            f"the employer decides within {_v('weeks', weeks, lang)} ({_v('days', days, lang)}) of "
            f"a request made {_v('months', lead, lang)} before the desired start date, but the law "
            f"has it decide no later than {_v('months', before, lang)} before that date, which is "
            f"{_v('days', fewest, lang)} to {_v('days', most, lang)} after the request: "
            + ("the decision can always fall later than the law allows"
               if always else "in shorter months the decision falls later than the law allows")),
        law)


def obligatory_training_clawback(plan):
    lang = _language(plan)
    if plan.value("robotisering.bijscholing", "terugbetaling_verplichte_scholing"):
        yield _finding("error", "training-clawback", "robotisering.bijscholing", _say(
            lang,
            "de kosten van scholing die de wet of de cao verplicht stelt, mogen niet worden "
            "teruggevorderd; zulke scholing is kosteloos en vindt zo mogelijk in werktijd plaats",
            "study costs of training that law or the agreement makes obligatory may not be "
            "clawed back; such training is free and, where possible, in working time"),
            _cite("training", lang))


def rvu_threshold(plan):
    amount = plan.value("generaties.ouderen", "rvu_bedrag")
    lang = _language(plan)
    threshold, law = _law("rvu_threshold_month", lang)
    if amount is not None and amount > threshold:
        yield _finding("warning", "rvu-above-threshold", "generaties.ouderen", _say(
            lang,
            f"een uitkering bij vervroegde uittreding van {format_money(amount, lang)} per maand "
            f"ligt boven de vrijgestelde drempel van ongeveer {format_money(threshold, lang)}; "
            "over het meerdere betaalt de werkgever de heffing op regelingen voor vervroegde uittreding",
            f"an early-retirement benefit of {format_money(amount, lang)} a month is above the "
            f"exempt threshold of about {format_money(threshold, lang)}; on the excess the "
            "employer pays the early retirement levy"), law)


def second_opinion(plan):
    lang = _language(plan)
    if plan.value("werkdruk.bedrijfsarts", "second_opinion") is False:
        yield _finding("error", "second-opinion", "werkdruk.bedrijfsarts", _say(
            lang,
            "het recht op een second opinion door een andere bedrijfsarts is wettelijk en kan "
            "niet worden weggelaten",
            "the right to a second opinion by another company doctor is statutory and cannot be "
            "left out"), _cite("second_opinion", lang))


def monitoring_consent(plan):
    lang = _language(plan)
    if plan.value("robotisering.monitoring", "or_instemming") is False:
        yield _finding("warning", "monitoring-consent", "robotisering.monitoring", _say(
            lang,
            "zonder instemming van de ondernemingsraad moet de cao de monitoring zelf inhoudelijk "
            "regelen, als specifieke regel voor de verwerking van werknemersgegevens; anders "
            "blijft het instemmingsrecht gelden",
            "without works council consent the agreement itself must settle monitoring in "
            "substance, as a specific rule on the processing of employee data; otherwise the "
            "consent right still applies"), _cite("monitoring", lang))


def technology_notice(plan):
    months = plan.value("robotisering.tijdig-meenemen", "informatie_maanden")
    lang = _language(plan)
    norm, law = _law("technology_notice_months", lang)
    if months is not None and months < norm:
        yield _finding("warning", "technology-notice-short", "robotisering.tijdig-meenemen", _say(
            lang,
            f"informatie {_v('months', months, lang)} voor de invoering van technologie is minder "
            f"dan de {_v('months', norm, lang)} van de modelafspraak; advies moet worden gevraagd "
            "zolang het de beslissing nog kan veranderen",
            f"information {_v('months', months, lang)} before introducing technology is less than "
            f"the {_v('months', norm, lang)} of the model agreement; advice must be asked while it "
            "can still change the decision"), law)


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


# The legal limit each check holds a parameter to, for the mandate: (law name, parameter). The
# roster notice shows the lowest term the law itself ever sets (4 days, without a collective
# arrangement); the decision term of the Wet flexibel werken has no limit in weeks (the law counts
# back from the start date), so the mandate shows none.
FLOORS = {
    "roster-notice": {"werkdruk.roosterinspraak.bekendmaking_dagen": "roster_notice_minimum_days"},
    "vacation-minimum": {"werkdruk.verlof-opnemen.vakantie_weken": "vacation_weeks"},
    "vacation-lapse": {"werkdruk.verlof-opnemen.vervaltermijn_maanden": "vacation_lapse_months"},
    "flexible-work": {"generaties.flexibiliteit.diensttijd_weken": "flex_service_weeks",
                      "generaties.flexibiliteit.aanvraagtermijn_maanden": "flex_request_months"},
}


@hookimpl
def register_checks(register):
    for name, function, description in CHECKS:
        floors = {key: _law(law) for key, law in FLOORS.get(name, {}).items()}
        register(name, function, description, floors=floors)
