"""System.Collections.Specialized's small collections: StringCollection (a list of strings), ListDictionary
(a small insertion-ordered dictionary) and HybridDictionary (a ListDictionary, optionally case-insensitive; .NET
switches it to a Hashtable past eight entries, which the model's insertion-ordered Hashtable makes invisible)."""

from __future__ import annotations

from winsim.powershell.clr.exceptions import ArgumentOutOfRangeException
from winsim.powershell.clr.library.bcl.collections.arraylist import LIST_INTERFACES, ArrayList
from winsim.powershell.clr.library.bcl.collections.hashtable import DictionaryBase
from winsim.powershell.clr.library.bcl.objects import fresh
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

_DICTIONARY = ("System.Collections.IDictionary", "System.Collections.ICollection", "System.Collections.IEnumerable")


@clr_type("System.Collections.Specialized.StringCollection",
          interfaces=tuple(i for i in LIST_INTERFACES if i != "System.ICloneable"))
class StringCollection(ArrayList):
    """ArrayList's list behaviour over strings only (no Sort, Clone, ToArray...: .NET declares fewer members)."""

    @constructor()
    @staticmethod
    def create(rt):
        return StringCollection()

    count = getter("Count", "int")(fresh(ArrayList.count))
    get_item = method("get_Item", "int", returns="string")(fresh(ArrayList.get_item))
    set_item = method("set_Item", "int", "string")(fresh(ArrayList.set_item))
    add = method("Add", "string", returns="int")(fresh(ArrayList.add))
    insert = method("Insert", "int", "string")(fresh(ArrayList.insert))
    remove = method("Remove", "string")(fresh(ArrayList.remove))
    remove_at = method("RemoveAt", "int")(fresh(ArrayList.remove_at))
    clear = method("Clear")(fresh(ArrayList.clear))
    contains = method("Contains", "string", returns="bool")(fresh(ArrayList.contains))
    get_enumerator = method("GetEnumerator", returns="System.Collections.IEnumerator")(
        fresh(ArrayList.get_enumerator))

    @method("AddRange", "string[]")
    def add_range_strings(self, rt, items):
        ArrayList.add_range(self, rt, items)

    @method("IndexOf", "string", returns="int")
    def index_of_string(self, rt, value):
        return ArrayList.index_of(self, rt, value)

    @method("CopyTo", "string[]", "int")
    def copy_to_strings(self, rt, array, index):
        ArrayList.copy_to(self, rt, array, index)


@clr_type("System.Collections.Specialized.ListDictionary", interfaces=_DICTIONARY)
class ListDictionary(DictionaryBase):
    @constructor()
    @constructor("System.Collections.IComparer")
    @staticmethod
    def create(rt, comparer=None):
        return ListDictionary(ignore_case=bool(getattr(comparer, "ignore_case", False)))

    count = getter("Count", "int")(fresh(DictionaryBase._count))
    keys_ = getter("Keys", "System.Collections.ICollection")(fresh(DictionaryBase._keys))
    values_ = getter("Values", "System.Collections.ICollection")(fresh(DictionaryBase._values))
    get_item = method("get_Item", "object", returns="object")(fresh(DictionaryBase._get_item))
    set_item = method("set_Item", "object", "object")(fresh(DictionaryBase._set_item))
    add_ = method("Add", "object", "object")(fresh(DictionaryBase._add))
    contains = method("Contains", "object", returns="bool")(fresh(DictionaryBase._contains))
    remove_ = method("Remove", "object")(fresh(DictionaryBase._remove))
    clear_ = method("Clear")(fresh(DictionaryBase._clear))
    get_enumerator = method("GetEnumerator", returns="System.Collections.IDictionaryEnumerator")(
        fresh(DictionaryBase._get_enumerator))
    copy_to = method("CopyTo", "System.Array", "int")(fresh(DictionaryBase._copy_to))


@clr_type("System.Collections.Specialized.HybridDictionary", interfaces=_DICTIONARY)
class HybridDictionary(DictionaryBase):
    @constructor()
    @constructor("bool")
    @constructor("int")
    @constructor("int", "bool")
    @staticmethod
    def create(rt, *args):
        flags = [a for a in args if isinstance(a, bool)]
        if any(type(a) is int and a < 0 for a in args):
            raise ArgumentOutOfRangeException("Non-negative number required.", "initialSize")
        return HybridDictionary(ignore_case=bool(flags and flags[0]))

    count = getter("Count", "int")(fresh(DictionaryBase._count))
    keys_ = getter("Keys", "System.Collections.ICollection")(fresh(DictionaryBase._keys))
    values_ = getter("Values", "System.Collections.ICollection")(fresh(DictionaryBase._values))
    get_item = method("get_Item", "object", returns="object")(fresh(DictionaryBase._get_item))
    set_item = method("set_Item", "object", "object")(fresh(DictionaryBase._set_item))
    add_ = method("Add", "object", "object")(fresh(DictionaryBase._add))
    contains = method("Contains", "object", returns="bool")(fresh(DictionaryBase._contains))
    remove_ = method("Remove", "object")(fresh(DictionaryBase._remove))
    clear_ = method("Clear")(fresh(DictionaryBase._clear))
    get_enumerator = method("GetEnumerator", returns="System.Collections.IDictionaryEnumerator")(
        fresh(DictionaryBase._get_enumerator))
    copy_to = method("CopyTo", "System.Array", "int")(fresh(DictionaryBase._copy_to))


__all__ = ["HybridDictionary", "ListDictionary", "StringCollection"]
