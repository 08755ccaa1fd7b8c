"""A pytest plugin printing the PowerShell conformance figure at the end of a session that ran the suite.

Outcomes are collected from the test reports, so under xdist the controller counts what the workers ran:
a case passes when every version it applies to passes. The controller only loads conftest files above
the paths it is given, so `make unit` (tests/unit tests/winsim) needs tests/conftest.py to list this
module in pytest_plugins; tests/winsim/powershell/conftest.py registers it for runs started lower down.
"""

from __future__ import annotations

import re
from collections import defaultdict

_CASE_TEST = re.compile(
    r"test_conformance\.py::test_case\[(?P<area>[a-z_]+)::(?P<id>[a-z0-9-]+)\[(?P<version>[\d.]+)\]\]$")
_outcomes: dict[tuple[str, str], list[bool]] = defaultdict(list)


def pytest_runtest_logreport(report) -> None:
    match = _CASE_TEST.search(report.nodeid)
    if match is None:
        return
    key = (match["area"], match["id"])
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _outcomes[key].append(report.passed)


def conformance_summary() -> str | None:
    if not _outcomes:
        return None
    runs = [ok for results in _outcomes.values() for ok in results]
    per_area: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (area, _case), results in _outcomes.items():
        per_area[area][0] += all(results)
        per_area[area][1] += 1
    passed = sum(passed for passed, _total in per_area.values())
    areas = ", ".join(f"{area} {passed}/{total}" for area, (passed, total) in sorted(per_area.items()))
    return (f"PowerShell conformance: {passed} passed / {len(_outcomes)} cases "
            f"({sum(runs)}/{len(runs)} version runs; areas: {areas})")


def pytest_terminal_summary(terminalreporter) -> None:
    line = conformance_summary()
    if line is not None:
        terminalreporter.write_sep("-", "PowerShell conformance")
        terminalreporter.write_line(line)
