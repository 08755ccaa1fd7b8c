"""Our INF dialect: the setupapi file syntax, read the way Windows setup reads it.

Syntax (as setupapi's): `[Section]` headers (names case-insensitive); lines `key = field, field, ...` or bare
`field, field, ...`; `;` starts a comment outside double quotes; a line ending in `\\` continues on the next;
fields are split at commas outside quotes; `"..."` quotes a field (`""` inside is a quote). `%name%` is replaced
by that name's value in `[Strings]`; `%%` is a percent sign; a number (`%11%`, `%32768%`) is a DIRID, left for
setup to resolve when it installs. What the sections mean is `engine.py`'s business; this module only parses.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_SUBSTITUTION = re.compile(r"%([^%\r\n]*)%")


class InfError(ValueError):
    """An INF (or answer file) that cannot be read as one: the message names the file and line."""


@dataclass(frozen=True)
class InfLine:
    key: str | None             # None for a line without `=`
    fields: tuple[str, ...]     # after string substitution; DIRIDs still as %N%
    number: int                 # line number in the file (of its first line when continued)

    @property
    def value(self) -> str:
        """The first field ('' when there is none)."""
        return self.fields[0] if self.fields else ""


@dataclass(frozen=True)
class InfSection:
    name: str
    lines: tuple[InfLine, ...]

    def get(self, key: str, default: str | None = None) -> str | None:
        """The first field of the first line with this key."""
        for line in self.lines:
            if line.key is not None and line.key.casefold() == key.casefold():
                return line.value
        return default

    def fields(self, key: str) -> list[str]:
        """Every non-empty field of every line with this key (`CopyFiles = a, b` and a second `CopyFiles = c`)."""
        return [f for line in self.lines if line.key is not None and line.key.casefold() == key.casefold()
                for f in line.fields if f]

    def entries(self) -> list[InfLine]:
        """The lines without a key (file lists, registry lines, component lists)."""
        return [line for line in self.lines if line.key is None]


@dataclass(frozen=True)
class InfFile:
    name: str                           # how errors name the file (its path on the host)
    sections: dict[str, InfSection]     # by case-folded name, in file order

    def section(self, name: str) -> InfSection | None:
        return self.sections.get(name.casefold())

    def require(self, name: str) -> InfSection:
        section = self.section(name)
        if section is None:
            raise InfError(f"{self.name}: section [{name}] is missing")
        return section


def decode_inf(data: bytes) -> str:
    """INF text: UTF-16 when it has a byte-order mark (as setupapi accepts), otherwise the ANSI code page."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    return data.decode("cp1252", errors="replace")


def parse_inf(text: str, name: str) -> InfFile:
    raw: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    current: list[tuple[int, str]] | None = None
    for number, line in _logical_lines(text):
        if line.startswith("["):
            end = line.find("]")
            if end < 0:
                raise InfError(f"{name} line {number}: section header without ']': {line}")
            title = line[1:end].strip()
            current = raw.setdefault(title.casefold(), (title, []))[1]
        elif current is None:
            raise InfError(f"{name} line {number}: text before the first section: {line}")
        else:
            current.append((number, line))
    strings = {}
    if "strings" in raw:
        for number, line in raw["strings"][1]:
            key, fields = _split_line(line, name, number)
            if key is not None:
                strings[key.casefold()] = fields[0] if fields else ""
    sections = {}
    for folded, (title, lines) in raw.items():
        parsed = []
        for number, line in lines:
            key, fields = _split_line(line, name, number)
            if folded != "strings":
                fields = [_substitute(f, strings) for f in fields]
            parsed.append(InfLine(key, tuple(fields), number))
        sections[folded] = InfSection(title, tuple(parsed))
    return InfFile(name, sections)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with comments removed and continuations joined; empty ones dropped."""
    result: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, physical in enumerate(text.splitlines(), 1):
        line = _strip_comment(physical).strip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            result.append((start, line))
    if pending.strip():
        result.append((start, pending.strip()))
    return result


def _strip_comment(line: str) -> str:
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ";" and not in_quotes:
            return line[:index]
    return line


def _split_line(line: str, name: str, number: int) -> tuple[str | None, list[str]]:
    """(key, fields): the key is what stands before the first `=` outside quotes."""
    key = None
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == "=" and not in_quotes:
            key = _unquote(line[:index].strip(), name, number)
            line = line[index + 1:]
            break
    fields: list[str] = []
    segments: list[tuple[str, bool]] = []   # (text, quoted) pieces of the field being read
    current: list[str] = []
    in_quotes = False
    index = 0
    while index < len(line):
        char = line[index]
        if char == '"':
            if in_quotes and line[index + 1:index + 2] == '"':
                current.append('"')
                index += 1
            else:
                segments.append(("".join(current), in_quotes))
                current, in_quotes = [], not in_quotes
        elif char == "," and not in_quotes:
            segments.append(("".join(current), False))
            fields.append(_join_segments(segments))
            segments, current = [], []
        else:
            current.append(char)
        index += 1
    segments.append(("".join(current), in_quotes))
    fields.append(_join_segments(segments))
    if in_quotes:
        raise InfError(f"{name} line {number}: unterminated quote: {line}")
    if key is None and fields == [""]:
        fields = []
    return key, fields


def _join_segments(segments: list[tuple[str, bool]]) -> str:
    """A field's text: whitespace outside quotes is trimmed at its ends, quoted text kept as written."""
    pieces = [list(segment) for segment in segments]
    first = next((p for p in pieces if p[0] or p[1]), None)
    if first is not None and not first[1]:
        first[0] = first[0].lstrip()
    last = next((p for p in reversed(pieces) if p[0] or p[1]), None)
    if last is not None and not last[1]:
        last[0] = last[0].rstrip()
    return "".join(text for text, _ in pieces)


def _unquote(text: str, name: str, number: int) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    if '"' in text:
        raise InfError(f"{name} line {number}: a quote inside a key: {text}")
    return text


def _substitute(field: str, strings: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if not token:
            return "%"
        if token.isdigit():
            return match.group(0)  # a DIRID: setup resolves it when it installs
        return strings.get(token.casefold(), match.group(0))

    return _SUBSTITUTION.sub(replace, field)
