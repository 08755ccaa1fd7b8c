"""System.TimeSpan: a signed count of 100-nanosecond ticks."""

from __future__ import annotations

import functools
import math
import re

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentOutOfRangeException,
    FormatException,
    OverflowException,
)
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

TICKS_PER_MS = 10_000
TICKS_PER_SECOND = 10_000_000
TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND
TICKS_PER_HOUR = 60 * TICKS_PER_MINUTE
TICKS_PER_DAY = 24 * TICKS_PER_HOUR
LONG_MIN, LONG_MAX = -0x8000000000000000, 0x7FFFFFFFFFFFFFFF
TOO_LONG = "TimeSpan overflowed because the duration is too long."


def checked(ticks: int) -> int:
    if not LONG_MIN <= ticks <= LONG_MAX:
        raise OverflowException(TOO_LONG)
    return ticks


def interval(value: float, scale: int) -> TimeSpan:
    """TimeSpan.FromSeconds and kin: .NET 2.0 rounds the interval to whole milliseconds."""
    if math.isnan(value):
        raise ArgumentException("TimeSpan does not accept floating point Not-a-Number values.")
    millis = value * (scale / TICKS_PER_MS) + (0.5 if value >= 0 else -0.5)
    if not -922337203685477.0 <= millis <= 922337203685477.0:
        raise OverflowException(TOO_LONG)
    return TimeSpan(int(millis) * TICKS_PER_MS)


@functools.total_ordering
@clr_type("System.TimeSpan", base="System.ValueType", value_type=True,
          interfaces=("System.IComparable",))  # IFormattable from .NET 4.0 only
