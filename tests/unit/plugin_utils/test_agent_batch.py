"""Batches and value expressions become exactly the request JSON the protocol document shows."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import (
    AgentBatch,
    dirname,
    expand,
    format_utc,
    join,
    json_pointer,
    ref,
)


def test_request_lists_operations_in_order_with_generated_ids():
    batch = AgentBatch()
    first = batch.system_info(env=["windir"])
    second = batch.registry_read("HKLM\\SOFTWARE\\Microsoft\\InetStp", values=["InstallPath"])
    assert (first, second) == ("op1", "op2")
    assert batch.to_request() == {
        "protocol": "win-primitive-agent/1",
        "operations": [
            {"id": "op1", "op": "system.info", "args": {"env": ["windir"]}},
            {
                "id": "op2",
                "op": "registry.read",
                "args": {"path": "HKLM\\SOFTWARE\\Microsoft\\InetStp", "subkeys": False, "values": ["InstallPath"]},
            },
        ],
    }
    assert batch.ids == ["op1", "op2"] and len(batch) == 2


def test_expressions_nest_into_the_documented_shapes():
    path = join(expand(ref("params", "values", "InstallPath", "value")), "smtpsvc.dll")
    assert path == {
        "$join": [{"$expand": {"$ref": "params", "pointer": "/values/InstallPath/value"}}, "smtpsvc.dll"]
    }
    assert dirname("C:\\a\\b.exe") == {"$dirname": "C:\\a\\b.exe"}
    assert ref("whole") == {"$ref": "whole", "pointer": ""}


def test_json_pointer_escapes_slash_and_tilde():
    assert json_pointer("values", "a/b~c", 0) == "/values/a~1b~0c/0"


def test_event_query_sends_only_what_was_given_and_times_in_utc():
    batch = AgentBatch()
    since = datetime.datetime(2024, 1, 31, 23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    batch.event_query("System", event_ids=[7000, 7023], newest=5, since=since, op_id="events")
    assert batch.to_request()["operations"][0]["args"] == {
        "log": "System",
        "newest": 5,
        "message": True,
        "event_ids": [7000, 7023],
        "since": "2024-01-31T22:59:00Z",
    }


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError, match="timezone"):
        format_utc(datetime.datetime(2024, 1, 1))


def test_file_tree_limits_are_optional():
    batch = AgentBatch()
    batch.file_tree("C:\\Inetpub\\Mailroot", max_files=10, op_id="tree")
    args = batch.to_request()["operations"][0]["args"]
    assert args == {"path": "C:\\Inetpub\\Mailroot", "sha256": True, "max_files": 10}


@pytest.mark.parametrize(
    ("op", "op_id", "message"),
    [
        ("Registry.Read", None, "operation name"),
        ("registry", None, "operation name"),
        ("file.stat", "has space", "operation id"),
        ("file.stat", "x" * 129, "operation id"),
    ],
)
def test_invalid_names_and_ids_are_refused(op, op_id, message):
    with pytest.raises(ValueError, match=message):
        AgentBatch().add(op, {}, op_id=op_id)


def test_duplicate_ids_are_refused():
    batch = AgentBatch()
    batch.file_stat("C:\\a", op_id="same")
    with pytest.raises(ValueError, match="twice"):
        batch.file_stat("C:\\b", op_id="same")
