"""The cmdlets of Windows PowerShell 2.0 the interpreter models, with their documented parameters
(CMD Microsoft.PowerShell.Core / Utility topics). Each takes (frame, bound parameters, pipeline input)
and returns its output objects."""

from __future__ import annotations

import contextlib
import itertools
import time

from winsim.powershell.automation import errors
from winsim.powershell.automation.scriptblock import Argument, ScriptBlock
from winsim.powershell.automation.signals import NotModelled, ReturnSignal
from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.semantics import binder, conversions, enumeration
from winsim.powershell.semantics.types import resolve

COMMON = {"erroraction": "value", "warningaction": "value", "verbose": "switch", "debug": "switch",
          "errorvariable": "value", "warningvariable": "value", "outvariable": "value", "outbuffer": "value"}


class Cmdlet:
    def __init__(self, name: str, run, params: dict[str, str], positional: tuple[str, ...] = (),
                 remaining: str | None = None, since: dict[str, tuple[int, int]] | None = None) -> None:
        self.name = name
        self.run = run
        self.params = {**params, **COMMON}
        self.positional = positional
        self.remaining = remaining        # the parameter that also takes any surplus positional arguments
        self.since = since or {}          # parameters newer than 2.0, by the version that added them

    version: tuple[int, int] = (2, 0)

    def bind(self, arguments: list[Argument]) -> dict:
        bound: dict = {}
        rest = []
        index = 0
        while index < len(arguments):
            argument = arguments[index]
            index += 1
            if argument.name is None:
                rest.append(argument.value)
                continue
            lower = argument.name.lower()
            known = [p for p in self.params if self.since.get(p, (2, 0)) <= self.version]
            matches = [p for p in known if p == lower] or [p for p in known if p.startswith(lower)]
            if lower == "ea":
                matches = ["erroraction"]
            if len(matches) != 1:
                raise errors.terminating(errors.ParameterBindingException(
                    f"A parameter cannot be found that matches parameter name '{argument.name}'." if not matches
                    else f"Parameter cannot be processed because the parameter name '{argument.name}' is ambiguous.",
                    error_id="NamedParameterNotFound," + self.name))
            name = matches[0]
            if argument.has_value:
                bound[name] = argument.value
            elif self.params[name] == "switch":
                bound[name] = True
            elif index < len(arguments) and arguments[index].name is None:
                bound[name] = arguments[index].value
                index += 1
            else:
                raise errors.terminating(errors.ParameterBindingException(
                    f"Missing an argument for parameter '{argument.name}'. Specify a parameter of type "
                    f"'System.Object' and try again.", error_id="MissingArgument," + self.name))
        if "erroraction" in bound:
            _check_action(bound["erroraction"], frame_version=self.version)
        free = [p for p in self.positional if p not in bound]
        if len(rest) > len(free) and self.remaining and self.remaining in free:
            bound["__remaining__"] = rest[len(free):]
            rest = rest[:len(free)]
        if len(rest) > len(free):
            raise errors.terminating(errors.ParameterBindingException(
                "A positional parameter cannot be found that accepts argument "
                f"'{conversions.to_string(rest[len(free)])}'.",
                error_id="PositionalParameterNotFound," + self.name))
        for name, value in zip(free, rest, strict=False):
            bound[name] = value
        return bound


_ACTIONS = ("SilentlyContinue", "Stop", "Continue", "Inquire")


def _check_action(value, frame_version) -> None:
    """-ErrorAction takes an ActionPreference: Ignore (and Suspend) exist from 3.0 only."""
    names = _ACTIONS + (("Ignore", "Suspend") if frame_version >= (3, 0) else ())
    text = conversions.to_string(value)
    if text.lower() not in (n.lower() for n in names):
        listed = ", ".join(f'"{n}"' for n in names)
        raise errors.terminating(errors.ParameterBindingException(
            f"Cannot bind parameter 'ErrorAction'. Cannot convert value \"{text}\" to type "
            '"System.Management.Automation.ActionPreference" due to invalid enumeration values. Specify one of the '
            f"following enumeration values and try again. The possible enumeration values are {listed}.",
            error_id="CannotConvertArgumentNoMessage"))


def _items(value) -> list:
    return list(enumeration.items_of(value)) if value is not None else []


