"""Helpers for the steps that are not steps themselves."""

import pytest

# Asserts in the fuzzing checks show the values compared, as they do in step modules.
pytest.register_assert_rewrite(
    "steps.support.fuzzing", "steps.support.fuzz_targets", "steps.support.fuzz_core_targets"
)
