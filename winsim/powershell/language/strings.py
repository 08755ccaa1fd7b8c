"""String literals (ABOUT Quoting_Rules, ABOUT Special_Characters, SPEC ch02 §2.3.5.2): verbatim strings,
backtick escapes, and the parts of an expandable string ($name, ${name}, $scope:name, $(...))."""

from __future__ import annotations

import re

_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_NAME = re.compile(r"[A-Za-z0-9_?]+(?::[A-Za-z0-9_?]+)?")


def is_expandable(text: str) -> bool:
    return text.startswith('"') or text.startswith('@"') or text[:1] in "\u201c\u201d"


def verbatim(text: str) -> str:
    """A single-quoted string or here-string's value."""
    if text.startswith("@'"):
        return _here_body(text)
    return text[1:-1].replace("''", "'")


def _here_body(text: str) -> str:
    body = text[2:-2]
    first_newline = body.find("\n")
    body = body[first_newline + 1:] if first_newline >= 0 else ""
    if body.endswith("\n"):
        body = body[:-1]
    if body.endswith("\r"):
        body = body[:-1]
    return body.replace("\r\n", "\n")


def expandable_parts(text: str) -> list:
    """The parts of a double-quoted string or here-string: literal str, ('var', name) or ('sub', source)."""
    here = text.startswith('@"')
    body = _here_body(text) if here else text[1:-1]
    parts: list = []
    literal: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == "`" and i + 1 < n:
            literal.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
            continue
        if c == '"' and not here and i + 1 < n and body[i + 1] == '"':
            literal.append('"')
            i += 2
            continue
        if c == "$" and i + 1 < n:
            nxt = body[i + 1]
            if nxt == "(":
                end = _matching_paren(body, i + 1)
                _flush(parts, literal)
                parts.append(("sub", body[i + 2:end]))
                i = end + 1
                continue
            if nxt == "{":
                end = body.find("}", i + 2)
                if end > 0:
                    _flush(parts, literal)
                    parts.append(("var", body[i + 2:end]))
                    i = end + 1
                    continue
            if (nxt in "_$^" and (i + 2 >= n or not (body[i + 2].isalnum() or body[i + 2] == "_"))) or nxt == "?":
                _flush(parts, literal)
                parts.append(("var", nxt))
                i += 2
                continue
            match = _NAME.match(body, i + 1)
            if match and body[match.end():match.end() + 1] == ":":
                # "$word: ..." reads as a drive-qualified name missing its name: a parse error in PowerShell.
                from winsim.powershell.automation import errors
                raise errors.parse_error(
                    "Variable reference is not valid. ':' was not followed by a valid variable name character. "
                    "Consider using ${} to delimit the name.", "InvalidVariableReferenceWithDrive")
            if match:
                name = match.group(0)
                if ":" in name and name.split(":", 1)[0].lower() not in ("env", "script", "global", "local",
                                                                           "private", "variable"):
                    name = name.split(":", 1)[0]
                _flush(parts, literal)
                parts.append(("var", name))
                i = match.start() + len(name)
                continue
        literal.append(c)
        i += 1
    _flush(parts, literal)
    return parts


_WORD_SEGMENTS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"`]|`.|\"\")*\"|(?:[^'\"`]|`.)+", re.DOTALL)


def bare_word_parts(text: str) -> list:
    """A command argument written without quotes around the whole (about_Parsing, argument mode): quoted pieces
    inside it lose their quotes, single-quoted ones verbatim, the rest expanded as in double quotes
    (`a'$a'` is a$a, `a"$a"` and a$a are a4)."""
    parts: list = []
    for piece in _WORD_SEGMENTS.findall(text):
        if piece.startswith("'"):
            parts.append(piece[1:-1].replace("''", "'"))
        elif piece.startswith('"'):
            parts.extend(expandable_parts(piece))
        elif "$" in piece or "`" in piece:
            parts.extend(expandable_parts('"' + piece + '"'))
        else:
            parts.append(piece)
    return parts


def _flush(parts: list, literal: list[str]) -> None:
    if literal:
        parts.append("".join(literal))
        literal.clear()


def _matching_paren(text: str, start: int) -> int:
    depth, i, quote = 0, start, None
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = None
            elif c == "`":
                i += 1
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text)
