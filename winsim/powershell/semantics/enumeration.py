"""Which values PowerShell enumerates (pipelines, output, foreach, -eq filtering) and how.

IEnumerable values enumerate except strings and IDictionary (ABOUT Pipelines; SPEC ch10 §10.6)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from winsim.powershell.clr import values
from winsim.powershell.clr.typesystem import REGISTRY

_NEVER = (str, bool, int, float, type(None))
_decided: dict[type, bool] = {values.ClrArray: True, values.ByteArray: True, list: True, tuple: True}


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


def is_dictionary(value: object) -> bool:
    clr = REGISTRY.for_python_type(type(value))
    return clr is not None and "System.Collections.IDictionary" in clr.interfaces()


def is_list(value: object) -> bool:
    if isinstance(value, (values.ClrArray, values.ByteArray, list)):
        return True
    clr = REGISTRY.for_python_type(type(value))
    return clr is not None and "System.Collections.IList" in clr.interfaces()


def new_array(items: Iterable = ()) -> values.ClrArray:
    """An object[]: what @(), `,x`, array literals and captured output make."""
    return values.ClrArray(items, "System.Object")
