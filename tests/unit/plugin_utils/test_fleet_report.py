"""Fleet report classification: what each host returned becomes a status and per-KB outcomes, and a host
the run could not vouch for is never compliant."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import fleet_report
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import AgentClient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report import HostInput, build_report
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_detect import (
    build_detection_batch,
    parse_detection,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_report import build_facts

NOW = "2026-03-01T12:00:00Z"
AFFECTED = "detect_nt4_iis4_nondefault_affected.json"
FIXED = "detect_nt4_iis4_nondefault_fixed.json"


@pytest.fixture
def audit_of(windows_connection, recorded_response) -> t.Callable[..., dict[str, t.Any]]:
    """A registered iis_facts result, as Ansible keeps it, for a recorded host."""

    def audit(fixture: str, kbs: t.Sequence[str] = ("Q197303",)) -> dict[str, t.Any]:
        client = AgentClient(windows_connection(recorded_response(fixture)))
        snapshot = parse_detection(client.run(build_detection_batch(event_lookback=20)))
        return {"changed": False, "ansible_facts": {"iis_hotfix": build_facts(snapshot, list(kbs))}}

    return audit


def one_host(variables: dict[str, t.Any], *, in_play: bool = True, **options: t.Any) -> dict[str, t.Any]:
    report = build_report([HostInput("web01", in_play, variables)], generated_at=NOW, **options)
    return report["hosts"][0]


UNREACHABLE_RESULT = {"unreachable": True, "changed": False, "msg": "winrm: connection refused"}


@pytest.mark.parametrize(
    ("fixture", "outcome", "compliant"),
    [
        (AFFECTED, "affected", False),
        (FIXED, "fixed", True),
        ("detect_nt4_iis4_default_path.json", "not_affected", True),
        ("detect_nt4_no_iis.json", "not_applicable", True),
        ("detect_nt4_inetstp_access_denied.json", "undetermined", False),
    ],
)
def test_reached_hosts_report_their_verdict_with_its_evidence(audit_of, fixture, outcome, compliant):
    audit = audit_of(fixture)
    host = one_host({"iis_hotfix_audit": audit})
    assert host["status"] == "ok" and host["reason"] is None
    assert host["kb"]["Q197303"]["outcome"] == outcome == host["kb"]["Q197303"]["verdict"]
    assert host["kb"]["Q197303"]["evidence"] == audit["ansible_facts"]["iis_hotfix"]["kb"]["Q197303"]["evidence"]
    assert host["compliant"] is compliant


def test_system_facts_place_the_host(audit_of):
    host = one_host({"iis_hotfix_audit": audit_of(AFFECTED)})
    assert host["system"]["iis_version"] == "Version 4.0"
    assert host["system"]["iis_install_path"]
    assert host["system"]["windows"].startswith("4.0")


def test_a_registered_unreachable_audit_is_unreachable_even_while_the_host_stays_in_the_play():
    host = one_host({"iis_hotfix_audit": UNREACHABLE_RESULT}, in_play=True)
    assert host["status"] == "unreachable"
    assert host["reason"] == "winrm: connection refused"
    assert host["kb"]["Q197303"] == {"outcome": "unreachable", "verdict": None, "evidence": [], "before": None}
    assert host["compliant"] is False


def test_a_step_that_lost_the_connection_makes_the_host_unreachable(audit_of):
    variables = {
        "iis_hotfix_audit": audit_of(AFFECTED),
        "iis_hotfix_step": {**UNREACHABLE_RESULT, "msg": "winrm: read timed out"},
        "iis_hotfix_actions": [{"step": "removed", "status": "changed"}],
    }
    host = one_host(variables, mode="remediate")
    assert (host["status"], host["reason"]) == ("unreachable", "winrm: read timed out")
    assert host["kb"]["Q197303"]["outcome"] == "unreachable"
    assert host["kb"]["Q197303"]["before"]["verdict"] == "affected"
    assert host["compliant"] is False


def test_a_host_that_left_the_play_without_any_result_is_unreachable():
    host = one_host({}, in_play=False)
    assert host["status"] == "unreachable"
    assert "could not be reached" in host["reason"]
    assert host["compliant"] is False


def test_a_host_that_left_the_play_after_a_compliant_audit_is_failed_not_compliant(audit_of):
    host = one_host({"iis_hotfix_audit": audit_of(FIXED)}, in_play=False)
    assert host["status"] == "failed"
    assert host["kb"]["Q197303"]["outcome"] == "failed"
    assert host["kb"]["Q197303"]["verdict"] == "fixed"  # kept as the last known verdict
    assert host["compliant"] is False


def test_facts_without_a_registered_audit_of_this_run_do_not_count():
    # AWX's fact cache can bring back an earlier run's facts; only this run's registered results count.
    host = one_host({}, in_play=True)
    assert host["status"] == "not_audited"
    assert host["kb"]["Q197303"]["outcome"] == "not_audited"
    assert host["compliant"] is False


def test_a_skipped_audit_is_not_audited_without_a_problem():
    host = one_host({"iis_hotfix_audit": {"skipped": True, "changed": False}})
    assert host["status"] == "not_audited"
    assert host["problems"] == []


def test_a_failed_audit_is_failed_with_its_message():
    host = one_host({"iis_hotfix_audit": {"failed": True, "msg": "event_lookback must be between 1 and 10000"}})
    assert (host["status"], host["reason"]) == ("failed", "event_lookback must be between 1 and 10000")
    assert host["compliant"] is False


def test_a_recorded_failure_wins_over_a_good_audit(audit_of):
    variables = {
        "iis_hotfix_audit": audit_of(FIXED),
        "iis_hotfix_failure": {"task": "Reinstall SMTP and NNTP", "msg": "setup exited with 1603"},
    }
    host = one_host(variables, mode="remediate")
    assert (host["status"], host["reason"]) == ("failed", "Reinstall SMTP and NNTP: setup exited with 1603")
    assert host["compliant"] is False


def test_a_failed_action_makes_the_host_failed(audit_of):
    actions = [
        {"step": "backup", "status": "changed"},
        {"step": "overlay", "status": "failed", "summary": "disk full"},
    ]
    host = one_host({"iis_hotfix_audit": audit_of(AFFECTED), "iis_hotfix_actions": actions}, mode="remediate")
    assert (host["status"], host["reason"]) == ("failed", "step overlay failed: disk full")


def test_remediation_shows_before_and_after(audit_of):
    variables = {
        "iis_hotfix_audit": audit_of(AFFECTED),
        "iis_hotfix_reaudit": audit_of(FIXED),
        "iis_hotfix_actions": [{"step": "reinstall", "status": "changed", "kb": "Q197303", "summary": "from D:\\ip"}],
    }
    host = one_host(variables, mode="remediate")
    entry = host["kb"]["Q197303"]
    assert (entry["before"]["verdict"], entry["verdict"], entry["outcome"]) == ("affected", "fixed", "fixed")
    assert host["changed"] is True and host["compliant"] is True
    assert host["actions"] == [
        {"step": "reinstall", "status": "changed", "kb": "Q197303", "summary": "from D:\\ip", "details": None}
    ]


def test_a_changed_host_that_was_not_audited_again_is_undetermined(audit_of):
    variables = {"iis_hotfix_audit": audit_of(AFFECTED), "iis_hotfix_actions": [{"step": "x", "status": "changed"}]}
    host = one_host(variables, mode="remediate")
    assert host["kb"]["Q197303"]["outcome"] == "undetermined"
    assert "not audited again" in host["kb"]["Q197303"]["evidence"][0]
    assert host["compliant"] is False


def test_check_mode_remediation_keeps_the_audit_verdict_and_would_change(audit_of):
    variables = {"iis_hotfix_audit": audit_of(AFFECTED), "iis_hotfix_actions": [{"step": "x", "status": "changed"}]}
    host = one_host(variables, mode="remediate", check_mode=True)
    assert host["kb"]["Q197303"]["outcome"] == "affected"
    assert host["kb"]["Q197303"]["before"]["verdict"] == "affected"
    assert host["changed"] is True


def test_audit_mode_has_no_before(audit_of):
    assert one_host({"iis_hotfix_audit": audit_of(AFFECTED)})["kb"]["Q197303"]["before"] is None


def test_a_kb_the_audit_did_not_decide_is_undetermined(audit_of):
    host = one_host({"iis_hotfix_audit": audit_of(FIXED)}, kbs=["Q197303", "Q245208"])
    assert host["kb"]["Q197303"]["outcome"] == "fixed"
    assert host["kb"]["Q245208"]["outcome"] == "undetermined"
    assert host["kb"]["Q245208"]["evidence"] == ["the audit returned no verdict for Q245208"]
    assert host["compliant"] is False


def test_an_unknown_verdict_is_undetermined(audit_of):
    audit = audit_of(FIXED)
    audit["ansible_facts"]["iis_hotfix"]["kb"]["Q197303"]["verdict"] = "probably_fine"
    host = one_host({"iis_hotfix_audit": audit})
    assert host["kb"]["Q197303"]["outcome"] == "undetermined"
    assert host["kb"]["Q197303"]["evidence"][0] == "unknown verdict 'probably_fine'"


def test_malformed_actions_become_problems_not_errors(audit_of):
    actions = ["backup", {"status": "ok"}, {"step": "stage", "status": "done"}]
    host = one_host({"iis_hotfix_audit": audit_of(FIXED), "iis_hotfix_actions": actions})
    assert [action["step"] for action in host["actions"]] == ["stage"]
    assert host["problems"] == [
        "iis_hotfix_actions[0] is not a mapping with a step name",
        "iis_hotfix_actions[1] is not a mapping with a step name",
        "iis_hotfix_actions[2] has status 'done', not one of changed, ok, skipped, failed",
    ]
    assert one_host({"iis_hotfix_audit": audit_of(FIXED), "iis_hotfix_actions": "x"})["problems"] == [
        "iis_hotfix_actions is not a list"
    ]


def test_long_reasons_are_shortened():
    host = one_host({"iis_hotfix_audit": {**UNREACHABLE_RESULT, "msg": "refused: " * 200}})
    assert len(host["reason"]) == fleet_report.MAX_REASON_LENGTH
    assert host["reason"].endswith("\u2026")


def test_reported_kbs_default_to_those_the_audits_decided(audit_of):
    hosts = [
        HostInput("a", True, {"iis_hotfix_audit": audit_of(FIXED, ("Q245208",))}),
        HostInput("b", True, {"iis_hotfix_audit": audit_of(FIXED, ("Q197303", "Q245208"))}),
    ]
    assert fleet_report.reported_kbs(hosts, None) == ["Q245208", "Q197303"]
    assert fleet_report.reported_kbs(hosts, ["Q197303", "Q197303"]) == ["Q197303"]
    assert fleet_report.reported_kbs([HostInput("c", False, {})], None) == ["Q197303"]


def test_summary_counts_every_host_once_per_kb(audit_of):
    hosts = [
        HostInput("affected01", True, {"iis_hotfix_audit": audit_of(AFFECTED)}),
        HostInput("fixed01", True, {"iis_hotfix_audit": audit_of(FIXED)}),
        HostInput("down01", False, {"iis_hotfix_audit": UNREACHABLE_RESULT}),
        HostInput("broken01", False, {"iis_hotfix_audit": {"failed": True, "msg": "bad answer"}}),
        HostInput("later01", True, {}),
    ]
    report = build_report(hosts, generated_at=NOW, run={"play": "Audit"})
    summary = report["summary"]
    assert summary["hosts"] == 5
    assert (summary["compliant"], summary["noncompliant"]) == (1, 4)
    assert summary["by_status"] == {"ok": 2, "unreachable": 1, "failed": 1, "not_audited": 1}
    assert summary["by_kb"]["Q197303"] == {
        "affected": 1,
        "fixed": 1,
        "not_affected": 0,
        "not_applicable": 0,
        "undetermined": 0,
        "unreachable": 1,
        "failed": 1,
        "not_audited": 1,
    }
    assert summary["noncompliant_hosts"] == ["affected01", "down01", "broken01", "later01"]
    assert summary["unreachable_hosts"] == ["down01"]
    assert summary["failed_hosts"] == ["broken01"]
    assert [host["name"] for host in report["hosts"]] == ["affected01", "fixed01", "down01", "broken01", "later01"]
    assert (report["schema_version"], report["generated_at"], report["run"]) == (1, NOW, {"play": "Audit"})


def test_build_report_rejects_duplicate_hosts_and_unknown_modes():
    with pytest.raises(ValueError, match="only once"):
        build_report([HostInput("a", True, {}), HostInput("a", True, {})], generated_at=NOW)
    with pytest.raises(ValueError, match="mode must be one of"):
        build_report([], generated_at=NOW, mode="fix")


def test_plain_data_turns_ansible_values_into_json_types():
    class Tagged(str):
        pass

    value = {"a": (1, Tagged("x")), 2: {None}, "obj": object}
    plain = fleet_report.plain_data(value)
    assert plain["a"] == [1, "x"] and type(plain["a"][1]) is str
    assert plain["2"] == [None]
    assert plain["obj"] == str(object)
