"""Numeric steps shared by several features: refused arguments and gradient-check errors."""

from __future__ import annotations

import re
from collections.abc import Callable

from pytest_bdd import parsers, then


def refusal(action: Callable[[], object]) -> Exception | None:
    """Run ``action`` and return the ``ValueError`` or ``TypeError`` it raises, or ``None``."""
    try:
        action()
    except (ValueError, TypeError) as error:
        return error
    return None


@then(parsers.parse('it is refused with a ValueError that names "{argument}"'))
def refused_naming(refused: Exception | None, argument: str) -> None:
    assert isinstance(refused, ValueError), f"expected a ValueError, got {refused!r}"
    named = re.search(rf"(^|\W){re.escape(argument)}($|\W)", str(refused))
    assert named, f"the message does not name {argument!r} as a word of its own: {refused}"


@then(parsers.parse("every relative error is below {bound:g}"))
def relative_errors_below(relative_errors: dict[str, float], bound: float) -> None:
    assert relative_errors, "no gradient was checked"
    too_big = {name: f"{error:.2e}" for name, error in relative_errors.items() if error >= bound}
    assert not too_big, f"relative errors not below {bound:g}: {too_big}"
