"""The remediate and audit playbooks on a fleet holding every winsim profile and a powered-off host.

Remediation: the three KB hosts (x86, Alpha, SMTP only) end fixed with their services running and every queued
mail, news article and the metabase kept byte for byte; hosts of every other profile are not written to at all;
the fleet report tells each host's outcome and never calls the unreachable host compliant; a second run changes
nothing. Check mode and the audit only read: the hosts stay exactly as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from harness import AnsibleRun, Fleet
from remediate_role_support import (
    AUDIT,
    DETECT,
    INSTALL_POINT,
    KB,
    KB_HOSTS,
    LOCK,
    OFFLINE,
    OTHER_HOSTS,
    OVERLAY,
    PREDICT_REINSTALL,
    REDETECT,
    REINSTALL,
    REMEDIATE,
    REMOVE,
    RUN_LOCK,
    SERVICES,
    STAGE,
    changed_parts,
    data_files,
    every_profile_and_an_offline_host,
    file_hashes,
    has_file,
    junit_verdicts,
    kb_services,
    local_hashes,
    news_articles,
    outcome_of_run,
    outcomes,
    queued_mail,
    read_report,
    remediate_args,
    report_hosts,
    role_results,
    start_fleet,
    states,
    verdict,
    write_media,
    writes,
)

pytestmark = pytest.mark.integration

REACHABLE = [*KB_HOSTS, *OTHER_HOSTS]
PROCEDURE_STEPS = ("staged", "removed", "overlaid", "reinstalled")


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return write_media(tmp_path_factory.mktemp("media"))


@dataclass
class Remediation:
    before: dict[str, dict[str, Any]]
    writes_before: dict[str, int]
    first: AnsibleRun
    first_report_dir: Path
    after_first: dict[str, dict[str, Any]]
    writes_after_first: dict[str, int]
    second: AnsibleRun
    second_report_dir: Path
    after_second: dict[str, dict[str, Any]]
    writes_after_second: dict[str, int]


@pytest.fixture
def remediated(tmp_path, media) -> Iterator[Remediation]:
    """Remediate the whole fleet twice, keeping every host's state before, between and after."""
    fleet = start_fleet(tmp_path, every_profile_and_an_offline_host())
    try:
        before, writes_before = states(fleet, REACHABLE), writes(fleet)
        first = fleet.playbook(REMEDIATE, *remediate_args(media, tmp_path / "report-1"))
        after_first, writes_after_first = states(fleet, REACHABLE), writes(fleet)
        second = fleet.playbook(REMEDIATE, *remediate_args(media, tmp_path / "report-2"))
        yield Remediation(before, writes_before, first, tmp_path / "report-1", after_first, writes_after_first,
                          second, tmp_path / "report-2", states(fleet, REACHABLE), writes(fleet))
    finally:
        fleet.stop()


@dataclass
class Untouched:
    fleet: Fleet
    before: dict[str, dict[str, Any]]
    writes_before: dict[str, int]
    work: Path

    def assert_unchanged(self) -> None:
        for host, state in self.before.items():
            assert not changed_parts(state, self.fleet.state(host)), host
        assert writes(self.fleet) == self.writes_before


@pytest.fixture(scope="module")
def untouched(tmp_path_factory) -> Iterator[Untouched]:
    """A fresh fleet that only read-only runs may use."""
    work = tmp_path_factory.mktemp("read-only")
    fleet = start_fleet(work, every_profile_and_an_offline_host())
    try:
        yield Untouched(fleet, states(fleet, REACHABLE), writes(fleet), work)
    finally:
        fleet.stop()


# -- remediation -------------------------------------------------------------------------------------------
# One test for the whole story: pytest-xdist would run a fixture that several tests share once per worker.
def test_remediation_fixes_the_affected_hosts_only_reports_every_host_and_converges(remediated, media):
    assert_affected_hosts_fixed_with_every_file_kept(remediated, media)
    assert_other_profiles_not_written_to(remediated)
    assert_report_gives_each_host_its_outcome(remediated)
    assert_second_run_changes_nothing(remediated)


