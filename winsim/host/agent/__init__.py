"""The project's remote agent protocol (win-primitive-agent/1, docs/agent-protocol.md) run on the host model.

AgentHandler plugs into the runtime through register_handler (winsim.host registers it); OPERATIONS lists the
operations this agent implements.
"""

from __future__ import annotations

from winsim.host.agent.handler import AgentHandler
from winsim.host.agent.operations import OPERATIONS

__all__ = ["OPERATIONS", "AgentHandler"]
