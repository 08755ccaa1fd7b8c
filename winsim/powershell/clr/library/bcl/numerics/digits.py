"""The decimal digit buffer .NET formats numbers from (its NUMBER struct): sign, significant digits and a
decimal scale (value = 0.DIGITS x 10^scale), with the rounding .NET applies to the digit string (half away
from zero on the decimal digits, after doubles are first cut to 15 or 17 significant digits)."""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass


@dataclass
class Digits:
    negative: bool
    digits: str     # significant digits, no leading zeros ("" for zero)
    scale: int      # position of the decimal point relative to the first digit

    @classmethod
    def of_int(cls, value: int) -> Digits:
        text = str(abs(int(value)))
        if text == "0":
            return cls(value < 0, "", 0)
        return cls(value < 0, text, len(text))

    @classmethod
    def of_float(cls, value: float, precision: int = 15) -> Digits:
        if value == 0:
            return cls(False, "", 0)  # .NET Framework shows -0.0 as 0
        mantissa, exponent = (f"%.{precision - 1}e" % abs(value)).split("e")
        digits = mantissa.replace(".", "").rstrip("0")
        return cls(value < 0, digits, int(exponent) + 1)

    @classmethod
    def of_decimal(cls, value: decimal.Decimal) -> Digits:
        sign, digit_tuple, exponent = value.as_tuple()
        text = "".join(map(str, digit_tuple)).lstrip("0")
        if not text:
            return cls(bool(sign), "", 0)
        scale = len("".join(map(str, digit_tuple)).lstrip("0")) + int(exponent)
        return cls(bool(sign), text.rstrip("0"), scale)

    def is_zero(self) -> bool:
        return not self.digits.strip("0")

    def rounded(self, position: int) -> Digits:
        """Keeps `position` digits (counted from the first significant one), rounding half away from zero;
        a result of zero loses its sign, as .NET Framework shows it."""
        digits, scale = self.digits, self.scale
        if position < 0:
            return Digits(False, "", 0)
        if position < len(digits):
            up = digits[position] >= "5"
            digits = digits[:position]
            if up:
                carried = str(int(digits or "0") + 1) if digits else "1"
                if len(carried) > len(digits):
                    scale += 1
                digits = carried
        digits = digits.rstrip("0")
        if not digits:
            return Digits(False, "", 0)
        return Digits(self.negative, digits, scale)

    def integer_part(self) -> str:
        if self.scale <= 0:
            return "0"
        return (self.digits[:self.scale]).ljust(self.scale, "0")

    def fraction(self, count: int) -> str:
        """The first `count` digits after the decimal point."""
        tail = self.digits[self.scale:] if self.scale >= 0 else "0" * -self.scale + self.digits
        return tail[:count].ljust(count, "0")


def round_trip_digits(value: float) -> Digits:
    """Double's "R": 15 significant digits when they parse back to the same value, else 17."""
    short = Digits.of_float(value, 15)
    if math.isfinite(value) and float(f"{'-' if short.negative else ''}0.{short.digits or '0'}e{short.scale}") \
            != value:
        return Digits.of_float(value, 17)
    return short
