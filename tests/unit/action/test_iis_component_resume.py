"""iis_component interrupted at each step converges on the next run, losing nothing."""

from __future__ import annotations

import itertools

import pytest
from ansible.errors import AnsibleConnectionFailure
from iis_component_fakehost import POINT, SETUP_KEY, data_files, kb_host, run_task, sha

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import AgentClient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_plan import Request
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_run import ComponentRun, RunFailed

BOTH = ["smtp", "nntp"]
ABSENT = {"name": BOTH, "state": "absent", "source": POINT}
PRESENT = {"name": BOTH, "state": "present", "source": POINT}
RECORD = "winops.iis_hotfix.iis_component"


def operations(host, since=0):
    return [op["op"] for request in host.requests[since:] for op in request["operations"]]


def statuses(host):
    return {key: entry["status"] for key, entry in host.records[RECORD.casefold()]["value"]["datasets"].items()}


def source_path(host):
    return host.registry[SETUP_KEY.casefold()]["sourcepath"][2]


def interrupted(windows_connection, host, args, at_request):
    """Run the task with the link lost from its request number ``at_request`` on (longer than the client retries):
    the host is unreachable; the link is back for the next run."""
    host.disconnect_after, host.outage = len(host.requests) + at_request, 1000
    with pytest.raises(AnsibleConnectionFailure):
        run_task(windows_connection, host, args)
    host.disconnect_after, host.outage = None, 1


def test_a_connection_lost_while_setup_runs_is_resumed_by_waiting_for_setup(windows_connection):
    host = kb_host()
    before = data_files(host)
    host.setup_polls = 3
    interrupted(windows_connection, host, ABSENT, at_request=5)  # read, stop+read, copy, start setup, poll
    assert host.processes[4000]["state"] == "running" and source_path(host) == POINT

    resumed, _ = run_task(windows_connection, host, ABSENT)

    assert "failed" not in resumed, resumed["msg"]
    assert resumed["changed"] is True
    assert "smtpsvc" not in host.services and "nntpsvc" not in host.services
    assert len(host.setup_runs) == 1  # waited for, never started twice
    assert source_path(host) == "D:\\"
    assert statuses(host) == {"mailroot": "removed", "metabase": "removed", "nntpfile": "removed"}
    assert f"{RECORD}.setup".casefold() not in host.records and not host.locks

    run_task(windows_connection, host, PRESENT)
    assert data_files(host) == before


def test_setup_started_whose_answer_was_lost_is_waited_for_in_the_same_run(windows_connection):
    host = kb_host()
    host.lose_answer_of = len(host.requests) + 4  # read, stop+read, copy, start setup
    result, _ = run_task(windows_connection, host, ABSENT)
    assert "failed" not in result, result["msg"]
    assert len(host.setup_runs) == 1  # not started twice
    assert "smtpsvc" not in host.services and "nntpsvc" not in host.services
    assert statuses(host) == {"mailroot": "removed", "metabase": "removed", "nntpfile": "removed"}
    assert f"{RECORD}.setup".casefold() not in host.records and not host.locks


def test_one_drop_at_any_request_is_survived_in_the_run_and_setup_never_starts_twice(windows_connection):
    clean = kb_host()
    run_task(windows_connection, clean, ABSENT)
    for number in range(1, len(clean.requests) + 1):
        host = kb_host()
        before = data_files(host)
        host.disconnect_after = number  # the batch that starts setup is sent again only once the host says
        result, _ = run_task(windows_connection, host, ABSENT)  # it did not start
        assert "failed" not in result, (number, result["msg"])
        assert "smtpsvc" not in host.services and not host.locks and len(host.setup_runs) == 1, number
        run_task(windows_connection, host, PRESENT)
        assert data_files(host) == before, number


