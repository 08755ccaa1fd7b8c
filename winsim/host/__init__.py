"""The simulated Windows host (Seams 1 and 2): open_host, build_spec, PROFILES, Host, CommandResult."""

from __future__ import annotations

import os
from pathlib import Path

from winsim.host.agent import AgentHandler
from winsim.host.machine import Host
from winsim.host.profiles import OVERRIDE_KEYS, PROFILES, SpecError, build_spec
from winsim.host.runtime import CommandResult, register_handler

# Transition: WINSIM_POWERSHELL=interpreter runs every powershell.exe through winsim's PowerShell interpreter;
# until that is the only way, the Python model of the agent answers agent calls by default.
if os.environ.get("WINSIM_POWERSHELL", "model") != "interpreter":
    register_handler(AgentHandler())

__all__ = ["OVERRIDE_KEYS", "PROFILES", "CommandResult", "Host", "SpecError", "build_spec", "open_host",
           "register_handler"]


def open_host(state_dir: Path, spec: dict) -> Host:
    """The host saved in `state_dir`, rebooted (a restart is a reboot); else a new one provisioned from `spec`
    and booted. A saved host keeps what it is: `spec` only describes a host that does not exist yet."""
    state_dir = Path(state_dir)
    host = Host.load(state_dir) if Host.is_saved(state_dir) else Host.create(state_dir, spec)
    host.boot()
    return host
