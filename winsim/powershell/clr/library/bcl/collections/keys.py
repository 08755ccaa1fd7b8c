"""How .NET dictionaries compare keys, as Python dictionary keys: Object.Equals semantics (an Int32 1 and an
Int64 1 are different keys, as are a Char and a one-letter String), strings optionally ignoring case (the
comparer PowerShell gives its @{} literals)."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException


def dict_key(key: object, ignore_case: bool) -> object:
    kind = type(key)
    if kind is str:  # the common cases first, as themselves: a plain string, a plain Int32
        return key.lower() if ignore_case else key
    if kind is int:
        return key
    if key is None:
        raise ArgumentNullException("Key cannot be null.", "key")
    if isinstance(key, values.Char):
        return ("System.Char", str(key))
    if isinstance(key, str):
        return ("System.String", key.lower() if ignore_case else key)
    if isinstance(key, bool):
        return ("System.Boolean", key)
    if isinstance(key, (int, float, values.Decimal)):
        return (values.clr_type_name(key), key)
    if getattr(type(key), "__hash__", None) is None:
        return ("ref", id(key))
    return key


def duplicate_key(existing: object, added: object) -> ArgumentException:
    # .NET 2.0's Hashtable.Add wording (two spaces before "Key being added").
    return ArgumentException(f"Item has already been added. Key in dictionary: '{_shown(existing)}'  "
                             f"Key being added: '{_shown(added)}'")


def _shown(key: object) -> str:
    from winsim.powershell.clr.library.bcl.objects import clr_string
    return clr_string(key)
