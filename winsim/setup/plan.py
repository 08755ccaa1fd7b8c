"""What a component INF tells setup to do, as concrete operations on a host (paths resolved, nothing done yet).

Install section (`[<subcomponent>]`): `CopyFiles` (file-list sections: `destination[, source]` per line, into
the section's `[DestinationDirs]` entry, else `DefaultDestDir`, else DIRID 11), `AddReg` (registry lines
`root, subkey, value, flags, data...`), `CreateDirs` (our dialect: folder names under the section's
destination), and `[<subcomponent>.Services]` `AddService = name, flags, service-section` (DisplayName,
ServiceType, StartType, ErrorControl, ServiceBinary, Dependencies, AddReg with HKR = the service's key).
Uninstall section (named by `Uninstall =`): `DelFiles`, `DelReg` (`root, subkey` deletes the key and its
subkeys, `root, subkey, value` one value), `DelDirs` (our dialect: folders removed with all they hold) and
`[<section>.Services]` `DelService = name`.
DIRIDs in `%N%` and in [DestinationDirs] resolve through the mapping setup gives (see engine.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winsim.host.registry import RegType
from winsim.host.services import SERVICES_KEY
from winsim.setup.errors import ERROR_INVALID_DATA, SetupError
from winsim.setup.inf import InfFile, InfLine, InfSection

_DIRID = re.compile(r"%(\d+)%")
_DEFAULT_DIRID = 11
FLG_ADDREG_BINVALUETYPE = 0x00000001
FLG_ADDREG_NOCLOBBER = 0x00000002
FLG_ADDREG_DELVAL = 0x00000004
FLG_ADDREG_KEYONLY = 0x00000010
_TYPE_BITS = 0xFFFF0001
_REG_TYPES = {0x00000000: RegType.REG_SZ, 0x00010000: RegType.REG_MULTI_SZ, 0x00020000: RegType.REG_EXPAND_SZ,
              0x00010001: RegType.REG_DWORD, 0x00000001: RegType.REG_BINARY, 0x00020001: RegType.REG_NONE}
_ROOTS = {"hklm": "HKEY_LOCAL_MACHINE", "hkcr": r"HKEY_LOCAL_MACHINE\SOFTWARE\Classes",
          "hkcu": r"HKEY_USERS\.DEFAULT", "hku": "HKEY_USERS"}


@dataclass(frozen=True)
class CopyFile:
    source: str
    destination: str


@dataclass(frozen=True)
class DeleteFile:
    path: str


@dataclass(frozen=True)
class MakeDir:
    path: str


@dataclass(frozen=True)
class RemoveTree:
    path: str


@dataclass(frozen=True)
class SetRegistry:
    key: str
    name: str | None            # None: create the key only
    type: RegType = RegType.REG_SZ
    data: object = ""
    no_clobber: bool = False
    delete: bool = False        # FLG_ADDREG_DELVAL


@dataclass(frozen=True)
class DeleteRegistry:
    key: str
    name: str | None            # None: the key and its subkeys


@dataclass(frozen=True)
class AddService:
    name: str
    display_name: str
    service_type: int
    start_type: int
    error_control: int
    image_path: str
    dependencies: tuple[str, ...]
    registry: tuple[SetRegistry, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DeleteService:
    name: str


Operation = CopyFile | DeleteFile | MakeDir | RemoveTree | SetRegistry | DeleteRegistry | AddService | DeleteService


class DirIds:
    """DIRID -> folder (absolute, expanded), as setup has set them up for this run."""

    def __init__(self, folders: dict[int, str]) -> None:
        self.folders = {k: v.rstrip("\\") for k, v in folders.items()}

    def folder(self, dirid: int, where: str) -> str:
        if dirid not in self.folders:
            raise SetupError(ERROR_INVALID_DATA, f"{where}: DIRID {dirid} is not one setup defines")
        return self.folders[dirid]

    def resolve(self, text: str, where: str) -> str:
        return _DIRID.sub(lambda m: self.folder(int(m.group(1)), where), text)


class Planner:
    """Reads one component INF; `source_dir` is where CopyFiles takes its files from."""

    def __init__(self, inf: InfFile, dirids: DirIds, source_dir: str) -> None:
        self.inf = inf
        self.dirids = dirids
        self.source_dir = source_dir.rstrip("\\")

    # -- the INF's structure --------------------------------------------------------------------------------------
    def subcomponents(self) -> list[str]:
        section = self.inf.require("Optional Components")
        return [line.value for line in section.lines if line.value]

    def section(self, name: str) -> InfSection:
        section = self.inf.section(name)
        if section is None:
            raise SetupError(ERROR_INVALID_DATA, f"{self.inf.name}: section [{name}] is missing")
        return section

    def destination(self, section_name: str) -> str:
        where = f"{self.inf.name} [DestinationDirs]"
        destinations = self.inf.section("DestinationDirs")
        line = None
        if destinations is not None:
            line = _line(destinations, section_name) or _line(destinations, "DefaultDestDir")
        dirid_text, subdir = (line.fields[0], line.fields[1] if len(line.fields) > 1 else "") if line else (
            str(_DEFAULT_DIRID), "")
        folder = self.dirids.folder(_number(dirid_text, where), where)
        return f"{folder}\\{subdir.strip(chr(92))}" if subdir.strip("\\") else folder

    def _entries(self, section_name: str) -> list[InfLine]:
        return [line for line in self.section(section_name).lines if line.fields and line.fields[0]]

    # -- install ----------------------------------------------------------------------------------------------
    def install(self, subcomponent: str) -> list[Operation]:
        section = self.section(subcomponent)
        operations: list[Operation] = []
        for name in section.fields("CreateDirs"):
            base = self.destination(name)
            operations += [MakeDir(f"{base}\\{line.value}") for line in self._entries(name)]
        for name in section.fields("CopyFiles"):
            base = self.destination(name)
            for line in self._entries(name):
                source = line.fields[1] if len(line.fields) > 1 and line.fields[1] else line.value
                operations.append(CopyFile(f"{self.source_dir}\\{source}", f"{base}\\{line.value}"))
        for name in section.fields("AddReg"):
            operations += [self._add_reg(line, name, None) for line in self._entries(name)]
        services = self.inf.section(f"{subcomponent}.Services")
        for line in services.lines if services else ():
            if (line.key or "").casefold() == "addservice":
                operations.append(self._add_service(line, subcomponent))
        return operations

    def services_added(self, subcomponent: str) -> list[str]:
        services = self.inf.section(f"{subcomponent}.Services")
        return [line.value for line in (services.lines if services else ())
                if (line.key or "").casefold() == "addservice" and line.value]

    def _add_service(self, line: InfLine, subcomponent: str) -> AddService:
        where = f"{self.inf.name} [{subcomponent}.Services] line {line.number}"
        if len(line.fields) < 3 or not line.fields[0] or not line.fields[2]:
            raise SetupError(ERROR_INVALID_DATA, f"{where}: AddService needs a name and a service section")
        name, section = line.fields[0], self.section(line.fields[2])
        key = f"{SERVICES_KEY}\\{name}"
        where = f"{self.inf.name} [{section.name}]"
        binary = section.get("ServiceBinary")
        if not binary:
            raise SetupError(ERROR_INVALID_DATA, f"{where}: ServiceBinary is missing")
        registry = tuple(self._add_reg(reg_line, reg_section, key) for reg_section in section.fields("AddReg")
                         for reg_line in self._entries(reg_section))
        return AddService(
            name=name,
            display_name=section.get("DisplayName") or name,
            service_type=_number(section.get("ServiceType", "0x10"), where),
            start_type=_number(section.get("StartType", "3"), where),
            error_control=_number(section.get("ErrorControl", "1"), where),
            image_path=self.dirids.resolve(binary, where),
            dependencies=tuple(section.fields("Dependencies")),
            registry=registry)

    def _add_reg(self, line: InfLine, section_name: str, hkr: str | None) -> SetRegistry:
        where = f"{self.inf.name} [{section_name}] line {line.number}"
        key = self._key(line, hkr, where)
        fields = line.fields
        flags = _number(fields[3], where) if len(fields) > 3 and fields[3] else 0
        name = fields[2] if len(fields) > 2 else ""
        if flags & FLG_ADDREG_KEYONLY:
            return SetRegistry(key, None)
        kind = _REG_TYPES.get(flags & _TYPE_BITS)
        if kind is None:
            raise SetupError(ERROR_INVALID_DATA, f"{where}: registry flags {fields[3]} name no value type")
        values = [self.dirids.resolve(f, where) for f in fields[4:]]
        if kind in (RegType.REG_SZ, RegType.REG_EXPAND_SZ):
            data: object = values[0] if values else ""
        elif kind is RegType.REG_MULTI_SZ:
            data = values
        elif kind is RegType.REG_DWORD:
            data = _number(values[0], where) if values else 0
        else:
            try:
                data = bytes(int(v, 16) for v in values)
            except ValueError as error:
                raise SetupError(ERROR_INVALID_DATA, f"{where}: binary data must be hex bytes") from error
        return SetRegistry(key, name, kind, data, bool(flags & FLG_ADDREG_NOCLOBBER),
                           bool(flags & FLG_ADDREG_DELVAL))

    def _key(self, line: InfLine, hkr: str | None, where: str) -> str:
        if len(line.fields) < 2:
            raise SetupError(ERROR_INVALID_DATA, f"{where}: a registry line needs a root and a subkey")
        root, subkey = line.fields[0].casefold(), self.dirids.resolve(line.fields[1], where).strip("\\")
        if root == "hkr":
            if hkr is None:
                raise SetupError(ERROR_INVALID_DATA, f"{where}: HKR has no meaning here")
            base = hkr
        elif root in _ROOTS:
            base = _ROOTS[root]
        else:
            raise SetupError(ERROR_INVALID_DATA, f"{where}: unknown registry root {line.fields[0]!r}")
        return f"{base}\\{subkey}" if subkey else base

    # -- uninstall --------------------------------------------------------------------------------------------
    def uninstall(self, subcomponent: str) -> list[Operation]:
        name = self.section(subcomponent).get("Uninstall")
        if not name:
            return []
        section = self.section(name)
        operations: list[Operation] = []
        services = self.inf.section(f"{name}.Services")
        for line in services.lines if services else ():
            if (line.key or "").casefold() == "delservice" and line.value:
                operations.append(DeleteService(line.value))
        for files in section.fields("DelFiles"):
            base = self.destination(files)
            operations += [DeleteFile(f"{base}\\{line.value}") for line in self._entries(files)]
        for registry in section.fields("DelReg"):
            for line in self._entries(registry):
                where = f"{self.inf.name} [{registry}] line {line.number}"
                value = line.fields[2] if len(line.fields) > 2 else None
                operations.append(DeleteRegistry(self._key(line, None, where), value))
        for folders in section.fields("DelDirs"):
            base = self.destination(folders)
            operations += [RemoveTree(f"{base}\\{line.value}") for line in self._entries(folders)]
        return operations

    # -- what is installed ------------------------------------------------------------------------------------
    def files_installed(self, subcomponent: str) -> list[str]:
        return [op.destination for op in self.install(subcomponent) if isinstance(op, CopyFile)]


def _line(section: InfSection, key: str) -> InfLine | None:
    return next((line for line in section.lines if (line.key or "").casefold() == key.casefold()), None)


def _number(text: str | None, where: str) -> int:
    try:
        return int(str(text).strip(), 0)
    except ValueError as error:
        raise SetupError(ERROR_INVALID_DATA, f"{where}: {text!r} is not a number") from error
