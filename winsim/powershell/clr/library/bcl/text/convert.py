"""System.Convert: Base64 (with .NET's white-space tolerance and errors), integers in bases 2/8/10/16, and the
ToX(value) conversions between primitive types (IConvertible: rounding half to even, overflow checks)."""

from __future__ import annotations

import base64
import binascii
import decimal
import math
import re

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    FormatException,
    InvalidCastException,
)
from winsim.powershell.clr.library.bcl.numerics import number_parse
from winsim.powershell.clr.library.bcl.objects import clr_string, type_name_of
from winsim.powershell.clr.typesystem import Overload, Param, clr_type

Base64FormattingOptions = clr_enum("System.Base64FormattingOptions", {"None": 0, "InsertLineBreaks": 1},
                                   flags=True)

_RANGES = {  # .NET type keyword -> (full name, minimum, maximum, wrapper)
    "sbyte": ("System.SByte", -0x80, 0x7F, values.SByte), "byte": ("System.Byte", 0, 0xFF, values.Byte),
    "short": ("System.Int16", -0x8000, 0x7FFF, values.Int16), "ushort": ("System.UInt16", 0, 0xFFFF, values.UInt16),
    "int": ("System.Int32", values.INT32_MIN, values.INT32_MAX, int),
    "uint": ("System.UInt32", 0, 0xFFFFFFFF, values.UInt32),
    "long": ("System.Int64", -(1 << 63), (1 << 63) - 1, values.Int64),
    "ulong": ("System.UInt64", 0, (1 << 64) - 1, values.UInt64)}
_BITS = {"sbyte": 8, "byte": 8, "short": 16, "ushort": 16, "int": 32, "uint": 32, "long": 64, "ulong": 64}
_SOURCES = ("object", "string", "bool", "char", "sbyte", "byte", "short", "ushort", "int", "uint", "long", "ulong",
            "float", "double", "decimal")


@clr_type("System.Convert", instances=())
class Convert:
    pass


_clr = Convert.__clr_type__


def _add(name: str, params: tuple[str, ...], returns: str, impl) -> None:
    _clr.methods.setdefault(name.lower(), []).append(
        Overload(name, tuple(Param.parse(p) for p in params), Param.parse(returns).type, impl, True))


# -- Base64 ------------------------------------------------------------------------------------------------------
def to_base64(rt, data, offset=0, length=None, options=0):
    if data is None:
        raise ArgumentNullException(None, "inArray")
    length = len(data) - offset if length is None else length
    if offset < 0 or length < 0:
        raise ArgumentOutOfRangeException("Value must be positive." if length < 0 else "Index was out of range. "
                                          "Must be non-negative and less than the size of the collection.",
                                          "length" if length < 0 else "offset")
    if offset > len(data) - length:
        raise ArgumentOutOfRangeException("Offset and length must refer to a position in the string.", "offset")
    text = base64.b64encode(bytes(data[offset:offset + length])).decode("ascii")
    if int(options) & 1:
        text = "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))
    return text


def from_base64(rt, text):
    if text is None:
        raise ArgumentNullException(None, "s")
    compact = re.sub(r"[ \t\r\n]", "", text)  # .NET skips white space anywhere
    if len(compact) % 4:
        raise FormatException("Invalid length for a Base-64 char array.")
    if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", compact):
        raise FormatException("Invalid character in a Base-64 string.")
    try:
        return values.ByteArray(base64.b64decode(compact, validate=True))
    except binascii.Error:
        raise FormatException("Invalid character in a Base-64 string.") from None


_add("ToBase64String", ("byte[]",), "string", to_base64)
_add("ToBase64String", ("byte[]", "System.Base64FormattingOptions"), "string",
     lambda rt, data, options: to_base64(rt, data, 0, None, options))
_add("ToBase64String", ("byte[]", "int", "int"), "string", to_base64)
_add("ToBase64String", ("byte[]", "int", "int", "System.Base64FormattingOptions"), "string", to_base64)
_add("FromBase64String", ("string",), "byte[]", from_base64)
def from_base64_chars(rt, chars, offset, length):
    if chars is None:
        raise ArgumentNullException(None, "inArray")
    if offset < 0 or length < 0:
        raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size of "
                                          "the collection.", "offset" if offset < 0 else "length")
    if offset > len(chars) - length:
        raise ArgumentOutOfRangeException("Offset and length must refer to a position in the string.", "offset")
    return from_base64(rt, "".join(map(str, chars))[offset:offset + length])


_add("FromBase64CharArray", ("char[]", "int", "int"), "byte[]", from_base64_chars)


