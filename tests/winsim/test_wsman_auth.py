"""WinRM authentication and transport security as a pywinrm user meets them: HTTPS with the fleet CA, NTLM with
message encryption over HTTP, and Windows' defaults refusing Basic and unencrypted traffic."""

from __future__ import annotations

import threading

import pytest
import requests
import winrm
from winrm.exceptions import InvalidCredentialsError, WinRMTransportError, WSManFaultError
from wsman_fixtures import COMPUTER_NAME, PASSWORD, USER, Endpoints, ScriptedTestHost, run

from winsim import certs
from winsim.wsman import FaultRule


@pytest.fixture
def endpoints(tmp_path):
    with Endpoints(tmp_path) as factory:
        yield factory


def _record_wire(protocol: winrm.Protocol) -> list[requests.Response]:
    """Every HTTP response (and through it, its request) pywinrm's session exchanges from now on."""
    seen: list[requests.Response] = []
    session = protocol.transport.build_session()
    session.hooks["response"].append(lambda response, **_: seen.append(response))
    return seen


def test_basic_over_https_validates_the_fleet_ca(endpoints):
    running = endpoints.start(auth_basic=True)
    session = winrm.Session(running.https_url, auth=(USER, PASSWORD), transport="basic",
                            server_cert_validation="validate", ca_trust_path=str(running.ca_file))

    result = session.run_cmd("echo")

    assert result.status_code == 0
    assert running.metrics()["auth_failures"] == 0


def test_a_client_trusting_another_ca_refuses_the_host(endpoints, tmp_path):
    running = endpoints.start(auth_basic=True)
    stranger_ca, _ = certs.create_ca(tmp_path / "stranger")
    protocol = running.protocol(transport="basic", ca_trust_path=str(stranger_ca))

    with pytest.raises(requests.exceptions.SSLError):
        protocol.open_shell()


def test_ntlm_over_http_encrypts_every_message(endpoints):
    running = endpoints.start(https_port=None, cert_file=None, key_file=None)
    protocol = running.protocol(scheme="http", transport="ntlm")
    wire = _record_wire(protocol)

    stdout, stderr, rc = run(protocol, "echo", stdin=b"sealed hello")

    assert (stdout, stderr, rc) == (b"sealed hello", b"", 0)
    soap_exchanges = [r for r in wire if r.request.body]
    assert soap_exchanges, "pywinrm sent no SOAP message"
    for response in soap_exchanges:
        assert response.request.headers["Content-Type"].startswith("multipart/encrypted")
        assert response.headers["Content-Type"].startswith("multipart/encrypted")
        assert b"Envelope" not in response.request.body and b"Envelope" not in response.content
    metrics = running.metrics()
    assert metrics["encrypted_requests"] == metrics["requests"] - metrics["auth_handshakes"]
    assert metrics["encrypted_requests"] >= 5  # Create, Command, Send, Receive, Signal, Delete


def test_ntlm_over_https_with_channel_binding(endpoints):
    running = endpoints.start()
    protocol = running.protocol(scheme="https", transport="ntlm")  # requests_ntlm sends the CBT by default

    assert run(protocol, "exit", ("7",)) == (b"", b"", 7)
    assert running.metrics()["encrypted_requests"] == 0  # TLS protects the messages; no second layer


def test_ntlm_without_channel_binding_is_accepted_like_cbt_hardening_relaxed(endpoints):
    running = endpoints.start()
    protocol = running.protocol(scheme="https", transport="ntlm", send_cbt=False)

    assert run(protocol, "echo", stdin=b"relaxed") == (b"relaxed", b"", 0)


@pytest.mark.parametrize("username", [USER, USER.upper(), f".\\{USER}", f"{COMPUTER_NAME}\\{USER}"])
def test_local_account_names_as_windows_accepts_them(endpoints, username):
    running = endpoints.start(https_port=None, cert_file=None, key_file=None)
    protocol = running.protocol(scheme="http", transport="ntlm", username=username)

    assert run(protocol, "echo", stdin=b"x") == (b"x", b"", 0)


@pytest.mark.parametrize(("transport", "scheme"), [("ntlm", "http"), ("ntlm", "https"), ("basic", "https")])
def test_wrong_password_raises_invalid_credentials(endpoints, transport, scheme):
    running = endpoints.start(auth_basic=True)
    protocol = running.protocol(scheme=scheme, transport=transport, password="not-the-password")

    with pytest.raises(InvalidCredentialsError):
        protocol.open_shell()

    metrics = running.metrics()
    assert metrics["auth_failures"] >= 1
    assert metrics["auth_failure_reasons"] == {"bad_credentials": metrics["auth_failures"]}
    assert metrics["shells_open"] == 0


def test_unknown_account_raises_invalid_credentials(endpoints):
    running = endpoints.start()
    protocol = running.protocol(transport="ntlm", username="nobody")

    with pytest.raises(InvalidCredentialsError):
        protocol.open_shell()


