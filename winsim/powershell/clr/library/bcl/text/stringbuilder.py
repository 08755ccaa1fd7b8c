"""System.Text.StringBuilder: a mutable string (its Append family returns the builder itself, which
PowerShell scripts see as output unless they discard it). Clear() is .NET 4.0: marked so CLR 2.0 lacks it."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentNullException,
    ArgumentOutOfRangeException,
    IndexOutOfRangeException,
)
from winsim.powershell.clr.library.bcl import text_rules
from winsim.powershell.clr.library.bcl.composite_format import composite_format
from winsim.powershell.clr.library.bcl.objects import clr_string, since
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter

_APPENDABLE = ("object", "bool", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "float",
               "double", "decimal", "char")
MAX_CAPACITY = 0x7FFFFFFF
_INDEX_RANGE = "Index was out of range. Must be non-negative and less than the size of the collection."


def _append_value(fn):
    for type_name in _APPENDABLE:
        method("Append", type_name, returns="System.Text.StringBuilder")(fn)
    return fn


@clr_type("System.Text.StringBuilder", interfaces=("System.Runtime.Serialization.ISerializable",))
class StringBuilder:
    def __init__(self, text: str = "", capacity: int = 16) -> None:
        self._parts: list[str] = [text] if text else []
        self._length = len(text)
        self._capacity = max(capacity, self._length)

    def __repr__(self) -> str:
        return f"StringBuilder({self.text()!r})"

    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def append(self, text: str) -> StringBuilder:
        if text:
            self._parts.append(text)
            self._length += len(text)
            while self._capacity < self._length:
                self._capacity *= 2
        return self

    def _set(self, text: str) -> None:
        self._parts = [text] if text else []
        self._length = len(text)
        self._capacity = max(self._capacity, self._length)

    @constructor()
    @constructor("int")
    @staticmethod
    def create(rt, capacity=16):
        if capacity < 0:
            raise ArgumentOutOfRangeException("'capacity' must be greater than zero.", "capacity")
        return StringBuilder(capacity=capacity)

    @constructor("string")
    @constructor("string", "int")
    @staticmethod
    def create_text(rt, text, capacity=16):
        return StringBuilder(text or "", capacity)

    @constructor("int", "int")
    @staticmethod
    def create_bounded(rt, capacity, maximum):
        return StringBuilder(capacity=capacity)

    @constructor("string", "int", "int", "int")
    @staticmethod
    def create_part(rt, text, start, length, capacity):
        text = text or ""
        if start < 0 or length < 0 or start > len(text) - length:
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "startIndex")
        return StringBuilder(text[start:start + length], capacity)

    @method("Append", "string", returns="System.Text.StringBuilder")
    def append_string(self, rt, text):
        return self.append(text or "")

    @_append_value
    def append_value(self, rt, value):
        kind = type(value)
        if kind is int:  # Int32.ToString() and Boolean.ToString() need no culture: the common cases inline
            return self.append(str(value))
        if kind is bool:
            return self.append("True" if value else "False")
        return self.append(clr_string(value, rt))

    @method("Append", "char[]", returns="System.Text.StringBuilder")
    def append_chars(self, rt, chars):
        return self.append(text_rules.chars_of(chars))

    @method("Append", "char", "int", returns="System.Text.StringBuilder")
    def append_repeated(self, rt, ch, count):
        if count < 0:
            raise ArgumentOutOfRangeException("Count cannot be less than zero.", "repeatCount")
        return self.append(str(ch) * count)

    @method("Append", "string", "int", "int", returns="System.Text.StringBuilder")
    @method("Append", "char[]", "int", "int", returns="System.Text.StringBuilder")
    def append_part(self, rt, text, start, count):
        text = text_rules.chars_of(text) if not isinstance(text, str) else text
        if text is None or text == "":
            if start == 0 and count == 0:
                return self
            raise ArgumentNullException(None, "value")
        if start < 0 or count < 0:
            raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size "
                                              "of the collection.", "startIndex" if start < 0 else "count")
        if start > len(text) - count:
            raise ArgumentOutOfRangeException("Index and count must refer to a location within the buffer.", "count")
        return self.append(text[start:start + count])

    @method("AppendLine", returns="System.Text.StringBuilder")
    @method("AppendLine", "string", returns="System.Text.StringBuilder")
    def append_line(self, rt, text=""):
        return self.append((text or "") + "\r\n")

    @method("AppendFormat", "string", "object", returns="System.Text.StringBuilder")
    @method("AppendFormat", "string", "object", "object", returns="System.Text.StringBuilder")
    @method("AppendFormat", "string", "object", "object", "object", returns="System.Text.StringBuilder")
    def append_format(self, rt, fmt, *args):
        if fmt is None:
            raise ArgumentNullException(None, "format")
        return self.append(composite_format(fmt, list(args), None, rt))

    @method("AppendFormat", "string", "params object[]", returns="System.Text.StringBuilder")
    def append_format_array(self, rt, fmt, args):
        if fmt is None or args is None:
            raise ArgumentNullException(None, "format" if fmt is None else "args")
        return self.append(composite_format(fmt, list(args), None, rt))

    @method("AppendFormat", "System.IFormatProvider", "string", "params object[]",
            returns="System.Text.StringBuilder")
    def append_format_provider(self, rt, provider, fmt, args):
        if fmt is None or args is None:
            raise ArgumentNullException(None, "format" if fmt is None else "args")
        return self.append(composite_format(fmt, list(args), provider, rt))

    @method("Insert", "int", "string", returns="System.Text.StringBuilder")
    @method("Insert", "int", "object", returns="System.Text.StringBuilder")
    @method("Insert", "int", "char", returns="System.Text.StringBuilder")
    def insert(self, rt, index, value):
        current = self.text()
        if not 0 <= index <= len(current):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "index")
        self._set(current[:index] + clr_string(value, rt) + current[index:])
        return self

    @method("Remove", "int", "int", returns="System.Text.StringBuilder")
    def remove(self, rt, start, length):
        current = self.text()
        if length < 0 or start < 0:
            raise ArgumentOutOfRangeException("Length cannot be less than zero." if length < 0 else
                                              "StartIndex cannot be less than zero.",
                                              "length" if length < 0 else "startIndex")
        if start + length > len(current):
            raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size "
                                              "of the collection.", "length")
        self._set(current[:start] + current[start + length:])
        return self

    @method("Replace", "string", "string", returns="System.Text.StringBuilder")
    @method("Replace", "string", "string", "int", "int", returns="System.Text.StringBuilder")
    def replace(self, rt, old, new, start=0, count=None):
        from winsim.powershell.clr.exceptions import ArgumentException
        if old is None:
            raise ArgumentNullException(None, "oldValue")
        if old == "":
            raise ArgumentException("String cannot be of zero length.", "oldValue")
        current = self.text()
        count = len(current) - start if count is None else count
        if start < 0 or count < 0 or start > len(current) - count:
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "startIndex" if start < 0 else "count")
        self._set(current[:start] + current[start:start + count].replace(old, new or "") + current[start + count:])
        return self

    @method("Replace", "char", "char", returns="System.Text.StringBuilder")
    def replace_char(self, rt, old, new):
        self._set(self.text().replace(str(old), str(new)))
        return self

    @since(4)
    @method("Clear", returns="System.Text.StringBuilder")
    def clear(self, rt):
        self._set("")
        return self

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.text()

    @method("ToString", "int", "int", returns="string")
    def to_string_part(self, rt, start, length):
        current = self.text()
        if start < 0 or length < 0 or start > len(current) - length:
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "startIndex" if start < 0 else "length")
        return current[start:start + length]

    @getter("Length", "int")
    def get_length(self, rt):
        return self._length

    @setter("Length", "int")
    def set_length(self, rt, length):
        if length < 0:
            raise ArgumentOutOfRangeException("Length cannot be less than zero.", "length")
        current = self.text()
        self._set(current[:length] + "\0" * max(0, length - len(current)))

    @getter("Capacity", "int")
    def get_capacity(self, rt):
        return self._capacity

    @setter("Capacity", "int")
    def set_capacity(self, rt, capacity):
        if capacity < self._length:
            raise ArgumentOutOfRangeException("capacity was less than the current size.", "value")
        self._capacity = capacity

    @getter("MaxCapacity", "int")
    def get_max_capacity(self, rt):
        return MAX_CAPACITY

    @method("EnsureCapacity", "int", returns="int")
    def ensure_capacity(self, rt, capacity):
        if capacity < 0:
            raise ArgumentOutOfRangeException("'capacity' must be non-negative.", "capacity")
        self._capacity = max(self._capacity, capacity)
        return self._capacity

    @method("get_Chars", "int", returns="char")
    def get_chars(self, rt, index):
        current = self.text()
        if not 0 <= index < len(current):
            raise IndexOutOfRangeException()
        return values.Char(current[index])

    @method("set_Chars", "int", "char")
    def set_chars(self, rt, index, ch):
        current = self.text()
        if not 0 <= index < len(current):
            raise ArgumentOutOfRangeException(_INDEX_RANGE, "index")
        self._set(current[:index] + str(ch) + current[index + 1:])

    @method("Equals", "System.Text.StringBuilder", returns="bool")
    def equals_builder(self, rt, other):
        return isinstance(other, StringBuilder) and other.text() == self.text() and \
            other._capacity == self._capacity
