"""Script blocks, functions and their invocation (SPEC ch08 §8.10, ABOUT Functions, ABOUT Scopes).

A ScriptDefinition is compiled once; a ScriptBlock value pairs it with nothing more (PowerShell 2.0 has no
closures: a block runs in a new scope under its *caller*). Invocation binds arguments to `param` (named,
with unambiguous prefixes; -Name:value; switches; then positional), the rest go to $args; typed parameters
convert; unbound ones take their default (evaluated in the new scope) or $null; [switch] ones $false."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from winsim.powershell.automation import errors
from winsim.powershell.automation.signals import BreakSignal, ContinueSignal, ExitSignal, ReturnSignal
from winsim.powershell.automation.switches import SwitchParameter
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.typesystem import clr_type, method
from winsim.powershell.semantics import conversions, enumeration
from winsim.powershell.semantics.scopes import Frame, Scope

SWITCH = "System.Management.Automation.SwitchParameter"


@dataclass
class ParamDef:
    name: str                     # as declared
    type_fn: Any = None           # closure(frame) -> TypeObject, or None (untyped)
    type_name: str = ""           # lower-case text of the type, for [switch] detection
    default: Any = None           # closure(frame) -> value, or None
    mandatory: bool = False
    key: str = ""                 # the lower-case name variables are stored under
    is_switch: bool = False
    unchanged_type: type | None = None   # a Python type whose values the conversion returns as they are

    def __post_init__(self) -> None:
        self.key = self.name.lower()

    def typed(self, type_name: str, type_fn) -> None:
        self.type_name, self.type_fn = type_name, type_fn
        self.is_switch = type_name in ("switch", "system.management.automation.switchparameter")


@dataclass
class ScriptDefinition:
    params: list[ParamDef]
    begin: Any = None             # run(frame, out) closures
    process: Any = None
    end: Any = None
    is_filter: bool = False
    text: str = ""
    line: int = 0
    has_param_block: bool = field(default=False)
    param_index: dict | None = None  # parameters by lower-case name, made at the first call (compiling is over)
    advanced: bool = False        # [CmdletBinding()]: arguments without a parameter are binding errors


@dataclass(slots=True)
class Argument:
    """One element of a command's arguments: a value, or a -Name parameter (with a value when -Name:value)."""
    value: Any = None
    name: str | None = None
    has_value: bool = True        # False for a bare -Name (its value, if any, is the next argument)
    spread: bool = False          # an array literal argument (`f 1,2`) is one value; kept for clarity


@clr_type("System.Management.Automation.ScriptBlock")
class ScriptBlock:
    __slots__ = ("closure", "defined_in", "definition")

    def __init__(self, definition: ScriptDefinition, defined_in: Scope | None = None) -> None:
        self.definition = definition
        self.defined_in = defined_in
        self.closure: dict | None = None   # GetNewClosure(): the variables captured when it was made

    @method("GetNewClosure", returns="System.Management.Automation.ScriptBlock")
    def get_new_closure(self, rt):
        """A copy bound to the variables of the scope that asks (they shadow the caller's when it runs)."""
        bound = ScriptBlock(self.definition, self.defined_in)
        bound.closure = dict(rt.session.current_frame().scope.variables)
        return bound

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.definition.text

    @method("Create", "string", returns="System.Management.Automation.ScriptBlock", static=True)
    @staticmethod
    def create(rt, text):
        from winsim.powershell.engine import check_version, compile_script_block
        try:
            definition = compile_script_block(text)
        except errors.PSError as error:
            raise errors.worded_for(error, getattr(rt, "ps_version", (2, 0))) from None
        check_version(definition, getattr(rt, "ps_version", (2, 0)))
        return ScriptBlock(definition)

    @method("Invoke", "params object[]", returns="System.Collections.ObjectModel.Collection`1")
    def invoke(self, rt, args):
        session = rt.session
        out = invoke(session.current_frame(), self.definition, [Argument(a) for a in args], None)
        return enumeration.new_array(out)

    @method("InvokeReturnAsIs", "params object[]", returns="object")
    def invoke_return_as_is(self, rt, args):
        from winsim.powershell.language.expressions import capture
        return capture(invoke(rt.session.current_frame(), self.definition, [Argument(a) for a in args], None))


@dataclass
class FunctionInfo:
    name: str
    definition: ScriptDefinition


def invoke(caller: Frame, definition: ScriptDefinition, arguments: list[Argument], pipeline_input,
           *, dot: bool = False) -> list:
    """Runs a function or script block; returns everything it wrote to the output."""
    items = list(pipeline_input) if pipeline_input is not None else None
    frame = Frame(caller.scope if dot else Scope(caller.scope), caller.session,
                  iter(items) if items is not None else None, caller.rt)
    session = frame.session
    session.frames.append(frame)
    out: list = []
    try:
        bind(frame, definition, arguments)
        if definition.begin is None and definition.process is None:
            if definition.end is not None:
                try:  # noqa: SIM105 - contextlib.suppress costs an object per call on this hot path
                    definition.end(frame, out)
                except ReturnSignal:
                    pass
            return out
        try:
            # $input: nothing yet in begin, the current object in process, what is left in end.
            frame.input = iter(())
            if definition.begin is not None:
                definition.begin(frame, out)
            process = definition.process
            if process is not None:
                # Outside a pipeline the process block runs once.
                for item in (items if items is not None else [None]):
                    frame.scope.variables["_"] = item
                    frame.input = iter((item,))
                    with contextlib.suppress(ReturnSignal):
                        process(frame, out)
            if definition.end is not None:
                frame.input = iter(items) if items is not None and process is None else iter(())
                definition.end(frame, out)
        except ReturnSignal:
            pass
    except (errors.PSError, ExitSignal, BreakSignal, ContinueSignal) as unwinding:
        # PowerShell streams output: what the function wrote before the error or exit was already written.
        unwinding.partial[:0] = out
        raise
    finally:
        session.frames.pop()
    return out