# -- integers in a base -------------------------------------------------------------------------------------------
def parse_in_base(text: str | None, base: int, kind: str):
    name, minimum, maximum, wrap = _RANGES[kind]
    if base not in (2, 8, 10, 16):
        raise ArgumentException("Invalid Base.")
    if text is None:
        return wrap(0)
    if text == "":
        raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size of "
                                          "the collection.", "startIndex")
    if base == 10:
        return wrap(number_parse.parse_integer(text, number_parse.INTEGER, None, name, minimum, maximum,
                                               _BITS[kind]))
    body = text
    if body.startswith("-"):
        raise ArgumentException("String cannot contain a minus sign if the base is not 10.")
    if base == 16 and body[:2].lower() == "0x":
        body = body[2:]
    digits = {2: "01", 8: "01234567", 16: "0123456789abcdefABCDEF"}[base]
    length = 0
    while length < len(body) and body[length] in digits:
        length += 1
    if length == 0:
        raise FormatException("Could not find any recognizable digits.")
    if length != len(body):
        raise FormatException("Additional non-parsable characters are at the end of the string.")
    number = int(body, base)
    bits = _BITS[kind]
    if number >= 1 << bits:
        raise number_parse.overflow(name)
    if minimum < 0 and number >= 1 << (bits - 1):
        number -= 1 << bits  # the digits are the two's complement bits
    return wrap(number)


def format_in_base(value: int, base: int, bits: int) -> str:
    if base not in (2, 8, 10, 16):
        raise ArgumentException("Invalid Base.")
    if base == 10:
        return str(int(value))
    number = int(value) & ((1 << bits) - 1)
    return {2: format(number, "b"), 8: format(number, "o"), 16: format(number, "x")}[base]


for _kind in ("byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong"):
    _target = "To" + _RANGES[_kind][0].rsplit(".", 1)[-1]
    _add(_target, ("string", "int"), _kind, lambda rt, text, base, _k=_kind: parse_in_base(text, base, _k))
for _kind, _bits in (("byte", 8), ("short", 16), ("int", 32), ("long", 64)):
    _add("ToString", (_kind, "int"), "string", lambda rt, value, base, _b=_bits: format_in_base(value, base, _b))


# -- IConvertible conversions -------------------------------------------------------------------------------------
def _cast_error(value, target: str) -> InvalidCastException:
    source = type_name_of(value).rsplit(".", 1)[-1]
    return InvalidCastException(f"Invalid cast from '{source}' to '{target}'.")


def to_integer(value, kind: str):
    name, minimum, maximum, wrap = _RANGES[kind]
    if value is None:
        return wrap(0)
    if isinstance(value, bool):
        return wrap(int(value))
    if isinstance(value, values.Char):
        number = ord(value)
    elif isinstance(value, str):
        return wrap(number_parse.parse_integer(value, number_parse.INTEGER, None, name, minimum, maximum,
                                               _BITS[kind]))
    elif isinstance(value, int):
        number = int(value)
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise number_parse.overflow(name)
        number = int(decimal.Decimal(value).to_integral_value(rounding=decimal.ROUND_HALF_EVEN))
    elif isinstance(value, decimal.Decimal):
        number = int(value.to_integral_value(rounding=decimal.ROUND_HALF_EVEN))
    elif hasattr(value, "type_name"):  # an enum value
        number = int(value)
    else:
        raise _cast_error(value, name.rsplit(".", 1)[-1])
    if not minimum <= number <= maximum:
        raise number_parse.overflow(name)
    return wrap(number)


def to_double(value, single: bool = False):
    if value is None:
        return 0.0
    if isinstance(value, str) and not isinstance(value, values.Char):
        return number_parse.parse_double(value, number_parse.FLOAT_THOUSANDS, None, single)
    if isinstance(value, (bool, int, float, decimal.Decimal)) and not isinstance(value, values.Char):
        return float(value)
    raise _cast_error(value, "Single" if single else "Double")


def to_boolean(value):
    if value is None:
        return False
    if isinstance(value, str) and not isinstance(value, values.Char):
        from winsim.powershell.clr.library.bcl.objects import parse_boolean
        parsed = parse_boolean(value)
        if parsed is None:
            raise FormatException("String was not recognized as a valid Boolean.")
        return parsed
    if isinstance(value, (bool, int, float, decimal.Decimal)) and not isinstance(value, values.Char):
        return value != 0
    raise _cast_error(value, "Boolean")