def assert_affected_hosts_fixed_with_every_file_kept(remediated: Remediation, media: Path) -> None:
    run = remediated.first
    assert run.rc == 0, outcome_of_run(run)
    found = role_results(run, DETECT)
    fixed = role_results(run, REDETECT)
    for host, (platform, components) in KB_HOSTS.items():
        before, after = remediated.before[host], remediated.after_first[host]
        assert verdict(found[host]) == "affected", host
        assert verdict(fixed[host]) == "fixed", (host, fixed[host]["ansible_facts"]["iis_hotfix"]["kb"][KB])
        assert run.stats[host]["failures"] == 0 and run.stats[host]["unreachable"] == 0, host

        assert kb_services(before) == {SERVICES[name]: ("stopped", "C:\\WINNT\\system32\\inetsrv")
                                       for name in components}, host
        assert kb_services(after) == {SERVICES[name]: ("running", "C:\\Inetsrv") for name in components}, host

        assert queued_mail(before), host
        assert bool(news_articles(before)) == ("nntp" in components), host
        assert data_files(after) == data_files(before), host

        staged = file_hashes(after, INSTALL_POINT)
        for name, sha256 in local_hashes(media / "fix" / platform).items():
            assert staged[name] == sha256, (host, name)
        assert not has_file(after, RUN_LOCK), host


def assert_other_profiles_not_written_to(remediated: Remediation) -> None:
    assert remediated.first.rc == 0 and remediated.second.rc == 0
    assert not set(OTHER_HOSTS) & set(role_results(remediated.first, LOCK))
    for host in OTHER_HOSTS:
        for after in (remediated.after_first[host], remediated.after_second[host]):
            assert not changed_parts(remediated.before[host], after), host
        assert remediated.writes_after_first[host] == remediated.writes_before[host], host
        assert remediated.writes_after_second[host] == remediated.writes_before[host], host


def assert_report_gives_each_host_its_outcome(remediated: Remediation) -> None:
    report = read_report(remediated.first_report_dir)
    hosts = report_hosts(report)
    assert report["mode"] == "remediate" and report["check_mode"] is False
    assert sorted(hosts) == sorted([*REACHABLE, OFFLINE])
    assert outcomes(report) == {**{host: "fixed" for host in KB_HOSTS}, **OTHER_HOSTS, OFFLINE: "unreachable"}
    for host in KB_HOSTS:
        assert hosts[host]["kb"][KB]["before"]["verdict"] == "affected", host
        assert hosts[host]["compliant"] is True and hosts[host]["changed"] is True, host
        steps = {action["step"]: action["status"] for action in hosts[host]["actions"]}
        assert all(steps.get(step) == "changed" for step in PROCEDURE_STEPS), (host, steps)
    for host in OTHER_HOSTS:
        assert hosts[host]["compliant"] is True and hosts[host]["changed"] is False, host
    offline = hosts[OFFLINE]
    assert offline["status"] == "unreachable" and offline["compliant"] is False
    summary = report["summary"]
    assert summary["unreachable_hosts"] == [OFFLINE] and summary["failed_hosts"] == []
    assert summary["noncompliant_hosts"] == [OFFLINE]

    junit = junit_verdicts(remediated.first_report_dir)
    assert junit == {**{host: "passed" for host in KB_HOSTS}, "iis4-default-1": "passed",
                     **{host: "skipped" for host, outcome in OTHER_HOSTS.items() if outcome == "not_applicable"},
                     OFFLINE: "failure:unreachable"}


