"""System.Enum: the static helpers (Parse, ToObject, GetNames, GetValues, IsDefined, GetName) and the members of
every enum value (ToString with the G/D/X/F formats, CompareTo, Equals). Values are enums.EnumValue."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException, FormatException
from winsim.powershell.clr.library.bcl.objects import PRIMITIVE_INTERFACES, since, type_name_of
from winsim.powershell.clr.typesystem import ClrType, clr_type, method

_HEX_DIGITS = {"System.Byte": 2, "System.SByte": 2, "System.Int16": 4, "System.UInt16": 4, "System.Int32": 8,
               "System.UInt32": 8, "System.Int64": 16, "System.UInt64": 16}


def enum_clr(type_arg) -> ClrType:
    """The ClrType behind a System.Type argument (the language's Type object exposes it as .clr)."""
    if isinstance(type_arg, ClrType):
        clr = type_arg
    else:
        clr = getattr(type_arg, "clr", None) or getattr(type_arg, "clr_type", None)
    if type_arg is None:
        raise ArgumentNullException(None, "enumType")
    if not isinstance(clr, ClrType) or clr.enum is None:
        raise ArgumentException("Type provided must be an Enum.", "enumType")
    return clr


def format_enum(value: EnumValue, fmt: str | None) -> str:
    info = value.clr.enum
    letter = (fmt or "G").upper()
    if letter in ("G", "F"):
        if letter == "F" and not info.flags:
            return _flags_format(info, value.value)
        return info.format(value.value)
    if letter == "D":
        return str(value.value)
    if letter == "X":
        digits = _HEX_DIGITS.get(info.underlying, 8)
        return format(value.value & ((1 << (4 * digits)) - 1), f"0{digits}X")
    raise FormatException("Format String can be only \"G\", \"g\", \"X\", \"x\", \"F\", \"f\", \"D\" or \"d\".")


def _flags_format(info, number: int) -> str:
    """"F" formats any enum as if it had [Flags]: its name, else the names whose bits make up the value."""
    for name, member in info.members.items():
        if member == number:
            return name
    names, rest = [], number
    for name, member in sorted(info.members.items(), key=lambda item: -item[1]):
        if member and member & rest == member:
            names.append(name)
            rest &= ~member
    return ", ".join(reversed(names)) if number and rest == 0 else str(number)


# Enum values (EnumValue) answer System.Enum's members: type_of() of any enum value is System.Enum, the value's
# own type is EnumValue.clr
@clr_type("System.Enum", base="System.ValueType", instances=(EnumValue,), value_type=True,
          interfaces=PRIMITIVE_INTERFACES)
class ClrEnum:
    @method("ToString", returns="string")
    @method("ToString", "string", returns="string")
    def to_string(self, rt, fmt=None):
        return format_enum(self, fmt)

    @method("ToString", "string", "System.IFormatProvider", returns="string")
    def to_string_provider(self, rt, fmt, provider):
        return format_enum(self, fmt)

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return isinstance(other, EnumValue) and other == self

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        return int(self.value) & 0x7FFFFFFF

    @method("CompareTo", "object", returns="int")
    def compare_to(self, rt, other):
        if other is None:
            return 1
        if not isinstance(other, EnumValue) or other.type_name != self.type_name:
            raise ArgumentException(f"Object must be the same type as the enum. The type passed in was "
                                    f"'{type_name_of(other)}'; the enum type was '{self.type_name}'.")
        return (self.value > other.value) - (self.value < other.value)

    @since(4)
    @method("HasFlag", "System.Enum", returns="bool")
    def has_flag(self, rt, flag):
        if flag is None:
            raise ArgumentNullException(None, "flag")
        if not isinstance(flag, EnumValue) or flag.type_name != self.type_name:
            shown = flag.type_name if isinstance(flag, EnumValue) else type_name_of(flag)
            raise ArgumentException(f"The argument type, '{shown}', is not the same as the enum type "
                                    f"'{self.type_name}'.")
        return self.value & flag.value == flag.value

    @method("Parse", "System.Type", "string", returns="object", static=True)
    @method("Parse", "System.Type", "string", "bool", returns="object", static=True)
    def parse(rt, enum_type, text, ignore_case=False):
        clr = enum_clr(enum_type)
        if text is None:
            raise ArgumentNullException(None, "value")
        if not text.strip():
            raise ArgumentException("Must specify valid information for parsing in the string.")
        total = 0
        for part in text.split(","):
            word = part.strip()
            if word.lstrip("+-").isdigit():
                total |= int(word)
                continue
            found = _member(clr, word, ignore_case)
            if found is None:
                raise ArgumentException(f"Requested value '{word}' was not found.")
            total |= found
        return EnumValue(clr.full_name, total)

    @method("ToObject", "System.Type", "object", returns="object", static=True)
    def to_object(rt, enum_type, number):
        clr = enum_clr(enum_type)
        if isinstance(number, EnumValue):
            number = number.value
        if not isinstance(number, int) or isinstance(number, bool):
            raise ArgumentException("The value passed in must be an enum base or an underlying type for an enum, "
                                    "such as an Int32.", "value")
        return EnumValue(clr.full_name, int(number))

    @method("GetNames", "System.Type", returns="string[]", static=True)
    def get_names(rt, enum_type):
        info = enum_clr(enum_type).enum
        ordered = sorted(info.members.items(), key=lambda item: item[1] & 0xFFFFFFFFFFFFFFFF)
        return values.ClrArray([name for name, _ in ordered], "System.String")

    @method("GetValues", "System.Type", returns="System.Array", static=True)
    def get_values(rt, enum_type):
        clr = enum_clr(enum_type)
        ordered = sorted(set(clr.enum.members.values()), key=lambda v: v & 0xFFFFFFFFFFFFFFFF)
        return values.ClrArray([EnumValue(clr.full_name, v) for v in ordered], clr.full_name)

    @method("GetName", "System.Type", "object", returns="string", static=True)
    def get_name(rt, enum_type, value):
        clr = enum_clr(enum_type)
        number = _number_of(clr, value)
        return next((name for name, member in clr.enum.members.items() if member == number), None)

    @method("IsDefined", "System.Type", "object", returns="bool", static=True)
    def is_defined(rt, enum_type, value):
        clr = enum_clr(enum_type)
        if isinstance(value, str) and not isinstance(value, values.Char):
            return value in clr.enum.members  # IsDefined matches names case-sensitively
        return _number_of(clr, value) in clr.enum.members.values()

    @method("Format", "System.Type", "object", "string", returns="string", static=True)
    def format(rt, enum_type, value, fmt):
        clr = enum_clr(enum_type)
        if fmt is None:
            raise ArgumentNullException(None, "format")
        return format_enum(EnumValue(clr.full_name, _number_of(clr, value)), fmt)

    @method("GetUnderlyingType", "System.Type", returns="System.Type", static=True)
    def get_underlying_type(rt, enum_type):
        from winsim.powershell.clr.typesystem import REGISTRY
        return REGISTRY.get(enum_clr(enum_type).enum.underlying)


def _number_of(clr: ClrType, value) -> int:
    """The number an enum member argument stands for: an enum value of this type or an integer."""
    if value is None:
        raise ArgumentNullException(None, "value")
    if isinstance(value, EnumValue):
        if value.type_name != clr.full_name:
            raise ArgumentException(f"Object must be the same type as the enum. The type passed in was "
                                    f"'{value.type_name}'; the enum type was '{clr.full_name}'.")
        return value.value
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise ArgumentException("The value passed in must be an enum base or an underlying type for an enum, such as "
                            "an Int32.", "value")


def _member(clr: ClrType, word: str, ignore_case: bool) -> int | None:
    if word in clr.enum.members:
        return clr.enum.members[word]
    return clr.enum.lookup(word) if ignore_case else None
