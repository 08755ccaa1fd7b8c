"""Hashtable, OrderedDictionary, ArrayList, Stack, Queue and arrays through the type registry."""

from __future__ import annotations

import re

import pytest

from tests.winsim.powershell.bcl_calls import instance, new, prop, static, static_prop
from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    InvalidCastException,
    InvalidOperationException,
)
from winsim.powershell.clr.library.bcl.collections import DictionaryEntry, Hashtable, OrderedDictionary
from winsim.powershell.clr.typesystem import REGISTRY


def test_hashtable_is_case_sensitive_by_default_and_literal_tables_are_not():
    table = new("System.Collections.Hashtable")
    instance(table, "Add", "Key", 1)
    assert instance(table, "ContainsKey", "key") is False
    assert instance(table, "get_Item", "key") is None
    literal = Hashtable.case_insensitive()
    literal["Key"] = 1
    literal["KEY"] = 2
    assert prop(literal, "Count") == 1
    assert literal["key"] == 2
    assert [e.key for e in literal] == ["Key"]  # the first spelling is kept


def test_hashtable_keys_of_different_numeric_types_are_different_keys():
    table = new("System.Collections.Hashtable")
    table[1] = "int"
    table[values.Int64(1)] = "long"
    table[values.Char("a")] = "char"
    table["a"] = "string"
    assert prop(table, "Count") == 4
    assert table[values.Int64(1)] == "long"


def test_hashtable_add_duplicate_and_null_key_errors():
    table = new("System.Collections.Hashtable")
    instance(table, "Add", "a", 1)
    with pytest.raises(ArgumentException) as raised:
        instance(table, "Add", "a", 2)
    assert raised.value.message == "Item has already been added. Key in dictionary: 'a'  Key being added: 'a'"
    with pytest.raises(ArgumentNullException) as null:
        instance(table, "set_Item", None, 1)
    assert prop(null.value, "Message") == "Key cannot be null.\r\nParameter name: key"


def test_changing_a_hashtable_while_enumerating_its_keys_fails():
    table = Hashtable.case_insensitive()
    table["a"], table["b"] = 1, 2
    keys = prop(table, "Keys")
    with pytest.raises(InvalidOperationException) as raised:
        for key in keys:
            table[key] = 0
    assert raised.value.message == "Collection was modified; enumeration operation may not execute."


def test_hashtable_enumerator_yields_entries():
    table = new("System.Collections.Hashtable")
    table["x"] = 1
    enumerator = instance(table, "GetEnumerator")
    assert instance(enumerator, "MoveNext") is True
    assert prop(enumerator, "Key") == "x" and prop(enumerator, "Value") == 1
    entry = prop(enumerator, "Current")
    assert isinstance(entry, DictionaryEntry) and prop(entry, "Key") == "x"
    assert instance(enumerator, "MoveNext") is False
    with pytest.raises(InvalidOperationException):
        prop(enumerator, "Current")
    assert REGISTRY.get("System.Collections.Hashtable").is_assignable_to(REGISTRY.get("System.Collections.IDictionary"))


def test_hashtable_clone_and_contains_value():
    table = new("System.Collections.Hashtable")
    table["a"] = "x"
    copy = instance(table, "Clone")
    copy["a"] = "y"
    assert table["a"] == "x"
    assert instance(table, "ContainsValue", "x") is True
    assert instance(table, "ContainsValue", "X") is False


def test_exception_data_is_a_list_dictionary():
    from winsim.powershell.clr.exceptions import ClrException
    data = prop(ClrException("boom"), "Data")
    instance(data, "Add", "agent_kind", "io")
    assert instance(data, "Contains", "agent_kind") is True and instance(data, "Contains", "AGENT_KIND") is False
    assert data.__clr_type__.full_name == "System.Collections.ListDictionaryInternal"
    assert not data.__clr_type__.find_methods("ContainsKey", static=False)  # Hashtable's, not this one's
    assert REGISTRY.get("System.Collections.ListDictionaryInternal").is_assignable_to(
        REGISTRY.get("System.Collections.IDictionary"))


def test_ordered_dictionary_keeps_order_and_indexes_by_position():
    ordered = new("System.Collections.Specialized.OrderedDictionary")
    instance(ordered, "Add", "b", 1)
    instance(ordered, "Add", "a", 2)
    instance(ordered, "Insert", 0, "c", 3)
    assert [e.key for e in ordered] == ["c", "b", "a"]
    assert instance(ordered, "get_Item", 0, sig=("int",)) == 3
    assert instance(ordered, "get_Item", "a", sig=("object",)) == 2
    instance(ordered, "RemoveAt", 1)
    assert list(prop(ordered, "Keys")) == ["c", "a"]
    with pytest.raises(ArgumentOutOfRangeException):
        instance(ordered, "RemoveAt", 5)
    assert instance(ordered, "Contains", "A") is False
    assert OrderedDictionary.case_insensitive().ignore_case
    read_only = instance(ordered, "AsReadOnly")
    with pytest.raises(Exception, match=re.escape("Collection is read-only.")):
        instance(read_only, "Add", "z", 1)


