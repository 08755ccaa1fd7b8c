"""WinRS shells and commands through pywinrm: stdin in chunks, output in pieces, timeouts, quotas and faults."""

from __future__ import annotations

import threading
import uuid
import xml.etree.ElementTree as ET

import pytest
import xmltodict
from winrm.exceptions import WinRMOperationTimeoutError, WinRMTransportError, WSManFaultError
from wsman_fixtures import OTHER_PASSWORD, OTHER_USER, Endpoints, FakeClock, run

from winsim.wsman.soap import NS


@pytest.fixture
def endpoints(tmp_path):
    with Endpoints(tmp_path) as factory:
        yield factory


def _record_responses(protocol) -> list[bytes]:
    """The plaintext SOAP envelopes pywinrm receives (after decryption), in order."""
    seen: list[bytes] = []
    send = protocol.transport.send_message

    def recording(message):
        answer = send(message)
        seen.append(answer)
        return answer

    protocol.transport.send_message = recording
    return seen


def test_responses_relate_to_the_request_message_id(endpoints):
    running = endpoints.start()
    protocol = running.protocol()
    message_id = uuid.uuid4()
    request = {"env:Envelope": protocol.build_wsman_header(
        action="http://schemas.xmlsoap.org/ws/2004/09/transfer/Create",
        resource_uri="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd", message_id=message_id)}
    request["env:Envelope"]["env:Body"] = {"rsp:Shell": {"rsp:InputStreams": "stdin",
                                                         "rsp:OutputStreams": "stdout stderr"}}

    root = ET.fromstring(protocol.send_message(xmltodict.unparse(request)))

    assert root.findtext("s:Header/a:RelatesTo", namespaces=NS) == f"uuid:{message_id}"
    assert root.findtext("s:Header/a:Action", namespaces=NS) == \
        "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse"
    assert root.findtext("s:Header/a:To", namespaces=NS).endswith("/role/anonymous")
    selector = root.find("s:Body/x:ResourceCreated/a:ReferenceParameters/w:SelectorSet/w:Selector", NS)
    assert selector.get("Name") == "ShellId" and uuid.UUID(selector.text)


def test_stdin_larger_than_one_send_arrives_whole(endpoints):
    running = endpoints.start()
    payload = bytes(range(256)) * 1200  # 307200 bytes: two of Ansible's 200000-byte Sends

    stdout, stderr, rc = run(running.protocol(), "echo", stdin=payload)

    assert (stdout, stderr, rc) == (payload, b"", 0)
    assert [(c, a, s) for c, a, s in running.host.calls] == [("echo", "", payload)]
    assert running.metrics()["operations"]["Send"] == 2


