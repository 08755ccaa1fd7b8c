"""Paths of the real agent (plugins/plugin_utils/agent*.ps1) through its state root (protocol 6.1) as other
programs or earlier runs may have left it: a record marked read-only, a file where a directory belongs, lock
files whose times cannot be read (protocol 6.9), a pid index written by a launcher that died before started.txt
(protocol 6.7), and the launcher itself missing. The agent runs in winsim's PowerShell interpreter on a
simulated PowerShell 2.0 host.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import agent_fixtures  # noqa: F401 - makes the collection importable
from host_fixtures import new_host

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client
from winsim.powershell.engine import Engine, make_runtime

PROTOCOL = "win-primitive-agent/1"
ROOT = r"C:\WINNT\Temp\win-primitive-agent"
POWERSHELL = r"C:\WINNT\System32\WindowsPowerShell\v1.0\powershell.exe"
CMD = r"C:\WINNT\system32\cmd.exe"
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_ARCHIVE = 0x1, 0x20
LONG_AGO = 900_000_000.0  # 1998: far more than the 60 seconds a half-written lock is given


@pytest.fixture(scope="module")
def agent_source() -> str:
    return agent_client.agent_source()


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path, "iis4-kb")


def results(host, agent_source: str, *operations) -> list[dict]:
    operations = [{"id": f"o{n}", **operation} for n, operation in enumerate(operations)]
    line = json.dumps({"protocol": PROTOCOL, "operations": operations})
    result = Engine(make_runtime(host, version=(2, 0))).run(agent_source, input_lines=[line])
    assert result.terminating is None, result.terminating.message
    response = json.loads(result.output[0])
    assert response["ok"] is True, response["error"]
    return response["results"]


def error_of(entry: dict) -> tuple:
    assert entry["ok"] is False, entry
    return entry["error"]["kind"], entry["error"]["code"], entry["error"]["exception"]


# -- state records ------------------------------------------------------------------------------------------------

def test_a_read_only_state_record_is_neither_replaced_nor_deleted(host, agent_source):
    written, = results(host, agent_source, {"op": "state.write", "args": {"name": "resume", "value": {"step": 1}}})
    assert written["value"]["changed"] is True
    with host.lock:
        host.fs.set_attributes(ROOT + r"\state\resume.json", FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE)
    replace, read, delete = results(host, agent_source,
                                    {"op": "state.write", "args": {"name": "resume", "value": {"step": 2}}},
                                    {"op": "state.read", "args": {"name": "resume"}},
                                    {"op": "state.write", "args": {"name": "resume", "delete": True}})
    denied = ("access_denied", 5, "System.UnauthorizedAccessException")
    assert error_of(replace) == denied and error_of(delete) == denied
    assert replace["error"]["message"] == f"Access to the path '{ROOT}\\state\\resume.json' is denied."
    assert read["value"]["value"] == {"step": 1}


def test_stale_read_only_leftovers_of_an_interrupted_replace_do_not_fail_the_next_write(host, agent_source):
    # An interrupted run can leave <name>.json.tmp and <name>.json.old behind; copied or restored state may
    # carry ReadOnly. The next write still succeeds, says so, and leaves only the record.
    written, = results(host, agent_source, {"op": "state.write", "args": {"name": "resume", "value": {"step": 1}}})
    assert written["ok"] is True
    with host.lock:
        for leftover in ("resume.json.old", "resume.json.tmp"):
            host.fs.write_file(ROOT + "\\state\\" + leftover, b"{}")
            host.fs.set_attributes(ROOT + "\\state\\" + leftover, FILE_ATTRIBUTE_READONLY)
    replace, read = results(host, agent_source,
                            {"op": "state.write", "args": {"name": "resume", "value": {"step": 2}}},
                            {"op": "state.read", "args": {"name": "resume"}})
    assert replace["ok"] is True and replace["value"]["changed"] is True
    assert read["value"]["value"] == {"step": 2}
    with host.lock:
        assert sorted(f.path.rsplit("\\", 1)[-1] for f in host.fs.list_dir(ROOT + r"\state")) == ["resume.json"]


def test_a_file_where_the_state_directory_belongs_is_already_exists_183(host, agent_source):
    with host.lock:
        host.fs.make_dir(ROOT)
        host.fs.write_file(ROOT + r"\state", b"not a directory")
    entry, = results(host, agent_source, {"op": "state.write", "args": {"name": "resume", "value": 1}})
    assert error_of(entry) == ("already_exists", 183, "System.IO.IOException")
    assert entry["error"]["message"] == (f'Cannot create "{ROOT}\\state" because a file or directory with the same '
                                         "name already exists.")


@pytest.mark.parametrize("op", ["file.write", "file.copy"])
def test_a_parent_path_through_a_file_is_already_exists_183(host, agent_source, op):
    dest = r"C:\Inetsrv\inetinfo.exe\sub\x.txt"
    args = {"path": dest, "content": ""} if op == "file.write" else {"src": CMD, "dest": dest}
    entry, = results(host, agent_source, {"op": op, "args": args})
    assert error_of(entry) == ("already_exists", 183, "System.IO.IOException")
    with host.lock:
        assert host.fs.is_file(r"C:\Inetsrv\inetinfo.exe")


def test_a_record_compares_lists_by_length(host, agent_source):
    entries = results(host, agent_source,
                      {"op": "state.write", "args": {"name": "n", "value": [1, 2]}},
                      {"op": "state.write", "args": {"name": "n", "value": [1, 2, 3]}},
                      {"op": "state.write", "args": {"name": "n", "value": [1, 2, 3]}})
    assert [e["value"]["changed"] for e in entries] == [True, True, False]


# -- locks whose times cannot be read ------------------------------------------------------------------------------

@pytest.mark.parametrize("expires", [5, "soon", None])
def test_a_lock_whose_expiry_is_not_a_time_counts_as_unreadable(host, agent_source, expires):
    record = {"name": "deploy", "owner": "old-run", "acquired": "2001-01-01T00:00:00Z"}
    if expires is not None:
        record["expires"] = expires
    with host.lock:
        host.fs.make_dir(ROOT + r"\lock")
        host.fs.write_file(ROOT + r"\lock\deploy.lock", json.dumps(record).encode("ascii"))
        host.fs.set_mtime(ROOT + r"\lock\deploy.lock", LONG_AGO)
    entry, = results(host, agent_source, {"op": "lock.acquire", "args": {"name": "deploy", "owner": "new-run"}})
    # Unreadable and written long ago: taken over, and nobody can be named as its former holder.
    value = entry["value"]
    assert (value["changed"], value["owner"], value["previous_owner"]) == (True, "new-run", None)
    with host.lock:
        stored = json.loads(host.fs.read_file(ROOT + r"\lock\deploy.lock"))
    assert stored["owner"] == "new-run" and TIME.match(stored["expires"])


def test_renewing_a_lock_whose_acquired_time_is_unreadable_restarts_it(host, agent_source):
    record = {"name": "deploy", "owner": "me", "acquired": "yesterday", "expires": "2999-01-01T00:00:00Z"}
    with host.lock:
        host.fs.make_dir(ROOT + r"\lock")
        host.fs.write_file(ROOT + r"\lock\deploy.lock", json.dumps(record).encode("ascii"))
    entry, = results(host, agent_source, {"op": "lock.acquire", "args": {"name": "deploy", "owner": "me"}})
    value = entry["value"]
    assert (value["changed"], value["previous_owner"]) == (False, None)
    assert TIME.match(value["acquired"]) and value["expires"] != "2999-01-01T00:00:00Z"


# -- process records and the launcher -------------------------------------------------------------------------------

def test_a_pid_index_without_started_txt_is_not_a_job(host, agent_source):
    # The launcher writes the index, then started.txt: a host that went down between the two leaves this.
    with host.lock:
        pid = host.services.status("IISADMIN").pid
        host.fs.make_dir(ROOT + r"\process\0123456789abcdef0123456789abcdef")
        host.fs.write_file(ROOT + rf"\process\pid-{pid}.txt", b"0123456789abcdef0123456789abcdef\r\n")
    entry, = results(host, agent_source, {"op": "process.poll", "args": {"pid": pid}})
    # What answers is the live process with that id (a service's, of another account: its times are unknown).
    assert entry["value"] == {"pid": pid, "exists": True, "state": "running", "start_time": None,
                              "end_time": None, "exit_code": None}


def test_without_powershell_exe_the_launcher_cannot_start(host, agent_source):
    with host.lock:
        host.fs.delete_file(POWERSHELL)
    entry, tree = results(host, agent_source,
                          {"op": "process.start", "args": {"executable": CMD, "arguments": ["/c", "exit 1"]}},
                          {"op": "file.tree", "args": {"path": ROOT + r"\process"}})
    # Win32_Process.Create answers 9 (path not found), which the agent reports as ERROR_PATH_NOT_FOUND.
    assert error_of(entry) == ("not_found", 3, "System.Exception")
    assert entry["error"]["message"] == "Win32_Process.Create could not start the launcher (return value 9)"
    # No program ran: no pid index, no started.txt, only the job file written for the launcher.
    assert [f["path"].rsplit("\\", 1)[1] for f in tree["value"]["files"]] == ["job.txt"]


# -- argument types ------------------------------------------------------------------------------------------------

def test_an_integer_list_holding_a_string_is_refused(host, agent_source):
    entry, = results(host, agent_source, {"op": "event.query", "args": {"log": "System", "event_ids": [7023, "x"]}})
    assert error_of(entry) == ("invalid_argument", 87, "System.Exception")
    assert entry["error"]["message"] == "argument 'event_ids' must be of type int[]"
