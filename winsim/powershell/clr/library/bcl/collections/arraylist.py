"""System.Collections.ArrayList: a growable list of objects (Add returns the new index, which PowerShell
scripts see as output unless they discard it)."""

from __future__ import annotations

from collections.abc import Iterator

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException, ArgumentOutOfRangeException
from winsim.powershell.clr.library.bcl.collections.enumerators import ListEnumerator, guarded
from winsim.powershell.clr.library.bcl.collections.hashtable import copy_into
from winsim.powershell.clr.library.bcl.comparison import sort_objects
from winsim.powershell.clr.library.bcl.objects import clr_equals
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter

_INDEX_RANGE = "Index was out of range. Must be non-negative and less than the size of the collection."
_OFFSET_LENGTH = ("Offset and length were out of bounds for the array or count is greater than the number of "
                  "elements from index to the end of the source collection.")
LIST_INTERFACES = ("System.Collections.IList", "System.Collections.ICollection", "System.Collections.IEnumerable",
                   "System.ICloneable")


def index_of(items: list, value: object, start: int = 0, stop: int | None = None) -> int:
    stop = len(items) if stop is None else stop
    for index in range(start, stop):
        item = items[index]
        if (item is None and value is None) or (item is not None and clr_equals(item, value)):
            return index
    return -1


