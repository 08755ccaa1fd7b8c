"""The collections the language itself makes: `@{}` (a case-insensitive Hashtable, ABOUT Hash_Tables) and
keyed access to any IDictionary, through the class library's types and their Python protocols."""

from __future__ import annotations

from winsim.powershell.automation.errors import runtime_error
from winsim.powershell.clr.typesystem import REGISTRY


def _class(full_name: str) -> type:
    clr = REGISTRY.get(full_name)
    if clr is None or not clr.py_types:
        raise runtime_error(f"Unable to find type [{full_name}]: make sure that the assembly containing this "
                            "type is loaded.", "TypeNotFound", "InvalidOperation")
    return clr.py_types[0]


def new_hashtable():
    """What `@{}` makes: keys compare ignoring case."""
    return _class("System.Collections.Hashtable").case_insensitive()


def new_ordered():
    """[ordered]@{} (3.0+): an OrderedDictionary whose keys ignore case."""
    cls = _class("System.Collections.Specialized.OrderedDictionary")
    factory = getattr(cls, "case_insensitive", None)
    return factory() if factory is not None else cls()
