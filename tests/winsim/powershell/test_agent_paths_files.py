"""Paths of the real agent (plugins/plugin_utils/agent*.ps1) reached by file, event log and record states a
Windows host can be in: images of a machine type the protocol has no name for, read-only directories, backups
left by an earlier run, a state record that is not one, event logs longer than the scan limit. The agent runs
in winsim's PowerShell interpreter on a simulated PowerShell 2.0 host.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import agent_fixtures  # noqa: F401 - makes the collection importable
from host_fixtures import new_host

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client
from winsim.host import pe
from winsim.powershell.engine import Engine, make_runtime

PROTOCOL = "win-primitive-agent/1"
STATE = r"C:\WINNT\Temp\win-primitive-agent\state"
FILE_ATTRIBUTE_READONLY = 0x1
FILE_ATTRIBUTE_DIRECTORY = 0x10


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


def one(host, agent_source: str, op: str, args: dict) -> dict:
    entry, = results(host, agent_source, {"id": "x", "op": op, "args": args})
    return entry


# -- file.stat (5.5): a machine type outside the protocol's list -------------------------------------------------

def test_an_image_for_a_machine_without_a_name_is_unknown(host, agent_source):
    with host.lock:
        host.fs.write_file(r"C:\Inetsrv\m32r.dll", pe.build_pe(0x9041, 4096, dll=True))  # IMAGE_FILE_MACHINE_M32R
    entry = one(host, agent_source, "file.stat", {"path": r"C:\Inetsrv\m32r.dll", "pe": True})
    assert entry["value"]["pe"] == {"valid": True, "machine": 0x9041, "machine_name": "unknown"}


# -- file.delete (6.4): read-only directories are deleted like read-only files ----------------------------------

def test_a_recursive_delete_clears_read_only_directories(host, agent_source):
    with host.lock:
        host.fs.make_dir(r"C:\Media\cd\i386")
        host.fs.write_file(r"C:\Media\cd\i386\a.dl_", b"x")
        for directory in (r"C:\Media\cd", r"C:\Media\cd\i386"):
            host.fs.set_attributes(directory, FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_READONLY)
    entry = one(host, agent_source, "file.delete", {"path": r"C:\Media\cd", "recurse": True})
    assert entry["ok"] is True, entry
    value = entry["value"]
    assert (value["changed"], value["type"], value["files_deleted"], value["directories_deleted"]) == (
        True, "directory", 1, 2)
    with host.lock:
        assert not host.fs.exists(r"C:\Media\cd") and host.fs.is_dir(r"C:\Media")


# -- file.copy (6.3 step 4): a backup an earlier run made is kept, not written again ----------------------------

def test_an_identical_backup_is_kept_and_reported_as_not_created(host, agent_source):
    with host.lock:
        host.fs.make_dir(r"C:\Media")
        host.fs.write_file(r"C:\Media\notes.txt", b"new bytes")
        host.fs.write_file(r"C:\Inetsrv\notes.txt", b"old bytes")
        host.fs.make_dir(r"C:\Backup")
        host.fs.write_file(r"C:\Backup\notes.txt", b"old bytes")
        host.fs.set_mtime(r"C:\Backup\notes.txt", 900_000_000.0)
    entry = one(host, agent_source, "file.copy", {"src": r"C:\Media\notes.txt", "dest": r"C:\Inetsrv\notes.txt",
                                                  "backup": r"C:\Backup\notes.txt"})
    assert entry["ok"] is True, entry
    backup = entry["value"]["backup"]
    assert (backup["path"], backup["created"]) == (r"C:\Backup\notes.txt", False)
    assert backup["sha256"] == hashlib.sha256(b"old bytes").hexdigest()
    with host.lock:
        assert host.fs.read_file(r"C:\Inetsrv\notes.txt") == b"new bytes"
        kept = host.fs.stat(r"C:\Backup\notes.txt")
        assert host.fs.read_file(r"C:\Backup\notes.txt") == b"old bytes" and kept.mtime == 900_000_000.0


# -- state.read/state.write (6.10) -------------------------------------------------------------------------------

def test_a_state_file_that_is_not_json_is_os_error_13(host, agent_source):
    with host.lock:
        host.fs.make_dir(STATE)
        host.fs.write_file(STATE + r"\resume.json", b"{half a record")
    entry = one(host, agent_source, "state.read", {"name": "resume"})
    assert entry["ok"] is False
    assert (entry["error"]["kind"], entry["error"]["code"]) == ("os_error", 13)
    assert entry["error"]["message"] == "'" + STATE + r"\resume.json' is not a state record"


def test_a_number_and_a_list_holding_it_are_different_values(host, agent_source):
    first, wrapped, again = results(
        host, agent_source,
        {"id": "a", "op": "state.write", "args": {"name": "n", "value": {"step": 1}}},
        {"id": "b", "op": "state.write", "args": {"name": "n", "value": {"step": [1]}}},
        {"id": "c", "op": "state.write", "args": {"name": "n", "value": {"step": [1]}}})
    assert [e["value"]["changed"] for e in (first, wrapped, again)] == [True, True, False]
    with host.lock:
        record = json.loads(host.fs.read_file(STATE + r"\n.json"))
    assert record["value"] == {"step": [1]}


# -- event.query (5.4): the scan limit and the source filter -----------------------------------------------------

def test_an_event_query_stops_at_max_scan_and_says_it_is_incomplete(host, agent_source):
    with host.lock:
        for number in range(3):
            host.eventlog.write("Application", "Setup", 100 + number, "Information", f"step {number}")
    entry = one(host, agent_source, "event.query", {"log": "Application", "newest": 5, "max_scan": 2})
    value = entry["value"]
    assert (value["scanned"], value["complete"]) == (2, False)
    assert [e["event_id"] for e in value["events"]] == [102, 101]


def test_events_of_other_sources_are_scanned_but_not_returned(host, agent_source):
    with host.lock:
        host.eventlog.write("Application", "Setup", 100, "Information", "ours")
        host.eventlog.write("Application", "Other", 200, "Warning", "theirs")
    entry = one(host, agent_source, "event.query", {"log": "Application", "sources": ["Setup"]})
    value = entry["value"]
    assert value["complete"] is True and value["scanned"] >= 2
    assert [(e["source"], e["event_id"], e["message"]) for e in value["events"]] == [("Setup", 100, "ours")]
