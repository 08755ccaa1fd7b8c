"""System.Text.RegularExpressions: Regex, Match, Group, Capture, GroupCollection, MatchCollection,
RegexOptions. Patterns are translated to Python's `re` by regex_translate.py (see there for what differs).

The language's -match/-replace/-split can use `ClrRegex(pattern, options)` and its Python methods
(search, matches, replace, split) directly."""

from __future__ import annotations

import re

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import ArgumentNullException, ArgumentOutOfRangeException
from winsim.powershell.clr.library.bcl.text import regex_translate as tr
from winsim.powershell.clr.library.bcl.text.regex_results import (
    Group,
    GroupCollection,
    Match,
    MatchCollection,
    empty_match,
    expand_replacement,
)
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

RegexOptions = clr_enum("System.Text.RegularExpressions.RegexOptions", {
    "None": 0, "IgnoreCase": 1, "Multiline": 2, "ExplicitCapture": 4, "Compiled": 8, "Singleline": 16,
    "IgnorePatternWhitespace": 32, "RightToLeft": 64, "ECMAScript": 256, "CultureInvariant": 512}, flags=True)

_CACHE: dict[tuple[str, int], tuple[tr.Translation, re.Pattern]] = {}


def _compiled(pattern: str, options: int) -> tuple[tr.Translation, re.Pattern]:
    key = (pattern, options)
    found = _CACHE.get(key)
    if found is None:
        translation, flags = tr.translate(pattern, options)
        found = (translation, tr.compile_translated(pattern, translation, flags))
        if len(_CACHE) > 512:
            _CACHE.clear()
        _CACHE[key] = found
    return found


def _input(text) -> str:
    if text is None:
        raise ArgumentNullException(None, "input")
    return text


def _start(text: str, start: int) -> None:
    if not 0 <= start <= len(text):
        raise ArgumentOutOfRangeException("Start index cannot be less than 0 or greater than input length.",
                                          "startat")


