"""Programs started detached from the command that started them (CreateProcess with DETACHED_PROCESS).

start_detached returns the new process at once; the program runs in a daemon thread of the fleet process, so
a WinRM shell that closes or a connection that drops does not stop it. Its record (exit code None while it
runs) stays in the host's process table to be polled. The table lives as long as the Host object: a daemon
restart (a reboot) ends every detached process, and its pid is then unknown (ERROR_INVALID_PARAMETER, as
OpenProcess answers). Process ids count from 1504 by 4, skipping ids the service control manager has given.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from winsim.host import clock
from winsim.host.errors import ERROR_BAD_EXE_FORMAT, ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER, Win32Error
from winsim.host.paths import WinPath, parse
from winsim.host.runtime.commandline import split_first
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.programs import is_modelled_program, run_program
from winsim.host.runtime.result import Output, Unmodelled

if TYPE_CHECKING:
    from winsim.host.machine import Host

LOG = logging.getLogger(__name__)
FIRST_PID = 1504


@dataclass(frozen=True)
class DetachedProcess:
    pid: int
    image: str                  # the program's full path
    command_line: str
    user: str
    started: float
    ended: float | None = None
    exit_code: int | None = None   # None while the program runs
    stdout: str = ""
    stderr: str = ""

    @property
    def running(self) -> bool:
        return self.exit_code is None


class _Table:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.processes: dict[int, DetachedProcess] = {}
        self.done: dict[int, threading.Event] = {}
        self.next_pid = FIRST_PID

    def allocate(self, host: Host) -> int:
        taken = {p.pid for p in host.services.processes()} | set(self.processes)
        while self.next_pid in taken:
            self.next_pid += 4
        pid, self.next_pid = self.next_pid, self.next_pid + 4
        return pid


_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_TABLES_GUARD = threading.Lock()


def _table(host: Host) -> _Table:
    with _TABLES_GUARD:
        table = _TABLES.get(host)
        if table is None:
            table = _TABLES[host] = _Table()
        return table


def start_detached(host: Host, command_line: str, *, user: str | None = None,
                   cwd: str | None = None) -> DetachedProcess:
    """Start a program the way CreateProcess finds it (a path, or a name looked up in the current folder and on
    %Path%). Win32Error 2 when there is no such program, 193 when it is not an image this host runs;
    Unmodelled when the model does not know what the program does."""
    with host.lock:
        ctx = ProcessContext.for_logon(host, user)
        if cwd:
            ctx.cwd = parse(cwd, ctx.cwd)
        word, arguments = split_first(command_line)
        program = ctx.find_program(word) if word else None
        if program is None:
            raise Win32Error(ERROR_FILE_NOT_FOUND, word)
        if not ctx.can_execute(program):
            raise Win32Error(ERROR_BAD_EXE_FORMAT, str(program))
        if not is_modelled_program(program):
            raise Unmodelled(command_line)
        table = _table(host)
        with table.lock:
            pid = table.allocate(host)
            record = DetachedProcess(pid, str(program), command_line, ctx.user, clock.now())
            table.processes[pid] = record
            table.done[pid] = threading.Event()
    thread = threading.Thread(target=_run, args=(host, table, pid, ctx, program, arguments), daemon=True,
                              name=f"winsim-{host.name}-pid{pid}")
    thread.start()
    return record


def _run(host: Host, table: _Table, pid: int, ctx: ProcessContext, program: WinPath, arguments: str) -> None:
    try:
        output = run_program(ctx, program, arguments)
    except Unmodelled as error:
        output = Output(stderr=error.message() + "\r\n", rc=1)
    except Exception as error:  # a bug in the model must show in the exit code, not pass as success
        LOG.exception("winsim host %s: detached process %s failed", host.name, pid)
        output = Output(stderr=f"winsim: internal error in the host model: {error!r}\r\n", rc=1)
    with table.lock:
        table.processes[pid] = dataclasses.replace(table.processes[pid], ended=clock.now(), exit_code=output.rc,
                                                   stdout=output.stdout, stderr=output.stderr)
        table.done[pid].set()
    host.save_if_changed()


def process_status(host: Host, pid: int) -> DetachedProcess:
    """The process as it is now; Win32Error 87 for a pid the host has not given to a detached program."""
    table = _table(host)
    with table.lock:
        record = table.processes.get(pid)
    if record is None:
        raise Win32Error(ERROR_INVALID_PARAMETER, f"process {pid}")
    return record


def wait_process(host: Host, pid: int, timeout: float | None = None) -> DetachedProcess:
    """Wait up to `timeout` seconds (None: for ever) for the process to end; its record either way."""
    process_status(host, pid)
    _table(host).done[pid].wait(timeout)
    return process_status(host, pid)


def detached_processes(host: Host) -> list[DetachedProcess]:
    table = _table(host)
    with table.lock:
        return sorted(table.processes.values(), key=lambda p: p.pid)
