"""Microsoft.Win32.Registry and RegistryKey (.NET 2.0 surface) over the host's registry.

A key keeps the name the caller spelt (RegistryKey.Name joins the parent's name and the subkey string as given)
and whether it was opened writable. Values come back as .NET returns them: REG_SZ String, REG_EXPAND_SZ String
(expanded against the process environment unless DoNotExpandEnvironmentNames), REG_DWORD Int32 (0xFFFFFFFF is
-1), REG_QWORD Int64, REG_MULTI_SZ String[], REG_BINARY and REG_NONE Byte[]. Errors follow RegistryKey.Win32Error:
ERROR_FILE_NOT_FOUND is an IOException "The specified registry key does not exist." whose HResult is the bare
Win32 code (2), as mscorlib passes it.
"""

from __future__ import annotations

import decimal
from typing import Any

from winsim.host.environment import expand
from winsim.host.errors import ERROR_FILE_NOT_FOUND, Win32Error, win32_message
from winsim.host.registry import RegType
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue, clr_enum
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import clr_type, getter, method

RegistryValueKind = clr_enum("Microsoft.Win32.RegistryValueKind", {
    "Unknown": 0, "String": 1, "ExpandString": 2, "Binary": 3, "DWord": 4, "MultiString": 7, "QWord": 11})
RegistryValueOptions = clr_enum("Microsoft.Win32.RegistryValueOptions", {
    "None": 0, "DoNotExpandEnvironmentNames": 1}, flags=True)
RegistryHive = clr_enum("Microsoft.Win32.RegistryHive", {
    "ClassesRoot": -2147483648, "CurrentUser": -2147483647, "LocalMachine": -2147483646, "Users": -2147483645,
    "PerformanceData": -2147483644, "CurrentConfig": -2147483643, "DynData": -2147483642})

_KINDS = {RegType.REG_SZ: 1, RegType.REG_EXPAND_SZ: 2, RegType.REG_BINARY: 3, RegType.REG_DWORD: 4,
          RegType.REG_MULTI_SZ: 7, RegType.REG_QWORD: 11, RegType.REG_NONE: 0}
_TYPES = {kind: reg for reg, kind in _KINDS.items()}
ERROR_KEY_DELETED = 1018
KEY_NOT_FOUND = "The specified registry key does not exist."
MISMATCH = ("The type of the value object did not match the specified RegistryValueKind or the object could not be "
            "properly converted.")
NO_SUBKEY = "Cannot delete a subkey tree because the subkey does not exist."


def _fixup(name: str) -> str:
    """RegistryKey.FixupName: runs of backslashes folded, a trailing one dropped."""
    parts = [p for p in name.split("\\") if p]
    return "\\".join(parts)


def _registry_error(rt, code: int):
    if code == ERROR_FILE_NOT_FOUND:
        return interop.exception(rt, "System.IO.IOException", KEY_NOT_FOUND, hresult=code)
    text = ("Illegal operation attempted on a registry key that has been marked for deletion."
            if code == ERROR_KEY_DELETED else win32_message(code))
    return interop.exception(rt, "System.IO.IOException", text + "\r\n", hresult=code)


