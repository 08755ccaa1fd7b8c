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
