"""System.Array, the base of every array: ClrArray (T[]) and ByteArray (byte[]) per values.py. Arrays are
fixed-size: members never change their length."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    IndexOutOfRangeException,
    InvalidCastException,
)
from winsim.powershell.clr.library.bcl.collections.arraylist import index_of
from winsim.powershell.clr.library.bcl.collections.enumerators import ListEnumerator
from winsim.powershell.clr.library.bcl.comparison import sort_objects
from winsim.powershell.clr.typesystem import clr_type, getter, method

ARRAY_INTERFACES = ("System.Collections.IList", "System.Collections.ICollection", "System.Collections.IEnumerable",
                    "System.ICloneable")
_NUMBERS = ("System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
            "System.Int64", "System.UInt64")


def element_type(array) -> str:
    return getattr(array, "element_type", "System.Object")


def new_array(element: str, items) -> values.ClrArray | values.ByteArray:
    if element == "System.Byte":
        return values.ByteArray(int(i) for i in items)
    return values.ClrArray(items, element)


_DOUBLE = ("System.Single", "System.Double")
# the primitive widenings Array.SetValue performs (any other type must match the element type)
_WIDENING = {
    "System.Byte": ("System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64",
                    "System.UInt64", *_DOUBLE),
    "System.SByte": ("System.Int16", "System.Int32", "System.Int64", *_DOUBLE),
    "System.Int16": ("System.Int32", "System.Int64", *_DOUBLE),
    "System.UInt16": ("System.Int32", "System.UInt32", "System.Int64", "System.UInt64", *_DOUBLE),
    "System.Char": ("System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", *_DOUBLE),
    "System.Int32": ("System.Int64", *_DOUBLE), "System.UInt32": ("System.Int64", "System.UInt64", *_DOUBLE),
    "System.Int64": _DOUBLE, "System.UInt64": _DOUBLE, "System.Single": ("System.Double",),
}


def _widened(value: object, source: str, element: str) -> object:
    number = ord(value) if source == "System.Char" else value
    if element == "System.Double":
        return float(number)
    if element == "System.Single":
        return values.Single(float(number))
    wrapper = values.INTEGER_TYPES.get(element)
    return wrapper(int(number)) if wrapper else int(number)


def store(array, index: int, value: object) -> None:
    """Array.SetValue: the value must be of the element type, or a primitive that widens to it."""
    if not 0 <= index < len(array):
        raise IndexOutOfRangeException()
    element = element_type(array)
    if element == "System.Object":
        array[index] = value
        return
    name = values.clr_type_name(value)
    if value is None and element not in _NUMBERS and element not in ("System.Boolean", "System.Char",
                                                                     "System.Double", "System.Single"):
        array[index] = None
        return
    if name != element and element in _WIDENING.get(name, ()):
        value = _widened(value, name, element)
    elif name != element and not (element == "System.String" and isinstance(value, str) and not
                                  isinstance(value, values.Char)):
        raise InvalidCastException("Object cannot be stored in an array of this type.")
    array[index] = int(value) if isinstance(array, values.ByteArray) else value


def _range(array, index: int, length: int) -> None:
    if array is None:
        raise ArgumentNullException(None, "array")
    if index < 0 or length < 0:
        raise ArgumentOutOfRangeException("Non-negative number required.", "index" if index < 0 else "length")
    if len(array) - index < length:
        raise ArgumentException("Offset and length were out of bounds for the array or count is greater than the "
                                "number of elements from index to the end of the source collection.")


def _items(array) -> list:
    if isinstance(array, values.ByteArray):
        return [values.Byte(b) for b in array]
    return list(array)


@clr_type("System.Array", instances=(values.ClrArray, values.ByteArray), interfaces=ARRAY_INTERFACES)
class ClrArrayType:
    @getter("Length", "int")
    def length(self, rt):
        return len(self)

    @getter("LongLength", "long")
    def long_length(self, rt):
        return values.Int64(len(self))

    @getter("Rank", "int")
    def rank(self, rt):
        return 1

    @getter("IsFixedSize", "bool")
    def fixed_size(self, rt):
        return True

    @getter("IsReadOnly", "bool")
    @getter("IsSynchronized", "bool")
    def no(self, rt):
        return False

    @getter("SyncRoot", "object")
    def sync_root(self, rt):
        return self

    @method("GetLength", "int", returns="int")
    def get_length(self, rt, dimension):
        if dimension != 0:
            raise IndexOutOfRangeException()
        return len(self)

    @method("GetUpperBound", "int", returns="int")
    def get_upper_bound(self, rt, dimension):
        if dimension != 0:
            raise IndexOutOfRangeException()
        return len(self) - 1

    @method("GetLowerBound", "int", returns="int")
    def get_lower_bound(self, rt, dimension):
        if dimension != 0:
            raise IndexOutOfRangeException()
        return 0

    @method("GetValue", "int", returns="object")
    @method("GetValue", "long", returns="object")
    def get_value(self, rt, index):
        if not 0 <= index < len(self):
            raise IndexOutOfRangeException()
        return _items(self)[index]

    @method("SetValue", "object", "int")
    @method("SetValue", "object", "long")
    def set_value(self, rt, value, index):
        store(self, int(index), value)

    @method("Clone", returns="object")
    def clone(self, rt):
        return new_array(element_type(self), list(self))

    @method("CopyTo", "System.Array", "int")
    def copy_to(self, rt, target, index):
        copy(rt, self, 0, target, index, len(self))

    @method("GetEnumerator", returns="System.Collections.IEnumerator")
    def get_enumerator(self, rt):
        return ListEnumerator(lambda: iter(_items(self)))

    @method("Initialize")
    def initialize(self, rt):
        return None

    @method("Copy", "System.Array", "System.Array", "int", static=True)
    @method("Copy", "System.Array", "System.Array", "long", static=True)
    def copy_prefix(rt, source, target, length):
        copy(rt, source, 0, target, 0, int(length))

    @method("Copy", "System.Array", "int", "System.Array", "int", "int", static=True)
    @method("Copy", "System.Array", "long", "System.Array", "long", "long", static=True)
    def copy_range(rt, source, source_index, target, target_index, length):
        copy(rt, source, int(source_index), target, int(target_index), int(length))

    @method("IndexOf", "System.Array", "object", returns="int", static=True)
    @method("IndexOf", "System.Array", "object", "int", returns="int", static=True)
    @method("IndexOf", "System.Array", "object", "int", "int", returns="int", static=True)
    def index_of(rt, array, value, start=0, count=None):
        if array is None:
            raise ArgumentNullException(None, "array")
        count = len(array) - start if count is None else count
        _range(array, start, count)
        return index_of(_items(array), value, start, start + count)

    @method("LastIndexOf", "System.Array", "object", returns="int", static=True)
    def last_index_of(rt, array, value):
        if array is None:
            raise ArgumentNullException(None, "array")
        found = index_of(list(reversed(_items(array))), value)
        return -1 if found < 0 else len(array) - 1 - found

    @method("Reverse", "System.Array", static=True)
    @method("Reverse", "System.Array", "int", "int", static=True)
    def reverse(rt, array, index=0, length=None):
        length = (len(array) if array is not None else 0) - index if length is None else length
        _range(array, index, length)
        array[index:index + length] = array[index:index + length][::-1]

    @method("Sort", "System.Array", static=True)
    @method("Sort", "System.Array", "System.Collections.IComparer", static=True)
    def sort(rt, array, comparer=None):
        if array is None:
            raise ArgumentNullException(None, "array")
        array[:] = new_array(element_type(array), sort_objects(_items(array), comparer))

    @method("Clear", "System.Array", "int", "int", static=True)
    def clear(rt, array, index, length):
        _range(array, index, length)
        blank = 0 if element_type(array) in _NUMBERS else None
        for position in range(index, index + length):
            array[position] = blank

    @method("CreateInstance", "System.Type", "int", returns="System.Array", static=True)
    def create_instance(rt, kind, length):
        if length < 0:
            raise ArgumentOutOfRangeException("Non-negative number required.", "length")
        name = getattr(getattr(kind, "clr", kind), "full_name", "System.Object")
        blank = 0 if name in _NUMBERS else None
        return new_array(name, [blank] * length)


def copy(rt, source, source_index: int, target, target_index: int, length: int) -> None:
    """Array.Copy: overlapping copies within one array behave as if through a temporary."""
    if source is None or target is None:
        raise ArgumentNullException(None, "sourceArray" if source is None else "destinationArray")
    if source_index < 0 or target_index < 0 or length < 0:
        raise ArgumentOutOfRangeException("Non-negative number required.",
                                          "length" if length < 0 else "srcIndex" if source_index < 0 else "dstIndex")
    if len(source) - source_index < length:
        raise ArgumentException("Source array was not long enough. Check srcIndex and length, and the array's lower "
                                "bounds.")
    if len(target) - target_index < length:
        raise ArgumentException("Destination array was not long enough. Check destIndex and length, and the array's "
                                "lower bounds.")
    chunk = _items(source)[source_index:source_index + length]
    if isinstance(target, values.ByteArray) or element_type(target) in ("System.Object", element_type(source)):
        target[target_index:target_index + length] = values.ByteArray(int(b) for b in chunk) \
            if isinstance(target, values.ByteArray) else chunk
        return
    for offset, item in enumerate(chunk):
        store(target, target_index + offset, item)
