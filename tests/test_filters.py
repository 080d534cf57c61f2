"""The clause filters: one implementation, the same text on the fast path and in the sandbox,
and a standard draft that never needs Jinja."""
import datetime as dt
from pathlib import Path

import pytest
from conftest import modules_imported

from clausegen.errors import RenderError
from clausegen.render import Renderer
from clausegen.tomlfile import standard_parser

ROOT = Path(__file__).resolve().parent.parent

NAMES = {0: [], 1: ["FNV"], 2: ["FNV", "CNV Zorg & Welzijn"],
         5: ["A *B.V.*", "C\nD", "- E", "F;", "G."]}


def both(source: str, values: dict, language: str = "nl", terminology=None) -> tuple[str, str]:
    """The text of the fast path and of Jinja (every template through the sandbox)."""
    args = (language, {}, {"cao": "Cao X", "employers": values.pop("employers", []),
                           "unions": values.pop("unions", [])}, terminology)
    return (Renderer(*args).render(source, name="t", values=values),
            Renderer(*args, fast=False).render(source, name="t", values=values))


@pytest.mark.parametrize("count", sorted(NAMES))
def test_sub_items_makes_one_sub_item_per_name_on_both_paths(count):
    fast, jinja = both("Namens de vakbonden:\n{{ unions | sub_items }}\nEinde.",
                       {"unions": list(NAMES[count])})
    assert fast == jinja
    renderer = Renderer("nl", {}, {})
    leden = renderer.blocks(fast)
    subs = leden[0].subs if leden else []
    assert len(subs) == count
    # a name is one run of text: its star, line break or dash starts nothing of its own
    assert [s.inlines[0].text for s in subs] == \
        [" ".join(n.split()) + (";" if i < count else ".") for i, n in enumerate(NAMES[count], 1)]


@pytest.mark.parametrize("value", ["FNV", 3, {"a": 1}])
def test_sub_items_refuses_what_is_not_a_list(value):
    for fast in (True, False):
        renderer = Renderer("nl", {}, {}, fast=fast)
        with pytest.raises(RenderError, match="filter 'sub_items' needs a list"):
            renderer.render("{{ x | sub_items }}", name="t", values={"x": value})


def test_sub_items_cannot_be_forged_by_other_filters_or_plugins():
    """Only the filter's own result is printed as markup: anything made from it is text again,
    and a plugin filter's text is always one run."""
    from clausegen.markup import Markup
    for fast in (True, False):
        r = Renderer("nl", {}, {"unions": ["FNV"]}, filters={"echo": lambda v, lang: Markup(
            "- forged\n")}, fast=fast)
        for source in ("Lid: {{ (unions | sub_items) ~ '' }}", "Lid: {{ x | echo }}"):
            text = r.render(source, name="t", values={"x": 1})
            assert "\n" not in text and r.blocks(text)[0].subs == [], source


def test_the_sandbox_and_the_fast_path_know_the_same_filters_and_functions():
    from clausegen import fastpath, filters
    from clausegen.sandbox import make_environment
    env = make_environment("nl", {"eigen": lambda v, lang: "x"})
    clause = filters.clause_filters({"eigen": lambda v, lang: "x"})
    assert set(clause) <= set(env.filters)
    assert set(env.filters) - set(clause) == set(filters.JINJA_FILTERS)
    assert set(env.globals) | {"ref"} == fastpath.FUNCTIONS


# The template of algemeen.slotbepaling before it used sub_items (clause version 1.2.0): the
# new one must render the same text for any parties, in both languages, in any sector's words.
OLD_SLOTBEPALING = {
    "nl": '''Aldus overeengekomen en ondertekend te {{ plaats }} op {{ ondertekening | date }}.

Namens {{ 'de werkgeversorganisatie' if employers | length == 1 else 'de werkgeversorganisaties' }}:
{% for naam in employers %}
- {{ naam }}{{ "." if loop.last else ";" }}
{% endfor %}

Namens {{ 'de vakbond' if unions | length == 1 else 'de vakbonden' }}:
{% for naam in unions %}
- {{ naam }}{{ "." if loop.last else ";" }}
{% endfor %}
''',
    "en": '''Thus agreed and signed at {{ plaats }} on {{ ondertekening | date }}.

On behalf of {{ "the employers' organisation" if employers | length == 1 else "the employers' organisations" }}:
{% for naam in employers %}
- {{ naam }}{{ "." if loop.last else ";" }}
{% endfor %}

On behalf of {{ 'the trade union' if unions | length == 1 else 'the trade unions' }}:
{% for naam in unions %}
- {{ naam }}{{ "." if loop.last else ";" }}
{% endfor %}
'''}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("employers, unions", [(0, 0), (1, 2), (2, 1), (5, 0), (0, 5), (1, 1)])
def test_the_slotbepaling_reads_as_before_without_jinja(language, employers, unions):
    with open(ROOT / "clauses" / "slot" / "slotbepaling.toml", "rb") as handle:
        source = standard_parser().load(handle)["text"][language]
    for terms in (None, {"werknemer": "medewerker"}, {"employee": "staff member"}):
        args = (language, {}, {"employers": NAMES[employers], "unions": NAMES[unions]}, terms)
        values = {"plaats": "Utrecht", "ondertekening": dt.date(2027, 1, 1)}
        new = Renderer(*args)
        assert new.fastpath.render(source, name="t", file="", values=values) is not None
        assert new.render(source, name="t", values=values) == \
            Renderer(*args, fast=False).render(OLD_SLOTBEPALING[language], name="t",
                                               values=values)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_standard_draft_never_imports_jinja(tmp_path, language):
    """Every template of a standard draft goes the fast path, so the whole `generate` process
    runs without Jinja (about 15 ms of a 40-article run)."""
    found = modules_imported(tmp_path, ("jinja2", "markupsafe", "clausegen.sandbox"),
                             "generate", "--sector", "vvt", "--language", language,
                             "--date", "2026-12-01", "-o", tmp_path / "a.docx",
                             env={"CLAUSEGEN_NO_CACHE": "1"})
    assert (tmp_path / "a.docx").exists()
    assert found == "[]", f"a standard draft imported {found}"
