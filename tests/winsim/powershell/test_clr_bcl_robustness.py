"""Every member of the base class library, called with .NET-typed arguments (nulls, empties, odd numbers,
out-of-range enum values), either answers or throws a .NET exception: a Python exception escaping a member is
a bug (typesystem's contract)."""

from __future__ import annotations

import decimal
import itertools

import winsim.powershell.clr.library  # noqa: F401  (registers every type)
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.clr.library.bcl.globalization import INVARIANT
from winsim.powershell.clr.typesystem import REGISTRY, Ref

OURS = ("winsim.powershell.clr.library.bcl", "winsim.powershell.clr.exception")
_SAMPLES = {
    "System.String": ["", "abc,def", None, "  12 ", "2024-03-05"],
    "System.Int32": [0, 1, -1, 3, 100],
    "System.Int64": [values.Int64(0), values.Int64(-5)],
    "System.Int16": [values.Int16(-2)], "System.UInt16": [values.UInt16(2)], "System.UInt32": [values.UInt32(9)],
    "System.UInt64": [values.UInt64(9)], "System.SByte": [values.SByte(-1)], "System.Byte": [values.Byte(7)],
    "System.Single": [values.Single(1.5)], "System.Double": [0.0, -1.5, float("nan")],
    "System.Decimal": [decimal.Decimal("1.5")], "System.Char": [values.Char("a"), values.Char(",")],
    "System.Boolean": [True, False], "System.Object": [None, "x", 5, 1.5],
    "System.IFormatProvider": [None, INVARIANT], "System.Globalization.CultureInfo": [INVARIANT, None],
    "System.Array": [values.ClrArray([3, 1, 2], "System.Int32"), values.ByteArray(b"xy"), None],
    "System.Byte[]": [values.ByteArray(b"ab\xff"), values.ByteArray(), None],
    "System.Char[]": [values.ClrArray([values.Char(","), values.Char("x")], "System.Char"), None],
    "System.String[]": [values.ClrArray(["a", None, "b"], "System.String"), None],
}
_TARGETS = {"System.String": ["abc,def", ""], "System.Int32": [5, -3], "System.Double": [1.5, -0.0],
            "System.Char": [values.Char("a")], "System.Boolean": [True]}


def _reference_samples(type_name: str) -> list | None:
    """Objects for the reference-typed parameters the library declares (besides null)."""
    from winsim.powershell.clr.exceptions import IOException
    from winsim.powershell.clr.library.bcl.collections import ArrayList, Hashtable
    from winsim.powershell.clr.library.bcl.collections.comparers import DEFAULT_COMPARER, ORDINAL
    from winsim.powershell.clr.library.bcl.io.stream import MemoryStream
    from winsim.powershell.clr.library.bcl.text.encoding import UTF8_BOM
    makers = {
        "System.IO.Stream": lambda: MemoryStream(values.ByteArray(b"\x1f\x8b\x08payload")),
        "System.Text.Encoding": lambda: UTF8_BOM,
        "System.Collections.ICollection": lambda: ArrayList(["b", "a"]),
        "System.Collections.IDictionary": lambda: Hashtable(),
        "System.Collections.IComparer": lambda: DEFAULT_COMPARER,
        "System.Collections.IEqualityComparer": lambda: ORDINAL,
        "System.Exception": lambda: IOException("disk"),
        "System.Type": lambda: REGISTRY.get("System.StringComparison"),
    }
    maker = makers.get(type_name)
    return None if maker is None else [maker(), None]