@clr_type("Microsoft.Win32.RegistryKey", base="System.MarshalByRefObject", interfaces=("System.IDisposable",))
class RegistryKey:
    def __init__(self, name: str, writable: bool, hive: bool = False) -> None:
        self.name = name
        self.writable = writable
        self.hive = hive
        self.closed = False

    # -- state -------------------------------------------------------------------------------------------------
    def _live(self, rt) -> str:
        if self.closed:
            raise interop.exception(rt, "System.ObjectDisposedException", self.name,
                                    "Cannot access a closed registry key.")
        if not self.hive and not rt.host.registry.key_exists(self.name):
            raise _registry_error(rt, ERROR_KEY_DELETED)
        return self.name

    def _subkeys(self, rt) -> list[str]:
        path = self._live(rt)
        # a base key the model has no key for (HKEY_CURRENT_CONFIG's profile) is an empty key
        return rt.host.registry.subkeys(path) if rt.host.registry.key_exists(path) else []

    def _values(self, rt) -> list:
        path = self._live(rt)
        return rt.host.registry.values(path) if rt.host.registry.key_exists(path) else []

    def _writable(self, rt) -> str:
        path = self._live(rt)
        if not self.writable:
            raise interop.exception(rt, "System.UnauthorizedAccessException", "Cannot write to the registry key.")
        return path

    def _subkey_name(self, rt, name: str | None, param: str = "name") -> str:
        if name is None:
            raise interop.exception(rt, "System.ArgumentNullException", param)
        fixed = _fixup(name)
        if any(len(part) > 255 for part in fixed.split("\\")):
            raise interop.exception(rt, "System.ArgumentException",
                                    "Registry key names should not be greater than 255 characters.", param)
        return fixed

    def _child(self, name: str) -> str:
        return f"{self.name}\\{name}" if name else self.name

    # -- keys ----------------------------------------------------------------------------------------------------
    @getter("Name", "string")
    def p_name(self, rt):
        if self.closed:
            raise interop.exception(rt, "System.ObjectDisposedException", self.name,
                                    "Cannot access a closed registry key.")
        return self.name

    @method("OpenSubKey", "string", returns="Microsoft.Win32.RegistryKey")
    @method("OpenSubKey", "string", "bool", returns="Microsoft.Win32.RegistryKey")
    def open_sub_key(self, rt, name, writable=False):
        name = self._subkey_name(rt, name)
        self._live(rt)
        path = self._child(name)
        return RegistryKey(path, bool(writable)) if rt.host.registry.key_exists(path) else None

    @method("CreateSubKey", "string", returns="Microsoft.Win32.RegistryKey")
    def create_sub_key(self, rt, name):
        name = self._subkey_name(rt, name, "subkey")
        self._writable(rt)
        path = self._child(name)
        with rt.host.lock:
            rt.host.registry.create_key(path)
        return RegistryKey(path, True)

    @method("DeleteSubKey", "string")
    @method("DeleteSubKey", "string", "bool")
    def delete_sub_key(self, rt, name, throw_on_missing=True):
        name = self._subkey_name(rt, name, "subkey")
        self._writable(rt)
        path = self._child(name)
        registry = rt.host.registry
        with rt.host.lock:
            if not registry.key_exists(path):
                if throw_on_missing:
                    raise interop.exception(rt, "System.ArgumentException", NO_SUBKEY)
                return
            if registry.subkeys(path):
                raise interop.exception(rt, "System.InvalidOperationException",
                                        "Registry key has subkeys and recursive removes are not supported by this "
                                        "method.")
            registry.delete_key(path)

    @method("DeleteSubKeyTree", "string")
    def delete_sub_key_tree(self, rt, name):
        name = self._subkey_name(rt, name, "subkey")
        if not name and self.hive:
            raise interop.exception(rt, "System.ArgumentException", "Cannot delete a registry hive's subtree.")
        self._writable(rt)
        path = self._child(name)
        with rt.host.lock:
            if not rt.host.registry.key_exists(path):
                raise interop.exception(rt, "System.ArgumentException", NO_SUBKEY)
            rt.host.registry.delete_key(path, recursive=True)

    @method("GetSubKeyNames", returns="string[]")
    def get_sub_key_names(self, rt):
        # RegEnumKeyEx lists subkeys sorted: the registry keeps them in (upper-case) name order
        names = sorted(self._subkeys(rt), key=str.upper)
        return values.ClrArray(names, "System.String")

    @getter("SubKeyCount", "int")
    def p_sub_key_count(self, rt):
        return len(self._subkeys(rt))

    # -- values --------------------------------------------------------------------------------------------------
    @method("GetValueNames", returns="string[]")
    def get_value_names(self, rt):
        return values.ClrArray([v.name for v in self._values(rt)], "System.String")

    @getter("ValueCount", "int")
    def p_value_count(self, rt):
        return len(self._values(rt))

    @method("GetValue", "string", returns="object")
    @method("GetValue", "string", "object", returns="object")
    @method("GetValue", "string", "object", "Microsoft.Win32.RegistryValueOptions", returns="object")
    def get_value(self, rt, name, default=None, options=None):
        path = self._live(rt)
        try:
            stored = rt.host.registry.get_value(path, name or "")
        except Win32Error:
            return default
        return self._as_object(rt, stored.type, stored.data, expand_names=not (options and int(options) & 1))

    def _as_object(self, rt, kind: RegType, data: Any, *, expand_names: bool) -> Any:
        if kind is RegType.REG_SZ:
            return str(data)
        if kind is RegType.REG_EXPAND_SZ:
            return expand(str(data), rt.process.env) if expand_names else str(data)
        if kind is RegType.REG_DWORD:
            number = int(data) & 0xFFFFFFFF
            return number - (1 << 32) if number >= 1 << 31 else number
        if kind is RegType.REG_QWORD:
            number = int(data) & 0xFFFFFFFFFFFFFFFF
            return values.Int64(number - (1 << 64) if number >= 1 << 63 else number)
        if kind is RegType.REG_MULTI_SZ:
            return values.ClrArray([str(s) for s in data], "System.String")
        return values.ByteArray(bytes(data))

    @method("GetValueKind", "string", returns="Microsoft.Win32.RegistryValueKind")
    def get_value_kind(self, rt, name):
        path = self._live(rt)
        try:
            stored = rt.host.registry.get_value(path, name or "")
        except Win32Error as error:
            raise _registry_error(rt, error.code) from None
        return RegistryValueKind.value(_KINDS.get(stored.type, 0))

    @method("SetValue", "string", "object")
    @method("SetValue", "string", "object", "Microsoft.Win32.RegistryValueKind")
    def set_value(self, rt, name, value, kind=None):
        if value is None:
            raise interop.exception(rt, "System.ArgumentNullException", "value")
        name = name or ""
        if len(name) > 16383:
            raise interop.exception(rt, "System.ArgumentException",
                                    "Registry value names should not be greater than 16,383 characters.", "name")
        number = _infer_kind(value) if kind is None else int(kind)
        if number not in _TYPES or number == 0:
            raise interop.exception(rt, "System.ArgumentException",
                                    "The specified RegistryValueKind is an invalid value.", "valueKind")
        path = self._writable(rt)
        data = _convert(rt, value, number)
        with rt.host.lock:
            try:
                rt.host.registry.set_value(path, name, _TYPES[number], data, create_key=False)
            except Win32Error as error:
                raise _registry_error(rt, error.code) from None

    @method("DeleteValue", "string")
    @method("DeleteValue", "string", "bool")
    def delete_value(self, rt, name, throw_on_missing=True):
        path = self._writable(rt)
        with rt.host.lock:
            try:
                rt.host.registry.delete_value(path, name or "")
            except Win32Error:
                if throw_on_missing:
                    raise interop.exception(rt, "System.ArgumentException",
                                            "No value exists with that name.") from None

    # -- lifetime ------------------------------------------------------------------------------------------------
    @method("Close")
    def close(self, rt):
        self.closed = not self.hive  # the base keys (Registry.LocalMachine...) are never closed

    @method("Dispose")
    @since(4)
    def dispose(self, rt):
        self.close(rt)  # public from .NET 4.0 on (2.0 has only the explicit IDisposable.Dispose)

    @method("Flush")
    def flush(self, rt):
        self._live(rt)

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.p_name(rt)


