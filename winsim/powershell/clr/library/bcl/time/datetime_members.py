"""DateTime's instance members and operators (datetime.py declares them on System.DateTime): parts, Add*,
Subtract, conversions between Kinds, file times, ToString and its short/long forms, comparison."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentOutOfRangeException
from winsim.powershell.clr.library.bcl.globalization import date_format
from winsim.powershell.clr.library.bcl.time.timespan import TICKS_PER_DAY, TICKS_PER_MS, TimeSpan
from winsim.powershell.clr.typesystem import getter, method

_FILETIME_EPOCH_TICKS = 504911232000000000
_MAX_MILLIS = 315537897600000


def _datetime():
    from winsim.powershell.clr.library.bcl.time import datetime
    return datetime


def _add_scaled(self, value: float, scale_ms: float):
    # .NET 2.0 rounds the added amount to whole milliseconds before adding it
    if value != value or abs(value * scale_ms) >= _MAX_MILLIS:  # NaN or beyond the calendar
        raise ArgumentOutOfRangeException("Value to add was out of range.", "value")
    millis = int(value * scale_ms + (0.5 if value >= 0 else -0.5))
    if not -_MAX_MILLIS < millis < _MAX_MILLIS:
        raise ArgumentOutOfRangeException("Value to add was out of range.", "value")
    return self.shifted(millis * TICKS_PER_MS)


@getter("Ticks", "long")
def get_ticks(self, rt):
    return values.Int64(self.ticks)


@getter("Kind", "System.DateTimeKind")
def get_kind(self, rt):
    return EnumValue("System.DateTimeKind", self.kind)


@getter("Year", "int")
def get_year(self, rt):
    return self.year


@getter("Month", "int")
def get_month(self, rt):
    return self.month


@getter("Day", "int")
def get_day(self, rt):
    return self.day


@getter("Hour", "int")
def get_hour(self, rt):
    return self.hour


@getter("Minute", "int")
def get_minute(self, rt):
    return self.minute


@getter("Second", "int")
def get_second(self, rt):
    return self.second


@getter("Millisecond", "int")
def get_millisecond(self, rt):
    return self.ticks_of_second // TICKS_PER_MS


@getter("DayOfWeek", "System.DayOfWeek")
def get_day_of_week(self, rt):
    return EnumValue("System.DayOfWeek", self.day_of_week)


@getter("DayOfYear", "int")
def get_day_of_year(self, rt):
    return self.date.timetuple().tm_yday


@getter("Date", "System.DateTime")
def get_date(self, rt):
    return _datetime().DateTime(self.ticks - self.ticks % TICKS_PER_DAY, self.kind)


@getter("TimeOfDay", "System.TimeSpan")
def get_time_of_day(self, rt):
    return TimeSpan(self.ticks % TICKS_PER_DAY)


@method("AddTicks", "long", returns="System.DateTime")
def add_ticks(self, rt, ticks):
    return self.shifted(int(ticks))


@method("AddMilliseconds", "double", returns="System.DateTime")
def add_milliseconds(self, rt, value):
    return _add_scaled(self, value, 1)


@method("AddSeconds", "double", returns="System.DateTime")
def add_seconds(self, rt, value):
    return _add_scaled(self, value, 1000)


@method("AddMinutes", "double", returns="System.DateTime")
def add_minutes(self, rt, value):
    return _add_scaled(self, value, 60_000)


@method("AddHours", "double", returns="System.DateTime")
def add_hours(self, rt, value):
    return _add_scaled(self, value, 3_600_000)


@method("AddDays", "double", returns="System.DateTime")
def add_days(self, rt, value):
    return _add_scaled(self, value, 86_400_000)


@method("AddMonths", "int", returns="System.DateTime")
def add_months(self, rt, months):
    import calendar
    if not -120000 <= months <= 120000:
        raise ArgumentOutOfRangeException("Months value must be between +/-120000.", "months")
    total = self.year * 12 + self.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ArgumentOutOfRangeException("The added or subtracted value results in an un-representable DateTime.",
                                          "months")
    day = min(self.day, calendar.monthrange(year, month)[1])
    start = _datetime().from_calendar(year, month, day, kind=self.kind)
    return _datetime().DateTime(start.ticks + self.ticks % TICKS_PER_DAY, self.kind)


@method("AddYears", "int", returns="System.DateTime")
def add_years(self, rt, years):
    if not -10000 <= years <= 10000:
        raise ArgumentOutOfRangeException("Years value must be between +/-10000.", "years")
    return add_months(self, rt, years * 12)


@method("Add", "System.TimeSpan", returns="System.DateTime")
def add(self, rt, span):
    return self.shifted(span.ticks)


@method("Subtract", "System.DateTime", returns="System.TimeSpan")
def subtract_date(self, rt, other):
    return TimeSpan(self.ticks - other.ticks)


@method("Subtract", "System.TimeSpan", returns="System.DateTime")
def subtract_span(self, rt, span):
    return self.shifted(-span.ticks)


@method("ToUniversalTime", returns="System.DateTime")
def to_universal_time(self, rt):
    return self.to_utc()


@method("ToLocalTime", returns="System.DateTime")
def to_local_time(self, rt):
    return self.to_local()


@method("ToFileTimeUtc", returns="long")
def to_file_time_utc(self, rt):
    # ToFileTimeUtc takes an Unspecified time as UTC already; a Local one is converted
    ticks = (self.to_utc().ticks if self.kind == 2 else self.ticks) - _FILETIME_EPOCH_TICKS
    if ticks < 0:
        raise ArgumentOutOfRangeException("Not a valid Win32 FileTime.", None)
    return values.Int64(ticks)


@method("ToFileTime", returns="long")
def to_file_time(self, rt):
    ticks = self.to_utc().ticks - _FILETIME_EPOCH_TICKS
    if ticks < 0:
        raise ArgumentOutOfRangeException("Not a valid Win32 FileTime.", None)
    return values.Int64(ticks)


@method("ToString", returns="string")
def to_string(self, rt):
    return _datetime().format_value(self, None, None)


@method("ToString", "string", returns="string")
def to_string_format(self, rt, fmt):
    return _datetime().format_value(self, fmt, None)


@method("ToString", "System.IFormatProvider", returns="string")
def to_string_provider(self, rt, provider):
    return _datetime().format_value(self, None, provider)


@method("ToString", "string", "System.IFormatProvider", returns="string")
def to_string_both(self, rt, fmt, provider):
    return _datetime().format_value(self, fmt, provider)


@method("ToShortDateString", returns="string")
def to_short_date(self, rt):
    return _datetime().format_value(self, date_format(None).short_date, None)


@method("ToLongDateString", returns="string")
def to_long_date(self, rt):
    return _datetime().format_value(self, date_format(None).long_date, None)


@method("ToShortTimeString", returns="string")
def to_short_time(self, rt):
    return _datetime().format_value(self, date_format(None).short_time, None)


@method("ToLongTimeString", returns="string")
def to_long_time(self, rt):
    return _datetime().format_value(self, date_format(None).long_time, None)


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
    if not isinstance(other, _datetime().DateTime):
        raise ArgumentException("Object must be of type DateTime.")
    return (self.ticks > other.ticks) - (self.ticks < other.ticks)


@method("op_Subtraction", "System.DateTime", "System.DateTime", returns="System.TimeSpan", static=True)
def op_subtraction(rt, a, b):
    return TimeSpan(a.ticks - b.ticks)


@method("op_Subtraction", "System.DateTime", "System.TimeSpan", returns="System.DateTime", static=True)
def op_subtraction_span(rt, a, span):
    return a.shifted(-span.ticks)


@method("op_Addition", "System.DateTime", "System.TimeSpan", returns="System.DateTime", static=True)
def op_addition(rt, a, span):
    return a.shifted(span.ticks)


@method("op_Equality", "System.DateTime", "System.DateTime", returns="bool", static=True)
def op_equality(rt, a, b):
    return a.ticks == b.ticks


@method("op_Inequality", "System.DateTime", "System.DateTime", returns="bool", static=True)
def op_inequality(rt, a, b):
    return a.ticks != b.ticks


@method("op_LessThan", "System.DateTime", "System.DateTime", returns="bool", static=True)
def op_less(rt, a, b):
    return a.ticks < b.ticks


@method("op_LessThanOrEqual", "System.DateTime", "System.DateTime", returns="bool", static=True)
def op_less_equal(rt, a, b):
    return a.ticks <= b.ticks


@method("op_GreaterThan", "System.DateTime", "System.DateTime", returns="bool", static=True)
def op_greater(rt, a, b):
    return a.ticks > b.ticks


@method("op_GreaterThanOrEqual", "System.DateTime", "System.DateTime", returns="bool", static=True)
def op_greater_equal(rt, a, b):
    return a.ticks >= b.ticks
