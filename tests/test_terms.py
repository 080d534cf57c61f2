"""One word for one thing, as the begripsbepalingen define it.

Every term a begripsbepaling defines is searched in every rendered text: a draft that uses it must
define it. A term in DOMAIN_TERMS must stay defined. A synonym decided against (SYNONYMS) fails
wherever it appears, in either language."""
import re

import pytest

from rendered import article_texts, drafts
from test_spelling import texts as source_texts

# rejected -> the word the library uses instead
SYNONYMS = {
    "nl": {
        r"met behoud van salaris": "met behoud van loon (loon is gedefinieerd)",
        r"\barbeidstijd\b": "werktijd (gedefinieerd)",
        r"leerling in de beroepsbegeleidende leerweg": "BBL-leerling (gedefinieerd)",
        r"\b(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf) ?maal\b":
            "cijfers, zoals in de rest van de tekst: 4 maal",
        r"\b6[67](,\d+)? ?%": "twee derde (66% is geen twee derde)",
    },
    "en": {
        r"retention of salary\b(?! and)": "continued pay",
        r"\b(during|outside|in|within) working hours\b":
            "working time (onder werktijd); 'the working hours' is the arbeidsduur",
        r"student in the work-based learning pathway": "BBL student (defined)",
        r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) times\b":
            "figures, as in the rest of the text: 4 times",
        r"\b6[67](\.\d+)? ?%": "two thirds (66% is not two thirds)",
    },
}

# Domain terms that must stay defined: the library may not use them without a begripsbepaling.
DOMAIN_TERMS = ["roosterplanner", "teamrooster", "roosterronde", "roosterperiode", "rooster",
                "bezettingsnorm", "zelfroosteren", "invaldienst", "BBL-leerling", "loon",
                "werktijd", "maandsalaris", "uurloon", "ontwikkelbudget", "loopbaanscan",
                "generatiepact", "zware functie", "boventallige werknemer", "passende functie",
                "overdrachtsplan", "effectanalyse", "algoritmisch systeem", "dienst",
                "arbeidsduur", "leidinggevende", "ondernemingsraad", "registratielast"]

# Fixed expressions that use a defined word in another, ordinary sense.
IDIOMS = re.compile(r"\b(in|uit)\s+dienst\b|aanbestedende\s+diensten?|\bvoor\s+wiens\s+rekening",
                    re.I)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_synonym_decided_against(library, library_texts, language):
    everything = list(library_texts(language)) + list(source_texts(library, language))
    found = [(where, m.group(0), SYNONYMS[language][pattern])
             for where, text in everything
             for pattern in SYNONYMS[language]
             for m in re.finditer(pattern, text, re.I)]
    assert not found, found[:10]


def test_the_domain_terms_are_defined(library):
    defined = {d.term["nl"].split(" (")[0].lower() for d in library.definitions.values()}
    assert not [t for t in DOMAIN_TERMS if t.lower() not in defined]


def term_pattern(term: str) -> re.Pattern:
    base = re.escape(term.split(" (")[0])
    return re.compile(rf"(?<![\w-]){base}(s|en|'s)?(?![\w-])", re.I)


def test_a_draft_that_uses_a_defined_term_defines_it(library):
    """Per draft (every clause, every sector that uses the library's own words): every defined
    term that appears in an article or in another definition is in the begripsbepalingen."""
    terms = {d.id: term_pattern(d.term["nl"]) for d in library.definitions.values()}
    problems = set()
    for sector in sorted(s.id for s in library.sectors.values() if not s.terminology.get("nl")):
        for draft in drafts(library, sector, "nl", positions=("doel",)):
            defined = {d.id for d in draft.plan.definitions}
            for chapter in draft.chapters:
                for article in chapter.articles:
                    for part, text in article_texts(article):
                        if part in ("explanation", "arguments", "title"):
                            continue
                        text = IDIOMS.sub(" ", text)
                        for def_id, pattern in terms.items():
                            if def_id not in defined and pattern.search(text):
                                problems.add((article.key, def_id))
    assert not problems, sorted(problems)
