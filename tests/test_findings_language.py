"""Findings speak the draft's language: a Dutch draft gets Dutch findings with Dutch numbers,
money and dates, an English draft English ones. Every check of wettelijk and samenhang is made to
fire in both languages and its messages are spell-checked in that language."""
import re
import shutil
import subprocess

import pytest

from clausegen.planning import plan_draft

import test_samenhang
import test_wettelijk
from test_spelling import allowed

CHECK_PLUGINS = {"wettelijk", "samenhang"}


def findings(library, language):
    """Every finding of both plugins, from drafts built to break each check."""
    found = list(plan_draft(test_wettelijk.breaking_spec(language), library).findings)
    found += plan_draft(test_wettelijk.breaking_spec(
        language, **{"werkdruk.roosterinspraak:bekendmaking_dagen": 2,
                     "werkdruk.verlof-opnemen:vakantie_weken": 3,
                     "werkdruk.verlof-opnemen:vervaltermijn_maanden": 3,
                     "generaties.flexibiliteit:beslistermijn_weken": 6}), library).findings
    for case in test_samenhang.CASES:
        breaking, spec = case[4], case[6]
        found += test_samenhang.make_plan(library, breaking, language=language, **spec).findings
    for clause, param in test_samenhang.TERM_CASES:
        found += test_samenhang.make_plan(library, {clause: {param: 9}}, language=language,
                                          **test_samenhang.HALF_YEAR).findings
    plugins = {c.name for c in library.checks if c.provenance.plugin in CHECK_PLUGINS}
    return [f for f in found if f.check in plugins]


def test_every_check_is_made_to_fire(library):
    plugins = {c.name for c in library.checks if c.provenance.plugin in CHECK_PLUGINS}
    for language in ("nl", "en"):
        assert {f.check for f in findings(library, language)} == plugins


ENGLISH = re.compile(r"\b(the|and|employee|employer|months?|days?|weeks|years?|hours?|"
                     r"EUR)\b|\d,\d{3}|\d\.\d\d\b")
DUTCH = re.compile(r"\b(de|het|van|een|werknemer|werkgever|maanden|dagen|weken|jaar|uur|"
                   r"januari|juni|december)\b|€ \d|\d\.\d{3}\b")
IDENTIFIERS = re.compile(r"\b[a-z]+(?:\.[a-z0-9-]+)+\b|\b[a-z]+(?:_[a-z]+)+\b")


def plain(message):
    """The message without the clause and parameter names it quotes."""
    return IDENTIFIERS.sub(" ", message)


def test_a_dutch_draft_gets_dutch_findings(library):
    wrong = [(f.code, m.group(0)) for f in findings(library, "nl")
             for text in (f.message, f.law) for m in ENGLISH.finditer(plain(text))]
    assert not wrong, wrong[:10]


def test_an_english_draft_gets_english_findings(library):
    wrong = [(f.code, m.group(0)) for f in findings(library, "en")
             for text in (f.message, f.law) for m in DUTCH.finditer(plain(text))]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("language, level", [("nl", "waarschuwing"), ("en", "warning")])
def test_a_markdown_draft_names_the_level_in_its_language(cli, tmp_path, language, level):
    """The intern markdown draft marks a finding with its level in the draft's language, at
    its article and in the annex, as the Word draft does."""
    out = tmp_path / "intern.md"
    result = cli("generate", "--sector", "vvt", "--audience", "intern", "--language", language,
                 "--date", "2026-12-01", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert f"** {level}: " in text and f"\n- {level}: " in text
    assert language == "en" or "warning:" not in text


@pytest.mark.skipif(not shutil.which("hunspell"), reason="hunspell is not installed")
@pytest.mark.parametrize("language, dictionary", [("nl", "nl_NL"), ("en", "en_GB")])
def test_findings_are_spelled_right(library, language, dictionary):
    words = {}
    for finding in findings(library, language):
        for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", plain(finding.message)):
            words.setdefault(word, finding.code)
    result = subprocess.run(["hunspell", "-d", dictionary, "-l"], input="\n".join(sorted(words)),
                            capture_output=True, text=True, check=True)
    unknown = sorted(set(result.stdout.split()) - allowed(language))
    assert not unknown, [(w, words.get(w)) for w in unknown]
