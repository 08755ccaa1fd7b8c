"""Windows command lines: how a program splits its arguments (CommandLineToArgvW) and cmd.exe's operators."""

from __future__ import annotations


def split_arguments(line: str) -> list[str]:
    """CommandLineToArgvW: whitespace separates, double quotes group, backslashes escape only before a quote."""
    args: list[str] = []
    current: list[str] = []
    in_quotes = False
    started = False
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\":
            run = len(line[i:]) - len(line[i:].lstrip("\\"))
            if i + run < len(line) and line[i + run] == '"':
                current.append("\\" * (run // 2))
                if run % 2:
                    current.append('"')
                    i += run + 1
                else:
                    i += run
            else:
                current.append("\\" * run)
                i += run
            started = True
            continue
        if char == '"':
            if in_quotes and line[i + 1:i + 2] == '"':
                current.append('"')
                i += 2
                continue
            in_quotes = not in_quotes
            started = True
        elif char in " \t" and not in_quotes:
            if started:
                args.append("".join(current))
                current, started = [], False
        else:
            current.append(char)
            started = True
        i += 1
    if started:
        args.append("".join(current))
    return args


def split_first(line: str) -> tuple[str, str]:
    """The program word of a command line (unquoted) and the rest of the line as typed."""
    text = line.lstrip(" \t")
    if text.startswith('"'):
        end = text.find('"', 1)
        end = len(text) if end < 0 else end
        return text[1:end], text[end + 1:].lstrip(" \t")
    for i, char in enumerate(text):
        if char in " \t":
            return text[:i], text[i:].lstrip(" \t")
    return text, ""


def cmd_operator_positions(line: str) -> list[tuple[int, str]]:
    """Where cmd.exe sees &, &&, ||, |, <, > outside double quotes (a ^ escapes the next character)."""
    found: list[tuple[int, str]] = []
    in_quotes = False
    i = 0
    while i < len(line):
        char = line[i]
        if char == "^" and not in_quotes:
            i += 2
            continue
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in "&|<>":
            double = line[i:i + 2] in ("&&", "||", ">>")
            found.append((i, line[i:i + 2] if double else char))
            i += 2 if double else 1
            continue
        i += 1
    return found
