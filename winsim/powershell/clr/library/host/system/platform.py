"""System.OperatingSystem, PlatformID and IntPtr.Size: what the process learns about the Windows it runs on.

OSVersion comes from the registry as GetVersionEx reports it (`Windows NT\\CurrentVersion`): the version,
the build, and the service pack in the revision's high word (SP6 is revision 393216), with the CSD text as
ServicePack. A pointer is 8 bytes in a native process on 64-bit Windows and 4 in a 32-bit (or WOW64) one.
"""

from __future__ import annotations

from winsim.host.osinfo import os_facts, version_tuple
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.system.version import Version
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method
from winsim.powershell.clr.values import Int64

PlatformID = clr_enum("System.PlatformID", {"Win32S": 0, "Win32Windows": 1, "Win32NT": 2, "WinCE": 3, "Unix": 4})
_SIXTY_FOUR_BIT = ("amd64", "ia64")


def os_version(rt) -> OperatingSystem:
    facts = os_facts(rt.host.registry)
    major, minor = (*version_tuple(facts.version), 0, 0)[:2]
    return OperatingSystem(2, Version(major, minor, facts.build, facts.service_pack_major << 16),
                           facts.csd_version)


def pointer_size(rt) -> int:
    architecture = rt.process.env.get("PROCESSOR_ARCHITECTURE", "x86")
    return 8 if architecture.casefold() in _SIXTY_FOUR_BIT else 4


# Properties in .NET's metadata order (Platform, ServicePack, Version, VersionString): Out-Default's tables
# follow declaration order.
@clr_type("System.OperatingSystem", interfaces=("System.ICloneable", "System.Runtime.Serialization.ISerializable"))
class OperatingSystem:
    def __init__(self, platform: int, version: Version, service_pack: str = "") -> None:
        self.platform = platform
        self.version = version
        self.service_pack = service_pack

    @constructor("System.PlatformID", "System.Version")
    @staticmethod
    def create(rt, platform, version):
        if version is None:
            raise interop.exception(rt, "System.ArgumentNullException", "version")
        if not 0 <= int(platform) <= 4:
            raise interop.exception(rt, "System.ArgumentException", f"Illegal enum value: {int(platform)}.",
                                    "platform")
        return OperatingSystem(int(platform), version)

    @getter("Platform", "System.PlatformID")
    def p_platform(self, rt):
        return PlatformID.value(self.platform)

    @getter("ServicePack", "string")
    def p_service_pack(self, rt):
        return self.service_pack

    @getter("Version", "System.Version")
    def p_version(self, rt):
        return self.version

    @getter("VersionString", "string")
    def p_version_string(self, rt):
        name = {0: "Microsoft Win32S ", 1: "Microsoft Windows 98 ", 2: "Microsoft Windows NT ",
                3: "Microsoft Windows CE ", 4: "Unix "}[self.platform]
        if not self.service_pack:
            return name + str(self.version)
        return name + self.version.to_string_fields(rt, 3) + " " + self.service_pack

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.p_version_string(rt)

    @method("Clone", returns="object")
    def clone(self, rt):
        return OperatingSystem(self.platform, self.version, self.service_pack)


class IntPtr:
    """A pointer-sized integer: only its Size (the process's bitness) and Zero are of use to scripts here."""

    def __init__(self, value: int = 0) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntPtr) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    @constructor("int")
    @staticmethod
    def from_int32(rt, value):
        return IntPtr(value)

    @constructor("long")
    @staticmethod
    def from_int64(rt, value):
        if pointer_size(rt) == 4 and not -(1 << 31) <= value < (1 << 31):
            raise interop.exception(rt, "System.OverflowException", "Arithmetic operation resulted in an overflow.")
        return IntPtr(int(value))

    @getter("Size", "int", static=True)
    @staticmethod
    def size(rt):
        return pointer_size(rt)

    @method("ToInt64", returns="long")
    def to_int64(self, rt):
        return Int64(self.value)

    @method("ToInt32", returns="int")
    def to_int32(self, rt):
        if not -(1 << 31) <= self.value < (1 << 31):
            raise interop.exception(rt, "System.OverflowException", "Arithmetic operation resulted in an overflow.")
        return self.value

    @method("ToString", returns="string")
    def to_string(self, rt):
        return str(self.value)


clr_type("System.IntPtr", base="System.ValueType", value_type=True,
         interfaces=("System.Runtime.Serialization.ISerializable",), fields={"Zero": IntPtr(0)})(IntPtr)
