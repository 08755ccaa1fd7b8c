"""The bootstrap's last resort (protocol 1.2, 3.2): a script that matches its digest but fails as it runs on the
host (a .NET member that version lacks, a construct that PowerShell cannot run) is answered as agent_failed, its
message reduced to printable ASCII without quotes or backslashes, so that the answer is still one JSON line.
Driven the way the collection reaches a host: powershell.exe over Ansible's winrm plugin.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent_fixtures import AgentScript, AgentSession, find_response
from host_fixtures import new_host

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import PROTOCOL_MARKER


def test_a_bound_script_that_fails_as_it_runs_is_agent_failed(tmp_path):
    session = AgentSession(new_host(tmp_path / "host", "iis4-kb", "BOOT-1"))
    failing = AgentScript.from_text(
        PROTOCOL_MARKER + "\n" + """throw ('missing "member" in C:\\x' + [char]9 + 'end')\n""",
        agent_client.BOOTSTRAP_PATH.read_text(encoding="ascii"))
    rc, stdout, stderr = session.exec(failing.stdin({"protocol": "win-primitive-agent/1", "operations": []}),
                                      failing.command())
    assert (rc, stderr) == (0, b"")
    assert stdout.decode("ascii").count("\n") <= 1
    response = find_response(stdout.decode("ascii"))
    assert (response["ok"], response["agent"], response["results"]) == (False, None, [])
    assert response["error"] == {"op": None, "kind": "agent_failed", "code": None,
                                 "message": "missing 'member' in C:'x end", "exception": None}
