"""The numeric primitives: Byte, SByte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Single, Double, Decimal.
Each gets MaxValue/MinValue, ToString (with formats and providers), Parse/TryParse (with NumberStyles and
providers), Equals, CompareTo and GetHashCode; Double and Single also their special values and tests."""

from __future__ import annotations

import decimal
import math
import struct
from collections.abc import Callable

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import ArgumentException, ClrException
from winsim.powershell.clr.library.bcl.numerics import number_format as fmt
from winsim.powershell.clr.library.bcl.numerics import number_parse as parse
from winsim.powershell.clr.library.bcl.objects import PRIMITIVE_INTERFACES, clr_hash
from winsim.powershell.clr.typesystem import clr_type, method

_TYPE_CODES = {"System.SByte": 5, "System.Byte": 6, "System.Int16": 7, "System.UInt16": 8, "System.Int32": 9,
               "System.UInt32": 10, "System.Int64": 11, "System.UInt64": 12, "System.Single": 13,
               "System.Double": 14, "System.Decimal": 15}


def _common(full_name: str, make: Callable, to_text: Callable, parse_text: Callable, default_styles: int,
            instances: tuple, fields: dict) -> type:
    """Declares one numeric type from its maker (Python value -> .NET value), formatter and parser."""
    short = full_name.rsplit(".", 1)[-1]
    kind = full_name

    def same_type(other) -> bool:
        return values.clr_type_name(other) == kind

    @method("ToString", returns="string")
    def to_string(self, rt):
        return to_text(self, None, None)

    @method("ToString", "string", returns="string")
    def to_string_format(self, rt, form):
        return to_text(self, form, None)

    @method("ToString", "System.IFormatProvider", returns="string")
    def to_string_provider(self, rt, provider):
        return to_text(self, None, provider)

    @method("ToString", "string", "System.IFormatProvider", returns="string")
    def to_string_both(self, rt, form, provider):
        return to_text(self, form, provider)

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        if not same_type(other):
            return False
        if isinstance(self, float) and math.isnan(self):
            return math.isnan(other)  # Double.Equals(NaN) is true, unlike ==
        return other == self

    @method("CompareTo", "object", returns="int")
    def compare_to(self, rt, other):
        if other is None:
            return 1
        if not same_type(other):
            raise ArgumentException(f"Object must be of type {short}.")
        if isinstance(self, float) and (math.isnan(self) or math.isnan(other)):
            return (not math.isnan(self)) - (not math.isnan(other))  # NaN sorts first
        return (self > other) - (self < other)

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        if isinstance(self, decimal.Decimal):
            return clr_hash(str(self.normalize()), rt)  # not .NET's value: equal decimals hash alike
        return clr_hash(self, rt)

    @method("GetTypeCode", returns="System.TypeCode")
    def get_type_code(self, rt):
        return EnumValue("System.TypeCode", _TYPE_CODES[kind])

    @method("Parse", "string", returns=kind, static=True)
    def parse_plain(rt, text):
        return make(parse_text(text, default_styles, None))

    @method("Parse", "string", "System.Globalization.NumberStyles", returns=kind, static=True)
    def parse_styles(rt, text, styles):
        return make(parse_text(text, int(styles), None))

    @method("Parse", "string", "System.IFormatProvider", returns=kind, static=True)
    def parse_provider(rt, text, provider):
        return make(parse_text(text, default_styles, provider))

    @method("Parse", "string", "System.Globalization.NumberStyles", "System.IFormatProvider", returns=kind,
            static=True)
    def parse_both(rt, text, styles, provider):
        return make(parse_text(text, int(styles), provider))

    def attempt(text, styles, provider, result) -> bool:
        parse.check_styles(int(styles), allow_hex=kind not in ("System.Double", "System.Single", "System.Decimal"))
        try:
            result.value = make(parse_text(text, int(styles), provider))
        except ClrException:
            result.value = make(0)
            return False
        return True

    @method("TryParse", "string", "out " + kind, returns="bool", static=True)
    def try_parse(rt, text, result):
        return attempt(text, default_styles, None, result)

    @method("TryParse", "string", "System.Globalization.NumberStyles", "System.IFormatProvider", "out " + kind,
            returns="bool", static=True)
    def try_parse_styles(rt, text, styles, provider, result):
        return attempt(text, styles, provider, result)

    namespace = {name: value for name, value in locals().items() if callable(value) and hasattr(value, "_clr_members")}
    cls = type(short, (), namespace)
    return clr_type(full_name, base="System.ValueType", instances=instances, value_type=True,
                    interfaces=PRIMITIVE_INTERFACES, fields=fields)(cls)


