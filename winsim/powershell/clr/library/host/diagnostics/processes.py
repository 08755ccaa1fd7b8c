"""System.Diagnostics.Process and ProcessStartInfo over the host's processes: programs started detached
(winsim.host.runtime.detached) and the service processes of the service control manager.

Every process the class library starts goes through `start_program`, which hands the command line to
detached.start_detached: CreateProcess's lookup, the image check, then the modelled program (powershell.exe
there runs whatever winsim.host.runtime.programs runs for it). A failed start is a Win32Exception with the
Win32 code, as Process.Start raises it.
"""

from __future__ import annotations

import time

from winsim.host.errors import ERROR_DIRECTORY, ERROR_INVALID_PARAMETER, Win32Error
from winsim.host.paths import parse
from winsim.host.runtime.detached import (
    DetachedProcess,
    detached_processes,
    process_status,
    start_detached,
    wait_process,
)
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import Property, clr_type, constructor, getter, method, setter

ProcessWindowStyle = clr_enum("System.Diagnostics.ProcessWindowStyle",
                              {"Normal": 0, "Hidden": 1, "Minimized": 2, "Maximized": 3})
NOT_EXITED = "Process must exit before requested information can be determined."


def start_program(rt, command_line: str, directory: str | None) -> DetachedProcess:
    """CreateProcess for the calling process's user; Win32Error when Windows would refuse."""
    if directory:
        with rt.host.lock:
            info = rt.host.fs.stat(parse(directory, rt.process.cwd))
        if info is None or not info.is_dir:
            raise Win32Error(ERROR_DIRECTORY, directory)
    return start_detached(rt.host, command_line, user=rt.process.user,
                          cwd=str(parse(directory, rt.process.cwd)) if directory else str(rt.process.cwd))


def command_line(file_name: str, arguments: str) -> str:
    """Process.BuildCommandLine: the file name quoted unless it already is, then the arguments."""
    name = file_name.strip()
    quoted = name if name.startswith('"') and name.endswith('"') else f'"{name}"'
    return quoted + (" " + arguments if arguments else "")


@clr_type("System.Diagnostics.ProcessStartInfo")
class ProcessStartInfo:
    _STRINGS = ("FileName", "Arguments", "WorkingDirectory", "Verb", "UserName", "Domain")
    _FLAGS = ("UseShellExecute", "CreateNoWindow", "RedirectStandardInput", "RedirectStandardOutput",
              "RedirectStandardError", "ErrorDialog", "LoadUserProfile")

    def __init__(self, file_name: str = "", arguments: str = "") -> None:
        self.values: dict[str, object] = {name: "" for name in self._STRINGS}
        self.values.update({name: False for name in self._FLAGS}, UseShellExecute=True, WindowStyle=0)
        self.values["FileName"], self.values["Arguments"] = file_name or "", arguments or ""

    @constructor()
    @staticmethod
    def _new0(rt):
        return ProcessStartInfo()

    @constructor("string")
    @staticmethod
    def _new1(rt, file_name):
        return ProcessStartInfo(file_name)

    @constructor("string", "string")
    @staticmethod
    def _new2(rt, file_name, arguments):
        return ProcessStartInfo(file_name, arguments)

    @getter("WindowStyle", "System.Diagnostics.ProcessWindowStyle")
    def p_window_style(self, rt):
        return ProcessWindowStyle.value(int(self.values["WindowStyle"]))

    @setter("WindowStyle", "System.Diagnostics.ProcessWindowStyle")
    def set_window_style(self, rt, value):
        self.values["WindowStyle"] = int(value)


def _declare_properties() -> None:
    """ProcessStartInfo's plain string and bool properties, each a getter and a setter over `values`
    (a string property set to null reads back as "", as ProcessStartInfo's setters store it)."""
    declared = ProcessStartInfo.__clr_type__
    for names, type_name, convert in ((ProcessStartInfo._STRINGS, "System.String", lambda v: v or ""),
                                      (ProcessStartInfo._FLAGS, "System.Boolean", bool)):
        for name in names:
            def read(self, rt, name=name):
                return self.values[name]

            def write(self, rt, value, name=name, convert=convert):
                self.values[name] = convert(value)
            declared.properties[name.lower()] = Property(name, type_name, read, write)


_declare_properties()