def test_arraylist_add_returns_the_index_and_errors_name_the_parameter():
    items = new("System.Collections.ArrayList")
    assert instance(items, "Add", "a") == 0
    assert instance(items, "Add", "b") == 1
    assert prop(items, "Count") == 2
    with pytest.raises(ArgumentOutOfRangeException) as raised:
        instance(items, "get_Item", 2)
    assert prop(raised.value, "Message") == ("Index was out of range. Must be non-negative and less than the size "
                                             "of the collection.\r\nParameter name: index")
    array = instance(items, "ToArray", sig=())
    assert isinstance(array, values.ClrArray) and array.element_type == "System.Object" and list(array) == ["a", "b"]


def test_arraylist_sort_is_culture_ordered_and_mixed_types_fail():
    items = new("System.Collections.ArrayList")
    for word in ("b", "B", "a_b", "aB", "A", "10", "9"):
        instance(items, "Add", word)
    instance(items, "Sort")
    # digits before letters, punctuation before letters (ordinally '_' follows 'B'), lower case first on a tie
    assert list(items) == ["10", "9", "A", "a_b", "aB", "b", "B"]
    mixed = new("System.Collections.ArrayList")
    instance(mixed, "Add", 1)
    instance(mixed, "Add", "1")
    with pytest.raises(InvalidOperationException) as raised:
        instance(mixed, "Sort")
    assert raised.value.message == "Failed to compare two elements in the array."
    assert isinstance(raised.value.inner, ArgumentException)


def test_arraylist_remove_insert_range_and_enumeration_guard():
    items = new("System.Collections.ArrayList")
    instance(items, "AddRange", values.ClrArray([1, 2, 3, 2], "System.Int32"))
    instance(items, "Remove", 2)
    assert list(items) == [1, 3, 2]
    instance(items, "Insert", 0, 0)
    assert instance(items, "IndexOf", 2, sig=("object",)) == 3
    assert instance(items, "Contains", values.Int64(3)) is False  # Object.Equals: Int64 3 is not Int32 3
    with pytest.raises(InvalidOperationException):
        for item in items:
            instance(items, "Add", item)


def test_stack_and_queue_order_and_empty_errors():
    stack = new("System.Collections.Stack")
    instance(stack, "Push", 1)
    instance(stack, "Push", 2)
    assert list(stack) == [2, 1]
    assert list(instance(stack, "ToArray")) == [2, 1]
    assert instance(stack, "Pop") == 2 and instance(stack, "Peek") == 1
    instance(stack, "Pop")
    with pytest.raises(InvalidOperationException, match=re.escape("Stack empty.")):
        instance(stack, "Pop")
    queue = new("System.Collections.Queue")
    instance(queue, "Enqueue", "a")
    instance(queue, "Enqueue", "b")
    assert instance(queue, "Dequeue") == "a" and prop(queue, "Count") == 1
    instance(queue, "Clear")
    with pytest.raises(InvalidOperationException, match=re.escape("Queue empty.")):
        instance(queue, "Peek")


def test_array_members():
    array = values.ClrArray(["c", "a", "b"], "System.String")
    assert prop(array, "Length") == 3 and prop(array, "Rank") == 1
    static("System.Array", "Sort", array)
    assert list(array) == ["a", "b", "c"] and array.element_type == "System.String"
    static("System.Array", "Reverse", array, sig=("System.Array",))
    assert list(array) == ["c", "b", "a"]
    assert static("System.Array", "IndexOf", array, "b", sig=("System.Array", "object")) == 1
    target = values.ClrArray([None] * 4, "System.String")
    static("System.Array", "Copy", array, 0, target, 1, 3, sig=("System.Array", "int", "System.Array", "int", "int"))
    assert list(target) == [None, "c", "b", "a"]
    with pytest.raises(InvalidCastException):
        instance(target, "SetValue", 5, 0, sig=("object", "int"))
    longs = values.ClrArray([values.Int64(0)], "System.Int64")
    instance(longs, "SetValue", 5, 0, sig=("object", "int"))  # Int32 widens to Int64
    assert longs[0] == 5 and isinstance(longs[0], values.Int64)
    with pytest.raises(InvalidCastException):
        instance(values.ClrArray([0], "System.Int32"), "SetValue", values.Int64(5), 0, sig=("object", "int"))
    data = values.ByteArray(b"\x01\x02")
    assert instance(data, "GetValue", 1, sig=("int",)) == values.Byte(2)
    clone = instance(data, "Clone")
    assert isinstance(clone, values.ByteArray) and clone == data and clone is not data
    with pytest.raises(ArgumentException, match=re.escape("Destination array was not long enough")):
        static("System.Array", "Copy", data, values.ByteArray(1), 2, sig=("System.Array", "System.Array", "int"))


