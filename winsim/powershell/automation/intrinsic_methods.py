"""The Where() and ForEach() methods PowerShell 4.0 added to every object and collection (about_Arrays: Methods
of arrays): they run a script block, or read a member, for each element with $_ set, like the cmdlets but
without a pipeline."""

from __future__ import annotations

from winsim.powershell.automation import errors
from winsim.powershell.automation.scriptblock import ScriptBlock
from winsim.powershell.semantics import conversions, enumeration

_WHERE_MODES = ("default", "first", "last", "skipuntil", "until", "split")


def is_intrinsic(name: str, version) -> bool:
    return version >= (4, 0) and name.lower() in ("where", "foreach")


def invoke(obj, name: str, args: list, rt):
    items = list(enumeration.iterate(obj)) if enumeration.is_enumerable(obj) else ([] if obj is None else [obj])
    frame = rt.session.current_frame()
    variables = frame.scope.variables
    had, saved = "_" in variables, variables.get("_")
    try:
        if name.lower() == "where":
            return enumeration.new_array(_where(frame, items, args))
        return enumeration.new_array(_for_each(frame, items, args, rt))
    finally:
        if had:
            variables["_"] = saved
        else:
            variables.pop("_", None)


def _block_result(frame, block, item) -> list:
    from winsim.powershell.automation.cmdlets import _run_block
    return list(_run_block(frame, block, item))


def _where(frame, items: list, args: list) -> list:
    from winsim.powershell.language.expressions import capture
    if not args or len(args) > 3 or not isinstance(args[0], ScriptBlock):
        raise _bad_arguments("Where", len(args))
    mode = conversions.to_string(args[1]).lower() if len(args) > 1 else "default"
    if mode not in _WHERE_MODES:
        raise _bad_arguments("Where", len(args))
    count = conversions.to_integer(args[2]) if len(args) > 2 else 0
    version = frame.session.version

    def matches(item) -> bool:
        return conversions.is_true(capture(_block_result(frame, args[0], item)), version)

    if mode in ("default", "first"):
        limit = 1 if mode == "first" and count == 0 else count
        found = []
        for item in items:
            if matches(item):
                found.append(item)
                if limit and len(found) == limit:
                    break
        return found
    if mode == "last":
        found = [item for item in items if matches(item)]
        return found[-(count or 1):]
    if mode in ("skipuntil", "until"):
        at = next((i for i, item in enumerate(items) if matches(item)), len(items))
        chosen = items[at:] if mode == "skipuntil" else items[:at]
        return chosen[:count] if count else chosen
    # split: the matching elements, then the rest, as two collections
    hits, rest = [], []
    for item in items:
        (hits if matches(item) and (not count or len(hits) < count) else rest).append(item)
    return [enumeration.new_array(hits), enumeration.new_array(rest)]


def _for_each(frame, items: list, args: list, rt) -> list:
    from winsim.powershell.semantics import binder
    from winsim.powershell.semantics.types import TypeObject
    if not args:
        raise _bad_arguments("ForEach", 0)
    first, rest = args[0], args[1:]
    out: list = []
    if isinstance(first, ScriptBlock):
        for item in items:
            out.extend(_block_result(frame, first, item))
        return out
    if isinstance(first, TypeObject):
        return [conversions.convert(item, first, rt) for item in items]
    name = conversions.to_string(first)
    for item in items:
        clr = binder.type_of(item)
        if rest or (clr is not None and clr.find_methods(name, static=False)):
            result = binder.invoke_method(item, name, list(rest), rt)
            if result is not binder.VOID:
                out.extend(enumeration.items_of(result))
        else:
            out.extend(enumeration.items_of(binder.get_member(item, name, rt)))
    return out


def _bad_arguments(name: str, count: int) -> errors.PSError:
    return errors.no_overload(name, count)
