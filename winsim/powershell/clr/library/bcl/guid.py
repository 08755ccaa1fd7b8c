"""System.Guid: NewGuid, the string formats N/D/B/P (parsed by the constructor as well), ToByteArray's
mixed-endian layout. Guid.Parse/TryParse are .NET 4.0: marked so CLR 2.0 lacks them."""

from __future__ import annotations

import re
import uuid

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException, FormatException
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.typesystem import clr_type, constructor, method

_FORMATS = "Format String can be only \"D\", \"d\", \"N\", \"n\", \"P\", \"p\", \"B\" or \"b\"."
_BAD = "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."
_ACCEPTED = re.compile(r"^\s*(?:[0-9a-fA-F]{32}|([({])?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                       r"[0-9a-fA-F]{12}([)}])?)\s*$")


@clr_type("System.Guid", base="System.ValueType", value_type=True,
          interfaces=("System.IComparable", "System.IFormattable"))
class Guid:
    __slots__ = ("value",)

    def __init__(self, value: uuid.UUID) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Guid) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Guid({self.value})"

    def text(self, fmt: str | None) -> str:
        letter = (fmt or "D").upper()
        if len(letter) != 1 or letter not in "NDBP":
            raise FormatException(_FORMATS)
        plain = str(self.value)
        return {"N": self.value.hex, "D": plain, "B": "{" + plain + "}", "P": "(" + plain + ")"}[letter]

    @constructor("string")
    @staticmethod
    def parse(rt, text):
        if text is None:
            raise ArgumentNullException(None, "g")
        match = _ACCEPTED.match(text)
        if not match or (match.group(1) or "") + (match.group(2) or "") not in ("", "{}", "()"):
            raise FormatException(_BAD)
        return Guid(uuid.UUID(re.sub(r"[^0-9a-fA-F]", "", text)))

    @constructor("byte[]")
    @staticmethod
    def from_bytes(rt, data):
        if data is None:
            raise ArgumentNullException(None, "b")
        if len(data) != 16:
            raise ArgumentException("Byte array for GUID must be exactly 16 bytes long.")
        return Guid(uuid.UUID(bytes_le=bytes(data)))

    @since(4)
    @method("Parse", "string", returns="System.Guid", static=True)
    def parse_static(rt, text):
        return Guid.parse(rt, text)

    @since(4)
    @method("TryParse", "string", "out System.Guid", returns="bool", static=True)
    def try_parse(rt, text, result):
        try:
            result.value = Guid.parse(rt, text)
            return True
        except (FormatException, ArgumentNullException):
            result.value = EMPTY
            return False

    @method("NewGuid", returns="System.Guid", static=True)
    def new_guid(rt):
        return Guid(uuid.uuid4())

    @method("ToString", returns="string")
    @method("ToString", "string", returns="string")
    def to_string(self, rt, fmt=None):
        return self.text(fmt)

    @method("ToString", "string", "System.IFormatProvider", returns="string")
    def to_string_provider(self, rt, fmt, provider):
        return self.text(fmt)

    @method("ToByteArray", returns="byte[]")
    def to_byte_array(self, rt):
        return values.ByteArray(self.value.bytes_le)

    @method("Equals", "object", returns="bool")
    @method("Equals", "System.Guid", returns="bool")
    def equals(self, rt, other):
        return self == other

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        return self.value.int & 0x7FFFFFFF

    @method("CompareTo", "object", returns="int")
    def compare_to(self, rt, other):
        if other is None:
            return 1
        if not isinstance(other, Guid):
            raise ArgumentException("Object must be of type GUID.")
        return (self.value.bytes_le > other.value.bytes_le) - (self.value.bytes_le < other.value.bytes_le)

    @method("op_Equality", "System.Guid", "System.Guid", returns="bool", static=True)
    def op_equality(rt, a, b):
        return a == b

    @method("op_Inequality", "System.Guid", "System.Guid", returns="bool", static=True)
    def op_inequality(rt, a, b):
        return a != b


EMPTY = Guid(uuid.UUID(int=0))
Guid.__clr_type__.fields["Empty"] = EMPTY
