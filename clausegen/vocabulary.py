"""The words a draft uses, per language: every word clausegen itself writes into a document.

Headings, labels, the title page, the intern annexes, findings, the mandate and the change
summary, for each language of model.LANGUAGES. Clause texts come from the library, and the web
page's own words are in web/texts.py. A new language is one more key in every table here
(tests/test_vocabulary.py checks that no table misses a word).
"""
from __future__ import annotations

# ---------------------------------------------------------------- numbering

# What Word numbering and cross-references call a chapter and an article.
LEVEL_WORDS = {"nl": ("Hoofdstuk", "Artikel"), "en": ("Chapter", "Article")}
# The numbered headings of the intern version's annexes ("Bijlage 1").
ANNEX_WORDS = {"nl": "Bijlage", "en": "Annex"}

# ---------------------------------------------------------------- values

# What a number of each unit type (params.UNITS) counts: (singular, plural).
UNIT_WORDS = {
    "nl": {"hours": ("uur", "uur"), "days": ("dag", "dagen"), "weeks": ("week", "weken"),
           "months": ("maand", "maanden"), "years": ("jaar", "jaar")},
    "en": {"hours": ("hour", "hours"), "days": ("day", "days"), "weeks": ("week", "weeks"),
           "months": ("month", "months"), "years": ("year", "years")},
}
# A true/false parameter as a draft prints it.
YES_NO = {"nl": ("ja", "nee"), "en": ("yes", "no")}
# Where a value came from (model.SOURCES), as the annex and the mandate say it.
SOURCE_WORDS = {"nl": {"default": "standaard", "position": "positie", "sector": "sector",
                       "spec": "opgegeven"},
                "en": {"default": "default", "position": "position", "sector": "sector",
                       "spec": "given"}}

# ---------------------------------------------------------------- the draft

# The draft in every format (draft.py, the Word, markdown and HTML writers): title page,
# chapters, notes, placeholders and the intern version's markings and annexes.
DRAFT_WORDS = {
    "nl": {"concept": "CONCEPT", "page": "Pagina", "of": "van",
           "and": "en", "parties": "hierna te noemen: cao-partijen",
           "until": "tot en met", "version": "versie", "position": "positie",
           "toelichting": "Toelichting", "fill": "Vul in", "to_fill": "in te vullen",
           "missing_ref": "verwijzing naar {target}: dat artikel staat niet in dit concept",
           "contents": "Inhoud", "frame": "Algemene bepalingen",
           "definitions": "Begripsbepalingen",
           "definitions_intro": "In deze cao wordt verstaan onder:",
           "annex": "Verantwoording van dit concept",
           "annex_intro": "Per artikel: de bepaling, de versie, de plugin waar zij vandaan komt, "
                          "de onderhandelingspositie en elke waarde met haar herkomst.",
           "findings": "Toetsing aan de wet", "no_findings": "De toetsing gaf geen bevindingen.",
           "findings_head": ["Bepaling", "Bevinding", "Wet"],
           "annex_head": ["Artikel", "Bepaling, versie, plugin, positie", "Waarden (herkomst)"],
           "full_title": "Collectieve arbeidsovereenkomst voor de sector {sector}",
           "undersigned": "De ondergetekenden:",
           "one_side": ("als partij ter ene zijde,", "als partijen ter ene zijde,"),
           "other_side": ("als partij ter andere zijde,", "als partijen ter andere zijde,"),
           "entered": "zijn de volgende collectieve arbeidsovereenkomst aangegaan.",
           "draft_of": "Concept van {date}",
           "levels": {"error": "fout", "warning": "waarschuwing", "info": "info"},
           "toelichting_chapter": "Toelichting per artikel",
           "arguments": "Argumenten (intern)",
           "confidential": "VERTROUWELIJK – intern",
           "confidential_note": "Alleen voor de onderhandelingsdelegatie en de juristen van "
                                "de vakbond. Niet aan de werkgevers geven: deze versie bevat "
                                "de posities, het mandaat en de interne argumenten.",
           "mandate": "Mandaat"},
    "en": {"concept": "DRAFT", "page": "Page", "of": "of",
           "and": "and", "parties": "hereinafter: the parties to the agreement",
           "until": "up to and including", "version": "version", "position": "position",
           "toelichting": "Explanatory note", "fill": "Fill in", "to_fill": "to fill in",
           "missing_ref": "reference to {target}: that article is not in this draft",
           "contents": "Contents", "frame": "General provisions",
           "definitions": "Definitions",
           "definitions_intro": "In this collective labour agreement:",
           "annex": "How this draft was made",
           "annex_intro": "Per article: the clause, its version, the plugin it came from, the "
                          "negotiating position and every value with where it came from.",
           "findings": "Legal checks", "no_findings": "The checks found nothing to report.",
           "findings_head": ["Clause", "Finding", "Law"],
           "annex_head": ["Article", "Clause, version, plugin, position", "Values (source)"],
           "full_title": "Collective labour agreement for the {sector} sector",
           "undersigned": "The undersigned:",
           "one_side": ("as party of the one part,", "as parties of the one part,"),
           "other_side": ("as party of the other part,", "as parties of the other part,"),
           "entered": "have entered into the following collective labour agreement.",
           "draft_of": "Draft of {date}",
           "levels": {"error": "error", "warning": "warning", "info": "info"},
           "toelichting_chapter": "Explanatory notes per article",
           "arguments": "Arguments (internal)",
           "confidential": "CONFIDENTIAL – internal",
           "confidential_note": "For the negotiating delegation and the union's lawyers only. "
                                "Do not give to the employers: this version holds the "
                                "positions, the mandate and the internal arguments.",
           "mandate": "Mandate"},
}
# The intern version's review annex (annex.py): its header, and under a clause that replaced
# another (a sector plugin's override) which one, from where.
REVIEW_WORDS = {
    "nl": {"head": ["Artikel", "Bepaling", "Versie", "Plugin", "Positie", "Waarden (herkomst)"],
           "replaces": "vervangt {id} {version} van plugin {plugin}"},
    "en": {"head": ["Article", "Clause", "Version", "Plugin", "Position", "Values (source)"],
           "replaces": "replaces {id} {version} from plugin {plugin}"},
}
# Findings of the planning stage, as the intern version lists them.
FINDING_WORDS = {
    "nl": {"below": "{name}: {what} {shown} is slechter voor werknemers dan de huidige cao van "
                    "{sector} ({now})",
           "order": "{name}: de eigen waarden van sector {sector} zetten de posities in de "
                    "verkeerde volgorde: {problem}",
           "given": "opgegeven",
           "all_sectors": "{new} van plugin {plugin} vervangt {old} ({was}) in de concepten van "
                          "alle sectoren (scope = \"all\")",
           "added": "{target} toegevoegd omdat {by} die bepaling vereist",
           "deprecated_overrides": "{file}: [overrides] is verouderd; zet de waarden van de "
                                   "huidige cao van de sector onder [current] en de eigen "
                                   "waarden per positie onder [positions.<positie>]",
           "deprecated_key": "{file}: [{old}] is verouderd en telt als intern; gebruik {new}"},
    "en": {"below": "{name}: {what} {shown} is worse for workers than the current cao of "
                    "{sector} ({now})",
           "order": "{name}: sector {sector}'s own values put the positions out of order: "
                    "{problem}",
           "given": "given",
           "all_sectors": "{new} from plugin {plugin} replaces {old} ({was}) in every sector's "
                          "drafts (scope = \"all\")",
           "added": "{target} added because {by} requires it",
           "deprecated_overrides": "{file}: [overrides] is deprecated; put the sector's current "
                                   "cao values under [current] and its own values per position "
                                   "under [positions.<position>]",
           "deprecated_key": "{file}: [{old}] is deprecated and counts as internal; use {new}"},
}

