"""System.Guid: formats, parsing constructor, byte layout."""

from __future__ import annotations

import re

import pytest

from tests.winsim.powershell.bcl_calls import instance, new, static, static_prop
from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import FormatException

TEXT = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_formats_and_parse():
    guid = new("System.Guid", "{" + TEXT.upper() + "}", sig=("string",))
    assert instance(guid, "ToString", sig=()) == TEXT
    assert instance(guid, "ToString", "N", sig=("string",)) == TEXT.replace("-", "")
    assert instance(guid, "ToString", "B", sig=("string",)) == "{" + TEXT + "}"
    assert instance(guid, "ToString", "P", sig=("string",)) == "(" + TEXT + ")"
    assert new("System.Guid", TEXT.replace("-", ""), sig=("string",)) == guid
    with pytest.raises(FormatException, match=re.escape('Format String can be only "D"')):
        instance(guid, "ToString", "X", sig=("string",))
    with pytest.raises(FormatException):
        new("System.Guid", "{" + TEXT + ")", sig=("string",))
    assert not instance(guid, "Equals", static_prop("System.Guid", "Empty"), sig=("object",))
    parse = guid.__clr_type__.find_methods("Parse", static=True)[0]
    assert parse.impl.__clr_since__ == (4, 0)  # Guid.Parse is .NET 4.0: absent on CLR 2.0
    assert parse.impl(None, TEXT) == guid


def test_byte_layout_and_new_guid():
    guid = new("System.Guid", TEXT, sig=("string",))
    data = instance(guid, "ToByteArray")
    assert bytes(data[:4]) == bytes.fromhex("5bad8f0f")  # the first field little-endian
    assert new("System.Guid", values.ByteArray(data), sig=("byte[]",)) == guid
    first, second = static("System.Guid", "NewGuid"), static("System.Guid", "NewGuid")
    assert first != second and len(instance(first, "ToString", "N", sig=("string",))) == 32
