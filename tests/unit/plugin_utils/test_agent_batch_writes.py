"""Write operations become exactly the request arguments docs/agent-protocol.md section 6 lists,
dependencies travel as `after` references, and check mode refuses every write before sending."""

from __future__ import annotations

import base64
import datetime
import hashlib

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import AgentClient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import (
    READ_OPERATIONS,
    WRITE_OPERATIONS,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import AgentError

UTC = datetime.timezone.utc  # noqa: UP017 - the collection supports Python 3.10 controllers


def only_operation(batch: AgentBatch) -> dict:
    (operation,) = batch.to_request()["operations"]
    return operation


def test_file_write_sends_base64_content_and_verifies_the_last_chunk():
    content = b"\x00\xffIms.inf\r\n"
    digest = hashlib.sha256(content).hexdigest().upper()
    batch = AgentBatch()
    batch.file_write(
        "C:\\Stage\\Ims.inf",
        content,
        offset=4096,
        expect_sha256=digest,
        mtime=datetime.datetime(1998, 11, 25, 20, 5, tzinfo=UTC),
        op_id="w",
    )
    assert only_operation(batch) == {
        "id": "w",
        "op": "file.write",
        "args": {
            "path": "C:\\Stage\\Ims.inf",
            "content": base64.b64encode(content).decode("ascii"),
            "offset": 4096,
            "create_parents": True,
            "expect_sha256": digest.lower(),
            "mtime": "1998-11-25T20:05:00Z",
        },
    }
    assert batch.content_bytes == len(content)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"offset": -1}, "offset"),
        ({"offset": 5, "append": True}, "append"),
        ({"expect_sha256": "abc"}, "64 hex"),
    ],
)
def test_file_write_refuses_inconsistent_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AgentBatch().file_write("C:\\x", b"", **kwargs)


def test_after_makes_an_operation_depend_on_an_earlier_one():
    batch = AgentBatch()
    lock = batch.lock_acquire("install_point-1", "ansible@ctl", ttl_seconds=600, op_id="lock")
    first = batch.dir_create("C:\\Stage", after=lock)
    batch.file_copy("\\\\media\\op4\\setup.exe", "C:\\Stage\\setup.exe", backup="C:\\Stage\\setup.exe.bak",
                    after=first, op_id="copy")
    operations = batch.to_request()["operations"]
    assert operations[0]["args"] == {"name": "install_point-1", "owner": "ansible@ctl", "ttl_seconds": 600}
    assert operations[1]["args"] == {"path": "C:\\Stage", "after": {"$ref": "lock", "pointer": ""}}
    assert operations[2]["args"] == {
        "src": "\\\\media\\op4\\setup.exe",
        "dest": "C:\\Stage\\setup.exe",
        "overwrite": True,
        "create_parents": True,
        "verify": True,
        "backup": "C:\\Stage\\setup.exe.bak",
        "after": {"$ref": first, "pointer": ""},
    }


def test_after_must_name_an_earlier_operation():
    batch = AgentBatch()
    with pytest.raises(ValueError, match="earlier operation"):
        batch.dir_create("C:\\Stage", after="later")


def test_service_and_process_operations():
    batch = AgentBatch()
    batch.service_stop("IISADMIN", dependents=True, timeout_seconds=120, op_id="stop")
    batch.service_start("SMTPSVC", op_id="start")
    batch.process_start("C:\\Stage\\setup.exe", ["/u:C:\\Temp\\answer file.txt", ""], working_directory="C:\\Stage",
                        op_id="setup")
    batch.process_poll(1504, start_time=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), wait_seconds=30,
                       op_id="poll")
    args = {operation["id"]: operation["args"] for operation in batch.to_request()["operations"]}
    assert args["stop"] == {"name": "IISADMIN", "timeout_seconds": 120, "dependents": True}
    assert args["start"] == {"name": "SMTPSVC", "timeout_seconds": 60}
    assert args["setup"] == {
        "executable": "C:\\Stage\\setup.exe",
        "arguments": ["/u:C:\\Temp\\answer file.txt", ""],
        "working_directory": "C:\\Stage",
    }
    assert args["poll"] == {"pid": 1504, "wait_seconds": 30, "start_time": "2024-01-02T03:04:05Z"}


def test_process_arguments_must_be_a_list_not_a_command_line():
    with pytest.raises(TypeError, match="list"):
        AgentBatch().process_start("C:\\x.exe", "/u:a.txt")


