"""PowerShell's error types (RuntimeException and kin, ErrorRecord) and the messages the engine words.

Message texts follow Windows PowerShell 2.0's resources (PSSRC resources/ParserStrings.resx,
ExtendedTypeSystem.resx, DiscoveryExceptions.resx as quoted in the semantics reference)."""

from __future__ import annotations

from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.clr.typesystem import clr_type, getter, method

SMA = "System.Management.Automation."


@clr_type(SMA + "RuntimeException", base="System.SystemException")
class RuntimeException(ClrException):
    default_message = "Exception of type 'System.Management.Automation.RuntimeException' was thrown."
    default_hresult = -2146233087
    error_id = "RuntimeException"
    category = "NotSpecified"

    def __init__(self, message: str | None = None, inner: ClrException | None = None, *, error_id: str | None = None,
                 category: str | None = None, target: object = None) -> None:
        super().__init__(message, inner)
        if error_id is not None:
            self.error_id = error_id
        if category is not None:
            self.category = category
        self.target = target
        self.error_record: ErrorRecord | None = None

    @getter("ErrorRecord", SMA + "ErrorRecord")
    def get_error_record(self, rt):
        return record_for(self)


@clr_type(SMA + "MethodException", base=SMA + "RuntimeException")
class MethodException(RuntimeException):
    pass


@clr_type(SMA + "MethodInvocationException", base=SMA + "MethodException")
class MethodInvocationException(MethodException):
    pass


@clr_type(SMA + "SetValueException", base=SMA + "RuntimeException")
class SetValueException(RuntimeException):
    pass


@clr_type(SMA + "SetValueInvocationException", base=SMA + "SetValueException")
class SetValueInvocationException(SetValueException):
    pass


@clr_type(SMA + "GetValueException", base=SMA + "RuntimeException")
class GetValueException(RuntimeException):
    pass


@clr_type(SMA + "GetValueInvocationException", base=SMA + "GetValueException")
class GetValueInvocationException(GetValueException):
    pass


@clr_type(SMA + "PSInvalidCastException", base="System.InvalidCastException")
class PSInvalidCastException(RuntimeException):
    error_id = "InvalidCastFromStringToInteger"
    category = "InvalidArgument"


@clr_type(SMA + "ArgumentTransformationMetadataException", base=SMA + "RuntimeException")
class ArgumentTransformationMetadataException(RuntimeException):
    pass


@clr_type(SMA + "ParseException", base=SMA + "RuntimeException")
class ParseException(RuntimeException):
    """A script the parser refuses: nothing of it runs."""
    error_id = "Parse"
    category = "ParserError"


def parse_error(message: str, error_id: str, *, message_v2: str | None = None) -> PSError:
    """The parser's refusal; `message_v2` is Windows PowerShell 2.0's wording where it differs (the parse cache
    is shared by every version, so the wording is chosen when the error reaches a script: worded_for)."""
    error = terminating(ParseException(message, error_id=error_id))
    error.record.exception.message_v2 = message_v2
    return error


def worded_for(error: PSError, version) -> PSError:
    exception = error.record.exception
    legacy = getattr(exception, "message_v2", None)
    if legacy is not None and version < (3, 0):
        exception.message = legacy
    return error


@clr_type(SMA + "ParameterBindingException", base=SMA + "RuntimeException")
class ParameterBindingException(RuntimeException):
    category = "InvalidArgument"


@clr_type(SMA + "CommandNotFoundException", base=SMA + "RuntimeException")
class CommandNotFoundException(RuntimeException):
    error_id = "CommandNotFoundException"
    category = "ObjectNotFound"


@clr_type(SMA + "ActionPreferenceStopException", base=SMA + "RuntimeException")
class ActionPreferenceStopException(RuntimeException):
    pass


@clr_type(SMA + "PSArgumentException", base="System.ArgumentException")
class PSArgumentException(RuntimeException):
    pass


@clr_type(SMA + "WriteErrorException", base="System.SystemException")
class WriteErrorException(RuntimeException):
    error_id = "Microsoft.PowerShell.Commands.WriteErrorException"


@clr_type(SMA + "ErrorCategoryInfo")
class ErrorCategoryInfo:
    def __init__(self, record: ErrorRecord) -> None:
        self.record = record

    @getter("Category", "string")
    def get_category(self, rt):
        return self.record.category

    @getter("Reason", "string")
    def get_reason(self, rt):
        return type(self.record.exception).__clr_type__.name

    @method("ToString", returns="string")
    def to_string(self, rt):
        return f"{self.record.category}: (:) [], {self.get_reason(rt)}"


