"""System.String and System.Char members through the type registry."""

from __future__ import annotations

import re

import pytest

from tests.winsim.powershell.bcl_calls import instance, new, prop, static, static_prop
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    FormatException,
    IndexOutOfRangeException,
)
from winsim.powershell.clr.typesystem import REGISTRY

ORDINAL = EnumValue("System.StringComparison", 4)
ORDINAL_IGNORE_CASE = EnumValue("System.StringComparison", 5)
REMOVE_EMPTY = EnumValue("System.StringSplitOptions", 1)


def chars(text):
    return values.ClrArray([values.Char(c) for c in text], "System.Char")


def test_length_chars_and_substring_errors():
    assert prop("abc", "Length") == 3
    assert instance("abc", "get_Chars", 1) == values.Char("b")
    with pytest.raises(IndexOutOfRangeException):
        instance("abc", "get_Chars", 3)
    assert instance("hello", "Substring", 1, 3) == "ell"
    assert instance("hello", "Substring", 5, sig=("int",)) == ""
    with pytest.raises(ArgumentOutOfRangeException) as raised:
        instance("hello", "Substring", 6, sig=("int",))
    assert str(raised.value) == "startIndex cannot be larger than length of string.\r\nParameter name: startIndex"
    with pytest.raises(ArgumentOutOfRangeException) as raised:
        instance("hello", "Substring", 2, 4)
    assert str(raised.value) == "Index and length must refer to a location within the string.\r\nParameter name: length"


def test_index_of_overloads():
    assert instance("a/b/c", "IndexOf", values.Char("/"), sig=("char",)) == 1
    assert instance("a/b/c", "IndexOf", values.Char("/"), 2, sig=("char", "int")) == 3
    assert instance("Hello", "IndexOf", "l", sig=("string",)) == 2
    assert instance("Hello", "IndexOf", "LL", ORDINAL_IGNORE_CASE, sig=("string", "System.StringComparison")) == 2
    assert instance("Hello", "IndexOf", "", sig=("string",)) == 0
    assert instance("a\\b/c", "IndexOfAny", chars("\\/"), sig=("char[]",)) == 1
    assert instance("a\\b/c", "LastIndexOfAny", chars("\\/"), sig=("char[]",)) == 3
    assert instance("abcabc", "LastIndexOf", "bc", sig=("string",)) == 4
    assert instance("abcabc", "LastIndexOf", values.Char("a"), 2, sig=("char", "int")) == 0
    with pytest.raises(ArgumentOutOfRangeException) as raised:
        instance("abc", "IndexOf", values.Char("a"), 4, sig=("char", "int"))
    assert raised.value.param_name == "startIndex"
    with pytest.raises(ArgumentNullException):
        instance("abc", "IndexOf", None, sig=("string",))


def test_starts_ends_contains_and_equals():
    assert instance("Hello", "StartsWith", "he", sig=("string",)) is False
    assert instance("Hello", "StartsWith", "he", ORDINAL_IGNORE_CASE,
                    sig=("string", "System.StringComparison")) is True
    assert instance("Hello", "EndsWith", "LO", True, None,
                    sig=("string", "bool", "System.Globalization.CultureInfo")) is True
    assert instance("Hello", "Contains", "ell") is True
    assert instance("Hello", "Equals", "hello", ORDINAL_IGNORE_CASE, sig=("string", "System.StringComparison"))
    assert instance("a", "Equals", values.Char("a"), sig=("object",)) is False


def test_replace_split_and_trim():
    assert instance("a-b-c", "Replace", "-", "", sig=("string", "string")) == "abc"
    assert instance("a-b", "Replace", values.Char("-"), values.Char("+"), sig=("char", "char")) == "a+b"
    with pytest.raises(ArgumentException) as raised:
        instance("abc", "Replace", "", "x", sig=("string", "string"))
    assert str(raised.value) == "String cannot be of zero length.\r\nParameter name: oldValue"
    assert list(instance("1p2q3", "Split", chars("pq"), sig=("params char[]",))) == ["1", "2", "3"]
    assert list(instance("a,,b", "Split", chars(","), sig=("params char[]",))) == ["a", "", "b"]
    assert list(instance("a,,b,", "Split", chars(","), REMOVE_EMPTY,
                         sig=("char[]", "System.StringSplitOptions"))) == ["a", "b"]
    assert list(instance("a b\tc", "Split", values.ClrArray([], "System.Char"), sig=("params char[]",))) == \
        ["a", "b", "c"]
    assert list(instance("a,b,c", "Split", chars(","), 2, sig=("char[]", "int"))) == ["a", "b,c"]
    assert list(instance("a,,b,c", "Split", chars(","), 2, REMOVE_EMPTY,
                         sig=("char[]", "int", "System.StringSplitOptions"))) == ["a", "b,c"]
    assert list(instance(",a,,b,,", "Split", chars(","), REMOVE_EMPTY,
                         sig=("char[]", "System.StringSplitOptions"))) == ["a", "b"]
    parts = instance("a::b::", "Split", values.ClrArray(["::"], "System.String"), EnumValue(
        "System.StringSplitOptions", 0), sig=("string[]", "System.StringSplitOptions"))
    assert list(parts) == ["a", "b", ""] and parts.element_type == "System.String"
    # .NET 2.0 trims ZERO WIDTH SPACE and the BOM as white space
    assert instance("\u200b x \ufeff", "Trim", sig=()) == "x"
    assert instance("xxaxx", "Trim", chars("x"), sig=("params char[]",)) == "a"
    assert instance("C:\\dir\\\\", "TrimEnd", chars("\\"), sig=("params char[]",)) == "C:\\dir"
    assert instance("  a", "TrimStart", None, sig=("params char[]",)) == "a"


