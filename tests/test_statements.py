"""Templates with plain {% if %} statements are rendered without Jinja (statements.py): the
output must be exactly Jinja's, whitespace, the sector's words and errors included."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from clausegen.errors import ClausegenError
from clausegen.render import Renderer

TERMS = {"werknemer": "personeelslid"}      # another gender: the words around change too


def fast_path(renderer: Renderer, source: str, values: dict) -> bool:
    """Whether the renderer's fast path renders `source` without Jinja."""
    return renderer.fastpath.render(source, name="t", file="", values=values) is not None


def both(source: str, values: dict, language: str = "nl", terms=TERMS):
    """(fast output or error, Jinja's output or error, whether the fast path ran)."""
    outputs = []
    for fast in (True, False):
        renderer = Renderer(language, {"a.b": "3"}, {"cao": "Cao X"}, terms, fast=fast)
        try:
            outputs.append(renderer.render(source, name="t", values=values))
        except ClausegenError as exc:
            outputs.append(f"{type(exc).__name__}: {exc}")
    took = fast_path(Renderer(language, {"a.b": "3"}, {"cao": "Cao X"}, terms), source, values)
    return outputs[0], outputs[1], took


VALUES = {"flag": True, "off": False, "vorm": "extern", "n": 3, "nul": 0,
          "bedrag": Decimal("1250.50"), "t": 28, "datum": dt.date(2027, 1, 1),
          "current": {"t": 21}, "leeg": {}, "lijst": ["FNV", "CNV"], "leeglijst": [],
          "positions": {"openingsbod": {"t": 42}, "doel": {"t": 35}, "ondergrens": {"t": 28}}}


@pytest.mark.parametrize("source", [
    "De werknemer {% if flag %}krijgt{% else %}krijgt niet{% endif %} verlof.",
    "Lijst:\n- a;\n{% if vorm == \"extern\" %}\n- b;\n{% else %}\n- c;\n{% endif %}\n- d.\n",
    "Lijst:\n  {% if vorm != 'extern' %}\n  - b;\n  {% endif %}\n- d.",
    "{% if current.t is defined %}De cao kent {{ current.t | days }}.{% endif %}",
    "{% if leeg.t is defined %}x{% else %}De werknemer die{% endif %}\n",
    "{% if not flag %}a{% elif n > 2 %}b{% elif n == 3 %}c{% else %}d{% endif %}",
    "{% if bedrag >= 1000 %}{{ bedrag | money }}{% endif %} en {{ t | days }}",
    "{% if nul %}x{% endif %}{% if n < 3.5 %}y{% endif %}{% if off is not defined %}z{% endif %}",
    "{% if geen is defined %}x{% else %}y{% endif %}",
    "{% if positions.openingsbod.t == positions.ondergrens.t %}gelijk{% else %}"
    "{{ positions.doel.t | days }}{% endif %}",
    "{% if flag %}\n{% if vorm == \"intern\" %}\nA\n{% elif vorm == \"extern\" %}\nB\n"
    "{% endif %}\n{% endif %}\nC\n",
    "Zie {{ ref(\"a.b\") }}.{% if flag %} Ja.{% endif %}",
    "\t{% if flag %}\t\nx\n \t{% endif %}  \n",
    "{% if flag %}x{% endif %}\n\n\n",
    "Namens {% if lijst | length == 1 %}de vakbond{% else %}de vakbonden{% endif %}:",
    "{% if not lijst | length > 2 %}x{% endif %}{% if 2 == lijst | length %}y{% endif %}",
    "{% if leeglijst | length %}x{% else %}leeg{% endif %}{% if vorm | length == 6 %}z{% endif %}",
])
def test_plain_statements_render_as_jinja_does_without_jinja(source):
    fast, slow, took = both(source, VALUES)
    assert fast == slow
    assert took, "this template should not need Jinja"


@pytest.mark.parametrize("source", [
    "{% if onbekend %}x{% endif %}",                 # undefined: Jinja's error
    "{% if current.onbekend > 1 %}x{% endif %}",
    "{% if flag -%}\n x{%- endif %}",                # whitespace control
    "{% for i in range(3) %}{{ i }}{% endfor %}",
    "{% if flag and n %}x{% endif %}",
    "{% if current.items %}x{% endif %}",            # a dict attribute, not a key
    "{% if vorm > 1 %}x{% endif %}",                 # a TypeError: Jinja words it
    "{# note #}{% if flag %}x{% endif %}",
    "{% if flag %}x",                                # unclosed
    "{% if flag %}x{% else %}y{% else %}z{% endif %}",
    "{% if t | days %}x{% endif %}",
    "{{ current.onbekend | days }}",
    "{% if onbekend | length == 1 %}x{% endif %}",   # undefined: Jinja's error
    "{% if current | length == 1 %}x{% endif %}",    # a table's length: Jinja's business
    "{% if lijst | upper == 1 %}x{% endif %}",       # only `| length` in a condition
])
def test_what_the_small_grammar_does_not_cover_goes_to_jinja(source):
    fast, slow, took = both(source, VALUES)
    assert fast == slow
    assert not took


