"""Out-Default: how powershell.exe writes the success stream to stdout when no formatting cmdlet is used.

Modelled from about_Format.ps1xml and the formatting rules the console host applies to objects without a
registered view: strings and primitives are written with their string conversion, one per line; an object
with up to four public properties is a table (header, dashes, values), one with five or more a list
(`Name : Value`); consecutive objects of the same type share one table; dictionaries are a Name/Value table.
Tables are preceded by an empty line and followed by two, as the console host writes them.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.typesystem import ClrType, type_of
from winsim.powershell.semantics import conversions

NEWLINE = "\r\n"
_SCALARS = (str, bool, int, float, decimal.Decimal, EnumValue)


def out_default(objects: Iterable[object], rt=None) -> str:
    text: list[str] = []
    table_type: ClrType | None = None
    for obj in objects:
        if obj is None:
            continue
        if isinstance(obj, (_SCALARS, values.ByteArray)):
            table_type = _close(text, table_type)
            text.append(conversions.to_string(obj, rt) + NEWLINE)
            continue
        clr = type_of(obj)
        if _is_dictionary(obj):
            table_type = _close(text, table_type)
            text.append(_dictionary_table(obj, rt))
            continue
        properties = _properties(clr)
        if clr is None or not properties:
            table_type = _close(text, table_type)
            text.append(conversions.to_string(obj, rt) + NEWLINE)
            continue
        cells = [_cell(_read(obj, prop, rt), rt) for prop in properties]
        if len(properties) <= 4:
            if table_type is not clr:
                table_type = _close(text, table_type)
                text.append(_header([p.name for p in properties], cells))
                table_type = clr
            text.append(_row(cells, [p.name for p in properties]))
        else:
            table_type = _close(text, table_type)
            width = max(len(p.name) for p in properties)
            text.append(NEWLINE + "".join(f"{p.name.ljust(width)} : {c}{NEWLINE}" for p, c in zip(
                properties, cells, strict=True)) + NEWLINE)
    _close(text, table_type)
    return "".join(text)


def _close(text: list[str], table_type: ClrType | None) -> None:
    if table_type is not None:
        text.append(NEWLINE + NEWLINE)
    return None


def _is_dictionary(obj: object) -> bool:
    clr = type_of(obj)
    return clr is not None and "System.Collections.IDictionary" in clr.interfaces()


def _properties(clr: ClrType | None) -> list:
    if clr is None:
        return []
    seen: dict[str, object] = {}
    for declaring in reversed(clr.lineage()):
        for key, prop in declaring.properties.items():
            if not prop.static and prop.getter is not None:
                seen[key] = prop
    return list(seen.values())


def _read(obj: object, prop, rt) -> object:
    try:
        return prop.getter(obj, rt)
    except Exception:  # a property that throws shows empty, as the console host shows it
        return None


def _cell(value: object, rt) -> str:
    if value is None:
        return ""
    if isinstance(value, (values.ClrArray, list)):
        shown = ", ".join(conversions.to_string(v, rt) for v in list(value)[:4])
        return "{" + shown + ("..." if len(value) > 4 else "") + "}"
    return conversions.to_string(value, rt)


def _widths(names: list[str], cells: list[str]) -> list[int]:
    return [max(len(n), len(c)) for n, c in zip(names, cells, strict=True)]


def _header(names: list[str], cells: list[str]) -> str:
    widths = _widths(names, cells)
    header = " ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()
    dashes = " ".join(("-" * len(n)).ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()
    return NEWLINE + header + NEWLINE + dashes + NEWLINE


def _row(cells: list[str], names: list[str]) -> str:
    widths = _widths(names, cells)
    return " ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip() + NEWLINE


def _dictionary_table(obj, rt) -> str:
    rows = []
    for entry in obj:
        key = getattr(entry, "key", entry)
        value = getattr(entry, "value", None)
        rows.append((conversions.to_string(key, rt), _cell(value, rt)))
    if not rows:
        return ""
    name_width = max(4, *(len(k) for k, _ in rows))
    lines = [f"{'Name'.ljust(name_width)} Value", f"{'----'.ljust(name_width)} -----"]
    lines += [f"{k.ljust(name_width)} {v}".rstrip() for k, v in rows]
    return NEWLINE + NEWLINE.join(lines) + NEWLINE + NEWLINE + NEWLINE
