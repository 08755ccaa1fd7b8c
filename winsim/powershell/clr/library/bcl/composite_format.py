"""Composite formatting ("{0,-10:X4}"), as String.Format, StringBuilder.AppendFormat and PowerShell's -f use it.

Each item is {index[,alignment][:format]}; "{{" and "}}" are literal braces. The argument is formatted with
IFormattable.ToString(format, provider) where it has one (numbers, dates, enums...), else ToString()."""

from __future__ import annotations

from winsim.powershell.clr.exceptions import FormatException
from winsim.powershell.clr.library.bcl.objects import clr_format

BAD_FORMAT = "Input string was not in a correct format."
BAD_INDEX = "Index (zero based) must be greater than or equal to zero and less than the size of the argument list."


def composite_format(fmt: str, args: list, provider=None, rt=None) -> str:
    out: list[str] = []
    pos, end = 0, len(fmt)
    while True:
        while pos < end:
            ch = fmt[pos]
            pos += 1
            if ch == "}":
                if pos < end and fmt[pos] == "}":
                    pos += 1
                else:
                    raise FormatException(BAD_FORMAT)
            elif ch == "{":
                if pos < end and fmt[pos] == "{":
                    pos += 1
                else:
                    pos -= 1
                    break
            out.append(ch)
        if pos == end:
            return "".join(out)
        pos += 1
        index, pos = _number(fmt, pos)
        if index is None:
            raise FormatException(BAD_FORMAT)
        if index >= len(args):
            raise FormatException(BAD_INDEX)
        pos = _spaces(fmt, pos)
        left, width = False, 0
        if pos < end and fmt[pos] == ",":
            pos = _spaces(fmt, pos + 1)
            if pos < end and fmt[pos] == "-":
                left, pos = True, pos + 1
            width, pos = _number(fmt, pos)
            if width is None:
                raise FormatException(BAD_FORMAT)
        pos = _spaces(fmt, pos)
        item_format = None
        if pos < end and fmt[pos] == ":":
            item_format, pos = _item_format(fmt, pos + 1)
        if pos >= end or fmt[pos] != "}":
            raise FormatException(BAD_FORMAT)
        pos += 1
        text = clr_format(args[index], item_format, provider, rt)
        pad = width - len(text)
        out.append(text + " " * pad if left else " " * pad + text)


def _number(fmt: str, pos: int) -> tuple[int | None, int]:
    start = pos
    while pos < len(fmt) and fmt[pos] in "0123456789":
        pos += 1
    if pos == start or pos - start > 6:  # .NET caps the index and width below 1,000,000
        return None, pos
    return int(fmt[start:pos]), pos


def _spaces(fmt: str, pos: int) -> int:
    while pos < len(fmt) and fmt[pos] == " ":
        pos += 1
    return pos


def _item_format(fmt: str, pos: int) -> tuple[str, int]:
    chars = []
    while pos < len(fmt):
        ch = fmt[pos]
        pos += 1
        if ch == "{":
            if pos < len(fmt) and fmt[pos] == "{":
                pos += 1
            else:
                raise FormatException(BAD_FORMAT)
        elif ch == "}":
            if pos < len(fmt) and fmt[pos] == "}":
                pos += 1
            else:
                return "".join(chars), pos - 1
        chars.append(ch)
    raise FormatException(BAD_FORMAT)
