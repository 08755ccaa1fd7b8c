"""The service control manager. Services are registry keys under SERVICES_KEY, read afresh on every call, so
a service behaves as its registry and the files it names say, never as a flag says.

Starting a service (StartService):
- disabled (Start=4): ERROR_SERVICE_DISABLED. Marked for deletion: ERROR_SERVICE_MARKED_FOR_DELETE.
- DependOnService names are started first (a driver named there counts as loaded at boot). A missing one fails
  the start with
  ERROR_SERVICE_DEPENDENCY_DELETED (event 7003), one that fails to start or stops again fails it with
  ERROR_SERVICE_DEPENDENCY_FAIL (event 7001).
- The image (see service_images.py) must exist (else Win32 error 2 and event 7000) and be a PE image this
  processor runs (else error 193 and event 7000).
- A share-process service joins the running process of the same image, or starts it. The process then loads
  the service's DLL (service_images.py says which). A missing or wrong-platform DLL means StartService
  succeeds, then the service stops with that Win32 exit code and event 7023, worded as NT 4.0 worded it
  (KB Q197303): `The "" service terminated with the following error: The system can not find the file
  specified.` when the host process could not report the service's name.
- Until a start is attempted after boot, a service's Win32 exit code is ERROR_SERVICE_NEVER_STARTED (1077).
- A process left with no running service ends. A service DLL stays loaded until its process ends (as
  svchost.exe kept the DLLs of stopped services loaded).
Files loaded by a running process (its image and DLLs) are in use: the file system refuses to overwrite them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from winsim.host.environment import build_environment
from winsim.host.errors import (
    ERROR_CIRCULAR_DEPENDENCY,
    ERROR_DEPENDENT_SERVICES_RUNNING,
    ERROR_FILE_NOT_FOUND,
    ERROR_SERVICE_ALREADY_RUNNING,
    ERROR_SERVICE_DEPENDENCY_DELETED,
    ERROR_SERVICE_DEPENDENCY_FAIL,
    ERROR_SERVICE_DISABLED,
    ERROR_SERVICE_DOES_NOT_EXIST,
    ERROR_SERVICE_EXISTS,
    ERROR_SERVICE_MARKED_FOR_DELETE,
    ERROR_SERVICE_NEVER_STARTED,
    ERROR_SERVICE_NOT_ACTIVE,
    Win32Error,
    win32_message,
)
from winsim.host.eventlog import EventLog, EventType
from winsim.host.filesystem import FileSystem
from winsim.host.paths import WinPath, parse
from winsim.host.registry import Registry, RegType
from winsim.host.service_images import load_dll, resolve_image, service_dll

SERVICES_KEY = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services"
SCM_SOURCE = "Service Control Manager"

SERVICE_KERNEL_DRIVER = 0x01
SERVICE_FILE_SYSTEM_DRIVER = 0x02
SERVICE_WIN32_OWN_PROCESS = 0x10
SERVICE_WIN32_SHARE_PROCESS = 0x20
SERVICE_WIN32 = SERVICE_WIN32_OWN_PROCESS | SERVICE_WIN32_SHARE_PROCESS

START_BOOT, START_SYSTEM, START_AUTO, START_DEMAND, START_DISABLED = range(5)
START_TYPE_NAMES = {START_BOOT: "boot", START_SYSTEM: "system", START_AUTO: "auto", START_DEMAND: "demand",
                    START_DISABLED: "disabled"}

# How an NT 4.0 service host worded a service's exit code in event 7023 (KB Q197303 quotes it).
_SERVICE_EXIT_TEXT = {ERROR_FILE_NOT_FOUND: "The system can not find the file specified."}


class ServiceState(StrEnum):
    STOPPED = "stopped"
    RUNNING = "running"


@dataclass(frozen=True)
class ServiceConfig:
    name: str
    display_name: str
    service_type: int
    start_type: int
    error_control: int
    image_path: str
    dependencies: list[str]
    object_name: str
    service_dll: str | None     # Parameters\ServiceDll, unexpanded
    install_path: str | None    # Parameters\InstallPath, unexpanded
    delete_pending: bool


@dataclass
class ServiceStatus:
    name: str
    display_name: str
    state: str
    win32_exit_code: int
    pid: int


@dataclass
class Process:
    pid: int
    image: str                   # full path of the executable
    machine: int                 # its PE machine
    services: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)  # DLLs loaded for its services


@dataclass
class _Runtime:
    state: str = ServiceState.STOPPED
    win32_exit_code: int = ERROR_SERVICE_NEVER_STARTED  # what the SCM reports until a start is attempted
    pid: int = 0


class ServiceControlManager:
    def __init__(self, registry: Registry, fs: FileSystem, eventlog: EventLog,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self.registry = registry
        self.fs = fs
        self.eventlog = eventlog
        self._on_change = on_change
        self._runtime: dict[str, _Runtime] = {}
        self._processes: dict[int, Process] = {}
        self._next_pid = 100
        fs.in_use = self.in_use

    # -- configuration (the registry) --------------------------------------------------------------------------
    def _key(self, name: str) -> str:
        return f"{SERVICES_KEY}\\{name}"

    def exists(self, name: str) -> bool:
        return bool(name) and self.registry.key_exists(self._key(name))

    def names(self) -> list[str]:
        """Win32 services (drivers are listed in the same key but not run by this model)."""
        if not self.registry.key_exists(SERVICES_KEY):
            return []
        return [n for n in self.registry.subkeys(SERVICES_KEY)
                if int(self.registry.read(self._key(n), "Type", 0)) & SERVICE_WIN32]

    def _is_driver(self, name: str) -> bool:
        return not _dword(self.registry.read(self._key(name), "Type"), SERVICE_WIN32_OWN_PROCESS) & SERVICE_WIN32

    def config(self, name: str) -> ServiceConfig:
        if not self.exists(name):
            raise Win32Error(ERROR_SERVICE_DOES_NOT_EXIST, name)
        key = self._key(name)
        spelt = self.registry.canonical_path(key).rsplit("\\", 1)[1]
        read = self.registry.read
        return ServiceConfig(
            name=spelt,
            display_name=str(read(key, "DisplayName", spelt)),
            service_type=_dword(read(key, "Type"), SERVICE_WIN32_OWN_PROCESS),
            start_type=_dword(read(key, "Start"), START_DEMAND),
            error_control=_dword(read(key, "ErrorControl"), 1),
            image_path=str(read(key, "ImagePath", "")),
            dependencies=_names(read(key, "DependOnService")),
            object_name=str(read(key, "ObjectName", "LocalSystem")),
            service_dll=_optional(read(key + "\\Parameters", "ServiceDll")),
            install_path=_optional(read(key + "\\Parameters", "InstallPath")),
            delete_pending=bool(read(key, "DeleteFlag", 0)),
        )

    def create_service(self, name: str, display_name: str, image_path: str, *,
                       service_type: int = SERVICE_WIN32_OWN_PROCESS, start_type: int = START_DEMAND,
                       dependencies: list[str] | None = None, error_control: int = 1,
                       object_name: str = "LocalSystem", parameters: dict[str, tuple[str, object]] | None = None
                       ) -> None:
        """CreateService. `parameters` become values of the Parameters subkey: {name: (REG_type, data)}."""
        if self.exists(name):
            raise Win32Error(ERROR_SERVICE_EXISTS, name)
        key = self._key(name)
        self.registry.set_value(key, "Type", RegType.REG_DWORD, service_type)
        self.registry.set_value(key, "Start", RegType.REG_DWORD, start_type)
        self.registry.set_value(key, "ErrorControl", RegType.REG_DWORD, error_control)
        self.registry.set_value(key, "ImagePath", RegType.REG_EXPAND_SZ, image_path)
        self.registry.set_value(key, "DisplayName", RegType.REG_SZ, display_name)
        self.registry.set_value(key, "ObjectName", RegType.REG_SZ, object_name)
        if dependencies:
            self.registry.set_value(key, "DependOnService", RegType.REG_MULTI_SZ, list(dependencies))
        for value_name, (kind, data) in (parameters or {}).items():
            self.registry.set_value(key + "\\Parameters", value_name, kind, data)

    def delete_service(self, name: str) -> None:
        """DeleteService: a stopped service's key goes now, a running one's when it stops."""
        config = self.config(name)
        if config.delete_pending:
            raise Win32Error(ERROR_SERVICE_MARKED_FOR_DELETE, name)
        if self._state(name).state == ServiceState.RUNNING:
            self.registry.set_value(self._key(name), "DeleteFlag", RegType.REG_DWORD, 1)
        else:
            self.registry.delete_key(self._key(name), recursive=True)
            self._runtime.pop(name.casefold(), None)

    def set_start_type(self, name: str, start_type: int) -> None:
        self.config(name)
        self.registry.set_value(self._key(name), "Start", RegType.REG_DWORD, start_type)

    # -- state -------------------------------------------------------------------------------------------------
    def _state(self, name: str) -> _Runtime:
        return self._runtime.setdefault(name.casefold(), _Runtime())

    def status(self, name: str) -> ServiceStatus:
        config = self.config(name)
        runtime = self._state(name)
        return ServiceStatus(config.name, config.display_name, str(runtime.state), runtime.win32_exit_code,
                             runtime.pid)

    def dependents(self, name: str) -> list[str]:
        return [n for n in self.names() if name.casefold() in (d.casefold() for d in self.config(n).dependencies)]

    def processes(self) -> list[Process]:
        return list(self._processes.values())

    def in_use(self, path: WinPath) -> bool:
        key = path.key
        return any(parse(p).key == key for proc in self._processes.values() for p in [proc.image, *proc.modules])

    def _set(self, name: str, state: ServiceState, exit_code: int, pid: int) -> None:
        runtime = self._state(name)
        if (runtime.state, runtime.win32_exit_code, runtime.pid) != (state, exit_code, pid):
            runtime.state, runtime.win32_exit_code, runtime.pid = state, exit_code, pid
            self._on_change()

    def _log(self, event_id: int, strings: list[str], message: str) -> None:
        self.eventlog.write("System", SCM_SOURCE, event_id, EventType.ERROR, message, strings)

    # -- start -------------------------------------------------------------------------------------------------
    def start(self, name: str) -> ServiceStatus:
        """StartService, then the status the service settled in (stopped with an exit code if its DLL failed)."""
        self._start(name, chain=())
        return self.status(name)

    def _start(self, name: str, chain: tuple[str, ...]) -> None:
        config = self.config(name)
        if config.delete_pending:
            raise Win32Error(ERROR_SERVICE_MARKED_FOR_DELETE, name)
        if self._state(name).state == ServiceState.RUNNING:
            raise Win32Error(ERROR_SERVICE_ALREADY_RUNNING, name)
        if config.start_type == START_DISABLED:
            raise Win32Error(ERROR_SERVICE_DISABLED, name)
        self._start_dependencies(config, (*chain, config.name.casefold()))
        environment = build_environment(self.registry)
        try:
            image, machine = resolve_image(self.fs, config.image_path, environment)
        except Win32Error as error:
            self._set(config.name, ServiceState.STOPPED, error.code, 0)
            self._log(7000, [config.display_name, win32_message(error.code)],
                      f"The {config.display_name} service failed to start due to the following error: "
                      f"{win32_message(error.code)}")
            raise
        process = self._process_for(config, image, machine)
        failure = self._load_service_code(config, process, environment)
        if failure is None:
            process.services.append(config.name)
            self._set(config.name, ServiceState.RUNNING, 0, process.pid)
            return
        code, reported_name = failure
        text = _SERVICE_EXIT_TEXT.get(code, win32_message(code))
        shown = reported_name or '""'  # how the event viewer shows an empty name
        self._set(config.name, ServiceState.STOPPED, code, 0)
        self._log(7023, [reported_name, text], f"The {shown} service terminated with the following error: {text}")
        self._end_if_idle(process)

    def _start_dependencies(self, config: ServiceConfig, chain: tuple[str, ...]) -> None:
        for dependency in config.dependencies:
            if dependency.casefold() in chain:
                raise Win32Error(ERROR_CIRCULAR_DEPENDENCY, config.name)
            if not self.exists(dependency):
                self._set(config.name, ServiceState.STOPPED, ERROR_SERVICE_DEPENDENCY_DELETED, 0)
                self._log(7003, [config.display_name, dependency],
                          f"The {config.display_name} service depends on the following nonexistent service: "
                          f"{dependency}")
                raise Win32Error(ERROR_SERVICE_DEPENDENCY_DELETED, config.name)
            if self._state(dependency).state == ServiceState.RUNNING or self._is_driver(dependency):
                continue  # drivers are loaded at boot, before any service starts
            try:
                self._start(dependency, chain)
                code = self._state(dependency).win32_exit_code
                if self._state(dependency).state != ServiceState.RUNNING:
                    raise Win32Error(code or ERROR_SERVICE_DEPENDENCY_FAIL, dependency)
            except Win32Error as error:
                if error.code == ERROR_CIRCULAR_DEPENDENCY:
                    raise
                shown = self.config(dependency).display_name
                self._set(config.name, ServiceState.STOPPED, ERROR_SERVICE_DEPENDENCY_FAIL, 0)
                self._log(7001, [config.display_name, shown, win32_message(error.code)],
                          f"The {config.display_name} service depends on the {shown} service which failed to "
                          f"start because of the following error: {win32_message(error.code)}")
                raise Win32Error(ERROR_SERVICE_DEPENDENCY_FAIL, config.name) from error

    def _process_for(self, config: ServiceConfig, image: str, machine: int) -> Process:
        if config.service_type & SERVICE_WIN32_SHARE_PROCESS:
            for process in self._processes.values():
                if parse(process.image).key == parse(image).key:
                    return process
        process = Process(self._next_pid, image, machine)
        self._next_pid += 4
        self._processes[process.pid] = process
        self._on_change()
        return process

    def _load_service_code(self, config: ServiceConfig, process: Process, environment) -> tuple[int, str] | None:
        """Load the service's DLL into its process; (Win32 error, name the process reports) when that fails."""
        if not config.service_type & SERVICE_WIN32_SHARE_PROCESS:
            return None
        dll = service_dll(config, environment)
        if dll is None:
            return None
        path, reported = dll
        try:
            spelt = load_dll(self.fs, path, process.machine)
        except Win32Error as error:
            return error.code, reported
        if spelt.casefold() not in (m.casefold() for m in process.modules):
            process.modules.append(spelt)
        return None

    def _end_if_idle(self, process: Process) -> None:
        if not process.services:
            del self._processes[process.pid]
            self._on_change()

    # -- stop, boot --------------------------------------------------------------------------------------------
    def stop(self, name: str, *, stop_dependents: bool = False) -> ServiceStatus:
        config = self.config(name)
        runtime = self._state(name)
        if runtime.state != ServiceState.RUNNING:
            raise Win32Error(ERROR_SERVICE_NOT_ACTIVE, name)
        running = [d for d in self.dependents(name) if self._state(d).state == ServiceState.RUNNING]
        if running and not stop_dependents:
            raise Win32Error(ERROR_DEPENDENT_SERVICES_RUNNING, name)
        for dependent in running:
            self.stop(dependent, stop_dependents=True)
        process = self._processes.get(runtime.pid)
        self._set(config.name, ServiceState.STOPPED, 0, 0)
        if process is not None:
            process.services = [s for s in process.services if s.casefold() != name.casefold()]
            self._end_if_idle(process)
        if config.delete_pending:
            self.registry.delete_key(self._key(name), recursive=True)
        return self.status(name) if self.exists(name) else ServiceStatus(config.name, config.display_name,
                                                                           ServiceState.STOPPED, 0, 0)

    def reset(self) -> None:
        """Power off: every service stopped, every process gone."""
        if self._processes or any(r.state != ServiceState.STOPPED for r in self._runtime.values()):
            self._on_change()
        self._runtime.clear()
        self._processes.clear()
        self._next_pid = 100

    def boot(self) -> None:
        """What the SCM does at boot: start every auto-start service (failures are logged, not raised)."""
        self.reset()
        for name in sorted(self.names(), key=str.casefold):
            config = self.config(name)
            runtime = self._state(name)
            # Each service is tried once per boot: one that failed as another's dependency keeps its exit code.
            tried = runtime.state == ServiceState.RUNNING or runtime.win32_exit_code != ERROR_SERVICE_NEVER_STARTED
            if config.start_type == START_AUTO and not tried:
                try:
                    self._start(name, chain=())
                except Win32Error:
                    continue

    # -- persistence -------------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {"next_pid": self._next_pid,
                "runtime": {k: asdict(v) for k, v in self._runtime.items()},
                "processes": [asdict(p) for p in self._processes.values()]}

    def load_json(self, data: dict) -> None:
        self._next_pid = data["next_pid"]
        self._runtime = {k: _Runtime(**v) for k, v in data["runtime"].items()}
        self._processes = {p["pid"]: Process(**p) for p in data["processes"]}

    def to_snapshot(self) -> list[dict]:
        services = []
        for name in self.names():
            config = self.config(name)
            runtime = self._state(name)
            services.append({
                "name": config.name, "display_name": config.display_name,
                "type": "share_process" if config.service_type & SERVICE_WIN32_SHARE_PROCESS else "own_process",
                "start_type": START_TYPE_NAMES.get(config.start_type, str(config.start_type)),
                "state": str(runtime.state), "win32_exit_code": runtime.win32_exit_code, "pid": runtime.pid,
                "image_path": config.image_path, "dependencies": config.dependencies,
                "service_dll": config.service_dll, "install_path": config.install_path,
            })
        return services


def _dword(value: object, default: int) -> int:
    """A service's DWORD setting; a value written with another type is not one the SCM can use, so the
    setting reads as absent (hand-edited registrations are only checked by the SCM when it reads them)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _names(value: object) -> list[str]:
    """DependOnService: REG_MULTI_SZ, or one name written as a string."""
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [value] if isinstance(value, str) and value else []


def _optional(value: object) -> str | None:
    return str(value) if value else None
