"""System.ServiceProcess.ServiceController over the host's service control manager.

As in System.ServiceProcess 2.0: a controller resolves its names lazily (a service name or a display name),
caches the status it read until Refresh (GetServices fills it from the enumeration), and reports a failed
Win32 call as InvalidOperationException ("Cannot open W3SVC service on computer '.'.") whose InnerException is
the Win32Exception. Stop() first stops running dependent services, waiting for each as Stop does. The host
model's services change state at once, so there are no pending states to wait through.
"""

from __future__ import annotations

import time

from winsim.host.errors import (
    ERROR_BAD_NETPATH,
    ERROR_SERVICE_DOES_NOT_EXIST,
    ERROR_SERVICE_NOT_ACTIVE,
    Win32Error,
    win32_message,
)
from winsim.host.services import SERVICE_WIN32_OWN_PROCESS, SERVICES_KEY, ServiceState
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import ArgumentException, SystemException, declare_exception
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

ServiceControllerStatus = clr_enum("System.ServiceProcess.ServiceControllerStatus", {
    "Stopped": 1, "StartPending": 2, "StopPending": 3, "Running": 4, "ContinuePending": 5, "PausePending": 6,
    "Paused": 7})
ServiceType = clr_enum("System.ServiceProcess.ServiceType", {
    "KernelDriver": 1, "FileSystemDriver": 2, "Adapter": 4, "RecognizerDriver": 8, "Win32OwnProcess": 16,
    "Win32ShareProcess": 32, "InteractiveProcess": 256}, flags=True)
ServiceTimeoutException = declare_exception("System.ServiceProcess.TimeoutException", SystemException,
                                            "Time out has expired and the operation has not been completed.",
                                            -2146232570)  # 0x80131906


@clr_type("System.ComponentModel.InvalidEnumArgumentException", base="System.ArgumentException")
class InvalidEnumArgumentException(ArgumentException):
    """What System.dll raises for an enum value outside the type (ServiceController.WaitForStatus...)."""

    @constructor()
    @staticmethod
    def _new0(rt):
        return InvalidEnumArgumentException()

    @constructor("string")
    @staticmethod
    def _new1(rt, message):
        return InvalidEnumArgumentException(message)


STOPPED, RUNNING = 1, 4
ERROR_INVALID_SERVICE_CONTROL = 1052
MACHINE = "."
MAX_NAME = 80


def _invalid_operation(rt, text: str, code: int):
    inner = interop.construct(rt, "System.ComponentModel.Win32Exception", code)
    return interop.exception(rt, "System.InvalidOperationException", text, inner)


def _resolve(rt, given: str) -> tuple[str, str] | None:
    """(service name, display name) for a service or display name, matched ignoring case as the SCM does."""
    scm = rt.host.services
    for name in scm.names():
        if name.casefold() == given.casefold():
            config = scm.config(name)
            return config.name, config.display_name
    if scm.exists(given):  # a driver: the SCM opens those too
        config = scm.config(given)
        return config.name, config.display_name
    for name in scm.names():
        config = scm.config(name)
        if config.display_name.casefold() == given.casefold():
            return config.name, config.display_name
    return None


@clr_type("System.ServiceProcess.ServiceController", base="System.ComponentModel.Component",
          interfaces=("System.IDisposable",))
