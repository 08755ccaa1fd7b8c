"""The member binder: properties, methods, static members, indexers and constructors of .NET objects.

- A .NET exception escaping a method becomes MethodInvocationException ('Exception calling "M" with "N"
  argument(s): "..."'), a property setter's SetValueInvocationException, a getter's
  GetValueInvocationException, each with the original as InnerException (semantics reference §8.4).
- An unknown property reads as $null (strict mode off); an unknown method is an error.
- Dictionaries: `$h.key` reads the key first (semantics reference §9.5).
- 3.0+: `.Count`/`.Length` of a scalar, member enumeration, `(5)[0]` (semantics reference §3.3-3.4).
- Objects adapted by PowerShell (WMI objects...) may offer `ps_get_member(name) -> (found, value)` and
  `ps_set_member(name, value) -> bool`."""

from __future__ import annotations

from winsim.powershell.automation.errors import (
    GetValueInvocationException,
    MethodInvocationException,
    RuntimeException,
    SetValueInvocationException,
    method_not_found,
    null_method_call,
    property_not_found,
    runtime_error,
    terminating,
)
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.clr.typesystem import ClrType, type_of
from winsim.powershell.semantics import conversions, enumeration, overloads
from winsim.powershell.semantics.types import full_name_of, type_object_of

_ABSENT = object()


class PSBase:
    """`$x.psbase`: the object's own .NET members, past PowerShell's adaptation (a dictionary's keys)."""
    __slots__ = ("target",)

    def __init__(self, target) -> None:
        self.target = target
_ARRAY_PROPERTIES = {"length": len, "count": len, "longlength": lambda a: values.Int64(len(a)),
                     "rank": lambda a: 1, "isfixedsize": lambda a: True, "isreadonly": lambda a: False}


def _version(rt) -> tuple[int, int]:
    return getattr(rt, "ps_version", (2, 0))


def get_member(obj, name: str, rt):
    if obj is None:
        # 3.0+: $null.Count and $null.Length are 0 (ABOUT Arrays#Arrays of zero or one).
        if name.lower() in ("count", "length") and _version(rt) >= (3, 0):
            return 0
        return None
    lower = name.lower()
    if isinstance(obj, (values.ClrArray, values.ByteArray)):
        prop = _ARRAY_PROPERTIES.get(lower)
        if prop is not None:
            return prop(obj)
    elif enumeration.is_dictionary(obj):
        value = obj.get(name, _ABSENT)
        if value is _ABSENT and name.isdigit():
            value = obj.get(int(name), _ABSENT)  # $h.1 reaches the key 1
        if value is not _ABSENT:
            return value
    if lower == "psbase" and not isinstance(obj, PSBase):
        return PSBase(obj)
    if isinstance(obj, PSBase):
        clr = type_of(obj.target)
        prop = _find_property(clr, lower, rt) if clr is not None else None
        return _get_property(prop, obj.target, rt) if prop is not None and prop.getter is not None else None
    adapted = getattr(obj, "ps_get_member", None)
    if adapted is not None:
        found, value = adapted(name)
        if found:
            return value
    clr = type_of(obj)
    if clr is not None:
        prop = _find_property(clr, lower, rt)
        if prop is not None and prop.getter is not None:
            return _get_property(prop, obj, rt)
    return _missing_member(obj, lower, rt)


_properties: dict[tuple[str, str], object] = {}


def _find_property(clr: ClrType, lower: str, rt=None):
    key = (clr.full_name, lower, _clr(rt))
    try:
        return _properties[key]
    except KeyError:
        found = clr.find_property(lower, static=False)
        if found is not None and not _available(found.getter, rt):
            found = None
        _properties[key] = found
        return found


_CLR_VERSIONS: dict[str, tuple[int, int]] = {}


