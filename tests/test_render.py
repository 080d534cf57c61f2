"""Rendering: the sandbox, the markup -> block model, references, placeholders, terminology."""
import datetime as dt
from decimal import Decimal

import pytest

from clausegen.errors import RenderError
from clausegen.model import Placeholder, Ref, Span
from clausegen.markup import missing
from clausegen.render import Renderer


def renderer(language="nl", terminology=None):
    return Renderer(language, {"werkdruk.roosterinspraak": "7"}, {"cao": "Cao X"}, terminology)


def test_markup_becomes_leden_subs_and_emphasis():
    r = renderer()
    text = r.render("De werkgever doet **dit** en *dat*\nover twee regels.\n\nTweede lid:\n"
                    "- eerste;\n- tweede,\n  doorlopend.\n", name="t", values={})
    leden = r.blocks(text)
    assert len(leden) == 2
    assert leden[0].inlines == [Span("De werkgever doet "), Span("dit", bold=True),
                                Span(" en "), Span("dat", italic=True),
                                Span(" over twee regels.")]
    assert [s.inlines for s in leden[1].subs] == [[Span("eerste;")],
                                                  [Span("tweede, doorlopend.")]]


def test_filters_format_in_the_draft_language():
    values = {"b": Decimal("1250.5"), "d": 28, "p": Decimal("1.5"), "s": dt.date(2027, 1, 1)}
    src = "{{ b | money }} {{ d | days }} {{ p | percentage }} {{ s | date }} {{ d }}"
    assert renderer("nl").render(src, name="t", values=values) == \
        "€ 1.250,50 28 dagen 1,5% 1 januari 2027 28"
    assert renderer("en").render(src, name="t", values=values) == \
        "€1,250.50 28 days 1.5% 1 January 2027 28"


def test_ref_resolves_to_the_article_number_or_a_placeholder():
    r = renderer()
    text = r.render('Zie {{ ref("werkdruk.roosterinspraak") }} en {{ ref("x.y") }}.', name="t",
                    values={})
    inlines = r.blocks(text)[0].inlines
    assert Ref(target="werkdruk.roosterinspraak", label="7", word="artikel") in inlines
    assert any(isinstance(i, Placeholder) and i.name == "ref:x.y" for i in inlines)


def test_missing_value_becomes_a_placeholder():
    r = renderer()
    text = r.render("Te {{ plaats }} op {{ datum | date }}.", name="t",
                    values={"plaats": missing("a.plaats"), "datum": missing("a.datum")})
    inlines = r.blocks(text)[0].inlines
    assert [i.name for i in inlines if isinstance(i, Placeholder)] == ["a.plaats", "a.datum"]


def test_a_star_in_a_value_is_text_not_emphasis():
    r = renderer()
    text = r.render("Naam: {{ naam }}", name="t", values={"naam": "A*B*C"})
    assert r.blocks(text)[0].inlines == [Span("Naam: A*B*C")]


def test_terminology_replaces_whole_words_and_plurals():
    r = renderer(terminology={"werknemer": "medewerker"})
    out = r.render("De werknemer en werknemers; Werknemersvereniging blijft.", name="t",
                   values={})
    assert out == "De medewerker en medewerkers; Werknemersvereniging blijft."


@pytest.mark.parametrize("source, fragment", [
    ("{{ onbekend }}", "'onbekend' is undefined"),
    ("{% if %}", "template syntax error"),
    ("{{ ''.__class__.__mro__ }}", "sandbox"),
    ("{% for i in range(10**6) %}x{% endfor %}", "range"),
    ("{% for i in range(999) %}{% for j in range(999) %}xxxxxxxx{% endfor %}{% endfor %}",
     "more than"),
])
def test_bad_templates_fail_with_a_clear_error(source, fragment):
    with pytest.raises(RenderError) as info:
        renderer().render(source, name="werkdruk.x", values={}, file="x.toml", line=20)
    assert fragment in str(info.value)
    assert "werkdruk.x" in str(info.value) and "x.toml" in str(info.value)


def test_the_fast_path_renders_exactly_what_jinja_renders(library):
    """Plain {{ x | filter }} templates skip Jinja; the output must be identical."""
    from clausegen.draft import context_for
    from clausegen.model import ClauseChoice, DraftSpec
    from clausegen.planning import plan_draft, template_values
    import datetime as dt
    spec = DraftSpec(sector="ziekenhuizen", date=dt.date(2026, 12, 1),
                     clauses=[ClauseChoice(id=c) for c in library.clauses
                              if c != "robotisering.ontwikkelbudget-percentage"])
    plan = plan_draft(spec, library)
    simple = 0
    for language in ("nl", "en"):
        args = (language, {p.clause.id: p.number for p in plan.clauses}, context_for(plan),
                {"werknemer": "medewerker"})
        fast, slow = Renderer(*args), Renderer(*args, fast=False)
        for planned in plan.clauses:
            source = planned.clause.text[language]
            values = template_values(planned)
            simple += fast.fastpath.render(source, name="x", file="",
                                           values=values) is not None
            assert fast.render(source, name="x", values=values) == \
                slow.render(source, name="x", values=values), planned.clause.id
    assert simple > 50   # most clauses take the fast path


def test_terminology_leaves_parameter_values_alone():
    r = renderer(terminology={"werknemer": "medewerker"})
    text = r.render("De werknemer van {{ naam }}.", name="t", values={"naam": "de werknemer"})
    assert text == "De medewerker van de werknemer."


def test_a_value_cannot_make_a_new_lid_or_sub_item():
    r = renderer()
    text = r.render("Te {{ plaats }}.\n\nTweede lid.", name="t",
                    values={"plaats": "Utrecht\n\n- en elders\n*vet*"})
    leden = r.blocks(text)
    assert len(leden) == 2 and not leden[0].subs
    assert leden[0].inlines == [Span("Te Utrecht - en elders *vet*.")]
