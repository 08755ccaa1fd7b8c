"""What a .NET regular expression match gives: Match, Group, Capture, GroupCollection, MatchCollection, and
the substitutions of a replacement pattern ($1, ${name}, $$, $&, $`, $', $+, $_).

A group's Captures holds its last capture only (Python's `re` keeps no capture history)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from winsim.powershell.clr.exceptions import ArgumentNullException, ArgumentOutOfRangeException
from winsim.powershell.clr.library.bcl.collections.enumerators import ListEnumerator
from winsim.powershell.clr.typesystem import clr_type, getter, method

_COLLECTION = ("System.Collections.ICollection", "System.Collections.IEnumerable")


@clr_type("System.Text.RegularExpressions.Capture")
class Capture:
    def __init__(self, text: str, index: int, length: int) -> None:
        self.text, self.index, self.length = text, index, length

    @property
    def value(self) -> str:
        return self.text[self.index:self.index + self.length]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r} at {self.index})"

    @getter("Value", "string")
    def get_value(self, rt):
        return self.value

    @getter("Index", "int")
    def get_index(self, rt):
        return self.index

    @getter("Length", "int")
    def get_length(self, rt):
        return self.length

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.value


@clr_type("System.Text.RegularExpressions.Group", base="System.Text.RegularExpressions.Capture")
class Group(Capture):
    def __init__(self, text: str, index: int, length: int, success: bool, name: str = "0") -> None:
        super().__init__(text, index, length)
        self.success, self.name = success, name

    @getter("Success", "bool")
    def get_success(self, rt):
        return self.success

    @getter("Captures", "System.Text.RegularExpressions.CaptureCollection")
    def get_captures(self, rt):
        return CaptureCollection([Capture(self.text, self.index, self.length)] if self.success else [])


@clr_type("System.Text.RegularExpressions.Match", base="System.Text.RegularExpressions.Group")
class Match(Group):
    def __init__(self, regex, text: str, found: re.Match | None, end: int | None = None) -> None:
        self.regex, self.end = regex, len(text) if end is None else end
        if found is None:
            super().__init__(text, 0, 0, False)
            self.groups_list = [self]
            return
        super().__init__(text, found.start(), found.end() - found.start(), True)
        self.groups_list: list[Group] = [self]
        index = regex.translation.python_index
        for name in regex.translation.names[1:]:
            number = index[name]
            start = found.start(number)
            if start < 0:
                self.groups_list.append(Group(text, 0, 0, False, name))
            else:
                self.groups_list.append(Group(text, start, found.end(number) - start, True, name))

    def group(self, key: int | str) -> Group:
        names = self.regex.translation.names if self.regex is not None else ["0"]
        name = str(key)
        if name in names:
            return self.groups_list[names.index(name)]
        return Group(self.text, 0, 0, False, name)

    @getter("Groups", "System.Text.RegularExpressions.GroupCollection")
    def get_groups(self, rt):
        return GroupCollection(self)

    @method("NextMatch", returns="System.Text.RegularExpressions.Match")
    def next_match(self, rt):
        if not self.success or self.regex is None:
            return self
        start = self.index + self.length + (1 if self.length == 0 else 0)
        if start > len(self.text):
            return empty_match(self.regex, self.text)
        return self.regex.search(self.text, start, self.end)

    @method("Result", "string", returns="string")
    def result(self, rt, replacement):
        if replacement is None:
            raise ArgumentNullException(None, "replacement")
        return expand_replacement(replacement, self)

    @getter("Empty", "System.Text.RegularExpressions.Match", static=True)
    def empty(rt):
        return empty_match(None, "")


def empty_match(regex, text: str) -> Match:
    return Match(regex, text, None)


@clr_type("System.Text.RegularExpressions.GroupCollection", interfaces=_COLLECTION)
class GroupCollection:
    def __init__(self, match: Match) -> None:
        self.match = match

    def __iter__(self) -> Iterator[Group]:
        return iter(self.match.groups_list)

    def __len__(self) -> int:
        return len(self.match.groups_list)

    def __getitem__(self, key: int | str) -> Group:
        return self.match.group(key)

    @getter("Count", "int")
    def count(self, rt):
        return len(self.match.groups_list)

    @method("get_Item", "int", returns="System.Text.RegularExpressions.Group")
    @method("get_Item", "string", returns="System.Text.RegularExpressions.Group")
    def get_item(self, rt, key):
        return self.match.group(key)

    @method("GetEnumerator", returns="System.Collections.IEnumerator")
    def get_enumerator(self, rt):
        return ListEnumerator(lambda: iter(self))


class _ListCollection:
    name = "item"

    def __init__(self, items: list) -> None:
        self.items = items

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int):
        if not 0 <= index < len(self.items):
            raise ArgumentOutOfRangeException("Specified argument was out of the range of valid values.", "i")
        return self.items[index]


@clr_type("System.Text.RegularExpressions.CaptureCollection", interfaces=_COLLECTION)
class CaptureCollection(_ListCollection):
    @getter("Count", "int")
    def count(self, rt):
        return len(self.items)

    @method("get_Item", "int", returns="System.Text.RegularExpressions.Capture")
    def get_item(self, rt, index):
        return self[index]

    @method("GetEnumerator", returns="System.Collections.IEnumerator")
    def get_enumerator(self, rt):
        return ListEnumerator(lambda: iter(self.items))


@clr_type("System.Text.RegularExpressions.MatchCollection", interfaces=_COLLECTION)
class MatchCollection(_ListCollection):
    @getter("Count", "int")
    def count(self, rt):
        return len(self.items)

    @method("get_Item", "int", returns="System.Text.RegularExpressions.Match")
    def get_item(self, rt, index):
        return self[index]

    @method("GetEnumerator", returns="System.Collections.IEnumerator")
    def get_enumerator(self, rt):
        return ListEnumerator(lambda: iter(self.items))

    @method("CopyTo", "System.Array", "int")
    def copy_to(self, rt, array, index):
        from winsim.powershell.clr.library.bcl.collections.hashtable import copy_into
        copy_into(self.items, array, index)


_SUBSTITUTION = re.compile(r"\$(?:(\$)|(&)|(`)|(')|(\+)|(_)|\{([^}]*)\}|(\d+))")


def expand_replacement(replacement: str, match: Match) -> str:
    """A .NET replacement pattern applied to one match."""
    names = match.regex.translation.names if match.regex is not None else ["0"]

    def substitute(found: re.Match) -> str:
        dollar, whole, before, after, last, entire, name, digits = found.groups()
        if dollar:
            return "$"
        if whole:
            return match.value
        if before:
            return match.text[:match.index]
        if after:
            return match.text[match.index + match.length:]
        if last:
            return match.groups_list[-1].value if len(match.groups_list) > 1 else match.value
        if entire:
            return match.text
        if name is not None:
            return match.group(name).value if name in names else found.group()
        # $N takes the longest run of digits that names a group; the rest is literal
        for cut in range(len(digits), 0, -1):
            if digits[:cut] in names:
                return match.group(digits[:cut]).value + digits[cut:]
        return found.group()

    return _SUBSTITUTION.sub(substitute, replacement)


__all__ = ["Capture", "CaptureCollection", "Group", "GroupCollection", "Match", "MatchCollection", "empty_match",
           "expand_replacement"]
