"""The plain data types that flow through clausegen: library items, the plan and the draft."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

LANGUAGES = ("nl", "en")
POSITIONS = ("openingsbod", "doel", "ondergrens")   # strongest for workers first
# Who a draft is for: the other side of the table, or the union's own delegation.
AUDIENCES = ("tafel", "intern")
# Which way a numeric parameter is better for workers.
DIRECTIONS = ("higher", "lower")
# Where a parameter value came from, lowest precedence first.
SOURCES = ("default", "position", "sector", "spec")

Text = dict  # {"nl": str, "en": str}


@dataclass(frozen=True)
class Provenance:
    """Where a library item came from: plugin, its distribution and version, and the file."""

    plugin: str
    distribution: str = ""
    version: str = ""
    file: str = ""

    @property
    def label(self) -> str:
        return f"{self.plugin}@{self.version}" if self.version else self.plugin


# What an item made in Python carries until a plugin registers it: Library.add puts the
# registering plugin's provenance in its place (keeping the file, if one was set), so every
# library item names its plugin. Only an item no plugin registered says "unknown".
UNKNOWN = Provenance(plugin="unknown")


@dataclass
class Theme:
    """A chapter of the library (robotisering, generaties, werkdruk, ...): title and order."""

    id: str
    title: Text
    description: Text = field(default_factory=dict)
    order: int = 100
    provenance: Provenance = UNKNOWN


@dataclass
class Parameter:
    """A number, amount, date, choice or text a clause leaves open, with its bounds and the
    direction that is better for workers."""

    name: str
    type: str
    default: Any = None          # None: no default, the draft shows a placeholder
    min: Any = None
    max: Any = None
    choices: tuple = ()
    label: Text = field(default_factory=dict)
    help: Text = field(default_factory=dict)
    better: str = ""             # "higher" | "lower": better for workers; "" not said


@dataclass
class Clause:
    """One clause of the library: its texts per language, parameters, positions and the rules
    that tie it to other clauses, with where it came from."""

    id: str
    version: str
    theme: str
    title: Text
    text: Text
    summary: Text = field(default_factory=dict)
    explanation: Text = field(default_factory=dict)   # public: may be read across the table
    arguments: Text = field(default_factory=dict)     # internal: for the delegation only
    parameters: dict[str, Parameter] = field(default_factory=dict)
    positions: dict[str, dict[str, Any]] = field(default_factory=dict)
    definitions: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    always: bool = False
    order: int = 100            # place inside its chapter (lower first); ties keep request order
    overrides: str = ""
    # Where an override applies: "" (the sectors its own plugin registers), "all", or a tuple
    # of sector ids. Only read when `overrides` is set.
    scope: str | tuple[str, ...] = ""
    # An override's answer to parameters of the clause it replaces that it names otherwise:
    # old name -> its own parameter, so specs, --set and sector values keep building.
    parameter_map: dict[str, str] = field(default_factory=dict)
    # Numbers the texts may state as literals although a position has the same value: facts
    # such as a statutory term. {"28": "artikel 4:2 lid 2 Arbeidstijdenwet"}
    fixed_numbers: dict[str, str] = field(default_factory=dict)
    # Old keys still read, each with the key that replaces it: [("toelichting", "arguments")]
    deprecated: tuple[tuple[str, str], ...] = ()
    provenance: Provenance = UNKNOWN
    digest: str = ""            # sha256 of the file it was read from (for the library hash)
    # 1-based line of each top-level key / "parameters.x" / "positions.p" in the source file.
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Definition:
    """A term of the begripsbepalingen and its definition per language."""

    id: str
    term: Text
    text: Text
    provenance: Provenance = UNKNOWN
    digest: str = ""            # sha256 of the file it was read from


@dataclass
class Sector:
    """A sector profile: parties, recommended clauses, its own words, its current cao."""

    id: str
    name: Text
    cao: Text
    employers: tuple[str, ...] = ()
    unions: tuple[str, ...] = ()
    description: Text = field(default_factory=dict)
    article_numbering: str = "continuous"     # or "per_chapter"
    recommended: tuple[str, ...] = ()
    terminology: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> {word: word}
    # The sector's current cao (huidige cao): a fact to show and check against, never a value.
    current: dict[str, Any] = field(default_factory=dict)                 # "clause.param" -> value
    # The sector's own value per position, where it differs from the clause's.
    positions: dict[str, dict[str, Any]] = field(default_factory=dict)    # position -> {key: value}
    # Deprecated [overrides]: one value for every position (read as before, with a warning).
    overrides: dict[str, Any] = field(default_factory=dict)               # "clause.param" -> value
    replaces: str = ""          # id of a sector profile this one replaces (a sector plugin's own)
    provenance: Provenance = UNKNOWN
    digest: str = ""            # sha256 of the file it was read from
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)


# How much a finding matters. Errors and warnings are problems: printed, written into the
# intern draft, and errors fail --strict. An "info" is a note (a clause added because another
# requires it): printed only.
Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")
PROBLEM_LEVELS: tuple[Level, ...] = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    """A result of a check over a planned draft: an error, a warning or a note, citing its law."""

    level: Level        # one of LEVELS
    code: str
    message: str
    clause: str = ""
    law: str = ""
    check: str = ""     # plugin that produced it


@dataclass
class Check:
    """A named check function over a Plan, contributed by a plugin."""

    name: str
    function: Callable[["Plan"], Any]
    description: str = ""
    provenance: Provenance = UNKNOWN
    # The legal limit the check holds values to, per "clause.param": (value, citation). For a
    # parameter that is better higher it is a floor, for one better lower a ceiling.
    floors: dict[str, tuple[Any, str]] = field(default_factory=dict)


# ---------------------------------------------------------------- the spec and the plan


@dataclass
class ClauseChoice:
    """One clause as the spec asks for it."""

    id: str
    position: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    line: int | None = None             # the [[clause]] header's line in the spec file
    # Lines of the keys inside that table ("id", "position", "values.x"), for errors.
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class DraftSpec:
    """What a negotiator asks for: the contents of a spec file or of CLI options."""

    sector: str
    language: str = "nl"
    position: str = "doel"
    audience: str = "tafel"
    title: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    date: dt.date | None = None
    employers: tuple[str, ...] | None = None
    unions: tuple[str, ...] | None = None
    clauses: list[ClauseChoice] = field(default_factory=list)
    themes: tuple[str, ...] = ()
    source: str | None = None           # spec file path, for error messages
    source_text: str | None = None      # raw text, hashed into the document properties


@dataclass
class PlannedValue:
    """A parameter's value in a plan and where it came from (default, position, sector, spec)."""

    value: Any
    source: str          # one of SOURCES


