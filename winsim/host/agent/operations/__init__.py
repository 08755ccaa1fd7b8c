"""The operations this agent implements, by protocol name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.operations.event import event_query
from winsim.host.agent.operations.files import file_stat, file_tree
from winsim.host.agent.operations.registry import registry_read
from winsim.host.agent.operations.service import service_query
from winsim.host.agent.operations.system import system_info

Operation = Callable[[AgentContext, Arguments], Any]

OPERATIONS: dict[str, Operation] = {
    "system.info": system_info,
    "registry.read": registry_read,
    "service.query": service_query,
    "event.query": event_query,
    "file.stat": file_stat,
    "file.tree": file_tree,
}