def write_output(frame, bound, items):
    if "inputobject" in bound:
        value = bound["inputobject"]
        if bound.get("noenumerate"):
            return [value]
        out = list(enumeration.items_of(value))
        # -InputObject takes the remaining arguments too (ValueFromRemainingArguments): `echo hello world`.
        for extra in bound.get("__remaining__", ()):
            out.extend(enumeration.items_of(extra))
        return out
    return list(items or [])


def out_null(frame, bound, items):
    return []


def write_host(frame, bound, items):
    value = bound.get("object", "")
    text = " ".join(conversions.to_string(i) for i in enumeration.items_of(value)) \
        if enumeration.is_enumerable(value) else conversions.to_string(value)
    frame.session.host_output.append(text + ("" if bound.get("nonewline") else "\n"))
    return []


def write_error(frame, bound, items):
    session = frame.session
    if "errorrecord" in bound:
        record = bound["errorrecord"]
    else:
        exception = bound.get("exception")
        message = conversions.to_string(bound.get("message")) if "message" in bound else None
        if exception is None:
            exception = errors.WriteErrorException(message or "")
        record = errors.ErrorRecord(exception, conversions.to_string(bound.get("errorid")) or
                                    "Microsoft.PowerShell.Commands.WriteErrorException",
                                    conversions.to_string(bound.get("category")) or "NotSpecified",
                                    bound.get("targetobject"))
    action = conversions.to_string(bound.get("erroraction") or frame.scope.lookup("erroractionpreference")
                                   or "Continue").lower()
    if action == "stop":
        if session.version < (3, 0):
            stop = errors.ActionPreferenceStopException(
                'Command execution stopped because the preference variable "ErrorActionPreference" or common '
                f"parameter is set to Stop: {record.message}", error_id=record.error_id)
            raise_error = errors.terminating(stop)
        else:
            raise_error = errors.PSError(record)
        raise_error.fatal = True
        raise raise_error
    session.write_error(frame, record, action)
    return []


def write_stream(stream: str):
    def write(frame, bound, items):
        message = conversions.to_string(bound.get("message"))
        frame.session.streams.setdefault(stream, []).append(message)
        return []
    return write


def new_object(frame, bound, items):
    type_name = conversions.to_string(bound.get("typename"))
    if "comobject" in bound:
        raise NotModelled("New-Object -ComObject")
    target = resolve(type_name, frame.session.version)
    if target is None:
        raise errors.terminating(errors.RuntimeException(
            f"Cannot find type [{type_name}]: make sure the assembly containing this type is loaded.",
            error_id="TypeNotFound,Microsoft.PowerShell.Commands.NewObjectCommand", category="InvalidType"))
    arguments = bound.get("argumentlist")
    # -ArgumentList is object[]: an array supplies every argument (semantics reference §10.5).
    args = [] if arguments is None else list(enumeration.iterate(arguments)) \
        if isinstance(arguments, (list, values.ByteArray)) else [arguments]
    try:
        instance = binder.construct(target, args, frame.rt)
    except errors.PSError as error:
        if isinstance(error.record.exception, errors.MethodException) and "overload" in error.record.message:
            raise errors.terminating(errors.MethodException(
                f'Cannot find an overload for "{target.full_name.rsplit(".", 1)[-1]}" and the argument count: '
                f'"{len(args)}".', error_id="ConstructorInvokedThrowException,"
                "Microsoft.PowerShell.Commands.NewObjectCommand")) from None
        raise
    for name, value in (bound.get("property") or {}).items() if bound.get("property") is not None else []:
        binder.set_member(instance, name, value, frame.rt)
    return [instance]


def set_strict_mode(frame, bound, items):
    """Strict mode for this scope and its children (ABOUT Set-StrictMode): 1 makes reading an unset variable an
    error, 2 also a missing property; 'Latest' is the highest the version has (2 on 2.0, 3 on 3.0+)."""
    if bound.get("off"):
        frame.scope.strict = 0
        return []
    text = conversions.to_string(bound.get("version")).strip().lower()
    if text == "latest":
        level = 2 if frame.session.version < (3, 0) else 3
    else:
        try:
            level = int(float(text))
        except ValueError:
            raise errors.runtime_error(f'Cannot bind parameter \'Version\'. Cannot convert value "{text}" to type '
                                       '"System.Version".', "CannotConvertArgumentNoMessage", "InvalidArgument") \
                from None
    frame.scope.strict = level
    return []


