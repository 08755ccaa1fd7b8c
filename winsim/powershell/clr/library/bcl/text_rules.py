"""Character classes and case mapping as .NET 2.0 defines them (shared by String, Char and parsing)."""

from __future__ import annotations

import unicodedata

from winsim.powershell.clr import values

# String.Trim()'s white space in .NET 2.0/3.5: includes ZERO WIDTH SPACE and the BOM (dropped in 4.0).
TRIM_WHITESPACE = ("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                   "\u200a\u200b\u2028\u2029\u3000\ufeff")


# Char.IsWhiteSpace's characters: what String.Trim() removes from CLR 4 on
_CLR4_WHITESPACE = ("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                    "\u2028\u2029\u202f\u205f\u3000")


def trim_white_space(rt) -> str:
    """What String.Trim() removes: .NET 2.0/3.5's list, or (CLR 4) exactly the Char.IsWhiteSpace characters."""
    from winsim.powershell.clr.exceptions import clr_major
    return TRIM_WHITESPACE if clr_major(rt) < 4 else _CLR4_WHITESPACE


def is_white_space(ch: str) -> bool:
    """Char.IsWhiteSpace: the Unicode separators (Zs, Zl, Zp), U+0009-U+000D, U+0085 and U+00A0."""
    if ch < "\x80":
        return ch in " \t\n\v\f\r"
    return ch in "\x85\xa0" or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def lower(text: str) -> str:
    """ToLower (en-US and invariant alike): one UTF-16 unit for one, unlike Python's full case mapping
    (which lowers U+0130 to two characters; Windows maps it to 'i')."""
    if text.isascii():
        return text.lower()
    return "".join("i" if ch == "\u0130" else _one(ch, ch.lower()) for ch in text)


def upper(text: str) -> str:
    if text.isascii():
        return text.upper()
    return "".join(_one(ch, ch.upper()) for ch in text)


def _one(ch: str, mapped: str) -> str:
    return mapped if len(mapped) == 1 else ch


def char_array(text: str) -> values.ClrArray:
    return values.ClrArray([values.Char(ch) for ch in text], "System.Char")


def chars_of(separators) -> str:
    """A char[] argument (ClrArray of Char, a str, or None) as a string of its characters."""
    if separators is None:
        return ""
    if isinstance(separators, str):
        return str(separators)
    return "".join(separators)  # Char is a str: a char[] joins as it is

