"""Custom numeric format strings: "0" (digit or zero), "#" (digit if significant), "." (decimal point),
"," (grouping between digit placeholders; scaling by 1000 just before the point), "%" (times 100),
"E0"/"E+0"/"e-0" (scientific), '...' and "..." literals, backslash escapes, and ";" sections
(positive;negative;zero)."""

from __future__ import annotations

from winsim.powershell.clr.library.bcl.globalization import NumberFormatInfo
from winsim.powershell.clr.library.bcl.numerics.digits import Digits


def _sections(fmt: str) -> list[str]:
    sections, current, quote, index = [], [], None, 0
    while index < len(fmt):
        ch = fmt[index]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "\\" and index + 1 < len(fmt):
            current.append(ch + fmt[index + 1])
            index += 2
            continue
        elif ch == ";":
            sections.append("".join(current))
            current = []
            index += 1
            continue
        current.append(ch)
        index += 1
    sections.append("".join(current))
    return sections


def _scan(section: str) -> dict:
    """What the section asks for: digit placeholders before/after the point, grouping, scaling, percent."""
    info = {"before": 0, "zeros_before": 0, "after": 0, "zeros_after": 0, "group": False, "scale": 0,
            "percent": 0, "point": False, "exponent": None}
    quote, index, seen_digit, first_zero = None, 0, False, None
    while index < len(section):
        ch = section[index]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "\\":
            index += 1
        elif ch in "0#":
            if info["point"]:
                info["after"] += 1
                if ch == "0":
                    info["zeros_after"] = info["after"]
            else:
                info["before"] += 1
                if ch == "0" and first_zero is None:
                    first_zero = info["before"]
            seen_digit = True
        elif ch == "." and not info["point"]:
            info["point"] = True
        elif ch == "," and seen_digit and not info["point"]:
            following = section[index + 1:index + 2]
            if following in ("0", "#"):
                info["group"] = True
            else:
                info["scale"] += 3
        elif ch == "%":
            info["percent"] += 2
        elif ch in "Ee" and index + 1 < len(section) and section[index + 1] in "0+-" and info["exponent"] is None:
            info["exponent"] = index
        index += 1
    info["zeros_before"] = 0 if first_zero is None else info["before"] - first_zero + 1
    return info


def custom_format(digits: Digits, fmt: str, nfi: NumberFormatInfo) -> str:
    sections = _sections(fmt)
    section = sections[0]
    negative_section = False
    if digits.negative and len(sections) > 1 and sections[1]:
        section, negative_section = sections[1], True
    info = _scan(section)
    number = Digits(digits.negative, digits.digits, digits.scale + info["percent"] - info["scale"])
    if info["exponent"] is not None:
        return _with_exponent(number, section, info, nfi, negative_section)
    rounded = number.rounded(number.scale + info["after"])
    if not rounded.digits and len(sections) > 2 and sections[2]:
        section, negative_section = sections[2], True
        info = _scan(section)
    integer = rounded.integer_part().lstrip("0")
    integer = integer.rjust(info["zeros_before"], "0")
    fraction = rounded.fraction(info["after"]).rstrip("0").ljust(info["zeros_after"], "0")
    text = _emit(section, integer, fraction, nfi, info["group"])
    if rounded.negative and not negative_section:
        text = nfi.negative_sign + text
    return text


def _emit(section: str, integer: str, fraction: str, nfi: NumberFormatInfo, group: bool = False) -> str:
    """Walks the section: literals as they are; the integer digits right-aligned over the integer placeholders
    (digits beyond them all go to the first one, so "(###) ###-####" spreads a phone number), with group
    separators every three digits when asked; the fraction digits at the fraction placeholders."""
    placeholders = _integer_placeholders(section)
    surplus = len(integer) - placeholders
    out, quote, index = [], None, 0
    slot, after_point, fraction_pos = 0, False, 0

    def digits_for(position: int) -> str:
        if surplus > 0:
            start = 0 if position == 0 else position + surplus
            return integer[start:position + surplus + 1]
        at = position + surplus
        return integer[at] if at >= 0 else ""

    def grouped(chunk: str, end: int) -> str:
        # `end`: how many integer digits follow the chunk's last digit
        if not group:
            return chunk
        text = []
        for offset, digit in enumerate(chunk):
            text.append(digit)
            following = end + len(chunk) - 1 - offset
            if following and following % 3 == 0:
                text.append(nfi.group_separator)
        return "".join(text)

    while index < len(section):
        ch = section[index]
        if quote:
            if ch == quote:
                quote = None
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        elif ch == "\\" and index + 1 < len(section):
            index += 1
            out.append(section[index])
        elif ch in "0#" and not after_point:
            chunk = digits_for(slot)
            out.append(grouped(chunk, len(integer) - 1 - (slot + surplus)))
            slot += 1
        elif ch == "." and not after_point:
            after_point = True
            if fraction:
                out.append(nfi.decimal_separator)
        elif ch in "0#" and after_point:
            if fraction_pos < len(fraction):
                out.append(fraction[fraction_pos])
            fraction_pos += 1
        elif ch == ",":
            pass
        elif ch == "%":
            out.append(nfi.percent_symbol)
        else:
            out.append(ch)
        index += 1
    return "".join(out)


def _integer_placeholders(section: str) -> int:
    count, quote, index = 0, None, 0
    while index < len(section):
        ch = section[index]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "\\":
            index += 1
        elif ch == ".":
            break
        elif ch in "0#":
            count += 1
        index += 1
    return count


def _with_exponent(number: Digits, section: str, info: dict, nfi: NumberFormatInfo, negative_section: bool) -> str:
    position = info["exponent"]
    head, tail = section[:position], section[position:]
    letter, rest = tail[0], tail[1:]
    always_sign = rest.startswith("+")
    rest = rest.lstrip("+-")
    exp_digits = len(rest) - len(rest.lstrip("0"))
    literal = rest.lstrip("0")
    head_info = _scan(head)
    integer_digits = max(1, head_info["before"])
    rounded = number.rounded(integer_digits + head_info["after"])
    exponent = (rounded.scale - integer_digits) if rounded.digits else 0
    shifted = Digits(rounded.negative, rounded.digits, integer_digits if rounded.digits else 0)
    integer = shifted.integer_part().lstrip("0").rjust(head_info["zeros_before"], "0")
    fraction = shifted.fraction(head_info["after"]).rstrip("0").ljust(head_info["zeros_after"], "0")
    sign = nfi.negative_sign if exponent < 0 else (nfi.positive_sign if always_sign else "")
    text = _emit(head, integer, fraction, nfi) + letter + sign + str(abs(exponent)).rjust(exp_digits, "0") + literal
    return (nfi.negative_sign if rounded.negative and not negative_section else "") + text
