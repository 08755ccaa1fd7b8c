"""StringBuilder, Regex (translated from .NET syntax), Convert and BitConverter through the registry."""

from __future__ import annotations

import re

import pytest

from tests.winsim.powershell.bcl_calls import instance, new, prop, static
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentOutOfRangeException,
    FormatException,
    NotSupportedException,
    OverflowException,
)

REGEX = "System.Text.RegularExpressions.Regex"
OPTIONS = "System.Text.RegularExpressions.RegexOptions"


def regex(pattern, options=0):
    return new(REGEX, pattern, EnumValue(OPTIONS, options), sig=("string", OPTIONS))


def test_string_builder_appends_and_returns_itself():
    builder = new("System.Text.StringBuilder", sig=())
    assert instance(builder, "Append", "a", sig=("string",)) is builder
    instance(builder, "Append", 5, sig=("int",))
    instance(builder, "Append", True, sig=("bool",))
    instance(builder, "Append", values.Char("-"), 3, sig=("char", "int"))
    instance(builder, "AppendFormat", "{0:X2}", 255, sig=("string", "object"))
    instance(builder, "AppendLine", sig=())
    assert instance(builder, "ToString", sig=()) == "a5True---FF\r\n"
    assert prop(builder, "Length") == 13
    instance(builder, "Insert", 0, "[", sig=("int", "string"))
    instance(builder, "Remove", 1, 1)
    instance(builder, "Replace", "-", "+", sig=("string", "string"))
    assert instance(builder, "ToString", 0, 8, sig=("int", "int")) == "[5True++"
    with pytest.raises(ArgumentOutOfRangeException):
        instance(builder, "Remove", 10, 10)
    clear = builder.__clr_type__.find_methods("Clear", static=False)[0]
    assert clear.impl.__clr_since__ == (4, 0)  # StringBuilder.Clear is .NET 4.0: absent on CLR 2.0
    assert clear.impl(builder, None) is builder and prop(builder, "Length") == 0


