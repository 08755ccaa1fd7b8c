"""Numeric primitives: ToString formats, Parse/TryParse with NumberStyles, ranges, Math, Boolean, Enum."""

from __future__ import annotations

import decimal
import math
import re

import pytest

from tests.winsim.powershell.bcl_calls import instance, new, static, static_prop
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentOutOfRangeException,
    FormatException,
    OverflowException,
)
from winsim.powershell.clr.library.bcl.globalization import INVARIANT
from winsim.powershell.clr.typesystem import REGISTRY, Ref

ALLOW_LEADING_SIGN = EnumValue("System.Globalization.NumberStyles", 4)
HEX_NUMBER = EnumValue("System.Globalization.NumberStyles", 515)
FLOAT = EnumValue("System.Globalization.NumberStyles", 167)


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (1234, "D6", "001234"), (-5, "D3", "-005"), (255, "X", "FF"), (255, "x4", "00ff"), (-1, "X", "FFFFFFFF"),
    (1234567, "N", "1,234,567.00"), (1234567, "N0", "1,234,567"), (42, "F1", "42.0"), (5, "0000", "0005"),
    (1234567, "#,##0.00", "1,234,567.00"), (12345, "G3", "1.23E+04"), (12345, "E2", "1.23E+004"),
    (-5, "C", "($5.00)"), (0, "#", ""), (7, "00;(00)", "07"), (-7, "00;(00)", "(07)"),
    (1234567890, "(###) ###-####", "(123) 456-7890"), (12, "000-0", "001-2"), (1234567, "0,,.0", "1.2"),
    (7, "# 'items'", "7 items"), (123456789, "#,#", "123,456,789"),
])
def test_int32_to_string_formats(value, fmt, expected):
    assert instance(value, "ToString", fmt, sig=("string",)) == expected


def test_long_hex_uses_the_type_width():
    assert instance(values.Int64(-1), "ToString", "X", sig=("string",)) == "FFFFFFFFFFFFFFFF"
    assert instance(values.Byte(10), "ToString", "X2", sig=("string",)) == "0A"
    assert instance(values.UInt32(4294967295), "ToString", INVARIANT,
                    sig=("System.IFormatProvider",)) == "4294967295"


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (0.1 + 0.2, None, "0.3"), (0.1 + 0.2, "R", "0.30000000000000004"), (1e15, None, "1E+15"),
    (123456789.0, None, "123456789"), (1.5e-5, None, "1.5E-05"), (0.0001, None, "0.0001"), (2.5, "F0", "3"),
    (0.125, "F2", "0.13"), (-0.001, "F2", "0.00"), (1234.5678, "N2", "1,234.57"), (0.5, "P", "50.00 %"),
    (1.0 / 3, "R", "0.33333333333333331"), (3.0, "R", "3"), (100.0, "0.00", "100.00"), (-1.5, "0.0;(0.0)", "(1.5)"),
    (12345.678, "0.00E+00", "1.23E+04"), (1.0, "E", "1.000000E+000"), (-0.0, None, "0"), (math.nan, None, "NaN"),
    (-math.inf, None, "-Infinity"),
])
def test_double_to_string_formats(value, fmt, expected):
    if fmt is None:
        assert instance(value, "ToString", sig=()) == expected
    else:
        assert instance(value, "ToString", fmt, INVARIANT, sig=("string", "System.IFormatProvider")) == expected


def test_integer_formats_that_do_not_apply_fail():
    with pytest.raises(FormatException, match=re.escape("Format specifier was invalid.")):
        instance(5, "ToString", "R", sig=("string",))
    with pytest.raises(FormatException):
        instance(1.5, "ToString", "D", sig=("string",))


def test_single_and_decimal_to_string():
    assert instance(values.Single(0.1), "ToString", sig=()) == "0.1"
    assert instance(decimal.Decimal("1.50"), "ToString", sig=()) == "1.50"
    assert instance(decimal.Decimal("-1234.565"), "ToString", "N2", sig=("string",)) == "-1,234.57"


def test_parse_default_styles_and_errors():
    assert static("int", "Parse", " -42 ", sig=("string",)) == -42
    with pytest.raises(FormatException, match=re.escape("Input string was not in a correct format.")):
        static("int", "Parse", "1.5", sig=("string",))
    with pytest.raises(OverflowException, match=re.escape("Value was either too large or too small for an Int32.")):
        static("int", "Parse", "2147483648", sig=("string",))
    with pytest.raises(OverflowException, match=re.escape("for an unsigned byte.")):
        static("byte", "Parse", "-1", sig=("string",))
    assert static("int", "Parse", "1,000", EnumValue("System.Globalization.NumberStyles", 64 | 7),
                  sig=("string", "System.Globalization.NumberStyles")) == 1000
    # a fraction under AllowDecimalPoint is an overflow for an integer type, as .NET reports it
    with pytest.raises(OverflowException):
        static("int", "Parse", "1.5", FLOAT, sig=("string", "System.Globalization.NumberStyles"))
    assert static("int", "Parse", "2.0", FLOAT, sig=("string", "System.Globalization.NumberStyles")) == 2


