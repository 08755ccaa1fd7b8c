"""The whole path with nothing replaced: the collection's agent client, ansible-core's winrm connection plugin,
pywinrm, NTLM with message encryption over HTTP and TLS over HTTPS, winsim's WinRM endpoint, the host model."""

from __future__ import annotations

import pytest
from agent_fixtures import AgentBatch, AgentClient
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import connection_loader
from host_fixtures import new_host

from winsim import certs
from winsim.wsman import EndpointSettings, HostEndpoint

USER, PASSWORD = "Administrator", "Winsim-Passw0rd!"


@pytest.fixture
def serve(tmp_path):
    """Serve a Host on free loopback ports, HTTP and HTTPS (a per-test CA); stopped at teardown."""
    started = []

    def start(host):
        ca_file, ca_key = certs.create_ca(tmp_path / "pki")
        cert, key = certs.issue_host_cert(ca_file, ca_key, tmp_path / "pki" / "hosts", host.name.lower(), "127.0.0.1")
        endpoint = HostEndpoint(EndpointSettings(address="127.0.0.1", http_port=0, https_port=0, cert_file=str(cert),
                                                 key_file=str(key), users={USER: PASSWORD}), host)
        endpoint.start()
        started.append(endpoint)
        return endpoint, ca_file

    yield start
    for endpoint in started:
        endpoint.stop()


def _connection(endpoint, ca_file, scheme: str):
    variables = {
        "ansible_host": "127.0.0.1",
        "ansible_port": endpoint.https_port if scheme == "https" else endpoint.http_port,
        "ansible_winrm_scheme": scheme,
        "ansible_winrm_transport": "ntlm",
        "ansible_user": USER,
        "ansible_password": PASSWORD,
        "ansible_winrm_server_cert_validation": "validate",
        "ansible_winrm_ca_trust_path": str(ca_file),
    }
    variables["_extras"] = {k: v for k, v in variables.items() if k.startswith("ansible_winrm_")}
    connection = connection_loader.get("winrm", PlayContext(), "/dev/null")
    connection.set_options(var_options=variables)
    connection._connect()
    return connection


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_an_audit_batch_over_real_winrm(serve, tmp_path, scheme):
    host = new_host(tmp_path / "host", "iis4-default", "WIRE-1", iis_path=r"D:\Inetsrv", nntp_articles=400)
    endpoint, ca_file = serve(host)
    writes = host.counters["writes"]
    batch = AgentBatch()
    batch.system_info(op_id="system")
    batch.service_query("SMTPSVC", op_id="smtp")
    batch.event_query("System", event_ids=[7023], op_id="events")
    batch.file_tree(r"C:\Inetpub\nntpfile", op_id="news")  # a response of several hundred KB

    connection = _connection(endpoint, ca_file, scheme)
    try:
        response = AgentClient(connection).run(batch)
    finally:
        connection.close()

    assert response.value("system")["computer_name"] == "WIRE-1"
    assert (response.value("smtp")["state"], response.value("smtp")["exit_code"]) == ("stopped", 2)
    assert len(response.value("events")["events"]) == 2
    assert response.value("news")["file_count"] == 400
    assert host.counters["commands_by_kind"] == {"powershell": 1}
    assert host.counters["writes"] == writes
    assert endpoint.metrics()["requests"] > 0
