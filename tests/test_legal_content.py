"""Clauses a cao lawyer would sign: the legal basis they rest on is cited, and no clause promises
what the law does not let it promise."""
import re

import pytest

from rendered import texts

DATA_RULES = re.compile(r"personeelsvolgsysteem|algoritmisch(e)? syste(em|men)", re.I)


def test_rules_on_employee_data_cite_article_88_gdpr(library):
    """Art. 88 AVG lets a collective agreement set more specific rules on the processing of
    employee data: the basis of every clause that rules on monitoring or algorithms."""
    ruling = [c for c in library.clauses.values() if DATA_RULES.search(c.text.get("nl", ""))]
    assert {c.id for c in ruling} >= {"robotisering.monitoring",
                                      "robotisering.algoritmisch-management"}
    for clause in ruling:
        assert "artikel 88 AVG" in clause.legal_basis, clause.id
        assert "rtikel 88 AVG" in clause.explanation["nl"], clause.id
        assert "Article 88 GDPR" in clause.explanation["en"], clause.id


def article(library, clause, language, position="doel"):
    parts = {}
    for where, text in texts(library, "vvt", language, positions=(position,), clauses=[clause]):
        if where.split()[3] == clause:
            parts[where.split(maxsplit=4)[4]] = text
    return parts


@pytest.mark.parametrize("language, urgent, law", [("nl", "dringende reden", "7:677 lid 1 BW"),
                                                    ("en", "urgent reason", "7:677(1)")])
def test_a_review_does_not_hold_up_a_dismissal_for_an_urgent_reason(library, language, urgent,
                                                                    law):
    """A dismissal for an urgent reason must be given without delay (art. 7:677 BW): a pending
    review of an algorithmic outcome cannot suspend it, and the explanation says why."""
    parts = article(library, "robotisering.algoritmisch-management", language)
    body = " ".join(t for p, t in parts.items() if p.startswith("lid"))
    assert urgent in body and law in body
    assert urgent in parts["explanation"] and law in parts["explanation"]
    # no sentence that suspends every termination while a review runs
    assert not re.search(r"(beëindiging van de arbeidsovereenkomst wordt niet uitgevoerd zolang"
                         r"|termination of the employment contract is not carried out while)", body)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_free_choice_of_company_doctor_leaves_sickness_support_in_the_employer_s_contract(
        library, language):
    """The employer must promote reintegration with an expert it contracts (art. 7:658a BW,
    art. 14 Arbowet): the free choice covers the open consultation hour; during sickness the
    employee may ask for another company doctor within the employer's arrangements."""
    parts = article(library, "werkdruk.bedrijfsarts", language, position="openingsbod")
    body = " ".join(t for p, t in parts.items() if p.startswith("lid"))
    if language == "nl":
        assert not re.search(r"voor de begeleiding bij ziekte\s+kiezen", body)
        assert "Bij ziekte begeleidt de bedrijfsarts met wie de werkgever de overeenkomst" in body
    else:
        assert "for support during sickness, the employee may choose" not in body
        assert "During sickness, the company doctor with whom the employer has concluded" in body
    assert "7:658a" in parts["explanation"]
