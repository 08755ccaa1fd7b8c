"""Comparison operators (ABOUT Comparison_Operators, SPEC ch07 §7.8, semantics reference §4): the left
operand's type drives conversion of the right one; a collection on the left filters."""

from __future__ import annotations

import decimal

from winsim.powershell.automation.errors import runtime_error
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.semantics import conversions, enumeration
from winsim.powershell.semantics.patterns import dotnet_regex, wildcard_regex

_NUMBERS = (int, float, decimal.Decimal)


def _fold(text: str, case_sensitive: bool) -> str:
    return text if case_sensitive else text.lower()


def equals(left, right, case_sensitive: bool = False, rt=None) -> bool:
    kind = type(left)
    if kind is type(right) and (kind is int or (kind is str and case_sensitive)):
        return left == right
    if left is None:
        return right is None
    if right is None:
        return False
    if isinstance(left, str):
        if isinstance(right, str):
            return left == right if case_sensitive else (left == right or left.lower() == right.lower())
        return _fold(left, case_sensitive) == _fold(conversions.to_string(right, rt), case_sensitive)
    if isinstance(left, bool):
        return left == conversions.is_true(right)
    if isinstance(right, bool) and type(left).__name__ == "SwitchParameter":
        return left.present == right
    if isinstance(left, _NUMBERS):
        if isinstance(right, bool):
            return left == int(right)
        if isinstance(right, _NUMBERS):
            return left == right
        if isinstance(right, EnumValue):
            return left == right.value
        if isinstance(right, values.Char):
            return left == ord(right)
        if isinstance(right, str):
            number = conversions.parse_number(right)
            return number is not None and left == number
        return False
    if isinstance(left, EnumValue):
        if isinstance(right, EnumValue):
            return left.value == right.value
        if isinstance(right, str):
            number = left.clr.enum.parse(right)
            return number is not None and number == left.value
        if isinstance(right, _NUMBERS):
            return left.value == right
        return False
    if left is right:
        return True
    right = _as_left_type(left, right, rt)
    try:
        return bool(left == right)
    except Exception:  # Equals of two unrelated objects is false
        return False


def _as_left_type(left, right, rt):
    """The right operand converted to the left one's type when it can be (ABOUT Comparison_Operators: the
    left operand's type drives the comparison); unchanged when it cannot."""
    if right is None or type(right) is type(left):
        return right
    from winsim.powershell.automation.errors import PSError
    from winsim.powershell.semantics.types import type_object_of
    try:
        return conversions.convert(right, type_object_of(left), rt)
    except PSError:
        return right


def _culture_key(text: str) -> tuple:
    """Culture-sensitive order as the invariant culture sorts: symbols and punctuation, then digits, then
    letters ignoring case ('~' and '!' sort before 'a', unlike ordinal order)."""
    return tuple((0 if not c.isalnum() else 1 if c.isdigit() else 2, c.lower()) for c in text)


def _ordering_key_pair(left, right, case_sensitive: bool, rt):
    if isinstance(left, str):
        r = conversions.to_string(right, rt)
        if case_sensitive:
            # Culture order: letters compare ignoring case first, then lower before upper.
            return (_culture_key(left), left.swapcase()), (_culture_key(r), r.swapcase())
        return _culture_key(left), _culture_key(r)
    if isinstance(left, (bool, *_NUMBERS, EnumValue)):
        number = int(left) if isinstance(left, bool) else left.value if isinstance(left, EnumValue) else left
        if right is None:
            return number, None
        if isinstance(right, str):
            parsed = conversions.parse_number(right)
            if parsed is None:
                raise runtime_error(f'Could not compare "{conversions.to_string(left)}" to "{right}". Error: '
                                    f'"Cannot convert value "{right}" to type "{conversions.full_name_of(left)}". '
                                    'Error: "Input string was not in a correct format.""', "ComparisonFailure",
                                    "NotSpecified")
            return number, parsed
        if isinstance(right, EnumValue):
            return number, right.value
        if isinstance(right, values.Char):
            return number, ord(right)
        if isinstance(right, bool):
            return number, int(right)
        return number, right
    return left, _as_left_type(left, right, rt)