def _find_param(definition: ScriptDefinition, name: str) -> ParamDef | None:
    lower = name.lower()
    for param in definition.params:
        if param.key == lower:
            return param
    prefixed = [p for p in definition.params if p.name.lower().startswith(lower)]
    if len(prefixed) > 1:
        names = ", ".join(p.name for p in prefixed)
        raise errors.terminating(errors.ParameterBindingException(
            f"Parameter cannot be processed because the parameter name '{name}' is ambiguous. Possible matches "
            f"include: {names}.", error_id="AmbiguousParameter"))
    return prefixed[0] if prefixed else None


def bind(frame: Frame, definition: ScriptDefinition, arguments: list[Argument]) -> None:
    variables = frame.scope.variables
    bound: dict[str, Any] = {}
    positional: list = []
    unbound: list = []
    index = 0
    count = len(arguments)
    by_name = definition.param_index
    if by_name is None:
        by_name = definition.param_index = {p.key: p for p in definition.params}
    while index < count:
        argument = arguments[index]
        index += 1
        if argument.name is None:
            positional.append((index, argument.value))  # with its place: $args keeps the written order
            continue
        param = by_name.get(argument.name.lower()) or _find_param(definition, argument.name)
        if param is None and definition.advanced:
            raise errors.terminating(errors.ParameterBindingException(
                f"A parameter cannot be found that matches parameter name '{argument.name}'.",
                error_id="NamedParameterNotFound"))
        if param is None:
            # A simple function passes an unknown -Name (and the value after it) on to $args.
            unbound.append((index, "-" + argument.name + (":" if argument.has_value else "")))
            if argument.has_value:
                unbound.append((index + 0.5, argument.value))
            elif index < len(arguments) and arguments[index].name is None:
                unbound.append((index + 1, arguments[index].value))
                index += 1
            continue
        if param.key in bound:
            raise errors.terminating(errors.ParameterBindingException(
                f"Cannot bind parameter because parameter '{param.name}' is specified more than once. To provide "
                "multiple values to parameters that can accept multiple values, use the array syntax. For "
                "example, \"-parameter value1,value2,value3\".", error_id="ParameterAlreadyBound"))
        if argument.has_value:
            value = argument.value
        elif param.is_switch:
            value = True
        elif index < len(arguments) and arguments[index].name is None:
            value = arguments[index].value
            index += 1
        else:
            raise errors.terminating(errors.ParameterBindingException(
                f"Missing an argument for parameter '{param.name}'. Specify a parameter of type "
                f"'{_type_display(param)}' and try again.", error_id="MissingArgument"))
        bound[param.key] = (param, value)
    leftover: list = []
    if positional:
        rest = iter(positional)
        for param in definition.params:
            if param.key in bound or param.is_switch:
                continue
            try:
                bound[param.key] = (param, next(rest)[1])
            except StopIteration:
                break
        leftover.extend(rest)
    if leftover and definition.advanced:
        raise errors.terminating(errors.ParameterBindingException(
            "A positional parameter cannot be found that accepts argument "
            f"'{conversions.to_string(leftover[0][1])}'.", error_id="PositionalParameterNotFound"))
    if unbound:
        leftover = sorted(unbound + leftover, key=lambda placed: placed[0])
    frame.bound = bound
    for param in definition.params:
        key = param.key
        entry = bound.get(key)
        if entry is not None:
            value = entry[1]
            if param.type_fn is not None and type(value) is not param.unchanged_type:
                value = _convert(frame, param, value)
            variables[key] = value
        elif param.is_switch:
            variables[key] = SwitchParameter(False)
        elif param.default is not None:
            variables[key] = _convert(frame, param, param.default(frame))
        else:
            variables[key] = _convert(frame, param, None) if param.type_fn is not None and _is_value_type(
                frame, param) else None
    variables["args"] = enumeration.new_array([value for _, value in leftover]) if leftover else _NO_ARGS


_NO_ARGS = values.ClrArray((), "System.Object")  # shared: an empty array can never change


def _is_value_type(frame, param: ParamDef) -> bool:
    target = param.type_fn(frame)
    return target.full_name in ("System.String", "System.Int32", "System.Int64", "System.Boolean", "System.Double",
                                "System.Byte", "System.Char", "System.Decimal", "System.Single", "System.Int16",
                                "System.UInt16", "System.UInt32", "System.UInt64")


def _type_display(param: ParamDef) -> str:
    return "System.Object" if not param.type_name else param.type_name


def _convert(frame: Frame, param: ParamDef, value):
    if param.type_fn is None or type(value) is param.unchanged_type:
        return value
    target = param.type_fn(frame)
    if param.is_switch:
        return SwitchParameter(conversions.is_true(value))
    try:
        converted = conversions.convert(value, target, frame.rt)
        if converted is value and value is not None and not isinstance(value, (list, bytearray, EnumValue)):
            param.unchanged_type = type(value)  # values of this type bind as they are: skip the conversion
        return converted
    except errors.PSError as error:
        message = (f"Cannot process argument transformation on parameter '{param.name}'. "
                   f"{error.record.message}")
        raise errors.terminating(errors.ParameterBindingException(
            message, error_id="ParameterArgumentTransformationError", category="InvalidData")) from None