def test_string_comparers_sort_and_key_hashtables():
    ordinal = static_prop("System.StringComparer", "Ordinal")
    assert instance(ordinal, "Compare", "a", "B", sig=("string", "string")) > 0
    assert instance(static_prop("System.StringComparer", "CurrentCulture"), "Compare", "a", "B",
                    sig=("string", "string")) < 0
    assert instance(static_prop("System.StringComparer", "OrdinalIgnoreCase"), "Equals", "ABC", "abc",
                    sig=("string", "string")) is True
    items = new("System.Collections.ArrayList")
    for word in ("b", "B", "a"):
        instance(items, "Add", word)
    instance(items, "Sort", ordinal, sig=("System.Collections.IComparer",))
    assert list(items) == ["B", "a", "b"]
    table = new("System.Collections.Hashtable", static_prop("System.StringComparer", "OrdinalIgnoreCase"),
                sig=("System.Collections.IEqualityComparer",))
    table["Key"] = 1
    assert table["KEY"] == 1
    words = values.ClrArray(["b", "A", "a"], "System.String")
    static("System.Array", "Sort", words, static_prop("System.Collections.CaseInsensitiveComparer", "Default"),
           sig=("System.Array", "System.Collections.IComparer"))
    assert list(words)[2] == "b"


def test_arraylist_search_members():
    items = new("System.Collections.ArrayList")
    for number in (1, 3, 5, 3):
        instance(items, "Add", number)
    assert instance(items, "LastIndexOf", 3, sig=("object",)) == 3
    assert instance(items, "LastIndexOf", 3, 2, sig=("object", "int")) == 1
    instance(items, "RemoveAt", 3)
    assert instance(items, "BinarySearch", 5, sig=("object",)) == 2
    assert instance(items, "BinarySearch", 4, sig=("object",)) == ~2  # where 4 would go, complemented
    repeated = static("System.Collections.ArrayList", "Repeat", "x", 3)
    assert list(repeated) == ["x", "x", "x"]
    instance(repeated, "SetRange", 1, values.ClrArray(["y", "z"], "System.String"))
    assert list(repeated) == ["x", "y", "z"]


def test_arraylist_capacity_grows_as_dotnet_grows_it():
    items = new("System.Collections.ArrayList")
    assert prop(items, "Capacity") == 0
    instance(items, "Add", 1)
    assert prop(items, "Capacity") == 4
    for number in range(4):
        instance(items, "Add", number)
    assert prop(items, "Capacity") == 8
    REGISTRY.get("System.Collections.ArrayList").find_property("Capacity", static=False).setter(items, None, 20)
    assert prop(items, "Capacity") == 20
    with pytest.raises(ArgumentOutOfRangeException, match="capacity was less than the current size"):
        REGISTRY.get("System.Collections.ArrayList").find_property("Capacity", static=False).setter(items, None, -1)
    instance(items, "TrimToSize")
    assert prop(items, "Capacity") == 5


def test_ordered_dictionary_int_keys_by_key_and_by_position():
    # what [ordered]@{ 1 = 'one'; 2 = 'two' } builds: keys set by key, then [1] reads a position
    ordered = OrderedDictionary.case_insensitive()
    ordered.set_key(1, "one")
    ordered.set_key(2, "two")
    assert ordered[1] == "two" and ordered.get(1) == "one"
    assert instance(ordered, "get_Item", 1, sig=("object",)) == "one"


def test_sorted_list_keeps_keys_in_culture_order():
    table = new("System.Collections.SortedList", sig=())
    for key in ("b", "B", "a_b", "a"):
        instance(table, "Add", key, key.upper())
    assert [entry.key for entry in table] == ["a", "a_b", "b", "B"]  # culture order, case-sensitive keys
    assert instance(table, "GetKey", 1) == "a_b" and instance(table, "GetByIndex", 3) == "B"
    assert instance(table, "IndexOfKey", "b") == 2 and instance(table, "ContainsKey", "A") is False
    with pytest.raises(ArgumentException, match="Item has already been added"):
        instance(table, "Add", "a", 1)
    instance(table, "Remove", "a_b")
    assert list(prop(table, "Keys")) == ["a", "b", "B"]
    numbers = new("System.Collections.SortedList", sig=())
    instance(numbers, "Add", 10, "x")
    with pytest.raises(InvalidOperationException, match="Failed to compare two elements"):
        instance(numbers, "Add", "10", "y")  # an Int32 and a String key cannot be compared


def test_specialized_collections():
    strings = new("System.Collections.Specialized.StringCollection")
    assert instance(strings, "Add", "b") == 0
    instance(strings, "AddRange", values.ClrArray(["a", "c"], "System.String"))
    assert list(strings) == ["b", "a", "c"] and instance(strings, "IndexOf", "c") == 2
    assert not strings.__clr_type__.find_methods("Sort", static=False)  # StringCollection has no Sort
    small = new("System.Collections.Specialized.ListDictionary", sig=())
    instance(small, "Add", "Key", 1)
    assert instance(small, "Contains", "key") is False and [e.key for e in small] == ["Key"]
    hybrid = new("System.Collections.Specialized.HybridDictionary", True, sig=("bool",))
    instance(hybrid, "Add", "Key", 1)
    assert instance(hybrid, "Contains", "KEY") is True