def test_parse_hex_is_twos_complement_for_signed_types():
    assert static("int", "Parse", "FFFFFFFF", HEX_NUMBER, sig=("string", "System.Globalization.NumberStyles")) == -1
    assert static("uint", "Parse", "FFFFFFFF", HEX_NUMBER,
                  sig=("string", "System.Globalization.NumberStyles")) == values.UInt32(4294967295)
    with pytest.raises(FormatException):
        static("int", "Parse", "0x10", HEX_NUMBER, sig=("string", "System.Globalization.NumberStyles"))
    with pytest.raises(ArgumentException):
        static("int", "Parse", "10", EnumValue("System.Globalization.NumberStyles", 512 | 4),
               sig=("string", "System.Globalization.NumberStyles"))


def test_try_parse_sets_the_out_value():
    result = Ref()
    assert static("long", "TryParse", "-9000000000", ALLOW_LEADING_SIGN, INVARIANT, result) is True
    assert result.value == -9000000000 and isinstance(result.value, values.Int64)
    assert static("long", "TryParse", " 5", ALLOW_LEADING_SIGN, INVARIANT, result) is False
    assert result.value == 0
    assert static("int", "TryParse", "12", result, sig=("string", "out int")) is True and result.value == 12
    assert static("int", "TryParse", None, result, sig=("string", "out int")) is False
    assert static("double", "TryParse", "1e3", FLOAT, INVARIANT, result) is True and result.value == 1000.0
    assert static("double", "Parse", "Infinity", sig=("string",)) == math.inf
    with pytest.raises(OverflowException, match=re.escape("for a Double.")):
        static("double", "Parse", "1e400", sig=("string",))


def test_ranges_and_special_values():
    assert static_prop("int", "MaxValue") == 2147483647
    assert static_prop("long", "MinValue") == -9223372036854775808
    assert isinstance(static_prop("ushort", "MaxValue"), values.UInt16)
    assert static("double", "IsNaN", static_prop("double", "NaN")) is True
    assert instance(math.nan, "Equals", math.nan, sig=("object",)) is True
    assert instance(1, "Equals", values.Int64(1), sig=("object",)) is False
    with pytest.raises(ArgumentException, match=re.escape("Object must be of type Int32.")):
        instance(1, "CompareTo", "1", sig=("object",))
    assert instance(3, "CompareTo", 5, sig=("object",)) == -1


def test_math():
    assert static("System.Math", "Round", 2.5, sig=("double",)) == 2.0
    assert static("System.Math", "Round", 3.5, sig=("double",)) == 4.0
    assert static("System.Math", "Round", 2.5, EnumValue("System.MidpointRounding", 1),
                  sig=("double", "System.MidpointRounding")) == 3.0
    assert static("System.Math", "Round", 1.005, 2, sig=("double", "int")) == 1.0
    assert static("System.Math", "Max", 3, 7, sig=("int", "int")) == 7
    assert static("System.Math", "Min", values.Int64(3), values.Int64(7), sig=("long", "long")) == 3
    assert static("System.Math", "Floor", -1.5, sig=("double",)) == -2.0
    assert static("System.Math", "Abs", -4, sig=("int",)) == 4
    with pytest.raises(OverflowException):
        static("System.Math", "Abs", -2147483648, sig=("int",))
    assert static("System.Math", "Pow", 2.0, 10.0) == 1024.0
    assert static("System.Math", "Sqrt", -1.0) != static("System.Math", "Sqrt", -1.0)  # NaN
    remainder = Ref()
    assert static("System.Math", "DivRem", -7, 2, remainder, sig=("int", "int", "out int")) == -3
    assert remainder.value == -1
    assert REGISTRY.get("System.Math").fields["PI"] == math.pi


