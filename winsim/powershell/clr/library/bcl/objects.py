"""System.Object, System.ValueType, System.Boolean, the core interfaces, and the conversions to text every other
type relies on (Object.ToString through the registry)."""

from __future__ import annotations

import struct
import types
import zlib

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import ArgumentNullException, FormatException
from winsim.powershell.clr.typesystem import ClrType, clr_type, getter, interface, method, type_of

# -- interfaces (.NET 2.0 non-generic ones the library implements) -----------------------------------------------
for _name, _extends in (
        ("System.Collections.IEnumerable", ()),
        ("System.Collections.IEnumerator", ()),
        ("System.Collections.ICollection", ("System.Collections.IEnumerable",)),
        ("System.Collections.IList", ("System.Collections.ICollection",)),
        ("System.Collections.IDictionary", ("System.Collections.ICollection",)),
        ("System.Collections.IDictionaryEnumerator", ("System.Collections.IEnumerator",)),
        ("System.Collections.IComparer", ()),
        ("System.Collections.IEqualityComparer", ()),
        ("System.ICloneable", ()), ("System.IComparable", ()), ("System.IFormattable", ()),
        ("System.IConvertible", ()), ("System.IFormatProvider", ()), ("System.IDisposable", ()),
        ("System.Runtime.Serialization.ISerializable", ()),
        ("System.Collections.Specialized.IOrderedDictionary", ("System.Collections.IDictionary",)),
        ("System.Security.Cryptography.ICryptoTransform", ("System.IDisposable",))):
    interface(_name, extends=_extends)(type(_name.rsplit(".", 1)[-1], (), {}))


def fresh(fn):
    """A copy of a plain function without member marks, so several types can declare one implementation
    under their own names (typesystem marks live on the function object)."""
    copy = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
    copy.__qualname__ = fn.__qualname__
    return copy


def since(major: int, minor: int = 0):
    """Marks a member implementation as .NET Framework `major.minor` and later: the language's binder hides it
    from processes on an older CLR (PowerShell 2.0 runs CLR 2.0; 5.1 runs CLR 4)."""
    def mark(fn):
        target = fn.__func__ if isinstance(fn, staticmethod) else fn
        target.__clr_since__ = (major, minor)
        return fn
    return mark


PRIMITIVE_INTERFACES = ("System.IComparable", "System.IFormattable", "System.IConvertible")
COMPARABLE_CONVERTIBLE = ("System.IComparable", "System.IConvertible")  # Boolean and Char: not IFormattable


def clr_type_of(value: object) -> ClrType | None:
    """The registered type of a value, enums included (EnumValue carries its own)."""
    clr = getattr(value, "clr", None)
    if isinstance(clr, ClrType):
        return clr
    return type_of(value)


def type_name_of(value: object) -> str:
    """The .NET full name of a value's type, as Object.ToString() and error messages show it."""
    name = values.clr_type_name(value)
    if name:
        return name
    clr = clr_type_of(value)
    return clr.full_name if clr is not None else type(value).__name__


def clr_string(value: object, rt=None) -> str:
    """value.ToString() as .NET answers it: "" for null, else the most derived ToString() overload."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    clr = clr_type_of(value)
    if clr is not None:
        for overload in clr.find_methods("ToString", static=False):
            if not overload.params:
                return overload.impl(value, rt)
    return type_name_of(value)


def clr_format(value: object, fmt: str | None, provider=None, rt=None) -> str:
    """IFormattable.ToString(format, provider) where the value has it (numbers, dates, enums...), else
    ToString(): what composite formatting does with "{0:fmt}"."""
    if value is None:
        return ""
    if fmt:
        clr = clr_type_of(value)
        if clr is not None:
            for overload in clr.find_methods("ToString", static=False):
                if len(overload.params) == 2 and overload.params[0].type == "System.String" and (
                        "System.IFormattable" in clr.interfaces() or _in_this_clr(overload.impl, rt)):
                    return overload.impl(value, rt, fmt, provider)
    return clr_string(value, rt)


def _in_this_clr(impl, rt) -> bool:
    """A member marked since(...) that the process's CLR has (TimeSpan became IFormattable in .NET 4.0)."""
    from winsim.powershell.clr.exceptions import clr_major
    since_version = getattr(impl, "__clr_since__", None)
    return since_version is not None and since_version[0] <= clr_major(rt)


def clr_equals(a: object, b: object) -> bool:
    """Object.Equals: value equality for strings and value types of the same type, else identity."""
    if a is None or b is None:
        return a is b
    if isinstance(a, (str, int, float, values.Decimal)) or getattr(type_of(a), "value_type", False):
        return type_name_of(a) == type_name_of(b) and a == b
    if hasattr(a, "clr_equals"):
        return a.clr_equals(b)
    return a is b


