"""What the agent's PowerShell reports about itself: defined with the host's other facts in winsim.host.osinfo."""

from __future__ import annotations

from winsim.host.osinfo import clr_version, psversion

__all__ = ["clr_version", "psversion"]
