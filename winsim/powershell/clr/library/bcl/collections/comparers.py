"""The comparers of the .NET 2.0 base library: System.StringComparer (Ordinal, OrdinalIgnoreCase, the culture
ones), System.Collections.Comparer and CaseInsensitiveComparer. Each offers the Python protocol
compare(a, b) -> int and equal(a, b) / key(a) for dictionaries."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException
from winsim.powershell.clr.library.bcl import text_rules
from winsim.powershell.clr.library.bcl.comparison import compare_objects, culture_compare, ordinal_compare
from winsim.powershell.clr.library.bcl.objects import clr_equals, clr_hash
from winsim.powershell.clr.typesystem import clr_type, getter, method

_COMPARER_INTERFACES = ("System.Collections.IComparer", "System.Collections.IEqualityComparer")


def _text(value) -> bool:
    return isinstance(value, str) and not isinstance(value, values.Char)


@clr_type("System.StringComparer", interfaces=_COMPARER_INTERFACES)
class StringComparer:
    def __init__(self, ordinal: bool, ignore_case: bool) -> None:
        self.ordinal, self.ignore_case = ordinal, ignore_case

    def __repr__(self) -> str:
        return f"StringComparer(ordinal={self.ordinal}, ignore_case={self.ignore_case})"

    def compare(self, a, b) -> int:
        if a is None or b is None:
            return (a is not None) - (b is not None)
        if _text(a) and _text(b):
            if self.ordinal:
                return ordinal_compare(a, b, self.ignore_case)
            return culture_compare(a, b, self.ignore_case)
        if not hasattr(a, "compare_to") and not isinstance(a, (int, float)):
            raise ArgumentException("At least one object must implement IComparable.")
        return compare_objects(a, b)

    def equal(self, a, b) -> bool:
        if _text(a) and _text(b):
            return self.compare(a, b) == 0
        return clr_equals(a, b)

    def key(self, value):
        if _text(value):
            return ("System.String", text_rules.upper(value) if self.ignore_case else value)
        return value

    @getter("Ordinal", "System.StringComparer", static=True)
    def s_ordinal(rt):
        return ORDINAL

    @getter("OrdinalIgnoreCase", "System.StringComparer", static=True)
    def s_ordinal_ignore_case(rt):
        return ORDINAL_IGNORE_CASE

    @getter("CurrentCulture", "System.StringComparer", static=True)
    @getter("InvariantCulture", "System.StringComparer", static=True)
    def s_culture(rt):
        return CULTURE

    @getter("CurrentCultureIgnoreCase", "System.StringComparer", static=True)
    @getter("InvariantCultureIgnoreCase", "System.StringComparer", static=True)
    def s_culture_ignore_case(rt):
        return CULTURE_IGNORE_CASE

    @method("Create", "System.Globalization.CultureInfo", "bool", returns="System.StringComparer", static=True)
    def create(rt, culture, ignore_case):
        if culture is None:
            raise ArgumentNullException(None, "culture")
        return CULTURE_IGNORE_CASE if ignore_case else CULTURE

    @method("Compare", "object", "object", returns="int")
    @method("Compare", "string", "string", returns="int")
    def m_compare(self, rt, a, b):
        return self.compare(a, b)

    @method("Equals", "object", "object", returns="bool")
    @method("Equals", "string", "string", returns="bool")
    def m_equals(self, rt, a, b):
        return self.equal(a, b)

    @method("GetHashCode", "object", returns="int")
    @method("GetHashCode", "string", returns="int")
    def m_hash(self, rt, value):
        if value is None:
            raise ArgumentNullException(None, "obj")
        return clr_hash(text_rules.upper(value) if self.ignore_case and _text(value) else value)


@clr_type("System.OrdinalComparer", base="System.StringComparer")
class OrdinalComparer(StringComparer):
    pass


@clr_type("System.CultureAwareComparer", base="System.StringComparer")
class CultureAwareComparer(StringComparer):
    pass


ORDINAL = OrdinalComparer(True, False)
ORDINAL_IGNORE_CASE = OrdinalComparer(True, True)
CULTURE = CultureAwareComparer(False, False)
CULTURE_IGNORE_CASE = CultureAwareComparer(False, True)


@clr_type("System.Collections.Comparer", interfaces=("System.Collections.IComparer",))
class Comparer:
    """Comparer.Default: IComparable order, strings by culture."""
    ignore_case = False

    def compare(self, a, b) -> int:
        if self.ignore_case and _text(a) and _text(b):
            return culture_compare(a, b, True)
        return compare_objects(a, b)

    @getter("Default", "System.Collections.Comparer", static=True)
    @getter("DefaultInvariant", "System.Collections.Comparer", static=True)
    def default(rt):
        return DEFAULT_COMPARER

    @method("Compare", "object", "object", returns="int")
    def m_compare(self, rt, a, b):
        return self.compare(a, b)


@clr_type("System.Collections.CaseInsensitiveComparer", interfaces=("System.Collections.IComparer",))
class CaseInsensitiveComparer(Comparer):
    ignore_case = True

    @getter("Default", "System.Collections.CaseInsensitiveComparer", static=True)
    @getter("DefaultInvariant", "System.Collections.CaseInsensitiveComparer", static=True)
    def default_ci(rt):
        return CASE_INSENSITIVE_COMPARER

    @method("Compare", "object", "object", returns="int")
    def m_compare_ci(self, rt, a, b):
        return self.compare(a, b)


DEFAULT_COMPARER = Comparer()
CASE_INSENSITIVE_COMPARER = CaseInsensitiveComparer()
