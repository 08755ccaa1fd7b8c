"""Translating .NET regular expressions to Python's `re`, keeping .NET's meaning.

Handled: named groups (?<n>..) (?'n'..) and \\k<n> backreferences; .NET's group numbering (unnamed groups first,
then named ones); \\z and \\Z; a leading \\G (anchors a match where the search starts); inline options
anywhere ((?i) mid-pattern applies to the rest of its group); ExplicitCapture ((?n) and the option); a '{'
that is not a quantifier is a literal (Python would read {,n} as one); \\cX; \\p{..} for the common Unicode
categories. Not modelled (raising NotSupportedException): RightToLeft, character class subtraction,
conditionals, balancing groups, and inline options followed by an alternation in the same group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winsim.powershell.clr.exceptions import ArgumentException, NotSupportedException

IGNORE_CASE, MULTILINE, EXPLICIT_CAPTURE, COMPILED, SINGLELINE = 1, 2, 4, 8, 16
IGNORE_WHITESPACE, RIGHT_TO_LEFT, ECMASCRIPT, CULTURE_INVARIANT = 32, 64, 256, 512

_CATEGORIES = {
    "L": r"^\W\d_", "Lu": "A-Z\u00c0-\u00d6\u00d8-\u00de", "Ll": "a-z\u00df-\u00f6\u00f8-\u00ff", "N": r"\d",
    "Nd": r"\d", "P": r"!-/:-@\[-`{-~", "Z": r"\s", "Zs": " \u00a0\u3000", "IsBasicLatin": "\x00-\x7f",
}


@dataclass
class Translation:
    python: str
    names: list[str] = field(default_factory=list)      # .NET group names in .NET number order ("0", "1", .., named)
    python_index: dict[str, int] = field(default_factory=dict)  # .NET group name -> Python group number
    anchored: bool = False                               # the pattern began with \G


def _unsupported(what: str) -> NotSupportedException:
    return NotSupportedException(f"The .NET regular expression construct {what} is not modelled by winsim.")


def parse_error(pattern: str, reason: str) -> ArgumentException:
    return ArgumentException(f'parsing "{pattern}" - {reason}')


class _Translator:
    def __init__(self, pattern: str, options: int) -> None:
        self.src, self.options = pattern, options
        self.out: list[str] = []
        self.pos = 0
        self.groups: list[tuple[str | None, int]] = []   # (name or None, python number) in order of opening
        self.python_groups = 0
        self.closers: list[int] = []                       # per open group: extra ")" to emit when it closes
        self.explicit = bool(options & EXPLICIT_CAPTURE)
        self.extended = bool(options & IGNORE_WHITESPACE)

    def run(self) -> Translation:
        anchored = False
        if self.src.startswith("\\G"):
            anchored, self.pos = True, 2
        self.closers.append(0)
        while self.pos < len(self.src):
            self._step()
        if len(self.closers) != 1:
            raise parse_error(self.src, "Not enough )'s.")
        self.out.append(")" * self.closers.pop())
        unnamed = [py for name, py in self.groups if name is None]
        named: dict[str, int] = {}
        for name, py in self.groups:
            if name is not None and name not in named:
                named[name] = py
        numbered = {str(i + 1): py for i, py in enumerate(unnamed)}
        names = ["0", *numbered, *[n for n in named if n not in numbered]]
        index = {"0": 0, **numbered, **named}
        return Translation("".join(self.out), names, index, anchored)

    def _peek(self, text: str) -> bool:
        return self.src.startswith(text, self.pos)

    def _step(self) -> None:
        ch = self.src[self.pos]
        if ch == "\\":
            self._escape()
        elif ch == "[":
            self._char_class()
        elif ch == "(":
            self._open_group()
        elif ch == ")":
            if len(self.closers) == 1:
                raise parse_error(self.src, "Too many )'s.")
            self.out.append(")" * self.closers.pop() + ")")
            self.pos += 1
        elif ch == "{":
            match = re.match(r"\{\d+(,\d*)?\}", self.src[self.pos:])
            if match:
                self.out.append(match.group())
                self.pos += match.end()
            else:
                self.out.append("\\{")
                self.pos += 1
        elif ch == "}":
            self.out.append("\\}")
            self.pos += 1
        elif ch == "#" and self.extended:
            end = self.src.find("\n", self.pos)
            self.pos = len(self.src) if end < 0 else end + 1
        elif ch.isspace() and self.extended:
            self.pos += 1
        else:
            self.out.append(ch)
            self.pos += 1

    def _escape(self) -> None:
        if self.pos + 1 >= len(self.src):
            raise parse_error(self.src, "Illegal \\ at end of pattern.")
        nxt = self.src[self.pos + 1]
        if nxt == "z":
            self.out.append(r"\Z")
        elif nxt == "Z":
            self.out.append(r"(?=\n?\Z)")
        elif nxt == "e":
            self.out.append(r"\x1b")  # .NET's escape character; Python's re has no \e
        elif nxt == "G":
            raise _unsupported("\\G (other than at the start of the pattern)")
        elif nxt == "k" and self.src[self.pos + 2:self.pos + 3] in ("<", "'"):
            close = ">" if self.src[self.pos + 2] == "<" else "'"
            end = self.src.find(close, self.pos + 3)
            name = self.src[self.pos + 3:end]
            self.out.append(self._backreference(name))
            self.pos = end + 1
            return
        elif nxt in "123456789":
            digits = re.match(r"\d+", self.src[self.pos + 1:]).group()
            unnamed = sum(1 for group, _ in self.groups if group is None)
            octal = re.match(r"[0-7]{2,3}", digits)
            if int(digits) > unnamed and octal:  # not a group: .NET reads two or three octal digits as a char
                self.out.append(f"\\x{int(octal.group(), 8) & 0xFF:02x}")
                self.pos += 1 + octal.end()
                return
            self.out.append(self._backreference(digits))
            self.pos += 1 + len(digits)
            return
        elif nxt == "c" and self.pos + 2 < len(self.src):
            self.out.append(f"\\x{ord(self.src[self.pos + 2].upper()) - 64:02x}")
            self.pos += 3
            return
        elif nxt in "pP" and self.src[self.pos + 2:self.pos + 3] == "{":
            end = self.src.find("}", self.pos)
            name = self.src[self.pos + 3:end]
            if name not in _CATEGORIES:
                raise _unsupported(f"\\{nxt}{{{name}}}")
            body = _CATEGORIES[name]
            negate = (nxt == "P") != body.startswith("^")
            self.out.append(f"[{'^' if negate else ''}{body.lstrip('^')}]")
            self.pos = end + 1
            return
        else:
            self.out.append(self.src[self.pos:self.pos + 2])
        self.pos += 2

    def _char_class(self) -> None:
        """[...]: .NET reads a '-' next to a class shorthand (\\w, \\d, \\s ...) as a literal and a '[' as a
        literal; Python refuses the first and warns about the second."""
        index = self.pos + 1
        tokens: list[str] = []
        if index < len(self.src) and self.src[index] == "^":
            tokens.append("^")
            index += 1
        first = True
        while index < len(self.src) and (self.src[index] != "]" or first):
            first = False
            ch = self.src[index]
            if ch == "\\" and index + 1 < len(self.src):
                tokens.append(self.src[index:index + 2])
                index += 2
                continue
            if ch == "[" and tokens and tokens[-1] == "-":
                raise _unsupported("character class subtraction")
            tokens.append("\\[" if ch == "[" else ch)
            index += 1
        if index >= len(self.src):
            raise parse_error(self.src, "Unterminated [] set.")
        shorthand = {"\\w", "\\W", "\\d", "\\D", "\\s", "\\S"}
        body = []
        for position, token in enumerate(tokens):
            if token == "-" and 0 < position < len(tokens) - 1 and (
                    tokens[position - 1] in shorthand or tokens[position + 1] in shorthand):
                token = "\\-"
            elif token == "\\e":
                token = "\\x1b"
            body.append(token)
        self.out.append("[" + "".join(body) + "]")
        self.pos = index + 1

    def _python_name(self, name: str) -> str:
        return "g_" + "".join(ch if ch.isalnum() else "_" for ch in name)

    def _backreference(self, name: str) -> str:
        """A backreference by .NET name or number, as the Python group number it became."""
        if name.isdigit():
            unnamed = [py for group, py in self.groups if group is None]
            number = int(name)
            if not 1 <= number <= len(unnamed):
                raise parse_error(self.src, f"Reference to undefined group number {number}.")
            return f"(?:\\{unnamed[number - 1]})"
        for group, py in self.groups:
            if group == name:
                return f"(?:\\{py})"
        raise parse_error(self.src, f"Reference to undefined group name {name}.")

    def _open_group(self) -> None:
        rest = self.src[self.pos:]
        self.closers.append(0)
        if rest.startswith("(?#"):
            end = self.src.find(")", self.pos)
            self.closers.pop()
            self.pos = len(self.src) if end < 0 else end + 1
            return
        named = re.match(r"\(\?(?:<(?![=!])|')([A-Za-z_]\w*)[>']", rest)
        if named:
            name = named.group(1)
            self.python_groups += 1
            self.groups.append((name, self.python_groups))
            self.out.append(f"(?P<{self._python_name(name)}_{self.python_groups}>")
            self.pos += named.end()
            return
        if rest.startswith("(?(") or re.match(r"\(\?<\w*-", rest):
            raise _unsupported("conditionals and balancing groups")
        inline = re.match(r"\(\?([imnsx]*)(?:-([imnsx]*))?(\)|:)", rest)
        if inline and (inline.group(1) or inline.group(2)):
            on, off, kind = inline.group(1), inline.group(2) or "", inline.group(3)
            flags = self._python_flags(on, off)
            self.pos += inline.end()
            if kind == ":":
                self.out.append(f"(?{flags}:" if flags != "" else "(?:")
                return
            self.closers.pop()
            # (?i) alone: applies to the rest of the enclosing group
            if self._alternation_follows():
                raise _unsupported("inline options followed by an alternation")
            if flags:
                self.out.append(f"(?{flags}:")
                self.closers[-1] += 1
            return
        if rest.startswith("(?"):
            self.out.append("(?")
            self.pos += 2
            return
        if self.explicit:
            self.out.append("(?:")
        else:
            self.python_groups += 1
            self.groups.append((None, self.python_groups))
            self.out.append("(")
        self.pos += 1

    def _python_flags(self, on: str, off: str) -> str:
        if "n" in on:
            self.explicit = True
        if "n" in off:
            self.explicit = False
        if "x" in on:
            self.extended = True
        if "x" in off:
            self.extended = False
        on, off = on.replace("n", "").replace("x", ""), off.replace("n", "").replace("x", "")
        return on + (f"-{off}" if off else "")

    def _alternation_follows(self) -> bool:
        depth, index = 0, self.pos
        while index < len(self.src):
            ch = self.src[index]
            if ch == "\\":
                index += 2
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    return False
                depth -= 1
            elif ch == "|" and depth == 0:
                return True
            index += 1
        return False


def translate(pattern: str, options: int) -> tuple[Translation, int]:
    """The Python pattern and flags for a .NET pattern and RegexOptions."""
    if options & RIGHT_TO_LEFT:
        raise _unsupported("RegexOptions.RightToLeft")
    if options & ~0x37F:
        raise ArgumentOutOfRangeError()
    translation = _Translator(pattern, options).run()
    flags = re.UNICODE
    if options & IGNORE_CASE:
        flags |= re.IGNORECASE
    if options & MULTILINE:
        flags |= re.MULTILINE
    if options & SINGLELINE:
        flags |= re.DOTALL
    if options & ECMASCRIPT:
        flags = (flags & ~re.UNICODE) | re.ASCII
    return translation, flags


def ArgumentOutOfRangeError():
    from winsim.powershell.clr.exceptions import ArgumentOutOfRangeException
    return ArgumentOutOfRangeException("Specified argument was out of the range of valid values.", "options")


_PYTHON_ERRORS = (
    ("missing ), unterminated subpattern", "Not enough )'s."),
    ("unbalanced parenthesis", "Too many )'s."),
    ("nothing to repeat", "Quantifier {x,y} following nothing."),
    ("multiple repeat", "Nested quantifier {x,y}."),
    ("unterminated character set", "Unterminated [] set."),
    ("bad escape", "Unrecognized escape sequence."),
    ("bad character range", "[x-y] range in reverse order."),
    ("look-behind requires fixed-width pattern", None),
)


def compile_translated(pattern: str, translation: Translation, flags: int) -> re.Pattern:
    try:
        return re.compile(translation.python, flags)
    except re.error as error:
        for fragment, reason in _PYTHON_ERRORS:
            if fragment in str(error):
                if reason is None:
                    raise _unsupported("variable-width lookbehind") from None
                raise parse_error(pattern, reason) from None
        raise parse_error(pattern, str(error)) from None