def _samples(type_name: str) -> list:
    if type_name in _SAMPLES:
        return _SAMPLES[type_name]
    references = _reference_samples(type_name)
    if references is not None:
        return references
    if type_name.endswith("[]"):
        return [values.ClrArray([1, "a"], "System.Object"), None]
    clr = REGISTRY.get(type_name)
    if clr is not None and clr.enum is not None:
        return [EnumValue(clr.full_name, v) for v in list(clr.enum.members.values())[:3]] + \
            [EnumValue(clr.full_name, 999)]
    if clr is not None and clr.value_type:  # a value type is never null: its default or a field of it
        for ctor in clr.constructors:
            if len(ctor.params) == 1 and ctor.params[0].type == "System.Int64":
                return [ctor.impl(None, values.Int64(0))]
        return list(clr.fields.values())[:1] or [None]
    return [None]


def _argument_lists(params) -> list[tuple]:
    pools = [[Ref()] if p.by_ref else _samples(p.type) for p in params]
    return list(itertools.islice(itertools.product(*pools), 60))


def _ours(fn) -> bool:
    return getattr(fn, "__module__", "").startswith(OURS)


def _made_with_arguments(clr) -> list:
    """Objects whose types have no parameterless constructor: one built from the first sample arguments."""
    made = []
    for ctor in clr.constructors:
        if ctor.params and _ours(ctor.impl) and not any(p.by_ref for p in ctor.params):
            for args in _argument_lists(ctor.params)[:3]:
                try:
                    made.append(ctor.impl(None, *args))
                    return made
                except ClrException:
                    continue
    return made


def _instances(clr) -> list:
    if clr.full_name in _TARGETS:
        return _TARGETS[clr.full_name]
    made = [ctor.impl(None) for ctor in clr.constructors if not ctor.params and _ours(ctor.impl)]
    # the type's own static values: Encoding.UTF8, CultureInfo.InvariantCulture, DateTime.MinValue, Guid.Empty...
    for prop in clr.properties.values():
        if prop.static and prop.type == clr.full_name and prop.getter is not None and _ours(prop.getter):
            made.append(prop.getter(None))
    made.extend(v for v in clr.fields.values() if type(v).__module__.startswith(OURS) and
                getattr(type(v), "__clr_type__", None) is clr)
    return made or _made_with_arguments(clr)


def test_the_sweep_reaches_most_types():
    reached = [n for n in REGISTRY.names() if not REGISTRY.get(n).interface and _instances(REGISTRY.get(n))]
    for expected in ("System.Text.UTF8Encoding", "System.DateTime", "System.TimeSpan", "System.Guid",
                     "System.Text.RegularExpressions.Regex", "System.IO.MemoryStream", "System.Text.StringBuilder",
                     "System.Collections.Hashtable", "System.Globalization.CultureInfo"):
        assert expected in reached


def test_no_python_exception_escapes_a_member():
    escaped: dict[tuple, tuple] = {}

    def attempt(fn, *args):
        try:
            fn(*args)
        except ClrException:
            pass
        except Exception as error:  # the finding: report it with the arguments that caused it
            escaped.setdefault((fn.__qualname__, type(error).__name__, str(error)[:80]), args)

    for name in REGISTRY.names():
        clr = REGISTRY.get(name)
        if clr.interface:
            continue
        for overload in [o for group in clr.methods.values() for o in group] + clr.constructors:
            if overload.static and _ours(overload.impl):
                for args in _argument_lists(overload.params):
                    attempt(overload.impl, None, *args)
        visible = clr.lineage()  # an instance answers its base types' members too
        for target in _instances(clr):
            for overload in (o for t in visible for group in t.methods.values() for o in group):
                if not overload.static and _ours(overload.impl):
                    for args in _argument_lists(overload.params):
                        attempt(overload.impl, target, None, *args)
            for prop in (p for t in visible for p in t.properties.values()):
                if prop.getter is not None and not prop.static and _ours(prop.getter):
                    attempt(prop.getter, target, None)
                if prop.setter is not None and not prop.static and _ours(prop.setter):
                    for value in _samples(prop.type):
                        attempt(prop.setter, target, None, value)
    assert not escaped, "\n".join(f"{key}: {args!r}"[:300] for key, args in escaped.items())