def to_char(value):
    if isinstance(value, values.Char):
        return value
    if isinstance(value, str):
        if len(value) != 1:
            raise FormatException("String must be exactly one character long.")
        return values.Char(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= 0xFFFF:
            raise number_parse.OverflowException("Value was either too large or too small for a character.")
        return values.Char(chr(value))
    if value is None:
        return values.Char("\0")
    raise _cast_error(value, "Char")


def to_decimal(value):
    if value is None:
        return decimal.Decimal(0)
    if isinstance(value, str) and not isinstance(value, values.Char):
        return number_parse.parse_decimal(value, 111, None)
    if isinstance(value, (bool, int, decimal.Decimal)) and not isinstance(value, values.Char):
        return decimal.Decimal(int(value) if isinstance(value, bool) else value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise number_parse.overflow("System.Decimal")
        # Decimal(double) keeps 15 significant digits, Decimal(float) 7
        digits = 7 if isinstance(value, values.Single) else 15
        return number_parse.to_decimal(decimal.Decimal(f"{float(value):.{digits}g}"))
    raise _cast_error(value, "Decimal")


for _kind in _RANGES:
    _target = "To" + _RANGES[_kind][0].rsplit(".", 1)[-1]
    for _source in _SOURCES:
        _add(_target, (_source,), _kind, lambda rt, value, _k=_kind: to_integer(value, _k))
    _add(_target, ("string", "System.IFormatProvider"), _kind, lambda rt, value, p, _k=_kind: to_integer(value, _k))
for _source in _SOURCES:
    _add("ToDouble", (_source,), "double", lambda rt, value: to_double(value))
    _add("ToSingle", (_source,), "float", lambda rt, value: values.Single(to_double(value, True)))
    _add("ToBoolean", (_source,), "bool", lambda rt, value: to_boolean(value))
    _add("ToDecimal", (_source,), "decimal", lambda rt, value: to_decimal(value))
    # Convert.ToString((string)null) is null; every other null is ""
    _add("ToString", (_source,), "string", (lambda rt, value: value) if _source == "string" else
         (lambda rt, value: clr_string(value, rt)))
for _source in ("object", "string", "char", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong"):
    _add("ToChar", (_source,), "char", lambda rt, value: to_char(value))
_add("ToString", ("object", "System.IFormatProvider"), "string", lambda rt, value, provider: clr_string(value, rt))
_add("ToDouble", ("string", "System.IFormatProvider"), "double",
     lambda rt, value, provider: 0.0 if value is None else
     number_parse.parse_double(value, number_parse.FLOAT_THOUSANDS, provider))
_add("ToDateTime", ("string",), "System.DateTime", lambda rt, value: _to_datetime(rt, value))
_add("ToDateTime", ("object",), "System.DateTime", lambda rt, value: _to_datetime(rt, value))


def _to_datetime(rt, value):
    from winsim.powershell.clr.library.bcl.time.datetime import DateTime
    if value is None:
        return DateTime(0)
    if isinstance(value, DateTime):
        return value
    if isinstance(value, str) and not isinstance(value, values.Char):
        return DateTime.parse(rt, value)
    raise _cast_error(value, "DateTime")


_CHANGE = {
    "System.Double": lambda v: to_double(v), "System.Single": lambda v: values.Single(to_double(v, True)),
    "System.Boolean": lambda v: to_boolean(v), "System.Decimal": lambda v: to_decimal(v),
    "System.Char": lambda v: to_char(v),
    **{full: (lambda v, _k=kind: to_integer(v, _k)) for kind, (full, *_rest) in _RANGES.items()},
}


def change_type(rt, value, target):
    """Convert.ChangeType(value, Type): the IConvertible conversions between primitives, strings and DateTime."""
    clr = getattr(target, "clr", target)
    name = getattr(clr, "full_name", None)
    if name is None:
        raise ArgumentNullException(None, "conversionType")
    if value is None:
        if getattr(clr, "value_type", False):
            raise InvalidCastException("Null object cannot be converted to a value type.")
        return None
    if name == "System.Object" or values.clr_type_name(value) == name:
        return value
    if name == "System.String":
        return clr_string(value, rt)
    if name == "System.DateTime":
        return _to_datetime(rt, value)
    converter = _CHANGE.get(name)
    if converter is None:
        from winsim.powershell.clr.typesystem import type_of
        own = type_of(value)
        if own is not None and own.is_assignable_to(clr):
            return value
        raise InvalidCastException("Object must implement IConvertible." if own is None or
                                   "System.IConvertible" not in own.interfaces() else
                                   f"Invalid cast from '{own.full_name}' to '{name}'.")
    return converter(value)


_add("ChangeType", ("object", "System.Type"), "object", change_type)
