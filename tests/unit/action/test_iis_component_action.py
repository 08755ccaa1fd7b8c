"""iis_component as Ansible calls it, against an in-memory host: remove and reinstall with the data
kept, check mode, idempotence, setup failures and argument errors."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleActionFail
from iis_component_fakehost import POINT, READ_OPS, SETUP_KEY, data_files, kb_host, run_task

from ansible_collections.winops.iis_hotfix.plugins.action.iis_component import ActionModule
from ansible_collections.winops.iis_hotfix.plugins.modules import iis_component as component_doc

BOTH = ["smtp", "nntp"]
ABSENT = {"name": BOTH, "state": "absent", "source": POINT}
PRESENT = {"name": BOTH, "state": "present", "source": POINT}


def test_absent_backs_up_then_removes_and_present_restores_everything(windows_connection):
    host = kb_host()
    before = data_files(host)

    removed, _ = run_task(windows_connection, host, ABSENT)
    assert "failed" not in removed, removed.get("msg")
    assert removed["changed"] is True
    assert removed["components"] == {
        "smtp": {"before": "stopped", "after": "absent"},
        "nntp": {"before": "stopped", "after": "absent"},
    }
    assert removed["backup"]["files"] == len(before)
    assert removed["backup"]["dir"] == "C:\\IisHotfix\\Backup"
    assert removed["setup"]["exit_code"] == 0 and removed["setup"]["action"] == "remove"
    assert "smtpsvc" not in host.services and "nntpsvc" not in host.services
    assert not any(key.startswith("c:\\inetpub\\mailroot\\") for key in host.files)  # setup deleted it
    assert host.registry[SETUP_KEY.casefold()]["sourcepath"][2] == "D:\\"  # put back after setup

    reinstalled, _ = run_task(windows_connection, host, PRESENT)
    assert "failed" not in reinstalled, reinstalled.get("msg")
    assert reinstalled["components"]["smtp"] == {"before": "absent", "after": "running"}
    assert reinstalled["restored"]["files"] == len(before) - 1  # the metabase was never lost
    assert reinstalled["restored"]["verified"] == len(before)
    assert reinstalled["events"] == []
    assert data_files(host) == before
    assert host.services["smtpsvc"]["state"] == "running" and host.services["nntpsvc"]["state"] == "running"
    assert not host.locks


def test_the_answer_files_select_the_components_and_setup_runs_from_the_source(windows_connection):
    host = kb_host()
    run_task(windows_connection, host, {**ABSENT, "name": ["nntp"]})
    (run,) = host.setup_runs
    assert run["executable"] == POINT + "\\setup.exe"
    assert run["working_directory"] == POINT
    answer_path = run["arguments"][0].removeprefix("/u:")
    text = host.files[answer_path.casefold()][1].decode("ascii")
    assert "MaintanenceMode = AddRemove" in text and "iis_nntp = OFF" in text and "iis_smtp" not in text
    assert "smtpsvc" in host.services and "nntpsvc" not in host.services


def test_second_runs_change_nothing_and_send_no_write(windows_connection):
    host = kb_host()
    run_task(windows_connection, host, ABSENT)
    writes = len(host.writes())
    again, connection = run_task(windows_connection, host, ABSENT)
    assert again["changed"] is False and len(connection.invocations) == 1
    assert len(host.writes()) == writes

    run_task(windows_connection, host, PRESENT)
    writes = len(host.writes())
    again, connection = run_task(windows_connection, host, PRESENT)
    assert again["changed"] is False, again["msg"]
    assert again["msg"] == "nothing to do: SMTP running, NNTP running"
    assert len(host.writes()) == writes and len(connection.invocations) == 1


@pytest.mark.parametrize("args", [ABSENT, PRESENT])
def test_check_mode_sends_one_read_batch_and_reports_the_plan(windows_connection, args):
    host = kb_host()
    if args is PRESENT:
        run_task(windows_connection, host, ABSENT)
    requests = len(host.requests)
    result, connection = run_task(windows_connection, host, args, check_mode=True, diff=True)
    assert len(connection.invocations) == 1
    assert {op["op"] for op in host.requests[requests]["operations"]} <= READ_OPS
    assert result["changed"] is True
    plan = result["plan"]
    if args is ABSENT:
        assert plan["remove"] == BOTH and plan["install"] == []
        assert {entry["dataset"]: entry["files"] for entry in plan["backup"]} == {
            "mailroot": 3,
            "nntpfile": 2,
            "metabase": 1,
        }
        assert result["backup"]["files"] == 6
        assert result["diff"]["after"]["components"] == {"smtp": "absent", "nntp": "absent"}
    else:
        assert plan["install"] == BOTH
        assert {entry["dataset"] for entry in plan["restore"]} == {"mailroot", "nntpfile", "metabase"}
        assert plan["start"] == ["SMTPSVC", "NNTPSVC"]
    assert result["msg"].startswith("would ")


def test_setup_failure_fails_with_the_exit_code_and_the_recorded_error(windows_connection):
    host = kb_host()
    host.setup_exit = 2
    result, _ = run_task(windows_connection, host, ABSENT)
    assert result["failed"] is True and result["changed"] is True
    assert "setup failed with exit code 2" in result["msg"]
    assert "Ims.inf: iis_smtp: error 2: The system cannot find the file" in result["msg"]
    assert result["details"]["exit_code"] == 2
    assert result["backup"]["files"] == 6  # the backup was made before setup ran
    assert host.registry[SETUP_KEY.casefold()]["sourcepath"][2] == "D:\\"
    assert not host.locks


def test_services_that_fail_after_the_install_fail_the_task_with_the_events(windows_connection):
    host = kb_host()
    run_task(windows_connection, host, ABSENT)
    host.installs_work = False  # the installation point still holds the original INFs
    result, _ = run_task(windows_connection, host, PRESENT)
    assert result["failed"] is True
    assert "SMTPSVC is stopped" in result["msg"] and "7023" in result["msg"]
    assert "Q197303" in result["msg"]
    assert result["events"] and result["events"][0]["event_id"] == 7023
    assert result["restored"]["verified"] == 6  # the data is back even so


def test_a_lock_held_by_another_run_changes_nothing(windows_connection):
    host = kb_host()
    host.locks["winops.iis_hotfix.iis_component"] = {"owner": "someone else", "expires": host.clock + 600}
    before = data_files(host)
    result, _ = run_task(windows_connection, host, ABSENT)
    assert result["failed"] is True
    assert "another run is working on this host" in result["msg"]
    assert [op["op"] for op in host.writes()] == ["lock.acquire"]  # nothing ran without the lock
    assert host.locks["winops.iis_hotfix.iis_component"]["owner"] == "someone else"
    assert data_files(host) == before and "smtpsvc" in host.services
    assert not host.setup_runs


def test_missing_installation_files_fail_before_anything_is_touched(windows_connection):
    host = kb_host()
    del host.files[(POINT + "\\Ins.inf").casefold()]
    result, connection = run_task(windows_connection, host, ABSENT)
    assert result["failed"] is True
    assert result["msg"] == f"the installation point {POINT} lacks Ins.inf; nothing was changed"
    assert len(connection.invocations) == 1 and host.writes() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"name": ["ftp"], "state": "absent"}, "value of name must be one or more of"),
        ({"name": ["smtp"], "state": "present"}, "state is present but all of the following are missing: source"),
        ({"name": ["smtp"], "bogus": 1, "source": POINT}, "Unsupported parameters"),
    ],
)
def test_invalid_arguments_fail_before_the_host_is_touched(windows_connection, args, message):
    host = kb_host()
    with pytest.raises(AnsibleActionFail, match=message):
        run_task(windows_connection, host, args)
    assert host.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({**ABSENT, "timeout": 0}, "timeout must be between 1 and 86400 seconds, got 0"),
        ({**ABSENT, "source": "relative\\point"}, "source must be an absolute path on the host"),
        ({**ABSENT, "mailroot": "Mailroot"}, "mailroot must be an absolute path on the host"),
    ],
)
def test_bad_values_fail_with_a_message_and_no_round_trip(windows_connection, args, message):
    host = kb_host()
    result, _ = run_task(windows_connection, host, args)
    assert result["failed"] is True and message in result["msg"]
    assert host.requests == []


def test_documentation_matches_the_argument_spec(module_documentation):
    documentation = module_documentation(component_doc)
    options = documentation["options"]
    spec = ActionModule.ARGUMENT_SPEC
    assert set(options) == set(spec)
    for name, option in options.items():
        for field in ("type", "elements", "default", "choices", "required"):
            assert option.get(field) == spec[name].get(field), (name, field)
    assert documentation["attributes"]["check_mode"]["support"] == "full"
    assert documentation["attributes"]["platform"]["platforms"] == "windows"
    for block in (component_doc.EXAMPLES, component_doc.RETURN):
        assert yaml.safe_load(block)


def test_progress_is_shown_between_polls_while_setup_runs(windows_connection, capsys):
    host = kb_host()
    host.setup_polls = 2
    run_task(windows_connection, host, ABSENT)
    shown = capsys.readouterr().out
    assert "iis4: iis_component: setup (remove SMTP, NNTP) started, pid 4000" in shown
    assert shown.count("iis4: iis_component: setup (remove SMTP, NNTP) running for") == 2


def test_services_stopped_for_the_backup_run_again_when_setup_fails(windows_connection):
    host = kb_host()
    for name in ("smtpsvc", "nntpsvc"):
        host.services[name].update(state="running", broken=False)
    host.setup_exit = 2
    result, _ = run_task(windows_connection, host, ABSENT)
    assert result["failed"] is True
    assert [op["args"]["name"] for op in host.writes() if op["op"] == "service.stop"] == ["SMTPSVC", "NNTPSVC"]
    assert host.services["smtpsvc"]["state"] == "running" and host.services["nntpsvc"]["state"] == "running"


def test_many_files_travel_in_several_batches_and_all_come_back(windows_connection):
    host = kb_host(queue=900)
    before = data_files(host)
    removed, connection = run_task(windows_connection, host, ABSENT)
    copy_batches = [i for i in connection.invocations if any(o["op"] == "file.copy" for o in i.request["operations"])]
    assert len(copy_batches) == 3  # 915 operations, at most 400 per batch
    assert removed["backup"]["files"] == len(before) == 903
    run_task(windows_connection, host, PRESENT)
    assert data_files(host) == before
