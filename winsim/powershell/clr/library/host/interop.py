"""Building and reading the base class library's objects (DateTime, exceptions, Encoding...) from the host types.

The host types reach the base class library only through the registry's .NET surface (public constructors,
properties and methods as .NET 2.0 declares them), never through its Python internals: the two halves of the
library are written separately and meet where .NET's own types meet.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.clr.typesystem import REGISTRY, ClrType, Overload, type_of

TICKS_PER_SECOND = 10_000_000
EPOCH_TICKS = 621355968000000000            # DateTime(1970, 1, 1).Ticks
FILETIME_EPOCH_TICKS = 504911232000000000   # DateTime(1601, 1, 1).Ticks: FromFileTimeUtc(0)


def _locking(impl, rt_index: int):
    @functools.wraps(impl)
    def run(*args):
        host = getattr(args[rt_index], "host", None) if len(args) > rt_index else None
        if host is None:
            return impl(*args)
        with host.lock:
            return impl(*args)
    return run


def lock_members(declared: ClrType, waits: frozenset[str] = frozenset()) -> None:
    """Run every member of a host-backed type under its host's lock (an RLock WinRM commands and detached
    programs share), except the members that wait (`waits`, lower-case names): they take the lock for each
    look and never sleep holding it."""
    for name, overloads in declared.methods.items():
        if name not in waits:
            declared.methods[name] = [dataclasses.replace(o, impl=_locking(o.impl, 0 if o.static else 1))
                                      for o in overloads]
    declared.constructors[:] = [dataclasses.replace(o, impl=_locking(o.impl, 0)) for o in declared.constructors]
    for name, prop in declared.properties.items():
        if name in waits:
            continue
        index = 0 if prop.static else 1
        if prop.getter is not None:
            prop.getter = _locking(prop.getter, index)
        if prop.setter is not None:
            prop.setter = _locking(prop.setter, index)


def clr4(rt) -> bool:
    """Whether the process runs on CLR 4 (Windows PowerShell 3.0 and later) rather than CLR 2 (.NET 2.0-3.5)."""
    return str(getattr(rt, "clr_version", "2")).startswith("4")


def clr(full_name: str) -> ClrType:
    found = REGISTRY.get(full_name)
    if found is None:
        raise RuntimeError(f"the class library does not declare {full_name}")
    return found


def _fits(value: Any, type_name: str) -> bool:
    """Whether an argument can be passed as-is to a parameter of this .NET type (no conversions here)."""
    if value is None:
        declared = REGISTRY.get(type_name)
        return declared is None or not declared.value_type
    if type_name == "System.Object":
        return True
    if isinstance(value, EnumValue):
        return value.type_name.lower() == type_name.lower()
    simple = {"System.String": str, "System.Boolean": bool}
    if type_name in simple:
        return isinstance(value, simple[type_name]) and not isinstance(value, values.Char)
    if type_name == "System.Int32":
        return type(value) is int and values.INT32_MIN <= value <= values.INT32_MAX
    if type_name == "System.Int64":
        return type(value) in (int, values.Int64)
    if type_name in values.INTEGER_TYPES:
        return isinstance(value, values.INTEGER_TYPES[type_name])
    if type_name == "System.Byte[]":
        return isinstance(value, values.ByteArray)
    if type_name.endswith("[]"):
        return isinstance(value, values.ClrArray) and type_name[:-2] in ("System.Object", value.element_type)
    actual = type_of(value)
    expected = REGISTRY.get(type_name)
    return actual is not None and expected is not None and actual.is_assignable_to(expected)


def _pick(overloads: list[Overload], args: tuple, what: str) -> Overload:
    for overload in overloads:
        if len(overload.params) == len(args) and all(_fits(a, p.type) for a, p in zip(args, overload.params,
                                                                                    strict=True)):
            return overload
    raise RuntimeError(f"the class library has no {what} taking {[values.clr_type_name(a) for a in args]}")


def construct(rt, full_name: str, *args: Any) -> Any:
    """`new T(args)` through the constructor T declares for these argument types."""
    return _pick(clr(full_name).constructors, args, f"constructor of {full_name}").impl(rt, *args)


def call(rt, target: Any, name: str, *args: Any) -> Any:
    """An instance method of `target`, as .NET declares it."""
    declared = type_of(target)
    if declared is None:
        raise RuntimeError(f"{target!r} is not a .NET object")
    return _pick(declared.find_methods(name, static=False), args, f"{declared.full_name}.{name}").impl(
        target, rt, *args)


def call_static(rt, full_name: str, name: str, *args: Any) -> Any:
    return _pick(clr(full_name).find_methods(name, static=True), args, f"{full_name}::{name}").impl(rt, *args)


def get(rt, target: Any, name: str) -> Any:
    declared = type_of(target)
    prop = declared.find_property(name, static=False) if declared else None
    if prop is None or prop.getter is None:
        raise RuntimeError(f"{declared.full_name if declared else target!r} has no property {name}")
    return prop.getter(target, rt)


def get_static(rt, full_name: str, name: str) -> Any:
    prop = clr(full_name).find_property(name, static=True)
    if prop is None or prop.getter is None:
        raise RuntimeError(f"{full_name} has no static property {name}")
    return prop.getter(rt)


def exception(rt, full_name: str, *args: Any, hresult: int | None = None) -> ClrException:
    """A new .NET exception object (to raise); `hresult` overrides the type's own HResult."""
    error = construct(rt, full_name, *args)
    if hresult is not None:
        error.hresult = hresult
    return error


def enum(type_name: str, value: int) -> EnumValue:
    return EnumValue(type_name, int(value))


# -- time: the host keeps POSIX seconds; .NET keeps ticks ------------------------------------------------------
def utc_datetime(rt, seconds: float) -> Any:
    """A DateTime of kind Utc for a host timestamp (POSIX seconds)."""
    ticks = EPOCH_TICKS + round(seconds * TICKS_PER_SECOND)
    return construct(rt, "System.DateTime", values.Int64(ticks), enum("System.DateTimeKind", 1))


def filetime_zero(rt) -> Any:
    """DateTime.FromFileTimeUtc(0): what .NET reports as the time of a file that does not exist."""
    return construct(rt, "System.DateTime", values.Int64(FILETIME_EPOCH_TICKS), enum("System.DateTimeKind", 1))


def local_datetime(rt, seconds: float) -> Any:
    return call(rt, utc_datetime(rt, seconds), "ToLocalTime")


def posix_seconds(rt, moment: Any) -> float:
    """A DateTime as host time. Local and Unspecified times are converted as ToUniversalTime does."""
    if int(get(rt, moment, "Kind")) != 1:
        moment = call(rt, moment, "ToUniversalTime")
    return (int(get(rt, moment, "Ticks")) - EPOCH_TICKS) / TICKS_PER_SECOND


def timespan_seconds(rt, span: Any) -> float:
    return int(get(rt, span, "Ticks")) / TICKS_PER_SECOND


# -- text ---------------------------------------------------------------------------------------------------------
def encoding(rt, name: str) -> Any:
    """A static Encoding property: "UTF8", "ASCII", "Unicode", "Default"..."""
    return get_static(rt, "System.Text.Encoding", name)


def encode(rt, coding: Any, text: str) -> bytes:
    return bytes(call(rt, coding, "GetBytes", text))


def preamble(rt, coding: Any) -> bytes:
    return bytes(call(rt, coding, "GetPreamble"))


def decode(rt, coding: Any, data: bytes) -> str:
    return call(rt, coding, "GetString", values.ByteArray(data))
