"""Environment variables as Windows builds them from the registry, and %VAR% expansion.

A process's environment: SystemRoot (from `Windows NT\\CurrentVersion`), SystemDrive, COMPUTERNAME (the active
computer name), the system variables of `Session Manager\\Environment` (where NT keeps windir, Path, ComSpec,
PROCESSOR_ARCHITECTURE...), then the user's: USERNAME, USERDOMAIN, USERPROFILE, HOMEDRIVE, HOMEPATH and the
values of `HKU\\.DEFAULT\\Environment`. A 32-bit process on 64-bit Windows (WOW64) sees PROCESSOR_ARCHITECTURE
x86 and the native value in PROCESSOR_ARCHITEW6432.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from winsim.host.registry import Registry, RegType

CURRENT_VERSION = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
PROFILE_LIST = CURRENT_VERSION + r"\ProfileList"
SESSION_ENVIRONMENT = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
COMPUTER_NAME = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName"
ACTIVE_COMPUTER_NAME = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName"
USER_ENVIRONMENT = r"HKEY_USERS\.DEFAULT\Environment"

_VARIABLE = re.compile(r"%([^%\r\n]+)%")


class EnvironmentBlock(Mapping[str, str]):
    """Variables by case-insensitive name; keeps the spelling each was set with."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in (items or {}).items():
            self[name] = value

    def __getitem__(self, name: str) -> str:
        return self._items[name.casefold()][1]

    def __setitem__(self, name: str, value: str) -> None:
        existing = self._items.get(name.casefold())
        self._items[name.casefold()] = (existing[0] if existing else name, value)

    def __delitem__(self, name: str) -> None:
        del self._items[name.casefold()]

    def __iter__(self) -> Iterator[str]:
        return (spelt for spelt, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.casefold() in self._items


def expand(text: str, variables: Mapping[str, str]) -> str:
    """ExpandEnvironmentStrings: %NAME% replaced case-insensitively; unknown names stay as written."""
    lookup = variables if isinstance(variables, EnvironmentBlock) else EnvironmentBlock(variables)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return lookup[name] if name in lookup else match.group(0)

    return _VARIABLE.sub(replace, text)


def computer_name(registry: Registry) -> str:
    name = registry.read(ACTIVE_COMPUTER_NAME, "ComputerName") or registry.read(COMPUTER_NAME, "ComputerName")
    return str(name or "")


def system_root(registry: Registry) -> str:
    return str(registry.read(CURRENT_VERSION, "SystemRoot", "C:\\WINNT"))


def profiles_directory(registry: Registry, variables: Mapping[str, str]) -> str:
    configured = registry.read(PROFILE_LIST, "ProfilesDirectory", "%SystemRoot%\\Profiles")
    return expand(str(configured), variables)


def _add_registry_variables(block: EnvironmentBlock, registry: Registry, key: str) -> None:
    """Plain values first, then REG_EXPAND_SZ ones expanded against what is known by then (as Windows does)."""
    if not registry.key_exists(key):
        return
    values = registry.values(key)
    for value in values:
        if value.type is RegType.REG_SZ:
            block[value.name] = str(value.data)
    for value in values:
        if value.type is RegType.REG_EXPAND_SZ:
            block[value.name] = expand(str(value.data), block)


def build_environment(registry: Registry, *, user: str | None = None, wow64: bool = False) -> EnvironmentBlock:
    block = EnvironmentBlock()
    root = system_root(registry)
    block["SystemRoot"] = root
    block["SystemDrive"] = root[:2]
    block["COMPUTERNAME"] = computer_name(registry)
    _add_registry_variables(block, registry, SESSION_ENVIRONMENT)
    if user:
        profile = f"{profiles_directory(registry, block)}\\{user}"
        block["USERNAME"] = user
        block["USERDOMAIN"] = block["COMPUTERNAME"]
        block["USERPROFILE"] = profile
        block["HOMEDRIVE"] = profile[:2]
        block["HOMEPATH"] = profile[2:]
    _add_registry_variables(block, registry, USER_ENVIRONMENT)
    if wow64 and "PROCESSOR_ARCHITECTURE" in block and block["PROCESSOR_ARCHITECTURE"].casefold() != "x86":
        block["PROCESSOR_ARCHITEW6432"] = block["PROCESSOR_ARCHITECTURE"]
        block["PROCESSOR_ARCHITECTURE"] = "x86"
    return block
