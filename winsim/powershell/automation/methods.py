"""A method named without parentheses (`'abc'.ToUpper`): System.Management.Automation.PSMethod, which names
the method, lists its overloads and can be invoked later (ABOUT Methods)."""

from __future__ import annotations

from winsim.powershell.clr.typesystem import clr_type, getter, method


@clr_type("System.Management.Automation.PSMemberInfo", instances=())
class _PSMemberInfo:
    pass


@clr_type("System.Management.Automation.PSMethodInfo", base="System.Management.Automation.PSMemberInfo",
          instances=())
class _PSMethodInfo:
    pass


@clr_type("System.Management.Automation.PSMethod", base="System.Management.Automation.PSMethodInfo")
class PSMethod:
    __slots__ = ("name", "overloads", "target")

    def __init__(self, target, name: str, overloads: list) -> None:
        self.target = target
        self.name = overloads[0].name if overloads else name
        self.overloads = overloads

    @getter("Name", "string")
    def get_name(self, rt):
        return self.name

    @getter("OverloadDefinitions", "string[]")
    def get_overload_definitions(self, rt):
        return [o.signature() for o in self.overloads]

    @method("Invoke", "params object[]", returns="object")
    def invoke(self, rt, args):
        from winsim.powershell.semantics import binder
        result = binder.invoke_method(self.target, self.name, list(args), rt)
        return None if result is binder.VOID else result

    @method("ToString", returns="string")
    def to_string(self, rt):
        return ", ".join(o.signature() for o in self.overloads)
