"""Calling class-library members through the type registry, as the interpreter's binder would (without it)."""

from __future__ import annotations

import winsim.powershell.clr.library  # noqa: F401  (registers every type)
from winsim.powershell.clr.typesystem import REGISTRY, normalise_type_name, type_of


def _pick(overloads, name, args, sig):
    if sig is not None:
        wanted = tuple(normalise_type_name(s.removeprefix("params ").removeprefix("out ").removeprefix("ref "))
                       for s in sig)
        matches = [o for o in overloads if tuple(p.type for p in o.params) == wanted]
    else:
        matches = [o for o in overloads if len(o.params) == len(args)]
    assert len(matches) == 1, f"{name}{sig or ''}: {[o.signature() for o in overloads]}"
    return matches[0]


def static(type_name: str, name: str, *args, sig: tuple[str, ...] | None = None):
    clr = REGISTRY.get(type_name)
    assert clr is not None, type_name
    return _pick(clr.find_methods(name, static=True), name, args, sig).impl(None, *args)


def instance(target, name: str, *args, sig: tuple[str, ...] | None = None, clr_name: str | None = None):
    clr = REGISTRY.get(clr_name) if clr_name else (getattr(target, "clr", None) or type_of(target))
    assert clr is not None, target
    return _pick(clr.find_methods(name, static=False), name, args, sig).impl(target, None, *args)


def prop(target, name: str, clr_name: str | None = None):
    clr = REGISTRY.get(clr_name) if clr_name else (getattr(target, "clr", None) or type_of(target))
    found = clr.find_property(name, static=False)
    assert found is not None and found.getter is not None, f"{clr.full_name}.{name}"
    return found.getter(target, None)


def static_prop(type_name: str, name: str):
    clr = REGISTRY.get(type_name)
    if name in clr.fields:
        return clr.fields[name]
    found = clr.find_property(name, static=True)
    assert found is not None, f"{type_name}::{name}"
    return found.getter(None)


def new(type_name: str, *args, sig: tuple[str, ...] | None = None):
    clr = REGISTRY.get(type_name)
    return _pick(clr.constructors, ".ctor", args, sig).impl(None, *args)