def test_every_built_in_text_explanation_and_argument_renders_as_jinja_does(library):
    from clausegen.draft import context_for
    from clausegen.model import ClauseChoice, DraftSpec
    from clausegen.planning import plan_draft, template_values
    spec = DraftSpec(sector="vvt", date=dt.date(2026, 12, 1), audience="intern",
                     clauses=[ClauseChoice(id=c) for c in library.clauses
                              if c != "robotisering.ontwikkelbudget-percentage"])
    plan = plan_draft(spec, library)
    fast_count = with_statements = 0
    for language in ("nl", "en"):
        args = (language, {p.clause.id: p.number for p in plan.clauses}, context_for(plan),
                {"werknemer": "medewerker", "employee": "staff member"})
        fast, slow = Renderer(*args), Renderer(*args, fast=False)
        for planned in plan.clauses:
            clause = planned.clause
            for key, internal in (("text", False), ("explanation", False),
                                  ("arguments", True)):
                source = getattr(clause, key).get(language)
                if not source:
                    continue
                values = template_values(planned, internal=internal)
                took = fast_path(fast, source, values)
                fast_count += took
                with_statements += took and "{%" in source
                assert fast.render(source, name="x", values=values) == \
                    slow.render(source, name="x", values=values), (clause.id, key, language)
    assert with_statements > 60      # the library's {% if %}s do not need Jinja
    assert fast_count > 300


# Templates built from pieces, to try Jinja's whitespace rules (lstrip_blocks, trim_blocks,
# the trailing newline) in every arrangement.
TEXT = st.sampled_from(["", " ", "\n", "  \n", "\t", "De werknemer", "x\n  ", "\n\n", "- a;",
                        "een oudere werknemer die", "{{ t | days }}", "{{ current.t | days }}",
                        " {{ bedrag | money }}\n"])
CONDITION = st.sampled_from(["flag", "not flag", "off", "vorm == \"extern\"", "n > 2",
                             "current.t is defined", "leeg.t is defined", "nul",
                             "bedrag != 0", "geen is not defined"])
SPACE = st.sampled_from(["", " ", "\n", "  ", "\n  ", "\t"])


@st.composite
def templates(draw, depth=0):
    parts = [draw(TEXT)]
    for _ in range(draw(st.integers(0, 3))):
        if depth < 2 and draw(st.booleans()):
            branches = [f"{draw(SPACE)}{{% if {draw(CONDITION)} %}}{draw(SPACE)}"
                        f"{draw(templates(depth + 1))}"]
            for _ in range(draw(st.integers(0, 2))):
                branches.append(f"{draw(SPACE)}{{% elif {draw(CONDITION)} %}}{draw(SPACE)}"
                                f"{draw(templates(depth + 1))}")
            if draw(st.booleans()):
                branches.append(f"{draw(SPACE)}{{% else %}}{draw(SPACE)}"
                                f"{draw(templates(depth + 1))}")
            parts.append("".join(branches) + f"{draw(SPACE)}{{% endif %}}{draw(SPACE)}")
        parts.append(draw(TEXT))
    return "".join(parts)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates(), st.sampled_from(["nl", "en"]))
def test_statements_follow_jinjas_whitespace_rules_in_any_arrangement(source, language):
    """Every arrangement is in the fast path's grammar: it must take it, and agree."""
    fast, slow, took = both(source, VALUES, language)
    assert took, f"went to Jinja: {source!r}"
    assert fast == slow, source


@pytest.mark.parametrize("source", [
    "vergoeding van {{{ bedrag | money }}}",      # Jinja: a syntax error, never "{€ ...}"
    "a\r\nb {{ t | days }}\r\n",                  # Jinja normalises the line ends
    "c\rd {{ t | days }}",
    "een {losse} accolade en {{ t | days }}",
])
def test_stray_braces_and_carriage_returns_come_out_as_jinja_makes_them(source):
    fast, jinja, _ = both(source, VALUES)
    assert fast == jinja


@pytest.mark.parametrize("source", ["{{ ref }}", "{{ range }}",
                                    "{{ language }}", "{% if ref %}x{% endif %}"])
def test_names_the_sandbox_gives_are_looked_up_as_it_does(source):
    """A function printed bare, `language`, a function as a condition: the same text or the same
    message with the fast path as with Jinja."""
    fast, jinja, _ = both(source, VALUES)
    assert fast == jinja
