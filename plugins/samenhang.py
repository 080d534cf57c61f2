"""Built-in plugin with the consistency checks between dependent values in one draft.

It flags values that contradict each other, within a clause or across clauses: a roster published
before the self-rostering rounds have started, a generation pact that pays less than the hours
worked, a deadline that falls after the agreement has ended.

Every check follows from what the clause texts say: each reads the values that the texts tie
together and names both of them in its message. A draft that contradicts itself is an error; a
combination that is merely odd is a warning. The `law` of a finding names the provisions that
clash. Legal floors are not checked here but in wettelijk.py. A reference to the sector's
existing cao that is still to be filled in is reported too (open-references).

Findings speak the draft's language (plan.spec.language), with its number and date format.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from clausegen import Finding, hookimpl
from clausegen.params import format_date, format_percentage, format_unit

ROSTER = "werkdruk.roosterinspraak"
SELF_ROSTERING = "werkdruk.zelfroosteren"
PACT = "generaties.ouderen"
VACATION = "werkdruk.verlof-opnemen"
RETRAINING = "robotisering.omscholing"
TRANSITION = "robotisering.transitie"
WORK_TO_WORK = "robotisering.werk-naar-werk"
KNOWLEDGE = "generaties.kennisoverdracht"
ANALYSIS = "werkdruk.organisatiefactoren"
REGISTRATION = "werkdruk.registratiedruk"
TERM = "algemeen.looptijd"

# The least time the library's own positions leave between the start of the first rostering
# round and the publication of the roster (walk-away: 6 weeks against 28 days). Three rounds
# (wishes, swapping, the coordinator's proposal) in less than that is hardly workable.
ROUND_DAYS_MIN = 14
DAYS_PER_MONTH = Decimal("365.25") / 12

REFERENCE_PREFIX = "vindplaats_"   # a parameter naming an article of the sector's existing cao

# Obligations due "within N months after this agreement takes effect":
# (clause, parameter, what in Dutch, what in English).
TERM_DEADLINES = [
    ("generaties.agenderen", "vaststelling_termijn", "het generatiebeleid wordt vastgesteld",
     "the generation policy is to be adopted"),
    ("generaties.diversiteit", "plan_termijn", "het wervingsplan wordt vastgesteld",
     "the recruitment plan is to be adopted"),
    ("generaties.vakopleiding", "instelling_termijn",
     "de sectorale vakopleiding wordt ingesteld",
     "the sector trade training programme is to be set up"),
    ("robotisering.job-carving", "plan_maanden",
     "het plan voor samengestelde functies wordt opgesteld",
     "the plan for composite jobs is to be drawn up"),
    ("robotisering.eerlijke-prijzen", "evaluatie_maanden",
     "het protocol eerlijke prijzen wordt geëvalueerd",
     "the fair-prices protocol is to be evaluated"),
    ("werkdruk.cursus-werkgevers", "start_maanden",
     "zittende leidinggevenden ronden de training werkdruk af",
     "managers in post are to complete the work-pressure training"),
]


def _u(count, unit: str, lang="en") -> str:
    """A count with its unit in the draft's language: 1 month, 3 maanden."""
    return format_unit(count, unit + "s", lang)


def _d(day: dt.date, lang: str) -> str:
    return format_date(day, lang)


def _lang(plan) -> str:
    return "en" if plan.spec.language == "en" else "nl"


