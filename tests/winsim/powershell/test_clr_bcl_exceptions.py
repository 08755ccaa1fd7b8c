"""The .NET exception hierarchy: messages, parameter names, HResults, constructors, Win32 codes."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.bcl_calls import instance, new, prop, static
from winsim.powershell.clr import exceptions as ex
from winsim.powershell.clr.typesystem import REGISTRY


@pytest.mark.parametrize(("name", "message", "hresult"), [
    ("System.SystemException", "System error.", -2146233087),
    ("System.InvalidOperationException", "Operation is not valid due to the current state of the object.",
     -2146233079),
    ("System.NotSupportedException", "Specified method is not supported.", -2146233067),
    ("System.FormatException", "One of the identified items was in an invalid format.", -2146233033),
    ("System.OverflowException", "Arithmetic operation resulted in an overflow.", -2146233066),
    ("System.IO.IOException", "I/O error occurred.", -2146232800),
    ("System.IO.DirectoryNotFoundException", "Attempted to access a path that is not on the disk.", -2147024893),
    ("System.UnauthorizedAccessException", "Attempted to perform an unauthorized operation.", -2147024891),
    ("System.ArgumentException", "Value does not fall within the expected range.", -2147024809),
    ("System.ArgumentNullException", "Value cannot be null.", -2147467261),
    ("System.Collections.Generic.KeyNotFoundException", "The given key was not present in the dictionary.",
     -2146232969),
    ("System.TimeoutException", "The operation has timed out.", -2146233083),
])
def test_default_messages_and_hresults(name, message, hresult):
    made = new(name, sig=())
    assert prop(made, "Message") == message
    assert made.hresult == hresult
    assert static("System.Runtime.InteropServices.Marshal", "GetHRForException", made) == hresult


def test_hierarchy_follows_dotnet():
    def is_a(child, parent):
        return REGISTRY.get(child).is_assignable_to(REGISTRY.get(parent))
    assert is_a("System.IO.FileNotFoundException", "System.IO.IOException")
    assert is_a("System.IO.PathTooLongException", "System.SystemException")
    assert is_a("System.ArgumentOutOfRangeException", "System.ArgumentException")
    assert is_a("System.ObjectDisposedException", "System.InvalidOperationException")
    assert is_a("System.ComponentModel.Win32Exception", "System.Runtime.InteropServices.ExternalException")
    assert is_a("System.OverflowException", "System.ArithmeticException")
    assert not is_a("System.IO.IOException", "System.ArgumentException")
    assert issubclass(ex.FileNotFoundException, ex.IOException)


def test_argument_exceptions_append_the_parameter_name():
    made = new("System.ArgumentException", "Bad thing.", "path", sig=("string", "string"))
    assert prop(made, "Message") == "Bad thing.\r\nParameter name: path"
    assert prop(made, "ParamName") == "path"
    null = new("System.ArgumentNullException", "value", sig=("string",))
    assert prop(null, "Message") == "Value cannot be null.\r\nParameter name: value"
    out_of_range = new("System.ArgumentOutOfRangeException", "count", 5, "Too many.",
                       sig=("string", "object", "string"))
    assert prop(out_of_range, "Message") == "Too many.\r\nParameter name: count\r\nActual value was 5."
    assert instance(out_of_range, "ToString") == ("System.ArgumentOutOfRangeException: Too many.\r\n"
                                                  "Parameter name: count\r\nActual value was 5.")


def test_inner_exception_and_base_exception():
    inner = new("System.IO.IOException", "disk", sig=("string",))
    outer = new("System.Reflection.TargetInvocationException", inner, sig=("System.Exception",))
    assert prop(outer, "Message") == "Exception has been thrown by the target of an invocation."
    assert prop(outer, "InnerException") is inner
    assert instance(outer, "GetBaseException") is inner
    assert instance(outer, "ToString").startswith("System.Reflection.TargetInvocationException: Exception has been "
                                                  "thrown by the target of an invocation. ---> System.IO.IOException: "
                                                  "disk")


def test_win32_exception_takes_its_message_from_the_code():
    made = new("System.ComponentModel.Win32Exception", 5, sig=("int",))
    assert prop(made, "Message") == "Access is denied."
    assert prop(made, "NativeErrorCode") == 5
    assert prop(made, "ErrorCode") == -2147467259  # E_FAIL, as ExternalException reports it
    custom = new("System.ComponentModel.Win32Exception", 1060, "Service missing.", sig=("int", "string"))
    assert prop(custom, "Message") == "Service missing." and prop(custom, "NativeErrorCode") == 1060
    assert prop(new("System.ComponentModel.Win32Exception", 99999, sig=("int",)), "Message") == \
        "Unknown error (0x1869f)"


def test_object_disposed_and_file_not_found_carry_names():
    disposed = new("System.ObjectDisposedException", "FileStream", sig=("string",))
    assert prop(disposed, "Message") == "Cannot access a disposed object.\r\nObject name: 'FileStream'."
    missing = new("System.IO.FileNotFoundException", "Could not find file 'C:\\x'.", "C:\\x",
                  sig=("string", "string"))
    assert prop(missing, "FileName") == "C:\\x" and prop(missing, "Message") == "Could not find file 'C:\\x'."
    com = new("System.Runtime.InteropServices.COMException", "bad", -2147024894, sig=("string", "int"))
    assert prop(com, "ErrorCode") == -2147024894


def test_python_side_raising_keeps_message_and_param():
    with pytest.raises(ex.ArgumentOutOfRangeException) as raised:
        raise ex.ArgumentOutOfRangeException("Length cannot be less than zero.", "length")
    assert str(raised.value) == "Length cannot be less than zero.\r\nParameter name: length"
    assert static("System.Runtime.InteropServices.Marshal", "GetHRForException", None) == 0


def test_message_attribute_is_the_dotnet_message_property():
    # what the language shows in 'Exception calling "M" with "N" argument(s): "..."'
    error = ex.ArgumentOutOfRangeException("startIndex cannot be larger than length of string.", "startIndex")
    assert error.message == "startIndex cannot be larger than length of string.\r\nParameter name: startIndex"
    assert ex.ObjectDisposedException("FileStream").message == ("Cannot access a disposed object.\r\n"
                                                                "Object name: 'FileStream'.")
    assert ex.ArgumentException("plain").message == "plain"


def test_hresult_is_public_only_from_clr_4():
    made = new("System.IO.IOException", "x", sig=("string",))
    getter = REGISTRY.get("System.Exception").find_property("HResult", static=False).getter
    assert getter.__clr_since__ == (4, 0)  # protected on .NET 2.0: the binder hides it on CLR 2.0
    assert getter(made, None) == -2146232800
    assert static("System.Runtime.InteropServices.Marshal", "GetHRForException", made) == -2146232800
