"""LanguagePrimitives: truth, [string] of everything, and conversion to a type (casts, typed parameters,
method arguments). Sources: ABOUT Type_Conversion, ABOUT Booleans, SPEC ch06, semantics reference §5."""

from __future__ import annotations

import decimal
import math
import re

from winsim.powershell.automation.errors import PSInvalidCastException, RuntimeException, terminating
from winsim.powershell.automation.switches import SwitchParameter
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.typesystem import REGISTRY, type_of
from winsim.powershell.semantics import enumeration
from winsim.powershell.semantics.types import TypeObject, full_name_of, resolve

_INT_TYPES = dict(values.INTEGER_TYPES)
_INT_RANGES = {name: (cls.minimum, cls.maximum) for name, cls in _INT_TYPES.items()}
_INT_RANGES["System.Int32"] = (values.INT32_MIN, values.INT32_MAX)
_INT_SHORT = {"System.Int32": "Int32", "System.Int64": "Int64", "System.Byte": "Byte", "System.SByte": "SByte",
              "System.Int16": "Int16", "System.UInt16": "UInt16", "System.UInt32": "UInt32", "System.UInt64": "UInt64"}


def is_true(value: object, version: tuple[int, int] = (2, 0)) -> bool:
    """LanguagePrimitives.IsTrue."""
    if value is None:
        return False
    if value is True or value is False:
        return value
    if isinstance(value, str):
        return len(value) > 0
    if isinstance(value, (int, float, decimal.Decimal)):
        return value != 0
    if isinstance(value, EnumValue):
        # Enum values are always true before 5.0 (semantics reference §3.14).
        return version < (5, 0) or value.value != 0
    if isinstance(value, (values.ClrArray, list, values.ByteArray)):
        if len(value) == 0:
            return False
        if len(value) == 1:
            return is_true(value[0], version)
        return True
    if isinstance(value, SwitchParameter):
        return value.present
    if enumeration.is_list(value):
        count = len(value)
        if count == 0:
            return False
        return is_true(next(iter(value)), version) if count == 1 else True
    return True


def format_double(value: float) -> str:
    """Double.ToString(InvariantCulture): 'G' with 15 significant digits (.NET Framework)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"  # .NET Framework prints -0.0 as 0
    text = format(value, ".15G")
    if "E" in text:
        mantissa, exponent = text.split("E")
        sign = exponent[0]
        digits = exponent[1:].lstrip("0").rjust(2, "0")
        text = f"{mantissa}E{sign}{digits}"
    return text


def format_single(value: float) -> str:
    text = format(value, ".7G")
    if "E" in text:
        mantissa, exponent = text.split("E")
        text = f"{mantissa}E{exponent[0]}{exponent[1:].lstrip('0').rjust(2, '0')}"
    return text


def to_string(value: object, rt=None, *, nested: bool = False) -> str:
    """PowerShell's [string]: invariant culture; enumerables joined with $OFS (a single space)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str.__str__(value)
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, values.Single):
        return format_single(value)
    if isinstance(value, float):
        return format_double(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, EnumValue):
        return str(value)
    if enumeration.is_enumerable(value):
        if nested:
            return full_name_of(value)
        return _separator(rt).join(to_string(item, rt, nested=True) for item in enumeration.iterate(value))
    return object_to_string(value, rt)


def _separator(rt) -> str:
    """$OFS, the output field separator (a space unless the script sets it)."""
    session = getattr(rt, "session", None)
    if session is None or not session.frames:
        return " "
    separator = session.frames[-1].scope.lookup("ofs")
    return " " if separator is None else to_string(separator)


def object_to_string(value: object, rt=None) -> str:
    """ToString() of a .NET object (IFormattable ones with the invariant culture)."""
    clr = type_of(value)
    if clr is not None:
        for overload in clr.find_methods("ToString", static=False):
            if len(overload.params) == 1 and overload.params[0].type == "System.IFormatProvider":
                culture = REGISTRY.get("System.Globalization.CultureInfo")
                invariant = culture.find_property("InvariantCulture", static=True) if culture else None
                if invariant is not None:
                    return str(overload.impl(value, rt, invariant.getter(rt)))
        for overload in clr.find_methods("ToString", static=False):
            if not overload.params:
                return str(overload.impl(value, rt))
        return clr.full_name
    return str(value)


# -- numbers from strings ------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str) -> int | float | decimal.Decimal | None:
    """A string as PowerShell reads a number: trimmed, '' is 0, hex with 0x, invariant decimal point."""
    text = text.strip()
    if not text:
        return 0
    negative = text.startswith("-")
    body = text[1:] if text[:1] in "+-" else text
    if body[:2].lower() == "0x":
        try:
            number = int(body[2:], 16)
        except ValueError:
            return None
        if number <= 0xFFFFFFFF and number > values.INT32_MAX:
            number -= 0x100000000
        return -number if negative else number
    if not _NUMBER.match(text):
        return None
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return float(text)


