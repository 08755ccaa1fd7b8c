"""The three sides of the agent protocol agree on its operations: what docs/agent-protocol.md documents, what
the PowerShell agent (agent.ps1 and the parts joined to it) dispatches, and what winsim's host implements.
Each list is read from its source."""

from __future__ import annotations

import re
from pathlib import Path

from winsim.host.agent import OPERATIONS

REPO_ROOT = Path(__file__).resolve().parents[2]
PROTOCOL_DOC = REPO_ROOT / "docs" / "agent-protocol.md"
AGENT_SOURCES = REPO_ROOT / "plugins" / "plugin_utils"

# A documented operation is named in a numbered heading: "### 5.3 `service.query`",
# "### 6.6 `service.start` and `service.stop`".
_DOC_HEADING = re.compile(r"^#{2,4}\s+\d+(?:\.\d+)+\s+(.*)$", re.MULTILINE)
_OPERATION_NAME = re.compile(r"`([a-z]+\.[a-z_]+)`")
# agent.ps1 dispatches with "$AgentOperations['service.query'] = 'Invoke-ServiceQuery'".
_DISPATCH = re.compile(r"^\s*\$AgentOperations\[\s*'([^']+)'\s*\]\s*=", re.MULTILINE)


def documented_operations() -> set[str]:
    headings = _DOC_HEADING.findall(PROTOCOL_DOC.read_text(encoding="utf-8"))
    return {name for heading in headings for name in _OPERATION_NAME.findall(heading)}


def dispatched_operations() -> set[str]:
    """Every operation registered in the agent's dispatcher, in whichever of its script files."""
    names: set[str] = set()
    for script in sorted(AGENT_SOURCES.glob("agent*.ps1")):
        code = "\n".join(line for line in script.read_text(encoding="ascii").splitlines()
                         if not line.lstrip().startswith("#"))
        names.update(_DISPATCH.findall(code))
    return names


def test_the_readers_find_operations_in_both_sources():
    # Guards the comparison below against a reader that silently finds nothing.
    assert "system.info" in documented_operations()
    assert "system.info" in dispatched_operations()


def test_winsim_implements_exactly_what_the_document_describes():
    assert set(OPERATIONS) == documented_operations()


def test_agent_ps1_dispatches_exactly_what_the_document_describes():
    assert dispatched_operations() == documented_operations()