@clr_type("System.Text.RegularExpressions.Regex", interfaces=("System.Runtime.Serialization.ISerializable",))
class ClrRegex:
    def __init__(self, pattern: str, options: int = 0) -> None:
        if pattern is None:
            raise ArgumentNullException(None, "pattern")
        self.pattern, self.options = pattern, int(options)
        self.translation, self.compiled = _compiled(pattern, self.options)

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r}, {self.options})"

    # Python API
    def search(self, text: str, start: int = 0, end: int | None = None) -> Match:
        end = len(text) if end is None else end
        if self.translation.anchored:
            found = self.compiled.match(text, start, end)
        else:
            found = self.compiled.search(text, start, end)
        if found is None:
            return empty_match(self, text)
        return Match(self, text, found, end)

    def matches(self, text: str, start: int = 0) -> list[Match]:
        found, position = [], start
        while position <= len(text):
            match = self.search(text, position)
            if not match.success:
                break
            found.append(match)
            position = match.index + match.length + (1 if match.length == 0 else 0)
        return found

    def replace(self, text: str, replacement: str, count: int = -1, start: int = 0) -> str:
        out, last = [], 0
        for done, match in enumerate(self.matches(text, start)):
            if 0 <= count <= done:
                break
            out.append(text[last:match.index])
            out.append(expand_replacement(replacement, match))
            last = match.index + match.length
        out.append(text[last:])
        return "".join(out)

    def split(self, text: str, count: int = 0, start: int = 0) -> list[str]:
        if count < 0:
            raise ArgumentOutOfRangeException("Count cannot be less than -1.", "count")
        if count == 1:
            return [text]
        pieces, last = [], 0
        for match in self.matches(text, start):
            if count and len(pieces) >= count - 1:
                break
            pieces.append(text[last:match.index])
            # captured groups are part of the result, in group number order
            pieces.extend(g.value for g in match.groups_list[1:] if g.success)
            last = match.index + match.length
        pieces.append(text[last:])
        return pieces

    # .NET members
    @constructor("string")
    @constructor("string", "System.Text.RegularExpressions.RegexOptions")
    @staticmethod
    def create(rt, pattern, options=0):
        return ClrRegex(pattern, int(options))

    @method("IsMatch", "string", returns="bool")
    @method("IsMatch", "string", "int", returns="bool")
    def is_match(self, rt, text, start=0):
        text = _input(text)
        _start(text, start)
        finder = self.compiled.match if self.translation.anchored else self.compiled.search
        return finder(text, start) is not None

    @method("Match", "string", returns="System.Text.RegularExpressions.Match")
    @method("Match", "string", "int", returns="System.Text.RegularExpressions.Match")
    def match(self, rt, text, start=0):
        text = _input(text)
        _start(text, start)
        return self.search(text, start)

    @method("Match", "string", "int", "int", returns="System.Text.RegularExpressions.Match")
    def match_range(self, rt, text, start, length):
        text = _input(text)
        _start(text, start)
        if length < 0 or start + length > len(text):
            raise ArgumentOutOfRangeException("Length cannot be less than 0 or exceed input length.", "length")
        return self.search(text, start, start + length)

    @method("Matches", "string", returns="System.Text.RegularExpressions.MatchCollection")
    @method("Matches", "string", "int", returns="System.Text.RegularExpressions.MatchCollection")
    def all_matches(self, rt, text, start=0):
        text = _input(text)
        _start(text, start)
        return MatchCollection(self.matches(text, start))

    @method("Replace", "string", "string", returns="string")
    @method("Replace", "string", "string", "int", returns="string")
    @method("Replace", "string", "string", "int", "int", returns="string")
    def replace_text(self, rt, text, replacement, count=-1, start=0):
        text = _input(text)
        if replacement is None:
            raise ArgumentNullException(None, "replacement")
        if count < -1:
            raise ArgumentOutOfRangeException("Count cannot be less than -1.", "count")
        _start(text, start)
        return self.replace(text, replacement, count, start)

    @method("Split", "string", returns="string[]")
    @method("Split", "string", "int", returns="string[]")
    @method("Split", "string", "int", "int", returns="string[]")
    def split_text(self, rt, text, count=0, start=0):
        text = _input(text)
        _start(text, start)
        return values.ClrArray(self.split(text, count, start), "System.String")

    @method("GetGroupNames", returns="string[]")
    def group_names(self, rt):
        return values.ClrArray(list(self.translation.names), "System.String")

    @method("GetGroupNumbers", returns="int[]")
    def group_numbers(self, rt):
        return values.ClrArray(list(range(len(self.translation.names))), "System.Int32")

    @method("GroupNameFromNumber", "int", returns="string")
    def group_name_from_number(self, rt, number):
        names = self.translation.names
        return names[number] if 0 <= number < len(names) else ""

    @method("GroupNumberFromName", "string", returns="int")
    def group_number_from_name(self, rt, name):
        return self.translation.names.index(name) if name in self.translation.names else -1

    @getter("Options", "System.Text.RegularExpressions.RegexOptions")
    def get_options(self, rt):
        return RegexOptions.value(self.options)

    @getter("RightToLeft", "bool")
    def right_to_left(self, rt):
        return False

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.pattern

    # static forms
    @method("IsMatch", "string", "string", returns="bool", static=True)
    @method("IsMatch", "string", "string", "System.Text.RegularExpressions.RegexOptions", returns="bool",
            static=True)
    def s_is_match(rt, text, pattern, options=0):
        return ClrRegex(pattern, int(options)).is_match(rt, text)

    @method("Match", "string", "string", returns="System.Text.RegularExpressions.Match", static=True)
    @method("Match", "string", "string", "System.Text.RegularExpressions.RegexOptions",
            returns="System.Text.RegularExpressions.Match", static=True)
    def s_match(rt, text, pattern, options=0):
        return ClrRegex(pattern, int(options)).match(rt, text)

    @method("Matches", "string", "string", returns="System.Text.RegularExpressions.MatchCollection", static=True)
    @method("Matches", "string", "string", "System.Text.RegularExpressions.RegexOptions",
            returns="System.Text.RegularExpressions.MatchCollection", static=True)
    def s_matches(rt, text, pattern, options=0):
        return ClrRegex(pattern, int(options)).all_matches(rt, text)

    @method("Replace", "string", "string", "string", returns="string", static=True)
    @method("Replace", "string", "string", "string", "System.Text.RegularExpressions.RegexOptions",
            returns="string", static=True)
    def s_replace(rt, text, pattern, replacement, options=0):
        return ClrRegex(pattern, int(options)).replace_text(rt, text, replacement)

    @method("Split", "string", "string", returns="string[]", static=True)
    @method("Split", "string", "string", "System.Text.RegularExpressions.RegexOptions", returns="string[]",
            static=True)
    def s_split(rt, text, pattern, options=0):
        return ClrRegex(pattern, int(options)).split_text(rt, text)

    @method("Escape", "string", returns="string", static=True)
    def escape(rt, text):
        if text is None:
            raise ArgumentNullException(None, "str")
        # Regex.Escape: \, *, +, ?, |, {, [, (, ), ^, $, ., #, white space
        out = []
        for ch in text:
            if ch in "\\*+?|{[()^$.# ":
                out.append("\\" + ch)
            else:
                out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}.get(ch, ch))
        return "".join(out)

    @method("Unescape", "string", returns="string", static=True)
    def unescape(rt, text):
        if text is None:
            raise ArgumentNullException(None, "str")
        simple = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "e": "\x1b"}
        return re.sub(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|.)",
                      lambda m: chr(int(m[1][1:], 16)) if m[1][0] in "xu" and len(m[1]) > 1 else
                      simple.get(m[1], m[1]), text)


__all__ = ["ClrRegex", "Group", "GroupCollection", "Match", "MatchCollection", "RegexOptions"]
