"""System.Collections.Hashtable and its Keys/Values views.

Hashtable() compares keys with Object.Equals (case-sensitive strings); PowerShell's @{} literal builds one
with a case-insensitive comparer: Hashtable.case_insensitive(). Enumeration follows insertion order (.NET's
bucket order depends on its string hash and is not modelled)."""

from __future__ import annotations

from collections.abc import Iterator

from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException, ArgumentOutOfRangeException
from winsim.powershell.clr.library.bcl.collections.enumerators import DictionaryEntry, DictionaryEnumerator, guarded
from winsim.powershell.clr.library.bcl.collections.keys import dict_key, duplicate_key
from winsim.powershell.clr.library.bcl.objects import clr_equals, fresh
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

DICTIONARY_INTERFACES = ("System.Collections.IDictionary", "System.Collections.ICollection",
                         "System.Collections.IEnumerable", "System.ICloneable",
                         "System.Runtime.Serialization.ISerializable")


def copy_into(items: list, array, index: int) -> None:
    """ICollection.CopyTo(array, index) with .NET's argument checks."""
    if array is None:
        raise ArgumentNullException(None, "array")
    if index < 0:
        raise ArgumentOutOfRangeException("Non-negative number required.", "arrayIndex")
    if len(array) - index < len(items):
        raise ArgumentException("Destination array is not long enough to copy all the items in the collection. "
                                "Check array index and length.")
    for offset, item in enumerate(items):
        array[index + offset] = item


class DictionaryBase:
    """Storage shared by Hashtable and OrderedDictionary: normalised key -> [key, value], insertion ordered."""

    def __init__(self, ignore_case: bool = False) -> None:
        self.ignore_case = ignore_case
        self._items: dict[object, list] = {}
        self._version = 0

    # Python protocol (the interpreter's indexing and enumeration)
    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[DictionaryEntry]:
        return guarded(lambda: [DictionaryEntry(k, v) for k, v in self._items.values()], lambda: self._version)

    def __contains__(self, key: object) -> bool:
        return key is not None and self._norm(key) in self._items

    def _norm(self, key: object) -> object:
        # the hot path (the language reads $table.key and $table[key] through here): plain strings inline
        if type(key) is str:
            return key.lower() if self.ignore_case else key
        return dict_key(key, self.ignore_case)

    def __getitem__(self, key: object) -> object:
        entry = self._items.get(self._norm(key))
        return None if entry is None else entry[1]

    def __setitem__(self, key: object, value: object) -> None:
        norm = self._norm(key)
        entry = self._items.get(norm)
        if entry is None:
            self._items[norm] = [key, value]
        else:
            entry[1] = value
        self._version += 1

    def get(self, key: object, default: object = None) -> object:
        if type(key) is str:
            entry = self._items.get(key.lower() if self.ignore_case else key)
        else:
            entry = self._items.get(dict_key(key, self.ignore_case))
        return default if entry is None else entry[1]

    def keys(self) -> list:
        return [k for k, _ in self._items.values()]

    def values(self) -> list:
        return [v for _, v in self._items.values()]

    def items(self) -> list[tuple]:
        return [(k, v) for k, v in self._items.values()]

    def set_key(self, key: object, value: object) -> None:
        """this[object] = value: always by key (OrderedDictionary's int indexer is positional; a literal's keys
        and a key typed [object] are not)."""
        DictionaryBase.__setitem__(self, key, value)

    def add(self, key: object, value: object) -> None:
        norm = dict_key(key, self.ignore_case)
        if norm in self._items:
            raise duplicate_key(self._items[norm][0], key)
        self._items[norm] = [key, value]
        self._version += 1

    def remove(self, key: object) -> None:
        if self._items.pop(dict_key(key, self.ignore_case), None) is not None:
            self._version += 1

    def clear(self) -> None:
        self._items.clear()
        self._version += 1

    # .NET members shared by both dictionaries (each class registers them as its own)
    def _count(self, rt):
        return len(self._items)

    def _get_item(self, rt, key):
        return self.get(key)

    def _set_item(self, rt, key, value):
        self[key] = value

    def _add(self, rt, key, value):
        self.add(key, value)

    def _contains(self, rt, key):
        if key is None:
            raise ArgumentNullException("Key cannot be null.", "key")
        return key in self

    def _contains_value(self, rt, value):
        return any(clr_equals(v, value) if v is not None else value is None for v in self.values())

    def _remove(self, rt, key):
        if key is None:
            raise ArgumentNullException("Key cannot be null.", "key")
        self.remove(key)

    def _clear(self, rt):
        self.clear()

    def _keys(self, rt):
        return KeyCollection(self)

    def _values(self, rt):
        return ValueCollection(self)

    def _get_enumerator(self, rt):
        return DictionaryEnumerator(lambda: iter(self))

    def _copy_to(self, rt, array, index):
        copy_into([DictionaryEntry(k, v) for k, v in self.items()], array, index)

    def _false(self, rt):
        return False

    def _sync_root(self, rt):
        return self