class TimeSpan:
    __slots__ = ("ticks",)

    def __init__(self, ticks: int = 0) -> None:
        self.ticks = checked(int(ticks))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimeSpan) and other.ticks == self.ticks

    def __lt__(self, other: TimeSpan) -> bool:
        return self.ticks < other.ticks

    def __hash__(self) -> int:
        return hash(("TimeSpan", self.ticks))

    def __repr__(self) -> str:
        return f"TimeSpan({self.ticks})"

    def text(self) -> str:
        """TimeSpan.ToString(): [-][d.]hh:mm:ss[.fffffff]."""
        ticks = abs(self.ticks)
        days, rest = divmod(ticks, TICKS_PER_DAY)
        hours, rest = divmod(rest, TICKS_PER_HOUR)
        minutes, rest = divmod(rest, TICKS_PER_MINUTE)
        seconds, fraction = divmod(rest, TICKS_PER_SECOND)
        text = ("-" if self.ticks < 0 else "") + (f"{days}." if days else "")
        text += f"{hours:02}:{minutes:02}:{seconds:02}"
        return text + (f".{fraction:07}" if fraction else "")

    @constructor("long")
    @staticmethod
    def from_ticks_ctor(rt, ticks):
        return TimeSpan(ticks)

    @constructor("int", "int", "int")
    @staticmethod
    def from_hms(rt, hours, minutes, seconds):
        return _parts(0, hours, minutes, seconds, 0)

    @constructor("int", "int", "int", "int")
    @constructor("int", "int", "int", "int", "int")
    @staticmethod
    def from_dhms(rt, days, hours, minutes, seconds, millis=0):
        return _parts(days, hours, minutes, seconds, millis)

    @getter("Ticks", "long")
    def get_ticks(self, rt):
        return values.Int64(self.ticks)

    @getter("Days", "int")
    def get_days(self, rt):
        return _component(self.ticks, TICKS_PER_DAY, 1 << 64)

    @getter("Hours", "int")
    def get_hours(self, rt):
        return _component(self.ticks, TICKS_PER_HOUR, 24)

    @getter("Minutes", "int")
    def get_minutes(self, rt):
        return _component(self.ticks, TICKS_PER_MINUTE, 60)

    @getter("Seconds", "int")
    def get_seconds(self, rt):
        return _component(self.ticks, TICKS_PER_SECOND, 60)

    @getter("Milliseconds", "int")
    def get_milliseconds(self, rt):
        return _component(self.ticks, TICKS_PER_MS, 1000)

    @getter("TotalDays", "double")
    def total_days(self, rt):
        return self.ticks / TICKS_PER_DAY

    @getter("TotalHours", "double")
    def total_hours(self, rt):
        return self.ticks / TICKS_PER_HOUR

    @getter("TotalMinutes", "double")
    def total_minutes(self, rt):
        return self.ticks / TICKS_PER_MINUTE

    @getter("TotalSeconds", "double")
    def total_seconds(self, rt):
        return self.ticks / TICKS_PER_SECOND

    @getter("TotalMilliseconds", "double")
    def total_milliseconds(self, rt):
        return self.ticks / TICKS_PER_MS

    @method("Add", "System.TimeSpan", returns="System.TimeSpan")
    def add(self, rt, other):
        return TimeSpan(self.ticks + other.ticks)

    @method("Subtract", "System.TimeSpan", returns="System.TimeSpan")
    def subtract(self, rt, other):
        return TimeSpan(self.ticks - other.ticks)

    @method("Negate", returns="System.TimeSpan")
    def negate(self, rt):
        if self.ticks == LONG_MIN:
            raise OverflowException("Negating the minimum value of a twos complement number is invalid.")
        return TimeSpan(-self.ticks)

    @method("Duration", returns="System.TimeSpan")
    def duration(self, rt):
        if self.ticks == LONG_MIN:
            raise OverflowException("The duration cannot be returned for TimeSpan.MinValue because the absolute "
                                    "value of TimeSpan.MinValue exceeds the value of TimeSpan.MaxValue.")
        return TimeSpan(abs(self.ticks))

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.text()

    @since(4)
    @method("ToString", "string", returns="string")
    @method("ToString", "string", "System.IFormatProvider", returns="string")
    def to_string_format(self, rt, fmt, provider=None):
        return format_timespan(self, fmt)

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return self == other

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        return (self.ticks ^ (self.ticks >> 32)) & 0x7FFFFFFF

    @method("CompareTo", "object", returns="int")
    def compare_to(self, rt, other):
        if other is None:
            return 1
        if not isinstance(other, TimeSpan):
            raise ArgumentException("Object must be of type TimeSpan.")
        return (self.ticks > other.ticks) - (self.ticks < other.ticks)

    @method("FromTicks", "long", returns="System.TimeSpan", static=True)
    def from_ticks(rt, ticks):
        return TimeSpan(ticks)

    @method("FromMilliseconds", "double", returns="System.TimeSpan", static=True)
    def from_milliseconds(rt, value):
        return interval(value, TICKS_PER_MS)

    @method("FromSeconds", "double", returns="System.TimeSpan", static=True)
    def from_seconds(rt, value):
        return interval(value, TICKS_PER_SECOND)

    @method("FromMinutes", "double", returns="System.TimeSpan", static=True)
    def from_minutes(rt, value):
        return interval(value, TICKS_PER_MINUTE)

    @method("FromHours", "double", returns="System.TimeSpan", static=True)
    def from_hours(rt, value):
        return interval(value, TICKS_PER_HOUR)

    @method("FromDays", "double", returns="System.TimeSpan", static=True)
    def from_days(rt, value):
        return interval(value, TICKS_PER_DAY)

    @method("Parse", "string", returns="System.TimeSpan", static=True)
    def parse(rt, text):
        if text is None:
            from winsim.powershell.clr.exceptions import ArgumentNullException
            raise ArgumentNullException(None, "s")
        return parse_timespan(text)

    @method("TryParse", "string", "out System.TimeSpan", returns="bool", static=True)
    def try_parse(rt, text, result):
        try:
            result.value = parse_timespan(text or "")
            return True
        except (FormatException, OverflowException):
            result.value = TimeSpan(0)
            return False

    @method("Compare", "System.TimeSpan", "System.TimeSpan", returns="int", static=True)
    def compare(rt, a, b):
        return (a.ticks > b.ticks) - (a.ticks < b.ticks)

    @method("op_Addition", "System.TimeSpan", "System.TimeSpan", returns="System.TimeSpan", static=True)
    def op_addition(rt, a, b):
        return TimeSpan(a.ticks + b.ticks)

    @method("op_Subtraction", "System.TimeSpan", "System.TimeSpan", returns="System.TimeSpan", static=True)
    def op_subtraction(rt, a, b):
        return TimeSpan(a.ticks - b.ticks)

    @method("op_UnaryNegation", "System.TimeSpan", returns="System.TimeSpan", static=True)
    def op_negation(rt, a):
        return TimeSpan(-a.ticks)

    @method("op_Equality", "System.TimeSpan", "System.TimeSpan", returns="bool", static=True)
    def op_equality(rt, a, b):
        return a.ticks == b.ticks

    @method("op_Inequality", "System.TimeSpan", "System.TimeSpan", returns="bool", static=True)
    def op_inequality(rt, a, b):
        return a.ticks != b.ticks

    @method("op_LessThan", "System.TimeSpan", "System.TimeSpan", returns="bool", static=True)
    def op_less(rt, a, b):
        return a.ticks < b.ticks

    @method("op_GreaterThan", "System.TimeSpan", "System.TimeSpan", returns="bool", static=True)
    def op_greater(rt, a, b):
        return a.ticks > b.ticks


