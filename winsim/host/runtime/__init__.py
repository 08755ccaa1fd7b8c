"""What runs on a simulated host: the commands WinRM delivers, answered as Windows would answer them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from winsim.host.runtime.handlers import (
    CommandHandler,
    Invocation,
    build_invocation,
    handlers,
    register_handler,
    unregister_handler,
)
from winsim.host.runtime.result import CommandResult, Output, Unmodelled, unmodelled_result

if TYPE_CHECKING:
    from winsim.host.machine import Host

LOG = logging.getLogger(__name__)

__all__ = ["CommandHandler", "CommandResult", "Invocation", "Output", "Unmodelled", "execute", "handlers",
           "register_handler", "unmodelled_result", "unregister_handler"]


def execute(host: Host, command: str, arguments: str, stdin: bytes, user: str | None = None) -> CommandResult:
    """Run one WinRM command on `host` with the first handler that accepts it."""
    try:
        invocation = build_invocation(host, command, arguments, stdin, user)
        for handler in handlers():
            if handler.accepts(invocation):
                return handler.run(host, invocation)
        raise Unmodelled(invocation.command_line)
    except Unmodelled as error:
        return unmodelled_result(error)
    except Exception as error:  # a bug in the model must show, not pass as the host's answer
        LOG.exception("winsim host %s failed running %r %r", host.name, command, arguments)
        return CommandResult(b"", f"winsim: internal error in the host model: {error!r}\r\n".encode(), 1, "error")
