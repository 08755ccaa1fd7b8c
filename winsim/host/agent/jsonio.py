"""The agent's JSON: the request as its PowerShell 2.0 reader sees it, the response as its writer prints it.

Reading: objects are case-insensitive (PowerShell hashtables), integers outside Int64 become floating point
(the reader falls back to [double]), NaN and Infinity are not JSON. Writing: one line, printable ASCII only;
every other character (control characters and DEL included) is a lowercase `\\uXXXX` escape of its UTF-16
code units, so the response survives any console code page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

_INT64 = range(-(2 ** 63), 2 ** 63)


class JsonObject(Mapping[str, Any]):
    """A JSON object with case-insensitive member names (the first spelling is kept, the last value wins)."""

    def __init__(self, pairs: list[tuple[str, Any]] | None = None) -> None:
        self._items: dict[str, tuple[str, Any]] = {}
        for name, value in pairs or []:
            existing = self._items.get(name.lower())
            self._items[name.lower()] = (existing[0] if existing else name, value)

    def __getitem__(self, name: str) -> Any:
        return self._items[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (spelt for spelt, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


def _integer(text: str) -> int | float:
    value = int(text)
    return value if value in _INT64 else float(text)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(text: str) -> Any:
    """The request text as the agent's reader parses it; ValueError with the reason when it is not JSON."""
    return json.loads(text, object_pairs_hook=JsonObject, parse_int=_integer, parse_constant=_no_constants,
                      strict=False)


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif 32 <= code <= 126:
            out.append(char)
        elif code > 0xFFFF:  # .NET strings are UTF-16: a surrogate pair, two escapes
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


def dumps(value: Any) -> str:
    """One line of printable-ASCII JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "null" if math.isnan(value) or math.isinf(value) else repr(value)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_string(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    raise TypeError(f"not a JSON value: {value!r}")