def _infer_kind(value: Any) -> int:
    """SetValue(name, value) picks the kind from the value's type; anything else is stored as its string."""
    if type(value) is int:  # Int32 only: an Int64 is stored as its string, as SetValue(name, object) does
        return 4
    if isinstance(value, values.ByteArray):
        return 3
    if isinstance(value, values.ClrArray) and value.element_type == "System.String":
        return 7
    return 1


def _to_integer(value: Any, bits: int) -> int:
    """Convert.ToInt32 / ToInt64(value, InvariantCulture): numbers (floating ones rounded to even), booleans,
    enums and integer strings; ValueError (OverflowException, FormatException) otherwise."""
    if isinstance(value, EnumValue):
        value = value.value
    if isinstance(value, bool):
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float | decimal.Decimal):
        number = round(value)  # Python rounds half to even, as Convert does
    elif isinstance(value, str) and not isinstance(value, values.Char):
        text = value.strip()
        if not text.lstrip("+-").isdigit() or text.count("+") + text.count("-") > 1:
            raise ValueError(value)
        number = int(text)
    else:
        raise ValueError(value)
    if not -(1 << (bits - 1)) <= number < (1 << (bits - 1)):
        raise ValueError(value)
    return number & ((1 << bits) - 1)


def _convert(rt, value: Any, kind: int) -> Any:
    """The data SetValue stores for the kind: ToString() for strings, a cast to String[] or Byte[], Convert.ToInt32
    or ToInt64 for numbers; anything else is the mismatch ArgumentException."""
    try:
        if kind in (1, 2):
            return value if isinstance(value, str) else str(interop.call(rt, value, "ToString"))
        if kind == 4:
            return _to_integer(value, 32)
        if kind == 11:
            return _to_integer(value, 64)
        if kind == 7 and isinstance(value, values.ClrArray) and value.element_type == "System.String":
            if any(item is None for item in value):
                raise interop.exception(rt, "System.ArgumentException", "RegistryKey.SetValue does not allow a "
                                        "String[] that contains a null String reference.")
            return [str(item) for item in value]
        if kind == 3 and isinstance(value, values.ByteArray):
            return bytes(value)
    except (TypeError, ValueError):
        pass
    raise interop.exception(rt, "System.ArgumentException", MISMATCH)


_HIVES = {"LocalMachine": "HKEY_LOCAL_MACHINE", "CurrentUser": "HKEY_CURRENT_USER", "Users": "HKEY_USERS",
          "ClassesRoot": "HKEY_CLASSES_ROOT", "CurrentConfig": "HKEY_CURRENT_CONFIG"}


def _hive_getter(name: str):
    return getter(name, "Microsoft.Win32.RegistryKey", static=True)(
        staticmethod(lambda rt: RegistryKey(_HIVES[name], True, hive=True)))


@clr_type("Microsoft.Win32.Registry")
class Registry:
    """The base keys are fields in .NET; PowerShell reads them the same way as static properties."""
    local_machine = _hive_getter("LocalMachine")
    current_user = _hive_getter("CurrentUser")
    users = _hive_getter("Users")
    classes_root = _hive_getter("ClassesRoot")
    current_config = _hive_getter("CurrentConfig")

    @method("GetValue", "string", "string", "object", returns="object", static=True)
    @staticmethod
    def get_value(rt, key_name, value_name, default):
        """Registry.GetValue: null when the key is missing, `default` when only the value is."""
        hive_name, _, rest = (key_name or "").partition("\\")
        if hive_name.upper() not in _HIVES.values():
            raise interop.exception(rt, "System.ArgumentException",
                                    "Registry key name must start with a valid base key name.", "keyName")
        key = RegistryKey(hive_name.upper(), False, hive=True).open_sub_key(rt, rest)
        return None if key is None else key.get_value(rt, value_name, default)