def compare(left, right, case_sensitive: bool = False, rt=None) -> int:
    """-1, 0 or 1 for the ordering operators; $null sorts before everything."""
    if type(left) is int and type(right) is int:
        return (left > right) - (left < right)
    if left is None:
        return 0 if right is None else -1
    a, b = _ordering_key_pair(left, right, case_sensitive, rt)
    if b is None:
        return 1
    try:
        return (a > b) - (a < b)
    except (TypeError, AttributeError):
        pass
    from winsim.powershell.clr.typesystem import type_of
    clr = type_of(a)
    if clr is not None and clr.find_methods("CompareTo", static=False):
        from winsim.powershell.semantics import binder
        result = binder.invoke_method(a, "CompareTo", [b], rt)  # IComparable
        return (result > 0) - (result < 0)
    raise runtime_error(f'Cannot compare "{conversions.to_string(left)}" because it is not IComparable.',
                        "NotIcomparable", "InvalidArgument")


def like(left, pattern, case_sensitive: bool = False) -> bool:
    return wildcard_regex(conversions.to_string(pattern), case_sensitive).match(conversions.to_string(left)) \
        is not None


def _scalar(op: str, left, right, case_sensitive: bool, rt):
    if op == "eq":
        return equals(left, right, case_sensitive, rt)
    if op == "ne":
        return not equals(left, right, case_sensitive, rt)
    if op == "gt":
        return compare(left, right, case_sensitive, rt) > 0
    if op == "ge":
        return compare(left, right, case_sensitive, rt) >= 0
    if op == "lt":
        return compare(left, right, case_sensitive, rt) < 0
    if op == "le":
        return compare(left, right, case_sensitive, rt) <= 0
    if op == "like":
        return like(left, right, case_sensitive)
    if op == "notlike":
        return not like(left, right, case_sensitive)
    if op in ("match", "notmatch"):
        found = dotnet_regex(conversions.to_string(right), not case_sensitive).search(conversions.to_string(left))
        return (found is not None) == (op == "match")
    raise ValueError(op)


def contains(collection, item, case_sensitive: bool = False, rt=None) -> bool:
    """-contains: each element is compared as the left operand (SPEC ch07 §7.8.2)."""
    return any(equals(element, item, case_sensitive, rt) for element in enumeration.items_of(collection))


def compare_operator(op: str, left, right, case_sensitive: bool, rt=None, set_matches=None):
    """Any comparison operator by name (eq, ne, gt, ge, lt, le, like, notlike, match, notmatch, contains,
    notcontains, in, notin)."""
    if op == "contains":
        return contains(left, right, case_sensitive, rt)
    if op == "notcontains":
        return not contains(left, right, case_sensitive, rt)
    if op == "in":
        return contains(right, left, case_sensitive, rt)
    if op == "notin":
        return not contains(right, left, case_sensitive, rt)
    if enumeration.is_enumerable(left):
        matched = [item for item in enumeration.iterate(left) if _scalar(op, item, right, case_sensitive, rt)]
        if op in ("like", "notlike") and getattr(rt, "ps_version", (2, 0)) >= (3, 0):
            # 3.0+: -like filters the elements as the strings it compared (ABOUT Comparison_Operators).
            matched = [conversions.to_string(item, rt) for item in matched]
        return enumeration.new_array(matched)
    if op in ("match", "notmatch"):
        found = dotnet_regex(conversions.to_string(right), not case_sensitive).search(conversions.to_string(left))
        if found is not None and set_matches is not None:
            set_matches(found)
        return (found is not None) == (op == "match")
    return _scalar(op, left, right, case_sensitive, rt)


# Operators whose scalar form needs nothing but the operands (the compiler's fast path).
SCALAR = {
    "eq": equals,
    "ne": lambda a, b, case_sensitive=False, rt=None: not equals(a, b, case_sensitive, rt),
    "lt": lambda a, b, case_sensitive=False, rt=None: compare(a, b, case_sensitive, rt) < 0,
    "le": lambda a, b, case_sensitive=False, rt=None: compare(a, b, case_sensitive, rt) <= 0,
    "gt": lambda a, b, case_sensitive=False, rt=None: compare(a, b, case_sensitive, rt) > 0,
    "ge": lambda a, b, case_sensitive=False, rt=None: compare(a, b, case_sensitive, rt) >= 0,
    "like": lambda a, b, case_sensitive=False, rt=None: like(a, b, case_sensitive),
    "notlike": lambda a, b, case_sensitive=False, rt=None: not like(a, b, case_sensitive),
}