def test_case_padding_insert_remove_and_char_array():
    assert instance("AbC", "ToLowerInvariant") == "abc"
    assert instance("straße", "ToUpper", sig=()) == "STRAßE"  # one code unit per code unit
    assert instance("7", "PadLeft", 3, values.Char("0"), sig=("int", "char")) == "007"
    assert instance("7", "PadRight", 3, sig=("int",)) == "7  "
    assert instance("ac", "Insert", 1, "b") == "abc"
    assert instance("abcdef", "Remove", 2, sig=("int",)) == "ab"
    assert instance("abcdef", "Remove", 1, 2, sig=("int", "int")) == "adef"
    with pytest.raises(ArgumentOutOfRangeException):
        instance("abc", "Remove", 3, sig=("int",))
    array = instance("ab", "ToCharArray", sig=())
    assert array.element_type == "System.Char" and list(array) == ["a", "b"] and isinstance(array[0], values.Char)


def test_static_members():
    assert static_prop("System.String", "Empty") == ""
    assert static("System.String", "Join", ",", values.ClrArray(["a", None, "c"], "System.String"),
                  sig=("string", "params string[]")) == "a,,c"
    assert static("System.String", "Join", "-", values.ClrArray(["a", "b", "c"], "System.String"), 1, 2) == "b-c"
    assert static("System.String", "IsNullOrEmpty", None) is True
    assert static("System.String", "IsNullOrEmpty", " ") is False
    assert static("System.String", "Concat", "a", 1, None, sig=("object", "object", "object")) == "a1"
    assert static("System.String", "Compare", "a", "B", sig=("string", "string")) == -1
    assert static("System.String", "CompareOrdinal", "a", "B", sig=("string", "string")) == 31
    assert static("System.String", "Compare", "a", "A", ORDINAL_IGNORE_CASE,
                  sig=("string", "string", "System.StringComparison")) == 0
    assert static("System.String", "Compare", "a", "A", sig=("string", "string")) == -1  # lower case first
    assert static("System.String", "Compare", "abc", 1, "xbz", 1, 1,
                  sig=("string", "int", "string", "int", "int")) == 0
    assert new("System.String", values.Char("-"), 3, sig=("char", "int")) == "---"


def test_format_composite():
    fmt = ("System.String", "Format")
    assert static(*fmt, "{0}-{1}", "a", 2, sig=("string", "object", "object")) == "a-2"
    assert static(*fmt, "[{0,5}][{0,-5}]", "ab", sig=("string", "object")) == "[   ab][ab   ]"
    assert static(*fmt, "{0:X4} {1:N2} {{x}}", values.ClrArray([255, 1234.5], "System.Object"),
                  sig=("string", "params object[]")) == "00FF 1,234.50 {x}"
    assert static(*fmt, "{0:D}|{0}", EnumValue("System.StringComparison", 4), sig=("string", "object")) == "4|Ordinal"
    assert static(*fmt, "{0}", None, sig=("string", "object")) == ""
    # the language specification's -f examples (en-US)
    assert static(*fmt, ">{0,3}<", 5, sig=("string", "object")) == ">  5<"
    assert static(*fmt, ">{0,5:0.00}<", 5.0, sig=("string", "object")) == "> 5.00<"
    assert static(*fmt, ">{0:C}<", 1234567.888, sig=("string", "object")) == ">$1,234,567.89<"
    assert static(*fmt, ">{0:C}<", -1234.56, sig=("string", "object")) == ">($1,234.56)<"
    assert static(*fmt, ">{0,12:e2}<", 123.456e2, sig=("string", "object")) == ">   1.23e+004<"
    assert static(*fmt, ">{0,-12:p}<", -0.252, sig=("string", "object")) == ">-25.20 %    <"
    assert static(*fmt, ">{0:x8}<", 123455, sig=("string", "object")) == ">0001e23f<"
    with pytest.raises(FormatException) as raised:
        static(*fmt, "{1}", "a", sig=("string", "object"))
    assert raised.value.message == ("Index (zero based) must be greater than or equal to zero and less than the size "
                                    "of the argument list.")
    with pytest.raises(FormatException, match=re.escape("Input string was not in a correct format.")):
        static(*fmt, "{0", "a", sig=("string", "object"))