def _clr(rt) -> tuple[int, int]:
    """The CLR the process runs on, (2, 0) or (4, 0): members added in .NET 4 exist only on the latter."""
    text = getattr(rt, "clr_version", None) or "2.0"
    found = _CLR_VERSIONS.get(text)
    if found is None:
        parts = [*text.split("."), "0"][:2]
        found = _CLR_VERSIONS[text] = (int(parts[0]), int(parts[1]))
    return found


def _available(impl, rt) -> bool:
    """A member marked `__clr_since__ = (4, 0)` by the class library is absent on CLR 2.0."""
    since = getattr(impl, "__clr_since__", None)
    return since is None or since <= _clr(rt)


def member_site(name: str):
    """A site reading `$x.Name`: how to read it is decided once per receiver type (a dictionary's key, a
    declared property, or the general path)."""
    cache: dict = {}

    def get(obj, rt):
        key = (type(obj), rt.clr_version) if rt is not None else type(obj)
        plan = cache.get(key)
        if plan is None:
            plan = cache[key] = _member_plan(obj, name, rt)
        return plan(obj, rt)
    return get


def _member_plan(obj, name: str, rt):
    if obj is None or isinstance(obj, (values.ClrArray, values.ByteArray, PSBase)) or hasattr(obj, "ps_get_member") \
            or name.lower() == "psbase":
        return lambda o, rt: get_member(o, name, rt)
    if enumeration.is_dictionary(obj) and hasattr(obj, "get"):
        def from_dictionary(o, rt):
            value = o.get(name, _ABSENT)
            return get_member(o, name, rt) if value is _ABSENT else value
        return from_dictionary
    clr = type_of(obj)
    prop = _find_property(clr, name.lower(), rt) if clr is not None else None
    if prop is not None and prop.getter is not None:
        return lambda o, rt: _get_property(prop, o, rt)
    return lambda o, rt: get_member(o, name, rt)


def member_set_site(name: str):
    """A site writing `$x.Name = v`: dictionaries (without a settable property of that name) take the key."""
    cache: dict = {}

    def set_(obj, value, rt):
        plan = cache.get(type(obj))
        if plan is None:
            plan = cache[type(obj)] = _member_set_plan(obj, name)
        plan(obj, value, rt)
    return set_


def _member_set_plan(obj, name: str):
    if obj is not None and enumeration.is_dictionary(obj) and not hasattr(obj, "ps_set_member"):
        clr = type_of(obj)
        prop = clr.find_property(name, static=False) if clr else None
        if prop is None or prop.setter is None:
            def to_dictionary(o, value, rt):
                o[name] = value
            return to_dictionary
    return lambda o, value, rt: set_member(o, name, value, rt)


def _get_property(prop, obj, rt):
    try:
        return overloads.coerce_result(prop.getter(obj, rt), prop.type)
    except ClrException as error:
        raise terminating(GetValueInvocationException(
            f'Exception getting "{prop.name}": "{error.message}"', error, error_id="ExceptionWhenGetting")) from None


def _strict_level(rt) -> int:
    """Set-StrictMode's version in force where the script now runs (0 when off)."""
    session = getattr(rt, "session", None)
    if session is None or not session.frames:
        return 0
    return session.frames[-1].scope.strict_level()


def _missing_member(obj, lower: str, rt):
    clr = type_of(obj)
    found = _find_methods(clr, lower, False, rt) if clr is not None else []
    if found:
        from winsim.powershell.automation.methods import PSMethod
        return PSMethod(obj, lower, found)  # a method named without parentheses
    if _strict_level(rt) >= 2:
        raise terminating(RuntimeException(
            f"Property '{lower}' cannot be found on this object. Make sure that it exists.",
            error_id="PropertyNotFoundStrict", category="InvalidOperation"))
    if _version(rt) >= (3, 0):
        if lower in ("count", "length") and not enumeration.is_enumerable(obj):
            return 1
        if enumeration.is_enumerable(obj):
            found = [get_member(item, lower, rt) for item in enumeration.iterate(obj)]
            found = [f for f in found if f is not None]
            if not found:
                return None
            return found[0] if len(found) == 1 else enumeration.new_array(found)
    return None


