#!/usr/bin/env python3
"""Print pip constraints pinning every dependency of pyproject.toml to its `>=` floor.

pip has no lowest-version resolution; these pins give it one for the direct dependencies
(transitive ones resolve as usual). Usage: lowest_constraints.py EXTRA... > constraints.txt
"""
import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:         # Python 3.10
    import tomli as tomllib

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml")
                        .read_text(encoding="utf-8"))["project"]
requirements = list(project["dependencies"])
for extra in sys.argv[1:]:
    requirements += project["optional-dependencies"][extra]
for requirement in requirements:
    spec, _, marker = requirement.partition(";")
    match = re.fullmatch(r"\s*([A-Za-z0-9._-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*", spec)
    if not match:
        sys.exit(f"lowest_constraints.py: no single '>=' floor in {requirement!r}")
    name, floor = match.groups()
    print(f"{name}=={floor}" + (f"; {marker.strip()}" if marker else ""))
