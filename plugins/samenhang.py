"""Built-in plugin with the consistency checks between dependent values in one draft.

It flags values that contradict each other, within a clause or across clauses: a roster published
before the self-rostering rounds have started, a generation pact that pays less than the hours
worked, a deadline that falls after the agreement has ended.

Every check follows from what the clause texts say: each reads the values that the texts tie
together and names both of them in its message. A draft that contradicts itself is an error; a
combination that is merely odd is a warning. The `law` of a finding names the provisions that
clash. Legal floors are not checked here but in wettelijk.py.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from clausegen import Finding, hookimpl

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

# Obligations due "within N months after this agreement takes effect": (clause, parameter, what).
TERM_DEADLINES = [
    ("generaties.agenderen", "vaststelling_termijn", "the generation policy is to be adopted"),
    ("generaties.diversiteit", "plan_termijn", "the recruitment plan is to be adopted"),
    ("generaties.vakopleiding", "instelling_termijn",
     "the sector trade training programme is to be set up"),
    ("robotisering.job-carving", "plan_maanden", "the plan for composite jobs is to be drawn up"),
    ("robotisering.eerlijke-prijzen", "evaluatie_maanden",
     "the fair-prices protocol is to be evaluated"),
    ("werkdruk.cursus-werkgevers", "start_maanden",
     "managers in post are to complete the work-pressure training"),
]


def _n(value) -> str:
    """A number as the negotiator wrote it: 80, not 8E+1; 5.4, not 5.40."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _u(count, unit: str) -> str:
    """A count with its unit: 1 month, 3 months."""
    return f"{_n(count)} {unit}{'' if count == 1 else 's'}"


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
    law = (f"{SELF_ROSTERING} (the first rostering round; the team roster is published under "
           f"{ROSTER}); {ROSTER} (roster notice)")
    start = weeks * 7
    if notice >= start:
        when = "on the day" if notice == start else f"{_u(notice - start, 'day')} before"
        yield _finding(
            "error", "roster-before-rounds", SELF_ROSTERING,
            f"the roster is published {_u(notice, 'day')} before the roster period "
            f"({ROSTER}.bekendmaking_dagen), but the first self-rostering round starts only "
            f"{_u(weeks, 'week')} ({_u(start, 'day')}) before it "
            f"({SELF_ROSTERING}.startronde_weken): the roster would be published {when} the "
            "round starts, before the team has rostered itself", law)
    elif start - notice < ROUND_DAYS_MIN:
        yield _finding(
            "warning", "roster-rounds-short", SELF_ROSTERING,
            f"the first self-rostering round starts {_u(weeks, 'week')} ({_u(start, 'day')}) "
            f"before the roster period ({SELF_ROSTERING}.startronde_weken) and the roster is "
            f"published {_u(notice, 'day')} before it ({ROSTER}.bekendmaking_dagen): that "
            f"leaves {_u(start - notice, 'day')} for three rostering rounds, less than the "
            f"{_u(ROUND_DAYS_MIN, 'day')} that even the clause's walk-away position leaves "
            "(6 weeks against a notice of 28 days)", law)


def roster_consent_window(plan):
    notice = plan.value(ROSTER, "bekendmaking_dagen")
    hours = plan.value(ROSTER, "wijziging_uren")
    if notice is None or hours is None or hours < notice * 24:
        return
    yield _finding(
        "warning", "consent-window-before-publication", ROSTER,
        f"changes within {_n(hours)} hours of a shift need the employee's consent "
        f"(wijziging_uren), but the roster is published only {_u(notice, 'day')} ({notice * 24} "
        "hours) before the roster period (bekendmaking_dagen): the consent window reaches back "
        "to the publication, so the first shifts of every period can never be changed after "
        "consultation for an urgent reason, only with the employee's consent",
        f"{ROSTER} (notice of the roster; changes after publication)")


def generation_pact(plan):
    work = plan.value(PACT, "werktijd_pct")
    pay = plan.value(PACT, "loon_pct")
    pension = plan.value(PACT, "pensioen_pct")
    law = f"{PACT} (generation pact)"
    if work is not None and pay is not None and pay < work:
        yield _finding(
            "error", "pact-pay-below-hours", PACT,
            f"in the generation pact the employee works {_n(work)}% of the hours "
            f"(werktijd_pct) but receives only {_n(pay)}% of the salary (loon_pct): the pact "
            "would pay less per hour worked than before, worse than plain part-time work at "
            "pro-rata pay, while the article grants it as a right", law)
    if pay is not None and pension is not None and pension < pay:
        yield _finding(
            "error", "pact-pension-below-pay", PACT,
            f"in the generation pact pension accrues on {_n(pension)}% of the former salary "
            f"(pensioen_pct) while the employee is paid {_n(pay)}% of it (loon_pct): accrual "
            "would fall below the salary actually paid, while the article has the employer bear "
            "an additional pension contribution", law)
    months = plan.value(PACT, "rvu_maanden")
    years = plan.value(PACT, "vanaf_jaren_voor_aow")
    if months is not None and years is not None and months > years * 12:
        yield _finding(
            "warning", "early-retirement-before-pact", PACT,
            f"early retirement from arduous work may start {_u(months, 'month')} before the "
            f"state pension age (rvu_maanden), before the generation pact opens at "
            f"{_u(years, 'year')} ({_u(years * 12, 'month')}) before it (vanaf_jaren_voor_aow): "
            "an employee in an arduous position could stop working altogether before being "
            "allowed to work less",
            f"{PACT} (generation pact; early retirement)")


