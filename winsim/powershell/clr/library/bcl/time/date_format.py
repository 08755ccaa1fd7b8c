"""DateTime.ToString(format, provider): the standard formats (d D f F g G M o R s t T u U Y) and the custom
specifiers (yyyy MM dd HH hh mm ss fff FFF tt K z ...), quoted literals, backslash escapes and '%'."""

from __future__ import annotations

from winsim.powershell.clr.exceptions import FormatException
from winsim.powershell.clr.library.bcl.globalization import DateTimeFormatInfo, date_format

BAD_FORMAT = "Input string was not in a correct format."
UTC, LOCAL = 1, 2


def standard_pattern(letter: str, dtf: DateTimeFormatInfo) -> str | None:
    patterns = {
        "d": dtf.short_date, "D": dtf.long_date, "f": f"{dtf.long_date} {dtf.short_time}", "F": dtf.full,
        "g": f"{dtf.short_date} {dtf.short_time}", "G": f"{dtf.short_date} {dtf.long_time}",
        "m": "MMMM dd", "M": "MMMM dd", "o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK",
        "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK", "r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
        "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss", "t": dtf.short_time,
        "T": dtf.long_time, "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'", "U": dtf.full, "y": "MMMM, yyyy",
        "Y": "MMMM, yyyy"}
    return patterns.get(letter)


def _run(pattern: str, index: int) -> int:
    ch, end = pattern[index], index
    while end < len(pattern) and pattern[end] == ch:
        end += 1
    return end - index


def format_datetime(parts, fmt: str | None, provider=None) -> str:
    """`parts` offers year, month, day, hour, minute, second, ticks_of_second (0..9999999), day_of_week (0=Sunday),
    kind and offset_minutes (the local offset)."""
    dtf = date_format(provider)
    if not fmt:
        fmt = "G"
    if len(fmt) == 1:
        pattern = standard_pattern(fmt, dtf)
        if pattern is None:
            raise FormatException(BAD_FORMAT)
        if fmt in ("r", "R", "o", "O", "s", "u"):
            from winsim.powershell.clr.library.bcl.globalization import INVARIANT
            dtf = INVARIANT.dates
        fmt = pattern
    return _custom(parts, fmt, dtf)


def _custom(parts, fmt: str, dtf: DateTimeFormatInfo) -> str:
    out, index = [], 0
    while index < len(fmt):
        ch = fmt[index]
        if ch in "'\"":
            end = fmt.find(ch, index + 1)
            if end < 0:
                raise FormatException(f"Cannot find a matching quote character for the character '{ch}'.")
            out.append(fmt[index + 1:end].replace("\\", ""))
            index = end + 1
            continue
        if ch == "\\":
            if index + 1 >= len(fmt):
                raise FormatException(BAD_FORMAT)
            out.append(fmt[index + 1])
            index += 2
            continue
        if ch == "%":
            if index + 1 < len(fmt) and fmt[index + 1] != "%":
                index += 1
                continue
            raise FormatException(BAD_FORMAT)
        count = _run(fmt, index)
        out.append(_specifier(parts, ch, count, dtf))
        index += count
    return "".join(out)


def _specifier(parts, ch: str, count: int, dtf: DateTimeFormatInfo) -> str:
    if ch == "y":
        year = parts.year
        if count <= 2:
            return str(year % 100).rjust(count, "0")
        return str(year).rjust(count, "0")
    if ch == "M":
        if count >= 4:
            return dtf.month_names[parts.month - 1]
        if count == 3:
            return dtf.month_names[parts.month - 1][:3]
        return str(parts.month).rjust(count, "0")
    if ch == "d":
        if count >= 4:
            return dtf.day_names[parts.day_of_week]
        if count == 3:
            return dtf.day_names[parts.day_of_week][:3]
        return str(parts.day).rjust(count, "0")
    if ch == "H":
        return str(parts.hour).rjust(min(count, 2), "0")
    if ch == "h":
        return str(parts.hour % 12 or 12).rjust(min(count, 2), "0")
    if ch == "m":
        return str(parts.minute).rjust(min(count, 2), "0")
    if ch == "s":
        return str(parts.second).rjust(min(count, 2), "0")
    if ch in "fF":
        if count > 7:
            raise FormatException(BAD_FORMAT)
        digits = str(parts.ticks_of_second).rjust(7, "0")[:count]
        return digits if ch == "f" else digits.rstrip("0")
    if ch == "t":
        designator = dtf.am if parts.hour < 12 else dtf.pm
        return designator[:1] if count == 1 else designator
    if ch == "K":
        if parts.kind == UTC:
            return "Z"
        return _offset(parts.offset_minutes, 3) if parts.kind == LOCAL else ""
    if ch == "z":
        return _offset(parts.offset_minutes, min(count, 3))
    if ch == ":":
        return dtf.time_separator * count
    if ch == "/":
        return dtf.date_separator * count
    if ch == "g":
        return "A.D."
    return ch * count


def _offset(minutes: int, width: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    if width == 1:
        return f"{sign}{hours}"
    if width == 2:
        return f"{sign}{hours:02}"
    return f"{sign}{hours:02}:{mins:02}"
