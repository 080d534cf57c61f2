"""A sector's own words put into a clause's text, the words around them made to agree.

Dutch de/het agreement (determiners, adjective endings, a relative die/dat) and the English
article a/an follow a replacement, so a sector's terms read as if written for it.
"""
from __future__ import annotations

import functools
import re
from typing import Callable


def term_replacer(words: dict[str, str]) -> Callable[[str], str] | None:
    """A function replacing whole words (and their plurals) with a sector's own terms.

    The words around a replacement follow it: in English the article "a"/"an" right before it
    ("an employee" becomes "a staff member"), in Dutch the determiners, the adjective endings
    and a relative "die"/"dat" where the replacement has another gender ("de werknemer die"
    becomes "het personeelslid dat", "een oudere werknemer" becomes "een ouder personeelslid").
    A plural is the word with -s, or -leden for a word in -lid; a sector that needs another
    plural names it as a word of its own (werknemers = "personeelsleden"). The two languages'
    rules cannot meet: English has no de/het, and Dutch puts no "a"/"an" before a noun.

    One function per set of words, kept for the process: its compiled pattern and the texts
    it already replaced serve every draft of the sector.
    """
    return _replacer(tuple(sorted(words.items()))) if words else None


@functools.lru_cache(maxsize=32)
def _replacer(items: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    pattern, quick, replace = _rules(items)
    # Most texts hold none of the words: the bare words (same flags) rule that out cheaply.
    # The same text (a sentence many clauses share, a draft the web page renders again) is
    # replaced once.
    done: dict[str, str] = {}

    def apply(text: str) -> str:
        if not quick.search(text):
            return text
        found = done.get(text)
        if found is None:
            found = _sub_near(pattern, quick, replace, text)
            if len(done) < 20_000:
                done[text] = found
        return found
    return apply


def _rules(items: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, re.Pattern, Callable]:
    """The pattern of a set of words (a word with what may come before and after it), the bare
    words alone (same flags), and the replacement of one match."""
    words = dict(items)
    table = {word.lower(): replacement for word, replacement in words.items()}
    plurals = {_plural(word): _plural(replacement) for word, replacement in table.items()}
    # the singular forms, where gender matters; a plural the sector names itself wins
    singular = set(table) - set(plurals)
    table = {**plurals, **table}
    nouns = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
    # An optional determiner (Dutch or English) and up to two Dutch adjectives before the word,
    # and a relative pronoun right after it. Before a de-word an adjective ends in -e or -en;
    # before a het-word it may have no ending at all ("elk nieuw lid").
    adjective = (_ADJECTIVE_ANY if any(_gender_nl(w) == "het" for w in singular)
                 else _ADJECTIVE)
    pattern = re.compile(
        rf"(?:\b(?P<det>{_DETERMINERS})(?P<gap>\s+(?:(?:{adjective})\s+){{0,2}}))?"
        rf"\b(?P<noun>{nouns})\b(?P<rel>,?\s+(?:die|dat)\b)?", re.IGNORECASE)

    def word_of(found: str) -> str:
        # IGNORECASE also matches letters whose lower case differs (the long s of
        # "werknemerſ" matches "s"): then the word is the one that matched.
        key = found.lower()
        if key in table:
            return key
        return next(w for w in table if re.fullmatch(re.escape(w), found, re.IGNORECASE))

    def replace(match: re.Match) -> str:
        found = match.group("noun")
        word = word_of(found)
        new = _same_case(found, table[word])
        det, gap, rel = match.group("det"), match.group("gap") or "", match.group("rel") or ""
        if word in singular:
            old_gender, new_gender = _gender_nl(word), _gender_nl(new.lower())
            if det is not None and det.lower() in ("a", "an"):
                if gap.strip():       # "an older employee": the article agrees with the adjective
                    return match.group(0)[:match.start("noun") - match.start()] + new + rel
                det = _same_case(det, _english_article(new))
            elif det is not None and old_gender != new_gender:
                det, gap = _agree_nl(det, gap, new_gender)
            if rel and old_gender != new_gender:
                rel = re.sub(r"\b(die|dat)\b", lambda m: _same_case(
                    m.group(0), "dat" if new_gender == "het" else "die"), rel, flags=re.I)
        return (det or "") + gap + new + rel
    return pattern, re.compile(nouns, re.IGNORECASE), replace


def _sub_near(pattern: re.Pattern, quick: re.Pattern, replace: Callable, text: str) -> str:
    """pattern.sub(replace, text), the pattern only tried near the words (`quick`).

    A match is a word with at most a determiner and two adjectives before it, each followed
    by blanks, so it starts at most three runs of non-blanks before the place where a word
    first occurs (in the run of that place, or in one of the three before it): nothing
    earlier can match, and the search starts there. (This needs each word to start with a
    non-blank, as content.py makes every sector's word start with a letter, digit or _.) Trying
    the long pattern at every position of a text was most of the cost of putting a sector's
    words into a large draft.
    """
    pieces, kept = [], 0
    while (word := quick.search(text, kept)) is not None:
        # Back three times over blanks and the run before them: from a word that starts its
        # run, past both adjectives and the determiner; from inside a run, to its start and
        # past the two runs before it. Never back into what was replaced already.
        start = word.start()
        for _ in range(3):
            while start > kept and text[start - 1].isspace():
                start -= 1
            while start > kept and not text[start - 1].isspace():
                start -= 1
        match = pattern.search(text, start)
        if match is None:
            break
        pieces += [text[kept:match.start()], replace(match)]
        kept = match.end()
    pieces.append(text[kept:])
    return "".join(pieces)


# Dutch determiners that differ between de- and het-words (de form, het form), then the ones that
# do not, then the English articles.
_DET_NL = {"de": "het", "deze": "dit", "die": "dat", "elke": "elk", "iedere": "ieder",
           "welke": "welk", "onze": "ons", "geen": "geen", "een": "een", "zijn": "zijn",
           "haar": "haar", "hun": "hun"}
_DET_NL_HET = {het: de for de, het in _DET_NL.items() if de != het}
_DETERMINERS = "|".join(sorted(set(_DET_NL) | set(_DET_NL_HET) | {"a", "an"},
                               key=len, reverse=True))
_INDEFINITE_NL = {"een", "geen", "elk", "elke", "ieder", "iedere", "welk", "welke", "ons", "onze"}
# A Dutch attributive adjective: a word in -e or -en (oudere, betrokken), not a function word.
_ADJECTIVE = (r"(?!(?:en|de|die|deze|een|geen|elke|iedere|welke|onze|tussen|tegen|boven|binnen"
              r"|buiten|zonder|worden|hebben)\b)[a-zà-ÿ][a-zà-ÿ-]*?e(?:n)?\b")
_ADJECTIVE_ANY = (r"(?!(?:en|of|de|het|die|dat|deze|dit|een|geen|elk|elke|ieder|iedere|welk|welke"
                  r"|ons|onze|van|voor|met|op|in|aan|bij|door|naar|om|te|tot|uit|over|is|wordt"
                  r"|heeft|kan|mag|moet|zal|zijn|haar|hun|niet|ook|als|dan|of|wel)\b)"
                  r"[a-zà-ÿ][a-zà-ÿ-]*")
# Dutch person nouns that take "het": compounds of -lid and -hoofd, diminutives, and a few more.
_HET_ENDINGS = ("lid", "hoofd", "kind", "je", "personeel", "talent")


def _same_case(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _plural(word: str) -> str:
    """The plural of a term: -s in both languages, -leden for a Dutch word in -lid."""
    if word.endswith("lid"):
        return word[:-3] + "leden"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|ch|sh)$", word):
        return word + "es"
    return word + "s"


def _gender_nl(word: str) -> str:
    return "het" if word.split()[-1].endswith(_HET_ENDINGS) else "de"


def _english_article(word: str) -> str:
    """"a" or "an" by the sound the word starts with (a union, an hour, an employee)."""
    first = word.lower().split()[0] if word.split() else ""
    if re.match(r"(hour|honest|honour|heir)", first):
        return "an"
    if re.match(r"(uni(?![nmd])|unanim|use|usu|uti|ura|ure|uro|eu|one\b|once\b)", first):
        return "a"
    return "an" if first[:1] in "aeiou" else "a"


def _agree_nl(det: str, gap: str, gender: str) -> tuple[str, str]:
    """A Dutch determiner and the adjectives after it, made to agree with a noun's gender."""
    lower = det.lower()
    if lower in ("a", "an"):
        return det, gap
    new = _DET_NL.get(lower, lower) if gender == "het" else _DET_NL_HET.get(lower, lower)
    indefinite = lower in _INDEFINITE_NL or new in _INDEFINITE_NL
    if indefinite and gap.strip():
        def inflect(match: re.Match) -> str:
            adjective = match.group(0)
            return _uninflected(adjective) if gender == "het" else _inflected(adjective)
        gap = re.sub(r"[a-zà-ÿ][a-zà-ÿ-]*", inflect, gap, flags=re.I)
    return _same_case(det, new), gap


def _uninflected(adjective: str) -> str:
    """oudere -> ouder, nieuwe -> nieuw, grote -> groot, natte -> nat, boventallige -> boventallig."""
    if not adjective.endswith("e") or len(adjective) < 4:
        return adjective
    stem = adjective[:-1]
    if re.search(r"([^aeiou])\1$", stem):                   # natte -> nat
        return stem[:-1]
    if re.search(r"(ig|er|el|en|em|lijk|isch)$", stem):     # unstressed last syllable
        return stem
    if re.search(r"(^|[^aeiou])[aeou][^aeiouwjy]$", stem):  # grote -> groot
        return stem[:-1] + stem[-2] + stem[-1]
    return stem


def _inflected(adjective: str) -> str:
    """ouder -> oudere, nieuw -> nieuwe, groot -> grote, nat -> natte (the reverse)."""
    if adjective.endswith("e"):
        return adjective
    if re.search(r"(ig|er|el|en|em|lijk|isch)$", adjective):
        return adjective + "e"
    if re.search(r"([aeou])\1[^aeiouwjy]$", adjective):      # groot -> grote
        return adjective[:-2] + adjective[-1] + "e"
    if re.search(r"(^|[^aeiou])[aeiou][^aeiouwjy]$", adjective):  # nat -> natte
        return adjective + adjective[-1] + "e"
    return adjective + "e"
