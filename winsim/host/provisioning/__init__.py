"""Provisioning: a new host gets the Windows and the software its spec names, as installers would put them."""

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
from winsim.host.provisioning.iis4 import iis4_actions
from winsim.host.provisioning.windows import RELEASES, windows_actions

if TYPE_CHECKING:
    from winsim.host.machine import Host

MB = 1024 * 1024

__all__ = ["RELEASES", "Action", "CreateService", "MakeDirectory", "SetValue", "WriteBinary", "WriteData", "apply",
           "provision"]


def provision(host: Host, spec: dict) -> None:
    """Install what `spec` (from build_spec) describes onto an empty host. Drives end with the free space the
    spec asks for: what the model does not list file by file is accounted as reserved."""
    for letter, drive in spec["drives"].items():
        host.fs.add_drive(letter, drive["size_mb"] * MB)
    apply(host, windows_actions(spec))
    if spec.get("iis") and spec["profile"] == "iis4-kb":
        from winsim.setup.provision import provision_iis4_with_option_pack_setup  # SMTP/NNTP by setup.exe

        provision_iis4_with_option_pack_setup(host, spec)
    elif spec.get("iis"):
        apply(host, iis4_actions(spec))
    for letter, drive in spec["drives"].items():
        used = host.fs.drive(letter).used_bytes
        host.fs.set_reserved(letter, max(0, drive["size_mb"] * MB - drive["free_mb"] * MB - used))
