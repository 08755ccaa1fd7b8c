"""What a .NET member implementation may reach: the Runtime of the PowerShell process it runs in.

The interpreter makes one Runtime per powershell.exe process and hands it to every member call as `rt`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from winsim.host.machine import Host
    from winsim.host.runtime.context import ProcessContext


class Runtime(Protocol):
    host: Host                  # the machine: registry, fs, services, eventlog, architecture, clock
    process: ProcessContext     # user, environment block, current directory, stdin
    ps_version: tuple[int, int]  # (2, 0) or (5, 1): the PowerShell the process runs
    clr_version: str            # [Environment]::Version, e.g. "2.0.50727.3603"
