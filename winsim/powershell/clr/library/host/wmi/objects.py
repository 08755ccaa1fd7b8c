"""System.Management's objects: ManagementBaseObject (a WMI class, instance or method parameters: named,
case-insensitive properties), ManagementObject, their collections, and ManagementException.

WMI's error texts end with a space ("Not found "), as IWbemStatusCodeText gives them to ManagementException.
PowerShell's WMI adapter shows an object's WMI properties as its own (ps_get_member / ps_set_member, the
binder's hook for adapted objects).
"""

from __future__ import annotations

from typing import Any

from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import SystemException, declare_exception
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import clr_type, getter, method, setter

ManagementStatus = clr_enum("System.Management.ManagementStatus", {
    "NoError": 0, "Failed": -2147217407, "NotFound": -2147217406, "AccessDenied": -2147217405,
    "InvalidParameter": -2147217400, "NotSupported": -2147217396, "InvalidClass": -2147217392,
    "InvalidQuery": -2147217385, "InvalidMethod": -2147217363, "InvalidNamespace": -2147217394})
_TEXTS = {"NotFound": "Not found ", "InvalidClass": "Invalid class ", "InvalidQuery": "Invalid query ",
          "InvalidMethod": "Invalid method ", "InvalidNamespace": "Invalid namespace ",
          "InvalidParameter": "Invalid parameter ", "NotSupported": "Not supported ", "Failed": "Generic failure "}


def _error_code(self, rt):
    return ManagementStatus.value(self.status)


ManagementException = declare_exception(
    "System.Management.ManagementException", SystemException, "Generic failure ", -2146233087,
    get_error_code=getter("ErrorCode", "System.Management.ManagementStatus")(_error_code))


ManagementException.status = ManagementStatus.enum.members["Failed"]  # what the parameterless constructor reports


def management_error(status: str) -> Exception:
    error = ManagementException(_TEXTS[status])
    error.status = ManagementStatus.enum.members[status]
    return error


@clr_type("System.Management.PropertyData")
class PropertyData:
    def __init__(self, owner: ManagementBaseObject, name: str) -> None:
        self.owner = owner
        self.name = name

    @getter("Name", "string")
    def p_name(self, rt):
        return self.name

    @getter("Value", "object")
    def p_value(self, rt):
        return self.owner.get(self.name)

    @setter("Value", "object")
    def set_value(self, rt, value):
        self.owner.set(self.name, value)


@clr_type("System.Management.PropertyDataCollection", interfaces=("System.Collections.ICollection",
                                                                   "System.Collections.IEnumerable"))
class PropertyDataCollection:
    def __init__(self, owner: ManagementBaseObject) -> None:
        self.owner = owner

    def __iter__(self):
        return iter([PropertyData(self.owner, name) for name in self.owner.names()])

    def __len__(self) -> int:
        return len(self.owner.names())

    @getter("Count", "int")
    def p_count(self, rt):
        return len(self)


@clr_type("System.Management.ManagementBaseObject", base="System.ComponentModel.Component",
          interfaces=("System.ICloneable",))
