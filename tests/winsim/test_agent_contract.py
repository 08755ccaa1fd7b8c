"""The three sides of the agent protocol agree on its operations: what docs/agent-protocol.md documents, what
agent.ps1 dispatches, and what winsim's host implements. Each list is read from its source."""

from __future__ import annotations

import re
from pathlib import Path

from winsim.host.agent import OPERATIONS

REPO_ROOT = Path(__file__).resolve().parents[2]
PROTOCOL_DOC = REPO_ROOT / "docs" / "agent-protocol.md"
AGENT_SCRIPT = REPO_ROOT / "plugins" / "plugin_utils" / "agent.ps1"

# A documented operation has its own numbered heading: "### 5.3 `service.query`".
_DOC_HEADING = re.compile(r"^#{2,4}\s+[\d.]+\s+`([a-z]+\.[a-z_]+)`\s*$", re.MULTILINE)
# agent.ps1 dispatches with "$AgentOperations['service.query'] = 'Invoke-ServiceQuery'".
_DISPATCH = re.compile(r"^\s*\$AgentOperations\[\s*'([^']+)'\s*\]\s*=", re.MULTILINE)


def documented_operations() -> set[str]:
    return set(_DOC_HEADING.findall(PROTOCOL_DOC.read_text(encoding="utf-8")))


def dispatched_operations() -> set[str]:
    code = "\n".join(line for line in AGENT_SCRIPT.read_text(encoding="ascii").splitlines()
                     if not line.lstrip().startswith("#"))
    return set(_DISPATCH.findall(code))


def test_the_readers_find_operations_in_both_sources():
    # Guards the comparison below against a reader that silently finds nothing.
    assert "system.info" in documented_operations()
    assert "system.info" in dispatched_operations()


def test_winsim_implements_exactly_what_the_document_describes():
    assert set(OPERATIONS) == documented_operations()


def test_agent_ps1_dispatches_exactly_what_the_document_describes():
    assert dispatched_operations() == documented_operations()
