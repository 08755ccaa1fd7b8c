"""System.String's static members: Join, Concat, Format, Compare, CompareOrdinal, Equals, IsNullOrEmpty, Copy,
and its constructors. strings.py declares them on System.String."""

from __future__ import annotations

from winsim.powershell.clr.exceptions import ArgumentNullException, ArgumentOutOfRangeException
from winsim.powershell.clr.library.bcl import string_search as search
from winsim.powershell.clr.library.bcl import text_rules
from winsim.powershell.clr.library.bcl.comparison import culture_compare, ordinal_compare
from winsim.powershell.clr.library.bcl.composite_format import composite_format
from winsim.powershell.clr.library.bcl.objects import clr_string, since
from winsim.powershell.clr.typesystem import constructor, method


@method("Join", "string", "params string[]", returns="string", static=True)
@method("Join", "string", "string[]", "int", "int", returns="string", static=True)
def join(rt, separator, items, start=0, count=None):
    if items is None:
        raise ArgumentNullException(None, "value")
    count = len(items) - start if count is None else count
    if start < 0:
        raise ArgumentOutOfRangeException("StartIndex cannot be less than zero.", "startIndex")
    if count < 0:
        raise ArgumentOutOfRangeException("Count cannot be less than zero.", "count")
    if start > len(items) - count:
        raise ArgumentOutOfRangeException("Index and count must refer to a location within the buffer.",
                                          "startIndex")
    return (separator or "").join(item or "" for item in list(items)[start:start + count])


@method("Concat", "object", returns="string", static=True)
@method("Concat", "object", "object", returns="string", static=True)
@method("Concat", "object", "object", "object", returns="string", static=True)
@method("Concat", "string", "string", returns="string", static=True)
@method("Concat", "string", "string", "string", returns="string", static=True)
@method("Concat", "string", "string", "string", "string", returns="string", static=True)
def concat(rt, *parts):
    return "".join(clr_string(part, rt) for part in parts)


@method("Concat", "params object[]", returns="string", static=True)
@method("Concat", "params string[]", returns="string", static=True)
def concat_array(rt, parts):
    if parts is None:
        raise ArgumentNullException(None, "args" if parts is None else "values")
    return "".join(clr_string(part, rt) for part in parts)


@method("Format", "string", "object", returns="string", static=True)
@method("Format", "string", "object", "object", returns="string", static=True)
@method("Format", "string", "object", "object", "object", returns="string", static=True)
def format_args(rt, fmt, *args):
    if fmt is None:
        raise ArgumentNullException(None, "format")
    return composite_format(fmt, list(args), None, rt)


@method("Format", "string", "params object[]", returns="string", static=True)
def format_array(rt, fmt, args):
    if fmt is None or args is None:
        raise ArgumentNullException(None, "format" if fmt is None else "args")
    return composite_format(fmt, list(args), None, rt)


@method("Format", "System.IFormatProvider", "string", "params object[]", returns="string", static=True)
def format_provider(rt, provider, fmt, args):
    if fmt is None or args is None:
        raise ArgumentNullException(None, "format" if fmt is None else "args")
    return composite_format(fmt, list(args), provider, rt)


@method("IsNullOrEmpty", "string", returns="bool", static=True)
def is_null_or_empty(rt, value):
    return value is None or value == ""


@since(4)
@method("IsNullOrWhiteSpace", "string", returns="bool", static=True)
def is_null_or_white_space(rt, value):
    return value is None or all(text_rules.is_white_space(ch) for ch in value)


@since(4)
@method("Join", "string", "params object[]", returns="string", static=True)
def join_objects(rt, separator, items):
    if items is None:
        raise ArgumentNullException(None, "values")
    if not items or items[0] is None:
        return ""  # .NET 4's Join(string, object[]) answers "" when the first value is null
    return (separator or "").join(clr_string(item, rt) for item in items)


@method("Compare", "string", "string", returns="int", static=True)
@method("Compare", "string", "string", "bool", returns="int", static=True)
@method("Compare", "string", "string", "bool", "System.Globalization.CultureInfo", returns="int", static=True)
def compare(rt, a, b, ignore_case=False, culture=None):
    return culture_compare(a, b, bool(ignore_case))


@method("Compare", "string", "string", "System.StringComparison", returns="int", static=True)
def compare_comparison(rt, a, b, comparison):
    from winsim.powershell.clr.library.bcl.strings import compare as compare_by
    return compare_by(a, b, comparison)


def _part(text: str | None, index: int, length: int, name: str) -> str | None:
    if length < 0:
        raise ArgumentOutOfRangeException("Length cannot be less than zero.", "length")
    if index < 0:
        raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size of "
                                          "the collection.", name)
    if text is None:
        return None
    if index > len(text):
        raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size of "
                                          "the collection.", name)
    return text[index:index + length]


@method("Compare", "string", "int", "string", "int", "int", returns="int", static=True)
@method("Compare", "string", "int", "string", "int", "int", "bool", returns="int", static=True)
def compare_parts(rt, a, index_a, b, index_b, length, ignore_case=False):
    return culture_compare(_part(a, index_a, length, "indexA"), _part(b, index_b, length, "indexB"),
                           bool(ignore_case))


@method("Compare", "string", "int", "string", "int", "int", "System.StringComparison", returns="int", static=True)
def compare_parts_comparison(rt, a, index_a, b, index_b, length, comparison):
    from winsim.powershell.clr.library.bcl.strings import compare as compare_by
    return compare_by(_part(a, index_a, length, "indexA"), _part(b, index_b, length, "indexB"), comparison)


@method("CompareOrdinal", "string", "string", returns="int", static=True)
def compare_ordinal(rt, a, b):
    return ordinal_compare(a, b)


@method("CompareOrdinal", "string", "int", "string", "int", "int", returns="int", static=True)
def compare_ordinal_parts(rt, a, index_a, b, index_b, length):
    return ordinal_compare(_part(a, index_a, length, "indexA"), _part(b, index_b, length, "indexB"))


@method("Equals", "string", "string", returns="bool", static=True)
def equals(rt, a, b):
    return a == b if a is not None and b is not None else a is b


@method("Equals", "string", "string", "System.StringComparison", returns="bool", static=True)
def equals_comparison(rt, a, b, comparison):
    from winsim.powershell.clr.library.bcl.strings import equal
    search.ignores_case(comparison)
    return equal(a, b, comparison)


@method("Copy", "string", returns="string", static=True)
def copy(rt, value):
    if value is None:
        raise ArgumentNullException(None, "str")
    return "".join(value)


@constructor("char", "int")
def new_repeated(rt, ch, count):
    if count < 0:
        raise ArgumentOutOfRangeException("Non-negative number required.", "count")
    return str(ch) * count


@constructor("char[]")
@constructor("char[]", "int", "int")
def new_from_chars(rt, chars, start=0, length=None):
    text = text_rules.chars_of(chars)
    length = len(text) - start if length is None else length
    if start < 0 or length < 0 or start > len(text) - length:
        raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size of "
                                          "the collection.", "startIndex")
    return text[start:start + length]
