"""Which part of the runtime answers a command: an ordered list of handlers, the first that accepts runs it.

A later protocol (the project's remote agent, recognised from its stdin) plugs in with register_handler;
it is asked before the built-in handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from winsim.host.runtime.ansible_transfer import parse_bootstrap_input, run_bootstrap
from winsim.host.runtime.cmd_shell import run_command_line
from winsim.host.runtime.commandline import cmd_operator_positions, split_arguments, split_first
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.powershell_cli import PowerShellCall, parse_powershell_arguments
from winsim.host.runtime.powershell_exe import run_powershell
from winsim.host.runtime.result import CommandResult, Unmodelled, unmodelled_result

if TYPE_CHECKING:
    from winsim.host.machine import Host


@dataclass
class Invocation:
    command: str                        # rsp:Command as sent
    arguments: str                      # rsp:Arguments as sent ("" when none)
    stdin: bytes
    user: str | None                    # the account the shell runs as, when the endpoint says
    command_line: str                   # what cmd.exe is given: command and arguments
    powershell: PowerShellCall | None   # when the line starts powershell.exe (found and runnable on the host)


class CommandHandler(Protocol):
    kind: str

    def accepts(self, invocation: Invocation) -> bool: ...

    def run(self, host: Host, invocation: Invocation) -> CommandResult: ...


def build_invocation(host: Host, command: str, arguments: str, stdin: bytes, user: str | None) -> Invocation:
    line = f"{command} {arguments}" if arguments else command
    call = None
    program_word, rest = split_first(line)
    if not cmd_operator_positions(line) and program_word.replace("/", "\\").rsplit("\\", 1)[-1].casefold() in (
            "powershell", "powershell.exe"):
        with host.lock:
            ctx = ProcessContext.for_logon(host, user)
            program = ctx.find_program(program_word)
            if program is not None and program.name.casefold() == "powershell.exe" and ctx.can_execute(program):
                call = parse_powershell_arguments(split_arguments(rest), stdin)
    return Invocation(command, arguments, stdin, user, line, call)


def _result(output, kind: str) -> CommandResult:
    return CommandResult(output.stdout.encode("utf-8"), output.stderr.encode("utf-8"), output.rc, kind)


class AnsibleBootstrapHandler:
    """Ansible's bootstrap wrapper: put_file and fetch_file (see ansible_transfer.py)."""
    kind = "ansible"

    def accepts(self, invocation: Invocation) -> bool:
        call = invocation.powershell
        return bool(call and call.script) and parse_bootstrap_input(invocation.stdin) is not None

    def run(self, host: Host, invocation: Invocation) -> CommandResult:
        with host.lock:
            ctx = ProcessContext.for_logon(host, invocation.user, invocation.stdin)
        assert invocation.powershell is not None and invocation.powershell.script is not None
        return run_bootstrap(ctx, invocation.powershell.script, parse_bootstrap_input(invocation.stdin))


class RawPowerShellHandler:
    """powershell.exe running a script given on its command line (Ansible raw, pywinrm run_ps)."""
    kind = "raw"

    def accepts(self, invocation: Invocation) -> bool:
        return invocation.powershell is not None

    def run(self, host: Host, invocation: Invocation) -> CommandResult:
        call = invocation.powershell
        assert call is not None
        if call.error:
            return CommandResult(b"", (call.error + "\r\n").encode(), 1, self.kind)
        if call.script is None:
            return unmodelled_result(Unmodelled(invocation.command_line, f" (powershell -{call.source} is not)"))
        with host.lock:
            ctx = ProcessContext.for_logon(host, invocation.user, invocation.stdin)
        try:
            # Counted apart: a script fed by stdin (how remote agents and Ansible's wrappers run) vs a one-liner.
            kind = "powershell" if invocation.stdin and call.source in ("encoded", "command") else self.kind
            return _result(run_powershell(ctx, call), kind)
        except Unmodelled as error:
            return unmodelled_result(error)


class CmdHandler:
    """Everything else runs as `cmd.exe /c <command line>`, as WinRM runs a command without WINRS_SKIP_CMD_SHELL."""
    kind = "raw"

    def accepts(self, invocation: Invocation) -> bool:
        return True

    def run(self, host: Host, invocation: Invocation) -> CommandResult:
        with host.lock:
            ctx = ProcessContext.for_logon(host, invocation.user, invocation.stdin)
        try:
            return _result(run_command_line(ctx, invocation.command_line), self.kind)
        except Unmodelled as error:
            return unmodelled_result(error)


_HANDLERS: list[CommandHandler] = [AnsibleBootstrapHandler(), RawPowerShellHandler(), CmdHandler()]


def register_handler(handler: CommandHandler) -> None:
    """Ask `handler` before every handler registered so far (a handler registered twice moves to the front)."""
    if handler in _HANDLERS:
        _HANDLERS.remove(handler)
    _HANDLERS.insert(0, handler)


def unregister_handler(handler: CommandHandler) -> None:
    if handler in _HANDLERS:
        _HANDLERS.remove(handler)


def handlers() -> list[CommandHandler]:
    return list(_HANDLERS)
