"""The .NET exceptions that carry more than a message: parameter names, file and object names, Win32 and COM
error codes. Re-exported by exceptions.py, which holds the base class and the plain ones."""

from __future__ import annotations

from winsim.host.errors import MESSAGES, win32_message
from winsim.powershell.clr.exceptions import (
    ClrException,
    ExternalException,
    InvalidOperationException,
    IOException,
    SystemException,
)
from winsim.powershell.clr.typesystem import clr_type, constructor, getter


@clr_type("System.ArgumentException", base="System.SystemException")
class ArgumentException(SystemException):
    default_message = "Value does not fall within the expected range."
    default_hresult = -2147024809  # COR_E_ARGUMENT (E_INVALIDARG)

    def __init__(self, message: str | None = None, param_name: str | None = None,
                 inner: ClrException | None = None, *, hresult: int | None = None) -> None:
        super().__init__(message, inner, hresult=hresult)
        self.param_name = param_name

    # .message is the .NET Message property (what PowerShell shows): the text, then the parameter's name on a
    # line of its own when there is one
    @property
    def message(self) -> str:
        return self.full_message()

    @message.setter
    def message(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.full_message()

    def full_message(self) -> str:
        param_name = getattr(self, "param_name", None)
        if param_name:
            return f"{self.text}\r\nParameter name: {param_name}"
        return self.text

    @constructor()
    @staticmethod
    def _new0(rt):
        return ArgumentException()

    @constructor("string")
    @staticmethod
    def _new1(rt, message):
        return ArgumentException(message)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new2(rt, message, inner):
        return ArgumentException(message, inner=inner)

    @constructor("string", "string")
    @staticmethod
    def _new3(rt, message, param_name):
        return ArgumentException(message, param_name)

    @constructor("string", "string", "System.Exception")
    @staticmethod
    def _new4(rt, message, param_name, inner):
        return ArgumentException(message, param_name, inner)

    @getter("Message", "string")
    def get_message(self, rt):
        return self.full_message()

    @getter("ParamName", "string")
    def get_param_name(self, rt):
        return self.param_name


@clr_type("System.ArgumentNullException", base="System.ArgumentException")
class ArgumentNullException(ArgumentException):
    default_message = "Value cannot be null."
    default_hresult = -2147467261  # E_POINTER

    @constructor()
    @staticmethod
    def _new0(rt):
        return ArgumentNullException()

    @constructor("string")
    @staticmethod
    def _new1(rt, param_name):
        return ArgumentNullException(None, param_name)

    @constructor("string", "string")
    @staticmethod
    def _new3(rt, param_name, message):
        return ArgumentNullException(message, param_name)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new2(rt, message, inner):
        return ArgumentNullException(message, inner=inner)


@clr_type("System.ArgumentOutOfRangeException", base="System.ArgumentException")
class ArgumentOutOfRangeException(ArgumentException):
    default_message = "Specified argument was out of the range of valid values."
    default_hresult = -2146233086  # COR_E_ARGUMENTOUTOFRANGE

    def __init__(self, message: str | None = None, param_name: str | None = None,
                 inner: ClrException | None = None, *, actual_value: object = None,
                 hresult: int | None = None) -> None:
        super().__init__(message, param_name, inner, hresult=hresult)
        self.actual_value = actual_value

    def full_message(self) -> str:
        text = super().full_message()
        if getattr(self, "actual_value", None) is not None:
            text += f"\r\nActual value was {self.actual_value}."
        return text

    @constructor()
    @staticmethod
    def _new0(rt):
        return ArgumentOutOfRangeException()

    @constructor("string")
    @staticmethod
    def _new1(rt, param_name):
        return ArgumentOutOfRangeException(None, param_name)

    @constructor("string", "string")
    @staticmethod
    def _new3(rt, param_name, message):
        return ArgumentOutOfRangeException(message, param_name)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new2(rt, message, inner):
        return ArgumentOutOfRangeException(message, inner=inner)

    @constructor("string", "object", "string")
    @staticmethod
    def _new4(rt, param_name, actual_value, message):
        return ArgumentOutOfRangeException(message, param_name, actual_value=actual_value)

    @getter("ActualValue", "object")
    def get_actual_value(self, rt):
        return self.actual_value


@clr_type("System.ObjectDisposedException", base="System.InvalidOperationException")
class ObjectDisposedException(InvalidOperationException):
    default_message = "Cannot access a disposed object."
    default_hresult = -2146232798  # COR_E_OBJECTDISPOSED

    def __init__(self, object_name: str | None = None, message: str | None = None,
                 inner: ClrException | None = None, *, hresult: int | None = None) -> None:
        super().__init__(message, inner, hresult=hresult)
        self.object_name = object_name

    @property
    def message(self) -> str:
        return self.full_message()

    @message.setter
    def message(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.full_message()

    def full_message(self) -> str:
        object_name = getattr(self, "object_name", None)
        if object_name:
            return f"{self.text}\r\nObject name: '{object_name}'."
        return self.text

    @constructor("string")
    @staticmethod
    def _new1(rt, object_name):
        return ObjectDisposedException(object_name)

    @constructor("string", "string")
    @staticmethod
    def _new2(rt, object_name, message):
        return ObjectDisposedException(object_name, message)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new3(rt, message, inner):
        return ObjectDisposedException(None, message, inner)

    @getter("Message", "string")
    def get_message(self, rt):
        return self.full_message()

    @getter("ObjectName", "string")
    def get_object_name(self, rt):
        return self.object_name or ""


@clr_type("System.IO.FileNotFoundException", base="System.IO.IOException")
class FileNotFoundException(IOException):
    default_message = "Unable to find the specified file."
    default_hresult = -2147024894  # COR_E_FILENOTFOUND

    def __init__(self, message: str | None = None, file_name: str | None = None,
                 inner: ClrException | None = None, *, hresult: int | None = None) -> None:
        super().__init__(message, inner, hresult=hresult)
        self.file_name = file_name

    @constructor()
    @staticmethod
    def _new0(rt):
        return FileNotFoundException()

    @constructor("string")
    @staticmethod
    def _new1(rt, message):
        return FileNotFoundException(message)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new2(rt, message, inner):
        return FileNotFoundException(message, inner=inner)

    @constructor("string", "string")
    @staticmethod
    def _new3(rt, message, file_name):
        return FileNotFoundException(message, file_name)

    @constructor("string", "string", "System.Exception")
    @staticmethod
    def _new4(rt, message, file_name, inner):
        return FileNotFoundException(message, file_name, inner)

    @getter("FileName", "string")
    def get_file_name(self, rt):
        return self.file_name


def win32_exception_message(code: int) -> str:
    """FormatMessage's text for a Win32 code; .NET's own wording when Windows has none."""
    if code == 0:
        return "The operation completed successfully."
    if code in MESSAGES:
        return win32_message(code)
    return f"Unknown error (0x{code & 0xFFFFFFFF:x})"


@clr_type("System.ComponentModel.Win32Exception", base="System.Runtime.InteropServices.ExternalException")
class Win32Exception(ExternalException):
    """A Win32 error code and FormatMessage's text for it."""

    def __init__(self, native_error: int = 0, message: str | None = None,
                 inner: ClrException | None = None, *, hresult: int | None = None) -> None:
        if message is None:
            message = win32_exception_message(native_error)
        super().__init__(message, inner, hresult=hresult)
        self.native_error = native_error

    @constructor()
    @staticmethod
    def _new0(rt):
        return Win32Exception(0)  # Marshal.GetLastWin32Error(): nothing failed in this model before the call

    @constructor("int")
    @staticmethod
    def _new1(rt, error):
        return Win32Exception(error)

    @constructor("int", "string")
    @staticmethod
    def _new2(rt, error, message):
        return Win32Exception(error, message)

    @constructor("string")
    @staticmethod
    def _new3(rt, message):
        return Win32Exception(0, message)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new4(rt, message, inner):
        return Win32Exception(0, message, inner)

    @getter("NativeErrorCode", "int")
    def get_native_error(self, rt):
        return self.native_error


@clr_type("System.Runtime.InteropServices.COMException", base="System.Runtime.InteropServices.ExternalException")
class COMException(ExternalException):
    default_message = "Error HRESULT E_FAIL has been returned from a COM component."

    @constructor()
    @staticmethod
    def _new0(rt):
        return COMException()

    @constructor("string")
    @staticmethod
    def _new1(rt, message):
        return COMException(message)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new2(rt, message, inner):
        return COMException(message, inner)

    @constructor("string", "int")
    @staticmethod
    def _new3(rt, message, error_code):
        return COMException(message, hresult=error_code)


@clr_type("System.Reflection.TargetInvocationException", base="System.Exception")
class TargetInvocationException(ClrException):
    default_message = "Exception has been thrown by the target of an invocation."
    default_hresult = -2146232828  # COR_E_TARGETINVOCATION

    @constructor("System.Exception")
    @staticmethod
    def _new1(rt, inner):
        return TargetInvocationException(None, inner)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new2(rt, message, inner):
        return TargetInvocationException(message, inner)
