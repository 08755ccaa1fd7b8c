"""System.DateTime: 100-nanosecond ticks since 0001-01-01 and a Kind (Unspecified, Utc, Local).

Now/UtcNow read winsim's host clock (winsim.host.clock). The host model has no time zone: local time is UTC
(offset +00:00), so ToUniversalTime/ToLocalTime change only the Kind."""

from __future__ import annotations

import calendar
import datetime as pydt
import functools

from winsim.host import clock
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import ArgumentNullException, ArgumentOutOfRangeException, FormatException
from winsim.powershell.clr.library.bcl.time import date_parse
from winsim.powershell.clr.library.bcl.time.date_format import format_datetime
from winsim.powershell.clr.library.bcl.time.timespan import TICKS_PER_DAY, TICKS_PER_MS, TICKS_PER_SECOND
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

DateTimeKind = clr_enum("System.DateTimeKind", {"Unspecified": 0, "Utc": 1, "Local": 2})
DayOfWeek = clr_enum("System.DayOfWeek", {"Sunday": 0, "Monday": 1, "Tuesday": 2, "Wednesday": 3, "Thursday": 4,
                                          "Friday": 5, "Saturday": 6})

UNSPECIFIED, UTC, LOCAL = 0, 1, 2
MAX_TICKS = 3155378975999999999
UNIX_EPOCH_TICKS = 621355968000000000
FILETIME_EPOCH_TICKS = 504911232000000000
LOCAL_OFFSET_MINUTES = 0  # winsim's hosts run on UTC
UNREPRESENTABLE = "The added or subtracted value results in an un-representable DateTime."


def utc_now_ticks() -> int:
    return UNIX_EPOCH_TICKS + round(clock.now() * TICKS_PER_SECOND)


@functools.total_ordering
@clr_type("System.DateTime", base="System.ValueType", value_type=True,
          interfaces=("System.IComparable", "System.IFormattable", "System.IConvertible"))
