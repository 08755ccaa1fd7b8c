"""The collection's real agent, run by winsim's PowerShell interpreter on a real simulated host.

The request arrives on $input (as powershell.exe gives stdin to -Command text); the response is the one JSON
line the agent writes. Read-only batches are compared with the Python model of the agent (the oracle) on the
same host; the bootstrap runs the agent the way WinRM delivers it; and renaming every function of the agent
changes nothing (the interpreter keys on no name of the script it runs).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent_fixtures import AgentScript
from host_fixtures import new_host

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client
from winsim.host.agent.context import AgentContext
from winsim.host.agent.powershell import clr_version, psversion
from winsim.host.agent.request import run_request
from winsim.host.osinfo import powershell_version
from winsim.host.runtime.context import ProcessContext
from winsim.powershell.engine import Engine, make_runtime, to_string

PROTOCOL = "win-primitive-agent/1"


def request(*operations: dict) -> str:
    return json.dumps({"protocol": PROTOCOL, "operations": list(operations)})


def interpreted(host, request_text: str, script: str | None = None, version=(2, 0)) -> dict:
    engine = Engine(make_runtime(host, version=version))
    result = engine.run(script or agent_client.agent_source(), input_lines=request_text.splitlines())
    assert result.terminating is None, result.terminating.message
    assert result.errors == []
    assert len(result.output) == 1, [to_string(o) for o in result.output]
    assert isinstance(result.output[0], str)
    return json.loads(result.output[0])


def modelled(host, request_text: str) -> dict:
    ctx = AgentContext(ProcessContext.for_logon(host, None), psversion(powershell_version(host.registry) or "1.0"),
                       clr_version(host.registry))
    return run_request(ctx, request_text)


def without_timing(response: dict) -> dict:
    response = json.loads(json.dumps(response))
    if response.get("agent"):
        response["agent"]["elapsed_ms"] = None
    for result in response["results"]:
        value = result.get("value")
        if isinstance(value, dict) and "time_utc" in value:
            value["time_utc"] = None
    return response


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path, "no-iis")


def test_system_info_answers_ok(host):
    response = interpreted(host, request({"id": "a", "op": "system.info", "args": {}}))
    assert response["ok"] is True
    assert response["error"] is None
    assert response["agent"]["powershell_version"] == "2.0"
    assert isinstance(response["agent"]["elapsed_ms"], int)
    (result,) = response["results"]
    assert result["ok"] is True
    assert result["value"]["computer_name"] == "TESTHOST"
    assert result["value"]["powershell"] == {"version": "2.0", "clr_version": "2.0.50727.3625"}


def test_read_only_batch_matches_the_model(host):
    text = request(
        {"id": "a", "op": "system.info"},
        {"id": "b", "op": "registry.read", "args": {"key": "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                                                     "values": ["CurrentVersion", "CSDVersion", "Missing"]}},
        {"id": "c", "op": "file.stat", "args": {"path": {"$join": [{"$ref": "a", "pointer": "/system_directory"},
                                                                  "drivers"]}}},
        {"id": "d", "op": "service.query", "args": {"name": "EventLog"}},
        {"id": "e", "op": "event.query", "args": {"log": "System", "newest": 5}},
        {"id": "f", "op": "file.tree", "args": {"path": {"$dirname": {"$ref": "a", "pointer": "/system_directory"}}}},
        {"id": "g", "op": "file.stat", "args": {"path": {"$expand": "%SystemRoot%\\system32"}}},
    )
    assert without_timing(interpreted(host, text)) == without_timing(modelled(host, text))


@pytest.mark.parametrize("operation, kind, code", [
    ({"id": "x", "op": "no.such"}, "unknown_operation", 50),
    ({"id": "bad id!", "op": "system.info"}, "invalid_argument", 87),
    ({"id": "x", "op": "file.stat", "args": {"path": "relative\\path"}}, "invalid_argument", 161),
    ({"id": "x", "op": "file.stat", "args": {"path": 5}}, "invalid_argument", 87),
    ({"id": "x", "op": "file.stat", "args": {"path": {"$ref": "nowhere"}}}, "invalid_argument", 87),
    ({"id": "x", "op": "file.stat", "args": {"path": {"$dirname": "C:"}}}, "unresolved_reference", None),
])
def test_operation_errors_match_the_model(host, operation, kind, code):
    text = request(operation)
    response = interpreted(host, text)
    (result,) = response["results"]
    assert result["ok"] is False
    assert (result["error"]["kind"], result["error"]["code"]) == (kind, code)
    assert without_timing(response) == without_timing(modelled(host, text))


@pytest.mark.parametrize("text, kind", [
    ("{not json", "invalid_request"),
    ('{"protocol": "other/1", "operations": []}', "unsupported_protocol"),
    ('{"protocol": "win-primitive-agent/1", "operations": {}}', "invalid_request"),
    ('[1, 2]', "invalid_request"),
])
def test_request_errors_match_the_model(host, text, kind):
    response = interpreted(host, text)
    assert response["ok"] is False
    assert response["error"]["kind"] == kind
    expected = modelled(host, text)
    # The JSON parser's wording is the agent's own (the model words Python's): kinds and codes must agree.
    assert (response["error"]["kind"], response["error"]["code"], response["results"]) == \
        (expected["error"]["kind"], expected["error"]["code"], expected["results"])


def test_json_round_trip_of_hostile_and_non_ascii_strings(host):
    strings = ["C:\\x'; Remove-Item -Recurse C:\\ #", 'a"b\\c', "C:\\$(whoami)", "\u00fcn\u00efc\u00f8d\u00e9",
               "\u65e5\u672c", "tab\there", "line\nbreak", "\u0001"]
    text = request(*({"id": f"s{i}", "op": "file.stat", "args": {"path": "C:\\" + s}} for i, s in enumerate(strings)))
    response = interpreted(host, text)
    assert [r["id"] for r in response["results"]] == [f"s{i}" for i in range(len(strings))]
    assert without_timing(response) == without_timing(modelled(host, text))


def test_bootstrap_checks_the_digest_and_runs_the_agent(host):
    agent = AgentScript.load()
    stdin = agent.stdin({"protocol": PROTOCOL, "operations": [{"id": "a", "op": "system.info"}]}).decode("ascii")
    engine = Engine(make_runtime(host))
    result = engine.run(agent.bootstrap, input_lines=stdin.splitlines())
    assert result.terminating is None
    (line,) = result.output
    response = json.loads(line)
    assert response["ok"] is True and response["results"][0]["ok"] is True

    damaged = stdin.replace("function New-AgentMap", "function New-AgentMapX")
    result = Engine(make_runtime(host)).run(agent.bootstrap, input_lines=damaged.splitlines())
    assert json.loads(result.output[0])["error"]["kind"] == "agent_corrupt"


def test_renaming_every_function_changes_nothing(host):
    source = agent_client.agent_source()
    names = sorted(set(re.findall(r"^function ([A-Za-z]+-[A-Za-z0-9]+)", source, re.MULTILINE)), key=len,
                   reverse=True)
    assert len(names) > 50
    renamed = source
    for index, name in enumerate(names):
        renamed = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", f"Zz-Renamed{index}", renamed)
    assert "New-AgentMap" not in renamed
    text = request({"id": "a", "op": "system.info"}, {"id": "b", "op": "no.such"},
                   {"id": "c", "op": "file.stat", "args": {"path": {"$join": ["C:\\", "WINNT"]}}})
    assert without_timing(interpreted(host, text, renamed)) == without_timing(interpreted(host, text))


def test_five_one_host_reports_its_version(tmp_path):
    host = new_host(tmp_path, "no-iis", powershell_version="5.1")
    response = interpreted(host, request({"id": "a", "op": "system.info"}), version=(5, 1))
    assert response["agent"]["powershell_version"] == "5.1"
    assert response["results"][0]["ok"] is True