def set_member(obj, name: str, value, rt) -> None:
    if obj is None:
        raise property_not_found(name)
    if enumeration.is_dictionary(obj):
        clr = type_of(obj)
        prop = clr.find_property(name, static=False) if clr else None
        if prop is None or prop.setter is None:
            obj[name] = value
            return
    adapted = getattr(obj, "ps_set_member", None)
    if adapted is not None and adapted(name, value):
        return
    clr = type_of(obj)
    prop = clr.find_property(name, static=False) if clr else None
    if prop is None or prop.setter is None:
        if prop is not None:
            raise runtime_error(f"'{prop.name}' is a ReadOnly property.", "PropertyAssignmentException",
                                "InvalidOperation")
        raise property_not_found(name)
    _set_property(prop, obj, value, rt, static=False)


def _set_property(prop, obj, value, rt, *, static: bool) -> None:
    target = _type_object(prop.type)
    if target is not None:
        try:
            value = conversions.convert(value, target, rt)
        except Exception as error:  # PSError: conversion failure reads as a setter failure
            message = getattr(getattr(error, "record", None), "message", str(error))
            raise terminating(SetValueInvocationException(
                f'Exception setting "{prop.name}": "{message}"', error_id="ExceptionWhenSetting")) from None
    try:
        if static:
            prop.setter(rt, value)
        else:
            prop.setter(obj, rt, value)
    except ClrException as error:
        raise terminating(SetValueInvocationException(
            f'Exception setting "{prop.name}": "{error.message}"', error, error_id="ExceptionWhenSetting")) from None


def _type_object(name: str):
    from winsim.powershell.semantics.types import resolve
    return resolve(name)


class _Void:
    """What a void method gives: nothing at all (PowerShell's AutomationNull), which writes no output."""

    def __repr__(self) -> str:
        return "VOID"


VOID = _Void()


_PLAIN_RESULTS = {"System.String", "System.Boolean", "System.Object", "System.Char"}


def call(overload, target, args: list, name: str, rt, *, static: bool):
    converted, write_back = overloads.convert_arguments(overload, args, name, rt)
    try:
        result = overload.impl(rt, *converted) if static else overload.impl(target, rt, *converted)
    except ClrException as error:
        for cell, reference in write_back:
            reference.set(cell.value)
        raise terminating(MethodInvocationException(
            f'Exception calling "{name}" with "{len(args)}" argument(s): "{error.message}"', error,
            error_id=type(error).__clr_type__.name)) from None
    for cell, reference in write_back:
        reference.set(cell.value)
    returns = overload.returns
    if returns is None:
        return VOID
    if returns in _PLAIN_RESULTS:
        return result
    return overloads.coerce_result(result, returns)


_methods: dict[tuple[str, str, bool], list] = {}


def _find_methods(clr: ClrType, name: str, static: bool, rt=None) -> list:
    key = (clr.full_name, name.lower(), static, _clr(rt))
    found = _methods.get(key)
    if found is None:
        found = _methods[key] = [o for o in clr.find_methods(name, static=static) if _available(o.impl, rt)]
    return found


def _type_key(value):
    kind = type(value)
    if kind is values.ClrArray:
        return value.element_type
    if kind is EnumValue:
        return value.type_name
    return kind


