"""Transient transport faults are retried with bounded backoff when the batch is safe to repeat (issue 9, item 6)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleConnectionFailure

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import AgentClient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_retry import RETRY_DELAYS, transient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import AgentTransportError


class InvalidCredentialsError(Exception):
    """Named as pywinrm names its 401 refusal."""


def answer(request):
    return {"protocol": "win-primitive-agent/1", "ok": True, "agent": {},
            "results": [{"id": op["id"], "op": op["op"], "ok": True, "value": {}} for op in request["operations"]],
            "error": None}


@pytest.fixture
def flaky(windows_connection):
    class Flaky(windows_connection):
        """Fails its first ``failures`` commands with ``error``, then answers; counts resets."""

        def __init__(self, failures: int, error: Exception) -> None:
            super().__init__(answer)
            self.failures, self.failure, self.resets = failures, error, 0

        def exec_command(self, cmd, in_data=None, sudoable=True):
            if self.failures:
                self.failures -= 1
                self.invocations.append(None)
                raise self.failure
            return super().exec_command(cmd, in_data, sudoable)

        def reset(self):
            self.resets += 1
    return Flaky


def client(connection, waits):
    return AgentClient(connection, retry_delays=RETRY_DELAYS, sleep=waits.append)


def writing_batch() -> AgentBatch:
    batch = AgentBatch()
    batch.dir_create("C:\\x", op_id="dir")
    return batch


def test_a_dropped_connection_or_server_fault_is_retried_on_a_fresh_session(flaky):
    waits: list[float] = []
    connection = flaky(2, AnsibleConnectionFailure("winrm connection error: HTTP 500 InternalError"))
    agent = client(connection, waits)
    assert agent.run(writing_batch())["dir"].ok
    assert len(connection.invocations) == 3 and connection.resets == 2 and agent.retries == 2
    assert waits == list(RETRY_DELAYS[:2])


def test_retries_are_bounded(flaky):
    waits: list[float] = []
    connection = flaky(10, AnsibleConnectionFailure("Connection reset by peer"))
    with pytest.raises(AgentTransportError, match=f"tried {len(RETRY_DELAYS) + 1} times"):
        client(connection, waits).run(writing_batch())
    assert len(connection.invocations) == len(RETRY_DELAYS) + 1 and sum(waits) <= 30


def test_a_batch_that_starts_a_process_is_not_sent_twice(flaky):
    connection = flaky(1, AnsibleConnectionFailure("read timeout"))
    batch = AgentBatch()
    batch.process_start("C:\\setup.exe", ["/u:x"], op_id="start")
    with pytest.raises(AgentTransportError):
        client(connection, []).run(batch)
    assert len(connection.invocations) == 1


def test_refused_credentials_are_not_retried(flaky):
    connection = flaky(1, AnsibleConnectionFailure("ntlm: the specified credentials were rejected by the server"))
    with pytest.raises(AgentTransportError):
        client(connection, []).run(writing_batch())
    assert len(connection.invocations) == 1
    wrapped = AnsibleConnectionFailure("failed")
    wrapped.__cause__ = InvalidCredentialsError("boom")
    assert not transient(wrapped) and transient(TimeoutError("timed out"))


def test_a_bug_is_not_a_transient_fault():
    assert not transient(AttributeError("'Connection' object has no attribute 'x'"))
    assert transient(ConnectionResetError("reset by peer"))


def test_a_request_that_arrived_damaged_is_sent_again_even_when_it_starts_a_process(windows_connection):
    answers = iter([{"protocol": "win-primitive-agent/1", "ok": False, "agent": None, "results": [],
                     "error": {"op": None, "kind": "agent_corrupt", "code": 13,
                               "message": "agent script on stdin is missing or damaged", "exception": None}}])

    def first_damaged(request):
        return next(answers, None) or answer(request)

    connection = windows_connection(first_damaged)
    batch = AgentBatch()
    batch.process_start("C:\\setup.exe", ["/u:x"], op_id="start")
    waits: list[float] = []
    agent = client(connection, waits)
    assert agent.run(batch)["start"].ok
    assert len(connection.invocations) == 2 and waits == [RETRY_DELAYS[0]] and agent.retries == 1
