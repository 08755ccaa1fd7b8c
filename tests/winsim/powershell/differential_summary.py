"""A pytest plugin printing the differential figure (interpreted agent vs the protocol model) at the end of a
session that ran tests/winsim/powershell/test_agent_differential.py; outcomes come from the test reports, so
under xdist the controller counts what the workers ran."""

from __future__ import annotations

import re

_SEED_TEST = re.compile(r"test_agent_differential\.py::test_[a-z_]+\[(?P<seed>\d+)\]$")
_outcomes: dict[str, bool] = {}


def pytest_runtest_logreport(report) -> None:
    match = _SEED_TEST.search(report.nodeid)
    if match is not None and (report.when == "call" or not report.passed):
        _outcomes[match["seed"]] = _outcomes.get(match["seed"], True) and report.passed


def pytest_terminal_summary(terminalreporter) -> None:
    if _outcomes:
        agreed = sum(_outcomes.values())
        terminalreporter.write_sep("-", "PowerShell agent differential")
        terminalreporter.write_line(
            f"Agent differential: {agreed}/{len(_outcomes)} random batches answered identically by the interpreted "
            "agent and the protocol model, with identical host states afterwards")
