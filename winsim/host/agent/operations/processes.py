"""process.start and process.poll: a program run detached from the WinRM command, then polled.

The program runs as the host runtime runs detached programs (winsim.host.runtime.detached): it outlives the
command that started it. Its job is recorded where the PowerShell agent's launcher records it, under the
state root's process folder: job.txt (base64 lines: executable, working directory, argument string),
started.txt (pid, start time), the index pid-<pid>.txt naming the job, and, when the program ends,
exit.txt (unsigned exit code, end time); failed.txt (Win32 code, base64 message) when it could not start.
A job whose program was running when the host rebooted has no exit.txt: its exit code is unknown.
"""

from __future__ import annotations

import base64
import contextlib
import re
import threading
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from winsim.host.agent.arguments import Arguments, local_path
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import AgentFailure, failure, kind_of
from winsim.host.agent.formats import agent_time
from winsim.host.agent.operations.records import read_text, state_directory, write_text
from winsim.host.errors import (
    ERROR_DIRECTORY,
    ERROR_FILE_NOT_FOUND,
    ERROR_INVALID_PARAMETER,
    ERROR_PATH_NOT_FOUND,
    Win32Error,
    win32_message,
)
from winsim.host.paths import WinPath
from winsim.host.runtime import Unmodelled
from winsim.host.runtime.detached import DetachedProcess, process_status, start_detached, wait_process

if TYPE_CHECKING:
    from winsim.host.machine import Host

_JOB_NAME = re.compile(r"[0-9a-f]{32}")
_NEEDS_QUOTES = set(' \t\n\v"')
_LAUNCHER_TIMEOUT = 60  # seconds, as the agent waits for its launcher
_REPORT_POLL = 0.2  # seconds between the agent's looks at the launcher's report


def quote_argument(argument: str) -> str:
    """One argument as CommandLineToArgvW (the C runtime) reads it back unchanged (protocol 6.7)."""
    if argument and not _NEEDS_QUOTES.intersection(argument):
        return argument
    out, backslashes = ['"'], 0
    for char in argument:
        if char == "\\":
            backslashes += 1
            continue
        out.append("\\" * (2 * backslashes + 1) if char == '"' else "\\" * backslashes)
        backslashes = 0
        out.append(char)
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)


def _lines(*items: str) -> str:
    return "".join(item + "\r\n" for item in items)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _record_exit(host: Host, job: WinPath, pid: int) -> None:
    """What the launcher does after the program ends: exit.txt with the exit code and the end time."""
    ended = wait_process(host, pid)
    with host.transaction():
        write_text(host.fs, job.join("exit.txt"), _lines(str(ended.exit_code & 0xFFFFFFFF),
                                                         agent_time(ended.ended or ended.started)))


def _start_launcher(ctx: AgentContext, job: WinPath) -> None:
    """The PowerShell agent has WMI start its launcher (powershell.exe), which then starts the program. The model
    does the launcher's work itself; the launcher process only takes its process id, as it does on Windows, so
    that the program gets the id it gets under the agent, and fails as Win32_Process.Create fails."""
    powershell = f"{ctx.env['SystemRoot']}\\system32\\WindowsPowerShell\\v1.0\\powershell.exe"
    try:
        launcher = start_detached(ctx.host, f'"{powershell}" -NoProfile -NonInteractive -Command exit',
                                  user=ctx.process.user, cwd=str(job))
    except Win32Error as error:
        # Win32_Process.Create: 9 "path not found" for a missing program or directory, else 8 "unknown failure";
        # the agent reports 9 as not_found (3) and a value it does not know with no code (internal).
        return_value = 9 if error.code in (ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_DIRECTORY) else 8
        code = {9: ERROR_PATH_NOT_FOUND}.get(return_value)
        message = f"Win32_Process.Create could not start the launcher (return value {return_value})"
        raise AgentFailure(kind_of(code), code, message) from error
    with contextlib.suppress(Unmodelled):
        wait_process(ctx.host, launcher.pid, _LAUNCHER_TIMEOUT)  # ended, like the agent's once its program has


@dataclass(frozen=True)
class _Request:
    executable: str
    working_directory: str
    command_line: str
    job: WinPath


def _write_job(ctx: AgentContext, args: Arguments) -> _Request:
    """Checks the arguments and writes job.txt, as the agent does before it starts the launcher."""
    executable_text = args.path("executable")
    arguments = args.get("arguments", "string[]", default=[])
    directory_text = args.path("working_directory", optional=True)
    fs = ctx.host.fs
    executable = local_path(executable_text)
    if executable is not None and fs.is_dir(executable):
        raise AgentFailure("invalid_argument", 87, "argument 'executable' names a directory, not a file")
    if executable is None or not fs.is_file(executable):
        raise failure("not_found", 2, f"the program '{executable_text}' does not exist")
    if directory_text is None:
        directory_text = str(executable.parent)
    else:
        directory = local_path(directory_text)
        if directory is None or not fs.is_dir(directory):
            raise failure("not_found", 3, f"the directory '{directory_text}' does not exist")
    argument_string = " ".join(quote_argument(a) for a in arguments)
    command_line = f'"{executable_text}"' + (f" {argument_string}" if argument_string else "")
    job = state_directory(ctx, "process", create=True).join(uuid.uuid4().hex)
    fs.make_dir(job)
    fs.write_file(job.join("job.txt"), _lines(_b64(executable_text), _b64(directory_text),
                                               _b64(argument_string)).encode("ascii"))
    return _Request(executable_text, directory_text, command_line, job)


