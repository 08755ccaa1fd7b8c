"""The .NET type system the interpreter sees: types, their members and overloads, and one registry.

Declaring a type (the class library does this; see clr/library/):

    @clr_type("System.IO.FileInfo", base="System.IO.FileSystemInfo")
    class FileInfo(FileSystemInfo):
        @constructor("string")
        def create(rt, path):                        # constructors are factories: (rt, *args) -> instance
            return FileInfo(rt, path)

        @getter("Length", "long")
        def length(self, rt): ...

        @method("CopyTo", "string", returns="System.IO.FileInfo")
        @method("CopyTo", "string", "bool", returns="System.IO.FileInfo")   # overloads stack
        def copy_to(self, rt, destination, overwrite=False): ...

        @method("Exists", "string", returns="bool", static=True)       # static: (rt, *args)
        def exists(rt, path): ...

- Instance members get (self, rt, *args), static members and constructors (rt, *args). `rt` is the
  Runtime (runtime.py): the host, the process, the PowerShell version.
- Parameter and return types are .NET names: full names ("System.IO.FileMode") or C# keywords
  ("string", "int", "long", "object", "byte[]"...). "ref T" / "out T" is a by-reference parameter: the
  implementation receives a Ref and sets .value. "params T[]" gathers the remaining arguments.
- Arguments arrive already converted to the parameter types (the interpreter's binder converts them
  with PowerShell's rules and picks the overload); results are coerced to the declared return type
  (a Python int returned as "long" becomes Int64). returns=None or "void" returns nothing.
- Types whose instances are Python built-ins (System.String is str) say so with instances=(str,).
- A Python exception escaping a member is a bug unless it is a ClrException (exceptions.py): the
  interpreter wraps ClrExceptions as PowerShell does (MethodInvocationException and its kin).
- Interfaces are types too (interface=True); a class lists the ones it implements, and -is/-as and
  parameter binding follow them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from winsim.powershell.clr import values

# C# keywords and short forms accepted in member declarations.
_KEYWORDS = {
    "object": "System.Object", "string": "System.String", "char": "System.Char", "bool": "System.Boolean",
    "byte": "System.Byte", "sbyte": "System.SByte", "short": "System.Int16", "ushort": "System.UInt16",
    "int": "System.Int32", "uint": "System.UInt32", "long": "System.Int64", "ulong": "System.UInt64",
    "float": "System.Single", "double": "System.Double", "decimal": "System.Decimal", "void": "System.Void",
}


def normalise_type_name(name: str) -> str:
    """'string[]' -> 'System.String[]'; full names are returned as they are."""
    name = name.strip()
    suffix = ""
    while name.endswith("[]"):
        name, suffix = name[:-2], suffix + "[]"
    return _KEYWORDS.get(name, name) + suffix


@dataclass(frozen=True)
class Param:
    type: str                   # normalised .NET full name (element type + "[]" for params arrays)
    by_ref: bool = False        # ref/out: the implementation gets a Ref
    params_array: bool = False  # `params T[]`: gathers the remaining arguments

    @classmethod
    def parse(cls, text: str) -> Param:
        words = text.split()
        by_ref = words[0] in ("ref", "out")
        params_array = words[0] == "params"
        if by_ref or params_array:
            words = words[1:]
        return cls(normalise_type_name(" ".join(words)), by_ref, params_array)


@dataclass
class Ref:
    """What a ref/out parameter's implementation receives (PowerShell passes [ref] variables)."""
    value: Any = None


@dataclass(frozen=True)
class Overload:
    name: str
    params: tuple[Param, ...]
    returns: str | None         # normalised; None for void
    impl: Callable[..., Any]
    static: bool = False

    def signature(self) -> str:
        """As PowerShell shows an overload: 'System.String Substring(int startIndex)' (names omitted here)."""
        shown = ", ".join(("ref " if p.by_ref else "params " if p.params_array else "") + p.type
                          for p in self.params)
        return f"{self.returns or 'System.Void'} {self.name}({shown})"


@dataclass
class Property:
    name: str
    type: str
    getter: Callable[..., Any] | None = None
    setter: Callable[..., Any] | None = None
    static: bool = False


