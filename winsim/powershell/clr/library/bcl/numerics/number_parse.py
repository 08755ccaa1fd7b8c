"""Number.Parse / TryParse with NumberStyles, as .NET 2.0 reads numbers: returns an exact Decimal (or raises
FormatException), and checks the target type's range (OverflowException with .NET's per-type message)."""

from __future__ import annotations

import decimal

from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    FormatException,
    OverflowException,
)
from winsim.powershell.clr.library.bcl.globalization import number_format

BAD_INPUT = "Input string was not in a correct format."
_WHITE = "\t\n\v\f\r "  # number parsing's white space: U+0009-U+000D and U+0020

# styles
LEADING_WHITE, TRAILING_WHITE, LEADING_SIGN, TRAILING_SIGN = 1, 2, 4, 8
PARENTHESES, DECIMAL_POINT, THOUSANDS, EXPONENT, CURRENCY, HEX = 16, 32, 64, 128, 256, 512
INTEGER, FLOAT_THOUSANDS = 7, 167 | 64

OVERFLOW_NAMES = {
    "System.Byte": "an unsigned byte", "System.SByte": "a signed byte", "System.Int16": "an Int16",
    "System.UInt16": "a UInt16", "System.Int32": "an Int32", "System.UInt32": "a UInt32",
    "System.Int64": "an Int64", "System.UInt64": "a UInt64", "System.Double": "a Double",
    "System.Single": "a Single", "System.Decimal": "a Decimal"}


def overflow(type_name: str) -> OverflowException:
    return OverflowException(f"Value was either too large or too small for {OVERFLOW_NAMES[type_name]}.")


def check_styles(styles: int, allow_hex: bool = True) -> None:
    if styles & ~0x3FF:
        raise ArgumentException("An undefined NumberStyles value is being used.", "style")
    if styles & HEX and styles & ~(HEX | LEADING_WHITE | TRAILING_WHITE):
        raise ArgumentException("With the AllowHexSpecifier bit set in the enum bit field, the only other valid "
                                "bits that can be combined into the enum value must be a subset of those in "
                                "HexNumber.")
    if styles & HEX and not allow_hex:
        raise ArgumentException("The number style AllowHexSpecifier is not supported on floating point data types.")


def parse_hex(text: str, styles: int) -> int | None:
    body = text
    if styles & LEADING_WHITE:
        body = body.lstrip(_WHITE)
    if styles & TRAILING_WHITE:
        body = body.rstrip(_WHITE)
    body = body.rstrip("\0")
    if not body or any(ch not in "0123456789abcdefABCDEF" for ch in body):
        return None
    return int(body, 16)


