"""System.Collections.SortedList: a dictionary kept in key order (Comparer.Default: strings by culture, other
IComparable keys by value), indexable by position through GetByIndex/GetKey."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator

from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    InvalidOperationException,
)
from winsim.powershell.clr.library.bcl.collections.enumerators import DictionaryEntry, DictionaryEnumerator, guarded
from winsim.powershell.clr.library.bcl.collections.hashtable import DICTIONARY_INTERFACES, copy_into
from winsim.powershell.clr.library.bcl.collections.keys import duplicate_key
from winsim.powershell.clr.library.bcl.comparison import compare_objects
from winsim.powershell.clr.library.bcl.objects import clr_equals
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter

_INDEX_RANGE = "Index was out of range. Must be non-negative and less than the size of the collection."


@clr_type("System.Collections.SortedList", interfaces=DICTIONARY_INTERFACES)
class SortedList:
    def __init__(self, comparer=None) -> None:
        self._compare = compare_objects if comparer is None else comparer.compare
        self._keys: list = []
        self._values: list = []
        self._version = 0

    def __iter__(self) -> Iterator[DictionaryEntry]:
        return guarded(lambda: [DictionaryEntry(k, v) for k, v in zip(self._keys, self._values, strict=True)],
                       lambda: self._version)

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, key: object) -> object:
        index = self._find(key)
        return self._values[index] if index >= 0 else None

    def __setitem__(self, key: object, value: object) -> None:
        index = self._find(key)
        if index >= 0:
            self._values[index] = value
        else:
            self._insert(~index, key, value)
        self._version += 1

    def __contains__(self, key: object) -> bool:
        return self._find(key) >= 0

    def get(self, key: object, default: object = None) -> object:
        index = self._find(key)
        return self._values[index] if index >= 0 else default

    def keys(self) -> list:
        return list(self._keys)

    def values(self) -> list:
        return list(self._values)

    def _find(self, key: object) -> int:
        """The key's position, or the complement of where it would go (the comparer's failures propagate)."""
        if key is None:
            raise ArgumentNullException("Key cannot be null.", "key")
        ordered = functools.cmp_to_key(self._compare)
        try:
            index = bisect.bisect_left([ordered(k) for k in self._keys], ordered(key))
            if index < len(self._keys) and self._compare(self._keys[index], key) == 0:
                return index
        except ArgumentException as failure:  # Array.BinarySearch wraps the comparer's failure
            raise InvalidOperationException("Failed to compare two elements in the array.", failure) from None
        return ~index

    def _insert(self, index: int, key: object, value: object) -> None:
        self._keys.insert(index, key)
        self._values.insert(index, value)

    def _position(self, index: int) -> None:
        if not 0 <= index < len(self._keys):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "index")

    @constructor()
    @constructor("int")
    @staticmethod
    def create(rt, capacity=0):
        if capacity < 0:
            raise ArgumentOutOfRangeException("Non-negative number required.", "initialCapacity")
        return SortedList()

    @constructor("System.Collections.IComparer")
    @staticmethod
    def create_with_comparer(rt, comparer):
        return SortedList(comparer)

    @constructor("System.Collections.IDictionary")
    @staticmethod
    def create_from(rt, source):
        if source is None:
            raise ArgumentNullException("Dictionary cannot be null.", "d")
        table = SortedList()
        for entry in source:
            table.add(rt, entry.key, entry.value)
        return table

    @getter("Count", "int")
    def count(self, rt):
        return len(self._keys)

    @getter("Capacity", "int")
    def capacity(self, rt):
        return len(self._keys)

    @getter("IsReadOnly", "bool")
    @getter("IsFixedSize", "bool")
    @getter("IsSynchronized", "bool")
    def no(self, rt):
        return False

    @getter("Keys", "System.Collections.ICollection")
    def keys_view(self, rt):
        from winsim.powershell.clr.library.bcl.collections.arraylist import ArrayList
        return ArrayList(self._keys)

    @getter("Values", "System.Collections.ICollection")
    def values_view(self, rt):
        from winsim.powershell.clr.library.bcl.collections.arraylist import ArrayList
        return ArrayList(self._values)

    @method("get_Item", "object", returns="object")
    def get_item(self, rt, key):
        return self[key]

    @method("set_Item", "object", "object")
    def set_item(self, rt, key, value):
        self[key] = value

    @method("Add", "object", "object")
    def add(self, rt, key, value):
        index = self._find(key)
        if index >= 0:
            raise duplicate_key(self._keys[index], key)
        self._insert(~index, key, value)
        self._version += 1

    @method("Contains", "object", returns="bool")
    @method("ContainsKey", "object", returns="bool")
    def contains(self, rt, key):
        return self._find(key) >= 0

    @method("ContainsValue", "object", returns="bool")
    def contains_value(self, rt, value):
        return self.index_of_value(rt, value) >= 0

    @method("IndexOfKey", "object", returns="int")
    def index_of_key(self, rt, key):
        index = self._find(key)
        return index if index >= 0 else -1

    @method("IndexOfValue", "object", returns="int")
    def index_of_value(self, rt, value):
        return next((i for i, v in enumerate(self._values)
                     if (v is None and value is None) or (v is not None and clr_equals(v, value))), -1)

    @method("GetByIndex", "int", returns="object")
    def get_by_index(self, rt, index):
        self._position(index)
        return self._values[index]

    @method("GetKey", "int", returns="object")
    def get_key(self, rt, index):
        self._position(index)
        return self._keys[index]

    @method("SetByIndex", "int", "object")
    def set_by_index(self, rt, index, value):
        self._position(index)
        self._values[index] = value
        self._version += 1

    @method("Remove", "object")
    def remove(self, rt, key):
        index = self._find(key)
        if index >= 0:
            self.remove_at(rt, index)

    @method("RemoveAt", "int")
    def remove_at(self, rt, index):
        self._position(index)
        del self._keys[index], self._values[index]
        self._version += 1

    @method("Clear")
    def clear(self, rt):
        self._keys.clear()
        self._values.clear()
        self._version += 1

    @method("Clone", returns="object")
    def clone(self, rt):
        copy = SortedList()
        copy._compare, copy._keys, copy._values = self._compare, list(self._keys), list(self._values)
        return copy

    @method("GetEnumerator", returns="System.Collections.IDictionaryEnumerator")
    def get_enumerator(self, rt):
        return DictionaryEnumerator(lambda: iter(self))

    @method("CopyTo", "System.Array", "int")
    def copy_to(self, rt, array, index):
        copy_into(list(self), array, index)

    @method("TrimToSize")
    def trim_to_size(self, rt):
        return None

    @setter("Capacity", "int")
    def set_capacity(self, rt, value):
        if value < len(self._keys):
            raise ArgumentOutOfRangeException("capacity was less than the current size.", "value")
