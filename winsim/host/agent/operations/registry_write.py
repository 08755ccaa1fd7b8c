"""registry.write: set or delete one registry value; a value already as asked is not written again."""

from __future__ import annotations

import re

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import failure, invalid_argument
from winsim.host.agent.operations.registry import split_key_path, value_entry
from winsim.host.errors import Win32Error
from winsim.host.registry import RegType, split_path

_TYPES = ("REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ", "REG_DWORD", "REG_QWORD", "REG_BINARY")
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})*")
_LIMITS = {"REG_DWORD": 4294967295, "REG_QWORD": 9223372036854775807}


def _data(kind: str, value: object) -> object:
    """The value as the registry stores it, or invalid_argument when it does not fit the type."""
    if kind not in _TYPES:
        raise invalid_argument("argument 'type' must be REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, REG_DWORD, REG_QWORD "
                               "or REG_BINARY")
    if kind in ("REG_SZ", "REG_EXPAND_SZ") and isinstance(value, str):
        return value
    if kind == "REG_MULTI_SZ" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    if kind in _LIMITS and isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _LIMITS[kind]:
        return value
    if kind == "REG_BINARY" and isinstance(value, str):
        if not _HEX.fullmatch(value):
            raise invalid_argument("a REG_BINARY value must be hex digits, two per byte")
        return bytes.fromhex(value)
    raise invalid_argument(f"argument 'value' does not fit type {kind}")


def registry_write(ctx: AgentContext, args: Arguments) -> dict:
    # Checked in the PowerShell agent's order: type and value only for `present`, the key path last.
    path = args.get("path", "string", required=True)
    name = args.get("name", "string", required=True)
    state = args.get("state", "string", default="present")
    create_key = args.get("create_key", "bool", default=True)
    if state not in ("present", "absent"):
        raise invalid_argument("argument 'state' must be present or absent")
    kind, data = None, None
    if state == "present":
        kind = args.get("type", "string", required=True)
        value = args.get("value", "any", required=True)
        data = _data(kind, value)
    hive, names = split_key_path(path)
    registry = ctx.host.registry
    key = registry.open_key(hive, names)
    stored = next((v for v in key.values if v.name.casefold() == name.casefold()), None) if key else None
    previous = value_entry(stored, ctx.env) if stored is not None else None
    result = {"path": path, "name": name, "changed": False, "previous": previous}
    key_path = "\\".join([*split_path(hive), *names])
    if state == "absent":
        if stored is not None:
            registry.delete_value(key_path, name)
            result["changed"] = True
        return result
    if key is None and not create_key:
        raise failure("not_found", 2, f"registry key '{path}' does not exist")
    if stored is not None and str(stored.type) == kind and stored.data == data:
        return result
    try:
        registry.set_value(key_path, name, RegType(kind), data, create_key=create_key)
    except Win32Error as error:
        raise invalid_argument(str(error)) from error
    result["changed"] = True
    return result
