"""Helpers for the host-model tests: hosts in tmp dirs, and Ansible's own winrm connection driving a host.

`AnsibleWinrm` is ansible-core's winrm connection plugin with only the wire replaced: its exec_command,
put_file and fetch_file build their command lines and stdin exactly as they do against Windows, and whatever
pywinrm would send as rsp:Command, rsp:Arguments (joined with spaces, as pywinrm joins them) and stdin goes to
Host.run_command. If Ansible changes its wire format, these tests see the new one.
"""

from __future__ import annotations

import base64
from pathlib import Path

from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import connection_loader, shell_loader

from winsim.host import Host, build_spec, open_host


def new_host(state_dir: Path, profile: str = "no-iis", name: str = "TESTHOST", **overrides) -> Host:
    return open_host(state_dir, build_spec(profile, name, overrides or None))


def system_events(host: Host, event_id: int | None = None) -> list:
    return host.eventlog.read("System", event_id=event_id)


class _Wire:
    """Stands where pywinrm's Protocol stands: records each command and runs it on the host."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.sent: list[tuple[str, str, bytes]] = []
        self.results: list = []  # CommandResult of each command sent
        self._pending: dict[str, tuple[str, str, list[bytes]]] = {}

    def run_command(self, shell_id, command, args=(), console_mode_stdin=True, skip_cmd_shell=False):
        command_id = f"cmd-{len(self.sent) + len(self._pending)}"
        as_text = [a.decode() if isinstance(a, bytes) else a for a in args]
        self._pending[command_id] = (command.decode() if isinstance(command, bytes) else command,
                                     " ".join(as_text), [])
        return command_id

    def send(self, protocol, shell_id, command_id, stdin, eof=False):
        self._pending[command_id][2].append(stdin)

    def receive(self, protocol, shell_id, command_id):
        command, arguments, chunks = self._pending.pop(command_id)
        stdin = b"".join(chunks)
        self.sent.append((command, arguments, stdin))
        result = self.host.run_command(command, arguments, stdin)
        self.results.append(result)
        return result.stdout, result.stderr, result.rc, True

    def cleanup_command(self, shell_id, command_id):
        return None


class AnsibleWinrm:
    def __init__(self, host: Host) -> None:
        self.wire = _Wire(host)
        connection = connection_loader.get("winrm", PlayContext(), "/dev/null")
        connection.protocol = self.wire
        connection.shell_id = "shell-1"
        connection._connected = True
        connection._winrm_host = host.name
        connection._winrm_send_input = self.wire.send
        connection._winrm_get_raw_command_output = self.wire.receive
        # A reset (a fresh shell after a fault) keeps the replaced wire: there is nothing to reconnect to.
        connection.reset = lambda: None
        self.connection = connection

    def raw(self, script: str) -> tuple[int, str, str]:
        """What `ansible -m raw -a <script>` runs on a Windows host."""
        rc, stdout, stderr = self.connection.exec_command(script)
        return rc, stdout.decode("utf-8"), stderr.decode("utf-8")

    def put_file(self, local: Path, remote: str) -> None:
        self.connection.put_file(str(local), remote)

    def fetch_file(self, remote: str, local: Path) -> None:
        self.connection.fetch_file(remote, str(local))


def encoded_powershell(script: str) -> tuple[str, str]:
    """(rsp:Command, rsp:Arguments) for a script, as Ansible's powershell shell plugin encodes it."""
    shell = shell_loader.get("powershell")
    parts = shell._encode_script(script, as_list=True, strict_mode=False, preserve_rc=False)
    return parts[0], " ".join(parts[1:])


def pywinrm_run_ps(script: str) -> str:
    """The rsp:Command pywinrm's Session.run_ps sends (no rsp:Arguments)."""
    return "powershell -encodedcommand " + base64.b64encode(script.encode("utf_16_le")).decode("ascii")