@dataclass
class ParameterPositions:
    """One parameter as a negotiator weighs it: each position's value for this sector, the
    sector's current cao value, and which way is better for workers."""

    clause: str
    param: "Parameter"
    positions: dict[str, Any]           # position -> value (None: no value)
    sources: dict[str, str]             # position -> "default" | "position" | "sector"
    current: Any = None                 # None: the sector profile does not say


@dataclass
class PlannedClause:
    """A clause as a draft holds it: its position, values, number and chapter."""

    clause: Clause
    position: str
    values: dict[str, PlannedValue]
    # Per parameter: the value of each position for this sector (what `positions` shows an
    # internal template and the mandate), and the sector's current cao value.
    ladder: dict[str, ParameterPositions] = field(default_factory=dict)
    number: str = ""                    # "12" or "3.2": the article number in this draft
    chapter: int = 0
    # The clause this one replaced in this draft (a sector plugin's override), or None. Only
    # the intern outputs name it.
    replaces: Clause | None = None


@dataclass
class Plan:
    """The validated choice of everything: sector, clauses in order, values and their sources."""

    spec: DraftSpec
    sector: Sector
    title: str
    start: dt.date
    end: dt.date
    date: dt.date
    employers: tuple[str, ...]
    unions: tuple[str, ...]
    themes: list[Theme]
    clauses: list[PlannedClause]
    definitions: list[Definition]
    findings: list[Finding] = field(default_factory=list)

    def clause(self, clause_id: str) -> PlannedClause | None:
        """The planned clause with this id, or the one that replaced the clause of this id."""
        for planned in self.clauses:
            if planned.clause.id == clause_id:
                return planned
        for planned in self.clauses:
            if planned.replaces is not None and planned.replaces.id == clause_id:
                return planned
        return None

    def value(self, clause_id: str, param: str) -> Any:
        """The planned value of a parameter, or None when the clause is not in the plan.

        A parameter of a replaced clause is found under the name the override maps it to."""
        planned = self.clause(clause_id)
        if planned is None:
            return None
        param = planned.clause.parameter_map.get(param, param)
        if param not in planned.values:
            return None
        return planned.values[param].value


# ---------------------------------------------------------------- the draft (block model)


@dataclass(frozen=True)
class Span:
    """A run of text with emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Ref:
    """A cross-reference to another article; `label` is its number in this draft ("12", "3.2")."""

    target: str
    label: str
    word: str = "artikel"


@dataclass(frozen=True)
class Placeholder:
    """A value still to be filled in: shown highlighted, explained in a comment."""

    name: str
    hint: str


Inline = Span | Ref | Placeholder


@dataclass
class Sub:
    """A sub-item (a, b, c) of a lid: its inline text."""

    inlines: list


@dataclass
class Lid:
    """A numbered paragraph (lid) of an article: its inline text and sub-items."""

    inlines: list
    subs: list[Sub] = field(default_factory=list)


@dataclass
class Article:
    """A rendered article: number, title, leden, and its explanation and arguments."""

    key: str                 # clause id, or a generated key such as "begripsbepalingen"
    number: str
    title: str
    leden: list[Lid]
    explanation: str = ""           # public explanation
    arguments: str = ""             # internal arguments: empty in a tafel draft
    clause: PlannedClause | None = None


@dataclass
class Chapter:
    """A rendered chapter (hoofdstuk): its number, title and articles."""

    number: int
    title: str
    articles: list[Article]
    theme: str = ""


@dataclass
class Draft:
    """Everything a writer needs, already rendered in one language: pure data, no Word."""

    plan: Plan
    language: str
    title: str
    subtitle: str
    chapters: list[Chapter]
    parties: tuple[tuple[str, ...], tuple[str, ...]]
    version: str
    generator: str
    audience: str = "tafel"

    @property
    def internal(self) -> bool:
        """True for the delegation's version: positions, arguments and provenance included."""
        return self.audience == "intern"
