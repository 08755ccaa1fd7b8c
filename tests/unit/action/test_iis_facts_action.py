"""The iis_facts action plugin as Ansible calls it: arguments, facts, check mode, error mapping."""

from __future__ import annotations

import types

import pytest
import yaml
from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext

from ansible_collections.winops.iis_hotfix.plugins.action.iis_facts import ActionModule
from ansible_collections.winops.iis_hotfix.plugins.modules import iis_facts as iis_facts_doc

AFFECTED = "detect_nt4_iis4_nondefault_affected.json"


def make_action(connection, args=None, *, check_mode=False, diff=False, become=False):
    task = types.SimpleNamespace(
        args=dict(args or {}),
        check_mode=check_mode,
        diff=diff,
        async_val=0,
        action="winops.iis_hotfix.iis_facts",
    )
    play_context = PlayContext()
    play_context.become = become
    action = ActionModule(task, connection, play_context, DataLoader(), None, None)
    action._load_name = "winops.iis_hotfix.iis_facts"
    return action


@pytest.mark.parametrize("check_mode", [False, True])
def test_returns_facts_and_never_changes(windows_connection, recorded_response, check_mode):
    connection = windows_connection(recorded_response(AFFECTED))
    result = make_action(connection, check_mode=check_mode).run(task_vars={"inventory_hostname": "iis01"})
    assert result["changed"] is False
    assert "failed" not in result
    facts = result["ansible_facts"]["iis_hotfix"]
    assert facts["kb"]["Q197303"]["verdict"] == "affected"
    assert list(facts["kb"]) == ["Q197303"]
    assert len(connection.invocations) == 1


def test_requested_kbs_and_event_lookback_reach_the_batch(windows_connection, recorded_response):
    connection = windows_connection(recorded_response(AFFECTED))
    result = make_action(connection, {"kb": ["Q245208", "Q197303", "Q245208"], "event_lookback": 3}).run(task_vars={})
    assert list(result["ansible_facts"]["iis_hotfix"]["kb"]) == ["Q245208", "Q197303"]
    events = [op for op in connection.invocations[0].request["operations"] if op["op"] == "event.query"]
    assert events[0]["args"]["newest"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"kb": ["Q1"]}, "value of kb must be one or more of"),
        ({"event_lookback": "many"}, "event_lookback"),
        ({"unexpected": 1}, "Unsupported parameters"),
    ],
)
def test_invalid_arguments_fail_before_the_host_is_touched(windows_connection, recorded_response, args, message):
    connection = windows_connection(recorded_response(AFFECTED))
    with pytest.raises(AnsibleActionFail, match=message):
        make_action(connection, args).run(task_vars={})
    assert connection.invocations == []


def test_out_of_range_lookback_fails_with_a_message(windows_connection, recorded_response):
    connection = windows_connection(recorded_response(AFFECTED))
    result = make_action(connection, {"event_lookback": 0}).run(task_vars={})
    assert result["failed"] is True
    assert result["msg"] == "event_lookback must be between 1 and 10000, got 0"
    assert connection.invocations == []


def test_connection_failures_make_the_host_unreachable(windows_connection):
    failure = AnsibleConnectionFailure("winrm connection error: connection refused")
    with pytest.raises(AnsibleConnectionFailure) as raised:
        make_action(windows_connection(error=failure)).run(task_vars={})
    assert raised.value is failure


def test_other_transport_errors_also_make_the_host_unreachable(windows_connection):
    with pytest.raises(AnsibleConnectionFailure, match="the connection failed while the agent ran: reset by peer"):
        make_action(windows_connection(error=ConnectionResetError("reset by peer"))).run(task_vars={})


def test_agent_failures_fail_the_task_with_a_message(windows_connection):
    connection = windows_connection(rc=1, stdout=b"", stderr=b"PowerShell is not installed")
    result = make_action(connection).run(task_vars={})
    assert result["failed"] is True and result["changed"] is False
    assert "gave no win-primitive-agent/1 response (exit code 1)" in result["msg"]
    assert result["details"]["stderr"] == "PowerShell is not installed"


def test_failed_reads_become_warnings_and_an_undetermined_verdict(windows_connection, recorded_response):
    connection = windows_connection(recorded_response("detect_nt4_inetstp_access_denied.json"))
    result = make_action(connection).run(task_vars={})
    assert result["ansible_facts"]["iis_hotfix"]["kb"]["Q197303"]["verdict"] == "undetermined"
    assert result["warnings"] == [
        "iis_facts could not read everything: inetstp: registry.read: Requested registry access is not allowed. "
        "(access_denied, Win32 error 5)"
    ]


def test_documentation_matches_the_argument_spec(module_documentation):
    documentation = module_documentation(iis_facts_doc)
    options = documentation["options"]
    spec = ActionModule.ARGUMENT_SPEC
    assert set(options) == set(spec)
    for name, option in options.items():
        for field in ("type", "elements", "default", "choices"):
            assert option.get(field) == spec[name].get(field), (name, field)
    assert documentation["attributes"]["check_mode"]["support"] == "full"
    assert documentation["attributes"]["platform"]["platforms"] == "windows"
    for block in (iis_facts_doc.EXAMPLES, iis_facts_doc.RETURN):
        assert yaml.safe_load(block)
