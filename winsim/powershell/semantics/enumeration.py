"""Which values PowerShell enumerates (pipelines, output, foreach, -eq filtering) and how.

IEnumerable values enumerate except strings and IDictionary (ABOUT Pipelines; SPEC ch10 §10.6)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from winsim.powershell.clr import values
from winsim.powershell.clr.typesystem import REGISTRY

_NEVER = (str, bool, int, float, type(None))
_decided: dict[type, bool] = {values.ClrArray: True, values.ByteArray: True, list: True, tuple: True}
ENUMERABLE_BY_TYPE = _decided  # read-only for callers on hot paths: the answer per Python type once known


def is_enumerable(value: object) -> bool:
    kind = type(value)
    known = _decided.get(kind)
    if known is not None:
        return known
    if isinstance(value, _NEVER):
        _decided[kind] = False
        return False
    clr = REGISTRY.for_python_type(kind)
    if clr is None:
        result = False
    else:
        interfaces = clr.interfaces()
        result = ("System.Collections.IDictionary" not in interfaces
                  and ("System.Collections.IEnumerable" in interfaces
                       or "System.Collections.IEnumerator" in interfaces))
    _decided[kind] = result
    return result


def iterate(value: object) -> Iterator:
    """The items of an enumerable value (byte arrays give Byte values)."""
    if isinstance(value, values.ByteArray):
        return map(values.Byte, value)
    return iter(value)


def items_of(value: object) -> Iterable:
    """What a pipeline or foreach sees: the items of an enumerable, else the value itself once."""
    if is_enumerable(value):
        return iterate(value)
    return (value,)


_implements: dict[tuple[type, str], bool] = {}


def _implements_interface(kind: type, interface: str) -> bool:
    key = (kind, interface)
    known = _implements.get(key)
    if known is None:
        clr = REGISTRY.for_python_type(kind)
        known = _implements[key] = clr is not None and interface in clr.interfaces()
    return known


def is_dictionary(value: object) -> bool:
    if isinstance(value, _NEVER):
        return False
    return _implements_interface(type(value), "System.Collections.IDictionary")


def is_list(value: object) -> bool:
    if isinstance(value, (values.ClrArray, values.ByteArray, list)):
        return True
    if isinstance(value, _NEVER):
        return False
    return _implements_interface(type(value), "System.Collections.IList")


def new_array(items: Iterable = ()) -> values.ClrArray:
    """An object[]: what @(), `,x`, array literals and captured output make."""
    return values.ClrArray(items, "System.Object")
