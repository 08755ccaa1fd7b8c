""".NET enums: declared once as data, their values carried as EnumValue.

    FileMode = clr_enum("System.IO.FileMode", {"CreateNew": 1, "Create": 2, "Open": 3, ...})
    FileMode.value("Open")            -> EnumValue(System.IO.FileMode, 3)
    FileMode.enum.parse("read, write") (flags enums accept comma-separated names, case-insensitively)

EnumValue compares equal to another EnumValue of the same type and value; the interpreter converts
strings and numbers to the enum on the other side of -eq, as PowerShell does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from winsim.powershell.clr.typesystem import REGISTRY, ClrType


@dataclass
class EnumInfo:
    members: dict[str, int]              # names as declared, in declaration order
    flags: bool = False
    underlying: str = "System.Int32"
    _by_lower: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_lower = {name.lower(): name for name in self.members}

    def lookup(self, name: str) -> int | None:
        """The value of one member name (case-insensitive), or None."""
        declared = self._by_lower.get(name.strip().lower())
        return None if declared is None else self.members[declared]

    def parse(self, text: str) -> int | None:
        """A name, comma-separated names (flags), or a number, as Enum.Parse(type, text, ignoreCase) reads them;
        None when any part is not a member."""
        total = 0
        for part in text.split(","):
            part = part.strip()
            if part.lstrip("-").isdigit():
                total |= int(part)
                continue
            found = self.lookup(part)
            if found is None:
                return None
            total |= found
        return total

    def format(self, value: int) -> str:
        """Enum.ToString(): the member's name; flags as 'A, B'; else the number."""
        for name, member in self.members.items():
            if member == value:
                return name
        if self.flags and value:
            names, rest = [], value
            for name, member in sorted(self.members.items(), key=lambda item: -item[1]):
                if member and member & rest == member:
                    names.append(name)
                    rest &= ~member
            if rest == 0:
                return ", ".join(reversed(names))
        return str(value)


@dataclass(frozen=True)
class EnumValue:
    type_name: str
    value: int

    @property
    def clr(self) -> ClrType:
        return REGISTRY.get(self.type_name)

    def __str__(self) -> str:
        return self.clr.enum.format(self.value)

    def __int__(self) -> int:
        return self.value

    def __index__(self) -> int:
        return self.value


class EnumType:
    """What clr_enum returns: the registered ClrType with helpers to make values."""

    def __init__(self, clr: ClrType) -> None:
        self.clr = clr
        self.enum: EnumInfo = clr.enum

    def value(self, name_or_number: str | int) -> EnumValue:
        if isinstance(name_or_number, int):
            return EnumValue(self.clr.full_name, int(name_or_number))
        number = self.enum.parse(name_or_number)
        if number is None:
            raise KeyError(name_or_number)
        return EnumValue(self.clr.full_name, number)

    def __getattr__(self, name: str) -> EnumValue:
        number = self.enum.lookup(name)
        if number is None:
            raise AttributeError(name)
        return EnumValue(self.clr.full_name, number)


def clr_enum(full_name: str, members: dict[str, int], *, flags: bool = False,
             underlying: str = "System.Int32") -> EnumType:
    clr = ClrType(full_name, "System.Enum", value_type=True, enum=EnumInfo(dict(members), flags, underlying))
    clr.fields = {name: EnumValue(full_name, number) for name, number in members.items()}
    REGISTRY.add(clr)
    return EnumType(clr)
