"""Every content-file example in the docs passes `clausegen check` (issue 16)."""
from __future__ import annotations

import re

import pytest

from clausegen.lint import lint_paths
from conftest import ROOT

CONTENT_FORMAT = ROOT / "docs" / "content-format.md"
# The examples show the library's own files, whose ids the built-ins already hold: linted
# under an id of their own, so that only what the example itself gets wrong is reported.
WHERE = {"clause": ("werkdruk/voorbeeld.toml", 'id = "werkdruk.zelfroosteren"',
                    'id = "werkdruk.voorbeeld"'),
         "theme": ("voorbeeld/theme.toml", 'id = "werkdruk"', 'id = "voorbeeld"'),
         "definitions": ("voorbeeld/definities.toml", "[rooster]", "[voorbeeld-rooster]"),
         "sector": ("sectoren/voorbeeld.toml", 'id = "vvt"', 'id = "voorbeeld"')}


def toml_blocks(path):
    return re.findall(r"^```toml\n(.*?)^```", path.read_text(encoding="utf-8"), re.M | re.S)


def kind_of(block: str) -> str:
    if block.startswith("id = \"werkdruk.zelfroosteren\""):
        return "clause"
    if block.startswith("[rooster]"):
        return "definitions"
    return "sector" if "article_numbering" in block else "theme"


def test_content_format_has_an_example_of_each_file():
    assert sorted(kind_of(b) for b in toml_blocks(CONTENT_FORMAT)) == sorted(WHERE)


@pytest.mark.parametrize("block", toml_blocks(CONTENT_FORMAT),
                         ids=[kind_of(b) for b in toml_blocks(CONTENT_FORMAT)])
def test_each_content_format_example_passes_check(library, tmp_path, block):
    name, old, new = WHERE[kind_of(block)]
    assert old in block
    file = tmp_path / "content" / name
    file.parent.mkdir(parents=True)
    file.write_text(block.replace(old, new, 1), encoding="utf-8")
    findings = lint_paths([file], library)
    assert findings == [], "\n".join(map(str, findings))
