"""Recognises an agent invocation among the commands WinRM delivers and runs it (register_handler's seam).

An agent invocation is `powershell.exe ... -EncodedCommand <bootstrap>` (found and runnable on the host)
whose stdin starts with the protocol marker line; nothing else is. The encoded script must be the agent's
bootstrap (it carries the digest of the script it accepts): any other script given such a stdin is left to
the rest of the runtime. The agent prints one line of JSON and exits 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from winsim.host.agent import bootstrap
from winsim.host.agent.context import AgentContext
from winsim.host.agent.jsonio import dumps
from winsim.host.agent.powershell import clr_version, psversion
from winsim.host.agent.request import run_request
from winsim.host.osinfo import powershell_version, version_tuple
from winsim.host.runtime import CommandResult, Invocation
from winsim.host.runtime.context import ProcessContext

if TYPE_CHECKING:
    from winsim.host.machine import Host

KIND = "agent"


class AgentHandler:
    kind = KIND

    def accepts(self, invocation: Invocation) -> bool:
        call = invocation.powershell
        return (call is not None and call.source == "encoded" and call.script is not None
                and bootstrap.is_agent_stdin(invocation.stdin) and bootstrap.expected_digest(call.script) is not None)

    def run(self, host: Host, invocation: Invocation) -> CommandResult:
        script = invocation.powershell.script
        expected = bootstrap.expected_digest(script)
        with host.lock:
            process = ProcessContext.for_logon(host, invocation.user, invocation.stdin)
            installed = powershell_version(host.registry) or "1.0"
            ctx = AgentContext(process, psversion(installed), clr_version(host.registry))
        if version_tuple(installed) < (2, 0):
            failure = bootstrap.powershell1_failure(script)
            if failure is not None:
                return CommandResult(b"", failure.encode("ascii", errors="replace"), 1, KIND)
        agent_input = bootstrap.split_input(bootstrap.stdin_lines(invocation.stdin))
        if agent_input.request_lines is None or bootstrap.script_digest(agent_input.script_lines) != expected:
            return _printed(bootstrap.CORRUPT_RESPONSE)
        response = run_request(ctx, "\n".join(agent_input.request_lines))
        return _printed(dumps(response))


def _printed(line: str) -> CommandResult:
    return CommandResult((line + "\r\n").encode("ascii"), b"", 0, KIND)
