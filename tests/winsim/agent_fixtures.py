"""Helpers for the agent tests: the collection's real agent client, run through ansible-core's winrm connection
plugin (only the wire replaced, see host_fixtures.AnsibleWinrm) against a real simulated Host.

The collection is imported as ansible_collections.winops.iis_hotfix: from .venv/collections when `make venv`
linked it there, else from a link made in a temporary directory.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _collections_root() -> Path:
    linked = REPO_ROOT / ".venv" / "collections"
    if (linked / "ansible_collections" / "winops" / "iis_hotfix" / "plugins").is_dir():
        return linked
    root = Path(tempfile.mkdtemp(prefix="winsim_collections_"))
    (root / "ansible_collections" / "winops").mkdir(parents=True)
    (root / "ansible_collections" / "winops" / "iis_hotfix").symlink_to(REPO_ROOT, target_is_directory=True)
    return root


if str(_collections_root()) not in sys.path:
    sys.path.insert(0, str(_collections_root()))

from host_fixtures import AnsibleWinrm  # noqa: E402

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import (  # noqa: E402
    AgentBatch,
    dirname,
    expand,
    join,
    ref,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import (  # noqa: E402
    AgentClient,
    AgentScript,
    find_response,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import (  # noqa: E402
    AgentRequestError,
    AgentResponseError,
)
from winsim.host import Host  # noqa: E402

__all__ = ["AgentBatch", "AgentClient", "AgentRequestError", "AgentResponseError", "AgentScript", "AgentSession",
           "dirname", "expand", "find_response", "join", "ref"]


class AgentSession:
    """One host reached the way the collection's modules reach it: AgentClient over Ansible's winrm plugin."""

    def __init__(self, host: Host, *, read_only: bool = False) -> None:
        self.host = host
        self.ansible = AnsibleWinrm(host)
        # The retries happen as in production, without the waits between them.
        self.client = AgentClient(self.ansible.connection, read_only=read_only, retry_delays=(0, 0, 0, 0, 0))
        self.script = AgentScript.load()

    def run(self, batch: AgentBatch):
        return self.client.run(batch)

    def one(self, op: str, args: dict | None = None):
        """The result of a batch holding the single operation `op` (id "x")."""
        batch = AgentBatch()
        batch.add(op, args, op_id="x")
        return self.run(batch)["x"]

    def exec(self, stdin: bytes, command: str | None = None) -> tuple[int, bytes, bytes]:
        """Run an agent command line with any stdin, through the same connection."""
        return self.ansible.connection.exec_command(command or self.script.command(), in_data=stdin, sudoable=False)

    def raw_request(self, request_line: str) -> dict:
        """The response document to a request line sent as is (it may be anything, JSON or not)."""
        lines = [*self.script.script.splitlines(), "### win-primitive-agent request ###", request_line]
        rc, stdout, _ = self.exec(("\n".join(lines) + "\n").encode("ascii"))
        assert rc == 0
        return find_response(stdout.decode("ascii"))

    def request(self, operations: list) -> dict:
        return self.raw_request(json.dumps({"protocol": "win-primitive-agent/1", "operations": operations}))
