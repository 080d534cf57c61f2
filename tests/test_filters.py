"""The clause filters: one implementation, the same text on the fast path and in the sandbox."""
import pytest

from clausegen.errors import RenderError
from clausegen.render import Renderer

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