@clr_type("System.Collections.ArrayList", interfaces=LIST_INTERFACES)
class ArrayList:
    def __init__(self, items=(), capacity: int = 0) -> None:
        self._list: list = list(items)
        self._version = 0
        self._capacity = max(capacity, len(self._list))  # the backing array's length, grown as .NET grows it

    def __repr__(self) -> str:
        return f"ArrayList({self._list!r})"

    def __iter__(self) -> Iterator:
        return guarded(lambda: list(self._list), lambda: self._version)

    def __len__(self) -> int:
        return len(self._list)

    def __getitem__(self, index: int) -> object:
        self._check(index)
        return self._list[index]

    def __setitem__(self, index: int, value: object) -> None:
        self._check(index)
        self._list[index] = value
        self._version += 1

    def append(self, value: object) -> int:
        self._list.append(value)
        self._version += 1
        self._grow()
        return len(self._list) - 1

    def _grow(self) -> None:
        # ArrayList.EnsureCapacity: 4 slots first, then doubling (or just enough when doubling is short)
        if self._capacity < len(self._list):
            self._capacity = max(4 if self._capacity == 0 else self._capacity * 2, len(self._list))

    def _check(self, index: int) -> None:
        if not 0 <= index < len(self._list):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "index")

    def _check_range(self, index: int, count: int) -> None:
        if index < 0 or count < 0:
            raise ArgumentOutOfRangeException("Non-negative number required.", "index" if index < 0 else "count")
        if len(self._list) - index < count:
            raise ArgumentException(_OFFSET_LENGTH)

    def _changed(self) -> None:
        self._version += 1
        self._grow()

    @constructor()
    @constructor("int")
    @staticmethod
    def create(rt, capacity=0):
        if capacity < 0:
            raise ArgumentOutOfRangeException("Non-negative number required.", "capacity")
        return ArrayList(capacity=capacity)

    @constructor("System.Collections.ICollection")
    @staticmethod
    def create_from(rt, source):
        if source is None:
            raise ArgumentNullException("Collection cannot be null.", "c")
        return ArrayList(source)

    @getter("Count", "int")
    def count(self, rt):
        return len(self._list)

    @getter("Capacity", "int")
    def capacity(self, rt):
        return self._capacity

    @setter("Capacity", "int")
    def set_capacity(self, rt, value):
        if value < len(self._list):
            raise ArgumentOutOfRangeException("capacity was less than the current size.", "value")
        self._capacity = value

    @getter("IsReadOnly", "bool")
    @getter("IsFixedSize", "bool")
    @getter("IsSynchronized", "bool")
    def no(self, rt):
        return False

    @getter("SyncRoot", "object")
    def sync_root(self, rt):
        return self

    @method("get_Item", "int", returns="object")
    def get_item(self, rt, index):
        return self[index]

    @method("set_Item", "int", "object")
    def set_item(self, rt, index, value):
        self[index] = value

    @method("Add", "object", returns="int")
    def add(self, rt, value):
        return self.append(value)

    @method("AddRange", "System.Collections.ICollection")
    def add_range(self, rt, items):
        if items is None:
            raise ArgumentNullException("Collection cannot be null.", "c")
        self._list.extend(list(items))
        self._changed()

    @method("Insert", "int", "object")
    def insert(self, rt, index, value):
        if not 0 <= index <= len(self._list):
            raise ArgumentOutOfRangeException("Insertion index was out of range. Must be non-negative and less "
                                              "than or equal to size.", "index")
        self._list.insert(index, value)
        self._changed()

    @method("InsertRange", "int", "System.Collections.ICollection")
    def insert_range(self, rt, index, items):
        if items is None:
            raise ArgumentNullException("Collection cannot be null.", "c")
        if not 0 <= index <= len(self._list):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "index")
        self._list[index:index] = list(items)
        self._changed()

    @method("Remove", "object")
    def remove(self, rt, value):
        found = index_of(self._list, value)
        if found >= 0:
            del self._list[found]
            self._changed()

    @method("RemoveAt", "int")
    def remove_at(self, rt, index):
        self._check(index)
        del self._list[index]
        self._changed()

    @method("RemoveRange", "int", "int")
    def remove_range(self, rt, index, count):
        self._check_range(index, count)
        del self._list[index:index + count]
        self._changed()

    @method("Clear")
    def clear(self, rt):
        self._list.clear()
        self._changed()

    @method("Contains", "object", returns="bool")
    def contains(self, rt, value):
        return index_of(self._list, value) >= 0

    @method("IndexOf", "object", returns="int")
    @method("IndexOf", "object", "int", returns="int")
    @method("IndexOf", "object", "int", "int", returns="int")
    def index_of(self, rt, value, start=0, count=None):
        if not 0 <= start <= len(self._list):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "startIndex")
        count = len(self._list) - start if count is None else count
        if count < 0 or start + count > len(self._list):
            raise ArgumentOutOfRangeException("Count must be positive and count must refer to a location within "
                                              "the string/array/collection.", "count")
        return index_of(self._list, value, start, start + count)

    @method("LastIndexOf", "object", returns="int")
    @method("LastIndexOf", "object", "int", returns="int")
    @method("LastIndexOf", "object", "int", "int", returns="int")
    def last_index_of(self, rt, value, start=None, count=None):
        if not self._list:
            return -1
        start = len(self._list) - 1 if start is None else start
        count = start + 1 if count is None else count
        if not 0 <= start < len(self._list):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "startIndex")
        if count < 0 or start - count + 1 < 0:
            raise ArgumentOutOfRangeException("Count must be positive and count must refer to a location within "
                                              "the string/array/collection.", "count")
        window = self._list[start - count + 1:start + 1]
        found = index_of(window[::-1], value)
        return -1 if found < 0 else start - found

    @method("BinarySearch", "object", returns="int")
    @method("BinarySearch", "object", "System.Collections.IComparer", returns="int")
    def binary_search(self, rt, value, comparer=None):
        from winsim.powershell.clr.library.bcl.comparison import compare_objects
        compare = compare_objects if comparer is None else comparer.compare
        low, high = 0, len(self._list) - 1
        while low <= high:  # .NET's answer for a missing value: the complement of where it would go
            middle = (low + high) // 2
            order = compare(self._list[middle], value)
            if order == 0:
                return middle
            if order < 0:
                low = middle + 1
            else:
                high = middle - 1
        return ~low

    @method("SetRange", "int", "System.Collections.ICollection")
    def set_range(self, rt, index, items):
        if items is None:
            raise ArgumentNullException("Collection cannot be null.", "c")
        replacement = list(items)
        self._check_range(index, len(replacement))
        self._list[index:index + len(replacement)] = replacement
        self._changed()

    @method("Repeat", "object", "int", returns="System.Collections.ArrayList", static=True)
    def repeat(rt, value, count):
        if count < 0:
            raise ArgumentOutOfRangeException("Non-negative number required.", "count")
        return ArrayList([value] * count)

    @method("Sort")
    @method("Sort", "System.Collections.IComparer")
    def sort(self, rt, comparer=None):
        self._list = sort_objects(self._list, comparer)
        self._changed()

    @method("Sort", "int", "int", "System.Collections.IComparer")
    def sort_range(self, rt, index, count, comparer):
        self._check_range(index, count)
        self._list[index:index + count] = sort_objects(self._list[index:index + count], comparer)
        self._changed()

    @method("Reverse")
    @method("Reverse", "int", "int")
    def reverse(self, rt, index=0, count=None):
        count = len(self._list) - index if count is None else count
        self._check_range(index, count)
        self._list[index:index + count] = reversed(self._list[index:index + count])
        self._changed()

    @method("ToArray", returns="object[]")
    def to_array(self, rt):
        return values.ClrArray(self._list, "System.Object")

    @method("ToArray", "System.Type", returns="System.Array")
    def to_typed_array(self, rt, element_type):
        name = getattr(getattr(element_type, "clr", element_type), "full_name", "System.Object")
        if name == "System.Byte":
            return values.ByteArray(int(b) for b in self._list)
        return values.ClrArray(self._list, name)

    @method("GetRange", "int", "int", returns="System.Collections.ArrayList")
    def get_range(self, rt, index, count):
        self._check_range(index, count)
        return ArrayList(self._list[index:index + count])

    @method("CopyTo", "System.Array")
    @method("CopyTo", "System.Array", "int")
    def copy_to(self, rt, array, index=0):
        copy_into(self._list, array, index)

    @method("Clone", returns="object")
    def clone(self, rt):
        return ArrayList(self._list)

    @method("TrimToSize")
    def trim_to_size(self, rt):
        self._capacity = len(self._list)

    @method("GetEnumerator", returns="System.Collections.IEnumerator")
    def get_enumerator(self, rt):
        return ListEnumerator(lambda: iter(self))