@clr_type("System.Collections.Hashtable", interfaces=DICTIONARY_INTERFACES)
class Hashtable(DictionaryBase):
    @classmethod
    def case_insensitive(cls) -> Hashtable:
        """What PowerShell's @{} literal makes: string keys compared ignoring case."""
        return cls(ignore_case=True)

    def __repr__(self) -> str:
        return f"Hashtable({self.items()!r})"

    @constructor()
    @constructor("int")
    @staticmethod
    def create(rt, capacity=0):
        if capacity < 0:
            raise ArgumentOutOfRangeException("Non-negative number required.", "capacity")
        return Hashtable()

    @constructor("System.Collections.IDictionary")
    @staticmethod
    def create_from(rt, source):
        if source is None:
            raise ArgumentNullException("Dictionary cannot be null.", "d")
        table = Hashtable()
        for entry in source:
            table.add(entry.key, entry.value)
        return table

    @constructor("System.Collections.IEqualityComparer")
    @constructor("int", "System.Collections.IEqualityComparer")
    @staticmethod
    def create_with_comparer(rt, *args):
        # a StringComparer's case rule is what the model keeps of a comparer
        return Hashtable(ignore_case=bool(getattr(args[-1], "ignore_case", False)))

    @constructor("System.Collections.IDictionary", "System.Collections.IEqualityComparer")
    @staticmethod
    def create_from_with_comparer(rt, source, comparer):
        table = Hashtable(ignore_case=bool(getattr(comparer, "ignore_case", False)))
        for entry in Hashtable.create_from(rt, source):
            table.add(entry.key, entry.value)
        return table

    count = getter("Count", "int")(fresh(DictionaryBase._count))
    keys_ = getter("Keys", "System.Collections.ICollection")(fresh(DictionaryBase._keys))
    values_ = getter("Values", "System.Collections.ICollection")(fresh(DictionaryBase._values))
    read_only = getter("IsReadOnly", "bool")(fresh(DictionaryBase._false))
    fixed_size = getter("IsFixedSize", "bool")(fresh(DictionaryBase._false))
    synchronized = getter("IsSynchronized", "bool")(fresh(DictionaryBase._false))
    sync_root = getter("SyncRoot", "object")(fresh(DictionaryBase._sync_root))
    get_item = method("get_Item", "object", returns="object")(fresh(DictionaryBase._get_item))
    set_item = method("set_Item", "object", "object")(fresh(DictionaryBase._set_item))
    add_ = method("Add", "object", "object")(fresh(DictionaryBase._add))
    contains = method("Contains", "object", returns="bool")(fresh(DictionaryBase._contains))
    contains_key = method("ContainsKey", "object", returns="bool")(fresh(DictionaryBase._contains))
    contains_value = method("ContainsValue", "object", returns="bool")(fresh(DictionaryBase._contains_value))
    remove_ = method("Remove", "object")(fresh(DictionaryBase._remove))
    clear_ = method("Clear")(fresh(DictionaryBase._clear))
    get_enumerator = method("GetEnumerator", returns="System.Collections.IDictionaryEnumerator")(
        fresh(DictionaryBase._get_enumerator))
    copy_to = method("CopyTo", "System.Array", "int")(fresh(DictionaryBase._copy_to))

    @method("Clone", returns="object")
    def clone(self, rt):
        copy = Hashtable(self.ignore_case)
        copy._items = {k: list(v) for k, v in self._items.items()}
        return copy