def _component(ticks: int, unit: int, modulus: int) -> int:
    magnitude = (abs(ticks) // unit) % modulus
    return -magnitude if ticks < 0 else magnitude


def _parts(days: int, hours: int, minutes: int, seconds: int, millis: int) -> TimeSpan:
    total = ((days * 3600 * 24 + hours * 3600 + minutes * 60 + seconds) * 1000 + millis) * TICKS_PER_MS
    if not LONG_MIN <= total <= LONG_MAX:
        raise ArgumentOutOfRangeException(TOO_LONG)
    return TimeSpan(total)


_SPAN = re.compile(r"^[ \t]*(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,7}))?)?[ \t]*$")
_DAYS = re.compile(r"^[ \t]*(-)?(\d+)[ \t]*$")


def parse_timespan(text: str) -> TimeSpan:
    """TimeSpan.Parse: [ws][-]{d | [d.]hh:mm[:ss[.ff]]}[ws]."""
    days_only = _DAYS.match(text)
    if days_only:
        ticks = int(days_only[2]) * TICKS_PER_DAY
        return TimeSpan(-ticks if days_only[1] else ticks)
    match = _SPAN.match(text)
    if not match:
        raise FormatException("Input string was not in a correct format.")
    days, hours, minutes = int(match[2] or 0), int(match[3]), int(match[4])
    seconds, fraction = int(match[5] or 0), match[6] or ""
    if hours > 23 or minutes > 59 or seconds > 59:
        raise OverflowException("The TimeSpan could not be parsed because at least one of the hours, minutes, or "
                                "seconds components is outside its valid range.")
    ticks = (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * TICKS_PER_SECOND
    ticks += int(fraction.ljust(7, "0")) if fraction else 0
    return TimeSpan(-ticks if match[1] else ticks)


ZERO = TimeSpan(0)
TimeSpan.__clr_type__.fields.update({
    "Zero": ZERO, "MaxValue": TimeSpan(LONG_MAX), "MinValue": TimeSpan(LONG_MIN),
    "TicksPerMillisecond": values.Int64(TICKS_PER_MS), "TicksPerSecond": values.Int64(TICKS_PER_SECOND),
    "TicksPerMinute": values.Int64(TICKS_PER_MINUTE), "TicksPerHour": values.Int64(TICKS_PER_HOUR),
    "TicksPerDay": values.Int64(TICKS_PER_DAY)})


def format_timespan(span: TimeSpan, fmt: str | None) -> str:
    """TimeSpan.ToString(format) of .NET 4: "c"/"t"/"T" (constant), "g" (short general), "G" (long general),
    or custom specifiers (d, h, m, s, f, F; quoted or backslash-escaped literals)."""
    ticks = abs(span.ticks)
    days, rest = divmod(ticks, TICKS_PER_DAY)
    hours, rest = divmod(rest, TICKS_PER_HOUR)
    minutes, rest = divmod(rest, TICKS_PER_MINUTE)
    seconds, fraction = divmod(rest, TICKS_PER_SECOND)
    sign = "-" if span.ticks < 0 else ""
    if not fmt or fmt in ("c", "t", "T"):
        return span.text()
    if fmt == "g":
        text = f"{sign}{f'{days}:' if days else ''}{hours}:{minutes:02}:{seconds:02}"
        return text + (f".{str(fraction).rjust(7, '0').rstrip('0')}" if fraction else "")
    if fmt == "G":
        return f"{sign}{days}:{hours:02}:{minutes:02}:{seconds:02}.{fraction:07}"
    out, index = [], 0
    while index < len(fmt):
        ch = fmt[index]
        run = len(fmt[index:]) - len(fmt[index:].lstrip(ch))
        if ch in "'\"":
            end = fmt.find(ch, index + 1)
            if end < 0:
                raise FormatException("Input string was not in a correct format.")
            out.append(fmt[index + 1:end])
            index = end + 1
            continue
        if ch == "\\" and index + 1 < len(fmt):
            out.append(fmt[index + 1])
            index += 2
            continue
        if ch == "d" and run <= 8:
            out.append(str(days).rjust(run, "0"))
        elif ch in "hms" and run <= 2:
            out.append(str({"h": hours, "m": minutes, "s": seconds}[ch]).rjust(run, "0"))
        elif ch in "fF" and run <= 7:
            digits = str(fraction).rjust(7, "0")[:run]
            out.append(digits if ch == "f" else digits.rstrip("0"))
        else:
            raise FormatException("Input string was not in a correct format.")
        index += run
    return "".join(out)
