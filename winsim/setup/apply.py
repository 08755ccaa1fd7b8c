"""Carrying planned operations out on a host, the way setup does it with the Win32 API.

Before it changes files setup stops what holds them: every service of a process that has loaded a file it
will replace or delete (IIS setup stops IIS Admin and the services inetinfo.exe hosts), and the services it
will delete. Afterwards it starts again those it stopped, and starts the automatic-start services it added:
a service whose DLL is not where its registration says stops again, and the service control manager logs
why (7023), as it does on Windows; setup itself has succeeded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from winsim.host.errors import ERROR_SERVICE_MARKED_FOR_DELETE, Win32Error
from winsim.host.paths import parse
from winsim.host.registry import RegType
from winsim.host.services import SERVICES_KEY, START_AUTO, ServiceState
from winsim.setup.errors import SetupError
from winsim.setup.plan import (
    AddService,
    CopyFile,
    DeleteFile,
    DeleteRegistry,
    DeleteService,
    MakeDir,
    Operation,
    RemoveTree,
    SetRegistry,
)
from winsim.setup.records import SetupLog

if TYPE_CHECKING:
    from winsim.host import Host

FILE_OPERATIONS = (CopyFile, DeleteFile, RemoveTree)


def _running(host: Host) -> dict[str, str]:
    scm = host.services
    return {n.casefold(): n for n in scm.names() if scm.status(n).state == ServiceState.RUNNING}


def stop_holders(host: Host, operations: list[Operation], log: SetupLog) -> list[str]:
    """Stop the services holding files the operations change, and those they delete; the names stopped."""
    files = {parse(op.destination).key for op in operations if isinstance(op, CopyFile)}
    files |= {parse(op.path).key for op in operations if isinstance(op, DeleteFile)}
    trees = [parse(op.path) for op in operations if isinstance(op, RemoveTree)]
    before = _running(host)
    to_stop = {n.casefold() for op in operations if isinstance(op, DeleteService) for n in [op.name]}
    for process in host.services.processes():
        for path in (process.image, *process.modules):
            target = parse(path)
            if target.key in files or any(target.is_within(tree) for tree in trees):
                to_stop |= {s.casefold() for s in process.services}
    for folded in sorted(to_stop):
        name = _running(host).get(folded)
        if name:
            host.services.stop(name, stop_dependents=True)
            log.write(f"Stopped service {name}")
    after = _running(host)
    return [name for folded, name in before.items() if folded not in after]


def start_services(host: Host, names: list[str], log: SetupLog) -> None:
    """Start each service that exists and is not running; how each one ended goes to the log."""
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen or not host.services.exists(name):
            continue
        seen.add(name.casefold())
        if host.services.status(name).state == ServiceState.RUNNING:
            continue
        try:
            status = host.services.start(name)
        except Win32Error as error:
            log.write(f"Service {name} could not start: {error}")
            continue
        if status.state == ServiceState.RUNNING:
            log.write(f"Started service {name}")
        else:
            log.write(f"Service {name} stopped after starting, Win32 exit code {status.win32_exit_code}")


def auto_start_services(operations: list[Operation]) -> list[str]:
    return [op.name for op in operations if isinstance(op, AddService) and op.start_type == START_AUTO]


def apply_operation(host: Host, op: Operation, log: SetupLog) -> None:
    """One operation; a Win32 failure stops setup with that error."""
    try:
        _apply(host, op, log)
    except Win32Error as error:
        raise SetupError(error.code, f"{_describe(op)} failed: {error}") from error


def _describe(op: Operation) -> str:
    if isinstance(op, CopyFile):
        return f"Copying {op.source} to {op.destination}"
    if isinstance(op, AddService | DeleteService):
        return f"{type(op).__name__} {op.name}"
    if isinstance(op, SetRegistry | DeleteRegistry):
        return f"{type(op).__name__} {op.key}" + (f"\\{op.name}" if op.name else "")
    return f"{type(op).__name__} {op.path}"


def _apply(host: Host, op: Operation, log: SetupLog) -> None:
    fs, registry = host.fs, host.registry
    if isinstance(op, CopyFile):
        fs.make_dir(op.destination.rsplit("\\", 1)[0])
        fs.copy_file(op.source, op.destination)
        log.write(f"Copied {op.source} to {op.destination}")
    elif isinstance(op, DeleteFile):
        if fs.is_file(op.path):
            fs.delete_file(op.path)
            log.write(f"Deleted {op.path}")
    elif isinstance(op, MakeDir):
        fs.make_dir(op.path)
        log.write(f"Created folder {op.path}")
    elif isinstance(op, RemoveTree):
        if fs.is_dir(op.path):
            fs.remove_dir(op.path, recursive=True)
            log.write(f"Removed folder {op.path} and everything in it")
    elif isinstance(op, SetRegistry):
        _set_registry(host, op, log)
    elif isinstance(op, DeleteRegistry):
        if op.name is None and registry.key_exists(op.key):
            registry.delete_key(op.key, recursive=True)
            log.write(f"Deleted registry key {op.key}")
        elif op.name is not None and registry.read(op.key, op.name) is not None:
            registry.delete_value(op.key, op.name)
            log.write(f"Deleted registry value {op.key}\\{op.name}")
    elif isinstance(op, AddService):
        _add_service(host, op, log)
    elif isinstance(op, DeleteService):
        if host.services.exists(op.name):
            if host.services.status(op.name).state == ServiceState.RUNNING:
                host.services.stop(op.name, stop_dependents=True)
            host.services.delete_service(op.name)
            log.write(f"Deleted service {op.name}")
    else:
        raise TypeError(f"not a setup operation: {op!r}")


def _set_registry(host: Host, op: SetRegistry, log: SetupLog) -> None:
    registry = host.registry
    if op.name is None:
        registry.create_key(op.key)
        return
    exists = registry.read(op.key, op.name) is not None
    if op.delete:
        if exists:
            registry.delete_value(op.key, op.name)
        return
    if op.no_clobber and exists:
        return
    registry.set_value(op.key, op.name, op.type, op.data)
    log.write(f"Set {op.key}\\{op.name or '(default)'} = {op.data}")


def _add_service(host: Host, op: AddService, log: SetupLog) -> None:
    """CreateService, or ChangeServiceConfig when the service exists (setupapi's AddService does either)."""
    scm = host.services
    if scm.exists(op.name):
        if scm.config(op.name).delete_pending:
            raise Win32Error(ERROR_SERVICE_MARKED_FOR_DELETE, op.name)
        key = f"{SERVICES_KEY}\\{op.name}"
        host.registry.set_value(key, "Type", RegType.REG_DWORD, op.service_type)
        host.registry.set_value(key, "Start", RegType.REG_DWORD, op.start_type)
        host.registry.set_value(key, "ErrorControl", RegType.REG_DWORD, op.error_control)
        host.registry.set_value(key, "ImagePath", RegType.REG_EXPAND_SZ, op.image_path)
        host.registry.set_value(key, "DisplayName", RegType.REG_SZ, op.display_name)
        if op.dependencies:
            host.registry.set_value(key, "DependOnService", RegType.REG_MULTI_SZ, list(op.dependencies))
        elif host.registry.read(key, "DependOnService") is not None:
            host.registry.delete_value(key, "DependOnService")
        log.write(f"Changed service {op.name}: ImagePath={op.image_path}")
    else:
        scm.create_service(op.name, op.display_name, op.image_path, service_type=op.service_type,
                           start_type=op.start_type, dependencies=list(op.dependencies),
                           error_control=op.error_control)
        log.write(f"Added service {op.name}: ImagePath={op.image_path}")
    for value in op.registry:
        _set_registry(host, value, log)
