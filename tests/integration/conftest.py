"""Fixtures that start simulated fleets for a test and always stop them afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import Fleet


@pytest.fixture
def start_fleet(tmp_path: Path) -> Iterator:
    """`start_fleet("--hosts", "iis4-default:1")` -> a running Fleet; stopped at teardown whatever happens."""
    started: list[Fleet] = []

    def start(*args: str, name: str = "fleet") -> Fleet:
        fleet = Fleet(tmp_path / name)
        started.append(fleet)
        return fleet.start(*args)

    yield start
    for fleet in started:
        fleet.stop()


# Figures a test publishes with record_property("figure:<title>", "<text>"): printed in pytest's terminal
# summary (user properties travel from xdist workers to the controller with the test reports).
FIGURE_PREFIX = "figure:"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    figures = [(name[len(FIGURE_PREFIX):], value)
               for reports in terminalreporter.stats.values() for report in reports
               if getattr(report, "when", None) == "call"
               for name, value in getattr(report, "user_properties", ()) if name.startswith(FIGURE_PREFIX)]
    if figures:
        terminalreporter.section("issue 9: faults and bad input")
        for title, value in figures:
            terminalreporter.write_line(f"{title}: {value}")
