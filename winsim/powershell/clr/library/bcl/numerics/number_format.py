"""Number.ToString(format, provider): the standard formats (C, D, E, F, G, N, P, R, X) and custom formats
("0000", "#,##0.00", "0.###", sections "pos;neg;zero"), as .NET Framework 2.0 formats Int32, Int64, Double,
Single and Decimal."""

from __future__ import annotations

import decimal
import math

from winsim.powershell.clr.exceptions import FormatException
from winsim.powershell.clr.library.bcl.globalization import NumberFormatInfo, number_format
from winsim.powershell.clr.library.bcl.numerics.custom_format import custom_format
from winsim.powershell.clr.library.bcl.numerics.digits import Digits, round_trip_digits

BAD_SPECIFIER = "Format specifier was invalid."


def _standard(fmt: str) -> tuple[str, int | None] | None:
    """('X', precision) for a standard format string, None for a custom one."""
    if not fmt or not fmt[0].isalpha() or (len(fmt) > 1 and not fmt[1:].isdigit()):
        return None
    if len(fmt) > 3:
        return None
    return fmt[0], (int(fmt[1:]) if len(fmt) > 1 else None)


def format_integer(value: int, fmt: str | None, provider=None, bits: int = 32) -> str:
    nfi = number_format(provider)
    if not fmt:
        return ("-" if value < 0 else "") + str(abs(value))
    standard = _standard(fmt)
    if standard is None:
        return custom_format(Digits.of_int(value), fmt, nfi)
    letter, precision = standard
    upper = letter.upper()
    if upper == "D":
        digits = str(abs(value)).rjust(precision or 0, "0")
        return (nfi.negative_sign if value < 0 else "") + digits
    if upper == "X":
        text = format(value & ((1 << bits) - 1), "X" if letter == "X" else "x")
        return text.rjust(precision or 0, "0")
    if upper == "G" and not precision:
        return ("-" if value < 0 else "") + str(abs(value))
    if upper == "R":
        raise FormatException(BAD_SPECIFIER)
    return format_digits(Digits.of_int(value), letter, precision, nfi, integral=True)


def format_float(value: float, fmt: str | None, provider=None, single: bool = False) -> str:
    nfi = number_format(provider)
    if math.isnan(value):
        return nfi.nan
    if math.isinf(value):
        return nfi.positive_infinity if value > 0 else nfi.negative_infinity
    default_precision = 7 if single else 15
    if not fmt:
        fmt = "G"
    standard = _standard(fmt)
    if standard is None:
        return custom_format(Digits.of_float(value, default_precision), fmt, nfi)
    letter, precision = standard
    upper = letter.upper()
    if upper in ("D", "X"):
        raise FormatException(BAD_SPECIFIER)
    if upper == "R":
        digits = round_trip_digits(value) if not single else _single_round_trip(value)
        return format_digits(digits, "E" if letter == "R" else "e", max(len(digits.digits), default_precision), nfi,
                             general=True)
    if upper == "G":
        digits = Digits.of_float(value, default_precision if not precision else min(precision, 17))
        return format_digits(digits, letter, precision or default_precision, nfi)
    return format_digits(Digits.of_float(value, default_precision), letter, precision, nfi)


def _single_round_trip(value: float) -> Digits:
    import struct
    short = Digits.of_float(value, 7)
    packed = struct.unpack("f", struct.pack("f", float(f"{'-' if short.negative else ''}0.{short.digits or '0'}"
                                                          f"e{short.scale}")))[0]
    return short if packed == value else Digits.of_float(value, 9)


def format_decimal(value: decimal.Decimal, fmt: str | None, provider=None) -> str:
    nfi = number_format(provider)
    if not fmt or fmt in ("G", "g"):
        text = format(value, "f")
        return text.replace(".", nfi.decimal_separator).replace("-", nfi.negative_sign, 1)
    standard = _standard(fmt)
    digits = Digits.of_decimal(value)
    if standard is None:
        return custom_format(digits, fmt, nfi)
    letter, precision = standard
    if letter.upper() in ("D", "X", "R"):
        raise FormatException(BAD_SPECIFIER)
    return format_digits(digits, letter, precision if letter.upper() != "G" else (precision or 29), nfi)


def _group(integer: str, separator: str) -> str:
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    return separator.join(groups)


def _fixed(digits: Digits, decimals: int, nfi: NumberFormatInfo, grouped: bool) -> tuple[bool, str]:
    rounded = digits.rounded(digits.scale + decimals)
    integer = rounded.integer_part()
    if grouped:
        integer = _group(integer, nfi.group_separator)
    text = integer + (nfi.decimal_separator + rounded.fraction(decimals) if decimals > 0 else "")
    return rounded.negative, text


def _scientific(digits: Digits, mantissa_digits: int, letter: str, nfi: NumberFormatInfo, min_exp: int,
                trim: bool) -> tuple[bool, str]:
    rounded = digits.rounded(mantissa_digits)
    shown = rounded.digits if trim else rounded.digits.ljust(mantissa_digits, "0")
    shown = shown or "0"
    exponent = rounded.scale - 1 if rounded.digits else 0
    text = shown[0] + (nfi.decimal_separator + shown[1:] if len(shown) > 1 else "")
    sign = nfi.negative_sign if exponent < 0 else nfi.positive_sign
    return rounded.negative, f"{text}{'E' if letter.isupper() else 'e'}{sign}{str(abs(exponent)).rjust(min_exp, '0')}"


def format_digits(digits: Digits, letter: str, precision: int | None, nfi: NumberFormatInfo,
                  integral: bool = False, general: bool = False) -> str:
    upper = letter.upper()
    if general or upper == "G":
        limit = precision or 1000
        rounded = digits.rounded(limit) if not general else digits
        # .NET switches to scientific when the point falls past the precision or 5+ zeros follow it.
        if rounded.digits and (rounded.scale > limit or rounded.scale < -3):
            negative, text = _scientific(rounded, len(rounded.digits), "E" if letter.isupper() else "e", nfi, 2,
                                         trim=True)
        else:
            negative = rounded.negative
            places = max(0, len(rounded.digits) - rounded.scale)
            text = rounded.integer_part() + (nfi.decimal_separator + rounded.fraction(places) if places else "")
        return (nfi.negative_sign if negative else "") + text
    if upper == "F":
        negative, text = _fixed(digits, 2 if precision is None else precision, nfi, grouped=False)
        return (nfi.negative_sign if negative else "") + text
    if upper == "N":
        negative, text = _fixed(digits, 2 if precision is None else precision, nfi, grouped=True)
        return (nfi.negative_sign if negative else "") + text
    if upper == "E":
        negative, text = _scientific(digits, 1 + (6 if precision is None else precision), letter, nfi, 3,
                                     trim=False)
        return (nfi.negative_sign if negative else "") + text
    if upper == "P":
        scaled = Digits(digits.negative, digits.digits, digits.scale + 2)
        negative, text = _fixed(scaled, 2 if precision is None else precision, nfi, grouped=True)
        return (nfi.negative_sign if negative else "") + text + " " + nfi.percent_symbol
    if upper == "C":
        negative, text = _fixed(digits, 2 if precision is None else precision, nfi, grouped=True)
        text = nfi.currency_symbol + text
        return f"({text})" if negative else text
    raise FormatException(BAD_SPECIFIER)
