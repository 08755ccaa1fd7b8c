"""service.start and service.stop through the host model's service control manager.

A service that refuses a control request is an answer (its Win32 code in `win32_error`), not an operation
error. The model's services settle at once (no pending states), so `timeout_seconds` never runs out.
"""

from __future__ import annotations

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import failure
from winsim.host.agent.operations.service import checked_service_name, find_service
from winsim.host.errors import ERROR_DEPENDENT_SERVICES_RUNNING, Win32Error, win32_message
from winsim.host.services import ServiceControlManager, ServiceState


def _existing(ctx: AgentContext, asked: str) -> str:
    name = find_service(ctx, asked)
    if name is None:
        raise failure("not_found", 1060, f"service '{asked}' does not exist")
    return name


def _result(scm: ServiceControlManager, name: str) -> dict:
    state = scm.status(name).state
    return {"name": name, "changed": False, "previous_state": state, "state": state, "timed_out": False,
            "win32_error": None, "win32_message": None}


def _refused(result: dict, error: Win32Error) -> None:
    result["win32_error"], result["win32_message"] = error.code, win32_message(error.code)


def _complete(scm: ServiceControlManager, name: str, result: dict) -> dict:
    status = scm.status(name) if scm.exists(name) else None  # a service marked for deletion goes when it stops
    result["state"] = status.state if status else ServiceState.STOPPED
    result.update(exit_code=status.win32_exit_code if status else 0, service_specific_exit_code=0,
                  process_id=status.pid if status else 0, wmi_error=None)
    return result


def service_start(ctx: AgentContext, args: Arguments) -> dict:
    asked = checked_service_name(args)
    args.integer("timeout_seconds", 60, 0, 3600)
    name = _existing(ctx, asked)
    scm = ctx.host.services
    result = _result(scm, name)
    if result["previous_state"] != ServiceState.RUNNING:
        try:
            scm.start(name)
            result["changed"] = True  # accepted, even if the service then stopped on its own
        except Win32Error as error:
            _refused(result, error)
    return _complete(scm, name, result)


def _stop_dependents(scm: ServiceControlManager, name: str, stopped: list[str]) -> None:
    """Deepest first: each dependent's own dependents are stopped before it."""
    for dependent in scm.dependents(name):
        if scm.status(dependent).state != ServiceState.STOPPED:
            _stop_dependents(scm, dependent, stopped)
            scm.stop(dependent)
            stopped.append(scm.status(dependent).name if scm.exists(dependent) else dependent)


def service_stop(ctx: AgentContext, args: Arguments) -> dict:
    asked = checked_service_name(args)
    args.integer("timeout_seconds", 60, 0, 3600)
    with_dependents = args.get("dependents", "bool", default=False)
    name = _existing(ctx, asked)
    scm = ctx.host.services
    result = _result(scm, name)
    result["stopped_dependents"] = []
    if result["previous_state"] != ServiceState.STOPPED:
        running = [d for d in scm.dependents(name) if scm.status(d).state != ServiceState.STOPPED]
        if running and not with_dependents:
            result["win32_error"] = ERROR_DEPENDENT_SERVICES_RUNNING
            result["win32_message"] = "services that depend on it are running: " + ", ".join(running)
        else:
            try:
                _stop_dependents(scm, name, result["stopped_dependents"])
                scm.stop(name)
                result["changed"] = True
            except Win32Error as error:
                _refused(result, error)
            result["changed"] = result["changed"] or bool(result["stopped_dependents"])
    return _complete(scm, name, result)
