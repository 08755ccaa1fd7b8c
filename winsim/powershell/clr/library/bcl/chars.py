"""System.Char: one UTF-16 code unit (values.Char). Classification follows the Unicode categories .NET uses."""

from __future__ import annotations

import unicodedata

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    FormatException,
)
from winsim.powershell.clr.library.bcl import text_rules
from winsim.powershell.clr.library.bcl.objects import COMPARABLE_CONVERTIBLE
from winsim.powershell.clr.typesystem import clr_type, method

_CATEGORIES = {
    "IsDigit": ("Nd",), "IsNumber": ("Nd", "Nl", "No"), "IsControl": ("Cc",),
    "IsLetter": ("Lu", "Ll", "Lt", "Lm", "Lo"), "IsLetterOrDigit": ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd"),
    "IsUpper": ("Lu",), "IsLower": ("Ll",), "IsSeparator": ("Zs", "Zl", "Zp"), "IsSurrogate": ("Cs",),
    "IsPunctuation": ("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"), "IsSymbol": ("Sm", "Sc", "Sk", "So"),
}


def _at(text: str, index: int) -> str:
    if text is None:
        raise ArgumentNullException(None, "s")
    if not 0 <= index < len(text):
        raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size of "
                                          "the collection.", "index")
    return text[index]


def _classifier(categories: tuple[str, ...]):
    def check(rt, value, index=None):
        ch = _at(value, index) if index is not None else str(value)
        return unicodedata.category(ch) in categories
    return check


def _white_space(rt, value, index=None):
    return text_rules.is_white_space(_at(value, index) if index is not None else str(value))


def _declare_classifiers(namespace: dict) -> None:
    for name, categories in _CATEGORIES.items():
        check = _classifier(categories)
        method(name, "char", returns="bool", static=True)(check)
        method(name, "string", "int", returns="bool", static=True)(check)
        namespace[f"_{name}"] = check
    method("IsWhiteSpace", "char", returns="bool", static=True)(_white_space)
    method("IsWhiteSpace", "string", "int", returns="bool", static=True)(_white_space)
    namespace["_IsWhiteSpace"] = _white_space


@clr_type("System.Char", base="System.ValueType", instances=(values.Char,), value_type=True,
          interfaces=COMPARABLE_CONVERTIBLE, fields={"MaxValue": values.Char("\uffff"), "MinValue": values.Char("\0")})
class ClrChar:
    _declare_classifiers(locals())

    @method("ToString", returns="string")
    @method("ToString", "System.IFormatProvider", returns="string")
    def to_string(self, rt, provider=None):
        return str(self)

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return isinstance(other, values.Char) and str(other) == str(self)

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        code = ord(self)
        return code | (code << 16)

    @method("CompareTo", "object", returns="int")
    def compare_to(self, rt, other):
        if other is None:
            return 1
        if not isinstance(other, values.Char):
            raise ArgumentException("Object must be of type Char.")
        return ord(self) - ord(other)

    @method("ToString", "char", returns="string", static=True)
    def to_string_static(rt, value):
        return str(value)

    @method("ToUpper", "char", returns="char", static=True)
    @method("ToUpper", "char", "System.Globalization.CultureInfo", returns="char", static=True)
    @method("ToUpperInvariant", "char", returns="char", static=True)
    def to_upper(rt, value, culture=None):
        return values.Char(text_rules.upper(str(value)))

    @method("ToLower", "char", returns="char", static=True)
    @method("ToLower", "char", "System.Globalization.CultureInfo", returns="char", static=True)
    @method("ToLowerInvariant", "char", returns="char", static=True)
    def to_lower(rt, value, culture=None):
        return values.Char(text_rules.lower(str(value)))

    @method("Parse", "string", returns="char", static=True)
    def parse(rt, text):
        if text is None:
            raise ArgumentNullException(None, "s")
        if len(text) != 1:
            raise FormatException("String must be exactly one character long.")
        return values.Char(text)

    @method("TryParse", "string", "out char", returns="bool", static=True)
    def try_parse(rt, text, result):
        ok = text is not None and len(text) == 1
        result.value = values.Char(text if ok else "\0")
        return ok

    @method("GetNumericValue", "char", returns="double", static=True)
    def get_numeric_value(rt, value):
        return float(unicodedata.numeric(str(value), -1.0))
