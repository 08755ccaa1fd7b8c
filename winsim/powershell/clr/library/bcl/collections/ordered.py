"""System.Collections.Specialized.OrderedDictionary: a dictionary that keeps insertion order and can also be
indexed by position. OrderedDictionary() compares keys with Object.Equals (case-sensitive strings);
PowerShell 3.0's [ordered]@{} uses a case-insensitive one: OrderedDictionary.case_insensitive()."""

from __future__ import annotations

from winsim.powershell.clr.exceptions import ArgumentOutOfRangeException, NotSupportedException
from winsim.powershell.clr.library.bcl.collections.hashtable import (
    DICTIONARY_INTERFACES,
    DictionaryBase,
    KeyCollection,
    ValueCollection,
)
from winsim.powershell.clr.library.bcl.collections.keys import dict_key, duplicate_key
from winsim.powershell.clr.library.bcl.objects import fresh
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

_INDEX_RANGE = "Index was out of range. Must be non-negative and less than the size of the collection."


@clr_type("System.Collections.Specialized.OrderedDictionary",  # unlike Hashtable, not ICloneable
          interfaces=(*(i for i in DICTIONARY_INTERFACES if i != "System.ICloneable"),
                      "System.Collections.Specialized.IOrderedDictionary"))
class OrderedDictionary(DictionaryBase):
    def __init__(self, ignore_case: bool = False) -> None:
        super().__init__(ignore_case)
        self.read_only = False

    @classmethod
    def case_insensitive(cls) -> OrderedDictionary:
        return cls(ignore_case=True)

    def __repr__(self) -> str:
        return f"OrderedDictionary({self.items()!r})"

    def __getitem__(self, key: object) -> object:
        # The int indexer is by position (C# binds this[int] before this[object]); any other key by key.
        if type(key) is int:
            return self._entry_at(key)[1]
        return self.get(key)

    def __setitem__(self, key: object, value: object) -> None:
        self._writable()
        if type(key) is int:
            self._entry_at(key)[1] = value
            self._version += 1
            return
        super().__setitem__(key, value)

    def _entry_at(self, index: int) -> list:
        if not 0 <= index < len(self._items):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "index")
        return list(self._items.values())[index]

    def _writable(self) -> None:
        if self.read_only:
            raise NotSupportedException("Collection is read-only.")

    @constructor()
    @constructor("int")
    @staticmethod
    def create(rt, capacity=0):
        return OrderedDictionary()

    count = getter("Count", "int")(fresh(DictionaryBase._count))
    fixed_size = getter("IsFixedSize", "bool")(fresh(DictionaryBase._false))
    synchronized = getter("IsSynchronized", "bool")(fresh(DictionaryBase._false))
    sync_root = getter("SyncRoot", "object")(fresh(DictionaryBase._sync_root))
    contains = method("Contains", "object", returns="bool")(fresh(DictionaryBase._contains))
    get_enumerator = method("GetEnumerator", returns="System.Collections.IDictionaryEnumerator")(
        fresh(DictionaryBase._get_enumerator))
    copy_to = method("CopyTo", "System.Array", "int")(fresh(DictionaryBase._copy_to))

    @getter("IsReadOnly", "bool")
    def is_read_only(self, rt):
        return self.read_only

    @getter("Keys", "System.Collections.ICollection")
    def keys_view(self, rt):
        return KeyCollection(self)

    @getter("Values", "System.Collections.ICollection")
    def values_view(self, rt):
        return ValueCollection(self)

    @method("get_Item", "int", returns="object")
    def get_item_at(self, rt, index):
        return self._entry_at(index)[1]

    @method("get_Item", "object", returns="object")
    def get_item(self, rt, key):
        return self.get(key)

    @method("set_Item", "int", "object")
    def set_item_at(self, rt, index, value):
        self[index] = value

    @method("set_Item", "object", "object")
    def set_item(self, rt, key, value):
        self._writable()
        self.set_key(key, value)

    @method("Add", "object", "object")
    def add_entry(self, rt, key, value):
        self._writable()
        self.add(key, value)

    @method("Insert", "int", "object", "object")
    def insert(self, rt, index, key, value):
        self._writable()
        if not 0 <= index <= len(self._items):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "index")
        norm = dict_key(key, self.ignore_case)
        if norm in self._items:
            raise duplicate_key(self._items[norm][0], key)
        entries = list(self._items.items())
        entries.insert(index, (norm, [key, value]))
        self._items = dict(entries)
        self._version += 1

    @method("Remove", "object")
    def remove_entry(self, rt, key):
        self._writable()
        DictionaryBase._remove(self, rt, key)

    @method("RemoveAt", "int")
    def remove_at(self, rt, index):
        self._writable()
        if not 0 <= index < len(self._items):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "index")
        del self._items[list(self._items)[index]]
        self._version += 1

    @method("Clear")
    def clear_entries(self, rt):
        self._writable()
        self.clear()

    @method("AsReadOnly", returns="System.Collections.Specialized.OrderedDictionary")
    def as_read_only(self, rt):
        view = OrderedDictionary(self.ignore_case)
        view._items, view.read_only = self._items, True  # shares the entries: a read-only wrapper
        return view
