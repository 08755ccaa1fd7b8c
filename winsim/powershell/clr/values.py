"""How .NET values are represented in Python, for the interpreter and the class library alike.

| .NET                      | Python                                                                |
|---------------------------|-----------------------------------------------------------------------|
| null                      | None                                                                  |
| System.String             | str                                                                   |
| System.Char               | Char (a str subclass of length 1)                                     |
| System.Boolean            | bool                                                                  |
| System.Int32              | int (plain; always kept within Int32's range by whoever makes one)    |
| System.Int64, Byte, ...   | Int64, Byte, SByte, Int16, UInt16, UInt32, UInt64 (int subclasses)    |
| System.Double             | float (plain)                                                         |
| System.Single             | Single (a float subclass)                                             |
| System.Decimal            | decimal.Decimal                                                       |
| System.Byte[]             | ByteArray (a bytearray subclass: byte arrays stay compact)            |
| any other T[]             | ClrArray (a list subclass carrying its element type's full name)      |
| everything else           | an instance of a class registered with @clr_type (see typesystem.py)  |

Arithmetic on the int subclasses returns plain ints: the interpreter (which knows PowerShell's widening
rules) and the type system (which coerces a member's declared return type) put the .NET type back.
"""

from __future__ import annotations

import decimal


class _Integer(int):
    __slots__ = ()
    clr_name = ""
    minimum = 0
    maximum = 0

    def __new__(cls, value: int = 0):
        value = int(value)
        if not cls.minimum <= value <= cls.maximum:
            raise OverflowError(f"{value} is out of range for {cls.clr_name}")
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"


class Byte(_Integer):
    __slots__ = ()
    clr_name, minimum, maximum = "System.Byte", 0, 0xFF


class SByte(_Integer):
    __slots__ = ()
    clr_name, minimum, maximum = "System.SByte", -0x80, 0x7F


class Int16(_Integer):
    __slots__ = ()
    clr_name, minimum, maximum = "System.Int16", -0x8000, 0x7FFF


class UInt16(_Integer):
    __slots__ = ()
    clr_name, minimum, maximum = "System.UInt16", 0, 0xFFFF


class UInt32(_Integer):
    __slots__ = ()
    clr_name, minimum, maximum = "System.UInt32", 0, 0xFFFFFFFF


class Int64(_Integer):
    __slots__ = ()
    clr_name, minimum, maximum = "System.Int64", -0x8000000000000000, 0x7FFFFFFFFFFFFFFF


class UInt64(_Integer):
    __slots__ = ()
    clr_name, minimum, maximum = "System.UInt64", 0, 0xFFFFFFFFFFFFFFFF


INT32_MIN, INT32_MAX = -0x80000000, 0x7FFFFFFF

# The integer wrappers by .NET full name; System.Int32 is the plain int.
INTEGER_TYPES: dict[str, type[int]] = {cls.clr_name: cls for cls in (Byte, SByte, Int16, UInt16, UInt32, Int64, UInt64)}


class Single(float):
    __slots__ = ()
    clr_name = "System.Single"

    def __repr__(self) -> str:
        return f"Single({float(self)!r})"


class Char(str):
    """System.Char: one UTF-16 code unit (the model keeps to the BMP)."""
    __slots__ = ()
    clr_name = "System.Char"

    def __new__(cls, value: str | int):
        if isinstance(value, int):
            value = chr(value)
        if len(value) != 1:
            raise ValueError("a Char holds exactly one character")
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return f"Char({str.__repr__(self)})"


class ByteArray(bytearray):
    """System.Byte[]: indexing in Python gives ints; the interpreter wraps them as Byte."""
    clr_name = "System.Byte[]"
    element_type = "System.Byte"


class ClrArray(list):
    """A .NET array other than Byte[]: fixed size (the class library and interpreter never append to it)."""
    __slots__ = ("element_type",)

    def __init__(self, items=(), element_type: str = "System.Object") -> None:
        super().__init__(items)
        self.element_type = element_type

    def __repr__(self) -> str:
        return f"ClrArray({list.__repr__(self)}, {self.element_type!r})"


Decimal = decimal.Decimal


def clr_type_name(value: object) -> str:
    """The .NET full name of a value's type, for the representations above (None for null). Classes
    registered with @clr_type answer through the registry (typesystem.type_of)."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, _Integer):
        return value.clr_name
    if isinstance(value, int):
        return "System.Int32"
    if isinstance(value, Single):
        return "System.Single"
    if isinstance(value, float):
        return "System.Double"
    if isinstance(value, Char):
        return "System.Char"
    if isinstance(value, str):
        return "System.String"
    if isinstance(value, decimal.Decimal):
        return "System.Decimal"
    if isinstance(value, ByteArray):
        return "System.Byte[]"
    if isinstance(value, ClrArray):
        return value.element_type + "[]"
    return ""