def assert_second_run_changes_nothing(remediated: Remediation) -> None:
    run = remediated.second
    assert run.rc == 0, outcome_of_run(run)
    assert {host: stats["changed"] for host, stats in run.stats.items()} == dict.fromkeys(run.stats, 0)
    assert set(run.stats) >= {*REACHABLE, OFFLINE}
    assert remediated.writes_after_second == remediated.writes_after_first
    for host in KB_HOSTS:
        assert verdict(role_results(run, DETECT)[host]) == "fixed", host
        assert not changed_parts(remediated.after_first[host], remediated.after_second[host]), host
    report = read_report(remediated.second_report_dir)
    assert outcomes(report) == {**{host: "fixed" for host in KB_HOSTS}, **OTHER_HOSTS, OFFLINE: "unreachable"}
    assert report["summary"]["changed"] == 0


# -- read-only runs ----------------------------------------------------------------------------------------
def test_check_mode_changes_nothing_and_shows_each_affected_hosts_plan(untouched, media):
    run = untouched.fleet.playbook(REMEDIATE, *remediate_args(media, untouched.work / "report-check"), "--check")
    untouched.assert_unchanged()
    assert run.rc == 0, outcome_of_run(run)
    assert all(stats["failures"] == 0 for stats in run.stats.values()), run.stats

    for host, (platform, components) in KB_HOSTS.items():
        data = data_files(untouched.before[host])
        media_files = {path.name: path.stat().st_size for path in (media / "media" / platform).iterdir()}
        staged = role_results(run, STAGE)[host]
        assert staged["changed"] is True, host
        assert sorted(staged["files_copied"]) == sorted(media_files), host
        assert staged["bytes_copied"] == sum(media_files.values()), host

        removal = role_results(run, REMOVE)[host]
        assert removal["changed"] is True, (host, removal)
        assert removal["plan"]["remove"] == components, host
        assert removal["backup"]["files"] == len(data), host

        overlay = role_results(run, OVERLAY)[host]
        assert overlay["changed"] is True, (host, overlay)
        assert sorted(path.rsplit("\\", 1)[-1] for path in overlay["replaced"]) == sorted(
            path.name for path in (media / "fix" / platform).iterdir()), host

        assert role_results(run, REINSTALL)[host].get("skipped") is True, host
        reinstall = role_results(run, PREDICT_REINSTALL)[host]["ansible_facts"]["iis_hotfix_step"]
        assert reinstall["changed"] is True, (host, reinstall)
        assert reinstall["plan"]["install"] == components, (host, reinstall["plan"])
    assert not set(OTHER_HOSTS) & set(role_results(run, LOCK))

    report = read_report(untouched.work / "report-check")
    hosts = report_hosts(report)
    assert report["check_mode"] is True
    for host in KB_HOSTS:
        steps = {action["step"]: action["status"] for action in hosts[host]["actions"]}
        assert all(steps.get(step) == "changed" for step in PROCEDURE_STEPS), (host, steps)
        assert hosts[host]["compliant"] is False, host
    assert hosts[OFFLINE]["status"] == "unreachable" and hosts[OFFLINE]["compliant"] is False


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "no-check"])
def test_the_audit_only_reads_and_reports_every_verdict(untouched, check_mode):
    report_dir = untouched.work / f"audit-{check_mode}"
    run = untouched.fleet.playbook(AUDIT, "-e", f"iis_hotfix_report_dir={report_dir}",
                                   *(["--check"] if check_mode else []))
    untouched.assert_unchanged()
    assert run.rc == 0, outcome_of_run(run)
    report = read_report(report_dir)
    assert report["mode"] == "audit" and report["check_mode"] is check_mode
    assert outcomes(report) == {**{host: "affected" for host in KB_HOSTS}, **OTHER_HOSTS, OFFLINE: "unreachable"}
    hosts = report_hosts(report)
    assert {host for host, entry in hosts.items() if entry["compliant"]} == set(OTHER_HOSTS)
    assert report["summary"]["unreachable_hosts"] == [OFFLINE] and report["summary"]["changed"] == 0
    assert junit_verdicts(report_dir) == {
        **{host: "failure:affected" for host in KB_HOSTS}, "iis4-default-1": "passed",
        **{host: "skipped" for host, outcome in OTHER_HOSTS.items() if outcome == "not_applicable"},
        OFFLINE: "failure:unreachable"}