@clr_type("System.Collections.ListDictionaryInternal", interfaces=("System.Collections.IDictionary",
                                                                     "System.Collections.ICollection",
                                                                     "System.Collections.IEnumerable"))
class ListDictionaryInternal(DictionaryBase):
    """Exception.Data: a small insertion-ordered dictionary; unlike Hashtable it has no ContainsKey/ContainsValue
    and no Clone."""

    count = getter("Count", "int")(fresh(DictionaryBase._count))
    keys_ = getter("Keys", "System.Collections.ICollection")(fresh(DictionaryBase._keys))
    values_ = getter("Values", "System.Collections.ICollection")(fresh(DictionaryBase._values))
    read_only = getter("IsReadOnly", "bool")(fresh(DictionaryBase._false))
    fixed_size = getter("IsFixedSize", "bool")(fresh(DictionaryBase._false))
    synchronized = getter("IsSynchronized", "bool")(fresh(DictionaryBase._false))
    sync_root = getter("SyncRoot", "object")(fresh(DictionaryBase._sync_root))
    get_item = method("get_Item", "object", returns="object")(fresh(DictionaryBase._get_item))
    set_item = method("set_Item", "object", "object")(fresh(DictionaryBase._set_item))
    add_ = method("Add", "object", "object")(fresh(DictionaryBase._add))
    contains = method("Contains", "object", returns="bool")(fresh(DictionaryBase._contains))
    remove_ = method("Remove", "object")(fresh(DictionaryBase._remove))
    clear_ = method("Clear")(fresh(DictionaryBase._clear))
    get_enumerator = method("GetEnumerator", returns="System.Collections.IDictionaryEnumerator")(
        fresh(DictionaryBase._get_enumerator))
    copy_to = method("CopyTo", "System.Array", "int")(fresh(DictionaryBase._copy_to))


class _View:
    """Hashtable.Keys / .Values: live views over the dictionary (enumerating them while it changes fails)."""

    def __init__(self, source: DictionaryBase) -> None:
        self._source = source

    def _snapshot(self) -> list:
        raise NotImplementedError

    def __iter__(self) -> Iterator:
        return guarded(self._snapshot, lambda: self._source._version)

    def __len__(self) -> int:
        return len(self._source)

    def _count(self, rt):
        return len(self._source)

    def _get_enumerator(self, rt):
        from winsim.powershell.clr.library.bcl.collections.enumerators import ListEnumerator
        return ListEnumerator(lambda: iter(self))

    def _copy_to(self, rt, array, index):
        copy_into(self._snapshot(), array, index)

    def _false(self, rt):
        return False


_VIEW_INTERFACES = ("System.Collections.ICollection", "System.Collections.IEnumerable")


@clr_type("System.Collections.Hashtable+KeyCollection", interfaces=_VIEW_INTERFACES)
class KeyCollection(_View):
    def _snapshot(self) -> list:
        return self._source.keys()

    count = getter("Count", "int")(fresh(_View._count))
    synchronized = getter("IsSynchronized", "bool")(fresh(_View._false))
    get_enumerator = method("GetEnumerator", returns="System.Collections.IEnumerator")(fresh(_View._get_enumerator))
    copy_to = method("CopyTo", "System.Array", "int")(fresh(_View._copy_to))


@clr_type("System.Collections.Hashtable+ValueCollection", interfaces=_VIEW_INTERFACES)
class ValueCollection(_View):
    def _snapshot(self) -> list:
        return self._source.values()

    count = getter("Count", "int")(fresh(_View._count))
    synchronized = getter("IsSynchronized", "bool")(fresh(_View._false))
    get_enumerator = method("GetEnumerator", returns="System.Collections.IEnumerator")(fresh(_View._get_enumerator))
    copy_to = method("CopyTo", "System.Array", "int")(fresh(_View._copy_to))


def is_dictionary(value: object) -> bool:
    return isinstance(value, DictionaryBase)


__all__ = ["DICTIONARY_INTERFACES", "DictionaryBase", "Hashtable", "KeyCollection", "ListDictionaryInternal",
           "ValueCollection",
           "copy_into", "is_dictionary"]
