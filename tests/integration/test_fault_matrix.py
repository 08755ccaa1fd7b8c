"""The fault matrix (issue 9): one remediation, hit by one fault at one request, then one clean run.

A reference host is remediated without faults to count the HTTP requests R of one remediation (every step,
authentication included). A systematic sample of request numbers spread over 1..R (FAULT_MATRIX_POINTS,
at least 40) times each fault action (drop, http500, hang) gives one host per fault point, all in one fleet,
so the whole matrix is two playbook runs: the faulted run (the host may converge in it, thanks to the
retries, or be left half-way), then a clean run. Every host must end converged: verdict fixed, no lock,
no progress record, every queued mail, news article and the metabase with their hashes as before (nothing
left only in a backup). The figures are printed in pytest's terminal summary.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from harness import Fleet
from remediate_role_support import (
    AGENT_DIR,
    KB,
    REMEDIATE,
    data_files,
    outcome_of_run,
    outcomes,
    read_report,
    remediate_args,
    start_fleet,
    write_media,
)

pytestmark = pytest.mark.integration

ACTIONS = ("drop", "http500", "hang")
POINTS = int(os.environ.get("FAULT_MATRIX_POINTS", "40"))
# The hosts mostly wait on the link, and a hang costs a whole read timeout: many forks let those waits overlap,
# and Ansible's own winrm timeouts (30 s read, 20 s per WS-Management operation) replace the fleet inventory's
# longer ones (the agent answers a setup poll within 10 s).
FORKS = ("-f", "40", "-e", "ansible_winrm_read_timeout_sec=30", "-e", "ansible_winrm_operation_timeout_sec=20")
# Each host goes at its own pace (the linear strategy would hold the whole fleet at every task a host hangs in).
FREE = ("-e", "iis_hotfix_strategy=free")
RUN_TIMEOUT = 2400  # one run of the whole matrix fleet (120 remediations on 2 cores take a while)
PROGRESS_RECORD = f"{AGENT_DIR}state\\iis_hotfix-{KB}.json".lower()


def sample(requests: int, points: int) -> list[int]:
    """``points`` request numbers spread evenly over 1..requests."""
    if points >= requests:
        return list(range(1, requests + 1))
    return sorted({1 + round(index * (requests - 1) / (points - 1)) for index in range(points)})


def states(fleet: Fleet, hosts: list[str]) -> dict[str, dict]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(hosts, pool.map(fleet.state, hosts), strict=True))


def left_behind(state: dict) -> list[str]:
    """Run locks and progress records still on the host."""
    return sorted(entry["path"] for entry in state["files"]
                  if entry["path"].lower().startswith(AGENT_DIR + "lock\\")
                  or entry["path"].lower() == PROGRESS_RECORD)


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return write_media(tmp_path_factory.mktemp("media"))


def requests_of_one_remediation(tmp_path: Path, media: Path) -> int:
    fleet = start_fleet(tmp_path / "reference", [{"name": "reference", "profile": "iis4-kb"}])
    try:
        run = fleet.playbook(REMEDIATE, *remediate_args(media, tmp_path / "reference-report"))
        assert run.rc == 0, outcome_of_run(run)
        return int(fleet.metrics()["reference"]["requests"])
    finally:
        fleet.stop()


def test_a_fault_at_any_request_of_a_remediation_is_survived_without_losing_data(tmp_path, media, record_property):
    total_requests = requests_of_one_remediation(tmp_path, media)
    points = sample(total_requests, max(POINTS, 1))
    hosts = [{"name": f"{action}-{number}", "profile": "iis4-kb",
              "faults": [{"action": action, "on_request": number}]} for action in ACTIONS for number in points]
    names = [host["name"] for host in hosts]
    fleet = start_fleet(tmp_path / "matrix", hosts)
    try:
        before = states(fleet, names)
        faulted = fleet.playbook(REMEDIATE, *remediate_args(media, tmp_path / "report-faulted"), *FORKS, *FREE,
                                 timeout=RUN_TIMEOUT)
        injected = {name: metrics["faults_injected"] for name, metrics in fleet.metrics().items()}
        clean = fleet.playbook(REMEDIATE, *remediate_args(media, tmp_path / "report-clean"), *FORKS, *FREE,
                               timeout=RUN_TIMEOUT)
        after = states(fleet, names)
        report = outcomes(read_report(tmp_path / "report-clean"))
    finally:
        fleet.stop()

    survived, lost, problems = 0, 0, {}
    for name in names:
        old, new = data_files(before[name]), data_files(after[name])
        missing = sum(1 for path, digest in old.items() if new.get(path) != digest)
        lost += missing
        trouble = [text for text, bad in (
            (f"fault not injected ({injected.get(name)})", injected.get(name) != 1),
            (f"outcome {report.get(name)}", report.get(name) != "fixed"),
            (f"{missing} data files lost or changed", missing),
            (f"left behind: {left_behind(after[name])}", left_behind(after[name])),
        ) if bad]
        if trouble:
            problems[name] = trouble
        else:
            survived += 1
    converged_in_faulted_run = sum(1 for outcome in outcomes(read_report(tmp_path / "report-faulted")).values()
                                   if outcome == "fixed")
    record_property("figure:fault matrix", (
        f"faults survived {survived}/{len(names)} ({len(points)} request numbers of {total_requests} x "
        f"{', '.join(ACTIONS)}), converged already in the faulted run {converged_in_faulted_run}/{len(names)}"))
    record_property("figure:data files lost", str(lost))
    assert not problems, f"{problems}\nclean run:\n{outcome_of_run(clean)}\nfaulted run rc={faulted.rc}"
    assert lost == 0


FLAKY = [{"action": "drop", "probability": 0.02}, {"action": "http500", "probability": 0.02}]


def test_a_flaky_link_converges_in_one_run_or_two_at_most(tmp_path, media, record_property):
    """Issue 9, item 6: 2% of requests dropped and 2% answered with InternalError, on every request."""
    names = ["flaky-1", "flaky-2"]
    fleet = start_fleet(tmp_path / "flaky", [{"name": name, "profile": "iis4-kb", "faults": FLAKY} for name in names])
    try:
        before = states(fleet, names)
        runs = []
        for attempt in range(2):
            run = fleet.playbook(REMEDIATE, *remediate_args(media, tmp_path / f"report-{attempt}"))
            runs.append(run)
            if outcomes(read_report(tmp_path / f"report-{attempt}")) == dict.fromkeys(names, "fixed"):
                break
        injected = sum(metrics["faults_injected"] for metrics in fleet.metrics().values())
        after = states(fleet, names)
    finally:
        fleet.stop()
    record_property("figure:flaky link (2% drops + 2% faults)", f"converged in {len(runs)} run(s), "
                                                                f"{injected} faults injected")
    assert outcomes(read_report(tmp_path / f"report-{len(runs) - 1}")) == dict.fromkeys(names, "fixed"), \
        outcome_of_run(runs[-1])
    assert injected > 0
    for name in names:
        assert data_files(after[name]) == data_files(before[name]), name
        assert not left_behind(after[name]), name
