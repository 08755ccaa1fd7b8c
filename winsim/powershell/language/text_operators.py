"""-split and -replace (ABOUT Split, ABOUT Comparison_Operators#Replacement operator): regular expressions,
case-insensitive unless the c- form; a collection on the left applies to each element."""

from __future__ import annotations

import re

from winsim.powershell.clr import values
from winsim.powershell.semantics import conversions, enumeration
from winsim.powershell.semantics.patterns import dotnet_regex, dotnet_replacement


def split_whitespace(value):
    items = []
    for item in enumeration.items_of(value):
        items.extend(re.split(r"\s+", conversions.to_string(item).strip()))
    return values.ClrArray(items, "System.String")


def split_operator(left, right, case_sensitive: bool):
    args = list(enumeration.iterate(right)) if enumeration.is_enumerable(right) else [right]
    pattern = conversions.to_string(args[0])
    maximum = conversions.to_integer(args[1]) if len(args) > 1 else 0
    options = conversions.to_string(args[2]).lower() if len(args) > 2 else ""
    pattern = re.escape(pattern) if "simplematch" in options else dotnet_regex(pattern, False).pattern
    flags = 0 if case_sensitive or ("ignorecase" not in options and case_sensitive) else re.IGNORECASE
    if "multiline" in options:
        flags |= re.MULTILINE
    compiled = re.compile(pattern, flags)
    items: list = []
    for item in enumeration.items_of(left):
        text = conversions.to_string(item)
        items.extend(compiled.split(text, maxsplit=max(maximum - 1, 0)) if maximum != 1 else [text])
    return values.ClrArray((s if s is not None else "" for s in items), "System.String")


def replace_operator(left, right, case_sensitive: bool):
    args = list(enumeration.iterate(right)) if enumeration.is_enumerable(right) else [right]
    regex = dotnet_regex(conversions.to_string(args[0]), not case_sensitive)
    replacement = dotnet_replacement(conversions.to_string(args[1]) if len(args) > 1 else "")
    if enumeration.is_enumerable(left):
        return enumeration.new_array(regex.sub(replacement, conversions.to_string(item))
                                     for item in enumeration.iterate(left))
    return regex.sub(replacement, conversions.to_string(left))
