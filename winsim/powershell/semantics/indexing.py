"""Indexing: `$a[i]`, slices, negative indices, strings, dictionaries and IList; writes into arrays."""

from __future__ import annotations

from winsim.powershell.automation import errors
from winsim.powershell.automation.errors import (
    GetValueInvocationException,
    SetValueInvocationException,
    null_index,
    runtime_error,
    terminating,
)
from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.semantics import conversions, enumeration
from winsim.powershell.semantics.binder import (
    _strict_level,
    _type_object,
    _version,
)
from winsim.powershell.semantics.types import full_name_of


def get_index(obj, index, rt):
    if type(index) is int and type(obj) is str:
        if -len(obj) <= index < len(obj):
            return values.Char(obj[index])
        return None
    if obj is None:
        raise null_index()
    if isinstance(obj, (values.ClrArray, values.ByteArray, str, list)):
        if enumeration.is_enumerable(index):
            return enumeration.new_array(_get_position(obj, i, rt) for i in enumeration.iterate(index))
        return _get_position(obj, index, rt)
    if enumeration.is_dictionary(obj):
        if enumeration.is_enumerable(index):
            return enumeration.new_array(obj[i] for i in enumeration.iterate(index))
        return obj[index]
    if hasattr(obj, "__getitem__"):
        try:
            if enumeration.is_list(obj) and not enumeration.is_dictionary(obj):
                # An IList indexes as an array does: from the end when negative, $null past either end.
                position = conversions.to_integer(index)
                count = len(obj)
                if position < 0:
                    position += count
                return obj[position] if 0 <= position < count else None
            return obj[index]
        except ClrException as error:
            raise terminating(GetValueInvocationException(
                f'Exception getting "Item": "{error.message}"', error)) from None
    if _version(rt) >= (3, 0) and not enumeration.is_enumerable(obj):
        return obj if conversions.to_integer(index) in (0, -1) else None
    raise runtime_error(f"Unable to index into an object of type {full_name_of(obj)}.", "CannotIndex",
                        "InvalidOperation")


def _get_position(sequence, index, rt=None):
    position = conversions.to_integer(index)
    if position < 0:
        position += len(sequence)
    if not 0 <= position < len(sequence):
        if _strict_level(rt) >= 3:  # Set-StrictMode 3.0: reading past an array's end is an error
            raise runtime_error("Index was outside the bounds of the array.", "IndexOutOfRange", "InvalidOperation")
        return None
    item = sequence[position]
    if isinstance(sequence, str):
        return values.Char(item)
    if isinstance(sequence, values.ByteArray):
        return values.Byte(item)
    return item


def _index_out_of_range():
    """Writing past an array's end: .NET's IndexOutOfRangeException itself (SPEC ch08 §8.7 catches it)."""
    from winsim.powershell.clr.typesystem import REGISTRY
    declared = REGISTRY.get("System.IndexOutOfRangeException")
    if declared is None:
        return runtime_error("Index was outside the bounds of the array.", "IndexOutOfRange", "InvalidOperation")
    exception = declared.py_types[0]("Index was outside the bounds of the array.")
    record = errors.ErrorRecord(exception, "System.IndexOutOfRangeException", "OperationStopped")
    return errors.PSError(record)


def set_index(obj, index, value, rt) -> None:
    if obj is None:
        raise null_index()
    if isinstance(obj, (values.ClrArray, values.ByteArray)):
        position = conversions.to_integer(index)
        if position < 0:
            position += len(obj)
        if not 0 <= position < len(obj):
            raise _index_out_of_range()
        if isinstance(obj, values.ByteArray):
            value = conversions.to_integer(value, "System.Byte")
        elif obj.element_type != "System.Object":
            target = _type_object(obj.element_type)
            if target is not None:
                value = conversions.convert(value, target, rt)
        obj[position] = value
        return
    if hasattr(obj, "__setitem__"):
        try:
            if enumeration.is_list(obj) and not enumeration.is_dictionary(obj):
                index = conversions.to_integer(index)
            obj[index] = value
        except ClrException as error:
            raise terminating(SetValueInvocationException(
                f'Exception setting "Item": "{error.message}"', error)) from None
        return
    raise runtime_error(f"Unable to index into an object of type {full_name_of(obj)}.", "CannotIndex",
                        "InvalidOperation")