def start_sleep(frame, bound, items):
    seconds = conversions.to_double(bound.get("seconds") or 0) + conversions.to_double(bound.get("milliseconds")
                                                                                       or 0) / 1000
    sleep = getattr(frame.rt, "sleep", None)
    (sleep or time.sleep)(max(seconds, 0.0))
    return []


def _run_block(frame, block, item):
    """A ForEach-Object/Where-Object block: runs in the caller's scope with $_ set (return = next item)."""
    if not isinstance(block, ScriptBlock):
        raise errors.runtime_error("Cannot bind parameter: the script block argument is not a ScriptBlock.",
                                   "CannotConvertArgument", "InvalidArgument")
    frame.scope.variables["_"] = item
    out: list = []
    run = block.definition.end or block.definition.process
    if run is None:
        return out
    with contextlib.suppress(ReturnSignal):  # `return` in the block moves to the next item
        run(frame, out)
    return out


def _keeping_dollar_underscore(run):
    """ForEach-Object and Where-Object set $_ in the caller's scope; the caller's $_ is back afterwards. They
    stream: each input object goes through before the next is asked for, so pipeline stages interleave
    (ABOUT Pipelines: one object at a time)."""
    def wrapper(frame, bound, items):
        variables = frame.scope.variables

        def streamed():
            had, saved = "_" in variables, variables.get("_")
            try:
                yield from run(frame, bound, items)
            finally:
                if had:
                    variables["_"] = saved
                else:
                    variables.pop("_", None)
        return streamed()
    return wrapper


@_keeping_dollar_underscore
def foreach_object(frame, bound, items):
    if "membername" in bound:
        bound["process"] = bound.pop("membername")
    process = bound.get("process")
    member_name = process is not None and not isinstance(process, ScriptBlock) and \
        not enumeration.is_enumerable(process)
    if member_name and frame.session.version < (3, 0):
        raise errors.terminating(errors.ParameterBindingException(
            f'Cannot bind parameter \'Process\'. Cannot convert the "{conversions.to_string(process)}" value of '
            'type "System.String" to type "System.Management.Automation.ScriptBlock".',
            error_id="CannotConvertArgumentNoMessage,Microsoft.PowerShell.Commands.ForEachObjectCommand"))
    if bound.get("begin") is not None:
        yield from _run_block(frame, bound["begin"], None)
    if member_name:
        yield from _for_each_member(frame, conversions.to_string(process), bound.get("argumentlist"), items)
        return
    # break/continue in a block leave the pipeline for the enclosing loop (semantics reference §11.3); what
    # was yielded before is already output downstream.
    for item in (items if items is not None else []):
        if process is not None:
            if enumeration.is_enumerable(process):
                for block in enumeration.iterate(process):
                    yield from _run_block(frame, block, item)
            else:
                yield from _run_block(frame, process, item)
    if bound.get("end") is not None:
        yield from _run_block(frame, bound["end"], None)


def _for_each_member(frame, name: str, arguments, items) -> list:
    """3.0+ ForEach-Object -MemberName: each input's method (called with -ArgumentList) or property."""
    rt = frame.rt
    args = list(enumeration.items_of(arguments)) if arguments is not None else []
    out: list = []
    for item in items or []:
        clr = binder.type_of(item)
        if clr is not None and clr.find_methods(name, static=False):
            result = binder.invoke_method(item, name, args, rt)
            if result is not binder.VOID:
                out.extend(enumeration.items_of(result))
        else:
            out.extend(enumeration.items_of(binder.get_member(item, name, rt)))
    return out


@_keeping_dollar_underscore
def where_object(frame, bound, items):
    from winsim.powershell.language.expressions import capture
    block = bound.get("filterscript")
    for item in (items or []):
        if conversions.is_true(capture(_run_block(frame, block, item)), frame.session.version):
            yield item


