"""Syntax tree-sitter-powershell does not read, rewritten (only when a parse fails) into syntax it reads with
the same meaning. Strings and comments are left alone; no line moves.

- numeric literals with type suffixes and multipliers (ABOUT Numeric_Literals): `1L` -> `([long]1)`,
  `1.5D` -> `([decimal]'1.5')`, `512MB` -> `536870912`;
- empty script blocks: `{}` -> `{;}`;
- abbreviated switch options (ABOUT Switch: `switch -r`): spelled out;
- a method named like a keyword (`.ForEach(`, 4.0+): quoted, `.'ForEach'(`, the same member;
- a real literal with nothing between its point and exponent (`1.e2`, read by the grammar as a member access):
  `1.0e2` (this one before the first parse, as it parses wrongly rather than not at all)."""

from __future__ import annotations

import decimal
import re

_LITERAL = re.compile(r"(?<![\w$])(?:(?<=\.\.)|(?<!\.))"         # not a member name (a range's '..' is fine)
                      r"(0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)([ld])?(kb|mb|gb|tb|pb)?(?![\w.])", re.IGNORECASE)
_MULTIPLIERS = {"kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "tb": 1024 ** 4, "pb": 1024 ** 5}


def rewrite_suffixes(source: str) -> str:
    return "".join(_rewrite(chunk) if code else chunk for code, chunk in _split_code(source))


_EMPTY_BLOCK = re.compile(r"(?<!@)\{(\s*)\}")


def fill_empty_blocks(source: str) -> str:
    """`{}` (an empty script block), which the grammar does not read, as `{;}`: the same empty block."""
    return "".join(_EMPTY_BLOCK.sub(lambda m: "{" + m.group(1) + ";}", chunk) if code else chunk
                   for code, chunk in _split_code(source))


_KEYWORD_METHOD = re.compile(r"(?<=[\w)\]}'\"])\.(foreach)(?=\()", re.IGNORECASE)


# digits, a point, then an exponent: a number in PowerShell's tokenizer, not a member named e2
REAL_WITHOUT_FRACTION = re.compile(r"(?<![\w.$])(\d+)\.[eE](?=[+-]?\d+(?![\w.(]))")


def complete_real_literals(source: str) -> str:
    return "".join(REAL_WITHOUT_FRACTION.sub(r"\1.0e", chunk) if code else chunk for code, chunk in _split_code(source))


def quote_keyword_methods(source: str) -> str:
    return "".join(_KEYWORD_METHOD.sub(lambda m: ".'" + m.group(1) + "'", chunk) if code else chunk
                   for code, chunk in _split_code(source))


def _rewrite(code: str) -> str:
    return _LITERAL.sub(_replacement, code)


def _replacement(match: re.Match) -> str:
    digits, type_suffix, multiplier = match.group(1), match.group(2), match.group(3)
    if not type_suffix and not multiplier:
        return match.group(0)
    factor = _MULTIPLIERS[multiplier.lower()] if multiplier else 1
    if digits.lower().startswith("0x"):
        number: int | float = int(digits, 16) * factor
    elif any(c in digits.lower() for c in ".e"):
        number = float(digits) * factor
    else:
        number = int(digits) * factor
    suffix = (type_suffix or "").lower()
    if suffix == "d":
        text = digits if factor == 1 else str(decimal.Decimal(digits) * factor)
        return f"([decimal]'{text}')"
    if suffix == "l":
        return f"([long]{number if not isinstance(number, float) else repr(number)})"
    return repr(number) if isinstance(number, float) else str(number)


def _split_code(source: str):
    """(is_code, text) chunks: quoted strings, here-strings and comments are not code."""
    i, n, start = 0, len(source), 0
    while i < n:
        c = source[i]
        end = None
        if c == "#":
            end = source.find("\n", i)
            end = n if end < 0 else end
        elif c == "<" and source.startswith("<#", i):
            end = source.find("#>", i)
            end = n if end < 0 else end + 2
        elif c == "@" and source[i + 1:i + 2] in ("'", '"') and source[i + 2:i + 3] in ("\n", "\r"):
            closing = "\n" + source[i + 1] + "@"
            end = source.find(closing, i)
            end = n if end < 0 else end + len(closing)
        elif c == "'":
            end = i + 1
            while end < n and not (source[end] == "'" and source[end + 1:end + 2] != "'"):
                end += 2 if source[end] == "'" else 1
            end = min(end + 1, n)
        elif c == '"':
            end = i + 1
            while end < n and source[end] != '"':
                end += 2 if source[end] == "`" else 1
            end = min(end + 1, n)
        if end is None:
            i += 1
            continue
        if start < i:
            yield True, source[start:i]
        yield False, source[i:end]
        i = start = end
    if start < n:
        yield True, source[start:]


_SWITCH = re.compile(r"(?i)\bswitch((?:\s+-[a-z]+)+)(?=\s*[({])")
_SWITCH_OPTIONS = ("regex", "wildcard", "exact", "casesensitive", "file")


def expand_switch_options(source: str) -> str:
    def expand(match: re.Match) -> str:
        def full(option: re.Match) -> str:
            word = option.group(1).lower()
            names = [name for name in _SWITCH_OPTIONS if name.startswith(word)]
            return "-" + names[0] if len(names) == 1 else option.group(0)
        return "switch" + re.sub(r"-([A-Za-z]+)", full, match.group(1))
    return "".join(_SWITCH.sub(expand, chunk) if code else chunk for code, chunk in _split_code(source))
