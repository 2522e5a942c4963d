"""Shared set-up for every feature.

Step definitions shared between features live in ``steps/*_steps.py``, one
module per domain; they are loaded here as plugins so every test module sees
them. Each ``test_<feature>.py`` binds one feature file and holds the steps
that only that feature uses.
"""

from pathlib import Path

pytest_plugins = sorted(
    f"steps.{module.stem}" for module in Path(__file__).parent.glob("*_steps.py")
)