def test_a_backup_interrupted_before_setup_is_completed_without_copying_again(windows_connection):
    host = kb_host()
    before = data_files(host)
    interrupted(windows_connection, host, ABSENT, at_request=4)  # the backup is copied, setup not started
    assert statuses(host) == {"mailroot": "copying", "metabase": "copying", "nntpfile": "copying"}
    assert "smtpsvc" in host.services

    resumed, _ = run_task(windows_connection, host, ABSENT)

    assert "failed" not in resumed, resumed["msg"]
    assert {key: entry["copied"] for key, entry in resumed["backup"]["datasets"].items()} == {
        "mailroot": 0,
        "metabase": 0,
        "nntpfile": 0,
    }
    assert "smtpsvc" not in host.services
    run_task(windows_connection, host, PRESENT)
    assert data_files(host) == before


def test_a_verified_backup_is_not_redone_when_setup_could_not_start(windows_connection):
    host = kb_host()
    host.refuse_programs = True
    failed, _ = run_task(windows_connection, host, ABSENT)
    assert failed["failed"] is True and "193" in failed["msg"]
    assert statuses(host) == {"mailroot": "verified", "metabase": "verified", "nntpfile": "verified"}
    assert source_path(host) == "D:\\" and not host.locks
    host.refuse_programs = False
    since = len(host.requests)

    resumed, _ = run_task(windows_connection, host, ABSENT)

    assert "failed" not in resumed, resumed["msg"]
    assert {entry["mode"] for entry in resumed["backup"]["datasets"].values()} == {"reuse"}
    assert "file.copy" not in operations(host, since) and "file.tree" in operations(host, since)
    assert "smtpsvc" not in host.services


def test_a_reinstall_interrupted_before_the_restore_restores_on_the_next_run(windows_connection):
    host = kb_host()
    before = data_files(host)
    run_task(windows_connection, host, ABSENT)
    interrupted(windows_connection, host, PRESENT, at_request=6)  # read, start, 2 polls, finish; no restore
    assert host.services["smtpsvc"]["state"] == "running"
    assert not any(key.startswith("c:\\inetpub\\mailroot\\queue\\") for key in host.files)

    resumed, _ = run_task(windows_connection, host, PRESENT)

    assert "failed" not in resumed, resumed["msg"]
    assert resumed["restored"]["verified"] == len(before)
    assert len(host.setup_runs) == 2  # the removal and one installation
    assert data_files(host) == before
    assert statuses(host) == {"mailroot": "restored", "metabase": "restored", "nntpfile": "restored"}
    assert host.services["smtpsvc"]["state"] == "running"


def test_removing_again_before_the_restore_keeps_the_waiting_backup_and_adds_new_mail(windows_connection):
    host = kb_host()
    before = data_files(host)
    run_task(windows_connection, host, ABSENT)
    interrupted(windows_connection, host, PRESENT, at_request=6)
    host.put("C:\\Inetpub\\Mailroot\\Queue\\arrived-since.EML", b"new mail", "2000-01-05T00:00:00Z")

    again, _ = run_task(windows_connection, host, ABSENT)

    assert "failed" not in again, again["msg"]
    assert again["backup"]["datasets"]["mailroot"]["mode"] == "additive"
    assert again["backup"]["datasets"]["mailroot"]["files"] == 4
    run_task(windows_connection, host, PRESENT)
    assert data_files(host) == {**before, "C:\\Inetpub\\Mailroot\\Queue\\arrived-since.EML": sha(b"new mail")}


def test_a_setup_that_outlives_the_timeout_is_waited_for_by_the_next_run(windows_connection):
    host = kb_host()
    host.setup_polls = 50
    clock = itertools.count(step=10)
    request = Request(("smtp", "nntp"), "absent", POINT, timeout=30)

    def run():
        client = AgentClient(windows_connection(host.answer))
        return ComponentRun(client, request, check_mode=False, owner="test", monotonic=lambda: next(clock)).run()

    with pytest.raises(RunFailed, match="still running after 30 seconds; it carries on by itself"):
        run()
    assert not host.locks and source_path(host) == POINT
    host.processes[4000]["polls"] = 0

    result = run()

    assert result["changed"] is True and "smtpsvc" not in host.services
    assert source_path(host) == "D:\\" and len(host.setup_runs) == 1
