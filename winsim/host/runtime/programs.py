"""Programs of the simulated Windows that commands can run: hostname, whoami, ipconfig, cmd, powershell, setup.

A program runs only when its file is on the host (found as cmd.exe finds it) and is an image this processor
runs; what it prints comes from the registry. Arguments these programs are not modelled with are refused.
"""

from __future__ import annotations

from collections.abc import Callable

from winsim.host.osinfo import os_facts
from winsim.host.paths import WinPath
from winsim.host.runtime.commandline import split_arguments
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.result import Output, Unmodelled
from winsim.host.services import SERVICES_KEY

TCPIP_LINKAGE = SERVICES_KEY + r"\Tcpip\Linkage"


def run_program(ctx: ProcessContext, program: WinPath, arguments: str) -> Output:
    if not ctx.can_execute(program):
        return Output(stderr=f"{program} is not a valid Windows NT application.\r\n", rc=1)
    handler = _PROGRAMS.get(program.name.casefold())
    if handler is None:
        raise Unmodelled(f"{program.name} {arguments}".strip())
    return handler(ctx, program, arguments)


def is_modelled_program(program: WinPath) -> bool:
    return program.name.casefold() in _PROGRAMS


def _no_arguments(program: WinPath, arguments: str) -> None:
    if arguments.strip():
        raise Unmodelled(f"{program.name} {arguments}".strip())


def hostname(ctx: ProcessContext, program: WinPath, arguments: str) -> Output:
    _no_arguments(program, arguments)
    return Output(stdout=ctx.host.name + "\r\n")


def whoami(ctx: ProcessContext, program: WinPath, arguments: str) -> Output:
    _no_arguments(program, arguments)
    return Output(stdout=f"{ctx.host.name}\\{ctx.user}".lower() + "\r\n")


def ipconfig(ctx: ProcessContext, program: WinPath, arguments: str) -> Output:
    _no_arguments(program, arguments)
    registry = ctx.host.registry
    title = "Windows NT IP Configuration" if os_facts(registry).version == "4.0" else "Windows IP Configuration"
    lines = ["", title, ""]
    for device in registry.read(TCPIP_LINKAGE, "Bind", []) or []:
        adapter = str(device).rsplit("\\", 1)[-1]
        tcpip = f"{SERVICES_KEY}\\{adapter}\\Parameters\\Tcpip"
        lines += [f"Ethernet adapter {adapter}:", ""]
        for label, value in (("IP Address. . . . . . . . . :", "IPAddress"),
                             ("Subnet Mask . . . . . . . . :", "SubnetMask"),
                             ("Default Gateway . . . . . . :", "DefaultGateway")):
            addresses = registry.read(tcpip, value, []) or []
            lines.append(f"        {label} {addresses[0] if addresses else ''}".rstrip())
        lines.append("")
    return Output(stdout="\r\n".join(lines) + "\r\n")


def cmd(ctx: ProcessContext, program: WinPath, arguments: str) -> Output:
    """cmd.exe [/q] [/d] [/s] /c <command line>; an interactive cmd (/k, or no /c) is not modelled."""
    from winsim.host.runtime.cmd_shell import run_command_line

    rest = arguments.lstrip()
    while rest.startswith("/"):
        switch = rest[1:2].casefold()
        if switch == "c":
            command = rest[2:].strip()
            if len(command) >= 2 and command[0] == '"' and command[-1] == '"':
                command = command[1:-1]  # cmd strips the outer quotes of the command it is given
            return run_command_line(ctx, command)
        if switch not in ("q", "d", "s") or rest[2:3] not in (" ", ""):
            break
        rest = rest[2:].lstrip()
    raise Unmodelled(f"cmd {arguments}".strip(), " (only cmd /c <command> is)")


def powershell(ctx: ProcessContext, program: WinPath, arguments: str) -> Output:
    from winsim.host.runtime.powershell_cli import parse_powershell_arguments
    from winsim.host.runtime.powershell_exe import run_powershell

    return run_powershell(ctx, parse_powershell_arguments(split_arguments(arguments), ctx.stdin))


def setup(ctx: ProcessContext, program: WinPath, arguments: str) -> Output:
    """Option Pack setup.exe and OC Manager's sysocmgr.exe: the setup engine lives in winsim.setup."""
    from winsim.setup.programs import run_setup_program

    return run_setup_program(ctx, program, arguments)


_PROGRAMS: dict[str, Callable[[ProcessContext, WinPath, str], Output]] = {
    "hostname.exe": hostname, "whoami.exe": whoami, "ipconfig.exe": ipconfig, "cmd.exe": cmd,
    "powershell.exe": powershell, "setup.exe": setup, "sysocmgr.exe": setup,
}
