"""System.Security.Principal: WindowsIdentity.GetCurrent and WindowsPrincipal.IsInRole for the process's user.

The host model has accounts but no groups. Every process it runs a command for belongs to an account WinRM
admitted, and WinRM's default configuration admits only members of the local Administrators group, with their
full (elevated) token: such a process is in the Administrators and Users roles and in no other built-in role.
"""

from __future__ import annotations

from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

WindowsBuiltInRole = clr_enum("System.Security.Principal.WindowsBuiltInRole", {
    "Administrator": 544, "User": 545, "Guest": 546, "PowerUser": 547, "AccountOperator": 548,
    "SystemOperator": 549, "PrintOperator": 550, "BackupOperator": 551, "Replicator": 552})
_ROLES_HELD = {544, 545}
_ROLE_NAMES = {"administrators": 544, "builtin\\administrators": 544, "users": 545, "builtin\\users": 545}


@clr_type("System.Security.Principal.WindowsIdentity",
          interfaces=("System.Security.Principal.IIdentity", "System.IDisposable"))
class WindowsIdentity:
    def __init__(self, domain: str, user: str) -> None:
        self.domain = domain
        self.user = user

    @method("GetCurrent", returns="System.Security.Principal.WindowsIdentity", static=True)
    @staticmethod
    def get_current(rt):
        domain = rt.process.env.get("USERDOMAIN") or rt.host.name.upper()
        return WindowsIdentity(domain, rt.process.user)

    @getter("Name", "string")
    def p_name(self, rt):
        return f"{self.domain}\\{self.user}"

    @getter("AuthenticationType", "string")
    def p_authentication_type(self, rt):
        return "NTLM"

    @getter("IsAuthenticated", "bool")
    def p_is_authenticated(self, rt):
        return True

    @getter("IsAnonymous", "bool")
    def p_is_anonymous(self, rt):
        return False

    @getter("IsGuest", "bool")
    def p_is_guest(self, rt):
        return False

    @getter("IsSystem", "bool")
    def p_is_system(self, rt):
        return False

    @method("Dispose")
    def dispose(self, rt):
        return None


@clr_type("System.Security.Principal.WindowsPrincipal", interfaces=("System.Security.Principal.IPrincipal",))
class WindowsPrincipal:
    def __init__(self, identity: WindowsIdentity) -> None:
        self.identity = identity

    @constructor("System.Security.Principal.WindowsIdentity")
    @staticmethod
    def create(rt, identity):
        if identity is None:
            raise interop.exception(rt, "System.ArgumentNullException", "ntIdentity")
        return WindowsPrincipal(identity)

    @getter("Identity", "System.Security.Principal.IIdentity")
    def p_identity(self, rt):
        return self.identity

    @method("IsInRole", "System.Security.Principal.WindowsBuiltInRole", returns="bool")
    def is_in_role(self, rt, role):
        number = int(role)
        if number not in WindowsBuiltInRole.enum.members.values():
            raise interop.exception(rt, "System.ArgumentException", f"Illegal enum value: {number}.", "role")
        return number in _ROLES_HELD

    @method("IsInRole", "int", returns="bool")
    def is_in_role_rid(self, rt, rid):
        return rid in _ROLES_HELD

    @method("IsInRole", "string", returns="bool")
    def is_in_role_name(self, rt, name):
        return _ROLE_NAMES.get((name or "").casefold()) in _ROLES_HELD