def parse_number(text: str, styles: int, provider=None) -> decimal.Decimal | None:
    """The value the text denotes under `styles`, exactly; None when it is not in a correct format."""
    nfi = number_format(provider)
    pos, end = 0, len(text)
    while end > 0 and text[end - 1] == "\0":
        end -= 1  # .NET ignores trailing nulls
    negative = sign_seen = paren = False

    def skip_white(p: int) -> int:
        while p < end and text[p] in _WHITE:
            p += 1
        return p

    if styles & LEADING_WHITE:
        pos = skip_white(pos)
    if styles & CURRENCY and text.startswith(nfi.currency_symbol, pos):
        pos += len(nfi.currency_symbol)
        if styles & LEADING_WHITE:
            pos = skip_white(pos)
    if styles & LEADING_SIGN and pos < end and text[pos] in "+-":
        negative, sign_seen, pos = text[pos] == "-", True, pos + 1
    elif styles & PARENTHESES and pos < end and text[pos] == "(":
        negative, paren, pos = True, True, pos + 1
    if styles & CURRENCY and text.startswith(nfi.currency_symbol, pos):
        pos += len(nfi.currency_symbol)
    integer, fraction, seen_point, any_digit = [], [], False, False
    while pos < end:
        ch = text[pos]
        if "0" <= ch <= "9":
            (fraction if seen_point else integer).append(ch)
            any_digit = True
        elif ch == nfi.decimal_separator and styles & DECIMAL_POINT and not seen_point:
            seen_point = True
        elif ch == nfi.group_separator and styles & THOUSANDS and not seen_point and any_digit:
            pass
        else:
            break
        pos += 1
    if not any_digit:
        return None
    exponent = 0
    if styles & EXPONENT and pos < end and text[pos] in "eE":
        probe, exp_negative = pos + 1, False
        if probe < end and text[probe] in "+-":
            exp_negative, probe = text[probe] == "-", probe + 1
        start = probe
        while probe < end and "0" <= text[probe] <= "9":
            probe += 1
        if probe > start:
            exponent = int(text[start:probe]) * (-1 if exp_negative else 1)
            pos = probe
    if styles & TRAILING_SIGN and not sign_seen and not paren and pos < end and text[pos] in "+-":
        negative, pos = text[pos] == "-", pos + 1
    if paren:
        if pos >= end or text[pos] != ")":
            return None
        pos += 1
    if styles & CURRENCY and text.startswith(nfi.currency_symbol, pos):
        pos += len(nfi.currency_symbol)
    if styles & TRAILING_WHITE:
        pos = skip_white(pos)
    if pos != end:
        return None
    digits = "".join(integer) + "." + ("".join(fraction) or "0")
    value = decimal.Decimal(digits).scaleb(exponent, context=decimal.Context(prec=200, Emax=10**6, Emin=-10**6))
    return -value if negative else value


def parse_integer(text: str | None, styles: int, provider, type_name: str, minimum: int, maximum: int,
                  bits: int) -> int:
    if text is None:
        raise ArgumentNullException(None, "String")
    check_styles(styles)
    if styles & HEX:
        number = parse_hex(text, styles)
        if number is None:
            raise FormatException(BAD_INPUT)
        if number >= 1 << bits:
            raise overflow(type_name)
        if minimum < 0 and number >= 1 << (bits - 1):
            number -= 1 << bits  # hex digits are the two's complement bits
        return number
    value = parse_number(text, styles, provider)
    if value is None:
        raise FormatException(BAD_INPUT)
    if value != value.to_integral_value() or not minimum <= value <= maximum:
        raise overflow(type_name)  # .NET reports a non-zero fraction as an overflow too
    return int(value)


def parse_double(text: str | None, styles: int, provider, single: bool = False) -> float:
    if text is None:
        raise ArgumentNullException(None, "s")
    check_styles(styles, allow_hex=False)
    value = parse_number(text, styles, provider)
    if value is None:
        nfi = number_format(provider)
        word = text.strip(_WHITE)
        for symbol, result in ((nfi.positive_infinity, float("inf")), (nfi.negative_infinity, float("-inf")),
                               (nfi.nan, float("nan"))):
            if word == symbol:
                return result
        raise FormatException(BAD_INPUT)
    result = float(value)
    limit = 3.4028234663852886e38 if single else 1.7976931348623157e308
    if abs(result) > limit:
        raise overflow("System.Single" if single else "System.Double")
    return -0.0 if result == 0 and value.is_signed() else result


DECIMAL_MAX = decimal.Decimal(2 ** 96 - 1)


def parse_decimal(text: str | None, styles: int, provider) -> decimal.Decimal:
    if text is None:
        raise ArgumentNullException(None, "s")
    check_styles(styles, allow_hex=False)
    value = parse_number(text, styles, provider)
    if value is None:
        raise FormatException(BAD_INPUT)
    if abs(value) > DECIMAL_MAX:
        raise overflow("System.Decimal")
    return to_decimal(value)


def to_decimal(value: decimal.Decimal) -> decimal.Decimal:
    """Within Decimal's 28-29 significant digits (rounded half to even, as .NET's decimal parsing does)."""
    digits = len(value.as_tuple().digits)
    if digits > 29:
        value = value.quantize(decimal.Decimal(1).scaleb(value.adjusted() - 28), rounding=decimal.ROUND_HALF_EVEN)
    return value.normalize() if value == 0 else value
