"""How much of the suite's time is training: a pytest plugin that times every training step.

Run from the project's root::

    PYTHONPATH=benchmarks pytest -p suite_training_time -p no:randomly

At the end pytest prints, per test module, how many training steps its
scenarios took and how long those steps ran, against the module's whole
time. Steps run in child processes (the command-line scenarios that start
the installed command, ``scratchnet check``) are not seen. The timer adds
well under a microsecond to a step of some 80; nothing here asserts a time.
"""

from __future__ import annotations

import collections
import sys
import time
from collections.abc import Callable, Iterator

import pytest

import scratchnet.training

#: Per test module: [steps, seconds in steps, seconds in all].
TOTALS: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0, 0.0])
_current: list[str] = ["(outside tests)"]


def _timed(step: Callable) -> Callable:
    def timed_step(*args, **kwargs):
        start = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            totals = TOTALS[_current[0]]
            totals[0] += 1
            totals[1] += time.perf_counter() - start

    return timed_step


def pytest_configure(config: pytest.Config) -> None:
    """Swap the step for a timed one wherever scratchnet's modules hold it by name."""
    original = scratchnet.training.train_step
    timed = _timed(original)
    for name, module in list(sys.modules.items()):
        if name.startswith("scratchnet") and getattr(module, "train_step", None) is original:
            module.train_step = timed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    _current[0] = item.nodeid.split("::")[0]
    start = time.perf_counter()
    try:
        return (yield)
    finally:
        TOTALS[_current[0]][2] += time.perf_counter() - start
        _current[0] = "(outside tests)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    write = terminalreporter.write_line
    write("")
    write(f"{'test module':<48} {'steps':>9} {'in steps':>9} {'in all':>8}")
    rows = sorted(TOTALS.items(), key=lambda row: -row[1][2])
    for module, (steps, in_steps, in_all) in rows:
        write(f"{module:<48} {steps:>9,} {in_steps:>8.1f}s {in_all:>7.1f}s")
    steps, in_steps, in_all = (sum(row[i] for _, row in rows) for i in range(3))
    write(f"{'all':<48} {steps:>9,} {in_steps:>8.1f}s {in_all:>7.1f}s")
