"""DateTime.Parse's free-form reading, as .NET's lexing parser reads en-US and invariant text: the pieces of a
date and a time in any of the usual arrangements ("1 Jan 1970", "Jan 1, 1970 10:00 PM", "1970-01-01T10:00Z",
"1/2/1970", "Thursday, January 01, 1970", "10:30"), numbers taken month-day-year unless a four-digit year leads,
a two-digit year read with the 2029 window, a zone (Z, GMT, +hh:mm) when given."""

from __future__ import annotations

import re

from winsim.powershell.clr.exceptions import FormatException
from winsim.powershell.clr.library.bcl.globalization import DAYS, MONTHS
from winsim.powershell.clr.library.bcl.time.date_parse import NOT_VALID, Parsed

_TOKEN = re.compile(r"\s*(?:(?P<time>\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,7})?)?)|(?P<number>\d+)"
                    r"|(?P<word>[A-Za-z]+\.?)|(?P<sep>[/,.\-]))")
_ZONE = re.compile(r"\s*(?P<zone>[+-]\d{1,2}(?::?\d{2})?)")  # only after a time: "-01" in a date is a part
_MONTHS = {name.lower(): number for number, name in enumerate(MONTHS, 1)}
_MONTHS.update({name[:3].lower(): number for number, name in enumerate(MONTHS, 1)})
_DAYS = {name.lower() for name in DAYS} | {name[:3].lower() for name in DAYS}


def _year(text: str) -> int:
    number = int(text)
    if len(text) <= 2:
        return number + (1900 if number > 29 else 2000)  # TwoDigitYearMax 2029
    return number


def lex(text: str) -> Parsed:
    """The parts of a free-form date and time; FormatException when the text is not one."""
    parsed, numbers, position = Parsed(), [], 0
    text = text.strip()
    if not text:
        raise FormatException(NOT_VALID)
    if "T" in text and re.match(r"\d{4}-\d{1,2}-\d{1,2}T", text):
        text = text.replace("T", " ", 1)  # ISO 8601's date/time separator
    seen_time = False
    while position < len(text):
        zone = _ZONE.match(text, position) if seen_time else None
        if zone is not None:
            position = zone.end()
            sign, digits = zone["zone"][0], zone["zone"][1:].replace(":", "")
            minutes = int(digits[:-2]) * 60 + int(digits[-2:]) if len(digits) > 2 else int(digits) * 60
            parsed.offset = -minutes if sign == "-" else minutes
            continue
        found = _TOKEN.match(text, position)
        if found is None or found.end() == position:
            raise FormatException(NOT_VALID)
        position = found.end()
        if found["time"]:
            _time(parsed, found["time"])
            seen_time = True
        elif found["number"]:
            numbers.append(found["number"])
        elif found["word"]:
            _word(parsed, found["word"].rstrip(".").lower())
    _date(parsed, numbers)
    return parsed


def _time(parsed: Parsed, text: str) -> None:
    main, _, fraction = text.partition(".")
    pieces = [int(p) for p in main.split(":")]
    parsed.hour, parsed.minute = pieces[0], pieces[1]
    parsed.second = pieces[2] if len(pieces) > 2 else 0
    parsed.fraction = int(fraction.ljust(7, "0")) if fraction else 0


def _word(parsed: Parsed, word: str) -> None:
    if word in _MONTHS:
        if parsed.month is not None:
            raise FormatException(NOT_VALID)
        parsed.month = _MONTHS[word]
    elif word in _DAYS:
        return  # a day name is read and not checked against the date, as .NET's parser does
    elif word in ("am", "pm", "a", "p"):
        parsed.pm = word.startswith("p")
    elif word in ("z", "gmt", "utc"):
        parsed.offset, parsed.utc_marker = 0, True
    elif word == "t":
        return
    else:
        raise FormatException(NOT_VALID)


def _date(parsed: Parsed, numbers: list[str]) -> None:
    if parsed.month is not None:  # a month name: the numbers are the day and the year
        if len(numbers) == 1:  # "March 2024" is the first of the month; "March 5" this year's
            if len(numbers[0]) >= 3:
                parsed.year, parsed.day = _year(numbers[0]), 1
            else:
                parsed.day = int(numbers[0])
            return
        if len(numbers) != 2:
            raise FormatException(NOT_VALID)
        first, second = numbers
        if len(first) >= 3:
            parsed.year, parsed.day = _year(first), int(second)
        else:
            parsed.day, parsed.year = int(first), _year(second)
        return
    if not numbers:
        return
    if len(numbers) == 3:
        if len(numbers[0]) >= 3:  # year first: y-m-d
            parsed.year, parsed.month, parsed.day = _year(numbers[0]), int(numbers[1]), int(numbers[2])
        else:  # en-US and invariant order: month, day, year
            parsed.month, parsed.day, parsed.year = int(numbers[0]), int(numbers[1]), _year(numbers[2])
        return
    if len(numbers) == 2:
        if len(numbers[0]) >= 3:
            parsed.year, parsed.month, parsed.day = _year(numbers[0]), int(numbers[1]), 1
        elif len(numbers[1]) >= 3:
            parsed.month, parsed.year, parsed.day = int(numbers[0]), _year(numbers[1]), 1
        else:
            parsed.month, parsed.day = int(numbers[0]), int(numbers[1])
        return
    raise FormatException(NOT_VALID)
