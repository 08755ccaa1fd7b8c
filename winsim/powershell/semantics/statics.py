"""Static members (`[T]::Name`, `[T]::M()`, `[T]::new()` on 5.0+) and constructors (New-Object)."""

from __future__ import annotations

from winsim.powershell.automation.errors import (
    GetValueInvocationException,
    method_not_found,
    property_not_found,
    runtime_error,
    terminating,
)
from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.semantics import conversions, overloads
from winsim.powershell.semantics.binder import (
    _available,
    _find_methods,
    _set_property,
    _type_key,
    _version,
    call,
)
from winsim.powershell.semantics.types import TypeObject


def static_site(name: str):
    """A call site `[T]::Name(...)`, remembering its overload per type and argument types."""
    cache: dict = {}

    def invoke(type_obj: TypeObject, args: list, rt):
        key = (type_obj.full_name, rt.clr_version, *map(_type_key, args))
        overload = cache.get(key)
        if overload is None:
            clr = type_obj.clr
            found = _find_methods(clr, name, True, rt) if clr is not None else []
            if not found or (name.lower() == "new" and getattr(rt, "ps_version", (2, 0)) >= (5, 0)):
                return invoke_static(type_obj, name, args, rt)
            overload = cache[key] = overloads.choose(found, args, name)
        return call(overload, None, args, overload.name, rt, static=True)
    return invoke


def get_static(type_obj: TypeObject, name: str, rt):
    clr = type_obj.clr
    if clr is None:
        return None
    for declaring in clr.lineage():
        prop = declaring.properties.get(name.lower())
        if prop is not None and prop.static and prop.getter is not None and _available(prop.getter, rt):
            try:
                return overloads.coerce_result(prop.getter(rt), prop.type)
            except ClrException as error:
                raise terminating(GetValueInvocationException(
                    f'Exception getting "{prop.name}": "{error.message}"', error)) from None
        for field_name, value in declaring.fields.items():
            if field_name.lower() == name.lower():
                return value
    return None


def set_static(type_obj: TypeObject, name: str, value, rt) -> None:
    clr = type_obj.clr
    prop = clr.find_property(name, static=True) if clr else None
    if prop is None or prop.setter is None:
        raise property_not_found(name)
    _set_property(prop, None, value, rt, static=True)


def invoke_static(type_obj: TypeObject, name: str, args: list, rt):
    clr = type_obj.clr
    if name.lower() == "new" and _version(rt) >= (5, 0):
        return construct(type_obj, args, rt)
    found = _find_methods(clr, name, True, rt) if clr is not None else []
    if not found:
        if clr is not None and name.lower() in ("equals", "referenceequals") and len(args) == 2:
            return args[0] == args[1] if name.lower() == "equals" else args[0] is args[1]
        raise method_not_found(type_obj.full_name, name, _version(rt))
    overload = overloads.choose(found, args, name)
    return call(overload, None, args, found[0].name, rt, static=True)


def construct(type_obj: TypeObject, args: list, rt):
    if type_obj.element is not None:
        return _new_array(type_obj, args)
    clr = type_obj.clr
    if clr is None or not clr.constructors:
        raise runtime_error(f"A constructor was not found. Cannot find an appropriate constructor for type "
                            f"{type_obj.full_name}.", "CannotFindAppropriateCtor", "ObjectNotFound")
    constructors = [c for c in clr.constructors if _available(c.impl, rt)]
    overload = overloads.choose(constructors, args, type_obj.full_name.rsplit(".", 1)[-1])
    return call(overload, None, args, ".ctor", rt, static=True)


def _new_array(type_obj: TypeObject, args: list):
    """`New-Object 'int[]' 10`: an array of that length holding the element type's default value."""
    if len(args) != 1:
        from winsim.powershell.automation.errors import no_overload
        raise no_overload(type_obj.full_name.rsplit(".", 1)[-1], len(args))
    length = conversions.to_integer(args[0])
    element = type_obj.element
    if element.full_name == "System.Byte":
        return values.ByteArray(length)
    default = None
    if (element.clr is not None and element.clr.value_type) or element.full_name in _ZERO:
        default = _ZERO.get(element.full_name) if element.full_name in _ZERO else conversions.convert(None, element)
    return values.ClrArray([default] * length, element.full_name)


_ZERO = {"System.Int32": 0, "System.Int64": values.Int64(0), "System.Double": 0.0, "System.Boolean": False,
         "System.Char": values.Char("\0")}