@clr_type("System.Diagnostics.Process", base="System.ComponentModel.Component", interfaces=("System.IDisposable",))
class Process:
    def __init__(self, pid: int, image: str, started: float | None) -> None:
        self.pid = pid
        self.image = image
        self.started = started

    @staticmethod
    def _detached(rt, pid: int) -> DetachedProcess | None:
        try:
            return process_status(rt.host, pid)
        except Win32Error as error:
            if error.code != ERROR_INVALID_PARAMETER:
                raise
            return None

    # -- finding and starting ------------------------------------------------------------------------------------
    @method("GetProcessById", "int", returns="System.Diagnostics.Process", static=True)
    @staticmethod
    def get_process_by_id(rt, pid):
        detached = Process._detached(rt, pid)
        if detached is not None and detached.running:
            return Process(pid, detached.image, detached.started)
        for service_process in rt.host.services.processes():
            if service_process.pid == pid:
                return Process(pid, service_process.image, None)
        raise interop.exception(rt, "System.ArgumentException", f"Process with an Id of {pid} is not running.")

    @method("GetProcesses", returns="System.Diagnostics.Process[]", static=True)
    @staticmethod
    def get_processes(rt):
        found = [Process(p.pid, p.image, None) for p in rt.host.services.processes()]
        found += [Process(p.pid, p.image, p.started) for p in detached_processes(rt.host) if p.running]
        return values.ClrArray(found, "System.Diagnostics.Process")

    @method("GetProcessesByName", "string", returns="System.Diagnostics.Process[]", static=True)
    @staticmethod
    def get_processes_by_name(rt, name):
        wanted = (name or "").casefold()
        found = [p for p in Process.get_processes(rt) if p.p_process_name(rt).casefold() == wanted]
        return values.ClrArray(found, "System.Diagnostics.Process")

    @method("Start", "System.Diagnostics.ProcessStartInfo", returns="System.Diagnostics.Process", static=True)
    @staticmethod
    def start(rt, info):
        if info is None:
            raise interop.exception(rt, "System.ArgumentNullException", "startInfo")
        values = info.values
        if not values["FileName"]:
            raise interop.exception(rt, "System.InvalidOperationException",
                                    "Cannot start process because a file name has not been provided.")
        if any(values[name] for name in ("RedirectStandardInput", "RedirectStandardOutput", "RedirectStandardError")):
            if values["UseShellExecute"]:
                raise interop.exception(rt, "System.InvalidOperationException", "The Process object must have the "
                                        "UseShellExecute property set to false in order to redirect IO streams.")
            from winsim.host.runtime import Unmodelled
            raise Unmodelled("Process.Start with redirected standard streams")
        try:
            started = start_program(rt, command_line(str(values["FileName"]), str(values["Arguments"])),
                                    str(values["WorkingDirectory"]) or None)
        except Win32Error as error:
            raise interop.construct(rt, "System.ComponentModel.Win32Exception", error.code) from None
        return Process(started.pid, started.image, started.started)

    @method("Start", "string", returns="System.Diagnostics.Process", static=True)
    @method("Start", "string", "string", returns="System.Diagnostics.Process", static=True)
    @staticmethod
    def start_file(rt, file_name, arguments=""):
        return Process.start(rt, ProcessStartInfo(file_name, arguments))

    # -- state ---------------------------------------------------------------------------------------------------
    @getter("Id", "int")
    def p_id(self, rt):
        return self.pid

    @getter("ProcessName", "string")
    def p_process_name(self, rt):
        name = self.image.replace("/", "\\").rsplit("\\", 1)[-1]
        return name[:-4] if name.lower().endswith(".exe") else name

    @getter("HasExited", "bool")
    def p_has_exited(self, rt):
        detached = self._detached(rt, self.pid)
        if detached is not None:
            return not detached.running
        return not any(p.pid == self.pid for p in rt.host.services.processes())

    @getter("ExitCode", "int")
    def p_exit_code(self, rt):
        detached = self._detached(rt, self.pid)
        if detached is None or detached.running:
            raise interop.exception(rt, "System.InvalidOperationException", NOT_EXITED)
        code = detached.exit_code & 0xFFFFFFFF
        return code - (1 << 32) if code >= 1 << 31 else code

    @getter("StartTime", "System.DateTime")
    def p_start_time(self, rt):
        if self.started is None:  # a service process: its token's owner is SYSTEM, which we cannot open
            raise interop.construct(rt, "System.ComponentModel.Win32Exception", 5)
        return interop.local_datetime(rt, self.started)

    @getter("ExitTime", "System.DateTime")
    def p_exit_time(self, rt):
        detached = self._detached(rt, self.pid)
        if detached is None or detached.running:
            raise interop.exception(rt, "System.InvalidOperationException", NOT_EXITED)
        return interop.local_datetime(rt, detached.ended or detached.started)

    @method("WaitForExit")
    def wait_for_exit(self, rt):
        self._wait(rt, None)

    @method("WaitForExit", "int", returns="bool")
    def wait_for_exit_ms(self, rt, milliseconds):
        return self._wait(rt, None if milliseconds < 0 else milliseconds / 1000)

    def _wait(self, rt, seconds: float | None) -> bool:
        if self._detached(rt, self.pid) is not None:
            return not wait_process(rt.host, self.pid, seconds).running
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            with rt.host.lock:  # each look under the lock; never sleep holding it
                if self.p_has_exited(rt):
                    break
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        return True

    @method("Kill")
    def kill(self, rt):
        from winsim.host.runtime import Unmodelled
        raise Unmodelled(f"Process.Kill of process {self.pid}")

    @method("Refresh")
    def refresh(self, rt):
        return None

    @method("Close")
    def close(self, rt):
        return None

    @method("Dispose")
    def dispose(self, rt):
        return None