def vacation_reminder(plan):
    lapse = plan.value(VACATION, "vervaltermijn_maanden")
    remind = plan.value(VACATION, "herinnering_maanden")
    if lapse is None or remind is None or remind <= lapse:
        return
    yield _finding(
        "warning", "vacation-reminder-early", VACATION,
        f"the reminder {_u(remind, 'month')} before vacation days lapse (herinnering_maanden) "
        f"is due while they are still being accrued, since they lapse {_u(lapse, 'month')} "
        f"after the year of accrual (vervaltermijn_maanden): {_u(remind - lapse, 'month')} "
        "before that year ends, the employer cannot yet tell the employee how many days are "
        "about to lapse",
        f"{VACATION} (reminder; lapse of statutory days)")


def retraining_horizon(plan):
    horizon = plan.value(RETRAINING, "signaleringstermijn")
    notice = plan.value(TRANSITION, "aankondiging_maanden")
    if horizon is None or notice is None or horizon >= notice:
        return
    yield _finding(
        "warning", "retraining-horizon-short", RETRAINING,
        f"the yearly overview looks only {_u(horizon, 'month')} ahead for jobs that will cease "
        f"({RETRAINING}.signaleringstermijn), but employees must be told "
        f"{_u(notice, 'month')} before their job ceases ({TRANSITION}.aankondiging_maanden): a "
        "job has to be announced before it must appear in the overview that starts its "
        "retraining plan",
        f"{RETRAINING} (overview and retraining plan); {TRANSITION} (notice)")


def work_to_work_plan(plan):
    term = plan.value(WORK_TO_WORK, "termijn_maanden")
    due = plan.value(WORK_TO_WORK, "plan_maanden")
    if term is None or due is None or due < term:
        return
    yield _finding(
        "error", "work-to-work-plan-late", WORK_TO_WORK,
        f"the action plan is due {_u(due, 'month')} after the start of the work-to-work "
        f"trajectory (plan_maanden), but the trajectory lasts {_u(term, 'month')} "
        "(termijn_maanden): the plan for the trajectory would only be due when it has ended",
        f"{WORK_TO_WORK} (trajectory; action plan)")


def knowledge_transfer(plan):
    months = plan.value(KNOWLEDGE, "aanvang_maanden")
    weeks = plan.value(KNOWLEDGE, "overlap_weken")
    if months is None or weeks is None or weeks * 7 <= months * DAYS_PER_MONTH:
        return
    yield _finding(
        "warning", "successor-before-transfer-plan", KNOWLEDGE,
        f"the successor is to start {_u(weeks, 'week')} before the departure (overlap_weken), "
        f"but the knowledge transfer plan, which says to whom and how the knowledge passes, is "
        f"due only {_u(months, 'month')} before it (aanvang_maanden): the successor can start "
        "before there is a plan for the transfer",
        f"{KNOWLEDGE} (transfer plan; successor)")


def work_pressure_analysis(plan):
    again = plan.value(ANALYSIS, "herhaling_maanden")
    due = plan.value(ANALYSIS, "plan_maanden")
    if again is None or due is None or due < again:
        return
    yield _finding(
        "warning", "analysis-before-action-plan", ANALYSIS,
        f"the work pressure analysis is repeated within {_u(again, 'month')} "
        f"(herhaling_maanden), but the action plan on an analysis is due only "
        f"{_u(due, 'month')} after it (plan_maanden): the next analysis is due no later than "
        "the action plan on the previous one",
        f"{ANALYSIS} (analysis; action plan)")


def registration_baseline(plan):
    months = plan.value(REGISTRATION, "meting_maanden")
    if months is None:
        return
    by = _within(plan.start, months)
    if by < plan.end:
        return
    reduction = plan.value(REGISTRATION, "reductie_pct")
    yield _finding(
        "error", "registration-baseline-after-term", REGISTRATION,
        f"the registration load is measured within {_u(months, 'month')} of the start date "
        f"(meting_maanden), that is by {by.isoformat()}, but the reduction of "
        f"{_n(reduction) if reduction is not None else '...'}% against that measurement "
        f"(reductie_pct) is due at the end of the term, {plan.end.isoformat()} "
        f"({TERM}): the baseline need not exist before the date by which the reduction must be "
        "reached", f"{REGISTRATION} (measurement; reduction by the end of the term); {TERM}")


def term_deadlines(plan):
    for clause, param, what in TERM_DEADLINES:
        months = plan.value(clause, param)
        if months is None:
            continue
        by = _within(plan.start, months)
        if by > plan.end:
            yield _finding(
                "warning", "deadline-after-term", clause,
                f"{what} within {_u(months, 'month')} of the start date ({param}), that is by "
                f"{by.isoformat()}, but the agreement ends on {plan.end.isoformat()} ({TERM}): "
                "the obligation falls due only after the agreement has expired",
                f"{clause}; {TERM} (term)")


def renewal_notice(plan):
    notice = plan.value(TERM, "opzegtermijn_maanden")
    renewal = plan.value(TERM, "verlenging_maanden")
    if notice is None or renewal is None or notice <= renewal:
        return
    yield _finding(
        "warning", "renewal-shorter-than-notice", TERM,
        f"notice must be given {_u(notice, 'month')} before the end date (opzegtermijn_maanden), "
        f"but a tacit renewal lasts only {_u(renewal, 'month')} (verlenging_maanden): the "
        "notice for a renewed agreement is due before that renewal has even begun, so a party "
        "that misses one deadline can only end the agreement at a later renewal",
        f"{TERM} (notice; tacit renewal)")


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
]


@hookimpl
def register_checks(register):
    for name, function, description in CHECKS:
        register(name, function, description)
