"""Reporting gaps of issue 9, item 8: a --limit run writes the report; a host (or a whole batch) lost while the
role reads its progress record is reported unreachable, with the report written; a refused WinRM login names its
likely causes."""

from __future__ import annotations

import pytest
from harness import Fleet
from remediate_role_support import (
    AUDIT,
    PROGRESS,
    REMEDIATE,
    outcome_of_run,
    outcomes,
    read_report,
    remediate_args,
    role_results,
    start_fleet,
    write_media,
)

pytestmark = pytest.mark.integration

KB_HOST, TWIN, OTHER = "kb", "twin", "plain"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory) -> Fleet:
    workdir = tmp_path_factory.mktemp("reporting")
    started = start_fleet(workdir, [
        {"name": KB_HOST, "profile": "iis4-kb"}, {"name": TWIN, "profile": "iis4-kb"},
        {"name": OTHER, "profile": "iis5"},
        {"name": "basic-off", "profile": "no-iis", "listeners": ["http"], "auth_basic": False},
    ])
    yield started
    started.stop()


def test_a_limited_run_still_writes_the_report(fleet, tmp_path):
    run = fleet.playbook(AUDIT, "--limit", OTHER, "-e", f"iis_hotfix_report_dir={tmp_path}")
    assert run.rc == 0, outcome_of_run(run)
    assert outcomes(read_report(tmp_path)) == {OTHER: "not_applicable"}


def test_a_batch_lost_while_its_progress_record_is_read_is_reported_unreachable(fleet, tmp_path):
    # The requests one audit of an identical host makes: the link to KB_HOST goes down right after its audit.
    before = fleet.metrics()[TWIN]["requests"]
    fleet.ansible(TWIN, "winops.iis_hotfix.iis_facts")
    audit_requests = fleet.metrics()[TWIN]["requests"] - before
    fleet.winsim("faults", "--workdir", str(fleet.workdir), KB_HOST,
                 "--add", f"action=drop,on_request={audit_requests + 1},count=100000")
    try:
        media = write_media(tmp_path / "media")
        run = fleet.playbook(REMEDIATE, "--limit", KB_HOST, *remediate_args(media, tmp_path / "report"))
    finally:
        fleet.winsim("faults", "--workdir", str(fleet.workdir), KB_HOST)
    assert role_results(run, PROGRESS)[KB_HOST].get("unreachable") is True, outcome_of_run(run)
    report = read_report(tmp_path / "report")
    assert outcomes(report) == {KB_HOST: "unreachable"}
    assert report["summary"]["compliant"] == 0


def test_a_refused_basic_login_names_its_likely_causes(fleet):
    run = fleet.ansible("basic-off", "winops.iis_hotfix.iis_facts", "", "-e", "ansible_winrm_transport=basic",
                      "-e", "ansible_winrm_message_encryption=auto")
    result = run.results()["basic-off"]
    assert result.get("unreachable") is True
    message = result["msg"]
    assert "the host refused the WinRM login" in message
    assert "Basic authentication is disabled" in message and "refuses unencrypted HTTP" in message
    assert "user name or password is wrong" in message
