"""service.start/stop and process.start/poll against the host model's SCM and detached programs."""

from __future__ import annotations

import time

import pytest
from agent_fixtures import AgentBatch, AgentSession, ref
from host_fixtures import new_host

from winsim.host import open_host, pe

CMD = r"C:\WINNT\system32\cmd.exe"


def _wait_for(condition, seconds: float = 30.0) -> None:
    """Synchronise with a background thread of the host (not a timing assertion: it only bounds the wait)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the host's background work did not finish"
        time.sleep(0.01)


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path / "host", "iis4-kb", "CONTROL-1")


@pytest.fixture
def session(host):
    return AgentSession(host)


def test_stopping_iis_admin_stops_its_running_dependents_first(session, host):
    refused = session.one("service.stop", {"name": "iisadmin"}).value
    stopped = session.one("service.stop", {"name": "iisadmin", "dependents": True}).value
    again = session.one("service.stop", {"name": "IISADMIN", "dependents": True}).value
    assert (refused["changed"], refused["state"], refused["win32_error"]) == (False, "running", 1051)
    assert "W3SVC" in refused["win32_message"]
    assert stopped["name"] == "IISADMIN" and stopped["changed"] is True
    assert (stopped["previous_state"], stopped["state"], stopped["timed_out"]) == ("running", "stopped", False)
    assert sorted(stopped["stopped_dependents"]) == ["MSFTPSVC", "W3SVC"]
    assert (stopped["exit_code"], stopped["process_id"]) == (0, 0)
    assert (again["changed"], again["stopped_dependents"]) == (False, [])
    assert not any(p.image.lower().endswith("inetinfo.exe") for p in host.services.processes())


def test_starting_a_service_that_stops_on_its_own_is_an_answer_not_an_error(session):
    value = session.one("service.start", {"name": "SMTPSVC"}).value
    assert (value["changed"], value["state"], value["exit_code"], value["win32_error"]) == (True, "stopped", 2, None)


def test_a_refused_start_reports_its_win32_error(session, host):
    with host.transaction():
        host.services.set_start_type("W3SVC", 4)
        host.services.stop("W3SVC")
    value = session.one("service.start", {"name": "W3SVC", "timeout_seconds": 0}).value
    assert (value["changed"], value["state"], value["win32_error"]) == (False, "stopped", 1058)
    assert value["win32_message"].startswith("The service cannot be started")


def test_starting_a_running_service_changes_nothing(session, host):
    writes = host.counters["writes"]
    value = session.one("service.start", {"name": "W3SVC"}).value
    assert (value["changed"], value["previous_state"], value["state"]) == (False, "running", "running")
    assert host.counters["writes"] == writes


def test_a_missing_image_is_reported_with_error_2(session, host):
    with host.transaction():
        host.services.create_service("Vendor", "Vendor Service", r"C:\Vendor\vendor.exe")
    assert session.one("service.start", {"name": "vendor"}).value["win32_error"] == 2


@pytest.mark.parametrize(("op", "args", "expected"), [
    ("service.start", {"name": "NoSuchService"}, ("not_found", 1060)),
    ("service.stop", {"name": "a/b"}, ("invalid_argument", 123)),
    ("service.stop", {"name": "W3SVC", "timeout_seconds": 3601}, ("invalid_argument", 87)),
])
def test_service_control_errors(session, op, args, expected):
    error = session.one(op, args).error
    assert (error.kind, error.code) == expected


def test_a_detached_program_is_started_and_polled_to_its_exit_code(session, host):
    batch = AgentBatch()
    batch.process_start(CMD, ["/c", "exit 3"], op_id="start")
    started = session.run(batch).value("start")
    poll = AgentBatch()
    poll.process_poll(started["pid"], start_time=started["start_time"], wait_seconds=30, op_id="poll")
    polled = session.run(poll).value("poll")
    assert started["command_line"] == f'"{CMD}" /c "exit 3"'
    assert started["working_directory"] == r"C:\WINNT\system32"
    assert {k: polled[k] for k in ("pid", "exists", "state", "start_time", "exit_code")} == {
        "pid": started["pid"], "exists": True, "state": "exited", "start_time": started["start_time"],
        "exit_code": 3}


def test_the_job_record_survives_a_reboot_and_a_lost_exit_code_is_unknown(session, host, tmp_path):
    started = session.one("process.start", {"executable": CMD, "arguments": ["/c", "exit 0"]}).value
    session.one("process.poll", {"pid": started["pid"], "wait_seconds": 30})
    jobs = r"C:\WINNT\Temp\win-primitive-agent\process"
    (job,) = [i for i in host.fs.list_dir(jobs) if i.is_dir]
    _wait_for(lambda: host.fs.is_file(job.path + r"\exit.txt"))  # the launcher's last act
    with host.transaction():
        host.fs.delete_file(job.path + r"\exit.txt")  # as if the host went down while the program ran
    rebooted = open_host(tmp_path / "host", {})
    value = AgentSession(rebooted).one("process.poll", {"pid": started["pid"]}).value
    assert (value["exists"], value["state"], value["exit_code"]) == (True, "exited", None)


def test_polling_a_pid_nobody_started_and_mismatched_start_times(session):
    started = session.one("process.start", {"executable": CMD, "arguments": ["/c", "exit 0"]}).value
    assert session.one("process.poll", {"pid": 4242}).value == {"pid": 4242, "exists": False}
    assert session.one("process.poll", {"pid": started["pid"], "start_time": "1999-01-01T00:00:00Z"}).value == {
        "pid": started["pid"], "exists": False}


def test_arguments_are_quoted_so_the_program_reads_them_back_as_data(session):
    value = session.one("process.start", {"executable": CMD, "arguments": [
        "/c", "exit 0", "", 'say "hi"', 'a\\"b', "C:\\my dir\\", "/u:C:\\a.txt", "$(whoami); `x` & | >"]}).value
    assert value["command_line"] == (f'"{CMD}" /c "exit 0" "" "say \\"hi\\"" "a\\\\\\"b" "C:\\my dir\\\\" '
                                     '/u:C:\\a.txt "$(whoami); `x` & | >"')


@pytest.mark.parametrize(("args", "expected"), [
    ({"executable": r"C:\WINNT\system32\nothere.exe"}, ("not_found", 2)),
    ({"executable": r"C:\WINNT\system32"}, ("invalid_argument", 87)),
    ({"executable": CMD, "working_directory": r"C:\Nowhere"}, ("not_found", 3)),
    ({"executable": CMD, "arguments": "/c exit"}, ("invalid_argument", 87)),
    ({"executable": "cmd.exe"}, ("invalid_argument", 161)),
])
def test_process_start_refusals(session, args, expected):
    error = session.one("process.start", args).error
    assert (error.kind, error.code) == expected


def test_a_program_of_another_platform_fails_with_193(session, host):
    with host.transaction():
        host.fs.make_dir(r"C:\Media\alpha")
        host.fs.write_file(r"C:\Media\alpha\setup.exe", pe.build_pe(pe.MACHINE_ALPHA, 71_952))
    error = session.one("process.start", {"executable": r"C:\Media\alpha\setup.exe"}).error
    assert (error.kind, error.code) == ("os_error", 193)


def test_a_start_depends_on_an_earlier_write_through_after(session):
    batch = AgentBatch()
    batch.file_copy(r"C:\Nowhere\setup.exe", r"C:\InstPoint\setup.exe", op_id="stage")
    batch.process_start(ref("stage", "dest"), op_id="run", after="stage")
    response = session.run(batch)
    assert response["run"].unresolved
