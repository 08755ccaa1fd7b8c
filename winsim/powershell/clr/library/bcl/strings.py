"""System.String's instance members (strings are Python str; Char values are the Char subclass and are not
strings to .NET). Static members are in string_statics.py; searching and splitting in string_search.py."""

from __future__ import annotations

import unicodedata

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    IndexOutOfRangeException,
)
from winsim.powershell.clr.library.bcl import string_search as search
from winsim.powershell.clr.library.bcl import string_statics, text_rules
from winsim.powershell.clr.library.bcl.comparison import culture_compare, ordinal_compare, without_zero_weight
from winsim.powershell.clr.library.bcl.objects import clr_hash
from winsim.powershell.clr.typesystem import clr_type, getter, method

NormalizationForm = clr_enum("System.Text.NormalizationForm", {"FormC": 1, "FormD": 2, "FormKC": 5, "FormKD": 6})
_NORMAL_FORMS = {1: "NFC", 2: "NFD", 5: "NFKC", 6: "NFKD"}
STRING_INTERFACES = ("System.IComparable", "System.ICloneable", "System.IConvertible",
                     "System.Collections.IEnumerable")


def compare(a: str | None, b: str | None, comparison) -> int:
    """String.Compare(a, b, StringComparison)."""
    ignore = search.ignores_case(comparison)
    if int(comparison) >= 4:
        return ordinal_compare(a, b, ignore)
    return culture_compare(a, b, ignore)


def equal(a: str | None, b: str | None, comparison) -> bool:
    if a is None or b is None:
        return a is b
    return compare(a, b, comparison) == 0 if int(comparison) < 4 else \
        search.folded(a, search.ignores_case(comparison)) == search.folded(b, search.ignores_case(comparison))


def _starts(text: str, value: str, comparison, at_end: bool) -> bool:
    if value is None:
        raise ArgumentNullException(None, "value")
    ignore = search.ignores_case(comparison)
    if search.is_culture(comparison):  # a culture comparison skips weightless characters
        text, value = without_zero_weight(text), without_zero_weight(value)
    a, b = search.folded(text, ignore), search.folded(value, ignore)
    return a.endswith(b) if at_end else a.startswith(b)


def _trim(text: str, chars, start: bool, end: bool, rt=None) -> str:
    wanted = (chars and text_rules.chars_of(chars)) or text_rules.trim_white_space(rt)
    if start:
        text = text.lstrip(wanted)
    if end:
        text = text.rstrip(wanted)
    return text


def _normal_form(form) -> str:
    name = _NORMAL_FORMS.get(int(form))
    if name is None:
        raise ArgumentException("Invalid or unsupported normalization form.", "normalizationForm")
    return name


def _non_negative(value: int, name: str, message: str = "Non-negative number required.") -> None:
    if value < 0:
        raise ArgumentOutOfRangeException(message, name)


