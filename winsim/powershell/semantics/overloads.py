"""Choosing a .NET overload for PowerShell arguments and converting the arguments to it.

PowerShell ranks each candidate by the cost of converting every argument to its parameter type (exact
type, then assignable, then numeric widening, then other language conversions) and calls the cheapest
(SPEC ch03 §3.7; ABOUT Type_Conversion#Best practices for parameter binding)."""

from __future__ import annotations

import decimal

from winsim.powershell.automation.errors import MethodException, PSError, terminating
from winsim.powershell.automation.references import PSReference
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.typesystem import Overload, Ref
from winsim.powershell.semantics import conversions
from winsim.powershell.semantics.types import TypeObject, full_name_of, resolve

IMPOSSIBLE = 10_000
_NUMERIC_ORDER = ["System.SByte", "System.Byte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
                  "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal"]
_VALUE_TYPES = set(_NUMERIC_ORDER) | {"System.Boolean", "System.Char", "System.DateTime", "System.TimeSpan",
                                      "System.Guid"}


def _param_type(name: str) -> TypeObject | None:
    return resolve(name)


def argument_cost(arg, param_type: str) -> int:
    if param_type == "System.Object":
        return 1
    if arg is None:
        return 8 if param_type in _VALUE_TYPES else 0
    source = full_name_of(arg)
    if source == param_type:
        return 0
    if isinstance(arg, EnumValue) and param_type == "System.Enum":
        return 1
    if source in _NUMERIC_ORDER and param_type in _NUMERIC_ORDER:
        distance = _NUMERIC_ORDER.index(param_type) - _NUMERIC_ORDER.index(source)
        return 2 + distance if distance > 0 else 20 - distance
    target = _param_type(param_type)
    if target is None:
        return IMPOSSIBLE
    if conversions.is_instance(arg, target):
        return 1
    if param_type == "System.String":
        return 40 if not isinstance(arg, values.Char) else 3
    if isinstance(arg, str) and target.clr is not None and target.clr.enum is not None:
        return 5
    if param_type in _NUMERIC_ORDER and isinstance(arg, (str, bool, values.Char, EnumValue)):
        return 30
    if param_type == "System.Boolean":
        return 30
    if target.element is not None:
        return 12 if not isinstance(arg, str) else 35
    if isinstance(arg, str) and target.clr is not None and (
            any(len(o.params) == 1 for o in target.clr.find_methods("Parse", static=True))
            or any(len(c.params) == 1 and c.params[0].type == "System.String" for c in target.clr.constructors)):
        return 25
    return IMPOSSIBLE


def _fits(overload: Overload, count: int) -> bool:
    params = overload.params
    if params and params[-1].params_array:
        return count >= len(params) - 1
    return count == len(params)


def _costs(overload: Overload, args: list) -> int:
    total = 0
    params = overload.params
    for index, arg in enumerate(args):
        param = params[min(index, len(params) - 1)]
        if param.by_ref:
            if not isinstance(arg, PSReference):
                return IMPOSSIBLE
            continue
        param_type = param.type[:-2] if param.params_array and not (
            index == len(params) - 1 and len(args) == len(params) and _is_array(arg)) else param.type
        cost = argument_cost(arg, param_type)
        if cost >= IMPOSSIBLE:
            return IMPOSSIBLE
        total += cost
    if params and params[-1].params_array and len(args) != len(params):
        total += 1
    return total


def _is_array(arg) -> bool:
    return isinstance(arg, (values.ClrArray, values.ByteArray))


_chosen: dict[tuple, Overload] = {}


def _key(arg) -> str:
    if isinstance(arg, EnumValue):
        return arg.type_name
    return "null" if arg is None else full_name_of(arg)


def choose(overloads: list[Overload], args: list, method_name: str) -> Overload:
    """The cheapest overload for these arguments; costs depend only on the arguments' types, so the choice
    is remembered per overload set and argument types."""
    key = (tuple(map(id, overloads)), tuple(_key(a) for a in args))
    found = _chosen.get(key)
    if found is None:
        found = _choose(overloads, args, method_name)
        _chosen[key] = found
    return found


def _choose(overloads: list[Overload], args: list, method_name: str) -> Overload:
    fitting = [o for o in overloads if _fits(o, len(args))]
    if not fitting:
        from winsim.powershell.automation.errors import no_overload
        raise no_overload(method_name, len(args))
    if len(fitting) == 1:
        return fitting[0]
    best, best_cost, tied = None, IMPOSSIBLE, []
    for overload in fitting:
        cost = _costs(overload, args)
        if cost < best_cost:
            best, best_cost, tied = overload, cost, []
        elif cost == best_cost and cost < IMPOSSIBLE:
            tied.append(overload)
    if best is not None and any(_differ_only_at_nulls(best, other, args) for other in tied):
        # lang-spec §3.7.4: the parameter-type tie-break is skipped for a $null argument, so overloads that
        # differ only where $null is passed stay tied ([Math]::Round($null): Double or Decimal).
        from winsim.powershell.automation.errors import ambiguous_overload
        raise ambiguous_overload(method_name, len(args))
    return best if best is not None else fitting[0]


def _differ_only_at_nulls(one: Overload, other: Overload, args: list) -> bool:
    if len(one.params) != len(other.params) or len(args) != len(one.params):
        return False
    differing = [i for i, (a, b) in enumerate(zip(one.params, other.params, strict=True)) if a.type != b.type]
    return bool(differing) and all(args[i] is None for i in differing)


_simple: dict[int, bool] = {}


