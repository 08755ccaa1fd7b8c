"""System.Version (.NET 2.0): two to four non-negative components; Build and Revision are -1 when not given."""

from __future__ import annotations

from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

NEGATIVE = "Version's parameters must be greater than or equal to zero."


@clr_type("System.Version", interfaces=("System.ICloneable", "System.IComparable"))
class Version:
    def __init__(self, major: int, minor: int, build: int = -1, revision: int = -1) -> None:
        self.parts = (major, minor, build, revision)

    @classmethod
    def checked(cls, rt, *numbers: int) -> Version:
        for name, number in zip(("major", "minor", "build", "revision"), numbers, strict=False):
            if number < 0:
                raise interop.exception(rt, "System.ArgumentOutOfRangeException", name, NEGATIVE)
        return cls(*numbers)

    @classmethod
    def parse(cls, rt, text: str | None) -> Version:
        if text is None:
            raise interop.exception(rt, "System.ArgumentNullException", "version")
        pieces = text.split(".")
        if not 2 <= len(pieces) <= 4:
            raise interop.exception(rt, "System.ArgumentException",
                                    "Version string portion was too short or too long.")
        numbers = []
        for piece in pieces:
            digits = piece.strip()
            if not digits.lstrip("+-").isdigit() or digits.count("-") + digits.count("+") > 1:
                raise interop.exception(rt, "System.FormatException", "Input string was not in a correct format.")
            number = int(digits)
            if number > 0x7FFFFFFF or number < -0x80000000:
                raise interop.exception(rt, "System.OverflowException",
                                        "Value was either too large or too small for an Int32.")
            if number < 0:
                raise interop.exception(rt, "System.ArgumentOutOfRangeException", "version", NEGATIVE)
            numbers.append(number)
        return cls(*numbers)

    def defined(self) -> tuple[int, ...]:
        return tuple(p for p in self.parts if p >= 0)

    def __str__(self) -> str:
        return ".".join(str(p) for p in self.defined())

    def __repr__(self) -> str:
        return f"Version({self})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self.parts == other.parts

    def __hash__(self) -> int:
        return hash(self.parts)

    # -- constructors --------------------------------------------------------------------------------------------
    @constructor()
    @staticmethod
    def _new0(rt):
        return Version(0, 0)

    @constructor("string")
    @staticmethod
    def _new_text(rt, text):
        return Version.parse(rt, text)

    @constructor("int", "int")
    @staticmethod
    def _new2(rt, major, minor):
        return Version.checked(rt, major, minor)

    @constructor("int", "int", "int")
    @staticmethod
    def _new3(rt, major, minor, build):
        return Version.checked(rt, major, minor, build)

    @constructor("int", "int", "int", "int")
    @staticmethod
    def _new4(rt, major, minor, build, revision):
        return Version.checked(rt, major, minor, build, revision)

    # -- members -------------------------------------------------------------------------------------------------
    @getter("Major", "int")
    def p_major(self, rt):
        return self.parts[0]

    @getter("Minor", "int")
    def p_minor(self, rt):
        return self.parts[1]

    @getter("Build", "int")
    def p_build(self, rt):
        return self.parts[2]

    @getter("Revision", "int")
    def p_revision(self, rt):
        return self.parts[3]

    @method("ToString", returns="string")
    def to_string(self, rt):
        return str(self)

    @method("ToString", "int", returns="string")
    def to_string_fields(self, rt, count):
        defined = self.defined()
        if not 0 <= count <= len(defined):
            raise interop.exception(rt, "System.ArgumentException", f"Argument must be between 0 and {len(defined)}.",
                                    "fieldCount")
        return ".".join(str(p) for p in defined[:count])

    @method("CompareTo", "object", returns="int")
    def compare_to(self, rt, other):
        if other is None:
            return 1
        if not isinstance(other, Version):
            raise interop.exception(rt, "System.ArgumentException", "Object must be of type Version.")
        return (self.parts > other.parts) - (self.parts < other.parts)

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return self == other

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        major, minor, build, revision = self.parts
        value = ((major & 0xF) << 28) | ((minor & 0xFF) << 20) | ((build & 0xFF) << 12) | (revision & 0xFFF)
        return value - (1 << 32) if value >= 1 << 31 else value

    @method("Clone", returns="object")
    def clone(self, rt):
        return Version(*self.parts)
