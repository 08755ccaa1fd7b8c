"""The bootstrap's last resort (protocol 1.2, 3.2): a script that fails as it runs on the host is answered as
agent_failed, its message reduced to printable ASCII without quotes or backslashes, so that the answer is still
one JSON line. The collection's real bootstrap only runs a script that matches its digest, except where no
SHA-256 is usable (FIPS policy on .NET 2.0 without .NET 3.5): there a damaged script runs, and fails. Driven the
way the collection reaches a host: the real bootstrap command over Ansible's winrm plugin.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent_fixtures import AgentSession, find_response
from host_fixtures import new_host

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import (
    PROTOCOL_MARKER,
    REQUEST_SEPARATOR,
)

LSA = r"HKLM\SYSTEM\CurrentControlSet\Control\Lsa"


def test_a_damaged_script_that_runs_under_fips_and_fails_is_agent_failed(tmp_path):
    host = new_host(tmp_path / "host", "iis4-kb", "BOOT-1")
    with host.transaction():
        host.registry.set_value(LSA, "FIPSAlgorithmPolicy", "REG_DWORD", 1)
    session = AgentSession(host)
    # What arrives instead of the agent: one statement that fails with quotes, a backslash and a tab in its text.
    damaged = [PROTOCOL_MARKER, """throw ('missing "member" in C:\\x' + [char]9 + 'end')"""]
    request = json.dumps({"protocol": "win-primitive-agent/1", "operations": []})
    rc, stdout, stderr = session.exec(("\n".join([*damaged, REQUEST_SEPARATOR, request]) + "\n").encode("ascii"))
    assert (rc, stderr) == (0, b"")
    assert stdout.decode("ascii").strip().count("\n") == 0
    response = find_response(stdout.decode("ascii"))
    assert (response["ok"], response["agent"], response["results"]) == (False, None, [])
    assert response["error"] == {"op": None, "kind": "agent_failed", "code": None,
                                 "message": "missing 'member' in C:'x end", "exception": None}