def convert_arguments(overload: Overload, args: list, method_name: str, rt) -> tuple[list, list]:
    """The arguments converted to the overload's parameter types, and the (Ref, PSReference) pairs to write
    back after the call."""
    params = overload.params
    simple = _simple.get(id(overload))
    if simple is None:
        simple = _simple[id(overload)] = not any(p.by_ref or p.params_array for p in params)
    if simple:
        if not params:
            return args, ()
        converted = []
        for index, param in enumerate(params):
            arg = args[index]
            kind = param.type
            converted.append(arg if kind == "System.Object" or type(arg) is _EXACT.get(kind)
                             else _convert_one(arg, kind, index, method_name, rt))
        return converted, ()
    converted, write_back = [], []
    fixed = len(params) - 1 if params and params[-1].params_array else len(params)
    for index in range(fixed):
        param, arg = params[index], args[index]
        if param.by_ref:
            if not isinstance(arg, PSReference):
                raise terminating(MethodException(
                    f'Argument: \'{index + 1}\' should be a System.Management.Automation.PSReference. Use [ref].',
                    error_id="NonRefArgumentToRefParameterMsg", category="NotSpecified"))
            cell = Ref(arg.get())
            converted.append(cell)
            write_back.append((cell, arg))
            continue
        converted.append(_convert_one(arg, param.type, index, method_name, rt))
    if fixed < len(params):
        rest = args[fixed:]
        array_type = params[-1].type
        if len(rest) == 1 and (_is_array(rest[0]) or rest[0] is None or (
                isinstance(rest[0], str) and array_type == "System.Char[]")):
            converted.append(_convert_one(rest[0], array_type, fixed, method_name, rt))
        else:
            converted.append(_convert_one(values.ClrArray(rest, "System.Object"), array_type, fixed, method_name, rt))
    return converted, write_back


_EXACT = {"System.String": str, "System.Int32": int, "System.Boolean": bool, "System.Double": float,
          "System.Char": values.Char, **values.INTEGER_TYPES}


_UNCHANGED: set[tuple[str, type]] = set()   # (parameter type, argument type) pairs that convert to themselves
_PLAIN_RESULTS = {None, "System.String", "System.Boolean", "System.Object", "System.Char", "System.Int32"}


def _plain_result(returns: str | None) -> bool:
    """Whether coerce_result leaves a result of this declared type as the implementation gave it."""
    return returns in _PLAIN_RESULTS or not (
        returns in values.INTEGER_TYPES or returns in ("System.Double", "System.Decimal") or returns.endswith("[]"))


_EMPTY_ARRAYS: dict[str, values.ClrArray] = {}


def direct_plan(overload: Overload, args: list) -> tuple | None:
    """How arguments of these types reach the overload with no conversion, or None when they need one (or the
    result needs coercion). The plan is the arguments to add after them: none, or an empty params array
    (`$s.TrimEnd()`). The types are what a call site's cache keys on, so the answer
    holds for the site's later calls."""
    params = overload.params
    if not _plain_result(overload.returns):
        return None
    tail: tuple = ()
    if params and params[-1].params_array and len(args) == len(params) - 1:
        # One shared empty array per element type: an empty .NET array has nothing a method could change.
        element = params[-1].type[:-2]
        tail = (_EMPTY_ARRAYS.setdefault(element, values.ClrArray((), element)),)
        params = params[:-1]
    if len(params) != len(args):
        return None
    for param, arg in zip(params, args, strict=True):
        kind = param.type
        if type(arg) is values.ClrArray and not param.by_ref and kind == arg.element_type + "[]":
            continue  # an array of the parameter's own type goes as it is (the method sees the same array)
        if param.by_ref or param.params_array or isinstance(arg, (list, bytearray, EnumValue)) or arg is None:
            return None
        if not (kind == "System.Object" or type(arg) is _EXACT.get(kind) or (kind, type(arg)) in _UNCHANGED):
            return None
    return tail


def _convert_one(arg, type_name: str, index: int, method_name: str, rt):
    if type_name == "System.Object" or type(arg) is _EXACT.get(type_name) or (type_name, type(arg)) in _UNCHANGED:
        return arg
    if arg is None and type_name == "System.String":
        return ""  # $null passed to a [string] .NET parameter arrives as "" (semantics reference §3.16)
    target = _param_type(type_name)
    if target is None:
        return arg
    try:
        converted = conversions.convert(arg, target, rt)
        if converted is arg and arg is not None and not isinstance(arg, (list, bytearray, EnumValue)):
            _UNCHANGED.add((type_name, type(arg)))
        return converted
    except PSError as error:
        message = (f'Cannot convert argument "{index}", with value: "{conversions.to_string(arg)}", for '
                   f'"{method_name}" to type "{type_name}": "{error.record.message}"')
        raise terminating(MethodException(message, error_id="MethodArgumentConversionInvalidCastArgument",
                                          category="NotSpecified")) from None


def coerce_result(result, returns: str | None):
    """A member's result as its declared .NET type (Python ints become Int64 for `long`, lists arrays)."""
    if returns is None or result is None:
        return None if returns is None else result
    cls = values.INTEGER_TYPES.get(returns)
    if cls is not None:
        return result if type(result) is cls else cls(int(result))
    if returns == "System.Int32" and type(result) is not int and isinstance(result, int) and \
            not isinstance(result, bool):
        return int(result)
    if returns == "System.Double" and isinstance(result, int) and not isinstance(result, bool):
        return float(result)
    if returns == "System.Decimal" and not isinstance(result, decimal.Decimal):
        return decimal.Decimal(result)
    if returns.endswith("[]") and type(result) is list:
        element = returns[:-2]
        if element == "System.Byte":
            return values.ByteArray(result)
        return values.ClrArray(result, element)
    return result
