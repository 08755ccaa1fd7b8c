"""Paths of the real agent (plugins/plugin_utils/agent*.ps1) that depend on host-wide state, driven the way the
collection reaches a host (AgentClient over Ansible's winrm plugin, bootstrap and all): Windows' FIPS policy
with and without .NET Framework 3.5 (protocol 1.2: no usable SHA-256 on plain .NET 2.0 under FIPS), and process
ids reused after a reboot (protocol 6.7: the pid index names the newest job).
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent_fixtures import AgentSession, find_response
from host_fixtures import new_host

from winsim.host import open_host

LSA = r"HKLM\SYSTEM\CurrentControlSet\Control\Lsa"
NET35 = r"HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v3.5"
INETINFO = r"C:\Inetsrv\inetinfo.exe"
CMD = r"C:\WINNT\system32\cmd.exe"
SEPARATOR = "### win-primitive-agent request ###"


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path / "host", "iis4-kb", "POLICY-1")


def fips_on(host, *, dotnet35: bool) -> None:
    with host.transaction():
        host.registry.set_value(LSA, "FIPSAlgorithmPolicy", "REG_DWORD", 1)
        if dotnet35:
            host.registry.set_value(NET35, "Install", "REG_DWORD", 1)


def damaged_run(session: AgentSession) -> dict:
    """The response to an empty batch sent with a script whose last line was changed after the digest was made."""
    lines = session.script.script.splitlines()
    damaged = [*lines[:-1], lines[-1] + " # changed"]
    request = json.dumps({"protocol": "win-primitive-agent/1", "operations": [{"id": "s", "op": "system.info"}]})
    rc, stdout, stderr = session.exec(("\n".join([*damaged, SEPARATOR, request]) + "\n").encode("ascii"))
    assert (rc, stderr) == (0, b"")
    return find_response(stdout.decode("ascii"))


def test_under_fips_without_dotnet35_no_sha256_is_usable(host):
    fips_on(host, dotnet35=False)
    session = AgentSession(host)
    # The bootstrap cannot check the digest, so it runs even a changed script (protocol 1.2).
    response = damaged_run(session)
    assert response["ok"] is True and response["results"][0]["value"]["computer_name"] == "POLICY-1"
    # A hash the agent is asked for fails as an operation with no Win32 code; other reads still work.
    stat = session.one("file.stat", {"path": INETINFO, "sha256": True})
    assert stat.ok is False
    assert (stat.error.kind, stat.error.code, stat.error.exception) == (
        "internal", None, "System.InvalidOperationException")
    assert stat.error.message == ("This implementation is not part of the Windows Platform FIPS validated "
                                  "cryptographic algorithms.")
    assert session.one("file.stat", {"path": INETINFO}).value["size"] == 15120


def test_under_fips_with_dotnet35_the_crypto_service_provider_hashes(host):
    fips_on(host, dotnet35=True)
    session = AgentSession(host)
    assert damaged_run(session)["error"]["kind"] == "agent_corrupt"
    with host.lock:
        expected = hashlib.sha256(host.fs.read_file(INETINFO)).hexdigest()
    assert session.one("file.stat", {"path": INETINFO, "sha256": True}).value["sha256"] == expected


def test_a_pid_reused_after_a_reboot_names_the_new_program(host, tmp_path):
    session = AgentSession(host)
    before = session.one("process.start", {"executable": CMD, "arguments": ["/c", "exit 4"]}).value
    assert session.one("process.poll", {"pid": before["pid"], "wait_seconds": 30}).value["exit_code"] == 4
    time.sleep(1.1)  # protocol times have whole seconds: the next program must start in a later one
    rebooted = AgentSession(open_host(tmp_path / "host", {}))
    after = rebooted.one("process.start", {"executable": CMD, "arguments": ["/c", "exit 5"]}).value
    assert after["pid"] == before["pid"], "the rebooted host hands out process ids from the start again"
    polled = rebooted.one("process.poll", {"pid": after["pid"], "wait_seconds": 30}).value
    assert (polled["start_time"], polled["exit_code"]) == (after["start_time"], 5)
    # The earlier program's record is no longer reachable through its pid: the index names the new job.
    assert rebooted.one("process.poll", {"pid": before["pid"], "start_time": before["start_time"]}).value == {
        "pid": before["pid"], "exists": False}