def test_large_output_comes_in_receives_below_the_clients_max_envelope_size(endpoints):
    running = endpoints.start(https_port=None, cert_file=None, key_file=None)
    protocol = running.protocol(scheme="http")  # NTLM with message encryption
    responses = _record_responses(protocol)
    size = 2 * 1024 * 1024

    stdout, stderr, rc = run(protocol, "bytes", (str(size),))

    assert rc == 0 and stderr == b""
    assert stdout == (bytes(range(256)) * (size // 256))
    receives = [r for r in responses if b"ReceiveResponse" in r]
    assert len(receives) >= size * 4 // 3 // protocol.max_env_sz  # it had to be split
    assert max(len(r) for r in receives) <= protocol.max_env_sz
    states = [ET.fromstring(r).find(".//rsp:CommandState", NS).get("State").rsplit("/", 1)[-1] for r in receives]
    assert states == ["Running"] * (len(receives) - 1) + ["Done"]


def test_service_max_envelope_bounds_receives_too(endpoints):
    running = endpoints.start(max_envelope_kb=64)
    protocol = running.protocol()
    responses = _record_responses(protocol)

    stdout, _, rc = run(protocol, "bytes", ("300000",))

    assert len(stdout) == 300000 and rc == 0
    assert max(len(r) for r in responses) <= 64 * 1024


def test_a_command_slower_than_the_operation_timeout_completes_through_retries(endpoints):
    running = endpoints.start()
    protocol = running.protocol(operation_timeout_sec=1, read_timeout_sec=10)
    shell_id = protocol.open_shell()
    command_id = protocol.run_command(shell_id, "wait")

    with pytest.raises(WinRMOperationTimeoutError):  # one Receive on its own: Windows' w:TimedOut fault
        protocol.get_command_output_raw(shell_id, command_id)

    result: list = []
    receiver = threading.Thread(target=lambda: result.append(protocol.get_command_output(shell_id, command_id)))
    receiver.start()
    _wait_for(lambda: running.metrics()["operations"].get("Receive", 0) >= 3)  # pywinrm swallowed a TimedOut
    running.host.release.set()
    receiver.join(30)

    assert result == [(b"released", b"", 0)]


def test_operation_timeout_above_max_timeout_ms_is_refused(endpoints):
    running = endpoints.start(max_timeout_ms=60000)
    protocol = running.protocol(operation_timeout_sec=61, read_timeout_sec=70)

    with pytest.raises(WSManFaultError) as error:
        protocol.open_shell()

    assert error.value.wsman_fault_code == 2150858881
    assert "timeout" in error.value.reason.lower()


def test_unknown_shell_id_is_an_invalid_selectors_fault(endpoints):
    running = endpoints.start()
    protocol = running.protocol()
    missing = str(uuid.uuid4()).upper()

    with pytest.raises(WSManFaultError) as error:
        protocol.run_command(missing, "echo")

    assert error.value.code == 500
    assert error.value.wsman_fault_code == 2150858843
    assert error.value.fault_subcode == "w:InvalidSelectors"
    assert missing in error.value.reason


def test_deleted_shell_is_gone(endpoints):
    running = endpoints.start()
    protocol = running.protocol()
    shell_id = protocol.open_shell()
    assert running.metrics()["shells_open"] == 1

    protocol.close_shell(shell_id, close_session=False)

    assert running.metrics()["shells_open"] == 0
    with pytest.raises(WSManFaultError) as error:
        protocol.run_command(shell_id, "echo")
    assert error.value.wsman_fault_code == 2150858843


def test_a_shell_belongs_to_the_user_who_opened_it(endpoints):
    running = endpoints.start()
    shell_id = running.protocol().open_shell()
    other = running.protocol(username=OTHER_USER, password=OTHER_PASSWORD)

    with pytest.raises(WSManFaultError) as error:
        other.run_command(shell_id, "echo")

    assert error.value.wsman_fault_code == 2150858843


def test_signal_terminate_ends_the_command(endpoints):
    running = endpoints.start()
    protocol = running.protocol()
    shell_id = protocol.open_shell()
    command_id = protocol.run_command(shell_id, "exit", ["3"])
    assert protocol.get_command_output(shell_id, command_id) == (b"", b"", 3)

    protocol.cleanup_command(shell_id, command_id)

    with pytest.raises(WSManFaultError):
        protocol.get_command_output_raw(shell_id, command_id)


def test_receive_without_send_runs_the_command_with_empty_stdin(endpoints):
    running = endpoints.start()

    assert run(running.protocol(), "echo") == (b"", b"", 0)
    assert running.host.calls == [("echo", "", b"")]


def test_stderr_and_exit_code_reach_the_client(endpoints):
    running = endpoints.start()

    assert run(running.protocol(), "stderr", ("it", "went", "wrong")) == (b"", b"it went wrong", 2)


def test_input_after_the_end_of_stdin_is_refused(endpoints):
    running = endpoints.start()
    protocol = running.protocol()
    shell_id = protocol.open_shell()
    command_id = protocol.run_command(shell_id, "echo")
    protocol.send_command_input(shell_id, command_id, b"all of it", end=True)

    with pytest.raises(WSManFaultError):
        protocol.send_command_input(shell_id, command_id, b"more", end=True)
    assert protocol.get_command_output(shell_id, command_id) == (b"all of it", b"", 0)


def test_max_shells_per_user_is_a_quota_fault(endpoints):
    running = endpoints.start(max_shells_per_user=2)
    protocol = running.protocol()
    first = protocol.open_shell()
    protocol.open_shell()

    with pytest.raises(WSManFaultError) as error:
        protocol.open_shell()
    assert error.value.wsman_fault_code == 2150859173
    assert error.value.fault_subcode == "w:QuotaLimit"
    assert "maximum number of 2 shells" in error.value.reason

    # Another account has its own quota, and closing a shell gives one back.
    running.protocol(username=OTHER_USER, password=OTHER_PASSWORD).open_shell()
    protocol.close_shell(first, close_session=False)
    protocol.open_shell()


def test_operations_quota_carries_the_wmi_error_ansible_recreates_shells_on(endpoints):
    running = endpoints.start(max_concurrent_operations_per_user=2)
    protocol = running.protocol()
    shell_id = protocol.open_shell()
    protocol.run_command(shell_id, "echo")
    protocol.run_command(shell_id, "echo")

    with pytest.raises(WSManFaultError) as error:
        protocol.run_command(shell_id, "echo")
    assert error.value.wmierror_code == 0x803381A6

    protocol.close_shell(shell_id, close_session=False)
    assert run(protocol, "exit", ("0",)) == (b"", b"", 0)


def test_a_request_above_max_envelope_size_gets_http_413(endpoints):
    running = endpoints.start(max_envelope_kb=64)
    protocol = running.protocol()
    shell_id = protocol.open_shell()
    command_id = protocol.run_command(shell_id, "echo")

    with pytest.raises(WinRMTransportError) as error:
        protocol.send_command_input(shell_id, command_id, b"z" * 100_000, end=True)

    assert error.value.code == 413
    assert running.host.calls == []


def test_idle_shells_are_dropped_after_the_idle_timeout(endpoints):
    clock = FakeClock()
    running = endpoints.start(clock=clock)
    protocol = running.protocol()
    shell_id = protocol.open_shell()

    clock.now += 179
    assert running.metrics()["shells_open"] == 1
    protocol.run_command(shell_id, "echo")  # activity restarts the idle timer
    clock.now += 181

    assert running.metrics()["shells_open"] == 0
    with pytest.raises(WSManFaultError) as error:
        protocol.run_command(shell_id, "echo")
    assert error.value.wsman_fault_code == 2150858843


def _wait_for(condition, attempts: int = 600) -> None:
    event = threading.Event()
    for _ in range(attempts):
        if condition():
            return
        event.wait(0.05)
    raise AssertionError("condition never became true")