def _integer(wrapper: type[int] | None, full_name: str, minimum: int, maximum: int, bits: int) -> type:
    make = (lambda v: int(v)) if wrapper is None else (lambda v: wrapper(int(v)))

    def to_text(value, form, provider):
        return fmt.format_integer(int(value), form, provider, bits)

    def parse_text(text, styles, provider):
        return parse.parse_integer(text, styles, provider, full_name, minimum, maximum, bits)

    return _common(full_name, make, to_text, parse_text, parse.INTEGER, (wrapper or int,),
                   {"MaxValue": make(maximum), "MinValue": make(minimum)})


Byte = _integer(values.Byte, "System.Byte", 0, 0xFF, 8)
SByte = _integer(values.SByte, "System.SByte", -0x80, 0x7F, 8)
Int16 = _integer(values.Int16, "System.Int16", -0x8000, 0x7FFF, 16)
UInt16 = _integer(values.UInt16, "System.UInt16", 0, 0xFFFF, 16)
Int32 = _integer(None, "System.Int32", values.INT32_MIN, values.INT32_MAX, 32)
UInt32 = _integer(values.UInt32, "System.UInt32", 0, 0xFFFFFFFF, 32)
Int64 = _integer(values.Int64, "System.Int64", -0x8000000000000000, 0x7FFFFFFFFFFFFFFF, 64)
UInt64 = _integer(values.UInt64, "System.UInt64", 0, 0xFFFFFFFFFFFFFFFF, 64)

_FLOAT_FIELDS = {"NaN": math.nan, "PositiveInfinity": math.inf, "NegativeInfinity": -math.inf}
Double = _common("System.Double", float, lambda v, f, p: fmt.format_float(float(v), f, p),
                 lambda t, s, p: parse.parse_double(t, s, p), parse.FLOAT_THOUSANDS, (float,),
                 {"MaxValue": 1.7976931348623157e308, "MinValue": -1.7976931348623157e308,
                  "Epsilon": 5e-324, **_FLOAT_FIELDS})


def _single(value) -> values.Single:
    return values.Single(struct.unpack("<f", struct.pack("<f", float(value)))[0])


Single = _common("System.Single", _single, lambda v, f, p: fmt.format_float(float(v), f, p, single=True),
                 lambda t, s, p: parse.parse_double(t, s, p, single=True), parse.FLOAT_THOUSANDS,
                 (values.Single,), {"MaxValue": _single(3.4028234663852886e38),
                                    "MinValue": _single(-3.4028234663852886e38),
                                    "Epsilon": values.Single(1.401298464324817e-45),
                                    **{k: values.Single(v) for k, v in _FLOAT_FIELDS.items()}})
Decimal = _common("System.Decimal", lambda v: decimal.Decimal(v), lambda v, f, p: fmt.format_decimal(v, f, p),
                  lambda t, s, p: parse.parse_decimal(t, s, p), 111, (decimal.Decimal,),
                  {"MaxValue": decimal.Decimal(2 ** 96 - 1), "MinValue": -decimal.Decimal(2 ** 96 - 1),
                   "Zero": decimal.Decimal(0), "One": decimal.Decimal(1), "MinusOne": decimal.Decimal(-1)})


def _float_tests(cls: type) -> None:
    """Double.IsNaN, IsInfinity, IsPositiveInfinity, IsNegativeInfinity (static)."""
    clr = cls.__clr_type__
    from winsim.powershell.clr.typesystem import Overload, Param
    param = (Param(clr.full_name),)
    for name, test in (("IsNaN", math.isnan), ("IsInfinity", math.isinf),
                       ("IsPositiveInfinity", lambda v: v == math.inf),
                       ("IsNegativeInfinity", lambda v: v == -math.inf)):
        clr.methods.setdefault(name.lower(), []).append(
            Overload(name, param, "System.Boolean", lambda rt, v, _t=test: _t(float(v)), True))


_float_tests(Double)
_float_tests(Single)
