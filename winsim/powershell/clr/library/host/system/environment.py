"""System.Environment (.NET 2.0 members) for the process: its environment block, current directory, user, and
what Windows reports about the machine (name, OS version, system directory, processors).

The Machine and User targets of Get/SetEnvironmentVariable read and write the registry keys Windows builds
environments from (Session Manager\\Environment and the user's Environment key); the process block does not
change when they do, as on Windows.
"""

from __future__ import annotations

from winsim.host import clock
from winsim.host.environment import SESSION_ENVIRONMENT, USER_ENVIRONMENT, expand
from winsim.host.registry import RegType
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.directory import set_current_directory
from winsim.powershell.clr.library.host.system import platform
from winsim.powershell.clr.library.host.system.version import Version
from winsim.powershell.clr.typesystem import clr_type, getter, method, setter

EnvironmentVariableTarget = clr_enum("System.EnvironmentVariableTarget", {"Process": 0, "User": 1, "Machine": 2})
SpecialFolder = clr_enum("System.Environment+SpecialFolder", {
    "Desktop": 0, "Programs": 2, "Personal": 5, "MyDocuments": 5, "Favorites": 6, "Startup": 7, "Recent": 8,
    "SendTo": 9, "StartMenu": 11, "MyMusic": 13, "MyComputer": 17, "DesktopDirectory": 16, "Templates": 21,
    "ApplicationData": 26, "LocalApplicationData": 28, "InternetCache": 32, "Cookies": 33, "History": 34,
    "CommonApplicationData": 35, "System": 37, "ProgramFiles": 38, "MyPictures": 39, "CommonProgramFiles": 43})
MAX_VALUE = 32767
CURRENT_VERSION = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion"

# CSIDL folders below a profile, as Windows before Vista names them.
_PROFILE_FOLDERS = {0: "Desktop", 16: "Desktop", 2: "Start Menu\\Programs", 5: "My Documents", 6: "Favorites",
                    7: "Start Menu\\Programs\\Startup", 8: "Recent", 9: "SendTo", 11: "Start Menu",
                    13: "My Documents\\My Music", 21: "Templates", 26: "Application Data",
                    28: "Local Settings\\Application Data", 32: "Local Settings\\Temporary Internet Files",
                    33: "Cookies", 34: "Local Settings\\History", 39: "My Documents\\My Pictures"}


def _check_name(rt, variable: str | None) -> str:
    if variable is None:
        raise interop.exception(rt, "System.ArgumentNullException", "variable")
    if variable == "":
        raise interop.exception(rt, "System.ArgumentException", "String cannot be of zero length.", "variable")
    if variable[0] == "\0":
        raise interop.exception(rt, "System.ArgumentException", "The first char in the string is the null character.",
                                "variable")
    if len(variable) >= MAX_VALUE:
        raise interop.exception(rt, "System.ArgumentException", "Environment variable name or value is too long.")
    if "=" in variable:
        raise interop.exception(rt, "System.ArgumentException",
                                "Environment variable name cannot contain equal character.")
    return variable


def _target_key(rt, target) -> str | None:
    number = int(target)
    if number not in (0, 1, 2):
        raise interop.exception(rt, "System.ArgumentException", f"Illegal enum value: {number}.", "target")
    return {0: None, 1: USER_ENVIRONMENT, 2: SESSION_ENVIRONMENT}[number]


def system_directory(rt) -> str:
    return rt.process.env.get("SystemRoot", "C:\\WINDOWS") + "\\system32"