def method_site(name: str):
    """A call site `$x.Name(...)`: remembers the overload chosen per receiver and argument types (the choice
    depends on types only), so a call that repeats skips the lookup and the ranking."""
    cache: dict = {}

    def invoke(obj, args: list, rt):
        if obj is None:
            raise null_method_call()
        kind = type(obj)
        if kind is PSBase:
            obj = obj.target
            kind = type(obj)
        # Receiver type, CLR and argument types: without a map over no arguments (the common `$s.Trim()`).
        key = (kind, rt.clr_version, *map(_type_key, args)) if args else (kind, rt.clr_version)
        plan = cache.get(key)
        if plan is None:
            clr = type_of(obj)
            found = _find_methods(clr, name, False, rt) if clr is not None else []
            if not found or type(obj) is values.ClrArray:
                return invoke_method(obj, name, args, rt)
            overload = overloads.choose(found, args, name)
            plan = cache[key] = (overload, overloads.direct_plan(overload, args))
        overload, direct = plan
        if direct is not None:
            # The arguments' types need no conversion and the result none: straight to the implementation.
            try:
                result = overload.impl(obj, rt, *args, *direct)
            except ClrException as error:
                raise terminating(MethodInvocationException(
                    f'Exception calling "{overload.name}" with "{len(args)}" argument(s): "{error.message}"', error,
                    error_id=type(error).__clr_type__.name)) from None
            return VOID if overload.returns is None else result
        return call(overload, obj, args, overload.name, rt, static=False)
    return invoke


def invoke_method(obj, name: str, args: list, rt):
    if obj is None:
        raise null_method_call()
    if isinstance(obj, PSBase):
        obj = obj.target
    clr = type_of(obj)
    found = _find_methods(clr, name, False, rt) if clr is not None else []
    if not found and intrinsic_methods.is_intrinsic(name, _version(rt)):
        return intrinsic_methods.invoke(obj, name, args, rt)  # 4.0+: .Where() / .ForEach() on everything
    if not found and _version(rt) >= (3, 0) and enumeration.is_enumerable(obj) and clr is not None and \
            name.lower() not in ("gettype", "tostring", "equals", "gethashcode"):
        # 3.0+ member enumeration: a method the collection lacks is called on each element.
        results = []
        for item in enumeration.iterate(obj):
            result = invoke_method(item, name, args, rt)
            if result is not VOID:
                results.append(result)
        return enumeration.new_array(results) if len(results) != 1 else results[0]
    if not found:
        return _universal_method(obj, clr, name, args, rt)
    overload = overloads.choose(found, args, name)
    return call(overload, obj, args, found[0].name, rt, static=False)


def _universal_method(obj, clr: ClrType | None, name: str, args: list, rt):
    """Members every object has through System.Object, and the PowerShell-added ones."""
    lower = name.lower()
    if lower == "gettype" and not args:
        return type_object_of(obj)
    if lower == "tostring" and not args:
        return conversions.to_string(obj, rt) if not enumeration.is_enumerable(obj) else full_name_of(obj)
    if lower == "equals" and len(args) == 1:
        return obj == args[0]
    if lower == "gethashcode" and not args:
        return hash(obj) & 0x7FFFFFFF
    if lower.startswith(("get_", "set_")) and clr is not None:
        # Property accessors are methods too: $h.get_Count() reads the property behind a shadowing key.
        prop = clr.find_property(name[4:], static=False)
        if prop is not None and lower.startswith("get_") and not args and prop.getter is not None:
            return _get_property(prop, obj, rt)
        if prop is not None and lower.startswith("set_") and len(args) == 1 and prop.setter is not None:
            _set_property(prop, obj, args[0], rt, static=False)
            return VOID
    adapted = getattr(obj, "ps_invoke_method", None)
    if adapted is not None:
        found, value = adapted(name, args)
        if found:
            return value
    shown = full_name_of(obj) if isinstance(obj, (values.ClrArray, values.ByteArray)) or clr is None \
        else clr.full_name
    raise method_not_found(shown, name, _version(rt))


# Static members and indexing live in their own modules; callers reach them through the binder.
from winsim.powershell.automation import intrinsic_methods  # noqa: E402
from winsim.powershell.semantics.indexing import get_index, set_index  # noqa: E402
from winsim.powershell.semantics.statics import (  # noqa: E402
    construct,
    get_static,
    invoke_static,
    set_static,
    static_site,
)

__all__ = ["VOID", "PSBase", "call", "construct", "get_index", "get_member", "get_static", "invoke_method",
           "invoke_static", "member_set_site", "member_site", "method_site", "set_index", "set_member", "set_static",
           "static_site"]