def select_object(frame, bound, items):
    if "property" in bound or "expandproperty" in bound:
        raise NotModelled("Select-Object -Property")
    if "first" in bound and "last" not in bound and "skip" not in bound:
        # -First stops asking for input once it has enough (the upstream stages stop too).
        return list(itertools.islice(items or (), conversions.to_integer(bound["first"])))
    items = list(items or [])
    if "first" in bound:
        items = items[:conversions.to_integer(bound["first"])]
    if "last" in bound:
        count = conversions.to_integer(bound["last"])
        items = items[-count:] if count else []
    if "skip" in bound:
        items = items[conversions.to_integer(bound["skip"]):]
    return items


def add_type(frame, bound, items):
    if "assemblyname" in bound:
        return []
    raise NotModelled("Add-Type with source code")


def out_string(frame, bound, items):
    from winsim.powershell.engine import format_output
    values = list(items or []) + (_items(bound["inputobject"]) if "inputobject" in bound else [])
    return [format_output(values)]


def measure_object(frame, bound, items):
    raise NotModelled("Measure-Object")


CMDLETS = {c.name.lower(): c for c in (
    Cmdlet("Write-Output", write_output, {"inputobject": "value", "noenumerate": "switch"}, ("inputobject",),
           remaining="inputobject", since={"noenumerate": (4, 0)}),
    Cmdlet("Out-Null", out_null, {"inputobject": "value"}),
    Cmdlet("Write-Host", write_host, {"object": "value", "nonewline": "switch", "separator": "value",
                                      "foregroundcolor": "value", "backgroundcolor": "value"}, ("object",)),
    Cmdlet("Write-Error", write_error, {"message": "value", "exception": "value", "errorrecord": "value",
                                        "category": "value", "errorid": "value", "targetobject": "value",
                                        "recommendedaction": "value", "categoryactivity": "value",
                                        "categoryreason": "value", "categorytargetname": "value",
                                        "categorytargettype": "value"}, ("message",)),
    Cmdlet("Write-Warning", write_stream("warning"), {"message": "value"}, ("message",)),
    Cmdlet("Write-Verbose", write_stream("verbose"), {"message": "value"}, ("message",)),
    Cmdlet("Write-Debug", write_stream("debug"), {"message": "value"}, ("message",)),
    Cmdlet("New-Object", new_object, {"typename": "value", "argumentlist": "value", "property": "value",
                                      "comobject": "value", "strict": "switch"}, ("typename", "argumentlist")),
    Cmdlet("Set-StrictMode", set_strict_mode, {"off": "switch", "version": "value"}),
    Cmdlet("Start-Sleep", start_sleep, {"seconds": "value", "milliseconds": "value"}, ("seconds",)),
    Cmdlet("ForEach-Object", foreach_object, {"process": "value", "begin": "value", "end": "value",
                                              "inputobject": "value", "membername": "value", "argumentlist": "value"},
           ("process",), since={"membername": (3, 0), "argumentlist": (3, 0)}),
    Cmdlet("Where-Object", where_object, {"filterscript": "value", "inputobject": "value"}, ("filterscript",)),
    Cmdlet("Select-Object", select_object, {"first": "value", "last": "value", "skip": "value", "property": "value",
                                            "expandproperty": "value", "unique": "switch",
                                            "inputobject": "value"}, ("property",)),
    Cmdlet("Add-Type", add_type, {"assemblyname": "value", "typedefinition": "value", "language": "value",
                                  "path": "value", "passthru": "switch"}, ()),
    Cmdlet("Out-String", out_string, {"inputobject": "value", "stream": "switch", "width": "value"}),
    Cmdlet("Measure-Object", measure_object, {"inputobject": "value", "property": "value"}, ("property",)),
)}
ALIASES = {"%": "foreach-object", "foreach": "foreach-object", "?": "where-object", "where": "where-object",
           "select": "select-object", "write": "write-output", "echo": "write-output", "sleep": "start-sleep",
           "measure": "measure-object"}


def find_cmdlet(name: str) -> Cmdlet | None:
    lower = name.lower()
    return CMDLETS.get(ALIASES.get(lower, lower))


def run_cmdlet(frame, cmdlet: Cmdlet, arguments: list[Argument], items):
    cmdlet.version = frame.session.version
    bound = cmdlet.bind(arguments)
    if items is not None and "inputobject" in cmdlet.params and "inputobject" not in bound and \
            cmdlet.name not in ("Write-Output",):
        pass
    try:
        return cmdlet.run(frame, bound, items)
    except ClrException as error:
        raise errors.terminating(error) from None