def _say(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day N months later; the last day of the month where that day does not exist."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _within(start: dt.date, months: int) -> dt.date:
    """The last day of "within N months of start": 12 months from 1 January is 31 December."""
    return _add_months(start, months) - dt.timedelta(days=1)


def _finding(level, code, clause, message, law):
    return Finding(level=level, code=code, clause=clause, message=message, law=law)


def roster_rounds(plan):
    notice = plan.value(ROSTER, "bekendmaking_dagen")
    weeks = plan.value(SELF_ROSTERING, "startronde_weken")
    if notice is None or weeks is None:
        return
    L = _lang(plan)
    law = _say(L, f"{SELF_ROSTERING} (de eerste roosterronde; het teamrooster wordt bekendgemaakt "
                  f"volgens {ROSTER}); {ROSTER} (bekendmaking van het rooster)",
               f"{SELF_ROSTERING} (the first rostering round; the team roster is published under "
               f"{ROSTER}); {ROSTER} (roster notice)")
    start = weeks * 7
    if notice >= start:
        when = _say(L, "op de dag dat de ronde begint" if notice == start else
                    f"{_u(notice - start, 'day', L)} voordat de ronde begint",
                    "on the day the round starts" if notice == start else
                    f"{_u(notice - start, 'day', L)} before the round starts")
        yield _finding("error", "roster-before-rounds", SELF_ROSTERING, _say(
            L,
            f"het rooster wordt {_u(notice, 'day', L)} voor de roosterperiode bekendgemaakt "
            f"({ROSTER}.bekendmaking_dagen), maar de eerste ronde van het zelfroosteren begint pas "
            f"{_u(weeks, 'week', L)} ({_u(start, 'day', L)}) ervoor "
            f"({SELF_ROSTERING}.startronde_weken): het rooster zou {when} worden bekendgemaakt, "
            "voordat het team zichzelf heeft ingeroosterd",
            f"the roster is published {_u(notice, 'day', L)} before the roster period "
            f"({ROSTER}.bekendmaking_dagen), but the first self-rostering round starts only "
            f"{_u(weeks, 'week', L)} ({_u(start, 'day', L)}) before it "
            f"({SELF_ROSTERING}.startronde_weken): the roster would be published {when}, "
            "before the team has rostered itself"), law)
    elif start - notice < ROUND_DAYS_MIN:
        yield _finding("warning", "roster-rounds-short", SELF_ROSTERING, _say(
            L,
            f"de eerste ronde van het zelfroosteren begint {_u(weeks, 'week', L)} "
            f"({_u(start, 'day', L)}) voor de roosterperiode ({SELF_ROSTERING}.startronde_weken) "
            f"en het rooster wordt {_u(notice, 'day', L)} ervoor bekendgemaakt "
            f"({ROSTER}.bekendmaking_dagen): dat laat {_u(start - notice, 'day', L)} voor drie "
            f"roosterrondes, minder dan de {_u(ROUND_DAYS_MIN, 'day', L)} die zelfs de ondergrens "
            f"van het artikel laat ({_u(6, 'week', L)} tegen een termijn van "
            f"{_u(28, 'day', L)})",
            f"the first self-rostering round starts {_u(weeks, 'week', L)} ({_u(start, 'day', L)}) "
            f"before the roster period ({SELF_ROSTERING}.startronde_weken) and the roster is "
            f"published {_u(notice, 'day', L)} before it ({ROSTER}.bekendmaking_dagen): that "
            f"leaves {_u(start - notice, 'day', L)} for three rostering rounds, less than the "
            f"{_u(ROUND_DAYS_MIN, 'day', L)} that even the clause's walk-away position leaves "
            f"({_u(6, 'week', L)} against a notice of {_u(28, 'day', L)})"), law)


def roster_consent_window(plan):
    notice = plan.value(ROSTER, "bekendmaking_dagen")
    hours = plan.value(ROSTER, "wijziging_uren")
    if notice is None or hours is None or hours < notice * 24:
        return
    L = _lang(plan)
    yield _finding("warning", "consent-window-before-publication", ROSTER, _say(
        L,
        f"wijzigingen binnen {_u(hours, 'hour', L)} voor een dienst vragen de instemming van de "
        f"werknemer (wijziging_uren), maar het rooster wordt pas {_u(notice, 'day', L)} "
        f"({_u(notice * 24, 'hour', L)}) voor de roosterperiode bekendgemaakt "
        "(bekendmaking_dagen): de termijn voor instemming reikt terug tot de bekendmaking, zodat "
        "de eerste diensten van elke periode nooit na overleg om een dringende reden kunnen worden "
        "gewijzigd, alleen met instemming van de werknemer",
        f"changes within {_u(hours, 'hour', L)} of a shift need the employee's consent "
        f"(wijziging_uren), but the roster is published only {_u(notice, 'day', L)} "
        f"({_u(notice * 24, 'hour', L)}) before the roster period (bekendmaking_dagen): the "
        "consent window reaches back to the publication, so the first shifts of every period can "
        "never be changed after consultation for an urgent reason, only with the employee's "
        "consent"),
        _say(L, f"{ROSTER} (bekendmaking van het rooster; wijzigingen na de bekendmaking)",
             f"{ROSTER} (notice of the roster; changes after publication)"))


def generation_pact(plan):
    work = plan.value(PACT, "werktijd_pct")
    pay = plan.value(PACT, "loon_pct")
    pension = plan.value(PACT, "pensioen_pct")
    L = _lang(plan)
    law = _say(L, f"{PACT} (generatiepact)", f"{PACT} (generation pact)")
    pct = lambda v: format_percentage(v, L)  # noqa: E731
    if work is not None and pay is not None and pay < work:
        yield _finding("error", "pact-pay-below-hours", PACT, _say(
            L,
            f"in het generatiepact werkt de werknemer {pct(work)} van de uren (werktijd_pct), maar "
            f"ontvangt hij maar {pct(pay)} van het salaris (loon_pct): het pact zou per gewerkt uur "
            "minder betalen dan voorheen, slechter dan gewoon deeltijdwerk naar rato, terwijl het "
            "artikel het als recht toekent",
            f"in the generation pact the employee works {pct(work)} of the hours "
            f"(werktijd_pct) but receives only {pct(pay)} of the salary (loon_pct): the pact "
            "would pay less per hour worked than before, worse than plain part-time work at "
            "pro-rata pay, while the article grants it as a right"), law)
    if pay is not None and pension is not None and pension < pay:
        yield _finding("error", "pact-pension-below-pay", PACT, _say(
            L,
            f"in het generatiepact loopt de pensioenopbouw over {pct(pension)} van het oude "
            f"salaris (pensioen_pct), terwijl de werknemer {pct(pay)} ervan ontvangt (loon_pct): "
            "de opbouw zou onder het werkelijk betaalde salaris zakken, terwijl het artikel de "
            "werkgever een extra pensioenpremie laat dragen",
            f"in the generation pact pension accrues on {pct(pension)} of the former salary "
            f"(pensioen_pct) while the employee is paid {pct(pay)} of it (loon_pct): accrual "
            "would fall below the salary actually paid, while the article has the employer bear "
            "an additional pension contribution"), law)
    months = plan.value(PACT, "rvu_maanden")
    years = plan.value(PACT, "vanaf_jaren_voor_aow")
    if months is not None and years is not None and months > years * 12:
        yield _finding("warning", "early-retirement-before-pact", PACT, _say(
            L,
            f"vervroegde uittreding uit een zware functie kan {_u(months, 'month', L)} voor de "
            f"AOW-leeftijd beginnen (rvu_maanden), eerder dan het generatiepact opent, "
            f"{_u(years, 'year', L)} ({_u(years * 12, 'month', L)}) ervoor "
            "(vanaf_jaren_voor_aow): een werknemer in een zware functie zou helemaal kunnen "
            "stoppen voordat hij minder mag werken",
            f"early retirement from arduous work may start {_u(months, 'month', L)} before the "
            f"state pension age (rvu_maanden), before the generation pact opens at "
            f"{_u(years, 'year', L)} ({_u(years * 12, 'month', L)}) before it "
            "(vanaf_jaren_voor_aow): an employee in an arduous position could stop working "
            "altogether before being allowed to work less"),
            _say(L, f"{PACT} (generatiepact; vervroegde uittreding)",
                 f"{PACT} (generation pact; early retirement)"))


def vacation_reminder(plan):
    lapse = plan.value(VACATION, "vervaltermijn_maanden")
    remind = plan.value(VACATION, "herinnering_maanden")
    if lapse is None or remind is None or remind <= lapse:
        return
    L = _lang(plan)
    yield _finding("warning", "vacation-reminder-early", VACATION, _say(
        L,
        f"de herinnering {_u(remind, 'month', L)} voordat vakantiedagen vervallen "
        f"(herinnering_maanden) valt terwijl ze nog worden opgebouwd, want ze vervallen "
        f"{_u(lapse, 'month', L)} na het jaar van opbouw (vervaltermijn_maanden): "
        f"{_u(remind - lapse, 'month', L)} voor het einde van dat jaar kan de werkgever de "
        "werknemer nog niet zeggen hoeveel dagen dreigen te vervallen",
        f"the reminder {_u(remind, 'month', L)} before vacation days lapse (herinnering_maanden) "
        f"is due while they are still being accrued, since they lapse {_u(lapse, 'month', L)} "
        f"after the year of accrual (vervaltermijn_maanden): {_u(remind - lapse, 'month', L)} "
        "before that year ends, the employer cannot yet tell the employee how many days are "
        "about to lapse"),
        _say(L, f"{VACATION} (herinnering; verval van wettelijke dagen)",
             f"{VACATION} (reminder; lapse of statutory days)"))


def retraining_horizon(plan):
    horizon = plan.value(RETRAINING, "signaleringstermijn")
    notice = plan.value(TRANSITION, "aankondiging_maanden")
    if horizon is None or notice is None or horizon >= notice:
        return
    L = _lang(plan)
    yield _finding("warning", "retraining-horizon-short", RETRAINING, _say(
        L,
        f"het jaarlijkse overzicht kijkt maar {_u(horizon, 'month', L)} vooruit naar functies die "
        f"vervallen ({RETRAINING}.signaleringstermijn), maar werknemers moeten "
        f"{_u(notice, 'month', L)} voordat hun functie vervalt worden ingelicht "
        f"({TRANSITION}.aankondiging_maanden): een functie moet dan worden aangekondigd voordat "
        "zij in het overzicht staat waarmee het omscholingsplan begint",
        f"the yearly overview looks only {_u(horizon, 'month', L)} ahead for jobs that will cease "
        f"({RETRAINING}.signaleringstermijn), but employees must be told "
        f"{_u(notice, 'month', L)} before their job ceases ({TRANSITION}.aankondiging_maanden): a "
        "job has to be announced before it must appear in the overview that starts its "
        "retraining plan"),
        _say(L, f"{RETRAINING} (overzicht en omscholingsplan); {TRANSITION} (aankondiging)",
             f"{RETRAINING} (overview and retraining plan); {TRANSITION} (notice)"))


def work_to_work_plan(plan):
    term = plan.value(WORK_TO_WORK, "termijn_maanden")
    due = plan.value(WORK_TO_WORK, "plan_maanden")
    if term is None or due is None or due < term:
        return
    L = _lang(plan)
    yield _finding("error", "work-to-work-plan-late", WORK_TO_WORK, _say(
        L,
        f"het plan van aanpak is {_u(due, 'month', L)} na het begin van het traject van werk "
        f"naar werk klaar (plan_maanden), maar het traject duurt {_u(term, 'month', L)} "
        "(termijn_maanden): het plan voor het traject zou pas klaar zijn als het is afgelopen",
        f"the action plan is due {_u(due, 'month', L)} after the start of the work-to-work "
        f"trajectory (plan_maanden), but the trajectory lasts {_u(term, 'month', L)} "
        "(termijn_maanden): the plan for the trajectory would only be due when it has ended"),
        _say(L, f"{WORK_TO_WORK} (traject; plan van aanpak)",
             f"{WORK_TO_WORK} (trajectory; action plan)"))


def knowledge_transfer(plan):
    months = plan.value(KNOWLEDGE, "aanvang_maanden")
    weeks = plan.value(KNOWLEDGE, "overlap_weken")
    if months is None or weeks is None or weeks * 7 <= months * DAYS_PER_MONTH:
        return
    L = _lang(plan)
    yield _finding("warning", "successor-before-transfer-plan", KNOWLEDGE, _say(
        L,
        f"de opvolger begint {_u(weeks, 'week', L)} voor het vertrek (overlap_weken), maar het "
        f"overdrachtsplan, dat zegt aan wie en hoe de kennis overgaat, is pas "
        f"{_u(months, 'month', L)} ervoor klaar (aanvang_maanden): de opvolger kan beginnen "
        "voordat er een plan voor de overdracht is",
        f"the successor is to start {_u(weeks, 'week', L)} before the departure (overlap_weken), "
        f"but the knowledge transfer plan, which says to whom and how the knowledge passes, is "
        f"due only {_u(months, 'month', L)} before it (aanvang_maanden): the successor can start "
        "before there is a plan for the transfer"),
        _say(L, f"{KNOWLEDGE} (overdrachtsplan; opvolger)",
             f"{KNOWLEDGE} (transfer plan; successor)"))


def work_pressure_analysis(plan):
    again = plan.value(ANALYSIS, "herhaling_maanden")
    due = plan.value(ANALYSIS, "plan_maanden")
    if again is None or due is None or due < again:
        return
    L = _lang(plan)
    yield _finding("warning", "analysis-before-action-plan", ANALYSIS, _say(
        L,
        f"de werkdrukanalyse wordt binnen {_u(again, 'month', L)} herhaald "
        f"(herhaling_maanden), maar het plan van aanpak op een analyse is pas "
        f"{_u(due, 'month', L)} daarna klaar (plan_maanden): de volgende analyse is uiterlijk "
        "klaar wanneer het plan van aanpak op de vorige dat is",
        f"the work pressure analysis is repeated within {_u(again, 'month', L)} "
        f"(herhaling_maanden), but the action plan on an analysis is due only "
        f"{_u(due, 'month', L)} after it (plan_maanden): the next analysis is due no later than "
        "the action plan on the previous one"),
        _say(L, f"{ANALYSIS} (analyse; plan van aanpak)", f"{ANALYSIS} (analysis; action plan)"))


def registration_baseline(plan):
    months = plan.value(REGISTRATION, "meting_maanden")
    if months is None:
        return
    by = _within(plan.start, months)
    if by < plan.end:
        return
    L = _lang(plan)
    reduction = plan.value(REGISTRATION, "reductie_pct")
    pct = format_percentage(reduction, L) if reduction is not None else "...%"
    yield _finding("error", "registration-baseline-after-term", REGISTRATION, _say(
        L,
        f"de registratielast wordt binnen {_u(months, 'month', L)} na de ingangsdatum gemeten "
        f"(meting_maanden), dus uiterlijk op {_d(by, L)}, maar de vermindering met {pct} ten "
        f"opzichte van die meting (reductie_pct) moet er aan het einde van de looptijd zijn, op "
        f"{_d(plan.end, L)} ({TERM}): de nulmeting hoeft er niet te zijn voor de datum waarop "
        "de vermindering bereikt moet zijn",
        f"the registration load is measured within {_u(months, 'month', L)} of the start date "
        f"(meting_maanden), that is by {_d(by, L)}, but the reduction of {pct} against that "
        f"measurement (reductie_pct) is due at the end of the term, {_d(plan.end, L)} "
        f"({TERM}): the baseline need not exist before the date by which the reduction must be "
        "reached"),
        _say(L, f"{REGISTRATION} (meting; vermindering aan het einde van de looptijd); {TERM}",
             f"{REGISTRATION} (measurement; reduction by the end of the term); {TERM}"))


def term_deadlines(plan):
    L = _lang(plan)
    for clause, param, what_nl, what_en in TERM_DEADLINES:
        months = plan.value(clause, param)
        if months is None:
            continue
        by = _within(plan.start, months)
        if by > plan.end:
            yield _finding("warning", "deadline-after-term", clause, _say(
                L,
                f"{what_nl} binnen {_u(months, 'month', L)} na de ingangsdatum ({param}), dus "
                f"uiterlijk op {_d(by, L)}, maar de cao eindigt op {_d(plan.end, L)} ({TERM}): "
                "de verplichting wordt pas opeisbaar als de cao al is afgelopen",
                f"{what_en} within {_u(months, 'month', L)} of the start date ({param}), that is "
                f"by {_d(by, L)}, but the agreement ends on {_d(plan.end, L)} ({TERM}): the "
                "obligation falls due only after the agreement has expired"),
                _say(L, f"{clause}; {TERM} (looptijd)", f"{clause}; {TERM} (term)"))


def renewal_notice(plan):
    notice = plan.value(TERM, "opzegtermijn_maanden")
    renewal = plan.value(TERM, "verlenging_maanden")
    if notice is None or renewal is None or notice <= renewal:
        return
    L = _lang(plan)
    yield _finding("warning", "renewal-shorter-than-notice", TERM, _say(
        L,
        f"opzegging moet {_u(notice, 'month', L)} voor de einddatum gebeuren "
        f"(opzegtermijn_maanden), maar een stilzwijgende verlenging duurt maar "
        f"{_u(renewal, 'month', L)} (verlenging_maanden): de opzegging van een verlengde cao is "
        "dan al verschuldigd voordat die verlenging is begonnen, zodat een partij die één termijn "
        "mist de cao pas bij een latere verlenging kan beëindigen",
        f"notice must be given {_u(notice, 'month', L)} before the end date "
        f"(opzegtermijn_maanden), but a tacit renewal lasts only {_u(renewal, 'month', L)} "
        "(verlenging_maanden): the notice for a renewed agreement is due before that renewal has "
        "even begun, so a party that misses one deadline can only end the agreement at a later "
        "renewal"),
        _say(L, f"{TERM} (opzegging; stilzwijgende verlenging)",
             f"{TERM} (notice; tacit renewal)"))


def open_references(plan):
    """A parameter named vindplaats_* names where the sector's existing cao settles something the
    draft refers to (its scope, a list of arduous positions). Until it is filled in, the draft
    points at nothing: report each one."""
    L = _lang(plan)
    for planned in plan.clauses:
        for name, param in planned.clause.parameters.items():
            if not name.startswith(REFERENCE_PREFIX) or planned.values[name].value is not None:
                continue
            label = param.label.get(L) or param.label.get("nl") or name
            yield _finding("warning", "open-reference", planned.clause.id, _say(
                L,
                f"het concept verwijst naar een vindplaats in de bestaande cao van de sector die "
                f"nog niet is ingevuld: {label.lower()} ({planned.clause.id}.{name}); vul het "
                "artikel in voordat het concept op tafel komt",
                f"the draft refers to a place in the sector's existing agreement that has not been "
                f"filled in: {label.lower()} ({planned.clause.id}.{name}); fill in the article "
                "before the draft is tabled"),
                _say(L, f"{planned.clause.id} (verwijzing)", f"{planned.clause.id} (reference)"))


CHECKS = [
    ("roster-rounds", roster_rounds,
     "Self-rostering rounds start before the roster is published"),
    ("roster-consent-window", roster_consent_window,
     "The consent window for roster changes lies within the roster notice"),
    ("generation-pact", generation_pact,
     "Generation pact: salary not below hours, pension not below salary, pact before RVU"),
    ("vacation-reminder", vacation_reminder,
     "Reminder of lapsing vacation days after the year of accrual"),
    ("retraining-horizon", retraining_horizon,
     "Retraining overview looks as far ahead as the transition notice"),
    ("work-to-work-plan", work_to_work_plan, "Work-to-work action plan within the trajectory"),
    ("knowledge-transfer", knowledge_transfer,
     "Knowledge transfer plan before the successor starts"),
    ("work-pressure-analysis", work_pressure_analysis,
     "Action plan on a work pressure analysis before the next analysis"),
    ("registration-baseline", registration_baseline,
     "Registration load measured before the reduction is due"),
    ("term-deadlines", term_deadlines, "Deadlines counted from the start fall within the term"),
    ("renewal-notice", renewal_notice, "Notice period not longer than a tacit renewal"),
    ("open-references", open_references,
     "References to the sector's existing cao that are still to be filled in"),
]


@hookimpl
def register_checks(register):
    for name, function, description in CHECKS:
        register(name, function, description)
