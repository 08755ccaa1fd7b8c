"""System.BitConverter: primitives to and from little-endian bytes, and byte arrays as "01-AB-FF" text."""

from __future__ import annotations

import struct

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException, ArgumentOutOfRangeException
from winsim.powershell.clr.typesystem import Overload, Param, clr_type

_INDEX_RANGE = "Index was out of range. Must be non-negative and less than the size of the collection."
_TOO_SHORT = ("Destination array is not long enough to copy all the items in the collection. Check array index "
              "and length.")

# .NET type -> struct format (little-endian)
_LAYOUT = {"bool": "<?", "char": "<H", "short": "<h", "ushort": "<H", "int": "<i", "uint": "<I", "long": "<q",
           "ulong": "<Q", "float": "<f", "double": "<d"}
_WRAP = {"short": values.Int16, "ushort": values.UInt16, "uint": values.UInt32, "long": values.Int64,
         "ulong": values.UInt64, "float": values.Single, "char": values.Char}
_READERS = {"ToBoolean": "bool", "ToChar": "char", "ToInt16": "short", "ToUInt16": "ushort", "ToInt32": "int",
            "ToUInt32": "uint", "ToInt64": "long", "ToUInt64": "ulong", "ToSingle": "float", "ToDouble": "double"}


@clr_type("System.BitConverter", instances=(), fields={"IsLittleEndian": True})
class BitConverter:
    pass


_clr = BitConverter.__clr_type__


def _add(name: str, params: tuple[str, ...], returns: str, impl) -> None:
    _clr.methods.setdefault(name.lower(), []).append(
        Overload(name, tuple(Param.parse(p) for p in params), Param.parse(returns).type, impl, True))


def _checked(data, start: int, size: int) -> bytes:
    if data is None:
        raise ArgumentNullException(None, "value")
    if not 0 <= start < len(data):
        raise ArgumentOutOfRangeException(_INDEX_RANGE, "startIndex")
    if start > len(data) - size:
        raise ArgumentException(_TOO_SHORT)
    return bytes(data[start:start + size])


def _getter(kind: str):
    layout = _LAYOUT[kind]

    def get_bytes(rt, value):
        number = ord(value) if kind == "char" else value
        return values.ByteArray(struct.pack(layout, number if kind in ("float", "double", "bool") else int(number)))
    return get_bytes


def _reader(kind: str):
    layout, wrap = _LAYOUT[kind], _WRAP.get(kind)

    def read(rt, data, start):
        value = struct.unpack(layout, _checked(data, start, struct.calcsize(layout)))[0]
        if kind == "char":
            return values.Char(chr(value))
        if kind == "bool":
            return bool(data[start])
        return wrap(value) if wrap else value
    return read


for _kind in _LAYOUT:
    _add("GetBytes", (_kind,), "byte[]", _getter(_kind))
for _name, _kind in _READERS.items():
    _add(_name, ("byte[]", "int"), _kind, _reader(_kind))


def _to_string(rt, data, start=0, length=None):
    if data is None:
        raise ArgumentNullException(None, "value")
    length = len(data) - start if length is None else length
    if start < 0 or (start >= len(data) and len(data) > 0) or start > len(data):
        raise ArgumentOutOfRangeException(_INDEX_RANGE, "startIndex")
    if length < 0:
        raise ArgumentOutOfRangeException("Value must be positive.", "length")
    if start > len(data) - length:
        raise ArgumentException("Destination array is not long enough to copy all the items in the collection. "
                                "Check array index and length.")
    return "-".join(f"{b:02X}" for b in bytes(data[start:start + length]))


_add("ToString", ("byte[]",), "string", _to_string)
_add("ToString", ("byte[]", "int"), "string", _to_string)
_add("ToString", ("byte[]", "int", "int"), "string", _to_string)
_add("DoubleToInt64Bits", ("double",), "long",
     lambda rt, v: values.Int64(struct.unpack("<q", struct.pack("<d", v))[0]))
_add("Int64BitsToDouble", ("long",), "double", lambda rt, v: struct.unpack("<d", struct.pack("<q", int(v)))[0])
