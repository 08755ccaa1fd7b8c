"""Paths of the real agent (plugins/plugin_utils/agent*.ps1) that only a damaged request or an unusual argument
reaches: JSON syntax errors (protocol section 3: the whole request is refused as invalid_request 13), the JSON
escapes a request may use, and registry.write/read arguments at the edge of what section 6.8 allows. The agent
runs in winsim's PowerShell interpreter on a simulated PowerShell 2.0 host.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import agent_fixtures  # noqa: F401 - makes the collection importable
from host_fixtures import new_host

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client
from winsim.powershell.engine import Engine, make_runtime

PROTOCOL = "win-primitive-agent/1"


@pytest.fixture(scope="module")
def agent_source() -> str:
    return agent_client.agent_source()


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path, "iis4-kb")


def respond(host, agent_source: str, request_line: str) -> dict:
    """The response document the interpreted agent prints for one request line."""
    result = Engine(make_runtime(host, version=(2, 0))).run(agent_source, input_lines=[request_line])
    assert result.terminating is None, result.terminating.message
    response, = result.output
    return json.loads(response)


def results(host, agent_source: str, *operations) -> list[dict]:
    response = respond(host, agent_source, json.dumps({"protocol": PROTOCOL, "operations": list(operations)}))
    assert response["ok"] is True, response["error"]
    return response["results"]


# -- protocol 3: a request that is not JSON is refused whole, naming what is wrong and where --------------------

@pytest.mark.parametrize(("line", "message"), [
    ('{"protocol": "x", "operations": [1 2]}', "JSON array expects , or ] at offset 36"),
    ('{"protocol" 1}', "JSON object expects : at offset 13"),
    ('{"protocol": 1 2}', "JSON object expects , or } at offset 16"),
    ('{"protocol": "\\q"}', "JSON string has an invalid escape at offset 13"),
    ('{"protocol": "\\', "JSON string ends inside an escape at offset 13"),
    ('{"protocol": "\\u12', "JSON string has a short \\u escape at offset 13"),
    ('{"protocol":', "JSON ends unexpectedly at offset 12"),
    ('{"protocol": [1, ', "JSON ends unexpectedly at offset 17"),
    ('{"protocol": [1', "JSON ends unexpectedly at offset 15"),
])
def test_a_request_with_a_json_syntax_error_is_refused_whole(host, agent_source, line, message):
    response = respond(host, agent_source, line)
    assert response["ok"] is False and response["results"] == []
    error = response["error"]
    assert (error["op"], error["kind"], error["code"], error["message"]) == (None, "invalid_request", 13, message)
    # The refusal comes from the agent itself: it still describes itself.
    assert response["agent"]["powershell_version"] == "2.0"


def test_every_json_escape_of_a_request_string_reaches_the_host_as_its_character(host, agent_source):
    # Written by hand so that every escape JSON has (RFC 8259 section 7) is on the wire, not Python's choice.
    value = '"q\\"s\\\\l\\/b\\bf\\fn\\nr\\rt\\tu\\u00e9"'
    operation = ('{"id": "w", "op": "registry.write", "args": {"path": "HKLM\\\\SOFTWARE\\\\Escapes", "name": "v",'
                 ' "type": "REG_SZ", "value": ' + value + "}}")
    response = respond(host, agent_source, '{"protocol": "' + PROTOCOL + '", "operations": [' + operation + "]}")
    assert response["results"][0]["ok"] is True, response["results"][0]
    with host.lock:
        stored = host.registry.get_value("HKLM\\SOFTWARE\\Escapes", "v")
    assert stored.data == 'q"s\\l/b\bf\fn\nr\rt\tu\u00e9'


# -- registry.write: section 6.8 value ranges and change detection of REG_MULTI_SZ ------------------------------

def test_a_negative_qword_is_refused_and_nothing_is_written(host, agent_source):
    entry, = results(host, agent_source, {"id": "q", "op": "registry.write", "args": {
        "path": "HKLM\\SOFTWARE\\Ranges", "name": "q", "type": "REG_QWORD", "value": -1}})
    assert entry["ok"] is False
    assert (entry["error"]["kind"], entry["error"]["code"]) == ("invalid_argument", 87)
    assert entry["error"]["message"] == "argument 'value' does not fit type REG_QWORD"
    with host.lock:
        assert not host.registry.key_exists("HKLM\\SOFTWARE\\Ranges")


def test_a_multi_string_is_changed_when_its_length_or_any_element_differs(host, agent_source):
    def write(items):
        return {"op": "registry.write", "args": {"path": "HKLM\\SOFTWARE\\Multi", "name": "m",
                                                 "type": "REG_MULTI_SZ", "value": items}}
    first, shorter, other, same = results(host, agent_source, {"id": "a", **write(["a", "b"])},
                                          {"id": "b", **write(["a"])}, {"id": "c", **write(["B"])},
                                          {"id": "d", **write(["B"])})
    assert first["value"]["changed"] is True and first["value"]["previous"] is None
    assert shorter["value"]["changed"] is True
    assert shorter["value"]["previous"] == {"type": "REG_MULTI_SZ", "value": ["a", "b"]}
    # Elements compare case-sensitively: 'B' replaces 'a' even where a case-insensitive match would not.
    assert other["value"]["changed"] is True and other["value"]["previous"]["value"] == ["a"]
    assert same["value"]["changed"] is False
    with host.lock:
        assert host.registry.get_value("HKLM\\SOFTWARE\\Multi", "m").data == ["B"]


@pytest.mark.parametrize("hive", ["HKEY_CURRENT_USER", "HKEY_USERS", "HKCR", "HKEY_CURRENT_CONFIG"])
def test_every_hive_spelling_opens_that_hive(host, agent_source, hive):
    with host.lock:
        host.registry.set_value(hive + "\\Paths", "v", "REG_DWORD", 7)
    entry, = results(host, agent_source, {"id": "r", "op": "registry.read", "args": {"path": hive + "\\Paths"}})
    assert entry["value"] == {"path": hive + "\\Paths", "exists": True,
                              "values": {"v": {"type": "REG_DWORD", "value": 7}}}