class ManagementBaseObject:
    def __init__(self, class_name: str, properties: dict[str, Any]) -> None:
        self.class_name = class_name
        self._values = {name.casefold(): (name, value) for name, value in properties.items()}

    # -- Python-level access ---------------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [name for name, _ in self._values.values()]

    def get(self, name: str) -> Any:
        found = self._values.get((name or "").casefold())
        if found is None:
            raise management_error("NotFound")
        return found[1]

    def set(self, name: str, value: Any) -> None:
        found = self._values.get((name or "").casefold())
        if found is None:
            raise management_error("NotFound")
        self._values[name.casefold()] = (found[0], value)

    def wmi_properties(self) -> dict[str, Any]:
        return {name: value for name, value in self._values.values()}

    def system_properties(self) -> dict[str, Any]:
        """WMI's own properties of the object (__CLASS, __PATH, __RELPATH...)."""
        return {"__class": self.class_name, "__namespace": "root\\cimv2", "__path": self.path(),
                "__relpath": self.relative_path()}

    def relative_path(self) -> str | None:
        return None

    def path(self) -> str | None:
        return None

    def ps_get_member(self, name: str) -> tuple[bool, Any]:
        """PowerShell's WMI adapter: `$wmiObject.Name` reads the WMI property (and __CLASS, __PATH...)."""
        found = self._values.get(name.casefold())
        if found is not None:
            return True, found[1]
        system = self.system_properties()
        return (True, system[name.casefold()]) if name.casefold() in system else (False, None)

    def ps_set_member(self, name: str, value: Any) -> bool:
        if name.casefold() not in self._values:
            return False
        self.set(name, value)
        return True

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self.set(name, value)

    # -- members -------------------------------------------------------------------------------------------------
    @method("get_Item", "string", returns="object")
    def get_item(self, rt, name):
        return self.get(name)

    @method("set_Item", "string", "object")
    def set_item(self, rt, name, value):
        self.set(name, value)

    @method("GetPropertyValue", "string", returns="object")
    def get_property_value(self, rt, name):
        return self.get(name)

    @method("SetPropertyValue", "string", "object")
    def set_property_value(self, rt, name, value):
        self.set(name, value)

    @getter("Properties", "System.Management.PropertyDataCollection")
    def p_properties(self, rt):
        return PropertyDataCollection(self)

    @getter("ClassPath", "System.Management.ManagementPath")
    def p_class_path(self, rt):
        return None

    @method("Clone", returns="object")
    def clone(self, rt):
        copy = ManagementBaseObject.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy._values = dict(self._values)
        return copy

    @method("Dispose")
    def dispose(self, rt):
        return None

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.path() or ""


@clr_type("System.Management.ManagementObject", base="System.Management.ManagementBaseObject")
class ManagementObject(ManagementBaseObject):
    """An instance (or class): `rt` and `key` (its key property's value, when the query selected it) let its
    methods act on the host."""

    rt = None
    key = None

    key_name = "Name"

    def bound(self, rt, key, key_name: str = "Name") -> ManagementObject:
        self.rt, self.key, self.key_name = rt, key, key_name
        return self

    def relative_path(self) -> str | None:
        if self.key is None:
            return None
        return f'{self.class_name}.{self.key_name}="{self.key}"'

    def path(self) -> str | None:
        relative = self.relative_path()
        if self.rt is None:
            server = "."
        else:
            with self.rt.host.lock:
                server = self.rt.host.name.upper()
        return None if relative is None else f"\\\\{server}\\root\\cimv2:{relative}"

    def _invoke(self, rt, name: str, args: list):
        from winsim.powershell.clr.library.host.wmi import methods

        if self.key is None:
            raise management_error("InvalidMethod")
        found, value = methods.invoke(rt, self.class_name, self.key, name, args)
        if not found:
            raise management_error("InvalidMethod")
        return value

    @method("InvokeMethod", "string", "object[]", returns="object")
    def invoke_method(self, rt, name, arguments):
        return self._invoke(rt, name or "", list(arguments or []))

    def ps_invoke_method(self, name: str, args: list) -> tuple[bool, object]:
        """PowerShell's WMI adapter: `$service.StopService()` calls the WMI method."""
        from winsim.powershell.clr.library.host.wmi import methods

        if self.rt is None or self.key is None:
            return False, None
        return methods.invoke(self.rt, self.class_name, self.key, name, args)


@clr_type("System.Management.ManagementObjectCollection", interfaces=(
    "System.Collections.ICollection", "System.Collections.IEnumerable", "System.IDisposable"))
class ManagementObjectCollection:
    def __init__(self, items: list[ManagementObject]) -> None:
        self.items = items

    def __iter__(self):
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    @getter("Count", "int")
    def p_count(self, rt):
        return len(self.items)

    @method("CopyTo", "System.Management.ManagementBaseObject[]", "int")
    def copy_to(self, rt, array, index):
        if array is None:
            raise interop.exception(rt, "System.ArgumentNullException", "objectCollection")
        if index < 0 or index + len(self.items) > len(array):
            raise interop.exception(rt, "System.ArgumentOutOfRangeException", "index",
                                    "Index was out of range. Must be non-negative and less than the size of the "
                                    "collection.")
        for offset, item in enumerate(self.items):
            array[index + offset] = item

    @method("Dispose")
    def dispose(self, rt):
        return None
