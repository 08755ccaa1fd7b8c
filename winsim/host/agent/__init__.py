"""A Python model of the collection's remote agent protocol (win-primitive-agent/1, docs/agent-protocol.md).

It no longer answers anything on the simulated hosts: powershell.exe runs the real agent through winsim's
PowerShell interpreter. The model stays as the oracle of the differential tests
(tests/winsim/powershell/test_agent_differential.py): run_request answers a request on a host model directly.
"""

from __future__ import annotations

from winsim.host.agent.operations import OPERATIONS

__all__ = ["OPERATIONS"]
