"""registry.read: a key's values (typed as .NET reports them) and, when asked, its subkey names."""

from __future__ import annotations

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import invalid_argument
from winsim.host.environment import expand
from winsim.host.registry import RegType, RegValue

HIVES = ("HKLM", "HKEY_LOCAL_MACHINE", "HKCU", "HKEY_CURRENT_USER", "HKU", "HKEY_USERS", "HKCR",
         "HKEY_CLASSES_ROOT", "HKCC", "HKEY_CURRENT_CONFIG")


def split_key_path(path: str) -> tuple[str, list[str]]:
    """(hive, key names) of `HIVE\\sub\\key`: `/` belongs to names; a hive alone is refused."""
    hive, separator, rest = path.partition("\\")
    names = [name for name in rest.split("\\") if name]
    if not separator or not hive or not names:
        raise invalid_argument("registry path must name a key below a hive, e.g. HKLM\\SOFTWARE")
    if hive.upper() not in HIVES:
        raise invalid_argument(f"unknown registry hive '{hive}'")
    return hive, names


def value_entry(value: RegValue, env) -> dict:
    data = value.data
    if value.type is RegType.REG_SZ:
        return {"type": "REG_SZ", "value": data}
    if value.type is RegType.REG_EXPAND_SZ:
        return {"type": "REG_EXPAND_SZ", "value": data, "expanded": expand(str(data), env)}
    if value.type is RegType.REG_MULTI_SZ:
        return {"type": "REG_MULTI_SZ", "value": list(data)}
    if value.type in (RegType.REG_DWORD, RegType.REG_QWORD):
        return {"type": str(value.type), "value": data}
    if value.type is RegType.REG_BINARY:
        return {"type": "REG_BINARY", "value": bytes(data).hex()}
    return {"type": "REG_UNKNOWN", "value": bytes(data).hex() if isinstance(data, bytes) else str(data)}


def registry_read(ctx: AgentContext, args: Arguments) -> dict:
    path = args.get("path", "string", required=True)
    names = args.get("values", "string[]")
    with_subkeys = args.get("subkeys", "bool", default=False)
    hive, key_names = split_key_path(path)
    key = ctx.host.registry.open_key(hive, key_names)
    if key is None:
        return {"path": path, "exists": False}
    by_name = {value.name.casefold(): value for value in key.values}
    if names is None:
        values = {value.name: value_entry(value, ctx.env) for value in key.values}
    else:
        values = {name: value_entry(by_name[name.casefold()], ctx.env) if name.casefold() in by_name else None
                  for name in names}
    result = {"path": path, "exists": True, "values": values}
    if with_subkeys:
        result["subkeys"] = sorted(key.subkeys, key=str.upper)  # the registry keeps subkeys sorted
    return result
