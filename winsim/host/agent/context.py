"""What one agent run works with: the host, the PowerShell process it runs in, and the results so far."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from winsim.host.runtime.context import ProcessContext

if TYPE_CHECKING:
    from winsim.host.machine import Host


@dataclass
class AgentContext:
    process: ProcessContext                       # user, environment block, current directory
    powershell_version: str                       # $PSVersionTable.PSVersion as the agent prints it
    clr_version: str                              # [Environment]::Version
    results: dict[str, dict] = field(default_factory=dict)  # id -> result entry, for $ref
    started: float = field(default_factory=time.monotonic)

    @property
    def host(self) -> Host:
        return self.process.host

    @property
    def env(self):
        return self.process.env

    def elapsed_ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)