@dataclass
class ClrType:
    full_name: str
    base_name: str | None = "System.Object"
    interface_names: tuple[str, ...] = ()
    py_types: tuple[type, ...] = ()
    interface: bool = False
    value_type: bool = False
    enum: Any = None                                  # an EnumInfo (enums.py) for enum types
    methods: dict[str, list[Overload]] = field(default_factory=dict)   # lower-case name -> own overloads
    properties: dict[str, Property] = field(default_factory=dict)      # lower-case name -> own property
    constructors: list[Overload] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)                 # static read-only values

    @property
    def name(self) -> str:
        return self.full_name.rsplit(".", 1)[-1]

    @property
    def namespace(self) -> str:
        return self.full_name.rsplit(".", 1)[0] if "." in self.full_name else ""

    @property
    def base(self) -> ClrType | None:
        return REGISTRY.get(self.base_name) if self.base_name else None

    def lineage(self) -> list[ClrType]:
        """This type, then its base types up to System.Object."""
        chain, current = [], self
        while current is not None and current not in chain:
            chain.append(current)
            current = current.base
        return chain

    def interfaces(self) -> set[str]:
        names: set[str] = set()
        pending = [n for t in self.lineage() for n in t.interface_names]
        while pending:
            name = pending.pop()
            if name in names:
                continue
            names.add(name)
            declared = REGISTRY.get(name)
            if declared is not None:
                pending.extend(declared.interface_names)
        return names

    def is_assignable_to(self, other: ClrType) -> bool:
        if other.full_name == "System.Object":
            return True
        return any(t.full_name == other.full_name for t in self.lineage()) or other.full_name in self.interfaces()

    def find_methods(self, name: str, *, static: bool) -> list[Overload]:
        """Every overload of `name` visible on this type (derived first; static or instance)."""
        found, seen = [], set()
        for declaring in self.lineage():
            for overload in declaring.methods.get(name.lower(), ()):
                key = (overload.static, tuple(p.type for p in overload.params))
                if overload.static == static and key not in seen:
                    seen.add(key)
                    found.append(overload)
        return found

    def find_property(self, name: str, *, static: bool) -> Property | None:
        for declaring in self.lineage():
            prop = declaring.properties.get(name.lower())
            if prop is not None and prop.static == static:
                return prop
        return None

    def member_names(self, *, static: bool) -> list[str]:
        names = {}
        for declaring in reversed(self.lineage()):
            for overloads in declaring.methods.values():
                for o in overloads:
                    if o.static == static:
                        names[o.name.lower()] = o.name
            for prop in declaring.properties.values():
                if prop.static == static:
                    names[prop.name.lower()] = prop.name
        return sorted(names.values())


class TypeRegistry:
    """Every .NET type the class library declares, by full name (case-insensitive) and by Python class."""

    def __init__(self) -> None:
        self._by_name: dict[str, ClrType] = {}
        self._by_py: dict[type, ClrType] = {}

    def add(self, clr: ClrType) -> ClrType:
        key = clr.full_name.lower()
        if key in self._by_name:
            raise ValueError(f"{clr.full_name} is declared twice")
        self._by_name[key] = clr
        for py in clr.py_types:
            self._by_py[py] = clr
        return clr

    def get(self, full_name: str) -> ClrType | None:
        return self._by_name.get(normalise_type_name(full_name).lower())

    def names(self) -> list[str]:
        return sorted(t.full_name for t in self._by_name.values())

    def for_python_type(self, py: type) -> ClrType | None:
        for klass in py.__mro__:
            found = self._by_py.get(klass)
            if found is not None:
                return found
        return None


REGISTRY = TypeRegistry()


def type_of(value: object) -> ClrType | None:
    """The registered .NET type of a value (None for null or an unregistered representation)."""
    if value is None:
        return None
    found = REGISTRY.for_python_type(type(value))
    if found is not None:
        return found
    name = values.clr_type_name(value)
    return REGISTRY.get(name) if name else None


# -- declaring members -------------------------------------------------------------------------------------------
_MEMBERS = "_clr_members"


def _mark(fn: Callable, entry: tuple) -> Callable:
    target = fn.__func__ if isinstance(fn, staticmethod) else fn
    entries = getattr(target, _MEMBERS, None)
    if entries is None:
        entries = []
        setattr(target, _MEMBERS, entries)
    entries.append(entry)
    return fn


def method(name: str, *param_types: str, returns: str | None = None, static: bool = False):
    def decorate(fn):
        return _mark(fn, ("method", name, param_types, returns, static))
    return decorate


def constructor(*param_types: str):
    def decorate(fn):
        return _mark(fn, ("constructor", ".ctor", param_types, None, True))
    return decorate


def getter(name: str, type_name: str, static: bool = False):
    def decorate(fn):
        return _mark(fn, ("getter", name, (type_name,), None, static))
    return decorate


def setter(name: str, type_name: str, static: bool = False):
    def decorate(fn):
        return _mark(fn, ("setter", name, (type_name,), None, static))
    return decorate


def _returns(name: str | None) -> str | None:
    if name is None:
        return None
    normalised = normalise_type_name(name)
    return None if normalised == "System.Void" else normalised


def clr_type(full_name: str, *, base: str | None = "System.Object", interfaces: tuple[str, ...] = (),
             instances: tuple[type, ...] | None = None, interface: bool = False, value_type: bool = False,
             fields: dict[str, Any] | None = None):
    """Class decorator: registers the class as the .NET type `full_name` with the members it marks."""
    def decorate(cls: type) -> type:
        clr = ClrType(full_name, None if interface else base, tuple(interfaces),
                      instances if instances is not None else (cls,), interface, value_type,
                      fields=dict(fields or {}))
        for attr in vars(cls).values():
            target = attr.__func__ if isinstance(attr, staticmethod) else attr
            for kind, name, types, returns, static in getattr(target, _MEMBERS, ()):
                params = tuple(Param.parse(t) for t in types)
                if kind == "method":
                    clr.methods.setdefault(name.lower(), []).append(
                        Overload(name, params, _returns(returns), target, static))
                elif kind == "constructor":
                    clr.constructors.append(Overload(".ctor", params, full_name, target, True))
                else:
                    prop = clr.properties.setdefault(name.lower(), Property(name, params[0].type, static=static))
                    if kind == "getter":
                        prop.getter = target
                    else:
                        prop.setter = target
        cls.__clr_type__ = REGISTRY.add(clr)
        return cls
    return decorate


def interface(full_name: str, *, extends: tuple[str, ...] = ()):
    """Declares a .NET interface; Python classes implementing it list it in clr_type(interfaces=...)."""
    return clr_type(full_name, interfaces=extends, interface=True, instances=())
