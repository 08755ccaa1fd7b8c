"""Remote shells and their commands: stdin assembly, the command's run in a worker, output handed out in pieces.

Pure state, no XML: operations.py turns requests into calls here and results into envelopes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from winsim.wsman import errors
from winsim.wsman.soap import new_guid

LOG = logging.getLogger("winsim.wsman")

# Runs one command line to completion on the host: (command, arguments, stdin) -> object with stdout/stderr/rc.
Runner = Callable[[str, str, bytes], Any]


class Command:
    def __init__(self, command_id: str, command: str, arguments: str) -> None:
        self.id = command_id
        self.command = command
        self.arguments = arguments
        self._cond = threading.Condition()
        self._stdin = bytearray()
        self._stdin_ended = False
        self._stdin_seen = False
        self._started = False
        self._done = False
        self._released = False  # terminated by Signal, or its shell went away, or the endpoint stopped
        self._stdout = b""
        self._stderr = b""
        self._stdout_pos = 0
        self._stderr_pos = 0
        self._rc = 0

    # -- input ------------------------------------------------------------------------------------------------
    def send(self, data: bytes, end: bool) -> bool:
        """Add stdin; True when this chunk ended the input and the command must start now."""
        with self._cond:
            if self._stdin_ended or self._started:
                raise errors.stdin_closed(self.id)
            self._stdin_seen = True
            self._stdin += data
            if end:
                self._stdin_ended = True
                self._started = True
            return end

    def start_for_receive(self) -> bool:
        """A Receive with no Send before it runs the command with empty stdin (True: start it now)."""
        with self._cond:
            if self._started or self._stdin_seen:
                return False
            self._stdin_ended = True
            self._started = True
            return True

    def stdin(self) -> bytes:
        with self._cond:
            return bytes(self._stdin)

    # -- completion -------------------------------------------------------------------------------------------
    def finish(self, stdout: bytes, stderr: bytes, rc: int) -> None:
        with self._cond:
            self._stdout, self._stderr, self._rc = bytes(stdout), bytes(stderr), int(rc)
            self._done = True
            self._stdin = bytearray()
            self._cond.notify_all()

    def release(self) -> None:
        with self._cond:
            self._released = True
            self._cond.notify_all()

    @property
    def released(self) -> bool:
        return self._released

    def wait(self, timeout: float) -> bool:
        """Wait until the command has finished (True) or timeout/release (False)."""
        with self._cond:
            self._cond.wait_for(lambda: self._done or self._released, timeout)
            return self._done and not self._released

    def take_output(self, budget: Callable[[int, int], tuple[int, int]]) -> tuple[bytes, bytes, int | None]:
        """Hand out the next piece of output; `budget(stdout_left, stderr_left)` says how much fits.

        Returns (stdout, stderr, exit_code) with exit_code None while output remains for another Receive.
        """
        with self._cond:
            out_left = len(self._stdout) - self._stdout_pos
            err_left = len(self._stderr) - self._stderr_pos
            n_out, n_err = budget(out_left, err_left)
            stdout = self._stdout[self._stdout_pos:self._stdout_pos + n_out]
            stderr = self._stderr[self._stderr_pos:self._stderr_pos + n_err]
            self._stdout_pos += len(stdout)
            self._stderr_pos += len(stderr)
            finished = self._stdout_pos == len(self._stdout) and self._stderr_pos == len(self._stderr)
            return stdout, stderr, (self._rc if finished else None)


class Shell:
    def __init__(self, shell_id: str, owner: str, idle_timeout_s: float, now: float,
                 input_streams: str, output_streams: str) -> None:
        self.id = shell_id
        self.owner = owner
        self.idle_timeout_s = idle_timeout_s
        self.last_activity = now
        self.input_streams = input_streams
        self.output_streams = output_streams
        self.commands: dict[str, Command] = {}
        self.operations = 0  # commands ever started here: WinRS gives them back only when the shell goes
        self.busy = 0  # requests on this shell in progress (a waiting Receive keeps the shell alive)


class ShellTable:
    def __init__(self, max_shells_per_user: int, max_operations_per_user: int, runner: Runner,
                 clock: Callable[[], float]) -> None:
        self._lock = threading.Lock()
        self._shells: dict[str, Shell] = {}
        self._max_shells = max_shells_per_user
        self._max_operations = max_operations_per_user
        self._runner = runner
        self._clock = clock

    def create(self, owner: str, idle_timeout_s: float, input_streams: str, output_streams: str) -> Shell:
        with self._lock:
            self._sweep_locked()
            if sum(1 for s in self._shells.values() if s.owner == owner) >= self._max_shells:
                raise errors.quota_shells(self._max_shells)
            shell = Shell(new_guid(), owner, idle_timeout_s, self._clock(), input_streams, output_streams)
            self._shells[shell.id] = shell
            return shell

    @contextlib.contextmanager
    def use(self, shell_id: str | None, owner: str) -> Iterator[Shell]:
        """The caller's shell for the length of one request; unknown (or someone else's) shells are a fault."""
        with self._lock:
            self._sweep_locked()
            shell = self._shells.get((shell_id or "").upper())
            if shell is None or shell.owner != owner:
                raise errors.unknown_shell(shell_id or "")
            shell.busy += 1
            shell.last_activity = self._clock()
        try:
            yield shell
        finally:
            with self._lock:
                shell.busy -= 1
                shell.last_activity = self._clock()

    def delete(self, shell_id: str | None, owner: str) -> None:
        with self._lock:
            self._sweep_locked()
            shell = self._shells.get((shell_id or "").upper())
            if shell is None or shell.owner != owner:
                raise errors.unknown_shell(shell_id or "")
            del self._shells[shell.id]
        for command in shell.commands.values():
            command.release()

    def add_command(self, shell: Shell, command_id: str | None, command: str, arguments: str) -> Command:
        with self._lock:
            used = sum(s.operations for s in self._shells.values() if s.owner == shell.owner)
            if used >= self._max_operations:
                raise errors.quota_operations(self._max_operations)
            shell.operations += 1
            created = Command((command_id or new_guid()).upper(), command, arguments)
            shell.commands[created.id] = created
            return created

    @staticmethod
    def command(shell: Shell, command_id: str | None) -> Command:
        found = shell.commands.get((command_id or "").upper())
        if found is None:
            raise errors.unknown_command(command_id or "")
        return found

    def end_command(self, shell: Shell, command: Command) -> None:
        with self._lock:
            shell.commands.pop(command.id, None)
        command.release()

    def start(self, command: Command) -> None:
        """Run the command on the host in a worker thread; stdin is complete."""
        worker = threading.Thread(target=self._run, args=(command,), name=f"winsim-cmd-{command.id[:8]}",
                                  daemon=True)
        worker.start()

    def _run(self, command: Command) -> None:
        try:
            result = self._runner(command.command, command.arguments, command.stdin())
            command.finish(result.stdout, result.stderr, result.rc)
        except Exception as exc:  # a host-model failure must reach the user, not hang their Receive
            LOG.exception("the host failed to run %r", command.command)
            command.finish(b"", f"winsim: the simulated host failed to run the command: {exc}\r\n".encode(), 1)

    def open_count(self) -> int:
        with self._lock:
            self._sweep_locked()
            return len(self._shells)

    def close(self) -> None:
        """The endpoint stops: forget every shell and wake every waiting Receive."""
        with self._lock:
            shells = list(self._shells.values())
            self._shells.clear()
        for shell in shells:
            for command in shell.commands.values():
                command.release()

    def _sweep_locked(self) -> None:
        now = self._clock()
        idle = [s for s in self._shells.values() if not s.busy and now - s.last_activity > s.idle_timeout_s]
        for shell in idle:
            LOG.info("shell %s of %s dropped after %.0f s idle", shell.id, shell.owner, shell.idle_timeout_s)
            del self._shells[shell.id]
            for command in shell.commands.values():
                command.release()
