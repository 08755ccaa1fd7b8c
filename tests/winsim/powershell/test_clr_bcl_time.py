"""DateTime and TimeSpan: construction, formats, ParseExact with DateTimeStyles, arithmetic, file times."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.bcl_calls import instance, new, prop, static, static_prop
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentOutOfRangeException, FormatException
from winsim.powershell.clr.library.bcl.globalization import INVARIANT
from winsim.powershell.clr.typesystem import REGISTRY, Ref

STAMP = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'"
ADJUST_ASSUME_UTC = EnumValue("System.Globalization.DateTimeStyles", 16 | 64)
PARSE_EXACT_SIG = ("string", "string", "System.IFormatProvider", "System.Globalization.DateTimeStyles",
                   "out System.DateTime")


def when(*parts, kind=None):
    if kind is None:
        return new("System.DateTime", *parts, sig=("int",) * len(parts))
    return new("System.DateTime", *parts, EnumValue("System.DateTimeKind", kind),
               sig=(*("int",) * len(parts), "System.DateTimeKind"))


@pytest.mark.parametrize(("fmt", "expected"), [
    ("o", "2024-03-05T14:07:09.0000000Z"), ("s", "2024-03-05T14:07:09"), ("u", "2024-03-05 14:07:09Z"),
    (STAMP, "2024-03-05T14:07:09Z"), ("R", "Tue, 05 Mar 2024 14:07:09 GMT"), ("d", "03/05/2024"),
    ("hh:mm tt", "02:07 PM"), ("%d", "5"), ("ddd MMM yy", "Tue Mar 24"), ("HH\\h", "14h"), ("fff", "000"),
])
def test_to_string_formats_invariant(fmt, expected):
    stamp = when(2024, 3, 5, 14, 7, 9, kind=1)
    assert instance(stamp, "ToString", fmt, INVARIANT, sig=("string", "System.IFormatProvider")) == expected


def test_default_to_string_is_en_us_general():
    assert instance(when(2024, 3, 5, 14, 7, 9), "ToString", sig=()) == "3/5/2024 2:07:09 PM"
    with pytest.raises(FormatException):
        instance(when(2024, 3, 5), "ToString", "Q", sig=("string",))


def test_parse_exact_with_styles_gives_utc_kind():
    result = Ref()
    assert static("System.DateTime", "TryParseExact", "2024-03-05T14:07:09Z", STAMP, INVARIANT, ADJUST_ASSUME_UTC,
                  result, sig=PARSE_EXACT_SIG) is True
    assert prop(result.value, "Kind") == EnumValue("System.DateTimeKind", 1)
    assert (prop(result.value, "Hour"), prop(result.value, "Second")) == (14, 9)
    assert static("System.DateTime", "TryParseExact", "2024-13-05T14:07:09Z", STAMP, INVARIANT, ADJUST_ASSUME_UTC,
                  result, sig=PARSE_EXACT_SIG) is False
    assert prop(result.value, "Ticks") == 0
    assert static("System.DateTime", "TryParseExact", "2024-03-05 14:07:09Z", STAMP, INVARIANT, ADJUST_ASSUME_UTC,
                  result, sig=PARSE_EXACT_SIG) is False
    assert static("System.DateTime", "TryParseExact", None, STAMP, INVARIANT, ADJUST_ASSUME_UTC, result,
                  sig=PARSE_EXACT_SIG) is False
    assert static("System.DateTime", "TryParse", None, result, sig=("string", "out System.DateTime")) is False
    with pytest.raises(ArgumentException, match="AssumeLocal and AssumeUniversal"):
        static("System.DateTime", "ParseExact", "x", STAMP, INVARIANT, EnumValue(
            "System.Globalization.DateTimeStyles", 32 | 64), sig=PARSE_EXACT_SIG[:4])


def test_parse_with_zone_converts_to_local():
    parsed = static("System.DateTime", "Parse", "2024-03-05T14:07:09.5+02:00", sig=("string",))
    assert prop(parsed, "Kind") == EnumValue("System.DateTimeKind", 2)
    assert prop(parsed, "Hour") == 12 and prop(parsed, "Millisecond") == 500  # local time is UTC on winsim hosts
    with pytest.raises(FormatException, match=r"String was not recognized as a valid DateTime\."):
        static("System.DateTime", "Parse", "not a date", sig=("string",))


def test_arithmetic_and_kinds():
    start = when(2024, 1, 31, 23, 0, 0)
    assert prop(instance(start, "AddMonths", 1), "Day") == 29
    assert prop(instance(start, "AddSeconds", 1.0004), "Millisecond") == 0  # rounded to whole milliseconds
    assert prop(instance(start, "AddHours", 1), "Day") == 1
    span = instance(when(2024, 2, 1), "Subtract", start, sig=("System.DateTime",))
    assert prop(span, "TotalHours") == 1.0
    assert prop(instance(start, "ToUniversalTime"), "Kind") == EnumValue("System.DateTimeKind", 1)
    with pytest.raises(ArgumentOutOfRangeException):
        instance(static_prop("System.DateTime", "MaxValue"), "AddDays", 1.0)
    with pytest.raises(ArgumentOutOfRangeException):
        when(2023, 2, 29)


def test_file_times_and_now():
    epoch = static("System.DateTime", "FromFileTimeUtc", values.Int64(0))
    assert (prop(epoch, "Year"), prop(epoch, "Kind")) == (1601, EnumValue("System.DateTimeKind", 1))
    assert instance(epoch, "ToFileTimeUtc") == 0
    now = static_prop("System.DateTime", "UtcNow")
    assert prop(now, "Year") >= 2024 and prop(now, "Kind") == EnumValue("System.DateTimeKind", 1)
    with pytest.raises(ArgumentOutOfRangeException, match=r"Not a valid Win32 FileTime\."):
        static("System.DateTime", "FromFileTimeUtc", values.Int64(-1))


def test_timespan():
    span = static("System.TimeSpan", "FromSeconds", 90.5)
    assert instance(span, "ToString", sig=()) == "00:01:30.5000000"
    assert prop(span, "Minutes") == 1 and prop(span, "TotalMilliseconds") == 90500.0
    assert static_prop("System.TimeSpan", "TicksPerSecond") == 10_000_000
    parsed = static("System.TimeSpan", "Parse", "-1.02:03:04")
    assert instance(parsed, "ToString", sig=()) == "-1.02:03:04" and prop(parsed, "Hours") == -2
    assert instance(new("System.TimeSpan", 1, 2, 3, sig=("int", "int", "int")), "ToString", sig=()) == "01:02:03"
    with pytest.raises(FormatException):
        static("System.TimeSpan", "Parse", "1:2:3:4:5")
    assert static("System.TimeSpan", "FromMilliseconds", 0.4).ticks == 0  # .NET 2.0 rounds to milliseconds


def test_stopwatch_follows_the_host_clock(monkeypatch):
    from winsim.host import clock
    now = [1000.0]
    monkeypatch.setattr(clock, "now", lambda: now[0])
    watch = static("System.Diagnostics.Stopwatch", "StartNew")
    now[0] += 1.25
    assert prop(watch, "ElapsedMilliseconds") == 1250 and prop(watch, "IsRunning") is True
    instance(watch, "Stop")
    now[0] += 5
    assert prop(prop(watch, "Elapsed"), "TotalSeconds") == 1.25
    instance(watch, "Reset")
    assert prop(watch, "ElapsedTicks") == 0
    assert static_prop("System.Diagnostics.Stopwatch", "Frequency") == 10_000_000
    restart = watch.__clr_type__.find_methods("Restart", static=False)[0]
    assert restart.impl.__clr_since__ == (4, 0)  # Stopwatch.Restart is .NET 4.0: absent on CLR 2.0
    now[0] += 1
    restart.impl(watch, None)
    assert prop(watch, "IsRunning") is True and prop(watch, "ElapsedTicks") == 0


@pytest.mark.parametrize(("text", "fmt", "parts"), [
    ("2024-03-05", "yyyy-MM-dd", (2024, 3, 5, 0, 0, 0)),
    ("5/3/24 7:08 PM", "d/M/yy h:mm tt", (2024, 3, 5, 19, 8, 0)),
    ("Tue, 05 Mar 2024 14:07:09 GMT", "R", (2024, 3, 5, 14, 7, 9)),
    ("20240305T140709.123", "yyyyMMdd'T'HHmmss.fff", (2024, 3, 5, 14, 7, 9)),
    ("March 5, 2024", "MMMM d, yyyy", (2024, 3, 5, 0, 0, 0)),
])
def test_parse_exact_formats(text, fmt, parts):
    parsed = static("System.DateTime", "ParseExact", text, fmt, INVARIANT,
                    sig=("string", "string", "System.IFormatProvider"))
    assert tuple(prop(parsed, name) for name in ("Year", "Month", "Day", "Hour", "Minute", "Second")) == parts


@pytest.mark.parametrize(("text", "fmt"), [
    ("2024-3-05", "yyyy-MM-dd"), ("2024-03-05 ", "yyyy-MM-dd"), ("13:00 PM", "h:mm tt"), ("2023-02-29", "yyyy-MM-dd"),
])
def test_parse_exact_refuses(text, fmt):
    with pytest.raises(FormatException):
        static("System.DateTime", "ParseExact", text, fmt, INVARIANT,
               sig=("string", "string", "System.IFormatProvider"))


def test_parse_exact_white_space_styles():
    allow = EnumValue("System.Globalization.DateTimeStyles", 7)
    parsed = static("System.DateTime", "ParseExact", "  2024-03-05  ", "yyyy-MM-dd", INVARIANT, allow,
                    sig=PARSE_EXACT_SIG[:4])
    assert prop(parsed, "Day") == 5


@pytest.mark.parametrize(("text", "parts"), [
    ("1 Jan 1970", (1970, 1, 1, 0, 0)), ("Jan 1, 1970 10:00 PM", (1970, 1, 1, 22, 0)),
    ("Thursday, January 01, 1970", (1970, 1, 1, 0, 0)), ("1/2/1970", (1970, 1, 2, 0, 0)),
    ("1-Jan-70", (1970, 1, 1, 0, 0)), ("12/31/99 23:59:59", (1999, 12, 31, 23, 59)),
    ("March 2024", (2024, 3, 1, 0, 0)), ("1970/1/2", (1970, 1, 2, 0, 0)),
])
def test_parse_reads_free_form_dates(text, parts):
    parsed = static("System.DateTime", "Parse", text, sig=("string",))
    assert tuple(prop(parsed, name) for name in ("Year", "Month", "Day", "Hour", "Minute")) == parts
    assert prop(parsed, "DayOfWeek") is not None


@pytest.mark.parametrize("text", ["31/12/1999", "foo 1970", "1 2 3 4", "13:00 PM", "2024-02-30", ""])
def test_parse_refuses_what_is_not_a_date(text):
    with pytest.raises(FormatException):
        static("System.DateTime", "Parse", text, sig=("string",))


def test_timespan_format_strings_are_dotnet_4():
    span = static("System.TimeSpan", "Parse", "1.02:03:04.5")
    to_string = next(o for o in REGISTRY.get("System.TimeSpan").find_methods("ToString", static=False)
                     if len(o.params) == 1)
    assert to_string.impl.__clr_since__ == (4, 0)  # TimeSpan.ToString(format) is .NET 4.0
    assert to_string.impl(span, None, "g") == "1:2:03:04.5"
    assert to_string.impl(span, None, "G") == "1:02:03:04.5000000"
    assert to_string.impl(span, None, r"hh\:mm\:ss") == "02:03:04"
    assert to_string.impl(span, None, "d'd 'h'h'") == "1d 2h"
    with pytest.raises(FormatException):
        to_string.impl(span, None, "hh:mm")  # ':' must be escaped in a TimeSpan custom format


def test_composite_formatting_of_a_timespan_follows_the_clr():
    from types import SimpleNamespace

    from winsim.powershell.clr.library.bcl.composite_format import composite_format
    span = static("System.TimeSpan", "FromSeconds", 90.0)
    assert composite_format("{0:g}", [span], None, None) == "00:01:30"  # CLR 2.0: not IFormattable
    assert composite_format("{0:g}", [span], None, SimpleNamespace(clr_version="4.0.30319.42000")) == "0:01:30"