@clr_type(SMA + "ErrorRecord")
class ErrorRecord:
    """What `$_` is in catch and trap, and what $Error and the error stream hold."""

    def __init__(self, exception: ClrException, error_id: str, category: str = "NotSpecified",
                 target: object = None) -> None:
        self.exception = exception
        self.error_id = error_id
        self.category = category
        self.target = target

    @property
    def message(self) -> str:
        return self.exception.message

    @getter("Exception", "System.Exception")
    def get_exception(self, rt):
        return self.exception

    @getter("FullyQualifiedErrorId", "string")
    def get_fqid(self, rt):
        return self.error_id

    @getter("TargetObject", "object")
    def get_target(self, rt):
        return self.target

    @getter("CategoryInfo", SMA + "ErrorCategoryInfo")
    def get_category_info(self, rt):
        return ErrorCategoryInfo(self)

    @getter("InvocationInfo", "object")
    def get_invocation_info(self, rt):
        return None

    @getter("ErrorDetails", "object")
    def get_error_details(self, rt):
        return None

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.exception.message

    def __str__(self) -> str:
        return self.exception.message


def record_for(exception: ClrException) -> ErrorRecord:
    """The ErrorRecord an exception travels with (made once, kept on a RuntimeException)."""
    if isinstance(exception, RuntimeException):
        if exception.error_record is None:
            exception.error_record = ErrorRecord(exception, exception.error_id, exception.category, exception.target)
        return exception.error_record
    return ErrorRecord(exception, type(exception).__clr_type__.name, "NotSpecified")


class PSError(Exception):
    """A terminating error travelling up the Python stack (statement- or script-terminating)."""

    def __init__(self, record: ErrorRecord) -> None:
        super().__init__(record.message)
        self.record = record
        self.fatal = False  # script-terminating (throw, Stop): no statement boundary writes it and goes on
        self.partial: list = []  # output functions wrote before the error unwound them (already streamed)


def terminating(exception: ClrException) -> PSError:
    return PSError(record_for(exception))


# -- messages the engine words (Windows PowerShell 2.0) -----------------------------------------------------------

def command_not_found(name: str) -> PSError:
    return terminating(CommandNotFoundException(
        f"The term '{name}' is not recognized as the name of a cmdlet, function, script file, or operable "
        "program. Check the spelling of the name, or if a path was included, verify that the path is correct "
        "and try again.", target=name))


def type_not_found(name: str) -> PSError:
    return terminating(RuntimeException(
        f"Unable to find type [{name}]: make sure that the assembly containing this type is loaded.",
        error_id="TypeNotFound", category="InvalidOperation", target=name))


def method_not_found(type_name: str, method_name: str, version: tuple[int, int] = (2, 0)) -> PSError:
    verb = "doesn't" if version < (3, 0) else "does not"  # the 3.0+ resources spell it out
    return terminating(RuntimeException(
        f"Method invocation failed because [{type_name}] {verb} contain a method named '{method_name}'.",
        error_id="MethodNotFound", category="InvalidOperation", target=method_name))


def no_overload(method_name: str, count: int) -> PSError:
    return terminating(MethodException(
        f'Cannot find an overload for "{method_name}" and the argument count: "{count}".',
        error_id="MethodCountCouldNotFindBest", category="NotSpecified", target=method_name))


def ambiguous_overload(method_name: str, count: int) -> PSError:
    # ExtendedTypeSystem.resx MethodAmbiguousException, raised under the errorId MethodCountCouldNotFindBest
    return terminating(MethodException(
        f'Multiple ambiguous overloads found for "{method_name}" and the argument count: "{count}".',
        error_id="MethodCountCouldNotFindBest", category="NotSpecified", target=method_name))


def null_method_call() -> PSError:
    return terminating(RuntimeException("You cannot call a method on a null-valued expression.",
                                        error_id="InvokeMethodOnNull", category="InvalidOperation"))


def null_index() -> PSError:
    return terminating(RuntimeException("Cannot index into a null array.", error_id="NullArray",
                                        category="InvalidOperation"))


def property_not_found(name: str) -> PSError:
    return terminating(RuntimeException(
        f"Property '{name}' cannot be found on this object; make sure it exists and is settable.",
        error_id="PropertyAssignmentException", category="InvalidOperation", target=name))


def runtime_error(message: str, error_id: str = "RuntimeException", category: str = "NotSpecified") -> PSError:
    return terminating(RuntimeException(message, error_id=error_id, category=category))
