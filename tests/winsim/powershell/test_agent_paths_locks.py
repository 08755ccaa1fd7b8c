"""lock.acquire and lock.release (protocol 6.9) of the real agent (plugins/plugin_utils/agent*.ps1) when the lock
file is read-only, is a directory, or is held open without sharing by another process, as a run that is writing
it does (the agent retries, then answers lock_held 33 without touching the file). The holder is a second
PowerShell process of winsim's interpreter on the same simulated PowerShell 2.0 host.
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
LOCK = r"C:\WINNT\Temp\win-primitive-agent\lock\deploy.lock"


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


def open_without_sharing(host, path: str):
    """A FileStream another PowerShell process keeps open (FileShare.None), as a run writing the lock does."""
    result = Engine(make_runtime(host, version=(2, 0))).run(
        f"[System.IO.File]::Open('{path}', 'Open', 'ReadWrite', 'None')")
    assert result.terminating is None, result.terminating.message
    stream, = result.output
    return stream


def test_a_lock_file_held_open_by_another_process_is_lock_held_and_left_alone(host, agent_source):
    taken, = results(host, agent_source, {"op": "lock.acquire", "args": {"name": "deploy", "owner": "run-a"}})
    assert taken["value"]["changed"] is True
    with host.lock:
        before = host.fs.read_file(LOCK)
    held = open_without_sharing(host, LOCK)
    try:
        acquire, forced = results(
            host, agent_source,
            {"op": "lock.acquire", "args": {"name": "deploy", "owner": "run-b", "take_over": "run-a"}},
            {"op": "lock.release", "args": {"name": "deploy", "owner": "run-b", "force": True}})
    finally:
        held.close()  # the holder's handle closed, as when that process ends
    for entry in (acquire, forced):
        assert entry["ok"] is False, entry
        assert (entry["error"]["kind"], entry["error"]["code"]) == ("lock_held", 33)
        assert "'deploy'" in entry["error"]["message"]
    with host.lock:
        assert host.fs.read_file(LOCK) == before
    # Once the handle is closed the lock is as run-a left it: its owner releases it.
    released, = results(host, agent_source, {"op": "lock.release", "args": {"name": "deploy", "owner": "run-a"}})
    assert released["value"] == {"name": "deploy", "changed": True, "previous_owner": "run-a"}


def test_a_read_only_lock_file_is_access_denied_and_left_alone(host, agent_source):
    taken, = results(host, agent_source, {"op": "lock.acquire", "args": {"name": "deploy", "owner": "run-a"}})
    with host.lock:
        host.fs.set_attributes(LOCK, 0x21)  # ReadOnly | Archive: another tool marked it
        before = host.fs.read_file(LOCK)
    renew, release = results(host, agent_source,
                             {"op": "lock.acquire", "args": {"name": "deploy", "owner": "run-a"}},
                             {"op": "lock.release", "args": {"name": "deploy", "owner": "run-a"}})
    for entry in (renew, release):
        assert entry["ok"] is False, entry
        assert (entry["error"]["kind"], entry["error"]["code"]) == ("access_denied", 5)
        assert entry["error"]["exception"] == "System.UnauthorizedAccessException"
    with host.lock:
        assert host.fs.read_file(LOCK) == before and host.fs.stat(LOCK).attributes == 0x21
    assert json.loads(before)["expires"] == taken["value"]["expires"]


def test_a_directory_where_the_lock_file_belongs_cannot_be_taken(host, agent_source):
    with host.lock:
        host.fs.make_dir(LOCK)
    acquire, release = results(host, agent_source,
                               {"op": "lock.acquire", "args": {"name": "deploy", "owner": "run-a"}},
                               {"op": "lock.release", "args": {"name": "deploy", "owner": "run-a"}})
    assert acquire["ok"] is False
    assert (acquire["error"]["kind"], acquire["error"]["code"]) == ("access_denied", 5)
    # No lock file there: nothing to release (protocol 6.9), and the directory stays.
    assert release["value"] == {"name": "deploy", "changed": False, "previous_owner": None}
    with host.lock:
        assert host.fs.is_dir(LOCK)
