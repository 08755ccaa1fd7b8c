"""Provisioning: a new host gets the Windows and the software its spec names, as installers would put them.

IIS is installed as its release's own setup installs it (iis4.py, iis5.py, iis6.py), after IIS 2.0's traces
when the spec says IIS 4.0 upgraded it (iis2.py). Seam with the setup engine: when spec["iis"] names
`option_pack_setup` as the SMTP/NNTP installer, winsim.setup.provision lays IIS 4.0 down here and runs the
Option Pack's setup.exe from its original INFs for SMTP and NNTP; those INFs, not this package, decide where
SMTP and NNTP are registered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from winsim.host.provisioning.actions import (
    Action,
    CreateService,
    MakeDirectory,
    SetValue,
    WriteBinary,
    WriteData,
    apply,
)
from winsim.host.provisioning.iis2 import iis2_upgrade_traces
from winsim.host.provisioning.iis4 import iis4_actions
from winsim.host.provisioning.iis5 import iis5_actions
from winsim.host.provisioning.iis6 import iis6_actions
from winsim.host.provisioning.windows import RELEASES, windows_actions

if TYPE_CHECKING:
    from winsim.host.machine import Host

MB = 1024 * 1024
OPTION_PACK_SETUP = "option_pack_setup"
_IIS_ACTIONS = {"4.0": iis4_actions, "5.0": iis5_actions, "6.0": iis6_actions}

__all__ = ["RELEASES", "Action", "CreateService", "MakeDirectory", "SetValue", "WriteBinary", "WriteData", "apply",
           "provision"]


def provision(host: Host, spec: dict) -> None:
    """Install what `spec` (from build_spec) describes onto an empty host. Drives end with the free space the
    spec asks for: what the model does not list file by file is accounted as reserved."""
    for letter, drive in spec["drives"].items():
        host.fs.add_drive(letter, drive["size_mb"] * MB)
    apply(host, windows_actions(spec))
    iis = spec.get("iis")
    if iis:
        if iis.get("upgraded_from") == "2.0":
            apply(host, iis2_upgrade_traces(spec))
        if iis.get("smtp_nntp_installer") == OPTION_PACK_SETUP:
            from winsim.setup.provision import provision_iis4_with_option_pack_setup  # SMTP/NNTP by setup.exe

            provision_iis4_with_option_pack_setup(host, spec)
        else:
            apply(host, _IIS_ACTIONS[iis.get("version", "4.0")](spec))
    for letter, drive in spec["drives"].items():
        used = host.fs.drive(letter).used_bytes
        host.fs.set_reserved(letter, max(0, drive["size_mb"] * MB - drive["free_mb"] * MB - used))