def test_char_members():
    assert static("System.Char", "IsWhiteSpace", values.Char("\xa0"), sig=("char",)) is True
    assert static("System.Char", "IsWhiteSpace", values.Char("\u200b"), sig=("char",)) is False
    assert static("System.Char", "IsDigit", values.Char("7"), sig=("char",)) is True
    assert static("System.Char", "IsLetter", "a1", 1, sig=("string", "int")) is False
    assert static("System.Char", "IsLetterOrDigit", values.Char("_"), sig=("char",)) is False
    assert static("System.Char", "IsControl", values.Char("\x07"), sig=("char",)) is True
    assert static("System.Char", "ToUpper", values.Char("q"), sig=("char",)) == "Q"
    assert instance(values.Char("x"), "ToString", sig=()) == "x"
    assert static_prop("System.Char", "MaxValue") == "\uffff"
    with pytest.raises(FormatException, match=re.escape("String must be exactly one character long.")):
        static("System.Char", "Parse", "ab")


def test_normalize_enumerate_and_copy_to():
    assert instance("e\u0301", "Normalize", sig=()) == "\u00e9"
    assert instance("\u00e9", "Normalize", EnumValue("System.Text.NormalizationForm", 2),
                    sig=("System.Text.NormalizationForm",)) == "e\u0301"
    assert instance("e\u0301", "IsNormalized", sig=()) is False
    assert list(instance("ab", "GetEnumerator")) == [values.Char("a"), values.Char("b")]
    target = values.ClrArray([values.Char("-")] * 4, "System.Char")
    instance("xyz", "CopyTo", 1, target, 2, 2)
    assert "".join(target) == "--yz"


def test_string_hash_codes_are_the_clr_ones():
    # the 32-bit .NET 2.0 CLR's String.GetHashCode (well-known values of that algorithm)
    assert instance("", "GetHashCode") == 757602046
    assert instance("a", "GetHashCode") == -842352705
    assert instance("abc", "GetHashCode") == 536991770
    from types import SimpleNamespace
    amd64 = SimpleNamespace(process=SimpleNamespace(env={"PROCESSOR_ARCHITECTURE": "AMD64"}))
    clr = REGISTRY.get("System.String")
    assert clr.find_methods("GetHashCode", static=False)[0].impl("", amd64) == 371857150  # the 64-bit CLR's


def test_dotnet_4_members_are_marked():
    white = REGISTRY.get("System.String").find_methods("IsNullOrWhiteSpace", static=True)[0]
    assert white.impl.__clr_since__ == (4, 0)
    assert white.impl(None, " \t\u3000") is True and white.impl(None, " x") is False and white.impl(None, None)
    join = next(o for o in REGISTRY.get("System.String").find_methods("Join", static=True)
            if o.params[1].type == "System.Object[]")
    assert join.impl.__clr_since__ == (4, 0)
    assert join.impl(None, ",", values.ClrArray([1, None, "x"], "System.Object")) == "1,,x"
    assert join.impl(None, ",", values.ClrArray([None, "x"], "System.Object")) == ""  # .NET 4's quirk
    flags = REGISTRY.get("System.Enum").find_methods("HasFlag", static=False)[0]
    assert flags.impl.__clr_since__ == (4, 0)
    both = EnumValue("System.Globalization.NumberStyles", 3)
    assert flags.impl(both, None, EnumValue("System.Globalization.NumberStyles", 1)) is True
    with pytest.raises(ArgumentException):
        flags.impl(both, None, EnumValue("System.StringComparison", 1))


def test_trim_white_space_depends_on_the_clr():
    from types import SimpleNamespace
    trim = next(o for o in REGISTRY.get("System.String").find_methods("Trim", static=False) if not o.params)
    assert trim.impl("\u200b x \ufeff", None) == "x"  # CLR 2.0 trims ZERO WIDTH SPACE and the BOM
    clr4 = SimpleNamespace(clr_version="4.0.30319.42000")
    assert trim.impl("\u200b x \ufeff", clr4) == "\u200b x \ufeff"  # CLR 4 trims Char.IsWhiteSpace only
    assert trim.impl("\u3000 x \u2028", clr4) == "x"


def test_culture_searches_skip_weightless_characters():
    # .NET Framework's culture-sensitive string operations give the null character and the soft hyphen no weight
    assert instance("abc", "IndexOf", "\0", sig=("string",)) == 0
    assert instance("abc", "IndexOf", "\0", ORDINAL, sig=("string", "System.StringComparison")) == -1
    assert instance("xa\u00adb", "IndexOf", "ab", sig=("string",)) == 1
    assert instance("abc", "StartsWith", "\0", sig=("string",)) is True
    assert instance("abc", "StartsWith", "\0", ORDINAL, sig=("string", "System.StringComparison")) is False
    assert static("System.String", "Compare", "a\0b", "ab", sig=("string", "string")) == 0
    assert static("System.String", "CompareOrdinal", "a\0b", "ab", sig=("string", "string")) != 0
    assert instance("abcabc", "LastIndexOf", "b\0", sig=("string",)) == 4
