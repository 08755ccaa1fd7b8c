"""The registry: hives of keys holding typed values; key and value names are case-insensitive, case-preserving.

Paths look like Windows writes them: `HKEY_LOCAL_MACHINE\\SOFTWARE\\...`, `HKLM\\SOFTWARE\\...` or PowerShell's
`HKLM:\\SOFTWARE\\...`. HKEY_CLASSES_ROOT is HKLM\\SOFTWARE\\Classes, HKEY_CURRENT_USER is HKU\\.DEFAULT (the
model has one user hive) and HKEY_CURRENT_CONFIG is HKLM\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current.
The value named "" is a key's default value. Only `\\` separates key names: `/` is part of a name (a MIME type's
key such as `text/html` holds one), as the Win32 API takes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from winsim.host.errors import ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER, Win32Error

LOCAL_MACHINE = "HKEY_LOCAL_MACHINE"
USERS = "HKEY_USERS"
_CURRENT_CONFIG = (LOCAL_MACHINE, "SYSTEM", "CurrentControlSet", "Hardware Profiles", "Current")
_HIVE_ALIASES: dict[str, tuple[str, ...]] = {
    "hkey_local_machine": (LOCAL_MACHINE,), "hklm": (LOCAL_MACHINE,),
    "hkey_users": (USERS,), "hku": (USERS,),
    "hkey_classes_root": (LOCAL_MACHINE, "SOFTWARE", "Classes"), "hkcr": (LOCAL_MACHINE, "SOFTWARE", "Classes"),
    "hkey_current_user": (USERS, ".DEFAULT"), "hkcu": (USERS, ".DEFAULT"),
    "hkey_current_config": _CURRENT_CONFIG, "hkcc": _CURRENT_CONFIG,
}


class RegType(StrEnum):
    REG_NONE = "REG_NONE"
    REG_SZ = "REG_SZ"
    REG_EXPAND_SZ = "REG_EXPAND_SZ"
    REG_BINARY = "REG_BINARY"
    REG_DWORD = "REG_DWORD"
    REG_MULTI_SZ = "REG_MULTI_SZ"
    REG_QWORD = "REG_QWORD"


RegData = str | int | list[str] | bytes


@dataclass(frozen=True)
class RegValue:
    name: str
    type: RegType
    data: RegData

    def to_json(self) -> dict:
        data = self.data.hex() if isinstance(self.data, bytes) else self.data
        return {"name": self.name, "type": str(self.type), "data": data}

    @classmethod
    def from_json(cls, item: dict) -> RegValue:
        kind = RegType(item["type"])
        data = bytes.fromhex(item["data"]) if kind in (RegType.REG_BINARY, RegType.REG_NONE) else item["data"]
        return cls(item["name"], kind, data)


def check_data(kind: RegType, data: object) -> RegData:
    """The data as the type stores it, or ERROR_INVALID_PARAMETER: a DWORD is 0..2**32-1, a MULTI_SZ a list..."""
    if kind in (RegType.REG_SZ, RegType.REG_EXPAND_SZ) and isinstance(data, str):
        return data
    bits = {RegType.REG_DWORD: 32, RegType.REG_QWORD: 64}.get(kind)
    if bits and isinstance(data, int) and not isinstance(data, bool) and 0 <= data < 2 ** bits:
        return data
    if kind is RegType.REG_MULTI_SZ and isinstance(data, list | tuple) and all(isinstance(s, str) for s in data):
        return list(data)
    if kind in (RegType.REG_BINARY, RegType.REG_NONE) and isinstance(data, bytes | bytearray):
        return bytes(data)
    raise Win32Error(ERROR_INVALID_PARAMETER, f"{kind} cannot hold {data!r}")


@dataclass(frozen=True)
class KeyView:
    """A key as RegOpenKeyEx + RegEnumValue/RegEnumKeyEx see it: its path as stored, values and subkey names."""
    path: str
    values: list[RegValue]
    subkeys: list[str]


class _Key:
    __slots__ = ("name", "subkeys", "values")

    def __init__(self, name: str) -> None:
        self.name = name
        self.subkeys: dict[str, _Key] = {}
        self.values: dict[str, RegValue] = {}


def split_path(path: str) -> tuple[str, ...]:
    """Hive plus key names, aliases resolved (`HKLM:\\Software` -> (HKEY_LOCAL_MACHINE, Software))."""
    parts = [p for p in path.split("\\") if p]  # "/" is part of a key name, as the Win32 API takes it
    if not parts:
        raise Win32Error(ERROR_FILE_NOT_FOUND, path)
    hive = _HIVE_ALIASES.get(parts[0].rstrip(":").casefold())
    if hive is None:
        raise Win32Error(ERROR_FILE_NOT_FOUND, path)
    return (*hive, *parts[1:])


class Registry:
    def __init__(self, on_change: Callable[[], None] = lambda: None) -> None:
        self._hives = {LOCAL_MACHINE: _Key(LOCAL_MACHINE), USERS: _Key(USERS)}
        self._on_change = on_change

    # -- keys ---------------------------------------------------------------------------------------------
    def _find(self, path: str) -> _Key | None:
        hive, *names = split_path(path)
        key = self._hives[hive]
        for name in names:
            key = key.subkeys.get(name.casefold())
            if key is None:
                return None
        return key

    def _open(self, path: str) -> _Key:
        key = self._find(path)
        if key is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, path)
        return key

    def open_key(self, hive: str, names: list[str] | tuple[str, ...]) -> KeyView | None:
        """The key `names` (taken literally: `/` is part of a name) below `hive` (a hive name or alias), or None."""
        base = "\\".join(split_path(hive))
        key = self._find(base)
        if key is None:
            return None
        spelt = [self.canonical_path(base)]
        for name in names:
            key = key.subkeys.get(name.casefold())
            if key is None:
                return None
            spelt.append(key.name)
        return KeyView("\\".join(spelt), list(key.values.values()), [k.name for k in key.subkeys.values()])

    def key_exists(self, path: str) -> bool:
        return self._find(path) is not None

    def canonical_path(self, path: str) -> str | None:
        """The key's full path spelt as stored (case preserved), or None if it does not exist."""
        hive, *names = split_path(path)
        key, spelt = self._hives[hive], [hive]
        for name in names:
            key = key.subkeys.get(name.casefold())
            if key is None:
                return None
            spelt.append(key.name)
        return "\\".join(spelt)

    def create_key(self, path: str) -> None:
        hive, *names = split_path(path)
        key = self._hives[hive]
        for name in names:
            child = key.subkeys.get(name.casefold())
            if child is None:
                child = key.subkeys[name.casefold()] = _Key(name)
                self._on_change()
            key = child

    def delete_key(self, path: str, *, recursive: bool = False) -> None:
        """RegDeleteKey: a key with subkeys is refused (ERROR_ACCESS_DENIED) unless `recursive` (RegDeleteTree)."""
        hive, *names = split_path(path)
        if not names:
            raise Win32Error(ERROR_ACCESS_DENIED, path)
        parent = self._open("\\".join([hive, *names[:-1]]))
        key = parent.subkeys.get(names[-1].casefold())
        if key is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, path)
        if key.subkeys and not recursive:
            raise Win32Error(ERROR_ACCESS_DENIED, path)
        del parent.subkeys[names[-1].casefold()]
        self._on_change()

    def subkeys(self, path: str) -> list[str]:
        return [k.name for k in self._open(path).subkeys.values()]

    # -- values -------------------------------------------------------------------------------------------
    def values(self, path: str) -> list[RegValue]:
        return list(self._open(path).values.values())

    def get_value(self, path: str, name: str) -> RegValue:
        value = self._open(path).values.get(name.casefold())
        if value is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, f"{path}\\{name}")
        return value

    def read(self, path: str, name: str, default: RegData | None = None) -> RegData | None:
        """The value's data, or `default` when the key or the value is missing."""
        key = self._find(path)
        value = key.values.get(name.casefold()) if key else None
        return default if value is None else value.data

    def set_value(self, path: str, name: str, kind: RegType | str, data: object, *, create_key: bool = True) -> None:
        """RegSetValueEx (after RegCreateKeyEx unless `create_key` is False). Keeps the spelling of an existing name."""
        kind = RegType(kind)
        checked = check_data(kind, data)
        if create_key:
            self.create_key(path)
        key = self._open(path)
        existing = key.values.get(name.casefold())
        value = RegValue(existing.name if existing else name, kind, checked)
        if existing != value:
            key.values[name.casefold()] = value
            self._on_change()

    def delete_value(self, path: str, name: str) -> None:
        key = self._open(path)
        if key.values.pop(name.casefold(), None) is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, f"{path}\\{name}")
        self._on_change()

    # -- whole-registry views -------------------------------------------------------------------------------
    def walk(self) -> Iterator[tuple[str, list[RegValue]]]:
        """Every key (parents first, hives included) with its values."""
        def visit(key: _Key, path: str) -> Iterator[tuple[str, list[RegValue]]]:
            yield path, list(key.values.values())
            for child in key.subkeys.values():
                yield from visit(child, f"{path}\\{child.name}")

        for hive in self._hives.values():
            yield from visit(hive, hive.name)

    def to_json(self) -> list[dict]:
        return [{"path": path, "values": [v.to_json() for v in values]} for path, values in self.walk()]

    @classmethod
    def from_json(cls, keys: list[dict], on_change: Callable[[], None] = lambda: None) -> Registry:
        registry = cls()
        for item in keys:
            registry.create_key(item["path"])
            node = registry._open(item["path"])
            for raw in item["values"]:
                value = RegValue.from_json(raw)
                node.values[value.name.casefold()] = value
        registry._on_change = on_change
        return registry
