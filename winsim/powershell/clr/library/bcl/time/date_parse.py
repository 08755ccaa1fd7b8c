"""DateTime.ParseExact / TryParseExact with DateTimeStyles, and DateTime.Parse over the formats .NET's
en-US parser accepts most commonly (ISO 8601, RFC 1123, the culture's short and general patterns)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from winsim.powershell.clr.exceptions import ArgumentException, FormatException
from winsim.powershell.clr.library.bcl.globalization import DateTimeFormatInfo, date_format
from winsim.powershell.clr.library.bcl.time.date_format import standard_pattern

NOT_VALID = "String was not recognized as a valid DateTime."
LEADING_WHITE, TRAILING_WHITE, INNER_WHITE, NO_CURRENT_DATE = 1, 2, 4, 8
ADJUST_TO_UNIVERSAL, ASSUME_LOCAL, ASSUME_UNIVERSAL, ROUNDTRIP_KIND = 16, 32, 64, 128
_WHITE = " \t\n\v\f\r"


@dataclass
class Parsed:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int = 0
    minute: int = 0
    second: int = 0
    fraction: int = 0          # ticks within the second
    pm: bool | None = None
    offset: int | None = None  # minutes east of UTC, when the text names a zone
    utc_marker: bool = False   # 'Z' or GMT: the zone is UTC


def check_styles(styles: int) -> None:
    if styles & ~0xFF:
        raise ArgumentException("An undefined DateTimeStyles value is being used.", "style")
    if styles & ASSUME_LOCAL and styles & ASSUME_UNIVERSAL:
        raise ArgumentException("The DateTimeStyles values AssumeLocal and AssumeUniversal cannot be used together.",
                                "style")
    if styles & ROUNDTRIP_KIND and styles & (ASSUME_LOCAL | ASSUME_UNIVERSAL | ADJUST_TO_UNIVERSAL):
        raise ArgumentException("The DateTimeStyles value RoundtripKind cannot be used with the values AssumeLocal, "
                                "AssumeUniversal or AdjustToUniversal.", "style")


class _Reader:
    def __init__(self, text: str, styles: int) -> None:
        self.text, self.pos, self.styles = text, 0, styles

    def inner_white(self) -> None:
        if self.styles & INNER_WHITE:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITE:
                self.pos += 1

    def digits(self, low: int, high: int) -> int:
        start = self.pos
        while self.pos < len(self.text) and self.pos - start < high and self.text[self.pos].isdigit():
            self.pos += 1
        if self.pos - start < low:
            raise FormatException(NOT_VALID)
        return int(self.text[start:self.pos])

    def literal(self, expected: str) -> None:
        if expected.isspace() and self.styles & INNER_WHITE:
            self.inner_white()
            return
        if not self.text.startswith(expected, self.pos):
            raise FormatException(NOT_VALID)
        self.pos += len(expected)

    def word(self, choices: list[str]) -> int:
        lowered = self.text[self.pos:].lower()
        for index, choice in sorted(enumerate(choices), key=lambda item: -len(item[1])):
            if choice and lowered.startswith(choice.lower()):
                self.pos += len(choice)
                return index
        raise FormatException(NOT_VALID)


def parse_exact(text: str, fmt: str, provider, styles: int) -> Parsed:
    if text is None or fmt is None:
        from winsim.powershell.clr.exceptions import ArgumentNullException
        raise ArgumentNullException(None, "s" if text is None else "format")
    if fmt == "":
        raise FormatException("Format specifier was invalid.")
    dtf = date_format(provider)
    if len(fmt) == 1:
        pattern = standard_pattern(fmt, dtf)
        if pattern is None:
            raise FormatException("Format specifier was invalid.")
        if fmt == "u":
            pattern = pattern.replace("'Z'", "K")  # the Z of "u" names UTC
        fmt = pattern
    if styles & LEADING_WHITE:
        text = text.lstrip(_WHITE)
    if styles & TRAILING_WHITE:
        text = text.rstrip(_WHITE)
    reader, parsed = _Reader(text, styles), Parsed()
    _walk(reader, fmt, dtf, parsed)
    if reader.pos != len(text):
        raise FormatException(NOT_VALID)
    if fmt.endswith("'GMT'"):
        parsed.utc_marker, parsed.offset = True, 0
    return parsed


def _walk(reader: _Reader, fmt: str, dtf: DateTimeFormatInfo, parsed: Parsed) -> None:
    index = 0
    while index < len(fmt):
        ch = fmt[index]
        if ch in "'\"":
            end = fmt.find(ch, index + 1)
            if end < 0:
                raise FormatException(NOT_VALID)
            reader.literal(fmt[index + 1:end])
            index = end + 1
            continue
        if ch == "\\" and index + 1 < len(fmt):
            reader.literal(fmt[index + 1])
            index += 2
            continue
        if ch == "%":
            index += 1
            continue
        count = 1
        while index + count < len(fmt) and fmt[index + count] == ch:
            count += 1
        _field(reader, ch, count, dtf, parsed)
        index += count


def _field(reader: _Reader, ch: str, count: int, dtf: DateTimeFormatInfo, parsed: Parsed) -> None:
    if ch == "y":
        if count <= 2:
            year = reader.digits(1, 2)
            parsed.year = year + (1900 if year > 29 else 2000)  # TwoDigitYearMax 2029
        else:
            parsed.year = reader.digits(count, max(count, 4))
    elif ch == "M":
        if count >= 3:
            names = list(dtf.month_names) if count >= 4 else [m[:3] for m in dtf.month_names]
            parsed.month = reader.word(names) + 1
        else:
            parsed.month = reader.digits(count, 2)
    elif ch == "d":
        if count >= 3:
            reader.word(list(dtf.day_names) if count >= 4 else [d[:3] for d in dtf.day_names])
        else:
            parsed.day = reader.digits(count, 2)
    elif ch in "Hh":
        parsed.hour = reader.digits(min(count, 2), 2)
    elif ch == "m":
        parsed.minute = reader.digits(min(count, 2), 2)
    elif ch == "s":
        parsed.second = reader.digits(min(count, 2), 2)
    elif ch in "fF":
        start = reader.pos
        digits = reader.digits(count if ch == "f" else 0, count) if count <= 7 else None
        if digits is None:
            raise FormatException(NOT_VALID)
        width = reader.pos - start
        parsed.fraction = digits * 10 ** (7 - width) if width else 0
    elif ch == "t":
        designators = [dtf.am, dtf.pm] if count > 1 else [dtf.am[:1], dtf.pm[:1]]
        parsed.pm = reader.word(designators) == 1
    elif ch in "Kz":
        _zone(reader, ch, parsed)
    elif ch == ":":
        reader.literal(dtf.time_separator * count)
    elif ch == "/":
        reader.literal(dtf.date_separator * count)
    else:
        reader.literal(ch * count)


_ZONE = re.compile(r"([+-])(\d{1,2})(?::?(\d{2}))?")


def _zone(reader: _Reader, ch: str, parsed: Parsed) -> None:
    rest = reader.text[reader.pos:]
    if ch == "K" and rest[:1] in ("Z", "z"):
        reader.pos += 1
        parsed.offset, parsed.utc_marker = 0, True
        return
    match = _ZONE.match(rest)
    if match is None:
        if ch == "K":
            return  # K matches nothing when the text names no zone
        raise FormatException(NOT_VALID)
    minutes = int(match[2]) * 60 + int(match[3] or 0)
    parsed.offset = -minutes if match[1] == "-" else minutes
    reader.pos += match.end()


def general_formats(dtf: DateTimeFormatInfo) -> list[str]:
    """What DateTime.Parse tries, in order."""
    return ["yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFK", "yyyy'-'MM'-'dd'T'HH':'mm':'ssK", "yyyy'-'MM'-'dd'T'HH':'mmK",
            "yyyy'-'MM'-'dd HH':'mm':'ss.FFFFFFFK", "yyyy'-'MM'-'dd HH':'mm':'ssK", "yyyy'-'MM'-'dd HH':'mmK",
            "yyyy'-'MM'-'dd", "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "dd MMM yyyy HH':'mm':'ss",
            f"{dtf.short_date} {dtf.long_time}", f"{dtf.short_date} {dtf.short_time}", "M/d/yyyy H:mm:ss",
            "M/d/yyyy H:mm", "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", dtf.short_date, "M/d/yyyy", "yyyy/M/d",
            "MMMM d, yyyy", "d MMMM yyyy", "MMMM dd", "H:mm:ss", "H:mm", "h:mm:ss tt", "h:mm tt"]


def parse_any(text: str, provider, styles: int) -> Parsed:
    if text is None:
        from winsim.powershell.clr.exceptions import ArgumentNullException
        raise ArgumentNullException(None, "s")
    dtf = date_format(provider)
    for fmt in general_formats(dtf):
        try:
            return parse_exact(text, fmt, provider, styles | LEADING_WHITE | TRAILING_WHITE)
        except FormatException:
            continue
    from winsim.powershell.clr.library.bcl.time.date_lexer import lex
    return lex(text)
