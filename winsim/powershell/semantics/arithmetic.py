"""Arithmetic and bitwise operators with .NET widening (ABOUT Arithmetic_Operators, SPEC ch07 §7.6-7.7,
semantics reference §5.6-5.9): Int32 -> Int64 -> Double on overflow, Decimal beats all, strings and
arrays have their own + and *."""

from __future__ import annotations

import decimal
import math

from winsim.powershell.automation.errors import runtime_error
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.typesystem import type_of
from winsim.powershell.semantics import conversions, enumeration

_WIDE = (values.Int64, values.UInt32, values.UInt64)
_DECIMAL_MAX = decimal.Decimal(79228162514264337593543950335)


def _number(value: object, op: str) -> int | float | decimal.Decimal:
    """An operand of a numeric operator (strings parse invariant; $null is 0)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return value
    if isinstance(value, str):
        number = conversions.parse_number(value)
        if number is None:
            raise runtime_error(f'Cannot convert value "{value}" to type "System.Int32". Error: "Input string was '
                                'not in a correct format."', "InvalidCastFromStringToInteger", "InvalidArgument")
        return number
    if isinstance(value, EnumValue):
        return value.value
    raise runtime_error(f'Method invocation failed because [{type_of(value).full_name if type_of(value) else "?"}]'
                        f" doesn't contain a method named 'op_{op}'.", "MethodNotFound", "InvalidOperation")


def _integral_result(result: int, a, b):
    """Keep Int32 when both fit, else Int64, else Double (overflow widens)."""
    wide = isinstance(a, _WIDE) or isinstance(b, _WIDE)
    if not wide and values.INT32_MIN <= result <= values.INT32_MAX:
        return result
    if values.Int64.minimum <= result <= values.Int64.maximum:
        return values.Int64(result) if wide else float(result)
    return float(result)


def numeric(op: str, a, b):
    x, y = _number(a, op), _number(b, op)
    if isinstance(x, decimal.Decimal) or isinstance(y, decimal.Decimal):
        x, y = decimal.Decimal(x) if not isinstance(x, float) else decimal.Decimal(repr(x)), \
            decimal.Decimal(y) if not isinstance(y, float) else decimal.Decimal(repr(y))
        result = _apply(op, x, y, decimal_=True)
        if abs(result) > _DECIMAL_MAX:
            raise runtime_error("Value was either too large or too small for a Decimal.", "RuntimeException")
        return result
    if isinstance(x, float) or isinstance(y, float):
        single = isinstance(x, values.Single) and isinstance(y, values.Single)
        result = _apply(op, float(x), float(y))
        return values.Single(result) if single else result
    x, y = int(x), int(y)
    if op == "Division":
        if y == 0:
            raise _divide_by_zero()
        if x % y == 0:
            return _integral_result(x // y, a, b)
        return x / y
    if op == "Modulus":
        if y == 0:
            raise _divide_by_zero()
        return _integral_result(int(math.fmod(x, y)), a, b)
    return _integral_result(_apply(op, x, y), a, b)


def _divide_by_zero():
    """.NET's DivideByZeroException, reaching the script inside a RuntimeException (catch and trap of
    [DivideByZeroException] match it)."""
    from winsim.powershell.automation.errors import RuntimeException, terminating
    from winsim.powershell.clr.typesystem import REGISTRY
    declared = REGISTRY.get("System.DivideByZeroException")
    inner = declared.py_types[0]("Attempted to divide by zero.") if declared is not None else None
    return terminating(RuntimeException("Attempted to divide by zero.", inner, error_id="RuntimeException"))


def _apply(op: str, x, y, decimal_: bool = False):
    if op == "Addition":
        return x + y
    if op == "Subtraction":
        return x - y
    if op == "Multiply":
        return x * y
    if op == "Division":
        if y == 0:
            if decimal_:
                raise _divide_by_zero()
            return math.copysign(math.inf, x) if x else math.nan
        return x / y
    if op == "Modulus":
        if y == 0:
            if decimal_:
                raise _divide_by_zero()
            return math.nan
        return math.fmod(x, y) if not decimal_ else x % y
    raise ValueError(op)


def _operator_method(op: str, a, b):
    """op_Addition and kin declared by the class library (DateTime + TimeSpan ...)."""
    for operand in (a, b):
        clr = type_of(operand)
        if clr is None:
            continue
        for overload in clr.find_methods("op_" + op, static=True):
            return overload
    return None


def add(a, b, rt=None):
    if type(a) is int and type(b) is int:
        result = a + b
        if values.INT32_MIN <= result <= values.INT32_MAX:
            return result
    if a is None:
        return b
    if isinstance(a, str):
        return str.__str__(a) + conversions.to_string(b, rt)
    if isinstance(a, (values.ClrArray, list)) or (enumeration.is_enumerable(a) and enumeration.is_list(a)):
        right = list(enumeration.iterate(b)) if enumeration.is_enumerable(b) else [b]
        return enumeration.new_array([*enumeration.iterate(a), *right])
    if enumeration.is_dictionary(a):
        if not enumeration.is_dictionary(b):
            raise runtime_error("A hash table can only be added to another hash table.",
                                "AddHashTableToNonHashTable", "InvalidOperation")
        return _add_dictionaries(a, b)
    return _numeric_or_method("Addition", a, b, rt)


def _add_dictionaries(a, b):
    from winsim.powershell.semantics.collections import new_hashtable
    result = new_hashtable()
    for source in (a, b):
        for entry in source:
            key, value = _entry(entry)
            if key in result:
                raise runtime_error(f"Item has already been added. Key in dictionary: '{key}'  Key being added: "
                                    f"'{key}'", "RuntimeException")
            result[key] = value
    return result


def _entry(entry):
    return getattr(entry, "key", None), getattr(entry, "value", None)


def _numeric_or_method(op: str, a, b, rt):
    if isinstance(a, (int, float, decimal.Decimal, EnumValue, values.Char, str)) or a is None:
        if isinstance(a, values.Char):
            a = ord(a)
        return numeric(op, a, b)
    overload = _operator_method(op, a, b)
    if overload is not None:
        return overload.impl(rt, a, b)
    clr = type_of(a)
    name = clr.full_name if clr else conversions.full_name_of(a)
    raise runtime_error(f"Method invocation failed because [{name}] doesn't contain a method named 'op_{op}'.",
                        "MethodNotFound", "InvalidOperation")


def subtract(a, b, rt=None):
    if type(a) is int and type(b) is int:
        result = a - b
        if values.INT32_MIN <= result <= values.INT32_MAX:
            return result
    return _numeric_or_method("Subtraction", a, b, rt)


def multiply(a, b, rt=None):
    if isinstance(a, str):
        return str.__str__(a) * int(conversions.to_integer(b))
    if isinstance(a, (values.ClrArray, list)):
        return enumeration.new_array(list(a) * int(conversions.to_integer(b)))
    return _numeric_or_method("Multiply", a, b, rt)


def divide(a, b, rt=None):
    return _numeric_or_method("Division", a, b, rt)


def modulus(a, b, rt=None):
    return _numeric_or_method("Modulus", a, b, rt)


def _integer_operand(value):
    if isinstance(value, EnumValue):
        return value.value
    if isinstance(value, float):
        return conversions.to_integer(value, "System.Int64")
    number = _number(value, "BitwiseAnd")
    return int(number) if not isinstance(number, float) else round(number)


def bitwise(op: str, a, b, rt=None):
    x, y = _integer_operand(a), _integer_operand(b)
    result = x & y if op == "band" else x | y if op == "bor" else x ^ y
    if isinstance(a, EnumValue):
        return EnumValue(a.type_name, result)
    wide = isinstance(a, _WIDE) or isinstance(b, _WIDE) or isinstance(a, float) or isinstance(b, float) or \
        not (values.INT32_MIN <= x <= values.INT32_MAX and values.INT32_MIN <= y <= values.INT32_MAX)
    if wide:
        return values.Int64(_wrap64(result))
    return _wrap32(result)


def bitwise_not(a):
    x = _integer_operand(a)
    if isinstance(a, EnumValue):
        return EnumValue(a.type_name, ~x)
    if isinstance(a, _WIDE) or not values.INT32_MIN <= x <= values.INT32_MAX:
        return values.Int64(_wrap64(~x))
    return ~x


def shift(op: str, a, b):
    x, y = _integer_operand(a), _integer_operand(b)
    wide = isinstance(a, _WIDE) or not values.INT32_MIN <= x <= values.INT32_MAX
    if wide:
        y &= 63
        return values.Int64(_wrap64(x << y if op == "shl" else x >> y))
    y &= 31
    return _wrap32(x << y if op == "shl" else x >> y)


def _wrap32(n: int) -> int:
    n &= 0xFFFFFFFF
    return n - 0x100000000 if n > values.INT32_MAX else n


def _wrap64(n: int) -> int:
    n &= 0xFFFFFFFFFFFFFFFF
    return n - 0x10000000000000000 if n > values.Int64.maximum else n


def negate(a):
    if isinstance(a, str):
        a = _number(a, "UnaryNegation")
    if a is None:
        return 0
    if isinstance(a, bool):
        return -int(a)
    if isinstance(a, int) and not isinstance(a, _WIDE) and type(a) is not int:
        return -int(a)
    if isinstance(a, int):
        return _integral_result(-int(a), a, 0)
    return -a


def range_values(a, b):
    start, end = conversions.to_integer(a), conversions.to_integer(b)
    step = 1 if end >= start else -1
    return enumeration.new_array(range(start, end + step, step))