def test_basic_is_disabled_by_default_and_only_negotiate_is_offered(endpoints):
    running = endpoints.start()
    protocol = running.protocol(scheme="https", transport="basic")

    with pytest.raises(InvalidCredentialsError):
        protocol.open_shell()

    raw = requests.post(running.https_url, data=b"<x/>", auth=(USER, PASSWORD), verify=str(running.ca_file),
                        headers={"Content-Type": "application/soap+xml;charset=UTF-8"}, timeout=10)
    assert raw.status_code == 401
    assert raw.headers["WWW-Authenticate"] == "Negotiate"
    assert running.metrics()["auth_failure_reasons"]["basic_disabled"] == 2


def test_basic_over_plain_http_is_refused_while_allow_unencrypted_is_false(endpoints):
    running = endpoints.start(auth_basic=True)
    protocol = running.protocol(scheme="http", transport="basic")

    with pytest.raises(InvalidCredentialsError):
        protocol.open_shell()

    assert running.metrics()["auth_failure_reasons"] == {"unencrypted_refused": 1}
    assert running.host.calls == []


def test_basic_over_plain_http_works_when_the_host_allows_it(endpoints):
    running = endpoints.start(auth_basic=True, allow_unencrypted=True)
    session = winrm.Session(running.http_url, auth=(USER, PASSWORD), transport="basic", ca_trust_path=None)

    result = session.run_cmd("echo")

    assert result.status_code == 0
    assert running.metrics()["auth_failures"] == 0


def test_ntlm_without_message_encryption_over_http_is_refused(endpoints):
    running = endpoints.start()
    protocol = running.protocol(scheme="http", transport="ntlm", message_encryption="never")

    with pytest.raises(WSManFaultError) as error:
        protocol.open_shell()

    assert error.value.code == 500
    assert "AllowUnencrypted" in error.value.reason  # what Ansible prints as the host's UNREACHABLE message
    assert running.metrics()["auth_failure_reasons"] == {"unencrypted_refused": 1}
    assert running.metrics()["shells_open"] == 0


def test_ntlm_without_message_encryption_over_http_works_when_allowed(endpoints):
    running = endpoints.start(allow_unencrypted=True)
    protocol = running.protocol(scheme="http", transport="ntlm", message_encryption="never")

    assert run(protocol, "echo", stdin=b"clear") == (b"clear", b"", 0)
    assert running.metrics()["encrypted_requests"] == 0


def test_negotiate_disabled_refuses_ntlm(endpoints):
    running = endpoints.start(auth_negotiate=False, auth_basic=True)
    protocol = running.protocol(transport="ntlm")

    with pytest.raises(InvalidCredentialsError):
        protocol.open_shell()


def test_the_security_context_belongs_to_the_tcp_connection(endpoints):
    running = endpoints.start(https_port=None, cert_file=None, key_file=None)
    protocol = running.protocol(scheme="http", transport="ntlm")
    protocol.open_shell()
    handshakes = running.metrics()["auth_handshakes"]

    protocol.open_shell()  # same keep-alive connection: no new handshake, no Authorization header
    assert running.metrics()["auth_handshakes"] == handshakes

    # A new TCP connection starts unauthenticated.
    anonymous = requests.post(running.http_url, data=b"", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Negotiate"


def test_a_body_sealed_for_a_dropped_connection_gets_http_400(endpoints):
    running = endpoints.start(https_port=None, cert_file=None, key_file=None)
    protocol = running.protocol(scheme="http", transport="ntlm")
    shell_id = protocol.open_shell()
    running.endpoint.set_faults([FaultRule("drop", on_request=1)])

    with pytest.raises(requests.exceptions.ConnectionError):
        protocol.run_command(shell_id, "echo")
    # pywinrm re-authenticates on a new socket but resends the body sealed with the old context.
    with pytest.raises(WinRMTransportError) as error:
        protocol.run_command(shell_id, "echo")
    assert error.value.code == 400


def test_hosts_in_one_process_keep_their_own_accounts_under_concurrent_logons(endpoints):
    alpha = endpoints.start(host=ScriptedTestHost("ALPHA"), users={"alice": "Alpha-1"})
    beta = endpoints.start(host=ScriptedTestHost("BETA"), users={"bob": "Beta-2"})
    outcomes: list = []

    def logon(running, username, password, scheme) -> None:
        try:
            protocol = running.protocol(scheme=scheme, username=username, password=password)
            outcomes.append(run(protocol, "echo", stdin=username.encode()))
        except Exception as exc:
            outcomes.append(exc)

    jobs = [(alpha, "alice", "Alpha-1"), (beta, "bob", "Beta-2")] * 4
    threads = [threading.Thread(target=logon, args=(*job, scheme)) for job in jobs for scheme in ("http", "https")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(map(repr, outcomes)) == sorted(repr((name.encode(), b"", 0)) for _, name, _ in jobs * 2)
    with pytest.raises(InvalidCredentialsError):
        alpha.protocol(username="bob", password="Beta-2").open_shell()
