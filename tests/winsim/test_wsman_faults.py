"""Injected faults and transport metrics, as a pywinrm user and the fleet's operator see them."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from winrm.exceptions import InvalidCredentialsError, WSManFaultError
from wsman_fixtures import Endpoints, run

from winsim.wsman import FaultRule


@pytest.fixture
def endpoints(tmp_path):
    with Endpoints(tmp_path) as factory:
        yield factory


def test_drop_on_the_nth_request_closes_the_connection_unanswered(endpoints):
    running = endpoints.start(auth_basic=True, faults=[FaultRule("drop", on_request=2)])
    protocol = running.protocol(transport="basic")
    shell_id = protocol.open_shell()  # request 1

    with pytest.raises(requests.exceptions.ConnectionError):
        protocol.run_command(shell_id, "echo")  # request 2
    assert run(protocol, "exit", ("0",)) == (b"", b"", 0)  # the rule fired once
    assert running.metrics()["faults_injected"] == 1


def test_http500_is_an_internal_error_fault_for_pywinrm(endpoints):
    running = endpoints.start(faults=[FaultRule("http500", probability=1.0)])
    protocol = running.protocol()

    with pytest.raises(WSManFaultError) as error:
        protocol.open_shell()

    assert error.value.code == 500
    assert error.value.fault_subcode == "w:InternalError"


def test_http500_on_an_encrypted_connection_is_sealed_and_the_connection_survives(endpoints):
    running = endpoints.start(https_port=None, cert_file=None, key_file=None)
    protocol = running.protocol(scheme="http")
    shell_id = protocol.open_shell()
    running.endpoint.set_faults([FaultRule("http500", on_request=1)])

    with pytest.raises(WSManFaultError) as error:
        protocol.run_command(shell_id, "echo")
    assert error.value.fault_subcode == "w:InternalError"

    command_id = protocol.run_command(shell_id, "echo")  # same socket, sealing still in step
    assert protocol.get_command_output(shell_id, command_id) == (b"", b"", 0)


def test_faults_set_on_a_running_endpoint_apply_and_clear(endpoints):
    running = endpoints.start(auth_basic=True)
    protocol = running.protocol(transport="basic")
    assert run(protocol, "exit", ("0",))[2] == 0  # some traffic first: the new rule counts from its installation

    running.endpoint.set_faults([FaultRule("http500", on_request=1)])
    with pytest.raises(WSManFaultError):
        protocol.open_shell()

    running.endpoint.set_faults([])
    assert run(protocol, "exit", ("4",)) == (b"", b"", 4)


def test_probability_fault_fires_at_most_count_times(endpoints):
    running = endpoints.start(auth_basic=True, faults=[FaultRule("http500", probability=1.0, count=2)])
    protocol = running.protocol(transport="basic")

    for _ in range(2):
        with pytest.raises(WSManFaultError):
            protocol.open_shell()
    protocol.open_shell()

    assert running.metrics()["faults_injected"] == 2


def test_hang_never_answers_and_does_not_block_stop(endpoints):
    running = endpoints.start(auth_basic=True, faults=[FaultRule("hang", on_request=1)])
    protocol = running.protocol(transport="basic", operation_timeout_sec=1, read_timeout_sec=2)

    with pytest.raises(requests.exceptions.ReadTimeout):
        protocol.open_shell()

    stopper = threading.Thread(target=running.endpoint.stop)
    stopper.start()
    stopper.join(30)
    assert not stopper.is_alive(), "stop() waited for the hung request"
    with pytest.raises(requests.exceptions.ConnectionError):
        running.protocol(transport="basic").open_shell()


def test_stop_ends_a_waiting_receive(endpoints):
    running = endpoints.start()
    protocol = running.protocol(operation_timeout_sec=30, read_timeout_sec=40)
    shell_id = protocol.open_shell()
    command_id = protocol.run_command(shell_id, "wait")
    outcome: list = []

    def receive() -> None:
        try:
            protocol.get_command_output_raw(shell_id, command_id)
        except Exception as exc:
            outcome.append(exc)

    receiver = threading.Thread(target=receive)
    receiver.start()
    _wait_for(lambda: running.metrics()["operations"].get("Receive") == 1)
    running.endpoint.stop()
    receiver.join(30)

    assert not receiver.is_alive()
    assert isinstance(outcome[0], requests.exceptions.ConnectionError)


def test_latency_slows_every_request(endpoints):
    running = endpoints.start(auth_basic=True)
    protocol = running.protocol(transport="basic")
    protocol.open_shell()
    running.endpoint.set_faults([], latency_ms=200)

    started = time.monotonic()
    for _ in range(3):
        protocol.open_shell()

    assert time.monotonic() - started >= 0.6  # a lower bound: no machine is fast enough to beat it


def test_metrics_count_requests_bytes_failures_and_shells(endpoints):
    running = endpoints.start(auth_basic=True)
    assert running.metrics()["requests"] == 0

    protocol = running.protocol(transport="basic")
    shell_id = protocol.open_shell()
    protocol.open_shell()
    stdout, _, _ = run(protocol, "bytes", ("50000",))
    with pytest.raises(InvalidCredentialsError):
        running.protocol(transport="basic", password="wrong").open_shell()

    metrics = running.metrics()
    assert metrics["shells_open"] == 2
    # Two Creates; Create, Command, Receive, Signal, Delete for the command; one refused request.
    assert metrics["requests"] == 2 + 5 + 1
    assert metrics["bytes_in"] > 0
    assert metrics["bytes_out"] > len(stdout)  # base64 and envelopes on top of the output
    assert metrics["auth_failures"] == 1
    assert metrics["faults_injected"] == 0
    protocol.close_shell(shell_id, close_session=False)
    assert running.metrics()["shells_open"] == 1


def _wait_for(condition, attempts: int = 600) -> None:
    event = threading.Event()
    for _ in range(attempts):
        if condition():
            return
        event.wait(0.05)
    raise AssertionError("condition never became true")


@pytest.mark.parametrize("arguments", [
    {"action": "explode", "on_request": 1},
    {"action": "drop"},
    {"action": "drop", "on_request": 1, "probability": 0.5},
    {"action": "drop", "on_request": 0},
    {"action": "hang", "probability": 1.5},
    {"action": "http500", "probability": 0.5, "count": 0},
])
def test_fault_rules_that_make_no_sense_are_refused(arguments):
    with pytest.raises(ValueError):
        FaultRule(**arguments)


def test_starting_on_a_taken_address_and_port_raises_oserror(endpoints):
    running = endpoints.start(https_port=None, cert_file=None, key_file=None)

    with pytest.raises(OSError):
        endpoints.start(http_port=running.endpoint.http_port, https_port=None, cert_file=None, key_file=None)
