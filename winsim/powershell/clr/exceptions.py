"""System.Exception and its kin, as Python exceptions that are also .NET objects.

A member implementation raises them (`raise IOException("...", hresult=...)`); the interpreter catches
ClrException at the member-call boundary and wraps it as PowerShell does. Each .NET exception type is one
class here (or in the library module that owns it), registered with @clr_type; its default message is the
one .NET gives when none is passed.
"""

from __future__ import annotations

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
        text = f"{self.clr_full_name}: {self.message}"
        if self.inner is not None:
            text += f" ---> {self.inner.to_string(rt)}\r\n   --- End of inner exception stack trace ---"
        return text


def new_exception_data():
    """Exception.Data: a case-sensitive IDictionary (.NET's ListDictionaryInternal). The collections module
    of the class library provides the dictionary; it is looked up here to keep this module at the bottom."""
    from winsim.powershell.clr.typesystem import REGISTRY
    hashtable = REGISTRY.get("System.Collections.Hashtable")
    if hashtable is None:
        raise RuntimeError("the class library's collections are not loaded")
    return hashtable.constructors[0].impl(None)
