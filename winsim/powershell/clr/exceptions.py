"""System.Exception and its kin, as Python exceptions that are also .NET objects.

A member implementation raises them (`raise IOException("...", hresult=...)`); the interpreter catches
ClrException at the member-call boundary and wraps it as PowerShell does. Each .NET exception type is one
class here (or in the library module that owns it), registered with @clr_type; its default message is the
one .NET gives when none is passed. `declare_exception` declares a plain one (message and inner exception
constructors) in one line; the ones with extra state (ArgumentException's ParamName, Win32Exception's
NativeErrorCode...) are written out below.
"""

from __future__ import annotations

import functools
from typing import Any

from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method


@clr_type("System.Exception", interfaces=("System.Runtime.Serialization.ISerializable",))
class ClrException(Exception):
    default_message = "Exception of type 'System.Exception' was thrown."
    default_hresult = -2146233088  # COR_E_EXCEPTION

    def __init__(self, message: str | None = None, inner: ClrException | None = None, *,
                 hresult: int | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.inner = inner
        self.hresult = hresult if hresult is not None else self.default_hresult
        self._data: Any = None
        super().__init__(self.message)

    @property
    def clr_full_name(self) -> str:
        return type(self).__clr_type__.full_name

    @constructor()
    @staticmethod
    def _new0(rt):
        return ClrException()

    @constructor("string")
    @staticmethod
    def _new1(rt, message):
        return ClrException(message)

    @constructor("string", "System.Exception")
    @staticmethod
    def _new2(rt, message, inner):
        return ClrException(message, inner)

    @getter("Message", "string")
    def get_message(self, rt):
        return self.message

    @getter("InnerException", "System.Exception")
    def get_inner(self, rt):
        return self.inner

    @getter("HResult", "int")
    def get_hresult(self, rt):
        return self.hresult

    # HResult is protected before .NET 4.5: PowerShell on CLR 2.0 does not see it (Marshal.GetHRForException is
    # how 2.0 scripts read it); the language's binder hides members marked this way on CLR 2.0
    get_hresult.__clr_since__ = (4, 0)

    @getter("Source", "string")
    def get_source(self, rt):
        return None

    @getter("StackTrace", "string")
    def get_stack_trace(self, rt):
        return None

    @getter("Data", "System.Collections.IDictionary")
    def get_data(self, rt):
        if self._data is None:
            self._data = new_exception_data()
        return self._data

    @method("GetBaseException", returns="System.Exception")
    def get_base_exception(self, rt):
        current = self
        while current.inner is not None:
            current = current.inner
        return current

    @method("ToString", returns="string")
    def to_string(self, rt):
        # Exception.ToString: "<type>: <Message>" (the Message property, so subclasses' extras show).
        message = type(self).get_message(self, rt)
        text = self.clr_full_name + (f": {message}" if message else "")
        if self.inner is not None:
            text += f" ---> {self.inner.to_string(rt)}\r\n   --- End of inner exception stack trace ---"
        return text


def clr_major(rt) -> int:
    """The major version of the CLR the process runs (2 without a runtime: the default host)."""
    return _major(getattr(rt, "clr_version", None) or "2.0")


@functools.lru_cache(maxsize=16)
def _major(version: str) -> int:  # asked on every String.Trim: parsed once per version text
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return 2


def new_exception_data():
    """Exception.Data: a case-sensitive, insertion-ordered IDictionary (.NET's ListDictionaryInternal). The
    collections module of the class library provides it; imported here lazily to keep this module at the bottom."""
    from winsim.powershell.clr.library.bcl.collections.hashtable import ListDictionaryInternal
    return ListDictionaryInternal()


def declare_exception(full_name: str, base: type[ClrException], message: str, hresult: int,
                      **members: Any) -> type[ClrException]:
    """Declares `full_name` deriving from `base` with .NET's three usual constructors ((), (message),
    (message, inner)), its default message and its HResult (and any extra marked members); returns the
    Python class."""
    def new0(rt):
        return cls()

    def new1(rt, text):
        return cls(text)

    def new2(rt, text, inner):
        return cls(text, inner)

    namespace: dict[str, Any] = {
        "default_message": message, "default_hresult": hresult, "__module__": __name__,
        "_new0": constructor()(staticmethod(new0)), "_new1": constructor("string")(staticmethod(new1)),
        "_new2": constructor("string", "System.Exception")(staticmethod(new2)), **members}
    cls = type(full_name.rsplit(".", 1)[-1], (base,), namespace)
    return clr_type(full_name, base=base.__clr_type__.full_name, interfaces=())(cls)


# -- the hierarchy (messages and HResults are the .NET Framework 2.0 ones) --------------------------------------
SystemException = declare_exception("System.SystemException", ClrException, "System error.", -2146233087)
ApplicationException = declare_exception("System.ApplicationException", ClrException,
                                         "Error in the application.", -2146232832)
InvalidOperationException = declare_exception(
    "System.InvalidOperationException", SystemException,
    "Operation is not valid due to the current state of the object.", -2146233079)
NotSupportedException = declare_exception("System.NotSupportedException", SystemException,
                                          "Specified method is not supported.", -2146233067)
NotImplementedException = declare_exception("System.NotImplementedException", SystemException,
                                            "The method or operation is not implemented.", -2147467263)
FormatException = declare_exception("System.FormatException", SystemException,
                                    "One of the identified items was in an invalid format.", -2146233033)
InvalidCastException = declare_exception("System.InvalidCastException", SystemException,
                                         "Specified cast is not valid.", -2147467262)
ArithmeticException = declare_exception("System.ArithmeticException", SystemException,
                                        "Overflow or underflow in the arithmetic operation.", -2147024362)
OverflowException = declare_exception("System.OverflowException", ArithmeticException,
                                      "Arithmetic operation resulted in an overflow.", -2146233066)
DivideByZeroException = declare_exception("System.DivideByZeroException", ArithmeticException,
                                          "Attempted to divide by zero.", -2147352558)
IndexOutOfRangeException = declare_exception("System.IndexOutOfRangeException", SystemException,
                                             "Index was outside the bounds of the array.", -2146233080)
RankException = declare_exception("System.RankException", SystemException,
                                  "Attempted to operate on an array with the incorrect number of dimensions.",
                                  -2146233065)
NullReferenceException = declare_exception("System.NullReferenceException", SystemException,
                                           "Object reference not set to an instance of an object.", -2147467261)
KeyNotFoundException = declare_exception("System.Collections.Generic.KeyNotFoundException", SystemException,
                                         "The given key was not present in the dictionary.", -2146232969)
TimeoutException = declare_exception("System.TimeoutException", SystemException,
                                     "The operation has timed out.", -2146233083)
UnauthorizedAccessException = declare_exception("System.UnauthorizedAccessException", SystemException,
                                                "Attempted to perform an unauthorized operation.", -2147024891)
SecurityException = declare_exception("System.Security.SecurityException", SystemException,
                                      "Security error.", -2146233078)
IOException = declare_exception(
    "System.IO.IOException", SystemException, "I/O error occurred.", -2146232800,
    _new3=constructor("string", "int")(staticmethod(lambda rt, text, hresult: IOException(text, hresult=hresult))))
DirectoryNotFoundException = declare_exception("System.IO.DirectoryNotFoundException", IOException,
                                               "Attempted to access a path that is not on the disk.", -2147024893)
PathTooLongException = declare_exception(
    "System.IO.PathTooLongException", IOException,
    "The specified path, file name, or both are too long. The fully qualified file name must be less than 260 "
    "characters, and the directory name must be less than 248 characters.", -2147024690)
EndOfStreamException = declare_exception("System.IO.EndOfStreamException", IOException,
                                         "Attempted to read past the end of the stream.", -2147024858)
DriveNotFoundException = declare_exception("System.IO.DriveNotFoundException", IOException,
                                           "Attempted to access a drive that is not available.", -2147024893)
ExternalException = declare_exception(
    "System.Runtime.InteropServices.ExternalException", SystemException,
    "External component has thrown an exception.", -2147467259,  # E_FAIL
    get_error_code=getter("ErrorCode", "int")(lambda self, rt: self.hresult))

# The richer ones (parameter names, file names, Win32 codes) live in exception_types.py, which imports this.
from winsim.powershell.clr import exception_types as _exception_types  # noqa: E402

ArgumentException = _exception_types.ArgumentException
ArgumentNullException = _exception_types.ArgumentNullException
ArgumentOutOfRangeException = _exception_types.ArgumentOutOfRangeException
ObjectDisposedException = _exception_types.ObjectDisposedException
FileNotFoundException = _exception_types.FileNotFoundException
Win32Exception = _exception_types.Win32Exception
COMException = _exception_types.COMException
TargetInvocationException = _exception_types.TargetInvocationException