@clr_type("System.Environment")
class Environment:
    @getter("MachineName", "string", static=True)
    @staticmethod
    def machine_name(rt):
        return rt.host.name.upper()

    @getter("UserName", "string", static=True)
    @staticmethod
    def user_name(rt):
        return rt.process.user

    @getter("UserDomainName", "string", static=True)
    @staticmethod
    def user_domain_name(rt):
        return rt.process.env.get("USERDOMAIN") or rt.host.name.upper()

    @getter("OSVersion", "System.OperatingSystem", static=True)
    @staticmethod
    def os_version(rt):
        return platform.os_version(rt)

    @getter("Version", "System.Version", static=True)
    @staticmethod
    def version(rt):
        return Version.parse(rt, rt.clr_version)

    @getter("CurrentDirectory", "string", static=True)
    @staticmethod
    def current_directory(rt):
        return str(rt.process.cwd)

    @setter("CurrentDirectory", "string", static=True)
    @staticmethod
    def set_current_directory(rt, value):
        if value is None:
            raise interop.exception(rt, "System.ArgumentNullException", "value")
        set_current_directory(rt, value)

    @getter("NewLine", "string", static=True)
    @staticmethod
    def new_line(rt):
        return "\r\n"

    @getter("ProcessorCount", "int", static=True)
    @staticmethod
    def processor_count(rt):
        text = rt.process.env.get("NUMBER_OF_PROCESSORS", "1")
        return int(text) if text.isdigit() and int(text) > 0 else 1

    @getter("SystemDirectory", "string", static=True)
    @staticmethod
    def p_system_directory(rt):
        return system_directory(rt)

    @getter("UserInteractive", "bool", static=True)
    @staticmethod
    def user_interactive(rt):
        return False  # a WinRM shell runs in a non-interactive window station

    @getter("TickCount", "int", static=True)
    @staticmethod
    def tick_count(rt):
        """GetTickCount as an Int32: milliseconds since the host booted (the event log service's last start,
        event 6005), wrapping to negative after 24.9 days."""
        starts = rt.host.eventlog.read("System", source="EventLog", event_id=6005)
        booted = starts[-1].time_generated if starts else clock.now()
        elapsed = int((clock.now() - booted) * 1000) & 0xFFFFFFFF
        return elapsed - (1 << 32) if elapsed >= 1 << 31 else elapsed

    @getter("Is64BitOperatingSystem", "bool", static=True)
    @since(4)
    @staticmethod
    def is_64_bit_operating_system(rt):
        return rt.host.architecture.key in ("amd64", "ia64")

    @getter("Is64BitProcess", "bool", static=True)
    @since(4)
    @staticmethod
    def is_64_bit_process(rt):
        return platform.pointer_size(rt) == 8

    @getter("HasShutdownStarted", "bool", static=True)
    @staticmethod
    def has_shutdown_started(rt):
        return False

    # -- variables ---------------------------------------------------------------------------------------------
    @method("GetEnvironmentVariable", "string", returns="string", static=True)
    @method("GetEnvironmentVariable", "string", "System.EnvironmentVariableTarget", returns="string", static=True)
    @staticmethod
    def get_environment_variable(rt, variable, target=None):
        if variable is None:
            raise interop.exception(rt, "System.ArgumentNullException", "variable")
        key = None if target is None else _target_key(rt, target)
        if key is None:
            return rt.process.env.get(variable)
        stored = rt.host.registry.read(key, variable)
        if stored is None:
            return None
        # RegistryKey.GetValue expands a REG_EXPAND_SZ against the calling process's block
        kind = rt.host.registry.get_value(key, variable).type
        return expand(str(stored), rt.process.env) if kind is RegType.REG_EXPAND_SZ else str(stored)

    @method("SetEnvironmentVariable", "string", "string", static=True)
    @method("SetEnvironmentVariable", "string", "string", "System.EnvironmentVariableTarget", static=True)
    @staticmethod
    def set_environment_variable(rt, variable, value, target=None):
        _check_name(rt, variable)
        if not value or value[0] == "\0":
            value = None
        elif len(value) >= MAX_VALUE:
            raise interop.exception(rt, "System.ArgumentException", "Environment variable name or value is too long.")
        key = None if target is None else _target_key(rt, target)
        if key is None:
            if value is None:
                if variable in rt.process.env:
                    del rt.process.env[variable]
            else:
                rt.process.env[variable] = value
            return
        with rt.host.lock:
            registry = rt.host.registry
            if value is None:
                if registry.read(key, variable) is not None:
                    registry.delete_value(key, variable)
            else:
                registry.set_value(key, variable, RegType.REG_SZ, value)

    @method("GetEnvironmentVariables", returns="System.Collections.IDictionary", static=True)
    @staticmethod
    def get_environment_variables(rt):
        table = interop.construct(rt, "System.Collections.Hashtable")
        for name in rt.process.env:
            interop.call(rt, table, "Add", name, rt.process.env[name])
        return table

    @method("ExpandEnvironmentVariables", "string", returns="string", static=True)
    @staticmethod
    def expand_environment_variables(rt, name):
        if name is None:
            raise interop.exception(rt, "System.ArgumentNullException", "name")
        return expand(name, rt.process.env)

    @method("GetLogicalDrives", returns="string[]", static=True)
    @staticmethod
    def get_logical_drives(rt):
        letters = sorted(d.letter for d in rt.host.fs.drives())
        return values.ClrArray([f"{letter}:\\" for letter in letters], "System.String")

    @method("GetFolderPath", "System.Environment+SpecialFolder", returns="string", static=True)
    @staticmethod
    def get_folder_path(rt, folder):
        number = int(folder)
        if number not in SpecialFolder.enum.members.values():
            raise interop.exception(rt, "System.ArgumentException", f"Illegal enum value: {number}.", "folder")
        env, registry = rt.process.env, rt.host.registry
        if number == 37:
            return system_directory(rt)
        if number == 38:
            configured = registry.read(CURRENT_VERSION, "ProgramFilesDir", "C:\\Program Files")
            return env.get("ProgramFiles") or str(configured)
        if number == 43:
            return env.get("CommonProgramFiles") or str(registry.read(CURRENT_VERSION, "CommonFilesDir", ""))
        if number == 35:
            profile = env.get("ALLUSERSPROFILE")
            return profile + "\\Application Data" if profile else ""
        below = _PROFILE_FOLDERS.get(number)
        profile = env.get("USERPROFILE")
        return profile + "\\" + below if below and profile else ""
