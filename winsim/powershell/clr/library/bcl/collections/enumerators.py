"""System.Collections.DictionaryEntry and the enumerators GetEnumerator() returns.

Python iteration is how the interpreter enumerates: every collection's __iter__ yields what its .NET
IEnumerator yields (dictionaries yield DictionaryEntry). Enumerators check the collection's version on every
step, so changing a collection while enumerating it fails as it does in .NET."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from winsim.powershell.clr.exceptions import InvalidOperationException
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter

MODIFIED = "Collection was modified; enumeration operation may not execute."


def guarded(items: Callable[[], list], version: Callable[[], int]) -> Iterator:
    """Iterates a snapshot of items, raising as .NET does once the collection's version has moved."""
    start = version()
    for item in items():
        if version() != start:
            raise InvalidOperationException(MODIFIED)
        yield item
    if version() != start:
        raise InvalidOperationException(MODIFIED)


@clr_type("System.Collections.DictionaryEntry", base="System.ValueType", value_type=True)
class DictionaryEntry:
    __slots__ = ("key", "value")

    def __init__(self, key: object = None, value: object = None) -> None:
        self.key = key
        self.value = value

    def __repr__(self) -> str:
        return f"DictionaryEntry({self.key!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DictionaryEntry) and (self.key, self.value) == (other.key, other.value)

    __hash__ = None  # mutable value type

    @constructor("object", "object")
    @staticmethod
    def create(rt, key, value):
        return DictionaryEntry(key, value)

    @getter("Key", "object")
    def get_key(self, rt):
        return self.key

    @setter("Key", "object")
    def set_key(self, rt, key):
        self.key = key

    @getter("Value", "object")
    def get_value(self, rt):
        return self.value

    @setter("Value", "object")
    def set_value(self, rt, value):
        self.value = value


class _Enumerator:
    """MoveNext/Current/Reset over an iterator factory; Python iteration yields what is left. The concrete
    enumerators below register these members as their own."""

    def __init__(self, make: Callable[[], Iterator]) -> None:
        self._make = make
        self._iterator = make()
        self._current: object = None
        self._state = 0  # 0 before the first item, 1 on an item, 2 after the last

    def __iter__(self) -> Iterator:
        while self.move_next(None):
            yield self._current

    @method("MoveNext", returns="bool")
    def move_next(self, rt):
        if self._state == 2:
            return False
        try:
            self._current = next(self._iterator)
        except StopIteration:
            self._state, self._current = 2, None
            return False
        self._state = 1
        return True

    @getter("Current", "object")
    def get_current(self, rt):
        if self._state != 1:
            raise InvalidOperationException("Enumeration has either not started or has already finished.")
        return self._current

    @method("Reset")
    def reset(self, rt):
        self._iterator, self._state, self._current = self._make(), 0, None


@clr_type("System.Collections.ArrayList+ArrayListEnumeratorSimple", interfaces=("System.Collections.IEnumerator",
                                                                                 "System.ICloneable"))
class ListEnumerator(_Enumerator):
    """The enumerator of ArrayList, Stack, Queue and arrays (one model: they behave alike)."""

    move_next, get_current, reset = _Enumerator.move_next, _Enumerator.get_current, _Enumerator.reset


@clr_type("System.Collections.Hashtable+HashtableEnumerator",
          interfaces=("System.Collections.IDictionaryEnumerator", "System.ICloneable"))
class DictionaryEnumerator(_Enumerator):
    """The enumerator of Hashtable and OrderedDictionary: Current is a DictionaryEntry."""

    move_next, get_current, reset = _Enumerator.move_next, _Enumerator.get_current, _Enumerator.reset

    @getter("Entry", "System.Collections.DictionaryEntry")
    def get_entry(self, rt):
        return _Enumerator.get_current(self, rt)

    @getter("Key", "object")
    def get_key(self, rt):
        return _Enumerator.get_current(self, rt).key

    @getter("Value", "object")
    def get_value(self, rt):
        return _Enumerator.get_current(self, rt).value


@clr_type("System.CharEnumerator", interfaces=("System.Collections.IEnumerator", "System.ICloneable"))
class CharEnumerator(_Enumerator):
    """String.GetEnumerator(): the string's characters."""

    move_next, get_current, reset = _Enumerator.move_next, _Enumerator.get_current, _Enumerator.reset
