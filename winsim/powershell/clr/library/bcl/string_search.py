"""String searching and splitting with .NET's argument checks: IndexOf/LastIndexOf (char, string, any-of),
StringComparison, and Split over chars or strings with a count and StringSplitOptions."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException, ArgumentOutOfRangeException
from winsim.powershell.clr.library.bcl import text_rules
from winsim.powershell.clr.library.bcl.comparison import ZERO_WEIGHT, culture_find

StringComparison = clr_enum("System.StringComparison", {
    "CurrentCulture": 0, "CurrentCultureIgnoreCase": 1, "InvariantCulture": 2, "InvariantCultureIgnoreCase": 3,
    "Ordinal": 4, "OrdinalIgnoreCase": 5})
StringSplitOptions = clr_enum("System.StringSplitOptions", {"None": 0, "RemoveEmptyEntries": 1})

INDEX_RANGE = "Index was out of range. Must be non-negative and less than the size of the collection."
COUNT_RANGE = "Count must be positive and count must refer to a location within the string/array/collection."


def ignores_case(comparison) -> bool:
    number = int(comparison)
    if not 0 <= number <= 5:
        raise ArgumentException("The string comparison type passed in is currently not supported.", "comparisonType")
    return number in (1, 3, 5)


def is_culture(comparison) -> bool:
    return int(comparison) < 4


def folded(text: str, ignore_case: bool) -> str:
    return text_rules.lower(text) if ignore_case else text


def window(text: str, start: int | None, count: int | None) -> tuple[int, int]:
    """The [start, end) range a forward search covers, checked as String.IndexOf checks it."""
    start = 0 if start is None else start
    if start < 0 or start > len(text):
        raise ArgumentOutOfRangeException(INDEX_RANGE, "startIndex")
    count = len(text) - start if count is None else count
    if count < 0 or count > len(text) - start:
        raise ArgumentOutOfRangeException(COUNT_RANGE, "count")
    return start, start + count


def back_window(text: str, start: int | None, count: int | None) -> tuple[int, int]:
    """The [low, high] range a backward search (LastIndexOf) covers."""
    if not text:
        return 0, -1
    start = len(text) - 1 if start is None else start
    if start < 0 or start >= len(text):
        raise ArgumentOutOfRangeException(INDEX_RANGE, "startIndex")
    count = start + 1 if count is None else count
    if count < 0 or count - 1 > start:
        raise ArgumentOutOfRangeException(COUNT_RANGE, "count")
    return start - count + 1, start


def _weightless_in(text: str, value: str) -> bool:
    return any(ch in text or ch in value for ch in ZERO_WEIGHT)


def index_of(text: str, value: str, start=None, count=None, ignore_case: bool = False,
             culture: bool = False) -> int:
    """String.IndexOf(string...): culture searches (the default) skip weightless characters."""
    if value is None:
        raise ArgumentNullException(None, "value")
    low, high = window(text, start, count)
    if culture and _weightless_in(text, value):
        return culture_find(text, value, low, high, ignore_case)
    return folded(text, ignore_case).find(folded(value, ignore_case), low, high)


def last_index_of(text: str, value: str, start=None, count=None, ignore_case: bool = False,
                  culture: bool = False) -> int:
    if value is None:
        raise ArgumentNullException(None, "value")
    if not text:
        return 0 if value == "" else -1
    if start == len(text):
        # a string search may start one past the end: it begins at the last character
        start, count = start - 1, (count - 1 if count is not None and count > 0 else count)
        if value == "" and (count is None or start - count + 1 >= 0):
            return start
    low, high = back_window(text, start, count)
    if value == "":
        return high
    if culture and _weightless_in(text, value):
        return culture_find(text, value, low, high + 1, ignore_case, last=True)
    return folded(text, ignore_case).rfind(folded(value, ignore_case), low, high + 1)


def index_of_any(text: str, any_of, start=None, count=None) -> int:
    if any_of is None:
        raise ArgumentNullException(None, "anyOf")
    low, high = window(text, start, count)
    found = [at for at in (text.find(ch, low, high) for ch in set(text_rules.chars_of(any_of))) if at >= 0]
    return min(found) if found else -1


def last_index_of_any(text: str, any_of, start=None, count=None) -> int:
    if any_of is None:
        raise ArgumentNullException(None, "anyOf")
    wanted = set(text_rules.chars_of(any_of))
    low, high = back_window(text, start, count)
    return next((i for i in range(high, low - 1, -1) if text[i] in wanted), -1)


def _separator_positions(text: str, chars: str | None, strings: list[str] | None) -> list[tuple[int, int]]:
    found, index = [], 0
    while index < len(text):
        if strings is None:
            hit = text[index] in chars if chars else text_rules.is_white_space(text[index])
            length = 1
        else:
            length = next((len(s) for s in strings if s and text.startswith(s, index)), 0)
            hit = length > 0
        if hit:
            found.append((index, length))
            index += length
        else:
            index += 1
    return found


def split(text: str, chars: str | None = None, strings: list[str] | None = None, count: int = 0x7FFFFFFF,
          options=0) -> values.ClrArray:
    """String.Split: chars (empty/None = white space) or strings (none non-empty = white space)."""
    if count < 0:
        raise ArgumentOutOfRangeException("Count cannot be less than zero.", "count")
    omit = int(options) == 1
    if int(options) not in (0, 1):
        raise ArgumentException(f"Illegal enum value: {int(options)}.")
    if strings is not None and not any(strings):
        strings, chars = None, None
    if count == 0 or (omit and not text):
        return values.ClrArray([], "System.String")
    positions = _separator_positions(text, chars, strings)
    if not positions or count == 1:
        return values.ClrArray([text], "System.String")
    pieces, current = [], 0
    if not omit:
        for index, length in positions[:count - 1]:
            pieces.append(text[current:index])
            current = index + length
        pieces.append(text[current:])
    else:
        at = 0
        while at < len(positions) and current < len(text):
            index, length = positions[at]
            if index > current:
                pieces.append(text[current:index])
            current = index + length
            if len(pieces) == count - 1:
                # the separators right after the last piece are skipped before the remainder is taken
                while at < len(positions) - 1 and current == positions[at + 1][0]:
                    at += 1
                    current += positions[at][1]
                break
            at += 1
        if current < len(text):
            pieces.append(text[current:])
    return values.ClrArray(pieces, "System.String")
