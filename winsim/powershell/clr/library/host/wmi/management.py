"""ManagementObjectSearcher and ManagementClass over the WMI classes of classes.py (namespace root\\cimv2).

As System.Management binds lazily, a bad class or namespace surfaces when the object is first used (Get(),
GetInstances(), GetMethodParameters()...), as a ManagementException ("Not found ", "Invalid class ", "Invalid
query ", "Invalid namespace ").
"""

from __future__ import annotations

import re

from winsim.powershell.clr import values
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.wmi import wql
from winsim.powershell.clr.library.host.wmi.classes import WmiClass, find_class
from winsim.powershell.clr.library.host.wmi.objects import (
    ManagementBaseObject,
    ManagementObject,
    ManagementObjectCollection,
    management_error,
)
from winsim.powershell.clr.typesystem import clr_type, constructor, method

_PATH = re.compile(r"^(?:\\\\(?P<server>[^\\]+)\\)?(?:(?P<namespace>[^:]+):)?(?P<cls>[^:]*)$")
NAMESPACE = "root\\cimv2"


def _namespace_ok(rt, namespace: str | None, server: str | None) -> bool:
    if server not in (None, ".") and server.casefold() != rt.host.name.casefold():
        return False
    return namespace is None or namespace.strip("\\").casefold() == NAMESPACE


E_SERVICE_DISABLED = -2147023838  # HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED), 0x80070422


def ensure_wmi(rt) -> None:
    """Connecting to WMI starts the winmgmt service: a host whose winmgmt service is disabled answers every call
    with that COM error (a host without the service is taken to have WMI built in, as the profiles do)."""
    scm = rt.host.services
    if scm.exists("winmgmt") and scm.config("winmgmt").start_type == 4:
        text = ("The service cannot be started, either because it is disabled or because it has no enabled devices "
                "associated with it. (Exception from HRESULT: 0x80070422)")
        raise interop.construct(rt, "System.Runtime.InteropServices.COMException", text, E_SERVICE_DISABLED)


def _properties_of(name: str) -> list[str] | None:
    found = find_class(name)
    return None if found is None else found.properties


@clr_type("System.Management.ManagementObjectSearcher", base="System.ComponentModel.Component")
class ManagementObjectSearcher:
    def __init__(self, scope: str | None, query: str) -> None:
        self.scope = scope
        self.query = query

    @constructor("string")
    @staticmethod
    def create(rt, query):
        return ManagementObjectSearcher(None, query or "")

    @constructor("string", "string")
    @staticmethod
    def create_in(rt, scope, query):
        return ManagementObjectSearcher(scope, query or "")

    @method("Get", returns="System.Management.ManagementObjectCollection")
    def get(self, rt):
        ensure_wmi(rt)
        if self.scope is not None:
            match = re.match(r"^(?:\\\\(?P<server>[^\\]+))?\\?(?P<namespace>.+)$", self.scope)
            if match is None or not _namespace_ok(rt, match["namespace"], match["server"]):
                raise management_error("InvalidNamespace")
        try:
            query = wql.parse(self.query, _properties_of)
        except KeyError:
            raise management_error("InvalidClass") from None
        except wql.WqlError:
            raise management_error("InvalidQuery") from None
        source = find_class(query.class_name)
        with rt.host.lock:
            rows = source.instances(rt) if source.instances else []
        found = []
        for row in rows:
            folded = {k.casefold(): v for k, v in row.items()}
            if query.condition(folded):
                chosen = query.properties if query.properties is not None else source.properties
                item = ManagementObject(source.name, {name: row.get(name) for name in chosen})
                found.append(item.bound(rt, row.get(source.key) if source.key in chosen else None, source.key))
        return ManagementObjectCollection(found)


@clr_type("System.Management.InvokeMethodOptions", base="System.Management.ManagementOptions")
class InvokeMethodOptions:
    @constructor()
    @staticmethod
    def create(rt):
        return InvokeMethodOptions()


@clr_type("System.Management.ManagementClass", base="System.Management.ManagementObject")
class ManagementClass(ManagementObject):
    def __init__(self, path: str) -> None:
        super().__init__(path, {})
        self.path_text = path

    @constructor("string")
    @staticmethod
    def create(rt, path):
        return ManagementClass(path or "").bound(rt, None)

    def relative_path(self) -> str | None:
        match = _PATH.match(self.path_text)
        return match["cls"] if match else self.path_text

    def ps_invoke_method(self, name: str, args: list) -> tuple[bool, object]:
        """PowerShell's WMI adapter on a class: `([wmiclass]'Win32_Process').Create('x.exe')` runs the static
        method with positional in-parameters and answers its out-parameters object."""
        source = self._class(self.rt)
        found = source.methods.get(name.casefold())
        if found is None:
            return False, None
        given = {n: (args[i] if i < len(args) else None) for i, n in enumerate(found.inputs)}
        result = found.run(self.rt, given)
        return True, ManagementBaseObject("__PARAMETERS", {n: result.get(n) for n in found.outputs})

    def _class(self, rt) -> WmiClass:
        ensure_wmi(rt)
        match = _PATH.match(self.path_text)
        if match is None or not _namespace_ok(rt, match["namespace"], match["server"]):
            raise management_error("InvalidNamespace")
        found = find_class(match["cls"])
        if found is None:
            raise management_error("NotFound")
        return found

    @method("GetInstances", returns="System.Management.ManagementObjectCollection")
    def get_instances(self, rt):
        source = self._class(rt)
        with rt.host.lock:
            rows = source.instances(rt) if source.instances else []
        return ManagementObjectCollection([ManagementObject(source.name, row).bound(rt, row.get(source.key), source.key)
                                           for row in rows])

    @method("CreateInstance", returns="System.Management.ManagementObject")
    def create_instance(self, rt):
        source = self._class(rt)
        return ManagementObject(source.name, dict.fromkeys(source.properties)).bound(rt, None, source.key)

    @method("GetMethodParameters", "string", returns="System.Management.ManagementBaseObject")
    def get_method_parameters(self, rt, name):
        source = self._class(rt)
        found = source.methods.get((name or "").casefold())
        if found is None:
            raise management_error("NotFound")
        return ManagementBaseObject("__PARAMETERS", dict.fromkeys(found.inputs))

    @method("InvokeMethod", "string", "System.Management.ManagementBaseObject",
            "System.Management.InvokeMethodOptions", returns="System.Management.ManagementBaseObject")
    def invoke_method(self, rt, name, parameters, options):
        source = self._class(rt)
        found = source.methods.get((name or "").casefold())
        if found is None:
            raise management_error("InvalidMethod")
        given = parameters.wmi_properties() if parameters is not None else {}
        result = found.run(rt, {n: given.get(n) for n in found.inputs})
        return ManagementBaseObject("__PARAMETERS", {n: result.get(n) for n in found.outputs})

    @method("InvokeMethod", "string", "object[]", returns="object")
    def invoke_method_args(self, rt, name, arguments):
        """The positional form: in-parameters by position, out-parameters written back into the array."""
        source = self._class(rt)
        found = source.methods.get((name or "").casefold())
        if found is None:
            raise management_error("InvalidMethod")
        arguments = arguments if arguments is not None else values.ClrArray([], "System.Object")
        given = {n: (arguments[i] if i < len(arguments) else None) for i, n in enumerate(found.inputs)}
        result = found.run(rt, given)
        outputs = [n for n in found.outputs if n != "ReturnValue"]
        for offset, output in enumerate(outputs):
            index = len(found.inputs) + offset
            if index < len(arguments):
                arguments[index] = result.get(output)
        return result.get("ReturnValue")