def test_registry_write_sets_typed_values_and_deletes():
    batch = AgentBatch()
    batch.registry_write("HKLM\\SOFTWARE\\X", "Count", value_type="REG_DWORD", value=4294967295, op_id="set")
    batch.registry_write("HKLM\\SOFTWARE\\X", "Old", state="absent", op_id="delete")
    args = {operation["id"]: operation["args"] for operation in batch.to_request()["operations"]}
    assert args["set"] == {
        "path": "HKLM\\SOFTWARE\\X", "name": "Count", "state": "present", "type": "REG_DWORD",
        "value": 4294967295, "create_key": True,
    }
    assert args["delete"] == {"path": "HKLM\\SOFTWARE\\X", "name": "Old", "state": "absent"}


@pytest.mark.parametrize(
    "kwargs", [{"value_type": "REG_DWORD"}, {"value_type": "REG_NONE", "value": "x"}, {"state": "gone"}]
)
def test_registry_write_refuses_incomplete_values(kwargs):
    with pytest.raises(ValueError):
        AgentBatch().registry_write("HKLM\\SOFTWARE\\X", "v", **kwargs)


def test_state_records_and_lock_names():
    batch = AgentBatch()
    batch.state_write("iis_component", {"phase": "removed", "services": ["SMTPSVC"]}, op_id="save")
    batch.state_read("iis_component", op_id="load")
    batch.state_delete("iis_component", op_id="forget")
    batch.lock_release("iis_component", "ansible@ctl", op_id="unlock")
    args = {operation["id"]: operation["args"] for operation in batch.to_request()["operations"]}
    assert args == {
        "save": {"name": "iis_component", "value": {"phase": "removed", "services": ["SMTPSVC"]}},
        "load": {"name": "iis_component"},
        "forget": {"name": "iis_component", "delete": True},
        "unlock": {"name": "iis_component", "owner": "ansible@ctl", "force": False},
    }
    for bad in ("..\\x", ".hidden", "a" * 65, "a/b", ""):
        with pytest.raises(ValueError, match="record name"):
            AgentBatch().state_read(bad)
    with pytest.raises(ValueError, match="state_delete"):
        AgentBatch().state_write("x", None)


def every_write_operation() -> dict[str, AgentBatch]:
    makers = {
        "file.write": lambda b: b.file_write("C:\\a", b"x"),
        "file.copy": lambda b: b.file_copy("C:\\a", "C:\\b"),
        "file.delete": lambda b: b.file_delete("C:\\a"),
        "dir.create": lambda b: b.dir_create("C:\\a"),
        "service.start": lambda b: b.service_start("SMTPSVC"),
        "service.stop": lambda b: b.service_stop("SMTPSVC"),
        "process.start": lambda b: b.process_start("C:\\setup.exe"),
        "registry.write": lambda b: b.registry_write("HKLM\\SOFTWARE\\X", "v", value_type="REG_SZ", value="1"),
        "lock.acquire": lambda b: b.lock_acquire("l", "me"),
        "lock.release": lambda b: b.lock_release("l", "me"),
        "state.write": lambda b: b.state_write("s", {"a": 1}),
    }
    assert set(makers) == WRITE_OPERATIONS
    batches = {}
    for name, make in makers.items():
        batch = AgentBatch()
        batch.file_stat("C:\\a")
        make(batch)
        batches[name] = batch
    return batches


@pytest.mark.parametrize(("name", "batch"), every_write_operation().items())
def test_check_mode_client_refuses_each_write_before_sending(windows_connection, name, batch):
    connection = windows_connection(lambda request: pytest.fail("nothing may be sent"))
    with pytest.raises(AgentError, match=name.replace(".", r"\.")):
        AgentClient(connection, read_only=True).run(batch)
    assert connection.invocations == []


def test_check_mode_client_sends_reads_including_polls_and_state_reads(windows_connection):
    answered = []

    def answer(request):
        answered.extend(operation["op"] for operation in request["operations"])
        return {
            "protocol": "win-primitive-agent/1", "ok": True, "agent": {}, "error": None,
            "results": [{"id": op["id"], "op": op["op"], "ok": True, "value": {}} for op in request["operations"]],
        }

    batch = AgentBatch()
    batch.process_poll(1504)
    batch.state_read("iis_component")
    batch.file_tree("C:\\Stage")
    AgentClient(windows_connection(answer), read_only=True).run(batch)
    assert set(answered) == {"process.poll", "state.read", "file.tree"} <= READ_OPERATIONS
