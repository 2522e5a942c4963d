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
    assert_names(refused, argument)


def assert_names(refused: Exception, words: str) -> None:
    """The message holds ``words`` as words of their own (not inside longer words)."""
    named = re.search(rf"(^|\W){re.escape(words)}($|\W)", str(refused))
    assert named, f"the message does not name {words!r} as a word of its own: {refused}"


@then(parsers.parse('the refusal is a {error} that names "{argument}" and "{given}"'))
def refused_naming_both(refused: Exception | None, error: str, argument: str, given: str) -> None:
    assert type(refused).__name__ == error, f"expected a {error}, got {refused!r}"
    assert_names(refused, argument)
    assert_names(refused, given)


@then(parsers.parse("every relative error is below {bound:g}"))
def relative_errors_below(relative_errors: dict[str, float], bound: float) -> None:
    assert relative_errors, "no gradient was checked"
    too_big = {name: f"{error:.2e}" for name, error in relative_errors.items() if error >= bound}
    assert not too_big, f"relative errors not below {bound:g}: {too_big}"