@clr_type("System.String", instances=(str,), interfaces=STRING_INTERFACES, fields={"Empty": ""})
class ClrString:
    @getter("Length", "int")
    def length(self, rt):
        return len(self)

    @method("Chars", "int", returns="char")
    @method("get_Chars", "int", returns="char")
    def chars(self, rt, index):
        if not 0 <= index < len(self):
            raise IndexOutOfRangeException()
        return values.Char(self[index])

    @method("ToString", returns="string")
    @method("ToString", "System.IFormatProvider", returns="string")
    @method("Clone", returns="object")
    def to_string(self, rt, provider=None):
        return self

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        return clr_hash(self, rt)

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return isinstance(other, str) and not isinstance(other, values.Char) and str(other) == str(self)

    @method("Equals", "string", "System.StringComparison", returns="bool")
    def equals_comparison(self, rt, other, comparison):
        return equal(self, other, comparison)

    @method("CompareTo", "object", returns="int")
    def compare_to(self, rt, other):
        if other is not None and (not isinstance(other, str) or isinstance(other, values.Char)):
            raise ArgumentException("Object must be of type String.")
        return culture_compare(self, other)

    @method("Substring", "int", returns="string")
    @method("Substring", "int", "int", returns="string")
    def substring(self, rt, start, length=None):
        _non_negative(start, "startIndex", "StartIndex cannot be less than zero.")
        if start > len(self):
            raise ArgumentOutOfRangeException("startIndex cannot be larger than length of string.", "startIndex")
        if length is None:
            return self[start:]
        _non_negative(length, "length", "Length cannot be less than zero.")
        if start > len(self) - length:
            raise ArgumentOutOfRangeException("Index and length must refer to a location within the string.",
                                              "length")
        return self[start:start + length]

    @method("IndexOf", "char", returns="int")
    @method("IndexOf", "char", "int", returns="int")
    @method("IndexOf", "char", "int", "int", returns="int")
    def index_of_char(self, rt, value, start=None, count=None):
        low, high = search.window(self, start, count)
        return self.find(str(value), low, high)

    @method("IndexOf", "string", returns="int")
    @method("IndexOf", "string", "int", returns="int")
    @method("IndexOf", "string", "int", "int", returns="int")
    def index_of_string(self, rt, value, start=None, count=None):
        return search.index_of(self, value, start, count, culture=True)

    @method("IndexOf", "string", "System.StringComparison", returns="int")
    def index_of_comparison(self, rt, value, comparison):
        return search.index_of(self, value, ignore_case=search.ignores_case(comparison),
                               culture=search.is_culture(comparison))

    @method("IndexOf", "string", "int", "System.StringComparison", returns="int")
    def index_of_start_comparison(self, rt, value, start, comparison):
        return search.index_of(self, value, start, ignore_case=search.ignores_case(comparison),
                               culture=search.is_culture(comparison))

    @method("IndexOf", "string", "int", "int", "System.StringComparison", returns="int")
    def index_of_range_comparison(self, rt, value, start, count, comparison):
        return search.index_of(self, value, start, count, search.ignores_case(comparison),
                               culture=search.is_culture(comparison))

    @method("IndexOfAny", "char[]", returns="int")
    @method("IndexOfAny", "char[]", "int", returns="int")
    @method("IndexOfAny", "char[]", "int", "int", returns="int")
    def index_of_any(self, rt, any_of, start=None, count=None):
        return search.index_of_any(self, any_of, start, count)

    @method("LastIndexOf", "char", returns="int")
    @method("LastIndexOf", "char", "int", returns="int")
    @method("LastIndexOf", "char", "int", "int", returns="int")
    def last_index_of_char(self, rt, value, start=None, count=None):
        if not self:
            return -1
        low, high = search.back_window(self, start, count)
        return self.rfind(str(value), low, high + 1)

    @method("LastIndexOf", "string", returns="int")
    @method("LastIndexOf", "string", "int", returns="int")
    @method("LastIndexOf", "string", "int", "int", returns="int")
    def last_index_of_string(self, rt, value, start=None, count=None):
        return search.last_index_of(self, value, start, count, culture=True)

    @method("LastIndexOf", "string", "System.StringComparison", returns="int")
    def last_index_of_comparison(self, rt, value, comparison):
        return search.last_index_of(self, value, ignore_case=search.ignores_case(comparison),
                                    culture=search.is_culture(comparison))

    @method("LastIndexOf", "string", "int", "System.StringComparison", returns="int")
    def last_index_of_start_comparison(self, rt, value, start, comparison):
        return search.last_index_of(self, value, start, ignore_case=search.ignores_case(comparison),
                                    culture=search.is_culture(comparison))

    @method("LastIndexOfAny", "char[]", returns="int")
    @method("LastIndexOfAny", "char[]", "int", returns="int")
    @method("LastIndexOfAny", "char[]", "int", "int", returns="int")
    def last_index_of_any(self, rt, any_of, start=None, count=None):
        return search.last_index_of_any(self, any_of, start, count)

    @method("Contains", "string", returns="bool")
    def contains(self, rt, value):
        if value is None:
            raise ArgumentNullException(None, "value")
        return value in self

    @method("StartsWith", "string", returns="bool")
    @method("StartsWith", "string", "System.StringComparison", returns="bool")
    def starts_with(self, rt, value, comparison=0):
        return _starts(self, value, comparison, at_end=False)

    @method("StartsWith", "string", "bool", "System.Globalization.CultureInfo", returns="bool")
    def starts_with_culture(self, rt, value, ignore_case, culture):
        return _starts(self, value, 1 if ignore_case else 0, at_end=False)

    @method("EndsWith", "string", returns="bool")
    @method("EndsWith", "string", "System.StringComparison", returns="bool")
    def ends_with(self, rt, value, comparison=0):
        return _starts(self, value, comparison, at_end=True)

    @method("EndsWith", "string", "bool", "System.Globalization.CultureInfo", returns="bool")
    def ends_with_culture(self, rt, value, ignore_case, culture):
        return _starts(self, value, 1 if ignore_case else 0, at_end=True)

    @method("Replace", "char", "char", returns="string")
    def replace_char(self, rt, old, new):
        return self.replace(str(old), str(new))

    @method("Replace", "string", "string", returns="string")
    def replace_string(self, rt, old, new):
        if old is None:
            raise ArgumentNullException(None, "oldValue")
        if old == "":
            raise ArgumentException("String cannot be of zero length.", "oldValue")
        return self.replace(old, new or "")

    @method("Split", "params char[]", returns="string[]")
    def split(self, rt, separator):
        return search.split(self, text_rules.chars_of(separator))

    @method("Split", "char[]", "int", returns="string[]")
    def split_count(self, rt, separator, count):
        return search.split(self, text_rules.chars_of(separator), count=count)

    @method("Split", "char[]", "System.StringSplitOptions", returns="string[]")
    def split_options(self, rt, separator, options):
        return search.split(self, text_rules.chars_of(separator), options=options)

    @method("Split", "char[]", "int", "System.StringSplitOptions", returns="string[]")
    def split_count_options(self, rt, separator, count, options):
        return search.split(self, text_rules.chars_of(separator), count=count, options=options)

    @method("Split", "string[]", "System.StringSplitOptions", returns="string[]")
    def split_strings(self, rt, separator, options):
        return search.split(self, strings=list(separator or []), options=options)

    @method("Split", "string[]", "int", "System.StringSplitOptions", returns="string[]")
    def split_strings_count(self, rt, separator, count, options):
        return search.split(self, strings=list(separator or []), count=count, options=options)

    @method("Trim", returns="string")
    @method("Trim", "params char[]", returns="string")
    def trim(self, rt, chars=None):
        return _trim(self, chars, True, True, rt)

    @method("TrimStart", "params char[]", returns="string")
    def trim_start(self, rt, chars):
        return _trim(self, chars, True, False, rt)

    @method("TrimEnd", "params char[]", returns="string")
    def trim_end(self, rt, chars):
        return _trim(self, chars, False, True, rt)

    @method("ToLower", returns="string")
    @method("ToLower", "System.Globalization.CultureInfo", returns="string")
    @method("ToLowerInvariant", returns="string")
    def to_lower(self, rt, culture=None):
        return text_rules.lower(self)

    @method("ToUpper", returns="string")
    @method("ToUpper", "System.Globalization.CultureInfo", returns="string")
    @method("ToUpperInvariant", returns="string")
    def to_upper(self, rt, culture=None):
        return text_rules.upper(self)

    @method("PadLeft", "int", returns="string")
    @method("PadLeft", "int", "char", returns="string")
    def pad_left(self, rt, width, fill=" "):
        _non_negative(width, "totalWidth")
        return self.rjust(width, str(fill))

    @method("PadRight", "int", returns="string")
    @method("PadRight", "int", "char", returns="string")
    def pad_right(self, rt, width, fill=" "):
        _non_negative(width, "totalWidth")
        return self.ljust(width, str(fill))

    @method("Insert", "int", "string", returns="string")
    def insert(self, rt, start, value):
        if value is None:
            raise ArgumentNullException(None, "value")
        if not 0 <= start <= len(self):
            raise ArgumentOutOfRangeException("Specified argument was out of the range of valid values.",
                                              "startIndex")
        return self[:start] + value + self[start:]

    @method("Remove", "int", returns="string")
    def remove_from(self, rt, start):
        _non_negative(start, "startIndex", "StartIndex cannot be less than zero.")
        if start >= len(self):
            raise ArgumentOutOfRangeException("startIndex must be less than length of string.", "startIndex")
        return self[:start]

    @method("Remove", "int", "int", returns="string")
    def remove_range(self, rt, start, count):
        _non_negative(start, "startIndex", "StartIndex cannot be less than zero.")
        _non_negative(count, "count", "Count cannot be less than zero.")
        if count > len(self) - start:
            raise ArgumentOutOfRangeException("Index and count must refer to a location within the string.",
                                              "count")
        return self[:start] + self[start + count:]

    @method("ToCharArray", returns="char[]")
    @method("ToCharArray", "int", "int", returns="char[]")
    def to_char_array(self, rt, start=0, length=None):
        length = len(self) - start if length is None else length
        if start < 0 or start > len(self) or start > len(self) - length:
            raise ArgumentOutOfRangeException(search.INDEX_RANGE, "startIndex")
        _non_negative(length, "length", search.INDEX_RANGE)
        return text_rules.char_array(self[start:start + length])

    @method("Normalize", returns="string")
    @method("Normalize", "System.Text.NormalizationForm", returns="string")
    def normalize(self, rt, form=1):
        return unicodedata.normalize(_normal_form(form), self)

    @method("IsNormalized", returns="bool")
    @method("IsNormalized", "System.Text.NormalizationForm", returns="bool")
    def is_normalized(self, rt, form=1):
        return unicodedata.normalize(_normal_form(form), self) == self

    @method("GetEnumerator", returns="System.CharEnumerator")
    def get_enumerator(self, rt):
        from winsim.powershell.clr.library.bcl.collections.enumerators import CharEnumerator
        return CharEnumerator(lambda: (values.Char(ch) for ch in self))

    @method("CopyTo", "int", "char[]", "int", "int")
    def copy_to(self, rt, source_index, destination, destination_index, count):
        if destination is None:
            raise ArgumentNullException(None, "destination")
        if count < 0 or source_index < 0 or destination_index < 0:
            raise ArgumentOutOfRangeException("Non-negative number required." if count >= 0 else
                                              "Count cannot be less than zero.", "count")
        if count > len(self) - source_index:
            raise ArgumentOutOfRangeException("Index and count must refer to a location within the string.",
                                              "sourceIndex")
        if destination_index > len(destination) - count:
            raise ArgumentOutOfRangeException("Index and count must refer to a location within the string.",
                                              "destinationIndex")
        for offset in range(count):
            destination[destination_index + offset] = values.Char(self[source_index + offset])

    @method("GetTypeCode", returns="System.TypeCode")
    def get_type_code(self, rt):
        from winsim.powershell.clr.enums import EnumValue
        return EnumValue("System.TypeCode", 18)

    # static members and constructors (string_statics.py)
    join = string_statics.join
    concat = string_statics.concat
    concat_array = string_statics.concat_array
    format_args = string_statics.format_args
    format_array = string_statics.format_array
    format_provider = string_statics.format_provider
    is_null_or_empty = string_statics.is_null_or_empty
    is_null_or_white_space = string_statics.is_null_or_white_space
    join_objects = string_statics.join_objects
    compare = string_statics.compare
    compare_comparison = string_statics.compare_comparison
    compare_parts = string_statics.compare_parts
    compare_parts_comparison = string_statics.compare_parts_comparison
    compare_ordinal = string_statics.compare_ordinal
    compare_ordinal_parts = string_statics.compare_ordinal_parts
    equals_static = string_statics.equals
    equals_comparison_static = string_statics.equals_comparison
    copy = string_statics.copy
    new_repeated = string_statics.new_repeated
    new_from_chars = string_statics.new_from_chars
