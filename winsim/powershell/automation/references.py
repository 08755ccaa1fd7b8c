"""[ref]: System.Management.Automation.PSReference (ABOUT Ref). `[ref]$x` refers to the variable itself,
so a method's ref/out parameter or `$r.Value = ...` writes the variable; `[ref]<expression>` holds a value."""

from __future__ import annotations

from winsim.powershell.clr.typesystem import clr_type, getter, setter


@clr_type("System.Management.Automation.PSReference")
class PSReference:
    __slots__ = ("_get", "_set")

    def __init__(self, get, set_) -> None:
        self._get = get
        self._set = set_

    @classmethod
    def holding(cls, value) -> PSReference:
        cell = [value]
        return cls(lambda: cell[0], lambda v: cell.__setitem__(0, v))

    def get(self):
        return self._get()

    def set(self, value) -> None:
        self._set(value)

    @getter("Value", "object")
    def get_value(self, rt):
        return self._get()

    @setter("Value", "object")
    def set_value(self, rt, value):
        self._set(value)