# ---------------------------------------------------------------- the mandate

# The mandate (mandate.py, writers/mandate.py): "head" heads its Word and markdown table,
# "columns" its spreadsheet; "better" is the direction that is better for workers, "units"
# the unit of the types that are not in UNIT_WORDS.
MANDATE_WORDS = {
    "nl": {"title": "Mandaat", "confidential": "VERTROUWELIJK – mandaat van de delegatie; "
                                               "niet aan de werkgevers geven",
           "page": "Pagina", "of": "van", "date": "Datum", "position": "Positie van dit concept",
           "sheet": "Mandaat", "category": "VERTROUWELIJK", "keywords": "mandaat; vertrouwelijk",
           "head": ["Artikel", "Parameter", "Beter", "Huidige cao", "Openingsbod", "Doel",
                    "Ondergrens", "Wettelijke grens", "Dit concept (herkomst)"],
           "columns": ["Artikel", "Bepaling", "Bepaling (id)", "Parameter", "Parameter (id)",
                       "Eenheid", "Beter", "Huidige cao", "Openingsbod", "Doel", "Ondergrens",
                       "Wettelijke grens", "Wet", "Dit concept", "Positie", "Herkomst"],
           "better": {"higher": "hoger", "lower": "lager", "": "–"},
           "units": {"money": "euro", "percentage": "%"}},
    "en": {"title": "Mandate", "confidential": "CONFIDENTIAL – the delegation's mandate; "
                                               "do not give to the employers",
           "page": "Page", "of": "of", "date": "Date", "position": "Position of this draft",
           "sheet": "Mandate", "category": "CONFIDENTIAL", "keywords": "mandate; confidential",
           "head": ["Article", "Parameter", "Better", "Current cao", "Opening bid", "Target",
                    "Walk-away", "Legal limit", "This draft (source)"],
           "columns": ["Article", "Clause", "Clause (id)", "Parameter", "Parameter (id)",
                       "Unit", "Better", "Current cao", "Opening bid", "Target", "Walk-away",
                       "Legal limit", "Law", "This draft", "Position", "Source"],
           "better": {"higher": "higher", "lower": "lower", "": "–"},
           "units": {"money": "euro", "percentage": "%"}},
}

# ---------------------------------------------------------------- the change summary

# What changed between two rounds (compare.py) and the redline's annex that lists it
# (writers/redline.py).
CHANGE_WORDS = {
    "nl": {"lid": "lid", "new": "Nieuw", "deleted": "vervallen", "moved": "verplaatst, was",
           "text": "tekst gewijzigd", "definition_new": "begripsbepaling toegevoegd",
           "definition_gone": "begripsbepaling vervallen",
           "annex": "Wijzigingen ten opzichte van het vorige concept",
           "intro": "Ten opzichte van het concept van {date}. Elke wijziging staat in de tekst "
                    "als bijgehouden wijziging.",
           "since": "Ten opzichte van het concept van {date}.",
           "none": "Er zijn geen wijzigingen.", "head": ["Artikel", "Wijziging"]},
    "en": {"lid": "paragraph", "new": "New", "deleted": "deleted", "moved": "moved, was",
           "text": "text changed", "definition_new": "definition added",
           "definition_gone": "definition deleted",
           "annex": "Changes since the previous draft",
           "intro": "Compared with the draft of {date}. Each change is in the text as a tracked "
                    "change.",
           "since": "Compared with the draft of {date}.",
           "none": "There are no changes.", "head": ["Article", "Change"]},
}
