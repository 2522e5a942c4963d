"""Numeric steps shared by several features: refused arguments and gradient-check errors."""

from __future__ import annotations

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
    assert argument in str(refused), f"the message does not name {argument!r}: {refused}"
