"""The plugin's check: it reads a planned draft and flags coaching below the legal minimum.

Like clausegen's own legal checks, every legal number lives in LAW, with its source, so that
it is updated in one place. A check returns (or yields) clausegen.Finding objects; clausegen
prints them, records them in the manifest and makes `--strict` refuse to write on an error.
"""
from clausegen import Finding

# name: (value, citation, source)
LAW = {
    "coaching_hours_per_fte": (
        10, "Besluit kwaliteit kinderopvang (rekenregel inzet pedagogisch beleidsmedewerker)",
        "10 hours of coaching a year per FTE of pedagogical staff, on top of 50 hours per "
        "centre; verify against the current text before relying on it"),
}


def coaching_minimum(plan):
    """Coaching below the hours per FTE the law makes the childcare provider deploy."""
    hours = plan.value("kinderopvang.coaching", "coaching_uren")
    floor, law, _ = LAW["coaching_hours_per_fte"]
    if hours is not None and hours < floor:
        yield Finding("error", "coaching-below-minimum",
                      f"coaching of {hours} hours a year per FTE is below the {floor} hours the "
                      "law requires the provider to deploy per FTE of pedagogical staff",
                      clause="kinderopvang.coaching", law=law)
