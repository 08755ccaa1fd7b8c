"""service.query: a service's configuration (from its registry key), its state and how it last stopped."""

from __future__ import annotations

import re

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import invalid_argument
from winsim.host.environment import expand
from winsim.host.errors import ERROR_INVALID_NAME, Win32Error
from winsim.host.services import SERVICES_KEY

_START_MODES = ("boot", "system", "auto", "manual", "disabled")
_SERVICE_TYPES = {0x10: "own_process", 0x20: "share_process", 0x01: "kernel_driver", 0x02: "file_system_driver"}
_EXECUTABLE = re.compile(r"^(.+?\.(?:exe|sys|com))(?:\s|$)", re.IGNORECASE)
_DRIVE_ROOTED = re.compile(r"^[A-Za-z]:\\")


def checked_service_name(args: Arguments) -> str:
    name = args.get("name", "string", required=True)
    if not 1 <= len(name) <= 256 or "\\" in name or "/" in name:
        raise invalid_argument("service name must be 1-256 characters without \\ or /", ERROR_INVALID_NAME)
    return name


def find_service(ctx: AgentContext, name: str) -> str | None:
    """The installed service's name as Windows spells it (ServiceController.GetServices, matched ignoring case)."""
    return next((n for n in ctx.host.services.names() if n.casefold() == name.casefold()), None)


def image_file(image_path: str, env) -> str | None:
    """The executable a service's ImagePath names, as the agent works it out (protocol section 5.3)."""
    text = expand(image_path, env).strip()
    if not text:
        return None
    if text.startswith('"'):
        end = text.find('"', 1)
        executable = text[1:end] if end > 0 else text[1:]
    else:
        match = _EXECUTABLE.match(text)
        executable = match.group(1) if match else text.split(" ")[0]
    if executable.startswith("\\??\\"):
        executable = executable[4:]
    system_root = env.get("SystemRoot", "")
    if executable.casefold().startswith("\\systemroot\\"):
        executable = system_root + executable[11:]
    elif not (_DRIVE_ROOTED.match(executable) or executable.startswith("\\\\")):
        executable = system_root + "\\" + executable.lstrip("\\")  # drivers: relative to the Windows directory
    return executable


def _is_file(ctx: AgentContext, path: str) -> bool:
    try:
        return ctx.host.fs.is_file(path)
    except Win32Error:  # File.Exists answers false for anything it cannot look at
        return False


def _as_int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def service_query(ctx: AgentContext, args: Arguments) -> dict:
    asked = checked_service_name(args)
    name = find_service(ctx, asked)
    if name is None:
        return {"exists": False, "name": asked}
    scm, read = ctx.host.services, ctx.host.registry.read
    status = scm.status(name)
    key = f"{SERVICES_KEY}\\{status.name}"
    image_path, start = read(key, "ImagePath"), _as_int(read(key, "Start"))
    service_type, account = _as_int(read(key, "Type")), read(key, "ObjectName")
    image = image_file(str(image_path), ctx.env) if image_path is not None else None
    return {
        "exists": True,
        "name": status.name,
        "display_name": status.display_name,
        "state": status.state,
        "start_mode": _START_MODES[start] if start is not None and 0 <= start < len(_START_MODES) else "unknown",
        "delayed_start": read(key, "DelayedAutostart") == 1,
        "service_type": "unknown" if service_type is None else _SERVICE_TYPES.get(service_type & 0x3F, "other"),
        "account": None if account is None else str(account),
        "image_path": None if image_path is None else str(image_path),
        "image_file": image,
        "image_file_exists": None if image_path is None else (image is not None and _is_file(ctx, image)),
        # Win32_Service, read through WMI.
        "exit_code": status.win32_exit_code,
        "service_specific_exit_code": 0,
        "process_id": status.pid,
        "wmi_error": None,
    }