class ServiceController:
    def __init__(self, given: str, names: tuple[str, str] | None = None, status: int | None = None) -> None:
        self.given = given
        self.names = names
        self.status = status
        self.disposed = False
        self.remote: str | None = None

    # -- construction and lookup ---------------------------------------------------------------------------------
    @constructor("string")
    @staticmethod
    def create(rt, name):
        if name is None or not 0 < len(name) <= MAX_NAME or "\\" in name or "/" in name:
            raise interop.exception(rt, "System.ArgumentException", f"Invalid value '{name}' for parameter 'name'.")
        return ServiceController(name)

    @constructor("string", "string")
    @staticmethod
    def create_on(rt, name, machine):
        if not machine or any(c in machine for c in "\\/"):
            raise interop.exception(rt, "System.ArgumentException", f"MachineName value {machine} is invalid.")
        controller = ServiceController.create(rt, name)
        local = machine == "." or machine.casefold() == rt.host.name.casefold()
        controller.remote = None if local else machine
        return controller

    @method("GetServices", returns="System.ServiceProcess.ServiceController[]", static=True)
    @staticmethod
    def get_services(rt):
        scm = rt.host.services
        with rt.host.lock:
            found = []
            for name in sorted(scm.names(), key=str.casefold):  # EnumServicesStatus lists them by name
                status = scm.status(name)
                found.append(ServiceController(status.name, (status.name, status.display_name),
                                               RUNNING if status.state == ServiceState.RUNNING else STOPPED))
        return values.ClrArray(found, "System.ServiceProcess.ServiceController")

    @method("GetDevices", returns="System.ServiceProcess.ServiceController[]", static=True)
    @staticmethod
    def get_devices(rt):
        """The drivers the SCM lists (the model loads them at boot: they count as running)."""
        scm, registry = rt.host.services, rt.host.registry
        with rt.host.lock:
            win32 = {n.casefold() for n in scm.names()}
            found = []
            for name in sorted(registry.subkeys(SERVICES_KEY), key=str.casefold):
                if name.casefold() in win32 or not registry.read(f"{SERVICES_KEY}\\{name}", "Type"):
                    continue
                config = scm.config(name)
                found.append(ServiceController(config.name, (config.name, config.display_name), RUNNING))
        return values.ClrArray(found, "System.ServiceProcess.ServiceController")

    def _names(self, rt) -> tuple[str, str]:
        self._check(rt)
        if self.names is None:
            with rt.host.lock:
                resolved = _resolve(rt, self.given)
            if resolved is None:
                raise _invalid_operation(rt, f"Service {self.given} was not found on computer '{MACHINE}'.",
                                         ERROR_SERVICE_DOES_NOT_EXIST)
            self.names = resolved
        return self.names

    def _open(self, rt) -> str:
        """OpenService: the service's name, or the 'Cannot open' error."""
        self._check(rt)
        name = self.names[0] if self.names else self.given
        if not rt.host.services.exists(name):
            resolved = _resolve(rt, name) if self.names is None else None
            if resolved is None:
                raise _invalid_operation(rt, f"Cannot open {name} service on computer '{MACHINE}'.",
                                         ERROR_SERVICE_DOES_NOT_EXIST)
            self.names = resolved
            name = resolved[0]
        return name

    def _check(self, rt) -> None:
        if self.disposed:
            raise interop.exception(rt, "System.ObjectDisposedException", "ServiceController")
        if self.remote is not None:  # winsim hosts reach no other machine: OpenSCManager finds no network path
            raise _invalid_operation(rt, f"Cannot open Service Control Manager on computer '{self.remote}'. This "
                                     "operation might require other privileges.", ERROR_BAD_NETPATH)

    # -- properties -----------------------------------------------------------------------------------------------
    @getter("ServiceName", "string")
    def p_service_name(self, rt):
        return self._names(rt)[0]

    @getter("DisplayName", "string")
    def p_display_name(self, rt):
        return self._names(rt)[1]

    @getter("MachineName", "string")
    def p_machine_name(self, rt):
        return self.remote or MACHINE

    @getter("Status", "System.ServiceProcess.ServiceControllerStatus")
    def p_status(self, rt):
        if self.status is None:
            with rt.host.lock:
                name = self._open(rt)
                state = rt.host.services.status(name).state
            self.status = RUNNING if state == ServiceState.RUNNING else STOPPED
        return ServiceControllerStatus.value(self.status)

    @getter("ServiceType", "System.ServiceProcess.ServiceType")
    def p_service_type(self, rt):
        with rt.host.lock:
            name = self._open(rt)
            kind = rt.host.services.config(name).service_type
        return ServiceType.value(kind or SERVICE_WIN32_OWN_PROCESS)

    @getter("CanStop", "bool")
    def p_can_stop(self, rt):
        return int(self.p_status(rt)) == RUNNING  # a running Win32 service accepts SERVICE_CONTROL_STOP

    @getter("CanPauseAndContinue", "bool")
    def p_can_pause(self, rt):
        self.p_status(rt)
        return False

    @getter("CanShutdown", "bool")
    def p_can_shutdown(self, rt):
        self.p_status(rt)
        return False

    @getter("DependentServices", "System.ServiceProcess.ServiceController[]")
    def p_dependent_services(self, rt):
        """EnumDependentServices: every service that depends on this one, directly or not, in the order they
        can be stopped (a service after the services that depend on it: the reverse of a start order)."""
        with rt.host.lock:
            name = self._open(rt)
            scm = rt.host.services
            ordered: list[str] = []
            seen = {name.casefold()}

            def visit(service: str) -> None:
                for dependent in scm.dependents(service):
                    if dependent.casefold() not in seen:
                        seen.add(dependent.casefold())
                        visit(dependent)
                        ordered.append(dependent)

            visit(name)
            found = []
            for dependent in ordered:
                status = scm.status(dependent)
                found.append(ServiceController(status.name, (status.name, status.display_name),
                                               RUNNING if status.state == ServiceState.RUNNING else STOPPED))
        return values.ClrArray(found, "System.ServiceProcess.ServiceController")

    @getter("ServicesDependedOn", "System.ServiceProcess.ServiceController[]")
    def p_services_depended_on(self, rt):
        with rt.host.lock:
            name = self._open(rt)
            dependencies = [d for d in rt.host.services.config(name).dependencies if not d.startswith("+")]
        return values.ClrArray([ServiceController(d) for d in dependencies], "System.ServiceProcess.ServiceController")

    # -- control --------------------------------------------------------------------------------------------------
    @method("Start")
    def start(self, rt):
        with rt.host.lock:
            name = self._open(rt)
            try:
                rt.host.services.start(name)
            except Win32Error as error:
                raise _invalid_operation(rt, f"Cannot start service {self._names(rt)[0]} on computer '{MACHINE}'.",
                                         error.code) from None

    @method("Start", "string[]")
    def start_with(self, rt, arguments):
        if arguments is None:
            raise interop.exception(rt, "System.ArgumentNullException", "args")
        self.start(rt)

    @method("Stop")
    def stop(self, rt):
        with rt.host.lock:
            name = self._open(rt)
            for dependent in self.p_dependent_services(rt):
                dependent.refresh(rt)
                if int(dependent.p_status(rt)) != STOPPED:
                    dependent.stop(rt)
            try:
                rt.host.services.stop(name)
            except Win32Error as error:
                raise _invalid_operation(rt, f"Cannot stop {self._names(rt)[0]} service on computer '{MACHINE}'.",
                                         error.code) from None

    def _control_pause(self, rt, verb: str) -> None:
        """Pause/Continue: the model's services accept neither, so ControlService refuses the control (1052) for
        a running service and answers 1062 for a stopped one."""
        with rt.host.lock:
            name = self._open(rt)
            running = rt.host.services.status(name).state == ServiceState.RUNNING
        code, text = (ERROR_INVALID_SERVICE_CONTROL, "The requested control is not valid for this service.") \
            if running else (ERROR_SERVICE_NOT_ACTIVE, win32_message(ERROR_SERVICE_NOT_ACTIVE))
        inner = interop.construct(rt, "System.ComponentModel.Win32Exception", code, text)
        raise interop.exception(rt, "System.InvalidOperationException",
                                f"Cannot {verb} {self._names(rt)[0]} service on computer '{MACHINE}'.", inner)

    @method("Pause")
    def pause(self, rt):
        self._control_pause(rt, "pause")

    @method("Continue")
    def resume(self, rt):
        self._control_pause(rt, "resume")

    @method("WaitForStatus", "System.ServiceProcess.ServiceControllerStatus")
    @method("WaitForStatus", "System.ServiceProcess.ServiceControllerStatus", "System.TimeSpan")
    def wait_for_status(self, rt, desired, timeout=None):
        wanted = int(desired)
        if not 1 <= wanted <= 7:
            raise InvalidEnumArgumentException(f"The value of argument 'desiredStatus' ({wanted}) is invalid for "
                                               "Enum type 'ServiceControllerStatus'.", "desiredStatus")
        limit = None if timeout is None else interop.timespan_seconds(rt, timeout)
        started = time.monotonic()
        self.refresh(rt)
        while int(self.p_status(rt)) != wanted:
            if limit is not None and time.monotonic() - started > limit:
                raise ServiceTimeoutException("Time out has expired and the operation has not been completed.")
            time.sleep(0.25)  # the state changes only when another command changes it
            self.refresh(rt)

    @method("Refresh")
    def refresh(self, rt):
        self.status = None

    @method("Close")
    def close(self, rt):
        self.status = None

    @method("Dispose")
    def dispose(self, rt):
        self.disposed = True

    @method("ToString", returns="string")
    def to_string(self, rt):
        return "System.ServiceProcess.ServiceController"


