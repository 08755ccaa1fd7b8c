"""process.poll (protocol 6.7) of a program the real agent started and that is still running, driven the way
the collection reaches a host (AgentClient over Ansible's winrm plugin): process ids are reused, so a start time
that is not the program's means "not this one" while it runs, and the record answers once it has ended. The
program sleeps 6 seconds: long enough for two polls on a loaded machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent_fixtures import AgentSession
from host_fixtures import new_host

POWERSHELL = r"C:\WINNT\System32\WindowsPowerShell\v1.0\powershell.exe"


@pytest.fixture
def session(tmp_path):
    return AgentSession(new_host(tmp_path / "host", "iis4-kb", "PROGRAMS-1"))


def test_a_running_program_is_not_the_one_a_start_time_names_that_is_not_its_own(session):
    started = session.one("process.start", {"executable": POWERSHELL,
                                            "arguments": ["-NoProfile", "-Command", "Start-Sleep -Seconds 6"]}).value
    other = session.one("process.poll", {"pid": started["pid"], "start_time": "2001-01-01T00:00:00Z"}).value
    running = session.one("process.poll", {"pid": started["pid"]}).value
    ended = session.one("process.poll", {"pid": started["pid"], "start_time": started["start_time"],
                                         "wait_seconds": 30}).value
    assert other == {"pid": started["pid"], "exists": False}
    assert (running["state"], running["start_time"], running["exit_code"]) == ("running", started["start_time"], None)
    assert (ended["state"], ended["exit_code"]) == ("exited", 0)
    assert ended["end_time"] >= started["start_time"]
