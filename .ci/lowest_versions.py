"""Print pip constraints that pin every dependency in pyproject.toml to its lowest allowed version.

The floors are read from pyproject.toml itself (``name>=X`` becomes ``name==X``), so
they are written once; CI installs the project with these constraints in a second
environment and runs the specification there, so a floor that is too low fails CI.
Dependencies of the dependencies are left free, as a resolver's lowest-direct mode does.

Usage: python3 .ci/lowest_versions.py pyproject.toml > constraints.txt
(Python 3.11 or later, for tomllib.)
"""

from __future__ import annotations

import re
import sys

import tomllib

#: ``name[extras] >= version`` at the start of a requirement, e.g. ``mkdocs>=1.6,<2``.
FLOOR = re.compile(r"(?P<name>[A-Za-z0-9_.-]+)\s*(\[[^\]]*\])?\s*>=\s*(?P<version>[^,;\s]+)")


def floors(pyproject: dict) -> dict[str, str]:
    """Each dependency's lowest allowed version, by name (the project's own extras skipped)."""
    project = pyproject["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    found = {}
    for requirement in requirements:
        if requirement.startswith(f"{project['name']}["):
            continue
        match = FLOOR.match(requirement)
        if not match:
            sys.exit(f"{requirement!r} has no lowest version (name>=X): CI cannot test its floor")
        found[match["name"]] = match["version"]
    return found


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as file:
        for name, version in sorted(floors(tomllib.load(file)).items()):
            print(f"{name}=={version}")