def test_regex_anchors_and_start_positions():
    agent_id = regex(r"^[A-Za-z0-9_.:-]{1,128}\z")
    assert instance(agent_id, "IsMatch", "run-1:a", sig=("string",)) is True
    assert instance(agent_id, "IsMatch", "run\n", sig=("string",)) is False  # \z is the very end
    assert instance(regex(r"^a$"), "IsMatch", "a\n", sig=("string",)) is True  # $ allows a final newline
    assert instance(regex(r"^a\Z"), "IsMatch", "a\n", sig=("string",)) is True
    number = regex(r"\G-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
    found = instance(number, "Match", 'x:-12.5e3,', 2, sig=("string", "int"))
    assert prop(found, "Success") and prop(found, "Value") == "-12.5e3" and prop(found, "Index") == 2
    assert prop(instance(number, "Match", "x:-1", 1, sig=("string", "int")), "Success") is False  # \G anchors


def test_regex_groups_are_numbered_as_dotnet_numbers_them():
    pattern = regex(r"(?<year>\d{4})-(\d\d)")
    match = instance(pattern, "Match", "on 2024-03", sig=("string",))
    groups = prop(match, "Groups")
    assert [prop(g, "Value") for g in groups] == ["2024-03", "03", "2024"]  # unnamed first, then named
    assert prop(instance(groups, "get_Item", "year", sig=("string",)), "Value") == "2024"
    assert prop(instance(groups, "get_Item", "nope", sig=("string",)), "Success") is False
    assert list(instance(pattern, "GetGroupNames")) == ["0", "1", "year"]
    assert instance(pattern, "Replace", "2024-03 1999-12", "${year}/$1 [$$] $10", sig=("string", "string")) == \
        "2024/03 [$] 030 1999/12 [$] 120"
    assert instance(regex(r"(?<n>a)(b)\1"), "IsMatch", "abb", sig=("string",)) is True


def test_regex_options_and_inline_options():
    reserved = regex(r"^(?i:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\.|\z)")
    assert instance(reserved, "IsMatch", "com1.txt", sig=("string",)) is True
    assert instance(reserved, "IsMatch", "console", sig=("string",)) is False
    assert instance(regex(r"a(?i)bc"), "IsMatch", "aBC", sig=("string",)) is True
    assert instance(regex(r"a(?i)bc"), "IsMatch", "ABC", sig=("string",)) is False
    image = static(REGEX, "Match", r"C:\x\svc.EXE -k", r"^(.+?\.(?:exe|sys|com))(?:\s|$)", EnumValue(OPTIONS, 1),
                   sig=("string", "string", OPTIONS))
    assert prop(instance(prop(image, "Groups"), "get_Item", 1, sig=("int",)), "Value") == r"C:\x\svc.EXE"
    assert instance(regex(r"(a)(?<n>b)", 4), "GetGroupNames") == ["0", "n"]  # ExplicitCapture
    assert instance(regex(r"x{,2}"), "IsMatch", "x{,2}", sig=("string",)) is True  # not a quantifier in .NET
    assert instance(regex(r"a\eb"), "IsMatch", "a\x1bb", sig=("string",)) is True
    assert instance(regex(r"^[\w-.]+$"), "IsMatch", "a-b.c", sig=("string",)) is True  # '-' after \w is literal
    assert instance(regex(r"[]a]"), "IsMatch", "]", sig=("string",)) is True
    assert instance(regex(r"\101"), "IsMatch", "A", sig=("string",)) is True  # octal when no such group
    with pytest.raises(NotSupportedException):
        regex("a", 64)


def test_regex_matches_split_escape_and_errors():
    matches = static(REGEX, "Matches", "a1b22c333", r"\d+", sig=("string", "string"))
    assert prop(matches, "Count") == 3
    assert [prop(m, "Value") for m in matches] == ["1", "22", "333"]
    assert prop(instance(instance(matches, "get_Item", 0), "NextMatch"), "Value") == "22"
    assert list(static(REGEX, "Split", "a1b22c", r"(\d+)", sig=("string", "string"))) == ["a", "1", "b", "22", "c"]
    assert static(REGEX, "Escape", "a.b*c (d) #") == r"a\.b\*c\ \(d\)\ \#"
    with pytest.raises(ArgumentException, match=re.escape("parsing \"(a\" - Not enough )'s.")):
        regex("(a")
    with pytest.raises(ArgumentOutOfRangeException):
        instance(regex("a"), "Match", "abc", 4, sig=("string", "int"))


def test_convert_base64():
    assert static("System.Convert", "ToBase64String", values.ByteArray(b"hi"), sig=("byte[]",)) == "aGk="
    assert static("System.Convert", "ToBase64String", values.ByteArray(b"xhiy"), 1, 2,
                  sig=("byte[]", "int", "int")) == "aGk="
    assert bytes(static("System.Convert", "FromBase64String", " aG\r\nk= ")) == b"hi"
    with pytest.raises(FormatException, match=re.escape("Invalid length for a Base-64 char array.")):
        static("System.Convert", "FromBase64String", "abc")
    with pytest.raises(FormatException, match=re.escape("Invalid character in a Base-64 string.")):
        static("System.Convert", "FromBase64String", "ab!=")


def test_convert_bases_and_conversions():
    assert static("System.Convert", "ToInt32", "0041", 16, sig=("string", "int")) == 65
    assert static("System.Convert", "ToInt32", "FFFFFFFF", 16, sig=("string", "int")) == -1
    assert static("System.Convert", "ToByte", "ff", 16, sig=("string", "int")) == values.Byte(255)
    assert static("System.Convert", "ToInt64", "0x10", 16, sig=("string", "int")) == values.Int64(16)
    with pytest.raises(OverflowException):
        static("System.Convert", "ToByte", "100", 16, sig=("string", "int"))
    with pytest.raises(FormatException, match=re.escape("Could not find any recognizable digits.")):
        static("System.Convert", "ToInt32", "zz", 16, sig=("string", "int"))
    with pytest.raises(ArgumentException, match=re.escape("Invalid Base.")):
        static("System.Convert", "ToInt32", "1", 3, sig=("string", "int"))
    assert static("System.Convert", "ToString", 255, 16, sig=("int", "int")) == "ff"
    assert static("System.Convert", "ToString", -1, 2, sig=("byte", "int")) == "11111111"
    assert static("System.Convert", "ToInt32", 2.5, sig=("double",)) == 2  # half to even
    assert static("System.Convert", "ToInt32", 3.5, sig=("double",)) == 4
    assert static("System.Convert", "ToInt32", None, sig=("object",)) == 0
    assert static("System.Convert", "ToBoolean", "True", sig=("string",)) is True
    with pytest.raises(OverflowException):
        static("System.Convert", "ToInt32", 3e10, sig=("double",))


def test_bit_converter():
    data = static("System.BitConverter", "GetBytes", -1, sig=("int",))
    assert bytes(data) == b"\xff\xff\xff\xff"
    assert static("System.BitConverter", "ToUInt32", data, 0) == values.UInt32(4294967295)
    assert bytes(static("System.BitConverter", "GetBytes", values.Int64(1), sig=("long",))) == b"\x01" + b"\x00" * 7
    assert static("System.BitConverter", "ToInt64", values.ByteArray(b"\xff" * 8), 0) == values.Int64(-1)
    assert static("System.BitConverter", "ToString", values.ByteArray(b"\x01\xab\xff"), sig=("byte[]",)) == \
        "01-AB-FF"
    assert static("System.BitConverter", "ToString", values.ByteArray(b""), sig=("byte[]",)) == ""
    with pytest.raises(ArgumentException):
        static("System.BitConverter", "ToInt32", values.ByteArray(b"\x00\x00"), 0)
    with pytest.raises(ArgumentOutOfRangeException):
        static("System.BitConverter", "ToInt16", values.ByteArray(b"\x00\x00"), 2)


def test_convert_change_type():
    from winsim.powershell.clr.exceptions import InvalidCastException
    from winsim.powershell.clr.typesystem import REGISTRY
    assert static("System.Convert", "ChangeType", "42", REGISTRY.get("System.Int64")) == values.Int64(42)
    assert static("System.Convert", "ChangeType", 3.5, REGISTRY.get("System.Int32")) == 4  # half to even
    assert static("System.Convert", "ChangeType", 5, REGISTRY.get("System.String")) == "5"
    with pytest.raises(InvalidCastException, match=r"Null object cannot be converted to a value type\."):
        static("System.Convert", "ChangeType", None, REGISTRY.get("System.Int32"))
