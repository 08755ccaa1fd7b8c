"""Paths of the real agent (plugins/plugin_utils/agent*.ps1) reached by host states a service-heavy Windows
host can be in: service registrations edited by hand (a Start or Type the SCM has no name for, an ImagePath of
blanks), WMI disabled, processes the agent did not start polled by id, JSON pointers into arrays, and typed list
arguments.
The agent runs in winsim's PowerShell interpreter on a simulated PowerShell 2.0 host.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import agent_fixtures  # noqa: F401 - makes the collection importable
from host_fixtures import new_host

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client
from winsim.powershell.engine import Engine, make_runtime

PROTOCOL = "win-primitive-agent/1"
W3SVC = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W3SVC"
JOBS = r"C:\WINNT\Temp\win-primitive-agent\process"


@pytest.fixture(scope="module")
def agent_source() -> str:
    return agent_client.agent_source()


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path, "iis4-kb")


def results(host, agent_source: str, *operations) -> list[dict]:
    line = json.dumps({"protocol": PROTOCOL, "operations": list(operations)})
    result = Engine(make_runtime(host, version=(2, 0))).run(agent_source, input_lines=[line])
    assert result.terminating is None, result.terminating.message
    response = json.loads(result.output[0])
    assert response["ok"] is True, response["error"]
    return response["results"]


def query_w3svc(host, agent_source) -> dict:
    entry, = results(host, agent_source, {"id": "s", "op": "service.query", "args": {"name": "W3SVC"}})
    assert entry["ok"] is True, entry
    return entry["value"]


# -- service.query (protocol 5.3) of registrations edited by hand -----------------------------------------------

def test_a_start_value_the_scm_has_no_name_for_is_unknown(host, agent_source):
    with host.lock:
        host.registry.set_value(W3SVC, "Start", "REG_DWORD", 9)
    value = query_w3svc(host, agent_source)
    assert value["start_mode"] == "unknown"
    assert value["state"] == "running"  # the SCM keeps running what it started


def test_a_type_with_both_process_bits_is_other(host, agent_source):
    # SERVICE_WIN32_OWN_PROCESS | SERVICE_WIN32_SHARE_PROCESS: a Win32 service, but neither kind alone.
    with host.lock:
        host.registry.set_value(W3SVC, "Type", "REG_DWORD", 0x30)
    assert query_w3svc(host, agent_source)["service_type"] == "other"


def test_an_image_path_of_blanks_names_no_file(host, agent_source):
    with host.lock:
        host.registry.set_value(W3SVC, "ImagePath", "REG_EXPAND_SZ", "   ")
    value = query_w3svc(host, agent_source)
    assert (value["image_path"], value["image_file"], value["image_file_exists"]) == ("   ", None, False)


# -- process.poll (protocol 6.7) of a process the agent did not start -------------------------------------------

def test_a_service_process_polled_by_id_is_running_with_no_job_record(host, agent_source):
    with host.lock:
        pid = host.services.status("IISADMIN").pid
    assert pid > 0
    query, poll = results(host, agent_source,
                          {"id": "s", "op": "service.query", "args": {"name": "IISADMIN"}},
                          {"id": "p", "op": "process.poll", "args": {"pid": {"$ref": "s", "pointer": "/process_id"}}})
    assert query["value"]["process_id"] == pid
    value = poll["value"]
    assert (value["pid"], value["exists"], value["state"]) == (pid, True, "running")
    # No launcher recorded it: no end time nor exit code, and it is still running afterwards.
    assert (value["end_time"], value["exit_code"]) == (None, None)
    with host.lock:
        assert host.services.status("IISADMIN").state == "running"


def test_a_service_process_polled_with_a_start_time_it_cannot_confirm_is_not_that_process(host, agent_source):
    # Protocol 6.7: with start_time, a process whose start time differs is not the one asked about; another
    # account's process does not show its start time, and the agent's own programs always do.
    with host.lock:
        pid = host.services.status("IISADMIN").pid
    (poll,) = results(host, agent_source, {"id": "p", "op": "process.poll",
                                           "args": {"pid": pid, "start_time": "1999-01-04T09:12:44Z"}})
    assert poll["value"] == {"pid": pid, "exists": False}


# -- value expressions (protocol 2.1) and typed arguments -------------------------------------------------------

def test_a_pointer_indexes_into_an_array_of_an_earlier_result(host, agent_source):
    with host.lock:
        host.registry.set_value("HKLM\\SOFTWARE\\Lists", "m", "REG_MULTI_SZ",
                                ["C:\\Inetsrv\\inetinfo.exe", "C:\\missing.txt"])
    read, first, second, third = results(
        host, agent_source,
        {"id": "r", "op": "registry.read", "args": {"path": "HKLM\\SOFTWARE\\Lists"}},
        {"id": "a", "op": "file.stat", "args": {"path": {"$ref": "r", "pointer": "/values/m/value/0"}}},
        {"id": "b", "op": "file.stat", "args": {"path": {"$ref": "r", "pointer": "/values/m/value/1"}}},
        {"id": "c", "op": "file.stat", "args": {"path": {"$ref": "r", "pointer": "/values/m/value/2"}}})
    assert read["ok"] is True
    assert (first["value"]["path"], first["value"]["exists"]) == ("C:\\Inetsrv\\inetinfo.exe", True)
    assert (second["value"]["path"], second["value"]["exists"]) == ("C:\\missing.txt", False)
    assert third["ok"] is False
    assert third["error"]["kind"] == "unresolved_reference"
    assert third["error"]["message"] == "'/values/m/value/2' does not exist in the result of 'r'"


@pytest.mark.parametrize("values", [[1], ["InstallPath", None], ["InstallPath", ["x"]]])
def test_a_list_of_value_names_holding_a_non_string_is_refused(host, agent_source, values):
    entry, = results(host, agent_source, {"id": "r", "op": "registry.read",
                                          "args": {"path": "HKLM\\SOFTWARE\\Microsoft\\InetStp", "values": values}})
    assert entry["ok"] is False
    assert (entry["error"]["kind"], entry["error"]["code"]) == ("invalid_argument", 87)
    assert entry["error"]["message"] == "argument 'values' must be of type string[]"


# -- WMI unavailable (protocol 5.3 wmi_error; 6.7 process.start goes through Win32_Process.Create) ---------------

def disable_wmi(host) -> None:
    # The WMI service registered as Windows 2000 has it (svchost-hosted in later versions), then disabled.
    with host.lock:
        host.services.create_service("winmgmt", "Windows Management Instrumentation",
                                     r"%SystemRoot%\System32\WBEM\WinMgmt.exe", start_type=4)


def test_without_wmi_service_query_answers_what_the_scm_knows_and_says_why(tmp_path, agent_source):
    host = new_host(tmp_path, "iis5")
    disable_wmi(host)
    entry, = results(host, agent_source, {"id": "s", "op": "service.query", "args": {"name": "IISADMIN"}})
    value = entry["value"]
    assert (value["exists"], value["state"], value["start_mode"]) == (True, "running", "auto")
    assert (value["exit_code"], value["service_specific_exit_code"], value["process_id"]) == (None, None, None)
    assert "0x80070422" in value["wmi_error"]  # HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)


def test_without_wmi_process_start_is_refused_with_the_service_error(tmp_path, agent_source):
    host = new_host(tmp_path, "iis5")
    disable_wmi(host)
    entry, tree = results(host, agent_source,
                          {"id": "p", "op": "process.start",
                           "args": {"executable": r"C:\WINNT\system32\cmd.exe", "arguments": ["/c", "exit 1"]}},
                          {"id": "t", "op": "file.tree", "args": {"path": JOBS}})
    assert entry["ok"] is False
    error = entry["error"]
    assert (error["kind"], error["code"], error["exception"]) == (
        "os_error", 1058, "System.Runtime.InteropServices.COMException")
    assert "disabled" in error["message"]
    # Nothing started: no pid index, no started.txt, only the job file written for the launcher.
    assert [f["path"].rsplit("\\", 1)[1] for f in tree["value"]["files"]] == ["job.txt"]