def _cast_error(value: object, target: str, reason: str | None = None) -> Exception:
    if reason is None:
        if isinstance(value, str):
            message = (f'Cannot convert value "{value}" to type "{target}". '
                       'Error: "Input string was not in a correct format."')
        else:
            message = (f'Cannot convert the "{to_string(value)}" value of type "{full_name_of(value)}" '
                       f'to type "{target}".')
    else:
        message = f'Cannot convert value "{to_string(value)}" to type "{target}". Error: "{reason}"'
    error_id = "InvalidCastFromStringToInteger" if isinstance(value, str) else "ConvertToFinalInvalidCastException"
    inner = PSInvalidCastException(message, error_id=error_id, category="InvalidArgument", target=value)
    # A failed cast reaches scripts as a RuntimeException around the PSInvalidCastException.
    return terminating(RuntimeException(message, inner, error_id=error_id, category="InvalidArgument", target=value))


def to_integer(value: object, target: str = "System.Int32", rt=None) -> int:
    low, high = _INT_RANGES[target]
    number: object = value
    if value is None:
        number = 0
    elif isinstance(value, bool):
        number = int(value)
    elif isinstance(value, values.Char):
        number = ord(value)
    elif isinstance(value, str):
        number = parse_number(value)
        if number is None:
            raise _cast_error(value, target)
    elif isinstance(value, EnumValue):
        number = value.value
    elif not isinstance(value, (int, float, decimal.Decimal)):
        if enumeration.is_enumerable(value):
            items = list(enumeration.iterate(value))
            if len(items) == 1:
                return to_integer(items[0], target, rt)
        raise _cast_error(value, target)
    if isinstance(number, (float, decimal.Decimal)):
        if isinstance(number, float) and (math.isnan(number) or math.isinf(number)):
            raise _cast_error(value, target, f"Value was either too large or too small for an {_INT_SHORT[target]}.")
        number = round(number)  # half to even, as .NET's Convert does
    if not low <= number <= high:
        short = _INT_SHORT[target]
        article = "an" if short[0] in "AEIOU" else "a"
        raise _cast_error(value, target, f"Value was either too large or too small for {article} {short}.")
    cls = _INT_TYPES.get(target)
    return cls(number) if cls is not None else int(number)


