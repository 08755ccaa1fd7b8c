"""[pscustomobject]@{...} on 3.0+: System.Management.Automation.PSCustomObject, an object whose properties
are the hashtable's entries in order (ABOUT Object_Creation, ABOUT PSCustomObject). 2.0 keeps the Hashtable.
It has no Count or Length of its own (semantics reference §3.3)."""

from __future__ import annotations

from winsim.powershell.clr.typesystem import clr_type, method


@clr_type("System.Management.Automation.PSCustomObject")
class PSCustomObject:
    __slots__ = ("properties",)

    def __init__(self, properties: dict) -> None:
        self.properties = properties          # lower-case name -> (name as written, value)

    @classmethod
    def from_dictionary(cls, table) -> PSCustomObject:
        properties: dict = {}
        for entry in table:
            name = str(entry.key)
            properties[name.lower()] = (name, entry.value)
        return cls(properties)

    def ps_get_member(self, name: str):
        found = self.properties.get(name.lower())
        if found is None:
            return (name.lower() in ("count", "length"), None)  # no Count/Length: they read as $null
        return True, found[1]

    def ps_set_member(self, name: str, value) -> bool:
        found = self.properties.get(name.lower())
        if found is None:
            return False
        self.properties[name.lower()] = (found[0], value)
        return True

    @method("ToString", returns="string")
    def to_string(self, rt):
        from winsim.powershell.semantics.conversions import to_string
        return "@{" + "; ".join(f"{name}={to_string(value, rt)}" for name, value in self.properties.values()) + "}"