def process_start(ctx: AgentContext, args: Arguments) -> dict:
    # Self-locking: the launcher's powershell.exe needs the host while this waits for it.
    host = ctx.host
    with host.lock:
        request = _write_job(ctx, args)
    _start_launcher(ctx, request.job)
    fs, job = host.fs, request.job
    with host.lock:
        try:
            started = start_detached(host, request.command_line, user=ctx.process.user, cwd=request.working_directory)
        except (Win32Error, Unmodelled) as error:
            code = error.code if isinstance(error, Win32Error) else 1
            message = win32_message(code) if isinstance(error, Win32Error) else error.message()
            write_text(fs, job.join("failed.txt"), _lines(str(code), _b64(message)))
            raise AgentFailure(kind_of(code) if isinstance(error, Win32Error) else "internal",
                               code if isinstance(error, Win32Error) else None, message) from error
        start_time = agent_time(started.started)
        write_text(fs, job.parent.join(f"pid-{started.pid}.txt"), _lines(job.name))
        write_text(fs, job.join("started.txt"), _lines(str(started.pid), start_time))
    # The agent answers once it has seen started.txt, polling every 200 ms: by then the launcher has recorded the
    # exit of a program that ended at once. Later ends are recorded in the background, as the launcher does.
    if wait_process(host, started.pid, _REPORT_POLL).running:
        threading.Thread(target=_record_exit, args=(host, job, started.pid), daemon=True,
                         name=f"winsim-{host.name}-launcher-{started.pid}").start()
    else:
        _record_exit(host, job, started.pid)
    return {"pid": started.pid, "start_time": start_time, "executable": request.executable,
            "working_directory": request.working_directory, "command_line": request.command_line}


@dataclass(frozen=True)
class _Job:
    directory: WinPath
    start_time: str


def _find_job(ctx: AgentContext, pid: int, start_time: float | None) -> _Job | None:
    """The job process.start made for this pid (and start time), or None."""
    fs = ctx.host.fs
    processes = state_directory(ctx, "process")
    index = (read_text(fs, processes.join(f"pid-{pid}.txt")) or "").splitlines()
    if not index or not _JOB_NAME.fullmatch(index[0]):
        return None
    directory = processes.join(index[0])
    started = (read_text(fs, directory.join("started.txt")) or "").splitlines()
    if len(started) < 2 or (start_time is not None and started[1] != agent_time(start_time)):
        return None
    return _Job(directory, started[1])


def _detached(host: Host, pid: int) -> DetachedProcess | None:
    try:
        return process_status(host, pid)
    except Win32Error as error:
        if error.code != ERROR_INVALID_PARAMETER:
            raise
        return None


def _live(host: Host, pid: int, start_text: str | None) -> bool:
    """Whether a process with this id (and start time) runs now: a detached program or a service process."""
    detached = _detached(host, pid)
    if detached is not None:
        return detached.running and (start_text is None or agent_time(detached.started) == start_text)
    return start_text is None and any(p.pid == pid for p in host.services.processes())


def process_poll(ctx: AgentContext, args: Arguments) -> dict:
    """Runs without the host lock held by the caller: it may wait for the program, which needs the host."""
    host = ctx.host
    pid = args.integer("pid", 0, 1, 4294967295, required=True)
    start_time = args.time("start_time")
    wait_seconds = args.integer("wait_seconds", 0, 0, 600)
    with host.lock:
        job = _find_job(ctx, pid, start_time)
        start_text = job.start_time if job else (agent_time(start_time) if start_time is not None else None)
        running = _live(host, pid, start_text)
    if running and wait_seconds and _detached(host, pid) is not None:
        wait_process(host, pid, timeout=wait_seconds)
    with host.lock:
        running = _live(host, pid, start_text)
        exit_lines = (read_text(host.fs, job.directory.join("exit.txt")) or "").splitlines() if job else []
        detached = _detached(host, pid) if job else None
    if job is None and not running:
        return {"pid": pid, "exists": False}
    unrecorded = _detached(host, pid) if job is None else None
    result = {"pid": pid, "exists": True, "state": "running" if running else "exited",
              "start_time": job.start_time if job else (agent_time(unrecorded.started) if unrecorded else None),
              "end_time": None, "exit_code": None}
    if len(exit_lines) >= 2:
        result.update(state="exited", exit_code=int(exit_lines[0]), end_time=exit_lines[1])
    elif not running and detached is not None and detached.exit_code is not None:
        # The program has ended and its exit.txt is being written.
        result.update(exit_code=detached.exit_code & 0xFFFFFFFF, end_time=agent_time(detached.ended or 0))
    return result