def to_double(value: object, rt=None, target: str = "System.Double") -> float:
    if value is None:
        return 0.0
    if isinstance(value, values.Char):
        return float(ord(value))
    if isinstance(value, str):
        number = parse_number(value)
        if number is None:
            if value.strip() in ("NaN", "Infinity", "-Infinity"):
                return float(value.strip().replace("Infinity", "inf"))
            raise _cast_error(value, target)
        return float(number)
    if isinstance(value, EnumValue):
        return float(value.value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return float(value)
    raise _cast_error(value, target)


def to_decimal(value: object, rt=None) -> decimal.Decimal:
    if isinstance(value, str):
        text = value.strip() or "0"
        try:
            return decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise _cast_error(value, "System.Decimal") from None
    if isinstance(value, float):
        return decimal.Decimal(format_double(value))
    if value is None or isinstance(value, (int, decimal.Decimal)):
        return decimal.Decimal(int(value or 0)) if not isinstance(value, decimal.Decimal) else value
    raise _cast_error(value, "System.Decimal")


def to_char(value: object, rt=None) -> values.Char:
    if isinstance(value, str) and len(value) == 1:
        return values.Char(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFF:
        return values.Char(int(value))
    if value is None:
        return values.Char("\0")
    if isinstance(value, str):
        raise _cast_error(value, "System.Char", "String must be exactly one character long.")
    raise _cast_error(value, "System.Char")


def to_array(value: object, element: TypeObject, rt=None):
    if value is None:
        return None
    # An array that already is of the type is passed as itself (.NET passes arrays by reference).
    if isinstance(value, values.ByteArray) and element.full_name == "System.Byte":
        return value
    if isinstance(value, values.ClrArray) and value.element_type == element.full_name:
        return value
    if isinstance(value, str) and element.full_name == "System.Char":
        return values.ClrArray((values.Char(c) for c in value), "System.Char")  # [char[]]'abc': its characters
    items = list(enumeration.iterate(value)) if enumeration.is_enumerable(value) else [value]
    if element.full_name == "System.Byte":
        return values.ByteArray(to_integer(item, "System.Byte") for item in items)
    if element.full_name == "System.Object":
        return values.ClrArray(items, "System.Object")
    if element.full_name == "System.String" and all(type(item) is str for item in items):
        return values.ClrArray(items, "System.String")  # strings already: nothing to convert one by one
    return values.ClrArray((convert(item, element, rt) for item in items), element.full_name)


def to_enum(value: object, target: TypeObject, rt=None) -> EnumValue:
    info = target.clr.enum
    if isinstance(value, EnumValue):
        if value.type_name == target.full_name:
            return value
        return EnumValue(target.full_name, value.value)
    if isinstance(value, str):
        number = info.parse(value)
        if number is None:
            names = ", ".join(f'"{n}"' for n in info.members)
            message = (f'Cannot convert value "{value}" to type "{target.full_name}" due to invalid enumeration '
                       "values. "
                       f"Specify one of the following enumeration values and try again. The possible enumeration "
                       f"values are {names}.")
            raise terminating(PSInvalidCastException(message.replace('" to type', '" to type'),
                                                     error_id="RuntimeException", category="InvalidArgument"))
        return EnumValue(target.full_name, number)
    if isinstance(value, int) and not isinstance(value, bool):
        return EnumValue(target.full_name, int(value))
    if enumeration.is_enumerable(value):
        # Flags from several names: [FileAttributes]('ReadOnly','Hidden')
        return to_enum(",".join(to_string(item) for item in enumeration.iterate(value)), target, rt)
    raise _cast_error(value, target.full_name)


def _to_bool(value, target, rt):
    return is_true(value, getattr(rt, "ps_version", (2, 0)))


def _to_string(value, target, rt):
    return to_string(value, rt)


_DIRECT = {
    "System.Object": lambda value, target, rt: value,
    "System.String": _to_string,
    "System.Boolean": _to_bool,
    "System.Management.Automation.SwitchParameter": lambda value, target, rt: SwitchParameter(is_true(value)),
    "System.Double": lambda value, target, rt: to_double(value, rt),
    "System.Single": lambda value, target, rt: values.Single(to_double(value, rt, "System.Single")),
    "System.Decimal": lambda value, target, rt: to_decimal(value, rt),
    "System.Char": lambda value, target, rt: to_char(value, rt),
    "System.Void": lambda value, target, rt: None,
    "System.Array": lambda value, target, rt: value if isinstance(value, (values.ClrArray, values.ByteArray))
    else to_array(value, TypeObject("System.Object", None), rt),
}
for _name in _INT_RANGES:
    _DIRECT[_name] = (lambda name: lambda value, target, rt: to_integer(value, name, rt))(_name)


def convert(value: object, target: TypeObject, rt=None):
    """LanguagePrimitives.ConvertTo(value, target)."""
    direct = _DIRECT.get(target.full_name)
    if direct is not None:
        return direct(value, target, rt)
    if target.element is not None:
        return to_array(value, target.element, rt)
    if target.full_name == "System.Type":
        if isinstance(value, TypeObject):
            return value
        if isinstance(value, str):
            found = resolve(value, getattr(rt, "ps_version", (2, 0)))
            if found is None:
                from winsim.powershell.automation.errors import type_not_found
                raise type_not_found(value)
            return found
        raise _cast_error(value, target.full_name)
    clr = target.clr
    if clr is None:
        raise _cast_error(value, target.full_name)
    if clr.enum is not None:
        return to_enum(value, target, rt)
    if value is None:
        return None
    if is_instance(value, target):
        return value
    return _convert_by_members(value, target, rt)


def _convert_by_members(value: object, target: TypeObject, rt):
    """Other targets: static Parse(string), then a one-argument constructor (ABOUT Type_Conversion)."""
    from winsim.powershell.clr.exceptions import ClrException
    clr = target.clr
    if isinstance(value, str):
        for overload in clr.find_methods("Parse", static=True):
            if len(overload.params) == 1 and overload.params[0].type == "System.String":
                try:
                    return overload.impl(rt, value)
                except ClrException as error:
                    raise _cast_error(value, target.full_name, error.message) from None
    source = full_name_of(value)
    candidates = sorted((c for c in clr.constructors if len(c.params) == 1),
                        key=lambda c: c.params[0].type != source)
    for overload in candidates:
        param_type = resolve(overload.params[0].type)
        if param_type is None or not is_instance(value, param_type):
            continue
        try:
            return overload.impl(rt, value)
        except ClrException as error:
            raise _cast_error(value, target.full_name, error.message) from None
    raise _cast_error(value, target.full_name)


def is_instance(value: object, target: TypeObject) -> bool:
    """`-is`: the value's type is the target, derives from it or implements it."""
    if value is None:
        return False
    name = target.full_name
    if name == "System.Object":
        return True
    if target.element is not None:
        if isinstance(value, values.ByteArray):
            return target.element.full_name in ("System.Byte", "System.Object")
        if not isinstance(value, values.ClrArray):
            return False
        if target.element.full_name == value.element_type:
            return True
        element = resolve(value.element_type)
        return (target.element.full_name == "System.Object" and element is not None
                and not (element.clr and element.clr.value_type)) or (
            element is not None and element.clr is not None and target.element.clr is not None
            and not element.clr.value_type and element.clr.is_assignable_to(target.element.clr))
    if isinstance(value, EnumValue):
        return value.type_name == name or name in ("System.Enum", "System.ValueType")
    key = (type(value), name)
    known = _assignable.get(key)
    if known is None:
        clr = type_of(value)
        if clr is None or target.clr is None:
            known = clr is not None and clr.full_name == name
        else:
            known = clr.is_assignable_to(target.clr)
        _assignable[key] = known
    return known


_assignable: dict[tuple[type, str], bool] = {}
