"""Ansible's own winrm connection plugin against the endpoint: one shell per connection, stdin in 200000-byte
Sends (the non-final ones without an End attribute), HTTPS with the fleet CA and NTLM-encrypted HTTP."""

from __future__ import annotations

import pytest
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import connection_loader
from wsman_fixtures import PASSWORD, USER, Endpoints, ScriptedResult, ScriptedTestHost


class PowerShellEchoHost(ScriptedTestHost):
    """Answers Ansible's `PowerShell -EncodedCommand ...` by reporting how much stdin it got."""

    def run_command(self, command: str, arguments: str, stdin: bytes) -> ScriptedResult:
        if command == "PowerShell":
            self.calls.append((command, arguments, stdin))
            return ScriptedResult(b"stdin bytes: %d" % len(stdin), b"", 0)
        return super().run_command(command, arguments, stdin)


@pytest.fixture
def endpoints(tmp_path):
    with Endpoints(tmp_path) as factory:
        yield factory


def _connection(variables: dict):
    variables = {**variables, "_extras": {k: v for k, v in variables.items() if k.startswith("ansible_winrm_")}}
    connection = connection_loader.get("winrm", PlayContext(), "/dev/null")
    connection.set_options(var_options=variables)
    connection._connect()
    return connection


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_ansible_exec_command_with_large_stdin(endpoints, scheme):
    running = endpoints.start(host=PowerShellEchoHost())
    variables = {
        "ansible_host": "127.0.0.1",
        "ansible_port": running.endpoint.https_port if scheme == "https" else running.endpoint.http_port,
        "ansible_winrm_scheme": scheme,
        "ansible_winrm_transport": "ntlm",
        "ansible_user": USER,
        "ansible_password": PASSWORD,
        "ansible_winrm_server_cert_validation": "validate",
        "ansible_winrm_ca_trust_path": str(running.ca_file),
    }
    payload = b"0123456789" * 45_000  # 450000 bytes: three Sends

    connection = _connection(variables)
    try:
        rc, stdout, stderr = connection.exec_command("hostname", in_data=payload)
    finally:
        connection.close()

    assert (rc, stdout, stderr) == (0, b"stdin bytes: 450000", b"")
    (command, arguments, stdin), = running.host.calls
    assert command == "PowerShell" and "-EncodedCommand" in arguments
    assert stdin == payload
    metrics = running.metrics()
    assert metrics["operations"]["Send"] == 3
    assert metrics["shells_open"] == 0  # close() deleted the shell
    if scheme == "http":
        assert metrics["encrypted_requests"] == metrics["requests"] - metrics["auth_handshakes"]
