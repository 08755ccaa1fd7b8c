"""The fleet PKI: a CA per fleet and host certificates that TLS clients validate by IP address and DNS name."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from winsim import certs


def test_host_certificate_names_the_ip_and_dns_names_and_is_signed_by_the_ca(tmp_path):
    ca_file, ca_key = certs.create_ca(tmp_path / "pki")

    cert_file, key_file = certs.issue_host_cert(ca_file, ca_key, tmp_path / "hosts", ["web-1", "web-1.lab"],
                                                "127.20.0.3")

    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    ca = x509.load_pem_x509_certificate(ca_file.read_bytes())
    cert.verify_directly_issued_by(ca)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["web-1", "web-1.lab"]
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.20.0.3")]
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert key_file.stat().st_mode & 0o077 == 0  # the private key is not readable by others


def test_the_ca_is_reused_so_trust_survives_a_fleet_restart(tmp_path):
    first = certs.create_ca(tmp_path / "pki")
    again = certs.create_ca(tmp_path / "pki")

    assert first == again
    assert first[0].read_bytes() == again[0].read_bytes()


def test_a_damaged_ca_is_replaced(tmp_path):
    ca_file, _ = certs.create_ca(tmp_path / "pki")
    ca_file.write_text("not a certificate", encoding="utf-8")

    ca_file, _ = certs.create_ca(tmp_path / "pki")

    x509.load_pem_x509_certificate(ca_file.read_bytes())


@pytest.mark.parametrize("server_name", ["127.0.0.1", "testhost"])
def test_tls_clients_validate_the_host_by_ip_and_by_name(tmp_path, server_name):
    ca_file, ca_key = certs.create_ca(tmp_path / "pki")
    cert_file, key_file = certs.issue_host_cert(ca_file, ca_key, tmp_path / "hosts", "testhost", "127.0.0.1")
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    client_context = ssl.create_default_context(cafile=str(ca_file))

    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def accept_one() -> None:
            conn, _ = listener.accept()
            with server_context.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"ok")

        server = threading.Thread(target=accept_one, daemon=True)
        server.start()
        with socket.create_connection(("127.0.0.1", port)) as raw, \
                client_context.wrap_socket(raw, server_hostname=server_name) as tls:
            assert tls.recv(2) == b"ok"
        server.join(10)


def test_a_name_the_certificate_does_not_carry_fails_validation(tmp_path):
    ca_file, ca_key = certs.create_ca(tmp_path / "pki")
    cert_file, key_file = certs.issue_host_cert(ca_file, ca_key, tmp_path / "hosts", "testhost", "127.0.0.1")
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    client_context = ssl.create_default_context(cafile=str(ca_file))

    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def accept_one() -> None:
            conn, _ = listener.accept()
            try:
                server_context.wrap_socket(conn, server_side=True).close()
            except (ssl.SSLError, OSError):
                conn.close()

        threading.Thread(target=accept_one, daemon=True).start()
        with socket.create_connection(("127.0.0.1", port)) as raw, pytest.raises(ssl.SSLCertVerificationError):
            client_context.wrap_socket(raw, server_hostname="otherhost")