class DateTime:
    __slots__ = ("kind", "ticks")

    def __init__(self, ticks: int, kind: int = UNSPECIFIED) -> None:
        if not 0 <= ticks <= MAX_TICKS:
            raise ArgumentOutOfRangeException("Ticks must be between DateTime.MinValue.Ticks and "
                                              "DateTime.MaxValue.Ticks.", "ticks")
        self.ticks, self.kind = int(ticks), int(kind)

    # value semantics: equality and order by ticks only (Kind is ignored, as .NET does)
    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateTime) and other.ticks == self.ticks

    def __lt__(self, other: DateTime) -> bool:
        return self.ticks < other.ticks

    def __hash__(self) -> int:
        return hash(("DateTime", self.ticks))

    def __repr__(self) -> str:
        return f"DateTime({self.ticks}, kind={self.kind})"

    # calendar parts (the format and parse modules read these)
    @property
    def date(self) -> pydt.date:
        return pydt.date.fromordinal(self.ticks // TICKS_PER_DAY + 1)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def month(self) -> int:
        return self.date.month

    @property
    def day(self) -> int:
        return self.date.day

    @property
    def hour(self) -> int:
        return self.ticks % TICKS_PER_DAY // (3600 * TICKS_PER_SECOND)

    @property
    def minute(self) -> int:
        return self.ticks % (3600 * TICKS_PER_SECOND) // (60 * TICKS_PER_SECOND)

    @property
    def second(self) -> int:
        return self.ticks % (60 * TICKS_PER_SECOND) // TICKS_PER_SECOND

    @property
    def ticks_of_second(self) -> int:
        return self.ticks % TICKS_PER_SECOND

    @property
    def day_of_week(self) -> int:
        return (self.ticks // TICKS_PER_DAY + 1) % 7

    @property
    def offset_minutes(self) -> int:
        return LOCAL_OFFSET_MINUTES

    def shifted(self, ticks: int) -> DateTime:
        target = self.ticks + ticks
        if not 0 <= target <= MAX_TICKS:
            raise ArgumentOutOfRangeException(UNREPRESENTABLE, "value")
        return DateTime(target, self.kind)

    def to_utc(self) -> DateTime:
        if self.kind == UTC:
            return self
        return DateTime(self.ticks - LOCAL_OFFSET_MINUTES * 60 * TICKS_PER_SECOND, UTC)

    def to_local(self) -> DateTime:
        if self.kind == LOCAL:
            return self
        return DateTime(self.ticks + LOCAL_OFFSET_MINUTES * 60 * TICKS_PER_SECOND, LOCAL)

    # construction
    @constructor("long")
    @constructor("long", "System.DateTimeKind")
    @staticmethod
    def from_ticks(rt, ticks, kind=UNSPECIFIED):
        return DateTime(ticks, int(kind))

    @constructor("int", "int", "int")
    @constructor("int", "int", "int", "int", "int", "int")
    @constructor("int", "int", "int", "int", "int", "int", "System.DateTimeKind")
    @staticmethod
    def from_parts(rt, year, month, day, hour=0, minute=0, second=0, kind=UNSPECIFIED):
        return from_calendar(year, month, day, hour, minute, second, 0, int(kind))

    @constructor("int", "int", "int", "int", "int", "int", "int")
    @constructor("int", "int", "int", "int", "int", "int", "int", "System.DateTimeKind")
    @staticmethod
    def from_parts_ms(rt, year, month, day, hour, minute, second, millisecond, kind=UNSPECIFIED):
        return from_calendar(year, month, day, hour, minute, second, millisecond, int(kind))

    # static members
    @getter("Now", "System.DateTime", static=True)
    def now(rt):
        return DateTime(utc_now_ticks(), UTC).to_local()

    @getter("UtcNow", "System.DateTime", static=True)
    def utc_now(rt):
        return DateTime(utc_now_ticks(), UTC)

    @getter("Today", "System.DateTime", static=True)
    def today(rt):
        local = DateTime(utc_now_ticks(), UTC).to_local()
        return DateTime(local.ticks - local.ticks % TICKS_PER_DAY, LOCAL)

    @method("FromFileTimeUtc", "long", returns="System.DateTime", static=True)
    def from_file_time_utc(rt, file_time):
        if file_time < 0 or file_time > MAX_TICKS - FILETIME_EPOCH_TICKS:
            raise ArgumentOutOfRangeException("Not a valid Win32 FileTime.", "fileTime")
        return DateTime(file_time + FILETIME_EPOCH_TICKS, UTC)

    @method("FromFileTime", "long", returns="System.DateTime", static=True)
    def from_file_time(rt, file_time):
        return DateTime.from_file_time_utc(rt, file_time).to_local()

    @method("SpecifyKind", "System.DateTime", "System.DateTimeKind", returns="System.DateTime", static=True)
    def specify_kind(rt, value, kind):
        return DateTime(value.ticks, int(kind))

    @method("DaysInMonth", "int", "int", returns="int", static=True)
    def days_in_month(rt, year, month):
        if not 1 <= month <= 12:
            raise ArgumentOutOfRangeException("Month must be between one and twelve.", "month")
        return calendar.monthrange(year, month)[1]

    @method("IsLeapYear", "int", returns="bool", static=True)
    def is_leap_year(rt, year):
        return calendar.isleap(year)

    @method("Compare", "System.DateTime", "System.DateTime", returns="int", static=True)
    def compare(rt, a, b):
        return (a.ticks > b.ticks) - (a.ticks < b.ticks)

    @method("Parse", "string", returns="System.DateTime", static=True)
    @method("Parse", "string", "System.IFormatProvider", returns="System.DateTime", static=True)
    @method("Parse", "string", "System.IFormatProvider", "System.Globalization.DateTimeStyles",
            returns="System.DateTime", static=True)
    def parse(rt, text, provider=None, styles=0):
        date_parse.check_styles(int(styles))
        return resolve(date_parse.parse_any(text, provider, int(styles)), int(styles))

    @method("ParseExact", "string", "string", "System.IFormatProvider", returns="System.DateTime", static=True)
    @method("ParseExact", "string", "string", "System.IFormatProvider", "System.Globalization.DateTimeStyles",
            returns="System.DateTime", static=True)
    def parse_exact(rt, text, fmt, provider, styles=0):
        date_parse.check_styles(int(styles))
        return resolve(date_parse.parse_exact(text, fmt, provider, int(styles)), int(styles))

    @method("ParseExact", "string", "string[]", "System.IFormatProvider", "System.Globalization.DateTimeStyles",
            returns="System.DateTime", static=True)
    def parse_exact_any(rt, text, formats, provider, styles):
        date_parse.check_styles(int(styles))
        for fmt in formats or ():
            try:
                return resolve(date_parse.parse_exact(text, fmt, provider, int(styles)), int(styles))
            except FormatException:
                continue
        raise FormatException(date_parse.NOT_VALID)

    @method("TryParse", "string", "out System.DateTime", returns="bool", static=True)
    def try_parse(rt, text, result):
        return _attempt(result, lambda: DateTime.parse(rt, text))

    @method("TryParse", "string", "System.IFormatProvider", "System.Globalization.DateTimeStyles",
            "out System.DateTime", returns="bool", static=True)
    def try_parse_styles(rt, text, provider, styles, result):
        date_parse.check_styles(int(styles))
        return _attempt(result, lambda: DateTime.parse(rt, text, provider, styles))

    @method("TryParseExact", "string", "string", "System.IFormatProvider", "System.Globalization.DateTimeStyles",
            "out System.DateTime", returns="bool", static=True)
    def try_parse_exact(rt, text, fmt, provider, styles, result):
        date_parse.check_styles(int(styles))
        return _attempt(result, lambda: DateTime.parse_exact(rt, text, fmt, provider, styles))

    @method("TryParseExact", "string", "string[]", "System.IFormatProvider", "System.Globalization.DateTimeStyles",
            "out System.DateTime", returns="bool", static=True)
    def try_parse_exact_any(rt, text, formats, provider, styles, result):
        date_parse.check_styles(int(styles))
        return _attempt(result, lambda: DateTime.parse_exact_any(rt, text, formats, provider, styles))

    from winsim.powershell.clr.library.bcl.time.datetime_members import (
        add,
        add_days,
        add_hours,
        add_milliseconds,
        add_minutes,
        add_months,
        add_seconds,
        add_ticks,
        add_years,
        compare_to,
        equals,
        get_date,
        get_day,
        get_day_of_week,
        get_day_of_year,
        get_hash_code,
        get_hour,
        get_kind,
        get_millisecond,
        get_minute,
        get_month,
        get_second,
        get_ticks,
        get_time_of_day,
        get_year,
        op_addition,
        op_equality,
        op_greater,
        op_greater_equal,
        op_inequality,
        op_less,
        op_less_equal,
        op_subtraction,
        op_subtraction_span,
        subtract_date,
        subtract_span,
        to_file_time,
        to_file_time_utc,
        to_local_time,
        to_long_date,
        to_long_time,
        to_short_date,
        to_short_time,
        to_string,
        to_string_both,
        to_string_format,
        to_string_provider,
        to_universal_time,
    )


def from_calendar(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
                  millisecond: int = 0, kind: int = UNSPECIFIED) -> DateTime:
    if not 1 <= year <= 9999 or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ArgumentOutOfRangeException("Year, Month, and Day parameters describe an un-representable DateTime.")
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        raise ArgumentOutOfRangeException("Hour, Minute, and Second parameters describe an un-representable "
                                          "DateTime.")
    if not 0 <= millisecond < 1000:
        raise ArgumentOutOfRangeException("Valid values are between 0 and 999, inclusive.", "millisecond")
    days = pydt.date(year, month, day).toordinal() - 1
    ticks = days * TICKS_PER_DAY + ((hour * 60 + minute) * 60 + second) * TICKS_PER_SECOND
    return DateTime(ticks + millisecond * TICKS_PER_MS, kind)


def resolve(parsed: date_parse.Parsed, styles: int) -> DateTime:
    """The DateTime a parse denotes, with the Kind and conversions DateTimeStyles ask for."""
    hour = parsed.hour
    if parsed.pm is not None:
        if hour > 12:
            raise FormatException(date_parse.NOT_VALID)
        hour = hour % 12 + (12 if parsed.pm else 0)
    if parsed.year is None and parsed.month is None and parsed.day is None:
        if styles & date_parse.NO_CURRENT_DATE:
            year, month, day = 1, 1, 1
        else:
            today = DateTime(utc_now_ticks(), UTC).to_local()
            year, month, day = today.year, today.month, today.day
    else:
        year, month, day = parsed.year or 1, parsed.month or 1, parsed.day or 1
    try:
        value = from_calendar(year, month, day, hour, parsed.minute, parsed.second)
    except ArgumentOutOfRangeException:
        raise FormatException(date_parse.NOT_VALID) from None
    value = DateTime(value.ticks + parsed.fraction)
    if parsed.offset is not None:
        utc = DateTime(value.ticks - parsed.offset * 60 * TICKS_PER_SECOND, UTC)
        if styles & date_parse.ADJUST_TO_UNIVERSAL or (styles & date_parse.ROUNDTRIP_KIND and parsed.utc_marker):
            return utc
        return utc.to_local()
    if styles & date_parse.ASSUME_UNIVERSAL:
        utc = DateTime(value.ticks, UTC)
        return utc if styles & date_parse.ADJUST_TO_UNIVERSAL else utc.to_local()
    if styles & date_parse.ASSUME_LOCAL:
        local = DateTime(value.ticks, LOCAL)
        return local.to_utc() if styles & date_parse.ADJUST_TO_UNIVERSAL else local
    return value


def _attempt(result, parse) -> bool:
    """TryParse*: false (and MinValue) for text that does not parse, null text or format included; invalid
    styles still throw."""
    try:
        result.value = parse()
        return True
    except (FormatException, ArgumentOutOfRangeException, ArgumentNullException):
        result.value = DateTime(0)
        return False


def format_value(value: DateTime, fmt: str | None, provider) -> str:
    if fmt in ("U",):
        value = value.to_utc()
    return format_datetime(value, fmt, provider)


DateTime.__clr_type__.fields.update({"MinValue": DateTime(0), "MaxValue": DateTime(MAX_TICKS)})
