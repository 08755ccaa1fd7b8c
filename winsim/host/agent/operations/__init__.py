"""The operations this agent implements, by protocol name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.operations.event import event_query
from winsim.host.agent.operations.file_writes import dir_create, file_copy, file_delete, file_write
from winsim.host.agent.operations.files import file_stat, file_tree
from winsim.host.agent.operations.locks import lock_acquire, lock_release
from winsim.host.agent.operations.processes import process_poll, process_start
from winsim.host.agent.operations.registry import registry_read
from winsim.host.agent.operations.registry_write import registry_write
from winsim.host.agent.operations.service import service_query
from winsim.host.agent.operations.service_control import service_start, service_stop
from winsim.host.agent.operations.state import state_read, state_write
from winsim.host.agent.operations.system import system_info

Operation = Callable[[AgentContext, Arguments], Any]

OPERATIONS: dict[str, Operation] = {
    "system.info": system_info,
    "registry.read": registry_read,
    "service.query": service_query,
    "event.query": event_query,
    "file.stat": file_stat,
    "file.tree": file_tree,
    "file.write": file_write,
    "file.copy": file_copy,
    "file.delete": file_delete,
    "dir.create": dir_create,
    "service.start": service_start,
    "service.stop": service_stop,
    "process.start": process_start,
    "process.poll": process_poll,
    "registry.write": registry_write,
    "lock.acquire": lock_acquire,
    "lock.release": lock_release,
    "state.read": state_read,
    "state.write": state_write,
}
# Operations that take the host lock themselves, because they wait for something that needs the host.
SELF_LOCKING = frozenset({"process.poll", "process.start"})
