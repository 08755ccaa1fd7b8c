"""[switch]: System.Management.Automation.SwitchParameter, what a switch parameter holds (ABOUT Functions
Advanced Parameters#Switch parameters): true when the switch was given; converts to and compares as a bool."""

from __future__ import annotations

from winsim.powershell.clr.typesystem import clr_type, getter, method


@clr_type("System.Management.Automation.SwitchParameter", value_type=True)
class SwitchParameter:
    __slots__ = ("present",)

    def __init__(self, present: bool = False) -> None:
        self.present = bool(present)

    def __bool__(self) -> bool:
        return self.present

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SwitchParameter):
            return other.present == self.present
        if isinstance(other, bool):
            return other == self.present
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.present)

    def __repr__(self) -> str:
        return f"SwitchParameter({self.present})"

    @getter("IsPresent", "bool")
    def get_is_present(self, rt):
        return self.present

    @method("ToBool", returns="bool")
    def to_bool(self, rt):
        return self.present

    @method("ToString", returns="string")
    def to_string(self, rt):
        return "True" if self.present else "False"
