r"""The patterns PowerShell's operators take: wildcards (-like, switch -wildcard) and .NET regular
expressions (-match, -replace, -split, switch -regex) run on Python's `re`.

.NET syntax differences handled: `(?<name>...)` groups, `\z`/`\Z` anchors, `$` matching before a final
newline (as .NET does), `\k<name>` back references, and .NET replacement strings ($1, ${name}, $&, $$)."""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=512)
def dotnet_regex(pattern: str, ignore_case: bool) -> re.Pattern:
    translated = _translate(pattern)
    return re.compile(translated, re.IGNORECASE if ignore_case else 0)


def _translate(pattern: str) -> str:
    out, i, n = [], 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "z" and not in_class:
                out.append(r"\Z")
            elif nxt == "Z" and not in_class:
                out.append(r"(?=\n?\Z)")
            elif nxt == "k" and pattern[i + 2:i + 3] == "<":
                end = pattern.index(">", i)
                out.append(f"(?P={pattern[i + 3:end]})")
                i = end + 1
                continue
            else:
                out.append(c + nxt)
            i += 2
            continue
        if in_class:
            if c == "-" and ((out[-1:] and out[-1][:1] == "\\" and len(out[-1]) == 2 and out[-1][1] in "wdsWDS")
                             or pattern[i + 1:i + 2] == "]"):
                out.append("\\-")  # .NET reads a '-' after a class escape (or before ']') literally
                i += 1
                continue
            if c == "]":
                in_class = False
            elif c == "[":
                out.append("\\[")
                i += 1
                continue
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":
                out.append("\\]")
                i += 1
        elif c == "(" and pattern.startswith("(?<", i) and pattern[i + 3:i + 4] not in ("=", "!"):
            out.append("(?P<")
            i += 3
            continue
        elif c == "$":
            out.append(r"(?=\n?\Z)")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def dotnet_replacement(replacement: str):
    """A .NET replacement string as a function of a Python match."""
    parts: list = []
    i, n = 0, len(replacement)
    literal = []
    while i < n:
        c = replacement[i]
        if c == "$" and i + 1 < n:
            nxt = replacement[i + 1]
            group = None
            if nxt == "$":
                literal.append("$")
                i += 2
                continue
            if nxt == "&":
                group, i = 0, i + 2
            elif nxt.isdigit():
                j = i + 1
                while j < n and replacement[j].isdigit():
                    j += 1
                group, i = int(replacement[i + 1:j]), j
            elif nxt == "{" and "}" in replacement[i:]:
                end = replacement.index("}", i)
                name = replacement[i + 2:end]
                group, i = (int(name) if name.isdigit() else name), end + 1
            if group is not None:
                parts.append("".join(literal))
                literal = []
                parts.append((group,))  # a group reference (a tuple, unlike literal text)
                continue
        literal.append(c)
        i += 1
    parts.append("".join(literal))

    def expand(match: re.Match) -> str:
        text = []
        for part in parts:
            if isinstance(part, str):
                text.append(part)
            else:
                group = part[0]
                try:
                    text.append(match.group(group) or "")
                except (IndexError, error_type):
                    text.append(f"${group}" if isinstance(group, int) else "${" + group + "}")
        return "".join(text)
    return expand


error_type = re.error


@functools.lru_cache(maxsize=512)
def wildcard_regex(pattern: str, case_sensitive: bool) -> re.Pattern:
    """WildcardPattern: * ? [a-z] [abc], backtick escapes; matches the whole string."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "`" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[" and "]" in pattern[i + 1:]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL | (0 if case_sensitive else re.IGNORECASE))