def clr_hash(value: object, rt=None) -> int:
    """GetHashCode: .NET's values for numbers and strings (String's differs between the 32-bit and the
    64-bit CLR, picked by the process's architecture); other objects get a stable Int32 of their own."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        v, name = int(value), values.clr_type_name(value)
        if name in ("System.Int64", "System.UInt64"):
            return _int32((v & 0xFFFFFFFF) ^ ((v >> 32) & 0xFFFFFFFF))
        if name == "System.Int16":
            return _int32((v & 0xFFFF) | (v << 16))
        if name == "System.SByte":
            return _int32(v ^ (v << 8))
        return _int32(v)
    if isinstance(value, float):
        if value == 0:
            return 0  # 0.0 and -0.0 are equal, so they hash alike
        if isinstance(value, values.Single):
            return _int32(struct.unpack("<i", struct.pack("<f", value))[0])
        bits = struct.unpack("<q", struct.pack("<d", value))[0]
        return _int32((bits & 0xFFFFFFFF) ^ ((bits >> 32) & 0xFFFFFFFF))
    if isinstance(value, values.Char):
        return _int32(ord(value) | (ord(value) << 16))
    if isinstance(value, str):
        text = str(value)
        return string_hash_64(text) if _sixty_four_bit(rt) else string_hash_32(text)
    return _int32(zlib.crc32(repr(id(value)).encode()))


def _sixty_four_bit(rt) -> bool:
    env = getattr(getattr(rt, "process", None), "env", None) or {}
    return str(env.get("PROCESSOR_ARCHITECTURE", "x86")).casefold() in ("amd64", "ia64")


def string_hash_32(text: str) -> int:
    """String.GetHashCode of the 32-bit .NET 2.0 CLR: two interleaved hashes over pairs of UTF-16 units read
    as Int32s (the terminating null pads an odd length)."""
    units = text.encode("utf-16-le") + bytes(8)
    hash1 = hash2 = (5381 << 16) + 5381
    length, offset = len(text), 0
    while length > 0:
        word = units[offset] | units[offset + 1] << 8 | units[offset + 2] << 16 | units[offset + 3] << 24
        hash1 = _int32(((hash1 << 5) + hash1 + (hash1 >> 27)) ^ word)
        if length <= 2:
            break
        word = units[offset + 4] | units[offset + 5] << 8 | units[offset + 6] << 16 | units[offset + 7] << 24
        hash2 = _int32(((hash2 << 5) + hash2 + (hash2 >> 27)) ^ word)
        offset += 8
        length -= 4
    return _int32(hash1 + hash2 * 1566083941)


def string_hash_64(text: str) -> int:
    """String.GetHashCode of the 64-bit .NET 2.0 CLR: over single characters, stopping at a null."""
    hash1 = hash2 = 5381
    index = 0
    while index < len(text) and text[index] != "\0":
        hash1 = _int32(((hash1 << 5) + hash1) ^ ord(text[index]))
        if index + 1 >= len(text) or text[index + 1] == "\0":
            break
        hash2 = _int32(((hash2 << 5) + hash2) ^ ord(text[index + 1]))
        index += 2
    return _int32(hash1 + hash2 * 1566083941)


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value & 0x80000000 else value


@clr_type("System.Object", base=None, instances=())
class ClrObject:
    @method("ToString", returns="string")
    def to_string(self, rt):
        return type_name_of(self)

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return clr_equals(self, other)

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        return clr_hash(self, rt)

    @method("Equals", "object", "object", returns="bool", static=True)
    def equals_static(rt, a, b):
        return clr_equals(a, b)

    @method("ReferenceEquals", "object", "object", returns="bool", static=True)
    def reference_equals(rt, a, b):
        if isinstance(a, (int, float, values.Decimal)) or getattr(clr_type_of(a), "value_type", False):
            return False  # each value passed as object is boxed anew: never the same reference
        return a is b


@clr_type("System.ValueType", instances=())
class ClrValueType:
    pass


@clr_type("System.Boolean", base="System.ValueType", instances=(bool,), value_type=True,
          interfaces=COMPARABLE_CONVERTIBLE, fields={"TrueString": "True", "FalseString": "False"})
class ClrBoolean:
    @method("ToString", returns="string")
    @method("ToString", "System.IFormatProvider", returns="string")
    def to_string(self, rt, provider=None):
        return "True" if self else "False"

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return isinstance(other, bool) and other == self

    @method("CompareTo", "object", returns="int")
    def compare_to(self, rt, other):
        if other is None:
            return 1
        if not isinstance(other, bool):
            from winsim.powershell.clr.exceptions import ArgumentException
            raise ArgumentException("Object must be of type Boolean.")
        return int(self) - int(other)

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        return int(self)

    @method("Parse", "string", returns="bool", static=True)
    def parse(rt, text):
        if text is None:
            raise ArgumentNullException(None, "value")
        result = parse_boolean(text)
        if result is None:
            raise FormatException("String was not recognized as a valid Boolean.")
        return result

    @method("TryParse", "string", "out bool", returns="bool", static=True)
    def try_parse(rt, text, result):
        parsed = parse_boolean(text) if text is not None else None
        result.value = bool(parsed)
        return parsed is not None


def parse_boolean(text: str) -> bool | None:
    # Boolean.Parse trims white space and trailing nulls and ignores case.
    word = text.strip().rstrip("\0").strip().lower()
    return {"true": True, "false": False}.get(word)


@clr_type("System.Runtime.InteropServices.Marshal", instances=())
class Marshal:
    @method("GetHRForException", "System.Exception", returns="int", static=True)
    def get_hr_for_exception(rt, exception):
        return 0 if exception is None else exception.hresult

    @method("GetLastWin32Error", returns="int", static=True)
    def get_last_win32_error(rt):
        return 0

    @getter("SystemDefaultCharSize", "int", static=True)
    def default_char_size(rt):
        return 2


TypeCode = clr_enum("System.TypeCode", {
    "Empty": 0, "Object": 1, "DBNull": 2, "Boolean": 3, "Char": 4, "SByte": 5, "Byte": 6, "Int16": 7, "UInt16": 8,
    "Int32": 9, "UInt32": 10, "Int64": 11, "UInt64": 12, "Single": 13, "Double": 14, "Decimal": 15, "DateTime": 16,
    "String": 18})
ConsoleColor = clr_enum("System.ConsoleColor", {
    "Black": 0, "DarkBlue": 1, "DarkGreen": 2, "DarkCyan": 3, "DarkRed": 4, "DarkMagenta": 5, "DarkYellow": 6,
    "Gray": 7, "DarkGray": 8, "Blue": 9, "Green": 10, "Cyan": 11, "Red": 12, "Magenta": 13, "Yellow": 14,
    "White": 15})
