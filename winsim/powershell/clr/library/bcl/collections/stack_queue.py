"""System.Collections.Stack (last in, first out; enumerates from the top) and System.Collections.Queue."""

from __future__ import annotations

from collections.abc import Iterator

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentNullException,
    ArgumentOutOfRangeException,
    InvalidOperationException,
)
from winsim.powershell.clr.library.bcl.collections.arraylist import index_of
from winsim.powershell.clr.library.bcl.collections.enumerators import ListEnumerator, guarded
from winsim.powershell.clr.library.bcl.collections.hashtable import copy_into
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

_INTERFACES = ("System.Collections.ICollection", "System.Collections.IEnumerable", "System.ICloneable")


class _Sequence:
    """Items kept in enumeration order (a Stack's top first, a Queue's head first)."""

    def __init__(self, items=()) -> None:
        self._items: list = list(items)
        self._version = 0

    def __iter__(self) -> Iterator:
        return guarded(lambda: list(self._items), lambda: self._version)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"

    def _changed(self) -> None:
        self._version += 1


def _capacity(capacity: int) -> None:
    if capacity < 0:
        raise ArgumentOutOfRangeException("Non-negative number required.", "capacity")


@clr_type("System.Collections.Stack", interfaces=_INTERFACES)
class Stack(_Sequence):
    @constructor()
    @constructor("int")
    @staticmethod
    def create(rt, capacity=0):
        _capacity(capacity)
        return Stack()

    @constructor("System.Collections.ICollection")
    @staticmethod
    def create_from(rt, source):
        if source is None:
            raise ArgumentNullException(None, "col")
        return Stack(reversed(list(source)))

    @getter("Count", "int")
    def count(self, rt):
        return len(self._items)

    @method("Push", "object")
    def push(self, rt, value):
        self._items.insert(0, value)
        self._changed()

    @method("Pop", returns="object")
    def pop(self, rt):
        if not self._items:
            raise InvalidOperationException("Stack empty.")
        self._changed()
        return self._items.pop(0)

    @method("Peek", returns="object")
    def peek(self, rt):
        if not self._items:
            raise InvalidOperationException("Stack empty.")
        return self._items[0]

    @method("Clear")
    def clear(self, rt):
        self._items.clear()
        self._changed()

    @method("Contains", "object", returns="bool")
    def contains(self, rt, value):
        return index_of(self._items, value) >= 0

    @method("ToArray", returns="object[]")
    def to_array(self, rt):
        return values.ClrArray(self._items, "System.Object")

    @method("CopyTo", "System.Array", "int")
    def copy_to(self, rt, array, index):
        copy_into(self._items, array, index)

    @method("Clone", returns="object")
    def clone(self, rt):
        copy = Stack()
        copy._items = list(self._items)
        return copy

    @method("GetEnumerator", returns="System.Collections.IEnumerator")
    def get_enumerator(self, rt):
        return ListEnumerator(lambda: iter(self))


@clr_type("System.Collections.Queue", interfaces=_INTERFACES)
class Queue(_Sequence):
    @constructor()
    @constructor("int")
    @staticmethod
    def create(rt, capacity=0):
        _capacity(capacity)
        return Queue()

    @constructor("System.Collections.ICollection")
    @staticmethod
    def create_from(rt, source):
        if source is None:
            raise ArgumentNullException(None, "col")
        return Queue(source)

    @getter("Count", "int")
    def count(self, rt):
        return len(self._items)

    @method("Enqueue", "object")
    def enqueue(self, rt, value):
        self._items.append(value)
        self._changed()

    @method("Dequeue", returns="object")
    def dequeue(self, rt):
        if not self._items:
            raise InvalidOperationException("Queue empty.")
        self._changed()
        return self._items.pop(0)

    @method("Peek", returns="object")
    def peek(self, rt):
        if not self._items:
            raise InvalidOperationException("Queue empty.")
        return self._items[0]

    @method("Clear")
    def clear(self, rt):
        self._items.clear()
        self._changed()

    @method("Contains", "object", returns="bool")
    def contains(self, rt, value):
        return index_of(self._items, value) >= 0

    @method("ToArray", returns="object[]")
    def to_array(self, rt):
        return values.ClrArray(self._items, "System.Object")

    @method("CopyTo", "System.Array", "int")
    def copy_to(self, rt, array, index):
        copy_into(self._items, array, index)

    @method("Clone", returns="object")
    def clone(self, rt):
        return Queue(self._items)

    @method("GetEnumerator", returns="System.Collections.IEnumerator")
    def get_enumerator(self, rt):
        return ListEnumerator(lambda: iter(self))
