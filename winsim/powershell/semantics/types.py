"""Type names in scripts: accelerators, resolution against the registry, and System.Type objects.

`[int]`, `[System.IO.File]`, `[string[]]`, `-is 'int'`: a name resolves to a TypeObject (what
`[int]` evaluates to and what `$x.GetType()` returns). Accelerators: ABOUT Type_Accelerators (5.1 list;
`[ordered]` is 3.0+, semantics reference §3.5)."""

from __future__ import annotations

from winsim.powershell.clr import values
from winsim.powershell.clr.typesystem import REGISTRY, ClrType, clr_type, getter, method, type_of

ACCELERATORS = {
    "int": "System.Int32", "long": "System.Int64", "string": "System.String", "char": "System.Char",
    "byte": "System.Byte", "bool": "System.Boolean", "double": "System.Double", "decimal": "System.Decimal",
    "single": "System.Single", "float": "System.Single", "regex": "System.Text.RegularExpressions.Regex",
    "hashtable": "System.Collections.Hashtable", "array": "System.Array", "object": "System.Object",
    "switch": "System.Management.Automation.SwitchParameter", "ref": "System.Management.Automation.PSReference",
    "void": "System.Void", "scriptblock": "System.Management.Automation.ScriptBlock", "type": "System.Type",
    "datetime": "System.DateTime", "timespan": "System.TimeSpan", "guid": "System.Guid", "sbyte": "System.SByte",
    "int16": "System.Int16", "int32": "System.Int32", "int64": "System.Int64", "uint16": "System.UInt16",
    "uint32": "System.UInt32", "uint64": "System.UInt64", "short": "System.Int16", "ushort": "System.UInt16",
    "uint": "System.UInt32", "ulong": "System.UInt64", "char[]": "System.Char[]", "version": "System.Version",
    "wmi": "System.Management.ManagementObject", "wmiclass": "System.Management.ManagementClass",
    "wmisearcher": "System.Management.ManagementObjectSearcher", "psobject": "System.Management.Automation.PSObject",
    "pscustomobject": "System.Management.Automation.PSObject", "exception": "System.Exception",
    "ipaddress": "System.Net.IPAddress", "xml": "System.Xml.XmlDocument", "powershell":
    "System.Management.Automation.PowerShell", "text.encoding": "System.Text.Encoding",
}
ACCELERATORS_3 = {"ordered": "System.Collections.Specialized.OrderedDictionary"}

# Types the language itself knows even when no class library module declares them.
LANGUAGE_TYPES = {"System.Void", "System.Management.Automation.SwitchParameter", "System.Array", "System.Object",
                  "System.Type", "System.Management.Automation.PSObject"}


@clr_type("System.Type", instances=())
class _TypeBase:
    pass


@clr_type("System.RuntimeType", base="System.Type")
class TypeObject:
    """A System.Type: a registered ClrType, an array of one, or a type the language knows by name."""

    __slots__ = ("clr", "element", "full_name")

    def __init__(self, full_name: str, clr: ClrType | None, element: TypeObject | None = None) -> None:
        self.full_name = full_name
        self.clr = clr
        self.element = element

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypeObject) and other.full_name.lower() == self.full_name.lower()

    def __hash__(self) -> int:
        return hash(self.full_name.lower())

    def __repr__(self) -> str:
        return f"[{self.full_name}]"

    @property
    def is_array(self) -> bool:
        return self.element is not None

    @getter("FullName", "string")
    def get_full_name(self, rt):
        return self.full_name

    @getter("Name", "string")
    def get_name(self, rt):
        return self.full_name.rsplit(".", 1)[-1]

    @getter("Namespace", "string")
    def get_namespace(self, rt):
        return self.full_name.rsplit(".", 1)[0] if "." in self.full_name else None

    @getter("IsArray", "bool")
    def get_is_array(self, rt):
        return self.element is not None

    @getter("IsEnum", "bool")
    def get_is_enum(self, rt):
        return self.clr is not None and self.clr.enum is not None

    @getter("IsValueType", "bool")
    def get_is_value_type(self, rt):
        return self.clr is not None and self.clr.value_type

    @getter("BaseType", "System.Type")
    def get_base_type(self, rt):
        if self.element is not None:
            return resolve("System.Array")
        if self.clr is None or not self.clr.base_name:
            return None
        return resolve(self.clr.base_name)

    @method("GetElementType", returns="System.Type")
    def get_element_type(self, rt):
        return self.element

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.full_name

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return self == other


_cache: dict[tuple[str, bool], TypeObject | None] = {}


def resolve(name: str, version: tuple[int, int] = (2, 0)) -> TypeObject | None:
    """The type a script names (case-insensitive; accelerators; `System.` may be omitted), or None."""
    key = (name.lower(), version >= (3, 0))
    if key in _cache:
        return _cache[key]
    found = _resolve(name.strip(), version)
    if found is not None:  # an unknown name may be declared later (library modules import lazily)
        _cache[key] = found
    return found


def _resolve(name: str, version: tuple[int, int]) -> TypeObject | None:
    if name.endswith("[]"):
        element = resolve(name[:-2], version)
        if element is None:
            return None
        return TypeObject(element.full_name + "[]", REGISTRY.get("System.Array"), element)
    lower = name.lower()
    full = ACCELERATORS.get(lower) or (ACCELERATORS_3.get(lower) if version >= (3, 0) else None) or name
    for candidate in (full, "System." + full):
        clr = REGISTRY.get(candidate)
        if clr is not None:
            return TypeObject(clr.full_name, clr)
        for known in LANGUAGE_TYPES:
            if known.lower() == candidate.lower():
                return TypeObject(known, None)
    return None


def type_object_of(value: object) -> TypeObject:
    """`$x.GetType()`."""
    if isinstance(value, values.ClrArray):
        element = resolve(value.element_type) or TypeObject(value.element_type, None)
        return TypeObject(value.element_type + "[]", REGISTRY.get("System.Array"), element)
    if isinstance(value, values.ByteArray):
        return resolve("System.Byte[]") or TypeObject("System.Byte[]", None)
    enum_type = getattr(value, "type_name", None)
    if enum_type is not None and hasattr(value, "clr"):
        return resolve(enum_type) or TypeObject(enum_type, None)
    clr = type_of(value)
    if clr is not None:
        return TypeObject(clr.full_name, clr)
    name = values.clr_type_name(value) or type(value).__name__
    return TypeObject(name, None)


def full_name_of(value: object) -> str:
    if isinstance(value, values.ClrArray):
        return value.element_type + "[]"
    name = values.clr_type_name(value)
    if name:
        return name
    enum_type = getattr(value, "type_name", None)
    if isinstance(enum_type, str):
        return enum_type
    clr = type_of(value)
    return clr.full_name if clr is not None else type(value).__name__
