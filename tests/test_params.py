"""Parameter types: coercion from TOML and command-line strings, bounds, Dutch/English output."""
import datetime as dt
from decimal import Decimal

import pytest

from clausegen import params
from clausegen.errors import ParameterError
from clausegen.model import Parameter


@pytest.mark.parametrize("ptype, raw, expected", [
    ("integer", "12", 12), ("days", 28, 28), ("weeks", "4", 4), ("years", 5.0, 5),
    ("money", "1250,50", Decimal("1250.50")), ("money", "€ 750", Decimal("750")),
    ("percentage", "1,5", Decimal("1.5")), ("hours", 1.5, Decimal("1.5")),
    ("decimal", "0.25", Decimal("0.25")), ("date", "2027-01-01", dt.date(2027, 1, 1)),
    ("bool", "ja", True), ("bool", "false", False), ("text", "Utrecht", "Utrecht"),
])
def test_coerce_accepts_toml_and_cli_values(ptype, raw, expected):
    assert params.coerce(ptype, raw) == expected


@pytest.mark.parametrize("ptype, raw, fragment", [
    ("integer", "twaalf", "not a number"), ("days", "2.5", "whole number"),
    ("money", "1.250,50", "thousands separator"), ("date", "1-1-2027", "YYYY-MM-DD"),
    ("bool", "misschien", "true or false"), ("money", "NaN", "finite"),
    ("integer", True, "expected a number"),
])
def test_coerce_rejects_with_a_message(ptype, raw, fragment):
    with pytest.raises(ParameterError, match=fragment):
        params.coerce(ptype, raw, what="x.y")


def test_bounds_name_the_bound():
    p = Parameter(name="dagen", type="days", default=28, min=4, max=90)
    assert params.validate(p, "35", what="r.dagen") == 35
    with pytest.raises(ParameterError, match="below the minimum 4"):
        params.validate(p, "3", what="r.dagen")
    with pytest.raises(ParameterError, match="above the maximum 90"):
        params.validate(p, 91, what="r.dagen")


def test_choice_suggests_the_nearest():
    with pytest.raises(ParameterError) as info:
        params.coerce("choice", "standard", choices=("minimum", "standaard"))
    assert info.value.suggestion == "standaard"


@pytest.mark.parametrize("ptype, value, nl, en", [
    ("money", Decimal("1250"), "€ 1.250", "€1,250"),
    ("money", Decimal("1250.5"), "€ 1.250,50", "€1,250.50"),
    ("percentage", Decimal("1.5"), "1,5%", "1.5%"),
    ("integer", 12500, "12.500", "12,500"),
    ("days", 28, "28 dagen", "28 days"), ("days", 1, "1 dag", "1 day"),
    ("weeks", 4, "4 weken", "4 weeks"), ("hours", 36, "36 uur", "36 hours"),
    ("months", 3, "3 maanden", "3 months"), ("years", 5, "5 jaar", "5 years"),
    ("date", dt.date(2027, 1, 1), "1 januari 2027", "1 January 2027"),
    ("bool", True, "ja", "yes"),
])
def test_formatting_in_both_languages(ptype, value, nl, en):
    assert params.format_value(ptype, value, "nl") == nl
    assert params.format_value(ptype, value, "en") == en


def test_values_are_never_rounded_in_the_draft():
    with pytest.raises(ParameterError, match="more than 2 decimals"):
        params.coerce("money", "1250.125")
    assert params.format_value("money", params.coerce("money", "1250.12"), "nl") == "€ 1.250,12"
    value = params.coerce("percentage", "1.125")
    assert params.format_value("percentage", value, "nl") == "1,125%"
    with pytest.raises(ParameterError, match="more than 4 decimals"):
        params.coerce("decimal", "0.123456")
