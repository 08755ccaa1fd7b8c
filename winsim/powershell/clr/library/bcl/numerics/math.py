"""System.Math (the .NET 2.0 surface): Abs, Max, Min, Sign by numeric type, Floor, Ceiling, Round (banker's by
default, MidpointRounding, digits), Truncate, Pow, Sqrt, Log, Log10, Exp, trigonometry, constants."""

from __future__ import annotations

import decimal
import math

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import ArgumentOutOfRangeException, ArithmeticException, OverflowException
from winsim.powershell.clr.typesystem import Overload, Param, clr_type

MidpointRounding = clr_enum("System.MidpointRounding", {"ToEven": 0, "AwayFromZero": 1})

_INTEGRAL = ("sbyte", "short", "int", "long", "byte", "ushort", "uint", "ulong")
_SIGNED = ("sbyte", "short", "int", "long", "float", "double", "decimal")
_ALL = (*_INTEGRAL, "float", "double", "decimal")


@clr_type("System.Math", instances=(), fields={"PI": math.pi, "E": math.e})
class ClrMath:
    pass


_clr = ClrMath.__clr_type__


def _add(name: str, params: tuple[str, ...], returns: str, impl) -> None:
    declared = tuple(Param.parse(p) for p in params)
    _clr.methods.setdefault(name.lower(), []).append(Overload(name, declared, Param.parse(returns).type, impl, True))


def _same(value, result):
    """A result of the argument's own .NET type."""
    kind = type(value)
    if isinstance(value, bool) or kind in (int, float, decimal.Decimal):
        return result
    return kind(result)


def _abs(rt, value):
    minimum = getattr(type(value), "minimum", None)
    if isinstance(value, int) and ((type(value) is int and value == values.INT32_MIN) or
                                   (minimum is not None and minimum < 0 and value == minimum)):
        raise OverflowException("Negating the minimum value of a twos complement number is invalid.")
    return _same(value, abs(value))


def _sign(rt, value):
    if isinstance(value, float) and math.isnan(value):
        raise ArithmeticException("Function does not accept floating point Not-a-Number values.")
    return (value > 0) - (value < 0)


def _round(rt, value, digits=0, mode=0):
    if not 0 <= digits <= (28 if isinstance(value, decimal.Decimal) else 15):
        raise ArgumentOutOfRangeException("Rounding digits must be between 0 and 15, inclusive.", "digits")
    rounding = decimal.ROUND_HALF_UP if int(mode) == 1 else decimal.ROUND_HALF_EVEN
    if isinstance(value, decimal.Decimal):
        return value.quantize(decimal.Decimal(1).scaleb(-digits), rounding=rounding)
    if not math.isfinite(value):
        return value
    # .NET scales the double by 10^digits, rounds the (binary) result to an integer and scales back.
    power = 10.0 ** digits
    scaled = decimal.Decimal(float(value) * power).quantize(decimal.Decimal(1), rounding=rounding)
    return float(scaled) / power


for _t in _SIGNED:
    _add("Abs", (_t,), _t, _abs)
    _add("Sign", (_t,), "int", _sign)
for _t in _ALL:
    _add("Max", (_t, _t), _t, lambda rt, a, b: a if (a >= b or (isinstance(a, float) and math.isnan(a))) else b)
    _add("Min", (_t, _t), _t, lambda rt, a, b: a if (a <= b or (isinstance(a, float) and math.isnan(a))) else b)

_add("Floor", ("double",), "double", lambda rt, v: float(math.floor(v)) if math.isfinite(v) else v)
_add("Floor", ("decimal",), "decimal", lambda rt, v: v.to_integral_value(rounding=decimal.ROUND_FLOOR))
_add("Ceiling", ("double",), "double", lambda rt, v: float(math.ceil(v)) if math.isfinite(v) else v)
_add("Ceiling", ("decimal",), "decimal", lambda rt, v: v.to_integral_value(rounding=decimal.ROUND_CEILING))
_add("Truncate", ("double",), "double", lambda rt, v: float(math.trunc(v)) if math.isfinite(v) else v)
_add("Truncate", ("decimal",), "decimal", lambda rt, v: v.to_integral_value(rounding=decimal.ROUND_DOWN))
for _t in ("double", "decimal"):
    _add("Round", (_t,), _t, _round)
    _add("Round", (_t, "int"), _t, _round)
    _add("Round", (_t, "System.MidpointRounding"), _t, lambda rt, v, m: _round(rt, v, 0, m))
    _add("Round", (_t, "int", "System.MidpointRounding"), _t, _round)


def _pow(rt, x, y):
    try:
        return math.pow(x, y)
    except (OverflowError, ValueError):
        if x < 0 and not float(y).is_integer():
            return math.nan
        return math.inf


def _safe(fn):
    def call(rt, *args):
        try:
            return fn(*args)
        except ValueError:
            return math.nan
        except OverflowError:
            return math.inf
    return call


_add("Pow", ("double", "double"), "double", _pow)
_add("Sqrt", ("double",), "double", _safe(math.sqrt))
_add("Exp", ("double",), "double", _safe(math.exp))
_add("Log", ("double",), "double", lambda rt, v: -math.inf if v == 0 else _safe(math.log)(rt, v))
_add("Log", ("double", "double"), "double", _safe(math.log))
_add("Log10", ("double",), "double", lambda rt, v: -math.inf if v == 0 else _safe(math.log10)(rt, v))
for _name in ("Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Tanh"):
    _add(_name, ("double",), "double", _safe(getattr(math, _name.lower())))
_add("Atan2", ("double", "double"), "double", _safe(math.atan2))
_add("IEEERemainder", ("double", "double"), "double", _safe(math.remainder))
_add("BigMul", ("int", "int"), "long", lambda rt, a, b: values.Int64(a * b))


def _div_rem(rt, a, b, remainder):
    if b == 0:
        from winsim.powershell.clr.exceptions import DivideByZeroException
        raise DivideByZeroException()
    quotient = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
    remainder.value = _same(a, a - quotient * b)
    return _same(a, quotient)


_add("DivRem", ("int", "int", "out int"), "int", _div_rem)
_add("DivRem", ("long", "long", "out long"), "long", _div_rem)
