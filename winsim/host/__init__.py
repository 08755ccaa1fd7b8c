"""The simulated Windows host (Seams 1 and 2): open_host, build_spec, PROFILES, Host, CommandResult."""

from __future__ import annotations

from pathlib import Path

from winsim.host.machine import Host
from winsim.host.profiles import OVERRIDE_KEYS, PROFILES, SpecError, build_spec
from winsim.host.runtime import CommandResult, register_handler

__all__ = ["OVERRIDE_KEYS", "PROFILES", "CommandResult", "Host", "SpecError", "build_spec", "open_host",
           "register_handler"]


def open_host(state_dir: Path, spec: dict) -> Host:
    """The host saved in `state_dir`, rebooted (a restart is a reboot); else a new one provisioned from `spec`
    and booted. A saved host keeps what it is: `spec` only describes a host that does not exist yet."""
    state_dir = Path(state_dir)
    host = Host.load(state_dir) if Host.is_saved(state_dir) else Host.create(state_dir, spec)
    host.boot()
    return host
