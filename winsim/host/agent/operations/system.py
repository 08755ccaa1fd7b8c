"""system.info: who and what the agent runs as and on."""

from __future__ import annotations

import time

from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.formats import agent_time
from winsim.host.osinfo import os_facts, version_tuple

_SIXTY_FOUR_BIT = ("amd64", "ia64", "arm64")


def system_info(ctx: AgentContext, args: Arguments) -> dict:
    names = args.get("env", "string[]", default=[])
    env, host = ctx.env, ctx.host
    facts = os_facts(host.registry)
    major, minor = (*version_tuple(facts.version), 0, 0)[:2]
    process = env.get("PROCESSOR_ARCHITECTURE")
    wow64 = env.get("PROCESSOR_ARCHITEW6432")
    return {
        "computer_name": host.name,
        "user": f"{env.get('USERDOMAIN', host.name)}\\{ctx.process.user}",
        # WinRM admits only members of Administrators, and gives them their full (elevated) token.
        "elevated": True,
        "os": {"platform": "Win32NT", "version": facts.dotnet_version, "major": major, "minor": minor,
               "build": facts.build, "service_pack": facts.csd_version},
        "architecture": {"process": process, "wow64": wow64, "native": wow64 if wow64 is not None else process,
                         "pointer_bits": 64 if str(process).casefold() in _SIXTY_FOUR_BIT else 32},
        "powershell": {"version": ctx.powershell_version, "clr_version": ctx.clr_version},
        "system_directory": env["SystemRoot"] + "\\system32",
        "time_utc": agent_time(time.time()),
        "env": {name: env.get(name) for name in names},
    }