def test_boolean_and_enum():
    assert instance(True, "ToString", sig=()) == "True"
    assert static("bool", "Parse", " false ") is False
    with pytest.raises(FormatException, match=re.escape("String was not recognized as a valid Boolean.")):
        static("bool", "Parse", "yes")
    kind = REGISTRY.get("System.StringComparison")
    assert static("System.Enum", "Parse", kind, "ordinal", True, sig=("System.Type", "string", "bool")) == \
        EnumValue("System.StringComparison", 4)
    with pytest.raises(ArgumentException, match=re.escape("Requested value 'ordinal' was not found.")):
        static("System.Enum", "Parse", kind, "ordinal", sig=("System.Type", "string"))
    names = static("System.Enum", "GetNames", kind)
    assert list(names)[:2] == ["CurrentCulture", "CurrentCultureIgnoreCase"]
    styles = REGISTRY.get("System.Globalization.NumberStyles")
    value = static("System.Enum", "ToObject", styles, 3)
    assert instance(value, "ToString", sig=()) == "AllowLeadingWhite, AllowTrailingWhite"
    assert instance(value, "ToString", "D", sig=("string",)) == "3"
    assert instance(value, "ToString", "X", sig=("string",)) == "00000003"


def test_seeded_random_gives_the_dotnet_sequence():
    generator = new("System.Random", 42, sig=("int",))
    assert instance(generator, "Next", sig=()) == 1434747710  # .NET Framework's first value for seed 42
    dice = new("System.Random", 0, sig=("int",))
    rolls = [instance(dice, "Next", 1, 7, sig=("int", "int")) for _ in range(20)]
    assert all(1 <= roll <= 6 for roll in rolls) and len(set(rolls)) > 1
    assert 0.0 <= instance(dice, "NextDouble") < 1.0
    with pytest.raises(ArgumentOutOfRangeException, match=re.escape("'minValue' cannot be greater than maxValue.")):
        instance(dice, "Next", 5, 1, sig=("int", "int"))


@pytest.mark.parametrize(("text", "styles", "expected"), [
    ("  42  ", 7, 42), ("+42", 7, 42), ("-0", 7, 0), ("(42)", 16, -42), ("42-", 8, -42), ("1,234", 64, 1234),
    ("1e3", 128, 1000), ("1.0", 32, 1), ("$5", 256, 5), ("ff", 515, 255),
])
def test_int32_parse_styles(text, styles, expected):
    assert static("int", "Parse", text, EnumValue("System.Globalization.NumberStyles", styles),
                  sig=("string", "System.Globalization.NumberStyles")) == expected


@pytest.mark.parametrize(("text", "styles"), [
    ("42 ", 0), (" 42", 2), ("+42", 1), ("(42)", 7), ("1,234", 7), ("1e3", 7), ("", 7), ("-", 7), ("1.", 7),
])
def test_int32_parse_rejects_what_the_styles_do_not_allow(text, styles):
    with pytest.raises(FormatException):
        static("int", "Parse", text, EnumValue("System.Globalization.NumberStyles", styles),
               sig=("string", "System.Globalization.NumberStyles"))


def test_double_parse_default_styles():
    assert static("double", "Parse", " -1,234.5e-1 ", sig=("string",)) == -123.45
    assert static("double", "Parse", ".5", sig=("string",)) == 0.5
    assert static("decimal", "Parse", "1.50", sig=("string",)) == decimal.Decimal("1.50")
    with pytest.raises(FormatException):
        static("double", "Parse", "1.5.5", sig=("string",))
    with pytest.raises(OverflowException, match="for a Decimal"):
        static("decimal", "Parse", "1" + "0" * 30, sig=("string",))


def test_which_primitives_are_iformattable():
    formattable = REGISTRY.get("System.IFormattable")
    assert REGISTRY.get("System.Int32").is_assignable_to(formattable)
    assert REGISTRY.get("System.DateTime").is_assignable_to(formattable)
    assert not REGISTRY.get("System.Boolean").is_assignable_to(formattable)
    assert not REGISTRY.get("System.Char").is_assignable_to(formattable)
    assert not REGISTRY.get("System.TimeSpan").is_assignable_to(formattable)  # .NET 4.0 made it IFormattable
    assert not REGISTRY.get("System.String").is_assignable_to(formattable)


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (1.45, "F1", "1.5"), (2.675, "F2", "2.68"),  # .NET Framework rounds the 15-digit decimal form, not the binary
    (-0.5, "F0", "-1"), (0.5, "F0", "1"), (1234.5, "C0", "$1,235"), (1e-10, None, "1E-10"),
    (123456789.123, "N", "123,456,789.12"), (1 / 3, "P", "33.33 %"), (0.0, "E", "0.000000E+000"),
    (1.7976931348623157e308, None, "1.79769313486232E+308"), (5e-324, "R", "4.94065645841247E-324"),
])
def test_double_formats_round_as_dotnet_framework(value, fmt, expected):
    if fmt is None:
        assert instance(value, "ToString", sig=()) == expected
    else:
        assert instance(value, "ToString", fmt, INVARIANT if fmt[0] != "C" else None,
                        sig=("string", "System.IFormatProvider")) == expected
