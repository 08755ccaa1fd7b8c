"""Differential tests: the real agent run by winsim's PowerShell interpreter against the Python model of the agent
written from docs/agent-protocol.md (the oracle), on identical host states.

Each random batch (agent_batches.py: every operation, error cases, nested value expressions, hostile and
non-ASCII strings) goes the whole way on one twin: powershell.exe -EncodedCommand <bootstrap> with the agent and
the request on stdin, as WinRM delivers it. The model answers the same request on the other twin. Responses
and the twins' states afterwards must be equal, once what no two runs share is set aside: clock times,
elapsed milliseconds, process ids and the agent's random job directory names.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agent_batches import BatchGenerator
from agent_fixtures import AgentScript
from host_fixtures import new_host

from winsim.host import Host
from winsim.host.agent.context import AgentContext
from winsim.host.osinfo import clr_version, powershell_version, psversion
from winsim.host.runtime import build_invocation
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.powershell_exe import run_powershell

SEEDS = 60
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
_JOB = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")  # a job name, not part of a SHA-256


@pytest.fixture(scope="module")
def base_state(tmp_path_factory) -> Path:
    state = tmp_path_factory.mktemp("differential") / "base"
    new_host(state, "iis4-kb", "DIFF-1").save()
    return state


def twins(base: Path, tmp_path: Path) -> tuple[Host, Host]:
    hosts = []
    for side in ("model", "interpreted"):
        shutil.copytree(base, tmp_path / side)
        hosts.append(Host.load(tmp_path / side))
    return hosts[0], hosts[1]


def modelled(host: Host, request: dict) -> dict:
    from winsim.host.agent.jsonio import dumps
    from winsim.host.agent.request import run_request
    ctx = AgentContext(ProcessContext.for_logon(host, None), psversion(powershell_version(host.registry) or "1.0"),
                       clr_version(host.registry))
    # As the model prints it (its JSON writer), so that the response is plain JSON data like the agent's.
    return json.loads(dumps(run_request(ctx, json.dumps(request, ensure_ascii=True, separators=(",", ":")))))


def interpreted(host: Host, request: dict) -> dict:
    script = AgentScript.load()
    command, arguments = script.command().split(" ", 1)
    invocation = build_invocation(host, command, arguments, script.stdin(request), None)
    with host.lock:
        ctx = ProcessContext.for_logon(host, None, invocation.stdin)
    output = run_powershell(ctx, invocation.powershell)
    assert output.rc == 0 and output.stderr == "", output.stderr
    return json.loads(output.stdout)


def normalised(document):
    """Times, durations, process ids and random job names set aside (they differ between any two runs)."""
    text = json.dumps(document, sort_keys=True)
    text = _JOB.sub("<job>", _TIME.sub("<time>", text))
    value = json.loads(text)

    def walk(node):
        if isinstance(node, dict):
            return {k: (None if k in ("elapsed_ms", "pid", "process_id", "mtime", "updated", "start_time",
                                      "end_time", "time_utc", "saved") else walk(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node
    return walk(value)


def host_state(host: Host) -> dict:
    with host.lock:
        files = [(str(f.path).lower(), f.is_dir, f.size, f.attributes) for f in host.fs.walk()]
        state = normalised({"registry": host.registry.to_json(), "files": files,
                            "services": host.services.to_snapshot(), "events": host.eventlog.to_snapshot()})
    state["files"].sort()  # once random job names are set aside, so that two jobs compare in a fixed order
    return state


def settled_states(model_host: Host, interpreted_host: Host, patience: float = 5.0) -> tuple[dict, dict]:
    """Both host states once the programs the batch started have ended: a launcher records its program's end
    (exit.txt) when the program ends, which may be after the batch was answered."""
    deadline = time.monotonic() + patience
    while True:
        states = host_state(model_host), host_state(interpreted_host)
        if states[0] == states[1] or time.monotonic() > deadline:
            return states
        time.sleep(0.1)


def first_difference(a, b, path="") -> str:
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key, "<absent>") != b.get(key, "<absent>"):
                return first_difference(a.get(key, "<absent>"), b.get(key, "<absent>"), f"{path}/{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items: {a!r:.400} / {b!r:.400}"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{path}/{index}")
    return f"{path}: {a!r:.300} != {b!r:.300}"


@pytest.mark.parametrize("seed", range(SEEDS))
def test_a_random_batch_gets_the_same_answer_and_leaves_the_same_host(seed, base_state, tmp_path):
    request = BatchGenerator(seed).batch()
    model_host, interpreted_host = twins(base_state, tmp_path)
    expected = normalised(modelled(model_host, request))
    actual = normalised(interpreted(interpreted_host, request))
    for want, got in zip(expected["results"], actual["results"], strict=False):
        assert got == want, f"seed {seed}, operation {want.get('id')}: {first_difference(want, got)}"
    assert actual == expected, first_difference(expected, actual)
    model_state, interpreted_state = settled_states(model_host, interpreted_host)
    assert interpreted_state == model_state, first_difference(model_state, interpreted_state)
